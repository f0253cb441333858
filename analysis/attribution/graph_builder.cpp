#include "analysis/attribution/graph_builder.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "analysis/core/base64.h"
#include "analysis/core/versions.h"
#include "analysis/stimuli/image.h"

namespace us::analysis {

std::string inputNodeId(std::int64_t patch) {
    return "E_" + std::to_string(patch) + "_" + std::to_string(patch);
}

std::string unitNodeId(std::size_t band, std::int64_t unit) {
    return std::to_string(band) + "_" + std::to_string(unit) + "_0";
}

std::string targetNodeId(std::size_t layers, std::int64_t index) {
    return std::to_string(layers + 1) + "_" + std::to_string(index) + "_0";
}

namespace {

std::vector<std::int64_t> topUnits(const std::vector<double>& attribution, int top) {
    std::vector<std::int64_t> order(attribution.size());
    std::iota(order.begin(), order.end(), 0);
    const auto count = std::min<std::size_t>(std::size_t(top), order.size());
    std::partial_sort(order.begin(), order.begin() + std::ptrdiff_t(count), order.end(),
                      [&](std::int64_t a, std::int64_t b) {
                          const double x = std::abs(attribution[std::size_t(a)]);
                          const double y = std::abs(attribution[std::size_t(b)]);
                          return x != y ? x > y : a < b;
                      });
    order.resize(count);
    return order;
}

GraphNode makeNode(std::string id, const std::string& type, const std::string& layer,
                   std::int64_t feature, std::int64_t context, std::string jsId,
                   std::string clerp) {
    GraphNode node;
    node.id = id;
    node.featureType = type;
    node.fields = OrderedJson{{"node_id", id},
                              {"feature", feature},
                              {"layer", layer},
                              {"ctx_idx", context},
                              {"feature_type", type},
                              {"token_prob", 0.0},
                              {"is_target_logit", false},
                              {"run_idx", 0},
                              {"reverse_ctx_idx", 0},
                              {"jsNodeId", std::move(jsId)},
                              {"clerp", std::move(clerp)},
                              {"influence", nullptr},
                              {"activation", nullptr}};
    return node;
}

void addLinks(AttributionGraph& graph, const LinkMatrix& matrix,
              const std::vector<std::size_t>& sourceNodes,
              const std::vector<std::size_t>& targetNodes) {
    for (std::size_t t = 0; t < matrix.targets.size(); ++t)
        for (std::size_t s = 0; s < matrix.sources.size(); ++s) {
            const double w = matrix.weights[t * matrix.sources.size() + s];
            if (w == 0 || !std::isfinite(w)) continue;
            GraphLink link;
            link.source = sourceNodes[s];
            link.target = targetNodes[t];
            link.weight = w;
            graph.links.push_back(std::move(link));
        }
}

// The input as the model saw it, before normalisation, at most 96 px: the panel draws its
// patches under the input nodes. Raw 8-bit pixels (rows top down, channels interleaved).
OrderedJson inputThumbnail(const FloatArray& input, const AttributionRequest& request) {
    const auto& shape = input.shape;
    const auto channels = shape.size() >= 3 ? shape[shape.size() - 3] : 1;
    const auto height = int(shape.at(shape.size() - 2)), width = int(shape.back());
    if (channels != 1 && channels != 3) return nullptr;
    Image image{width, height, int(channels), {}};
    image.pixels.resize(std::size_t(width) * std::size_t(height) * std::size_t(channels));
    for (std::int64_t c = 0; c < channels; ++c) {
        const auto k = std::size_t(c);
        const float mean = k < request.inputMean.size() ? request.inputMean[k] : 0.f;
        const float std = k < request.inputStd.size() ? request.inputStd[k] : 1.f;
        for (int y = 0; y < height; ++y)
            for (int x = 0; x < width; ++x) {
                const float v =
                    input.values[(std::size_t(c) * std::size_t(height) + std::size_t(y)) *
                                     std::size_t(width) +
                                 std::size_t(x)] *
                        std +
                    mean;
                image.pixels[(std::size_t(y) * std::size_t(width) + std::size_t(x)) *
                                 std::size_t(channels) +
                             k] = std::uint8_t(std::lround(std::clamp(v, 0.f, 1.f) * 255.f));
            }
    }
    constexpr int kLongest = 96;
    if (std::max(width, height) > kLongest) {
        const double scale = double(kLongest) / std::max(width, height);
        image = resizeImage(image, std::max(1, int(std::lround(width * scale))),
                            std::max(1, int(std::lround(height * scale))));
    }
    return OrderedJson{{"width", image.width},
                       {"height", image.height},
                       {"channels", image.channels},
                       {"pixels_base64", base64Encode(image.pixels)}};
}

}  // namespace

ComputedGraph computeAttributionGraph(ScriptModel& model, const FloatArray& input,
                                      const GraphRequest& request, const JobContext& job) {
    if (request.top < 1) throw std::invalid_argument("--top must be at least 1");
    if (request.patches < 1) throw std::invalid_argument("the patch grid must be at least 1");
    const auto& shape = input.shape;
    const auto height = shape.at(shape.size() - 2), width = shape.back();
    if (request.patches > height || request.patches > width)
        throw std::invalid_argument("a " + std::to_string(request.patches) + " x " +
                                    std::to_string(request.patches) +
                                    " patch grid does not fit a " + std::to_string(height) + " x " +
                                    std::to_string(width) + " image");
    Attributor attributor(model);
    ComputedGraph out;
    out.result = attributor.attribute(input, request.attribution, job.stage(0, 0.5));
    const auto& result = out.result;
    auto& graph = out.graph;
    const int grid = request.patches;
    const auto patchCount = std::int64_t(grid) * grid;

    // The input patches: attribution summed, activation (the input) averaged over the patch.
    std::vector<double> patchAttribution(std::size_t(patchCount), 0.0);
    std::vector<double> patchMean(std::size_t(patchCount), 0.0);
    std::vector<std::int64_t> patchPixels(std::size_t(patchCount), 0);
    const auto channels = result.inputMap.shape.at(0);
    for (std::int64_t c = 0; c < channels; ++c)
        for (std::int64_t y = 0; y < height; ++y)
            for (std::int64_t x = 0; x < width; ++x) {
                const auto p = std::size_t(patchIndex(y, x, height, width, grid));
                const auto i = std::size_t((c * height + y) * width + x);
                patchAttribution[p] += result.inputMap.values[i];
                patchMean[p] += result.input.values[i];
                ++patchPixels[p];
            }
    std::vector<std::size_t> previousNodes;
    std::vector<std::int64_t> previousUnits;
    for (std::int64_t p = 0; p < patchCount; ++p) {
        auto node = makeNode(inputNodeId(p), kInputNode, "E", p, p,
                             "E_" + std::to_string(p) + "-" + std::to_string(p),
                             "patch " + std::to_string(p / grid) + "," + std::to_string(p % grid));
        node.activation = patchMean[std::size_t(p)] / double(patchPixels[std::size_t(p)]);
        node.fields["attribution"] = patchAttribution[std::size_t(p)];
        node.fields["patch"] = OrderedJson{{"row", p / grid}, {"column", p % grid}, {"grid", grid}};
        previousNodes.push_back(graph.nodes.size());
        previousUnits.push_back(p);
        graph.nodes.push_back(std::move(node));
    }

    std::string previousLayer;  // "" = the input
    const auto bands = result.layers.size();
    for (std::size_t band = 0; band < bands; ++band) {
        job.checkCancelled();
        const auto& layer = result.layers[band];
        const auto units = topUnits(layer.unitAttribution, request.top);
        std::vector<std::size_t> nodes;
        for (auto unit : units) {
            auto node = makeNode(unitNodeId(band, unit), kFeatureNode, std::to_string(band), unit,
                                 0, std::to_string(band) + "_" + std::to_string(unit) + "-0",
                                 layer.layer + ":" + std::to_string(unit));
            node.activation = layer.unitActivation[std::size_t(unit)];
            node.fields["layer_name"] = layer.layer;
            node.fields["unit"] = unit;
            node.fields["attribution"] = layer.unitAttribution[std::size_t(unit)];
            nodes.push_back(graph.nodes.size());
            graph.nodes.push_back(std::move(node));
        }
        const auto matrix = attributor.links(
            input, previousLayer, previousUnits, layer.layer, units, result.target, grid,
            job.stage(0.5 + 0.45 * double(band) / double(bands),
                      0.5 + 0.45 * double(band + 1) / double(bands)));
        addLinks(graph, matrix, previousNodes, nodes);
        previousLayer = layer.layer;
        previousNodes = std::move(nodes);
        previousUnits = units;
    }

    // The target.
    const auto index = result.target.index;
    std::string label;
    if (result.target.kind == AttributionTarget::Kind::Unit) {
        label = "unit " + result.target.layer + ":" + std::to_string(index);
    } else {
        label = std::size_t(index) < request.classNames.size()
                    ? "Output \"" + request.classNames[std::size_t(index)] + "\""
                    : "Output " + std::to_string(index);
    }
    auto target = makeNode(targetNodeId(bands, index), kLogitNode, std::to_string(bands + 1), index,
                           0, "L_" + std::to_string(index) + "-0", label);
    target.tokenProb = 1.0;
    target.isTargetLogit = true;
    target.activation = result.targetValue;
    target.fields["attribution"] = result.targetValue - result.baselineValue;
    if (result.target.kind == AttributionTarget::Kind::Unit) {
        target.fields["layer_name"] = result.target.layer;
        target.fields["unit"] = index;
    }
    const std::size_t targetNode = graph.nodes.size();
    graph.nodes.push_back(std::move(target));
    const auto toTarget = attributor.links(input, previousLayer, previousUnits, "", {0},
                                           result.target, grid, job.stage(0.95, 1.0));
    addLinks(graph, toTarget, previousNodes, {targetNode});

    const auto& a = request.attribution;
    OrderedJson tokens = OrderedJson::array();
    for (std::int64_t p = 0; p < patchCount; ++p)
        tokens.push_back("patch " + std::to_string(p / grid) + "," + std::to_string(p % grid));
    OrderedJson layers = OrderedJson::array();
    for (const auto& layer : result.layers)
        layers.push_back(layer.layer);
    graph.metadata = OrderedJson{
        {"slug", request.stimulus.empty() ? std::string("unitscope-graph")
                                          : "unitscope-" + request.stimulus},
        {"scan", "unitscope"},
        {"transcoder_list", OrderedJson::array()},
        {"prompt_tokens", std::move(tokens)},
        {"prompt", request.stimulus},
        {"node_threshold", nullptr},
        {"generator", "Unitscope " + unitscopeVersion()},
        {"model", request.model},
        {"stimulus", request.stimulus},
        {"stimulus_index", request.stimulusIndex},
        {"method", attributionMethodName(a.method)},
        {"steps", a.method == AttributionMethod::IntegratedGradients ? OrderedJson(a.steps)
                                                                     : OrderedJson(nullptr)},
        {"ig_rule", a.method == AttributionMethod::IntegratedGradients
                        ? OrderedJson(integrationRuleName(a.rule))
                        : OrderedJson(nullptr)},
        {"baseline", a.method == AttributionMethod::IntegratedGradients
                         ? OrderedJson(baselineKindName(a.baseline))
                         : OrderedJson(nullptr)},
        {"layers", std::move(layers)},
        {"target", result.target.text()},
        {"target_value", result.targetValue},
        {"baseline_value", result.baselineValue},
        {"completeness_error",
         result.completenessError ? OrderedJson(*result.completenessError) : OrderedJson(nullptr)},
        {"patches", grid},
        {"top", request.top},
        {"links", "gradient x activation"},
        {"unitscope_input_thumbnail", inputThumbnail(input, a)}};
    graph.qParams = OrderedJson{{"pinnedIds", OrderedJson::array()},
                                {"supernodes", OrderedJson::array()},
                                {"linkType", "both"},
                                {"clickedId", ""},
                                {"sg_pos", ""}};
    job.report(1.0, "graph");
    return out;
}

}  // namespace us::analysis
