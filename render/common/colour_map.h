#pragma once
// Colour maps for overlays: 256-entry lookup tables (grey, hot, viridis, and a blue-white-red
// diverging map meant for a symmetric range), and the per-vertex recolouring of an overlay on
// its underlay with a threshold, which must run in a few milliseconds for 300k vertices.

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

class vtkLookupTable;

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
    double threshold = 0;  // |value| below it counts as sub-threshold
    // Show the underlay there (and at exact zeros, which mean "no data") instead of the
    // lowest colour.
    bool hideBelowThreshold = true;
    double opacity = 1.0;  // overlay over underlay
};

// The values the colours span: [min, max], or [-m, m] with m = max(|min|, |max|) when symmetric.
std::pair<double, double> colourRange(const OverlayStyle& style);

// Smallest and largest finite value; (0, 1) when there is none.
std::pair<double, double> finiteRange(const std::vector<float>& values);

// A VTK lookup table for a colour bar showing this style's map over its colour range.
void fillColourBarTable(vtkLookupTable* table, const OverlayStyle& style);

// Blends an overlay's colours onto rgb (3 bytes per vertex) in place, leaving rgb where a value
// is NaN or hidden below threshold: layers composite by calling this bottom to top.
void compositeOverlay(const float* values, std::size_t count, const OverlayStyle& style,
                      std::uint8_t* rgb);

// rgb (3 bytes per vertex) <- overlay values over underlay grey levels (one byte per vertex,
// e.g. from curvature). values may contain NaN (shown as underlay).
void recolourOverlay(const float* values, const std::uint8_t* underlay, std::size_t count,
                     const OverlayStyle& style, std::uint8_t* rgb);

// Curvature or sulcal depth as the classic two-tone grey underlay.
std::vector<std::uint8_t> curvatureGrey(const std::vector<double>& curvature);

}  // namespace us::render
