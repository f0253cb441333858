#include "widgets/common/empty_state_panel.h"

#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace us::widgets {

EmptyStatePanel::EmptyStatePanel(const QString& title, const QString& explanation, QWidget* parent)
    : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->addStretch(1);
    auto* heading = new QLabel(title, this);
    QFont font = heading->font();
    font.setPointSizeF(font.pointSizeF() * 1.4);
    font.setBold(true);
    heading->setFont(font);
    heading->setAlignment(Qt::AlignCenter);
    explanation_ = new QLabel(explanation, this);
    explanation_->setAlignment(Qt::AlignCenter);
    explanation_->setWordWrap(true);
    explanation_->setForegroundRole(QPalette::PlaceholderText);
    action_ = new QPushButton(tr("Open demo"), this);
    action_->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    connect(action_, &QPushButton::clicked, this, &EmptyStatePanel::openDemoRequested);
    layout->addWidget(heading);
    layout->addWidget(explanation_);
    layout->addWidget(action_, 0, Qt::AlignHCenter);
    layout->addStretch(1);
    setAutoFillBackground(true);
}

void EmptyStatePanel::setExplanation(const QString& text) {
    explanation_->setText(text);
}

QString EmptyStatePanel::explanation() const {
    return explanation_->text();
}

void EmptyStatePanel::setActionVisible(bool visible) {
    action_->setVisible(visible);
}

}  // namespace us::widgets
