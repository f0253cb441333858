#include "widgets/graph/attribution_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSpinBox>

namespace us::widgets {

QStringList AttributionDialog::defaultLayers(const QStringList& layers, int count) {
    if (layers.size() <= count) return layers;
    // Evenly spread between the first layer and the output (the output is the target).
    QStringList chosen;
    for (int k = 1; k <= count; ++k)
        chosen.push_back(layers[k * layers.size() / (count + 1)]);
    return chosen;
}

AttributionDialog::AttributionDialog(const QStringList& layers, qint64 stimuli, qint64 stimulus,
                                     QWidget* parent)
    : QDialog(parent) {
    setWindowTitle(tr("Attribution graph"));
    stimulus_ = new QSpinBox(this);
    stimulus_->setRange(0, int(std::max<qint64>(0, std::min<qint64>(stimuli - 1, INT32_MAX))));
    stimulus_->setValue(int(stimulus));
    target_ = new QLineEdit("predicted", this);
    target_->setToolTip(
        tr("predicted (the model's own class), logit:K (class K before "
           "softmax) or unit:LAYER:C (a unit's spatial mean)"));
    layers_ = new QListWidget(this);
    const QStringList defaults = defaultLayers(layers);
    for (const QString& name : layers) {
        auto* item = new QListWidgetItem(name, layers_);
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        item->setCheckState(defaults.contains(name) ? Qt::Checked : Qt::Unchecked);
    }
    method_ = new QComboBox(this);
    method_->addItem(tr("Gradient x activation"), "gxa");
    method_->addItem(tr("Integrated Gradients (50 steps)"), "ig");
    method_->addItem(tr("LRP (epsilon-plus-flat)"), "lrp");
    patches_ = new QSpinBox(this);
    patches_->setRange(1, 16);
    patches_->setValue(4);
    patches_->setSuffix(tr(" x patches"));
    top_ = new QSpinBox(this);
    top_->setRange(1, 1024);
    top_->setValue(16);
    top_->setSuffix(tr(" units per layer"));

    auto* form = new QFormLayout(this);
    form->addRow(tr("Stimulus"), stimulus_);
    form->addRow(tr("Target"), target_);
    form->addRow(tr("Layers"), layers_);
    form->addRow(tr("Method"), method_);
    form->addRow(tr("Input"), patches_);
    form->addRow(tr("Nodes"), top_);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Compute"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    form->addRow(buttons);
}

AttributionChoice AttributionDialog::choice() const {
    AttributionChoice choice;
    choice.stimulus = stimulus_->value();
    choice.target = target_->text().trimmed();
    for (int i = 0; i < layers_->count(); ++i)
        if (layers_->item(i)->checkState() == Qt::Checked)
            choice.layers.push_back(layers_->item(i)->text());
    choice.method = method_->currentData().toString();
    choice.patches = patches_->value();
    choice.top = top_->value();
    return choice;
}

}  // namespace us::widgets
