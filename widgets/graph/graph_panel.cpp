#include "widgets/graph/graph_panel.h"

#include <QAction>
#include <QButtonGroup>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSignalBlocker>
#include <QSlider>
#include <QToolButton>
#include <QVBoxLayout>

#include <cmath>

#include "widgets/graph/graph_view.h"

namespace us::widgets {
namespace {

QToolButton* toolButton(const QString& text, const QString& tip, QWidget* parent) {
    auto* button = new QToolButton(parent);
    button->setText(text);
    button->setToolTip(tip);
    button->setAutoRaise(true);
    return button;
}

QSlider* percentSlider(int value, const QString& tip, QWidget* parent) {
    auto* slider = new QSlider(Qt::Horizontal, parent);
    slider->setRange(1, 100);
    slider->setValue(value);
    slider->setToolTip(tip);
    slider->setMaximumWidth(120);
    return slider;
}

}  // namespace

GraphPanel::GraphPanel(QWidget* parent) : QWidget(parent), view_(new GraphView(this)) {
    graphButton_ = toolButton(tr("Graph"), tr("The attribution graph"), this);
    layersButton_ = toolButton(tr("Layers"), tr("The model's layer structure"), this);
    auto* modes = new QButtonGroup(this);
    for (auto* button : {graphButton_, layersButton_}) {
        button->setCheckable(true);
        modes->addButton(button);
    }
    layersButton_->setChecked(true);
    connect(graphButton_, &QToolButton::toggled, this, [this](bool on) {
        setGraphAvailable(graphAvailable_);
        Q_EMIT modeChanged(on);
    });

    graphs_ = new QComboBox(this);
    graphs_->setToolTip(tr("The graphs of this session"));
    graphs_->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    graphs_->setMaximumWidth(220);
    connect(graphs_, &QComboBox::activated, this, &GraphPanel::graphChosen);

    nodeSlider_ = percentSlider(80,
                                tr("Show the nodes that account for this share of the "
                                   "influence on the target"),
                                this);
    edgeSlider_ = percentSlider(98,
                                tr("Show the links that account for this share of the "
                                   "link influence"),
                                this);
    nodeLabel_ = new QLabel(this);
    edgeLabel_ = new QLabel(this);
    for (auto* slider : {nodeSlider_, edgeSlider_})
        connect(slider, &QSlider::valueChanged, this, [this] {
            updateSliderLabels();
            Q_EMIT thresholdsChanged(nodeThreshold(), edgeThreshold());
        });
    pinnedOnly_ = toolButton(tr("Pinned"),
                             tr("Show only the pinned nodes and the links among "
                                "them (Ctrl+click a node to pin it)"),
                             this);
    pinnedOnly_->setCheckable(true);
    connect(pinnedOnly_, &QToolButton::toggled, this, &GraphPanel::pinnedOnlyChanged);
    auto* group =
        toolButton(tr("Group"), tr("Group the selected nodes into a supernode (G)"), this);
    auto* ungroup = toolButton(tr("Ungroup"), tr("Split the selected supernode (Shift+G)"), this);
    auto* rename = toolButton(tr("Rename"), tr("Rename the selected node or supernode (F2)"), this);
    auto* autoGroup = toolButton(tr("Auto-group"),
                                 tr("Group units by their signatures over the "
                                    "stimulus classes"),
                                 this);
    connect(group, &QToolButton::clicked, this, &GraphPanel::groupRequested);
    connect(ungroup, &QToolButton::clicked, this, &GraphPanel::ungroupRequested);
    connect(rename, &QToolButton::clicked, this, &GraphPanel::renameRequested);
    connect(autoGroup, &QToolButton::clicked, this, &GraphPanel::autoGroupRequested);
    auto* visualise = toolButton(
        tr("Visualise"), tr("Synthesise an image that drives the selected node's units (V)"), this);
    connect(visualise, &QToolButton::clicked, this, &GraphPanel::visualiseRequested);
    auto* search = new QLineEdit(this);
    search->setPlaceholderText(tr("Find id or label"));
    search->setClearButtonEnabled(true);
    search->setMaximumWidth(160);
    connect(search, &QLineEdit::returnPressed, this,
            [this, search] { Q_EMIT searchRequested(search->text()); });

    // Shortcuts of the panel, live while it (or its canvas) has focus.
    const auto shortcut = [this](const QKeySequence& keys, auto signal) {
        auto* action = new QAction(this);
        action->setShortcut(keys);
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        connect(action, &QAction::triggered, this, signal);
        addAction(action);
    };
    shortcut(QKeySequence(Qt::Key_G), &GraphPanel::groupRequested);
    shortcut(QKeySequence(Qt::SHIFT | Qt::Key_G), &GraphPanel::ungroupRequested);
    shortcut(QKeySequence(Qt::Key_F2), &GraphPanel::renameRequested);
    shortcut(QKeySequence(Qt::Key_V), &GraphPanel::visualiseRequested);
    shortcut(QKeySequence(Qt::Key_Escape), &GraphPanel::clearRequested);

    auto* tools = new QHBoxLayout;
    tools->setContentsMargins(4, 2, 4, 2);
    tools->setSpacing(4);
    tools->addWidget(graphButton_);
    tools->addWidget(layersButton_);
    tools->addSpacing(8);
    for (QWidget* w : std::initializer_list<QWidget*>{graphs_, nodeLabel_, nodeSlider_, edgeLabel_,
                                                      edgeSlider_, pinnedOnly_, group, ungroup,
                                                      rename, autoGroup, visualise, search}) {
        tools->addWidget(w);
        graphTools_.push_back(w);
    }
    tools->addStretch(1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addLayout(tools);
    layout->addWidget(view_, 1);
    updateSliderLabels();
    setGraphAvailable(false);
}

bool GraphPanel::graphMode() const {
    return graphButton_->isChecked();
}

void GraphPanel::setGraphMode(bool graph) {
    (graph ? graphButton_ : layersButton_)->setChecked(true);
}

double GraphPanel::nodeThreshold() const {
    return nodeSlider_->value() / 100.0;
}

double GraphPanel::edgeThreshold() const {
    return edgeSlider_->value() / 100.0;
}

void GraphPanel::setThresholds(double node, double edge) {
    const QSignalBlocker blockNode(nodeSlider_), blockEdge(edgeSlider_);
    nodeSlider_->setValue(int(std::lround(node * 100)));
    edgeSlider_->setValue(int(std::lround(edge * 100)));
    updateSliderLabels();
}

void GraphPanel::setGraphList(const QStringList& names, int current) {
    const QSignalBlocker block(graphs_);
    graphs_->clear();
    graphs_->addItems(names);
    graphs_->setCurrentIndex(current);
}

bool GraphPanel::pinnedOnly() const {
    return pinnedOnly_->isChecked();
}

void GraphPanel::setPinnedOnly(bool on) {
    const QSignalBlocker block(pinnedOnly_);
    pinnedOnly_->setChecked(on);
}

void GraphPanel::setGraphAvailable(bool available) {
    graphAvailable_ = available;
    for (QWidget* w : graphTools_)
        w->setEnabled(available && graphMode());
}

void GraphPanel::updateSliderLabels() {
    nodeLabel_->setText(tr("Nodes %1%").arg(nodeSlider_->value()));
    edgeLabel_->setText(tr("Links %1%").arg(edgeSlider_->value()));
}

}  // namespace us::widgets
