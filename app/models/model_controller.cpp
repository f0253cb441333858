#include "app/models/model_controller.h"

#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QMessageBox>
#include <QStandardPaths>

#include <cstdlib>

#include "analysis/demo/demo_data.h"
#include "analysis/demo/demo_network.h"
#include "analysis/models/input_spec.h"
#include "app/core/message_box.h"
#include "widgets/common/empty_state_panel.h"
#include "widgets/models/layer_tree.h"
#include "widgets/models/neuron_inspector.h"
#include "widgets/clusters/treemap_panel.h"

namespace us::app {
namespace fs = std::filesystem;
using analysis::JobContext;

namespace {

QString shapeText(const std::vector<std::int64_t>& shape) {
    QStringList parts;
    for (auto d : shape)
        parts << QString::number(d);
    return parts.join(",");
}

QString fileName(const std::string& path) {
    return QFileInfo(QString::fromStdString(path)).fileName();
}

}  // namespace

ModelController::ModelController(JobRunner& jobs, widgets::LayerTree* layers,
                                 widgets::NeuronInspector* inspector,
                                 widgets::TreemapPanel* treemap, QWidget* dialogParent)
    : QObject(dialogParent),
      jobs_(jobs),
      layers_(layers),
      inspector_(inspector),
      treemap_(treemap),
      dialogParent_(dialogParent),
      workspace_(std::make_shared<analysis::ModelWorkspace>()) {
    connect(layers_, &widgets::LayerTree::extractRequested, this, &ModelController::extractDialog);
    connect(inspector_, &widgets::NeuronInspector::unitRequested, this,
            [this](const QString& layer, qint64 index, int k, int pooling) {
                inspect({layer.toStdString(), index}, k, analysis::Pooling(pooling));
            });
    connect(treemap_, &widgets::TreemapPanel::clusterSelected, this, [this](qint64 node) {
        if (!clusters_) return;
        auto workspace = workspace_;
        const auto clusters = *clusters_;
        const int k = inspector_->exemplarCount();
        const QString description = treemap_->view()->describe(node);
        jobs_.submitTyped<analysis::ClusterMembers>(
            tr("Members of cluster %1").arg(node),
            [workspace, clusters, node, k](const JobContext&) {
                return workspace->clusterMembers(clusters, node, k);
            },
            [this, description](analysis::ClusterMembers members) {
                inspector_->showCluster(members, description);
            },
            [this](const QString& error) { reportError(tr("Cluster members"), error); });
    });
}

void ModelController::reportError(const QString& what, const QString& error) {
    Q_EMIT failed(what, error);
    if (interactive_) showMessageLater(dialogParent_, QMessageBox::Critical, what, error);
}

void ModelController::reportWarning(const QString& what, const QString& text) {
    Q_EMIT warned(what, text);
    if (interactive_) showMessageLater(dialogParent_, QMessageBox::Warning, what, text);
}

void ModelController::openModelDialog() {
    const QString path = QFileDialog::getOpenFileName(
        dialogParent_, tr("Open TorchScript model"), QString(),
        tr("TorchScript models (*.pt *.pth *.ts *.zip);;All files (*)"));
    if (path.isEmpty()) return;
    std::optional<std::vector<std::int64_t>> shape;
    try {
        if (!analysis::readModelSidecar(path.toStdString())) {
            bool ok = false;
            const QString text = QInputDialog::getText(
                dialogParent_, tr("Model input size"),
                tr("No %1.json sidecar gives this model's input size.\nInput as C,H,W "
                   "(images are resized and normalised with ImageNet mean and std):")
                    .arg(QFileInfo(path).fileName()),
                QLineEdit::Normal, "3,224,224", &ok);
            if (!ok) return;
            shape = analysis::parseInputShape(text.toStdString());
        }
    } catch (const std::exception& error) {
        reportError(tr("Open model"), QString::fromUtf8(error.what()));
        return;
    }
    openModel(path, shape);
}

void ModelController::openStimuliDialog() {
    const QString path = QFileDialog::getOpenFileName(
        dialogParent_, tr("Open stimuli file"), QString(),
        tr("IDX images or float32 arrays (*idx3-ubyte *idx3-ubyte.gz *.npy);;All files (*)"));
    if (!path.isEmpty()) openStimuli(path);
}

void ModelController::openStimuliFolderDialog() {
    const QString folder = QFileDialog::getExistingDirectory(
        dialogParent_, tr("Open a folder of images (one subfolder per class, or labels.csv)"));
    if (!folder.isEmpty()) openStimuli(folder);
}

void ModelController::openStoreDialog() {
    const QString path =
        QFileDialog::getOpenFileName(dialogParent_, tr("Open activation store"), QString(),
                                     tr("Activation stores (*.h5 *.hdf5)"));
    if (!path.isEmpty()) openStore(path);
}

void ModelController::extractDialog() {
    if (!model_) return reportError(tr("Extract activations"), tr("Open a model first."));
    if (!stimuli_) return reportError(tr("Extract activations"), tr("Open stimuli first."));
    const QStringList layers = layers_->checkedLayers();
    if (layers.isEmpty())
        return reportError(tr("Extract activations"),
                           tr("Tick the layers to extract in the Layers panel."));
    const QString suggested =
        QDir(QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation))
            .filePath(QFileInfo(QString::fromStdString(stimuli_->path)).completeBaseName() + "-" +
                      QFileInfo(QString::fromStdString(model_->path)).completeBaseName() + ".h5");
    QString out = QFileDialog::getSaveFileName(dialogParent_, tr("Save activations as"), suggested,
                                               tr("Activation stores (*.h5)"));
    if (out.isEmpty()) return;
    if (!out.endsWith(".h5")) out += ".h5";
    extract(layers, out);
}

void ModelController::showModel(const analysis::ModelSummary& model, const QString& title) {
    model_ = model;
    layers_->setModel(title, model.layers);
    std::vector<analysis::LayerInfo> graph;
    graph.push_back({"input", "Input", model.spec.shape, 0});
    graph.insert(graph.end(), model.layers.begin(), model.layers.end());
    Q_EMIT networkDescribed(title, graph);
}

void ModelController::openModel(const QString& path,
                                std::optional<std::vector<std::int64_t>> inputShape) {
    auto workspace = workspace_;
    jobs_.submitTyped<analysis::ModelSummary>(
        tr("Open model %1").arg(QFileInfo(path).fileName()),
        [workspace, path = path.toStdString(), inputShape](const JobContext&) {
            return workspace->openModel(path, inputShape);
        },
        [this](analysis::ModelSummary model) {
            showModel(model, tr("%1: %2 modules, input %3")
                                 .arg(fileName(model.path))
                                 .arg(model.layers.size())
                                 .arg(shapeText(model.spec.shape)));
        },
        [this](const QString& error) { reportError(tr("Open model"), error); });
}

void ModelController::openStimuli(const QString& path) {
    auto workspace = workspace_;
    jobs_.submitTyped<analysis::StimuliSummary>(
        tr("Open stimuli %1").arg(QFileInfo(path).fileName()),
        [workspace, path = path.toStdString()](const JobContext&) {
            return workspace->openStimuli(path);
        },
        [this](analysis::StimuliSummary stimuli) { stimuli_ = std::move(stimuli); },
        [this](const QString& error) { reportError(tr("Open stimuli"), error); });
}

void ModelController::showStore(const analysis::StoreSummary& store,
                                std::optional<analysis::UnitRef> select) {
    store_ = store;
    inspector_->setLayers(store.layers, QString::fromStdString(store.path));
    Q_EMIT storeOpened();
    if (store.layers.empty()) return;
    // The requested unit, else the middle stored layer's first unit (a good first look).
    const analysis::UnitRef fallback{store.layers[store.layers.size() / 2].name, 0};
    if (!select || !inspector_->requestUnit(*select)) inspector_->requestUnit(fallback);
}

void ModelController::openStore(const QString& path, std::optional<analysis::UnitRef> select,
                                const std::string& expectedSha256) {
    auto workspace = workspace_;
    jobs_.submitTyped<analysis::StoreSummary>(
        tr("Open activations %1").arg(QFileInfo(path).fileName()),
        [workspace, path = path.toStdString()](const JobContext&) {
            return workspace->openStore(path);
        },
        [this, select, expectedSha256, path](analysis::StoreSummary store) {
            showStore(store, select);
            if (!expectedSha256.empty() && expectedSha256 != store.sha256)
                reportWarning(tr("Open session"),
                              tr("%1 has changed since the session was saved; the inspector "
                                 "shows its current contents.")
                                  .arg(path));
        },
        [this](const QString& error) { reportError(tr("Open activations"), error); });
}

void ModelController::extract(const QStringList& layers, const QString& out) {
    std::vector<std::string> names;
    for (const auto& layer : layers)
        names.push_back(layer.toStdString());
    auto workspace = workspace_;
    jobs_.submitTyped<analysis::StoreSummary>(
        tr("Extract activations to %1").arg(QFileInfo(out).fileName()),
        [workspace, names, out = out.toStdString()](const JobContext& context) {
            return workspace->extract(names, out, 32, context);
        },
        [this](analysis::StoreSummary store) {
            showStore(store, std::nullopt);
            if (store.skipped.empty()) return;
            QStringList skipped;
            for (const auto& item : store.skipped)
                skipped << QString::fromStdString(item);
            reportWarning(
                tr("Extract activations"),
                tr("%n stimuli could not be read and were skipped:\n", "", int(skipped.size())) +
                    skipped.mid(0, 20).join("\n") + (skipped.size() > 20 ? "\n..." : ""));
        },
        [this](const QString& error) { reportError(tr("Extract activations"), error); });
}

void ModelController::prepareDemo(const fs::path& cacheDir,
                                  std::optional<analysis::UnitRef> select) {
    analysis::DemoTrainingOptions options;
    options.datasetDir = analysis::fashionMnistDir();
    // Tests train a short run instead of the full recipe (kept in its own cache entry).
    if (const char* steps = std::getenv("UNITSCOPE_DEMO_MAX_STEPS"); steps && *steps)
        options.maxSteps = std::atoll(steps);
    layers_->clear(
        tr("Preparing the demo network: trained on Fashion-MNIST at first use "
           "(a few minutes), then reused."));
    inspector_->emptyState()->setExplanation(
        tr("Preparing the demo network and its activations (see the Jobs panel)..."));
    auto workspace = workspace_;
    jobs_.submitTyped<analysis::DemoNetwork>(
        tr("Prepare demo network (Fashion-MNIST CNN)"),
        [workspace, cacheDir, options](const JobContext& context) {
            return analysis::prepareDemoNetwork(*workspace, cacheDir / "demo-network", options,
                                                context);
        },
        [this, select](analysis::DemoNetwork demo) {
            stimuli_ = demo.stimuli;
            showModel(demo.model, tr("Demo CNN trained on Fashion-MNIST: %1% test accuracy "
                                     "(%2 training steps)")
                                      .arg(demo.training.testAccuracy * 100.0, 0, 'f', 1)
                                      .arg(demo.training.steps));
            layers_->setChecked({});
            showStore(demo.store, select);
            // The demo's treemap: its test images clustered by the penultimate layer.
            cluster("relu3", analysis::ItemKind::Stimuli, analysis::LinkageMethod::Ward);
        },
        [this](const QString& error) { reportError(tr("Demo network"), error); });
}

void ModelController::restore(const std::vector<analysis::DataSource>& sources,
                              std::optional<std::vector<std::int64_t>> inputShape,
                              std::optional<analysis::UnitRef> select) {
    for (const auto& source : sources) {
        const QString path = QString::fromStdString(source.path);
        if (source.kind == "model")
            openModel(path, inputShape);
        else if (source.kind == "stimuli")
            openStimuli(path);
    }
    // The store last: opening it may also open its own model and stimuli when none are open.
    for (const auto& source : sources)
        if (source.kind == "activations")
            openStore(QString::fromStdString(source.path), select, source.sha256);
}

std::vector<analysis::DataSource> ModelController::sources() const {
    std::vector<analysis::DataSource> sources;
    if (model_) sources.push_back({"model", model_->path, model_->sha256});
    if (stimuli_) sources.push_back({"stimuli", stimuli_->path, {}});
    if (store_) sources.push_back({"activations", store_->path, store_->sha256});
    return sources;
}

std::optional<std::vector<std::int64_t>> ModelController::inputShape() const {
    if (!model_) return std::nullopt;
    return model_->spec.shape;
}

void ModelController::inspect(const analysis::UnitRef& unit, int k, analysis::Pooling pooling) {
    selected_ = unit;
    if (inspectJob_) jobs_.cancel(inspectJob_);  // only the latest request matters
    auto workspace = workspace_;
    inspectJob_ = jobs_.submitTyped<analysis::UnitReport>(
        tr("Inspect %1:%2").arg(QString::fromStdString(unit.layer)).arg(unit.index),
        [workspace, unit, k, pooling](const JobContext& context) {
            return workspace->inspect(unit, k, pooling, context);
        },
        [this](analysis::UnitReport report) {
            inspectJob_ = 0;
            inspector_->showReport(report);
            treemap_->setUnitValues(QString("%1:%2")
                                        .arg(QString::fromStdString(report.unit.layer))
                                        .arg(report.unit.index),
                                    report.values);
            Q_EMIT unitShown(QString::fromStdString(report.unit.layer), report.unit.index);
        },
        [this](const QString& error) {
            inspectJob_ = 0;
            inspector_->showError(error);
        });
}

}  // namespace us::app

namespace us::app {

void ModelController::clusterDialog() {
    if (!store_) return reportError(tr("Cluster"), tr("Open or extract activations first."));
    QStringList layers;
    for (const auto& layer : store_->layers)
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

void ModelController::cluster(const QString& layer, analysis::ItemKind items,
                              analysis::LinkageMethod method) {
    auto workspace = workspace_;
    treemap_->emptyState()->setExplanation(tr("Clustering %1 (see the Jobs panel)...").arg(layer));
    jobs_.submitTyped<analysis::ClusterResult>(
        tr("Cluster %1 of %2")
            .arg(items == analysis::ItemKind::Stimuli ? tr("stimuli") : tr("units"), layer),
        [workspace, layer = layer.toStdString(), items, method](const JobContext& context) {
            return workspace->cluster(layer, items, method, analysis::Pooling::Mean, context);
        },
        [this](analysis::ClusterResult result) {
            clusters_ = result;
            treemap_->setClusters(result);
            Q_EMIT clustersShown();
            if (selected_) inspector_->requestUnit(*selected_);  // recolour by the unit
        },
        [this](const QString& error) { reportError(tr("Cluster"), error); });
}

}  // namespace us::app
