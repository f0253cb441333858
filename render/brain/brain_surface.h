#pragma once
// Cortical surface extraction from a T1 volume, with atlas labels sampled at its vertices.

#include <vtkPolyData.h>
#include <vtkSmartPointer.h>

#include <filesystem>

#include "analysis/core/job_context.h"

namespace us::render {

// Point-data array holding the atlas label of each vertex (vtkIntArray).
inline constexpr const char* kAtlasLabelArray = "atlas_label";

struct BrainSurfaceSources {
    std::filesystem::path anatomy;  // T1 volume (NIfTI)
    std::filesystem::path atlas;    // label volume on the same grid (NIfTI)
    double isoValue = 60.0;         // intensity of the brain boundary in the anatomy
};

// Gaussian smoothing, flying edges, windowed-sinc smoothing and normals; labels are sampled
// nearest-neighbour 3 mm inside the surface (where the cortex is), else at the vertex.
// Mesh coordinates are those of vtkNIFTIImageReader (voxel index times voxel size).
// Throws std::runtime_error for unreadable inputs or an empty surface.
vtkSmartPointer<vtkPolyData> extractBrainSurface(const BrainSurfaceSources& sources,
                                                 const us::analysis::JobContext& context);

// Returns the cached mesh for these sources when present and current, else extracts it and
// writes the cache atomically. The cache key covers the inputs' size and modification time.
vtkSmartPointer<vtkPolyData> loadOrExtractBrainSurface(const BrainSurfaceSources& sources,
                                                       const std::filesystem::path& cacheDir,
                                                       const us::analysis::JobContext& context);

}  // namespace us::render
