#include "widgets/models/exemplar_grid.h"

#include <QContextMenuEvent>
#include <QMenu>

#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace us::widgets {
namespace {

constexpr int kThumb = 96;
constexpr int kGap = 6;
constexpr int kTextLines = 2;

// A perceptually ordered dark-to-bright map (inferno-like) for heat; alpha rises with the
// square of the value so that the picture stays visible wherever the unit responds weakly.
QRgb heatColour(double t) {
    t = std::clamp(t, 0.0, 1.0);
    static const QColor stops[] = {
        {0, 0, 4}, {87, 16, 110}, {188, 55, 84}, {249, 142, 9}, {252, 255, 164}};
    const double scaled = t * 4.0;
    const int i = std::min(3, int(scaled));
    const double f = scaled - i;
    const auto mix = [&](int a, int b) { return int(a + (b - a) * f); };
    const QColor c(mix(stops[i].red(), stops[i + 1].red()),
                   mix(stops[i].green(), stops[i + 1].green()),
                   mix(stops[i].blue(), stops[i + 1].blue()));
    return qRgba(c.red(), c.green(), c.blue(), int(170 * t * t));
}

}  // namespace

QImage toQImage(const analysis::Image& image) {
    if (image.width <= 0 || image.height <= 0) return {};
    const auto format = image.channels == 1 ? QImage::Format_Grayscale8 : QImage::Format_RGB888;
    const QImage view(image.pixels.data(), image.width, image.height, image.width * image.channels,
                      format);
    return view.copy();
}

ExemplarGrid::ExemplarGrid(QWidget* parent) : QWidget(parent) {
    setMouseTracking(true);
    QSizePolicy policy(QSizePolicy::Preferred, QSizePolicy::Preferred);
    policy.setHeightForWidth(true);
    setSizePolicy(policy);
}

void ExemplarGrid::setExemplars(const std::vector<analysis::Exemplar>& exemplars,
                                const QStringList& classNames,
                                const analysis::PredictionNames& predictions) {
    cells_.clear();
    // One heat scale for the whole grid, so that brighter means stronger across exemplars.
    float heatMax = 0;
    for (const auto& e : exemplars)
        for (float v : e.heatmap.values)
            heatMax = std::max(heatMax, v);
    const auto className = [&](std::int32_t label) {
        return label < 0 ? QString() : classNames.value(label, tr("class %1").arg(label));
    };
    const auto predictedName = [&](std::int32_t predicted) {
        if (predicted >= 0 && std::size_t(predicted) < predictions.classNames.size())
            return QString::fromStdString(predictions.classNames[std::size_t(predicted)]);
        return tr("class %1").arg(predicted);
    };
    for (const auto& e : exemplars) {
        Cell cell;
        cell.picture = toQImage(e.image);
        cell.value = e.value;
        cell.row = e.row;
        cell.label = e.label;
        if (e.heatmap.shape.size() == 2 && heatMax > 0) {
            const int h = int(e.heatmap.shape[0]), w = int(e.heatmap.shape[1]);
            cell.heat = QImage(w, h, QImage::Format_ARGB32);
            for (int y = 0; y < h; ++y)
                for (int x = 0; x < w; ++x)
                    cell.heat.setPixel(
                        x, y, heatColour(e.heatmap.values[std::size_t(y * w + x)] / heatMax));
        }
        const QString label = className(e.label);
        // Unlabelled stimuli show what the model predicts instead (not judged).
        const QString shownClass =
            !label.isEmpty() ? label : (e.predicted >= 0 ? predictedName(e.predicted) : QString());
        cell.caption =
            QString::number(e.value, 'g', 4) + (shownClass.isEmpty() ? "" : "  " + shownClass);
        cell.misclassified = predictions.comparableWithLabels && e.label >= 0 && e.predicted >= 0 &&
                             e.label != e.predicted;
        cell.details = tr("<b>%1</b><br>activation %2")
                           .arg(QString::fromStdString(e.name).toHtmlEscaped(),
                                QString::number(e.value, 'g', 6));
        if (!label.isEmpty()) cell.details += tr("<br>label: %1").arg(label.toHtmlEscaped());
        if (e.predicted >= 0)
            cell.details +=
                tr("<br>model predicts: %1").arg(predictedName(e.predicted).toHtmlEscaped());
        cells_.push_back(std::move(cell));
    }
    hovered_ = -1;
    updateGeometry();
    update();
}

void ExemplarGrid::setHeatmapsVisible(bool visible) {
    heatmapsVisible_ = visible;
    update();
}

int ExemplarGrid::columnsFor(int width) const {
    return std::max(1, (width - kGap) / (kThumb + kGap));
}

int ExemplarGrid::heightForWidth(int width) const {
    const int rows = (int(cells_.size()) + columnsFor(width) - 1) / columnsFor(width);
    const int textHeight = fontMetrics().height() * kTextLines;
    return kGap + rows * (kThumb + textHeight + kGap);
}

QSize ExemplarGrid::sizeHint() const {
    const int width = 4 * (kThumb + kGap) + kGap;
    return {width, heightForWidth(width)};
}

QRect ExemplarGrid::cellRect(int index) const {
    const int columns = columnsFor(width());
    const int textHeight = fontMetrics().height() * kTextLines;
    const int row = index / columns, column = index % columns;
    return {kGap + column * (kThumb + kGap), kGap + row * (kThumb + textHeight + kGap), kThumb,
            kThumb + textHeight};
}

QPoint ExemplarGrid::cellCentre(int index) const {
    const QRect r = cellRect(index);
    return {r.center().x(), r.top() + kThumb / 2};
}

int ExemplarGrid::cellAt(QPoint position) const {
    for (int i = 0; i < count(); ++i)
        if (cellRect(i).contains(position)) return i;
    return -1;
}

QString ExemplarGrid::toolTipFor(int index) const {
    return cells_.at(std::size_t(index)).details;
}

void ExemplarGrid::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.fillRect(rect(), palette().window());
    const QFontMetrics metrics = fontMetrics();
    for (int i = 0; i < count(); ++i) {
        const Cell& cell = cells_[std::size_t(i)];
        const QRect r = cellRect(i);
        const QRect thumb(r.topLeft(), QSize(kThumb, kThumb));
        painter.fillRect(thumb, QColor(30, 30, 30));
        if (!cell.picture.isNull()) {
            // Small images (MNIST-size) stay crisp; large ones are smoothed.
            const bool small = cell.picture.width() < kThumb / 2;
            painter.setRenderHint(QPainter::SmoothPixmapTransform, !small);
            const QSize fitted = cell.picture.size().scaled(thumb.size(), Qt::KeepAspectRatio);
            const QRect target(thumb.center() - QPoint(fitted.width() / 2, fitted.height() / 2),
                               fitted);
            painter.drawImage(target, cell.picture);
            if (heatmapsVisible_ && !cell.heat.isNull()) {
                painter.setRenderHint(QPainter::SmoothPixmapTransform, true);
                painter.drawImage(target, cell.heat);
            }
        } else {
            painter.setPen(palette().color(QPalette::PlaceholderText));
            painter.drawText(thumb, Qt::AlignCenter, tr("no image"));
        }
        painter.setPen(i == hovered_ ? QPen(palette().color(QPalette::Highlight), 2)
                                     : QPen(palette().color(QPalette::Mid), 1));
        painter.drawRect(thumb.adjusted(0, 0, -1, -1));
        painter.setPen(cell.misclassified ? QColor(200, 40, 40) : palette().color(QPalette::Text));
        painter.drawText(QRect(r.left(), thumb.bottom() + 2, kThumb, metrics.height() * kTextLines),
                         Qt::AlignHCenter | Qt::AlignTop | Qt::TextWordWrap,
                         metrics.elidedText(cell.caption, Qt::ElideRight, kThumb * 2 - 8));
    }
}

void ExemplarGrid::mousePressEvent(QMouseEvent* event) {
    const int index = cellAt(event->position().toPoint());
    if (index >= 0 && event->button() == Qt::LeftButton) Q_EMIT stimulusClicked(row(index));
    QWidget::mousePressEvent(event);
}

void ExemplarGrid::contextMenuEvent(QContextMenuEvent* event) {
    const int index = cellAt(event->pos());
    if (index < 0) return;
    QMenu menu(this);
    menu.addAction(tr("Attribution graph of this stimulus"), this,
                   [this, r = row(index)] { Q_EMIT attributionRequested(r); });
    menu.exec(event->globalPos());
}

void ExemplarGrid::mouseMoveEvent(QMouseEvent* event) {
    const int index = cellAt(event->position().toPoint());
    if (index != hovered_) {
        hovered_ = index;
        update();
    }
    if (index >= 0)
        QToolTip::showText(event->globalPosition().toPoint(), toolTipFor(index), this);
    else
        QToolTip::hideText();
}

}  // namespace us::widgets
