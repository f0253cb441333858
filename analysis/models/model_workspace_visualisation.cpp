// ModelWorkspace::visualise: activation maximisation with the open model, kept as a session
// record with the unit's best natural activation for comparison.

#include <algorithm>
#include <limits>
#include <stdexcept>

#include "analysis/models/model_workspace.h"
#include "analysis/models/script_model.h"
#include "analysis/stimuli/stimulus_set.h"
#include "analysis/visualisation/cluster_visualisation.h"
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
    record.facets = setup.anchored ? "anchored" : request.images == 1 ? "single" : "diverse";
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

std::optional<std::pair<std::string, std::vector<std::int64_t>>> clusterUnitsOf(
    const VisualisationRecord& record) {
    if (record.facets != "discriminative") return std::nullopt;
    try {
        const auto objective = VisualisationObjective::parse(record.objective);
        const auto* term = objective.single();
        if (!term || term->kind != ObjectiveTerm::Kind::Units) return std::nullopt;
        return std::pair{term->layer, term->units};
    } catch (const std::invalid_argument&) {
        return std::nullopt;  // a hand-edited session: the record shows, unmatched
    }
}

std::vector<VisualisationRecord> ModelWorkspace::clusterImages(const ClusterImagesSetup& setup,
                                                               const JobContext& context) {
    if (!model_) throw std::runtime_error("open a model first (File > Open model)");
    if (setup.cells.size() < 2)
        throw std::invalid_argument("discriminative images need at least two clusters");
    if (setup.labels.size() != setup.cells.size())
        throw std::invalid_argument("one label per cluster is needed");
    ClusterVisualisationRequest request;
    static_cast<OptimisationSettings&>(request) = setup.settings;
    request.layer = setup.layer;
    request.iterate = setup.iterate;
    std::int64_t units = 0;
    for (const auto& cell : setup.cells)
        for (auto unit : cell)
            units = std::max(units, unit + 1);
    if (hasStoredLayer(setup.layer)) {
        auto moments = columnMoments(storeFor(setup.layer).layerMatrix(setup.layer));
        units = std::int64_t(moments.mean.size());
        request.unitMean = std::move(moments.mean);
        request.unitScale = std::move(moments.std);
    }
    request.clusters.assign(static_cast<std::size_t>(units), -1);
    for (std::size_t c = 0; c < setup.cells.size(); ++c)
        for (auto unit : setup.cells[c]) {
            if (unit < 0 || unit >= units)
                throw std::invalid_argument("unit " + std::to_string(unit) + " is out of range: '" +
                                            setup.layer + "' has " + std::to_string(units));
            auto& cluster = request.clusters[std::size_t(unit)];
            if (cluster >= 0)
                throw std::invalid_argument("unit " + std::to_string(unit) + " is in two clusters");
            cluster = std::int32_t(c);
        }
    const auto result = visualiseClusters(*model_, spec_, request, context);

    std::vector<VisualisationRecord> records;
    const auto k = std::int64_t(result.clusterIds.size());
    const auto& shape = result.images.shape;
    const auto perImage = std::size_t(shape.at(1) * shape.at(2) * shape.at(3));
    for (std::int64_t image = 0; image < k; ++image) {
        const auto cell = std::size_t(result.clusterIds[std::size_t(image)]);
        VisualisationRecord record;
        std::string objective = "units:" + setup.layer + ":";
        for (std::size_t i = 0; i < setup.cells[cell].size(); ++i) {
            if (i) objective += ',';
            objective += std::to_string(setup.cells[cell][i]);
        }
        record.objective = std::move(objective);
        record.label = setup.labels[cell];
        record.facets = "discriminative";
        record.steps = request.steps;
        record.size = request.size;
        record.learningRate = request.learningRate;
        record.seed = request.seed;
        for (const auto& round : result.rounds)
            record.objectiveCurve.insert(record.objectiveCurve.end(), round.objective.begin(),
                                         round.objective.end());
        const auto* means = result.clusterMeans.values.data() + image * k;
        record.finalActivation = {means[image]};
        record.clusterShare = result.clusterShares.values[std::size_t(image * k + image)];
        double rival = -std::numeric_limits<double>::infinity();
        for (std::int64_t other = 0; other < k; ++other)
            if (other != image) rival = std::max(rival, double(means[other]));
        record.rivalActivation = rival;
        record.imageShape = {1, shape[1], shape[2], shape[3]};
        const auto from =
            result.images.values.begin() + std::ptrdiff_t(std::size_t(image) * perImage);
        record.images.assign(from, from + std::ptrdiff_t(perImage));
        records.push_back(std::move(record));
    }
    return records;
}

}  // namespace us::analysis
