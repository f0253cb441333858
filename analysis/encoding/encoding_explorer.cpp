#include "analysis/encoding/encoding_explorer.h"

#include <Eigen/LU>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "analysis/core/blas.h"
#include "analysis/models/activation_store.h"
#include "analysis/models/unit_statistics.h"

namespace us::analysis {

std::shared_ptr<const EncodingExplorer> EncodingExplorer::open(
    const std::filesystem::path& encoding, const std::optional<std::filesystem::path>& store,
    const std::optional<Atlas>& atlas, const CaptionSettings& settings, const JobContext& job) {
    auto explorer = std::make_shared<EncodingExplorer>();
    explorer->path_ = encoding;
    explorer->settings_ = settings;
    explorer->model_ = readEncodingModel(encoding);
    const auto& model = explorer->model_;
    if (model.info.layer.empty())
        throw std::runtime_error("'" + encoding.string() +
                                 "' was fitted on an X.npy: exploring it needs the activation "
                                 "store its features came from");
    explorer->storePath_ = store ? *store : std::filesystem::path(model.info.features);
    job.report(0.2, "reading the store's features");
    const auto activations = ActivationStore::open(explorer->storePath_);
    const auto matrix = activations.layerMatrix(
        model.info.layer, model.info.pooling == "max" ? Pooling::Max : Pooling::Mean);
    explorer->features_ = transformFeatures(
        model,
        Eigen::Map<const FeatureMatrix>(matrix.values.data(), matrix.shape[0], matrix.shape[1]));
    // Without classes there is nothing to caption with; the rest still works.
    const auto& stimuli = activations.stimuli();
    if (stimuli.labels.empty())
        explorer->vocabulary_.embeddings = FeatureMatrix(0, model.featureCount);
    else
        explorer->vocabulary_ =
            classVocabulary(explorer->features_, stimuli.labels, stimuli.labelNames);
    job.checkCancelled();

    const auto& geometry = model.geometry;
    if (geometry.surface) {
        explorer->columnOfVertex_.assign(
            std::size_t(std::max<std::int64_t>(0, geometry.vertexCount)), -1);
        for (std::size_t v = 0; v < geometry.vertices.size(); ++v)
            if (geometry.vertices[v] >= 0 && geometry.vertices[v] < geometry.vertexCount)
                explorer->columnOfVertex_[std::size_t(geometry.vertices[v])] = std::int32_t(v);
    } else {
        const auto& grid = geometry.grid;
        explorer->columnOfCell_.assign(std::size_t(grid[0] * grid[1] * grid[2]), -1);
        for (std::size_t v = 0; v < geometry.voxels.size(); ++v)
            explorer->columnOfCell_[std::size_t(fileOffset(grid, geometry.voxels[v]))] =
                std::int32_t(v);
        if (atlas) {
            job.report(0.6, "captioning the atlas regions");
            explorer->atlas_ = atlas;
            explorer->regions_ =
                captionRegions(model, *atlas, explorer->vocabulary_, explorer->features_, settings);
        }
    }
    job.report(1.0, "encoding model open");
    return explorer;
}

std::optional<std::int64_t> EncodingExplorer::columnOfVertex(std::int64_t vertex) const {
    if (vertex < 0 || vertex >= std::int64_t(columnOfVertex_.size())) return std::nullopt;
    const auto column = columnOfVertex_[std::size_t(vertex)];
    if (column < 0) return std::nullopt;
    return column;
}

std::shared_ptr<const EncodingExplorer> EncodingExplorer::withAtlas(const Atlas& atlas,
                                                                    const JobContext& job) const {
    auto explorer = std::make_shared<EncodingExplorer>(*this);
    if (model_.geometry.surface) return explorer;
    job.report(0, "captioning the atlas regions");
    explorer->atlas_ = atlas;
    explorer->regions_ = captionRegions(model_, atlas, vocabulary_, features_, settings_);
    job.report(1, "captioning the atlas regions");
    return explorer;
}

bool EncodingExplorer::simulated() const {
    return model_.info.description.rfind("SIMULATED", 0) == 0;
}

std::optional<std::int64_t> EncodingExplorer::columnAt(const std::array<double, 3>& worldMm) const {
    const auto& geometry = model_.geometry;
    if (geometry.surface) return std::nullopt;
    const Eigen::Vector4d index =
        geometry.affine.inverse() * Eigen::Vector4d(worldMm[0], worldMm[1], worldMm[2], 1.0);
    std::array<std::int64_t, 3> voxel{};
    for (int a = 0; a < 3; ++a) {
        voxel[std::size_t(a)] = std::int64_t(std::llround(index(a)));
        if (voxel[std::size_t(a)] < 0 || voxel[std::size_t(a)] >= geometry.grid[std::size_t(a)])
            return std::nullopt;
    }
    const auto column = columnOfCell_[std::size_t(fileOffset(geometry.grid, voxel))];
    if (column < 0) return std::nullopt;
    return column;
}

std::vector<float> EncodingExplorer::predict(const float* weights, float intercept) const {
    const std::int64_t n = features_.rows(), f = features_.cols();
    std::vector<float> out(static_cast<std::size_t>(n), intercept);
    gemm(false, false, n, 1, f, 1.0f, features_.data(), f, weights, 1, 1.0f, out.data(), 1);
    return out;
}

VoxelReport EncodingExplorer::voxelReport(std::int64_t column, int unitCount) const {
    if (column < 0 || column >= model_.voxelCount())
        throw std::out_of_range("no voxel " + std::to_string(column) + " in the encoding model");
    const std::int64_t f = model_.featureCount;
    const float* weights = model_.weights.data() + column * f;
    const auto& geometry = model_.geometry;
    VoxelReport report;
    report.column = column;
    if (geometry.surface) {
        report.vertex = geometry.vertices[std::size_t(column)];
    } else {
        const auto& voxel = geometry.voxels[std::size_t(column)];
        report.voxel = voxel;
        const Eigen::Vector4d world =
            geometry.affine *
            Eigen::Vector4d(double(voxel[0]), double(voxel[1]), double(voxel[2]), 1.0);
        report.world = {world(0), world(1), world(2)};
        if (atlas_)
            if (const auto found = regionAt(*atlas_, world(0), world(1), world(2)); found)
                if (const auto* caption = region(found->label)) report.region = *caption;
    }
    if (model_.hasTestScores()) {
        report.testR2 = model_.testR2[std::size_t(column)];
        report.testR = model_.testR[std::size_t(column)];
    }
    report.alpha = model_.alphas[std::size_t(column)];
    report.caption.concepts = scoreConcepts(weights, vocabulary_, settings_);
    report.predicted = predict(weights, model_.intercepts[std::size_t(column)]);
    report.caption.preferred = topIndices(report.predicted, settings_.preferred);
    for (auto row : report.caption.preferred)
        report.preferredValues.push_back(report.predicted[std::size_t(row)]);
    std::vector<std::int64_t> order(static_cast<std::size_t>(f));
    std::iota(order.begin(), order.end(), 0);
    const std::size_t shown = std::min<std::size_t>(order.size(), std::size_t(unitCount));
    std::partial_sort(order.begin(), order.begin() + std::ptrdiff_t(shown), order.end(),
                      [&](auto a, auto b) { return std::abs(weights[a]) > std::abs(weights[b]); });
    for (std::size_t i = 0; i < shown; ++i)
        report.units.push_back({order[i], weights[order[i]]});
    return report;
}

const RegionCaption* EncodingExplorer::region(int label) const {
    const auto it = std::find_if(regions_.begin(), regions_.end(),
                                 [&](const auto& r) { return r.label == label; });
    return it == regions_.end() ? nullptr : &*it;
}

std::vector<float> EncodingExplorer::unitWeights(std::int64_t unit) const {
    const std::int64_t f = model_.featureCount;
    if (unit < 0 || unit >= f)
        throw std::out_of_range("unit " + std::to_string(unit) + " is not a feature of " +
                                model_.info.layer + " (it has " + std::to_string(f) + ")");
    std::vector<float> out(static_cast<std::size_t>(model_.voxelCount()));
    for (std::size_t v = 0; v < out.size(); ++v)
        out[v] = model_.weights[v * std::size_t(f) + std::size_t(unit)];
    return out;
}

std::string EncodingExplorer::voxelObjective(std::int64_t column) const {
    if (column < 0 || column >= model_.voxelCount())
        throw std::out_of_range("no voxel " + std::to_string(column) + " in the encoding model");
    return predictedResponseObjective(model_, model_.weights.data() + column * model_.featureCount);
}

std::string EncodingExplorer::regionObjective(int label) const {
    const auto* caption = region(label);
    if (!caption) throw std::out_of_range("the region holds no fitted voxel");
    return predictedResponseObjective(model_, caption->weights.data());
}

}  // namespace us::analysis
