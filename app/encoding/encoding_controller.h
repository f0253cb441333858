#pragma once
// Encoding models in the window: fits or opens one (File > Open encoding model, Analysis > Fit
// encoding model, the demo's SIMULATED experiment), shows its held-out R2 on the brain, and
// links units and voxels both ways through the shared selection: a brain position on a fitted
// voxel shows that voxel in the inspector (caption, preferred images, scores, most weighted
// units) and colours the treemap by its predicted response; a unit of the model's layer shows
// its encoder weight in every voxel as a brain overlay. Fitting, opening and the per-voxel
// questions run as jobs; the opened model is immutable and shared with them.

#include <QObject>
#include <QString>

#include <filesystem>
#include <memory>
#include <optional>

#include "analysis/encoding/encoding_explorer.h"
#include "analysis/encoding/encoding_fit.h"
#include "analysis/session/session.h"
#include "app/core/job_runner.h"

class QWidget;

namespace us::analysis {
class ModelWorkspace;
}

namespace us::widgets {
class NeuronInspector;
class TreemapPanel;
}  // namespace us::widgets

namespace us::app {

class BrainController;
class ModelController;
class Selection;
class VisualisationController;

class EncodingController : public QObject {
    Q_OBJECT
  public:
    EncodingController(JobRunner& jobs, Selection& selection,
                       std::shared_ptr<analysis::ModelWorkspace> workspace, ModelController& models,
                       BrainController& brain, VisualisationController& visualisations,
                       widgets::NeuronInspector* inspector, widgets::TreemapPanel* treemap,
                       const std::filesystem::path& cacheDir, QWidget* dialogParent);

    // The demo's SIMULATED experiment on the open store (made once per store, then reused):
    // simulated betas, an encoding model fitted to them, opened.
    void openDemoExperiment();
    // Opens a fitted model (encoding.h5) with the store it was fitted on.
    void openEncoding(const QString& path, const std::string& expectedSha256 = {});
    // Fits as a job (the request's out and map are written atomically), then opens the model.
    void fit(const analysis::EncodingRequest& request);

    void openEncodingDialog();
    void fitDialog();
    // Images that maximise the predicted response of the shown voxel, or of the atlas region
    // under the cursor (its R2-weighted mean weights, as its caption uses).
    void visualiseVoxel();
    void visualiseRegionAtCursor();

    bool hasModel() const { return explorer_ != nullptr; }
    std::shared_ptr<const analysis::EncodingExplorer> explorer() const { return explorer_; }
    std::vector<analysis::DataSource> sources() const;
    void restore(const std::vector<analysis::DataSource>& sources);
    void setInteractive(bool interactive) { interactive_ = interactive; }

  Q_SIGNALS:
    void modelOpened();
    // The open model's regions were captioned anew with an atlas that arrived after it.
    void regionsCaptioned();
    // The inspector shows a voxel; a unit's weight map is on the brain.
    void voxelShown(qint64 column);
    void unitMapShown(const QString& layer, qint64 unit);
    void failed(const QString& what, const QString& error);
    void status(const QString& text);

  private:
    void show(std::shared_ptr<const analysis::EncodingExplorer> explorer, const QString& sha256);
    void followSelection(int aspects);
    // The open (volume) model's regions captioned with the brain's current atlas, as a job.
    void captionRegionsWithAtlas();
    void showVoxelAtCursor();
    void showUnitMap();
    QString mapDirectory() const;
    void reportError(const QString& what, const QString& error);

    JobRunner& jobs_;
    Selection& selection_;
    std::shared_ptr<analysis::ModelWorkspace> workspace_;
    ModelController& models_;
    BrainController& brain_;
    VisualisationController& visualisations_;
    widgets::NeuronInspector* inspector_;
    widgets::TreemapPanel* treemap_;
    std::filesystem::path cacheDir_;
    QWidget* dialogParent_;
    std::shared_ptr<const analysis::EncodingExplorer> explorer_;
    QString sha256_;
    QString openingPath_;  // a model being opened
    std::optional<std::int64_t> shownColumn_;
    JobId voxelJob_ = 0, mapJob_ = 0;
    bool demoRequested_ = false;
    bool atlasChanged_ = false;  // while a model was being opened
    bool interactive_ = true;
};

}  // namespace us::app
