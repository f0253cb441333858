#pragma once
// A fitted encoding model (features -> brain responses) and its file, encoding.h5:
//   /weights     voxels x features float32 (in the fitted feature space, see FeatureTransform)
//   /alphas      per voxel float64; /alpha_grid; /cv_scores alphas x voxels float32 (mean MSE)
//   /intercepts  per voxel float32; /test_r2, /test_r per voxel (absent without a test split)
//   /voxels      V x 3 int64 voxel indices (volumes) or /vertices V int64 (surfaces)
//   /feature_mean, /feature_scale  per feature float64; /train_rows, /test_rows int64
//   /store_rows  the activation-store row of each betas row (when features came from a store)
//   attrs: format "unitscope-encoding", version_major/minor, features, layer, pooling, betas,
//          description, intercept, standardize, folds, kind "volume"|"surface", grid [3],
//          affine [16] row-major, vertex_count
// The writer streams /weights, /alphas, /cv_scores and the scores batch by batch and commits
// atomically.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "analysis/encoding/brain_responses.h"
#include "analysis/encoding/ridge_cv.h"

namespace us::analysis {

inline constexpr const char* kEncodingFormatName = "unitscope-encoding";
inline constexpr int kEncodingFormatMajor = 1;
inline constexpr int kEncodingFormatMinor = 0;

struct EncodingInfo {
    std::string features;  // the store path or X.npy
    std::string layer;     // empty for X.npy
    std::string pooling;   // "mean" or "max"
    std::string betas;
    std::string description;  // the betas' own description (NIfTI descrip)
    bool intercept = false, standardize = false;
    int folds = 5;
    std::vector<std::int64_t> trainRows, testRows;  // rows of the betas
    std::vector<std::int64_t> storeRows;            // store row per betas row, may be empty
};

struct EncodingModel {
    EncodingInfo info;
    ResponseGeometry geometry;
    std::int64_t featureCount = 0;
    std::vector<float> weights;  // voxels x features
    std::vector<double> alphas, alphaGrid;
    std::vector<float> cvScores;  // alphaGrid x voxels
    std::vector<float> intercepts, testR2, testR;
    FeatureTransform transform;

    std::int64_t voxelCount() const { return geometry.columnCount(); }
    bool hasTestScores() const { return !testR2.empty(); }
};

class EncodingWriter {
  public:
    EncodingWriter(const std::filesystem::path& path, const EncodingInfo& info,
                   const ResponseGeometry& geometry, std::int64_t featureCount,
                   const std::vector<double>& alphaGrid, bool withTestScores);
    ~EncodingWriter();
    EncodingWriter(const EncodingWriter&) = delete;
    EncodingWriter& operator=(const EncodingWriter&) = delete;

    void write(const RidgeBatch& batch);
    // Writes the transform and commits the file; without it nothing is left behind.
    void finish(const FeatureTransform& transform);

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Reads a whole model. Throws std::runtime_error with a clear message for anything else.
EncodingModel readEncodingModel(const std::filesystem::path& path);

// The column of a fitted voxel (i, j, k) or vertex (one index). Throws std::invalid_argument
// when the model did not fit it.
std::int64_t columnOf(const EncodingModel& model, const std::vector<std::int64_t>& index);

// An activation-maximisation objective whose maximum is the predicted response of `weights`
// (features, in the fitted space): predicted = sum_f w_f (x_f - mean_f) / scale_f + b is, up to
// a constant, the sum of the layer's raw channel means weighted by w_f / scale_f.
std::string predictedResponseObjective(const EncodingModel& model, const float* weights);

// Sorted ascending alphas from "1e-2:1e6:20" (log-spaced) or "0.1,1,10". Throws
// std::invalid_argument.
std::vector<double> parseAlphaGrid(const std::string& text);

}  // namespace us::analysis
