#pragma once
// Matrix factorisations that find concept directions in a layer: X [n, d] ~= W [n, k] H [k, d].
// NMF (X, W, H >= 0) by coordinate descent, the same updates as scikit-learn's "cd" solver;
// semi-NMF (X signed, W >= 0, H free) by Ding, Li and Jordan's multiplicative rule.

#include <cstdint>
#include <optional>

#include "analysis/core/float_array.h"
#include "analysis/core/job_context.h"

namespace us::analysis {

struct FactorisationOptions {
    std::int64_t k = 8;
    int iterations = 200;
    double tolerance = 1e-4;  // stop when the error improves by less than this, relatively
    std::uint64_t seed = 0;
    // Starting point; default: NNDSVDa for NMF (as scikit-learn), k-means for semi-NMF.
    std::optional<FloatArray> initialW, initialH;
};

struct Factorisation {
    FloatArray w;              // [n, k], non-negative
    FloatArray h;              // [k, d]
    double relativeError = 0;  // |X - WH|_F / |X|_F
    int iterations = 0;
};

Factorisation nmf(const FloatArray& x, const FactorisationOptions& options,
                  const JobContext& context);
Factorisation semiNmf(const FloatArray& x, const FactorisationOptions& options,
                      const JobContext& context);

}  // namespace us::analysis
