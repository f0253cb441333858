#pragma once
// Agglomerative clustering in SciPy's linkage-matrix layout: (n-1) x 4 rows of
// (cluster a, cluster b, distance, size of the new cluster), clusters numbered as SciPy does
// (leaves 0..n-1, the merge in row i is cluster n+i), rows sorted by distance.

#include <cstdint>
#include <string>
#include <vector>

#include "analysis/core/float_array.h"
#include "analysis/core/job_context.h"

namespace us::analysis {

enum class LinkageMethod { Ward, Average, Complete, Single };

// "ward", "average", "complete", "single"; throws std::invalid_argument otherwise.
LinkageMethod parseLinkageMethod(const std::string& name);

struct Linkage {
    std::int64_t leaves = 0;
    std::vector<double> rows;              // (leaves - 1) x 4, row-major
    bool approximate = false;              // two-stage mode: leaves are k-means centroids
    std::vector<std::int32_t> leafOfItem;  // two-stage mode: each item's centroid

    double at(std::int64_t row, int column) const { return rows[std::size_t(row * 4 + column)]; }
};

// Exact linkage of the rows of X [n, d] (Euclidean), via BLAS distances and the
// nearest-neighbour chain, as scipy.cluster.hierarchy.linkage computes it.
Linkage exactLinkage(const FloatArray& x, LinkageMethod method, const JobContext& context);

// Ward on k-means centroids weighted by their sizes: for more items than fit exactly.
Linkage twoStageWard(const FloatArray& x, std::int64_t centroids, std::uint64_t seed,
                     const JobContext& context);

// Items up to this count get the exact linkage by default (the condensed matrix is 1.6 GB).
inline constexpr std::int64_t kMaxExactLinkageItems = 20000;

// Nearest-neighbour chain on a condensed distance matrix (consumed); initialSizes may be
// empty (all ones). Exposed for tests and the two-stage mode.
Linkage nnChainLinkage(std::vector<double> condensed, std::int64_t n, LinkageMethod method,
                       std::vector<double> initialSizes, const JobContext& context);

// Flat clusters with at most k members from a linkage (scipy's fcluster, criterion
// "maxclust"): labels 1..k per leaf.
std::vector<std::int32_t> cutLinkage(const Linkage& linkage, std::int64_t k);

// Throws std::invalid_argument unless every merge joins two clusters that exist and are not
// merged yet, and every item's leaf (two-stage mode) is a leaf: what a linkage read from a
// file must pass before it is walked.
void checkLinkage(const Linkage& linkage);

}  // namespace us::analysis
