#pragma once
// The 3-D brain view's scene: a lit surface coloured by atlas region, camera presets and
// picking. It renders into any vtkRenderWindow (a Qt-hosted one or an offscreen one).

#include <vtkActor.h>
#include <vtkCellPicker.h>
#include <vtkNew.h>
#include <vtkRenderer.h>
#include <vtkSmartPointer.h>
#include <vtkTextActor.h>

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "render/brain_model.h"
#include "render/camera_presets.h"

namespace us::render {

struct BrainPick {
    int label = 0;                    // 0: no atlas region here
    std::string region;               // empty when label is 0
    std::array<double, 3> worldMm{};  // through the anatomy's affine
    long long vertex = -1;
};

class BrainScene {
  public:
    BrainScene();

    vtkRenderer* renderer() const { return renderer_; }
    void setModel(BrainModel model);
    bool hasModel() const { return static_cast<bool>(model_.mesh); }
    std::size_t triangleCount() const;

    // Corner caption (what is shown) and a centred message (loading, errors, empty state).
    void setCaption(const std::string& text);
    void setMessage(const std::string& text);

    void applyPreset(CameraPreset preset);
    // position(3), focal point(3), view-up(3), view angle: enough to restore a view exactly.
    std::vector<double> cameraState() const;
    void setCameraState(const std::vector<double>& state);

    // Display coordinates in pixels, origin bottom-left (VTK's convention).
    std::optional<BrainPick> pick(double x, double y);

  private:
    BrainModel model_;
    vtkNew<vtkRenderer> renderer_;
    vtkNew<vtkActor> actor_;
    vtkNew<vtkCellPicker> picker_;
    vtkNew<vtkTextActor> caption_;
    vtkNew<vtkTextActor> message_;
};

}  // namespace us::render
