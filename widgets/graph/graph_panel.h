#pragma once
// The attribution-graph panel: a tool row (Graph / Layers, the pruning sliders, the pinned
// subgraph, grouping, search) above the canvas. It only reports what the user asks for; the
// graph controller decides what that means for the graph.

#include <QWidget>

class QAbstractButton;
class QComboBox;
class QLabel;
class QLineEdit;
class QSlider;
class QToolButton;

namespace us::widgets {

class GraphView;

class GraphPanel : public QWidget {
    Q_OBJECT
  public:
    explicit GraphPanel(QWidget* parent = nullptr);

    GraphView* view() const { return view_; }
    bool graphMode() const;
    void setGraphMode(bool graph);
    // Fractions in [0, 1], as circuit-tracer's node and edge thresholds.
    double nodeThreshold() const;
    double edgeThreshold() const;
    void setThresholds(double node, double edge);
    bool pinnedOnly() const;
    void setPinnedOnly(bool on);
    // The graphs opened or computed (names), the shown one current; -1 for none.
    void setGraphList(const QStringList& names, int current);
    // Whether there is a graph to act on; the graph tools are disabled without one.
    void setGraphAvailable(bool available);

  Q_SIGNALS:
    void modeChanged(bool graph);
    void graphChosen(int index);
    void thresholdsChanged(double node, double edge);
    void pinnedOnlyChanged(bool on);
    void groupRequested();
    void ungroupRequested();
    void renameRequested();
    void autoGroupRequested();
    void visualiseRequested();
    void searchRequested(const QString& text);
    void clearRequested();

  private:
    void updateSliderLabels();

    GraphView* view_;
    QToolButton* graphButton_;
    QToolButton* layersButton_;
    QSlider* nodeSlider_;
    QSlider* edgeSlider_;
    QLabel* nodeLabel_;
    QLabel* edgeLabel_;
    QToolButton* pinnedOnly_;
    QComboBox* graphs_;
    QList<QWidget*> graphTools_;
    bool graphAvailable_ = false;
};

}  // namespace us::widgets
