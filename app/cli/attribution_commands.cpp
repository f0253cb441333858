// unitscope-cli attribute / prune / graph-info / graph-convert / supernodes: attribution
// graphs in circuit-tracer's JSON schema.
#include <nlohmann/json.hpp>

#include <iostream>

#include "analysis/attribution/attribution_graph.h"
#include "analysis/attribution/graph_builder.h"
#include "analysis/attribution/graph_pruning.h"
#include "analysis/attribution/supernodes.h"
#include "analysis/core/atomic_file.h"
#include "analysis/core/npy.h"
#include "analysis/core/runtime_setup.h"
#include "analysis/models/activation_store.h"
#include "analysis/models/input_spec.h"
#include "analysis/models/script_model.h"
#include "analysis/stimuli/stimulus_set.h"
#include "app/cli/cli_args.h"
#include "app/cli/cli_commands.h"
#include "app/cli/job_progress.h"

namespace us::cli {
namespace fs = std::filesystem;
using nlohmann::ordered_json;

namespace {

// DIR/input.npy and DIR/LAYER.npy, each written atomically.
void writeMaps(const fs::path& dir, const analysis::AttributionResult& result) {
    fs::create_directories(dir);
    analysis::writeNpy(dir / "input.npy", result.inputMap.values, result.inputMap.shape);
    for (const auto& layer : result.layers)
        analysis::writeNpy(dir / (layer.layer + ".npy"), layer.map.values, layer.map.shape);
}

}  // namespace

int attribute(const std::vector<std::string>& args) {
    if (wantsHelp(args)) {
        std::cout
            << "usage: unitscope-cli attribute --model M.pt --stimuli PATH --index I\n"
               "         --target logit:K|predicted|unit:LAYER:C --layers a,b,c\n"
               "         --method gxa|ig|lrp [--steps 50] [--ig-rule "
               "gausslegendre|trapezoid|right]\n"
               "         [--baseline zero|black|blur] [--patches 4] [--top 32]\n"
               "         [--input C,H,W] [--resize crop|stretch] [--threads N]\n"
               "         --out graph.json [--maps DIR]\n\n"
               "Explains one scalar of the model for one stimulus and writes an attribution\n"
               "graph in circuit-tracer's JSON schema: the input as a patches x patches grid,\n"
               "the top units of each layer by |attribution| (the method's, summed over space),\n"
               "and the target; links by gradient x activation between consecutive bands.\n"
               "  gxa  gradient x activation\n"
               "  ig   Integrated Gradients: at the input, and at each layer in its activation\n"
               "       space (the rest of the network still computed from the input); the\n"
               "       blur baseline is a Gaussian of sigma 10% of the image's longer side\n"
               "  lrp  LRP: BatchNorm merged, flat at the first layer with weights, z+ at later\n"
               "       convolutions, epsilon at fully connected layers\n"
               "--maps writes DIR/input.npy (C x H x W) and DIR/LAYER.npy (C x h x w), float32.\n"
               "Prints t(x), t(x'), the completeness errors and the time as JSON.\n";
        return 0;
    }
    return guarded("attribute", [&] {
        const CliArgs options(args, {"model", "stimuli", "index", "target", "layers", "method",
                                     "steps", "ig-rule", "baseline", "patches", "top", "out",
                                     "maps", "input", "resize", "threads", "batch"});
        if (!options.positionals().empty())
            throw UsageError("unexpected argument '" + options.positionals()[0] + "'");
        const fs::path modelPath = options.required("model");
        const fs::path stimuliPath = options.required("stimuli");
        const fs::path out = options.required("out");
        analysis::GraphRequest request;
        auto& a = request.attribution;
        try {
            a.target =
                analysis::AttributionTarget::parse(options.value("target").value_or("predicted"));
            a.method = analysis::parseAttributionMethod(options.required("method"));
            a.rule =
                analysis::parseIntegrationRule(options.value("ig-rule").value_or("gausslegendre"));
            a.baseline = analysis::parseBaselineKind(options.value("baseline").value_or("zero"));
        } catch (const std::invalid_argument& error) {
            throw UsageError(error.what());
        }
        a.layers = splitList(options.required("layers"));
        a.steps = int(options.integer("steps", 50, 2, 100000));
        a.batchSize = int(options.integer("batch", 4, 1, 1024));
        request.patches = int(options.integer("patches", 4, 1, 64));
        request.top = int(options.integer("top", 32, 1, 100000));
        if (options.has("threads"))
            analysis::setComputeThreads(int(options.integer("threads", 1, 1, 256)));

        std::optional<std::vector<std::int64_t>> shape;
        if (auto text = options.value("input")) shape = analysis::parseInputShape(*text);
        std::optional<analysis::ResizeMode> resize;
        if (auto text = options.value("resize")) resize = analysis::parseResizeMode(*text);
        const auto spec = analysis::resolveInputSpec(modelPath, shape, resize);
        a.inputMean = spec.mean;
        a.inputStd = spec.std;
        auto model = analysis::ScriptModel::load(modelPath);
        const auto stimuli = analysis::openStimulusSet(stimuliPath);
        stimuli->checkCompatible(spec);
        const auto index = options.integer("index", -1, 0, (1LL << 62));
        if (index < 0) throw UsageError("--index is required");
        if (index >= stimuli->size())
            throw std::runtime_error("--index " + std::to_string(index) + " is past the " +
                                     std::to_string(stimuli->size()) + " stimuli of '" +
                                     stimuliPath.string() + "'");
        analysis::FloatArray input{spec.shape,
                                   std::vector<float>(std::size_t(spec.elementCount()))};
        stimuli->modelInput(index, spec, input.values.data());
        request.model = modelPath.filename().string();
        request.stimulus = stimuli->itemName(index);
        request.stimulusIndex = index;
        request.classNames = spec.labels;

        CommandLineJob job;
        const auto computed =
            analysis::computeAttributionGraph(model, input, request, job.context());
        if (auto maps = options.value("maps")) writeMaps(*maps, computed.result);
        analysis::writeAttributionGraph(out, computed.graph);

        const auto& result = computed.result;
        ordered_json layers = ordered_json::array();
        for (const auto& layer : result.layers) {
            ordered_json entry{{"name", layer.layer}, {"units", layer.unitAttribution.size()}};
            double sum = 0;
            for (double v : layer.unitAttribution)
                sum += v;
            entry["attribution_sum"] = sum;
            entry["completeness_error"] = layer.completenessError
                                              ? ordered_json(*layer.completenessError)
                                              : ordered_json(nullptr);
            layers.push_back(std::move(entry));
        }
        double inputSum = 0;
        for (float v : result.inputMap.values)
            inputSum += v;
        ordered_json report{
            {"out", out.string()},
            {"method", analysis::attributionMethodName(a.method)},
            {"target", result.target.text()},
            {"t_x", result.targetValue},
            {"t_baseline", a.method == analysis::AttributionMethod::IntegratedGradients
                               ? ordered_json(result.baselineValue)
                               : ordered_json(nullptr)},
            {"input_attribution_sum", inputSum},
            {"completeness_error", result.completenessError
                                       ? ordered_json(*result.completenessError)
                                       : ordered_json(nullptr)},
            {"layers", std::move(layers)},
            {"nodes", computed.graph.nodes.size()},
            {"links", computed.graph.links.size()},
            {"attribution_seconds", result.seconds}};
        std::cout << report.dump(2) << "\n";
        return 0;
    });
}

int prune(const std::vector<std::string>& args) {
    if (wantsHelp(args)) {
        std::cout << "usage: unitscope-cli prune --graph G.json [--node-threshold 0.8]\n"
                     "         [--edge-threshold 0.98] --out P.json\n\n"
                     "Prunes a graph as circuit-tracer's prune_graph does: nodes by cumulative\n"
                     "influence on the logits (weighted by token_prob), then edges by cumulative\n"
                     "edge influence, then nodes left without links, until nothing changes.\n"
                     "Input and logit nodes always stay. Each kept node's \"influence\" is its\n"
                     "cumulative fraction (lower is more important).\n";
        return 0;
    }
    return guarded("prune", [&] {
        const CliArgs options(args, {"graph", "node-threshold", "edge-threshold", "out"});
        if (!options.positionals().empty())
            throw UsageError("unexpected argument '" + options.positionals()[0] + "'");
        analysis::PruneOptions prune;
        prune.nodeThreshold = options.number("node-threshold", 0.8, 0, 1);
        prune.edgeThreshold = options.number("edge-threshold", 0.98, 0, 1);
        const fs::path out = options.required("out");
        const auto graph = analysis::readAttributionGraph(options.required("graph"));
        const auto result = analysis::pruneGraph(graph, prune);
        const auto pruned = analysis::applyPruning(graph, result, prune);
        analysis::writeAttributionGraph(out, pruned);
        std::cout << ordered_json{{"out", out.string()},
                                  {"nodes", graph.nodes.size()},
                                  {"kept_nodes", pruned.nodes.size()},
                                  {"links", graph.links.size()},
                                  {"kept_links", pruned.links.size()}}
                         .dump(2)
                  << "\n";
        return 0;
    });
}

int graphInfo(const std::vector<std::string>& args) {
    if (wantsHelp(args)) {
        std::cout << "usage: unitscope-cli graph-info G.json\n\n"
                     "Counts of a graph's nodes by type, links, pinned nodes and supernodes, and\n"
                     "its metadata, as JSON.\n";
        return 0;
    }
    return guarded("graph-info", [&] {
        const CliArgs options(args, {});
        if (options.positionals().size() != 1) throw UsageError("graph-info takes one G.json");
        const auto graph = analysis::readAttributionGraph(options.positionals()[0]);
        std::cout << analysis::describeAttributionGraph(graph).dump(2) << "\n";
        return 0;
    });
}

int graphConvert(const std::vector<std::string>& args) {
    if (wantsHelp(args)) {
        std::cout << "usage: unitscope-cli graph-convert --graph IN.json --out OUT.json\n\n"
                     "Reads a circuit-tracer / Neuronpedia graph and writes it in Unitscope's\n"
                     "form of the same schema: every field kept, every node with circuit-tracer's\n"
                     "13 fields. Converting the output again gives the same bytes.\n";
        return 0;
    }
    return guarded("graph-convert", [&] {
        const CliArgs options(args, {"graph", "out"});
        if (!options.positionals().empty())
            throw UsageError("unexpected argument '" + options.positionals()[0] + "'");
        const fs::path out = options.required("out");
        const auto graph = analysis::readAttributionGraph(options.required("graph"));
        analysis::writeAttributionGraph(out, graph);
        std::cout << ordered_json{{"out", out.string()},
                                  {"nodes", graph.nodes.size()},
                                  {"links", graph.links.size()}}
                         .dump(2)
                  << "\n";
        return 0;
    });
}

int supernodes(const std::vector<std::string>& args) {
    if (wantsHelp(args)) {
        std::cout
            << "usage: unitscope-cli supernodes --graph G.json --store acts.h5\n"
               "         [--probe classes|PROBES.json] [--similarity 0.8]\n"
               "         [--permutations 1000] [--seed S] --out G2.json\n\n"
               "Groups the graph's units into supernodes by their activation signatures: each\n"
               "unit's mean activation (from the store, spatial mean) over each probe concept,\n"
               "by default the stimulus classes, or PROBES.json = {\"concept\": [rows...]}.\n"
               "Signatures are centred over the concepts and compared by cosine; average\n"
               "linkage is cut at 1 - similarity. A supernode is named after the concept its\n"
               "members prefer; the evidence (members x concepts) is written into the graph\n"
               "as \"unitscope_supernode_evidence\". Hand-made supernodes are kept.\n"
               "Each label's null: the probe labels shuffled across the probe stimuli; p_label\n"
               "is the share of shuffles whose group prefers its best concept as strongly,\n"
               "(1 + hits) / (1 + permutations); q_label is Benjamini-Hochberg adjusted.\n";
        return 0;
    }
    return guarded("supernodes", [&] {
        const CliArgs options(
            args, {"graph", "store", "probe", "similarity", "permutations", "seed", "out"});
        if (!options.positionals().empty())
            throw UsageError("unexpected argument '" + options.positionals()[0] + "'");
        const fs::path out = options.required("out");
        analysis::SupernodeSettings settings;
        settings.similarity = options.number("similarity", 0.8, -1, 1);
        settings.permutations = int(options.integer("permutations", 1000, 1, 1000000));
        settings.seed = std::uint64_t(options.integer("seed", 0, 0, 1LL << 40));
        const auto graph = analysis::readAttributionGraph(options.required("graph"));
        const auto store = analysis::ActivationStore::open(options.required("store"));
        const std::string probe = options.value("probe").value_or("classes");
        const auto probes = probe == "classes" ? analysis::probeSetFromClasses(store)
                                               : analysis::readProbeSet(probe, store.count());
        CommandLineJob job;
        const auto result = analysis::findSupernodes(graph, store, probes, settings, job.context());
        analysis::writeAttributionGraph(out, analysis::withSupernodes(graph, result));
        ordered_json groups = ordered_json::array();
        for (const auto& node : result.supernodes)
            groups.push_back({{"label", node.label},
                              {"members", node.members.size()},
                              {"similarity", node.similarity},
                              {"p_label", node.labelP.value_or(1.0)},
                              {"q_label", node.labelQ.value_or(1.0)}});
        std::cout << ordered_json{{"out", out.string()},
                                  {"units", result.unitsWithSignatures},
                                  {"skipped", result.skipped.size()},
                                  {"concepts", result.concepts.size()},
                                  {"permutations", result.permutations},
                                  {"supernodes", std::move(groups)}}
                         .dump(2)
                  << "\n";
        return 0;
    });
}

}  // namespace us::cli
