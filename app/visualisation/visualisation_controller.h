#pragma once
// Activation maximisation in the window: runs visualisations as jobs on the worker (the
// inspector's unit, a treemap cluster of units, a graph node or supernode, or any objective
// from Analysis > Visualise), streams their previews into the inspector, and keeps the
// results for the session. Previews cross threads through a mailbox the GUI polls, so the
// worker never touches a Qt object and the GUI is never flooded.

#include <QObject>
#include <QTimer>

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "analysis/models/model_workspace.h"
#include "analysis/session/session.h"
#include "app/core/job_runner.h"
#include "widgets/models/visualise_dialog.h"

class QWidget;

namespace us::widgets {
class NeuronInspector;
}

namespace us::app {

class ModelController;

class VisualisationController : public QObject {
    Q_OBJECT
  public:
    VisualisationController(JobRunner& jobs, std::shared_ptr<analysis::ModelWorkspace> workspace,
                            ModelController& models, widgets::NeuronInspector* inspector,
                            QWidget* dialogParent);

    void visualiseDialog();  // Analysis > Visualise, prefilled with the inspector's unit
    // With the current settings (the dialog's last, or setSettings).
    void visualiseUnit(const analysis::UnitRef& unit);
    void visualiseUnits(const QString& layer, const std::vector<qint64>& units,
                        const QString& label);
    // Any objective text with the current settings, for no single unit (a brain voxel).
    void visualiseObjective(const QString& objective, const QString& label);
    // Runs one visualisation; a bad objective is reported, nothing runs.
    void visualise(const widgets::VisualiseChoice& choice, const QString& label,
                   std::optional<analysis::UnitRef> unit);
    // Discriminative images of a units treemap's cells (the cells' units of layer, each with
    // its label), with the current settings; optionally reassigning units until stable.
    void clusterImages(const QString& layer, const std::vector<std::vector<qint64>>& cells,
                       const QStringList& labels, bool iterate);
    void cancel();
    bool running() const { return job_ != 0; }

    void setSettings(const widgets::VisualiseChoice& settings) { settings_ = settings; }
    const widgets::VisualiseChoice& settings() const { return settings_; }
    const std::vector<analysis::VisualisationRecord>& records() const { return records_; }
    void restore(std::vector<analysis::VisualisationRecord> records);
    void setInteractive(bool interactive) { interactive_ = interactive; }

  Q_SIGNALS:
    void previewShown(int step);
    void finished(int record);
    void recordsChanged();  // after a run's records are added, and after restore
    void failed(const QString& what, const QString& error);

  private:
    struct Mailbox {
        std::mutex mutex;
        std::optional<analysis::VisualisationPreview> latest;
    };
    void showRecordsOfInspectorUnit();
    // The mailbox previews go through, reset for a new run.
    std::function<void(const analysis::VisualisationPreview&)> newPreviewMailbox();
    void endRun();
    void addRecords(std::vector<analysis::VisualisationRecord> records);  // a run's results
    void pollPreview();
    void reportError(const QString& what, const QString& error);

    JobRunner& jobs_;
    std::shared_ptr<analysis::ModelWorkspace> workspace_;
    ModelController& models_;
    widgets::NeuronInspector* inspector_;
    QWidget* dialogParent_;
    widgets::VisualiseChoice settings_;
    std::vector<analysis::VisualisationRecord> records_;
    JobId job_ = 0;
    QString runningLabel_;
    std::shared_ptr<Mailbox> mailbox_;
    QTimer previewTimer_;
    bool interactive_ = true;
};

}  // namespace us::app
