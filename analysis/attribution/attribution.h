#pragma once
// Attribution of one scalar target to the input and to chosen layers of a TorchScript model,
// for one input: gradient x activation, Integrated Gradients, LRP. Torch stays in the .cpp
// files; callers see plain arrays.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analysis/core/float_array.h"
#include "analysis/core/job_context.h"
#include "analysis/models/script_model.h"

namespace us::analysis {

// The scalar being explained: a class logit (before softmax), the model's own prediction,
// or one unit's spatial mean at a layer.
struct AttributionTarget {
    enum class Kind { Logit, Predicted, Unit };
    Kind kind = Kind::Predicted;
    std::int64_t index = 0;  // the logit, or the unit's channel
    std::string layer;       // Unit only

    // "logit:K", "predicted", "unit:LAYER:C". Throws std::invalid_argument.
    static AttributionTarget parse(const std::string& text);
    std::string text() const;
};

enum class AttributionMethod { GradientTimesActivation, IntegratedGradients, Lrp };
AttributionMethod parseAttributionMethod(const std::string& name);  // gxa, ig, lrp
std::string attributionMethodName(AttributionMethod method);

// The quadrature of Integrated Gradients' path integral.
enum class IntegrationRule { GaussLegendre, Trapezoid, RightRiemann };
IntegrationRule parseIntegrationRule(const std::string& name);  // gausslegendre, trapezoid, right
std::string integrationRuleName(IntegrationRule rule);

// x' of Integrated Gradients: zeros in the model's input space, a black image (zero pixels
// through the model's normalisation), or the input blurred by a Gaussian whose sigma is
// blurSigmaFraction of the image's longer side.
enum class BaselineKind { Zero, Black, Blur };
BaselineKind parseBaselineKind(const std::string& name);  // zero, black, blur
std::string baselineKindName(BaselineKind kind);

struct AttributionRequest {
    AttributionTarget target;
    std::vector<std::string> layers;  // in any order; reported in forward order
    AttributionMethod method = AttributionMethod::GradientTimesActivation;
    int steps = 50;
    IntegrationRule rule = IntegrationRule::GaussLegendre;
    BaselineKind baseline = BaselineKind::Zero;
    double blurSigmaFraction = 0.1;
    // The model's input normalisation (InputSpec mean and std), for the black baseline;
    // empty: the input space is the pixel space.
    std::vector<float> inputMean, inputStd;
    int batchSize = 4;  // path points per forward/backward pass
};

// Points s in [0, 1] and weights of the rule with n points (weights sum to 1), as Captum
// defines them: Gauss-Legendre mapped from [-1, 1], trapezoid on linspace(0, 1, n), right
// Riemann on linspace(1/n, 1, n).
struct Quadrature {
    std::vector<double> points;
    std::vector<double> weights;
};
Quadrature integrationQuadrature(IntegrationRule rule, int n);

// Per chosen layer: the attribution map and the activation, both C x spatial... (as the
// layer's output without batch), plus each unit's summed attribution and mean activation.
struct LayerAttribution {
    std::string layer;
    FloatArray map;
    FloatArray activation;
    std::vector<double> unitAttribution;  // per unit (channel): the map summed over space
    std::vector<double> unitActivation;   // per unit: spatial mean
    // IG only: |sum - (t(x) - t(x; layer at baseline))| / |t(x) - t(x; layer at baseline)|.
    std::optional<double> completenessError;
};

struct AttributionResult {
    AttributionTarget target;                 // Predicted resolved to its Logit
    double targetValue = 0;                   // t(x)
    double baselineValue = 0;                 // t(x'), Integrated Gradients only
    FloatArray input;                         // the input x (C x H x W)
    FloatArray inputMap;                      // C x H x W
    std::optional<double> completenessError;  // IG at the input: relative, as above
    std::vector<LayerAttribution> layers;     // in forward order
    double seconds = 0;
};

// Links between units: for each source unit i and target unit j, the direct effect
// sum over positions of a_i * d(sum over positions of a_j) / d a_i.
struct LinkMatrix {
    std::vector<std::int64_t> sources;  // unit (channel) indices, or input patches
    std::vector<std::int64_t> targets;
    std::vector<double> weights;  // targets x sources, row-major
};

class Attributor {
  public:
    // Works on the model's frozen, inlined graph; the model must outlive the attributor.
    explicit Attributor(ScriptModel& model);
    ~Attributor();
    Attributor(const Attributor&) = delete;
    Attributor& operator=(const Attributor&) = delete;

    // input: C x H x W (or 1 x C x H x W). Throws std::invalid_argument for unknown layers, a
    // unit target at or before a chosen layer, or a shape the model refuses.
    AttributionResult attribute(const FloatArray& input, const AttributionRequest& request,
                                const JobContext& job = {});

    // Links from the sources of layer `from` ("" = the input, whose sources are the patches
    // of a grid x grid split) to the target units of layer `to` ("" = the request's target,
    // then targets must be {0}). One batched backward pass per batch of targets.
    LinkMatrix links(const FloatArray& input, const std::string& from,
                     const std::vector<std::int64_t>& sources, const std::string& to,
                     const std::vector<std::int64_t>& targets, const AttributionTarget& target,
                     int grid, const JobContext& job = {});

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// Which patch of a grid x grid split of an H x W image the pixel (y, x) lies in.
std::int64_t patchIndex(std::int64_t y, std::int64_t x, std::int64_t height, std::int64_t width,
                        int grid);

}  // namespace us::analysis
