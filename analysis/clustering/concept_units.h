#pragma once
// Concept units: the NMF or semi-NMF components of a stored layer (X [stimuli, units] ~= W H)
// as the units of a new layer "LAYER/nmf-K" (or "LAYER/seminmf-K"). A component's activation
// for a stimulus is its weight in W, so exemplars, histograms, class means and captions come
// from the same code as any layer's; its direction in the source layer's channel space (a row
// of H) is stored beside it for activation maximisation.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "analysis/core/job_context.h"
#include "analysis/models/activation_store.h"

namespace us::analysis {

enum class ConceptMethod { Nmf, SemiNmf };

struct ConceptUnitsRequest {
    std::string store;  // "acts.h5:LAYER"
    ConceptMethod method = ConceptMethod::Nmf;
    std::int64_t k = 8;
    int iterations = 200;
    std::uint64_t seed = 0;
    Pooling pooling = Pooling::Mean;
    std::filesystem::path out;
};

struct ConceptUnitsSummary {
    std::string layer;  // "relu3/nmf-8"
    std::int64_t k = 0, sourceUnits = 0, stimuli = 0;
    double relativeError = 0;
    int iterations = 0;
};

// "relu3/nmf-8"
std::string conceptLayerName(const std::string& source, ConceptMethod method, std::int64_t k);
// A concept layer's store type ("nmf", "seminmf"), and back: the method of a store layer's
// type, or none when the layer holds no concept units.
std::string conceptLayerType(ConceptMethod method);
std::optional<ConceptMethod> conceptMethodOfType(const std::string& layerType);
// The layer a concept layer was made from ("relu3" for "relu3/nmf-8", by its name, as the
// writer names it), or none when the layer holds no concept units.
std::optional<std::string> conceptSourceLayer(const StoreLayer& layer);

// Writes out as an activation store with the source store's provenance and stimuli and the one
// concept layer (mean = max = W; directions = H; attrs source_layer, method). Atomic; throws
// with one clear message.
ConceptUnitsSummary writeConceptUnits(const ConceptUnitsRequest& request,
                                      const JobContext& job = {});

}  // namespace us::analysis
