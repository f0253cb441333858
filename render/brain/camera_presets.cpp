#include "render/brain/camera_presets.h"

#include <vtkCamera.h>
#include <vtkRenderer.h>

#include <stdexcept>

namespace us::render {

CameraPreset parseCameraPreset(const std::string& name) {
    if (name == "lateral-left") return CameraPreset::LateralLeft;
    if (name == "lateral-right") return CameraPreset::LateralRight;
    if (name == "medial-left") return CameraPreset::MedialLeft;
    if (name == "medial-right") return CameraPreset::MedialRight;
    if (name == "dorsal") return CameraPreset::Dorsal;
    if (name == "ventral") return CameraPreset::Ventral;
    if (name == "anterior") return CameraPreset::Anterior;
    if (name == "posterior") return CameraPreset::Posterior;
    throw std::invalid_argument(
        "unknown view '" + name +
        "' (lateral-left, lateral-right, medial-left, medial-right, dorsal, "
        "ventral, anterior, posterior)");
}

void placeCamera(vtkRenderer* renderer, const double bounds[6], CameraPreset preset) {
    const double centre[3] = {(bounds[0] + bounds[1]) / 2, (bounds[2] + bounds[3]) / 2,
                              (bounds[4] + bounds[5]) / 2};
    double direction[3] = {-1, 0, 0};  // from the centre towards the camera
    double up[3] = {0, 0, 1};
    switch (preset) {
        case CameraPreset::LateralLeft:
        case CameraPreset::MedialRight: direction[0] = -1; break;
        case CameraPreset::LateralRight:
        case CameraPreset::MedialLeft: direction[0] = 1; break;
        case CameraPreset::Dorsal: direction[0] = 0, direction[2] = 1, up[2] = 0, up[1] = 1; break;
        case CameraPreset::Ventral:
            direction[0] = 0, direction[2] = -1, up[2] = 0, up[1] = 1;
            break;
        case CameraPreset::Anterior: direction[0] = 0, direction[1] = 1; break;
        case CameraPreset::Posterior: direction[0] = 0, direction[1] = -1; break;
    }
    vtkCamera* camera = renderer->GetActiveCamera();
    camera->SetFocalPoint(centre);
    camera->SetPosition(centre[0] + direction[0], centre[1] + direction[1],
                        centre[2] + direction[2]);
    camera->SetViewUp(up);
    camera->SetViewAngle(30.0);
    renderer->ResetCamera(bounds);
    camera->Dolly(1.45);  // ResetCamera fits the bounding sphere, leaving wide margins
    renderer->ResetCameraClippingRange();
}

}  // namespace us::render
