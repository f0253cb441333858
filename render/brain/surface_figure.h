#pragma once
// A surface with an overlay and its colour bar, set up in a VTK renderer: the CLI's
// render-surface and figure export draw through this.

#include <vtkRenderer.h>
#include <vtkSmartPointer.h>

#include <optional>
#include <string>
#include <vector>

#include "analysis/brain/surface_data.h"
#include "render/brain/camera_presets.h"
#include "render/common/colour_map.h"

namespace us::render {

struct SurfaceFigure {
    analysis::SurfaceMesh mesh;
    std::vector<double> underlay;  // curvature / sulcal depth per vertex, may be empty
    std::vector<float> overlay;    // per vertex, may be empty
    std::string overlayName;       // the colour bar's title (name and units)
    OverlayStyle style;
    CameraPreset view = CameraPreset::LateralLeft;
};

// A renderer holding the lit surface and, with an overlay, a colour bar. Throws
// std::invalid_argument when the overlay does not have one value per vertex.
vtkSmartPointer<vtkRenderer> buildSurfaceRenderer(const SurfaceFigure& figure);

}  // namespace us::render
