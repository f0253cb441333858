#pragma once
// Ridge regression from features to many responses (voxels, vertices) with one alpha per
// response chosen by K-fold cross-validation, as himalaya's RidgeCV does it: one
// eigendecomposition per fold serves every alpha and every response, and responses are
// solved in batches so that memory is bounded by a batch, not by the brain.

#include <cstdint>
#include <functional>
#include <vector>

#include "analysis/core/job_context.h"

namespace us::analysis {

// count values from `from` to `to`, evenly spaced in log10 ("1e-2:1e6:20").
std::vector<double> logSpacedAlphas(double from, double to, int count);

struct RidgeSettings {
    std::vector<double> alphas = logSpacedAlphas(1e-2, 1e6, 20);
    int folds = 5;              // contiguous, in training-row order, no shuffling
    bool intercept = false;     // centre features and responses by the training means
    bool standardize = false;   // z-score features by the training rows' mean and std
    std::int64_t batch = 4096;  // responses solved together
};

struct RidgeProblem {
    const float* features = nullptr;  // rows x featureCount, row-major
    std::int64_t rows = 0, featureCount = 0;
    std::vector<std::int64_t> trainRows;  // in order; folds are contiguous runs of it
    std::vector<std::int64_t> testRows;   // may be empty
    std::int64_t responseCount = 0;
    // Fills out (rows x count, row-major: every row of the problem) with responses
    // [first, first + count).
    std::function<void(std::int64_t first, std::int64_t count, float* out)> responses;
};

// The results for responses [first, first + count).
struct RidgeBatch {
    std::int64_t first = 0, count = 0;
    std::vector<double> alphas;        // count: the alpha chosen for each response
    std::vector<float> cvScores;       // alphas x count: mean over folds of the fold's MSE
    std::vector<float> weights;        // count x features, in the fitted feature space
    std::vector<float> intercepts;     // count (zero without an intercept)
    std::vector<float> testR2, testR;  // count; empty without test rows
};

// How features were transformed before fitting: x' = (x - mean) / scale (identity without
// --standardize). Predictions are x' . w + intercept.
struct FeatureTransform {
    std::vector<double> mean, scale;
};

// Sorts the alphas ascending (ties in the CV score go to the larger alpha). Calls sink for
// each batch in order. Throws std::invalid_argument for an unusable problem (too few rows for
// the folds, non-positive alphas, non-finite values), JobCancelled when cancelled.
FeatureTransform fitRidgeCV(const RidgeProblem& problem, RidgeSettings settings,
                            const std::function<void(RidgeBatch&&)>& sink,
                            const JobContext& job = {});

}  // namespace us::analysis
