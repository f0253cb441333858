#include "widgets/encoding/encoding_fit_dialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QSpinBox>
#include <QToolButton>

#include <stdexcept>

namespace us::widgets {

EncodingFitDialog::EncodingFitDialog(const analysis::StoreSummary& store, QWidget* parent)
    : QDialog(parent), storePath_(store.path) {
    setWindowTitle(tr("Fit encoding model"));
    auto* form = new QFormLayout(this);
    const QString volumes = tr("Betas (*.nii *.nii.gz *.gii *.npy)");
    betas_ = pathRow(tr("4-D NIfTI (one volume per stimulus), GIFTI (one array per stimulus) "
                        "or an N x V float32 .npy"),
                     volumes, false, "betas");
    mask_ = pathRow(tr("Optional for NIfTI (default: voxels with data); required for .npy"),
                    tr("Masks (*.nii *.nii.gz)"), false, "mask");
    rows_ = pathRow(tr("Optional: one store row or stimulus name per betas row (default: the "
                       "store's first rows in order)"),
                    tr("Text (*.txt)"), false, "rows");
    layer_ = new QComboBox(this);
    layer_->setObjectName("layer");
    for (const auto& layer : store.layers)
        layer_->addItem(QString::fromStdString(layer.name));
    layer_->setCurrentIndex(std::max(0, int(store.layers.size()) - 2));  // the penultimate
    pooling_ = new QComboBox(this);
    pooling_->addItems({"mean", "max"});
    pooling_->setToolTip(tr("Spatial pooling of conv layers' channels"));
    alphas_ = new QLineEdit("1e-2:1e6:20", this);
    alphas_->setObjectName("alphas");
    alphas_->setToolTip(tr("LOW:HIGH:COUNT log-spaced, or a comma-separated list"));
    folds_ = new QSpinBox(this);
    folds_->setRange(2, 100);
    folds_->setValue(5);
    folds_->setToolTip(tr("Contiguous cross-validation folds in row order, no shuffling"));
    testFraction_ = new QDoubleSpinBox(this);
    testFraction_->setRange(0, 0.9);
    testFraction_->setSingleStep(0.05);
    testFraction_->setValue(0.2);
    testFraction_->setToolTip(tr("The last rows, held out for R2 and r"));
    intercept_ = new QCheckBox(tr("fit an intercept (centre by the training means)"), this);
    standardize_ = new QCheckBox(tr("standardise the features"), this);
    out_ = pathRow(tr("The encoding model to write"), tr("Encoding models (*.h5)"), true, "out");
    map_ = pathRow(tr("Optional: the held-out R2 as a NIfTI or GIFTI map"),
                   tr("Maps (*.nii.gz *.nii *.func.gii)"), true, "map");
    form->addRow(tr("Betas:"), betas_->parentWidget());
    form->addRow(tr("Mask:"), mask_->parentWidget());
    form->addRow(tr("Rows:"), rows_->parentWidget());
    form->addRow(tr("Layer:"), layer_);
    form->addRow(tr("Pooling:"), pooling_);
    form->addRow(tr("Alphas:"), alphas_);
    form->addRow(tr("Folds:"), folds_);
    form->addRow(tr("Test fraction:"), testFraction_);
    form->addRow(QString(), intercept_);
    form->addRow(QString(), standardize_);
    form->addRow(tr("Output:"), out_->parentWidget());
    form->addRow(tr("R2 map:"), map_->parentWidget());
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    form->addRow(buttons);
    // The output goes beside the betas unless chosen.
    connect(betas_, &QLineEdit::textChanged, this, [this](const QString& text) {
        if (out_->isModified() || text.isEmpty()) return;
        out_->setText(QFileInfo(text).absoluteDir().filePath("encoding.h5"));
    });
}

QLineEdit* EncodingFitDialog::pathRow(const QString& tip, const QString& filter, bool save,
                                      const QString& name) {
    auto* row = new QWidget(this);
    auto* layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* edit = new QLineEdit(row);
    edit->setObjectName(name);
    edit->setToolTip(tip);
    edit->setMinimumWidth(320);
    auto* browse = new QToolButton(row);
    browse->setText("...");
    layout->addWidget(edit, 1);
    layout->addWidget(browse);
    connect(browse, &QToolButton::clicked, this, [this, edit, filter, save] {
        const QString path =
            save ? QFileDialog::getSaveFileName(this, windowTitle(), edit->text(), filter)
                 : QFileDialog::getOpenFileName(this, windowTitle(), edit->text(), filter);
        if (!path.isEmpty()) {
            edit->setText(path);
            edit->setModified(true);
        }
    });
    return edit;
}

analysis::EncodingRequest EncodingFitDialog::request() const {
    const auto optionalPath = [](const QLineEdit* edit) -> std::optional<std::filesystem::path> {
        const QString text = edit->text().trimmed();
        if (text.isEmpty()) return std::nullopt;
        return std::filesystem::path(text.toStdString());
    };
    analysis::EncodingRequest request;
    if (betas_->text().trimmed().isEmpty()) throw std::invalid_argument("choose the betas");
    if (out_->text().trimmed().isEmpty()) throw std::invalid_argument("choose the output file");
    request.features = storePath_ + ":" + layer_->currentText().toStdString();
    request.pooling =
        pooling_->currentIndex() == 1 ? analysis::Pooling::Max : analysis::Pooling::Mean;
    request.betas = betas_->text().trimmed().toStdString();
    request.mask = optionalPath(mask_);
    request.rows = optionalPath(rows_);
    request.ridge.alphas = analysis::parseAlphaGrid(alphas_->text().trimmed().toStdString());
    request.ridge.folds = folds_->value();
    request.ridge.intercept = intercept_->isChecked();
    request.ridge.standardize = standardize_->isChecked();
    request.testFraction = testFraction_->value();
    request.out = out_->text().trimmed().toStdString();
    request.map = optionalPath(map_);
    return request;
}

}  // namespace us::widgets
