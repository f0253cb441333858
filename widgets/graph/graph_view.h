#pragma once
// The attribution-graph panel's canvas: a QOpenGLWidget hosting the ImGui graph canvas, which
// draws the model's layers or an attribution graph.

#include <QElapsedTimer>
#include <QOpenGLWidget>

#include "render/graph/graph_canvas.h"

namespace us::widgets {

class GraphView : public QOpenGLWidget {
    Q_OBJECT
  public:
    explicit GraphView(QWidget* parent = nullptr);
    ~GraphView() override;

    us::render::GraphCanvas& canvas() { return canvas_; }
    void setSelectedUnit(const QString& layer, qint64 index);
    void setNetwork(const QString& title, std::vector<us::analysis::LayerInfo> layers);

  Q_SIGNALS:
    void hoverChanged(const QString& layerName);
    // Attribution graph mode: a display node clicked (toggle: with Ctrl, extend: with Shift),
    // or hovered (-1: none).
    void nodeClicked(qint64 node, bool toggle, bool extend);
    void nodeHovered(qint64 node);

  protected:
    void initializeGL() override;
    void paintGL() override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void leaveEvent(QEvent* event) override;

  private:
    void updateButtons(QMouseEvent* event);
    void releaseGraphics();

    us::render::GraphCanvas canvas_;
    us::render::CanvasInput input_;
    QElapsedTimer frameClock_;
    std::string lastHovered_;
    qint64 lastHoveredNode_ = -1;
    int pendingFrames_ = 0;
};

}  // namespace us::widgets
