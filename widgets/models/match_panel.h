#pragma once
// The inspector's match of its unit in another network (convergent learning): the partner unit
// with its r and where that r falls among the random-weight control's matched r, both units'
// top exemplars side by side, and the histogram of every pair's r over the control's.

#include <QStringList>
#include <QWidget>

#include <optional>
#include <vector>

#include "analysis/models/model_workspace.h"

class QLabel;

namespace us::widgets {

class BarChart;
class ExemplarGrid;

struct MatchView {
    analysis::UnitRef unit;
    QString other;        // the other network's layer, "acts2.h5:relu3"
    qint64 partner = -1;  // -1: unmatched (one to one, with fewer units over there)
    double r = 0;
    QString method;                        // how the pairs were made, "one to one" or "best match"
    std::optional<double> threshold;       // the control's 95th percentile matched r
    std::optional<double> beyondFraction;  // the share of pairs above it
    std::vector<double> matched, control;  // every pair's r, and the control's
    std::vector<analysis::Exemplar> own, partnerExemplars;
    QStringList classNames;
    analysis::PredictionNames predictions;
};

class MatchPanel : public QWidget {
    Q_OBJECT
  public:
    explicit MatchPanel(QWidget* parent = nullptr);

    // Shows the view and the panel; clear() hides it until the next one.
    void showMatch(const MatchView& view);
    void clear();
    // The unit whose match is shown, if one is.
    std::optional<analysis::UnitRef> unit() const { return unit_; }
    QString summaryText() const;
    ExemplarGrid* ownGrid() const { return own_; }
    ExemplarGrid* partnerGrid() const { return partner_; }
    BarChart* histogram() const { return histogram_; }

  Q_SIGNALS:
    void hovered(const QString& text);

  private:
    QLabel* summary_ = nullptr;
    QLabel* ownTitle_ = nullptr;
    QLabel* partnerTitle_ = nullptr;
    ExemplarGrid* own_ = nullptr;
    ExemplarGrid* partner_ = nullptr;
    BarChart* histogram_ = nullptr;
    std::optional<analysis::UnitRef> unit_;
};

}  // namespace us::widgets
