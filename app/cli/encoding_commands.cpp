// unitscope-cli encode: cross-validated ridge from network features to brain responses.
#include <nlohmann/json.hpp>

#include <iostream>

#include "analysis/encoding/encoding_fit.h"
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

}  // namespace us::cli
