// Activation-maximisation benchmark with its PyTorch peer in the same run: one optimisation
// step (transforms, forward, backward, Adam) at 128 px on ResNet-50 with random weights,
// objective a channel of layer3, against Lucent's recipe in python3-torch (target 1.5x).
// usage: bench_visualisation [STEPS] [THREADS]
#include <filesystem>
#include <iostream>

#include "analysis/core/runtime_setup.h"
#include "analysis/visualisation/activation_maximisation.h"
#include "tests/bench/peer_process.h"

namespace fs = std::filesystem;
using namespace us::analysis;

int main(int argc, char** argv) {
    const int steps = argc > 1 ? std::stoi(argv[1]) : 10;
    const int threads = argc > 2 ? std::stoi(argv[2]) : 2;
    configureRuntime();
    setComputeThreads(threads);
    const fs::path dir = fs::temp_directory_path() / "unitscope-bench-attribution";
    if (!fs::exists(dir / "resnet50.pt"))
        us::bench::runPeer(us::bench::pythonPeer(
            "attribution_peers.py", "prepare '" + dir.string() + "' " + std::to_string(threads)));
    auto model = ScriptModel::load(dir / "resnet50.pt");
    InputSpec spec;  // 3 x 224 x 224, ImageNet normalisation
    VisualisationRequest request;
    request.objective = VisualisationObjective::parse("channel:layer3:5");
    request.steps = 1;
    visualise(model, spec, request);  // compiles the tapped graph once
    request.steps = steps;
    const double ours = visualise(model, spec, request).secondsPerStep;
    const auto peer = us::bench::runPeer(us::bench::pythonPeer(
        "visualisation_peers.py",
        "step '" + dir.string() + "' " + std::to_string(threads) + " " + std::to_string(steps)));
    const double theirs = peer.at("seconds_per_step").get<double>();
    std::cout << "Activation maximisation step, ResNet-50, 128 px: Unitscope " << ours * 1000
              << " ms, peer " << theirs * 1000 << " ms, ratio " << theirs / ours
              << "x (target 1.5x)\n";
    return 0;
}
