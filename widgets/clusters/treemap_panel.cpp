#include "widgets/clusters/treemap_panel.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSlider>
#include <QStackedWidget>
#include <QToolButton>
#include <QVBoxLayout>

#include "widgets/common/empty_state_panel.h"
#include "widgets/models/exemplar_grid.h"

namespace us::widgets {

TreemapPanel::TreemapPanel(QWidget* parent) : QWidget(parent) {
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    stack_ = new QStackedWidget(this);
    outer->addWidget(stack_);
    empty_ = new EmptyStatePanel(
        tr("No clusters yet"),
        tr("Open activations, then Analysis > Cluster, or File > Open demo."), this);
    stack_->addWidget(empty_);

    auto* page = new QWidget(this);
    auto* layout = new QVBoxLayout(page);
    layout->setContentsMargins(4, 4, 4, 4);
    auto* bar = new QHBoxLayout;
    back_ = new QToolButton(page);
    back_->setArrowType(Qt::LeftArrow);
    back_->setToolTip(tr("Back to the enclosing cluster (Backspace)"));
    breadcrumbs_ = new QLabel(page);
    breadcrumbs_->setTextFormat(Qt::RichText);
    layout_ = new QComboBox(page);
    layout_->addItem(tr("squarified"), int(analysis::TreemapTiling::Squarify));
    layout_->addItem(tr("slice-and-dice"), int(analysis::TreemapTiling::SliceDice));
    layout_->setToolTip(
        tr("Squarified: the dendrogram cut every 'depth' merges; slice-and-dice: "
           "every binary merge, as DendroMap"));
    depth_ = new QSlider(Qt::Horizontal, page);
    depth_->setRange(1, 8);
    depth_->setValue(3);
    depth_->setMaximumWidth(110);
    depth_->setToolTip(tr("Depth: how many merge levels each view shows"));
    colour_ = new QComboBox(page);
    colour_->addItem(tr("colour: class"), int(TreemapColour::MajorityClass));
    colour_->addItem(tr("colour: purity"), int(TreemapColour::Purity));
    colour_->addItem(tr("colour: accuracy"), int(TreemapColour::Accuracy));
    colour_->addItem(tr("colour: selected unit or voxel"), int(TreemapColour::UnitActivation));
    search_ = new QLineEdit(page);
    search_->setPlaceholderText(tr("find stimulus or class"));
    search_->setClearButtonEnabled(true);
    search_->setMaximumWidth(180);
    bar->addWidget(back_);
    bar->addWidget(breadcrumbs_, 1);
    bar->addWidget(layout_);
    bar->addWidget(new QLabel(tr("depth"), page));
    bar->addWidget(depth_);
    bar->addWidget(colour_);
    bar->addWidget(search_);
    layout->addLayout(bar);
    title_ = new QLabel(page);
    layout->addWidget(title_);
    view_ = new TreemapView(page);
    layout->addWidget(view_, 1);
    stack_->addWidget(page);

    connect(back_, &QToolButton::clicked, view_, &TreemapView::back);
    connect(view_, &TreemapView::zoomed, this, &TreemapPanel::updateBreadcrumbs);
    connect(view_, &TreemapView::selected, this, &TreemapPanel::clusterSelected);
    connect(view_, &TreemapView::attributionRequested, this, &TreemapPanel::attributionRequested);
    connect(view_, &TreemapView::visualiseRequested, this, &TreemapPanel::visualiseRequested);
    connect(view_, &TreemapView::clusterImagesRequested, this,
            &TreemapPanel::clusterImagesRequested);
    connect(view_, &TreemapView::hovered, this, &TreemapPanel::hovered);
    connect(breadcrumbs_, &QLabel::linkActivated, this, [this](const QString& link) {
        const qint64 target = link.toLongLong();
        while (view_->zoomRoot() != target && view_->back()) {
        }
    });
    connect(layout_, &QComboBox::currentIndexChanged, this,
            [this] { view_->setTiling(analysis::TreemapTiling(layout_->currentData().toInt())); });
    connect(depth_, &QSlider::valueChanged, view_, &TreemapView::setLevels);
    connect(colour_, &QComboBox::currentIndexChanged, this,
            [this] { view_->setColour(TreemapColour(colour_->currentData().toInt())); });
    connect(search_, &QLineEdit::textChanged, this, [this](const QString& text) {
        const int found = view_->setSearch(text);
        search_->setToolTip(text.isEmpty() ? QString() : tr("%n match(es)", "", found));
    });
}

void TreemapPanel::setClusters(const analysis::ClusterResult& clusters) {
    std::map<std::int64_t, QImage> thumbnails;
    for (const auto& [item, image] : clusters.thumbnails)
        thumbnails[item] = toQImage(image);
    byStimuli_ = clusters.items == analysis::ItemKind::Stimuli;
    const bool approximate = clusters.tree->linkage.approximate;
    title_->setText(
        tr("%1 %2 of %3 by %4 linkage%5")
            .arg(clusters.tree->items)
            .arg(byStimuli_ ? tr("stimuli") : tr("units"))
            .arg(QString::fromStdString(clusters.layer))
            .arg(QString::fromStdString(clusters.method))
            .arg(approximate ? tr(" (approximate: two-stage, on k-means centroids)") : QString()));
    view_->setTree(clusters.tree, std::move(thumbnails), clusters.itemNames);
    view_->setItemsAreUnits(!byStimuli_);
    view_->setLevels(depth_->value());
    stack_->setCurrentIndex(1);
}

void TreemapPanel::setUnitValues(const QString& unit, const std::vector<float>& values) {
    if (!view_->hasTree() || !byStimuli_ || std::int64_t(values.size()) != view_->tree()->items)
        return;
    view_->setNodeValues(view_->tree()->nodeMeans(values), tr("activation of %1").arg(unit));
}

void TreemapPanel::showStimulusValues(const QString& quantity, const std::vector<float>& values) {
    if (!view_->hasTree() || !byStimuli_ || std::int64_t(values.size()) != view_->tree()->items)
        return;
    view_->setNodeValues(view_->tree()->nodeMeans(values), quantity);
    colour_->setCurrentIndex(colour_->findData(int(TreemapColour::UnitActivation)));
}

QString TreemapPanel::breadcrumbText() const {
    return breadcrumbs_->text();
}

void TreemapPanel::updateBreadcrumbs() {
    QStringList parts;
    const auto path = view_->breadcrumbs();
    for (std::size_t i = 0; i < path.size(); ++i) {
        const QString name = i == 0 ? tr("all") : QString::number(path[i]);
        parts << (i + 1 == path.size() ? QString("<b>%1</b>").arg(name)
                                       : QString("<a href='%1'>%2</a>").arg(path[i]).arg(name));
    }
    breadcrumbs_->setText(parts.join(" &rsaquo; "));
    back_->setEnabled(path.size() > 1);
}

}  // namespace us::widgets
