#include "widgets/graph/supernode_review.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

namespace us::widgets {

SupernodeReview::SupernodeReview(std::vector<ProposedSupernode> proposals, QWidget* parent)
    : QDialog(parent), proposals_(std::move(proposals)) {
    setWindowTitle(tr("Automatic supernodes"));
    table_ = new QTableWidget(int(proposals_.size()), 3, this);
    table_->setHorizontalHeaderLabels({tr("Label (editable)"), tr("Members"), tr("Evidence")});
    table_->horizontalHeader()->setStretchLastSection(true);
    table_->verticalHeader()->hide();
    for (int row = 0; row < int(proposals_.size()); ++row) {
        const auto& proposal = proposals_[std::size_t(row)];
        auto* label = new QTableWidgetItem(proposal.label);
        label->setFlags(label->flags() | Qt::ItemIsUserCheckable | Qt::ItemIsEditable);
        label->setCheckState(Qt::Checked);
        table_->setItem(row, 0, label);
        for (int column : {1, 2}) {
            auto* item = new QTableWidgetItem(column == 1 ? QString::number(proposal.members.size())
                                                          : proposal.evidence);
            item->setFlags(item->flags() & ~Qt::ItemIsEditable);
            table_->setItem(row, column, item);
        }
    }
    table_->resizeColumnsToContents();
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Apply checked"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("Units grouped by their mean activation per class. Uncheck a "
                                    "group to leave it out; edit a label to rename it. Applying "
                                    "is one edit: Ctrl+Z undoes it, Shift+G splits a group."),
                                 this));
    layout->addWidget(table_);
    layout->addWidget(buttons);
    resize(560, 360);
}

std::vector<ProposedSupernode> SupernodeReview::accepted() const {
    std::vector<ProposedSupernode> out;
    for (int row = 0; row < table_->rowCount(); ++row) {
        const auto* label = table_->item(row, 0);
        if (label->checkState() != Qt::Checked) continue;
        auto proposal = proposals_[std::size_t(row)];
        if (!label->text().trimmed().isEmpty()) proposal.label = label->text().trimmed();
        out.push_back(std::move(proposal));
    }
    return out;
}

}  // namespace us::widgets
