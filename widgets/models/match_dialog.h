#pragma once
// Analysis > Match units with another network: a layer of the open store, another network's
// activation store over the same stimuli and its layer, one-to-one or best matching, and the
// random-weight control to compare with (none, a random-weight copy of the open network made
// here, or a store the user has).

#include <QDialog>
#include <QString>

#include <cstdint>

#include "analysis/matching/unit_matching.h"
#include "analysis/models/model_workspace.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace us::widgets {

struct MatchSetup {
    enum class Control { None, RandomCopy, Store };
    QString layer;       // of the open store
    QString other;       // the other network's activation store
    QString otherLayer;  // its layer
    analysis::MatchMethod method = analysis::MatchMethod::Hungarian;
    analysis::Pooling pooling = analysis::Pooling::Mean;
    Control control = Control::None;
    std::uint64_t seed = 0;  // RandomCopy: the copy's weights
    QString controlStore;    // Store: holds a layer named `layer`
};

class MatchDialog : public QDialog {
    Q_OBJECT
  public:
    // layer: the one to preselect (the selection's); canCopy: a model and stimuli are open, so
    // that a random-weight copy can be made.
    MatchDialog(const analysis::StoreSummary& store, const QString& layer, bool canCopy,
                QWidget* parent = nullptr);
    MatchSetup setup() const;

  private:
    void readOtherStore();
    void updateControlFields();
    void accept() override;

    QComboBox* layer_;
    QLineEdit* other_;
    QComboBox* otherLayer_;
    QLabel* otherInfo_;
    QComboBox* method_;
    QComboBox* pooling_;
    QComboBox* control_;
    QSpinBox* seed_;
    QLineEdit* controlStore_;
    QWidget* controlStoreRow_;
    std::int64_t stimuli_;
};

}  // namespace us::widgets
