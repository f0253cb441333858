#include "widgets/models/layer_tree.h"

#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <map>

namespace us::widgets {
namespace {

constexpr int kNameRole = Qt::UserRole;

QString shapeText(const std::vector<std::int64_t>& shape) {
    if (shape.empty()) return QObject::tr("(not called)");
    QStringList parts;
    for (auto d : shape)
        parts << QString::number(d);
    return parts.join(QString::fromUtf8(" \u00d7 "));
}

}  // namespace

LayerTree::LayerTree(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    header_ = new QLabel(this);
    header_->setWordWrap(true);
    tree_ = new QTreeWidget(this);
    tree_->setHeaderLabels({tr("Module"), tr("Type"), tr("Output shape"), tr("Parameters")});
    tree_->header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    tree_->setUniformRowHeights(true);
    extract_ = new QPushButton(tr("Extract activations..."), this);
    extract_->setToolTip(
        tr("Run the model over the stimuli and store the ticked layers "
           "(Ctrl+Shift+X)"));
    layout->addWidget(header_);
    layout->addWidget(tree_, 1);
    layout->addWidget(extract_);
    connect(extract_, &QPushButton::clicked, this, &LayerTree::extractRequested);
    connect(tree_, &QTreeWidget::itemDoubleClicked, this, [this](QTreeWidgetItem* item) {
        Q_EMIT layerActivated(item->data(0, kNameRole).toString());
    });
    tree_->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(tree_, &QWidget::customContextMenuRequested, this, [this](const QPoint& at) {
        const auto* item = tree_->itemAt(at);
        if (!item) return;
        const QString name = item->data(0, kNameRole).toString();
        QMenu menu(this);
        menu.addAction(tr("Concept units of %1 (NMF)...").arg(name), this,
                       [this, name] { Q_EMIT conceptsRequested(name); });
        menu.exec(tree_->viewport()->mapToGlobal(at));
    });
    clear(
        tr("No model open. File > Open model... loads a TorchScript file; File > Open demo "
           "uses the built-in demo network."));
}

void LayerTree::clear(const QString& explanation) {
    tree_->clear();
    header_->setText(explanation);
    setExtractEnabled(false);
}

void LayerTree::setModel(const QString& description,
                         const std::vector<analysis::LayerInfo>& layers) {
    tree_->clear();
    header_->setText(description);
    std::map<QString, QTreeWidgetItem*> byName;
    const QLocale locale;
    for (const auto& layer : layers) {
        const QString name = QString::fromStdString(layer.name);
        const int dot = name.lastIndexOf('.');
        QTreeWidgetItem* parent = dot > 0 ? byName[name.left(dot)] : nullptr;
        auto* item = parent ? new QTreeWidgetItem(parent) : new QTreeWidgetItem(tree_);
        item->setText(0, dot > 0 ? name.mid(dot + 1) : name);
        item->setText(1, QString::fromStdString(layer.type));
        item->setText(2, shapeText(layer.outputShape));
        item->setText(3, locale.toString(qlonglong(layer.parameterCount)));
        item->setToolTip(0, name);
        item->setData(0, kNameRole, name);
        if (!layer.outputShape.empty()) item->setCheckState(0, Qt::Unchecked);
        byName[name] = item;
    }
    tree_->expandToDepth(0);
    setExtractEnabled(true);
}

QStringList LayerTree::checkedLayers() const {
    QStringList names;
    for (QTreeWidgetItemIterator it(tree_); *it; ++it)
        if ((*it)->checkState(0) == Qt::Checked) names << (*it)->data(0, kNameRole).toString();
    return names;
}

void LayerTree::setChecked(const QStringList& names) {
    for (QTreeWidgetItemIterator it(tree_); *it; ++it)
        if ((*it)->flags() & Qt::ItemIsUserCheckable)
            (*it)->setCheckState(0, names.contains((*it)->data(0, kNameRole).toString())
                                        ? Qt::Checked
                                        : Qt::Unchecked);
}

void LayerTree::setExtractEnabled(bool enabled, const QString& why) {
    extract_->setEnabled(enabled);
    if (!why.isEmpty()) extract_->setToolTip(why);
}

}  // namespace us::widgets
