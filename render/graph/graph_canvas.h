#pragma once
// The attribution-graph canvas, drawn with Dear ImGui into the current OpenGL context.
// It draws state it is given (a network's layers, or an attribution graph through
// AttributionPlot) and keeps only view state of its own: pan and zoom. Input comes from whichever
// window hosts it.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "analysis/models/layer_info.h"
#include "render/graph/attribution_plot.h"

struct ImGuiContext;

namespace us::render {

struct CanvasInput {
    float mouseX = -1.f, mouseY = -1.f;  // logical pixels; negative when outside
    bool leftDown = false;
    bool rightDown = false;
    bool middleDown = false;
    float wheel = 0.f;  // notches since the last frame, positive away from the user
    bool ctrl = false;  // Ctrl (Cmd on macOS) held
    bool shift = false;
};

// What the canvas shows: the model's layer structure, or an attribution graph.
enum class CanvasMode { Layers, Graph };

class GraphCanvas {
  public:
    GraphCanvas();
    ~GraphCanvas();
    GraphCanvas(const GraphCanvas&) = delete;
    GraphCanvas& operator=(const GraphCanvas&) = delete;

    // GL lifetime: call with the hosting context current.
    void initializeGl();
    void releaseGl();

    void setNetwork(std::string title, std::vector<us::analysis::LayerInfo> layers);
    void setMode(CanvasMode mode) { mode_ = mode; }
    CanvasMode mode() const { return mode_; }
    AttributionPlot& plot() { return plot_; }
    const AttributionPlot& plot() const { return plot_; }
    const std::vector<us::analysis::LayerInfo>& layers() const { return layers_; }

    // Draws one frame into the bound framebuffer; sizes in logical pixels.
    void render(float width, float height, float devicePixelRatio, const CanvasInput& input,
                float deltaSeconds);

    // The unit selected elsewhere (the inspector): its layer is outlined and labelled.
    void setSelectedUnit(std::string layer, std::int64_t index);
    const std::string& selectedLayer() const { return selectedLayer_; }

    // Name of the layer under the mouse in the last frame, empty when none.
    const std::string& hoveredLayer() const { return hovered_; }
    // pan x, pan y, zoom: saved in the session.
    std::vector<double> viewState() const;
    void setViewState(const std::vector<double>& state);
    void resetView();

  private:
    void drawNetwork(float width, float height);
    void drawEmptyState(float width, float height, const char* title, const char* hint);
    void handlePanZoom(float height);
    void fitToView(float width, float height);

    ImGuiContext* context_ = nullptr;
    CanvasMode mode_ = CanvasMode::Layers;
    AttributionPlot plot_;
    bool glReady_ = false;
    std::string title_;
    std::vector<us::analysis::LayerInfo> layers_;
    std::string hovered_;
    std::string selectedLayer_;
    std::int64_t selectedIndex_ = 0;
    float panX_ = 40.f, panY_ = 0.f, zoom_ = 1.f;
    bool fitPending_ = true;  // fit the whole network at the next frame, once the size is known
    std::optional<std::pair<float, float>> fittedSize_;  // set while the view is the auto-fit
    int columns_ = 1;  // the layers flow left to right in rows of this many nodes
};

}  // namespace us::render
