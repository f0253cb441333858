#pragma once
// The brain side of the window: the surface (Colin27 or the user's own), the anatomy in the
// slices, the atlas behind the cursor read-out, and the overlay layers. The layers are one
// observed list (render::BrainLayers) that the surface view, the slice view and the overlay
// panel follow; the cursor is the shared selection's brain position. File reading, sampling
// and mesh building run as jobs; the views only receive values.

#include <QObject>
#include <QPointer>
#include <QString>

#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "analysis/brain/atlas.h"
#include "analysis/brain/volume.h"
#include "analysis/session/session.h"
#include "app/core/job_runner.h"
#include "render/brain/brain_layers.h"

class QLabel;
class QWidget;

namespace us::widgets {
class BrainView;
class OverlayPanel;
class SliceView;
}  // namespace us::widgets

namespace us::app {

class Selection;

class BrainController : public QObject {
    Q_OBJECT
  public:
    BrainController(JobRunner& jobs, Selection& selection, widgets::BrainView* brain,
                    widgets::SliceView* slices, widgets::OverlayPanel* overlays, QLabel* readout,
                    QWidget* dialogParent);
    ~BrainController() override;

    // Colin27 with the AAL atlas (surface, anatomy for the slices, atlas for the read-out).
    void openDemoBrain(const std::filesystem::path& cacheDir);
    // A volume (sampled at the surface's vertices and shown in the slices) or per-vertex data
    // for the current surface, as a new layer on top, drawn with `style` (else a default).
    // A file already open as a layer is replaced (its newer contents, this style).
    void openOverlay(const QString& path,
                     std::optional<analysis::BrainLayerState> style = std::nullopt);
    // A map the window derived (an encoding model's R2, a unit's weights): opened unless a
    // layer already shows this file (a session's, with its own style); once shown, layers
    // whose path starts with `replaces` (an earlier map of the same kind) are removed.
    void showDerivedOverlay(const QString& path, const QString& replaces,
                            std::optional<analysis::BrainLayerState> style = std::nullopt);
    // A FreeSurfer or GIFTI surface in place of the current one, shaded by the sulcal depth
    // or curvature found beside it. Volume layers are resampled onto it; per-vertex layers
    // of another vertex count are dropped (with a note in the status bar).
    void openSurface(const QString& path);
    // Curvature or sulcal depth for the current surface.
    void openUnderlay(const QString& path);
    // An atlas for the read-out: FSL .xml, or a label volume with its names table beside it.
    void openAtlas(const QString& path);
    // The brain view as on screen, any size, with its colour bars; atomic. Throws on failure.
    void exportFigure(const QString& path, int width, int height, bool whiteBackground);

    // Dialogs.
    void openOverlayDialog();
    void openSurfaceDialog();
    void openUnderlayDialog();
    void openAtlasDialog();

    render::BrainLayers& layers() { return layers_; }
    // The shown surface's vertex count (0 without a surface), and its vertex nearest to a
    // world point when one lies within withinMm, with that vertex's position.
    std::int64_t surfaceVertexCount() const;
    std::optional<std::pair<std::int64_t, std::array<double, 3>>> surfaceVertexNear(
        const std::array<double, 3>& worldMm, double withinMm) const;
    // The brain camera; a session's camera waits until a surface is shown.
    std::optional<std::vector<double>> cameraState() const;
    void restoreCamera(const std::vector<double>& state);
    std::vector<analysis::DataSource> sources() const;
    // Each layer's file and style, bottom first (the order to reopen them in).
    std::vector<analysis::BrainLayerState> layerStates() const;
    // Reopens the brain files a session lists (surface, layers with their styles, atlas) after
    // the demo brain. Sessions of format 1.1 list overlays as sources without styles.
    void restore(const std::vector<analysis::DataSource>& sources,
                 const std::vector<analysis::BrainLayerState>& layers);
    const std::optional<analysis::Atlas>& atlas() const { return atlas_; }
    // Appended to the cursor's read-out until the cursor moves (a voxel's caption).
    void setCursorNote(const QString& note);
    void setInteractive(bool interactive) { interactive_ = interactive; }

  Q_SIGNALS:
    void surfaceShown();
    void overlayShown();
    void atlasShown();
    void demoLoadFailed(const QString& error);
    void status(const QString& text);

  private:
    void followCursor();
    void describeCursor();
    void addLayer(const QString& path, std::shared_ptr<const analysis::Volume> volume,
                  std::vector<float> values, const std::optional<analysis::BrainLayerState>& style,
                  const QString& replaces);
    void loadOverlay(const QString& path, std::optional<analysis::BrainLayerState> style,
                     const QString& replaces);
    void reportError(const QString& what, const QString& error);
    void updateCaption();
    void applyPending();
    QString askForFile(const QString& title, const QString& filter) const;

    JobRunner& jobs_;
    Selection& selection_;
    QPointer<widgets::BrainView> brain_;
    QPointer<widgets::SliceView> slices_;
    QPointer<widgets::OverlayPanel> overlays_;
    QLabel* readout_;
    QWidget* dialogParent_;
    bool interactive_ = true;
    render::BrainLayers layers_;
    render::BrainLayers::Subscription layersSubscription_;
    std::optional<analysis::Atlas> atlas_;
    QString surfacePath_, underlayPath_, atlasPath_;
    QString cursorNote_;
    // A session's brain files not yet reopened, and the overlays among them with their styles.
    std::vector<analysis::DataSource> pending_;
    std::vector<analysis::BrainLayerState> pendingLayers_;
    std::map<JobId, std::string> loadingOverlays_;  // overlay files being read, by job
    std::optional<std::vector<double>> pendingCamera_;
};

}  // namespace us::app
