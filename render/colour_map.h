#pragma once
// Colour maps for overlays: 256-entry lookup tables (grey, hot, viridis, and a blue-white-red
// diverging map meant for a symmetric range), and the per-vertex recolouring of an overlay on
// its underlay with a threshold, which must run in a few milliseconds for 300k vertices.

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace us::render {

enum class ColourMapName { Grey, Hot, Viridis, Diverging };
ColourMapName parseColourMap(const std::string& name);  // "grey", "hot", "viridis", "diverging"
std::string colourMapName(ColourMapName map);

using Lut = std::array<std::array<std::uint8_t, 3>, 256>;
const Lut& lookupTable(ColourMapName map);

struct OverlayStyle {
    ColourMapName map = ColourMapName::Hot;
    double min = 0, max = 1;  // the colour range; a diverging map uses [-max, max] when symmetric
    bool symmetric = false;
    double threshold = 0;            // |value| below it counts as sub-threshold
    bool hideBelowThreshold = true;  // show the underlay there instead of the lowest colour
    double opacity = 1.0;            // overlay over underlay
};

// rgb (3 bytes per vertex) <- overlay values over underlay grey levels (one byte per vertex,
// e.g. from curvature). values may contain NaN (shown as underlay).
void recolourOverlay(const float* values, const std::uint8_t* underlay, std::size_t count,
                     const OverlayStyle& style, std::uint8_t* rgb);

// Curvature or sulcal depth as the classic two-tone grey underlay.
std::vector<std::uint8_t> curvatureGrey(const std::vector<double>& curvature);

}  // namespace us::render
