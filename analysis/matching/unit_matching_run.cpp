#include "analysis/matching/unit_matching_run.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "analysis/models/store_layer_source.h"

namespace us::analysis {
namespace {

struct OpenedLayer {
    StoreLayerSource source;
    FloatArray matrix;
    std::vector<std::string> stimuli;
};

OpenedLayer openLayer(const std::string& text, const std::string& option, Pooling pooling) {
    OpenedLayer opened{parseStoreLayerSource(text, option), {}, {}};
    const auto store = ActivationStore::open(opened.source.path);
    opened.matrix = store.layerMatrix(opened.source.layer, pooling);
    opened.stimuli = store.stimuli().names;
    return opened;
}

void requireSameStimuli(const OpenedLayer& reference, const OpenedLayer& other) {
    if (other.stimuli != reference.stimuli)
        throw std::runtime_error("'" + other.source.path.string() +
                                 "' was extracted on other stimuli than '" +
                                 reference.source.path.string() + "' (" +
                                 std::to_string(other.stimuli.size()) + " against " +
                                 std::to_string(reference.stimuli.size()) + " stimuli)");
}

// Linear interpolation between order statistics, as numpy's default percentile.
double percentile(std::vector<double> values, double fraction) {
    if (values.empty()) return std::nan("");
    std::sort(values.begin(), values.end());
    const double position = fraction * double(values.size() - 1);
    const auto below = std::size_t(std::floor(position));
    const auto above = std::min(below + 1, values.size() - 1);
    return values[below] + (position - double(below)) * (values[above] - values[below]);
}

std::vector<double> pairCorrelations(const std::vector<UnitPair>& pairs) {
    std::vector<double> r;
    for (const auto& pair : pairs) r.push_back(pair.r);
    return r;
}

nlohmann::ordered_json pairsJson(const std::vector<UnitPair>& pairs) {
    auto list = nlohmann::ordered_json::array();
    for (const auto& pair : pairs) list.push_back({pair.unitA, pair.unitB, pair.r});
    return list;
}

nlohmann::ordered_json summaryJson(const std::vector<UnitPair>& pairs) {
    const auto r = pairCorrelations(pairs);
    double sum = 0;
    for (const double value : r) sum += value;
    return {{"pairs", pairs.size()},
            {"mean_r", r.empty() ? nlohmann::ordered_json(nullptr)
                                 : nlohmann::ordered_json(sum / double(r.size()))},
            {"median_r", r.empty() ? nlohmann::ordered_json(nullptr)
                                   : nlohmann::ordered_json(percentile(r, 0.5))}};
}

nlohmann::ordered_json layerJson(const OpenedLayer& layer) {
    return {{"store", layer.source.path.string()},
            {"layer", layer.source.layer},
            {"units", layer.matrix.shape.at(1)}};
}

}  // namespace

nlohmann::ordered_json runUnitMatching(const UnitMatchRequest& request, const JobContext& job) {
    const auto a = openLayer(request.a, "--a", request.pooling);
    const auto b = openLayer(request.b, "--b", request.pooling);
    requireSameStimuli(a, b);
    const std::int64_t count = a.matrix.shape.at(0);
    const double share = request.control ? 0.5 : 1.0;

    const auto match = [&](const OpenedLayer& other, const JobContext& stage) {
        const auto correlations = correlateUnits(a.matrix.values, a.matrix.shape.at(1),
                                                 other.matrix.values, other.matrix.shape.at(1),
                                                 count, stage.stage(0, 0.2));
        return std::pair{matchUnits(correlations, request.method, stage.stage(0.2, 1)),
                         correlations};
    };
    const auto [pairs, correlations] = match(b, job.stage(0, share));

    nlohmann::ordered_json report;
    report["a"] = layerJson(a);
    report["b"] = layerJson(b);
    report["method"] = request.method == MatchMethod::Best ? "best" : "hungarian";
    report["pooling"] = request.pooling == Pooling::Max ? "max" : "mean";
    report["stimuli"] = count;
    report["pairs"] = pairsJson(pairs);
    report["summary"] = summaryJson(pairs);
    report["constant_a"] = correlations.constantA;
    report["constant_b"] = correlations.constantB;
    report["control"] = nullptr;
    report["beyond_control"] = nullptr;
    if (request.control) {
        const auto control = openLayer(*request.control, "--control", request.pooling);
        requireSameStimuli(a, control);
        const auto [controlPairs, controlCorrelations] = match(control, job.stage(share, 1));
        auto controlJson = layerJson(control);
        controlJson["pairs"] = pairsJson(controlPairs);
        controlJson["summary"] = summaryJson(controlPairs);
        controlJson["constant"] = controlCorrelations.constantB;
        report["control"] = std::move(controlJson);
        const double threshold = percentile(pairCorrelations(controlPairs), 0.95);
        if (std::isfinite(threshold) && !pairs.empty()) {
            const auto above = std::count_if(pairs.begin(), pairs.end(), [&](const UnitPair& p) {
                return p.r > threshold;
            });
            report["beyond_control"] = {{"threshold_r", threshold},
                                        {"fraction", double(above) / double(pairs.size())}};
        }
    }
    job.report(1, "matched");
    return report;
}

}  // namespace us::analysis
