#include "widgets/graph/graph_view.h"

#include <QMouseEvent>
#include <QOpenGLContext>
#include <QOpenGLFunctions>
#include <QWheelEvent>

namespace us::widgets {

GraphView::GraphView(QWidget* parent) : QOpenGLWidget(parent) {
    setMouseTracking(true);
    setFocusPolicy(Qt::StrongFocus);
    frameClock_.start();
}

GraphView::~GraphView() {
    makeCurrent();
    releaseGraphics();
    doneCurrent();
}

void GraphView::releaseGraphics() {
    canvas_.releaseGl();
}

void GraphView::setSelectedUnit(const QString& layer, qint64 index) {
    canvas_.setSelectedUnit(layer.toStdString(), index);
    update();
}

void GraphView::setNetwork(const QString& title, std::vector<us::analysis::LayerInfo> layers) {
    canvas_.setNetwork(title.toStdString(), std::move(layers));
    update();
}

void GraphView::initializeGL() {
    connect(context(), &QOpenGLContext::aboutToBeDestroyed, this, [this] {
        makeCurrent();
        releaseGraphics();
        doneCurrent();
    });
    canvas_.initializeGl();
}

void GraphView::paintGL() {
    QOpenGLFunctions* gl = context()->functions();
    gl->glClearColor(0.09f, 0.10f, 0.12f, 1.f);
    gl->glClear(GL_COLOR_BUFFER_BIT);
    const float dt = static_cast<float>(frameClock_.restart()) / 1000.f;
    QElapsedTimer frameTime;
    frameTime.start();
    canvas_.render(static_cast<float>(width()), static_cast<float>(height()),
                   static_cast<float>(devicePixelRatioF()), input_, dt);
    if (canvas_.mode() == us::render::CanvasMode::Graph && !canvas_.plot().empty()) {
        // Rasterisation included (a software renderer does it lazily), so that the graph's
        // level of detail follows what a frame really costs.
        gl->glFinish();
        canvas_.plot().reportFrameTime(double(frameTime.nsecsElapsed()) / 1e6);
    }
    input_.wheel = 0.f;
    if (canvas_.hoveredLayer() != lastHovered_) {
        lastHovered_ = canvas_.hoveredLayer();
        Q_EMIT hoverChanged(QString::fromStdString(lastHovered_));
    }
    if (canvas_.mode() == us::render::CanvasMode::Graph) {
        const auto hovered = canvas_.plot().hovered();
        const qint64 node = hovered ? qint64(*hovered) : -1;
        if (node != lastHoveredNode_) Q_EMIT nodeHovered(lastHoveredNode_ = node);
        // Emitted after the frame: the slot may change the scene the canvas just drew.
        if (const auto click = canvas_.plot().takeClick())
            QMetaObject::invokeMethod(
                this,
                [this, c = *click] { Q_EMIT nodeClicked(qint64(c.node), c.toggle, c.extend); },
                Qt::QueuedConnection);
    }
    // ImGui settles hover and tooltip state one frame after the input that caused it.
    if (pendingFrames_ > 0 && --pendingFrames_ > 0) update();
}

void GraphView::updateButtons(QMouseEvent* event) {
    input_.mouseX = static_cast<float>(event->position().x());
    input_.mouseY = static_cast<float>(event->position().y());
    input_.leftDown = event->buttons() & Qt::LeftButton;
    input_.rightDown = event->buttons() & Qt::RightButton;
    input_.middleDown = event->buttons() & Qt::MiddleButton;
    input_.ctrl = event->modifiers() & Qt::ControlModifier;
    input_.shift = event->modifiers() & Qt::ShiftModifier;
    pendingFrames_ = 2;
    update();
}

void GraphView::mousePressEvent(QMouseEvent* event) {
    updateButtons(event);
}
void GraphView::mouseReleaseEvent(QMouseEvent* event) {
    updateButtons(event);
}
void GraphView::mouseMoveEvent(QMouseEvent* event) {
    updateButtons(event);
}

void GraphView::wheelEvent(QWheelEvent* event) {
    input_.mouseX = static_cast<float>(event->position().x());
    input_.mouseY = static_cast<float>(event->position().y());
    input_.wheel += static_cast<float>(event->angleDelta().y()) / 120.f;
    pendingFrames_ = 2;
    update();
    event->accept();
}

void GraphView::leaveEvent(QEvent* event) {
    input_.mouseX = input_.mouseY = -1.f;
    pendingFrames_ = 2;
    update();
    QOpenGLWidget::leaveEvent(event);
}

}  // namespace us::widgets
