#include "widgets/brain/overlay_panel.h"

#include <QAction>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QToolButton>
#include <QVBoxLayout>

#include "widgets/brain/overlay_controls.h"

namespace us::widgets {
namespace {

constexpr int kLayerIdRole = Qt::UserRole + 1;

}  // namespace

OverlayPanel::OverlayPanel(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    empty_ = new QLabel(tr("No overlays yet. File > Open brain overlay (Ctrl+Shift+O) adds a "
                           "volume (NIfTI, MGH) or per-vertex data (GIFTI, curv) as a layer."),
                        this);
    empty_->setWordWrap(true);
    empty_->setAlignment(Qt::AlignCenter);
    layout->addWidget(empty_);
    auto* row = new QHBoxLayout;
    list_ = new QListWidget(this);
    list_->setToolTip(
        tr("Overlay layers, top first: tick to show, Alt+Up/Down (or the arrows) "
           "to reorder, Delete to remove"));
    row->addWidget(list_, 1);
    auto* buttons = new QVBoxLayout;
    up_ = new QToolButton(this);
    up_->setText(QString::fromUtf8("\u25B2"));
    up_->setToolTip(tr("Move the layer up (Alt+Up)"));
    up_->setShortcut(QKeySequence(Qt::ALT | Qt::Key_Up));
    down_ = new QToolButton(this);
    down_->setText(QString::fromUtf8("\u25BC"));
    down_->setToolTip(tr("Move the layer down (Alt+Down)"));
    down_->setShortcut(QKeySequence(Qt::ALT | Qt::Key_Down));
    buttons->addWidget(up_);
    buttons->addWidget(down_);
    buttons->addStretch();
    row->addLayout(buttons);
    layout->addLayout(row, 1);
    controls_ = new OverlayControls(this);
    layout->addWidget(controls_);

    connect(list_, &QListWidget::currentRowChanged, this, &OverlayPanel::showCurrent);
    connect(list_, &QListWidget::itemChanged, this, [this](QListWidgetItem* item) {
        if (!updating_) setLayerVisible(list_->row(item), item->checkState() == Qt::Checked);
    });
    connect(up_, &QToolButton::clicked, this, [this] {
        if (currentLayer() > 0) moveLayer(currentLayer(), currentLayer() - 1);
    });
    connect(down_, &QToolButton::clicked, this, [this] {
        const int row = currentLayer();
        if (row >= 0 && row + 1 < layerCount()) moveLayer(row, row + 1);
    });
    connect(controls_, &OverlayControls::styleChanged, this,
            [this](const render::OverlayStyle& style) {
                const int row = currentLayer();
                if (row < 0 || !layers_) return;
                updating_ = true;  // the controls already show this style
                layers_->setStyle(layers_->at(std::size_t(row)).id, style);
                updating_ = false;
            });
    connect(controls_, &OverlayControls::closeRequested, this, &OverlayPanel::removeCurrent);
    auto* remove = new QAction(this);
    remove->setShortcut(QKeySequence::Delete);
    remove->setShortcutContext(Qt::WidgetShortcut);
    list_->addAction(remove);
    connect(remove, &QAction::triggered, this, &OverlayPanel::removeCurrent);
    updateEmptyState();
}

void OverlayPanel::observeLayers(render::BrainLayers* layers) {
    subscription_ = {};
    layers_ = layers;
    if (layers_)
        subscription_ = layers_->observe([this](unsigned changes) {
            if (updating_) return;
            if (changes & (render::BrainLayers::Structure | render::BrainLayers::Visibility))
                rebuildRows();
            else
                showCurrent();
        });
    rebuildRows();
}

// Rows from the list, keeping the current layer (by id) current; a new layer on top is selected.
void OverlayPanel::rebuildRows() {
    const QListWidgetItem* current = list_->currentItem();
    const auto currentId = current ? current->data(kLayerIdRole).toULongLong() : 0;
    const int previousCount = layerCount();
    updating_ = true;
    list_->clear();
    int select = -1;
    if (layers_)
        for (const auto& layer : layers_->layers()) {
            const QString name = QString::fromStdString(layer.name);
            const QString detail =
                layer.kind == render::LayerKind::Volume ? tr("volume") : tr("surface data");
            auto* item = new QListWidgetItem(QString("%1  (%2)").arg(name, detail));
            item->setToolTip(name);
            item->setData(kLayerIdRole, QVariant::fromValue<qulonglong>(layer.id));
            item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
            item->setCheckState(layer.visible ? Qt::Checked : Qt::Unchecked);
            if (layer.id == currentId) select = list_->count();
            list_->addItem(item);
        }
    if (layerCount() > previousCount || (select < 0 && layerCount() > 0)) select = 0;
    list_->setCurrentRow(select);
    updating_ = false;
    showCurrent();
    updateEmptyState();
}

int OverlayPanel::layerCount() const {
    return list_->count();
}

int OverlayPanel::currentLayer() const {
    return list_->currentRow();
}

void OverlayPanel::setCurrentLayer(int row) {
    list_->setCurrentRow(row);
}

render::OverlayStyle OverlayPanel::layerStyle(int row) const {
    return layers_->at(std::size_t(row)).style;
}

bool OverlayPanel::layerVisible(int row) const {
    return list_->item(row)->checkState() == Qt::Checked;
}

void OverlayPanel::setLayerVisible(int row, bool visible) {
    if (!layers_ || row < 0 || row >= layerCount()) return;
    layers_->setVisible(layers_->at(std::size_t(row)).id, visible);
}

void OverlayPanel::moveLayer(int from, int to) {
    if (!layers_ || from == to || from < 0 || to < 0 || from >= layerCount() || to >= layerCount())
        return;
    layers_->move(std::size_t(from), std::size_t(to));
    list_->setCurrentRow(to);
}

void OverlayPanel::removeCurrent() {
    const int row = currentLayer();
    if (!layers_ || row < 0) return;
    layers_->remove(layers_->at(std::size_t(row)).id);
}

void OverlayPanel::showCurrent() {
    const int row = currentLayer();
    if (updating_) return;
    if (row < 0 || !layers_) {
        controls_->hide();
        return;
    }
    const auto& layer = layers_->at(std::size_t(row));
    controls_->setOverlay(QString::fromStdString(layer.name), layer.style);
}

void OverlayPanel::updateEmptyState() {
    const bool empty = layerCount() == 0;
    empty_->setVisible(empty);
    list_->setVisible(!empty);
    up_->setVisible(!empty);
    down_->setVisible(!empty);
}

}  // namespace us::widgets
