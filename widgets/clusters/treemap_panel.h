#pragma once
// The Treemap panel: the treemap canvas with its controls (Back, breadcrumbs, layout, depth,
// colouring, search) and an empty state until a clustering exists.

#include <QWidget>

#include "analysis/models/model_workspace.h"
#include "widgets/clusters/treemap_view.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QSlider;
class QStackedWidget;
class QToolButton;

namespace us::widgets {

class EmptyStatePanel;

class TreemapPanel : public QWidget {
    Q_OBJECT
  public:
    explicit TreemapPanel(QWidget* parent = nullptr);

    EmptyStatePanel* emptyState() const { return empty_; }
    TreemapView* view() const { return view_; }
    void setClusters(const analysis::ClusterResult& clusters);
    // Colours cells by this unit's mean activation (per-stimulus values) when clustering stimuli.
    void setUnitValues(const QString& unit, const std::vector<float>& values);
    // Colours cells by any per-stimulus quantity (a voxel's predicted response) and switches
    // the colouring to it.
    void showStimulusValues(const QString& quantity, const std::vector<float>& values);
    QString breadcrumbText() const;
    QLineEdit* searchBox() const { return search_; }
    QComboBox* colourBox() const { return colour_; }
    QSlider* depthSlider() const { return depth_; }
    QComboBox* layoutBox() const { return layout_; }

  Q_SIGNALS:
    void clusterSelected(qint64 node);
    void attributionRequested(qint64 node);
    void visualiseRequested(qint64 node);
    void clusterImagesRequested(const std::vector<qint64>& cells, bool iterate);
    void hovered(const QString& text);

  private:
    void updateBreadcrumbs();

    QStackedWidget* stack_ = nullptr;
    EmptyStatePanel* empty_ = nullptr;
    TreemapView* view_ = nullptr;
    QToolButton* back_ = nullptr;
    QLabel* breadcrumbs_ = nullptr;
    QLabel* title_ = nullptr;
    QComboBox* layout_ = nullptr;
    QSlider* depth_ = nullptr;
    QComboBox* colour_ = nullptr;
    QLineEdit* search_ = nullptr;
    bool byStimuli_ = true;
};

}  // namespace us::widgets
