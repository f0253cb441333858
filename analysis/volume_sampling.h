#pragma once
// Volume values at world points (trilinear), for showing a volume overlay on a surface that
// lives in the volume's world space.

#include <vector>

#include "analysis/volume.h"

namespace us::analysis {

// points: n x 3 world millimetres. Returns n values of `frame` (4-D volumes); NaN outside.
std::vector<float> sampleVolume(const Volume& volume, const std::vector<double>& points,
                                int frame = 0);

}  // namespace us::analysis
