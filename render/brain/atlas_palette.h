#pragma once
// Distinct colours for atlas labels. mricron's aal.nii.lut paints 16 regions black and gives each
// left/right pair one colour, so Unitscope uses its own palette.

#include <array>
#include <cstdint>

namespace us::render {

using Rgb8 = std::array<std::uint8_t, 3>;

inline constexpr Rgb8 kUnlabelledColour{190, 186, 178};

// Label 0 is unlabelled tissue (light grey); other labels spread round the hue circle by the
// golden angle, so that consecutive indices (a left/right pair) land far apart.
Rgb8 atlasColour(int label);

}  // namespace us::render
