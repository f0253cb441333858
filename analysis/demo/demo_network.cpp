#include "analysis/demo/demo_network.h"

#include "analysis/models/activation_store.h"

namespace us::analysis {
namespace fs = std::filesystem;

const std::vector<std::string>& demoStoredLayers() {
    static const std::vector<std::string> layers{"conv1", "relu1", "conv2", "relu2",
                                                 "fc1",   "relu3", "fc2"};
    return layers;
}

DemoNetwork prepareDemoNetwork(ModelWorkspace& workspace, const fs::path& cacheDir,
                               const DemoTrainingOptions& options, const JobContext& context) {
    DemoNetwork demo;
    demo.training = trainOrLoadDemoModel(cacheDir, options, context.stage(0.0, 0.8));
    demo.model = workspace.openModel(demo.training.modelPath, std::nullopt);
    demo.stimuli = workspace.openStimuli(options.datasetDir / "t10k-images-idx3-ubyte.gz");

    const fs::path storePath = cacheDir / "fashion-mnist-t10k-activations.h5";
    bool reusable = false;
    try {
        const auto store = ActivationStore::open(storePath);
        reusable = store.provenance().modelSha256 == demo.model.sha256 &&
                   store.count() == demo.stimuli.count &&
                   store.layers().size() == demoStoredLayers().size();
    } catch (const std::exception&) {
        reusable = false;  // missing or unreadable: extract again
    }
    demo.store =
        reusable ? workspace.openStore(storePath)
                 : workspace.extract(demoStoredLayers(), storePath, 250, context.stage(0.8, 1.0));
    context.report(1.0, "demo network ready");
    return demo;
}

}  // namespace us::analysis
