// unitscope-cli caption-units: captions for a stored layer's units with both null models.

#include <iostream>

#include "analysis/captions/unit_caption_run.h"
#include "analysis/core/atomic_file.h"
#include "app/cli/cli_args.h"
#include "app/cli/cli_commands.h"

namespace us::cli {

int captionUnits(const std::vector<std::string>& args) {
    if (wantsHelp(args)) {
        std::cout
            << "usage: unitscope-cli caption-units --store acts.h5:LAYER --out captions.json\n"
               "         [--concepts classes|C.json|L.npy --names N.txt] [--control "
               "random.h5:LAYER]\n"
               "         [--pooling mean|max] [--top-k 100] [--lambda 1] [--chance 0.05]\n"
               "         [--permutations N [--seed S]]\n\n"
               "Captions every unit of a stored layer. Per unit and concept: the AUC of the\n"
               "unit's activation for the concept's stimuli against the rest, and soft-WPMI\n"
               "over its --top-k exemplars as CLIP-Dissect computes it (rank weights 0.998 to\n"
               "0.97, minus --lambda times the concept's log prior across units; an image's\n"
               "concept probabilities are its labels). Concepts are listed by AUC, best first;\n"
               "the caption is the best, or 'A and B' when the two best together hold for at\n"
               "least 1.5 times the top exemplars the best alone holds for (each for >= 20%).\n"
               "Null models: p_permutation, the label-permutation distribution of the rank sum\n"
               "(one-sided Mann-Whitney U, normal approximation with tie and continuity\n"
               "corrections, as SciPy's asymptotic method; with --permutations N, N seeded\n"
               "shuffles of the stimuli's labels instead, p = (1 + hits) / (1 + N), slower:\n"
               "N x stimuli x units additions); with --control (the same layer of a\n"
               "random-weight copy of the network, extracted on the same stimuli), p_control =\n"
               "(1 + control units scoring at least as high) / (1 + control units). q: the\n"
               "Benjamini-Hochberg adjusted p across the layer's units; a caption is chance\n"
               "when either q of its concept is above --chance.\n"
               "  --concepts  classes (default); a JSON object of named stimulus lists (names or\n"
               "              rows); or an N x C 0/1 .npy with --names (several may hold at "
               "once)\n";
        return 0;
    }
    return guarded("caption-units", [&] {
        const CliArgs options(args, {"store", "out", "concepts", "names", "control", "pooling",
                                     "top-k", "lambda", "chance", "permutations", "seed"});
        if (!options.positionals().empty())
            throw UsageError("unexpected argument '" + options.positionals()[0] + "'");
        analysis::UnitCaptionRequest request;
        request.store = options.required("store");
        const std::filesystem::path out = options.required("out");
        request.control = options.value("control");
        request.concepts = options.value("concepts").value_or("classes");
        request.names = options.value("names").value_or("");
        const std::string pooling = options.value("pooling").value_or("mean");
        if (pooling != "mean" && pooling != "max")
            throw UsageError("--pooling must be mean or max");
        request.pooling = pooling == "max" ? analysis::Pooling::Max : analysis::Pooling::Mean;
        request.settings.topK = int(options.integer("top-k", 100, 1, 1000000));
        request.settings.lambda = options.number("lambda", 1, 0, 1e6);
        request.settings.chanceLevel = options.number("chance", 0.05, 0, 1);
        request.settings.permutations = int(options.integer("permutations", 0, 0, 1000000));
        request.settings.seed = std::uint64_t(options.integer("seed", 0, 0, 1LL << 40));
        const auto report = analysis::runUnitCaptions(request);
        analysis::writeTextAtomically(out, report.dump(1) + "\n");
        std::int64_t chance = 0;
        for (const auto& unit : report["units"])
            chance += unit["chance"].get<bool>();
        std::cout << nlohmann::ordered_json{{"out", out.string()},
                                            {"layer", report["layer"]},
                                            {"units", report["units"].size()},
                                            {"chance", chance},
                                            {"control", report["control"]}}
                         .dump(2)
                  << "\n";
        return 0;
    });
}

}  // namespace us::cli
