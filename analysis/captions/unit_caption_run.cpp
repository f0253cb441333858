#include "analysis/captions/unit_caption_run.h"

#include <algorithm>
#include <stdexcept>

#include "analysis/clustering/concept_units.h"
#include "analysis/models/store_layer_source.h"

namespace us::analysis {

nlohmann::ordered_json runUnitCaptions(const UnitCaptionRequest& request) {
    const auto source = parseStoreLayerSource(request.store, "--store");
    const auto store = ActivationStore::open(source.path);
    const auto matrix = store.layerMatrix(source.layer, request.pooling);
    const auto& stimuli = store.stimuli();
    ConceptLabels labels;
    if (request.concepts == "classes") {
        if (stimuli.labels.empty())
            throw std::runtime_error("the store's stimuli have no classes; give --concepts");
        labels = classConceptLabels(stimuli.labels, stimuli.labelNames);
    } else {
        labels = readConceptLabels(request.concepts, request.names, stimuli.names);
    }
    std::optional<FloatArray> control;
    std::string controlLayer;
    if (request.control) {
        const auto controlSource = parseStoreLayerSource(*request.control, "--control");
        const auto controlStore = ActivationStore::open(controlSource.path);
        if (controlStore.stimuli().names != stimuli.names)
            throw std::runtime_error("the control '" + controlSource.path.string() +
                                     "' was extracted on other stimuli than the store");
        // Concept units are weighed against the control's concept units, which the control's
        // store holds only once `concepts` has made them: say so rather than "no such layer".
        const auto& controlLayers = controlStore.layers();
        const bool held =
            std::any_of(controlLayers.begin(), controlLayers.end(),
                        [&](const StoreLayer& layer) { return layer.name == controlSource.layer; });
        const auto& captioned = store.layer(source.layer);
        if (const auto base = conceptSourceLayer(captioned); !held && base)
            throw std::runtime_error("the control '" + controlSource.path.string() +
                                     "' has no concept units '" + controlSource.layer +
                                     "': make them first with unitscope-cli concepts --store " +
                                     controlSource.path.string() + ":" + *base + " --method " +
                                     captioned.type + " --k " + std::to_string(captioned.units) +
                                     " --out CONTROL-CONCEPTS.h5, and give that as --control");
        control = controlStore.layerMatrix(controlSource.layer, request.pooling);
        controlLayer = controlSource.layer;
    }
    const std::int64_t units = matrix.shape.at(1);
    const auto captions =
        captionUnits(matrix.values, units, labels, request.settings,
                     control ? &control->values : nullptr, control ? control->shape.at(1) : 0);

    nlohmann::ordered_json report;
    report["store"] = source.path.string();
    report["layer"] = source.layer;
    report["pooling"] = request.pooling == Pooling::Max ? "max" : "mean";
    report["vocabulary"] = labels.names;
    report["permutation_test"] =
        request.settings.permutations > 0
            ? nlohmann::ordered_json{{"shuffles", request.settings.permutations},
                                     {"seed", request.settings.seed}}
            : nlohmann::ordered_json("mann-whitney asymptotic");
    report["control"] =
        control ? nlohmann::ordered_json{{"layer", controlLayer}, {"units", control->shape.at(1)}}
                : nlohmann::ordered_json(nullptr);
    auto& list = report["units"] = nlohmann::ordered_json::array();
    const auto optional = [](const std::optional<double>& value) {
        return value ? nlohmann::ordered_json(*value) : nlohmann::ordered_json(nullptr);
    };
    for (const auto& caption : captions) {
        auto concepts = nlohmann::ordered_json::array();
        for (const auto& score : caption.concepts)
            concepts.push_back({{"name", labels.names[std::size_t(score.concept_)]},
                                {"auc", score.auc},
                                {"wpmi", score.wpmi},
                                {"p_permutation", score.pPermutation},
                                {"q_permutation", score.qPermutation},
                                {"p_control", optional(score.pControl)},
                                {"q_control", optional(score.qControl)}});
        list.push_back({{"unit", caption.unit},
                        {"caption", caption.caption},
                        {"chance", caption.chance},
                        {"top_share", caption.topShare},
                        {"concepts", std::move(concepts)}});
    }
    return report;
}

}  // namespace us::analysis
