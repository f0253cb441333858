#pragma once
// Automatic supernodes proposed for review: each group with its size and the class its
// members prefer, to keep or drop and to rename before it is applied (as one undoable edit).

#include <QDialog>
#include <QStringList>

#include <string>
#include <vector>

class QTableWidget;

namespace us::widgets {

struct ProposedSupernode {
    QString label;
    std::vector<std::string> members;
    QString evidence;  // e.g. "prefers Sandal; members alike at 0.86"
};

class SupernodeReview : public QDialog {
    Q_OBJECT
  public:
    SupernodeReview(std::vector<ProposedSupernode> proposals, QWidget* parent = nullptr);
    // The groups left checked, with their (possibly edited) labels.
    std::vector<ProposedSupernode> accepted() const;
    QTableWidget* table() const { return table_; }

  private:
    std::vector<ProposedSupernode> proposals_;
    QTableWidget* table_;
};

}  // namespace us::widgets
