#pragma once
// The graph side of the window: today the open model's layer structure on the graph canvas,
// with the shared selection's unit highlighted and the hovered layer in the read-out.

#include <QObject>
#include <QString>

#include <optional>
#include <vector>

#include "analysis/models/layer_info.h"

class QLabel;

namespace us::widgets {
class GraphView;
}

namespace us::app {

class Selection;

class GraphController : public QObject {
    Q_OBJECT
  public:
    GraphController(Selection& selection, widgets::GraphView* view, QLabel* readout,
                    QObject* parent);

    void showNetwork(const QString& title, const std::vector<analysis::LayerInfo>& layers);
    bool networkShown() const { return networkShown_; }
    // Pan and zoom; a session's state waits until there is a network to show.
    std::optional<std::vector<double>> viewState() const;
    void restoreViewState(const std::vector<double>& state);

  Q_SIGNALS:
    void networkDescribed();

  private:
    void followUnit();

    Selection& selection_;
    widgets::GraphView* view_;
    std::optional<std::vector<double>> pendingViewState_;
    bool networkShown_ = false;
};

}  // namespace us::app
