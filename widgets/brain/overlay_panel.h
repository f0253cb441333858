#pragma once
// The overlay layer list (like FSLeyes'): one row per layer, top first, with a tick box to
// show or hide it, Alt+Up / Alt+Down (or the arrows) to reorder, and the selected layer's colour
// map, range, threshold and opacity below. It holds names and styles only; the views hold data.

#include <QWidget>

#include <vector>

#include "render/common/colour_map.h"

class QLabel;
class QListWidget;
class QToolButton;

namespace us::widgets {

class OverlayControls;

class OverlayPanel : public QWidget {
    Q_OBJECT
  public:
    explicit OverlayPanel(QWidget* parent = nullptr);

    // A new layer on top of the list, selected. `detail` says what it is ("volume", ...).
    void addLayer(const QString& name, const QString& detail, const render::OverlayStyle& style);
    void removeLayer(int row);  // without emitting removed()
    void clear();
    int layerCount() const;
    int currentLayer() const;  // -1 when there is none
    void setCurrentLayer(int row);
    render::OverlayStyle layerStyle(int row) const { return styles_.at(std::size_t(row)); }
    bool layerVisible(int row) const;
    void setLayerVisible(int row, bool visible);
    // Moves a layer (0: top) as the user would, emitting moved().
    void moveLayer(int from, int to);
    QListWidget* list() const { return list_; }
    OverlayControls* controls() const { return controls_; }

  Q_SIGNALS:
    void styleChanged(int layer, const us::render::OverlayStyle& style);
    void visibilityChanged(int layer, bool visible);
    void moved(int from, int to);
    void removed(int layer);

  private:
    void showCurrent();
    void updateEmptyState();

    QLabel* empty_ = nullptr;
    QListWidget* list_ = nullptr;
    QToolButton* up_ = nullptr;
    QToolButton* down_ = nullptr;
    OverlayControls* controls_ = nullptr;
    std::vector<render::OverlayStyle> styles_;  // per row
    bool updating_ = false;
};

}  // namespace us::widgets
