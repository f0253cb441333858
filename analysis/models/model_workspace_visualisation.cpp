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
    const std::string objectiveText = request.objective.text();
    const auto& first = request.objective.terms.front();
    auto stage = context;
    if (setup.anchored) {
        if (!store_ || !stimuli_)
            throw std::runtime_error("anchored facets need activations and their stimuli open");
        if (first.units.empty() || !hasStoredLayer(first.layer))
            throw std::invalid_argument("anchored facets need a unit of a stored layer");
        const int exemplars = setup.exemplars > 0 ? setup.exemplars : 25 * request.images;
        request.initialImages =
            facetAnchors(storeFor(first.layer), *stimuli_, spec_, first.layer, first.units[0],
                         request.images, exemplars, request.seed, context.stage(0, 0.05))
                .images;
        stage = context.stage(0.05, 1);
    }
    // A concept unit is a direction in its source layer's channel space: the model has no
    // such layer, so the term becomes that direction (cosine with the activations).
    for (auto& term : request.objective.terms) {
        const auto concept_ = conceptDirections(term.layer);
        if (!concept_) continue;
        if (term.kind != ObjectiveTerm::Kind::Channel)
            throw std::invalid_argument("concept units of '" + term.layer +
                                        "' are visualised one at a time as channel objectives");
        const auto& [source, directions] = *concept_;
        const auto unit = term.units.at(0);
        if (directions.shape.size() != 2 || unit >= directions.shape[0])
            throw std::invalid_argument("'" + term.layer + "' has no concept unit " +
                                        std::to_string(unit));
        const auto width = directions.shape[1];
        term.kind = ObjectiveTerm::Kind::Direction;
        term.direction.assign(directions.values.begin() + unit * width,
                              directions.values.begin() + (unit + 1) * width);
        term.directionPath = term.layer + " unit " + std::to_string(unit);
        term.layer = source;
        term.units.clear();
    }
    const auto result = analysis::visualise(*model_, spec_, request, stage);

    VisualisationRecord record;
    record.objective = objectiveText;
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
    // (A concept unit's term is a direction by now: its stored NMF weight is not comparable.)
    if (single && single->kind == ObjectiveTerm::Kind::Channel && hasStoredLayer(single->layer)) {
        const auto column = storeFor(single->layer).unitColumn(single->layer, single->units.at(0));
        if (!column.empty()) record.bestNatural = *std::max_element(column.begin(), column.end());
    }
    record.imageShape = result.images.shape;
    record.images = result.images.values;
    return record;
}

}  // namespace us::analysis
