#include "analysis/matching/unit_matching.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "analysis/core/blas.h"
#include "analysis/matching/linear_assignment.h"

namespace us::analysis {
namespace {

// Columns centred and scaled to unit norm in double, so that one product gives r. Returns the
// constant columns.
std::vector<std::int64_t> standardiseColumns(const std::vector<float>& values, std::int64_t units,
                                             std::int64_t count, std::vector<double>& out) {
    const auto columns = static_cast<std::size_t>(units);
    out.assign(values.begin(), values.end());
    std::vector<double> mean(columns, 0.0), norm(columns, 0.0);
    for (std::int64_t row = 0; row < count; ++row) {
        const double* line = out.data() + std::size_t(row) * columns;
        for (std::size_t u = 0; u < columns; ++u) mean[u] += line[u];
    }
    for (auto& m : mean) m /= double(count);
    for (std::int64_t row = 0; row < count; ++row) {
        double* line = out.data() + std::size_t(row) * columns;
        for (std::size_t u = 0; u < columns; ++u) {
            line[u] -= mean[u];
            norm[u] += line[u] * line[u];
        }
    }
    std::vector<std::int64_t> constant;
    std::vector<double> scale(columns);
    for (std::size_t u = 0; u < columns; ++u) {
        // Relative to the column's magnitude, so that float rounding of a constant is constant.
        const bool flat = norm[u] <= 1e-24 * (1 + mean[u] * mean[u]) * double(count);
        if (flat) constant.push_back(std::int64_t(u));
        scale[u] = flat ? 0.0 : 1.0 / std::sqrt(norm[u]);
    }
    for (std::int64_t row = 0; row < count; ++row) {
        double* line = out.data() + std::size_t(row) * columns;
        for (std::size_t u = 0; u < columns; ++u) line[u] *= scale[u];
    }
    return constant;
}

}  // namespace

UnitCorrelations correlateUnits(const std::vector<float>& a, std::int64_t unitsA,
                                const std::vector<float>& b, std::int64_t unitsB,
                                std::int64_t count, const JobContext& job) {
    if (count < 2) throw std::invalid_argument("correlations need at least two stimuli");
    if (a.size() != static_cast<std::size_t>(count * unitsA) ||
        b.size() != static_cast<std::size_t>(count * unitsB))
        throw std::invalid_argument("the activation matrices do not match their shapes");
    UnitCorrelations result;
    result.unitsA = unitsA;
    result.unitsB = unitsB;
    std::vector<double> za, zb;
    result.constantA = standardiseColumns(a, unitsA, count, za);
    job.checkCancelled();
    result.constantB = standardiseColumns(b, unitsB, count, zb);
    job.checkCancelled();
    result.values.assign(static_cast<std::size_t>(unitsA * unitsB), 0.0);
    gemm(true, false, unitsA, unitsB, count, 1.0, za.data(), unitsA, zb.data(), unitsB, 0.0,
         result.values.data(), unitsB);
    // Rounding can take |r| a hair past 1.
    for (auto& r : result.values) r = std::clamp(r, -1.0, 1.0);
    return result;
}

std::vector<UnitPair> matchUnits(const UnitCorrelations& correlations, MatchMethod method,
                                 const JobContext& job) {
    const auto nb = static_cast<std::size_t>(correlations.unitsB);
    const auto at = [&](std::int64_t a, std::int64_t b) {
        return correlations.values[std::size_t(a) * nb + std::size_t(b)];
    };
    std::vector<UnitPair> pairs;
    if (method == MatchMethod::Best) {
        if (correlations.unitsB == 0) return pairs;
        for (std::int64_t a = 0; a < correlations.unitsA; ++a) {
            std::int64_t best = 0;
            for (std::int64_t b = 1; b < correlations.unitsB; ++b)
                if (at(a, b) > at(a, best)) best = b;
            pairs.push_back({a, best, at(a, best)});
        }
        return pairs;
    }
    const auto columnOfRow = solveLinearAssignment(correlations.values, correlations.unitsA,
                                                   correlations.unitsB, true, job);
    for (std::int64_t a = 0; a < correlations.unitsA; ++a)
        if (const auto b = columnOfRow[std::size_t(a)]; b >= 0) pairs.push_back({a, b, at(a, b)});
    return pairs;
}

}  // namespace us::analysis
