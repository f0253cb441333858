#pragma once
// Treemap layouts of a clustering hierarchy (a SciPy-layout linkage): cell areas are
// proportional to member counts.
//  - slice-dice: the binary dendrogram itself, split along x at even depths and along y at odd
//    depths (DendroMap's layout, d3's treemapSliceDice);
//  - squarify: the dendrogram cut every `depth` levels into an n-ary tree (a node's children
//    are its descendants `depth` merges down), children largest first, laid out with d3's
//    squarified algorithm (golden-ratio target aspect).

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "analysis/clustering/linkage.h"

namespace us::analysis {

enum class TreemapTiling { SliceDice, Squarify };
TreemapTiling parseTreemapTiling(const std::string& name);  // "slice-dice" | "squarify"

struct TreemapCell {
    std::int64_t id = 0;       // SciPy cluster id: leaves 0..n-1, merge row i is n + i
    std::int64_t parent = -1;  // -1 for the root
    double x = 0, y = 0, w = 0, h = 0;
    double size = 0;  // members (leaf weights summed)
    int depth = 0;    // in the laid-out tree
};

// leafSizes: empty (every leaf counts 1) or one weight per leaf (two-stage linkages).
// Cells come parents before children. root: the node to lay out (-1: the whole tree);
// maxLevels: how many levels below it to lay out (a zoomed, depth-limited view).
std::vector<TreemapCell> layoutTreemap(const Linkage& linkage, const std::vector<double>& leafSizes,
                                       double width, double height, TreemapTiling tiling,
                                       int depth = 1, std::int64_t root = -1,
                                       int maxLevels = std::numeric_limits<int>::max());

}  // namespace us::analysis
