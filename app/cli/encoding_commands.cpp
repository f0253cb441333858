// unitscope-cli encode, caption and simulate-fmri: encoding models from network features to
// brain responses, their voxel and region captions, and a simulated experiment to test them.
#include <nlohmann/json.hpp>

#include <iostream>

#include "analysis/core/atomic_file.h"
#include "analysis/encoding/caption_run.h"
#include "analysis/encoding/encoding_fit.h"
#include "analysis/encoding/simulated_experiment.h"
#include "app/cli/cli_args.h"
#include "app/cli/cli_commands.h"
#include "app/cli/job_progress.h"

namespace us::cli {

int encode(const std::vector<std::string>& args) {
    if (wantsHelp(args)) {
        std::cout
            << "usage: unitscope-cli encode --features acts.h5:LAYER|X.npy --betas B --out "
               "encoding.h5\n"
               "         [--pooling mean|max] [--mask M.nii.gz] [--rows R.txt]\n"
               "         [--alphas 1e-2:1e6:20] [--folds 5] [--test-fraction 0.2 | --test-rows "
               "T.txt]\n"
               "         [--intercept] [--standardize] [--batch 4096] [--map "
               "r2.nii.gz|r2.func.gii]\n\n"
               "Ridge regression from a layer's features to every voxel or vertex, one alpha per\n"
               "voxel by K-fold cross-validation (contiguous folds in row order, no shuffling;\n"
               "the mean over folds of the fold's MSE, ties to the larger alpha), refitted on all\n"
               "training rows. The test split is the last rows (--test-fraction, 0 for none) or\n"
               "the betas rows listed in --test-rows; R2 and Pearson r are computed on it.\n"
               "  --betas    a 4-D NIfTI (one volume per stimulus; without --mask the voxels\n"
               "             finite everywhere and non-zero somewhere), a GIFTI (one array per\n"
               "             stimulus, or vertices x stimuli), or an N x V .npy with --mask\n"
               "  --rows     one line per betas row: a stimulus name of the store or a store row\n"
               "             (without it the store's rows are the betas' rows, in order)\n"
               "  --alphas   FROM:TO:COUNT log-spaced, or a comma list\n"
               "  --intercept    centre features and responses by the training means\n"
               "  --standardize  z-score features by the training rows' mean and std\n"
               "  --map      the test R2 on the betas' grid or surface\n"
               "Writes encoding.h5 (/weights voxels x features, /alphas, /cv_scores alphas x\n"
               "voxels, /test_r2, /test_r, /voxels or /vertices, ...); prints a JSON report with\n"
               "timings and peak memory.\n";
        return 0;
    }
    return guarded("encode", [&] {
        const CliArgs options(args,
                              {"features", "pooling", "betas", "mask", "rows", "alphas", "folds",
                               "test-fraction", "test-rows", "batch", "out", "map"},
                              {"intercept", "standardize"});
        if (!options.positionals().empty())
            throw UsageError("unexpected argument '" + options.positionals()[0] + "'");
        analysis::EncodingRequest request;
        request.features = options.required("features");
        const std::string pooling = options.value("pooling").value_or("mean");
        if (pooling != "mean" && pooling != "max")
            throw UsageError("--pooling must be mean or max");
        request.pooling = pooling == "max" ? analysis::Pooling::Max : analysis::Pooling::Mean;
        request.betas = options.required("betas");
        if (auto mask = options.value("mask")) request.mask = *mask;
        if (auto rows = options.value("rows")) request.rows = *rows;
        try {
            request.ridge.alphas =
                analysis::parseAlphaGrid(options.value("alphas").value_or("1e-2:1e6:20"));
        } catch (const std::invalid_argument& error) {
            throw UsageError(std::string("--alphas: ") + error.what());
        }
        request.ridge.folds = int(options.integer("folds", 5, 2, 1000));
        request.ridge.intercept = options.has("intercept");
        request.ridge.standardize = options.has("standardize");
        request.ridge.batch = options.integer("batch", 4096, 1, 1 << 20);
        if (options.has("test-rows") && options.has("test-fraction"))
            throw UsageError("give --test-fraction or --test-rows, not both");
        request.testFraction = options.number("test-fraction", 0.2, 0.0, 0.95);
        if (auto testRows = options.value("test-rows")) request.testRows = *testRows;
        request.out = options.required("out");
        if (auto map = options.value("map")) request.map = *map;
        const CommandLineJob job;
        std::cout << analysis::runEncodingFit(request, job.context()).dump(2) << "\n";
        return 0;
    });
}

int caption(const std::vector<std::string>& args) {
    if (wantsHelp(args)) {
        std::cout
            << "usage: unitscope-cli caption --encoding encoding.h5 --store acts.h5 --out "
               "captions.json\n"
               "         [--concepts classes|C.json|E.npy --names N.txt] [--atlas A]\n"
               "         [--temperature 50] [--top 3] [--preferred 8]\n\n"
               "Captions every voxel (or vertex) of an encoding model: its weights against each\n"
               "concept's embedding in the layer's feature space (the mean feature of the\n"
               "concept's stimuli minus the mean of all, unit-normalised) by cosine; probability\n"
               "is a softmax of temperature x cosine. A region's caption uses the R2-weighted\n"
               "mean of its voxels' weights (--atlas: an FSL .xml or a label volume with its "
               "names\n"
               "table). Preferred images: the store rows with the highest predicted response.\n"
               "  --concepts  classes (the store's classes, default); a JSON object of named\n"
               "              stimulus lists (names or rows); or a concepts x features .npy with\n"
               "              --names (one per line)\n";
        return 0;
    }
    return guarded("caption", [&] {
        const CliArgs options(args, {"encoding", "store", "out", "concepts", "names", "atlas",
                                     "temperature", "top", "preferred"});
        if (!options.positionals().empty())
            throw UsageError("unexpected argument '" + options.positionals()[0] + "'");
        analysis::CaptionRequest request;
        request.encoding = options.required("encoding");
        request.store = options.required("store");
        const std::filesystem::path out = options.required("out");
        request.concepts = options.value("concepts").value_or("classes");
        request.names = options.value("names").value_or("");
        if (auto atlas = options.value("atlas")) request.atlas = *atlas;
        request.settings.temperature = options.number("temperature", 50, 0, 1e6);
        request.settings.top = int(options.integer("top", 3, 1, 1000));
        request.settings.preferred = int(options.integer("preferred", 8, 1, 10000));
        const CommandLineJob job;
        const auto report = analysis::runCaptioning(request, job.context());
        analysis::writeTextAtomically(out, report.dump(1) + "\n");
        nlohmann::ordered_json summary{{"out", out.string()},
                                       {"simulated", report["simulated"]},
                                       {"voxels", report["voxels"].size()},
                                       {"regions", report["regions"].size()},
                                       {"vocabulary", report["vocabulary"]}};
        std::cout << summary.dump(2) << "\n";
        return 0;
    });
}

int simulateFmri(const std::vector<std::string>& args) {
    if (wantsHelp(args)) {
        std::cout
            << "usage: unitscope-cli simulate-fmri --store acts.h5 --layer L --out DIR\n"
               "         [--snr 1] [--regions 4] [--seed S] [--voxel-size 2] [--stimuli 1000]\n"
               "         [--variation 0.5] [--pooling mean|max]\n\n"
               "A SIMULATED fMRI experiment with known answers on the Colin27 brain (every\n"
               "voxel-size-th voxel of the 1 mm template) with the AAL atlas: --regions AAL\n"
               "regions each prefer one class of the store's stimuli. A preferring voxel's "
               "weights\n"
               "are its class's direction in the layer's feature space (unit norm) plus its own\n"
               "random deviation of norm --variation; its responses are the centred features\n"
               "through those weights plus Gaussian noise at --snr (signal variance over noise\n"
               "variance); every other brain voxel is noise. Uses the first --stimuli stimuli (0:\n"
               "all). Writes DIR/betas.nii.gz (4-D int16, descrip 'SIMULATED ...'), mask.nii.gz,\n"
               "stimuli.txt (names in volume order, for encode --rows) and truth.json.\n";
        return 0;
    }
    return guarded("simulate-fmri", [&] {
        const CliArgs options(args, {"store", "layer", "out", "snr", "regions", "seed",
                                     "voxel-size", "stimuli", "variation", "pooling"});
        if (!options.positionals().empty())
            throw UsageError("unexpected argument '" + options.positionals()[0] + "'");
        analysis::SimulationSettings settings;
        const auto store = analysis::ActivationStore::open(options.required("store"));
        settings.layer = options.required("layer");
        const std::filesystem::path out = options.required("out");
        settings.snr = options.number("snr", 1, 1e-6, 1e6);
        settings.regions = int(options.integer("regions", 4, 1, 100));
        settings.seed = std::uint64_t(options.integer("seed", 0, 0, 1LL << 40));
        settings.voxelSize = int(options.integer("voxel-size", 2, 1, 16));
        settings.stimuli = options.integer("stimuli", 1000, 0, 1LL << 40);
        settings.variation = options.number("variation", 0.5, 0, 100);
        const std::string pooling = options.value("pooling").value_or("mean");
        if (pooling != "mean" && pooling != "max")
            throw UsageError("--pooling must be mean or max");
        settings.pooling = pooling == "max" ? analysis::Pooling::Max : analysis::Pooling::Mean;
        const CommandLineJob job;
        std::cout << analysis::simulateExperiment(store, settings, out, job.context()).dump(2)
                  << "\n";
        return 0;
    });
}

}  // namespace us::cli
