#include "widgets/models/concept_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QSpinBox>

namespace us::widgets {

ConceptDialog::ConceptDialog(const analysis::StoreSummary& store, const QString& layer,
                             QWidget* parent)
    : QDialog(parent) {
    setWindowTitle(tr("Concept units"));
    auto* form = new QFormLayout(this);
    auto* about = new QLabel(
        tr("Factorises the layer's activations over the stimuli (X ~= W H). Each component "
           "becomes a unit of a new layer LAYER/nmf-K: its activation for a stimulus is its "
           "weight, and its direction in LAYER can be visualised."),
        this);
    about->setWordWrap(true);
    form->addRow(about);
    layer_ = new QComboBox(this);
    for (const auto& l : store.layers)
        if (!analysis::conceptMethodOfType(l.type))  // concept layers are not factorised again
            layer_->addItem(QString::fromStdString(l.name));
    const int preselected = layer_->findText(layer);
    layer_->setCurrentIndex(preselected >= 0 ? preselected : std::max(0, layer_->count() - 2));
    method_ = new QComboBox(this);
    method_->addItem(tr("NMF (non-negative activations, as after a ReLU)"), "nmf");
    method_->addItem(tr("semi-NMF (signed activations)"), "seminmf");
    k_ = new QSpinBox(this);
    k_->setRange(1, 4096);
    k_->setValue(8);
    k_->setToolTip(tr("Number of components (concept units)"));
    iterations_ = new QSpinBox(this);
    iterations_->setRange(1, 100000);
    iterations_->setValue(200);
    pooling_ = new QComboBox(this);
    pooling_->addItems({"mean", "max"});
    pooling_->setToolTip(tr("Spatial pooling of conv layers' channels"));
    form->addRow(tr("Layer:"), layer_);
    form->addRow(tr("Method:"), method_);
    form->addRow(tr("Components:"), k_);
    form->addRow(tr("Iterations:"), iterations_);
    form->addRow(tr("Pooling:"), pooling_);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    form->addRow(buttons);
}

QString ConceptDialog::layer() const {
    return layer_->currentText();
}

analysis::ConceptUnitsRequest ConceptDialog::request() const {
    analysis::ConceptUnitsRequest request;
    request.method = method_->currentData().toString() == "nmf" ? analysis::ConceptMethod::Nmf
                                                                : analysis::ConceptMethod::SemiNmf;
    request.k = k_->value();
    request.iterations = iterations_->value();
    request.pooling =
        pooling_->currentText() == "max" ? analysis::Pooling::Max : analysis::Pooling::Mean;
    return request;
}

}  // namespace us::widgets
