#pragma once
// The attribution-graph panel: a QOpenGLWidget hosting the ImGui graph canvas.

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
    int pendingFrames_ = 0;
};

}  // namespace us::widgets
