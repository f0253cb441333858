#pragma once
// A small painted bar chart: a histogram over a numeric axis, or one bar per category (class
// means). Axis titles carry units; hovering a bar shows its exact value.

#include <QString>
#include <QStringList>
#include <QWidget>

class QPainter;

#include <optional>
#include <vector>

namespace us::widgets {

class BarChart : public QWidget {
    Q_OBJECT
  public:
    explicit BarChart(QWidget* parent = nullptr);

    // Histogram: counts in equal-width bins between xMin and xMax.
    void setHistogram(const std::vector<double>& counts, double xMin, double xMax,
                      const QString& xTitle, const QString& yTitle);
    // One bar per category; values may be negative.
    void setCategories(const QStringList& names, const std::vector<double>& values,
                       const QString& yTitle);
    // A line marking one x value on a histogram (e.g. the weakest shown exemplar).
    void setMarker(std::optional<double> x);
    // A second histogram over the same bins (a null model's), drawn as an outline over the
    // bars and named in hover read-outs; setHistogram and clear drop it.
    void setComparison(const std::vector<double>& counts, const QString& name);
    void clear(const QString& emptyText);

    int barCount() const { return int(values_.size()); }
    QString hoverText() const { return hoverText_; }
    QSize minimumSizeHint() const override { return {220, 140}; }

  Q_SIGNALS:
    void hovered(const QString& text);

  protected:
    void paintEvent(QPaintEvent*) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent*) override;

  private:
    QRectF plotArea() const;
    void paintHistogram(QPainter& painter) const;
    void paintCategories(QPainter& painter) const;
    int barAt(QPointF position) const;
    QString describeBar(int index) const;

    bool categorical_ = false;
    std::vector<double> values_;
    QStringList names_;
    double xMin_ = 0, xMax_ = 1;
    QString xTitle_, yTitle_, emptyText_;
    std::optional<double> marker_;
    std::vector<double> comparison_;
    QString comparisonName_;
    int hoveredBar_ = -1;
    QString hoverText_;
};

}  // namespace us::widgets
