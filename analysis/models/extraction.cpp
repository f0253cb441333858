#include "analysis/models/extraction.h"

#include <algorithm>
#include <chrono>
#include <stdexcept>

#include "analysis/models/activation_store.h"
#include "analysis/models/script_model.h"
#include "analysis/stimuli/stimulus_set.h"

namespace us::analysis {
namespace {

std::int32_t argmax(const float* row, std::int64_t count) {
    return std::int32_t(std::max_element(row, row + count) - row);
}

}  // namespace

ExtractionSummary extractActivations(const ExtractionRequest& request, const JobContext& context) {
    context.report(0, "loading model");
    ScriptModel model = ScriptModel::load(request.model);
    const InputSpec spec = resolveInputSpec(request.model, request.inputShape, request.resize);
    const auto stimuli = openStimulusSet(request.stimuli);
    return extractActivations({model, *stimuli, spec, sha256File(request.model)}, request.layers,
                              request.out, request.batchSize, request.predictions, context);
}

ExtractionSummary extractActivations(const ExtractionSources& sources,
                                     const std::vector<std::string>& layerNames,
                                     const std::filesystem::path& out, std::int64_t batchSize,
                                     bool predictions, const JobContext& context) {
    const auto started = std::chrono::steady_clock::now();
    if (layerNames.empty()) throw std::invalid_argument("choose at least one layer");
    if (batchSize < 1 || batchSize > 4096)
        throw std::invalid_argument("batch size must be between 1 and 4096");
    ScriptModel& model = sources.model;
    const InputSpec& spec = sources.spec;
    const StimulusSet& stimuli = sources.stimuli;
    model.checkLayerNames(layerNames);
    stimuli.checkCompatible(spec);
    const std::int64_t total = stimuli.size();
    if (total == 0) throw std::runtime_error("the stimulus set is empty");

    context.report(0, "checking layer shapes");
    std::vector<StoreLayer> layers;
    const auto described = model.describeLayers(spec.shape);
    for (const auto& name : layerNames) {
        const auto found = std::find_if(described.begin(), described.end(),
                                        [&](const LayerInfo& l) { return l.name == name; });
        if (found->outputShape.empty())
            throw std::runtime_error("layer '" + name +
                                     "' is never called by forward or does not return a tensor");
        layers.push_back({name, found->type, found->outputShape, found->outputShape.at(0)});
    }
    bool withPredictions = predictions;
    if (withPredictions) {
        FloatArray probe{{1, spec.shape[0], spec.shape[1], spec.shape[2]},
                         std::vector<float>(std::size_t(spec.elementCount()))};
        try {
            withPredictions = model.runOutput(probe).shape.size() == 2;
        } catch (const std::runtime_error&) {
            withPredictions = false;  // e.g. a tuple output: there is nothing to argmax
        }
    }

    StoreProvenance provenance;
    provenance.modelPath = std::filesystem::absolute(model.path()).string();
    provenance.modelSha256 = sources.modelSha256;
    provenance.inputShape = spec.shape;
    provenance.inputMean = spec.mean;
    provenance.inputStd = spec.std;
    provenance.preprocessing = stimuli.kind() == "npy" ? "none: .npy items are used as they are"
                                                       : spec.describePreprocessing();
    provenance.outputLabels = spec.labels;
    provenance.stimuliPath = std::filesystem::absolute(stimuli.path()).string();
    provenance.stimuliKind = stimuli.kind();
    ActivationStoreWriter writer(out, provenance, layers, withPredictions);

    StoreStimuli stored;
    const bool labelled = !stimuli.labels().empty();
    stored.labelNames = stimuli.labelNames();
    if (labelled && stored.labelNames.empty()) {
        const auto maxLabel = *std::max_element(stimuli.labels().begin(), stimuli.labels().end());
        if (maxLabel < std::int32_t(spec.labels.size())) stored.labelNames = spec.labels;
    }
    ExtractionSummary summary;
    const std::int64_t itemSize = spec.elementCount();
    for (std::int64_t first = 0; first < total; first += batchSize) {
        context.checkCancelled();
        const std::int64_t end = std::min(total, first + batchSize);
        FloatArray batch;
        batch.values.resize(std::size_t((end - first) * itemSize));
        std::int64_t rows = 0;
        for (std::int64_t i = first; i < end; ++i) {
            try {
                stimuli.modelInput(i, spec, batch.values.data() + rows * itemSize);
            } catch (const std::runtime_error& error) {
                summary.skipped.push_back(stimuli.itemName(i) + ": " + error.what());
                continue;
            }
            stored.names.push_back(stimuli.itemName(i));
            stored.sourceIndex.push_back(i);
            if (labelled) stored.labels.push_back(stimuli.labels()[std::size_t(i)]);
            ++rows;
        }
        if (rows == 0) continue;
        batch.values.resize(std::size_t(rows * itemSize));
        batch.shape = {rows, spec.shape[0], spec.shape[1], spec.shape[2]};
        FloatArray output;
        auto pooled = model.runPooled(batch, layerNames, withPredictions ? &output : nullptr);
        std::vector<std::int32_t> predicted;
        if (withPredictions) {
            const auto classes = output.shape[1];
            for (std::int64_t r = 0; r < rows; ++r)
                predicted.push_back(argmax(output.values.data() + r * classes, classes));
        }
        writer.append(pooled, predicted);
        context.report(double(end) / double(total),
                       std::to_string(end) + " / " + std::to_string(total) + " stimuli");
    }
    if (writer.rowCount() == 0)
        throw std::runtime_error("none of the " + std::to_string(total) +
                                 " stimuli could be read; first problem: " +
                                 (summary.skipped.empty() ? "?" : summary.skipped.front()));
    stored.skipped = summary.skipped;
    context.checkCancelled();
    writer.finish(stored);
    summary.stored = writer.rowCount();
    summary.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::string done = std::to_string(summary.stored) + " stimuli stored";
    if (!summary.skipped.empty())
        done += ", " + std::to_string(summary.skipped.size()) +
                " unreadable skipped (first: " + summary.skipped.front() + ")";
    context.report(1.0, done);
    return summary;
}

}  // namespace us::analysis
