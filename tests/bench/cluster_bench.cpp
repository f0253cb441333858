// Clustering benchmarks against their peers, run in the same process tree, printing ratios:
//   Ward linkage of 10,000 x 512 float32 vs scipy.cluster.hierarchy.linkage(X, 'ward');
//   k-means 10,000 x 512, k = 20, 10 restarts vs sklearn.cluster.KMeans(n_init=10);
//   squarified treemap of a 100,000-leaf hierarchy (cut depth 3) vs d3-hierarchy's
//   hierarchy() + treemap(treemapSquarify).
// usage: bench_clustering NODE_PEERS_DIR [ward|kmeans|treemap|all]
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "analysis/clustering/kmeans.h"
#include "analysis/clustering/linkage.h"
#include "analysis/clustering/treemap_layout.h"
#include "analysis/core/npy.h"
#include "analysis/core/runtime_setup.h"
#include "tests/bench/peer_process.h"

namespace fs = std::filesystem;
using namespace us::analysis;
using Clock = std::chrono::steady_clock;

namespace {

using us::bench::runPeer;

std::string python(const std::string& arguments) {
    return us::bench::pythonPeer("cluster_peers.py", arguments);
}

double since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

FloatArray loadX(const fs::path& path) {
    NpyHeader header;
    const auto values = readNpyAsDouble(path, &header);
    return {header.shape, std::vector<float>(values.begin(), values.end())};
}

void report(const std::string& name, double ours, double theirs, nlohmann::json extra = {}) {
    nlohmann::json line{{"benchmark", name},
                        {"unitscope_seconds", ours},
                        {"peer_seconds", theirs},
                        {"speedup_vs_peer", theirs / ours}};
    if (extra.is_object()) line.update(extra);
    std::cout << line.dump() << std::endl;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::cerr << "usage: bench_clustering NODE_PEERS_DIR [ward|kmeans|treemap|all]\n";
        return 2;
    }
    configureRuntime();
    const std::string peers = argv[1];
    const std::string which = argc > 2 ? argv[2] : "all";
    const fs::path dir = fs::temp_directory_path() / "unitscope-bench-clustering";
    fs::create_directories(dir);
    try {
        if (!fs::exists(dir / "tree.json")) runPeer(python("data '" + dir.string() + "'"));
        const auto x = loadX(dir / "X.npy");
        if (which == "ward" || which == "all") {
            const auto peer = runPeer(python("ward '" + (dir / "X.npy").string() + "'"));
            const auto start = Clock::now();
            exactLinkage(x, LinkageMethod::Ward, {});
            report("ward 10000x512 (target: >= 3x scipy)", since(start), peer.at("seconds"));
        }
        if (which == "kmeans" || which == "all") {
            const auto peer = runPeer(python("kmeans '" + (dir / "X.npy").string() + "' 20 10"));
            KMeansOptions options;
            options.k = 20;
            options.restarts = 10;
            const auto start = Clock::now();
            const auto result = kmeans(x, options, {});
            report(
                "kmeans 10000x512 k=20 10 restarts (target: >= 1x sklearn)", since(start),
                peer.at("seconds"),
                {{"unitscope_inertia", result.inertia}, {"sklearn_inertia", peer.at("inertia")}});
        }
        if (which == "treemap" || which == "all") {
            const auto peer = runPeer("node '" UNITSCOPE_FIXTURE_DIR "/treemap_d3.mjs' '" + peers +
                                      "' '" + (dir / "tree.json").string() + "' 1920 1080 3 bench");
            NpyHeader header;
            Linkage linkage;
            linkage.rows = readNpyAsDouble(dir / "tree.npy", &header);
            linkage.leaves = header.shape[0] + 1;
            const auto start = Clock::now();
            const auto cells = layoutTreemap(linkage, {}, 1920, 1080, TreemapTiling::Squarify, 3);
            const double theirs =
                (peer.at("build_ms").get<double>() + peer.at("layout_ms").get<double>()) / 1000;
            report("treemap squarify 100k leaves, depth 3 (target: >= 5x d3 build+layout)",
                   since(start), theirs, {{"cells", cells.size()}});
        }
    } catch (const std::exception& error) {
        std::cerr << "bench_clustering: " << error.what() << "\n";
        return 1;
    }
    return 0;
}
