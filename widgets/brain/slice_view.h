#pragma once
// The voxel view: three orthogonal slices (sagittal, coronal, axial) of an underlay volume
// with the volume layers of the observed BrainLayers list blended on top, one shared crosshair, L/R
// letters, scroll through slices, Ctrl+wheel to zoom, right-drag to pan. Neurological convention by
// default (left on the left); radiological on request, always labelled.

#include <QImage>
#include <QWidget>

#include <Eigen/Core>

#include <array>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "analysis/brain/volume.h"
#include "render/brain/brain_layers.h"
#include "render/common/colour_map.h"

namespace us::widgets {

class SliceView : public QWidget {
    Q_OBJECT
  public:
    explicit SliceView(QWidget* parent = nullptr);

    void setUnderlay(std::shared_ptr<const analysis::Volume> volume);
    // The layers to draw (order, style, visibility); repaints once per notification. The
    // list must outlive the view or be replaced first.
    void observeLayers(const render::BrainLayers* layers);
    // A volume layer's data, blended bottom to top (nearest voxel); dropped when the layer
    // leaves the list.
    void setLayerVolume(render::LayerId layer, std::shared_ptr<const analysis::Volume> volume);
    // The volume layers' data, by layer id.
    const std::map<render::LayerId, std::shared_ptr<const analysis::Volume>>& layerVolumes() const {
        return volumes_;
    }
    // Layers of the list drawn here (the volume layers).
    std::size_t overlayCount() const { return volumes_.size(); }
    void setRadiological(bool radiological);
    bool radiological() const { return radiological_; }
    bool hasUnderlay() const { return underlay_ != nullptr; }

    // The crosshair in world millimetres (moves every slice); cursorMoved() tells a move.
    void setCursor(const Eigen::Vector3d& world);
    Eigen::Vector3d cursor() const { return cursor_; }
    // Voxel indices of the cursor in the underlay (rounded).
    std::array<long long, 3> cursorVoxel() const;
    // ("anatomy", v), then each overlay layer's (name, v): nearest-voxel values at the cursor.
    std::vector<std::pair<std::string, double>> valuesAtCursor() const;
    // Pane rectangles: 0 sagittal, 1 coronal, 2 axial.
    QRectF paneRect(int pane) const;
    // Widget point of a world position in a pane (for tests).
    QPointF toWidget(int pane, const Eigen::Vector3d& world) const;

  Q_SIGNALS:
    void cursorMoved(double x, double y, double z);

  protected:
    void paintEvent(QPaintEvent*) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;

  private:
    // Which voxel axes a pane shows horizontally / vertically, and its normal axis.
    struct Axes {
        int horizontal, vertical, normal;
    };
    static Axes axesOf(int pane);
    QImage sliceImage(int pane) const;
    QRectF imageRect(int pane) const;  // where the slice image is drawn (zoom, pan)
    Eigen::Vector3d voxelOf(const Eigen::Vector3d& world) const;
    Eigen::Vector3d worldOf(const Eigen::Vector3d& voxel) const;
    std::optional<Eigen::Vector3d> voxelAt(int pane, QPointF point) const;
    int paneAt(QPointF point) const;

    std::shared_ptr<const analysis::Volume> underlay_;
    const render::BrainLayers* layers_ = nullptr;
    render::BrainLayers::Subscription layersSubscription_;
    std::map<render::LayerId, std::shared_ptr<const analysis::Volume>> volumes_;
    double underlayMax_ = 1;
    Eigen::Vector3d cursor_ = Eigen::Vector3d::Zero();
    bool radiological_ = false;
    std::array<double, 3> zoom_{1, 1, 1};
    std::array<QPointF, 3> pan_{};
    QPointF dragStart_;
    int dragPane_ = -1;
};

}  // namespace us::widgets
