// unitscope-cli actmax and actmax-clusters: activation-maximisation images by the standard
// recipe, for an objective or for each cluster of a layer's units.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <iostream>
#include <limits>

#include "analysis/brain/atlas.h"
#include "analysis/core/name_suggestions.h"
#include "analysis/core/npy.h"
#include "analysis/core/runtime_setup.h"
#include "analysis/core/text_parsing.h"
#include "analysis/encoding/encoding_explorer.h"
#include "analysis/encoding/encoding_model.h"
#include "analysis/models/activation_store.h"
#include "analysis/models/input_spec.h"
#include "analysis/models/unit_statistics.h"
#include "analysis/stimuli/stimulus_set.h"
#include "analysis/visualisation/activation_maximisation.h"
#include "analysis/visualisation/cluster_visualisation.h"
#include "analysis/visualisation/facet_anchors.h"
#include "app/cli/cli_args.h"
#include "app/cli/cli_commands.h"
#include "app/cli/job_progress.h"
#include "app/cli/visualisation_output.h"

namespace us::cli {
namespace fs = std::filesystem;
using nlohmann::ordered_json;

namespace {

constexpr double kAny = std::numeric_limits<double>::infinity();

const char* const kRecipeHelp =
    "A spectrum N(0, 0.01) scaled by 1 / max(f, 1 / max(w, h)), inverse real FFT\n"
    "(orthonormal) / 4, colour decorrelation for 3 channels, sigmoid; each step pad 12\n"
    "(0.5), jitter 8, scale 0.90-1.10, rotate -10..10 degrees, jitter 4 (scaled by\n"
    "size / 128 below 128 px), resized to the model's input and normalised; Adam. The image\n"
    "side is --size, whatever the model's input: a 28 px model sees the 128 px image\n"
    "resized, which smooths it (on the demo CNN, facets and cluster images came out\n"
    "stronger than when optimised at 28 px).\n";

// --steps, --size, --lr, --seed, --no-transforms and --threads.
void readSettings(const CliArgs& options, analysis::OptimisationSettings& settings) {
    settings.steps = int(options.integer("steps", 512, 0, 100000));
    settings.size = int(options.integer("size", 128, 8, 4096));
    settings.seed = std::uint64_t(options.integer("seed", 0, 0, 1LL << 40));
    settings.transforms = !options.has("no-transforms");
    settings.learningRate = options.number("lr", 0.05, 0, kAny);
    if (!(settings.learningRate > 0)) throw UsageError("--lr must be a positive number");
    if (options.has("threads"))
        analysis::setComputeThreads(int(options.integer("threads", 1, 1, 256)));
}

analysis::InputSpec inputSpec(const CliArgs& options, const fs::path& modelPath) {
    std::optional<std::vector<std::int64_t>> shape;
    if (auto text = options.value("input")) shape = analysis::parseInputShape(*text);
    return analysis::resolveInputSpec(modelPath, shape);
}

std::vector<std::string> indexNames(std::int64_t count) {
    std::vector<std::string> names;
    for (std::int64_t i = 0; i < count; ++i)
        names.push_back(std::to_string(i));
    return names;
}

// The store's stimuli, unless --stimuli names others.
std::unique_ptr<analysis::StimulusSet> storeStimuli(const CliArgs& options,
                                                    const analysis::ActivationStore& store) {
    const fs::path path = options.value("stimuli").value_or(store.provenance().stimuliPath);
    if (path.empty()) throw UsageError("anchored facets need --stimuli");
    return analysis::openStimulusSet(path);
}

// An atlas region's predicted response under an encoding model: the R2-weighted mean of its
// fitted voxels' weights, as the region's caption and the window's region visualisation use.
std::string regionObjective(const fs::path& encoding, const std::string& region,
                            const fs::path& atlasPath) {
    const auto explorer = analysis::EncodingExplorer::open(
        encoding, std::nullopt, analysis::readAtlas(atlasPath), analysis::CaptionSettings{});
    std::vector<std::string> names;
    for (const auto& candidate : explorer->regions()) {
        names.push_back(candidate.name);
        const bool byLabel =
            !region.empty() && std::all_of(region.begin(), region.end(), ::isdigit);
        if (byLabel ? std::to_string(candidate.label) == region : candidate.name == region)
            return explorer->regionObjective(candidate.label);
    }
    throw std::runtime_error("no fitted voxel of the encoding model lies in a region '" + region +
                             "' of the atlas" +
                             analysis::nearestNamesText(region, names, "regions with some:"));
}

// --objective, or the predicted response of an encoding model's voxel, vertex or region.
std::string objectiveText(const CliArgs& options) {
    const auto encoding = options.value("encoding");
    if (!encoding) {
        if (options.has("voxel") || options.has("vertex") || options.has("region"))
            throw UsageError("--voxel, --vertex and --region need --encoding");
        return options.required("objective");
    }
    if (options.has("objective")) throw UsageError("--objective and --encoding exclude each other");
    if (int(options.has("voxel")) + int(options.has("vertex")) + int(options.has("region")) != 1)
        throw UsageError("--encoding needs one --voxel I,J,K, --vertex V or --region NAME");
    if (const auto region = options.value("region")) {
        const auto atlas = options.value("atlas");
        if (!atlas) throw UsageError("--region needs the --atlas its names come from");
        return regionObjective(*encoding, *region, *atlas);
    }
    const auto where = options.value("voxel") ? options.value("voxel") : options.value("vertex");
    std::vector<std::int64_t> index;
    for (const auto& part : splitList(*where))
        index.push_back(analysis::parseNonNegativeInteger(part, "a voxel index"));
    const auto model = analysis::readEncodingModel(*encoding);
    const auto column = analysis::columnOf(model, index);
    return analysis::predictedResponseObjective(model,
                                                model.weights.data() + column * model.featureCount);
}

}  // namespace

int actmax(const std::vector<std::string>& args) {
    if (wantsHelp(args)) {
        std::cout
            << "usage: unitscope-cli actmax --model M.pt --objective OBJECTIVE [--negative]\n"
               "         [--images N [--facets diverse|anchored] [--diversity 100]\n"
               "         [--exemplars 25N]] [--steps 512] [--size 128] [--lr 0.05] [--seed S]\n"
               "         [--no-transforms] [--init SPECTRUM.npy] [--store acts.h5]\n"
               "         [--stimuli S] [--input C,H,W] [--threads N] --out PREFIX\n"
               "       unitscope-cli actmax --model M.pt --encoding E.h5 --voxel I,J,K ... --out "
               "P\n"
               "       unitscope-cli actmax --model M.pt --encoding E.h5 --region NAME|LABEL\n"
               "         --atlas A ... --out P\n\n"
               "Synthesises images that drive OBJECTIVE, a sum of terms TERM [+ TERM ...], each\n"
               "[W*]TERM or -TERM: channel:LAYER:C, neuron:LAYER:C[:Y,X], layer:LAYER,\n"
               "logit:K, units:LAYER:C1,C2,... (a cluster's mean), or direction:LAYER:V.npy\n"
               "(the mean cosine of V with the activation at each position). Or, instead of\n"
               "--objective, --encoding encoding.h5 --voxel I,J,K (or --vertex V): the voxel's\n"
               "predicted response under the encoding model (its weighted sum of the fitted\n"
               "layer's channel means); or --region NAME (or its label) of --atlas A (an FSL\n"
               ".xml or a label volume with its names): the region's, from the R2-weighted mean\n"
               "of its fitted voxels' weights, as its caption is made.\n"
            << kRecipeHelp
            << "Several --images are facets. diverse (the default): a diversity term\n"
               "(pairwise inner products of the images' Frobenius-normalised Gram matrices at\n"
               "the first term's layer, weight 100 unless --diversity says otherwise) keeps\n"
               "them apart for the first 5/8 of the steps; the rest maximise the objective\n"
               "alone on a fresh Adam, so that every facet stays strong. anchored: the\n"
               "first term's unit's --exemplars top natural stimuli in --store are grouped\n"
               "by k-means on the layer's activations, and each facet starts from its\n"
               "group's mean image (the store's stimuli unless --stimuli). With --images 1,\n"
               "anchored starts the image from the mean of the unit's top exemplars: on the\n"
               "demo CNN it ends above the unit's best natural stimulus for more units than\n"
               "a random start does.\n"
               "--init takes Lucent's spectrum layout, float32 N x C x H x (W // 2 + 1, + 1 when\n"
               "W is odd) x 2; --steps 0 writes exactly its images.\n"
               "Writes PREFIX_i.png, PREFIX_i.npy (float32 C x H x W in [0, 1], before\n"
               "normalisation) and PREFIX.json (objective per step, final activations, the\n"
               "facets' similarity, with --store the unit's best natural activation, the seed,\n"
               "seconds per step).\n";
        return 0;
    }
    return guarded("actmax", [&] {
        const CliArgs options(
            args, {"model",  "objective", "encoding",  "voxel",     "vertex", "region",  "atlas",
                   "images", "facets",    "diversity", "exemplars", "steps",  "size",    "lr",
                   "seed",   "init",      "store",     "stimuli",   "input",  "threads", "out"},
            {"negative", "no-transforms"});
        if (!options.positionals().empty())
            throw UsageError("unexpected argument '" + options.positionals()[0] + "'");
        const fs::path modelPath = options.required("model");
        const fs::path prefix = options.required("out");
        analysis::VisualisationRequest request;
        try {
            request.objective = analysis::VisualisationObjective::parse(objectiveText(options));
        } catch (const std::invalid_argument& error) {
            throw UsageError(error.what());
        }
        if (options.has("negative")) request.objective.negate();
        request.images = int(options.integer("images", 1, 1, 64));
        const auto facets = options.value("facets").value_or("diverse");
        if (facets != "diverse" && facets != "anchored")
            throw UsageError("--facets must be diverse or anchored, not '" + facets + "'");
        const bool anchored = facets == "anchored";
        // Facets differ by default, as the anchors make them; anchored ones by their starts.
        request.diversity =
            options.number("diversity", request.images > 1 && !anchored ? 100 : 0, -kAny, kAny);
        readSettings(options, request);
        const auto spec = inputSpec(options, modelPath);
        if (auto init = options.value("init")) {
            if (anchored) throw UsageError("--init and --facets anchored exclude each other");
            analysis::NpyHeader header;
            const auto values = analysis::readNpyAsDouble(*init, &header);
            request.initialSpectrum = analysis::FloatArray{
                header.shape, std::vector<float>(values.begin(), values.end())};
        }
        const auto& first = request.objective.terms.front();
        std::optional<analysis::ActivationStore> store;
        if (auto storePath = options.value("store"))
            store = analysis::ActivationStore::open(*storePath);
        else if (anchored)
            throw UsageError("--facets anchored needs --store");
        std::optional<double> bestNatural;
        const auto* single = request.objective.single();
        if (store && single && single->kind == analysis::ObjectiveTerm::Kind::Channel) {
            const auto column = store->unitColumn(single->layer, single->units.at(0));
            if (!column.empty()) bestNatural = *std::max_element(column.begin(), column.end());
        } else if (store && !anchored) {
            throw UsageError("--store compares single channel objectives only");
        }
        CommandLineJob job;
        ordered_json groups = nullptr;
        if (anchored) {
            if (first.units.empty() || first.layer.empty())
                throw UsageError("anchored facets need a unit of a stored layer as the first term");
            const auto stimuli = storeStimuli(options, *store);
            const auto exemplars =
                int(options.integer("exemplars", 25 * request.images, request.images, 100000));
            auto anchors = analysis::facetAnchors(*store, *stimuli, spec, first.layer,
                                                  first.units[0], request.images, exemplars,
                                                  request.seed, job.context().stage(0, 0.05));
            request.initialImages = std::move(anchors.images);
            groups = anchors.groups;
        }
        auto model = analysis::ScriptModel::load(modelPath);
        const auto result =
            analysis::visualise(model, spec, request, job.context().stage(anchored ? 0.05 : 0, 1));

        auto files =
            writeVisualisationImages(prefix, result.images, indexNames(result.images.shape.at(0)));
        ordered_json report{
            {"objective", request.objective.text()},
            {"model", modelPath.string()},
            {"seed", request.seed},
            {"steps", request.steps},
            {"size", result.images.shape[2]},
            {"seconds_per_step", result.secondsPerStep},
            {"facets", facets},
            {"diversity", request.diversity},
            {"anchor_rows", groups},
            {"facet_similarity", result.facetSimilarity ? ordered_json(*result.facetSimilarity)
                                                        : ordered_json(nullptr)},
            {"facet_cosines", result.facetCosines.values},
            {"final_activation", result.finalActivation},
            {"best_natural_activation",
             bestNatural ? ordered_json(*bestNatural) : ordered_json(nullptr)},
            {"objective_per_step", result.objective},
            {"images", std::move(files)}};
        const auto jsonPath = writeVisualisationReport(prefix, report);
        report.erase("objective_per_step");
        report.erase("anchor_rows");
        report["json"] = jsonPath.string();
        std::cout << report.dump(2) << "\n";
        return 0;
    });
}

int actmaxClusters(const std::vector<std::string>& args) {
    if (wantsHelp(args)) {
        std::cout
            << "usage: unitscope-cli actmax-clusters --model M.pt --layer L --clusters labels.npy\n"
               "         [--iterate [--rounds 10]] [--temperature 1] [--store acts.h5]\n"
               "         [--steps 512] [--size 128]\n"
               "         [--lr 0.05] [--seed S] [--no-transforms] [--input C,H,W]\n"
               "         [--threads N] --out PREFIX\n\n"
               "Cluster-discriminative images (most discriminative stimuli): labels.npy holds one\n"
               "cluster id per unit (channel) of L, negative for none. Image k maximises its\n"
               "cluster's share, log softmax(m / temperature)[k], where m are the clusters' mean\n"
               "activations (the mean of their units' spatial means; with --store, each unit\n"
               "standardised by its mean and standard deviation there). --iterate reassigns each\n"
               "unit to the cluster whose image drives it most and optimises again from the\n"
               "current images until no unit moves (at most --rounds rounds).\n"
            << kRecipeHelp
            << "Writes PREFIX_ID.png and PREFIX_ID.npy per cluster id, and PREFIX.json (per\n"
               "cluster its units, the images' cluster means and shares; the assignment and\n"
               "the units moved after each round).\n";
        return 0;
    }
    return guarded("actmax-clusters", [&] {
        const CliArgs options(args,
                              {"model", "layer", "clusters", "rounds", "temperature", "store",
                               "steps", "size", "lr", "seed", "input", "threads", "out"},
                              {"iterate", "no-transforms"});
        if (!options.positionals().empty())
            throw UsageError("unexpected argument '" + options.positionals()[0] + "'");
        const fs::path modelPath = options.required("model");
        const fs::path prefix = options.required("out");
        analysis::ClusterVisualisationRequest request;
        request.layer = options.required("layer");
        readSettings(options, request);
        request.iterate = options.has("iterate");
        request.maxRounds = int(options.integer("rounds", 10, 1, 1000));
        request.temperature = options.number("temperature", 1, 0, kAny);
        if (!(request.temperature > 0)) throw UsageError("--temperature must be positive");
        analysis::NpyHeader header;
        const auto labels = analysis::readNpyAsDouble(options.required("clusters"), &header);
        if (header.shape.size() != 1)
            throw std::runtime_error("--clusters must be a 1-D array of cluster ids, not " +
                                     analysis::shapeText(header.shape));
        for (double label : labels) {
            if (label != std::floor(label) || std::abs(label) > 1e9)
                throw std::runtime_error("--clusters must hold whole numbers, not " +
                                         std::to_string(label));
            request.clusters.push_back(std::int32_t(label));
        }
        if (auto storePath = options.value("store")) {
            const auto store = analysis::ActivationStore::open(*storePath);
            auto moments = analysis::columnMoments(store.layerMatrix(request.layer));
            request.unitMean = std::move(moments.mean);
            request.unitScale = std::move(moments.std);
        }
        const auto spec = inputSpec(options, modelPath);
        auto model = analysis::ScriptModel::load(modelPath);
        CommandLineJob job;
        const auto result = analysis::visualiseClusters(model, spec, request, job.context());

        std::vector<std::string> names;
        for (auto id : result.clusterIds)
            names.push_back(std::to_string(id));
        auto files = writeVisualisationImages(prefix, result.images, names);
        const auto columns = std::int64_t(result.clusterIds.size());
        const auto row = [&](const analysis::FloatArray& m, std::size_t i) {
            return std::vector<float>(m.values.begin() + std::int64_t(i) * columns,
                                      m.values.begin() + std::int64_t(i + 1) * columns);
        };
        ordered_json clusters = ordered_json::array();
        for (std::size_t i = 0; i < result.clusterIds.size(); ++i) {
            std::vector<std::int64_t> units;
            for (std::size_t u = 0; u < result.clusters.size(); ++u)
                if (result.clusters[u] == result.clusterIds[i]) units.push_back(std::int64_t(u));
            clusters.push_back({{"id", result.clusterIds[i]},
                                {"units", units},
                                {"png", files[i]["png"]},
                                {"npy", files[i]["npy"]},
                                {"cluster_means", row(result.clusterMeans, i)},
                                {"cluster_shares", row(result.clusterShares, i)}});
        }
        ordered_json rounds = ordered_json::array();
        for (const auto& round : result.rounds)
            rounds.push_back({{"clusters", round.clusters},
                              {"moved", round.moved},
                              {"objective_per_step", round.objective}});
        ordered_json report{{"model", modelPath.string()},
                            {"layer", request.layer},
                            {"seed", request.seed},
                            {"steps", request.steps},
                            {"temperature", request.temperature},
                            {"standardised", !request.unitMean.empty()},
                            {"size", result.images.shape[2]},
                            {"seconds_per_step", result.secondsPerStep},
                            {"clusters", clusters},
                            {"assignment", result.clusters},
                            {"rounds", rounds}};
        const auto jsonPath = writeVisualisationReport(prefix, report);
        std::cout << ordered_json{{"layer", request.layer},
                                  {"clusters", result.clusterIds},
                                  {"rounds", result.rounds.size()},
                                  {"json", jsonPath.string()}}
                         .dump(2)
                  << "\n";
        return 0;
    });
}

}  // namespace us::cli
