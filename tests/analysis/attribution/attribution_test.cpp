// Attribution against PyTorch references written from the definitions (the fixture script),
// on a scripted ResNet-18 and a traced VGG-style net with BatchNorm, pooling and a concat.

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>

#include "analysis/attribution/attribution.h"
#include "analysis/core/npy.h"
#include "tests/support/python_fixtures.h"

namespace us::analysis {
namespace {

namespace fs = std::filesystem;

const fs::path& fixtures() {
    static const fs::path dir =
        us::test::pythonFixtures("make_attribution_fixtures.py", "attribution-fixtures");
    return dir;
}

const nlohmann::json& manifest() {
    static const nlohmann::json m =
        nlohmann::json::parse(std::ifstream(fixtures() / "manifest.json"));
    return m;
}

FloatArray readArray(const std::string& name) {
    NpyHeader header;
    const auto values = readNpyAsDouble(fixtures() / name, &header);
    return {header.shape, std::vector<float>(values.begin(), values.end())};
}

// Every element within tolerance of the reference's largest magnitude.
void expectClose(const FloatArray& got, const FloatArray& want, double tolerance,
                 const std::string& what) {
    ASSERT_EQ(got.shape, want.shape) << what;
    double scale = 0, worst = 0;
    for (float v : want.values)
        scale = std::max(scale, double(std::abs(v)));
    for (std::size_t i = 0; i < got.values.size(); ++i)
        worst = std::max(worst, double(std::abs(got.values[i] - want.values[i])));
    EXPECT_LE(worst, tolerance * std::max(scale, 1e-12)) << what << " (scale " << scale << ")";
}

struct Net {
    std::string name;
    nlohmann::json entry;
    ScriptModel model;
    FloatArray input;

    explicit Net(const std::string& netName)
        : name(netName),
          entry(manifest()["nets"][netName]),
          model(ScriptModel::load(fixtures() / entry["model"].get<std::string>())),
          input(readArray(entry["input"].get<std::string>())) {}

    AttributionRequest request(AttributionMethod method) const {
        AttributionRequest r;
        r.method = method;
        r.target = AttributionTarget::parse(entry["target"].get<std::string>());
        r.layers = entry["layers"].get<std::vector<std::string>>();
        r.steps = manifest()["steps"].get<int>();
        return r;
    }
};

const LayerAttribution& layerOf(const AttributionResult& result, const std::string& name) {
    for (const auto& layer : result.layers)
        if (layer.layer == name) return layer;
    throw std::runtime_error("no layer " + name);
}

class AttributionReference : public ::testing::TestWithParam<std::string> {};

TEST_P(AttributionReference, GradientTimesActivationMatchesAutograd) {
    Net net(GetParam());
    Attributor attributor(net.model);
    const auto result =
        attributor.attribute(net.input, net.request(AttributionMethod::GradientTimesActivation));
    EXPECT_NEAR(result.targetValue, net.entry["gxa_target"].get<double>(),
                1e-4 * std::abs(net.entry["gxa_target"].get<double>()) + 1e-6);
    expectClose(result.inputMap, readArray(net.name + ".gxa.input.npy"), 1e-4, "input");
    for (const auto& layer : net.request(AttributionMethod::GradientTimesActivation).layers) {
        const auto& got = layerOf(result, layer);
        const auto want = readArray(net.name + ".gxa." + layer + ".npy");
        expectClose(got.map, want, 1e-4, layer);
        // A unit's node value is its map summed over space.
        const auto spatial = want.values.size() / got.unitAttribution.size();
        double sum = 0;
        for (std::size_t i = 0; i < spatial; ++i)
            sum += want.values[i];
        EXPECT_NEAR(got.unitAttribution[0], sum, 1e-4 * (std::abs(sum) + 1e-3)) << layer;
    }
}

TEST_P(AttributionReference, IntegratedGradientsMatchesTheDefinition) {
    Net net(GetParam());
    Attributor attributor(net.model);
    const auto result =
        attributor.attribute(net.input, net.request(AttributionMethod::IntegratedGradients));
    EXPECT_NEAR(result.targetValue, net.entry["ig_target"].get<double>(), 1e-4);
    EXPECT_NEAR(result.baselineValue, net.entry["ig_baseline"].get<double>(), 1e-4);
    expectClose(result.inputMap, readArray(net.name + ".ig.input.npy"), 1e-4, "input");
    for (const auto& layer : net.request(AttributionMethod::IntegratedGradients).layers)
        expectClose(layerOf(result, layer).map, readArray(net.name + ".ig." + layer + ".npy"), 1e-4,
                    layer);
    ASSERT_TRUE(result.completenessError.has_value());
}

INSTANTIATE_TEST_SUITE_P(Nets, AttributionReference,
                         ::testing::Values("resnet18", "vgg", "vgg_unit"));

class LrpReference : public ::testing::TestWithParam<std::string> {};

TEST_P(LrpReference, RelevanceFollowsTheCompositeRules) {
    Net net(GetParam());
    Attributor attributor(net.model);
    auto request = net.request(AttributionMethod::Lrp);
    request.layers = net.entry["lrp_layers"].get<std::vector<std::string>>();
    const auto result = attributor.attribute(net.input, request);
    EXPECT_NEAR(result.targetValue, net.entry["lrp_target"].get<double>(), 1e-5);
    expectClose(result.inputMap, readArray(net.name + ".lrp.input.npy"), 1e-4, "input");
    for (const auto& layer : request.layers)
        expectClose(layerOf(result, layer).map, readArray(net.name + ".lrp." + layer + ".npy"),
                    1e-4, layer);
}

INSTANTIATE_TEST_SUITE_P(Nets, LrpReference, ::testing::Values("resnet18", "vgg"));

TEST(Lrp, ConservesRelevanceWithoutBiases) {
    auto model = ScriptModel::load(fixtures() / "plain.pt");
    const auto input = readArray("plain.input.npy");
    const auto logits = manifest()["plain_logits"].get<std::vector<double>>();
    Attributor attributor(model);
    AttributionRequest request;
    request.method = AttributionMethod::Lrp;
    request.target = AttributionTarget::parse("logit:1");
    request.layers = {"features.2", "features.6", "branch"};
    const auto result = attributor.attribute(input, request);
    EXPECT_NEAR(result.targetValue, logits[1], 1e-5);
    double total = 0;
    for (float v : result.inputMap.values)
        total += v;
    EXPECT_NEAR(total, logits[1], 1e-4 * std::abs(logits[1]));
    double atFeatures = 0;
    for (double v : layerOf(result, "features.2").unitAttribution)
        atFeatures += v;
    EXPECT_NEAR(atFeatures, logits[1], 1e-4 * std::abs(logits[1]));
}

TEST(Lrp, AnOperatorWithoutARuleIsNamedWithItsModule) {
    auto model = ScriptModel::load(fixtures() / "norule.pt");
    Attributor attributor(model);
    AttributionRequest request;
    request.method = AttributionMethod::Lrp;
    request.target = AttributionTarget::parse("logit:0");
    FloatArray input{{3, 16, 16}, std::vector<float>(3 * 16 * 16, 0.5f)};
    try {
        attributor.attribute(input, request);
        FAIL() << "expected an error";
    } catch (const std::invalid_argument& error) {
        EXPECT_NE(std::string(error.what()).find("aten::tanh"), std::string::npos) << error.what();
        EXPECT_NE(std::string(error.what()).find("module '1'"), std::string::npos) << error.what();
    }
}

TEST(IntegratedGradients, CompletenessHoldsWithFiftyGaussLegendrePoints) {
    Net net("vgg");
    Attributor attributor(net.model);
    for (auto baseline : {BaselineKind::Zero, BaselineKind::Black, BaselineKind::Blur}) {
        auto request = net.request(AttributionMethod::IntegratedGradients);
        request.steps = 50;
        request.baseline = baseline;
        request.inputMean = {0.5f, 0.5f, 0.5f};
        request.inputStd = {0.25f, 0.25f, 0.25f};
        const auto result = attributor.attribute(net.input, request);
        ASSERT_TRUE(result.completenessError.has_value());
        EXPECT_LT(*result.completenessError, 0.01)
            << baselineKindName(baseline) << ": t(x) " << result.targetValue << ", t(x') "
            << result.baselineValue;
        // features.6 does not cut the network from the output: completeness holds there too.
        EXPECT_LT(*layerOf(result, "features.6").completenessError, 0.01);
    }
}

TEST(Links, MatchAutogradBetweenLayersAndFromInputPatches) {
    for (const std::string name : {"resnet18", "vgg"}) {
        Net net(name);
        Attributor attributor(net.model);
        for (const auto& link : net.entry["links"]) {
            const auto matrix = attributor.links(
                net.input, link["from"].get<std::string>(),
                link["sources"].get<std::vector<std::int64_t>>(), link["to"].get<std::string>(),
                link["targets"].get<std::vector<std::int64_t>>(),
                AttributionTarget::parse(net.entry["target"].get<std::string>()),
                link["grid"].get<int>());
            const auto want = readArray(link["file"].get<std::string>());
            expectClose(FloatArray{want.shape, std::vector<float>(matrix.weights.begin(),
                                                                  matrix.weights.end())},
                        want, 1e-4,
                        name + " " + link["from"].get<std::string>() + " -> " +
                            link["to"].get<std::string>());
        }
    }
}

TEST(Links, ToTheTargetEqualTheLastLayersGradientTimesActivation) {
    Net net("vgg");
    Attributor attributor(net.model);
    const auto result =
        attributor.attribute(net.input, net.request(AttributionMethod::GradientTimesActivation));
    const auto& last = layerOf(result, "branch");
    const auto matrix =
        attributor.links(net.input, "branch", {0, 1, 2, 3}, "", {0}, result.target, 4);
    for (std::size_t i = 0; i < 4; ++i)
        EXPECT_NEAR(matrix.weights[i], last.unitAttribution[i], 1e-5);
}

TEST(Quadrature, RulesAreCaptumsAndGaussLegendreIsExactForPolynomials) {
    const auto q = integrationQuadrature(IntegrationRule::GaussLegendre, 8);
    double weights = 0, integral = 0;
    for (std::size_t i = 0; i < 8; ++i) {
        weights += q.weights[i];
        integral += q.weights[i] * std::pow(q.points[i], 15);  // degree 2n - 1
        if (i) {
            EXPECT_LT(q.points[i - 1], q.points[i]);
        }
    }
    EXPECT_NEAR(weights, 1.0, 1e-14);
    EXPECT_NEAR(integral, 1.0 / 16, 1e-14);
    const auto t = integrationQuadrature(IntegrationRule::Trapezoid, 5);
    EXPECT_EQ(t.points, (std::vector<double>{0, 0.25, 0.5, 0.75, 1}));
    EXPECT_EQ(t.weights, (std::vector<double>{0.125, 0.25, 0.25, 0.25, 0.125}));
    const auto r = integrationQuadrature(IntegrationRule::RightRiemann, 4);
    EXPECT_EQ(r.points, (std::vector<double>{0.25, 0.5, 0.75, 1}));
    EXPECT_THROW(integrationQuadrature(IntegrationRule::Trapezoid, 1), std::invalid_argument);
}

TEST(Attribution, BadRequestsGiveClearErrors) {
    Net net("vgg");
    Attributor attributor(net.model);
    auto request = net.request(AttributionMethod::GradientTimesActivation);
    request.layers = {"features.nope"};
    EXPECT_THROW(attributor.attribute(net.input, request), std::invalid_argument);
    request.layers = {"branch"};
    request.target = AttributionTarget::parse("unit:features.2:0");
    EXPECT_THROW(attributor.attribute(net.input, request), std::invalid_argument);
    request.target = AttributionTarget::parse("logit:99");
    EXPECT_THROW(attributor.attribute(net.input, request), std::invalid_argument);
    EXPECT_THROW(AttributionTarget::parse("logit:x"), std::invalid_argument);
    EXPECT_THROW(AttributionTarget::parse("unit:3"), std::invalid_argument);
    EXPECT_EQ(AttributionTarget::parse("unit:layer1.0:7").layer, "layer1.0");
    FloatArray wrong{{1, 5, 5}, std::vector<float>(25, 0.f)};
    request.target = AttributionTarget::parse("predicted");
    EXPECT_THROW(attributor.attribute(wrong, request), std::runtime_error);
}

}  // namespace
}  // namespace us::analysis
