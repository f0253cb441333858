// unitscope-cli concepts: a layer's NMF or semi-NMF components as a store layer of concept units.

#include <nlohmann/json.hpp>

#include <iostream>

#include "analysis/clustering/concept_units.h"
#include "app/cli/cli_args.h"
#include "app/cli/cli_commands.h"
#include "app/cli/job_progress.h"

namespace us::cli {

int concepts(const std::vector<std::string>& args) {
    if (wantsHelp(args)) {
        std::cout
            << "usage: unitscope-cli concepts --store acts.h5:LAYER --method nmf|seminmf --k K\n"
               "         --out concepts.h5 [--iterations 200] [--seed 0] [--pooling mean|max]\n\n"
               "Factorises the layer's activations over the stimuli, X [stimuli, units] ~= W H\n"
               "(NMF by coordinate descent as scikit-learn's cd solver with NNDSVDa; semi-NMF by\n"
               "Ding, Li and Jordan's updates, X may be signed), and writes an activation store\n"
               "with the store's stimuli and one layer LAYER/nmf-K (or LAYER/seminmf-K) whose K\n"
               "units are the components: a unit's activation for a stimulus is its weight in W,\n"
               "and its direction in LAYER's channel space (a row of H) is stored as the layer's\n"
               "'directions' dataset. The inspector opens it, caption-units captions it, and\n"
               "actmax visualises a direction.\n";
        return 0;
    }
    return guarded("concepts", [&] {
        const CliArgs options(args,
                              {"store", "method", "k", "out", "iterations", "seed", "pooling"});
        if (!options.positionals().empty())
            throw UsageError("unexpected argument '" + options.positionals()[0] + "'");
        analysis::ConceptUnitsRequest request;
        request.store = options.required("store");
        request.out = options.required("out");
        const auto method = analysis::conceptMethodOfType(options.value("method").value_or("nmf"));
        if (!method) throw UsageError("--method must be nmf or seminmf");
        request.method = *method;
        request.k = options.integer("k", 8, 1, 1 << 16);
        request.iterations = int(options.integer("iterations", 200, 1, 100000));
        request.seed = std::uint64_t(options.integer("seed", 0, 0, std::int64_t(1) << 62));
        const std::string pooling = options.value("pooling").value_or("mean");
        if (pooling != "mean" && pooling != "max")
            throw UsageError("--pooling must be mean or max");
        request.pooling = pooling == "max" ? analysis::Pooling::Max : analysis::Pooling::Mean;
        const CommandLineJob job;
        const auto summary = analysis::writeConceptUnits(request, job.context());
        std::cout << nlohmann::ordered_json{{"out", request.out.string()},
                                            {"layer", summary.layer},
                                            {"k", summary.k},
                                            {"source_units", summary.sourceUnits},
                                            {"stimuli", summary.stimuli},
                                            {"relative_error", summary.relativeError},
                                            {"iterations", summary.iterations}}
                         .dump(2)
                  << "\n";
        return 0;
    });
}

}  // namespace us::cli
