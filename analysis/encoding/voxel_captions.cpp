#include "analysis/encoding/voxel_captions.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>

#include "analysis/core/blas.h"
#include "analysis/models/unit_statistics.h"

namespace us::analysis {
namespace {

constexpr std::int64_t kVoxelBatch = 2048;

// Preferred stimuli for each column of weights (features x count, row-major). A voxel's
// intercept is constant over stimuli, so it does not change the ranking.
std::vector<std::vector<std::int64_t>> preferredStimuli(const FeatureMatrix& features,
                                                        const FeatureMatrix& weights, int k) {
    const std::int64_t n = features.rows(), c = weights.cols();
    // One row of predictions per voxel: weights' x features'.
    FeatureMatrix predicted(c, n);
    gemm(true, true, c, n, features.cols(), 1.0f, weights.data(), c, features.data(),
         features.cols(), 0.0f, predicted.data(), n);
    std::vector<std::vector<std::int64_t>> out(static_cast<std::size_t>(c));
    std::vector<float> row(static_cast<std::size_t>(n));
    for (std::int64_t v = 0; v < c; ++v) {
        std::copy_n(predicted.row(v).data(), n, row.begin());
        out[std::size_t(v)] = topIndices(row, k);
    }
    return out;
}

}  // namespace

FeatureMatrix transformFeatures(const EncodingModel& model, const FeatureMatrix& features) {
    if (features.cols() != model.featureCount)
        throw std::invalid_argument("the store's layer has " + std::to_string(features.cols()) +
                                    " features but the encoding model " +
                                    std::to_string(model.featureCount));
    FeatureMatrix out(features.rows(), features.cols());
    for (Eigen::Index j = 0; j < features.cols(); ++j)
        out.col(j) =
            ((features.col(j).cast<double>().array() - model.transform.mean[std::size_t(j)]) /
             model.transform.scale[std::size_t(j)])
                .cast<float>();
    return out;
}

std::vector<ConceptScore> scoreConcepts(const float* weights, const ConceptVocabulary& vocabulary,
                                        const CaptionSettings& settings) {
    const Eigen::Index f = vocabulary.embeddings.cols();
    const Eigen::Map<const Eigen::RowVectorXf> w(weights, f);
    const double norm = w.norm();
    std::vector<ConceptScore> scores(static_cast<std::size_t>(vocabulary.size()));
    double largest = -1e300;
    for (std::int64_t c = 0; c < vocabulary.size(); ++c) {
        const double cosine = norm > 0 ? double(vocabulary.embeddings.row(c).dot(w)) / norm : 0.0;
        scores[std::size_t(c)] = {int(c), cosine, 0.0};
        largest = std::max(largest, settings.temperature * cosine);
    }
    double sum = 0;
    for (auto& s : scores)
        sum += s.probability = std::exp(settings.temperature * s.score - largest);
    for (auto& s : scores)
        s.probability /= sum;
    std::stable_sort(scores.begin(), scores.end(),
                     [](const auto& a, const auto& b) { return a.score > b.score; });
    scores.resize(std::min<std::size_t>(scores.size(), std::size_t(std::max(settings.top, 1))));
    return scores;
}

std::vector<Caption> captionVoxels(const EncodingModel& model, const ConceptVocabulary& vocabulary,
                                   const FeatureMatrix& features, const CaptionSettings& settings,
                                   const JobContext& job) {
    const std::int64_t f = model.featureCount, voxels = model.voxelCount();
    if (vocabulary.embeddings.cols() != f || features.cols() != f)
        throw std::invalid_argument("the vocabulary, features and model disagree on the features");
    std::vector<Caption> captions(static_cast<std::size_t>(voxels));
    for (std::int64_t first = 0; first < voxels; first += kVoxelBatch) {
        const std::int64_t c = std::min(kVoxelBatch, voxels - first);
        const Eigen::Map<const FeatureMatrix> rows(model.weights.data() + first * f, c, f);
        const FeatureMatrix weights = rows.transpose();
        const auto preferred = preferredStimuli(features, weights, settings.preferred);
        for (std::int64_t v = 0; v < c; ++v) {
            auto& caption = captions[std::size_t(first + v)];
            caption.concepts = scoreConcepts(rows.row(v).data(), vocabulary, settings);
            caption.preferred = preferred[std::size_t(v)];
        }
        job.report(double(first + c) / double(voxels), "captioning voxels");
        job.checkCancelled();
    }
    return captions;
}

std::vector<RegionCaption> captionRegions(const EncodingModel& model, const Atlas& atlas,
                                          const ConceptVocabulary& vocabulary,
                                          const FeatureMatrix& features,
                                          const CaptionSettings& settings) {
    if (model.geometry.surface) return {};
    const std::int64_t f = model.featureCount;
    std::map<int, std::vector<std::int64_t>> members;
    for (std::size_t v = 0; v < model.geometry.voxels.size(); ++v) {
        const auto& voxel = model.geometry.voxels[v];
        const Eigen::Vector4d world =
            model.geometry.affine *
            Eigen::Vector4d(double(voxel[0]), double(voxel[1]), double(voxel[2]), 1.0);
        const auto region = regionAt(atlas, world(0), world(1), world(2));
        if (region && region->label > 0) members[region->label].push_back(std::int64_t(v));
    }
    std::vector<RegionCaption> regions;
    FeatureMatrix weights(f, std::int64_t(members.size()));
    for (const auto& [label, voxels] : members) {
        RegionCaption region;
        region.label = label;
        region.name = atlas.names.name(label);
        if (region.name.empty()) region.name = "region " + std::to_string(label);
        region.voxels = std::int64_t(voxels.size());
        Eigen::VectorXd sum = Eigen::VectorXd::Zero(f);
        double total = 0;
        for (auto v : voxels) {
            const double r2 =
                model.hasTestScores() ? std::max(0.0f, model.testR2[std::size_t(v)]) : 1.0;
            sum +=
                r2 *
                Eigen::Map<const Eigen::VectorXf>(model.weights.data() + v * f, f).cast<double>();
            total += r2;
        }
        if (total <= 0) {  // nothing predictive: fall back to the plain mean
            region.predictive = false;
            for (auto v : voxels)
                sum += Eigen::Map<const Eigen::VectorXf>(model.weights.data() + v * f, f)
                           .cast<double>();
            total = double(voxels.size());
        }
        const Eigen::VectorXf mean = (sum / total).cast<float>();
        weights.col(std::int64_t(regions.size())) = mean;
        region.caption.concepts = scoreConcepts(mean.data(), vocabulary, settings);
        region.weights.assign(mean.data(), mean.data() + f);
        regions.push_back(std::move(region));
    }
    const auto preferred = preferredStimuli(features, weights, settings.preferred);
    for (std::size_t r = 0; r < regions.size(); ++r)
        regions[r].caption.preferred = preferred[r];
    return regions;
}

}  // namespace us::analysis
