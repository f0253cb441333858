#include "app/models/concept_controller.h"

#include <QMessageBox>

#include "app/core/cache_files.h"
#include "app/core/message_box.h"
#include "app/core/selection.h"
#include "app/models/model_controller.h"
#include "widgets/models/concept_dialog.h"

namespace fs = std::filesystem;

namespace us::app {

ConceptController::ConceptController(JobRunner& jobs, Selection& selection, ModelController& models,
                                     const fs::path& cacheDir, QWidget* dialogParent)
    : QObject(dialogParent),
      jobs_(jobs),
      selection_(selection),
      models_(models),
      cacheDir_(cacheDir),
      dialogParent_(dialogParent) {
    connect(&models_, &ModelController::storeAttached, this, [this](const QStringList& layers) {
        if (awaited_.isEmpty() || !layers.contains(awaited_)) return;
        const QString layer = std::exchange(awaited_, QString());
        selection_.setUnit(analysis::UnitRef{layer.toStdString(), 0});
        Q_EMIT computed(layer);
    });
}

void ConceptController::reportError(const QString& error) {
    const QString what = tr("Concept units");
    Q_EMIT failed(what, error);
    if (interactive_) showMessageLater(dialogParent_, QMessageBox::Critical, what, error);
}

void ConceptController::compute(const QString& layer, analysis::ConceptUnitsRequest request) {
    const auto& store = models_.store();
    if (!store) return reportError(tr("Open or extract activations first."));
    const auto* found = models_.storeLayer(layer);
    if (!found)
        return reportError(
            tr("%1 is not in the open activations: extract it first (tick it in the Layers "
               "panel, then Extract activations).")
                .arg(layer));
    if (analysis::conceptMethodOfType(found->type))
        return reportError(tr("%1 holds concept units already.").arg(layer));
    request.store = models_.storePathFor(layer) + ":" + layer.toStdString();
    const std::string conceptLayer =
        analysis::conceptLayerName(layer.toStdString(), request.method, request.k);
    // One file per store, layer and settings: computing the same again reuses it.
    const std::string settings = std::to_string(request.iterations) + "-s" +
                                 std::to_string(request.seed) +
                                 (request.pooling == analysis::Pooling::Max ? "-max" : "");
    request.out = layerCacheFile(cacheDir_, "concept-units", store->sha256, conceptLayer,
                                 "-" + settings + ".h5");
    jobs_.submitTyped<QString>(
        tr("Concept units of %1 (%2)").arg(layer, QString::fromStdString(conceptLayer)),
        [request](const analysis::JobContext& context) {
            std::error_code ec;
            if (!fs::exists(request.out, ec)) {
                fs::create_directories(request.out.parent_path());
                analysis::writeConceptUnits(request, context);
            }
            return QString::fromStdString(request.out.string());
        },
        [this, conceptLayer](QString path) {
            awaited_ = QString::fromStdString(conceptLayer);
            models_.attachStore(path);
        },
        [this](const QString& error) { reportError(error); });
}

void ConceptController::computeDialog(const QString& layer) {
    const auto& store = models_.store();
    if (!store) return reportError(tr("Open or extract activations first."));
    QString preselected = layer;
    if (preselected.isEmpty())
        if (const auto unit = selection_.unit()) preselected = QString::fromStdString(unit->layer);
    widgets::ConceptDialog dialog(*store, preselected, dialogParent_);
    if (dialog.exec() != QDialog::Accepted) return;
    compute(dialog.layer(), dialog.request());
}

}  // namespace us::app
