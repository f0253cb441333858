#include "analysis/clustering/cluster_label_nulls.h"

#include <algorithm>
#include <random>
#include <stdexcept>
#include <string>

#include "analysis/statistics/hypergeometric.h"
#include "analysis/statistics/multiple_testing.h"

namespace us::analysis {

ClusterLabelNulls clusterLabelNulls(const ClusterTree& tree,
                                    const std::vector<std::int32_t>& labels,
                                    const ClusterLabelNullSettings& settings,
                                    const JobContext& context) {
    if (std::int64_t(labels.size()) != tree.items)
        throw std::invalid_argument(std::to_string(labels.size()) + " labels for " +
                                    std::to_string(tree.items) + " clustered items");
    if (settings.permutations < 1) throw std::invalid_argument("at least one permutation");
    const std::int64_t nodes = tree.nodeCount(), leaves = tree.linkage.leaves;
    const std::size_t classes = tree.classCounts.empty() ? 0 : tree.classCounts[0].size();
    for (auto label : labels)
        if (label < 0 || std::size_t(label) >= classes)
            throw std::invalid_argument("label " + std::to_string(label) +
                                        " is not one of the tree's classes");

    // Observed: each node's largest class count (purity times its size).
    std::vector<std::int32_t> observed(static_cast<std::size_t>(nodes), 0);
    for (std::int64_t id = 0; id < nodes; ++id) {
        const auto& counts = tree.classCounts[std::size_t(id)];
        observed[std::size_t(id)] = *std::max_element(counts.begin(), counts.end());
    }

    ClusterLabelNulls nulls;
    const double work = double(tree.items) + double(nodes) * double(classes);
    nulls.permutations = std::max(
        settings.minimumPermutations,
        int(std::min(double(settings.permutations), std::floor(settings.workBudget / work))));
    nulls.permutations = std::min(nulls.permutations, settings.permutations);

    std::mt19937_64 random(settings.seed);
    std::vector<std::int32_t> shuffled = labels;
    std::vector<std::int32_t> counts(std::size_t(nodes) * classes);
    std::vector<long> exceed(static_cast<std::size_t>(nodes), 0);
    for (int permutation = 0; permutation < nulls.permutations; ++permutation) {
        context.checkCancelled();
        if (permutation % 16 == 0)
            context.report(double(permutation) / nulls.permutations, "shuffling labels");
        std::shuffle(shuffled.begin(), shuffled.end(), random);
        std::fill(counts.begin(), counts.begin() + std::ptrdiff_t(std::size_t(leaves) * classes),
                  0);
        for (std::int64_t item = 0; item < tree.items; ++item)
            ++counts[std::size_t(tree.leafOfItem[std::size_t(item)]) * classes +
                     std::size_t(shuffled[std::size_t(item)])];
        for (std::int64_t id = 0; id < nodes; ++id) {
            std::int32_t* row = counts.data() + std::size_t(id) * classes;
            if (id >= leaves) {
                const std::int32_t* a = counts.data() + std::size_t(tree.left(id)) * classes;
                const std::int32_t* b = counts.data() + std::size_t(tree.right(id)) * classes;
                for (std::size_t c = 0; c < classes; ++c)
                    row[c] = a[c] + b[c];
            }
            exceed[std::size_t(id)] +=
                *std::max_element(row, row + classes) >= observed[std::size_t(id)];
        }
    }

    const auto& totals = tree.classCounts[std::size_t(tree.root())];
    nulls.purityP.resize(std::size_t(nodes));
    nulls.majorityP.resize(std::size_t(nodes));
    for (std::int64_t id = 0; id < nodes; ++id) {
        const auto s = std::size_t(id);
        nulls.purityP[s] = permutationP(exceed[s], nulls.permutations);
        nulls.majorityP[s] = tree.majority[s] < 0
                                 ? 1.0
                                 : hypergeometricUpperTail(observed[s], tree.items,
                                                           totals[std::size_t(tree.majority[s])],
                                                           std::int64_t(tree.size[s]));
    }
    nulls.purityQ = benjaminiHochberg(nulls.purityP);
    nulls.majorityQ = benjaminiHochberg(nulls.majorityP);
    context.report(1.0, "shuffling labels");
    return nulls;
}

}  // namespace us::analysis
