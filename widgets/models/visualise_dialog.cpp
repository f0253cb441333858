#include "widgets/models/visualise_dialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QLineEdit>
#include <QSpinBox>

namespace us::widgets {

VisualiseDialog::VisualiseDialog(const VisualiseChoice& initial, QWidget* parent)
    : QDialog(parent) {
    setWindowTitle(tr("Visualise"));
    auto* form = new QFormLayout(this);
    objective_ = new QLineEdit(initial.objective, this);
    objective_->setToolTip(
        tr("A sum of terms, each [W*]TERM or -TERM: channel:LAYER:C, neuron:LAYER:C[:Y,X], "
           "layer:LAYER, logit:K, units:LAYER:C1,C2,... or direction:LAYER:V.npy; e.g. "
           "channel:conv2:5 + -0.5*logit:3"));
    images_ = new QSpinBox(this);
    images_->setRange(1, 16);
    images_->setValue(initial.images);
    facets_ = new QComboBox(this);
    facets_->addItem(tr("random (facets kept apart by the diversity term)"));
    facets_->addItem(tr("the unit's top exemplars (a group's mean per image)"));
    facets_->setToolTip(
        tr("Starting from the mean of the unit's strongest natural stimuli holds its pattern "
           "from the first step; on the demo CNN more units end above their best natural "
           "stimulus that way. Needs activations of the unit's layer and their stimuli."));
    facets_->setCurrentIndex(initial.anchored ? 1 : 0);
    diversity_ = new QDoubleSpinBox(this);
    diversity_->setRange(0, 1e6);
    diversity_->setValue(initial.diversity);
    steps_ = new QSpinBox(this);
    steps_->setRange(0, 100000);
    steps_->setValue(initial.steps);
    size_ = new QSpinBox(this);
    size_->setRange(8, 1024);
    size_->setSuffix(tr(" px"));
    size_->setValue(initial.size);
    learningRate_ = new QDoubleSpinBox(this);
    learningRate_->setDecimals(4);
    learningRate_->setRange(0.0001, 10);
    learningRate_->setValue(initial.learningRate);
    seed_ = new QSpinBox(this);
    seed_->setRange(0, 1 << 30);
    seed_->setValue(int(initial.seed));
    transforms_ = new QCheckBox(tr("pad, jitter, scale and rotate each step"), this);
    transforms_->setChecked(initial.transforms);
    form->addRow(tr("Objective"), objective_);
    form->addRow(tr("Images (facets)"), images_);
    form->addRow(tr("Start from"), facets_);
    form->addRow(tr("Diversity weight"), diversity_);
    form->addRow(tr("Steps"), steps_);
    form->addRow(tr("Image side"), size_);
    form->addRow(tr("Learning rate (Adam)"), learningRate_);
    form->addRow(tr("Seed"), seed_);
    form->addRow(tr("Robustness"), transforms_);
    const auto facetsUsed = [this] {
        diversity_->setEnabled(images_->value() > 1 && facets_->currentIndex() == 0);
    };
    connect(images_, &QSpinBox::valueChanged, this, facetsUsed);
    connect(facets_, &QComboBox::currentIndexChanged, this, facetsUsed);
    facetsUsed();
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

VisualiseChoice VisualiseDialog::choice() const {
    VisualiseChoice choice;
    choice.objective = objective_->text().trimmed();
    choice.images = images_->value();
    choice.anchored = facets_->currentIndex() == 1;
    choice.diversity = diversity_->value();
    choice.steps = steps_->value();
    choice.size = size_->value();
    choice.learningRate = learningRate_->value();
    choice.seed = quint64(seed_->value());
    choice.transforms = transforms_->isChecked();
    return choice;
}

}  // namespace us::widgets
