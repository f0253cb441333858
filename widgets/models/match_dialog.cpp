#include "widgets/models/match_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>

#include "analysis/models/activation_store.h"

namespace us::widgets {
namespace {

// A path field with a Browse button for activation stores.
QWidget* storeField(QLineEdit* field, const QString& title, QWidget* parent) {
    auto* row = new QWidget(parent);
    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* browse = new QPushButton(QObject::tr("Browse..."), row);
    layout->addWidget(field, 1);
    layout->addWidget(browse);
    QObject::connect(browse, &QPushButton::clicked, row, [field, title, parent] {
        const QString path = QFileDialog::getOpenFileName(parent, title, field->text(),
                                                          QObject::tr("Activation stores (*.h5)"));
        if (!path.isEmpty()) {
            field->setText(path);
            Q_EMIT field->editingFinished();
        }
    });
    return row;
}

}  // namespace

MatchDialog::MatchDialog(const analysis::StoreSummary& store, const QString& layer, bool canCopy,
                         QWidget* parent)
    : QDialog(parent), stimuli_(store.count) {
    setWindowTitle(tr("Match units with another network"));
    auto* form = new QFormLayout(this);
    auto* about = new QLabel(
        tr("Pairs the units of a layer with those of another network's layer by the "
           "correlation of their activations over the same stimuli (convergent learning). "
           "Extract the other network's activations on these stimuli first (File > Extract "
           "activations, or unitscope-cli extract)."),
        this);
    about->setWordWrap(true);
    form->addRow(about);
    layer_ = new QComboBox(this);
    for (const auto& l : store.layers)
        layer_->addItem(QString::fromStdString(l.name), QString::fromStdString(l.type));
    const int preselected = layer_->findText(layer);
    layer_->setCurrentIndex(preselected >= 0 ? preselected : std::max(0, layer_->count() - 2));
    form->addRow(tr("This network's layer:"), layer_);

    other_ = new QLineEdit(this);
    other_->setObjectName("otherStore");
    other_->setPlaceholderText(tr("acts2.h5, extracted on the same stimuli"));
    form->addRow(tr("Other network's activations:"),
                 storeField(other_, tr("Other network's activations"), this));
    otherLayer_ = new QComboBox(this);
    form->addRow(tr("Its layer:"), otherLayer_);
    otherInfo_ = new QLabel(this);
    otherInfo_->setWordWrap(true);
    form->addRow(otherInfo_);

    method_ = new QComboBox(this);
    method_->addItem(tr("one to one (maximum-weight bipartite matching)"),
                     int(analysis::MatchMethod::Hungarian));
    method_->addItem(tr("best match for each unit"), int(analysis::MatchMethod::Best));
    form->addRow(tr("Matching:"), method_);
    pooling_ = new QComboBox(this);
    pooling_->addItem("mean", int(analysis::Pooling::Mean));
    pooling_->addItem("max", int(analysis::Pooling::Max));
    pooling_->setToolTip(tr("Spatial pooling of conv layers' channels"));
    form->addRow(tr("Pooling:"), pooling_);

    control_ = new QComboBox(this);
    control_->addItem(tr("none"), int(MatchSetup::Control::None));
    if (canCopy)
        control_->addItem(tr("a random-weight copy of this network (made here)"),
                          int(MatchSetup::Control::RandomCopy));
    control_->addItem(tr("an activation store of a random-weight network"),
                      int(MatchSetup::Control::Store));
    control_->setToolTip(
        tr("The layer is also matched against the same layer of a network with random weights "
           "(for concept units, that network's concept units of the same method and number); "
           "pairs whose r exceeds 95% of the control's matched r are beyond chance."));
    control_->setCurrentIndex(canCopy ? 1 : 0);
    form->addRow(tr("Random-weight control:"), control_);
    seed_ = new QSpinBox(this);
    seed_->setRange(0, 1 << 30);
    seed_->setToolTip(tr("Seed of the copy's weights (PyTorch's default initialisation)"));
    form->addRow(tr("Seed:"), seed_);
    controlStore_ = new QLineEdit(this);
    controlStoreRow_ = storeField(controlStore_, tr("Random-weight control's activations"), this);
    form->addRow(tr("Control's activations:"), controlStoreRow_);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &MatchDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    form->addRow(buttons);
    connect(other_, &QLineEdit::editingFinished, this, &MatchDialog::readOtherStore);
    connect(control_, &QComboBox::currentIndexChanged, this, &MatchDialog::updateControlFields);
    updateControlFields();
}

// Lists the other store's layers, preselecting the one named like this network's.
void MatchDialog::readOtherStore() {
    otherLayer_->clear();
    otherInfo_->clear();
    if (other_->text().trimmed().isEmpty()) return;
    try {
        const auto store = analysis::ActivationStore::open(other_->text().trimmed().toStdString());
        for (const auto& l : store.layers())
            otherLayer_->addItem(QString::fromStdString(l.name));
        const int same = otherLayer_->findText(layer_->currentText());
        if (same >= 0) otherLayer_->setCurrentIndex(same);
        if (store.count() != stimuli_)
            otherInfo_->setText(tr("<span style='color:#c03030'>It holds %1 stimuli, this "
                                   "store %2: both must be extracted on the same stimuli.</span>")
                                    .arg(store.count())
                                    .arg(stimuli_));
    } catch (const std::exception& error) {
        otherInfo_->setText(QString("<span style='color:#c03030'>%1</span>")
                                .arg(QString::fromStdString(error.what()).toHtmlEscaped()));
    }
}

void MatchDialog::updateControlFields() {
    const auto control = MatchSetup::Control(control_->currentData().toInt());
    seed_->setEnabled(control == MatchSetup::Control::RandomCopy);
    controlStoreRow_->setEnabled(control == MatchSetup::Control::Store);
}

void MatchDialog::accept() {
    if (otherLayer_->count() == 0) {
        readOtherStore();
        if (otherInfo_->text().isEmpty())
            otherInfo_->setText(
                tr("<span style='color:#c03030'>Choose the other network's "
                   "activation store.</span>"));
        return;
    }
    const auto control = MatchSetup::Control(control_->currentData().toInt());
    if (control == MatchSetup::Control::Store && controlStore_->text().trimmed().isEmpty()) {
        otherInfo_->setText(
            tr("<span style='color:#c03030'>Choose the control's activation "
               "store, or no control.</span>"));
        return;
    }
    QDialog::accept();
}

MatchSetup MatchDialog::setup() const {
    MatchSetup setup;
    setup.layer = layer_->currentText();
    setup.other = other_->text().trimmed();
    setup.otherLayer = otherLayer_->currentText();
    setup.method = analysis::MatchMethod(method_->currentData().toInt());
    setup.pooling = analysis::Pooling(pooling_->currentData().toInt());
    setup.control = MatchSetup::Control(control_->currentData().toInt());
    setup.seed = std::uint64_t(seed_->value());
    setup.controlStore = controlStore_->text().trimmed();
    return setup;
}

}  // namespace us::widgets
