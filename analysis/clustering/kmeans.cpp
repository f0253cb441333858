#include "analysis/clustering/kmeans.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <stdexcept>

#include "analysis/core/blas.h"

namespace us::analysis {
namespace {

struct Data {
    std::int64_t n, d;
    const float* x;
    std::vector<float> squaredNorms;
};

// For each row: the nearest centroid and its squared distance, from |x|^2 - 2 x.c + |c|^2 with
// the products in one sgemm per block of rows.
double assign(const Data& data, const std::vector<float>& centroids, std::int64_t k,
              std::vector<std::int32_t>& labels, std::vector<float>* distances = nullptr) {
    std::vector<float> centroidNorms(static_cast<std::size_t>(k));
    for (std::int64_t c = 0; c < k; ++c) {
        double s = 0;
        for (std::int64_t j = 0; j < data.d; ++j)
            s += double(centroids[std::size_t(c * data.d + j)]) *
                 centroids[std::size_t(c * data.d + j)];
        centroidNorms[std::size_t(c)] = float(s);
    }
    constexpr std::int64_t kBlock = 4096;
    std::vector<float> products(static_cast<std::size_t>(std::min(kBlock, data.n) * k));
    double inertia = 0;
    for (std::int64_t first = 0; first < data.n; first += kBlock) {
        const std::int64_t rows = std::min(kBlock, data.n - first);
        gemmNT(rows, k, data.d, -2.0f, data.x + first * data.d, data.d, centroids.data(), data.d,
               0.0f, products.data(), k);
        for (std::int64_t r = 0; r < rows; ++r) {
            const float* row = products.data() + r * k;
            std::int32_t best = 0;
            float bestValue = std::numeric_limits<float>::infinity();
            for (std::int64_t c = 0; c < k; ++c) {
                const float value = row[c] + centroidNorms[std::size_t(c)];
                if (value < bestValue) {
                    bestValue = value;
                    best = std::int32_t(c);
                }
            }
            const float squared =
                std::max(0.0f, bestValue + data.squaredNorms[std::size_t(first + r)]);
            labels[std::size_t(first + r)] = best;
            if (distances) (*distances)[std::size_t(first + r)] = squared;
            inertia += squared;
        }
    }
    return inertia;
}

// Greedy k-means++ (as scikit-learn): each new centre is the best of 2 + log(k) candidates
// drawn with probability proportional to the squared distance to the nearest centre so far.
std::vector<float> seedPlusPlus(const Data& data, std::int64_t k, std::mt19937_64& rng) {
    std::vector<float> centres(static_cast<std::size_t>(k * data.d));
    std::uniform_int_distribution<std::int64_t> pick(0, data.n - 1);
    const auto copyRow = [&](std::int64_t row, std::int64_t slot) {
        std::copy_n(data.x + row * data.d, data.d, centres.begin() + slot * data.d);
    };
    copyRow(pick(rng), 0);
    std::vector<float> closest(static_cast<std::size_t>(data.n));
    std::vector<std::int32_t> unused(static_cast<std::size_t>(data.n));
    assign(data, std::vector<float>(centres.begin(), centres.begin() + data.d), 1, unused,
           &closest);
    const int trials = 2 + int(std::log(double(k)));
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    std::vector<float> candidateDistances(static_cast<std::size_t>(data.n));
    std::vector<float> best(static_cast<std::size_t>(data.n));
    for (std::int64_t c = 1; c < k; ++c) {
        std::vector<double> cumulative(static_cast<std::size_t>(data.n));
        double total = 0;
        for (std::int64_t i = 0; i < data.n; ++i)
            cumulative[std::size_t(i)] = total += closest[std::size_t(i)];
        double bestPotential = std::numeric_limits<double>::infinity();
        std::int64_t bestCandidate = 0;
        for (int t = 0; t < trials; ++t) {
            const double target = uniform(rng) * total;
            std::int64_t candidate =
                std::lower_bound(cumulative.begin(), cumulative.end(), target) - cumulative.begin();
            candidate = std::min(candidate, data.n - 1);
            const std::vector<float> centre(data.x + candidate * data.d,
                                            data.x + (candidate + 1) * data.d);
            assign(data, centre, 1, unused, &candidateDistances);
            double potential = 0;
            for (std::int64_t i = 0; i < data.n; ++i)
                potential += std::min(closest[std::size_t(i)], candidateDistances[std::size_t(i)]);
            if (potential < bestPotential) {
                bestPotential = potential;
                bestCandidate = candidate;
                for (std::int64_t i = 0; i < data.n; ++i)
                    best[std::size_t(i)] =
                        std::min(closest[std::size_t(i)], candidateDistances[std::size_t(i)]);
            }
        }
        copyRow(bestCandidate, c);
        closest = best;
    }
    return centres;
}

}  // namespace

KMeansResult kmeans(const FloatArray& x, const KMeansOptions& options, const JobContext& context) {
    if (x.shape.size() != 2) throw std::invalid_argument("k-means needs a 2-D array of items");
    const std::int64_t n = x.shape[0], d = x.shape[1], k = options.k;
    if (k < 1 || k > n)
        throw std::invalid_argument("k must be between 1 and the number of items (" +
                                    std::to_string(n) + ")");
    Data data{n, d, x.values.data(), std::vector<float>(std::size_t(n))};
    std::vector<double> mean(std::size_t(d), 0.0), meanSquare(std::size_t(d), 0.0);
    for (std::int64_t i = 0; i < n; ++i) {
        double s = 0;
        for (std::int64_t j = 0; j < d; ++j) {
            const double v = x.values[std::size_t(i * d + j)];
            if (!std::isfinite(v)) throw std::invalid_argument("the data contain NaN or infinity");
            s += v * v;
            mean[std::size_t(j)] += v;
            meanSquare[std::size_t(j)] += v * v;
        }
        data.squaredNorms[std::size_t(i)] = float(s);
    }
    double variance = 0;
    for (std::int64_t j = 0; j < d; ++j) {
        const double m = mean[std::size_t(j)] / double(n);
        variance += meanSquare[std::size_t(j)] / double(n) - m * m;
    }
    const double tolerance = options.tolerance * variance / double(d);

    std::mt19937_64 rng(options.seed);
    KMeansResult best;
    best.inertia = std::numeric_limits<double>::infinity();
    std::vector<std::int32_t> labels(static_cast<std::size_t>(n));
    const int restarts = std::max(1, options.restarts);
    for (int restart = 0; restart < restarts; ++restart) {
        context.checkCancelled();
        std::vector<float> centres = seedPlusPlus(data, k, rng);
        int iteration = 0;
        for (; iteration < options.maxIterations; ++iteration) {
            context.checkCancelled();
            assign(data, centres, k, labels);
            std::vector<double> sums(std::size_t(k * d), 0.0);
            std::vector<std::int64_t> counts(std::size_t(k), 0);
            for (std::int64_t i = 0; i < n; ++i) {
                const auto c = labels[std::size_t(i)];
                ++counts[std::size_t(c)];
                for (std::int64_t j = 0; j < d; ++j)
                    sums[std::size_t(c * d + j)] += x.values[std::size_t(i * d + j)];
            }
            double shift = 0;
            for (std::int64_t c = 0; c < k; ++c) {
                if (counts[std::size_t(c)] == 0) continue;  // an empty cluster keeps its centre
                for (std::int64_t j = 0; j < d; ++j) {
                    const float updated =
                        float(sums[std::size_t(c * d + j)] / double(counts[std::size_t(c)]));
                    const double delta = double(updated) - centres[std::size_t(c * d + j)];
                    shift += delta * delta;
                    centres[std::size_t(c * d + j)] = updated;
                }
            }
            if (shift <= tolerance) {
                ++iteration;
                break;
            }
        }
        // Final assignment and exact inertia in double precision.
        assign(data, centres, k, labels);
        double inertia = 0;
        for (std::int64_t i = 0; i < n; ++i) {
            const auto c = labels[std::size_t(i)];
            for (std::int64_t j = 0; j < d; ++j) {
                const double diff =
                    double(x.values[std::size_t(i * d + j)]) - centres[std::size_t(c * d + j)];
                inertia += diff * diff;
            }
        }
        if (inertia < best.inertia) {
            best.inertia = inertia;
            best.labels = labels;
            best.centroids = FloatArray{{k, d}, centres};
            best.iterations = iteration;
        }
        context.report(double(restart + 1) / double(restarts),
                       "k-means restart " + std::to_string(restart + 1));
    }
    return best;
}

}  // namespace us::analysis
