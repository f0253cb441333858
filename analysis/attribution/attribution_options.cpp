// Parsing and naming of the attribution options, and the quadrature rules.

#include <cmath>
#include <numbers>
#include <stdexcept>

#include "analysis/attribution/attribution.h"
#include "analysis/core/text_parsing.h"

namespace us::analysis {

AttributionTarget AttributionTarget::parse(const std::string& text) {
    AttributionTarget target;
    if (text == "predicted") return target;
    if (text.starts_with("logit:")) {
        target.kind = Kind::Logit;
        target.index = parseNonNegativeInteger(text.substr(6), "the logit in '" + text + "'");
        return target;
    }
    if (text.starts_with("unit:")) {
        const auto colon = text.rfind(':');
        if (colon > 5) {
            target.kind = Kind::Unit;
            target.layer = text.substr(5, colon - 5);
            target.index =
                parseNonNegativeInteger(text.substr(colon + 1), "the unit in '" + text + "'");
            return target;
        }
    }
    throw std::invalid_argument("unknown target '" + text +
                                "' (use logit:K, predicted or unit:LAYER:C)");
}

std::string AttributionTarget::text() const {
    switch (kind) {
        case Kind::Logit: return "logit:" + std::to_string(index);
        case Kind::Unit: return "unit:" + layer + ":" + std::to_string(index);
        case Kind::Predicted: break;
    }
    return "predicted";
}

AttributionMethod parseAttributionMethod(const std::string& name) {
    if (name == "gxa") return AttributionMethod::GradientTimesActivation;
    if (name == "ig") return AttributionMethod::IntegratedGradients;
    if (name == "lrp") return AttributionMethod::Lrp;
    throw std::invalid_argument("unknown attribution method '" + name + "' (use gxa, ig or lrp)");
}

std::string attributionMethodName(AttributionMethod method) {
    switch (method) {
        case AttributionMethod::IntegratedGradients: return "ig";
        case AttributionMethod::Lrp: return "lrp";
        case AttributionMethod::GradientTimesActivation: break;
    }
    return "gxa";
}

IntegrationRule parseIntegrationRule(const std::string& name) {
    if (name == "gausslegendre") return IntegrationRule::GaussLegendre;
    if (name == "trapezoid") return IntegrationRule::Trapezoid;
    if (name == "right") return IntegrationRule::RightRiemann;
    throw std::invalid_argument("unknown integration rule '" + name +
                                "' (use gausslegendre, trapezoid or right)");
}

std::string integrationRuleName(IntegrationRule rule) {
    switch (rule) {
        case IntegrationRule::Trapezoid: return "trapezoid";
        case IntegrationRule::RightRiemann: return "right";
        case IntegrationRule::GaussLegendre: break;
    }
    return "gausslegendre";
}

BaselineKind parseBaselineKind(const std::string& name) {
    if (name == "zero") return BaselineKind::Zero;
    if (name == "black") return BaselineKind::Black;
    if (name == "blur") return BaselineKind::Blur;
    throw std::invalid_argument("unknown baseline '" + name + "' (use zero, black or blur)");
}

std::string baselineKindName(BaselineKind kind) {
    switch (kind) {
        case BaselineKind::Black: return "black";
        case BaselineKind::Blur: return "blur";
        case BaselineKind::Zero: break;
    }
    return "zero";
}

Quadrature integrationQuadrature(IntegrationRule rule, int n) {
    if (n < 1 || n > 100000) throw std::invalid_argument("steps must be between 1 and 100000");
    Quadrature q;
    q.points.resize(std::size_t(n));
    q.weights.resize(std::size_t(n));
    if (rule == IntegrationRule::RightRiemann) {
        for (int i = 0; i < n; ++i) {
            q.points[std::size_t(i)] = double(i + 1) / n;
            q.weights[std::size_t(i)] = 1.0 / n;
        }
        return q;
    }
    if (rule == IntegrationRule::Trapezoid) {
        if (n < 2) throw std::invalid_argument("the trapezoid rule needs at least 2 steps");
        for (int i = 0; i < n; ++i) {
            q.points[std::size_t(i)] = double(i) / (n - 1);
            q.weights[std::size_t(i)] = 1.0 / (n - 1);
        }
        q.weights.front() /= 2;
        q.weights.back() /= 2;
        return q;
    }
    // Gauss-Legendre: the roots of P_n by Newton's method from Chebyshev guesses, then
    // mapped from [-1, 1] to [0, 1] (points (1 + x) / 2, weights w / 2), as Captum does.
    for (int i = 0; i < n; ++i) {
        double x = std::cos(std::numbers::pi * (i + 0.75) / (n + 0.5));
        double derivative = 1;
        for (int iteration = 0; iteration < 100; ++iteration) {
            double p0 = 1, p1 = x;
            for (int k = 2; k <= n; ++k) {
                const double p2 = ((2.0 * k - 1) * x * p1 - (k - 1.0) * p0) / k;
                p0 = p1;
                p1 = p2;
            }
            derivative = n * (x * p1 - p0) / (x * x - 1);
            const double step = p1 / derivative;
            x -= step;
            if (std::abs(step) < 1e-15) break;
        }
        const double weight = 2 / ((1 - x * x) * derivative * derivative);
        // Ascending order of s, as numpy's leggauss returns its roots.
        q.points[std::size_t(n - 1 - i)] = (1 + x) / 2;
        q.weights[std::size_t(n - 1 - i)] = weight / 2;
    }
    return q;
}

std::int64_t patchIndex(std::int64_t y, std::int64_t x, std::int64_t height, std::int64_t width,
                        int grid) {
    const std::int64_t row = std::min<std::int64_t>(grid - 1, y * grid / height);
    const std::int64_t column = std::min<std::int64_t>(grid - 1, x * grid / width);
    return row * grid + column;
}

}  // namespace us::analysis
