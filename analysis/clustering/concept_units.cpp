#include "analysis/clustering/concept_units.h"

#include "analysis/clustering/nmf.h"
#include "analysis/models/store_layer_source.h"

namespace us::analysis {

std::string conceptLayerName(const std::string& source, ConceptMethod method, std::int64_t k) {
    return source + "/" + conceptLayerType(method) + "-" + std::to_string(k);
}

std::string conceptLayerType(ConceptMethod method) {
    return method == ConceptMethod::Nmf ? "nmf" : "seminmf";
}

std::optional<ConceptMethod> conceptMethodOfType(const std::string& layerType) {
    if (layerType == "nmf") return ConceptMethod::Nmf;
    if (layerType == "seminmf") return ConceptMethod::SemiNmf;
    return std::nullopt;
}

std::optional<std::string> conceptSourceLayer(const StoreLayer& layer) {
    const auto method = conceptMethodOfType(layer.type);
    if (!method) return std::nullopt;
    const std::string suffix = conceptLayerName("", *method, layer.units);
    if (layer.name.size() <= suffix.size()) return std::nullopt;
    return layer.name.substr(0, layer.name.size() - suffix.size());
}

ConceptUnitsSummary writeConceptUnits(const ConceptUnitsRequest& request, const JobContext& job) {
    const auto source = parseStoreLayerSource(request.store, "--store");
    const auto store = ActivationStore::open(source.path);
    const auto x = store.layerMatrix(source.layer, request.pooling);
    job.report(0, "factorising " + source.layer);
    FactorisationOptions options;
    options.k = request.k;
    options.iterations = request.iterations;
    options.seed = request.seed;
    const auto factors = request.method == ConceptMethod::Nmf
                             ? nmf(x, options, job.stage(0, 0.95))
                             : semiNmf(x, options, job.stage(0, 0.95));
    job.checkCancelled();

    ConceptUnitsSummary summary;
    summary.layer = conceptLayerName(source.layer, request.method, request.k);
    summary.k = request.k;
    summary.sourceUnits = x.shape.at(1);
    summary.stimuli = x.shape.at(0);
    summary.relativeError = factors.relativeError;
    summary.iterations = factors.iterations;

    const std::string method = conceptLayerType(request.method);
    ActivationStoreWriter writer(request.out, store.provenance(),
                                 {{summary.layer, method, {request.k}, request.k}},
                                 !store.predictions().empty());
    writer.append({{factors.w, factors.w}}, store.predictions());
    writer.addLayerArray(summary.layer, "directions", factors.h);
    writer.addLayerAttribute(summary.layer, "source_layer", source.layer);
    writer.addLayerAttribute(summary.layer, "method", method);
    writer.finish(store.stimuli());
    job.report(1, summary.layer + " written");
    return summary;
}

}  // namespace us::analysis
