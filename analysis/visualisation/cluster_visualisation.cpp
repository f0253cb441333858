// Most discriminative stimuli: a softmax over the clusters' mean activations, each image
// maximising its own cluster's share; optional reassignment rounds.

#include "analysis/visualisation/cluster_visualisation.h"

#include <algorithm>
#include <stdexcept>

#include "analysis/visualisation/image_optimiser.h"

namespace us::analysis {
using namespace script_graph;

namespace {

at::Tensor unitMeans(const at::Tensor& a) {
    return a.dim() > 2 ? a.flatten(2).mean(2) : a;
}

std::vector<std::int32_t> distinctIds(const std::vector<std::int32_t>& clusters) {
    std::vector<std::int32_t> ids;
    for (auto c : clusters)
        if (c >= 0) ids.push_back(c);
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    return ids;
}

// Units x clusters averaging matrix: column j holds 1 / |cluster j| at its units.
at::Tensor membership(const std::vector<std::int32_t>& clusters,
                      const std::vector<std::int32_t>& ids) {
    auto m = torch::zeros({std::int64_t(clusters.size()), std::int64_t(ids.size())});
    for (std::size_t j = 0; j < ids.size(); ++j) {
        std::int64_t count = 0;
        for (std::size_t u = 0; u < clusters.size(); ++u)
            if (clusters[u] == ids[j]) {
                m[std::int64_t(u)][std::int64_t(j)] = 1.0;
                ++count;
            }
        m.select(1, std::int64_t(j)).div_(double(count));
    }
    return m;
}

}  // namespace

ClusterVisualisationResult visualiseClusters(ScriptModel& model, const InputSpec& spec,
                                             const ClusterVisualisationRequest& request,
                                             const JobContext& job) {
    if (request.layer.empty()) throw std::invalid_argument("cluster images need a layer");
    model.checkLayerNames({request.layer});
    if (!(request.temperature > 0)) throw std::invalid_argument("the temperature must be positive");
    auto clusters = request.clusters;
    auto ids = distinctIds(clusters);
    if (ids.size() < 2)
        throw std::invalid_argument("cluster images need at least two clusters, not " +
                                    std::to_string(ids.size()));
    const auto units = std::int64_t(clusters.size());
    const bool standardise = !request.unitMean.empty() || !request.unitScale.empty();
    if (standardise && (std::int64_t(request.unitMean.size()) != units ||
                        std::int64_t(request.unitScale.size()) != units))
        throw std::invalid_argument("the units' means and scales must have one value per unit");
    for (float scale : request.unitScale)
        if (!(scale > 0)) throw std::invalid_argument("the units' scales must be positive");
    const auto offset = standardise ? torch::tensor(request.unitMean).view({1, -1}) : at::Tensor();
    const auto scale = standardise ? torch::tensor(request.unitScale).view({1, -1}) : at::Tensor();
    // The units' responses the clusters are averaged over.
    const auto standardised = [&](const at::Tensor& unitActivations) {
        return standardise ? (unitActivations - offset) / scale : unitActivations;
    };
    ImageOptimiser optimiser(model, spec, request, {request.layer}, int(ids.size()));
    {
        torch::NoGradGuard noGrad;
        const auto a = optimiser.activations(optimiser.currentImages());
        if (a[0].dim() < 2 || a[0].size(1) != units)
            throw std::invalid_argument("the clustering has " + std::to_string(clusters.size()) +
                                        " units but '" + request.layer + "' has " +
                                        std::to_string(a[0].dim() < 2 ? 0 : a[0].size(1)));
    }

    ClusterVisualisationResult result;
    // The result's images and read-outs for the current assignment.
    const auto measure = [&](const at::Tensor& images) {
        torch::NoGradGuard noGrad;
        const auto activations = unitMeans(optimiser.activations(images)[0]);
        const auto means = torch::matmul(standardised(activations), membership(clusters, ids));
        result.images = toFloatArray(images);
        result.unitActivations = toFloatArray(activations);
        result.clusterMeans = toFloatArray(means);
        result.clusterShares = toFloatArray(torch::softmax(means / request.temperature, 1));
        result.clusterIds = ids;
        return activations;
    };
    const int rounds = request.iterate ? std::max(1, request.maxRounds) : 1;
    double seconds = 0;
    int steps = 0;
    for (int round = 0; round < rounds; ++round) {
        const auto averaging = membership(clusters, ids);
        const auto target = torch::arange(std::int64_t(ids.size())).view({-1, 1});
        const auto logShare = [&](const std::vector<at::Tensor>& a) {
            const auto means = torch::matmul(standardised(unitMeans(a[0])), averaging);
            return torch::log_softmax(means / request.temperature, 1).gather(1, target).squeeze(1);
        };
        auto optimised = optimiser.run(
            logShare, {}, job.stage(double(round) / rounds, double(round + 1) / rounds));
        seconds += optimised.secondsPerStep * request.steps;
        steps += request.steps;
        result.rounds.push_back({clusters, std::move(optimised.objective), 0});
        const auto activations = measure(optimised.images);
        if (!request.iterate) break;
        // Each unit goes to the cluster whose image drives it most.
        const auto best = activations.argmax(0);
        auto next = clusters;
        for (std::size_t u = 0; u < clusters.size(); ++u)
            if (clusters[u] >= 0)
                next[u] = ids[std::size_t(best[std::int64_t(u)].item<std::int64_t>())];
        for (std::size_t u = 0; u < clusters.size(); ++u)
            result.rounds.back().moved += next[u] != clusters[u];
        const auto nextIds = distinctIds(next);
        if (result.rounds.back().moved == 0 || nextIds.size() < 2) break;
        // Clusters left without units lose their image.
        std::vector<std::int64_t> kept;
        for (std::size_t j = 0; j < ids.size(); ++j)
            if (std::binary_search(nextIds.begin(), nextIds.end(), ids[j]))
                kept.push_back(std::int64_t(j));
        optimiser.keepImages(kept);
        clusters = std::move(next);
        ids = nextIds;
        // Out of rounds: the images stay those of the last round, read out for the new
        // assignment.
        if (round + 1 == rounds) measure(optimiser.currentImages());
    }
    result.clusters = clusters;
    result.secondsPerStep = steps > 0 ? seconds / steps : 0;
    return result;
}

}  // namespace us::analysis
