// Activation maximisation beyond one image per unit: weighted sums of objectives, the inverse
// parameterisation that starts a run from images, exemplar-anchored facets and
// cluster-discriminative images, on the 16 px VGG fixture.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "analysis/core/npy.h"
#include "analysis/models/activation_store.h"
#include "analysis/models/extraction.h"
#include "analysis/stimuli/stimulus_set.h"
#include "analysis/visualisation/activation_maximisation.h"
#include "analysis/visualisation/cluster_visualisation.h"
#include "analysis/visualisation/facet_anchors.h"
#include "tests/analysis/visualisation/visualisation_fixtures.h"

namespace us::analysis {
namespace {

namespace fs = std::filesystem;

using us::test::readArray;
using us::test::vggPath;
using us::test::vggSpec;

const fs::path& fixtures() {
    return us::test::visualisationFixtures();
}

// The fixture's 600 stimuli through the VGG at features.5, stored once per test run.
const fs::path& vggStore() {
    static const fs::path path = [] {
        const fs::path out = fs::temp_directory_path() / "us_facets_store.h5";
        ExtractionRequest request;
        request.model = vggPath();
        request.stimuli = fixtures() / "stimuli16.npy";
        request.layers = {"features.5"};
        request.out = out;
        request.inputShape = std::vector<std::int64_t>{3, 16, 16};
        request.batchSize = 100;
        extractActivations(request, {});
        return out;
    }();
    return path;
}

// A unit's activation at features.5 (spatial mean) for each image.
std::vector<float> channelMeans(ScriptModel& model, const FloatArray& images, std::int64_t unit) {
    const auto pooled = model.runPooled(images, {"features.5"});
    const auto& m = pooled[0].mean;
    std::vector<float> values;
    for (std::int64_t i = 0; i < m.shape[0]; ++i)
        values.push_back(m.values[std::size_t(i * m.shape[1] + unit)]);
    return values;
}

TEST(ObjectiveSums, ParseNameAndAddTheirTermsWithWeights) {
    const auto objective = VisualisationObjective::parse("channel:features.5:1 + -0.5*logit:2");
    ASSERT_EQ(objective.terms.size(), 2u);
    EXPECT_EQ(objective.terms[1].weight, -0.5);
    EXPECT_EQ(objective.text(), "channel:features.5:1 + -0.5*logit:2");
    EXPECT_EQ(VisualisationObjective::parse("-layer:features.2").text(), "-layer:features.2");
    EXPECT_EQ(objective.single(), nullptr);
    EXPECT_THROW(VisualisationObjective::parse("x*logit:2"), std::invalid_argument);
    EXPECT_THROW(VisualisationObjective::parse("logit:2 + "), std::invalid_argument);

    // The final value of a sum is the weighted sum of its terms on the same image.
    auto model = ScriptModel::load(vggPath());
    VisualisationRequest request;
    request.objective =
        VisualisationObjective::parse("2*channel:features.5:1 + -channel:features.5:3");
    request.steps = 64;
    request.size = 16;
    const auto result = visualise(model, vggSpec(), request);
    const double want =
        2.0 * channelMeans(model, result.images, 1)[0] - channelMeans(model, result.images, 3)[0];
    EXPECT_NEAR(result.finalActivation[0], want, 1e-4 * std::max(1.0, std::abs(want)));
    EXPECT_GT(result.objective.back(), result.objective.front());
}

TEST(InverseParameterisation, ImagesComeBackFromTheirSpectrum) {
    for (const auto* name : {"rgb_odd", "grey", "rgb_square"}) {
        SCOPED_TRACE(name);
        const auto images = readArray(fixtures() / (std::string(name) + ".images.npy"));
        const auto spectrum = imagesToSpectrum(images, true);
        const auto back =
            spectrumToImages(spectrum, int(images.shape[2]), int(images.shape[3]), true);
        double worst = 0;
        for (std::size_t i = 0; i < images.values.size(); ++i)
            worst = std::max(worst, double(std::abs(std::clamp(images.values[i], 0.01f, 0.99f) -
                                                    back.values[i])));
        EXPECT_LT(worst, 2e-5);
    }
}

TEST(AnchoredFacets, StartFromTheMeanImagesOfTheUnitsModes) {
    const auto store = ActivationStore::open(vggStore());
    const auto stimuli = openStimulusSet(fixtures() / "stimuli16.npy");
    constexpr std::int64_t unit = 1;
    const auto anchors = facetAnchors(store, *stimuli, vggSpec(), "features.5", unit, 3, 60, 0);
    ASSERT_EQ(anchors.images.shape, (std::vector<std::int64_t>{3, 3, 16, 16}));
    // The groups split the unit's 60 strongest rows, and each start is its group's mean.
    auto natural = store.unitColumn("features.5", unit);
    auto sorted = natural;
    std::sort(sorted.begin(), sorted.end(), std::greater<>());
    std::vector<std::int64_t> rows;
    for (const auto& group : anchors.groups)
        rows.insert(rows.end(), group.begin(), group.end());
    ASSERT_EQ(rows.size(), 60u);
    for (auto row : rows)
        EXPECT_GE(natural[std::size_t(row)], sorted[59]);
    const auto pixels = readArray(fixtures() / "stimuli16.npy");
    const auto perImage = std::size_t(3 * 16 * 16);
    for (std::size_t g = 0; g < 3; ++g)
        for (std::size_t k = 0; k < perImage; k += 37) {
            double mean = 0;
            for (auto row : anchors.groups[g])
                mean += pixels.values[std::size_t(row) * perImage + k];
            mean /= double(anchors.groups[g].size());
            EXPECT_NEAR(anchors.images.values[g * perImage + k], mean, 1e-5);
        }

    // A run from the anchors: --steps 0 gives the starts back (clamped), a short run drives
    // every facet above the unit's 99th natural percentile.
    auto model = ScriptModel::load(vggPath());
    VisualisationRequest request;
    request.objective = VisualisationObjective::parse("channel:features.5:1");
    request.size = 16;
    request.steps = 0;
    request.initialImages = anchors.images;
    const auto starts = visualise(model, vggSpec(), request);
    for (std::size_t i = 0; i < starts.images.values.size(); ++i)
        ASSERT_NEAR(starts.images.values[i], std::clamp(anchors.images.values[i], 0.01f, 0.99f),
                    2e-5);
    request.steps = 96;
    const auto result = visualise(model, vggSpec(), request);
    ASSERT_EQ(result.images.shape[0], 3);
    const auto p99 = sorted[std::size_t(0.01 * double(sorted.size() - 1))];
    for (double value : result.finalActivation)
        EXPECT_GT(value, p99);

    EXPECT_THROW(facetAnchors(store, *stimuli, vggSpec(), "features.5", unit, 3, 2, 0),
                 std::invalid_argument);
    EXPECT_THROW(facetAnchors(store, *stimuli, vggSpec(), "features.5", 99, 3, 60, 0),
                 std::invalid_argument);
}

TEST(ClusterImages, RaiseTheirClustersShareReadOutTheirUnitsAndReassignThem) {
    auto model = ScriptModel::load(vggPath());
    ClusterVisualisationRequest request;
    request.layer = "features.5";
    request.clusters = {0, 0, 1, 1, 2, 2, 0, 1, 2, 0, 1, -1};
    request.steps = 96;
    request.size = 16;
    const auto result = visualiseClusters(model, vggSpec(), request);
    ASSERT_EQ(result.clusterIds, (std::vector<std::int32_t>{0, 1, 2}));
    ASSERT_EQ(result.images.shape[0], 3);
    // Each image's own share climbs (the mean log share per step, over the images).
    ASSERT_EQ(result.rounds.size(), 1u);
    EXPECT_GT(result.rounds[0].objective.back(), result.rounds[0].objective.front());
    double logShares = 0;
    for (std::int64_t image = 0; image < 3; ++image)
        logShares += std::log(result.clusterShares.values[std::size_t(image * 3 + image)]);
    EXPECT_NEAR(logShares / 3, result.rounds[0].objective.back(), 0.1);
    // The read-outs are the images' own activations.
    const auto unit4 = channelMeans(model, result.images, 4);
    for (std::int64_t image = 0; image < 3; ++image)
        EXPECT_NEAR(result.unitActivations.values[std::size_t(image * 12 + 4)],
                    unit4[std::size_t(image)], 1e-4);
    // Cluster 2's mean is the mean of its units' (4, 5 and 8) read-outs.
    const auto* units = result.unitActivations.values.data();
    EXPECT_NEAR(result.clusterMeans.values[2], (units[4] + units[5] + units[8]) / 3.0, 1e-5);

    request.iterate = true;
    request.steps = 48;
    const auto iterated = visualiseClusters(model, vggSpec(), request);
    ASSERT_FALSE(iterated.rounds.empty());
    EXPECT_EQ(iterated.rounds.front().clusters, request.clusters);
    // Stops when no unit moves, or after maxRounds; the final assignment is each unit's
    // best image when it stopped on its own.
    if (iterated.rounds.back().moved == 0)
        for (std::size_t u = 0; u < iterated.clusters.size(); ++u) {
            if (iterated.clusters[u] < 0) continue;
            const auto kk = std::int64_t(iterated.clusterIds.size());
            const auto units = iterated.unitActivations.shape[1];
            std::int64_t best = 0;
            for (std::int64_t i = 1; i < kk; ++i)
                if (iterated.unitActivations.values[std::size_t(i * units) + u] >
                    iterated.unitActivations.values[std::size_t(best * units) + u])
                    best = i;
            EXPECT_EQ(iterated.clusters[u], iterated.clusterIds[std::size_t(best)]);
        }
    EXPECT_EQ(iterated.clusters[11], -1);

    request.clusters.assign(12, 0);
    EXPECT_THROW(visualiseClusters(model, vggSpec(), request), std::invalid_argument);
    request.clusters = {0, 1};
    EXPECT_THROW(visualiseClusters(model, vggSpec(), request), std::invalid_argument);
}

}  // namespace
}  // namespace us::analysis
