#pragma once
// The 3-D brain view's scene: a lit surface coloured by atlas region or a curvature underlay,
// a stack of overlay layers with their colour bars, camera presets (medial views clip the far
// hemisphere away) and picking. It renders into any vtkRenderWindow (a Qt-hosted one or an
// offscreen one, e.g. for a figure of any size).

#include <vtkActor.h>
#include <vtkCellPicker.h>
#include <vtkImageData.h>
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
#include <utility>
#include <vector>

#include "render/brain/brain_model.h"
#include "render/brain/camera_presets.h"
#include "render/common/colour_map.h"
#include "render/common/overlay_stack.h"

namespace us::render {

struct BrainPick {
    bool atlasShown = false;          // the surface carries atlas labels
    int label = 0;                    // 0: no atlas region here
    std::string region;               // empty when label is 0
    std::array<double, 3> worldMm{};  // through the anatomy's affine
    long long vertex = -1;
    // Every overlay layer's value at the vertex (top first), where it is defined.
    std::vector<std::pair<std::string, float>> layerValues;
};

struct SurfaceOverlay {
    std::string name;           // the colour bar's title (name and units)
    std::vector<float> values;  // one per vertex, NaN where undefined
    OverlayStyle style;
    bool visible = true;
};

class BrainScene {
  public:
    BrainScene();

    vtkRenderer* renderer() const { return renderer_; }
    // A new surface: the overlays belong to the old one and are removed.
    void setModel(BrainModel model);
    bool hasModel() const { return static_cast<bool>(model_.mesh); }
    const BrainModel& model() const { return model_; }
    std::size_t triangleCount() const;
    std::size_t vertexCount() const;

    // Corner caption (what is shown) and a centred message (loading, errors, empty state).
    void setCaption(const std::string& text);
    void setMessage(const std::string& text);

    // Medial views of a surface holding both hemispheres clip the near one away at x = 0.
    void applyPreset(CameraPreset preset);
    // position(3), focal point(3), view-up(3), view angle: enough to restore a view exactly.
    std::vector<double> cameraState() const;
    void setCameraState(const std::vector<double>& state);

    // Display coordinates in pixels, origin bottom-left (VTK's convention).
    std::optional<BrainPick> pick(double x, double y);

    // The mesh's vertices in world millimetres (n x 3), e.g. to sample a volume overlay.
    std::vector<double> worldVertices() const;

    // Curvature / sulcal depth as grey levels, one per vertex (under overlays; the surface's
    // own colour when it has no atlas). Throws std::invalid_argument on a count mismatch.
    void setUnderlay(std::vector<std::uint8_t> grey, const std::string& description);

    // Overlay layers, top first. Throws std::invalid_argument when the values do not have one
    // per vertex. Style, visibility and order changes recolour in milliseconds.
    void addOverlay(SurfaceOverlay overlay);
    void setOverlayStyle(std::size_t layer, const OverlayStyle& style);
    void setOverlayVisible(std::size_t layer, bool visible);
    void moveOverlay(std::size_t from, std::size_t to);
    void removeOverlay(std::size_t layer);
    const std::vector<SurfaceOverlay>& overlays() const { return overlays_.layers(); }
    bool hasOverlay() const { return !overlays_.empty(); }

    // The shared cursor, as a small marker at a world position.
    void setCursorMarker(const std::array<double, 3>& worldMm);

    // The view as it is (camera, colours, clipping, colour bars) rendered offscreen at any
    // size, without the caption; white background and dark text for print when asked.
    vtkSmartPointer<vtkImageData> renderFigure(int width, int height, bool whiteBackground) const;

  private:
    void recolour();
    std::vector<vtkSmartPointer<vtkScalarBarActor>> makeColourBars(bool darkText) const;
    void updateColourBars();
    void clipForPreset(CameraPreset preset);

    BrainModel model_;
    vtkNew<vtkRenderer> renderer_;
    vtkNew<vtkActor> actor_;
    vtkNew<vtkCellPicker> picker_;
    vtkNew<vtkTextActor> caption_;
    vtkNew<vtkTextActor> message_;
    vtkSmartPointer<vtkPolyData> display_;
    vtkSmartPointer<vtkPolyDataMapper> mapper_;
    vtkSmartPointer<vtkUnsignedCharArray> overlayColours_;
    OverlayStack<SurfaceOverlay> overlays_;
    std::vector<vtkSmartPointer<vtkScalarBarActor>> colourBars_;
    vtkNew<vtkActor> cursorMarker_;
};

}  // namespace us::render
