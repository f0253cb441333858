#include "render/brain/atlas_palette.h"

#include <cmath>

namespace us::render {
namespace {

Rgb8 hsvToRgb(double h, double s, double v) {
    const double c = v * s;
    const double hp = h * 6.0;
    const double x = c * (1.0 - std::fabs(std::fmod(hp, 2.0) - 1.0));
    double r = 0, g = 0, b = 0;
    switch (static_cast<int>(hp) % 6) {
        case 0: r = c, g = x; break;
        case 1: r = x, g = c; break;
        case 2: g = c, b = x; break;
        case 3: g = x, b = c; break;
        case 4: r = x, b = c; break;
        default: r = c, b = x; break;
    }
    const double m = v - c;
    auto byte = [m](double channel) {
        return static_cast<std::uint8_t>(std::lround((channel + m) * 255.0));
    };
    return {byte(r), byte(g), byte(b)};
}

}  // namespace

Rgb8 atlasColour(int label) {
    if (label <= 0) return kUnlabelledColour;
    constexpr double kGoldenRatioConjugate = 0.6180339887498949;
    const double hue = std::fmod(0.11 + label * kGoldenRatioConjugate, 1.0);
    const double saturation = 0.50 + 0.15 * (label % 3);
    const double value = 0.95 - 0.12 * ((label / 3) % 2);
    return hsvToRgb(hue, saturation, value);
}

}  // namespace us::render
