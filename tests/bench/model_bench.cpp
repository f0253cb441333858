// Model benchmarks with their PyTorch peers run in the same process tree, printing ratios:
//   extraction: ResNet-18 (TorchScript, 224 px, batch 16, five tapped layers, pooled and
//               written to HDF5) vs PyTorch eager forward with hooks and pooling (no file);
//   training:   the demo CNN recipe, seconds per step vs PyTorch eager; then the full demo
//               training run with its test accuracy (targets: >= 88% in < 3 minutes).
// usage: bench_models [extraction|training|all]
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>

#include "analysis/core/runtime_setup.h"
#include "analysis/demo/demo_data.h"
#include "analysis/demo/demo_model.h"
#include "analysis/models/extraction.h"
#include "tests/bench/peer_process.h"

namespace fs = std::filesystem;
using namespace us::analysis;

namespace {

nlohmann::json runPeer(const std::string& arguments) {
    return us::bench::runPeer(us::bench::pythonPeer("model_peers.py", arguments));
}

double seconds(std::chrono::steady_clock::time_point since) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

void benchExtraction(int threads) {
    const fs::path dir = fs::temp_directory_path() / "unitscope-bench-extraction";
    fs::create_directories(dir);
    const auto peer = runPeer("extraction '" + dir.string() + "' " + std::to_string(threads));
    ExtractionRequest request;
    request.model = dir / "resnet18.pt";
    request.stimuli = dir / "images.npy";
    request.layers = {"layer1", "layer2", "layer3", "layer4", "fc"};
    request.inputShape = std::vector<std::int64_t>{3, 224, 224};
    request.out = dir / "warmup.h5";
    request.batchSize = 16;
    extractActivations(request, {});  // loads, freezes and profiles the graph once
    request.out = dir / "acts.h5";
    const auto start = std::chrono::steady_clock::now();
    const auto summary = extractActivations(request, {});
    const double ours = double(summary.stored) / seconds(start);
    const double theirs = peer.at("images_per_second").get<double>();
    std::cout << nlohmann::json{{"benchmark", "extraction resnet18 224px batch16 5 layers"},
                                {"unitscope_images_per_second", ours},
                                {"pytorch_eager_hooks_images_per_second", theirs},
                                {"ratio_unitscope_over_pytorch", ours / theirs}}
                     .dump()
              << std::endl;
    fs::remove_all(dir);
}

void benchTraining(int threads) {
    constexpr int kSteps = 200;
    const auto peer = runPeer("training " + std::to_string(kSteps) + " " + std::to_string(threads));
    DemoTrainingOptions options;
    options.datasetDir = fashionMnistDir();
    options.maxSteps = kSteps;
    options.epochs = 1;
    const fs::path shortDir = fs::temp_directory_path() / "unitscope-bench-demo-short";
    fs::remove_all(shortDir);
    const auto start = std::chrono::steady_clock::now();
    trainOrLoadDemoModel(shortDir, options, {});
    // Includes loading the dataset and the test evaluation: an upper bound on step time.
    const double ours = seconds(start) / kSteps;
    const double theirs = peer.at("seconds_per_step").get<double>();

    const fs::path fullDir = fs::temp_directory_path() / "unitscope-bench-demo-full";
    fs::remove_all(fullDir);
    const auto full = trainOrLoadDemoModel(fullDir, DemoTrainingOptions{fashionMnistDir()}, {});
    std::cout << nlohmann::json{{"benchmark", "demo CNN training"},
                                {"unitscope_seconds_per_step_incl_load_and_eval", ours},
                                {"pytorch_eager_seconds_per_step", theirs},
                                {"ratio_pytorch_over_unitscope_speed", theirs / ours},
                                {"full_run_test_accuracy", full.testAccuracy},
                                {"full_run_seconds", full.trainingSeconds},
                                {"full_run_steps", full.steps},
                                {"targets", "accuracy >= 0.88, seconds < 180"}}
                     .dump()
              << std::endl;
    fs::remove_all(shortDir);
    fs::remove_all(fullDir);
}

}  // namespace

int main(int argc, char** argv) {
    configureRuntime();
    const std::string which = argc > 1 ? argv[1] : "all";
    const int threads = 2;
    setComputeThreads(threads);
    try {
        if (which == "extraction" || which == "all") benchExtraction(threads);
        if (which == "training" || which == "all") benchTraining(threads);
    } catch (const std::exception& error) {
        std::cerr << "bench_models: " << error.what() << "\n";
        return 1;
    }
    return 0;
}
