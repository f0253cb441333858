#include "app/encoding/encoding_controller.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QMessageBox>

#include <algorithm>
#include <cmath>

#include "analysis/encoding/simulated_experiment.h"
#include "analysis/models/activation_store.h"
#include "analysis/models/model_workspace.h"
#include "app/brain/brain_controller.h"
#include "app/core/message_box.h"
#include "app/core/selection.h"
#include "app/models/model_controller.h"
#include "app/visualisation/visualisation_controller.h"
#include "widgets/clusters/treemap_panel.h"
#include "widgets/encoding/encoding_fit_dialog.h"
#include "widgets/models/neuron_inspector.h"
#include "widgets/models/visualisation_strip.h"

namespace fs = std::filesystem;

namespace us::app {
namespace {

constexpr const char* kEncodingSource = "encoding";
constexpr const char* kDemoLayer = "relu3";
constexpr int kDemoVoxelSize = 4;  // mm: the issue allows 2 mm or coarser; 4 mm fits in seconds

struct Opened {
    std::shared_ptr<const analysis::EncodingExplorer> explorer;
    QString sha256;
    QString r2Map;  // empty without held-out scores
    float bestR2 = 0;
};

struct VoxelResult {
    analysis::VoxelReport report;
    std::vector<analysis::Exemplar> exemplars;
    analysis::PredictionNames predictions;
};

QString fileName(const QString& path) {
    return QFileInfo(path).fileName();
}

// How far from a fitted vertex a surface click may land (the picked point lies on a
// triangle, whose vertices are a few millimetres apart).
constexpr double kVertexReachMm = 5.0;

QString voxelLabel(const analysis::VoxelReport& report) {
    if (report.vertex) return QObject::tr("vertex %1").arg(*report.vertex);
    const auto& v = *report.voxel;
    return QObject::tr("voxel %1, %2, %3").arg(v[0]).arg(v[1]).arg(v[2]);
}

QString conceptsText(const analysis::EncodingExplorer& explorer,
                     const std::vector<analysis::ConceptScore>& concepts) {
    if (concepts.empty()) return QObject::tr("none (the stimuli have no classes)");
    QStringList parts;
    for (const auto& c : concepts)
        parts << QObject::tr("%1 (%2)")
                     .arg(QString::fromStdString(explorer.vocabulary().names[std::size_t(c.index)]))
                     .arg(c.probability, 0, 'f', 2);
    return parts.join(", ");
}

}  // namespace

EncodingController::EncodingController(JobRunner& jobs, Selection& selection,
                                       std::shared_ptr<analysis::ModelWorkspace> workspace,
                                       ModelController& models, BrainController& brain,
                                       VisualisationController& visualisations,
                                       widgets::NeuronInspector* inspector,
                                       widgets::TreemapPanel* treemap, const fs::path& cacheDir,
                                       QWidget* dialogParent)
    : QObject(dialogParent),
      jobs_(jobs),
      selection_(selection),
      workspace_(std::move(workspace)),
      models_(models),
      brain_(brain),
      visualisations_(visualisations),
      inspector_(inspector),
      treemap_(treemap),
      cacheDir_(cacheDir),
      dialogParent_(dialogParent) {
    connect(&selection_, &Selection::changed, this,
            [this](Selection::Aspects aspects) { followSelection(int(aspects)); });
    // Regions are captioned with the atlas the brain has: a later atlas captions them anew.
    connect(&brain_, &BrainController::atlasShown, this, [this] {
        if (!openingPath_.isEmpty())
            atlasChanged_ = true;
        else
            captionRegionsWithAtlas();
    });
    // The inspector's Visualise on a shown voxel drives the voxel's predicted response.
    connect(inspector_->visualisations(), &widgets::VisualisationStrip::visualiseRequested, this,
            [this] {
                if (inspector_->currentVoxel()) visualiseVoxel();
            });
}

void EncodingController::reportError(const QString& what, const QString& error) {
    Q_EMIT failed(what, error);
    if (interactive_) showMessageLater(dialogParent_, QMessageBox::Critical, what, error);
}

QString EncodingController::mapDirectory() const {
    return QString::fromStdString(
        (cacheDir_ / "encoding-maps" / sha256_.left(16).toStdString()).string());
}

void EncodingController::openDemoExperiment() {
    const auto& store = models_.store();
    if (!store) return;
    const fs::path dir = cacheDir_ / "demo-experiment" / store->sha256.substr(0, 16);
    const QString encoding = QString::fromStdString((dir / "encoding.h5").string());
    // A session may have reopened it already.
    if ((explorer_ && explorer_->path() == encoding.toStdString()) || openingPath_ == encoding)
        return;
    if (demoRequested_) return;
    demoRequested_ = true;
    const std::string storePath = store->path;
    jobs_.submitTyped<QString>(
        tr("SIMULATED fMRI experiment: simulate and fit the encoding model"),
        [dir, storePath, encoding](const analysis::JobContext& context) {
            if (fs::exists(dir / "encoding.h5")) return encoding;
            const auto experiment = dir / "experiment";
            {
                const auto activations = analysis::ActivationStore::open(storePath);
                analysis::SimulationSettings settings;
                settings.layer = kDemoLayer;
                settings.voxelSize = kDemoVoxelSize;
                analysis::simulateExperiment(activations, settings, experiment,
                                             context.stage(0, 0.4));
            }
            analysis::EncodingRequest request;
            request.features = storePath + ":" + kDemoLayer;
            request.betas = experiment / "betas.nii.gz";
            request.mask = experiment / "mask.nii.gz";
            request.rows = experiment / "stimuli.txt";
            request.out = dir / "encoding.h5";
            analysis::runEncodingFit(request, context.stage(0.4, 1.0));
            return encoding;
        },
        [this](QString path) { openEncoding(path); },
        [this](const QString& error) {
            demoRequested_ = false;
            reportError(tr("Simulated experiment"), error);
        });
}

void EncodingController::openEncoding(const QString& path, const std::string& expectedSha256) {
    const auto atlas = brain_.atlas();
    const fs::path cache = cacheDir_ / "encoding-maps";
    openingPath_ = path;
    jobs_.submitTyped<Opened>(
        tr("Open encoding model %1").arg(fileName(path)),
        [path = path.toStdString(), atlas, cache](const analysis::JobContext& context) {
            Opened opened;
            opened.explorer = analysis::EncodingExplorer::open(path, std::nullopt, atlas, {},
                                                               context.stage(0, 0.9));
            const std::string sha = analysis::sha256File(path);
            opened.sha256 = QString::fromStdString(sha);
            const auto& model = opened.explorer->model();
            if (model.hasTestScores()) {
                const fs::path dir = cache / sha.substr(0, 16);
                fs::create_directories(dir);
                const fs::path map = dir / ((opened.explorer->simulated() ? "SIMULATED-" : "") +
                                            std::string(model.geometry.surface ? "test_r2.func.gii"
                                                                               : "test_r2.nii.gz"));
                if (!fs::exists(map))
                    analysis::writeResponseMap(map, model.geometry, model.testR2,
                                               "test R2 of " + model.info.layer);
                opened.r2Map = QString::fromStdString(map.string());
                for (float r2 : model.testR2)
                    if (std::isfinite(r2)) opened.bestR2 = std::max(opened.bestR2, r2);
            }
            return opened;
        },
        [this, expectedSha256](Opened opened) {
            openingPath_.clear();
            if (!expectedSha256.empty() && opened.sha256.toStdString() != expectedSha256)
                Q_EMIT status(tr("%1 has changed since the session was saved")
                                  .arg(QString::fromStdString(opened.explorer->path().string())));
            explorer_ = std::move(opened.explorer);
            sha256_ = opened.sha256;
            shownColumn_.reset();
            if (!opened.r2Map.isEmpty()) {
                analysis::BrainLayerState style;
                style.path = opened.r2Map.toStdString();
                style.colourMap = "hot";
                style.min = 0;
                style.max = opened.bestR2 > 0 ? opened.bestR2 : 1;
                style.threshold = 0.1;  // unpredicted voxels (chance R2) show the anatomy
                brain_.showDerivedOverlay(opened.r2Map, QString(), style);
            }
            const auto& model = explorer_->model();
            Q_EMIT status(tr("%1encoding model of %2: %3 %4, %5 regions captioned")
                              .arg(explorer_->simulated() ? tr("SIMULATED ") : QString())
                              .arg(QString::fromStdString(model.info.layer))
                              .arg(model.voxelCount())
                              .arg(model.geometry.surface ? tr("vertices") : tr("voxels"))
                              .arg(explorer_->regions().size()));
            Q_EMIT modelOpened();
            followSelection(Selection::BrainPosition | Selection::Unit);
            if (atlasChanged_) {  // opened with an older atlas: its regions anew
                atlasChanged_ = false;
                captionRegionsWithAtlas();
            }
        },
        [this](const QString& error) {
            openingPath_.clear();
            demoRequested_ = false;
            reportError(tr("Open encoding model"), error);
        });
}

void EncodingController::captionRegionsWithAtlas() {
    const auto atlas = brain_.atlas();
    if (!explorer_ || !atlas || explorer_->model().geometry.surface) return;
    auto explorer = explorer_;
    jobs_.submitTyped<std::shared_ptr<const analysis::EncodingExplorer>>(
        tr("Caption the atlas regions"),
        [explorer, atlas](const analysis::JobContext& context) {
            return explorer->withAtlas(*atlas, context);
        },
        [this, explorer](std::shared_ptr<const analysis::EncodingExplorer> captioned) {
            if (explorer_ != explorer) return;  // another model was opened meanwhile
            explorer_ = std::move(captioned);
            Q_EMIT status(
                tr("%1 regions captioned with the new atlas").arg(explorer_->regions().size()));
            Q_EMIT regionsCaptioned();
            followSelection(Selection::BrainPosition);
        },
        [this](const QString& error) { reportError(tr("Caption the atlas regions"), error); });
}

void EncodingController::fit(const analysis::EncodingRequest& request) {
    jobs_.submitTyped<QString>(
        tr("Fit encoding model %1").arg(QString::fromStdString(request.out.filename().string())),
        [request](const analysis::JobContext& context) {
            analysis::runEncodingFit(request, context);
            return QString::fromStdString(request.out.string());
        },
        [this](QString path) { openEncoding(path); },
        [this](const QString& error) { reportError(tr("Fit encoding model"), error); });
}

void EncodingController::openEncodingDialog() {
    const QString path =
        QFileDialog::getOpenFileName(dialogParent_, tr("Open encoding model"), QString(),
                                     tr("Encoding models (*.h5);;All files (*)"));
    if (!path.isEmpty()) openEncoding(path);
}

void EncodingController::fitDialog() {
    const auto& store = models_.store();
    if (!store)
        return reportError(tr("Fit encoding model"), tr("Open or extract activations first."));
    widgets::EncodingFitDialog dialog(*store, dialogParent_);
    if (dialog.exec() != QDialog::Accepted) return;
    try {
        fit(dialog.request());
    } catch (const std::exception& error) {
        reportError(tr("Fit encoding model"), QString::fromStdString(error.what()));
    }
}

void EncodingController::followSelection(int aspects) {
    if (!explorer_) return;
    if (aspects & Selection::BrainPosition) showVoxelAtCursor();
    if (aspects & Selection::Unit) showUnitMap();
}

// The fitted voxel under the cursor, in the inspector; the treemap and read-out follow it.
void EncodingController::showVoxelAtCursor() {
    const auto position = selection_.brainPosition();
    if (!position) return;
    std::optional<std::int64_t> column;
    std::optional<std::array<double, 3>> vertexPosition;
    if (const auto& geometry = explorer_->model().geometry; geometry.surface) {
        // A surface model's columns are vertices of the surface it was fitted on: the shown
        // surface must be that one (by its vertex count), and the cursor on it.
        if (brain_.surfaceVertexCount() != geometry.vertexCount) {
            brain_.setCursorNote(tr("the encoding model is on a surface of %1 vertices; the "
                                    "shown surface has %2")
                                     .arg(geometry.vertexCount)
                                     .arg(brain_.surfaceVertexCount()));
            return;
        }
        if (const auto near = brain_.surfaceVertexNear(*position, kVertexReachMm)) {
            column = explorer_->columnOfVertex(near->first);
            vertexPosition = near->second;
        }
        if (!column) {
            brain_.setCursorNote(tr("no fitted vertex of the encoding model here"));
            return;
        }
    } else {
        column = explorer_->columnAt(*position);
        if (!column) {
            brain_.setCursorNote(tr("no fitted voxel of the encoding model here"));
            return;
        }
    }
    if (voxelJob_) jobs_.cancel(voxelJob_);  // only the latest voxel matters
    auto explorer = explorer_;
    auto workspace = workspace_;
    voxelJob_ = jobs_.submitTyped<VoxelResult>(
        tr("Voxel caption"),
        [explorer, workspace, column = *column](const analysis::JobContext&) {
            VoxelResult result;
            result.report = explorer->voxelReport(column);
            const auto& rows = result.report.caption.preferred;
            // The store the model was fitted on may not be the one the workspace has open:
            // then the preferred stimuli are listed without their images.
            if (workspace->hasStore()) {
                try {
                    result.exemplars =
                        workspace->stimulusExemplars(rows, result.report.preferredValues);
                    result.predictions = workspace->predictionNames();
                } catch (const std::exception&) {
                    result.exemplars.clear();
                }
            }
            if (result.exemplars.empty())
                for (std::size_t i = 0; i < rows.size(); ++i) {
                    analysis::Exemplar exemplar;
                    exemplar.row = rows[i];
                    exemplar.name = "#" + std::to_string(rows[i]);
                    exemplar.value = result.report.preferredValues[i];
                    result.exemplars.push_back(std::move(exemplar));
                }
            return result;
        },
        [this, vertexPosition](VoxelResult result) {
            voxelJob_ = 0;
            if (vertexPosition) result.report.world = *vertexPosition;  // the vertex's place
            const auto& report = result.report;
            const auto& explorer = *explorer_;
            shownColumn_ = report.column;
            widgets::VoxelView view;
            view.label = voxelLabel(report);
            const QString simulated = explorer.simulated() ? tr(" &nbsp; <b>SIMULATED</b>") : "";
            QString scores = report.testR2 ? tr("held-out R² %1, r %2")
                                                 .arg(double(*report.testR2), 0, 'f', 3)
                                                 .arg(double(*report.testR), 0, 'f', 3)
                                           : tr("no held-out split");
            QString title =
                tr("<b>%1</b> &nbsp; x %2, y %3, z %4 mm%5<br>caption: <b>%6</b><br>"
                   "%7, alpha %8, encoding model of %9")
                    .arg(view.label)
                    .arg(report.world[0], 0, 'f', 1)
                    .arg(report.world[1], 0, 'f', 1)
                    .arg(report.world[2], 0, 'f', 1)
                    .arg(simulated, conceptsText(explorer, report.caption.concepts).toHtmlEscaped(),
                         scores)
                    .arg(report.alpha, 0, 'g', 3)
                    .arg(QString::fromStdString(explorer.model().info.layer));
            if (report.region)
                title +=
                    tr("<br>region %1: %2%3")
                        .arg(
                            QString::fromStdString(report.region->name).toHtmlEscaped(),
                            conceptsText(explorer, report.region->caption.concepts).toHtmlEscaped(),
                            report.region->predictive ? QString() : tr(" (no voxel predicts)"));
            view.title = title;
            view.exemplars = std::move(result.exemplars);
            if (const auto& store = models_.store())
                for (const auto& name : store->labelNames)
                    view.classNames << QString::fromStdString(name);
            view.predictions = result.predictions;
            for (const auto& c : report.caption.concepts) {
                view.concepts << QString::fromStdString(
                    explorer.vocabulary().names[std::size_t(c.index)]);
                view.conceptProbabilities.push_back(c.probability);
            }
            view.predicted = report.predicted;
            view.layer = QString::fromStdString(explorer.model().info.layer);
            for (const auto& u : report.units)
                view.units.emplace_back(u.unit, u.weight);
            view.note =
                tr("Preferred stimuli: the highest predicted responses. The list beside "
                   "the charts holds the units with the largest encoder weights; V "
                   "visualises what drives this voxel.");
            inspector_->showVoxel(view);
            treemap_->showStimulusValues(tr("predicted response of %1").arg(view.label),
                                         report.predicted);
            brain_.setCursorNote(tr("%1%2: %3")
                                     .arg(explorer.simulated() ? tr("SIMULATED ") : QString(),
                                          view.label,
                                          conceptsText(explorer, report.caption.concepts)));
            Q_EMIT voxelShown(report.column);
        },
        [this](const QString& error) {
            voxelJob_ = 0;
            Q_EMIT failed(tr("Voxel caption"), error);
        });
}

// The selection's unit's encoder weight in every voxel, as a brain overlay (one at a time).
void EncodingController::showUnitMap() {
    const auto unit = selection_.unit();
    if (!unit || unit->layer != explorer_->model().info.layer) return;
    if (mapJob_) jobs_.cancel(mapJob_);
    auto explorer = explorer_;
    // Maps of a SIMULATED experiment say so in their names, which the layers and bars show.
    const QString prefix =
        mapDirectory() + (explorer->simulated() ? "/SIMULATED-weights-" : "/weights-");
    const QString path =
        prefix + QString("%1-%2").arg(QString::fromStdString(unit->layer)).arg(unit->index) +
        (explorer->model().geometry.surface ? ".func.gii" : ".nii.gz");
    struct Written {
        QString path;
        float largest = 0;  // of |weight|, robustly
    };
    mapJob_ = jobs_.submitTyped<Written>(
        tr("Encoder weight map of %1:%2").arg(QString::fromStdString(unit->layer)).arg(unit->index),
        [explorer, path, index = unit->index, layer = unit->layer](const analysis::JobContext&) {
            const fs::path file = path.toStdString();
            fs::create_directories(file.parent_path());
            const auto weights = explorer->unitWeights(index);
            analysis::writeResponseMap(file, explorer->model().geometry, weights,
                                       "encoder weight of " + layer + ":" + std::to_string(index));
            // The colour range: the 99th percentile of |weight|, so that a few outlying
            // voxels do not wash the map out.
            std::vector<float> sizes;
            for (float w : weights)
                if (std::isfinite(w)) sizes.push_back(std::abs(w));
            Written written{path};
            if (!sizes.empty()) {
                const auto at = sizes.begin() + std::ptrdiff_t(0.99 * double(sizes.size() - 1));
                std::nth_element(sizes.begin(), at, sizes.end());
                written.largest = *at;
            }
            return written;
        },
        [this, prefix, layer = unit->layer, index = unit->index](Written written) {
            mapJob_ = 0;
            // Diverging and symmetric; weights under a quarter of the largest show what is
            // beneath (most voxels weigh every unit a little).
            analysis::BrainLayerState style;
            style.path = written.path.toStdString();
            style.colourMap = "diverging";
            style.symmetric = true;
            style.max = written.largest > 0 ? written.largest : 1;
            style.min = -style.max;
            style.threshold = 0.25 * style.max;
            brain_.showDerivedOverlay(written.path, prefix, style);
            Q_EMIT unitMapShown(QString::fromStdString(layer), index);
        },
        [this](const QString& error) {
            mapJob_ = 0;
            Q_EMIT failed(tr("Encoder weight map"), error);
        });
}

void EncodingController::visualiseVoxel() {
    if (!explorer_ || !shownColumn_) return;
    try {
        const auto objective = explorer_->voxelObjective(*shownColumn_);
        visualisations_.visualiseObjective(QString::fromStdString(objective),
                                           *inspector_->currentVoxel());
    } catch (const std::exception& error) {
        reportError(tr("Visualise voxel"), QString::fromStdString(error.what()));
    }
}

void EncodingController::visualiseRegionAtCursor() {
    const auto position = selection_.brainPosition();
    const auto& atlas = brain_.atlas();
    if (!explorer_ || !position || !atlas)
        return reportError(tr("Visualise region"),
                           tr("Open an encoding model and an atlas, and click a region first."));
    const auto region = analysis::regionAt(*atlas, (*position)[0], (*position)[1], (*position)[2]);
    const auto* caption = region ? explorer_->region(region->label) : nullptr;
    if (!caption)
        return reportError(tr("Visualise region"),
                           tr("No region of the encoding model's voxels under the cursor."));
    try {
        visualisations_.visualiseObjective(
            QString::fromStdString(explorer_->regionObjective(caption->label)),
            tr("region %1").arg(QString::fromStdString(caption->name)));
    } catch (const std::exception& error) {
        reportError(tr("Visualise region"), QString::fromStdString(error.what()));
    }
}

std::vector<analysis::DataSource> EncodingController::sources() const {
    if (!explorer_) return {};
    return {{kEncodingSource, explorer_->path().string(), sha256_.toStdString()}};
}

void EncodingController::restore(const std::vector<analysis::DataSource>& sources) {
    for (const auto& source : sources)
        if (source.kind == kEncodingSource)
            openEncoding(QString::fromStdString(source.path), source.sha256);
}

}  // namespace us::app
