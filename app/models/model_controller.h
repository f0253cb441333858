#pragma once
// The model side of the window: opens models, stimuli and activation stores, runs
// extraction and unit inspection as jobs on the worker, and keeps the layer tree and the
// neuron inspector in step. The inspector shows the shared selection's unit and sets it.
// The analysis workspace it drives is touched only inside jobs.

#include <QObject>
#include <QStringList>

#include <memory>
#include <optional>
#include <set>
#include <vector>

#include "analysis/models/layer_info.h"
#include "analysis/models/model_workspace.h"
#include "analysis/session/session.h"
#include "app/core/job_runner.h"

class QWidget;

namespace us::widgets {
class LayerTree;
class NeuronInspector;
}  // namespace us::widgets

namespace us::app {

class Selection;

class ModelController : public QObject {
    Q_OBJECT
  public:
    ModelController(JobRunner& jobs, Selection& selection,
                    std::shared_ptr<analysis::ModelWorkspace> workspace, widgets::LayerTree* layers,
                    widgets::NeuronInspector* inspector, QWidget* dialogParent);

    // Dialog-driven actions (menus).
    void openModelDialog();
    void openStimuliDialog();
    void openStimuliFolderDialog();
    void openStoreDialog();
    void extractDialog();

    void openModel(const QString& path, std::optional<std::vector<std::int64_t>> inputShape,
                   std::optional<analysis::ResizeMode> resize = std::nullopt);
    void openStimuli(const QString& path);
    // expectedSha256 (from a session): warn when the file has changed since. Once open, the
    // inspector shows the selection's unit, or a first unit of the store's middle layer.
    void openStore(const QString& path, const std::string& expectedSha256 = {});
    void extract(const QStringList& layers, const QString& out);
    // Adds a store of concept units (over the open store's stimuli) to the open store; the
    // inspector then offers its layers. expectedSha256 as for openStore.
    void attachStore(const QString& path, const std::string& expectedSha256 = {});
    // The session's attached stores: attached once the main store (or the demo) is open.
    void restoreAttached(const std::vector<analysis::DataSource>& sources);
    // Trains or reuses the demo CNN, opens the Fashion-MNIST test set and its activations.
    void prepareDemo(const std::filesystem::path& cacheDir);
    // Reopens what a session lists (model, stimuli, activations).
    void restore(const std::vector<analysis::DataSource>& sources,
                 std::optional<std::vector<std::int64_t>> inputShape,
                 std::optional<analysis::ResizeMode> resize);

    std::vector<analysis::DataSource> sources() const;
    std::optional<std::vector<std::int64_t>> inputShape() const;
    std::optional<analysis::ResizeMode> inputResize() const;
    const std::optional<analysis::StoreSummary>& store() const { return store_; }
    bool hasModelAndStimuli() const { return model_ && stimuli_; }
    // The file that holds a layer of the open store: an attached store's, else the main one.
    std::string storePathFor(const QString& layer) const;
    // A layer of the open store (attached ones included), or nullptr.
    const analysis::StoreLayer* storeLayer(const QString& layer) const;
    // Errors are shown in dialogs unless turned off (screenshot mode, tests).
    void setInteractive(bool interactive) { interactive_ = interactive; }

  Q_SIGNALS:
    void networkDescribed(const QString& title, const std::vector<us::analysis::LayerInfo>& layers);
    void storeOpened();
    // A store was attached: its layers are in store() now.
    void storeAttached(const QStringList& layers);
    // The demo's network and activations are ready (the demo clusters them next).
    void demoReady();
    void unitShown(const QString& layer, qint64 index);
    void failed(const QString& what, const QString& error);
    void warned(const QString& what, const QString& text);

  private:
    void showModel(const analysis::ModelSummary& model, const QString& title);
    void showStore(const analysis::StoreSummary& store);
    void showSelectedUnit();
    void attachPending();
    void warnIfChanged(const QString& path, const std::string& expected, const std::string& actual);
    void inspect(const analysis::UnitRef& unit, int k, analysis::Pooling pooling);
    void reportError(const QString& what, const QString& error);
    void reportWarning(const QString& what, const QString& text);

    JobRunner& jobs_;
    Selection& selection_;
    widgets::LayerTree* layers_;
    widgets::NeuronInspector* inspector_;
    QWidget* dialogParent_;
    std::shared_ptr<analysis::ModelWorkspace> workspace_;
    std::optional<analysis::ModelSummary> model_;
    std::optional<analysis::StimuliSummary> stimuli_;
    std::optional<analysis::StoreSummary> store_;
    JobId inspectJob_ = 0;
    // Jobs that open a main store (or the demo) still queued or running, and the session's
    // attached stores waiting for them. A job leaves the set however it ends (a cancelled one
    // runs no callback), so that later attached stores do not wait for it forever.
    std::set<JobId> storeJobs_;
    std::vector<analysis::DataSource> pendingAttached_;
    bool interactive_ = true;
};

}  // namespace us::app
