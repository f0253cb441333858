#pragma once
// The Unitscope main window: dockable panels, menus, the session document, and the glue
// that sends work to the JobRunner and puts results into the panels.

#include <QMainWindow>
#include <QMap>
#include <QPointer>

#include <optional>

#include "analysis/session/session.h"
#include "app/core/job_runner.h"

class QDockWidget;
class QLabel;
class QMenu;

namespace us::widgets {
class BrainView;
class GraphView;
class EmptyStatePanel;
class JobsPanel;
class LayerTree;
class NeuronInspector;
class OverlayPanel;
class SliceView;
class TreemapPanel;
}  // namespace us::widgets

namespace us::app {

class BrainController;
class ModelController;

class MainWindow : public QMainWindow {
    Q_OBJECT
  public:
    // Panel names used by --screenshot --panel, the session file and QSettings.
    static const QStringList& panelNames();

    explicit MainWindow(JobRunner& jobs, QWidget* parent = nullptr);

    // Opens the demo's brain and network; selects `select` in the inspector once ready.
    void openDemo(std::optional<us::analysis::UnitRef> select = std::nullopt);
    // Returns false (after telling the user) when the file cannot be opened; the current
    // session is then left exactly as it was.
    bool openSession(const QString& path, bool interactive = true);
    bool saveSessionTo(const QString& path, bool interactive = true);
    us::analysis::Session captureSession() const;

    QWidget* panel(const QString& name) const;
    // Renders one panel (or "window") to an image, as it is on screen now.
    QImage grabPanel(const QString& name);
    us::widgets::BrainView* brainView() const { return brainView_; }
    us::widgets::GraphView* graphView() const { return graphView_; }
    us::widgets::JobsPanel* jobsPanel() const { return jobsPanel_; }
    us::widgets::NeuronInspector* inspector() const { return inspector_; }
    us::widgets::LayerTree* layerTree() const { return layerTree_; }
    us::widgets::TreemapPanel* treemap() const { return treemapPanel_; }
    ModelController* models() const { return models_; }
    BrainController* brain() const { return brain_; }
    us::widgets::OverlayPanel* overlayPanel() const { return overlayPanel_; }
    us::widgets::SliceView* sliceView() const { return sliceView_; }
    // Writes a panel as a PNG of width x height pixels: the brain view is rendered again at
    // that size with its colour bars; other panels are drawn scaled. Throws on failure.
    void exportFigure(const QString& panelName, const QString& path, int width, int height,
                      bool whiteBackground);
    // Dialogs for failures are shown unless turned off (screenshot mode).
    void setInteractive(bool interactive);
    QString statusReadout() const;
    bool brainReady() const { return brainReady_; }
    bool networkReady() const { return networkReady_; }

  Q_SIGNALS:
    void brainSurfacePainted();
    void networkShown();
    void unitShown(const QString& layer, qint64 index);
    void demoLoadFailed(const QString& error);

  protected:
    void closeEvent(QCloseEvent* event) override;

  private:
    void buildPanels();
    void buildMenus();
    QDockWidget* addPanel(const QString& name, const QString& title, QWidget* widget,
                          Qt::DockWidgetArea area);
    void resetLayout();
    void saveSession();
    void saveSessionAs();
    void openSessionDialog();
    void exportScreenshot();
    void exportFigureDialog();
    void showAbout();
    void rememberRecent(const QString& path);
    void rebuildRecentMenu();
    void setSessionPath(const QString& path);
    void updateEmptyStates();
    void applyPendingBrainCamera();
    void applyPendingGraphView();
    QString currentPanelName() const;

    JobRunner& jobs_;
    us::widgets::BrainView* brainView_ = nullptr;
    us::widgets::GraphView* graphView_ = nullptr;
    us::widgets::TreemapPanel* treemapPanel_ = nullptr;
    us::widgets::OverlayPanel* overlayPanel_ = nullptr;
    us::widgets::SliceView* sliceView_ = nullptr;
    us::widgets::NeuronInspector* inspector_ = nullptr;
    us::widgets::LayerTree* layerTree_ = nullptr;
    ModelController* models_ = nullptr;
    BrainController* brain_ = nullptr;
    us::widgets::JobsPanel* jobsPanel_ = nullptr;
    QMap<QString, QDockWidget*> docks_;
    QByteArray defaultState_;
    QLabel* readout_ = nullptr;
    QMenu* recentMenu_ = nullptr;
    QString sessionPath_;
    QString lastFocusedPanel_ = "brain";

    bool demoOpen_ = false;
    bool brainReady_ = false;
    bool networkReady_ = false;
    std::vector<us::analysis::DataSource> sources_;

    // View states from an opened session, applied when the views' content arrives.
    std::map<std::string, std::vector<double>> pendingViewStates_;
};

}  // namespace us::app
