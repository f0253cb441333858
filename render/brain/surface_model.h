#pragma once
// A user's own surface (FreeSurfer or GIFTI, already read by analysis/) as a display-ready
// brain model: VTK polygons with smooth normals and an optional curvature / sulcal-depth
// grey underlay. Its coordinates are taken as world millimetres.

#include <vtkPolyData.h>
#include <vtkSmartPointer.h>

#include <string>
#include <vector>

#include "analysis/brain/surface_data.h"
#include "render/brain/brain_model.h"

namespace us::render {

// Triangles with point normals (consistently oriented, not split at sharp edges).
vtkSmartPointer<vtkPolyData> surfacePolyData(const analysis::SurfaceMesh& mesh);

// underlay: one curvature or sulcal-depth value per vertex, or empty. Throws
// std::invalid_argument when it does not have one value per vertex.
BrainModel makeSurfaceModel(const analysis::SurfaceMesh& mesh, const std::vector<double>& underlay,
                            std::string description);

}  // namespace us::render
