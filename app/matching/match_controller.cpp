#include "app/matching/match_controller.h"

#include <QCryptographicHash>
#include <QFileInfo>
#include <QMessageBox>

#include "analysis/core/atomic_file.h"
#include "analysis/matching/unit_matching_run.h"
#include "analysis/models/random_weights.h"
#include "app/core/cache_files.h"
#include "app/core/json_file.h"
#include "app/core/message_box.h"
#include "app/core/selection.h"
#include "app/models/control_concept_units.h"
#include "app/models/model_controller.h"
#include "widgets/models/match_panel.h"
#include "widgets/models/neuron_inspector.h"

namespace fs = std::filesystem;

namespace us::app {
namespace {

constexpr const char* kMatchesSource = "unit-matches";
constexpr std::int64_t kExemplars = 8;  // per side

std::vector<double> pairR(const nlohmann::json& pairs) {
    std::vector<double> r;
    for (const auto& pair : pairs)
        r.push_back(pair.at(2).get<double>());
    return r;
}

UnitMatches parseMatches(const nlohmann::json& report, const QString& path) {
    UnitMatches m;
    m.path = path;
    m.layer = QString::fromStdString(report.at("a").at("layer").get<std::string>());
    m.otherStore = QString::fromStdString(report.at("b").at("store").get<std::string>());
    m.otherLayer = QString::fromStdString(report.at("b").at("layer").get<std::string>());
    m.method = report.at("method").get<std::string>() == "best" ? QObject::tr("best match")
                                                                : QObject::tr("one to one");
    m.pooling = report.at("pooling").get<std::string>() == "max" ? analysis::Pooling::Max
                                                                 : analysis::Pooling::Mean;
    const auto units = report.at("a").at("units").get<std::int64_t>();
    if (units < 0 || units > (std::int64_t(1) << 31))
        throw std::runtime_error("the layer's unit count is out of range");
    m.partnerOf.assign(std::size_t(units), {-1, 0.0});
    for (const auto& pair : report.at("pairs")) {
        const auto a = pair.at(0).get<std::int64_t>();
        if (a < 0 || a >= units) throw std::runtime_error("a pair names a unit out of range");
        m.partnerOf[std::size_t(a)] = {pair.at(1).get<qint64>(), pair.at(2).get<double>()};
    }
    m.matched = pairR(report.at("pairs"));
    if (const auto& control = report.at("control"); !control.is_null())
        m.control = pairR(control.at("pairs"));
    if (const auto& beyond = report.at("beyond_control"); !beyond.is_null()) {
        m.threshold = beyond.at("threshold_r").get<double>();
        m.beyondFraction = beyond.at("fraction").get<double>();
    }
    return m;
}

UnitMatches readMatches(const fs::path& path) {
    return parseJsonFile(path, "unit matches", [&](const nlohmann::json& report) {
        return parseMatches(report, QString::fromStdString(path.string()));
    });
}

// What a random-weight copy of the open network needs, read on the GUI thread.
struct CopySetup {
    std::string layer;
    std::uint64_t seed = 0;
    std::string storeSha256;
    std::optional<std::vector<std::int64_t>> inputShape;
    std::optional<analysis::ResizeMode> resize;
};

// The layer's activations for a random-weight copy of the open network over the open
// stimuli, both made once and kept in the cache.
fs::path randomCopyActivations(const analysis::ModelWorkspace& workspace, const fs::path& cacheDir,
                               const CopySetup& setup, const analysis::JobContext& job) {
    const auto model = workspace.modelPath();
    const auto stimuli = workspace.stimuliPath();
    if (!model || !stimuli)
        throw std::runtime_error(
            "a random-weight copy needs the network and the stimuli its activations were "
            "extracted from: open both, or choose a control store");
    const std::string seed = std::to_string(setup.seed);
    const fs::path copy = cacheDir / "random-controls" /
                          (analysis::sha256File(*model).substr(0, 16) + "-s" + seed + ".pt");
    std::error_code ec;
    if (!fs::exists(copy, ec)) {
        fs::create_directories(copy.parent_path());
        analysis::RandomControlRequest request;
        request.model = *model;
        request.out = copy;
        request.seed = setup.seed;
        request.stimuli = *stimuli;
        request.inputShape = setup.inputShape;
        request.resize = setup.resize;
        analysis::makeRandomControl(request, job.stage(0, 0.5));
    }
    const fs::path activations = layerCacheFile(cacheDir, "random-controls", setup.storeSha256,
                                                setup.layer, "-s" + seed + ".h5");
    if (!fs::exists(activations, ec)) {
        analysis::ExtractionRequest request;
        request.model = copy;
        request.stimuli = *stimuli;
        request.layers = {setup.layer};
        request.out = activations;
        request.inputShape = setup.inputShape;
        request.resize = setup.resize;
        analysis::extractActivations(request, job.stage(0.5, 1));
    }
    return activations;
}

// One file per pair of stores and layers, method, pooling and control (the store files
// themselves: an attached concept store's layer name does not say its settings).
fs::path matchesFile(const fs::path& cacheDir, const analysis::UnitMatchRequest& request) {
    const auto storeOf = [](const std::string& source) {
        return analysis::sha256File(source.substr(0, source.rfind(':')));
    };
    const auto layerOf = [](const std::string& source) {
        return source.substr(source.rfind(':') + 1);
    };
    std::vector<std::string> parts{
        storeOf(request.a),
        layerOf(request.a),
        storeOf(request.b),
        layerOf(request.b),
        request.method == analysis::MatchMethod::Best ? "best" : "hungarian",
        request.pooling == analysis::Pooling::Max ? "max" : "mean"};
    if (request.control) parts.push_back(storeOf(*request.control));
    std::string key;
    for (const auto& part : parts)
        key.append(part).append("|");
    const QByteArray digest =
        QCryptographicHash::hash(QByteArray::fromStdString(key), QCryptographicHash::Sha256);
    return cacheDir / "unit-matches" / (digest.toHex().left(16).toStdString() + ".json");
}

std::vector<analysis::Exemplar> topExemplars(const analysis::ModelWorkspace& workspace,
                                             const std::vector<float>& values) {
    const auto rows = analysis::topIndices(values, kExemplars);
    std::vector<float> top;
    for (const auto row : rows)
        top.push_back(values[std::size_t(row)]);
    return workspace.stimulusExemplars(rows, top);
}

}  // namespace

MatchController::MatchController(JobRunner& jobs, Selection& selection,
                                 std::shared_ptr<analysis::ModelWorkspace> workspace,
                                 ModelController& models, widgets::NeuronInspector* inspector,
                                 const fs::path& cacheDir, QWidget* dialogParent)
    : QObject(dialogParent),
      jobs_(jobs),
      selection_(selection),
      workspace_(std::move(workspace)),
      models_(models),
      inspector_(inspector),
      cacheDir_(cacheDir),
      dialogParent_(dialogParent) {
    connect(&selection_, &Selection::changed, this, [this](Selection::Aspects aspects) {
        if (aspects & Selection::Unit) showSelectedUnit();
    });
    // Matches belong to a store: a new one starts without them, but takes those a session
    // reopened before its store (or its concept units) arrived.
    connect(&models_, &ModelController::storeOpened, this, [this] {
        layers_.clear();
        keepPending();
    });
    // Attaching concept units resets the inspector's layers, and with them its match panel.
    connect(&models_, &ModelController::storeAttached, this, [this] {
        keepPending();
        showSelectedUnit();
    });
}

void MatchController::reportError(const QString& what, const QString& error) {
    Q_EMIT failed(what, error);
    if (interactive_) showMessageLater(dialogParent_, QMessageBox::Critical, what, error);
}

void MatchController::match(const widgets::MatchSetup& setup) {
    const QString what = tr("Match units");
    const auto& store = models_.store();
    if (!store) return reportError(what, tr("Open or extract activations first."));
    const auto* found = models_.storeLayer(setup.layer);
    if (!found) return reportError(what, tr("%1 is not in the open activations.").arg(setup.layer));
    if (setup.other.isEmpty() || setup.otherLayer.isEmpty())
        return reportError(what, tr("Choose the other network's activations and its layer."));
    analysis::UnitMatchRequest request;
    const std::string layer = setup.layer.toStdString();
    request.a = models_.storePathFor(setup.layer) + ":" + layer;
    request.b = setup.other.toStdString() + ":" + setup.otherLayer.toStdString();
    request.method = setup.method;
    request.pooling = setup.pooling;
    // Concept units are weighed against the control network's concept units of the same
    // layer, method and number; a random-weight copy then needs the source layer extracted.
    const auto concepts = controlConceptsFor(*found);
    using Control = widgets::MatchSetup::Control;
    std::optional<std::string> controlStore;
    if (setup.control == Control::Store) controlStore = setup.controlStore.toStdString();
    std::optional<CopySetup> copy;
    if (setup.control == Control::RandomCopy)
        copy = CopySetup{concepts ? concepts->sourceLayer : layer, setup.seed, store->sha256,
                         models_.inputShape(), models_.inputResize()};
    jobs_.submitTyped<UnitMatches>(
        tr("Match %1 with %2:%3")
            .arg(setup.layer, QFileInfo(setup.other).fileName(), setup.otherLayer),
        [request, copy, controlStore, concepts, layer, workspace = workspace_,
         cacheDir = cacheDir_](const analysis::JobContext& context) mutable {
            const double share = copy ? 0.6 : 0.0, conceptShare = concepts ? 0.1 : 0.0;
            if (copy)
                controlStore =
                    randomCopyActivations(*workspace, cacheDir, *copy, context.stage(0, share))
                        .string();
            if (controlStore)
                request.control =
                    concepts ? controlConceptSource(*concepts, cacheDir, *controlStore,
                                                    context.stage(share, share + conceptShare))
                             : *controlStore + ":" + layer;
            const fs::path out = matchesFile(cacheDir, request);
            std::error_code ec;
            if (!fs::exists(out, ec)) {
                const auto report =
                    analysis::runUnitMatching(request, context.stage(share + conceptShare, 1));
                fs::create_directories(out.parent_path());
                analysis::writeTextAtomically(out, report.dump(1) + "\n");
            }
            return readMatches(out);
        },
        [this](UnitMatches matches) { keep(std::move(matches)); },
        [this, what](const QString& error) { reportError(what, error); });
}

void MatchController::matchDialog() {
    const auto& store = models_.store();
    if (!store) return reportError(tr("Match units"), tr("Open or extract activations first."));
    QString layer;
    if (const auto unit = selection_.unit()) layer = QString::fromStdString(unit->layer);
    widgets::MatchDialog dialog(*store, layer, models_.hasModelAndStimuli(), dialogParent_);
    if (dialog.exec() != QDialog::Accepted) return;
    match(dialog.setup());
}

void MatchController::keep(UnitMatches matches) {
    if (!models_.storeLayer(matches.layer)) {
        pending_.push_back(std::move(matches));  // until its layer is open; saved meanwhile
        return;
    }
    const QString layer = matches.layer;
    layers_[layer] = std::move(matches);
    showSelectedUnit();
    Q_EMIT matched(layer);
}

const UnitMatches* MatchController::matchesOf(const QString& layer) const {
    const auto found = layers_.find(layer);
    return found == layers_.end() ? nullptr : &found->second;
}

void MatchController::showSelectedUnit() {
    const auto unit = selection_.unit();
    if (!unit) return;
    const auto* matches = matchesOf(QString::fromStdString(unit->layer));
    if (!matches || unit->index < 0 || unit->index >= qint64(matches->partnerOf.size())) return;
    widgets::MatchView view;
    view.unit = *unit;
    view.other = QFileInfo(matches->otherStore).fileName() + ":" + matches->otherLayer;
    std::tie(view.partner, view.r) = matches->partnerOf[std::size_t(unit->index)];
    view.method = matches->method;
    view.threshold = matches->threshold;
    view.beyondFraction = matches->beyondFraction;
    view.matched = matches->matched;
    view.control = matches->control;
    if (const auto& store = models_.store())
        for (const auto& name : store->labelNames)
            view.classNames << QString::fromStdString(name);
    if (partnerJob_) jobs_.cancel(partnerJob_);
    partnerJob_ = jobs_.submitTyped<widgets::MatchView>(
        tr("Match of %1:%2").arg(QString::fromStdString(unit->layer)).arg(unit->index),
        [view, workspace = workspace_, otherStore = matches->otherStore.toStdString(),
         otherLayer = matches->otherLayer.toStdString(),
         pooling = matches->pooling](const analysis::JobContext&) mutable {
            view.own = topExemplars(*workspace, workspace->unitValues(view.unit, pooling));
            view.predictions = workspace->predictionNames();
            if (view.partner >= 0) {
                const auto other = analysis::ActivationStore::open(otherStore);
                view.partnerExemplars =
                    topExemplars(*workspace, other.unitColumn(otherLayer, view.partner, pooling));
                // The open network's predictions say nothing of the other's.
                for (auto& exemplar : view.partnerExemplars)
                    exemplar.predicted = -1;
            }
            return view;
        },
        [this](widgets::MatchView shown) {
            partnerJob_ = 0;
            if (selection_.unit() != shown.unit) return;  // the user has moved on
            inspector_->matches()->showMatch(shown);
            Q_EMIT partnerShown(QString::fromStdString(shown.unit.layer), shown.unit.index,
                                shown.partner);
        },
        [this](const QString& error) {
            partnerJob_ = 0;
            reportError(tr("Match units"), error);
        });
}

void MatchController::keepPending() {
    for (auto& matches : std::exchange(pending_, {}))
        keep(std::move(matches));
}

std::vector<analysis::DataSource> MatchController::sources() const {
    std::vector<analysis::DataSource> out;
    for (const auto& [layer, matches] : layers_)
        out.push_back({kMatchesSource, matches.path.toStdString(), {}});
    for (const auto& matches : pending_)
        out.push_back({kMatchesSource, matches.path.toStdString(), {}});
    return out;
}

void MatchController::open(const QString& path) {
    jobs_.submitTyped<UnitMatches>(
        tr("Open unit matches %1").arg(path),
        [path](const analysis::JobContext&) { return readMatches(path.toStdString()); },
        [this](UnitMatches matches) { keep(std::move(matches)); },
        [this](const QString& error) { reportError(tr("Open unit matches"), error); });
}

void MatchController::restore(const std::vector<analysis::DataSource>& sources) {
    for (const auto& source : sources)
        if (source.kind == kMatchesSource) open(QString::fromStdString(source.path));
}

}  // namespace us::app
