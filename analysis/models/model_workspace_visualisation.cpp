// ModelWorkspace::visualise: activation maximisation with the open model, kept as a session
// record with the unit's best natural activation for comparison.

#include <algorithm>
#include <stdexcept>

#include "analysis/models/model_workspace.h"
#include "analysis/models/script_model.h"
#include "analysis/stimuli/stimulus_set.h"
#include "analysis/visualisation/facet_anchors.h"

namespace us::analysis {

VisualisationRecord ModelWorkspace::visualise(const VisualisationSetup& setup,
                                              const JobContext& context) {
    if (!model_) throw std::runtime_error("open a model first (File > Open model)");
    auto request = setup.request;
    if (request.objective.terms.empty()) throw std::invalid_argument("the objective has no term");
    const auto& first = request.objective.terms.front();
    const auto storeHas = [&](const std::string& layer) {
        if (!store_) return false;
        const auto& layers = store_->layers();
        return std::any_of(layers.begin(), layers.end(),
                           [&](const StoreLayer& l) { return l.name == layer; });
    };
    auto stage = context;
    if (setup.anchored) {
        if (!store_ || !stimuli_)
            throw std::runtime_error("anchored facets need activations and their stimuli open");
        if (first.units.empty() || !storeHas(first.layer))
            throw std::invalid_argument("anchored facets need a unit of a stored layer");
        const int exemplars = setup.exemplars > 0 ? setup.exemplars : 25 * request.images;
        request.initialImages =
            facetAnchors(*store_, *stimuli_, spec_, first.layer, first.units[0], request.images,
                         exemplars, request.seed, context.stage(0, 0.05))
                .images;
        stage = context.stage(0.05, 1);
    }
    const auto result = analysis::visualise(*model_, spec_, request, stage);

    VisualisationRecord record;
    record.objective = request.objective.text();
    record.label = setup.label;
    record.unit = setup.unit;
    record.facets = request.images == 1 ? "single" : setup.anchored ? "anchored" : "diverse";
    record.steps = request.steps;
    record.size = request.size;
    record.learningRate = request.learningRate;
    record.diversity = request.diversity;
    record.seed = request.seed;
    record.objectiveCurve = result.objective;
    record.finalActivation = result.finalActivation;
    const auto* single = request.objective.single();
    if (single && single->kind == ObjectiveTerm::Kind::Channel && storeHas(single->layer)) {
        const auto column = storeFor(single->layer).unitColumn(single->layer, single->units.at(0));
        if (!column.empty()) record.bestNatural = *std::max_element(column.begin(), column.end());
    }
    record.imageShape = result.images.shape;
    record.images = result.images.values;
    return record;
}

}  // namespace us::analysis
