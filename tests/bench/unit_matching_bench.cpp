// Benchmark (not a test): matching two 2,048-unit layers over 10,000 stimuli one to one (the
// correlation matrix, then the maximum-weight matching), against numpy's correlations with
// SciPy's linear_sum_assignment in the same run. Target: under 5 s. Prints JSON.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <numeric>
#include <random>

#include "analysis/core/npy.h"
#include "analysis/core/runtime_setup.h"
#include "analysis/matching/unit_matching.h"
#include "tests/bench/peer_process.h"

int main() {
    us::analysis::configureRuntime();
    constexpr std::int64_t n = 10000, units = 2048, factors = 64;
    std::mt19937 random(5);
    std::normal_distribution<float> normal;
    // Two networks sharing some structure, as converging networks do: both layers mix common
    // latent factors; half of b's units are noisy copies of a's, in another order.
    std::vector<float> latent(static_cast<std::size_t>(n * factors));
    for (auto& value : latent) value = normal(random);
    const auto layer = [&] {
        std::vector<float> mixing(static_cast<std::size_t>(factors * units));
        for (auto& value : mixing) value = normal(random) * 0.2f;
        std::vector<float> values(static_cast<std::size_t>(n * units));
        for (std::int64_t row = 0; row < n; ++row)
            for (std::int64_t u = 0; u < units; ++u) {
                float sum = normal(random);
                for (std::int64_t f = 0; f < factors; f += 8)
                    sum += latent[std::size_t(row * factors + f + u % 8)] *
                           mixing[std::size_t((f + u % 8) * units + u)];
                values[std::size_t(row * units + u)] = std::max(0.0f, sum);
            }
        return values;
    };
    const auto a = layer();
    auto b = layer();
    std::vector<std::int64_t> order(static_cast<std::size_t>(units));
    std::iota(order.begin(), order.end(), 0);
    std::shuffle(order.begin(), order.end(), random);
    for (std::int64_t row = 0; row < n; ++row)
        for (std::int64_t u = 0; u < units / 2; ++u)
            b[std::size_t(row * units + order[std::size_t(u)])] =
                a[std::size_t(row * units + u)] + 0.5f * normal(random);
    const auto dir = std::filesystem::temp_directory_path() / "unitscope-bench-unit-matching";
    std::filesystem::create_directories(dir);
    us::analysis::writeNpy(dir / "a.npy", std::span<const float>(a), {n, units});
    us::analysis::writeNpy(dir / "b.npy", std::span<const float>(b), {n, units});
    const auto peer = us::bench::runPeer(
        us::bench::pythonPeer("unit_matching_peer.py", "'" + dir.string() + "'"));

    const auto start = std::chrono::steady_clock::now();
    const auto correlations = us::analysis::correlateUnits(a, units, b, units, n);
    const auto correlated = std::chrono::steady_clock::now();
    const auto pairs = us::analysis::matchUnits(correlations, us::analysis::MatchMethod::Hungarian);
    const auto end = std::chrono::steady_clock::now();
    const double seconds = std::chrono::duration<double>(end - start).count();
    double total = 0;
    for (const auto& pair : pairs) total += pair.r;
    const double peerSeconds = peer["seconds"].get<double>();
    std::printf(
        "%s\n",
        nlohmann::json{{"benchmark", "one-to-one matching, 2048 x 2048 units over 10000 stimuli"},
                       {"unitscope_s", seconds},
                       {"unitscope_correlation_s",
                        std::chrono::duration<double>(correlated - start).count()},
                       {"unitscope_assignment_s",
                        std::chrono::duration<double>(end - correlated).count()},
                       {"numpy_scipy_s", peerSeconds},
                       {"numpy_scipy_assignment_s", peer["assignment_seconds"]},
                       {"speedup", peerSeconds / seconds},
                       {"target_s", 5},
                       {"same_total_r",
                        std::abs(total - peer["total_r"].get<double>()) < 1e-6 * std::abs(total)}}
            .dump()
            .c_str());
    return 0;
}
