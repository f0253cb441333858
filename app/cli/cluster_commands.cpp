// unitscope-cli cluster / treemap / cluster-nulls: the clustering core on .npy files and
// activation stores.
#include <nlohmann/json.hpp>

#include <chrono>
#include <fstream>
#include <iostream>

#include "analysis/clustering/cluster_label_nulls.h"
#include "analysis/clustering/cluster_tree.h"
#include "analysis/clustering/item_matrix.h"
#include "analysis/clustering/kmeans.h"
#include "analysis/clustering/linkage.h"
#include "analysis/clustering/nmf.h"
#include "analysis/clustering/treemap_layout.h"
#include "analysis/core/atomic_file.h"
#include "analysis/core/npy.h"
#include "analysis/core/text_parsing.h"
#include "analysis/models/activation_store.h"
#include "app/cli/cli_args.h"
#include "app/cli/cli_commands.h"
#include "app/cli/job_progress.h"

namespace us::cli {
namespace fs = std::filesystem;
using nlohmann::ordered_json;

namespace {

double secondsSince(std::chrono::steady_clock::time_point start) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// "linkage.npy" -> "linkage.assignments.npy"
fs::path besides(const fs::path& out, const std::string& suffix) {
    fs::path p = out;
    p.replace_extension();
    p += suffix;
    return p;
}

std::optional<analysis::FloatArray> readOptionalMatrix(const CliArgs& options,
                                                       const std::string& name) {
    const auto path = options.value(name);
    if (!path) return std::nullopt;
    analysis::NpyHeader header;
    const auto values = analysis::readNpyAsDouble(*path, &header);
    return analysis::FloatArray{header.shape, std::vector<float>(values.begin(), values.end())};
}

// Item labels and class names from a store's stimuli or an integer .npy (names: a text file
// with one per line, or "class c").
std::pair<std::vector<std::int32_t>, std::vector<std::string>> readItemLabels(
    const fs::path& path, const std::optional<std::string>& namesPath) {
    std::vector<std::int32_t> labels;
    std::vector<std::string> names;
    if (path.extension() == ".npy") {
        analysis::NpyHeader header;
        for (double v : analysis::readNpyAsDouble(path, &header)) {
            if (v != std::floor(v) || v < 0 || v > 1e6)
                throw std::invalid_argument("labels in '" + path.string() +
                                            "' must be class indices 0, 1, ...");
            labels.push_back(std::int32_t(v));
        }
        if (header.shape.size() != 1)
            throw std::invalid_argument("labels in '" + path.string() + "' must be 1-D");
    } else {
        const auto store = analysis::ActivationStore::open(path);
        labels = store.stimuli().labels;
        names = store.stimuli().labelNames;
        if (labels.empty())
            throw std::invalid_argument("the store '" + path.string() + "' has no stimulus labels");
    }
    if (namesPath) names = analysis::readNonEmptyLines(*namesPath);
    return {std::move(labels), std::move(names)};
}

}  // namespace

int cluster(const std::vector<std::string>& args) {
    if (wantsHelp(args)) {
        std::cout
            << "usage: unitscope-cli cluster --input X.npy|acts.h5[:layer] --method M --out PATH\n"
               "         [--items stimuli|units] [--pooling mean|max] [--k K] [--seed S]\n"
               "         [--restarts R] [--iterations N] [--centroids C] [--approximate]\n"
               "         [--init-w W.npy --init-h H.npy]\n\n"
               "Rows of X are the items (a store's layer: stimuli; --items units transposes).\n"
               "  ward|average|complete|single  SciPy linkage matrix ((n-1) x 4 float64) to\n"
               "      --out. Above 20,000 items (or with --approximate) Ward runs on k-means\n"
               "      centroids (--centroids, default 2000) weighted by size; then OUT's\n"
               "      .assignments.npy (item -> leaf) and .leaf_sizes.npy are written too.\n"
               "  kmeans --k K   labels (int32) to --out; JSON with the inertia.\n"
               "  nmf|seminmf --k K   writes OUT.W.npy and OUT.H.npy (X ~= W H); JSON with the\n"
               "      relative reconstruction error |X - WH| / |X|.\n";
        return 0;
    }
    return guarded("cluster", [&] {
        const CliArgs options(args,
                              {"input", "method", "out", "items", "pooling", "k", "seed",
                               "restarts", "iterations", "centroids", "init-w", "init-h"},
                              {"approximate"});
        if (!options.positionals().empty())
            throw UsageError("unexpected argument '" + options.positionals()[0] + "'");
        const std::string method = options.required("method");
        const fs::path out = options.required("out");
        const auto items = analysis::parseItemKind(options.value("items").value_or("stimuli"));
        const std::string poolingName = options.value("pooling").value_or("mean");
        if (poolingName != "mean" && poolingName != "max")
            throw UsageError("--pooling must be mean or max");
        const auto pooling =
            poolingName == "max" ? analysis::Pooling::Max : analysis::Pooling::Mean;
        const auto seed = std::uint64_t(options.integer("seed", 0, 0, 1LL << 40));
        const bool isLinkage =
            method == "ward" || method == "average" || method == "complete" || method == "single";
        if (!isLinkage && method != "kmeans" && method != "nmf" && method != "seminmf")
            throw UsageError("unknown --method '" + method +
                             "' (ward, average, complete, single, kmeans, nmf, seminmf)");
        const auto x = analysis::loadItemMatrix(options.required("input"), items, pooling);
        CommandLineJob job;
        const auto start = std::chrono::steady_clock::now();
        ordered_json report{{"method", method}, {"items", x.shape[0]}, {"features", x.shape[1]}};
        if (isLinkage) {
            const bool approximate =
                options.has("approximate") || x.shape[0] > analysis::kMaxExactLinkageItems;
            if (approximate && method != "ward")
                throw std::invalid_argument(
                    "more than 20,000 items: only --method ward has the approximate two-stage "
                    "mode; cluster a subset, or use kmeans");
            const auto linkage =
                approximate
                    ? analysis::twoStageWard(x, options.integer("centroids", 2000, 2, 100000), seed,
                                             job.context())
                    : analysis::exactLinkage(x, analysis::parseLinkageMethod(method),
                                             job.context());
            analysis::writeNpy(out, std::span<const double>(linkage.rows), {linkage.leaves - 1, 4});
            report["approximate"] = linkage.approximate;
            report["leaves"] = linkage.leaves;
            if (linkage.approximate) {
                std::vector<double> sizes(std::size_t(linkage.leaves), 0.0);
                for (auto leaf : linkage.leafOfItem)
                    sizes[std::size_t(leaf)] += 1;
                analysis::writeNpy(besides(out, ".assignments.npy"),
                                   std::span<const std::int32_t>(linkage.leafOfItem),
                                   {std::int64_t(linkage.leafOfItem.size())});
                analysis::writeNpy(besides(out, ".leaf_sizes.npy"), std::span<const double>(sizes),
                                   {linkage.leaves});
            }
        } else if (method == "kmeans") {
            analysis::KMeansOptions kmeans;
            kmeans.k = options.integer("k", 8, 1, 1 << 20);
            kmeans.restarts = int(options.integer("restarts", 10, 1, 1000));
            kmeans.maxIterations = int(options.integer("iterations", 300, 1, 100000));
            kmeans.seed = seed;
            const auto result = analysis::kmeans(x, kmeans, job.context());
            analysis::writeNpy(out, std::span<const std::int32_t>(result.labels),
                               {std::int64_t(result.labels.size())});
            report["k"] = kmeans.k;
            report["inertia"] = result.inertia;
            report["iterations"] = result.iterations;
        } else {
            analysis::FactorisationOptions factorisation;
            factorisation.k = options.integer("k", 8, 1, 1 << 16);
            factorisation.iterations = int(options.integer("iterations", 200, 1, 100000));
            factorisation.seed = seed;
            factorisation.initialW = readOptionalMatrix(options, "init-w");
            factorisation.initialH = readOptionalMatrix(options, "init-h");
            if (factorisation.initialW.has_value() != factorisation.initialH.has_value())
                throw UsageError("--init-w and --init-h go together");
            const auto result = method == "nmf"
                                    ? analysis::nmf(x, factorisation, job.context())
                                    : analysis::semiNmf(x, factorisation, job.context());
            fs::path prefix = out;
            analysis::writeNpy(prefix.string() + ".W.npy", std::span<const float>(result.w.values),
                               result.w.shape);
            analysis::writeNpy(prefix.string() + ".H.npy", std::span<const float>(result.h.values),
                               result.h.shape);
            report["k"] = factorisation.k;
            report["relative_error"] = result.relativeError;
            report["iterations"] = result.iterations;
        }
        report["seconds"] = secondsSince(start);
        std::cout << report.dump(2) << "\n";
        return 0;
    });
}

int treemap(const std::vector<std::string>& args) {
    if (wantsHelp(args)) {
        std::cout << "usage: unitscope-cli treemap --linkage linkage.npy --width W --height H\n"
                     "         [--layout slice-dice|squarify] [--depth D] [--leaf-sizes S.npy]\n"
                     "         --out rects.json\n\n"
                     "Lays out a SciPy linkage as a treemap; writes one rectangle per node:\n"
                     "{id, parent, x, y, w, h, size} (ids as SciPy's; the root's parent is -1).\n"
                     "squarify cuts the dendrogram every D levels (default 1).\n";
        return 0;
    }
    return guarded("treemap", [&] {
        const CliArgs options(
            args, {"linkage", "width", "height", "layout", "depth", "leaf-sizes", "out"});
        if (!options.positionals().empty())
            throw UsageError("unexpected argument '" + options.positionals()[0] + "'");
        analysis::NpyHeader header;
        const auto rows = analysis::readNpyAsDouble(options.required("linkage"), &header);
        if (header.shape.size() != 2 || header.shape[1] != 4 || header.shape[0] < 1)
            throw std::invalid_argument("the linkage must be an (n-1) x 4 array");
        analysis::Linkage linkage;
        linkage.leaves = header.shape[0] + 1;
        linkage.rows = rows;
        std::vector<double> leafSizes;
        if (const auto path = options.value("leaf-sizes"))
            leafSizes = analysis::readNpyAsDouble(*path);
        const auto cells = analysis::layoutTreemap(
            linkage, leafSizes, double(options.integer("width", 0, 1, 1 << 20)),
            double(options.integer("height", 0, 1, 1 << 20)),
            analysis::parseTreemapTiling(options.value("layout").value_or("slice-dice")),
            int(options.integer("depth", 1, 1, 16)));
        ordered_json rects = ordered_json::array();
        for (const auto& c : cells)
            rects.push_back({{"id", c.id},
                             {"parent", c.parent},
                             {"x", c.x},
                             {"y", c.y},
                             {"w", c.w},
                             {"h", c.h},
                             {"size", c.size}});
        const fs::path out = options.required("out");
        analysis::AtomicFile file(out);
        {
            std::ofstream stream(file.tempPath());
            stream << rects.dump() << "\n";
            if (!stream) throw std::runtime_error("cannot write '" + out.string() + "'");
        }
        file.commit();
        std::cout << ordered_json{{"out", out.string()}, {"cells", cells.size()}}.dump(2) << "\n";
        return 0;
    });
}

int clusterNulls(const std::vector<std::string>& args) {
    if (wantsHelp(args)) {
        std::cout
            << "usage: unitscope-cli cluster-nulls --linkage linkage.npy\n"
               "         --labels labels.npy|acts.h5 [--names N.txt] [--assignments A.npy]\n"
               "         [--permutations 1000] [--seed S] --out nulls.json\n\n"
               "Every node of a clustering (a SciPy linkage; --assignments: item -> leaf, as\n"
               "cluster writes in two-stage mode) against shuffled labels, as the treemap's\n"
               "hover card shows it: its majority class and purity; p_purity, the share of\n"
               "label shufflings (each class keeps its count) whose purity is at least as\n"
               "high, (1 + hits) / (1 + permutations); p_majority, the exact (hypergeometric)\n"
               "chance of at least as many of the majority class; q_*, Benjamini-Hochberg\n"
               "adjusted over the nodes. Labels: an integer .npy, one per item, or a store's\n"
               "stimulus labels. Writes {\"permutations\", \"classes\", \"nodes\": [{\"id\",\n"
               "\"size\", \"majority\", \"purity\", \"p_purity\", \"q_purity\", \"p_majority\",\n"
               "\"q_majority\"}]} with SciPy's node ids.\n";
        return 0;
    }
    return guarded("cluster-nulls", [&] {
        const CliArgs options(
            args, {"linkage", "labels", "names", "assignments", "permutations", "seed", "out"});
        if (!options.positionals().empty())
            throw UsageError("unexpected argument '" + options.positionals()[0] + "'");
        const fs::path out = options.required("out");
        analysis::ClusterLabelNullSettings settings;
        settings.permutations = int(options.integer("permutations", 1000, 1, 1000000));
        settings.seed = std::uint64_t(options.integer("seed", 0, 0, 1LL << 40));
        analysis::NpyHeader header;
        analysis::Linkage linkage;
        linkage.rows = analysis::readNpyAsDouble(options.required("linkage"), &header);
        if (header.shape.size() != 2 || header.shape[1] != 4 || header.shape[0] < 1)
            throw std::invalid_argument("the linkage must be an (n-1) x 4 array");
        linkage.leaves = header.shape[0] + 1;
        if (const auto path = options.value("assignments"))
            for (double leaf : analysis::readNpyAsDouble(*path))
                linkage.leafOfItem.push_back(std::int32_t(std::clamp(leaf, -1.0, 2e9)));
        analysis::checkLinkage(linkage);
        const auto [labels, names] =
            readItemLabels(options.required("labels"), options.value("names"));
        const auto items =
            linkage.leafOfItem.empty() ? linkage.leaves : std::int64_t(linkage.leafOfItem.size());
        if (std::int64_t(labels.size()) != items)
            throw std::invalid_argument(std::to_string(labels.size()) + " labels for " +
                                        std::to_string(items) + " clustered items");
        // The tree needs no features here: representatives are not reported.
        const analysis::FloatArray noFeatures{{items, 0}, {}};
        const auto tree =
            analysis::buildClusterTree(std::move(linkage), noFeatures, labels, {}, names);
        CommandLineJob job;
        const auto nulls = analysis::clusterLabelNulls(tree, labels, settings, job.context());
        ordered_json nodes = ordered_json::array();
        for (std::int64_t id = 0; id < tree.nodeCount(); ++id) {
            const auto s = std::size_t(id);
            nodes.push_back({{"id", id},
                             {"size", tree.size[s]},
                             {"majority", tree.classNames[std::size_t(tree.majority[s])]},
                             {"purity", tree.purity[s]},
                             {"p_purity", nulls.purityP[s]},
                             {"q_purity", nulls.purityQ[s]},
                             {"p_majority", nulls.majorityP[s]},
                             {"q_majority", nulls.majorityQ[s]}});
        }
        analysis::writeTextAtomically(out, ordered_json{{"permutations", nulls.permutations},
                                                        {"seed", settings.seed},
                                                        {"items", items},
                                                        {"classes", tree.classNames},
                                                        {"nodes", std::move(nodes)}}
                                                   .dump() +
                                               "\n");
        std::size_t beyond = 0;
        for (std::size_t s = 0; s < nulls.purityQ.size(); ++s)
            beyond += nulls.purityQ[s] <= 0.05 && nulls.majorityQ[s] <= 0.05;
        std::cout << ordered_json{{"out", out.string()},
                                  {"nodes", tree.nodeCount()},
                                  {"permutations", nulls.permutations},
                                  {"beyond_chance", beyond}}
                         .dump(2)
                  << "\n";
        return 0;
    });
}

}  // namespace us::cli
