#include "widgets/brain/slice_view.h"

#include "analysis/brain/volume_sampling.h"

#include <QMouseEvent>
#include <QPainter>
#include <QWheelEvent>

#include <Eigen/LU>

#include <algorithm>
#include <cmath>
#include <limits>

namespace us::widgets {
namespace {

constexpr const char* kPaneNames[] = {"sagittal", "coronal", "axial"};

// For each world axis (x, y, z): the voxel axis that runs along it and its direction.
struct Orientation {
    std::array<int, 3> voxelAxis{0, 1, 2};
    std::array<int, 3> sign{1, 1, 1};
};

Orientation orientationOf(const Eigen::Matrix4d& affine) {
    Orientation o;
    std::array<bool, 3> used{};
    for (int world = 0; world < 3; ++world) {
        int best = -1;
        for (int voxel = 0; voxel < 3; ++voxel)
            if (!used[std::size_t(voxel)] &&
                (best < 0 || std::abs(affine(world, voxel)) > std::abs(affine(world, best))))
                best = voxel;
        used[std::size_t(best)] = true;
        o.voxelAxis[std::size_t(world)] = best;
        o.sign[std::size_t(world)] = affine(world, best) < 0 ? -1 : 1;
    }
    return o;
}

}  // namespace

SliceView::SliceView(QWidget* parent) : QWidget(parent) {
    setMouseTracking(false);
    setMinimumSize(300, 120);
    setFocusPolicy(Qt::ClickFocus);
}

SliceView::Axes SliceView::axesOf(int pane) {
    switch (pane) {
        case 0: return {1, 2, 0};   // sagittal: anterior to the right, superior up
        case 1: return {0, 2, 1};   // coronal
        default: return {0, 1, 2};  // axial: anterior up
    }
}

void SliceView::setUnderlay(std::shared_ptr<const analysis::Volume> volume) {
    underlay_ = std::move(volume);
    underlayMax_ = 1;
    for (double v : underlay_->data)
        underlayMax_ = std::max(underlayMax_, v);
    // Start at the world origin when it lies inside the volume, else the centre.
    Eigen::Vector3d centre;
    for (int a = 0; a < 3; ++a)
        centre[a] = (double(underlay_->shape[std::size_t(a)]) - 1) / 2;
    const Eigen::Vector3d origin = voxelOf(Eigen::Vector3d::Zero());
    bool inside = true;
    for (int a = 0; a < 3; ++a)
        inside =
            inside && origin[a] >= 0 && origin[a] <= double(underlay_->shape[std::size_t(a)]) - 1;
    cursor_ = inside ? Eigen::Vector3d::Zero() : worldOf(centre);
    update();
}

void SliceView::observeLayers(const render::BrainLayers* layers) {
    layersSubscription_ = {};
    layers_ = layers;
    const auto changed = [this](unsigned) {
        std::erase_if(volumes_, [this](const auto& entry) {
            return !layers_ || !layers_->find(entry.first);
        });
        update();
    };
    if (layers_) layersSubscription_ = layers_->observe(changed);
    changed(render::BrainLayers::Structure);
}

void SliceView::setLayerVolume(render::LayerId layer,
                               std::shared_ptr<const analysis::Volume> volume) {
    volumes_[layer] = std::move(volume);
    update();
}

void SliceView::setRadiological(bool radiological) {
    radiological_ = radiological;
    update();
}

Eigen::Vector3d SliceView::voxelOf(const Eigen::Vector3d& world) const {
    const Eigen::Vector4d v =
        underlay_->affine.inverse() * Eigen::Vector4d(world[0], world[1], world[2], 1);
    return v.head<3>();
}

Eigen::Vector3d SliceView::worldOf(const Eigen::Vector3d& voxel) const {
    const Eigen::Vector4d w = underlay_->affine * Eigen::Vector4d(voxel[0], voxel[1], voxel[2], 1);
    return w.head<3>();
}

std::array<long long, 3> SliceView::cursorVoxel() const {
    if (!underlay_) return {0, 0, 0};
    const Eigen::Vector3d v = voxelOf(cursor_);
    return {std::llround(v[0]), std::llround(v[1]), std::llround(v[2])};
}

std::vector<std::pair<std::string, double>> SliceView::valuesAtCursor() const {
    std::vector<std::pair<std::string, double>> values;
    const auto sample = [&](const analysis::Volume& volume, const std::string& name) {
        if (const auto value =
                analysis::nearestVoxelValue(volume, cursor_[0], cursor_[1], cursor_[2]))
            values.emplace_back(name, *value);
    };
    if (underlay_) sample(*underlay_, "anatomy");
    if (layers_)
        for (const auto& layer : layers_->layers())
            if (const auto it = volumes_.find(layer.id); it != volumes_.end())
                sample(*it->second, layer.name);
    return values;
}

void SliceView::setCursor(const Eigen::Vector3d& world) {
    if (!underlay_) return;
    Eigen::Vector3d voxel = voxelOf(world);
    for (int a = 0; a < 3; ++a)
        voxel[a] = std::clamp(voxel[a], 0.0, double(underlay_->shape[std::size_t(a)] - 1));
    const Eigen::Vector3d moved = worldOf(voxel);
    if (moved == cursor_) return;
    cursor_ = moved;
    update();
    Q_EMIT cursorMoved(cursor_[0], cursor_[1], cursor_[2]);
}

QRectF SliceView::paneRect(int pane) const {
    const double w = width() / 3.0;
    return QRectF(pane * w, 0, w, height());
}

QRectF SliceView::imageRect(int pane) const {
    const Axes axes = axesOf(pane);
    const Orientation o = orientationOf(underlay_->affine);
    const auto extent = [&](int worldAxis) {
        const int voxel = o.voxelAxis[std::size_t(worldAxis)];
        return double(underlay_->shape[std::size_t(voxel)]) *
               underlay_->voxelSize[std::size_t(voxel)];
    };
    const double mmW = extent(axes.horizontal), mmH = extent(axes.vertical);
    const QRectF pane_ = paneRect(pane).adjusted(4, 18, -4, -4);
    const double scale =
        std::min(pane_.width() / mmW, pane_.height() / mmH) * zoom_[std::size_t(pane)];
    const QSizeF size(mmW * scale, mmH * scale);
    return QRectF(
        pane_.center() - QPointF(size.width() / 2, size.height() / 2) + pan_[std::size_t(pane)],
        size);
}

QImage SliceView::sliceImage(int pane) const {
    const Axes axes = axesOf(pane);
    const Orientation o = orientationOf(underlay_->affine);
    const int hv = o.voxelAxis[std::size_t(axes.horizontal)],
              vv = o.voxelAxis[std::size_t(axes.vertical)],
              nv = o.voxelAxis[std::size_t(axes.normal)];
    const auto& shape = underlay_->shape;
    const int width = int(shape[std::size_t(hv)]), height = int(shape[std::size_t(vv)]);
    const auto cursor = cursorVoxel();
    const long long slice =
        std::clamp<long long>(cursor[std::size_t(nv)], 0, shape[std::size_t(nv)] - 1);
    const bool flipX = axes.horizontal == 0 && radiological_;
    // Each visible layer's voxel-to-voxel map from the underlay, bottom layer first.
    struct Drawn {
        const analysis::Volume* volume;
        const render::OverlayStyle* style;
        Eigen::Matrix4d fromUnderlay;
    };
    std::vector<Drawn> layers;
    if (layers_)
        layers_->forEachVisibleBottomUp([&](const render::BrainLayer& layer) {
            if (const auto it = volumes_.find(layer.id); it != volumes_.end())
                layers.push_back({it->second.get(), &layer.style,
                                  it->second->affine.inverse() * underlay_->affine});
        });
    std::vector<std::array<long long, 3>> indices(static_cast<std::size_t>(width));
    std::vector<float> values(static_cast<std::size_t>(width));
    QImage image(width, height, QImage::Format_RGB888);
    for (int row = 0; row < height; ++row) {
        uchar* line = image.scanLine(row);
        for (int col = 0; col < width; ++col) {
            auto& index = indices[std::size_t(col)];
            const int h = flipX ? width - 1 - col : col;
            index[std::size_t(hv)] = o.sign[std::size_t(axes.horizontal)] > 0 ? h : width - 1 - h;
            const int up = height - 1 - row;
            index[std::size_t(vv)] = o.sign[std::size_t(axes.vertical)] > 0 ? up : height - 1 - up;
            index[std::size_t(nv)] = slice;
            const double value =
                underlay_
                    ->data[std::size_t(index[0] + shape[0] * (index[1] + shape[1] * index[2]))];
            line[3 * col] = line[3 * col + 1] = line[3 * col + 2] =
                std::uint8_t(std::clamp(value / underlayMax_ * 255.0, 0.0, 255.0));
        }
        for (const auto& [volume, style, fromUnderlay] : layers) {
            const auto& os = volume->shape;
            for (int col = 0; col < width; ++col) {
                const auto& index = indices[std::size_t(col)];
                const Eigen::Vector4d ov =
                    fromUnderlay *
                    Eigen::Vector4d(double(index[0]), double(index[1]), double(index[2]), 1);
                const long long oi = std::llround(ov[0]), oj = std::llround(ov[1]),
                                ok = std::llround(ov[2]);
                values[std::size_t(col)] =
                    oi >= 0 && oj >= 0 && ok >= 0 && oi < os[0] && oj < os[1] && ok < os[2]
                        ? float(volume->data[std::size_t(oi + os[0] * (oj + os[1] * ok))])
                        : std::numeric_limits<float>::quiet_NaN();
            }
            render::compositeOverlay(values.data(), std::size_t(width), *style, line);
        }
    }
    return image;
}

QPointF SliceView::toWidget(int pane, const Eigen::Vector3d& world) const {
    const Axes axes = axesOf(pane);
    const Orientation o = orientationOf(underlay_->affine);
    const Eigen::Vector3d voxel = voxelOf(world);
    const QRectF r = imageRect(pane);
    const auto fraction = [&](int worldAxis) {
        const int va = o.voxelAxis[std::size_t(worldAxis)];
        const double n = double(underlay_->shape[std::size_t(va)]);
        double f = (voxel[va] + 0.5) / n;
        if (o.sign[std::size_t(worldAxis)] < 0) f = 1 - f;
        return f;
    };
    double fx = fraction(axes.horizontal);
    if (axes.horizontal == 0 && radiological_) fx = 1 - fx;
    const double fy = fraction(axes.vertical);
    return QPointF(r.left() + fx * r.width(), r.bottom() - fy * r.height());
}

std::optional<Eigen::Vector3d> SliceView::voxelAt(int pane, QPointF point) const {
    const QRectF r = imageRect(pane);
    if (!r.contains(point)) return std::nullopt;
    const Axes axes = axesOf(pane);
    const Orientation o = orientationOf(underlay_->affine);
    Eigen::Vector3d voxel = voxelOf(cursor_);
    const auto place = [&](int worldAxis, double f) {
        const int va = o.voxelAxis[std::size_t(worldAxis)];
        const double n = double(underlay_->shape[std::size_t(va)]);
        if (o.sign[std::size_t(worldAxis)] < 0) f = 1 - f;
        voxel[va] = std::clamp(f * n - 0.5, 0.0, n - 1);
    };
    double fx = (point.x() - r.left()) / r.width();
    if (axes.horizontal == 0 && radiological_) fx = 1 - fx;
    place(axes.horizontal, fx);
    place(axes.vertical, (r.bottom() - point.y()) / r.height());
    return voxel;
}

int SliceView::paneAt(QPointF point) const {
    for (int pane = 0; pane < 3; ++pane)
        if (paneRect(pane).contains(point)) return pane;
    return -1;
}

void SliceView::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.fillRect(rect(), QColor(20, 20, 24));
    if (!underlay_) {
        painter.setPen(QColor(200, 200, 200));
        painter.drawText(rect().adjusted(12, 12, -12, -12), Qt::AlignCenter | Qt::TextWordWrap,
                         tr("No volume open. File > Open demo shows Colin27."));
        return;
    }
    for (int pane = 0; pane < 3; ++pane) {
        painter.save();
        painter.setClipRect(paneRect(pane));
        const QRectF r = imageRect(pane);
        painter.drawImage(r, sliceImage(pane));
        // The shared crosshair.
        const QPointF c = toWidget(pane, cursor_);
        painter.setPen(QPen(QColor(60, 220, 90, 200), 1));
        painter.drawLine(QPointF(r.left(), c.y()), QPointF(r.right(), c.y()));
        painter.drawLine(QPointF(c.x(), r.top()), QPointF(c.x(), r.bottom()));
        // Orientation letters.
        painter.setPen(QColor(240, 220, 80));
        QFont bold = font();
        bold.setBold(true);
        painter.setFont(bold);
        const QRectF p = paneRect(pane).adjusted(6, 18, -6, -4);
        const bool xAcross = axesOf(pane).horizontal == 0;
        const QString left = xAcross ? (radiological_ ? "R" : "L") : "P";
        const QString right = xAcross ? (radiological_ ? "L" : "R") : "A";
        painter.drawText(p, Qt::AlignLeft | Qt::AlignVCenter, left);
        painter.drawText(p, Qt::AlignRight | Qt::AlignVCenter, right);
        painter.drawText(p, Qt::AlignHCenter | Qt::AlignTop, pane == 2 ? "A" : "S");
        painter.setFont(font());
        painter.setPen(QColor(190, 190, 190));
        painter.drawText(
            paneRect(pane).adjusted(6, 2, -6, 0), Qt::AlignLeft | Qt::AlignTop,
            tr("%1%2")
                .arg(kPaneNames[pane])
                .arg(pane == 0 ? QString()
                               : (radiological_ ? tr(" (radiological)") : tr(" (neurological)"))));
        painter.restore();
    }
}

void SliceView::mousePressEvent(QMouseEvent* event) {
    if (!underlay_) return;
    dragPane_ = paneAt(event->position());
    dragStart_ = event->position();
    if (event->button() == Qt::LeftButton) mouseMoveEvent(event);
}

void SliceView::mouseMoveEvent(QMouseEvent* event) {
    if (!underlay_ || dragPane_ < 0) return;
    if (event->buttons() & Qt::RightButton) {
        pan_[std::size_t(dragPane_)] += event->position() - dragStart_;
        dragStart_ = event->position();
        update();
        return;
    }
    if (const auto voxel = voxelAt(dragPane_, event->position())) setCursor(worldOf(*voxel));
}

void SliceView::wheelEvent(QWheelEvent* event) {
    if (!underlay_) return;
    const int pane = paneAt(event->position());
    if (pane < 0) return;
    const int steps = event->angleDelta().y() / 120;
    if (event->modifiers() & Qt::ControlModifier) {
        zoom_[std::size_t(pane)] =
            std::clamp(zoom_[std::size_t(pane)] * std::pow(1.2, steps), 0.5, 12.0);
        update();
        return;
    }
    // Scroll through slices along the pane's normal world axis.
    const Orientation o = orientationOf(underlay_->affine);
    const int world = axesOf(pane).normal;
    Eigen::Vector3d voxel = voxelOf(cursor_);
    voxel[o.voxelAxis[std::size_t(world)]] += steps * o.sign[std::size_t(world)];
    setCursor(worldOf(voxel));
}

}  // namespace us::widgets
