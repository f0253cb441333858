// Activation maximisation on the trained demo CNN (the same short training run and store the
// GUI tests use, made once in the test cache): images beat every natural stimulus of the
// 10,000 Fashion-MNIST test images, facets anchored on the unit's modes stay apart, and
// cluster images drive their own cluster hardest.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <optional>

#include "analysis/clustering/kmeans.h"
#include "analysis/core/runtime_setup.h"
#include "analysis/demo/demo_data.h"
#include "analysis/demo/demo_network.h"
#include "analysis/models/activation_store.h"
#include "analysis/models/script_model.h"
#include "analysis/models/unit_statistics.h"
#include "analysis/stimuli/stimulus_set.h"
#include "analysis/visualisation/activation_maximisation.h"
#include "analysis/visualisation/cluster_visualisation.h"
#include "analysis/visualisation/facet_anchors.h"

namespace us::analysis {
namespace {

namespace fs = std::filesystem;

// The GUI tests' demo cache (XDG_CACHE_HOME is the test cache there), so either trains it.
const DemoNetwork& demo() {
    static const DemoNetwork network = [] {
        configureRuntime();  // as the app does: malloc tuning and all cores
        ModelWorkspace workspace;
        DemoTrainingOptions options;
        options.datasetDir = fashionMnistDir();
        options.maxSteps = 200;
        return prepareDemoNetwork(
            workspace, fs::path(UNITSCOPE_TEST_CACHE_DIR) / "Unitscope/unitscope/demo-network",
            options, {});
    }();
    return network;
}

float bestNatural(const ActivationStore& store, const std::string& layer, std::int64_t unit) {
    const auto column = store.unitColumn(layer, unit);
    return *std::max_element(column.begin(), column.end());
}

struct DrivenCount {
    int driven = 0, checked = 0;
};

// Visualises every channel of the second conv layer and every logit with the standard recipe,
// each image from a random start or, with exemplarStarts, from the mean of its unit's 25 top
// natural exemplars (the multifaceted start with one facet), and counts the units whose image
// drives them above their best natural stimulus. (The first conv layer's channels are affine
// in the pixels: their spatial mean peaks at a flat image, which the black backgrounds of
// Fashion-MNIST nearly are and the sigmoid never quite reaches.)
DrivenCount unitsDrivenAboveTheirBestNatural(bool exemplarStarts) {
    const auto& network = demo();
    const auto& spec = network.model.spec;
    auto model = ScriptModel::load(network.model.path);
    const auto store = ActivationStore::open(network.store.path);
    const auto stimuli = openStimulusSet(store.provenance().stimuliPath);
    struct Checked {
        std::string name;
        std::string storeLayer;
        std::vector<VisualisationObjective> objectives;
    };
    std::vector<Checked> groups{{"conv2", "conv2", {}}, {"logits", "fc2", {}}};
    for (std::int64_t c = 0; c < 64; ++c)
        groups[0].objectives.push_back(
            VisualisationObjective::parse("channel:conv2:" + std::to_string(c)));
    for (std::int64_t k = 0; k < 10; ++k)
        groups[1].objectives.push_back(VisualisationObjective::parse("logit:" + std::to_string(k)));
    OptimisationSettings settings;
    settings.steps = 512;
    DrivenCount count;
    for (const auto& group : groups) {
        const auto units = std::int64_t(group.objectives.size());
        std::optional<FloatArray> starts;
        if (exemplarStarts) {
            starts = FloatArray{{units, spec.shape[0], spec.shape[1], spec.shape[2]}, {}};
            for (std::int64_t u = 0; u < units; ++u) {
                const auto anchor =
                    facetAnchors(store, *stimuli, spec, group.storeLayer, u, 1, 25, 0);
                starts->values.insert(starts->values.end(), anchor.images.values.begin(),
                                      anchor.images.values.end());
            }
        }
        const auto result = visualiseEach(model, spec, group.objectives, settings, {}, starts);
        int beat = 0;
        for (std::int64_t u = 0; u < units; ++u) {
            const float best = bestNatural(store, group.storeLayer, u);
            const double got = result.finalActivation[std::size_t(u)];
            beat += got > best;
            if (got <= best)
                std::printf("%s %lld: %.3f, under its best natural stimulus %.3f\n",
                            group.name.c_str(), static_cast<long long>(u), got, best);
        }
        std::printf(
            "%s: %d of %lld units driven above their best natural stimulus (%.1f ms/step)\n",
            group.name.c_str(), beat, static_cast<long long>(units), result.secondsPerStep * 1e3);
        count.driven += beat;
        count.checked += int(units);
    }
    return count;
}

TEST(DemoVisualisation, ImagesBeatTheBestNaturalStimulusForAtLeast85PercentOfUnits) {
    const auto count = unitsDrivenAboveTheirBestNatural(false);
    // The demo network is trained on each machine, and oneDNN's kernels differ between CPU
    // kinds, so its units do too: 69 of 74 on one machine, 66 of 74 on another. A broken
    // optimiser drives far fewer.
    EXPECT_GE(count.driven, int(std::ceil(0.85 * count.checked)))
        << count.driven << " of " << count.checked;
}

// From each unit's exemplar anchor, the same recipe reaches the 90% with room to
// spare (71 of 74 here): the start already holds the unit's pattern on the black background
// that a random grey start must find (conv2 54 prefers black, and grey is a local maximum
// of its response along flat images), and the optimiser lifts it above every exemplar.
TEST(DemoVisualisation, ExemplarStartedImagesBeatTheBestNaturalStimulusForAtLeast90PercentOfUnits) {
    const auto count = unitsDrivenAboveTheirBestNatural(true);
    EXPECT_GE(count.driven, int(std::ceil(0.9 * count.checked)))
        << count.driven << " of " << count.checked;
}

// The mean pairwise cosine of a run's images' activations at the objective's layer.
double meanFacetCosine(const VisualisationResult& result) {
    const auto n = result.facetCosines.shape.at(0);
    double sum = 0;
    for (std::int64_t i = 0; i < n; ++i)
        for (std::int64_t j = i + 1; j < n; ++j)
            sum += result.facetCosines.values[std::size_t(i * n + j)];
    return sum / double(n * (n - 1) / 2);
}

// Facets with the diversity term against independent restarts (the same run without the
// term, three random starts): the bound for "the facets differ" is what restarts alone give,
// so a pass means the facets part further than seed noise does; and each facet must still
// drive its unit above the unit's 99th natural percentile. Every 8th channel of conv2;
// channels whose restarts themselves stay under that percentile cannot show it and are not
// counted (on this network, channel 40).
TEST(DemoVisualisation, FacetsPartFurtherThanRestartsAndStayAboveThe99thPercentile) {
    const auto& network = demo();
    auto model = ScriptModel::load(network.model.path);
    const auto store = ActivationStore::open(network.store.path);
    int counted = 0, passed = 0;
    for (std::int64_t unit = 0; unit < 64; unit += 8) {
        auto natural = store.unitColumn("conv2", unit);
        std::sort(natural.begin(), natural.end(), std::greater<>());
        const double p99 = natural[std::size_t(0.01 * double(natural.size() - 1))];
        VisualisationRequest request;
        request.objective = VisualisationObjective::parse("channel:conv2:" + std::to_string(unit));
        request.images = 3;
        request.seed = 1;
        const auto restarts = visualise(model, network.model.spec, request);
        if (*std::min_element(restarts.finalActivation.begin(), restarts.finalActivation.end()) <=
            p99)
            continue;
        request.diversity = 100;
        const auto facets = visualise(model, network.model.spec, request);
        const double weakest =
            *std::min_element(facets.finalActivation.begin(), facets.finalActivation.end());
        const bool apart = meanFacetCosine(facets) < meanFacetCosine(restarts);
        ++counted;
        passed += apart && weakest > p99;
        std::printf("conv2:%lld  p99 %.2f  facets' weakest %.2f  cosine %.2f (restarts %.2f)\n",
                    static_cast<long long>(unit), p99, weakest, meanFacetCosine(facets),
                    meanFacetCosine(restarts));
    }
    EXPECT_GE(counted, 6);
    EXPECT_GE(passed, int(std::ceil(0.8 * counted))) << passed << " of " << counted;
}

TEST(DemoVisualisation, ClusterImagesDriveTheirOwnClusterHardest) {
    const auto& network = demo();
    auto model = ScriptModel::load(network.model.path);
    const auto store = ActivationStore::open(network.store.path);
    // conv2's units clustered by their standardised responses to the test images, and
    // compared in those standard units.
    const auto matrix = store.layerMatrix("conv2");
    const auto rows = matrix.shape[0], units = matrix.shape[1];
    const auto moments = columnMoments(matrix);
    FloatArray profiles{{units, rows}, std::vector<float>(std::size_t(units * rows))};
    for (std::int64_t u = 0; u < units; ++u)
        for (std::int64_t r = 0; r < rows; ++r)
            profiles.values[std::size_t(u * rows + r)] =
                (matrix.values[std::size_t(r * units + u)] - moments.mean[std::size_t(u)]) /
                moments.std[std::size_t(u)];
    KMeansOptions kmeansOptions;
    kmeansOptions.k = 4;
    kmeansOptions.restarts = 3;
    ClusterVisualisationRequest request;
    request.unitMean = moments.mean;
    request.unitScale = moments.std;
    request.layer = "conv2";
    request.clusters = kmeans(profiles, kmeansOptions, {}).labels;
    const auto result = visualiseClusters(model, network.model.spec, request);
    const auto k = std::int64_t(result.clusterIds.size());
    ASSERT_EQ(k, 4);
    for (std::int64_t image = 0; image < k; ++image) {
        const auto* shares = result.clusterShares.values.data() + image * k;
        EXPECT_EQ(std::max_element(shares, shares + k) - shares, image) << "image " << image;
        // And no other image drives the cluster harder.
        const auto own = result.clusterMeans.values[std::size_t(image * k + image)];
        for (std::int64_t other = 0; other < k; ++other)
            if (other != image) {
                EXPECT_GT(own, result.clusterMeans.values[std::size_t(other * k + image)])
                    << "cluster " << image << " on image " << other;
            }
    }
}

}  // namespace
}  // namespace us::analysis
