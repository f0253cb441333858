#pragma once
// The 3-D brain view's scene: a lit surface coloured by atlas region, camera presets and
// picking. It renders into any vtkRenderWindow (a Qt-hosted one or an offscreen one).

#include <vtkActor.h>
#include <vtkCellPicker.h>
#include <vtkLookupTable.h>
#include <vtkNew.h>
#include <vtkPolyDataMapper.h>
#include <vtkRenderer.h>
#include <vtkScalarBarActor.h>
#include <vtkSmartPointer.h>
#include <vtkTextActor.h>
#include <vtkUnsignedCharArray.h>

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "render/brain_model.h"
#include "render/camera_presets.h"
#include "render/colour_map.h"

namespace us::render {

struct BrainPick {
    int label = 0;                    // 0: no atlas region here
    std::string region;               // empty when label is 0
    std::array<double, 3> worldMm{};  // through the anatomy's affine
    long long vertex = -1;
    std::optional<float> overlayValue;  // when an overlay is shown and defined there
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

    // The mesh's vertices in world millimetres (n x 3), e.g. to sample a volume overlay.
    std::vector<double> worldVertices() const;
    // A per-vertex overlay over a grey underlay, with a colour bar titled `name`.
    void setOverlay(std::vector<float> values, const std::string& name, const OverlayStyle& style);
    // Recolours only (threshold, colour map, range, opacity): milliseconds for 300k vertices.
    void setOverlayStyle(const OverlayStyle& style);
    void clearOverlay();
    // The shared cursor, as a small marker at a world position.
    void setCursorMarker(const std::array<double, 3>& worldMm);
    bool hasOverlay() const { return !overlay_.empty(); }
    const OverlayStyle& overlayStyle() const { return style_; }
    const std::vector<float>& overlayValues() const { return overlay_; }

  private:
    BrainModel model_;
    vtkNew<vtkRenderer> renderer_;
    vtkNew<vtkActor> actor_;
    vtkNew<vtkCellPicker> picker_;
    vtkNew<vtkTextActor> caption_;
    vtkNew<vtkTextActor> message_;
    vtkSmartPointer<vtkPolyData> display_;
    vtkSmartPointer<vtkPolyDataMapper> mapper_;
    vtkSmartPointer<vtkUnsignedCharArray> overlayColours_;
    std::vector<float> overlay_;
    std::vector<std::uint8_t> underlayGrey_;  // made once per overlay, not per recolour
    OverlayStyle style_;
    vtkNew<vtkScalarBarActor> colourBar_;
    vtkNew<vtkLookupTable> colourBarTable_;
    vtkNew<vtkActor> cursorMarker_;
};

}  // namespace us::render
