#include "app/clusters/cluster_controller.h"

#include <QComboBox>
#include <QInputDialog>
#include <QMessageBox>
#include <QSlider>
#include <QStringList>

#include <algorithm>
#include <map>
#include <utility>

#include "app/core/message_box.h"
#include "app/core/selection.h"
#include "app/models/model_controller.h"
#include "widgets/clusters/treemap_panel.h"
#include "widgets/clusters/treemap_view.h"
#include "widgets/common/empty_state_panel.h"
#include "widgets/models/neuron_inspector.h"
#include "widgets/models/visualisation_strip.h"

namespace us::app {

using analysis::JobContext;

namespace {
constexpr std::size_t kManyClusterImages = 16;  // more cells than this: ask first
}  // namespace

ClusterController::ClusterController(JobRunner& jobs, Selection& selection,
                                     std::shared_ptr<analysis::ModelWorkspace> workspace,
                                     const ModelController& models, widgets::TreemapPanel* treemap,
                                     widgets::NeuronInspector* inspector, QWidget* dialogParent)
    : QObject(dialogParent),
      jobs_(jobs),
      selection_(selection),
      workspace_(std::move(workspace)),
      models_(models),
      treemap_(treemap),
      inspector_(inspector),
      dialogParent_(dialogParent) {
    connect(treemap_, &widgets::TreemapPanel::clusterSelected, this, [this](qint64 node) {
        if (selection_.cluster() == node)
            showSelectedCluster();  // picked again: show its members again
        else
            selection_.setCluster(node);
    });
    connect(treemap_, &widgets::TreemapPanel::attributionRequested, this, [this](qint64 node) {
        // A cell of stimuli: its most typical member (nearest the centroid).
        if (!clusters_ || clusters_->items != analysis::ItemKind::Stimuli) {
            reportError(tr("Attribution graph"), tr("This treemap clusters units, not stimuli."));
            return;
        }
        const auto& representatives = clusters_->tree->representatives;
        if (node < 0 || std::size_t(node) >= representatives.size() ||
            representatives[std::size_t(node)][0] < 0)
            return;
        Q_EMIT attributionRequested(representatives[std::size_t(node)][0]);
    });
    connect(treemap_, &widgets::TreemapPanel::visualiseRequested, this, [this](qint64 node) {
        if (!clusters_ || clusters_->items != analysis::ItemKind::Units) return;
        const auto members = clusters_->tree->members(node);
        const std::vector<qint64> units(members.begin(), members.end());
        Q_EMIT visualiseRequested(QString::fromStdString(clusters_->layer), units,
                                  tr("cluster %1 of %2 (%n unit(s))", "", int(units.size()))
                                      .arg(node)
                                      .arg(QString::fromStdString(clusters_->layer)));
    });
    connect(treemap_, &widgets::TreemapPanel::clusterImagesRequested, this,
            [this](const std::vector<qint64>& nodes, bool iterate) {
                if (!clusters_ || clusters_->items != analysis::ItemKind::Units) return;
                // Every image is optimised in one batch: many cells make a long job.
                if (interactive_ && nodes.size() > kManyClusterImages &&
                    QMessageBox::question(
                        dialogParent_, tr("Discriminative images"),
                        tr("Make %1 images in one run? With this many cells it can take "
                           "minutes (it runs as a job you can cancel). Fewer cells: zoom in "
                           "or lower the depth.")
                            .arg(nodes.size())) != QMessageBox::Yes)
                    return;
                std::vector<std::vector<qint64>> cells;
                QStringList labels;
                for (auto node : nodes) {
                    const auto members = clusters_->tree->members(node);
                    cells.emplace_back(members.begin(), members.end());
                    labels << tr("cluster %1 of %2 (%n unit(s))", "", int(members.size()))
                                  .arg(node)
                                  .arg(QString::fromStdString(clusters_->layer));
                }
                Q_EMIT clusterImagesRequested(QString::fromStdString(clusters_->layer), cells,
                                              labels, iterate);
            });
    connect(&models_, &ModelController::storeOpened, this, [this] {
        restoredForStore_ = pending_.has_value();
        if (!pending_) return;
        const auto state = *std::exchange(pending_, std::nullopt);
        try {
            clusterWithView(
                QString::fromStdString(state.layer), analysis::parseItemKind(state.items),
                analysis::parseLinkageMethod(state.method), std::exchange(pendingView_, {}));
        } catch (const std::exception& error) {
            reportError(tr("Open session"),
                        tr("The session's clustering cannot be made again: %1").arg(error.what()));
        }
    });
    connect(&selection_, &Selection::changed, this, [this](Selection::Aspects aspects) {
        if (aspects & Selection::Unit) colourBySelectedUnit();
        if (aspects & Selection::Cluster) showSelectedCluster();
    });
}

void ClusterController::reportError(const QString& what, const QString& error) {
    Q_EMIT failed(what, error);
    if (interactive_) showMessageLater(dialogParent_, QMessageBox::Critical, what, error);
}

void ClusterController::clusterDialog() {
    const auto& store = models_.store();
    if (!store) return reportError(tr("Cluster"), tr("Open or extract activations first."));
    QStringList layers;
    for (const auto& layer : store->layers)
        layers << QString::fromStdString(layer.name);
    bool ok = false;
    const QString layer = QInputDialog::getItem(dialogParent_, tr("Cluster"), tr("Layer:"), layers,
                                                int(layers.size()) - 1, false, &ok);
    if (!ok) return;
    const QStringList kinds{tr("stimuli (by their activations in this layer)"),
                            tr("units (by their activation profiles across stimuli)")};
    const QString kind =
        QInputDialog::getItem(dialogParent_, tr("Cluster"), tr("Items:"), kinds, 0, false, &ok);
    if (!ok) return;
    const QStringList methods{"ward", "average", "complete", "single"};
    const QString method =
        QInputDialog::getItem(dialogParent_, tr("Cluster"), tr("Linkage:"), methods, 0, false, &ok);
    if (!ok) return;
    cluster(layer, kind == kinds[0] ? analysis::ItemKind::Stimuli : analysis::ItemKind::Units,
            analysis::parseLinkageMethod(method.toStdString()));
}

void ClusterController::cluster(const QString& layer, analysis::ItemKind items,
                                analysis::LinkageMethod method) {
    clusterWithView(layer, items, method, std::nullopt);
}

// With a session's view, the session's selected cluster stays (it names a node of this tree).
void ClusterController::clusterWithView(const QString& layer, analysis::ItemKind items,
                                        analysis::LinkageMethod method,
                                        std::optional<std::vector<double>> view) {
    auto workspace = workspace_;
    treemap_->emptyState()->setExplanation(tr("Clustering %1 (see the Jobs panel)...").arg(layer));
    jobs_.submitTyped<analysis::ClusterResult>(
        tr("Cluster %1 of %2")
            .arg(items == analysis::ItemKind::Stimuli ? tr("stimuli") : tr("units"), layer),
        [workspace, layer = layer.toStdString(), items, method](const JobContext& context) {
            return workspace->cluster(layer, items, method, analysis::Pooling::Mean, context);
        },
        [this, view](analysis::ClusterResult result) {
            clusters_ = result;
            // A new hierarchy: node ids of the old one mean nothing in it.
            if (!view) selection_.setCluster(std::nullopt);
            treemap_->setClusters(result);
            if (view) applyView(*view);
            Q_EMIT clustersShown();
            colourBySelectedUnit();
        },
        [this](const QString& error) { reportError(tr("Cluster"), error); });
}

// The treemap's "colour by unit" follows the selection's unit: its mean activation per cell.
void ClusterController::colourBySelectedUnit() {
    const auto unit = selection_.unit();
    if (!unit || !clusters_ || clusters_->items != analysis::ItemKind::Stimuli) return;
    if (colourJob_) jobs_.cancel(colourJob_);  // only the latest unit matters
    auto workspace = workspace_;
    const QString label =
        QString("%1:%2").arg(QString::fromStdString(unit->layer)).arg(unit->index);
    colourJob_ = jobs_.submitTyped<std::vector<float>>(
        tr("Colour clusters by %1").arg(label),
        [workspace, unit = *unit](const JobContext&) {
            return workspace->unitValues(unit, analysis::Pooling::Mean);
        },
        [this, label](std::vector<float> values) {
            colourJob_ = 0;
            treemap_->setUnitValues(label, values);
        },
        [this](const QString& error) {
            colourJob_ = 0;
            Q_EMIT failed(tr("Colour clusters"), error);
        });
}

// The selection's cluster: its members nearest the centroid, in the inspector.
void ClusterController::showSelectedCluster() {
    const auto node = selection_.cluster();
    if (!node || !clusters_) return;
    auto workspace = workspace_;
    const auto clusters = *clusters_;
    const int k = inspector_->exemplarCount();
    const QString description = treemap_->view()->describe(*node);
    jobs_.submitTyped<analysis::ClusterMembers>(
        tr("Members of cluster %1").arg(*node),
        [workspace, clusters, node = *node, k](const JobContext&) {
            return workspace->clusterMembers(clusters, node, k);
        },
        [this, description](analysis::ClusterMembers members) {
            inspector_->showCluster(members, description);
        },
        [this](const QString& error) { reportError(tr("Cluster members"), error); });
}

void ClusterController::showCellImages(const std::vector<analysis::VisualisationRecord>& records) {
    auto* view = treemap_->view();
    if (!clusters_ || clusters_->items != analysis::ItemKind::Units) {
        view->setCellImages({});
        return;
    }
    const auto& tree = *clusters_->tree;
    std::map<std::int64_t, widgets::TreemapCellImage> images;
    for (const auto& record : records) {
        auto cluster = analysis::clusterUnitsOf(record);
        if (!cluster || cluster->first != clusters_->layer || cluster->second.empty()) continue;
        auto& units = cluster->second;
        std::sort(units.begin(), units.end());
        const auto decoded =
            widgets::VisualisationStrip::toImages(record.imageShape, record.images);
        if (decoded.empty()) continue;
        for (std::int64_t node = 0; node < tree.nodeCount(); ++node) {
            if (tree.size[std::size_t(node)] != double(units.size())) continue;
            auto members = tree.members(node);
            std::sort(members.begin(), members.end());
            if (members != units) continue;
            QString note = tr("discriminative image");
            if (record.clusterShare && !record.finalActivation.empty() && record.rivalActivation)
                note = tr("discriminative image: %1% share, own mean %2 vs next %3")
                           .arg(*record.clusterShare * 100, 0, 'f', 0)
                           .arg(record.finalActivation[0], 0, 'g', 3)
                           .arg(*record.rivalActivation, 0, 'g', 3);
            images[node] = {decoded.front(), note};
            break;
        }
    }
    view->setCellImages(std::move(images));
}

std::optional<analysis::ClusteringState> ClusterController::state() const {
    if (!clusters_) return std::nullopt;
    return analysis::ClusteringState{
        clusters_->layer, clusters_->items == analysis::ItemKind::Units ? "units" : "stimuli",
        clusters_->method};
}

std::vector<double> ClusterController::viewState() const {
    return {double(treemap_->view()->zoomRoot()), double(treemap_->depthSlider()->value()),
            double(treemap_->colourBox()->currentIndex())};
}

void ClusterController::restore(std::optional<analysis::ClusteringState> state,
                                std::optional<std::vector<double>> view) {
    pending_ = std::move(state);
    pendingView_ = view.value_or(std::vector<double>{});
}

void ClusterController::clusterDemo() {
    if (std::exchange(restoredForStore_, false)) return;
    cluster("relu3", analysis::ItemKind::Stimuli, analysis::LinkageMethod::Ward);
}

// A saved view: zoom root, depth and colouring, each only when it fits this treemap.
void ClusterController::applyView(const std::vector<double>& view) {
    if (view.size() != 3) return;
    treemap_->depthSlider()->setValue(int(view[1]));
    if (int(view[2]) >= 0 && int(view[2]) < treemap_->colourBox()->count())
        treemap_->colourBox()->setCurrentIndex(int(view[2]));
    const auto* tree = treemap_->view()->tree();
    if (tree && view[0] >= 0 && view[0] < double(tree->nodeCount()))
        treemap_->view()->zoomTo(std::int64_t(view[0]), false);
}

}  // namespace us::app
