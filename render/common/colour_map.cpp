#include "render/common/colour_map.h"

#include <vtkLookupTable.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace us::render {
namespace {

struct Stop {
    double t;
    double r, g, b;
};

Lut build(const std::vector<Stop>& stops) {
    Lut lut{};
    for (int i = 0; i < 256; ++i) {
        const double t = i / 255.0;
        std::size_t k = 0;
        while (k + 2 < stops.size() && stops[k + 1].t < t)
            ++k;
        const Stop& a = stops[k];
        const Stop& b = stops[k + 1];
        const double f = std::clamp((t - a.t) / (b.t - a.t), 0.0, 1.0);
        lut[std::size_t(i)] = {std::uint8_t(std::lround(255 * (a.r + (b.r - a.r) * f))),
                               std::uint8_t(std::lround(255 * (a.g + (b.g - a.g) * f))),
                               std::uint8_t(std::lround(255 * (a.b + (b.b - a.b) * f)))};
    }
    return lut;
}

}  // namespace

ColourMapName parseColourMap(const std::string& name) {
    if (name == "grey" || name == "gray") return ColourMapName::Grey;
    if (name == "hot") return ColourMapName::Hot;
    if (name == "viridis") return ColourMapName::Viridis;
    if (name == "diverging" || name == "coolwarm" || name == "rdbu")
        return ColourMapName::Diverging;
    throw std::invalid_argument("unknown colour map '" + name +
                                "' (grey, hot, viridis, diverging)");
}

std::string colourMapName(ColourMapName map) {
    switch (map) {
        case ColourMapName::Grey: return "grey";
        case ColourMapName::Hot: return "hot";
        case ColourMapName::Viridis: return "viridis";
        case ColourMapName::Diverging: return "diverging";
    }
    return "grey";
}

const Lut& lookupTable(ColourMapName map) {
    static const Lut grey = build({{0, 0, 0, 0}, {1, 1, 1, 1}});
    // matplotlib's "hot": black, red, yellow, white.
    static const Lut hot =
        build({{0, 0.0416, 0, 0}, {0.365, 1, 0, 0}, {0.746, 1, 1, 0}, {1, 1, 1, 1}});
    // matplotlib's viridis at nine stops.
    static const Lut viridis = build({{0.0, 0.267, 0.005, 0.329},
                                      {0.125, 0.283, 0.141, 0.458},
                                      {0.25, 0.254, 0.265, 0.530},
                                      {0.375, 0.207, 0.372, 0.553},
                                      {0.5, 0.164, 0.471, 0.558},
                                      {0.625, 0.128, 0.567, 0.551},
                                      {0.75, 0.135, 0.659, 0.518},
                                      {0.875, 0.478, 0.821, 0.318},
                                      {1.0, 0.993, 0.906, 0.144}});
    // Blue - white - red (ColorBrewer RdBu reversed), white at the middle.
    static const Lut diverging = build({{0.0, 0.020, 0.188, 0.380},
                                        {0.25, 0.263, 0.576, 0.765},
                                        {0.5, 0.969, 0.969, 0.969},
                                        {0.75, 0.839, 0.376, 0.302},
                                        {1.0, 0.404, 0.0, 0.122}});
    switch (map) {
        case ColourMapName::Grey: return grey;
        case ColourMapName::Hot: return hot;
        case ColourMapName::Viridis: return viridis;
        case ColourMapName::Diverging: return diverging;
    }
    return grey;
}

std::pair<double, double> colourRange(const OverlayStyle& style) {
    if (!style.symmetric) return {style.min, style.max};
    const double m = std::max(std::abs(style.min), std::abs(style.max));
    return {-m, m};
}

std::pair<double, double> finiteRange(const std::vector<float>& values) {
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    for (float v : values)
        if (std::isfinite(v)) {
            lo = std::min(lo, double(v));
            hi = std::max(hi, double(v));
        }
    if (!std::isfinite(lo)) return {0.0, 1.0};
    return {lo, hi};
}

void fillColourBarTable(vtkLookupTable* table, const OverlayStyle& style) {
    const Lut& lut = lookupTable(style.map);
    table->SetNumberOfTableValues(256);
    for (int i = 0; i < 256; ++i)
        table->SetTableValue(i, lut[std::size_t(i)][0] / 255.0, lut[std::size_t(i)][1] / 255.0,
                             lut[std::size_t(i)][2] / 255.0, 1.0);
    const auto [lo, hi] = colourRange(style);
    table->SetTableRange(lo, hi);
    table->Modified();
}

void compositeOverlay(const float* values, std::size_t count, const OverlayStyle& style,
                      std::uint8_t* rgb) {
    const Lut& lut = lookupTable(style.map);
    const auto [lo, hi] = colourRange(style);
    const float scale = hi > lo ? float(255.0 / (hi - lo)) : 0.0f;
    const float offset = float(lo);
    const float threshold = float(style.threshold);
    const int alpha = int(std::lround(std::clamp(style.opacity, 0.0, 1.0) * 256));
    for (std::size_t i = 0; i < count; ++i) {
        const float v = values[i];
        // Exact zeros mean "no data" in most maps (wb_view's default): hidden with the rest.
        const bool below = !(std::abs(v) >= threshold) || v == 0.0f;
        if (std::isnan(v) || (below && style.hideBelowThreshold)) continue;
        const int index = std::clamp(int((v - offset) * scale), 0, 255);
        const auto& c = lut[std::size_t(index)];
        std::uint8_t* out = rgb + 3 * i;
        for (int k = 0; k < 3; ++k)
            out[k] = std::uint8_t((c[std::size_t(k)] * alpha + out[k] * (256 - alpha)) >> 8);
    }
}

void recolourOverlay(const float* values, const std::uint8_t* underlay, std::size_t count,
                     const OverlayStyle& style, std::uint8_t* rgb) {
    for (std::size_t i = 0; i < count; ++i)
        rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = underlay ? underlay[i] : 160;
    compositeOverlay(values, count, style, rgb);
}

std::vector<std::uint8_t> curvatureGrey(const std::vector<double>& curvature) {
    std::vector<std::uint8_t> grey(curvature.size());
    for (std::size_t i = 0; i < curvature.size(); ++i)
        grey[i] = curvature[i] > 0 ? 110 : 170;
    return grey;
}

}  // namespace us::render
