#pragma once
// Runs a model over a stimulus set and streams pooled activations into an activation store.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "analysis/core/job_context.h"
#include "analysis/models/input_spec.h"

namespace us::analysis {

class ScriptModel;
class StimulusSet;
struct InputSpec;

struct ExtractionRequest {
    std::filesystem::path model;
    std::filesystem::path stimuli;
    std::vector<std::string> layers;
    std::filesystem::path out;
    std::int64_t batchSize = 16;
    std::optional<std::vector<std::int64_t>> inputShape;  // else sidecar, else 3x224x224
    std::optional<ResizeMode> resize;  // else sidecar, else the crop for 3-channel models
    bool predictions = true;           // store the argmax of a 2-D model output
};

struct ExtractionSummary {
    std::int64_t stored = 0;
    std::vector<std::string> skipped;  // "name: reason"
    double seconds = 0;
};

// A model and stimuli the caller already has open (the GUI's workspace), so that extraction
// does not load, freeze and hash them again.
struct ExtractionSources {
    ScriptModel& model;
    const StimulusSet& stimuli;
    const InputSpec& spec;
    std::string modelSha256;
};

// Throws std::runtime_error / std::invalid_argument with a clear message for bad input and
// JobCancelled when cancelled; in both cases no file is left at the output path.
ExtractionSummary extractActivations(const ExtractionRequest& request, const JobContext& context);
ExtractionSummary extractActivations(const ExtractionSources& sources,
                                     const std::vector<std::string>& layerNames,
                                     const std::filesystem::path& out, std::int64_t batchSize,
                                     bool predictions, const JobContext& context);

}  // namespace us::analysis
