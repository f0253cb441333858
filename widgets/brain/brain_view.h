#pragma once
// The 3-D brain panel: the labelled cortical surface, rotatable, with a hover read-out.

#include <QString>

#include <optional>

#include "render/brain/brain_scene.h"
#include "widgets/common/vtk_gl_widget.h"

namespace us::widgets {

class BrainView : public VtkGlWidget {
    Q_OBJECT
  public:
    explicit BrainView(QWidget* parent = nullptr);

    us::render::BrainScene& scene() { return scene_; }
    // The overlay layers to draw: the scene recolours and the view repaints once per change.
    void observeLayers(const us::render::BrainLayers* layers);
    void setModel(us::render::BrainModel model, const QString& caption);
    // Shown centred over the view: loading progress, errors, the empty state.
    void setMessage(const QString& text);
    void applyPreset(us::render::CameraPreset preset);
    std::optional<us::render::BrainPick> pickAt(const QPointF& widgetPos);
    static QString describe(const us::render::BrainPick& pick);

  Q_SIGNALS:
    // Region and coordinates under the cursor; empty when the cursor is off the surface.
    void hoverChanged(const QString& readout);
    void regionClicked(const QString& readout);
    void pointClicked(double x, double y, double z);
    // The first frame that shows a loaded surface has been painted.
    void surfacePainted();

  protected:
    void resizeGL(int width, int height) override;
    void paintGL() override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;

  private:
    us::render::BrainScene scene_;
    us::render::BrainLayers::Subscription repaintOnLayerChange_;
    bool surfaceFramePending_ = false;
    QPointF pressPos_;
};

}  // namespace us::widgets
