// Attribution benchmarks with their PyTorch peers in the same run, printing ratios:
//   ig:    Integrated Gradients, 50 Gauss-Legendre steps, ResNet-50, one 224 px image, vs the
//          batched eager recipe Captum uses (target: at least 2x);
//   lrp:   LRP composite on ResNet-50, one image, vs forward/backward hooks as Zennit does it
//          (target: at least 2x);
//   prune: circuit-tracer's pruning of a 10,000-node, 100,000-link graph vs the dense
//          python3-torch implementation (targets: at least 10x, under 100 ms);
//   graph: a whole graph, 4 layers of ResNet-18, top 32, gradient x activation links (< 5 s).
// usage: bench_attribution [ig|lrp|prune|graph|all] [THREADS]
#include <chrono>
#include <filesystem>
#include <iostream>
#include <string>

#include "analysis/attribution/attribution.h"
#include "analysis/attribution/graph_builder.h"
#include "analysis/attribution/graph_pruning.h"
#include "analysis/core/npy.h"
#include "analysis/core/runtime_setup.h"
#include "tests/bench/peer_process.h"

namespace fs = std::filesystem;
using namespace us::analysis;

namespace {

const fs::path kDir = fs::temp_directory_path() / "unitscope-bench-attribution";

nlohmann::json runPeer(const std::string& mode, int threads) {
    return us::bench::runPeer(us::bench::pythonPeer(
        "attribution_peers.py", mode + " '" + kDir.string() + "' " + std::to_string(threads)));
}

double seconds(std::chrono::steady_clock::time_point since) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

FloatArray image() {
    NpyHeader header;
    const auto values = readNpyAsDouble(kDir / "image.npy", &header);
    return {{3, 224, 224}, std::vector<float>(values.begin(), values.end())};
}

void report(const std::string& what, double ours, double theirs, double target) {
    std::cout << what << ": Unitscope " << ours << " s, peer " << theirs << " s, ratio "
              << theirs / ours << "x (target " << target << "x)\n";
}

void benchIg(int threads) {
    auto model = ScriptModel::load(kDir / "resnet50.pt");
    Attributor attributor(model);
    AttributionRequest request;
    request.method = AttributionMethod::IntegratedGradients;
    request.steps = 50;
    attributor.attribute(image(), [] {
        AttributionRequest warm;
        warm.method = AttributionMethod::GradientTimesActivation;
        return warm;
    }());  // compiles the graph once, as a session would have
    const auto start = std::chrono::steady_clock::now();
    const auto result = attributor.attribute(image(), request);
    const double ours = seconds(start);
    const auto peer = runPeer("ig", threads);
    std::cout << "IG completeness error " << *result.completenessError << "\n";
    report("Integrated Gradients, ResNet-50, 50 steps", ours, peer["seconds"].get<double>(), 2);
}

void benchLrp(int threads) {
    auto model = ScriptModel::load(kDir / "resnet50.pt");
    Attributor attributor(model);
    AttributionRequest request;
    request.method = AttributionMethod::Lrp;
    attributor.attribute(image(), request);  // warm-up
    const auto start = std::chrono::steady_clock::now();
    const auto result = attributor.attribute(image(), request);
    const double ours = seconds(start);
    const auto peer = runPeer("lrp", threads);
    double sum = 0;
    for (float v : result.inputMap.values)
        sum += v;
    std::cout << "LRP input relevance " << sum << " (peer " << peer["sum"] << "), target "
              << result.targetValue << "\n";
    report("LRP, ResNet-50", ours, peer["seconds"].get<double>(), 2);
}

void benchPrune(int threads) {
    const auto graph = readAttributionGraph(kDir / "graph10k.json");
    pruneGraph(graph);
    const auto start = std::chrono::steady_clock::now();
    const auto result = pruneGraph(graph);
    const double ours = seconds(start);
    std::size_t kept = 0;
    for (bool k : result.nodeKept)
        kept += k;
    const auto peer = runPeer("prune", threads);
    std::cout << "kept " << kept << " nodes (peer " << peer["kept"] << "); " << ours * 1000
              << " ms (target < 100 ms)\n";
    report("Pruning 10k nodes / 100k links", ours, peer["seconds"].get<double>(), 10);
}

void benchGraph() {
    auto model = ScriptModel::load(kDir / "resnet18.pt");
    GraphRequest request;
    request.attribution.layers = {"layer1", "layer2", "layer3", "layer4"};
    request.top = 32;
    const auto start = std::chrono::steady_clock::now();
    const auto graph = computeAttributionGraph(model, image(), request);
    const double ours = seconds(start);
    std::cout << "Whole graph, ResNet-18, 4 layers, top 32: " << ours << " s (target < 5 s), "
              << graph.graph.nodes.size() << " nodes, " << graph.graph.links.size() << " links\n";
}

}  // namespace

int main(int argc, char** argv) {
    const std::string which = argc > 1 ? argv[1] : "all";
    const int threads = argc > 2 ? std::stoi(argv[2]) : 2;
    configureRuntime();
    setComputeThreads(threads);
    if (!fs::exists(kDir / "graph10k.json")) runPeer("prepare", threads);
    if (which == "ig" || which == "all") benchIg(threads);
    if (which == "lrp" || which == "all") benchLrp(threads);
    if (which == "prune" || which == "all") benchPrune(threads);
    if (which == "graph" || which == "all") benchGraph();
    return 0;
}
