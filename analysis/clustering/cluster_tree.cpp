#include "analysis/clustering/cluster_tree.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace us::analysis {
namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

}  // namespace

std::vector<std::int64_t> ClusterTree::members(std::int64_t id) const {
    std::vector<std::int64_t> result;
    const auto [begin, end] = leafRange[std::size_t(id)];
    for (auto i = begin; i < end; ++i) {
        const auto& items = itemsOfLeaf[std::size_t(leafOrder[std::size_t(i)])];
        result.insert(result.end(), items.begin(), items.end());
    }
    return result;
}

std::vector<float> ClusterTree::nodeMeans(const std::vector<float>& itemValues) const {
    std::vector<double> sum(std::size_t(nodeCount()), 0.0), count(std::size_t(nodeCount()), 0.0);
    for (std::int64_t item = 0;
         item < std::min<std::int64_t>(items, std::int64_t(itemValues.size())); ++item) {
        const auto leaf = std::size_t(leafOfItem[std::size_t(item)]);
        sum[leaf] += itemValues[std::size_t(item)];
        count[leaf] += 1;
    }
    for (std::int64_t id = linkage.leaves; id < nodeCount(); ++id) {
        sum[std::size_t(id)] = sum[std::size_t(left(id))] + sum[std::size_t(right(id))];
        count[std::size_t(id)] = count[std::size_t(left(id))] + count[std::size_t(right(id))];
    }
    std::vector<float> means(static_cast<std::size_t>(nodeCount()));
    for (std::size_t i = 0; i < means.size(); ++i)
        means[i] = count[i] > 0 ? float(sum[i] / count[i]) : kNaN;
    return means;
}

ClusterTree buildClusterTree(Linkage linkage, const FloatArray& x,
                             const std::vector<std::int32_t>& labels,
                             const std::vector<std::int32_t>& predictions,
                             std::vector<std::string> classNames) {
    ClusterTree tree;
    tree.items = x.shape.at(0);
    const std::int64_t d = x.shape.at(1);
    tree.linkage = std::move(linkage);
    const std::int64_t n = tree.linkage.leaves, nodes = tree.nodeCount();
    if (tree.linkage.leafOfItem.empty()) {
        tree.leafOfItem.resize(std::size_t(tree.items));
        std::iota(tree.leafOfItem.begin(), tree.leafOfItem.end(), 0);
    } else {
        tree.leafOfItem = tree.linkage.leafOfItem;
    }
    int classes = int(classNames.size());
    for (auto label : labels)
        classes = std::max(classes, label + 1);
    for (int c = int(classNames.size()); c < classes; ++c)
        classNames.push_back("class " + std::to_string(c));
    tree.classNames = std::move(classNames);

    // Bottom-up sums: sizes, class counts, correct predictions, feature sums (centroids).
    tree.size.assign(std::size_t(nodes), 0.0);
    tree.classCounts.assign(std::size_t(nodes), std::vector<std::int32_t>(std::size_t(classes), 0));
    std::vector<double> correct(std::size_t(nodes), 0.0);
    std::vector<double> sums(std::size_t(nodes * d), 0.0);
    for (std::int64_t item = 0; item < tree.items; ++item) {
        const auto leaf = std::size_t(tree.leafOfItem[std::size_t(item)]);
        tree.size[leaf] += 1;
        if (!labels.empty()) {
            ++tree.classCounts[leaf][std::size_t(labels[std::size_t(item)])];
            if (!predictions.empty())
                correct[leaf] += predictions[std::size_t(item)] == labels[std::size_t(item)];
        }
        for (std::int64_t j = 0; j < d; ++j)
            sums[leaf * std::size_t(d) + std::size_t(j)] += x.values[std::size_t(item * d + j)];
    }
    for (std::int64_t id = n; id < nodes; ++id) {
        const auto a = std::size_t(tree.left(id)), b = std::size_t(tree.right(id)),
                   s = std::size_t(id);
        tree.size[s] = tree.size[a] + tree.size[b];
        correct[s] = correct[a] + correct[b];
        for (int c = 0; c < classes; ++c)
            tree.classCounts[s][std::size_t(c)] =
                tree.classCounts[a][std::size_t(c)] + tree.classCounts[b][std::size_t(c)];
        for (std::int64_t j = 0; j < d; ++j)
            sums[s * std::size_t(d) + std::size_t(j)] = sums[a * std::size_t(d) + std::size_t(j)] +
                                                        sums[b * std::size_t(d) + std::size_t(j)];
    }
    tree.leafSizes.assign(tree.size.begin(), tree.size.begin() + n);
    tree.majority.assign(std::size_t(nodes), -1);
    tree.purity.assign(std::size_t(nodes), kNaN);
    tree.accuracy.assign(std::size_t(nodes), kNaN);
    for (std::int64_t id = 0; id < nodes; ++id) {
        const auto s = std::size_t(id);
        if (labels.empty() || tree.size[s] == 0) continue;
        const auto& counts = tree.classCounts[s];
        const auto best = std::max_element(counts.begin(), counts.end()) - counts.begin();
        tree.majority[s] = std::int32_t(best);
        tree.purity[s] = float(counts[std::size_t(best)] / tree.size[s]);
        if (!predictions.empty()) tree.accuracy[s] = float(correct[s] / tree.size[s]);
    }

    // Representatives: the 3 members nearest the node's centroid. Exact (a scan of the
    // members) down to a depth that keeps the work near n * depth * d; deeper nodes choose
    // among their children's representatives, which is exact for balanced trees' small nodes.
    tree.representatives.assign(std::size_t(nodes), {-1, -1, -1});
    std::vector<int> depth(std::size_t(nodes), 0);
    for (std::int64_t id = nodes - 1; id >= n; --id) {
        depth[std::size_t(tree.left(id))] = depth[std::size_t(id)] + 1;
        depth[std::size_t(tree.right(id))] = depth[std::size_t(id)] + 1;
    }
    tree.itemsOfLeaf.assign(std::size_t(n), {});
    for (std::int64_t item = 0; item < tree.items; ++item)
        tree.itemsOfLeaf[std::size_t(tree.leafOfItem[std::size_t(item)])].push_back(item);
    // Depth-first leaf order (iterative: single linkage makes 100k-deep chains).
    tree.leafRange.assign(std::size_t(nodes), {0, 0});
    std::vector<std::pair<std::int64_t, bool>> stack{{tree.root(), false}};
    while (!stack.empty()) {
        const auto [node, done] = stack.back();
        stack.pop_back();
        if (done) {
            tree.leafRange[std::size_t(node)] = {
                tree.leafRange[std::size_t(tree.left(node))].first,
                tree.leafRange[std::size_t(tree.right(node))].second};
        } else if (tree.isLeaf(node)) {
            const auto position = std::int64_t(tree.leafOrder.size());
            tree.leafOrder.push_back(node);
            tree.leafRange[std::size_t(node)] = {position, position + 1};
        } else {
            stack.push_back({node, true});
            stack.push_back({tree.right(node), false});
            stack.push_back({tree.left(node), false});
        }
    }
    const auto distanceTo = [&](std::int64_t node, std::int64_t item) {
        const double count = std::max(1.0, tree.size[std::size_t(node)]);
        double squared = 0;
        for (std::int64_t j = 0; j < d; ++j) {
            const double diff =
                x.values[std::size_t(item * d + j)] - sums[std::size_t(node * d + j)] / count;
            squared += diff * diff;
        }
        return squared;
    };
    const auto pickNearest = [&](std::int64_t node, const std::vector<std::int64_t>& candidates) {
        std::vector<std::pair<double, std::int64_t>> scored;
        for (auto item : candidates)
            scored.emplace_back(distanceTo(node, item), item);
        const auto keep = std::min<std::size_t>(3, scored.size());
        std::partial_sort(scored.begin(), scored.begin() + std::ptrdiff_t(keep), scored.end());
        for (std::size_t i = 0; i < keep; ++i)
            tree.representatives[std::size_t(node)][i] = scored[i].second;
    };
    constexpr int kExactDepth = 16;
    for (std::int64_t id = 0; id < nodes; ++id) {  // children before parents: ids increase
        std::vector<std::int64_t> candidates;
        if (tree.isLeaf(id)) {
            candidates = tree.itemsOfLeaf[std::size_t(id)];
        } else if (depth[std::size_t(id)] <= kExactDepth) {
            candidates = tree.members(id);
        } else {
            for (auto child : {tree.left(id), tree.right(id)})
                for (auto item : tree.representatives[std::size_t(child)])
                    if (item >= 0) candidates.push_back(item);
        }
        pickNearest(id, candidates);
    }
    return tree;
}

}  // namespace us::analysis
