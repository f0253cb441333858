#include "app/core/figure_export.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QPainter>
#include <QSaveFile>
#include <QSpinBox>

#include <cmath>
#include <stdexcept>

namespace us::app {
namespace {

constexpr int kMaxSide = 8000;  // Mesa's largest offscreen framebuffer is 8192 px

}  // namespace

FigureExportDialog::FigureExportDialog(const QString& panelTitle, QSize onScreen,
                                       bool offerWhiteBackground, QWidget* parent)
    : QDialog(parent) {
    setWindowTitle(tr("Export figure of %1").arg(panelTitle));
    aspect_ = onScreen.width() > 0 ? double(onScreen.height()) / onScreen.width() : 0.75;
    auto* form = new QFormLayout(this);
    width_ = new QSpinBox(this);
    height_ = new QSpinBox(this);
    for (auto* box : {width_, height_}) {
        box->setRange(64, kMaxSide);
        box->setSuffix(tr(" px"));
    }
    width_->setValue(3000);
    height_->setValue(int(std::lround(3000 * aspect_)));
    keepAspect_ = new QCheckBox(tr("Keep the panel's aspect ratio"), this);
    keepAspect_->setChecked(true);
    form->addRow(tr("Width"), width_);
    form->addRow(tr("Height"), height_);
    form->addRow(keepAspect_);
    if (offerWhiteBackground) {
        white_ = new QCheckBox(tr("White background (for print)"), this);
        white_->setChecked(true);
        form->addRow(white_);
    }
    connect(width_, &QSpinBox::valueChanged, this, [this](int width) {
        if (keepAspect_->isChecked()) {
            const QSignalBlocker block(height_);
            height_->setValue(int(std::lround(width * aspect_)));
        }
    });
    connect(height_, &QSpinBox::valueChanged, this, [this](int height) {
        if (keepAspect_->isChecked()) {
            const QSignalBlocker block(width_);
            width_->setValue(int(std::lround(height / aspect_)));
        }
    });
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    form->addRow(buttons);
}

QSize FigureExportDialog::size() const {
    return {width_->value(), height_->value()};
}

bool FigureExportDialog::whiteBackground() const {
    return white_ && white_->isChecked();
}

QImage renderWidgetAt(QWidget* widget, QSize size) {
    if (size.width() < 1 || size.height() < 1 || size.width() > kMaxSide ||
        size.height() > kMaxSide)
        throw std::runtime_error("a figure must be 1 to " + std::to_string(kMaxSide) +
                                 " pixels on each side");
    QImage image(size, QImage::Format_RGB32);
    image.fill(widget->palette().window().color());
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::SmoothPixmapTransform);
    painter.scale(double(size.width()) / std::max(1, widget->width()),
                  double(size.height()) / std::max(1, widget->height()));
    widget->render(&painter, QPoint(), QRegion(), QWidget::DrawChildren);
    return image;
}

void saveImageAtomically(const QImage& image, const QString& path) {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || !image.save(&file, "PNG") || !file.commit())
        throw std::runtime_error("cannot write '" + path.toStdString() + "'");
}

}  // namespace us::app
