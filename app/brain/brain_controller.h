#pragma once
// The brain side of the window: the surface (Colin27 or the user's own), the anatomy in the
// slices, the atlas behind the cursor read-out, and the overlay layers shown on both views.
// File reading, sampling and mesh building run as jobs; the views only receive values.

#include <QObject>
#include <QString>

#include <memory>
#include <optional>
#include <vector>

#include "analysis/brain/atlas.h"
#include "analysis/session/session.h"
#include "analysis/brain/volume.h"
#include "app/core/job_runner.h"

class QLabel;
class QWidget;

namespace us::widgets {
class BrainView;
class OverlayPanel;
class SliceView;
}  // namespace us::widgets

namespace us::app {

class BrainController : public QObject {
    Q_OBJECT
  public:
    BrainController(JobRunner& jobs, widgets::BrainView* brain, widgets::SliceView* slices,
                    widgets::OverlayPanel* overlays, QLabel* readout, QWidget* dialogParent);

    // Colin27 with the AAL atlas (surface, anatomy for the slices, atlas for the read-out).
    void openDemoBrain(const std::filesystem::path& cacheDir);
    // A volume (sampled at the surface's vertices and shown in the slices) or per-vertex data
    // for the current surface, as a new layer on top.
    void openOverlay(const QString& path);
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

    std::vector<analysis::DataSource> sources() const;
    // Reopens the brain files a session lists (surface, overlays, atlas) after the demo brain.
    void restore(const std::vector<analysis::DataSource>& sources);
    const std::optional<analysis::Atlas>& atlas() const { return atlas_; }
    void setInteractive(bool interactive) { interactive_ = interactive; }

  Q_SIGNALS:
    void surfaceShown();
    void overlayShown();
    void atlasShown();
    void demoLoadFailed(const QString& error);
    void status(const QString& text);

  private:
    struct Layer {
        QString name, path;
        std::shared_ptr<const analysis::Volume> volume;  // null for per-vertex data
    };
    void describeCursor(double x, double y, double z);
    void addLayer(Layer layer, std::vector<float> values);
    // Position of a layer among the slices' layers (only volumes are there).
    std::size_t sliceIndex(std::size_t layer) const;
    void reportError(const QString& what, const QString& error);
    void updateCaption();
    void applyPending();
    QString askForFile(const QString& title, const QString& filter) const;

    JobRunner& jobs_;
    widgets::BrainView* brain_;
    widgets::SliceView* slices_;
    widgets::OverlayPanel* overlays_;
    QLabel* readout_;
    QWidget* dialogParent_;
    bool interactive_ = true;
    std::vector<Layer> layers_;  // top first, as in the overlay panel
    std::optional<analysis::Atlas> atlas_;
    QString surfacePath_, underlayPath_, atlasPath_;
    std::vector<analysis::DataSource> pending_;  // a session's brain files not yet reopened
};

}  // namespace us::app
