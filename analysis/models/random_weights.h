#pragma once
// A random-weight control of a TorchScript network: the same architecture with every parameter
// drawn afresh with PyTorch's default initialisation for its module type, from a seeded
// generator (the same draws, in the same order, as torch.manual_seed(seed) followed by each
// module's reset_parameters() in named_modules() order), and BatchNorm running statistics
// recomputed exactly on stimuli. The unit-caption null model compares a network's units
// against such a control's.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "analysis/core/job_context.h"
#include "analysis/models/input_spec.h"

namespace us::analysis {

struct RandomControlRequest {
    std::filesystem::path model;
    std::filesystem::path out;
    std::uint64_t seed = 0;
    // Needed when the model has BatchNorm with running statistics.
    std::optional<std::filesystem::path> stimuli;
    std::int64_t limit = 0;  // use the first N stimuli; 0 for all
    std::int64_t batchSize = 64;
    std::optional<std::vector<std::int64_t>> inputShape;  // else the sidecar, as extraction
    std::optional<ResizeMode> resize;
};

struct RandomControlSummary {
    std::vector<std::string> reinitialised;  // "name (Type)", in named_modules() order
    std::vector<std::string> batchNorms;     // recomputed, in the order forward runs them
    std::int64_t stimuliUsed = 0;
};

// Writes out (TorchScript, atomically) and copies the model's sidecar beside it. Throws
// std::runtime_error naming the module for a module with parameters of a type whose default
// initialisation is unknown; JobCancelled leaves nothing behind.
RandomControlSummary makeRandomControl(const RandomControlRequest& request,
                                       const JobContext& job = {});

}  // namespace us::analysis
