#include "analysis/encoding/caption_run.h"

#include <stdexcept>

#include "analysis/models/activation_store.h"

namespace us::analysis {

nlohmann::ordered_json runCaptioning(const CaptionRequest& request, const JobContext& job) {
    const auto model = readEncodingModel(request.encoding);
    if (model.info.layer.empty())
        throw std::runtime_error("'" + request.encoding.string() +
                                 "' was fitted on an X.npy, not on a store layer: captions need "
                                 "the store's stimuli in the same feature space");
    const auto store = ActivationStore::open(request.store);
    const auto pooling = model.info.pooling == "max" ? Pooling::Max : Pooling::Mean;
    const auto matrix = store.layerMatrix(model.info.layer, pooling);
    const FeatureMatrix raw =
        Eigen::Map<const FeatureMatrix>(matrix.values.data(), matrix.shape[0], matrix.shape[1]);
    const FeatureMatrix features = transformFeatures(model, raw);
    const auto& stimuli = store.stimuli();
    ConceptVocabulary vocabulary;
    if (request.concepts == "classes") {
        if (stimuli.labels.empty())
            throw std::runtime_error("the store's stimuli have no classes; give --concepts");
        vocabulary = classVocabulary(features, stimuli.labels, stimuli.labelNames);
    } else {
        vocabulary = readVocabulary(request.concepts, request.names, features, stimuli.names);
    }
    const std::optional<Atlas> atlas =
        request.atlas ? std::optional<Atlas>(readAtlas(*request.atlas)) : std::nullopt;
    if (atlas && model.geometry.surface)
        throw std::runtime_error("region captions need a volume model; this one is per vertex");

    const auto conceptsJson = [&](const std::vector<ConceptScore>& scores) {
        auto out = nlohmann::ordered_json::array();
        for (const auto& s : scores)
            out.push_back({{"name", vocabulary.names[std::size_t(s.index)]},
                           {"score", s.score},
                           {"probability", s.probability}});
        return out;
    };
    nlohmann::ordered_json report;
    report["simulated"] = model.info.description.rfind("SIMULATED", 0) == 0;
    report["encoding"] = request.encoding.string();
    report["layer"] = model.info.layer;
    report["temperature"] = request.settings.temperature;
    report["vocabulary"] = vocabulary.names;
    auto& voxels = report["voxels"] = nlohmann::ordered_json::array();
    const auto captions = captionVoxels(model, vocabulary, features, request.settings,
                                        atlas ? job.stage(0, 0.9) : job);
    for (std::size_t v = 0; v < captions.size(); ++v) {
        nlohmann::ordered_json entry;
        if (model.geometry.surface)
            entry["vertex"] = model.geometry.vertices[v];
        else
            entry["index"] = model.geometry.voxels[v];
        entry["concepts"] = conceptsJson(captions[v].concepts);
        entry["preferred"] = captions[v].preferred;
        voxels.push_back(std::move(entry));
    }
    auto& regions = report["regions"] = nlohmann::ordered_json::array();
    if (atlas) {
        for (const auto& region :
             captionRegions(model, *atlas, vocabulary, features, request.settings)) {
            regions.push_back({{"name", region.name},
                               {"label", region.label},
                               {"voxels", region.voxels},
                               {"predictive", region.predictive},
                               {"concepts", conceptsJson(region.caption.concepts)},
                               {"preferred", region.caption.preferred}});
        }
    }
    job.report(1.0, "captioned");
    return report;
}

}  // namespace us::analysis
