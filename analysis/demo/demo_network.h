#pragma once
// The demo's network side in one job: the trained demo CNN, the Fashion-MNIST test images as
// stimuli, and their activations (extracted once, reused while the model is unchanged).

#include <filesystem>
#include <optional>

#include "analysis/demo/demo_model.h"
#include "analysis/models/model_workspace.h"

namespace us::analysis {

struct DemoNetwork {
    DemoModelResult training;
    ModelSummary model;
    StimuliSummary stimuli;
    StoreSummary store;
};

// The layers the demo stores: every conv, activation and linear output.
const std::vector<std::string>& demoStoredLayers();

// Opens everything in workspace. cacheDir holds the model and the store.
DemoNetwork prepareDemoNetwork(ModelWorkspace& workspace, const std::filesystem::path& cacheDir,
                               const DemoTrainingOptions& options, const JobContext& context);

}  // namespace us::analysis
