#include "app/visualisation/visualisation_controller.h"

#include <QMessageBox>

#include <algorithm>

#include "app/core/message_box.h"
#include "app/models/model_controller.h"
#include "widgets/models/neuron_inspector.h"
#include "widgets/models/visualisation_strip.h"

namespace us::app {

namespace {

constexpr int kPreviewPollMs = 100;

QString unitText(const analysis::UnitRef& unit) {
    return QString("%1:%2").arg(QString::fromStdString(unit.layer)).arg(unit.index);
}

// Whether a discriminative image's cluster ("units:LAYER:C1,C2,...") holds the unit.
bool recordIncludes(const analysis::VisualisationRecord& record, const analysis::UnitRef& unit) {
    const auto units = analysis::clusterUnitsOf(record);
    return units && units->first == unit.layer &&
           std::find(units->second.begin(), units->second.end(), unit.index) != units->second.end();
}

// The recipe's knobs as the dialog chose them.
void applyRecipe(const widgets::VisualiseChoice& choice, analysis::OptimisationSettings& settings) {
    settings.steps = choice.steps;
    settings.size = choice.size;
    settings.learningRate = choice.learningRate;
    settings.seed = choice.seed;
    settings.transforms = choice.transforms;
}

}  // namespace

VisualisationController::VisualisationController(
    JobRunner& jobs, std::shared_ptr<analysis::ModelWorkspace> workspace, ModelController& models,
    widgets::NeuronInspector* inspector, QWidget* dialogParent)
    : QObject(dialogParent),
      jobs_(jobs),
      workspace_(std::move(workspace)),
      models_(models),
      inspector_(inspector),
      dialogParent_(dialogParent) {
    auto* strip = inspector_->visualisations();
    strip->setAvailable(false, tr("Open a model first: visualisations are made with it"));
    connect(strip, &widgets::VisualisationStrip::visualiseRequested, this, [this] {
        if (const auto unit = inspector_->currentUnit()) visualiseUnit(*unit);
    });
    connect(strip, &widgets::VisualisationStrip::cancelRequested, this,
            &VisualisationController::cancel);
    connect(&models_, &ModelController::networkDescribed, this,
            [strip] { strip->setAvailable(true, {}); });
    connect(&models_, &ModelController::unitShown, this,
            &VisualisationController::showRecordsOfInspectorUnit);
    previewTimer_.setInterval(kPreviewPollMs);
    connect(&previewTimer_, &QTimer::timeout, this, &VisualisationController::pollPreview);
}

void VisualisationController::reportError(const QString& what, const QString& error) {
    Q_EMIT failed(what, error);
    if (interactive_) showMessageLater(dialogParent_, QMessageBox::Critical, what, error);
}

void VisualisationController::visualiseDialog() {
    auto initial = settings_;
    if (const auto unit = inspector_->currentUnit())
        initial.objective = "channel:" + unitText(*unit);
    widgets::VisualiseDialog dialog(initial, dialogParent_);
    if (dialog.exec() != QDialog::Accepted) return;
    const auto choice = dialog.choice();
    settings_ = choice;
    // One channel of the inspector's unit belongs with that unit.
    std::optional<analysis::UnitRef> unit;
    try {
        const auto objective =
            analysis::VisualisationObjective::parse(choice.objective.toStdString());
        if (const auto* term = objective.single();
            term && term->kind == analysis::ObjectiveTerm::Kind::Channel)
            unit = analysis::UnitRef{term->layer, term->units.at(0)};
    } catch (const std::invalid_argument&) {
        // visualise() reports it
    }
    visualise(choice, unit ? unitText(*unit) : choice.objective, unit);
}

void VisualisationController::visualiseUnit(const analysis::UnitRef& unit) {
    auto choice = settings_;
    choice.objective = "channel:" + unitText(unit);
    visualise(choice, unitText(unit), unit);
}

void VisualisationController::visualiseUnits(const QString& layer, const std::vector<qint64>& units,
                                             const QString& label) {
    if (units.empty()) return;
    if (units.size() == 1) {
        visualiseUnit({layer.toStdString(), units.front()});
        return;
    }
    QStringList list;
    for (auto u : units)
        list << QString::number(u);
    visualiseObjective(QString("units:%1:%2").arg(layer, list.join(',')), label);
}

void VisualisationController::visualiseObjective(const QString& objective, const QString& label) {
    auto choice = settings_;
    choice.objective = objective;
    choice.anchored = false;  // exemplar starts need one unit's exemplars
    visualise(choice, label, std::nullopt);
}

void VisualisationController::visualise(const widgets::VisualiseChoice& choice,
                                        const QString& label,
                                        std::optional<analysis::UnitRef> unit) {
    analysis::VisualisationSetup setup;
    try {
        setup.request.objective =
            analysis::VisualisationObjective::parse(choice.objective.toStdString());
    } catch (const std::invalid_argument& error) {
        reportError(tr("Visualise"), QString::fromStdString(error.what()));
        return;
    }
    if (running()) cancel();  // one run at a time: the newest request wins
    setup.request.images = choice.images;
    setup.request.diversity = choice.images > 1 && !choice.anchored ? choice.diversity : 0;
    applyRecipe(choice, setup.request);
    setup.anchored = choice.anchored;
    setup.label = label.toStdString();
    setup.unit = unit;
    setup.request.preview = newPreviewMailbox();
    runningLabel_ = label;
    auto workspace = workspace_;
    job_ = jobs_.submitTyped<analysis::VisualisationRecord>(
        tr("Visualise %1").arg(label),
        [workspace, setup](const analysis::JobContext& context) {
            return workspace->visualise(setup, context);
        },
        [this](analysis::VisualisationRecord record) { addRecords({std::move(record)}); },
        [this](const QString& error) {
            endRun();
            reportError(tr("Visualise"), error);
        });
    previewTimer_.start();
}

void VisualisationController::clusterImages(const QString& layer,
                                            const std::vector<std::vector<qint64>>& cells,
                                            const QStringList& labels, bool iterate) {
    if (running()) cancel();
    analysis::ClusterImagesSetup setup;
    setup.layer = layer.toStdString();
    for (const auto& cell : cells)
        setup.cells.emplace_back(cell.begin(), cell.end());
    for (const auto& label : labels)
        setup.labels.push_back(label.toStdString());
    setup.iterate = iterate;
    applyRecipe(settings_, setup.settings);
    setup.settings.preview = newPreviewMailbox();
    runningLabel_ =
        tr("discriminative images of %n cluster(s) of %1", "", int(cells.size())).arg(layer);
    auto workspace = workspace_;
    job_ = jobs_.submitTyped<std::vector<analysis::VisualisationRecord>>(
        tr("Discriminative images of %n cluster(s)", "", int(cells.size())),
        [workspace, setup](const analysis::JobContext& context) {
            return workspace->clusterImages(setup, context);
        },
        [this](std::vector<analysis::VisualisationRecord> records) {
            addRecords(std::move(records));
        },
        [this](const QString& error) {
            endRun();
            reportError(tr("Discriminative images"), error);
        });
    previewTimer_.start();
}

std::function<void(const analysis::VisualisationPreview&)>
VisualisationController::newPreviewMailbox() {
    auto mailbox = std::make_shared<Mailbox>();
    mailbox_ = mailbox;
    return [mailbox](const analysis::VisualisationPreview& preview) {
        std::lock_guard lock(mailbox->mutex);
        mailbox->latest = preview;
    };
}

void VisualisationController::addRecords(std::vector<analysis::VisualisationRecord> records) {
    endRun();
    for (auto& record : records)
        records_.push_back(std::move(record));
    showRecordsOfInspectorUnit();
    Q_EMIT recordsChanged();
    Q_EMIT finished(int(records_.size()) - 1);
}

void VisualisationController::endRun() {
    job_ = 0;
    previewTimer_.stop();
    mailbox_.reset();
    inspector_->visualisations()->clearPreview();
}

void VisualisationController::cancel() {
    if (!job_) return;
    jobs_.cancel(job_);
    endRun();
}

void VisualisationController::pollPreview() {
    if (!mailbox_) return;
    std::optional<analysis::VisualisationPreview> preview;
    {
        std::lock_guard lock(mailbox_->mutex);
        preview.swap(mailbox_->latest);
    }
    if (!preview) return;
    inspector_->visualisations()->showPreview(runningLabel_, *preview);
    Q_EMIT previewShown(preview->step);
}

void VisualisationController::restore(std::vector<analysis::VisualisationRecord> records) {
    records_ = std::move(records);
    showRecordsOfInspectorUnit();
    Q_EMIT recordsChanged();
}

// The inspector's unit's visualisations, its clusters' discriminative images, and those made
// for no single unit, newest first.
void VisualisationController::showRecordsOfInspectorUnit() {
    const auto unit = inspector_->currentUnit();
    std::vector<analysis::VisualisationRecord> shown;
    for (auto it = records_.rbegin(); it != records_.rend(); ++it) {
        if (it->facets == "discriminative") {
            if (unit && recordIncludes(*it, *unit)) shown.push_back(*it);
        } else if (!it->unit || it->unit == unit) {
            shown.push_back(*it);
        }
    }
    inspector_->visualisations()->setRecords(shown);
}

}  // namespace us::app
