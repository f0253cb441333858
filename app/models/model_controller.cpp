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
#include "app/core/selection.h"
#include "widgets/common/empty_state_panel.h"
#include "widgets/models/layer_tree.h"
#include "widgets/models/neuron_inspector.h"

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

ModelController::ModelController(JobRunner& jobs, Selection& selection,
                                 std::shared_ptr<analysis::ModelWorkspace> workspace,
                                 widgets::LayerTree* layers, widgets::NeuronInspector* inspector,
                                 QWidget* dialogParent)
    : QObject(dialogParent),
      jobs_(jobs),
      selection_(selection),
      layers_(layers),
      inspector_(inspector),
      dialogParent_(dialogParent),
      workspace_(std::move(workspace)) {
    connect(layers_, &widgets::LayerTree::extractRequested, this, &ModelController::extractDialog);
    // The inspector asks for a unit (search, keys, similar list) or for other k / pooling.
    connect(inspector_, &widgets::NeuronInspector::unitRequested, this,
            [this](const QString& layer, qint64 index, int k, int pooling) {
                const analysis::UnitRef unit{layer.toStdString(), index};
                if (selection_.unit() == unit)
                    inspect(unit, k, analysis::Pooling(pooling));
                else
                    selection_.setUnit(unit);  // comes back through changed()
            });
    connect(&selection_, &Selection::changed, this, [this](Selection::Aspects aspects) {
        if (aspects & Selection::Unit) showSelectedUnit();
    });
    connect(&jobs_, &JobRunner::jobCancelled, this, [this](quint64 id) {
        if (storeJobs_.count(id)) pendingAttached_.clear();  // they extended that store
    });
    connect(&jobs_, &JobRunner::jobEnded, this, [this](quint64 id) { storeJobs_.erase(id); });
}

// The selection's unit in the inspector (validated against the store), once a store is open.
void ModelController::showSelectedUnit() {
    if (!store_) return;
    if (const auto& unit = selection_.unit()) inspector_->requestUnit(*unit);
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
    std::optional<analysis::ResizeMode> resize;
    try {
        if (!analysis::readModelSidecar(path.toStdString())) {
            bool ok = false;
            const QString text = QInputDialog::getText(
                dialogParent_, tr("Model input size"),
                tr("No %1.json sidecar gives this model's input size.\nInput as C,H,W "
                   "(images are normalised with ImageNet mean and std):")
                    .arg(QFileInfo(path).fileName()),
                QLineEdit::Normal, "3,224,224", &ok);
            if (!ok) return;
            shape = analysis::parseInputShape(text.toStdString());
            // torchvision's evaluation transform for colour models; stretching otherwise.
            const QStringList modes{
                tr("Resize the shorter side, then crop the centre (torchvision's evaluation "
                   "transform: 256 then 224)"),
                tr("Stretch to the input size")};
            const QString mode = QInputDialog::getItem(
                dialogParent_, tr("Model input size"), tr("Bring images to the input size by:"),
                modes, shape->front() == 3 ? 0 : 1, false, &ok);
            if (!ok) return;
            resize =
                mode == modes[0] ? analysis::ResizeMode::CentreCrop : analysis::ResizeMode::Stretch;
        }
    } catch (const std::exception& error) {
        reportError(tr("Open model"), QString::fromUtf8(error.what()));
        return;
    }
    openModel(path, shape, resize);
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
                                std::optional<std::vector<std::int64_t>> inputShape,
                                std::optional<analysis::ResizeMode> resize) {
    auto workspace = workspace_;
    jobs_.submitTyped<analysis::ModelSummary>(
        tr("Open model %1").arg(QFileInfo(path).fileName()),
        [workspace, path = path.toStdString(), inputShape, resize](const JobContext&) {
            return workspace->openModel(path, inputShape, resize);
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

void ModelController::showStore(const analysis::StoreSummary& store) {
    store_ = store;
    inspector_->setLayers(store.layers, QString::fromStdString(store.path));
    Q_EMIT storeOpened();
    if (store.layers.empty()) return;
    // The selection's unit, else the middle stored layer's first unit (a good first look).
    const auto& unit = selection_.unit();
    if (!unit || !inspector_->requestUnit(*unit))
        inspector_->requestUnit({store.layers[store.layers.size() / 2].name, 0});
}

void ModelController::openStore(const QString& path, const std::string& expectedSha256) {
    auto workspace = workspace_;
    storeJobs_.insert(jobs_.submitTyped<analysis::StoreSummary>(
        tr("Open activations %1").arg(QFileInfo(path).fileName()),
        [workspace, path = path.toStdString()](const JobContext&) {
            return workspace->openStore(path);
        },
        [this, expectedSha256, path](analysis::StoreSummary store) {
            showStore(store);
            warnIfChanged(path, expectedSha256, store.sha256);
            attachPending();
        },
        [this](const QString& error) {
            pendingAttached_.clear();  // they extend a store that did not open
            reportError(tr("Open activations"), error);
        }));
}

void ModelController::attachStore(const QString& path, const std::string& expectedSha256) {
    auto workspace = workspace_;
    jobs_.submitTyped<analysis::StoreSummary>(
        tr("Open concept units %1").arg(QFileInfo(path).fileName()),
        [workspace, path = path.toStdString()](const JobContext&) {
            return workspace->attachStore(path);
        },
        [this, expectedSha256, path](analysis::StoreSummary store) {
            const auto absolute = QFileInfo(path).absoluteFilePath().toStdString();
            QStringList added;
            for (const auto& attached : store.attached) {
                if (attached.path != absolute) continue;
                for (const auto& layer : attached.layers)
                    added << QString::fromStdString(layer);
                warnIfChanged(path, expectedSha256, attached.sha256);
            }
            store_ = std::move(store);
            inspector_->setLayers(store_->layers, QString::fromStdString(store_->path));
            showSelectedUnit();
            Q_EMIT storeAttached(added);
        },
        [this](const QString& error) { reportError(tr("Open concept units"), error); });
}

// A session's file whose contents differ from when it was saved (expected empty: no session).
void ModelController::warnIfChanged(const QString& path, const std::string& expected,
                                    const std::string& actual) {
    if (!expected.empty() && expected != actual)
        reportWarning(tr("Open session"),
                      tr("%1 has changed since the session was saved; the inspector shows its "
                         "current contents.")
                          .arg(path));
}

void ModelController::restoreAttached(const std::vector<analysis::DataSource>& sources) {
    for (const auto& source : sources)
        if (source.kind == "attached-activations") pendingAttached_.push_back(source);
    if (storeJobs_.empty() && store_) attachPending();
}

void ModelController::attachPending() {
    auto pending = std::move(pendingAttached_);
    pendingAttached_.clear();
    for (const auto& source : pending)
        attachStore(QString::fromStdString(source.path), source.sha256);
}

std::string ModelController::storePathFor(const QString& layer) const {
    if (!store_) return {};
    for (const auto& attached : store_->attached)
        for (const auto& name : attached.layers)
            if (QString::fromStdString(name) == layer) return attached.path;
    return store_->path;
}

const analysis::StoreLayer* ModelController::storeLayer(const QString& layer) const {
    if (!store_) return nullptr;
    const auto name = layer.toStdString();
    for (const auto& l : store_->layers)
        if (l.name == name) return &l;
    return nullptr;
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
            showStore(store);
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

void ModelController::prepareDemo(const fs::path& cacheDir) {
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
    storeJobs_.insert(jobs_.submitTyped<analysis::DemoNetwork>(
        tr("Prepare demo network (Fashion-MNIST CNN)"),
        [workspace, cacheDir, options](const JobContext& context) {
            return analysis::prepareDemoNetwork(*workspace, cacheDir / "demo-network", options,
                                                context);
        },
        [this](analysis::DemoNetwork demo) {
            stimuli_ = demo.stimuli;
            showModel(demo.model, tr("Demo CNN trained on Fashion-MNIST: %1% test accuracy "
                                     "(%2 training steps)")
                                      .arg(demo.training.testAccuracy * 100.0, 0, 'f', 1)
                                      .arg(demo.training.steps));
            layers_->setChecked({});
            showStore(demo.store);
            Q_EMIT demoReady();
            attachPending();
        },
        [this](const QString& error) {
            pendingAttached_.clear();
            reportError(tr("Demo network"), error);
        }));
}

void ModelController::restore(const std::vector<analysis::DataSource>& sources,
                              std::optional<std::vector<std::int64_t>> inputShape,
                              std::optional<analysis::ResizeMode> resize) {
    for (const auto& source : sources) {
        const QString path = QString::fromStdString(source.path);
        if (source.kind == "model")
            openModel(path, inputShape, resize);
        else if (source.kind == "stimuli")
            openStimuli(path);
    }
    // The store last: opening it may also open its own model and stimuli when none are open.
    for (const auto& source : sources)
        if (source.kind == "activations")
            openStore(QString::fromStdString(source.path), source.sha256);
}

std::vector<analysis::DataSource> ModelController::sources() const {
    std::vector<analysis::DataSource> sources;
    if (model_) sources.push_back({"model", model_->path, model_->sha256});
    if (stimuli_) sources.push_back({"stimuli", stimuli_->path, {}});
    if (store_) {
        sources.push_back({"activations", store_->path, store_->sha256});
        for (const auto& attached : store_->attached)
            sources.push_back({"attached-activations", attached.path, attached.sha256});
    }
    return sources;
}

std::optional<std::vector<std::int64_t>> ModelController::inputShape() const {
    if (!model_) return std::nullopt;
    return model_->spec.shape;
}

std::optional<analysis::ResizeMode> ModelController::inputResize() const {
    if (!model_) return std::nullopt;
    return model_->spec.resizeMode();
}

void ModelController::inspect(const analysis::UnitRef& unit, int k, analysis::Pooling pooling) {
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
            Q_EMIT unitShown(QString::fromStdString(report.unit.layer), report.unit.index);
        },
        [this](const QString& error) {
            inspectJob_ = 0;
            inspector_->showError(error);
        });
}

}  // namespace us::app
