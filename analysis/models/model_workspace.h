#pragma once
// What the user has opened on the model side (model, stimuli, activation store) and the
// questions the inspector asks of it. Lives on the worker thread: the GUI only ever sees the
// value types it returns.

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "analysis/attribution/graph_builder.h"
#include "analysis/attribution/supernodes.h"
#include "analysis/clustering/cluster_tree.h"
#include "analysis/clustering/item_matrix.h"
#include "analysis/clustering/linkage.h"
#include "analysis/core/job_context.h"
#include "analysis/models/activation_store.h"
#include "analysis/models/extraction.h"
#include "analysis/models/input_spec.h"
#include "analysis/models/layer_info.h"
#include "analysis/models/unit_statistics.h"
#include "analysis/session/session.h"
#include "analysis/stimuli/image.h"
#include "analysis/visualisation/activation_maximisation.h"

namespace us::analysis {

class ScriptModel;
class StimulusSet;

struct ModelSummary {
    std::string path;
    std::string sha256;
    InputSpec spec;
    std::vector<LayerInfo> layers;
};

struct StimuliSummary {
    std::string path;
    std::string kind;
    std::int64_t count = 0;
    std::vector<std::string> labelNames;
    bool labelled = false;
};

// A store added to the open one (concept units), as the session lists it.
struct AttachedStoreSummary {
    std::string path;
    std::string sha256;
    std::vector<std::string> layers;
};

struct StoreSummary {
    std::string path;
    std::string sha256;
    std::int64_t count = 0;
    std::vector<StoreLayer> layers;
    std::vector<std::string> labelNames;
    bool labelled = false;
    bool hasPredictions = false;
    std::vector<std::string> skipped;            // stimuli that could not be read at extraction
    std::vector<AttachedStoreSummary> attached;  // their layers are also in `layers`
};

struct Exemplar {
    std::int64_t row = 0;  // row in the store
    std::string name;
    float value = 0;
    std::int32_t label = -1;      // -1: unknown
    std::int32_t predicted = -1;  // -1: unknown
    Image image;                  // empty when the stimuli cannot be read
    FloatArray heatmap;           // [h, w] for spatial layers when the model is open
};

// How to read an exemplar's `predicted`: the model's class names (empty when unknown), and
// whether they are the stimuli's label names; only then is predicted != label a mistake.
struct PredictionNames {
    std::vector<std::string> classNames;
    bool comparableWithLabels = false;
};

// A clustering of a stored layer's stimuli or units, for the treemap.
struct ClusterResult {
    std::shared_ptr<const ClusterTree> tree;  // immutable once built: safe to share
    ItemKind items = ItemKind::Stimuli;
    std::string layer;
    std::string method;
    std::vector<std::string> itemNames;        // stimulus names or "layer:unit"
    std::map<std::int64_t, Image> thumbnails;  // representative stimuli, at most 64 px
};

// One cluster's members for the inspector: the members nearest its centroid first.
struct ClusterMembers {
    std::int64_t node = 0;
    std::int64_t size = 0;
    std::vector<Exemplar> exemplars;
    std::vector<std::string> classNames;
    std::vector<std::int32_t> classCounts;
    PredictionNames predictions;
};

struct UnitReport {
    UnitRef unit;
    std::string layerType;
    std::int64_t layerUnits = 0;
    Pooling pooling = Pooling::Mean;
    std::vector<Exemplar> exemplars;
    Histogram histogram;
    std::vector<std::string> classNames;
    std::vector<ClassMean> classMeans;  // empty without labels
    std::vector<SimilarUnit> similar;
    PredictionNames predictions;
    std::vector<float> values;  // the unit's activation for every stored stimulus
    std::string note;           // why something is missing (no heat maps, no images), else empty
};

// An activation-maximisation run as the GUI asks for it.
struct VisualisationSetup {
    VisualisationRequest request;
    std::string label;            // what it is for, shown with the result
    std::optional<UnitRef> unit;  // the inspector's unit it belongs to, if one
    // Facets start from the mean images of groups of the unit's top exemplars (the store's);
    // exemplars 0 means 25 per facet.
    bool anchored = false;
    int exemplars = 0;
};

// Discriminative images for the cells of a treemap of a layer's units: one image per cell
// that drives the cell's units more than the other cells' (see cluster_visualisation.h).
struct ClusterImagesSetup {
    std::string layer;
    std::vector<std::vector<std::int64_t>> cells;  // each cell's units; the rest are left out
    std::vector<std::string> labels;               // per cell, what its image is for
    OptimisationSettings settings;
    bool iterate = false;  // reassign units to the image that drives them most, and again
};

// A discriminative record's cluster: its layer and units (from "units:LAYER:C1,C2,..."),
// nullopt for any other record.
std::optional<std::pair<std::string, std::vector<std::int64_t>>> clusterUnitsOf(
    const VisualisationRecord& record);

class ModelWorkspace {
  public:
    ModelWorkspace();
    ~ModelWorkspace();
    ModelWorkspace(const ModelWorkspace&) = delete;
    ModelWorkspace& operator=(const ModelWorkspace&) = delete;

    ModelSummary openModel(const std::filesystem::path& path,
                           const std::optional<std::vector<std::int64_t>>& inputShape,
                           std::optional<ResizeMode> resize = std::nullopt);
    StimuliSummary openStimuli(const std::filesystem::path& path);
    // Also opens the store's model and stimuli when they are not open and still exist.
    StoreSummary openStore(const std::filesystem::path& path);
    // Adds the layers of another store over the same stimuli (concept units, "relu3/nmf-8") to
    // the open one's, for the inspector, clustering and captions; a store of the same path
    // replaces its earlier copy. Throws std::runtime_error when the stimuli differ or a layer
    // name is taken. Opening another main store drops the attached ones.
    StoreSummary attachStore(const std::filesystem::path& path);
    // A concept layer's directions in its source layer's channel space ([K, source units]) and
    // the source layer's name, when the layer is one.
    std::optional<std::pair<std::string, FloatArray>> conceptDirections(
        const std::string& layer) const;
    // Extracts with the open model and stimuli, then opens the new store.
    StoreSummary extract(const std::vector<std::string>& layers, const std::filesystem::path& out,
                         std::int64_t batchSize, const JobContext& context,
                         ExtractionSummary* summary = nullptr);

    UnitReport inspect(const UnitRef& unit, std::int64_t k, Pooling pooling,
                       const JobContext& context);
    // The unit's pooled activation for every stored stimulus.
    std::vector<float> unitValues(const UnitRef& unit, Pooling pooling) const;

    // Clusters the stored layer's stimuli (rows) or units (columns). Stimuli beyond the exact
    // limit are clustered in two stages (labelled approximate).
    ClusterResult cluster(const std::string& layer, ItemKind items, LinkageMethod method,
                          Pooling pooling, const JobContext& context);
    ClusterMembers clusterMembers(const ClusterResult& clusters, std::int64_t node,
                                  std::int64_t count) const;
    // Store rows as exemplars (name, label, prediction, image when the stimuli are open), each
    // with its given value.
    std::vector<Exemplar> stimulusExemplars(const std::vector<std::int64_t>& rows,
                                            const std::vector<float>& values) const;
    PredictionNames predictionNames() const;

    // The attribution graph of one stimulus (a row of the store when one is open, else an
    // index into the stimuli) with the open model. Throws std::runtime_error when the model
    // or the stimuli are missing, std::invalid_argument for bad options.
    ComputedGraph attributionGraph(GraphRequest request, std::int64_t stimulus,
                                   const JobContext& context);
    // Automatic supernodes of a graph over the store's classes, each label with its p against
    // shuffled class labels (see supernodes.h).
    SupernodeResult graphSupernodes(const AttributionGraph& graph,
                                    const SupernodeSettings& settings,
                                    const JobContext& context) const;

    // Activation maximisation with the open model; the result carries the unit's best natural
    // activation when the objective is one channel of a stored layer. Throws
    // std::runtime_error without a model, std::invalid_argument for a bad objective.
    VisualisationRecord visualise(const VisualisationSetup& setup, const JobContext& context);
    // One "discriminative" record per cell that still has units at the end, its objective the
    // cell's units ("units:LAYER:..."). Units are standardised by their natural mean and
    // deviation when the layer is stored. Throws like visualise, and std::invalid_argument
    // for fewer than two cells or a unit in two of them.
    std::vector<VisualisationRecord> clusterImages(const ClusterImagesSetup& setup,
                                                   const JobContext& context);

    bool hasModel() const;
    bool hasStimuli() const;
    bool hasStore() const;
    std::optional<std::filesystem::path> modelPath() const;
    std::optional<std::filesystem::path> stimuliPath() const;

  private:
    StoreSummary summariseStore() const;
    // The open store or the attached one that holds layer (the open one when none does, so
    // that its error names the layer).
    const ActivationStore& storeFor(const std::string& layer) const;
    bool hasStoredLayer(const std::string& layer) const;

    std::unique_ptr<ScriptModel> model_;
    InputSpec spec_;
    std::string modelSha256_;
    std::unique_ptr<StimulusSet> stimuli_;
    std::optional<ActivationStore> store_;
    std::string storeSha256_;
    struct AttachedStore {
        ActivationStore store;
        std::string sha256;
    };
    std::vector<AttachedStore> attached_;
    // Standardised layer matrices for similar-unit search, by (layer, pooling).
    std::map<std::pair<std::string, int>, std::shared_ptr<ProfileCorrelations>> correlations_;
};

}  // namespace us::analysis
