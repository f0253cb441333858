#pragma once
// Analysis > Concept units of a layer: the stored layer to factorise, NMF or semi-NMF, the
// number of components and the solver's settings, with the CLI's defaults (concepts).

#include <QDialog>

#include "analysis/clustering/concept_units.h"
#include "analysis/models/model_workspace.h"

class QComboBox;
class QSpinBox;

namespace us::widgets {

class ConceptDialog : public QDialog {
    Q_OBJECT
  public:
    // layer: the one to preselect (the selection's), or empty for the penultimate one.
    ConceptDialog(const analysis::StoreSummary& store, const QString& layer,
                  QWidget* parent = nullptr);
    QString layer() const;
    // Everything but the store and the output, which the caller chooses.
    analysis::ConceptUnitsRequest request() const;

  private:
    QComboBox* layer_;
    QComboBox* method_;
    QSpinBox* k_;
    QSpinBox* iterations_;
    QComboBox* pooling_;
};

}  // namespace us::widgets
