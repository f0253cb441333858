#pragma once
// k-means with k-means++ seeding and several restarts; distances through BLAS.

#include <cstdint>
#include <vector>

#include "analysis/core/float_array.h"
#include "analysis/core/job_context.h"

namespace us::analysis {

struct KMeansOptions {
    std::int64_t k = 8;
    int restarts = 10;  // independent k-means++ starts; the lowest inertia wins
    int maxIterations = 300;
    double tolerance = 1e-4;  // relative to the mean per-feature variance, as scikit-learn
    std::uint64_t seed = 0;
};

struct KMeansResult {
    std::vector<std::int32_t> labels;  // [n]
    FloatArray centroids;              // [k, d]
    double inertia = 0;                // sum of squared distances to the assigned centroid
    int iterations = 0;                // of the winning restart
};

// Rows of x [n, d] are the items. Throws std::invalid_argument for k outside 1..n or
// non-finite data.
KMeansResult kmeans(const FloatArray& x, const KMeansOptions& options, const JobContext& context);

}  // namespace us::analysis
