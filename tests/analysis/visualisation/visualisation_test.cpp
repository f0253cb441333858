// Activation maximisation: the parameterisation against a python3-torch reference written
// from its description, images that drive their units harder than every stimulus of a set,
// seeds, bad objectives and cancelling.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>

#include "analysis/core/npy.h"
#include "analysis/visualisation/activation_maximisation.h"
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

TEST(Visualisation, ParameterisationMatchesTheReference) {
    for (const auto& c : nlohmann::json::parse(std::ifstream(fixtures() / "cases.json"))) {
        const auto name = c["name"].get<std::string>();
        SCOPED_TRACE(name);
        const auto spectrum = readArray(fixtures() / (name + ".spectrum.npy"));
        const auto want = readArray(fixtures() / (name + ".images.npy"));
        const auto got =
            spectrumToImages(spectrum, c["height"].get<int>(), c["width"].get<int>(), true);
        ASSERT_EQ(got.shape, want.shape);
        double worst = 0;
        for (std::size_t i = 0; i < got.values.size(); ++i)
            worst = std::max(worst, double(std::abs(got.values[i] - want.values[i])));
        EXPECT_LT(worst, 1e-5);
    }
}

TEST(Visualisation, ImagesDriveTheirUnitsHarderThanEveryStimulus) {
    auto model = ScriptModel::load(vggPath());
    const auto stimuli = readArray(fixtures() / "stimuli16.npy");
    FloatArray logits;
    const auto pooled = model.runPooled(stimuli, {"features.5"}, &logits);
    const auto units = pooled[0].mean.shape[1];
    // Pre-ReLU channels (BatchNorm outputs): a post-ReLU channel that is zero on the starting
    // image has no gradient to climb.
    std::vector<std::string> objectives;
    for (int c = 0; c < 6; ++c)
        objectives.push_back("channel:features.5:" + std::to_string(c));
    for (int k = 0; k < 3; ++k)
        objectives.push_back("logit:" + std::to_string(k));
    int driven = 0;
    for (const auto& text : objectives) {
        VisualisationRequest request;
        request.objective = VisualisationObjective::parse(text);
        request.steps = 96;
        request.size = 16;
        const auto result = visualise(model, vggSpec(), request);
        const auto& o = request.objective.terms.at(0);
        const bool logit = o.kind == ObjectiveTerm::Kind::Logit;
        const auto& matrix = logit ? logits : pooled[0].mean;
        const auto width = logit ? logits.shape[1] : units;
        double best = -1e30;
        for (std::int64_t i = 0; i < matrix.shape[0]; ++i)
            best = std::max(best, double(matrix.values[std::size_t(i * width + o.units[0])]));
        driven += result.finalActivation[0] > best;
        EXPECT_EQ(result.objective.size(), 96u);
        EXPECT_GT(result.objective.back(), result.objective.front()) << text;
    }
    EXPECT_GE(driven, int(std::ceil(0.9 * double(objectives.size()))))
        << driven << " of " << objectives.size();
}

TEST(Visualisation, TheDiversityTermPushesFacetsApart) {
    auto model = ScriptModel::load(vggPath());
    VisualisationRequest request;
    request.objective = VisualisationObjective::parse("channel:features.5:1");
    request.steps = 96;
    request.size = 16;
    request.images = 3;
    const auto alike = visualise(model, vggSpec(), request);
    request.diversity = 100;
    const auto facets = visualise(model, vggSpec(), request);
    ASSERT_TRUE(alike.facetSimilarity && facets.facetSimilarity);
    // Three starts without the term converge to similar textures (the sum over the 6 ordered
    // pairs of normalised Gram products nears its maximum, 6 / 3 = 2); with it they part. The
    // run's last 3/8 maximise the objective alone, which draws them partly back together on
    // this small random net (1.86 against 2.0 here).
    EXPECT_GT(*alike.facetSimilarity, 1.9);
    EXPECT_LT(*facets.facetSimilarity, 0.95 * *alike.facetSimilarity)
        << *facets.facetSimilarity << " vs " << *alike.facetSimilarity;
}

TEST(Visualisation, ASeedReproducesARunAndStepsZeroIsTheParameterisation) {
    auto model = ScriptModel::load(vggPath());
    VisualisationRequest request;
    request.objective = VisualisationObjective::parse("channel:features.2:1");
    request.steps = 8;
    request.size = 16;
    request.seed = 5;
    const auto a = visualise(model, vggSpec(), request);
    const auto b = visualise(model, vggSpec(), request);
    EXPECT_EQ(a.images.values, b.images.values);
    request.seed = 6;
    EXPECT_NE(visualise(model, vggSpec(), request).images.values, a.images.values);

    FloatArray spectrum{{1, 3, 16, 9, 2}, std::vector<float>(3 * 16 * 9 * 2)};
    for (std::size_t i = 0; i < spectrum.values.size(); ++i)
        spectrum.values[i] = float(std::sin(double(i)));
    request.steps = 0;
    request.initialSpectrum = spectrum;
    EXPECT_EQ(visualise(model, vggSpec(), request).images.values,
              spectrumToImages(spectrum, 16, 16, true).values);
}

TEST(Visualisation, BadObjectivesAndCancelGiveClearErrors) {
    EXPECT_THROW(VisualisationObjective::parse("channel:x"), std::invalid_argument);
    EXPECT_THROW(VisualisationObjective::parse("neuron:l:1:2"), std::invalid_argument);
    EXPECT_EQ(VisualisationObjective::parse("units:features.6:1,3").terms.at(0).units,
              (std::vector<std::int64_t>{1, 3}));
    EXPECT_EQ(VisualisationObjective::parse("neuron:features.6:1:2,3").text(),
              "neuron:features.6:1:2,3");
    auto model = ScriptModel::load(vggPath());
    VisualisationRequest request;
    request.steps = 2;
    request.objective = VisualisationObjective::parse("channel:features.nope:1");
    EXPECT_THROW(visualise(model, vggSpec(), request), std::invalid_argument);
    request.objective = VisualisationObjective::parse("channel:features.6:99");
    EXPECT_THROW(visualise(model, vggSpec(), request), std::invalid_argument);
    request.objective = VisualisationObjective::parse("channel:features.6:1");
    CancelToken cancel;
    cancel.cancel();
    EXPECT_THROW(visualise(model, vggSpec(), request, JobContext({}, cancel)), JobCancelled);
}

}  // namespace
}  // namespace us::analysis
