// unitscope-cli layers / extract: the same analysis code the GUI runs on its worker thread.
#include <nlohmann/json.hpp>

#include <iostream>

#include "analysis/core/runtime_setup.h"
#include "analysis/models/extraction.h"
#include "analysis/models/input_spec.h"
#include "analysis/models/script_model.h"
#include "app/cli/cli_args.h"
#include "app/cli/cli_commands.h"
#include "app/cli/job_progress.h"

namespace us::cli {
int layers(const std::vector<std::string>& args) {
    if (wantsHelp(args)) {
        std::cout << "usage: unitscope-cli layers MODEL.pt [--input C,H,W]\n\n"
                     "Prints every module of a TorchScript model as JSON: its dotted name, type\n"
                     "and output shape (without batch) for the input size, which comes from\n"
                     "--input, else MODEL.pt.json's \"input\", else 3,224,224. A module that\n"
                     "forward never calls, or whose output is not a tensor, has\n"
                     "\"output_shape\": null.\n";
        return 0;
    }
    return guarded("layers", [&] {
        const CliArgs options(args, {"input"});
        if (options.positionals().size() != 1) throw UsageError("layers takes one MODEL.pt");
        const std::string modelPath = options.positionals()[0];
        std::optional<std::vector<std::int64_t>> shape;
        if (auto text = options.value("input")) shape = analysis::parseInputShape(*text);
        const auto spec = analysis::resolveInputSpec(modelPath, shape);
        const auto model = analysis::ScriptModel::load(modelPath);
        nlohmann::ordered_json report = nlohmann::ordered_json::array();
        for (const auto& layer : model.describeLayers(spec.shape)) {
            nlohmann::ordered_json entry{{"name", layer.name}, {"type", layer.type}};
            entry["output_shape"] = layer.outputShape.empty()
                                        ? nlohmann::ordered_json(nullptr)
                                        : nlohmann::ordered_json(layer.outputShape);
            entry["parameters"] = layer.parameterCount;
            report.push_back(std::move(entry));
        }
        std::cout << report.dump(2) << "\n";
        return 0;
    });
}

int extract(const std::vector<std::string>& args) {
    if (wantsHelp(args)) {
        std::cout
            << "usage: unitscope-cli extract --model MODEL.pt --stimuli PATH --layers a,b,c\n"
               "                             --out acts.h5 [--batch 16] [--threads N]\n"
               "                             [--input C,H,W] [--resize crop|stretch]\n"
               "                             [--no-predictions]\n\n"
               "Runs the model over the stimuli and writes the layers' spatially pooled\n"
               "activations (mean and max per unit) to an HDF5 activation store.\n"
               "Stimuli: an IDX images file (gzipped or not; labels beside it by MNIST naming),\n"
               "a folder of images (class subfolders, or flat with labels.csv), or a float32\n"
               ".npy of shape N x C x H x W used as it is. Unreadable images are skipped and\n"
               "listed. Images are resized as --resize says, else as MODEL.pt.json's \"resize\"\n"
               "says, else (3-channel models) torchvision's evaluation transform: shorter side\n"
               "to H / 0.875, then a centre crop of H x W; other models are stretched to H x W.\n"
               "Prints a JSON summary. Ctrl-C cancels and leaves no file behind.\n";
        return 0;
    }
    return guarded("extract", [&] {
        const CliArgs options(
            args, {"model", "stimuli", "layers", "out", "batch", "threads", "input", "resize"},
            {"no-predictions"});
        if (!options.positionals().empty())
            throw UsageError("unexpected argument '" + options.positionals()[0] + "'");
        analysis::ExtractionRequest request;
        request.model = options.required("model");
        request.stimuli = options.required("stimuli");
        request.layers = splitList(options.required("layers"));
        request.out = options.required("out");
        request.batchSize = options.integer("batch", 16, 1, 4096);
        request.predictions = !options.has("no-predictions");
        if (auto text = options.value("input"))
            request.inputShape = analysis::parseInputShape(*text);
        if (auto text = options.value("resize")) request.resize = analysis::parseResizeMode(*text);
        if (options.has("threads"))
            analysis::setComputeThreads(int(options.integer("threads", 1, 1, 256)));
        CommandLineJob job;
        const auto summary = analysis::extractActivations(request, job.context());
        nlohmann::ordered_json report{{"out", request.out.string()},
                                      {"stored", summary.stored},
                                      {"skipped", summary.skipped},
                                      {"layers", request.layers},
                                      {"seconds", summary.seconds}};
        std::cout << report.dump(2) << "\n";
        for (const auto& skipped : summary.skipped)
            std::cerr << "unitscope-cli: skipped " << skipped << "\n";
        return 0;
    });
}

}  // namespace us::cli
