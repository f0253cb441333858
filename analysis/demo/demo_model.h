#pragma once
// The built-in demo network: a small CNN for 28x28 grey Fashion-MNIST images, trained at first
// use and saved as TorchScript, so that it goes through the same code as any user's model.
// Torch stays behind this plain interface (see ARCHITECTURE.md).

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "analysis/core/job_context.h"

namespace us::analysis {

// Fashion-MNIST's class names, in label order.
const std::vector<std::string>& fashionMnistClassNames();

struct DemoTrainingOptions {
    std::filesystem::path datasetDir;  // holds the four *-idx?-ubyte.gz files
    std::uint64_t seed = 1;
    int epochs = 3;
    std::int64_t maxSteps = -1;  // stop early after this many optimiser steps (tests)
    std::int64_t batchSize = 128;
};

struct DemoModelResult {
    std::filesystem::path modelPath;  // TorchScript, with a MODEL.pt.json sidecar
    double testAccuracy = 0;          // on the 10,000 test images
    double trainingSeconds = 0;
    std::int64_t steps = 0;
    std::uint64_t seed = 0;
    bool reused = false;  // loaded from dir instead of trained now
};

// dir/demo_cnn.pt when it exists and was trained with the same options; otherwise trains,
// evaluates and saves it there atomically. Throws std::runtime_error (missing dataset, ...)
// and JobCancelled; a cancelled run leaves nothing behind.
DemoModelResult trainOrLoadDemoModel(const std::filesystem::path& dir,
                                     const DemoTrainingOptions& options, const JobContext& context);

}  // namespace us::analysis
