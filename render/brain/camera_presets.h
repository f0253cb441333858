#pragma once
// Standard neuroimaging views of a mesh in RAS-oriented coordinates (+x right, +y anterior,
// +z superior): lateral and medial per hemisphere, dorsal, ventral, anterior, posterior.

#include <string>

class vtkRenderer;

namespace us::render {

enum class CameraPreset {
    LateralLeft,
    LateralRight,
    Dorsal,
    Ventral,
    Anterior,
    Posterior,
    MedialLeft,
    MedialRight
};

// "lateral-left", "medial-right", "dorsal", ...; throws std::invalid_argument otherwise.
CameraPreset parseCameraPreset(const std::string& name);

// Looks at the bounds' centre from the preset's side, fitting the bounds in view.
void placeCamera(vtkRenderer* renderer, const double bounds[6], CameraPreset preset);

}  // namespace us::render
