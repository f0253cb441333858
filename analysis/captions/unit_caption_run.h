#pragma once
// Captioning a stored layer's units end to end, as `unitscope-cli caption-units` runs it: the
// store's pooled activations, a concept vocabulary, an optional random-weight control's layer
// over the same stimuli, and the captions JSON contract.

#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>
#include <string>

#include "analysis/captions/unit_captions.h"
#include "analysis/models/activation_store.h"

namespace us::analysis {

struct UnitCaptionRequest {
    std::string store;                   // "acts.h5:LAYER"
    std::optional<std::string> control;  // "random.h5:LAYER"
    Pooling pooling = Pooling::Mean;
    std::string concepts = "classes";  // "classes", a C.json of stimulus lists, or an N x C .npy
    std::filesystem::path names;       // for the .npy
    UnitCaptionSettings settings;
};

// {"layer", "units": [{"unit", "caption", "chance", "top_share", "concepts": [{"name", "auc",
// "wpmi", "p_permutation", "q_permutation", "p_control", "q_control"}, ...]}], "control": {...}
// or null}, concepts best first. Throws with one clear message.
nlohmann::ordered_json runUnitCaptions(const UnitCaptionRequest& request);

}  // namespace us::analysis
