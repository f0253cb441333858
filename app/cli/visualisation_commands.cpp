// unitscope-cli actmax: activation-maximisation images by the standard recipe.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <limits>

#include "analysis/core/atomic_file.h"
#include "analysis/core/npy.h"
#include "analysis/core/runtime_setup.h"
#include "analysis/models/activation_store.h"
#include "analysis/models/input_spec.h"
#include "analysis/stimuli/image.h"
#include "analysis/visualisation/activation_maximisation.h"
#include "app/cli/cli_args.h"
#include "app/cli/cli_commands.h"
#include "app/cli/job_progress.h"

namespace us::cli {
namespace fs = std::filesystem;
using nlohmann::ordered_json;

namespace {

analysis::Image toImage(const analysis::FloatArray& images, std::int64_t index) {
    const auto c = images.shape.at(1), h = images.shape.at(2), w = images.shape.at(3);
    analysis::Image image{int(w), int(h), int(c),
                          std::vector<std::uint8_t>(std::size_t(c * h * w))};
    const float* data = images.values.data() + index * c * h * w;
    for (std::int64_t y = 0; y < h; ++y)
        for (std::int64_t x = 0; x < w; ++x)
            for (std::int64_t k = 0; k < c; ++k)
                image.pixels[std::size_t((y * w + x) * c + k)] = std::uint8_t(
                    std::lround(std::clamp(data[(k * h + y) * w + x], 0.f, 1.f) * 255.f));
    return image;
}

fs::path withSuffix(const fs::path& prefix, const std::string& suffix) {
    return prefix.string() + suffix;
}

// PREFIX_i.EXTENSION
fs::path imageFile(const fs::path& prefix, std::int64_t index, const char* extension) {
    std::string name = prefix.string();
    name += '_';
    name += std::to_string(index);
    name += extension;
    return name;
}

}  // namespace

int actmax(const std::vector<std::string>& args) {
    if (wantsHelp(args)) {
        std::cout
            << "usage: unitscope-cli actmax --model M.pt --objective OBJECTIVE [--negative]\n"
               "         [--images N [--diversity 100]] [--steps 512] [--size 128] [--lr 0.05]\n"
               "         [--seed S] [--no-transforms] [--init SPECTRUM.npy] [--store acts.h5]\n"
               "         [--input C,H,W] [--threads N] --out PREFIX\n\n"
               "Synthesises images that drive OBJECTIVE: channel:LAYER:C, neuron:LAYER:C[:Y,X],\n"
               "layer:LAYER, logit:K, units:LAYER:C1,C2,..., or direction:LAYER:V.npy (the mean\n"
               "cosine of V with the activation at each position). A spectrum N(0, 0.01) scaled\n"
               "by 1 / max(f, 1 / max(w, h)), inverse real FFT (orthonormal) / 4, colour\n"
               "decorrelation for 3 channels, sigmoid; each step pad 12 (0.5), jitter 8, scale\n"
               "0.90-1.10, rotate -10..10 degrees, jitter 4 (scaled by size / 128 below 128 px),\n"
               "resized to the model's input and normalised; Adam. The image side is --size or\n"
               "the model's own if smaller. Several --images are facets: a diversity term\n"
               "(pairwise inner products of the images' Frobenius-normalised Gram matrices of\n"
               "the objective layer, weight 100 unless --diversity says otherwise) keeps them\n"
               "apart. --init takes Lucent's spectrum layout, float32 N x C x H x\n"
               "(W // 2 + 1, + 1 when W is odd) x 2; --steps 0 writes exactly its images.\n"
               "Writes PREFIX_i.png, PREFIX_i.npy (float32 C x H x W in [0, 1], before\n"
               "normalisation) and PREFIX.json (objective per step, final activations, the\n"
               "facets' similarity, with --store the unit's best natural activation, the seed,\n"
               "seconds per step).\n";
        return 0;
    }
    return guarded("actmax", [&] {
        const CliArgs options(args,
                              {"model", "objective", "images", "diversity", "steps", "size", "lr",
                               "seed", "init", "store", "input", "threads", "out"},
                              {"negative", "no-transforms"});
        if (!options.positionals().empty())
            throw UsageError("unexpected argument '" + options.positionals()[0] + "'");
        const fs::path modelPath = options.required("model");
        const fs::path prefix = options.required("out");
        analysis::VisualisationRequest request;
        try {
            request.objective =
                analysis::VisualisationObjective::parse(options.required("objective"));
        } catch (const std::invalid_argument& error) {
            throw UsageError(error.what());
        }
        request.objective.negative = options.has("negative");
        request.images = int(options.integer("images", 1, 1, 64));
        // Facets differ by default, as the anchors make them.
        constexpr double kAny = std::numeric_limits<double>::infinity();
        request.diversity = options.number("diversity", request.images > 1 ? 100 : 0, -kAny, kAny);
        request.steps = int(options.integer("steps", 512, 0, 100000));
        request.size = int(options.integer("size", 128, 8, 4096));
        request.seed = std::uint64_t(options.integer("seed", 0, 0, 1LL << 40));
        request.transforms = !options.has("no-transforms");
        request.learningRate = options.number("lr", 0.05, 0, kAny);
        if (!(request.learningRate > 0)) throw UsageError("--lr must be a positive number");
        if (options.has("threads"))
            analysis::setComputeThreads(int(options.integer("threads", 1, 1, 256)));
        std::optional<std::vector<std::int64_t>> shape;
        if (auto text = options.value("input")) shape = analysis::parseInputShape(*text);
        const auto spec = analysis::resolveInputSpec(modelPath, shape);
        if (auto init = options.value("init")) {
            analysis::NpyHeader header;
            const auto values = analysis::readNpyAsDouble(*init, &header);
            request.initialSpectrum = analysis::FloatArray{
                header.shape, std::vector<float>(values.begin(), values.end())};
        }
        std::optional<double> bestNatural;
        if (auto storePath = options.value("store")) {
            const auto& o = request.objective;
            if (o.kind != analysis::VisualisationObjective::Kind::Channel)
                throw UsageError("--store compares channel objectives only");
            const auto store = analysis::ActivationStore::open(*storePath);
            const auto column = store.unitColumn(o.layer, o.units.at(0));
            if (!column.empty()) bestNatural = *std::max_element(column.begin(), column.end());
        }
        auto model = analysis::ScriptModel::load(modelPath);
        CommandLineJob job;
        const auto result = analysis::visualise(model, spec, request, job.context());

        const auto& images = result.images;
        const auto count = images.shape.at(0);
        const auto perImage = std::size_t(images.values.size() / std::size_t(count));
        ordered_json files = ordered_json::array();
        for (std::int64_t i = 0; i < count; ++i) {
            const auto png = imageFile(prefix, i, ".png");
            const auto npy = imageFile(prefix, i, ".npy");
            analysis::writeNpy(
                npy,
                std::span<const float>(images.values.data() + i * std::int64_t(perImage), perImage),
                {images.shape[1], images.shape[2], images.shape[3]});
            analysis::writePngFile(png, toImage(images, i));
            files.push_back({{"png", png.string()}, {"npy", npy.string()}});
        }
        ordered_json report{
            {"objective", request.objective.text()},
            {"model", modelPath.string()},
            {"seed", request.seed},
            {"steps", request.steps},
            {"size", images.shape[2]},
            {"seconds_per_step", result.secondsPerStep},
            {"diversity", request.diversity},
            {"facet_similarity", result.facetSimilarity ? ordered_json(*result.facetSimilarity)
                                                        : ordered_json(nullptr)},
            {"final_activation", result.finalActivation},
            {"best_natural_activation",
             bestNatural ? ordered_json(*bestNatural) : ordered_json(nullptr)},
            {"objective_per_step", result.objective},
            {"images", std::move(files)}};
        const auto jsonPath = withSuffix(prefix, ".json");
        analysis::AtomicFile file(jsonPath);
        {
            std::ofstream out(file.tempPath());
            out << report.dump(1) << "\n";
        }
        file.commit();
        report.erase("objective_per_step");
        report["json"] = jsonPath.string();
        std::cout << report.dump(2) << "\n";
        return 0;
    });
}

}  // namespace us::cli
