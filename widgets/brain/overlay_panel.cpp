#include "widgets/brain/overlay_panel.h"

#include <QAction>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QToolButton>
#include <QVBoxLayout>

#include "widgets/brain/overlay_controls.h"

namespace us::widgets {

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
        if (!updating_)
            Q_EMIT visibilityChanged(list_->row(item), item->checkState() == Qt::Checked);
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
                if (row < 0) return;
                styles_[std::size_t(row)] = style;
                Q_EMIT styleChanged(row, style);
            });
    connect(controls_, &OverlayControls::closeRequested, this, [this] {
        const int row = currentLayer();
        if (row < 0) return;
        removeLayer(row);
        Q_EMIT removed(row);
    });
    auto* remove = new QAction(this);
    remove->setShortcut(QKeySequence::Delete);
    remove->setShortcutContext(Qt::WidgetShortcut);
    list_->addAction(remove);
    connect(remove, &QAction::triggered, controls_, &OverlayControls::closeRequested);
    updateEmptyState();
}

void OverlayPanel::addLayer(const QString& name, const QString& detail,
                            const render::OverlayStyle& style) {
    updating_ = true;
    auto* item = new QListWidgetItem(QString("%1  (%2)").arg(name, detail));
    item->setToolTip(name);
    item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
    item->setCheckState(Qt::Checked);
    list_->insertItem(0, item);
    styles_.insert(styles_.begin(), style);
    updating_ = false;
    list_->setCurrentRow(0);
    showCurrent();
    updateEmptyState();
}

void OverlayPanel::removeLayer(int row) {
    if (row < 0 || row >= layerCount()) return;
    updating_ = true;
    delete list_->takeItem(row);
    styles_.erase(styles_.begin() + row);
    updating_ = false;
    showCurrent();
    updateEmptyState();
}

void OverlayPanel::clear() {
    updating_ = true;
    list_->clear();
    styles_.clear();
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

bool OverlayPanel::layerVisible(int row) const {
    return list_->item(row)->checkState() == Qt::Checked;
}

void OverlayPanel::setLayerVisible(int row, bool visible) {
    list_->item(row)->setCheckState(visible ? Qt::Checked : Qt::Unchecked);
}

void OverlayPanel::moveLayer(int from, int to) {
    if (from == to || from < 0 || to < 0 || from >= layerCount() || to >= layerCount()) return;
    updating_ = true;
    QListWidgetItem* item = list_->takeItem(from);
    list_->insertItem(to, item);
    const auto style = styles_[std::size_t(from)];
    styles_.erase(styles_.begin() + from);
    styles_.insert(styles_.begin() + to, style);
    updating_ = false;
    list_->setCurrentRow(to);
    Q_EMIT moved(from, to);
}

void OverlayPanel::showCurrent() {
    const int row = currentLayer();
    if (row < 0) {
        controls_->hide();
        return;
    }
    controls_->setOverlay(list_->item(row)->toolTip(), styles_[std::size_t(row)]);
}

void OverlayPanel::updateEmptyState() {
    const bool empty = layerCount() == 0;
    empty_->setVisible(empty);
    list_->setVisible(!empty);
    up_->setVisible(!empty);
    down_->setVisible(!empty);
}

}  // namespace us::widgets
