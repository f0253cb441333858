// unitscope-cli random-control: the same architecture with fresh weights, the unit captions'
// random-weight null model.

#include <nlohmann/json.hpp>

#include <iostream>

#include "analysis/models/random_weights.h"
#include "app/cli/cli_args.h"
#include "app/cli/cli_commands.h"
#include "app/cli/job_progress.h"

namespace us::cli {

int randomControl(const std::vector<std::string>& args) {
    if (wantsHelp(args)) {
        std::cout
            << "usage: unitscope-cli random-control --model M.pt --seed S --out random.pt\n"
               "         [--stimuli S] [--limit N] [--batch 64] [--input C,H,W] [--resize "
               "crop|stretch]\n\n"
               "Writes the same architecture with every parameter drawn afresh by PyTorch's\n"
               "default initialisation for its module type (Linear and convolutions:\n"
               "kaiming_uniform(a = sqrt(5)) weights and U(+-1/sqrt(fan_in)) biases; norms:\n"
               "weight 1, bias 0), from a generator seeded with --seed, drawing in the order of\n"
               "named_modules() as torch.manual_seed(S) and each module's reset_parameters() do.\n"
               "BatchNorm running statistics are then recomputed exactly on --stimuli (or its\n"
               "first --limit items): each BatchNorm in the order forward runs them gets the\n"
               "mean and unbiased variance of its input over the stimuli, one pass each. The\n"
               "stimuli are preprocessed as extract does (the model's sidecar is copied beside\n"
               "the output). A module with parameters of another type is an error naming it.\n"
               "Ctrl-C cancels and leaves no file behind.\n";
        return 0;
    }
    return guarded("random-control", [&] {
        const CliArgs options(
            args, {"model", "seed", "out", "stimuli", "limit", "batch", "input", "resize"});
        if (!options.positionals().empty())
            throw UsageError("unexpected argument '" + options.positionals()[0] + "'");
        analysis::RandomControlRequest request;
        request.model = options.required("model");
        request.out = options.required("out");
        if (!options.has("seed")) throw UsageError("--seed is required");
        request.seed = std::uint64_t(options.integer("seed", 0, 0, std::int64_t(1) << 62));
        if (auto text = options.value("stimuli")) request.stimuli = *text;
        request.limit = options.integer("limit", 0, 0, std::int64_t(1) << 40);
        request.batchSize = options.integer("batch", 64, 1, 4096);
        if (auto text = options.value("input"))
            request.inputShape = analysis::parseInputShape(*text);
        if (auto text = options.value("resize")) request.resize = analysis::parseResizeMode(*text);
        const CommandLineJob job;
        const auto summary = analysis::makeRandomControl(request, job.context());
        std::cout << nlohmann::ordered_json{{"out", request.out.string()},
                                            {"seed", request.seed},
                                            {"reinitialised", summary.reinitialised},
                                            {"batch_norms", summary.batchNorms},
                                            {"stimuli", summary.stimuliUsed}}
                         .dump(2)
                  << "\n";
        return 0;
    });
}

}  // namespace us::cli
