#pragma once
// A concept layer's null model: the concept units of a control network (a random-weight copy,
// or any control store) with the same method and number of components, made from the
// control's source layer with the default settings and kept in the cache. Captions and
// matches of concept units are weighed against these, as those of plain units are against
// the control's units.

#include <filesystem>
#include <optional>
#include <string>

#include "analysis/clustering/concept_units.h"
#include "analysis/core/job_context.h"
#include "analysis/models/activation_store.h"

namespace us::app {

struct ControlConcepts {
    std::string layer;        // "relu3/nmf-8"
    std::string sourceLayer;  // "relu3"
    analysis::ConceptMethod method = analysis::ConceptMethod::Nmf;
    std::int64_t k = 0;
};

// None unless the layer holds concept units (its type names the method).
std::optional<ControlConcepts> controlConceptsFor(const analysis::StoreLayer& layer);

// "path:layer" of the control's concept units, made from controlStore's source layer the first
// time (atomically, under cacheDir/concept-units).
std::string controlConceptSource(const ControlConcepts& concepts,
                                 const std::filesystem::path& cacheDir,
                                 const std::filesystem::path& controlStore,
                                 const analysis::JobContext& job);

}  // namespace us::app
