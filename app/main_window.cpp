#include "app/main_window.h"

#include <vtkVersion.h>
#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>

#include "analysis/core/versions.h"
#include "analysis/demo/demo_data.h"
#include "analysis/models/model_workspace.h"
#include "app/brain/brain_controller.h"
#include "app/captions/caption_controller.h"
#include "app/clusters/cluster_controller.h"
#include "app/core/selection.h"
#include "app/encoding/encoding_controller.h"
#include "app/graph/graph_controller.h"
#include "app/matching/match_controller.h"
#include "app/models/concept_controller.h"
#include "app/models/model_controller.h"
#include "app/session/session_controller.h"
#include "app/visualisation/visualisation_controller.h"
#include "widgets/brain/brain_view.h"
#include "widgets/brain/overlay_panel.h"
#include "widgets/brain/slice_view.h"
#include "widgets/clusters/treemap_panel.h"
#include "widgets/common/empty_state_panel.h"
#include "widgets/common/jobs_panel.h"
#include "widgets/graph/graph_panel.h"
#include "widgets/graph/graph_view.h"
#include "widgets/models/layer_tree.h"
#include "widgets/models/neuron_inspector.h"

namespace us::app {
namespace {

std::filesystem::path cacheDirectory() {
    return std::filesystem::path(
        QStandardPaths::writableLocation(QStandardPaths::CacheLocation).toStdString());
}

}  // namespace

const QStringList& MainWindow::panelNames() {
    static const QStringList names{"brain",   "slices",    "overlays", "graph",
                                   "treemap", "inspector", "layers",   "jobs"};
    return names;
}

MainWindow::MainWindow(JobRunner& jobs, QWidget* parent)
    : QMainWindow(parent), jobs_(jobs), workspace_(std::make_shared<analysis::ModelWorkspace>()) {
    setWindowTitle(tr("Unitscope"));
    setDockNestingEnabled(true);
    setDockOptions(QMainWindow::AnimatedDocks | QMainWindow::AllowNestedDocks |
                   QMainWindow::AllowTabbedDocks);
    readout_ = new QLabel(this);
    statusBar()->addWidget(readout_, 1);
    buildPanels();
    buildControllers();
    buildMenus();
    resize(1280, 800);
    defaultState_ = saveState();

    QSettings settings;
    restoreGeometry(settings.value("window/geometry").toByteArray());
    restoreState(settings.value("window/state").toByteArray());

    connect(qApp, &QApplication::focusChanged, this, [this](QWidget*, QWidget* now) {
        for (QWidget* w = now; w; w = w->parentWidget())
            if (auto* dock = qobject_cast<QDockWidget*>(w)) {
                lastFocusedPanel_ = dock->objectName();
                return;
            }
    });
    updateEmptyStates();
    statusBar()->showMessage(tr("File > Open demo (Ctrl+D) shows the built-in demo."), 8000);
}

QDockWidget* MainWindow::addPanel(const QString& name, const QString& title, QWidget* widget,
                                  Qt::DockWidgetArea area) {
    auto* dock = new QDockWidget(title, this);
    dock->setObjectName(name);  // saveState/restoreState key
    dock->setWidget(widget);
    dock->setFeatures(QDockWidget::DockWidgetClosable | QDockWidget::DockWidgetMovable |
                      QDockWidget::DockWidgetFloatable);
    addDockWidget(area, dock);
    docks_.insert(name, dock);
    return dock;
}

void MainWindow::buildPanels() {
    brainView_ = new widgets::BrainView(this);
    sliceView_ = new widgets::SliceView(this);
    overlayPanel_ = new widgets::OverlayPanel(this);
    graphPanel_ = new widgets::GraphPanel(this);
    graphView_ = graphPanel_->view();
    treemapPanel_ = new widgets::TreemapPanel(this);
    inspector_ = new widgets::NeuronInspector(this);
    layerTree_ = new widgets::LayerTree(this);
    jobsPanel_ = new widgets::JobsPanel(this);
    for (auto* panel : {treemapPanel_->emptyState(), inspector_->emptyState()}) {
        panel->setFocusPolicy(Qt::ClickFocus);
        connect(panel, &widgets::EmptyStatePanel::openDemoRequested, this, [this] { openDemo(); });
    }
    inspector_->setFocusPolicy(Qt::ClickFocus);

    // Brain and slices on the left with the overlay layers below; the network panels share
    // the right as tabs, the inspector in front.
    auto* brain = addPanel("brain", tr("Brain"), brainView_, Qt::LeftDockWidgetArea);
    auto* slices = addPanel("slices", tr("Slices"), sliceView_, Qt::LeftDockWidgetArea);
    tabifyDockWidget(brain, slices);
    brain->raise();
    auto* overlays = addPanel("overlays", tr("Overlays"), overlayPanel_, Qt::LeftDockWidgetArea);
    splitDockWidget(brain, overlays, Qt::Vertical);
    auto* inspector =
        addPanel("inspector", tr("Neuron inspector"), inspector_, Qt::RightDockWidgetArea);
    auto* graph = addPanel("graph", tr("Attribution graph"), graphPanel_, Qt::RightDockWidgetArea);
    auto* treemap = addPanel("treemap", tr("Treemap"), treemapPanel_, Qt::RightDockWidgetArea);
    auto* layers = addPanel("layers", tr("Layers"), layerTree_, Qt::RightDockWidgetArea);
    auto* jobsDock = addPanel("jobs", tr("Jobs"), jobsPanel_, Qt::BottomDockWidgetArea);
    tabifyDockWidget(inspector, graph);
    tabifyDockWidget(inspector, treemap);
    tabifyDockWidget(inspector, layers);
    inspector->raise();
    resizeDocks({brain, inspector}, {560, 720}, Qt::Horizontal);
    resizeDocks({brain, overlays, jobsDock}, {560, 150, 110}, Qt::Vertical);
}

// One controller per domain; each observes and sets the one selection, none knows another's
// panels. The jobs panel mirrors the job runner.
void MainWindow::buildControllers() {
    selection_ = new Selection(this);
    models_ = new ModelController(jobs_, *selection_, workspace_, layerTree_, inspector_, this);
    clusters_ = new ClusterController(jobs_, *selection_, workspace_, *models_, treemapPanel_,
                                      inspector_, this);
    brain_ = new BrainController(jobs_, *selection_, brainView_, sliceView_, overlayPanel_,
                                 readout_, this);
    graph_ = new GraphController(jobs_, *selection_, workspace_, graphPanel_, readout_, this, this);
    visualisations_ = new VisualisationController(jobs_, workspace_, *models_, inspector_, this);
    encodings_ =
        new EncodingController(jobs_, *selection_, workspace_, *models_, *brain_, *visualisations_,
                               inspector_, treemapPanel_, cacheDirectory(), this);
    captions_ =
        new CaptionController(jobs_, *selection_, *models_, inspector_, cacheDirectory(), this);
    concepts_ = new ConceptController(jobs_, *selection_, *models_, cacheDirectory(), this);
    matches_ = new MatchController(jobs_, *selection_, workspace_, *models_, inspector_,
                                   cacheDirectory(), this);
    sessions_ = new SessionController(*this);

    connect(&jobs_, &JobRunner::jobQueued, jobsPanel_, &widgets::JobsPanel::jobQueued);
    connect(&jobs_, &JobRunner::jobStarted, jobsPanel_, &widgets::JobsPanel::jobStarted);
    connect(&jobs_, &JobRunner::jobProgress, jobsPanel_, &widgets::JobsPanel::jobProgress);
    connect(&jobs_, &JobRunner::jobSucceeded, jobsPanel_, &widgets::JobsPanel::jobSucceeded);
    connect(&jobs_, &JobRunner::jobFailed, jobsPanel_, &widgets::JobsPanel::jobFailed);
    connect(&jobs_, &JobRunner::jobCancelled, jobsPanel_, &widgets::JobsPanel::jobCancelled);
    connect(jobsPanel_, &widgets::JobsPanel::cancelRequested, &jobs_, &JobRunner::cancel);

    // Hover read-outs and status messages of every panel go to the status bar.
    const auto showStatus = [this](const QString& text) { statusBar()->showMessage(text, 10000); };
    const auto showFailure = [this](const QString& what, const QString& error) {
        statusBar()->showMessage(tr("%1 failed: %2").arg(what, error), 10000);
    };
    connect(brainView_, &widgets::BrainView::hoverChanged, readout_, &QLabel::setText);
    connect(inspector_, &widgets::NeuronInspector::hovered, readout_, &QLabel::setText);
    connect(treemapPanel_, &widgets::TreemapPanel::hovered, readout_, &QLabel::setText);
    connect(brainView_, &widgets::BrainView::regionClicked, this,
            [this](const QString& text) { statusBar()->showMessage(text); });
    connect(brain_, &BrainController::status, this, showStatus);
    connect(models_, &ModelController::failed, this, showFailure);
    connect(clusters_, &ClusterController::failed, this, showFailure);
    connect(graph_, &GraphController::failed, this, showFailure);
    connect(visualisations_, &VisualisationController::failed, this, showFailure);
    connect(encodings_, &EncodingController::failed, this, showFailure);
    connect(captions_, &CaptionController::failed, this, showFailure);
    graph_->setCaptionSource([this](const analysis::UnitRef& unit) {
        const auto* caption = captions_->captionOf(unit);
        return caption ? caption->plain : QString();
    });
    connect(concepts_, &ConceptController::failed, this, showFailure);
    connect(matches_, &MatchController::failed, this, showFailure);
    connect(layerTree_, &widgets::LayerTree::conceptsRequested, concepts_,
            [this](const QString& layer) { concepts_->computeDialog(layer); });
    connect(encodings_, &EncodingController::status, this, showStatus);

    connect(brain_, &BrainController::demoLoadFailed, this, &MainWindow::demoLoadFailed);
    connect(brain_, &BrainController::surfaceShown, this, [this] { brainReady_ = true; });
    connect(brainView_, &widgets::BrainView::surfacePainted, this,
            &MainWindow::brainSurfacePainted);
    connect(models_, &ModelController::unitShown, this, &MainWindow::unitShown);
    connect(graph_, &GraphController::networkDescribed, this, &MainWindow::networkShown);
    // Attribution graphs asked for from the inspector's exemplars and the treemap's cells.
    connect(inspector_, &widgets::NeuronInspector::attributionRequested, graph_,
            [this](qint64 row) { graph_->computeDialog(row); });
    connect(clusters_, &ClusterController::attributionRequested, graph_,
            [this](qint64 row) { graph_->computeDialog(row); });
    // Visualisations of a treemap cell of units or of graph nodes.
    connect(clusters_, &ClusterController::clusterImagesRequested, visualisations_,
            &VisualisationController::clusterImages);
    // Discriminative images appear in their cells, also after the treemap is remade.
    const auto showCellImages = [this] { clusters_->showCellImages(visualisations_->records()); };
    connect(visualisations_, &VisualisationController::recordsChanged, clusters_, showCellImages);
    connect(clusters_, &ClusterController::clustersShown, visualisations_, showCellImages);
    connect(clusters_, &ClusterController::visualiseRequested, visualisations_,
            &VisualisationController::visualiseUnits);
    connect(graph_, &GraphController::visualiseRequested, visualisations_,
            &VisualisationController::visualiseUnits);
    connect(inspector_, &widgets::NeuronInspector::stimulusClicked, selection_,
            [this](qint64 row) { selection_->setStimulus(row); });
    // Data, not selection: the open model's layers are what the graph panel draws today.
    connect(models_, &ModelController::networkDescribed, graph_, &GraphController::showNetwork);
    // The demo's treemap: its test images clustered by the penultimate layer.
    // and its SIMULATED fMRI experiment, an encoding model of the same layer.
    connect(models_, &ModelController::demoReady, clusters_, [this] {
        clusters_->clusterDemo();
        encodings_->openDemoExperiment();
    });
}

void MainWindow::buildMenus() {
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("Open &demo"), QKeySequence(Qt::CTRL | Qt::Key_D), this,
                    [this] { openDemo(); });
    file->addAction(tr("&Open session..."), QKeySequence::Open, sessions_,
                    &SessionController::openSessionDialog);
    file->addSeparator();
    file->addAction(tr("Open brain &overlay..."), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O),
                    brain_, &BrainController::openOverlayDialog);
    file->addAction(tr("Open brain &surface..."), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_B),
                    brain_, &BrainController::openSurfaceDialog);
    file->addAction(tr("Open surface &curvature / sulcal depth..."), brain_,
                    &BrainController::openUnderlayDialog);
    file->addAction(tr("Open a&tlas..."), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_L), brain_,
                    &BrainController::openAtlasDialog);
    file->addAction(tr("Open &model..."), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_M), models_,
                    &ModelController::openModelDialog);
    file->addAction(tr("Open stimuli &file..."), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_I),
                    models_, &ModelController::openStimuliDialog);
    file->addAction(tr("Open image &folder..."), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_F),
                    models_, &ModelController::openStimuliFolderDialog);
    file->addAction(tr("Open a&ctivations..."), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_A),
                    models_, &ModelController::openStoreDialog);
    file->addAction(tr("E&xtract activations..."), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_X),
                    models_, &ModelController::extractDialog);
    file->addAction(tr("Open &graph..."), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_G), graph_,
                    &GraphController::openGraphDialog);
    file->addAction(tr("Save graph &as..."), graph_, &GraphController::saveGraphAsDialog);
    file->addAction(tr("Open e&ncoding model..."), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N),
                    encodings_, &EncodingController::openEncodingDialog);
    sessions_->setRecentMenu(file->addMenu(tr("&Recent sessions")));
    file->addSeparator();
    file->addAction(tr("&Save session"), QKeySequence::Save, sessions_,
                    &SessionController::saveSession);
    file->addAction(tr("Save session &as..."), QKeySequence::SaveAs, sessions_,
                    &SessionController::saveSessionAs);
    file->addSeparator();
    file->addAction(tr("&Export screenshot of current panel..."),
                    QKeySequence(Qt::CTRL | Qt::Key_E), this, &MainWindow::exportScreenshot);
    file->addAction(tr("Export &figure of current panel (any size)..."),
                    QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E), this,
                    &MainWindow::exportFigureDialog);
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    QAction* undo = graph_->undoStack()->createUndoAction(this, tr("&Undo"));
    undo->setShortcut(QKeySequence::Undo);
    QAction* redo = graph_->undoStack()->createRedoAction(this, tr("&Redo"));
    redo->setShortcuts({QKeySequence::Redo, QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z)});
    edit->addAction(undo);
    edit->addAction(redo);

    QMenu* analysisMenu = menuBar()->addMenu(tr("&Analysis"));
    analysisMenu->addAction(tr("&Attribution graph..."), QKeySequence(Qt::CTRL | Qt::Key_G), graph_,
                            [this] { graph_->computeDialog(); });
    analysisMenu->addAction(tr("&Cluster stimuli or units..."),
                            QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C), clusters_,
                            &ClusterController::clusterDialog);
    analysisMenu->addAction(tr("&Visualise..."), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_V),
                            visualisations_, &VisualisationController::visualiseDialog);
    analysisMenu->addAction(tr("Caption &units of a layer..."), captions_,
                            &CaptionController::captionDialog);
    analysisMenu->addAction(tr("C&oncept units of a layer (NMF)..."), concepts_,
                            [this] { concepts_->computeDialog(); });
    analysisMenu->addAction(tr("&Match units with another network..."), matches_,
                            &MatchController::matchDialog);
    analysisMenu->addAction(tr("Fit &encoding model..."), encodings_,
                            &EncodingController::fitDialog);
    analysisMenu->addAction(tr("Visualise brain &region under the cursor"), encodings_,
                            &EncodingController::visualiseRegionAtCursor);
    buildViewMenu();
    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Unitscope"), this, &MainWindow::showAbout);
}

void MainWindow::buildViewMenu() {
    QMenu* view = menuBar()->addMenu(tr("&View"));
    for (const QString& name : panelNames()) {
        QAction* toggle = docks_[name]->toggleViewAction();
        view->addAction(toggle);
    }
    view->addSeparator();
    QAction* radiological = view->addAction(tr("Radiological slices (left on the right)"));
    radiological->setCheckable(true);
    radiological->setChecked(QSettings().value("slices/radiological", false).toBool());
    sliceView_->setRadiological(radiological->isChecked());
    connect(radiological, &QAction::toggled, this, [this](bool on) {
        sliceView_->setRadiological(on);
        QSettings().setValue("slices/radiological", on);
    });
    view->addAction(tr("&Reset layout"), this, &MainWindow::resetLayout);
    QMenu* camera = view->addMenu(tr("Brain &camera"));
    using render::CameraPreset;
    const std::pair<QString, CameraPreset> presets[] = {
        {tr("Left lateral\t1"), CameraPreset::LateralLeft},
        {tr("Right lateral\t2"), CameraPreset::LateralRight},
        {tr("Dorsal\t3"), CameraPreset::Dorsal},
        {tr("Ventral\t4"), CameraPreset::Ventral},
        {tr("Anterior\t5"), CameraPreset::Anterior},
        {tr("Posterior\t6"), CameraPreset::Posterior},
        {tr("Left medial\t7"), CameraPreset::MedialLeft},
        {tr("Right medial\t8"), CameraPreset::MedialRight}};
    for (const auto& [label, preset] : presets)
        camera->addAction(label, this, [this, p = preset] { brainView_->applyPreset(p); });
    camera->addSeparator();
    camera->addAction(tr("Reset\tR"), this,
                      [this] { brainView_->applyPreset(CameraPreset::LateralLeft); });
}

void MainWindow::resetLayout() {
    for (auto* dock : docks_) {
        dock->setFloating(false);
        dock->show();
    }
    restoreState(defaultState_);
}

QWidget* MainWindow::panel(const QString& name) const {
    if (name == "window") return const_cast<MainWindow*>(this);
    const auto it = docks_.find(name);
    return it == docks_.end() ? nullptr : (*it)->widget();
}

QImage MainWindow::grabPanel(const QString& name) {
    // A closed or tabbed-away panel has no size: bring it to the front and lay it out first.
    if (QDockWidget* dock = docks_.value(name)) {
        dock->show();
        dock->raise();
        QCoreApplication::processEvents();
    }
    if (name == "brain") return brainView_->grabFramebuffer();
    if (name == "graph") return graphView_->grabFramebuffer();
    QWidget* widget = panel(name);
    return widget ? widget->grab().toImage() : QImage();
}

QString MainWindow::statusReadout() const {
    return readout_->text();
}

bool MainWindow::networkReady() const {
    return graph_->networkShown();
}

void MainWindow::updateEmptyStates() {
    if (!demoOpen_) return;
    treemapPanel_->emptyState()->setExplanation(
        tr("The demo's test images are clustered once their activations are ready "
           "(see the Jobs panel)."));
    treemapPanel_->emptyState()->setActionVisible(false);
    inspector_->emptyState()->setActionVisible(false);
}

void MainWindow::setInteractive(bool interactive) {
    models_->setInteractive(interactive);
    clusters_->setInteractive(interactive);
    graph_->setInteractive(interactive);
    brain_->setInteractive(interactive);
    encodings_->setInteractive(interactive);
    captions_->setInteractive(interactive);
    concepts_->setInteractive(interactive);
    matches_->setInteractive(interactive);
}

void MainWindow::openDemo() {
    if (demoOpen_) return;
    demoOpen_ = true;
    statusBar()->clearMessage();
    updateEmptyStates();
    brain_->openDemoBrain(cacheDirectory());
    models_->prepareDemo(cacheDirectory());
}

std::vector<analysis::DataSource> MainWindow::demoSources() const {
    if (!demoOpen_) return {};
    const auto files = analysis::demoBrainFiles();
    return {{"brain-anatomy", files.anatomy.string(), {}},
            {"atlas", files.atlas.string(), {}},
            {"atlas-names", files.atlasNames.string(), {}}};
}

void MainWindow::captureLayout(analysis::Session& session) const {
    const QByteArray geometry = saveGeometry(), state = saveState();
    session.windowGeometry.assign(geometry.begin(), geometry.end());
    session.windowState.assign(state.begin(), state.end());
    for (const QString& name : panelNames())
        if (docks_[name]->isVisible()) session.openPanels.push_back(name.toStdString());
    session.currentPanel = lastFocusedPanel_.toStdString();
}

void MainWindow::restoreLayout(const analysis::Session& session) {
    const QByteArray geometry(reinterpret_cast<const char*>(session.windowGeometry.data()),
                              static_cast<qsizetype>(session.windowGeometry.size()));
    const QByteArray state(reinterpret_cast<const char*>(session.windowState.data()),
                           static_cast<qsizetype>(session.windowState.size()));
    if (!geometry.isEmpty()) restoreGeometry(geometry);
    if (!state.isEmpty()) restoreState(state);
    for (const QString& name : panelNames())
        docks_[name]->setVisible(std::find(session.openPanels.begin(), session.openPanels.end(),
                                           name.toStdString()) != session.openPanels.end());
    lastFocusedPanel_ = QString::fromStdString(session.currentPanel);
    if (!panelNames().contains(lastFocusedPanel_)) lastFocusedPanel_ = "brain";
    if (auto* dock = docks_.value(lastFocusedPanel_)) dock->raise();
}

void MainWindow::showAbout() {
    QMessageBox::about(
        this, tr("About Unitscope"),
        tr("<h3>Unitscope %1</h3><p>Explore the units of neural networks and brains.</p>"
           "<p>Qt %2<br>VTK %3<br>LibTorch %4<br>HDF5 %5</p>")
            .arg(QString::fromStdString(analysis::unitscopeVersion()), qVersion(),
                 vtkVersion::GetVTKVersion(), QString::fromStdString(analysis::torchVersion()),
                 QString::fromStdString(analysis::hdf5Version())));
}

void MainWindow::closeEvent(QCloseEvent* event) {
    QSettings settings;
    settings.setValue("window/geometry", saveGeometry());
    settings.setValue("window/state", saveState());
    jobs_.cancelAll();
    event->accept();
}

}  // namespace us::app
