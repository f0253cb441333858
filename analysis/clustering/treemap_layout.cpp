#include "analysis/clustering/treemap_layout.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace us::analysis {
namespace {

struct Tree {
    std::int64_t leaves = 0;
    std::vector<std::int64_t> left, right;  // children of merge node n + i, by row i
    std::vector<double> size;               // by node id

    bool isLeaf(std::int64_t id) const { return id < leaves; }
    std::int64_t root() const { return 2 * leaves - 2; }
};

Tree buildTree(const Linkage& linkage, const std::vector<double>& leafSizes) {
    checkLinkage(linkage);
    const std::int64_t n = linkage.leaves;
    if (!leafSizes.empty() && std::int64_t(leafSizes.size()) != n)
        throw std::invalid_argument("leaf sizes must have one entry per leaf");
    Tree tree;
    tree.leaves = n;
    tree.left.resize(std::size_t(n - 1));
    tree.right.resize(std::size_t(n - 1));
    tree.size.assign(std::size_t(std::max<std::int64_t>(1, 2 * n - 1)), 1.0);
    for (std::int64_t i = 0; i < n; ++i)
        if (!leafSizes.empty()) tree.size[std::size_t(i)] = leafSizes[std::size_t(i)];
    for (std::int64_t row = 0; row < n - 1; ++row) {
        const auto a = std::int64_t(linkage.at(row, 0)), b = std::int64_t(linkage.at(row, 1));
        tree.left[std::size_t(row)] = a;
        tree.right[std::size_t(row)] = b;
        tree.size[std::size_t(n + row)] = tree.size[std::size_t(a)] + tree.size[std::size_t(b)];
    }
    return tree;
}

void sliceDice(const Tree& tree, std::int64_t id, std::int64_t parent, double x, double y, double w,
               double h, int depth, int maxLevels, std::vector<TreemapCell>& cells) {
    // Iterative to survive 100k-deep chains (single linkage makes them).
    struct Item {
        std::int64_t id, parent;
        double x, y, w, h;
        int depth;
    };
    std::vector<Item> stack{{id, parent, x, y, w, h, depth}};
    while (!stack.empty()) {
        const Item it = stack.back();
        stack.pop_back();
        cells.push_back(
            {it.id, it.parent, it.x, it.y, it.w, it.h, tree.size[std::size_t(it.id)], it.depth});
        if (tree.isLeaf(it.id) || it.depth >= maxLevels) continue;
        const auto row = std::size_t(it.id - tree.leaves);
        const std::int64_t a = tree.left[row], b = tree.right[row];
        const double total = tree.size[std::size_t(it.id)];
        const double share = total > 0 ? tree.size[std::size_t(a)] / total : 0.5;
        if (it.depth % 2 == 0) {  // dice: side by side along x
            stack.push_back(
                {b, it.id, it.x + it.w * share, it.y, it.w * (1 - share), it.h, it.depth + 1});
            stack.push_back({a, it.id, it.x, it.y, it.w * share, it.h, it.depth + 1});
        } else {  // slice: stacked along y
            stack.push_back(
                {b, it.id, it.x, it.y + it.h * share, it.w, it.h * (1 - share), it.depth + 1});
            stack.push_back({a, it.id, it.x, it.y, it.w, it.h * share, it.depth + 1});
        }
    }
}

// The descendants `depth` merges below id (or leaves reached earlier), largest first.
std::vector<std::int64_t> cutChildren(const Tree& tree, std::int64_t id, int depth) {
    std::vector<std::int64_t> frontier{id};
    for (int level = 0; level < depth; ++level) {
        std::vector<std::int64_t> next;
        for (auto node : frontier) {
            if (tree.isLeaf(node)) {
                next.push_back(node);
            } else {
                next.push_back(tree.left[std::size_t(node - tree.leaves)]);
                next.push_back(tree.right[std::size_t(node - tree.leaves)]);
            }
        }
        frontier = std::move(next);
    }
    std::stable_sort(frontier.begin(), frontier.end(), [&](std::int64_t a, std::int64_t b) {
        const double sa = tree.size[std::size_t(a)], sb = tree.size[std::size_t(b)];
        return sa > sb || (sa == sb && a < b);
    });
    return frontier;
}

// d3-hierarchy's squarifyRatio, step for step, so that layouts match d3's exactly.
void squarifyChildren(const Tree& tree, const std::vector<std::int64_t>& nodes, double value,
                      double x0, double y0, double x1, double y1, std::vector<double>& out) {
    constexpr double kRatio = 1.6180339887498949;  // (1 + sqrt 5) / 2, d3's phi
    out.assign(nodes.size() * 4, 0.0);
    const auto valueOf = [&](std::size_t i) { return tree.size[std::size_t(nodes[i])]; };
    std::size_t i0 = 0, i1 = 0;
    const std::size_t n = nodes.size();
    while (i0 < n) {
        const double dx = x1 - x0, dy = y1 - y0;
        double sumValue = 0;
        do
            sumValue = valueOf(i1++);
        while (sumValue == 0 && i1 < n);
        double minValue = sumValue, maxValue = sumValue;
        const double alpha = std::max(dy / dx, dx / dy) / (value * kRatio);
        double beta = sumValue * sumValue * alpha;
        double minRatio = std::max(maxValue / beta, beta / minValue);
        for (; i1 < n; ++i1) {
            const double nodeValue = valueOf(i1);
            sumValue += nodeValue;
            if (nodeValue < minValue) minValue = nodeValue;
            if (nodeValue > maxValue) maxValue = nodeValue;
            beta = sumValue * sumValue * alpha;
            const double newRatio = std::max(maxValue / beta, beta / minValue);
            if (newRatio > minRatio) {
                sumValue -= nodeValue;
                break;
            }
            minRatio = newRatio;
        }
        if (dx < dy) {  // dice the row across the top
            const double rowY1 = value != 0 ? y0 + dy * sumValue / value : y1;
            double x = x0;
            const double k = sumValue != 0 ? (x1 - x0) / sumValue : 0;
            for (std::size_t i = i0; i < i1; ++i) {
                out[i * 4] = x;
                out[i * 4 + 1] = y0;
                out[i * 4 + 2] = (x += valueOf(i) * k);
                out[i * 4 + 3] = rowY1;
            }
            y0 = rowY1;
        } else {  // slice the row down the left
            const double rowX1 = value != 0 ? x0 + dx * sumValue / value : x1;
            double y = y0;
            const double k = sumValue != 0 ? (y1 - y0) / sumValue : 0;
            for (std::size_t i = i0; i < i1; ++i) {
                out[i * 4] = x0;
                out[i * 4 + 1] = y;
                out[i * 4 + 2] = rowX1;
                out[i * 4 + 3] = (y += valueOf(i) * k);
            }
            x0 = rowX1;
        }
        value -= sumValue;
        i0 = i1;
    }
}

void squarify(const Tree& tree, std::int64_t root, double width, double height, int depth,
              int maxLevels, std::vector<TreemapCell>& cells) {
    cells.push_back({root, -1, 0, 0, width, height, tree.size[std::size_t(root)], 0});
    std::vector<double> boxes;
    for (std::size_t next = 0; next < cells.size(); ++next) {
        const TreemapCell cell = cells[next];
        if (tree.isLeaf(cell.id) || cell.depth >= maxLevels) continue;
        const auto children = cutChildren(tree, cell.id, depth);
        // d3 gives a degenerate (inverted) box its midpoint; sizes are positive here.
        squarifyChildren(tree, children, cell.size, cell.x, cell.y, cell.x + cell.w,
                         cell.y + cell.h, boxes);
        for (std::size_t i = 0; i < children.size(); ++i)
            cells.push_back({children[i], cell.id, boxes[i * 4], boxes[i * 4 + 1],
                             boxes[i * 4 + 2] - boxes[i * 4], boxes[i * 4 + 3] - boxes[i * 4 + 1],
                             tree.size[std::size_t(children[i])], cell.depth + 1});
    }
}

}  // namespace

TreemapTiling parseTreemapTiling(const std::string& name) {
    if (name == "slice-dice") return TreemapTiling::SliceDice;
    if (name == "squarify") return TreemapTiling::Squarify;
    throw std::invalid_argument("unknown treemap layout '" + name +
                                "' (use slice-dice or squarify)");
}

std::vector<TreemapCell> layoutTreemap(const Linkage& linkage, const std::vector<double>& leafSizes,
                                       double width, double height, TreemapTiling tiling, int depth,
                                       std::int64_t root, int maxLevels) {
    if (!(width > 0) || !(height > 0))
        throw std::invalid_argument("width and height must be positive");
    if (depth < 1 || depth > 16) throw std::invalid_argument("depth must be between 1 and 16");
    const Tree tree = buildTree(linkage, leafSizes);
    if (root < 0) root = tree.root();
    if (root > tree.root()) throw std::invalid_argument("no node " + std::to_string(root));
    std::vector<TreemapCell> cells;
    cells.reserve(std::size_t(std::min<std::int64_t>(2 * linkage.leaves, 1 << 20)));
    if (tiling == TreemapTiling::SliceDice)
        sliceDice(tree, root, -1, 0, 0, width, height, 0, maxLevels, cells);
    else
        squarify(tree, root, width, height, depth, maxLevels, cells);
    return cells;
}

}  // namespace us::analysis
