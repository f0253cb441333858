#include "widgets/brain/overlay_controls.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSlider>
#include <QToolButton>

#include <cmath>

namespace us::widgets {

render::OverlayStyle defaultOverlayStyle(const std::vector<float>& values) {
    const auto [lo, hi] = render::finiteRange(values);
    render::OverlayStyle style;
    if (lo < 0 && hi > 0) {
        style.map = render::ColourMapName::Diverging;
        style.symmetric = true;
        style.max = std::max(-lo, hi);
        style.min = -style.max;
    } else {
        style.map = render::ColourMapName::Hot;
        style.min = lo;
        style.max = hi > lo ? hi : lo + 1;
    }
    style.threshold = 0;
    return style;
}

OverlayControls::OverlayControls(QWidget* parent) : QWidget(parent) {
    auto* row = new QHBoxLayout(this);
    row->setContentsMargins(4, 2, 4, 2);
    name_ = new QLabel(this);
    map_ = new QComboBox(this);
    for (auto map : {render::ColourMapName::Hot, render::ColourMapName::Viridis,
                     render::ColourMapName::Diverging, render::ColourMapName::Grey})
        map_->addItem(QString::fromStdString(render::colourMapName(map)), int(map));
    const auto spin = [this](const QString& tip) {
        auto* box = new QDoubleSpinBox(this);
        box->setRange(-1e9, 1e9);
        box->setDecimals(3);
        box->setToolTip(tip);
        box->setKeyboardTracking(false);
        return box;
    };
    min_ = spin(tr("Colour range minimum"));
    max_ = spin(tr("Colour range maximum"));
    threshold_ = spin(tr("|value| below this is sub-threshold"));
    threshold_->setMinimum(0);
    hide_ = new QCheckBox(tr("hide below"), this);
    hide_->setChecked(true);
    hide_->setToolTip(tr("Show the underlay where the overlay is below threshold"));
    opacity_ = new QSlider(Qt::Horizontal, this);
    opacity_->setRange(0, 100);
    opacity_->setValue(100);
    opacity_->setMaximumWidth(90);
    opacity_->setToolTip(tr("Overlay opacity"));
    auto* close = new QToolButton(this);
    close->setText(QString::fromUtf8("\u2715"));
    close->setToolTip(tr("Remove the overlay"));
    row->addWidget(name_, 1);
    row->addWidget(map_);
    row->addWidget(new QLabel(tr("range"), this));
    row->addWidget(min_);
    row->addWidget(max_);
    row->addWidget(new QLabel(tr("threshold"), this));
    row->addWidget(threshold_);
    row->addWidget(hide_);
    row->addWidget(opacity_);
    row->addWidget(close);
    const auto changed = [this] {
        if (!updating_) Q_EMIT styleChanged(style());
    };
    connect(map_, &QComboBox::currentIndexChanged, this, changed);
    for (auto* box : {min_, max_, threshold_})
        connect(box, &QDoubleSpinBox::valueChanged, this, changed);
    connect(hide_, &QCheckBox::toggled, this, changed);
    connect(opacity_, &QSlider::valueChanged, this, changed);
    connect(close, &QToolButton::clicked, this, &OverlayControls::closeRequested);
    hide();
}

void OverlayControls::setOverlay(const QString& name, const render::OverlayStyle& style) {
    updating_ = true;
    name_->setText(name);
    name_->setToolTip(name);
    map_->setCurrentIndex(map_->findData(int(style.map)));
    min_->setValue(style.min);
    max_->setValue(style.max);
    threshold_->setValue(style.threshold);
    hide_->setChecked(style.hideBelowThreshold);
    opacity_->setValue(int(std::lround(style.opacity * 100)));
    updating_ = false;
    show();
}

render::OverlayStyle OverlayControls::style() const {
    render::OverlayStyle style;
    style.map = render::ColourMapName(map_->currentData().toInt());
    style.min = min_->value();
    style.max = max_->value();
    style.symmetric = style.map == render::ColourMapName::Diverging;
    style.threshold = threshold_->value();
    style.hideBelowThreshold = hide_->isChecked();
    style.opacity = opacity_->value() / 100.0;
    return style;
}

}  // namespace us::widgets
