#include "analysis/clustering/linkage.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <string>
#include <utility>

#include "analysis/clustering/kmeans.h"
#include "analysis/core/blas.h"

namespace us::analysis {
namespace {

// Index of (i, j), i != j, in a condensed n x n distance matrix (SciPy's layout).
inline std::size_t condensedIndex(std::int64_t n, std::int64_t i, std::int64_t j) {
    if (i > j) std::swap(i, j);
    return std::size_t(n * i - (i * (i + 1)) / 2 + (j - i - 1));
}

// Euclidean distances between rows, condensed, in double precision. Blocks of rows go through
// dgemm (|a|^2 + |b|^2 - 2 a.b); pairs so close that the expansion loses digits are
// recomputed directly, so near-duplicates keep exact distances.
std::vector<double> condensedDistances(const FloatArray& x, const JobContext& context) {
    const std::int64_t n = x.shape.at(0), d = x.shape.at(1);
    std::vector<double> rows(x.values.begin(), x.values.end());
    std::vector<double> norms(static_cast<std::size_t>(n));
    for (std::int64_t i = 0; i < n; ++i) {
        double s = 0;
        for (std::int64_t c = 0; c < d; ++c)
            s += rows[std::size_t(i * d + c)] * rows[std::size_t(i * d + c)];
        norms[std::size_t(i)] = s;
    }
    std::vector<double> condensed(static_cast<std::size_t>(n * (n - 1) / 2));
    constexpr std::int64_t kBlock = 256;
    std::vector<double> gram;
    for (std::int64_t first = 0; first < n - 1; first += kBlock) {
        context.checkCancelled();
        const std::int64_t rowsInBlock = std::min(kBlock, n - first);
        const std::int64_t columns = n - first;  // only j >= first is needed
        gram.resize(std::size_t(rowsInBlock * columns));
        gemmNT(rowsInBlock, columns, d, 1.0, rows.data() + first * d, d, rows.data() + first * d, d,
               0.0, gram.data(), columns);
        for (std::int64_t r = 0; r < rowsInBlock; ++r) {
            const std::int64_t i = first + r;
            for (std::int64_t j = i + 1; j < n; ++j) {
                const double scale = norms[std::size_t(i)] + norms[std::size_t(j)];
                double squared = scale - 2.0 * gram[std::size_t(r * columns + (j - first))];
                if (squared < 1e-6 * scale) {
                    squared = 0;
                    for (std::int64_t c = 0; c < d; ++c) {
                        const double diff =
                            rows[std::size_t(i * d + c)] - rows[std::size_t(j * d + c)];
                        squared += diff * diff;
                    }
                }
                condensed[condensedIndex(n, i, j)] = std::sqrt(std::max(0.0, squared));
            }
        }
        context.report(0.5 * double(first + rowsInBlock) / double(n), "distances");
    }
    return condensed;
}

// Lance-Williams updates exactly as scipy/cluster/_hierarchy_distance_update.pxi.
inline double mergedDistance(LinkageMethod method, double dxi, double dyi, double dxy, double nx,
                             double ny, double ni) {
    switch (method) {
        case LinkageMethod::Single: return std::min(dxi, dyi);
        case LinkageMethod::Complete: return std::max(dxi, dyi);
        case LinkageMethod::Average: return (nx * dxi + ny * dyi) / (nx + ny);
        case LinkageMethod::Ward: {
            const double t = 1.0 / (nx + ny + ni);
            return std::sqrt((ni + nx) * t * dxi * dxi + (ni + ny) * t * dyi * dyi -
                             ni * t * dxy * dxy);
        }
    }
    return 0;
}

// SciPy's label(): rows hold slot indices; rename them to cluster ids with a union-find.
void relabel(std::vector<double>& z, std::int64_t n, const std::vector<double>& leafSizes) {
    std::vector<std::int64_t> parent(static_cast<std::size_t>(2 * n - 1));
    std::iota(parent.begin(), parent.end(), 0);
    std::vector<double> size(std::size_t(2 * n - 1), 1.0);
    std::copy(leafSizes.begin(), leafSizes.end(), size.begin());
    const auto find = [&](std::int64_t x) {
        std::int64_t root = x;
        while (parent[std::size_t(root)] != root)
            root = parent[std::size_t(root)];
        while (parent[std::size_t(x)] != root)
            x = std::exchange(parent[std::size_t(x)], root);
        return root;
    };
    for (std::int64_t row = 0; row < n - 1; ++row) {
        const auto a = find(std::int64_t(z[std::size_t(row * 4)]));
        const auto b = find(std::int64_t(z[std::size_t(row * 4 + 1)]));
        const std::int64_t next = n + row;
        z[std::size_t(row * 4)] = double(std::min(a, b));
        z[std::size_t(row * 4 + 1)] = double(std::max(a, b));
        parent[std::size_t(a)] = parent[std::size_t(b)] = next;
        size[std::size_t(next)] = size[std::size_t(a)] + size[std::size_t(b)];
        z[std::size_t(row * 4 + 3)] = size[std::size_t(next)];
    }
}

}  // namespace

LinkageMethod parseLinkageMethod(const std::string& name) {
    if (name == "ward") return LinkageMethod::Ward;
    if (name == "average") return LinkageMethod::Average;
    if (name == "complete") return LinkageMethod::Complete;
    if (name == "single") return LinkageMethod::Single;
    throw std::invalid_argument("unknown linkage method '" + name +
                                "' (use ward, average, complete or single)");
}

Linkage nnChainLinkage(std::vector<double> d, std::int64_t n, LinkageMethod method,
                       std::vector<double> size, const JobContext& context) {
    if (n < 2) throw std::invalid_argument("clustering needs at least two items");
    if (size.empty()) size.assign(std::size_t(n), 1.0);
    const std::vector<double> leafSizes = size;
    std::vector<double> z(static_cast<std::size_t>((n - 1) * 4));
    std::vector<std::int64_t> chain(static_cast<std::size_t>(n));
    std::int64_t chainLength = 0;
    for (std::int64_t k = 0; k < n - 1; ++k) {
        if (k % 64 == 0) {
            context.checkCancelled();
            context.report(0.5 + 0.5 * double(k) / double(n - 1), "merging");
        }
        if (chainLength == 0) {
            chainLength = 1;
            for (std::int64_t i = 0; i < n; ++i)
                if (size[std::size_t(i)] > 0) {
                    chain[0] = i;
                    break;
                }
        }
        std::int64_t x = 0, y = 0;
        double currentMin = 0;
        while (true) {
            x = chain[std::size_t(chainLength - 1)];
            // Prefer the previous chain element on ties, so that the chain cannot cycle.
            if (chainLength > 1) {
                y = chain[std::size_t(chainLength - 2)];
                currentMin = d[condensedIndex(n, x, y)];
            } else {
                currentMin = std::numeric_limits<double>::infinity();
            }
            // Row x of the condensed matrix: strided for i < x, contiguous for i > x.
            for (std::int64_t i = 0; i < x; ++i) {
                if (size[std::size_t(i)] == 0) continue;
                const double dist = d[condensedIndex(n, i, x)];
                if (dist < currentMin) {
                    currentMin = dist;
                    y = i;
                }
            }
            if (x + 1 < n) {
                const double* row = d.data() + condensedIndex(n, x, x + 1);
                for (std::int64_t i = x + 1; i < n; ++i) {
                    if (size[std::size_t(i)] == 0) continue;
                    const double dist = row[i - x - 1];
                    if (dist < currentMin) {
                        currentMin = dist;
                        y = i;
                    }
                }
            }
            if (chainLength > 1 && y == chain[std::size_t(chainLength - 2)]) break;
            chain[std::size_t(chainLength++)] = y;
        }
        chainLength -= 2;
        if (x > y) std::swap(x, y);
        const double nx = size[std::size_t(x)], ny = size[std::size_t(y)];
        z[std::size_t(k * 4)] = double(x);
        z[std::size_t(k * 4 + 1)] = double(y);
        z[std::size_t(k * 4 + 2)] = currentMin;
        z[std::size_t(k * 4 + 3)] = nx + ny;
        size[std::size_t(x)] = 0;
        size[std::size_t(y)] = nx + ny;
        for (std::int64_t i = 0; i < n; ++i) {
            const double ni = size[std::size_t(i)];
            if (ni == 0 || i == y) continue;
            double& target = d[condensedIndex(n, i, y)];
            target =
                mergedDistance(method, d[condensedIndex(n, i, x)], target, currentMin, nx, ny, ni);
        }
    }
    // Sort rows by distance (stable, as SciPy's mergesort), then name the clusters.
    std::vector<std::int64_t> order(static_cast<std::size_t>(n - 1));
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::int64_t a, std::int64_t b) {
        return z[std::size_t(a * 4 + 2)] < z[std::size_t(b * 4 + 2)];
    });
    Linkage linkage;
    linkage.leaves = n;
    linkage.rows.resize(z.size());
    for (std::int64_t r = 0; r < n - 1; ++r)
        std::copy_n(z.begin() + order[std::size_t(r)] * 4, 4, linkage.rows.begin() + r * 4);
    relabel(linkage.rows, n, leafSizes);
    return linkage;
}

Linkage exactLinkage(const FloatArray& x, LinkageMethod method, const JobContext& context) {
    if (x.shape.size() != 2) throw std::invalid_argument("clustering needs a 2-D array of items");
    const std::int64_t n = x.shape[0];
    if (n < 2) throw std::invalid_argument("clustering needs at least two items");
    for (float v : x.values)
        if (!std::isfinite(v)) throw std::invalid_argument("the data contain NaN or infinity");
    return nnChainLinkage(condensedDistances(x, context), n, method, {}, context);
}

Linkage twoStageWard(const FloatArray& x, std::int64_t centroids, std::uint64_t seed,
                     const JobContext& context) {
    const std::int64_t n = x.shape.at(0);
    centroids = std::min(centroids, n);
    KMeansOptions options;
    options.k = centroids;
    options.restarts = 1;
    options.seed = seed;
    const KMeansResult coarse = kmeans(x, options, context.stage(0.0, 0.6));
    // Drop empty clusters; Ward between clusters A, B is sqrt(2 nA nB / (nA + nB)) |cA - cB|,
    // which reduces to the plain distance for single items.
    std::vector<double> counts(std::size_t(centroids), 0.0);
    for (auto label : coarse.labels)
        counts[std::size_t(label)] += 1;
    std::vector<std::int32_t> compact(std::size_t(centroids), -1);
    std::vector<double> sizes;
    FloatArray kept{{0, x.shape[1]}, {}};
    for (std::int64_t c = 0; c < centroids; ++c) {
        if (counts[std::size_t(c)] == 0) continue;
        compact[std::size_t(c)] = std::int32_t(sizes.size());
        sizes.push_back(counts[std::size_t(c)]);
        kept.values.insert(kept.values.end(), coarse.centroids.values.begin() + c * x.shape[1],
                           coarse.centroids.values.begin() + (c + 1) * x.shape[1]);
    }
    kept.shape[0] = std::int64_t(sizes.size());
    const std::int64_t m = kept.shape[0];
    std::vector<double> d = condensedDistances(kept, context.stage(0.6, 0.8));
    for (std::int64_t i = 0; i < m; ++i)
        for (std::int64_t j = i + 1; j < m; ++j) {
            const double a = sizes[std::size_t(i)], b = sizes[std::size_t(j)];
            d[condensedIndex(m, i, j)] *= std::sqrt(2.0 * a * b / (a + b));
        }
    Linkage linkage =
        nnChainLinkage(std::move(d), m, LinkageMethod::Ward, sizes, context.stage(0.8, 1.0));
    linkage.approximate = true;
    for (auto label : coarse.labels)
        linkage.leafOfItem.push_back(compact[std::size_t(label)]);
    return linkage;
}

std::vector<std::int32_t> cutLinkage(const Linkage& linkage, std::int64_t k) {
    const std::int64_t n = linkage.leaves;
    k = std::clamp<std::int64_t>(k, 1, n);
    std::vector<std::int64_t> parent(static_cast<std::size_t>(2 * n - 1));
    std::iota(parent.begin(), parent.end(), 0);
    const auto find = [&](std::int64_t x) {
        while (parent[std::size_t(x)] != x)
            x = parent[std::size_t(x)] = parent[std::size_t(parent[std::size_t(x)])];
        return x;
    };
    // As scipy's maxclust: the smallest merge height that leaves at most k clusters, then
    // every merge at or below it.
    const double threshold = n - k > 0 ? linkage.at(n - k - 1, 2) : -1.0;
    for (std::int64_t row = 0; row < n - 1 && linkage.at(row, 2) <= threshold; ++row) {
        const auto a = find(std::int64_t(linkage.at(row, 0)));
        const auto b = find(std::int64_t(linkage.at(row, 1)));
        parent[std::size_t(a)] = parent[std::size_t(b)] = n + row;
    }
    std::vector<std::int32_t> labels(static_cast<std::size_t>(n));
    std::vector<std::int32_t> numberOf(std::size_t(2 * n - 1), 0);
    std::int32_t next = 0;
    for (std::int64_t i = 0; i < n; ++i) {
        auto& number = numberOf[std::size_t(find(i))];
        if (number == 0) number = ++next;
        labels[std::size_t(i)] = number;
    }
    return labels;
}

void checkLinkage(const Linkage& linkage) {
    const std::int64_t n = linkage.leaves;
    if (n < 1) throw std::invalid_argument("empty linkage");
    if (std::int64_t(linkage.rows.size()) != 4 * (n - 1))
        throw std::invalid_argument("the linkage must be an (n-1) x 4 array");
    std::vector<bool> used(std::size_t(2 * n - 1), false);
    for (std::int64_t row = 0; row < n - 1; ++row) {
        const double a = linkage.at(row, 0), b = linkage.at(row, 1);
        const auto valid = [&](double id) {
            return id == std::floor(id) && id >= 0 && id < double(n + row) &&
                   !used[std::size_t(id)];
        };
        if (!valid(a) || !valid(b) || a == b)
            throw std::invalid_argument("not a valid linkage matrix: row " + std::to_string(row) +
                                        " merges clusters that do not exist yet or twice");
        used[std::size_t(a)] = used[std::size_t(b)] = true;
    }
    for (auto leaf : linkage.leafOfItem)
        if (leaf < 0 || leaf >= n)
            throw std::invalid_argument("an item's leaf " + std::to_string(leaf) +
                                        " is not one of the linkage's " + std::to_string(n) +
                                        " leaves");
}

}  // namespace us::analysis
