#pragma once
// Concept units in the window: Analysis > Concept units (or a layer's context menu in the
// Layers panel) factorises a stored layer by NMF or semi-NMF as a job, writes the components
// as a store in the cache (reused for the same store, layer and settings), attaches it to the
// open store and selects its first unit, so that the inspector, captions, clustering and
// Visualise treat the components as units. The session lists the attached store.

#include <QObject>
#include <QString>

#include <filesystem>

#include "analysis/clustering/concept_units.h"
#include "app/core/job_runner.h"

class QWidget;

namespace us::app {

class ModelController;
class Selection;

class ConceptController : public QObject {
    Q_OBJECT
  public:
    ConceptController(JobRunner& jobs, Selection& selection, ModelController& models,
                      const std::filesystem::path& cacheDir, QWidget* dialogParent);

    // request.store and request.out are filled in here (the open store's layer, the cache).
    void compute(const QString& layer, analysis::ConceptUnitsRequest request);
    // layer: the one to preselect, else the selection's.
    void computeDialog(const QString& layer = {});
    void setInteractive(bool interactive) { interactive_ = interactive; }

  Q_SIGNALS:
    // The concept layer ("relu3/nmf-8") is attached and its first unit selected.
    void computed(const QString& conceptLayer);
    void failed(const QString& what, const QString& error);

  private:
    void reportError(const QString& error);

    JobRunner& jobs_;
    Selection& selection_;
    ModelController& models_;
    std::filesystem::path cacheDir_;
    QWidget* dialogParent_;
    bool interactive_ = true;
    QString awaited_;  // the concept layer whose attachment selects its first unit
};

}  // namespace us::app
