#include "analysis/models/model_workspace.h"

#include <algorithm>
#include <set>
#include <stdexcept>

#include "analysis/clustering/cluster_label_nulls.h"
#include "analysis/models/script_model.h"
#include "analysis/stimuli/stimulus_set.h"

namespace us::analysis {
namespace fs = std::filesystem;

ModelWorkspace::ModelWorkspace() = default;
ModelWorkspace::~ModelWorkspace() = default;

bool ModelWorkspace::hasModel() const {
    return model_ != nullptr;
}
bool ModelWorkspace::hasStimuli() const {
    return stimuli_ != nullptr;
}
bool ModelWorkspace::hasStore() const {
    return store_.has_value();
}

std::optional<fs::path> ModelWorkspace::modelPath() const {
    if (!model_) return std::nullopt;
    return model_->path();
}

std::optional<fs::path> ModelWorkspace::stimuliPath() const {
    if (!stimuli_) return std::nullopt;
    return stimuli_->path();
}

ModelSummary ModelWorkspace::openModel(const fs::path& path,
                                       const std::optional<std::vector<std::int64_t>>& inputShape,
                                       std::optional<ResizeMode> resize) {
    auto model = std::make_unique<ScriptModel>(ScriptModel::load(path));
    InputSpec spec = resolveInputSpec(path, inputShape, resize);
    ModelSummary summary;
    summary.layers = model->describeLayers(spec.shape);  // throws when forward fails
    summary.path = fs::absolute(path).string();
    summary.sha256 = sha256File(path);
    summary.spec = spec;
    model_ = std::move(model);
    spec_ = spec;
    modelSha256_ = summary.sha256;
    return summary;
}

StimuliSummary ModelWorkspace::openStimuli(const fs::path& path) {
    auto stimuli = openStimulusSet(path);
    StimuliSummary summary;
    summary.path = fs::absolute(path).string();
    summary.kind = stimuli->kind();
    summary.count = stimuli->size();
    summary.labelNames = stimuli->labelNames();
    summary.labelled = !stimuli->labels().empty();
    stimuli_ = std::move(stimuli);
    return summary;
}

StoreSummary ModelWorkspace::openStore(const fs::path& path) {
    ActivationStore store = ActivationStore::open(path);
    const std::string sha = sha256File(path);
    const auto& provenance = store.provenance();
    std::error_code ec;
    if (!model_ && fs::is_regular_file(provenance.modelPath, ec)) {
        try {
            openModel(provenance.modelPath, provenance.inputShape);
        } catch (const std::exception&) {
            // The store is still browsable without heat maps.
        }
    }
    if (!stimuli_ && fs::exists(provenance.stimuliPath, ec)) {
        try {
            openStimuli(provenance.stimuliPath);
        } catch (const std::exception&) {
        }
    }
    store_ = std::move(store);
    storeSha256_ = sha;
    attached_.clear();
    correlations_.clear();
    return summariseStore();
}

StoreSummary ModelWorkspace::attachStore(const fs::path& path) {
    if (!store_) throw std::runtime_error("open activations first: concept units extend them");
    ActivationStore store = ActivationStore::open(path);
    if (store.stimuli().names != store_->stimuli().names)
        throw std::runtime_error("'" + path.string() +
                                 "' was made on other stimuli than the open activations");
    std::erase_if(attached_, [&](const AttachedStore& other) {
        return fs::absolute(other.store.path()) == fs::absolute(path);
    });
    for (const auto& layer : store.layers()) {
        if (hasStoredLayer(layer.name))
            throw std::runtime_error("a layer named '" + layer.name + "' is already open");
        std::erase_if(correlations_,
                      [&](const auto& entry) { return entry.first.first == layer.name; });
    }
    const std::string sha = sha256File(path);
    attached_.push_back({std::move(store), sha});
    return summariseStore();
}

bool ModelWorkspace::hasStoredLayer(const std::string& layer) const {
    const auto holds = [&](const ActivationStore& store) {
        const auto& layers = store.layers();
        return std::any_of(layers.begin(), layers.end(),
                           [&](const StoreLayer& l) { return l.name == layer; });
    };
    if (!store_) return false;
    return holds(*store_) || std::any_of(attached_.begin(), attached_.end(),
                                         [&](const AttachedStore& a) { return holds(a.store); });
}

const ActivationStore& ModelWorkspace::storeFor(const std::string& layer) const {
    for (const auto& attached : attached_)
        for (const auto& l : attached.store.layers())
            if (l.name == layer) return attached.store;
    return *store_;
}

std::optional<std::pair<std::string, FloatArray>> ModelWorkspace::conceptDirections(
    const std::string& layer) const {
    if (!store_) return std::nullopt;
    const auto& store = storeFor(layer);
    if (&store == &*store_) return std::nullopt;
    const auto source = store.layerAttribute(layer, "source_layer");
    auto directions = store.layerArray(layer, "directions");
    if (source.empty() || !directions) return std::nullopt;
    return std::pair{source, std::move(*directions)};
}

StoreSummary ModelWorkspace::summariseStore() const {
    StoreSummary summary;
    summary.path = fs::absolute(store_->path()).string();
    summary.sha256 = storeSha256_;
    summary.count = store_->count();
    summary.layers = store_->layers();
    for (const auto& [store, sha] : attached_) {
        summary.layers.insert(summary.layers.end(), store.layers().begin(), store.layers().end());
        AttachedStoreSummary attached{fs::absolute(store.path()).string(), sha, {}};
        for (const auto& layer : store.layers())
            attached.layers.push_back(layer.name);
        summary.attached.push_back(std::move(attached));
    }
    summary.labelNames = store_->stimuli().labelNames;
    summary.labelled = !store_->stimuli().labels.empty();
    summary.hasPredictions = !store_->predictions().empty();
    summary.skipped = store_->stimuli().skipped;
    return summary;
}

StoreSummary ModelWorkspace::extract(const std::vector<std::string>& layers, const fs::path& out,
                                     std::int64_t batchSize, const JobContext& context,
                                     ExtractionSummary* summary) {
    if (!model_) throw std::runtime_error("open a model first (File > Open model)");
    if (!stimuli_) throw std::runtime_error("open stimuli first (File > Open stimuli)");
    // The open model, stimuli and model hash: nothing is loaded or hashed a second time.
    const auto result = extractActivations({*model_, *stimuli_, spec_, modelSha256_}, layers, out,
                                           batchSize, true, context);
    if (summary) *summary = result;
    return openStore(out);
}

// The model's class names as the store recorded them (format 1.1), else the open model's when
// the store was made by it.
PredictionNames ModelWorkspace::predictionNames() const {
    PredictionNames names;
    names.classNames = store_->provenance().outputLabels;
    if (names.classNames.empty() && model_ && modelSha256_ == store_->provenance().modelSha256)
        names.classNames = spec_.labels;
    names.comparableWithLabels =
        !names.classNames.empty() && names.classNames == store_->stimuli().labelNames;
    return names;
}

std::vector<float> ModelWorkspace::unitValues(const UnitRef& unit, Pooling pooling) const {
    if (!store_)
        throw std::runtime_error("no activations yet: extract or open an activation store");
    return storeFor(unit.layer).unitColumn(unit.layer, unit.index, pooling);
}

UnitReport ModelWorkspace::inspect(const UnitRef& unit, std::int64_t k, Pooling pooling,
                                   const JobContext& context) {
    if (!store_)
        throw std::runtime_error("no activations yet: extract or open an activation store");
    const StoreLayer& layer = storeFor(unit.layer).layer(unit.layer);
    UnitReport report;
    report.unit = unit;
    report.layerType = layer.type;
    report.layerUnits = layer.units;
    report.pooling = pooling;
    const auto values = storeFor(unit.layer).unitColumn(unit.layer, unit.index, pooling);
    context.checkCancelled();

    report.histogram = histogram(values, 40);
    report.values = values;
    const auto& stimuli = store_->stimuli();
    report.classNames = stimuli.labelNames;
    report.predictions = predictionNames();
    if (!stimuli.labels.empty()) {
        int classes = int(stimuli.labelNames.size());
        for (auto label : stimuli.labels)
            classes = std::max(classes, label + 1);
        report.classMeans = classMeans(values, stimuli.labels, classes);
    }

    auto& correlations = correlations_[{unit.layer, int(pooling)}];
    if (!correlations)
        correlations = std::make_shared<ProfileCorrelations>(
            storeFor(unit.layer).layerMatrix(unit.layer, pooling));
    context.checkCancelled();
    report.similar = correlations->mostSimilar(unit.index, 10);

    const auto top = topIndices(values, std::clamp<std::int64_t>(k, 1, 256));
    for (const auto row : top) {
        Exemplar exemplar;
        exemplar.row = row;
        exemplar.value = values[std::size_t(row)];
        if (std::size_t(row) < stimuli.names.size())
            exemplar.name = stimuli.names[std::size_t(row)];
        if (!stimuli.labels.empty()) exemplar.label = stimuli.labels[std::size_t(row)];
        if (!store_->predictions().empty())
            exemplar.predicted = store_->predictions()[std::size_t(row)];
        report.exemplars.push_back(std::move(exemplar));
    }

    // Pictures and heat maps need the stimuli (and the model) the store was made from.
    const bool sameStimuli =
        stimuli_ && fs::absolute(stimuli_->path()).string() == store_->provenance().stimuliPath;
    if (!sameStimuli) {
        report.note = "The stimuli behind this store are not open, so exemplars show no images.";
        return report;
    }
    const auto sourceIndex = [&](std::int64_t row) {
        return stimuli.sourceIndex.empty() ? row : stimuli.sourceIndex[std::size_t(row)];
    };
    for (auto& exemplar : report.exemplars) {
        context.checkCancelled();
        try {
            exemplar.image = stimuli_->image(sourceIndex(exemplar.row));
        } catch (const std::exception&) {
        }
    }
    const bool spatial = layer.outputShape.size() >= 3;
    if (!spatial) return report;
    if (!model_) {
        report.note = "Open the model to see where in each image the unit responds.";
        return report;
    }
    FloatArray batch;
    batch.shape = {std::int64_t(report.exemplars.size()), spec_.shape[0], spec_.shape[1],
                   spec_.shape[2]};
    batch.values.resize(std::size_t(FloatArray::elementCount(batch.shape)));
    const auto itemSize = spec_.elementCount();
    for (std::size_t i = 0; i < report.exemplars.size(); ++i)
        stimuli_->modelInput(sourceIndex(report.exemplars[i].row), spec_,
                             batch.values.data() + std::int64_t(i) * itemSize);
    context.checkCancelled();
    const FloatArray maps = model_->run(batch, {unit.layer}).at(0);
    const std::int64_t channels = maps.shape.at(1);
    const std::int64_t plane = FloatArray::elementCount(maps.shape) / (maps.shape[0] * channels);
    const std::vector<std::int64_t> planeShape(maps.shape.begin() + 2, maps.shape.end());
    for (std::size_t i = 0; i < report.exemplars.size(); ++i) {
        const float* first = maps.values.data() + (std::int64_t(i) * channels + unit.index) * plane;
        report.exemplars[i].heatmap.shape =
            planeShape.size() == 2 ? planeShape : std::vector<std::int64_t>{1, plane};
        report.exemplars[i].heatmap.values.assign(first, first + plane);
    }
    return report;
}

}  // namespace us::analysis

namespace us::analysis {
namespace {

constexpr int kThumbnailPixels = 64;

Image thumbnail(const Image& image) {
    const int longest = std::max(image.width, image.height);
    if (longest <= kThumbnailPixels) return image;
    const double scale = double(kThumbnailPixels) / longest;
    return resizeImage(image, std::max(1, int(image.width * scale)),
                       std::max(1, int(image.height * scale)));
}

}  // namespace

ClusterResult ModelWorkspace::cluster(const std::string& layerName, ItemKind items,
                                      LinkageMethod method, Pooling pooling,
                                      const JobContext& context) {
    if (!store_)
        throw std::runtime_error("no activations yet: extract or open an activation store");
    const StoreLayer& layer = storeFor(layerName).layer(layerName);
    FloatArray x = storeFor(layerName).layerMatrix(layerName, pooling);
    if (items == ItemKind::Units) x = transposed(x);
    const auto n = x.shape[0];
    const bool exact = n <= kMaxExactLinkageItems;
    if (!exact && method != LinkageMethod::Ward)
        throw std::runtime_error(std::to_string(n) +
                                 " items are too many for an exact linkage; use Ward (two-stage)");
    Linkage linkage = exact ? exactLinkage(x, method, context.stage(0, 0.8))
                            : twoStageWard(x, 2000, 0, context.stage(0, 0.8));
    context.report(0.8, "summarising clusters");
    const auto& stimuli = store_->stimuli();
    const bool byStimuli = items == ItemKind::Stimuli;
    ClusterResult result;
    ClusterTree tree = buildClusterTree(
        std::move(linkage), x, byStimuli ? stimuli.labels : std::vector<std::int32_t>{},
        byStimuli ? store_->predictions() : std::vector<std::int32_t>{},
        byStimuli ? stimuli.labelNames : std::vector<std::string>{});
    // Every cell's purity and majority class against shuffled labels (seeded: a reopened
    // session shows the same p-values).
    if (byStimuli && !stimuli.labels.empty())
        tree.labelNulls = clusterLabelNulls(tree, stimuli.labels, {}, context.stage(0.8, 0.9));
    result.tree = std::make_shared<const ClusterTree>(std::move(tree));
    result.items = items;
    result.layer = layerName;
    result.method = method == LinkageMethod::Ward       ? "ward"
                    : method == LinkageMethod::Average  ? "average"
                    : method == LinkageMethod::Complete ? "complete"
                                                        : "single";
    for (std::int64_t i = 0; i < n; ++i)
        result.itemNames.push_back(byStimuli ? (std::size_t(i) < stimuli.names.size()
                                                    ? stimuli.names[std::size_t(i)]
                                                    : indexedItemName(i))
                                             : layer.name + ":" + std::to_string(i));
    const bool sameStimuli =
        stimuli_ && fs::absolute(stimuli_->path()).string() == store_->provenance().stimuliPath;
    if (byStimuli && sameStimuli) {
        std::set<std::int64_t> wanted;
        for (const auto& reps : result.tree->representatives)
            for (auto item : reps)
                if (item >= 0) wanted.insert(item);
        std::size_t done = 0;
        for (auto item : wanted) {
            if (++done % 256 == 0) {
                context.checkCancelled();
                context.report(0.9 + 0.1 * double(done) / double(wanted.size()), "thumbnails");
            }
            const auto source =
                stimuli.sourceIndex.empty() ? item : stimuli.sourceIndex[std::size_t(item)];
            try {
                result.thumbnails[item] = thumbnail(stimuli_->image(source));
            } catch (const std::exception&) {
                // An unreadable picture leaves its cell without a thumbnail.
            }
        }
    }
    return result;
}

ClusterMembers ModelWorkspace::clusterMembers(const ClusterResult& clusters, std::int64_t node,
                                              std::int64_t count) const {
    const ClusterTree& tree = *clusters.tree;
    if (node < 0 || node >= tree.nodeCount()) throw std::out_of_range("no such cluster");
    ClusterMembers members;
    members.node = node;
    members.size = std::int64_t(tree.size[std::size_t(node)]);
    members.classNames = tree.classNames;
    members.predictions = predictionNames();
    members.classCounts = tree.classCounts[std::size_t(node)];
    std::vector<std::int64_t> chosen;
    for (auto item : tree.representatives[std::size_t(node)])
        if (item >= 0) chosen.push_back(item);
    for (auto item : tree.members(node)) {
        if (std::int64_t(chosen.size()) >= count) break;
        if (std::find(chosen.begin(), chosen.end(), item) == chosen.end()) chosen.push_back(item);
    }
    if (clusters.items == ItemKind::Stimuli) {
        members.exemplars = stimulusExemplars(chosen, std::vector<float>(chosen.size(), 0.0f));
        return members;
    }
    for (auto item : chosen) {
        Exemplar e;
        e.row = item;
        e.name = clusters.itemNames.at(std::size_t(item));
        members.exemplars.push_back(std::move(e));
    }
    return members;
}

std::vector<Exemplar> ModelWorkspace::stimulusExemplars(const std::vector<std::int64_t>& rows,
                                                        const std::vector<float>& values) const {
    if (!store_) throw std::runtime_error("no activation store is open");
    const auto& stimuli = store_->stimuli();
    const bool sameStimuli =
        stimuli_ && fs::absolute(stimuli_->path()).string() == store_->provenance().stimuliPath;
    std::vector<Exemplar> exemplars;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        const auto row = rows[i];
        if (row < 0 || row >= std::int64_t(stimuli.names.size()))
            throw std::out_of_range("store row " + std::to_string(row) + " does not exist");
        Exemplar e;
        e.row = row;
        e.name = stimuli.names[std::size_t(row)];
        e.value = i < values.size() ? values[i] : 0.0f;
        if (!stimuli.labels.empty()) e.label = stimuli.labels[std::size_t(row)];
        if (!store_->predictions().empty()) e.predicted = store_->predictions()[std::size_t(row)];
        if (sameStimuli) {
            try {
                e.image = stimuli_->image(
                    stimuli.sourceIndex.empty() ? row : stimuli.sourceIndex[std::size_t(row)]);
            } catch (const std::exception&) {
                // shown without its image
            }
        }
        exemplars.push_back(std::move(e));
    }
    return exemplars;
}

}  // namespace us::analysis

namespace us::analysis {

ComputedGraph ModelWorkspace::attributionGraph(GraphRequest request, std::int64_t stimulus,
                                               const JobContext& context) {
    if (!model_) throw std::runtime_error("open a model first (File > Open model)");
    if (!stimuli_) throw std::runtime_error("open stimuli first (File > Open stimuli)");
    std::int64_t source = stimulus;
    if (store_ && fs::absolute(stimuli_->path()).string() == store_->provenance().stimuliPath) {
        const auto& sourceIndex = store_->stimuli().sourceIndex;
        if (!sourceIndex.empty() && stimulus >= 0 && std::size_t(stimulus) < sourceIndex.size())
            source = sourceIndex[std::size_t(stimulus)];
    }
    if (source < 0 || source >= stimuli_->size())
        throw std::runtime_error("stimulus " + std::to_string(stimulus) + " is past the " +
                                 std::to_string(stimuli_->size()) + " open stimuli");
    FloatArray input{spec_.shape, std::vector<float>(std::size_t(spec_.elementCount()))};
    stimuli_->modelInput(source, spec_, input.values.data());
    request.attribution.inputMean = spec_.mean;
    request.attribution.inputStd = spec_.std;
    request.model = model_->path().filename().string();
    request.stimulus = stimuli_->itemName(source);
    request.stimulusIndex = source;
    request.classNames = spec_.labels;
    return computeAttributionGraph(*model_, input, request, context);
}

SupernodeResult ModelWorkspace::graphSupernodes(const AttributionGraph& graph,
                                                const SupernodeSettings& settings,
                                                const JobContext& context) const {
    if (!store_) throw std::runtime_error("open activations first: signatures come from them");
    return findSupernodes(graph, *store_, probeSetFromClasses(*store_), settings, context);
}

}  // namespace us::analysis
