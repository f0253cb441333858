#include "app/captions/caption_controller.h"

#include <QFileDialog>
#include <QInputDialog>
#include <QMessageBox>

#include "analysis/captions/unit_caption_run.h"
#include "analysis/core/atomic_file.h"
#include "app/core/cache_files.h"
#include "app/core/json_file.h"
#include "app/core/message_box.h"
#include "app/core/selection.h"
#include "app/models/control_concept_units.h"
#include "app/models/model_controller.h"
#include "widgets/models/neuron_inspector.h"

namespace fs = std::filesystem;

namespace us::app {
namespace {

constexpr const char* kCaptionsSource = "unit-captions";

struct Loaded {
    QString layer, path;
    std::vector<CaptionController::Shown> units;
};

// A p or q value as rich text; below double precision's reach it is given as a bound.
QString number(const nlohmann::json& value) {
    if (!value.is_number()) return QObject::tr("none");
    const double p = value.get<double>();
    return p < 1e-16 ? QObject::tr("&lt; 1e-16") : QString::number(p, 'g', 2);
}

// The captions JSON as the inspector shows each unit.
Loaded parseCaptions(const nlohmann::json& report, const QString& path) {
    Loaded loaded;
    loaded.layer = QString::fromStdString(report.at("layer").get<std::string>());
    loaded.path = path;
    const bool controlled = !report.at("control").is_null();
    for (const auto& unit : report.at("units")) {
        const auto& best = unit.at("concepts").at(0);
        QString html =
            QObject::tr(
                "caption: <b>%1</b> &nbsp; AUC %2, %3% of the top exemplars "
                "&nbsp; permutation q %4 (p %5)")
                .arg(QString::fromStdString(unit.at("caption").get<std::string>()).toHtmlEscaped())
                .arg(best.at("auc").is_number() ? best.at("auc").get<double>() : 0.5, 0, 'f', 3)
                .arg(100.0 * unit.at("top_share").get<double>(), 0, 'f', 0)
                .arg(number(best.at("q_permutation")), number(best.at("p_permutation")));
        html += controlled ? QObject::tr(", random-weight control q %1 (p %2)")
                                 .arg(number(best.at("q_control")), number(best.at("p_control")))
                           : QObject::tr(", no random-weight control");
        const bool chance = unit.at("chance").get<bool>();
        const QString plain =
            QObject::tr("caption: %1%2")
                .arg(QString::fromStdString(unit.at("caption").get<std::string>()),
                     chance ? QObject::tr(" (could be chance)") : QString());
        loaded.units.push_back({html, chance, plain});
    }
    return loaded;
}

}  // namespace

CaptionController::CaptionController(JobRunner& jobs, Selection& selection, ModelController& models,
                                     widgets::NeuronInspector* inspector, const fs::path& cacheDir,
                                     QWidget* dialogParent)
    : QObject(dialogParent),
      jobs_(jobs),
      selection_(selection),
      models_(models),
      inspector_(inspector),
      cacheDir_(cacheDir),
      dialogParent_(dialogParent) {
    connect(&selection_, &Selection::changed, this, [this](Selection::Aspects aspects) {
        if (aspects & Selection::Unit) showSelectedUnit();
    });
    // Captions belong to a store: a new one starts without them.
    connect(&models_, &ModelController::storeOpened, this, [this] { layers_.clear(); });
}

void CaptionController::reportError(const QString& what, const QString& error) {
    Q_EMIT failed(what, error);
    if (interactive_) showMessageLater(dialogParent_, QMessageBox::Critical, what, error);
}

void CaptionController::captionLayer(const QString& layer, const QString& control) {
    const auto& store = models_.store();
    if (!store) return reportError(tr("Caption units"), tr("Open or extract activations first."));
    const auto* found = models_.storeLayer(layer);
    if (!found)
        return reportError(tr("Caption units"),
                           tr("%1 is not in the open activations.").arg(layer));
    const std::string layerName = layer.toStdString();
    analysis::UnitCaptionRequest request;
    request.store = models_.storePathFor(layer) + ":" + layerName;
    // Concept units are captioned against the control network's concept units of the same
    // layer, method and number.
    std::optional<ControlConcepts> controlConcepts;
    if (!control.isEmpty()) {
        request.control = control.toStdString() + ":" + layerName;
        controlConcepts = controlConceptsFor(*found);
    }
    const fs::path out = layerCacheFile(cacheDir_, "unit-captions", store->sha256, layerName,
                                        control.isEmpty() ? ".json" : "-controlled.json");
    jobs_.submitTyped<Loaded>(
        tr("Caption units of %1").arg(layer),
        [request, controlConcepts, cacheDir = cacheDir_, out,
         control = control.toStdString()](const analysis::JobContext& context) mutable {
            if (controlConcepts)
                request.control = controlConceptSource(*controlConcepts, cacheDir, control,
                                                       context.stage(0, 0.5));
            const auto report = analysis::runUnitCaptions(request);
            fs::create_directories(out.parent_path());
            analysis::writeTextAtomically(out, report.dump(1) + "\n");
            return parseCaptions(report, QString::fromStdString(out.string()));
        },
        [this](Loaded loaded) { keep(loaded.layer, loaded.path, std::move(loaded.units)); },
        [this](const QString& error) { reportError(tr("Caption units"), error); });
}

void CaptionController::captionDialog() {
    const auto& store = models_.store();
    if (!store) return reportError(tr("Caption units"), tr("Open or extract activations first."));
    QStringList names;
    for (const auto& layer : store->layers)
        names << QString::fromStdString(layer.name);
    int current = int(names.size()) - 1;
    if (const auto unit = selection_.unit())
        current = std::max(0, int(names.indexOf(QString::fromStdString(unit->layer))));
    bool ok = false;
    const QString layer = QInputDialog::getItem(dialogParent_, tr("Caption units"), tr("Layer:"),
                                                names, current, false, &ok);
    if (!ok) return;
    QString control;
    if (QMessageBox::question(dialogParent_, tr("Caption units"),
                              tr("Compare with a random-weight control? Choose its activation "
                                 "store, extracted on the same stimuli.")) == QMessageBox::Yes) {
        control = QFileDialog::getOpenFileName(dialogParent_, tr("Random-weight control"),
                                               QString(), tr("Activation stores (*.h5)"));
        if (control.isEmpty()) return;
    }
    captionLayer(layer, control);
}

const CaptionController::Shown* CaptionController::captionOf(const analysis::UnitRef& unit) const {
    const auto found = layers_.find(QString::fromStdString(unit.layer));
    if (found == layers_.end() || unit.index < 0 ||
        unit.index >= std::int64_t(found->second.units.size()))
        return nullptr;
    return &found->second.units[std::size_t(unit.index)];
}

void CaptionController::keep(const QString& layer, const QString& path, std::vector<Shown> units) {
    layers_[layer] = {path, std::move(units)};
    showSelectedUnit();
    Q_EMIT captioned(layer);
}

bool CaptionController::hasCaptions(const QString& layer) const {
    return layers_.count(layer) > 0;
}

void CaptionController::showSelectedUnit() {
    const auto unit = selection_.unit();
    if (!unit) return;
    const auto found = layers_.find(QString::fromStdString(unit->layer));
    if (found == layers_.end()) return;
    const auto& units = found->second.units;
    if (unit->index < 0 || unit->index >= std::int64_t(units.size())) return;
    const auto& shown = units[std::size_t(unit->index)];
    inspector_->setCaption(*unit, shown.html, shown.chance);
}

std::vector<analysis::DataSource> CaptionController::sources() const {
    std::vector<analysis::DataSource> out;
    for (const auto& [layer, captions] : layers_)
        out.push_back({kCaptionsSource, captions.path.toStdString(), {}});
    return out;
}

void CaptionController::open(const QString& path) {
    jobs_.submitTyped<Loaded>(
        tr("Open unit captions %1").arg(path),
        [path](const analysis::JobContext&) {
            return parseJsonFile(
                path.toStdString(), "unit captions",
                [&](const nlohmann::json& report) { return parseCaptions(report, path); });
        },
        [this](Loaded loaded) { keep(loaded.layer, loaded.path, std::move(loaded.units)); },
        [this](const QString& error) { reportError(tr("Open unit captions"), error); });
}

void CaptionController::restore(const std::vector<analysis::DataSource>& sources) {
    for (const auto& source : sources)
        if (source.kind == kCaptionsSource) open(QString::fromStdString(source.path));
}

}  // namespace us::app
