#include "app/session/session_controller.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QMessageBox>
#include <QSettings>
#include <QStatusBar>

#include "analysis/session/session_file.h"
#include "app/brain/brain_controller.h"
#include "app/captions/caption_controller.h"
#include "app/clusters/cluster_controller.h"
#include "app/core/selection.h"
#include "app/encoding/encoding_controller.h"
#include "app/graph/graph_controller.h"
#include "app/main_window.h"
#include "app/matching/match_controller.h"
#include "app/models/model_controller.h"
#include "app/visualisation/visualisation_controller.h"

namespace us::app {
namespace {

constexpr int kMaxRecent = 8;
constexpr const char* kBrainCamera = "brain.camera";
constexpr const char* kGraphView = "graph.view";
constexpr const char* kGraphPlot = "graph.plot";
constexpr const char* kGraphOptions = "graph.options";
constexpr const char* kTreemapView = "treemap.view";  // zoom root, depth, colouring
constexpr const char* kModelInput = "model.input";
constexpr const char* kModelResize = "model.resize";  // 0: stretch, 1: shorter side + crop

}  // namespace

SessionController::SessionController(MainWindow& window) : QObject(&window), window_(window) {}

analysis::Session SessionController::captureSession() const {
    analysis::Session session;
    window_.captureLayout(session);
    session.demo = window_.demoOpen();
    session.sources = window_.demoSources();
    for (auto& source : window_.models()->sources())
        session.sources.push_back(std::move(source));
    for (auto& source : window_.brain()->sources())
        session.sources.push_back(std::move(source));
    for (auto& source : window_.encodings()->sources())
        session.sources.push_back(std::move(source));
    for (auto& source : window_.captions()->sources())
        session.sources.push_back(std::move(source));
    for (auto& source : window_.matches()->sources())
        session.sources.push_back(std::move(source));
    session.brainLayers = window_.brain()->layerStates();
    session.selection = window_.selection()->state();
    if (const auto camera = window_.brain()->cameraState())
        session.viewStates[kBrainCamera] = *camera;
    if (const auto graph = window_.graph()->viewState()) session.viewStates[kGraphView] = *graph;
    session.viewStates[kGraphOptions] = window_.graph()->optionsState();
    if (window_.graph()->hasGraph()) {
        session.attributionGraphs = window_.graph()->graphJsons();
        session.currentGraph = window_.graph()->currentGraph();
        session.viewStates[kGraphPlot] = window_.graph()->plotState();
    }
    session.visualisations = window_.visualisations()->records();
    session.clustering = window_.clusters()->state();
    if (session.clustering) session.viewStates[kTreemapView] = window_.clusters()->viewState();
    if (const auto shape = window_.models()->inputShape())
        session.viewStates[kModelInput] = std::vector<double>(shape->begin(), shape->end());
    if (const auto resize = window_.models()->inputResize())
        session.viewStates[kModelResize] = {*resize == analysis::ResizeMode::CentreCrop ? 1.0
                                                                                        : 0.0};
    return session;
}

bool SessionController::saveSessionTo(const QString& path, bool interactive) {
    try {
        analysis::saveSession(path.toStdString(), captureSession());
    } catch (const std::exception& error) {
        if (interactive) QMessageBox::critical(&window_, tr("Save session"), error.what());
        return false;
    }
    setSessionPath(path);
    rememberRecent(path);
    window_.statusBar()->showMessage(tr("Saved %1").arg(path), 4000);
    return true;
}

bool SessionController::openSession(const QString& path, bool interactive) {
    analysis::Session session;
    try {
        session = analysis::loadSession(path.toStdString());
    } catch (const std::exception& error) {
        // Nothing has been touched yet: the current session stays as it was.
        if (interactive) QMessageBox::critical(&window_, tr("Open session"), error.what());
        return false;
    }
    window_.restoreLayout(session);
    if (auto it = session.viewStates.find(kBrainCamera); it != session.viewStates.end())
        window_.brain()->restoreCamera(it->second);
    if (auto it = session.viewStates.find(kGraphView); it != session.viewStates.end())
        window_.graph()->restoreViewState(it->second);
    // The selection first: panels show it as their content arrives.
    window_.selection()->setState(session.selection);
    const auto viewState = [&](const char* name) -> std::optional<std::vector<double>> {
        const auto it = session.viewStates.find(name);
        if (it == session.viewStates.end()) return std::nullopt;
        return it->second;
    };
    window_.graph()->restoreGraphs(session.attributionGraphs, int(session.currentGraph),
                                   viewState(kGraphPlot), viewState(kGraphOptions));
    window_.visualisations()->restore(std::move(session.visualisations));
    window_.clusters()->restore(session.clustering, viewState(kTreemapView));
    if (session.demo) {
        window_.openDemo();
    } else {
        std::optional<std::vector<std::int64_t>> inputShape;
        if (auto it = session.viewStates.find(kModelInput); it != session.viewStates.end())
            inputShape = std::vector<std::int64_t>(it->second.begin(), it->second.end());
        std::optional<analysis::ResizeMode> resize;
        if (auto it = session.viewStates.find(kModelResize);
            it != session.viewStates.end() && it->second.size() == 1)
            resize = it->second[0] > 0.5 ? analysis::ResizeMode::CentreCrop
                                         : analysis::ResizeMode::Stretch;
        window_.models()->restore(session.sources, inputShape, resize);
    }
    // Attached stores (concept units) wait for the store or the demo they extend.
    window_.models()->restoreAttached(session.sources);
    window_.brain()->restore(session.sources, session.brainLayers);
    window_.encodings()->restore(session.sources);
    window_.captions()->restore(session.sources);
    window_.matches()->restore(session.sources);
    setSessionPath(path);
    rememberRecent(path);
    return true;
}

void SessionController::setSessionPath(const QString& path) {
    sessionPath_ = path;
    window_.setWindowTitle(path.isEmpty() ? tr("Unitscope")
                                          : tr("%1 - Unitscope").arg(QFileInfo(path).fileName()));
}

void SessionController::saveSession() {
    if (sessionPath_.isEmpty())
        saveSessionAs();
    else
        saveSessionTo(sessionPath_);
}

void SessionController::saveSessionAs() {
    QString path = QFileDialog::getSaveFileName(&window_, tr("Save session"), sessionPath_,
                                                tr("Unitscope sessions (*.unitscope)"));
    if (path.isEmpty()) return;
    if (!path.endsWith(".unitscope")) path += ".unitscope";
    saveSessionTo(path);
}

void SessionController::openSessionDialog() {
    const QString path = QFileDialog::getOpenFileName(&window_, tr("Open session"), QString(),
                                                      tr("Unitscope sessions (*.unitscope)"));
    if (!path.isEmpty()) openSession(path);
}

void SessionController::setRecentMenu(QMenu* menu) {
    recentMenu_ = menu;
    rebuildRecentMenu();
}

void SessionController::rememberRecent(const QString& path) {
    QSettings settings;
    QStringList recent = settings.value("recentSessions").toStringList();
    recent.removeAll(QFileInfo(path).absoluteFilePath());
    recent.prepend(QFileInfo(path).absoluteFilePath());
    while (recent.size() > kMaxRecent)
        recent.removeLast();
    settings.setValue("recentSessions", recent);
    rebuildRecentMenu();
}

void SessionController::rebuildRecentMenu() {
    if (!recentMenu_) return;
    recentMenu_->clear();
    const QStringList recent = QSettings().value("recentSessions").toStringList();
    for (const QString& path : recent)
        recentMenu_->addAction(path, this, [this, path] { openSession(path); });
    recentMenu_->setEnabled(!recent.isEmpty());
}

}  // namespace us::app
