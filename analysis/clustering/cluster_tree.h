#pragma once
// A clustering hierarchy with what the treemap shows per node: member count, majority class
// and purity, model accuracy, and the members closest to the node's centroid.

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "analysis/clustering/linkage.h"
#include "analysis/core/float_array.h"

namespace us::analysis {

// Per node: is its purity, or its majority class, more than shuffled labels give? Empty
// without labels (see cluster_label_nulls.h).
struct ClusterLabelNulls {
    int permutations = 0;                    // label shufflings behind purityP
    std::vector<double> purityP;             // purity at least as high after shuffling the labels
    std::vector<double> majorityP;           // exact: as many of the majority class, shuffled
    std::vector<double> purityQ, majorityQ;  // Benjamini-Hochberg across the tree's nodes
    bool empty() const { return purityP.empty(); }
};

struct ClusterTree {
    Linkage linkage;
    std::int64_t items = 0;                // rows of the clustered matrix
    std::vector<std::int32_t> leafOfItem;  // item -> leaf id
    std::vector<double> leafSizes;         // items per leaf
    std::vector<std::string> classNames;
    // Per node id (leaves 0..n-1, merges n..2n-2):
    std::vector<double> size;
    std::vector<std::int32_t> majority;  // -1 without labels
    std::vector<float> purity;           // share of the majority class; NaN without labels
    std::vector<float> accuracy;         // share predicted correctly; NaN without predictions
    std::vector<std::array<std::int64_t, 3>> representatives;  // items, -1 for none
    std::vector<std::vector<std::int32_t>> classCounts;        // per node, per class
    ClusterLabelNulls labelNulls;
    // Leaves in depth-first order; every node covers a contiguous range of it.
    std::vector<std::int64_t> leafOrder;
    std::vector<std::pair<std::int64_t, std::int64_t>> leafRange;  // [begin, end) per node
    std::vector<std::vector<std::int64_t>> itemsOfLeaf;

    std::int64_t root() const { return 2 * linkage.leaves - 2; }
    std::int64_t nodeCount() const { return 2 * linkage.leaves - 1; }
    bool isLeaf(std::int64_t id) const { return id < linkage.leaves; }
    std::int64_t left(std::int64_t id) const {
        return std::int64_t(linkage.at(id - linkage.leaves, 0));
    }
    std::int64_t right(std::int64_t id) const {
        return std::int64_t(linkage.at(id - linkage.leaves, 1));
    }
    // Items under a node, in leaf order.
    std::vector<std::int64_t> members(std::int64_t id) const;
    // Mean of per-item values for every node (e.g. one unit's activation).
    std::vector<float> nodeMeans(const std::vector<float>& itemValues) const;
};

// labels / predictions: empty or one per item. x: the clustered rows (for centroids).
ClusterTree buildClusterTree(Linkage linkage, const FloatArray& x,
                             const std::vector<std::int32_t>& labels,
                             const std::vector<std::int32_t>& predictions,
                             std::vector<std::string> classNames);

}  // namespace us::analysis
