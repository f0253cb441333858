#pragma once
// Per-unit summaries for the neuron inspector: top exemplars, histogram, class means and the
// units with the most similar activation profiles.

#include <cstdint>
#include <string>
#include <vector>

#include "analysis/core/float_array.h"

namespace us::analysis {

// Indices of the k largest values, largest first (ties: lower index first). NaNs never win.
std::vector<std::int64_t> topIndices(const std::vector<float>& values, std::int64_t k);

struct Histogram {
    std::vector<double> edges;  // bins + 1 edges, equal width
    std::vector<std::int64_t> counts;
};
// Equal-width bins over [min, max] of the finite values; the last bin is closed.
Histogram histogram(const std::vector<float>& values, int bins);

struct ClassMean {
    std::int32_t label = 0;
    double mean = 0;
    std::int64_t count = 0;
};
// Mean value per label in [0, classCount); labels outside that range are ignored.
std::vector<ClassMean> classMeans(const std::vector<float>& values,
                                  const std::vector<std::int32_t>& labels, int classCount);

struct ColumnMoments {
    std::vector<float> mean;  // per column
    std::vector<float> std;   // per column, population (1 / n); 1 where a column is constant
};
// The mean and standard deviation of each column of a [rows, columns] matrix.
ColumnMoments columnMoments(const FloatArray& matrix);

struct SimilarUnit {
    std::int64_t unit = 0;
    double correlation = 0;
};

// Pearson correlations of one column of a [rows, units] matrix with every other column, once
// the matrix is standardised (kept, so that browsing a layer costs one matrix-vector product
// per unit).
class ProfileCorrelations {
  public:
    explicit ProfileCorrelations(const FloatArray& matrix);
    std::int64_t units() const { return units_; }
    // The count most correlated other units, highest first. Constant columns correlate 0.
    std::vector<SimilarUnit> mostSimilar(std::int64_t unit, std::int64_t count) const;
    double correlation(std::int64_t a, std::int64_t b) const;

  private:
    std::int64_t rows_ = 0, units_ = 0;
    std::vector<float> standardised_;  // column-major [units][rows], unit norm or zero
};

}  // namespace us::analysis
