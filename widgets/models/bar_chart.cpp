#include "widgets/models/bar_chart.h"

#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace us::widgets {
namespace {

QString number(double value) {
    return QString::number(value, 'g', 4);
}

// An axis title under the plot: centred on the plot where it fits, else centred on the whole
// chart, and elided only when even that is too narrow.
void drawAxisTitle(QPainter& painter, const QRectF& plot, double top, double chartWidth,
                   const QString& title) {
    const QFontMetrics metrics(painter.font());
    const double width = metrics.horizontalAdvance(title);
    QRectF box(plot.left(), top, plot.width(), metrics.height());
    if (width > plot.width()) {
        const double left =
            std::clamp(plot.center().x() - width / 2, 2.0, std::max(2.0, chartWidth - 2 - width));
        box = QRectF(left, top, std::min(width, chartWidth - 4), metrics.height());
    }
    painter.drawText(box, Qt::AlignHCenter,
                     metrics.elidedText(title, Qt::ElideRight, int(chartWidth - 4)));
}

const QColor kBar(70, 130, 200);
const QColor kNegative(210, 110, 80);
const QColor kHighlight(240, 170, 40);
const QColor kComparison(200, 90, 30);

}  // namespace

BarChart::BarChart(QWidget* parent) : QWidget(parent) {
    setMouseTracking(true);
    setMinimumHeight(140);
}

void BarChart::setHistogram(const std::vector<double>& counts, double xMin, double xMax,
                            const QString& xTitle, const QString& yTitle) {
    categorical_ = false;
    values_ = counts;
    names_.clear();
    xMin_ = xMin;
    xMax_ = xMax;
    xTitle_ = xTitle;
    yTitle_ = yTitle;
    comparison_.clear();
    update();
}

void BarChart::setCategories(const QStringList& names, const std::vector<double>& values,
                             const QString& yTitle) {
    categorical_ = true;
    names_ = names;
    values_ = values;
    xTitle_.clear();
    yTitle_ = yTitle;
    marker_.reset();
    update();
}

void BarChart::setMarker(std::optional<double> x) {
    marker_ = x;
    update();
}

void BarChart::setComparison(const std::vector<double>& counts, const QString& name) {
    comparison_ = counts.size() == values_.size() ? counts : std::vector<double>();
    comparisonName_ = name;
    update();
}

void BarChart::clear(const QString& emptyText) {
    values_.clear();
    names_.clear();
    comparison_.clear();
    emptyText_ = emptyText;
    marker_.reset();
    update();
}

QRectF BarChart::plotArea() const {
    const QFontMetrics metrics(font());
    if (categorical_) {  // horizontal bars: names on the left, value axis at the bottom
        const double left =
            std::min(width() * 0.4, double(metrics.horizontalAdvance("Ankle boot__")));
        return QRectF(left, 4, width() - left - 12, height() - 2.4 * metrics.height() - 8);
    }
    const double left = metrics.horizontalAdvance("-0.0000") + metrics.height() + 8;
    const double bottom = (categorical_ ? 2.2 : 2.4) * metrics.height() + 4;
    return QRectF(left, metrics.height() * 0.8, width() - left - 10,
                  height() - bottom - metrics.height() * 0.8);
}

int BarChart::barAt(QPointF position) const {
    QRectF plot = plotArea();
    if (categorical_) plot.setLeft(0);  // hovering a name counts too
    if (values_.empty() || !plot.contains(position)) return -1;
    const double along = categorical_ ? (position.y() - plot.top()) / plot.height()
                                      : (position.x() - plot.left()) / plot.width();
    const int index = int(along * double(values_.size()));
    return std::clamp(index, 0, int(values_.size()) - 1);
}

QString BarChart::describeBar(int index) const {
    const double value = values_[std::size_t(index)];
    if (categorical_) return tr("%1: %2 %3").arg(names_.value(index), number(value), yTitle_);
    const double width = (xMax_ - xMin_) / double(values_.size());
    QString text = tr("%1 %2 with %3 in [%4, %5)")
                       .arg(value)
                       .arg(yTitle_, xTitle_, number(xMin_ + width * index),
                            number(xMin_ + width * (index + 1)));
    if (!comparison_.empty())
        text += tr("; %1: %2").arg(comparisonName_).arg(comparison_[std::size_t(index)]);
    return text;
}

void BarChart::paintEvent(QPaintEvent*) {
    QPainter painter(this);
    painter.fillRect(rect(), palette().base());
    if (values_.empty()) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(rect().adjusted(6, 6, -6, -6), Qt::AlignCenter | Qt::TextWordWrap,
                         emptyText_);
        return;
    }
    if (categorical_)
        paintCategories(painter);
    else
        paintHistogram(painter);
}

void BarChart::paintHistogram(QPainter& painter) const {
    const QRectF plot = plotArea();
    const QFontMetrics metrics(font());
    double hi = std::max(1.0, *std::max_element(values_.begin(), values_.end()));
    if (!comparison_.empty())
        hi = std::max(hi, *std::max_element(comparison_.begin(), comparison_.end()));
    const auto yOf = [&](double v) { return plot.bottom() - v / hi * plot.height(); };
    const QColor axis = palette().color(QPalette::Text);
    painter.setPen(axis);
    painter.drawLine(plot.bottomLeft(), plot.topLeft());
    painter.drawLine(plot.bottomLeft(), plot.bottomRight());
    const auto rightAligned = [&](double y, const QString& text) {
        painter.drawText(QRectF(0, y - metrics.height() / 2.0, plot.left() - 4, metrics.height()),
                         Qt::AlignRight | Qt::AlignVCenter, text);
    };
    rightAligned(plot.top(), number(hi));
    rightAligned(plot.bottom(), "0");
    painter.save();
    painter.translate(metrics.height() * 0.9, plot.center().y());
    painter.rotate(-90);
    painter.drawText(QRectF(-plot.height() / 2, -metrics.height(), plot.height(), metrics.height()),
                     Qt::AlignCenter, yTitle_);
    painter.restore();

    const double barWidth = plot.width() / double(values_.size());
    for (std::size_t i = 0; i < values_.size(); ++i) {
        const double top = yOf(values_[i]);
        const QRectF bar(plot.left() + barWidth * double(i) + 0.5, top, barWidth - 1.0,
                         std::max(values_[i] > 0 ? 1.0 : 0.0, plot.bottom() - top));
        painter.fillRect(bar, int(i) == hoveredBar_ ? kHighlight : kBar);
    }
    if (!comparison_.empty()) {  // a step outline, so that the bars stay visible under it
        QPainterPath outline(QPointF(plot.left(), plot.bottom()));
        for (std::size_t i = 0; i < comparison_.size(); ++i) {
            const double top = yOf(comparison_[i]);
            outline.lineTo(plot.left() + barWidth * double(i), top);
            outline.lineTo(plot.left() + barWidth * double(i + 1), top);
        }
        outline.lineTo(plot.right(), plot.bottom());
        painter.setPen(QPen(kComparison, 2));
        painter.setBrush(Qt::NoBrush);
        painter.drawPath(outline);
        const QString legend = QString::fromUtf8("\u2014 ") + comparisonName_;
        painter.drawText(QRectF(plot.left(), plot.top(), plot.width(), metrics.height()),
                         Qt::AlignHCenter, legend);
    }
    painter.setPen(axis);
    const double textTop = plot.bottom() + 2;
    painter.drawText(QRectF(plot.left(), textTop, plot.width(), metrics.height()), Qt::AlignLeft,
                     number(xMin_));
    painter.drawText(QRectF(plot.left(), textTop, plot.width(), metrics.height()), Qt::AlignRight,
                     number(xMax_));
    drawAxisTitle(painter, plot, textTop + metrics.height(), width(), xTitle_);
    if (marker_ && xMax_ > xMin_) {
        const double x = plot.left() + (*marker_ - xMin_) / (xMax_ - xMin_) * plot.width();
        painter.setPen(QPen(QColor(220, 60, 60), 1, Qt::DashLine));
        painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
    }
}

void BarChart::paintCategories(QPainter& painter) const {
    const QRectF plot = plotArea();
    const QFontMetrics metrics(font());
    const double lo = std::min(0.0, *std::min_element(values_.begin(), values_.end()));
    double hi = std::max(0.0, *std::max_element(values_.begin(), values_.end()));
    if (hi <= lo) hi = lo + 1;
    const auto xOf = [&](double v) { return plot.left() + (v - lo) / (hi - lo) * plot.width(); };
    const QColor axis = palette().color(QPalette::Text);
    const double rowHeight = plot.height() / double(values_.size());
    for (int i = 0; i < int(values_.size()); ++i) {
        const double y = plot.top() + rowHeight * i;
        const double v = values_[std::size_t(i)];
        const double left = xOf(std::min(0.0, v)), right = xOf(std::max(0.0, v));
        painter.fillRect(
            QRectF(left, y + rowHeight * 0.15, std::max(1.0, right - left), rowHeight * 0.7),
            i == hoveredBar_ ? kHighlight : (v < 0 ? kNegative : kBar));
        painter.setPen(axis);
        painter.drawText(QRectF(0, y, plot.left() - 4, rowHeight),
                         Qt::AlignRight | Qt::AlignVCenter,
                         metrics.elidedText(names_.value(i), Qt::ElideRight, int(plot.left() - 6)));
    }
    painter.setPen(axis);
    painter.drawLine(QPointF(xOf(0), plot.top()), QPointF(xOf(0), plot.bottom()));
    painter.drawLine(plot.bottomLeft(), plot.bottomRight());
    const double textTop = plot.bottom() + 2;
    painter.drawText(QRectF(plot.left(), textTop, plot.width(), metrics.height()), Qt::AlignLeft,
                     number(lo));
    painter.drawText(QRectF(plot.left(), textTop, plot.width(), metrics.height()), Qt::AlignRight,
                     number(hi));
    drawAxisTitle(painter, plot, textTop + metrics.height(), width(), yTitle_);
}

void BarChart::mouseMoveEvent(QMouseEvent* event) {
    const int index = barAt(event->position());
    if (index == hoveredBar_) return;
    hoveredBar_ = index;
    hoverText_ = index >= 0 ? describeBar(index) : QString();
    if (index >= 0) QToolTip::showText(event->globalPosition().toPoint(), hoverText_, this);
    Q_EMIT hovered(hoverText_);
    update();
}

void BarChart::leaveEvent(QEvent*) {
    hoveredBar_ = -1;
    hoverText_.clear();
    Q_EMIT hovered(QString());
    update();
}

}  // namespace us::widgets
