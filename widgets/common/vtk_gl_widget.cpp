#include "widgets/common/vtk_gl_widget.h"

#include <qopengl.h>  // GL enums; VTK's GLEW header clashes with Qt's GL headers
#include <vtkCallbackCommand.h>
#include <vtkCommand.h>
#include <vtkInteractorStyleTrackballCamera.h>
#include <vtkOpenGLState.h>
#include <QElapsedTimer>
#include <QMouseEvent>
#include <QOpenGLContext>
#include <QWheelEvent>

namespace us::widgets {

VtkGlWidget::VtkGlWidget(QWidget* parent) : QOpenGLWidget(parent) {
    setMouseTracking(true);
    setFocusPolicy(Qt::StrongFocus);
    renderWindow_->SetReadyForRendering(false);
    renderWindow_->SetFrameBlitModeToNoBlit();
    renderWindow_->SetMultiSamples(0);

    // VTK asks to make its context current: do it without QOpenGLWidget::makeCurrent(), which
    // would rebind the widget's FBO under VTK and give an all-black frame.
    auto makeCurrent = vtkSmartPointer<vtkCallbackCommand>::New();
    makeCurrent->SetClientData(this);
    makeCurrent->SetCallback([](vtkObject*, unsigned long, void* self, void*) {
        auto* widget = static_cast<VtkGlWidget*>(self);
        QOpenGLContext* ctx = widget->context();
        if (ctx && QOpenGLContext::currentContext() != ctx) ctx->makeCurrent(ctx->surface());
    });
    renderWindow_->AddObserver(vtkCommand::WindowMakeCurrentEvent, makeCurrent);
    auto isCurrent = vtkSmartPointer<vtkCallbackCommand>::New();
    isCurrent->SetClientData(this);
    isCurrent->SetCallback([](vtkObject*, unsigned long, void* self, void* callData) {
        auto* widget = static_cast<VtkGlWidget*>(self);
        *static_cast<bool*>(callData) =
            widget->context() && QOpenGLContext::currentContext() == widget->context();
    });
    renderWindow_->AddObserver(vtkCommand::WindowIsCurrentEvent, isCurrent);

    interactor_->SetRenderWindow(renderWindow_);
    interactor_->EnableRenderOff();  // Qt decides when to paint
    vtkNew<vtkInteractorStyleTrackballCamera> style;
    interactor_->SetInteractorStyle(style);
    auto requestPaint = vtkSmartPointer<vtkCallbackCommand>::New();
    requestPaint->SetClientData(this);
    requestPaint->SetCallback([](vtkObject*, unsigned long, void* self, void*) {
        static_cast<VtkGlWidget*>(self)->update();
    });
    interactor_->AddObserver(vtkCommand::RenderEvent, requestPaint);
    interactor_->Initialize();
}

VtkGlWidget::~VtkGlWidget() {
    makeCurrent();
    releaseGraphics();
    doneCurrent();
}

void VtkGlWidget::releaseGraphics() {
    if (!graphicsReady_) return;
    renderWindow_->ReleaseGraphicsResources(renderWindow_);
    graphicsReady_ = false;
}

QPointF VtkGlWidget::toDisplay(const QPointF& widgetPos) const {
    const double dpr = devicePixelRatioF();
    return {widgetPos.x() * dpr, (height() - widgetPos.y()) * dpr - 1.0};
}

void VtkGlWidget::initializeGL() {
    connect(context(), &QOpenGLContext::aboutToBeDestroyed, this, [this] {
        makeCurrent();
        releaseGraphics();
        doneCurrent();
    });
    renderWindow_->GetState()->Reset();
    renderWindow_->GetState()->vtkglDepthFunc(GL_LEQUAL);
    renderWindow_->SetReadyForRendering(true);
    renderWindow_->SetOwnContext(false);
    renderWindow_->OpenGLInitContext();
    graphicsReady_ = true;
}

void VtkGlWidget::resizeGL(int width, int height) {
    const double dpr = devicePixelRatioF();
    const int w = static_cast<int>(width * dpr), h = static_cast<int>(height * dpr);
    renderWindow_->SetSize(w, h);
    interactor_->SetSize(w, h);
}

void VtkGlWidget::paintGL() {
    QElapsedTimer timer;
    timer.start();
    vtkOpenGLState* state = renderWindow_->GetState();
    state->Reset();
    state->Push();
    renderWindow_->Render();
    state->vtkglBindFramebuffer(GL_DRAW_FRAMEBUFFER, defaultFramebufferObject());
    state->vtkglDrawBuffer(GL_COLOR_ATTACHMENT0);
    renderWindow_->BlitDisplayFramebuffer();
    // VTK leaves alpha < 1 where the background is; Qt would composite it as transparent.
    state->vtkglColorMask(GL_FALSE, GL_FALSE, GL_FALSE, GL_TRUE);
    state->vtkglClearColor(0.f, 0.f, 0.f, 1.f);
    state->vtkglClear(GL_COLOR_BUFFER_BIT);
    state->vtkglColorMask(GL_TRUE, GL_TRUE, GL_TRUE, GL_TRUE);
    state->Pop();
    Q_EMIT frameRendered(timer.nsecsElapsed() / 1e6);
}

void VtkGlWidget::forwardMouse(QMouseEvent* event, unsigned long vtkEvent) {
    const QPointF p = toDisplay(event->position());
    interactor_->SetEventInformation(static_cast<int>(p.x()), static_cast<int>(p.y()),
                                     (event->modifiers() & Qt::ControlModifier) ? 1 : 0,
                                     (event->modifiers() & Qt::ShiftModifier) ? 1 : 0);
    interactor_->InvokeEvent(vtkEvent, event);
}

void VtkGlWidget::mousePressEvent(QMouseEvent* event) {
    switch (event->button()) {
        case Qt::LeftButton: forwardMouse(event, vtkCommand::LeftButtonPressEvent); break;
        case Qt::RightButton: forwardMouse(event, vtkCommand::RightButtonPressEvent); break;
        case Qt::MiddleButton: forwardMouse(event, vtkCommand::MiddleButtonPressEvent); break;
        default: break;
    }
}

void VtkGlWidget::mouseReleaseEvent(QMouseEvent* event) {
    switch (event->button()) {
        case Qt::LeftButton: forwardMouse(event, vtkCommand::LeftButtonReleaseEvent); break;
        case Qt::RightButton: forwardMouse(event, vtkCommand::RightButtonReleaseEvent); break;
        case Qt::MiddleButton: forwardMouse(event, vtkCommand::MiddleButtonReleaseEvent); break;
        default: break;
    }
}

void VtkGlWidget::mouseMoveEvent(QMouseEvent* event) {
    forwardMouse(event, vtkCommand::MouseMoveEvent);
}

void VtkGlWidget::wheelEvent(QWheelEvent* event) {
    const QPointF p = toDisplay(event->position());
    interactor_->SetEventInformation(static_cast<int>(p.x()), static_cast<int>(p.y()));
    if (event->angleDelta().y() > 0)
        interactor_->InvokeEvent(vtkCommand::MouseWheelForwardEvent, event);
    else if (event->angleDelta().y() < 0)
        interactor_->InvokeEvent(vtkCommand::MouseWheelBackwardEvent, event);
    event->accept();
}

}  // namespace us::widgets
