// Benchmark (not a test): unit captions with both nulls for a 512-unit layer over 50,000
// stimuli (10 classes, a 512-unit control), against the same computation in numpy/SciPy in
// the same run. Target: under 10 s. Prints JSON.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <random>

#include "analysis/captions/unit_captions.h"
#include "analysis/core/npy.h"
#include "analysis/core/runtime_setup.h"
#include "tests/bench/peer_process.h"

int main() {
    us::analysis::configureRuntime();
    constexpr std::int64_t n = 50000, units = 512, classes = 10;
    std::mt19937 random(3);
    std::normal_distribution<float> normal;
    std::vector<std::int32_t> labels(static_cast<std::size_t>(n));
    for (auto& label : labels)
        label = std::int32_t(random() % classes);
    // Units respond to one class each a little, through a ReLU (ties at zero, as real layers).
    std::vector<float> acts(static_cast<std::size_t>(n * units)), control(acts.size());
    for (std::int64_t row = 0; row < n; ++row)
        for (std::int64_t u = 0; u < units; ++u) {
            const float signal = labels[std::size_t(row)] == u % classes ? 0.8f : 0.0f;
            acts[std::size_t(row * units + u)] = std::max(0.0f, normal(random) + signal);
            control[std::size_t(row * units + u)] = std::max(0.0f, normal(random));
        }
    const auto dir = std::filesystem::temp_directory_path() / "unitscope-bench-unit-captions";
    std::filesystem::create_directories(dir);
    us::analysis::writeNpy(dir / "acts.npy", std::span<const float>(acts), {n, units});
    us::analysis::writeNpy(dir / "control.npy", std::span<const float>(control), {n, units});
    us::analysis::writeNpy(dir / "labels.npy", std::span<const std::int32_t>(labels), {n});
    const auto peer = us::bench::runPeer(
        us::bench::pythonPeer("unit_captions_peer.py", "'" + dir.string() + "'"));

    const auto concepts = us::analysis::classConceptLabels(labels, {});
    const auto start = std::chrono::steady_clock::now();
    const auto captions = us::analysis::captionUnits(acts, units, concepts, {}, &control, units);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    double aucSum = 0;
    for (const auto& caption : captions)
        for (const auto& score : caption.concepts)
            aucSum += score.auc;
    const double peerSeconds = peer["seconds"].get<double>();
    std::printf("%s\n",
                nlohmann::json{{"benchmark",
                                "unit captions with both nulls, 512 units x "
                                "50000 stimuli, 10 classes, 512 control units"},
                               {"unitscope_s", seconds},
                               {"numpy_scipy_s", peerSeconds},
                               {"speedup", peerSeconds / seconds},
                               {"target_s", 10},
                               {"same_auc_sum", std::abs(aucSum - peer["auc_sum"].get<double>()) <
                                                    1e-6 * std::abs(aucSum)}}
                    .dump()
                    .c_str());
    return 0;
}
