#pragma once
// The graph side of the window. Shows the open model's layer structure, or an attribution
// graph: computed for a stimulus (a job on the worker), or opened from circuit-tracer /
// Neuronpedia JSON. Pruning runs off the GUI thread whenever the sliders move (the newest
// request wins); pins, supernodes and label edits go through an undo stack; clicks set the
// shared selection, and the selection's unit and graph nodes are highlighted here.

#include <QFutureWatcher>
#include <QObject>
#include <QString>
#include <QStringList>
#include <QTimer>
#include <QUndoStack>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "analysis/attribution/graph_display.h"
#include "analysis/attribution/graph_pruning.h"
#include "analysis/attribution/supernodes.h"
#include "analysis/models/layer_info.h"
#include "analysis/session/session.h"
#include "app/core/job_runner.h"
#include "app/graph/supernode_evidence.h"
#include "render/graph/attribution_plot.h"

class QLabel;
class QWidget;

namespace us::analysis {
class ModelWorkspace;
}
namespace us::widgets {
class GraphPanel;
class GraphView;
struct AttributionChoice;
}  // namespace us::widgets

namespace us::app {

class Selection;

// A pruning run's outcome, from the thread pool: the result or why there is none.
struct PruneOutcome {
    std::optional<analysis::PruneResult> result;
    QString error;
};

class GraphController : public QObject {
    Q_OBJECT
  public:
    GraphController(JobRunner& jobs, Selection& selection,
                    std::shared_ptr<analysis::ModelWorkspace> workspace, widgets::GraphPanel* panel,
                    QLabel* readout, QWidget* dialogParent, QObject* parent);

    void showNetwork(const QString& title, const std::vector<analysis::LayerInfo>& layers);
    bool networkShown() const { return networkShown_; }
    // Pan and zoom of the layer view; a session's state waits until there is a network.
    std::optional<std::vector<double>> viewState() const;
    void restoreViewState(const std::vector<double>& state);

    // Menus.
    void openGraphDialog();
    void saveGraphAsDialog();
    // stimulus: a store row; the selection's stimulus (or 0) when not given.
    void computeDialog(std::optional<qint64> stimulus = std::nullopt);
    void openGraph(const QString& path);
    void compute(const widgets::AttributionChoice& choice);
    // Adds a graph to the panel's list and shows it (its own qParams give the pins, supernodes
    // and labels); undo starts afresh.
    void setGraph(analysis::AttributionGraph graph, const QString& origin);
    // Shows the index-th graph of the list, as it was left.
    void chooseGraph(int index);
    int graphCount() const { return int(entries_.size()); }
    int currentGraph() const { return current_; }

    bool hasGraph() const { return graph_ != nullptr; }
    // The current graph with its edits in its qParams, as JSON; empty without a graph.
    std::string graphJson() const;
    // Every graph of the list, likewise.
    std::vector<std::string> graphJsons() const;
    const analysis::GraphEdits& edits() const { return edits_; }
    const SupernodeEvidenceMap& evidence() const { return evidence_; }
    const analysis::GraphDisplay& display() const;
    // Graph ready to look at: parsed, pruned, drawn from the latest settings.
    bool graphSettled() const { return graph_ && !pruneRunning_ && !prunePending_; }
    QUndoStack* undoStack() { return &undo_; }

    // Session: pan, zoom of the graph view; node and edge thresholds, pinned-only, graph mode.
    std::vector<double> plotState() const;
    std::vector<double> optionsState() const;
    // Reopens a session's graphs (parsed as a job), the current one with its view; settings.
    void restoreGraphs(const std::vector<std::string>& jsons, int current,
                       std::optional<std::vector<double>> plot,
                       std::optional<std::vector<double>> options);

    // Edits (undoable), also reachable from the panel's buttons and keys.
    void groupSelected();
    void ungroupSelected();
    void renameSelected();
    void autoGroup();
    // The selected node's units (a supernode's members), of one layer, to visualise.
    void visualiseSelected();
    void togglePin(const std::vector<std::string>& ids);
    void applyEdits(const analysis::GraphEdits& edits);  // used by the undo commands
    void setInteractive(bool interactive) { interactive_ = interactive; }
    // Where hover cards find a unit's caption (one plain line; empty when it has none).
    void setCaptionSource(std::function<QString(const analysis::UnitRef&)> source) {
        captionOf_ = std::move(source);
    }

  Q_SIGNALS:
    void networkDescribed();
    void graphShown();
    void failed(const QString& what, const QString& error);
    void visualiseRequested(const QString& layer, const std::vector<qint64>& units,
                            const QString& label);

  private:
    void followUnit();
    void requestPrune();
    void pruneFinished();
    void rebuild(bool refit);
    void edit(const QString& text, analysis::GraphEdits after);
    void nodeClicked(qint64 node, bool toggle, bool extend);
    void nodeHovered(qint64 node);
    void search(const QString& text);
    const analysis::DisplayNode* displayNode(const std::string& id) const;  // null if not shown
    std::vector<std::string> memberIds(const std::vector<std::string>& displayIds) const;
    void reportError(const QString& what, const QString& error);
    void applyAutomaticSupernodes(const analysis::SupernodeResult& result,
                                  const std::vector<analysis::Supernode>& chosen);

    JobRunner& jobs_;
    Selection& selection_;
    std::shared_ptr<analysis::ModelWorkspace> workspace_;
    widgets::GraphPanel* panel_;
    widgets::GraphView* view_;
    QLabel* readout_;
    QWidget* dialogParent_;
    std::optional<std::vector<double>> pendingViewState_;
    bool networkShown_ = false;
    QStringList layerNames_;
    bool interactive_ = true;

    // The graphs of the panel; the current one's live state is in the members below.
    struct GraphEntry {
        std::shared_ptr<const analysis::AttributionGraph> graph;
        analysis::GraphEdits edits;
        QString origin;
        SupernodeEvidenceMap evidence;
        std::optional<std::vector<double>> plot;
    };
    void storeCurrent();
    void showEntry(int index, bool refit);
    void clearGraphs();
    std::vector<GraphEntry> entries_;
    int current_ = -1;

    std::shared_ptr<const analysis::AttributionGraph> graph_;
    QString origin_;
    analysis::GraphEdits edits_;
    std::optional<analysis::PruneResult> pruned_;
    QString pruneError_;
    QFutureWatcher<PruneOutcome> pruneWatcher_;
    bool pruneRunning_ = false, prunePending_ = false, refitPending_ = false;
    std::optional<std::vector<double>> pendingPlot_;
    SupernodeEvidenceMap evidence_;  // of automatic supernodes
    std::function<QString(const analysis::UnitRef&)> captionOf_;
    // A copy of the graph carrying the edits and the supernodes' evidence, to save.
    static analysis::AttributionGraph graphWithEdits(const analysis::AttributionGraph& graph,
                                                     const analysis::GraphEdits& edits,
                                                     const SupernodeEvidenceMap& evidence);
    analysis::Image input_;  // the shown graph's input thumbnail
    // Hover cards' exemplars: fetched for a unit the mouse rests on, kept per unit.
    struct CardExemplars {
        std::vector<analysis::Image> images;
        std::vector<double> values;
    };
    std::map<std::pair<std::string, std::int64_t>, CardExemplars> exemplars_;
    QTimer* exemplarTimer_;
    std::string restingNode_;
    bool exemplarJobRunning_ = false;
    void fetchExemplars();
    void showCardExemplars(const std::string& nodeId);
    QUndoStack undo_;
};

}  // namespace us::app
