#pragma once
// The Unitscope main window: builds the dockable panels and the menus, and the controllers
// (one per domain) that drive them. Panels and controllers share one Selection and never talk
// to each other; the session document lives in the SessionController.

#include <QMainWindow>
#include <QMap>

#include <memory>

#include "analysis/session/session.h"
#include "app/core/job_runner.h"

class QDockWidget;
class QLabel;

namespace us::analysis {
class ModelWorkspace;
}

namespace us::widgets {
class BrainView;
class GraphPanel;
class GraphView;
class JobsPanel;
class LayerTree;
class NeuronInspector;
class OverlayPanel;
class SliceView;
class TreemapPanel;
}  // namespace us::widgets

namespace us::app {

class BrainController;
class CaptionController;
class ClusterController;
class ConceptController;
class MatchController;
class EncodingController;
class GraphController;
class ModelController;
class Selection;
class SessionController;
class VisualisationController;

class MainWindow : public QMainWindow {
    Q_OBJECT
  public:
    // Panel names used by --screenshot --panel, the session file and QSettings.
    static const QStringList& panelNames();

    explicit MainWindow(JobRunner& jobs, QWidget* parent = nullptr);

    // Opens the demo's brain and network (once); the inspector shows the selection's unit.
    void openDemo();
    bool demoOpen() const { return demoOpen_; }
    // The demo's brain files, as session sources (empty without the demo).
    std::vector<analysis::DataSource> demoSources() const;
    // Window geometry, dock layout, open panels and the current one.
    void captureLayout(analysis::Session& session) const;
    void restoreLayout(const analysis::Session& session);

    QWidget* panel(const QString& name) const;
    // Renders one panel (or "window") to an image, as it is on screen now.
    QImage grabPanel(const QString& name);
    // Writes a panel as a PNG of width x height pixels: the brain view is rendered again at
    // that size with its colour bars; other panels are drawn scaled. Throws on failure.
    void exportFigure(const QString& panelName, const QString& path, int width, int height,
                      bool whiteBackground);
    // Dialogs for failures are shown unless turned off (screenshot mode).
    void setInteractive(bool interactive);
    QString statusReadout() const;
    bool brainReady() const { return brainReady_; }
    bool networkReady() const;

    us::widgets::BrainView* brainView() const { return brainView_; }
    us::widgets::GraphView* graphView() const { return graphView_; }
    us::widgets::GraphPanel* graphPanel() const { return graphPanel_; }
    us::widgets::JobsPanel* jobsPanel() const { return jobsPanel_; }
    us::widgets::NeuronInspector* inspector() const { return inspector_; }
    us::widgets::LayerTree* layerTree() const { return layerTree_; }
    us::widgets::TreemapPanel* treemap() const { return treemapPanel_; }
    us::widgets::OverlayPanel* overlayPanel() const { return overlayPanel_; }
    us::widgets::SliceView* sliceView() const { return sliceView_; }
    Selection* selection() const { return selection_; }
    ModelController* models() const { return models_; }
    ClusterController* clusters() const { return clusters_; }
    BrainController* brain() const { return brain_; }
    GraphController* graph() const { return graph_; }
    SessionController* sessions() const { return sessions_; }
    VisualisationController* visualisations() const { return visualisations_; }
    EncodingController* encodings() const { return encodings_; }
    CaptionController* captions() const { return captions_; }
    ConceptController* concepts() const { return concepts_; }
    MatchController* matches() const { return matches_; }

  Q_SIGNALS:
    void brainSurfacePainted();
    void networkShown();
    void unitShown(const QString& layer, qint64 index);
    void demoLoadFailed(const QString& error);

  protected:
    void closeEvent(QCloseEvent* event) override;

  private:
    void buildPanels();
    void buildControllers();
    void buildMenus();
    void buildViewMenu();
    QDockWidget* addPanel(const QString& name, const QString& title, QWidget* widget,
                          Qt::DockWidgetArea area);
    void resetLayout();
    void exportScreenshot();
    void exportFigureDialog();
    void showAbout();
    void updateEmptyStates();

    JobRunner& jobs_;
    std::shared_ptr<analysis::ModelWorkspace> workspace_;
    us::widgets::BrainView* brainView_ = nullptr;
    us::widgets::GraphPanel* graphPanel_ = nullptr;
    us::widgets::GraphView* graphView_ = nullptr;
    us::widgets::TreemapPanel* treemapPanel_ = nullptr;
    us::widgets::OverlayPanel* overlayPanel_ = nullptr;
    us::widgets::SliceView* sliceView_ = nullptr;
    us::widgets::NeuronInspector* inspector_ = nullptr;
    us::widgets::LayerTree* layerTree_ = nullptr;
    us::widgets::JobsPanel* jobsPanel_ = nullptr;
    Selection* selection_ = nullptr;
    ModelController* models_ = nullptr;
    ClusterController* clusters_ = nullptr;
    BrainController* brain_ = nullptr;
    GraphController* graph_ = nullptr;
    SessionController* sessions_ = nullptr;
    VisualisationController* visualisations_ = nullptr;
    EncodingController* encodings_ = nullptr;
    CaptionController* captions_ = nullptr;
    ConceptController* concepts_ = nullptr;
    MatchController* matches_ = nullptr;
    QMap<QString, QDockWidget*> docks_;
    QByteArray defaultState_;
    QLabel* readout_ = nullptr;
    QString lastFocusedPanel_ = "brain";
    bool demoOpen_ = false;
    bool brainReady_ = false;
};

}  // namespace us::app
