// unitscope-cli demo-model: train (or reuse) the built-in demo CNN.
#include <nlohmann/json.hpp>

#include <iostream>

#include "analysis/demo/demo_data.h"
#include "analysis/demo/demo_model.h"
#include "app/cli/cli_args.h"
#include "app/cli/cli_commands.h"
#include "app/cli/job_progress.h"

namespace us::cli {

int demoModel(const std::vector<std::string>& args) {
    if (wantsHelp(args)) {
        std::cout << "usage: unitscope-cli demo-model --out DIR [--seed S] [--epochs E]\n"
                     "                                [--max-steps N]\n\n"
                     "Trains the demo CNN on Fashion-MNIST (Debian's dataset-fashion-mnist) and\n"
                     "saves DIR/demo_cnn.pt (TorchScript) with its DIR/demo_cnn.pt.json sidecar.\n"
                     "A model already in DIR trained with the same options is reused. Prints\n"
                     "the test accuracy as JSON. Deterministic for a seed.\n";
        return 0;
    }
    return guarded("demo-model", [&] {
        const CliArgs options(args, {"out", "seed", "epochs", "max-steps"});
        if (!options.positionals().empty())
            throw UsageError("unexpected argument '" + options.positionals()[0] + "'");
        analysis::DemoTrainingOptions training;
        training.datasetDir = analysis::fashionMnistDir();
        training.seed = std::uint64_t(options.integer("seed", 1, 0, 1LL << 40));
        training.epochs = int(options.integer("epochs", training.epochs, 1, 100));
        training.maxSteps = options.integer("max-steps", -1, 0, 1LL << 40);
        const std::string out = options.required("out");
        CommandLineJob job;
        const auto result = analysis::trainOrLoadDemoModel(out, training, job.context());
        nlohmann::ordered_json report{{"model", result.modelPath.string()},
                                      {"test_accuracy", result.testAccuracy},
                                      {"training_seconds", result.trainingSeconds},
                                      {"steps", result.steps},
                                      {"seed", result.seed},
                                      {"reused", result.reused}};
        std::cout << report.dump(2) << "\n";
        return 0;
    });
}

}  // namespace us::cli
