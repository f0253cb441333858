#pragma once
// Captioning a fitted encoding model end to end, as `unitscope-cli caption` and the GUI run it:
// the store's features of the model's layer in its fitted space, a vocabulary, voxel and region
// captions, as the captions JSON contract.

#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>
#include <string>

#include "analysis/core/job_context.h"
#include "analysis/encoding/voxel_captions.h"

namespace us::analysis {

struct CaptionRequest {
    std::filesystem::path encoding, store;
    std::string concepts = "classes";  // "classes", a C.json of stimulus lists, or an E.npy
    std::filesystem::path names;       // for E.npy
    std::optional<std::filesystem::path> atlas;
    CaptionSettings settings;
};

// {"simulated", "layer", "vocabulary": [...], "voxels": [{"index": [i, j, k] | "vertex": v,
// "concepts": [{"name", "score", "probability"}], "preferred": [row, ...]}], "regions": [{"name",
// "label", "voxels", "predictive", "concepts", "preferred"}]}. Throws with one clear message.
nlohmann::ordered_json runCaptioning(const CaptionRequest& request, const JobContext& job = {});

}  // namespace us::analysis
