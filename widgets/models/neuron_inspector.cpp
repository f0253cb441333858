#include "widgets/models/neuron_inspector.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCompleter>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QScrollArea>
#include <QShortcut>
#include <QSpinBox>
#include <QSplitter>
#include <QStackedWidget>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>

#include "analysis/clustering/concept_units.h"
#include "widgets/common/empty_state_panel.h"
#include "widgets/models/bar_chart.h"
#include "widgets/models/exemplar_grid.h"
#include "widgets/models/match_panel.h"
#include "widgets/models/visualisation_strip.h"

namespace us::widgets {
namespace {

constexpr int kLayerRole = Qt::UserRole + 1;

QString unitName(const analysis::UnitRef& unit) {
    return QString("%1:%2").arg(QString::fromStdString(unit.layer)).arg(unit.index);
}

// What a unit's value is: a concept unit's is its component weight (NMF's W).
QString valueText(const std::string& layerType, analysis::Pooling pooling) {
    if (analysis::conceptMethodOfType(layerType)) return QObject::tr("component weight");
    return pooling == analysis::Pooling::Mean ? QObject::tr("spatial mean activation")
                                              : QObject::tr("spatial max activation");
}

}  // namespace

NeuronInspector::NeuronInspector(QWidget* parent) : QWidget(parent) {
    buildUi();
}

void NeuronInspector::buildUi() {
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    stack_ = new QStackedWidget(this);
    outer->addWidget(stack_);
    empty_ = new EmptyStatePanel(tr("No unit selected"),
                                 tr("Open a model and stimuli and extract activations, or open "
                                    "an activation store, or File > Open demo."),
                                 this);
    stack_->addWidget(empty_);

    auto* page = new QWidget(this);
    auto* layout = new QVBoxLayout(page);
    layout->setContentsMargins(6, 6, 6, 6);
    auto* bar = new QHBoxLayout;
    auto* previous = new QToolButton(page);
    previous->setArrowType(Qt::LeftArrow);
    previous->setToolTip(tr("Previous unit ([ or Page Up)"));
    auto* next = new QToolButton(page);
    next->setArrowType(Qt::RightArrow);
    next->setToolTip(tr("Next unit (] or Page Down)"));
    search_ = new QLineEdit(page);
    search_->setObjectName("unitSearch");
    search_->setPlaceholderText(tr("layer:unit, e.g. layer4.1.conv2:37  (Ctrl+F)"));
    search_->setClearButtonEnabled(true);
    k_ = new QSpinBox(page);
    k_->setRange(1, 256);
    k_->setValue(16);
    k_->setPrefix(tr("top "));
    k_->setToolTip(tr("How many exemplars to show"));
    pooling_ = new QComboBox(page);
    pooling_->addItem(tr("mean"), int(analysis::Pooling::Mean));
    pooling_->addItem(tr("max"), int(analysis::Pooling::Max));
    pooling_->setToolTip(tr("Spatial pooling of conv outputs: mean or max over positions"));
    heatmaps_ = new QCheckBox(tr("Heat maps"), page);
    heatmaps_->setChecked(true);
    heatmaps_->setToolTip(tr("Overlay where in each image the unit responds"));
    bar->addWidget(previous);
    bar->addWidget(search_, 1);
    bar->addWidget(next);
    bar->addWidget(k_);
    bar->addWidget(pooling_);
    bar->addWidget(heatmaps_);
    layout->addLayout(bar);
    title_ = new QLabel(page);
    title_->setTextFormat(Qt::RichText);
    layout->addWidget(title_);
    caption_ = new QLabel(page);
    caption_->setObjectName("unitCaption");
    caption_->setTextFormat(Qt::RichText);
    caption_->setWordWrap(true);
    caption_->setToolTip(
        tr("The unit's caption (Analysis > Caption units), with its null models: q of the label "
           "permutation and of the random-weight control, Benjamini-Hochberg adjusted across "
           "the layer. Greyed when either says it could be chance."));
    caption_->hide();
    layout->addWidget(caption_);

    auto* split = new QSplitter(Qt::Vertical, page);
    auto* scroll = new QScrollArea(split);
    scroll->setWidgetResizable(true);
    grid_ = new ExemplarGrid(scroll);
    scroll->setWidget(grid_);
    auto* charts = new QWidget(split);
    auto* chartRow = new QHBoxLayout(charts);
    chartRow->setContentsMargins(0, 0, 0, 0);
    histogram_ = new BarChart(charts);
    classChart_ = new BarChart(charts);
    similar_ = new QListWidget(charts);
    similar_->setObjectName("similarUnits");
    similar_->setToolTip(
        tr("Units whose activations across the stimuli correlate most "
           "(Pearson r); click to inspect"));
    similar_->setMaximumWidth(220);
    chartRow->addWidget(histogram_, 3);
    chartRow->addWidget(classChart_, 3);
    chartRow->addWidget(similar_, 2);
    auto* synthetic = new QScrollArea(split);
    synthetic->setWidgetResizable(true);
    visualisations_ = new VisualisationStrip(synthetic);
    synthetic->setWidget(visualisations_);
    matches_ = new MatchPanel(split);
    split->addWidget(scroll);
    split->addWidget(synthetic);
    split->addWidget(charts);
    split->addWidget(matches_);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    split->setStretchFactor(2, 1);
    split->setStretchFactor(3, 2);
    split->setSizes({320, 200, 200, 320});
    synthetic->setMinimumHeight(120);
    charts->setMaximumHeight(280);
    layout->addWidget(split, 1);
    note_ = new QLabel(page);
    note_->setWordWrap(true);
    layout->addWidget(note_);
    stack_->addWidget(page);

    connect(previous, &QToolButton::clicked, this, [this] { step(-1); });
    connect(next, &QToolButton::clicked, this, [this] { step(+1); });
    connect(search_, &QLineEdit::returnPressed, this, [this] {
        const auto parsed = parseUnit(search_->text());
        if (const auto* unit = std::get_if<analysis::UnitRef>(&parsed))
            requestUnit(*unit);
        else
            showError(std::get<QString>(parsed));
    });
    connect(k_, &QSpinBox::editingFinished, this, &NeuronInspector::emitRequest);
    connect(pooling_, &QComboBox::currentIndexChanged, this, &NeuronInspector::emitRequest);
    connect(heatmaps_, &QCheckBox::toggled, grid_, &ExemplarGrid::setHeatmapsVisible);
    connect(grid_, &ExemplarGrid::stimulusClicked, this, &NeuronInspector::stimulusClicked);
    connect(grid_, &ExemplarGrid::attributionRequested, this,
            &NeuronInspector::attributionRequested);
    // Each item names its unit (the similar units of a unit, or a voxel's weighted units).
    const auto requestItem = [this](QListWidgetItem* item) {
        requestUnit({item->data(kLayerRole).toString().toStdString(),
                     item->data(Qt::UserRole).toLongLong()});
    };
    connect(similar_, &QListWidget::itemActivated, this, requestItem);
    connect(similar_, &QListWidget::itemClicked, this, requestItem);
    connect(histogram_, &BarChart::hovered, this, &NeuronInspector::hovered);
    connect(classChart_, &BarChart::hovered, this, &NeuronInspector::hovered);
    connect(matches_, &MatchPanel::hovered, this, &NeuronInspector::hovered);

    auto* find = new QShortcut(QKeySequence::Find, this);
    find->setContext(Qt::WidgetWithChildrenShortcut);
    connect(find, &QShortcut::activated, this, [this] {
        search_->setFocus();
        search_->selectAll();
    });
    // V visualises the unit while the inspector has focus (the graph panel has its own V).
    auto* visualise = new QShortcut(QKeySequence(Qt::Key_V), this);
    visualise->setContext(Qt::WidgetWithChildrenShortcut);
    connect(visualise, &QShortcut::activated, visualisations_,
            &VisualisationStrip::requestVisualise);
}

// Previous / next unit keys; the search box keeps its own typing.
void NeuronInspector::keyPressEvent(QKeyEvent* event) {
    switch (event->key()) {
        case Qt::Key_BracketLeft:
        case Qt::Key_PageUp: step(-1); return;
        case Qt::Key_BracketRight:
        case Qt::Key_PageDown: step(+1); return;
        default: QWidget::keyPressEvent(event);
    }
}

const analysis::StoreLayer* NeuronInspector::findLayer(const std::string& name) const {
    for (const auto& layer : layers_)
        if (layer.name == name) return &layer;
    return nullptr;
}

void NeuronInspector::setLayers(const std::vector<analysis::StoreLayer>& layers,
                                const QString& source) {
    layers_ = layers;
    QStringList names;
    for (const auto& layer : layers_)
        names << QString::fromStdString(layer.name) + ":";
    auto* completer = new QCompleter(names, search_);
    completer->setCaseSensitivity(Qt::CaseInsensitive);
    search_->setCompleter(completer);
    search_->setToolTip(tr("Activation store: %1").arg(source));
    current_.reset();
    captions_.clear();  // they belong to the previous store
    caption_->hide();
    matches_->clear();
    stack_->setCurrentIndex(layers_.empty() ? 0 : 1);
}

std::variant<analysis::UnitRef, QString> NeuronInspector::parseUnit(const QString& text) const {
    const QString trimmed = text.trimmed();
    const int split = std::max(trimmed.lastIndexOf(':'), trimmed.lastIndexOf(' '));
    if (split <= 0)
        return tr("Type layer:unit, for example %1:0")
            .arg(layers_.empty() ? "conv1" : QString::fromStdString(layers_[0].name));
    const std::string layerName = trimmed.left(split).trimmed().toStdString();
    bool ok = false;
    const qint64 index = trimmed.mid(split + 1).trimmed().toLongLong(&ok);
    const auto* layer = findLayer(layerName);
    if (!layer) {
        QStringList known;
        for (const auto& l : layers_)
            known << QString::fromStdString(l.name);
        return tr("No layer '%1' in the activation store. Stored layers: %2")
            .arg(QString::fromStdString(layerName), known.join(", "));
    }
    if (!ok || index < 0 || index >= layer->units)
        return tr("Layer %1 has units 0 to %2.")
            .arg(QString::fromStdString(layerName))
            .arg(layer->units - 1);
    return analysis::UnitRef{layerName, index};
}

bool NeuronInspector::requestUnit(const analysis::UnitRef& unit) {
    const auto* layer = findLayer(unit.layer);
    if (!layer || unit.index < 0 || unit.index >= layer->units) {
        showError(tr("Unit %1 is not in the activation store.").arg(unitName(unit)));
        return false;
    }
    current_ = unit;
    voxel_.reset();
    showCaptionOfCurrentUnit();
    if (matches_->unit() != unit) matches_->clear();
    search_->setText(unitName(unit));
    emitRequest();
    return true;
}

void NeuronInspector::step(int delta) {
    if (layers_.empty()) return;
    if (!current_) {
        requestUnit({layers_.front().name, 0});
        return;
    }
    std::size_t layerIndex = 0;
    while (layerIndex < layers_.size() && layers_[layerIndex].name != current_->layer)
        ++layerIndex;
    if (layerIndex == layers_.size()) return;
    std::int64_t index = current_->index + delta;
    if (index < 0) {
        if (layerIndex == 0) return;
        --layerIndex;
        index = layers_[layerIndex].units - 1;
    } else if (index >= layers_[layerIndex].units) {
        if (layerIndex + 1 == layers_.size()) return;
        ++layerIndex;
        index = 0;
    }
    requestUnit({layers_[layerIndex].name, index});
}

int NeuronInspector::exemplarCount() const {
    return k_->value();
}

analysis::Pooling NeuronInspector::pooling() const {
    return analysis::Pooling(pooling_->currentData().toInt());
}

void NeuronInspector::emitRequest() {
    if (!current_) return;
    setBusy(tr("Computing %1...").arg(unitName(*current_)));
    Q_EMIT unitRequested(QString::fromStdString(current_->layer), current_->index, k_->value(),
                         pooling_->currentData().toInt());
}

void NeuronInspector::setBusy(const QString& message) {
    note_->setText(message);
}

void NeuronInspector::showError(const QString& message) {
    note_->setText(QString("<span style='color:#c03030'>%1</span>").arg(message.toHtmlEscaped()));
}

void NeuronInspector::showReport(const analysis::UnitReport& report) {
    // A late report for a unit the user has already left is dropped.
    if (!current_ || !(report.unit == *current_)) return;
    const QString pooling = valueText(report.layerType, report.pooling);
    title_->setText(tr("<b>%1</b> &nbsp; %2, unit %3 of %4")
                        .arg(unitName(report.unit).toHtmlEscaped(),
                             QString::fromStdString(report.layerType).toHtmlEscaped())
                        .arg(report.unit.index)
                        .arg(report.layerUnits));
    QStringList classNames;
    for (const auto& name : report.classNames)
        classNames << QString::fromStdString(name);
    grid_->setExemplars(report.exemplars, classNames, report.predictions);

    const auto& h = report.histogram;
    histogram_->setHistogram(std::vector<double>(h.counts.begin(), h.counts.end()), h.edges.front(),
                             h.edges.back(), pooling, tr("stimuli"));
    histogram_->setMarker(report.exemplars.empty()
                              ? std::optional<double>()
                              : std::optional<double>(report.exemplars.back().value));
    if (report.classMeans.empty()) {
        classChart_->clear(tr("No class labels in these stimuli."));
    } else {
        QStringList names;
        std::vector<double> means;
        for (const auto& m : report.classMeans) {
            names << classNames.value(m.label, tr("class %1").arg(m.label));
            means.push_back(m.mean);
        }
        classChart_->setCategories(names, means, tr("mean %1").arg(pooling));
    }
    similar_->clear();
    for (const auto& s : report.similar) {
        auto* item = new QListWidgetItem(tr("%1:%2   r = %3")
                                             .arg(QString::fromStdString(report.unit.layer))
                                             .arg(s.unit)
                                             .arg(s.correlation, 0, 'f', 3),
                                         similar_);
        item->setData(Qt::UserRole, qlonglong(s.unit));
        item->setData(kLayerRole, QString::fromStdString(report.unit.layer));
    }
    note_->setText(QString::fromStdString(report.note));
}

}  // namespace us::widgets

namespace us::widgets {

void NeuronInspector::showCluster(const analysis::ClusterMembers& members,
                                  const QString& description) {
    stack_->setCurrentIndex(1);
    voxel_.reset();
    caption_->hide();
    matches_->clear();
    title_->setText(QString("<b>%1</b>").arg(description.toHtmlEscaped()));
    QStringList classNames;
    for (const auto& name : members.classNames)
        classNames << QString::fromStdString(name);
    grid_->setExemplars(members.exemplars, classNames, members.predictions);
    histogram_->clear(
        tr("Members of a cluster, nearest its centroid first. Choose a unit to "
           "see its activation histogram."));
    if (members.classCounts.empty() || members.classNames.empty()) {
        classChart_->clear(tr("No class labels in these stimuli."));
    } else {
        classChart_->setCategories(
            classNames, std::vector<double>(members.classCounts.begin(), members.classCounts.end()),
            tr("members"));
    }
    similar_->clear();
    note_->setText(tr("Showing %1 of %2 members.").arg(members.exemplars.size()).arg(members.size));
}

}  // namespace us::widgets

namespace us::widgets {

void NeuronInspector::setCaption(const analysis::UnitRef& unit, const QString& html, bool chance) {
    std::erase_if(captions_, [&](const HeldCaption& held) { return held.unit == unit; });
    captions_.push_back({unit, html, chance});
    showCaptionOfCurrentUnit();
}

QString NeuronInspector::captionText() const {
    return caption_->isVisibleTo(this) ? caption_->text() : QString();
}

void NeuronInspector::showCaptionOfCurrentUnit() {
    const auto held = std::find_if(captions_.begin(), captions_.end(), [&](const HeldCaption& c) {
        return current_ && c.unit == *current_;
    });
    if (held == captions_.end()) {
        caption_->hide();
        return;
    }
    caption_->setText(held->chance
                          ? QString("<span style='color:#8a8a8a'>%1 &nbsp;<i>%2</i></span>")
                                .arg(held->html, tr("(could be chance)"))
                          : held->html);
    caption_->show();
}

void NeuronInspector::showVoxel(const VoxelView& voxel) {
    stack_->setCurrentIndex(1);
    current_.reset();  // a late unit report is dropped
    showCaptionOfCurrentUnit();
    matches_->clear();
    voxel_ = voxel.label;
    search_->clear();
    title_->setText(voxel.title);
    grid_->setExemplars(voxel.exemplars, voxel.classNames, voxel.predictions);
    const auto h = analysis::histogram(voxel.predicted, 40);
    if (h.counts.empty())
        histogram_->clear(tr("No stimuli."));
    else
        histogram_->setHistogram(std::vector<double>(h.counts.begin(), h.counts.end()),
                                 h.edges.front(), h.edges.back(), tr("predicted response"),
                                 tr("stimuli"));
    histogram_->setMarker(voxel.exemplars.empty()
                              ? std::optional<double>()
                              : std::optional<double>(voxel.exemplars.back().value));
    if (voxel.concepts.isEmpty())
        classChart_->clear(tr("No concepts to caption with."));
    else
        classChart_->setCategories(voxel.concepts, voxel.conceptProbabilities,
                                   tr("caption probability"));
    similar_->clear();
    for (const auto& [unit, weight] : voxel.units) {
        auto* item = new QListWidgetItem(
            tr("%1:%2   w = %3").arg(voxel.layer).arg(unit).arg(double(weight), 0, 'f', 3),
            similar_);
        item->setData(Qt::UserRole, qlonglong(unit));
        item->setData(kLayerRole, voxel.layer);
        item->setToolTip(
            tr("Encoder weight of this unit for the voxel; click to inspect the "
               "unit and see its weight over the brain"));
    }
    note_->setText(voxel.note);
}

}  // namespace us::widgets
