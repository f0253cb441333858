#pragma once
// The built-in demo network: a small CNN for 28x28 grey Fashion-MNIST images.
// Torch stays behind this plain interface (see ARCHITECTURE.md).

#include <vector>

#include "analysis/job_context.h"
#include "analysis/layer_info.h"

namespace us::analysis {

// Builds the demo architecture and runs one zero image through it, layer by layer, to report
// each layer's real output shape and parameter count. Must run on the torch worker thread.
std::vector<LayerInfo> describeDemoModel(const JobContext& context);

}  // namespace us::analysis
