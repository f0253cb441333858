#include "analysis/models/unit_statistics.h"

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace us::analysis {

std::vector<std::int64_t> topIndices(const std::vector<float>& values, std::int64_t k) {
    std::vector<std::int64_t> order(values.size());
    std::iota(order.begin(), order.end(), 0);
    k = std::clamp<std::int64_t>(k, 0, std::int64_t(values.size()));
    const auto key = [&](std::int64_t i) {
        const float v = values[std::size_t(i)];
        return std::isnan(v) ? -std::numeric_limits<float>::infinity() : v;
    };
    std::partial_sort(order.begin(), order.begin() + k, order.end(),
                      [&](std::int64_t a, std::int64_t b) {
                          const float ka = key(a), kb = key(b);
                          return ka > kb || (ka == kb && a < b);
                      });
    order.resize(std::size_t(k));
    return order;
}

Histogram histogram(const std::vector<float>& values, int bins) {
    bins = std::max(1, bins);
    double lo = std::numeric_limits<double>::infinity();
    double hi = -lo;
    for (float v : values)
        if (std::isfinite(v)) {
            lo = std::min(lo, double(v));
            hi = std::max(hi, double(v));
        }
    Histogram h;
    if (!std::isfinite(lo)) lo = hi = 0;
    if (hi <= lo) hi = lo + 1;  // all equal: one visible bin at the value
    for (int i = 0; i <= bins; ++i)
        h.edges.push_back(lo + (hi - lo) * i / bins);
    h.counts.assign(std::size_t(bins), 0);
    for (float v : values) {
        if (!std::isfinite(v)) continue;
        const int bin = std::min(bins - 1, int((double(v) - lo) / (hi - lo) * bins));
        ++h.counts[std::size_t(std::max(0, bin))];
    }
    return h;
}

std::vector<ClassMean> classMeans(const std::vector<float>& values,
                                  const std::vector<std::int32_t>& labels, int classCount) {
    std::vector<ClassMean> means(static_cast<std::size_t>(std::max(0, classCount)));
    for (int c = 0; c < classCount; ++c)
        means[std::size_t(c)].label = c;
    for (std::size_t i = 0; i < std::min(values.size(), labels.size()); ++i) {
        const auto label = labels[i];
        if (label < 0 || label >= classCount || !std::isfinite(values[i])) continue;
        means[std::size_t(label)].mean += values[i];
        ++means[std::size_t(label)].count;
    }
    for (auto& m : means)
        if (m.count) m.mean /= double(m.count);
    return means;
}

ProfileCorrelations::ProfileCorrelations(const FloatArray& matrix)
    : rows_(matrix.shape.at(0)), units_(matrix.shape.at(1)) {
    using RowMajor = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    const Eigen::Map<const RowMajor> x(matrix.values.data(), rows_, units_);
    Eigen::MatrixXf columns = x;  // column-major copy: one unit per column
    for (Eigen::Index u = 0; u < columns.cols(); ++u) {
        auto column = columns.col(u);
        const double mean = column.cast<double>().mean();
        column.array() -= float(mean);
        const double norm = column.cast<double>().norm();
        if (norm > 0 && std::isfinite(norm))
            column /= float(norm);
        else
            column.setZero();
    }
    standardised_.assign(columns.data(), columns.data() + columns.size());
}

double ProfileCorrelations::correlation(std::int64_t a, std::int64_t b) const {
    const Eigen::Map<const Eigen::VectorXf> x(standardised_.data() + a * rows_, rows_);
    const Eigen::Map<const Eigen::VectorXf> y(standardised_.data() + b * rows_, rows_);
    return x.cast<double>().dot(y.cast<double>());
}

std::vector<SimilarUnit> ProfileCorrelations::mostSimilar(std::int64_t unit,
                                                          std::int64_t count) const {
    const Eigen::Map<const Eigen::MatrixXf> all(standardised_.data(), rows_, units_);
    const Eigen::VectorXf r = all.transpose() * all.col(unit);
    std::vector<float> scores(r.data(), r.data() + r.size());
    scores[std::size_t(unit)] = -std::numeric_limits<float>::infinity();
    std::vector<SimilarUnit> similar;
    for (auto other : topIndices(scores, std::min(count, units_ - 1)))
        similar.push_back({other, correlation(unit, other)});
    return similar;
}

ColumnMoments columnMoments(const FloatArray& matrix) {
    const auto rows = matrix.shape.at(0), columns = matrix.shape.at(1);
    std::vector<double> sum(std::size_t(columns), 0.0), squares(std::size_t(columns), 0.0);
    for (std::int64_t r = 0; r < rows; ++r)
        for (std::int64_t c = 0; c < columns; ++c) {
            const double v = matrix.values[std::size_t(r * columns + c)];
            sum[std::size_t(c)] += v;
            squares[std::size_t(c)] += v * v;
        }
    ColumnMoments moments;
    for (std::size_t c = 0; c < std::size_t(columns); ++c) {
        const double mean = sum[c] / double(std::max<std::int64_t>(rows, 1));
        const double variance = squares[c] / double(std::max<std::int64_t>(rows, 1)) - mean * mean;
        moments.mean.push_back(float(mean));
        moments.std.push_back(variance > 1e-24 ? float(std::sqrt(variance)) : 1.f);
    }
    return moments;
}

}  // namespace us::analysis
