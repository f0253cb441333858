#pragma once
// The overlay layer list (like FSLeyes'): one row per layer of the observed BrainLayers list,
// top first, with a tick box to show or hide it, Alt+Up / Alt+Down (or the arrows) to reorder,
// Delete to remove, and the selected layer's colour map, range, threshold and opacity below.
// Every edit goes to the list; the rows follow the list's notifications.

#include <QWidget>

#include "render/brain/brain_layers.h"

class QLabel;
class QListWidget;
class QToolButton;

namespace us::widgets {

class OverlayControls;

class OverlayPanel : public QWidget {
    Q_OBJECT
  public:
    explicit OverlayPanel(QWidget* parent = nullptr);

    // The list to show and edit; it must outlive the panel or be replaced first.
    void observeLayers(render::BrainLayers* layers);
    int layerCount() const;
    int currentLayer() const;  // -1 when there is none
    void setCurrentLayer(int row);
    render::OverlayStyle layerStyle(int row) const;
    bool layerVisible(int row) const;
    void setLayerVisible(int row, bool visible);
    // Moves a layer (0: top) as the user would.
    void moveLayer(int from, int to);
    QListWidget* list() const { return list_; }
    OverlayControls* controls() const { return controls_; }

  private:
    void rebuildRows();
    void showCurrent();
    void removeCurrent();
    void updateEmptyState();

    QLabel* empty_ = nullptr;
    QListWidget* list_ = nullptr;
    QToolButton* up_ = nullptr;
    QToolButton* down_ = nullptr;
    OverlayControls* controls_ = nullptr;
    render::BrainLayers* layers_ = nullptr;
    render::BrainLayers::Subscription subscription_;
    bool updating_ = false;  // rows being rebuilt from the list, or controls writing to it
};

}  // namespace us::widgets
