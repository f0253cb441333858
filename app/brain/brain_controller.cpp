#include "app/brain/brain_controller.h"

#include <QApplication>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMessageBox>

#include <algorithm>

#include "analysis/brain/brain_file.h"
#include "analysis/brain/volume_sampling.h"
#include "analysis/demo/demo_data.h"
#include "app/core/message_box.h"
#include "app/core/selection.h"
#include "render/brain/brain_model.h"
#include "render/brain/surface_model.h"
#include "render/common/colour_map.h"
#include "render/common/offscreen_render.h"
#include "widgets/brain/brain_view.h"
#include "widgets/brain/overlay_controls.h"
#include "widgets/brain/overlay_panel.h"
#include "widgets/brain/slice_view.h"

namespace us::app {
namespace {

constexpr const char* kSurface = "brain-surface";
constexpr const char* kUnderlay = "brain-underlay";
constexpr const char* kOverlay = "brain-overlay";
constexpr const char* kAtlas = "brain-atlas";

// The file's per-vertex values; as many as `vertices` when given.
std::vector<double> perVertexValues(const analysis::BrainFile& file, const std::string& path,
                                    std::optional<std::size_t> vertices) {
    if (!file.vertexData) throw std::runtime_error("'" + path + "' holds no per-vertex data");
    if (vertices && file.vertexData->values.size() != *vertices)
        throw std::runtime_error(
            "'" + path + "' has " + std::to_string(file.vertexData->values.size()) +
            " values; this surface has " + std::to_string(*vertices) + " vertices");
    return file.vertexData->values;
}

render::OverlayStyle styleOf(const analysis::BrainLayerState& state) {
    render::OverlayStyle style;
    style.map = render::parseColourMap(state.colourMap);
    style.min = state.min;
    style.max = state.max;
    style.symmetric = state.symmetric;
    style.threshold = state.threshold;
    style.hideBelowThreshold = state.hideBelowThreshold;
    style.opacity = state.opacity;
    return style;
}

analysis::BrainLayerState stateOf(const render::BrainLayer& layer) {
    const auto& style = layer.style;
    return {layer.path,
            render::colourMapName(style.map),
            style.min,
            style.max,
            style.symmetric,
            style.threshold,
            style.hideBelowThreshold,
            style.opacity,
            layer.visible};
}

}  // namespace

BrainController::BrainController(JobRunner& jobs, Selection& selection, widgets::BrainView* brain,
                                 widgets::SliceView* slices, widgets::OverlayPanel* overlays,
                                 QLabel* readout, QWidget* dialogParent)
    : QObject(dialogParent),
      jobs_(jobs),
      selection_(selection),
      brain_(brain),
      slices_(slices),
      overlays_(overlays),
      readout_(readout),
      dialogParent_(dialogParent) {
    brain_->observeLayers(&layers_);
    slices_->observeLayers(&layers_);
    overlays_->observeLayers(&layers_);
    layersSubscription_ = layers_.observe([this](unsigned changes) {
        if (changes & render::BrainLayers::Structure) updateCaption();
    });
    // One cursor: a click on the surface or in a slice sets the selection's brain position.
    connect(brain_, &widgets::BrainView::pointClicked, this, [this](double x, double y, double z) {
        selection_.setBrainPosition(std::array<double, 3>{x, y, z});
    });
    connect(slices_, &widgets::SliceView::cursorMoved, this, [this](double x, double y, double z) {
        selection_.setBrainPosition(std::array<double, 3>{x, y, z});
    });
    connect(&selection_, &Selection::changed, this, [this](Selection::Aspects aspects) {
        if (aspects & Selection::BrainPosition) followCursor();
    });
    connect(this, &BrainController::surfaceShown, this, &BrainController::applyPending);
    // An overlay job leaves the loading list however it ends (a cancelled one runs no callback).
    connect(&jobs_, &JobRunner::jobEnded, this, [this](quint64 id) { loadingOverlays_.erase(id); });
}

std::int64_t BrainController::surfaceVertexCount() const {
    return brain_ && brain_->scene().hasModel() ? std::int64_t(brain_->scene().vertexCount()) : 0;
}

std::optional<std::pair<std::int64_t, std::array<double, 3>>> BrainController::surfaceVertexNear(
    const std::array<double, 3>& worldMm, double withinMm) const {
    if (surfaceVertexCount() == 0) return std::nullopt;
    const auto vertices = brain_->scene().worldVertices();
    std::int64_t best = -1;
    double bestDistance = withinMm * withinMm;
    for (std::size_t v = 0; v + 2 < vertices.size(); v += 3) {
        const double dx = vertices[v] - worldMm[0], dy = vertices[v + 1] - worldMm[1],
                     dz = vertices[v + 2] - worldMm[2];
        const double distance = dx * dx + dy * dy + dz * dz;
        if (distance <= bestDistance) bestDistance = distance, best = std::int64_t(v / 3);
    }
    if (best < 0) return std::nullopt;
    const auto at = std::size_t(best) * 3;
    return std::pair{best, std::array<double, 3>{vertices[at], vertices[at + 1], vertices[at + 2]}};
}

// The views hold the layer list's address: detach the ones still alive before it goes.
BrainController::~BrainController() {
    if (brain_) brain_->observeLayers(nullptr);
    if (slices_) slices_->observeLayers(nullptr);
    if (overlays_) overlays_->observeLayers(nullptr);
}

void BrainController::reportError(const QString& what, const QString& error) {
    Q_EMIT status(tr("%1 failed: %2").arg(what, error));
    if (interactive_) showMessageLater(dialogParent_, QMessageBox::Critical, what, error);
}

void BrainController::updateCaption() {
    const auto& model = brain_->scene().model();
    QString text = surfacePath_.isEmpty() ? tr("Colin27 (MNI space)")
                                          : QString::fromStdString(model.description);
    if (layers_.empty() && surfacePath_.isEmpty()) text += tr(", AAL atlas regions");
    if (!layers_.empty()) text += tr(", %n overlay layer(s)", nullptr, int(layers_.size()));
    brain_->scene().setCaption(text.toStdString());
}

void BrainController::openDemoBrain(const std::filesystem::path& cacheDir) {
    const auto files = analysis::demoBrainFiles();
    brain_->setMessage(tr("Loading the Colin27 brain surface..."));
    const render::BrainFiles brainFiles{files.anatomy, files.atlas, files.atlasNames};
    jobs_.submitTyped<render::BrainModel>(
        tr("Load Colin27 brain surface"),
        [brainFiles, cacheDir](const analysis::JobContext& context) {
            return render::loadBrainModel(brainFiles, cacheDir, context);
        },
        [this](render::BrainModel model) {
            brain_->setModel(std::move(model), QString());
            updateCaption();
            Q_EMIT surfaceShown();
        },
        [this](const QString& error) {
            brain_->setMessage(tr("Could not load the brain:\n%1").arg(error));
            Q_EMIT demoLoadFailed(error);
        });
    struct Volumes {
        std::shared_ptr<const analysis::Volume> anatomy;
        analysis::Atlas atlas;
    };
    jobs_.submitTyped<Volumes>(
        tr("Load Colin27 volumes"),
        [files](const analysis::JobContext&) {
            Volumes volumes;
            volumes.anatomy =
                std::make_shared<const analysis::Volume>(analysis::readNiftiVolume(files.anatomy));
            volumes.atlas.name = "AAL";
            volumes.atlas.labelImage = files.atlas;
            volumes.atlas.labels =
                std::make_shared<const analysis::Volume>(analysis::readNiftiVolume(files.atlas));
            volumes.atlas.names = analysis::AtlasLabels::readMricronText(files.atlasNames);
            return volumes;
        },
        [this](Volumes volumes) {
            if (atlasPath_.isEmpty()) {
                atlas_ = std::move(volumes.atlas);
                Q_EMIT atlasShown();
            }
            slices_->setUnderlay(volumes.anatomy);
            if (selection_.brainPosition()) followCursor();  // a session's cursor
        },
        [this](const QString& error) { Q_EMIT demoLoadFailed(error); });
}

// The selection's brain position: the slices' crosshair, the surface's marker, the read-out.
void BrainController::followCursor() {
    const auto position = selection_.brainPosition();
    if (!position) return;
    const auto& [x, y, z] = *position;
    cursorNote_.clear();
    slices_->setCursor({x, y, z});  // clamps to the volume and reports back; settles at once
    brain_->scene().setCursorMarker(*position);
    brain_->update();
    describeCursor();
}

// The cursor's read-out: world mm, voxel, atlas region, and the value of every loaded layer.
void BrainController::describeCursor() {
    const auto position = selection_.brainPosition();
    if (!position) return;
    const auto& [x, y, z] = *position;
    const auto voxel = slices_->cursorVoxel();
    QString text = tr("x %1, y %2, z %3 mm   voxel %4, %5, %6")
                       .arg(x, 0, 'f', 1)
                       .arg(y, 0, 'f', 1)
                       .arg(z, 0, 'f', 1)
                       .arg(voxel[0])
                       .arg(voxel[1])
                       .arg(voxel[2]);
    if (atlas_) {
        if (const auto region = analysis::regionAt(*atlas_, x, y, z))
            text += "   " + (region->name.empty() ? tr("no atlas region")
                                                  : QString::fromStdString(region->name));
    }
    for (const auto& [name, value] : slices_->valuesAtCursor())
        text += QString("   %1 %2").arg(QString::fromStdString(name)).arg(value, 0, 'g', 4);
    if (!cursorNote_.isEmpty()) text += "   " + cursorNote_;
    readout_->setText(text);
}

void BrainController::setCursorNote(const QString& note) {
    cursorNote_ = note;
    describeCursor();
}

void BrainController::addLayer(const QString& path, std::shared_ptr<const analysis::Volume> volume,
                               std::vector<float> values,
                               const std::optional<analysis::BrainLayerState>& style,
                               const QString& replaces) {
    render::BrainLayer layer;
    layer.name = QFileInfo(path).fileName().toStdString();
    layer.kind = volume ? render::LayerKind::Volume : render::LayerKind::SurfaceData;
    layer.path = path.toStdString();
    layer.style = style ? styleOf(*style) : widgets::defaultOverlayStyle(values);
    layer.visible = style ? style->visible : true;
    // Checked before the list changes: a surface swapped meanwhile must not leave a layer behind.
    brain_->scene().requireOnePerVertex(values.size(), "the overlay");
    render::BrainLayers::Batch batch(layers_);
    const std::string replaced = replaces.toStdString();
    for (const auto& old : std::vector<render::BrainLayer>(layers_.layers()))
        if (old.path == layer.path || (!replaced.empty() && old.path.starts_with(replaced)))
            layers_.remove(old.id);
    const render::LayerId id = layers_.add(std::move(layer));
    brain_->scene().setLayerValues(id, std::move(values));
    if (volume) slices_->setLayerVolume(id, std::move(volume));
}

void BrainController::openOverlay(const QString& path,
                                  std::optional<analysis::BrainLayerState> style) {
    loadOverlay(path, std::move(style), QString());
}

void BrainController::showDerivedOverlay(const QString& path, const QString& replaces,
                                         std::optional<analysis::BrainLayerState> style) {
    // Shown, on its way (a session's layers load as jobs too), or waiting for the surface:
    // loading it again would put it on top of the session's order.
    const std::string key = path.toStdString();
    for (const auto& layer : layers_.layers())
        if (layer.path == key) return;
    for (const auto& [job, loading] : loadingOverlays_)
        if (loading == key) return;
    for (const auto& layer : pendingLayers_)
        if (layer.path == key) return;
    loadOverlay(path, std::move(style), replaces);
}

void BrainController::loadOverlay(const QString& path,
                                  std::optional<analysis::BrainLayerState> style,
                                  const QString& replaces) {
    if (!brain_->scene().hasModel()) {
        Q_EMIT status(tr("Open a brain surface first (File > Open demo or Open brain surface)."));
        return;
    }
    struct Loaded {
        std::shared_ptr<const analysis::Volume> volume;
        std::vector<float> values;
        std::string warning;
    };
    auto vertices = brain_->scene().worldVertices();
    const auto job = jobs_.submitTyped<Loaded>(
        tr("Open overlay %1").arg(QFileInfo(path).fileName()),
        [path = path.toStdString(), vertices = std::move(vertices)](const analysis::JobContext&) {
            auto file = analysis::readBrainFile(path);
            Loaded loaded;
            if (file.volume) {
                loaded.volume = std::make_shared<const analysis::Volume>(std::move(*file.volume));
                loaded.values = analysis::sampleVolume(*loaded.volume, vertices);
                return loaded;
            }
            const auto values = perVertexValues(file, path, vertices.size() / 3);
            loaded.values.assign(values.begin(), values.end());
            loaded.warning = file.vertexData->warning;
            return loaded;
        },
        [this, path, style, replaces](Loaded loaded) {
            try {
                addLayer(path, loaded.volume, std::move(loaded.values), style, replaces);
            } catch (const std::exception& error) {  // the surface changed meanwhile
                reportError(tr("Open overlay"), QString::fromStdString(error.what()));
                return;
            }
            if (!loaded.warning.empty()) Q_EMIT status(QString::fromStdString(loaded.warning));
            Q_EMIT overlayShown();
        },
        [this](const QString& error) { reportError(tr("Open overlay"), error); });
    loadingOverlays_[job] = path.toStdString();
}

void BrainController::openSurface(const QString& path) {
    struct Loaded {
        render::BrainModel model;
        std::map<render::LayerId, std::vector<float>> resampled;  // the volume layers
        QString underlay;
    };
    const auto volumes = slices_->layerVolumes();
    jobs_.submitTyped<Loaded>(
        tr("Open surface %1").arg(QFileInfo(path).fileName()),
        [path = path.toStdString(), volumes](const analysis::JobContext& context) {
            const auto file = analysis::readBrainFile(path);
            if (!file.mesh) throw std::runtime_error("'" + path + "' is not a surface");
            Loaded loaded;
            std::vector<double> underlay;
            std::string description = std::filesystem::path(path).filename().string();
            if (const auto found = analysis::findSurfaceUnderlay(path)) {
                const auto values =
                    perVertexValues(analysis::readBrainFile(*found), found->string(), std::nullopt);
                if (std::int64_t(values.size()) == file.mesh->vertexCount()) {
                    underlay = values;
                    loaded.underlay = QString::fromStdString(found->string());
                    description += ", shaded by " + found->filename().string();
                }
            }
            context.checkCancelled();
            loaded.model = render::makeSurfaceModel(*file.mesh, underlay, description);
            for (const auto& [id, volume] : volumes)
                loaded.resampled[id] = analysis::sampleVolume(*volume, file.mesh->vertices);
            return loaded;
        },
        [this, path](Loaded loaded) {
            auto& scene = brain_->scene();
            const std::size_t vertices = std::size_t(loaded.model.mesh->GetNumberOfPoints());
            // Per-vertex layers' values outlive the old surface; volume layers were resampled.
            std::map<render::LayerId, std::vector<float>> previous;
            for (const auto& layer : layers_.layers())
                if (const auto* values = scene.layerValues(layer.id);
                    values && !loaded.resampled.count(layer.id))
                    previous[layer.id] = *values;
            render::BrainLayers::Batch batch(layers_);
            brain_->setModel(std::move(loaded.model), QString());
            surfacePath_ = path;
            underlayPath_ = loaded.underlay;
            // Volumes resampled; per-vertex data kept when the vertex count still fits (pial ->
            // inflated), dropped otherwise. The layers keep their places and styles.
            QStringList dropped;
            for (const auto& layer : std::vector<render::BrainLayer>(layers_.layers())) {
                if (auto it = loaded.resampled.find(layer.id); it != loaded.resampled.end()) {
                    scene.setLayerValues(layer.id, std::move(it->second));
                } else if (auto old = previous.find(layer.id);
                           old != previous.end() && old->second.size() == vertices) {
                    scene.setLayerValues(layer.id, std::move(old->second));
                } else {
                    dropped << QString::fromStdString(layer.name);
                    layers_.remove(layer.id);
                }
            }
            if (!dropped.isEmpty())
                Q_EMIT status(tr("Removed per-vertex layers of the previous surface: %1")
                                  .arg(dropped.join(", ")));
            updateCaption();
            brain_->update();
            Q_EMIT surfaceShown();
        },
        [this](const QString& error) { reportError(tr("Open surface"), error); });
}

void BrainController::openUnderlay(const QString& path) {
    if (!brain_->scene().hasModel()) return;
    const std::size_t vertices = brain_->scene().vertexCount();
    jobs_.submitTyped<std::vector<double>>(
        tr("Open underlay %1").arg(QFileInfo(path).fileName()),
        [path = path.toStdString(), vertices](const analysis::JobContext&) {
            return perVertexValues(analysis::readBrainFile(path), path, vertices);
        },
        [this, path](std::vector<double> values) {
            try {
                auto& scene = brain_->scene();
                scene.setUnderlay(render::curvatureGrey(values),
                                  scene.model().description + ", shaded by " +
                                      QFileInfo(path).fileName().toStdString());
            } catch (const std::exception& error) {
                reportError(tr("Open underlay"), QString::fromStdString(error.what()));
                return;
            }
            underlayPath_ = path;
            updateCaption();
            brain_->update();
        },
        [this](const QString& error) { reportError(tr("Open underlay"), error); });
}

void BrainController::openAtlas(const QString& path) {
    jobs_.submitTyped<analysis::Atlas>(
        tr("Open atlas %1").arg(QFileInfo(path).fileName()),
        [path = path.toStdString()](const analysis::JobContext&) {
            return analysis::readAtlas(path);
        },
        [this, path](analysis::Atlas atlas) {
            Q_EMIT status(tr("Atlas %1: %2 regions")
                              .arg(QString::fromStdString(atlas.name))
                              .arg(atlas.names.size()));
            atlas_ = std::move(atlas);
            atlasPath_ = path;
            describeCursor();
            Q_EMIT atlasShown();
        },
        [this](const QString& error) { reportError(tr("Open atlas"), error); });
}

void BrainController::exportFigure(const QString& path, int width, int height,
                                   bool whiteBackground) {
    if (!brain_->scene().hasModel()) throw std::runtime_error("there is no brain to export yet");
    QApplication::setOverrideCursor(Qt::WaitCursor);
    try {
        const auto image = brain_->scene().renderFigure(width, height, whiteBackground);
        render::writePng(image, path.toStdString());
    } catch (...) {
        QApplication::restoreOverrideCursor();
        throw;
    }
    QApplication::restoreOverrideCursor();
}

QString BrainController::askForFile(const QString& title, const QString& filter) const {
    return QFileDialog::getOpenFileName(dialogParent_, title, QString(),
                                        filter + tr(";;All files (*)"));
}

void BrainController::openOverlayDialog() {
    const QString path = askForFile(tr("Open brain overlay"),
                                    tr("Volumes and per-vertex data (*.nii *.nii.gz *.mgh *.mgz "
                                       "*.gii *curv *thickness *sulc *area)"));
    if (!path.isEmpty()) openOverlay(path);
}

void BrainController::openSurfaceDialog() {
    const QString path =
        askForFile(tr("Open brain surface"), tr("Surfaces (*.surf.gii *.gii lh.* rh.*)"));
    if (!path.isEmpty()) openSurface(path);
}

void BrainController::openUnderlayDialog() {
    const QString path = askForFile(tr("Open curvature or sulcal depth"),
                                    tr("Morphometry (*curv *sulc *.shape.gii *.func.gii)"));
    if (!path.isEmpty()) openUnderlay(path);
}

void BrainController::openAtlasDialog() {
    const QString path = askForFile(tr("Open atlas"), tr("Atlases (*.xml *.nii *.nii.gz *.mgz)"));
    if (!path.isEmpty()) openAtlas(path);
}

std::vector<analysis::DataSource> BrainController::sources() const {
    std::vector<analysis::DataSource> sources;
    if (!surfacePath_.isEmpty()) sources.push_back({kSurface, surfacePath_.toStdString(), {}});
    if (!underlayPath_.isEmpty()) sources.push_back({kUnderlay, underlayPath_.toStdString(), {}});
    for (auto it = layers_.layers().rbegin(); it != layers_.layers().rend(); ++it)  // bottom first
        sources.push_back({kOverlay, it->path, {}});
    if (!atlasPath_.isEmpty()) sources.push_back({kAtlas, atlasPath_.toStdString(), {}});
    return sources;
}

std::optional<std::vector<double>> BrainController::cameraState() const {
    if (!brain_->scene().hasModel()) return pendingCamera_;
    return brain_->scene().cameraState();
}

void BrainController::restoreCamera(const std::vector<double>& state) {
    pendingCamera_ = state;
    if (brain_->scene().hasModel()) applyPending();
}

std::vector<analysis::BrainLayerState> BrainController::layerStates() const {
    std::vector<analysis::BrainLayerState> states;
    for (auto it = layers_.layers().rbegin(); it != layers_.layers().rend(); ++it)
        states.push_back(stateOf(*it));
    return states;
}

void BrainController::restore(const std::vector<analysis::DataSource>& sources,
                              const std::vector<analysis::BrainLayerState>& layers) {
    pending_.clear();
    pendingLayers_ = layers;
    for (const auto& source : sources)
        if (source.kind == kSurface || source.kind == kUnderlay || source.kind == kAtlas ||
            (source.kind == kOverlay && layers.empty()))
            pending_.push_back(source);
    if (brain_->scene().hasModel()) applyPending();
}

// A session's brain files: the surface first; the rest and the camera once it is shown.
void BrainController::applyPending() {
    if (pendingCamera_) {
        brain_->scene().setCameraState(*pendingCamera_);
        brain_->update();
    }
    const auto surface = std::find_if(pending_.begin(), pending_.end(),
                                      [](const auto& source) { return source.kind == kSurface; });
    if (surface != pending_.end()) {
        const QString path = QString::fromStdString(surface->path);
        pending_.erase(surface);
        openSurface(path);
        return;
    }
    pendingCamera_.reset();
    const auto rest = std::move(pending_);
    const auto layers = std::move(pendingLayers_);
    pending_.clear();
    pendingLayers_.clear();
    for (const auto& layer : layers)
        openOverlay(QString::fromStdString(layer.path), layer);
    for (const auto& source : rest) {
        const QString path = QString::fromStdString(source.path);
        if (source.kind == kUnderlay) openUnderlay(path);
        if (source.kind == kOverlay) openOverlay(path);
        if (source.kind == kAtlas) openAtlas(path);
    }
}

}  // namespace us::app
