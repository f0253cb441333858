#pragma once
// A QOpenGLWidget that hosts a VTK render window (VTK's own Qt module is built for Qt 5 here).
// VTK draws into its own framebuffer; paintGL blits it into the widget's. Mouse and wheel
// events go to a VTK interactor, so any VTK interactor style works inside Qt 6.

#include <vtkGenericOpenGLRenderWindow.h>
#include <vtkGenericRenderWindowInteractor.h>
#include <vtkNew.h>
#include <QOpenGLWidget>

class QMouseEvent;
class QWheelEvent;

namespace us::widgets {

class VtkGlWidget : public QOpenGLWidget {
    Q_OBJECT
  public:
    explicit VtkGlWidget(QWidget* parent = nullptr);
    ~VtkGlWidget() override;

    vtkGenericOpenGLRenderWindow* renderWindow() const { return renderWindow_; }
    vtkGenericRenderWindowInteractor* interactor() const { return interactor_; }
    // Widget pixel (origin top-left, logical) -> VTK display pixel (origin bottom-left, device).
    QPointF toDisplay(const QPointF& widgetPos) const;

  Q_SIGNALS:
    // Time spent in paintGL (VTK render + blit), and whether VTK had anything to draw.
    void frameRendered(double milliseconds);

  protected:
    void initializeGL() override;
    void resizeGL(int width, int height) override;
    void paintGL() override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;

  private:
    void forwardMouse(QMouseEvent* event, unsigned long vtkEvent);
    void releaseGraphics();

    vtkNew<vtkGenericOpenGLRenderWindow> renderWindow_;
    vtkNew<vtkGenericRenderWindowInteractor> interactor_;
    bool graphicsReady_ = false;
};

}  // namespace us::widgets
