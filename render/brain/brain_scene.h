#pragma once
// The 3-D brain view's scene: a lit surface coloured by atlas region or a curvature underlay,
// the overlay layers of an observed BrainLayers list with their colour bars, camera presets (medial
// views clip the far hemisphere away) and picking. It renders into any vtkRenderWindow (a Qt-hosted
// one or an offscreen one, e.g. for a figure of any size).

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
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "render/brain/brain_layers.h"
#include "render/brain/brain_model.h"
#include "render/brain/camera_presets.h"
#include "render/common/colour_map.h"

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

class BrainScene {
  public:
    BrainScene();

    vtkRenderer* renderer() const { return renderer_; }
    // A new surface: the layers' values belong to the old one and are dropped.
    void setModel(BrainModel model);
    bool hasModel() const { return static_cast<bool>(model_.mesh); }
    const BrainModel& model() const { return model_; }
    std::size_t triangleCount() const;
    std::size_t vertexCount() const;

    // Corner caption (what is shown) and a centred message (loading, errors, empty state).
    void setCaption(const std::string& text);
    void setMessage(const std::string& text);
    // The message wraps to this width in pixels (the view's width, less margins).
    void setMessageWidth(int pixels);

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

    // The overlay layers to draw (order, names, styles, visibility); the scene recolours once
    // per notification of the list. The list must outlive the scene or be replaced first.
    void observeLayers(const BrainLayers* layers);
    // A layer's values on this surface, one per vertex (NaN where undefined). Throws
    // std::invalid_argument when the count does not match. Dropped when the layer leaves the list.
    void setLayerValues(LayerId layer, std::vector<float> values);
    // Throws std::invalid_argument unless `count` values give one per vertex of the surface;
    // `what` names them in the message ("the overlay", "the underlay").
    void requireOnePerVertex(std::size_t count, const std::string& what) const;
    const std::vector<float>* layerValues(LayerId layer) const;
    // Layers of the list that have values on this surface.
    std::size_t shownLayerCount() const;

    // The shared cursor, as a small marker at a world position.
    void setCursorMarker(const std::array<double, 3>& worldMm);

    // The view as it is (camera, colours, clipping, colour bars) rendered offscreen at any
    // size, without the caption; white background and dark text for print when asked.
    vtkSmartPointer<vtkImageData> renderFigure(int width, int height, bool whiteBackground) const;

  private:
    void layersChanged();
    void recolour();
    template <class F>
    void forEachShownBottomUp(F&& f) const;
    std::vector<vtkSmartPointer<vtkScalarBarActor>> makeColourBars(bool darkText) const;
    void updateColourBars();
    void clipForPreset(CameraPreset preset);

    BrainModel model_;
    vtkNew<vtkRenderer> renderer_;
    vtkNew<vtkActor> actor_;
    vtkNew<vtkCellPicker> picker_;
    vtkNew<vtkTextActor> caption_;
    vtkNew<vtkTextActor> message_;
    std::string messageText_;
    int messageWidth_ = 0;
    vtkSmartPointer<vtkPolyData> display_;
    vtkSmartPointer<vtkPolyDataMapper> mapper_;
    vtkSmartPointer<vtkUnsignedCharArray> overlayColours_;
    const BrainLayers* layers_ = nullptr;
    BrainLayers::Subscription layersSubscription_;
    std::map<LayerId, std::vector<float>> values_;
    std::vector<vtkSmartPointer<vtkScalarBarActor>> colourBars_;
    vtkNew<vtkActor> cursorMarker_;
};

}  // namespace us::render
