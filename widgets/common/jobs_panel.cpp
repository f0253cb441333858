#include "widgets/common/jobs_panel.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace us::widgets {
namespace {

enum Column { kName, kState, kProgress, kElapsed, kMessage, kCancel, kColumnCount };

QString formatElapsed(qint64 ms) {
    if (ms < 60'000) return QString::number(ms / 1000.0, 'f', 1) + " s";
    return QString("%1 min %2 s").arg(ms / 60'000).arg((ms / 1000) % 60);
}

}  // namespace

JobsPanel::JobsPanel(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    tree_ = new QTreeWidget(this);
    tree_->setColumnCount(kColumnCount);
    tree_->setHeaderLabels(
        {tr("Job"), tr("State"), tr("Progress"), tr("Elapsed"), tr("Message"), QString()});
    tree_->setRootIsDecorated(false);
    tree_->setUniformRowHeights(true);
    tree_->header()->setStretchLastSection(false);
    tree_->header()->setSectionResizeMode(kMessage, QHeaderView::Stretch);
    tree_->setColumnWidth(kName, 200);
    tree_->setColumnWidth(kProgress, 160);
    emptyLabel_ = new QLabel(tr("No jobs yet. Long work (loading a brain, training, extracting "
                                "activations) runs here, with progress and Cancel."),
                             this);
    emptyLabel_->setWordWrap(true);
    emptyLabel_->setAlignment(Qt::AlignCenter);
    emptyLabel_->setForegroundRole(QPalette::PlaceholderText);
    auto* clear = new QPushButton(tr("Clear finished"), this);
    connect(clear, &QPushButton::clicked, this, &JobsPanel::clearFinished);
    auto* buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(clear);
    layout->addWidget(emptyLabel_);
    layout->addWidget(tree_, 1);
    layout->addLayout(buttons);
    tree_->hide();

    elapsedTimer_ = new QTimer(this);
    elapsedTimer_->setInterval(200);
    connect(elapsedTimer_, &QTimer::timeout, this, &JobsPanel::refreshElapsed);
}

int JobsPanel::rowCount() const {
    return tree_->topLevelItemCount();
}

QString JobsPanel::stateOf(quint64 id) const {
    const auto it = rows_.find(id);
    return it == rows_.end() ? QString() : it->item->text(kState);
}

QString JobsPanel::messageOf(quint64 id) const {
    const auto it = rows_.find(id);
    return it == rows_.end() ? QString() : it->item->text(kMessage);
}

void JobsPanel::jobQueued(quint64 id, const QString& name) {
    Row row;
    row.item = new QTreeWidgetItem({name, tr("queued"), QString(), QString(), QString()});
    tree_->insertTopLevelItem(0, row.item);
    row.progress = new QProgressBar;
    row.progress->setRange(0, 1000);
    row.progress->setValue(0);
    row.progress->setTextVisible(true);
    row.progress->setFormat("%p%");
    tree_->setItemWidget(row.item, kProgress, row.progress);
    row.cancel = new QPushButton(tr("Cancel"));
    connect(row.cancel, &QPushButton::clicked, this, [this, id] { Q_EMIT cancelRequested(id); });
    tree_->setItemWidget(row.item, kCancel, row.cancel);
    row.clock.start();
    rows_.insert(id, row);
    emptyLabel_->hide();
    tree_->show();
}

void JobsPanel::jobStarted(quint64 id) {
    auto it = rows_.find(id);
    if (it == rows_.end()) return;
    it->running = true;
    it->clock.restart();
    it->item->setText(kState, tr("running"));
    if (!elapsedTimer_->isActive()) elapsedTimer_->start();
}

void JobsPanel::jobProgress(quint64 id, double fraction, const QString& message) {
    auto it = rows_.find(id);
    if (it == rows_.end() || it->finished) return;
    it->progress->setValue(static_cast<int>(qBound(0.0, fraction, 1.0) * 1000));
    if (!message.isEmpty()) it->item->setText(kMessage, message);
}

void JobsPanel::finish(quint64 id, const QString& state, const QString& message) {
    auto it = rows_.find(id);
    if (it == rows_.end() || it->finished) return;
    it->finished = true;
    it->item->setText(kState, state);
    it->item->setText(kElapsed, formatElapsed(it->running ? it->clock.elapsed() : 0));
    it->item->setText(kMessage, message);
    it->item->setToolTip(kMessage, message);
    it->running = false;
    it->cancel->setEnabled(false);
    if (state == tr("done")) it->progress->setValue(1000);
}

void JobsPanel::jobSucceeded(quint64 id) {
    finish(id, tr("done"), QString());
}

void JobsPanel::jobFailed(quint64 id, const QString& error) {
    finish(id, tr("failed"), error);
    if (auto it = rows_.find(id); it != rows_.end())
        it->item->setForeground(kState, QBrush(QColor(220, 70, 60)));
}

void JobsPanel::jobCancelled(quint64 id) {
    finish(id, tr("cancelled"), tr("cancelled by the user"));
}

void JobsPanel::clearFinished() {
    for (auto it = rows_.begin(); it != rows_.end();) {
        if (it->finished) {
            delete it->item;
            it = rows_.erase(it);
        } else {
            ++it;
        }
    }
    if (rows_.isEmpty()) {
        tree_->hide();
        emptyLabel_->show();
    }
}

void JobsPanel::refreshElapsed() {
    bool anyRunning = false;
    for (auto& row : rows_) {
        if (!row.running) continue;
        anyRunning = true;
        row.item->setText(kElapsed, formatElapsed(row.clock.elapsed()));
    }
    if (!anyRunning) elapsedTimer_->stop();
}

}  // namespace us::widgets
