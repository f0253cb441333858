#include "app/graph/graph_controller.h"

#include <QFileDialog>
#include <QLabel>
#include <QtConcurrent/QtConcurrent>

#include <algorithm>
#include <set>

#include "analysis/attribution/graph_builder.h"
#include "analysis/attribution/supernodes.h"
#include "analysis/core/base64.h"
#include "analysis/models/model_workspace.h"
#include "app/core/message_box.h"
#include "app/core/selection.h"
#include "widgets/graph/attribution_dialog.h"
#include "widgets/graph/graph_panel.h"
#include "widgets/graph/graph_view.h"

namespace us::app {
namespace {

const analysis::GraphDisplay kNoDisplay;

// The input thumbnail Unitscope's graphs carry, when it is well formed.
analysis::Image inputThumbnail(const analysis::AttributionGraph& graph) {
    const auto& meta = graph.metadata;
    if (!meta.contains("unitscope_input_thumbnail")) return {};
    const auto& t = meta["unitscope_input_thumbnail"];
    if (!t.is_object() || !t.contains("pixels_base64") || !t["pixels_base64"].is_string())
        return {};
    const int width = t.value("width", 0), height = t.value("height", 0);
    const int channels = t.value("channels", 0);
    auto pixels = analysis::base64Decode(t["pixels_base64"].get<std::string>());
    if (!pixels || width < 1 || height < 1 || width > 4096 || height > 4096 ||
        (channels != 1 && channels != 3) ||
        pixels->size() != std::size_t(width) * std::size_t(height) * std::size_t(channels))
        return {};
    return analysis::Image{width, height, channels, std::move(*pixels)};
}

// The store unit a graph node stands for, when it names one (Unitscope's unit nodes and
// targets carry layer_name and unit; imported nodes may hold anything there).
std::optional<analysis::UnitRef> unitOf(const analysis::GraphNode& node) {
    const auto& fields = node.fields;
    if (!fields.is_object() || !fields.contains("layer_name") ||
        !fields["layer_name"].is_string() || !fields.contains("unit") ||
        !fields["unit"].is_number_integer())
        return std::nullopt;
    return analysis::UnitRef{fields["layer_name"].get<std::string>(),
                             fields["unit"].get<std::int64_t>()};
}

std::optional<analysis::UnitRef> unitOf(const analysis::AttributionGraph& graph,
                                        const std::string& id) {
    const auto index = graph.indexOf(id);
    return index ? unitOf(graph.nodes[*index]) : std::nullopt;
}

std::string graphTitle(const analysis::AttributionGraph& graph, const QString& origin) {
    const auto& meta = graph.metadata;
    std::string title;
    for (const char* key : {"stimulus", "prompt", "slug"})
        if (meta.contains(key) && meta[key].is_string() && !meta[key].get<std::string>().empty()) {
            title = meta[key].get<std::string>();
            break;
        }
    if (title.empty()) title = origin.toStdString();
    if (meta.contains("method") && meta["method"].is_string())
        title += "  (" + meta["method"].get<std::string>() + ")";
    return title;
}

}  // namespace

GraphController::GraphController(JobRunner& jobs, Selection& selection,
                                 std::shared_ptr<analysis::ModelWorkspace> workspace,
                                 widgets::GraphPanel* panel, QLabel* readout, QWidget* dialogParent,
                                 QObject* parent)
    : QObject(parent),
      jobs_(jobs),
      selection_(selection),
      workspace_(std::move(workspace)),
      panel_(panel),
      view_(panel->view()),
      readout_(readout),
      dialogParent_(dialogParent) {
    connect(view_, &widgets::GraphView::hoverChanged, readout, [readout](const QString& layer) {
        if (!layer.isEmpty()) readout->setText(tr("Layer %1").arg(layer));
    });
    connect(view_, &widgets::GraphView::nodeClicked, this, &GraphController::nodeClicked);
    connect(view_, &widgets::GraphView::nodeHovered, this, &GraphController::nodeHovered);
    connect(&selection_, &Selection::changed, this, [this](Selection::Aspects aspects) {
        if (aspects & Selection::Unit) followUnit();
        if (aspects & (Selection::Unit | Selection::GraphNodes)) rebuild(false);
    });
    connect(panel_, &widgets::GraphPanel::modeChanged, this, [this](bool graph) {
        view_->canvas().setMode(graph ? render::CanvasMode::Graph : render::CanvasMode::Layers);
        view_->update();
    });
    connect(panel_, &widgets::GraphPanel::thresholdsChanged, this, [this] { requestPrune(); });
    connect(panel_, &widgets::GraphPanel::pinnedOnlyChanged, this, [this] { rebuild(true); });
    connect(panel_, &widgets::GraphPanel::groupRequested, this, &GraphController::groupSelected);
    connect(panel_, &widgets::GraphPanel::ungroupRequested, this,
            &GraphController::ungroupSelected);
    connect(panel_, &widgets::GraphPanel::renameRequested, this, &GraphController::renameSelected);
    connect(panel_, &widgets::GraphPanel::autoGroupRequested, this, &GraphController::autoGroup);
    connect(panel_, &widgets::GraphPanel::visualiseRequested, this,
            &GraphController::visualiseSelected);
    connect(panel_, &widgets::GraphPanel::searchRequested, this, &GraphController::search);
    connect(panel_, &widgets::GraphPanel::graphChosen, this, &GraphController::chooseGraph);
    connect(panel_, &widgets::GraphPanel::clearRequested, this,
            [this] { selection_.setGraphNodes({}); });
    connect(&pruneWatcher_, &QFutureWatcher<PruneOutcome>::finished, this,
            &GraphController::pruneFinished);
    exemplarTimer_ = new QTimer(this);
    exemplarTimer_->setSingleShot(true);
    exemplarTimer_->setInterval(300);  // the mouse rests on a node: fetch its exemplars
    connect(exemplarTimer_, &QTimer::timeout, this, &GraphController::fetchExemplars);
}

// ---- the layer view -------------------------------------------------------------------

void GraphController::showNetwork(const QString& title,
                                  const std::vector<analysis::LayerInfo>& layers) {
    view_->setNetwork(title, layers);
    layerNames_.clear();
    for (const auto& layer : layers)
        if (layer.type != "Input") layerNames_.push_back(QString::fromStdString(layer.name));
    if (pendingViewState_) {
        view_->canvas().setViewState(*pendingViewState_);
        pendingViewState_.reset();
    }
    followUnit();
    view_->update();
    networkShown_ = true;
    Q_EMIT networkDescribed();
}

void GraphController::followUnit() {
    if (const auto& unit = selection_.unit())
        view_->setSelectedUnit(QString::fromStdString(unit->layer), unit->index);
}

std::optional<std::vector<double>> GraphController::viewState() const {
    if (view_->canvas().layers().empty()) return pendingViewState_;
    return view_->canvas().viewState();
}

void GraphController::restoreViewState(const std::vector<double>& state) {
    if (view_->canvas().layers().empty()) {
        pendingViewState_ = state;
        return;
    }
    view_->canvas().setViewState(state);
    view_->update();
}

// ---- opening, computing, saving ---------------------------------------------------------

void GraphController::openGraphDialog() {
    const QString path = QFileDialog::getOpenFileName(
        dialogParent_, tr("Open attribution graph"), QString(),
        tr("Graph JSON (circuit-tracer, Neuronpedia) (*.json);;All files (*)"));
    if (!path.isEmpty()) openGraph(path);
}

void GraphController::openGraph(const QString& path) {
    const auto file = path.toStdString();
    jobs_.submitTyped<std::shared_ptr<analysis::AttributionGraph>>(
        tr("Open graph %1").arg(QFileInfo(path).fileName()),
        [file](const analysis::JobContext& context) {
            return std::make_shared<analysis::AttributionGraph>(
                analysis::readAttributionGraph(file, context));
        },
        [this, path](std::shared_ptr<analysis::AttributionGraph> graph) {
            setGraph(std::move(*graph), QFileInfo(path).fileName());
        },
        [this](const QString& error) { reportError(tr("Opening the graph"), error); });
}

void GraphController::computeDialog(std::optional<qint64> stimulus) {
    if (layerNames_.isEmpty()) {
        reportError(tr("Attribution graph"), tr("Open a model (or the demo) first."));
        return;
    }
    widgets::AttributionDialog dialog(layerNames_, std::numeric_limits<int>::max(),
                                      stimulus.value_or(selection_.stimulus().value_or(0)),
                                      dialogParent_);
    if (dialog.exec() == QDialog::Accepted) compute(dialog.choice());
}

void GraphController::compute(const widgets::AttributionChoice& choice) {
    analysis::GraphRequest request;
    try {
        request.attribution.target =
            analysis::AttributionTarget::parse(choice.target.toStdString());
        request.attribution.method = analysis::parseAttributionMethod(choice.method.toStdString());
    } catch (const std::exception& error) {
        reportError(tr("Attribution graph"), QString::fromUtf8(error.what()));
        return;
    }
    for (const QString& layer : choice.layers)
        request.attribution.layers.push_back(layer.toStdString());
    request.patches = choice.patches;
    request.top = choice.top;
    const auto stimulus = choice.stimulus;
    jobs_.submitTyped<std::shared_ptr<analysis::AttributionGraph>>(
        tr("Attribution graph of stimulus %1").arg(stimulus),
        [workspace = workspace_, request, stimulus](const analysis::JobContext& context) {
            return std::make_shared<analysis::AttributionGraph>(
                workspace->attributionGraph(request, stimulus, context).graph);
        },
        [this](std::shared_ptr<analysis::AttributionGraph> graph) {
            setGraph(std::move(*graph), tr("computed graph"));
        },
        [this](const QString& error) { reportError(tr("Attribution graph"), error); });
}

void GraphController::saveGraphAsDialog() {
    if (!graph_) {
        reportError(tr("Saving the graph"), tr("There is no graph to save."));
        return;
    }
    const QString path = QFileDialog::getSaveFileName(dialogParent_, tr("Save attribution graph"),
                                                      QString(), tr("Graph JSON (*.json)"));
    if (path.isEmpty()) return;
    auto graph =
        std::make_shared<analysis::AttributionGraph>(graphWithEdits(*graph_, edits_, evidence_));
    jobs_.submitTyped<bool>(
        tr("Save graph %1").arg(QFileInfo(path).fileName()),
        [graph, file = path.toStdString()](const analysis::JobContext&) {
            analysis::writeAttributionGraph(file, *graph);
            return true;
        },
        {}, [this](const QString& error) { reportError(tr("Saving the graph"), error); });
}

void GraphController::setGraph(analysis::AttributionGraph graph, const QString& origin) {
    storeCurrent();
    GraphEntry entry;
    entry.edits = analysis::graphEdits(graph);
    entry.evidence = readSupernodeEvidence(graph);
    entry.graph = std::make_shared<const analysis::AttributionGraph>(std::move(graph));
    entry.origin = origin;
    entries_.push_back(std::move(entry));
    exemplars_.clear();  // a new graph may come from another model
    showEntry(int(entries_.size()) - 1, true);
}

void GraphController::chooseGraph(int index) {
    if (index < 0 || index >= int(entries_.size()) || index == current_) return;
    storeCurrent();
    showEntry(index, !entries_[std::size_t(index)].plot);
}

void GraphController::storeCurrent() {
    if (current_ < 0 || !graph_) return;
    auto& entry = entries_[std::size_t(current_)];
    entry.edits = edits_;
    entry.evidence = evidence_;
    entry.plot = plotState();
}

void GraphController::showEntry(int index, bool refit) {
    current_ = index;
    const auto& entry = entries_[std::size_t(index)];
    graph_ = entry.graph;
    edits_ = entry.edits;
    origin_ = entry.origin;
    evidence_ = entry.evidence;
    input_ = inputThumbnail(*graph_);  // decoded once per graph shown, not per rebuild
    pendingPlot_ = refit ? std::nullopt : entry.plot;
    pruned_.reset();
    pruneError_.clear();
    undo_.clear();  // the commands edit the graph they were made on
    QStringList names;
    for (std::size_t i = 0; i < entries_.size(); ++i)
        names << tr("%1. %2").arg(i + 1).arg(
            QString::fromStdString(graphTitle(*entries_[i].graph, entries_[i].origin)));
    panel_->setGraphList(names, index);
    panel_->setGraphAvailable(true);
    panel_->setGraphMode(true);
    refitPending_ = refit;
    requestPrune();
}

void GraphController::clearGraphs() {
    entries_.clear();
    current_ = -1;
    graph_.reset();
    edits_ = {};
    evidence_.clear();
    input_ = {};
    undo_.clear();
    view_->canvas().plot().setScene({}, true);
    panel_->setGraphList({}, -1);
    panel_->setGraphAvailable(false);
    view_->update();
}

std::vector<std::string> GraphController::graphJsons() const {
    std::vector<std::string> out;
    for (std::size_t i = 0; i < entries_.size(); ++i) {
        const bool current = int(i) == current_;
        out.push_back(analysis::attributionGraphJson(
            graphWithEdits(*entries_[i].graph, current ? edits_ : entries_[i].edits,
                           current ? evidence_ : entries_[i].evidence)));
    }
    return out;
}

std::string GraphController::graphJson() const {
    if (!graph_) return {};
    return analysis::attributionGraphJson(graphWithEdits(*graph_, edits_, evidence_));
}

// ---- pruning and display -----------------------------------------------------------------

void GraphController::requestPrune() {
    if (!graph_) return;
    if (pruneRunning_) {  // the newest request runs once the current one ends
        prunePending_ = true;
        return;
    }
    pruneRunning_ = true;
    prunePending_ = false;
    const analysis::PruneOptions options{panel_->nodeThreshold(), panel_->edgeThreshold()};
    pruneWatcher_.setFuture(QtConcurrent::run([graph = graph_, options] {
        PruneOutcome outcome;
        try {
            outcome.result = analysis::pruneGraph(*graph, options);
        } catch (const std::exception& error) {
            outcome.error = QString::fromUtf8(error.what());
        }
        return outcome;
    }));
}

void GraphController::pruneFinished() {
    pruneRunning_ = false;
    auto outcome = pruneWatcher_.result();
    if (prunePending_) {
        requestPrune();
        return;
    }
    pruned_ = std::move(outcome.result);
    pruneError_ = outcome.error;
    rebuild(std::exchange(refitPending_, false));
    if (pendingPlot_) {
        view_->canvas().plot().setViewState(*pendingPlot_);
        pendingPlot_.reset();
        view_->update();
    }
    Q_EMIT graphShown();
}

const analysis::GraphDisplay& GraphController::display() const {
    // Until a new graph has been pruned, the plot still shows the previous one's display.
    const auto& scene = view_->canvas().plot().scene();
    return graph_ && scene.graph == graph_ ? scene.display : kNoDisplay;
}

void GraphController::rebuild(bool refit) {
    if (!graph_ || pruneRunning_) return;
    analysis::DisplayOptions options;
    options.pruning = {panel_->nodeThreshold(), panel_->edgeThreshold()};
    options.pinnedOnly = panel_->pinnedOnly();
    for (const auto& id : selection_.graphNodes())
        options.alwaysShown.insert(id);
    render::GraphScene scene;
    scene.graph = graph_;
    scene.display = analysis::displayGraph(*graph_, edits_, pruned_ ? &*pruned_ : nullptr, options);
    scene.title = graphTitle(*graph_, origin_);
    scene.input = input_;
    scene.evidence = evidence_;
    QString status = tr("%1 of %2 nodes, %3 links shown")
                         .arg(scene.display.nodes.size())
                         .arg(graph_->nodes.size())
                         .arg(scene.display.links.size());
    if (options.pinnedOnly) status += tr("  ·  pinned subgraph");
    if (!pruneError_.isEmpty()) status += tr("  ·  unpruned: %1").arg(pruneError_);
    scene.status = status.toStdString();

    // Selected: the selection's node ids, and nodes that are the selection's unit.
    std::set<std::string> selectedIds(selection_.graphNodes().begin(),
                                      selection_.graphNodes().end());
    std::set<std::size_t> selected;
    const auto& unit = selection_.unit();
    for (std::size_t i = 0; i < scene.display.nodes.size(); ++i) {
        const auto& node = scene.display.nodes[i];
        if (selectedIds.count(node.id)) selected.insert(i);
        if (unit && node.members.size() == 1 &&
            unitOf(graph_->nodes[node.members.front()]) == *unit)
            selected.insert(i);
    }
    view_->canvas().plot().setScene(std::move(scene), refit);
    view_->canvas().plot().setSelected(std::move(selected));
    view_->update();
}

// ---- interaction ---------------------------------------------------------------------------

void GraphController::nodeClicked(qint64 index, bool toggle, bool extend) {
    const auto& nodes = display().nodes;
    if (index < 0 || std::size_t(index) >= nodes.size()) return;
    const auto node = nodes[std::size_t(index)];  // a copy: the selection rebuilds the display
    if (toggle) {
        togglePin(memberIds({node.id}));
        return;
    }
    auto ids = selection_.graphNodes();
    if (extend) {
        const auto at = std::find(ids.begin(), ids.end(), node.id);
        if (at == ids.end())
            ids.push_back(node.id);
        else
            ids.erase(at);
    } else {
        ids = {node.id};
    }
    selection_.setGraphNodes(ids);
    if (!extend && node.members.size() == 1)
        if (auto unit = unitOf(graph_->nodes[node.members.front()])) selection_.setUnit(*unit);
}

void GraphController::nodeHovered(qint64 index) {
    const auto& nodes = display().nodes;
    if (index < 0 || std::size_t(index) >= nodes.size()) return;
    const auto& node = nodes[std::size_t(index)];
    readout_->setText(
        tr("%1  (%2)").arg(QString::fromStdString(node.label), QString::fromStdString(node.id)));
    restingNode_ = node.id;
    showCardExemplars(node.id);
    exemplarTimer_->start();
}

void GraphController::showCardExemplars(const std::string& nodeId) {
    if (!graph_) return;
    const auto unit = unitOf(*graph_, nodeId);
    if (!unit) return;
    // The caption as it is now: the layer may have been captioned since the last hover.
    view_->canvas().plot().setCardCaption(nodeId,
                                          captionOf_ ? captionOf_(*unit).toStdString() : "");
    const auto it = exemplars_.find({unit->layer, unit->index});
    if (it == exemplars_.end()) return;
    view_->canvas().plot().setCardImages(nodeId, it->second.images, it->second.values);
    view_->update();
}

// One unit at a time, silently: a hover must never raise a dialog.
void GraphController::fetchExemplars() {
    if (!graph_ || exemplarJobRunning_) return;
    const auto unit = unitOf(*graph_, restingNode_);
    if (!unit || exemplars_.count({unit->layer, unit->index})) return;
    exemplarJobRunning_ = true;
    const auto node = restingNode_;
    jobs_.submitTyped<CardExemplars>(
        tr("Exemplars of %1:%2").arg(QString::fromStdString(unit->layer)).arg(unit->index),
        [workspace = workspace_, ref = *unit](const analysis::JobContext& context) {
            CardExemplars out;
            for (auto& e : workspace->inspect(ref, 6, analysis::Pooling::Mean, context).exemplars) {
                out.images.push_back(std::move(e.image));
                out.values.push_back(e.value);
            }
            return out;
        },
        [this, unit = *unit, node](CardExemplars found) {
            exemplarJobRunning_ = false;
            exemplars_[{unit.layer, unit.index}] = std::move(found);
            if (restingNode_ == node) showCardExemplars(node);
        },
        [this](const QString&) { exemplarJobRunning_ = false; });
}

void GraphController::search(const QString& text) {
    const auto& nodes = display().nodes;
    const QString needle = text.trimmed();
    if (needle.isEmpty()) return;
    for (std::size_t i = 0; i < nodes.size(); ++i)
        if (QString::fromStdString(nodes[i].id).contains(needle, Qt::CaseInsensitive) ||
            QString::fromStdString(nodes[i].label).contains(needle, Qt::CaseInsensitive)) {
            const std::string id = nodes[i].id;
            view_->canvas().plot().centreOn(i, float(view_->width()), float(view_->height()));
            selection_.setGraphNodes({id});
            return;
        }
    readout_->setText(tr("No node matches '%1'").arg(needle));
}

void GraphController::visualiseSelected() {
    if (!graph_ || selection_.graphNodes().empty()) {
        readout_->setText(tr("Select a unit node or supernode to visualise it."));
        return;
    }
    std::optional<std::string> layer;
    std::vector<qint64> units;
    for (const auto& id : memberIds(selection_.graphNodes())) {
        const auto unit = unitOf(*graph_, id);
        if (!unit) continue;  // inputs, errors and logits have no unit of a layer
        if (layer && *layer != unit->layer) {
            readout_->setText(tr("The selected nodes are in several layers: select one layer's."));
            return;
        }
        layer = unit->layer;
        if (std::find(units.begin(), units.end(), unit->index) == units.end())
            units.push_back(unit->index);
    }
    if (!layer) {
        readout_->setText(tr("The selection holds no unit of a layer to visualise."));
        return;
    }
    const auto* shown = displayNode(selection_.graphNodes().front());
    const QString label = selection_.graphNodes().size() == 1 && shown
                              ? QString::fromStdString(shown->label)
                              : tr("%n graph node(s)", "", int(units.size()));
    Q_EMIT visualiseRequested(QString::fromStdString(*layer), units, label);
}

const analysis::DisplayNode* GraphController::displayNode(const std::string& id) const {
    const auto& nodes = display().nodes;
    const auto it =
        std::find_if(nodes.begin(), nodes.end(), [&](const auto& node) { return node.id == id; });
    return it == nodes.end() ? nullptr : &*it;
}

// Display ids to graph node ids: a supernode stands for its members.
std::vector<std::string> GraphController::memberIds(
    const std::vector<std::string>& displayIds) const {
    std::vector<std::string> ids;
    for (const auto& id : displayIds) {
        const auto* node = displayNode(id);
        if (!node) {
            if (graph_ && graph_->indexOf(id)) ids.push_back(id);
            continue;
        }
        for (auto m : node->members)
            ids.push_back(graph_->nodes[m].id);
    }
    return ids;
}

// ---- session -------------------------------------------------------------------------------

std::vector<double> GraphController::plotState() const {
    return view_->canvas().plot().viewState();
}

std::vector<double> GraphController::optionsState() const {
    return {panel_->nodeThreshold(), panel_->edgeThreshold(), panel_->pinnedOnly() ? 1.0 : 0.0,
            panel_->graphMode() ? 1.0 : 0.0};
}

void GraphController::restoreGraphs(const std::vector<std::string>& jsons, int current,
                                    std::optional<std::vector<double>> plot,
                                    std::optional<std::vector<double>> options) {
    if (options && options->size() == 4) {
        const auto& o = *options;
        panel_->setThresholds(std::clamp(o[0], 0.01, 1.0), std::clamp(o[1], 0.01, 1.0));
        panel_->setPinnedOnly(o[2] != 0);
    }
    const bool graphMode = !options || options->size() != 4 || (*options)[3] != 0;
    clearGraphs();  // the session's graphs replace the panel's, none if it had none
    panel_->setGraphMode(graphMode && !jsons.empty());
    if (jsons.empty()) return;
    using Graphs = std::vector<std::shared_ptr<analysis::AttributionGraph>>;
    jobs_.submitTyped<Graphs>(
        tr("Reopen the session's graphs"),
        [jsons](const analysis::JobContext& context) {
            Graphs graphs;
            for (std::size_t i = 0; i < jsons.size(); ++i)
                graphs.push_back(
                    std::make_shared<analysis::AttributionGraph>(analysis::parseAttributionGraph(
                        jsons[i], "session graph " + std::to_string(i + 1),
                        context.stage(double(i) / double(jsons.size()),
                                      double(i + 1) / double(jsons.size())))));
            return graphs;
        },
        [this, plot, graphMode, current](Graphs graphs) {
            for (auto& graph : graphs) {
                GraphEntry entry;
                entry.edits = analysis::graphEdits(*graph);
                entry.evidence = readSupernodeEvidence(*graph);
                entry.graph = std::move(graph);
                entry.origin = tr("session graph");
                entries_.push_back(std::move(entry));
            }
            const int shown = std::clamp(current, 0, int(entries_.size()) - 1);
            entries_[std::size_t(shown)].plot = plot;
            showEntry(shown, !plot);
            panel_->setGraphMode(graphMode);
        },
        [this](const QString& error) { reportError(tr("Reopening the graphs"), error); });
}

void GraphController::reportError(const QString& what, const QString& error) {
    Q_EMIT failed(what, error);
    if (interactive_) showMessageLater(dialogParent_, QMessageBox::Critical, what, error);
}

}  // namespace us::app
