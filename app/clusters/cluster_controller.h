#pragma once
// The cluster side of the window: clusters a stored layer's stimuli or units as a job, shows
// the hierarchy in the treemap, colours it by the shared selection's unit, and shows the
// selected cluster's members in the inspector. A cluster picked in the treemap becomes the
// selection's cluster.

#include <QObject>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>
#include <vector>

#include "analysis/models/model_workspace.h"
#include "app/core/job_runner.h"

class QWidget;

namespace us::widgets {
class NeuronInspector;
class TreemapPanel;
}  // namespace us::widgets

namespace us::app {

class ModelController;
class Selection;

class ClusterController : public QObject {
    Q_OBJECT
  public:
    ClusterController(JobRunner& jobs, Selection& selection,
                      std::shared_ptr<analysis::ModelWorkspace> workspace,
                      const ModelController& models, widgets::TreemapPanel* treemap,
                      widgets::NeuronInspector* inspector, QWidget* dialogParent);

    // Asks for the layer, the items and the linkage, then clusters (Analysis > Cluster).
    void clusterDialog();
    // Clusters a stored layer's stimuli or units (a job); the treemap shows the result.
    void cluster(const QString& layer, analysis::ItemKind items, analysis::LinkageMethod method);
    void setInteractive(bool interactive) { interactive_ = interactive; }
    // The clustering shown and the treemap's zoom root, depth and colouring, for the session.
    std::optional<analysis::ClusteringState> state() const;
    std::vector<double> viewState() const;
    // A session's clustering, made again once the next store is open (in place of the demo's
    // own), then shown with its view.
    void restore(std::optional<analysis::ClusteringState> state,
                 std::optional<std::vector<double>> view);
    // The demo's treemap (its test images by the penultimate layer), unless a session's
    // clustering was just made for the demo's store.
    void clusterDemo();
    // Draws each discriminative image in the cell of the current units treemap whose units
    // it was made for (the newest one wins); other records are ignored.
    void showCellImages(const std::vector<analysis::VisualisationRecord>& records);

  Q_SIGNALS:
    // The treemap asked for the attribution graph of a cell's most typical stimulus.
    void attributionRequested(qint64 stimulus);
    // A cell of units: visualise them together (their mean).
    void visualiseRequested(const QString& layer, const std::vector<qint64>& units,
                            const QString& label);
    // Discriminative images of the cells shown: each cell's units, and its label.
    void clusterImagesRequested(const QString& layer, const std::vector<std::vector<qint64>>& cells,
                                const QStringList& labels, bool iterate);
    void clustersShown();
    void failed(const QString& what, const QString& error);

  private:
    void colourBySelectedUnit();
    void clusterWithView(const QString& layer, analysis::ItemKind items,
                         analysis::LinkageMethod method, std::optional<std::vector<double>> view);
    void applyView(const std::vector<double>& view);
    void showSelectedCluster();
    void reportError(const QString& what, const QString& error);

    JobRunner& jobs_;
    Selection& selection_;
    std::shared_ptr<analysis::ModelWorkspace> workspace_;
    const ModelController& models_;
    widgets::TreemapPanel* treemap_;
    widgets::NeuronInspector* inspector_;
    QWidget* dialogParent_;
    std::optional<analysis::ClusterResult> clusters_;
    std::optional<analysis::ClusteringState> pending_;
    std::vector<double> pendingView_;
    bool restoredForStore_ = false;
    JobId colourJob_ = 0;
    bool interactive_ = true;
};

}  // namespace us::app
