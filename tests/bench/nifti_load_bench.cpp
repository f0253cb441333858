// Benchmark (not a test): loading a 2 mm 4-D NIfTI of 100 volumes (.nii.gz) into float64, as
// nibabel's get_fdata() does, against nibabel in the same run. Target: at most 1.5x nibabel's
// time. Prints JSON with both times and the ratio.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <numeric>

#include "analysis/brain/volume.h"
#include "analysis/core/runtime_setup.h"
#include "tests/bench/peer_process.h"

int main(int argc, char** argv) {
    us::analysis::configureRuntime();
    const int repeats = argc > 1 ? std::max(1, std::atoi(argv[1])) : 3;
    const auto path = std::filesystem::temp_directory_path() / "unitscope-bench-4d-2mm.nii.gz";
    // The peer writes the file on its first run, then times nibabel.
    const auto peer = us::bench::runPeer(us::bench::pythonPeer(
        "nifti_load_peer.py", "'" + path.string() + "' " + std::to_string(repeats)));
    double best = INFINITY, sum = 0;
    std::vector<std::int64_t> shape;
    for (int i = 0; i < repeats; ++i) {
        const auto start = std::chrono::steady_clock::now();
        const auto volume = us::analysis::readNiftiVolume(path);
        best = std::min(
            best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
        sum = std::accumulate(volume.data.begin(), volume.data.end(), 0.0);
        shape = volume.shape;
    }
    const double peerSeconds = peer["best_s"].get<double>();
    const double peerSum = peer["sum"].get<double>();
    std::printf("%s\n",
                nlohmann::json{{"benchmark", "load 2 mm 4-D NIfTI, 100 volumes (.nii.gz)"},
                               {"shape", shape},
                               {"unitscope_s", best},
                               {"nibabel_s", peerSeconds},
                               {"ratio", best / peerSeconds},
                               {"target_ratio", 1.5},
                               {"same_sum", std::abs(sum - peerSum) <= 1e-9 * std::abs(peerSum)}}
                    .dump()
                    .c_str());
    return 0;
}
