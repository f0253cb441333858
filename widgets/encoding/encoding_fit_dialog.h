#pragma once
// Analysis > Fit encoding model: the betas (4-D NIfTI, GIFTI or .npy with a mask), how their
// rows map to stored stimuli, the store layer and pooling, the ridge settings and the output,
// with the CLI's defaults. The request it returns is checked by the fit itself.

#include <QDialog>

#include "analysis/encoding/encoding_fit.h"
#include "analysis/models/model_workspace.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLineEdit;
class QSpinBox;

namespace us::widgets {

class EncodingFitDialog : public QDialog {
    Q_OBJECT
  public:
    EncodingFitDialog(const analysis::StoreSummary& store, QWidget* parent = nullptr);
    // Throws std::invalid_argument for a bad alpha grid or a missing path.
    analysis::EncodingRequest request() const;

  private:
    // A path field with a browse button; name: its object name ("betas", "mask", ...).
    QLineEdit* pathRow(const QString& tip, const QString& filter, bool save, const QString& name);

    std::string storePath_;
    QLineEdit* betas_;
    QLineEdit* mask_;
    QLineEdit* rows_;
    QComboBox* layer_;
    QComboBox* pooling_;
    QLineEdit* alphas_;
    QSpinBox* folds_;
    QDoubleSpinBox* testFraction_;
    QCheckBox* intercept_;
    QCheckBox* standardize_;
    QLineEdit* out_;
    QLineEdit* map_;
};

}  // namespace us::widgets
