#include "widgets/brain/brain_view.h"

#include <QKeyEvent>
#include <QMouseEvent>

namespace us::widgets {

using us::render::CameraPreset;

BrainView::BrainView(QWidget* parent) : VtkGlWidget(parent) {
    renderWindow()->AddRenderer(scene_.renderer());
    scene_.setMessage(
        "No brain loaded.\nFile > Open demo shows the Colin27 brain with the AAL atlas.");
    setToolTip(
        tr("Drag to rotate, right-drag or wheel to zoom, middle-drag to pan.\n"
           "Keys: 1 left, 2 right, 3 top, 4 bottom, 5 front, 6 back, R reset."));
}

void BrainView::observeLayers(const us::render::BrainLayers* layers) {
    scene_.observeLayers(layers);
    repaintOnLayerChange_ = {};
    if (layers) repaintOnLayerChange_ = layers->observe([this](unsigned) { update(); });
    update();
}

void BrainView::setModel(us::render::BrainModel model, const QString& caption) {
    scene_.setModel(std::move(model));
    scene_.setCaption(caption.toStdString());
    scene_.setMessage("");
    surfaceFramePending_ = true;
    update();
}

void BrainView::resizeGL(int width, int height) {
    VtkGlWidget::resizeGL(width, height);
    scene_.setMessageWidth(int(width * devicePixelRatioF() * 0.9));
}

void BrainView::setMessage(const QString& text) {
    scene_.setMessage(text.toStdString());
    update();
}

void BrainView::applyPreset(CameraPreset preset) {
    scene_.applyPreset(preset);
    update();
}

std::optional<us::render::BrainPick> BrainView::pickAt(const QPointF& widgetPos) {
    const QPointF p = toDisplay(widgetPos);
    return scene_.pick(p.x(), p.y());
}

QString BrainView::describe(const us::render::BrainPick& pick) {
    QString text = QString("x %1, y %2, z %3 mm")
                       .arg(pick.worldMm[0], 0, 'f', 1)
                       .arg(pick.worldMm[1], 0, 'f', 1)
                       .arg(pick.worldMm[2], 0, 'f', 1);
    if (pick.atlasShown)
        text = (pick.label == 0 ? tr("no atlas region")
                                : QString("%1 (label %2)")
                                      .arg(QString::fromStdString(pick.region))
                                      .arg(pick.label)) +
               "   " + text;
    for (const auto& [name, value] : pick.layerValues)
        text += QString("   %1 %2").arg(QString::fromStdString(name)).arg(double(value), 0, 'g', 4);
    return text;
}

void BrainView::paintGL() {
    VtkGlWidget::paintGL();
    if (surfaceFramePending_ && scene_.hasModel()) {
        surfaceFramePending_ = false;
        Q_EMIT surfacePainted();
    }
}

void BrainView::mouseMoveEvent(QMouseEvent* event) {
    VtkGlWidget::mouseMoveEvent(event);
    if (event->buttons() != Qt::NoButton || !scene_.hasModel()) return;
    const auto pick = pickAt(event->position());
    Q_EMIT hoverChanged(pick ? describe(*pick) : QString());
}

void BrainView::mousePressEvent(QMouseEvent* event) {
    pressPos_ = event->position();
    VtkGlWidget::mousePressEvent(event);
}

void BrainView::mouseReleaseEvent(QMouseEvent* event) {
    VtkGlWidget::mouseReleaseEvent(event);
    // A click (not a drag) identifies the region under the cursor.
    if (event->button() == Qt::LeftButton &&
        (event->position() - pressPos_).manhattanLength() < 4 && scene_.hasModel()) {
        if (const auto pick = pickAt(event->position())) {
            Q_EMIT regionClicked(describe(*pick));
            Q_EMIT pointClicked(pick->worldMm[0], pick->worldMm[1], pick->worldMm[2]);
        }
    }
}

void BrainView::keyPressEvent(QKeyEvent* event) {
    switch (event->key()) {
        case Qt::Key_1: applyPreset(CameraPreset::LateralLeft); break;
        case Qt::Key_2: applyPreset(CameraPreset::LateralRight); break;
        case Qt::Key_3: applyPreset(CameraPreset::Dorsal); break;
        case Qt::Key_4: applyPreset(CameraPreset::Ventral); break;
        case Qt::Key_5: applyPreset(CameraPreset::Anterior); break;
        case Qt::Key_6: applyPreset(CameraPreset::Posterior); break;
        case Qt::Key_7: applyPreset(CameraPreset::MedialLeft); break;
        case Qt::Key_8: applyPreset(CameraPreset::MedialRight); break;
        case Qt::Key_R: applyPreset(CameraPreset::LateralLeft); break;
        default: VtkGlWidget::keyPressEvent(event); return;
    }
}

}  // namespace us::widgets
