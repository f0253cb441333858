#pragma once
// The treemap's claims against shuffled labels. A cell says "majority Sandal, 80%": is that
// more than a cell of the same size drawn at random from the items would show?
//   purity: a permutation test. The labels are shuffled across the items (every class keeps
//     its count) and each node's purity, the share of its largest class whatever that class
//     is, recomputed; p = (1 + shufflings at least as pure) / (1 + shufflings).
//   majority: the exact null of the named class's count in the node under the same
//     shuffling, the hypergeometric upper tail (as SciPy's hypergeom.sf(k - 1, N, K, n)).
//     It asks about that class, chosen after looking, so it is the sharper and the more
//     optimistic of the two; purity's p accounts for the choice.
// Both are Benjamini-Hochberg adjusted across the tree's nodes.

#include <cstdint>
#include <vector>

#include "analysis/clustering/cluster_tree.h"
#include "analysis/core/job_context.h"

namespace us::analysis {

struct ClusterLabelNullSettings {
    int permutations = 1000;
    std::uint64_t seed = 0;
    // Shufflings cost (items + nodes x classes) each; beyond this many count updates the
    // number of shufflings is lowered to fit (never below minimumPermutations) and the
    // number used is reported in ClusterLabelNulls::permutations.
    double workBudget = 4e9;
    int minimumPermutations = 99;
};

// labels: one per item of the tree (the labels the tree was built with). Throws
// std::invalid_argument when the count or a label does not fit the tree.
ClusterLabelNulls clusterLabelNulls(const ClusterTree& tree,
                                    const std::vector<std::int32_t>& labels,
                                    const ClusterLabelNullSettings& settings = {},
                                    const JobContext& context = {});

}  // namespace us::analysis
