#pragma once
// Volume values at world points (trilinear), for showing a volume overlay on a surface that
// lives in the volume's world space.

#include <array>
#include <optional>
#include <vector>

#include "analysis/brain/volume.h"

namespace us::analysis {

// points: n x 3 world millimetres. Returns n values of `frame` (4-D volumes); NaN outside.
std::vector<float> sampleVolume(const Volume& volume, const std::vector<double>& points,
                                int frame = 0);

// Indices of the voxel nearest a world point; nullopt outside the volume.
std::optional<std::array<long long, 3>> nearestVoxel(const Volume& volume, double x, double y,
                                                     double z);
// The value stored at voxel (i, j, k) of the first frame; the indices must be inside.
double voxelValue(const Volume& volume, const std::array<long long, 3>& voxel);
// The value of the voxel nearest a world point (first frame); nullopt outside the volume.
std::optional<double> nearestVoxelValue(const Volume& volume, double x, double y, double z);

}  // namespace us::analysis
