#pragma once
// The inspector's top exemplars: a grid of thumbnails, strongest first, each with its
// activation and label, and the unit's spatial activation map laid over it as a heat map.

#include <QImage>
#include <QStringList>
#include <QWidget>

#include <vector>

#include "analysis/models/model_workspace.h"

namespace us::widgets {

class ExemplarGrid : public QWidget {
    Q_OBJECT
  public:
    explicit ExemplarGrid(QWidget* parent = nullptr);

    // classNames name the stimuli's labels; a prediction is named by the model's own class
    // names and marked wrong only when those are the stimuli's.
    void setExemplars(const std::vector<analysis::Exemplar>& exemplars,
                      const QStringList& classNames, const analysis::PredictionNames& predictions);
    void setHeatmapsVisible(bool visible);
    bool heatmapsVisible() const { return heatmapsVisible_; }

    int count() const { return int(cells_.size()); }
    double value(int index) const { return cells_.at(std::size_t(index)).value; }
    std::int32_t label(int index) const { return cells_.at(std::size_t(index)).label; }
    bool hasHeatmap(int index) const { return !cells_.at(std::size_t(index)).heat.isNull(); }
    // Centre of cell index in widget coordinates (tests, hover).
    QPoint cellCentre(int index) const;
    QString toolTipFor(int index) const;

    std::int64_t row(int index) const { return cells_.at(std::size_t(index)).row; }

    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;
    QSize sizeHint() const override;

  Q_SIGNALS:
    // A stimulus (a row of the store) clicked, or its attribution graph asked for.
    void stimulusClicked(qint64 row);
    void attributionRequested(qint64 row);

  protected:
    void paintEvent(QPaintEvent*) override;
    void mousePressEvent(QMouseEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;

  private:
    struct Cell {
        QImage picture;
        QImage heat;  // RGBA colour-mapped heat map at its own resolution
        double value = 0;
        std::int64_t row = 0;
        std::int32_t label = -1;
        QString caption;
        QString details;
        bool misclassified = false;
    };
    int columnsFor(int width) const;
    QRect cellRect(int index) const;
    int cellAt(QPoint position) const;

    std::vector<Cell> cells_;
    bool heatmapsVisible_ = true;
    int hovered_ = -1;
};

// 8-bit analysis image -> QImage (deep copy).
QImage toQImage(const analysis::Image& image);

}  // namespace us::widgets
