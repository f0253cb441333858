#pragma once
// Matching a stored layer's units with another network's, end to end, as `unitscope-cli
// match-units` runs it: both stores' pooled activations over the same stimuli, an optional
// random-weight control matched the same way, and the matches JSON contract.

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

#include "analysis/core/job_context.h"
#include "analysis/matching/unit_matching.h"
#include "analysis/models/activation_store.h"

namespace us::analysis {

struct UnitMatchRequest {
    std::string a, b;                    // "acts.h5:LAYER"
    std::optional<std::string> control;  // "random.h5:LAYER", matched against a
    MatchMethod method = MatchMethod::Hungarian;
    Pooling pooling = Pooling::Mean;
};

// {"a": {"store", "layer", "units"}, "b": {...}, "method", "pooling", "stimuli",
//  "pairs": [[unit_a, unit_b, r], ...], "summary": {"pairs", "mean_r", "median_r"},
//  "constant_a", "constant_b": units without variance (r = 0 with everything),
//  "control": null or {"store", "layer", "units", "pairs", "summary", "constant"},
//  "beyond_control": null or {"threshold_r": the control's 95th percentile matched r,
//  "fraction": the share of pairs above it}}. Throws with one clear message.
nlohmann::ordered_json runUnitMatching(const UnitMatchRequest& request,
                                       const JobContext& job = {});

}  // namespace us::analysis
