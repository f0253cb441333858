#pragma once
// The whole encoding fit as the CLI and the GUI run it: features from an activation store
// (or an N x F .npy), betas from NIfTI / GIFTI / .npy, cross-validated ridge, held-out scores,
// streamed into encoding.h5.

#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "analysis/core/float_array.h"
#include "analysis/core/job_context.h"
#include "analysis/encoding/encoding_model.h"
#include "analysis/models/activation_store.h"

namespace us::analysis {

struct EncodingRequest {
    std::string features;  // "acts.h5:LAYER" or "X.npy"
    Pooling pooling = Pooling::Mean;
    std::filesystem::path betas;
    std::optional<std::filesystem::path> mask;
    // One line per betas row: a store row number or a stimulus name of the store.
    std::optional<std::filesystem::path> rows;
    RidgeSettings ridge;
    double testFraction = 0.2;                      // the last rows, in order
    std::optional<std::filesystem::path> testRows;  // betas rows, one per line (instead)
    std::filesystem::path out;
    std::optional<std::filesystem::path> map;  // test R2 as .nii / .nii.gz / .func.gii
};

// The features of each betas row, and the store row each came from.
struct EncodingFeatures {
    FloatArray matrix;                    // rows x features
    std::vector<std::int64_t> storeRows;  // empty for a .npy
    std::string path, layer;
};

// Splits "acts.h5:LAYER" (nullopt layer for a .npy). Throws std::invalid_argument.
std::pair<std::filesystem::path, std::optional<std::string>> splitFeatureSource(
    const std::string& text);

// Throws std::runtime_error / std::invalid_argument with one clear message.
EncodingFeatures loadEncodingFeatures(const std::string& source, Pooling pooling,
                                      const std::optional<std::filesystem::path>& rowsFile,
                                      std::int64_t betasRows);

// Runs the fit and writes request.out (and request.map); returns the JSON report (sizes,
// timings in seconds, peak resident memory, R2 summary). Throws; cancelled leaves no output.
nlohmann::ordered_json runEncodingFit(const EncodingRequest& request, const JobContext& job = {});

// Throws std::invalid_argument unless the name suits the geometry (.nii/.nii.gz for volumes,
// .gii for surfaces).
void checkMapName(const std::filesystem::path& path, const ResponseGeometry& geometry);

// A per-voxel map of values on the model's own grid or surface, written by extension.
void writeResponseMap(const std::filesystem::path& path, const ResponseGeometry& geometry,
                      const std::vector<float>& values, const std::string& description = {});

}  // namespace us::analysis
