#pragma once
// The treemap canvas (DendroMap-style): clusters as nested cells whose areas are member
// counts, thumbnails of each cell's most representative members, colour by class, purity,
// accuracy or a unit's mean activation. Click zooms into a cell (animated), right-click or
// Ctrl+click selects it, hovering shows a card with the class breakdown and a larger preview.

#include <QImage>
#include <QVariantAnimation>
#include <QWidget>

#include <map>
#include <memory>
#include <set>
#include <vector>

#include "analysis/clustering/cluster_tree.h"
#include "analysis/clustering/treemap_layout.h"

namespace us::widgets {

enum class TreemapColour { MajorityClass, Purity, Accuracy, UnitActivation };

// A cell's own image (a cluster-discriminative image of its units), drawn in place of its
// members' thumbnails, with a line for the read-out and the hover card.
struct TreemapCellImage {
    QImage image;
    QString note;
};

class TreemapView : public QWidget {
    Q_OBJECT
  public:
    explicit TreemapView(QWidget* parent = nullptr);

    void setTree(std::shared_ptr<const analysis::ClusterTree> tree,
                 std::map<std::int64_t, QImage> thumbnails, std::vector<std::string> itemNames);
    bool hasTree() const { return tree_ != nullptr; }
    // Units are clustered (cells offer Visualise), else stimuli (cells offer a graph).
    void setItemsAreUnits(bool units) { itemsAreUnits_ = units; }
    const analysis::ClusterTree* tree() const { return tree_.get(); }

    void setTiling(analysis::TreemapTiling tiling);
    void setLevels(int levels);  // how many levels below the zoom root are drawn
    void setColour(TreemapColour colour);
    // Per-node values for TreemapColour::UnitActivation (empty: none) and their label.
    void setNodeValues(std::vector<float> values, const QString& label);
    const QString& valueLabel() const { return valueLabel_; }
    TreemapColour colour() const { return colour_; }
    // Highlights the cells holding matching stimuli (name substring) or class names.
    int setSearch(const QString& text);

    void zoomTo(std::int64_t node, bool animate = true);
    bool back();
    std::int64_t zoomRoot() const { return zoomRoot_; }
    std::vector<std::int64_t> breadcrumbs() const;  // root ... zoom root
    const std::vector<analysis::TreemapCell>& cells() const { return cells_; }
    // Cell under a point (deepest drawn), -1 for none.
    std::int64_t cellAt(QPointF position) const;
    QRectF cellRect(std::int64_t node) const;
    int thumbnailsDrawn() const { return thumbnailsDrawn_; }
    void setCellImages(std::map<std::int64_t, TreemapCellImage> images);
    const std::map<std::int64_t, TreemapCellImage>& cellImages() const { return cellImages_; }
    // Where a cell's own image is drawn (empty when it is not drawn now).
    QRectF cellImageRect(std::int64_t node) const;
    // The cells drawn without drawn children: they split the zoom root's items.
    std::vector<std::int64_t> shownLeafCells() const;
    QString describe(std::int64_t node) const;
    QColor colourOf(std::int64_t node) const;

  Q_SIGNALS:
    void zoomed(qint64 node);
    void selected(qint64 node);
    void hovered(const QString& text);
    // Context menu: an attribution graph for the cell's most typical member.
    void attributionRequested(qint64 node);
    void visualiseRequested(qint64 node);
    // Context menu of a units treemap: discriminative images of the cells shown, one each.
    void clusterImagesRequested(const std::vector<qint64>& cells, bool iterate);

  protected:
    void paintEvent(QPaintEvent*) override;
    void resizeEvent(QResizeEvent*) override;
    void mousePressEvent(QMouseEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent*) override;
    void keyPressEvent(QKeyEvent* event) override;

  private:
    void relayout();
    void paintCell(QPainter& painter, const analysis::TreemapCell& cell, const QRectF& rect,
                   bool deepest);
    void paintHoverCard(QPainter& painter);
    void paintLegend(QPainter& painter);
    void paintCellLabel(QPainter& painter, std::int64_t node, const QRectF& rect,
                        const QColor& fill) const;
    QRectF imageRectIn(const QRectF& cell) const;

    std::shared_ptr<const analysis::ClusterTree> tree_;
    std::map<std::int64_t, QImage> thumbnails_;
    std::map<std::int64_t, TreemapCellImage> cellImages_;
    std::vector<std::string> itemNames_;
    analysis::TreemapTiling tiling_ = analysis::TreemapTiling::Squarify;
    int levels_ = 3;
    TreemapColour colour_ = TreemapColour::MajorityClass;
    std::vector<float> nodeValues_;
    QString valueLabel_;
    float valueMin_ = 0, valueMax_ = 1;
    std::set<std::int64_t> highlighted_;
    std::int64_t zoomRoot_ = -1;
    std::vector<std::int64_t> history_;
    std::vector<analysis::TreemapCell> cells_;
    std::map<std::int64_t, std::size_t> cellIndex_;
    std::set<std::int64_t> parents_;  // cells that have drawn children
    std::int64_t hovered_ = -1;
    QPointF mouse_;
    int thumbnailsDrawn_ = 0;
    // Zoom animation: the clicked cell's rectangle grows to the whole view.
    QVariantAnimation animation_;
    QRectF animationFrom_;
    std::vector<analysis::TreemapCell> animationCells_;
    bool itemsAreUnits_ = false;
};

}  // namespace us::widgets
