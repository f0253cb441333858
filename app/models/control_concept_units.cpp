#include "app/models/control_concept_units.h"

#include "app/core/cache_files.h"

namespace us::app {
namespace fs = std::filesystem;

std::optional<ControlConcepts> controlConceptsFor(const analysis::StoreLayer& layer) {
    const auto source = analysis::conceptSourceLayer(layer);
    if (!source) return std::nullopt;
    return ControlConcepts{layer.name, *source, *analysis::conceptMethodOfType(layer.type),
                           layer.units};
}

std::string controlConceptSource(const ControlConcepts& concepts, const fs::path& cacheDir,
                                 const fs::path& controlStore, const analysis::JobContext& job) {
    analysis::ConceptUnitsRequest request;
    request.store = controlStore.string() + ":" + concepts.sourceLayer;
    request.method = concepts.method;
    request.k = concepts.k;
    request.out = layerCacheFile(cacheDir, "concept-units", analysis::sha256File(controlStore),
                                 concepts.layer, "-control.h5");
    std::error_code ec;
    if (!fs::exists(request.out, ec)) {
        fs::create_directories(request.out.parent_path());
        analysis::writeConceptUnits(request, job);
    }
    return request.out.string() + ":" + concepts.layer;
}

}  // namespace us::app
