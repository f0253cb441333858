#include "widgets/models/match_panel.h"

#include <QGridLayout>
#include <QLabel>
#include <QScrollArea>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

#include "widgets/models/bar_chart.h"
#include "widgets/models/exemplar_grid.h"

namespace us::widgets {
namespace {

constexpr int kBins = 40;

// Counts of values in kBins equal bins over [low, 1], the top bin closed.
std::vector<double> binCounts(const std::vector<double>& values, double low) {
    std::vector<double> counts(kBins, 0.0);
    for (const double r : values) {
        if (!std::isfinite(r)) continue;
        const int bin = int(std::floor((r - low) / (1.0 - low) * kBins));
        counts[std::size_t(std::clamp(bin, 0, kBins - 1))] += 1;
    }
    return counts;
}

}  // namespace

MatchPanel::MatchPanel(QWidget* parent) : QWidget(parent) {
    setObjectName("unitMatch");
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    summary_ = new QLabel(this);
    summary_->setObjectName("matchSummary");
    summary_->setTextFormat(Qt::RichText);
    summary_->setWordWrap(true);
    summary_->setToolTip(
        tr("The unit of the other network whose activations over the same stimuli correlate "
           "with this unit's (Analysis > Match units with another network). With a "
           "random-weight control, a pair's r is beyond chance when it exceeds 95% of the "
           "control's matched r."));
    layout->addWidget(summary_);
    auto* scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    auto* sides = new QWidget(scroll);
    auto* grid = new QGridLayout(sides);
    grid->setContentsMargins(0, 0, 0, 0);
    ownTitle_ = new QLabel(sides);
    partnerTitle_ = new QLabel(sides);
    own_ = new ExemplarGrid(sides);
    own_->setObjectName("matchOwnExemplars");
    partner_ = new ExemplarGrid(sides);
    partner_->setObjectName("matchPartnerExemplars");
    grid->addWidget(ownTitle_, 0, 0);
    grid->addWidget(partnerTitle_, 0, 1);
    grid->addWidget(own_, 1, 0, Qt::AlignTop);
    grid->addWidget(partner_, 1, 1, Qt::AlignTop);
    grid->setColumnStretch(0, 1);
    grid->setColumnStretch(1, 1);
    scroll->setWidget(sides);
    layout->addWidget(scroll, 1);
    histogram_ = new BarChart(this);
    histogram_->setObjectName("matchHistogram");
    histogram_->setMinimumHeight(160);
    histogram_->setMaximumHeight(220);
    layout->addWidget(histogram_);
    connect(histogram_, &BarChart::hovered, this, &MatchPanel::hovered);
    hide();
}

void MatchPanel::showMatch(const MatchView& view) {
    unit_ = view.unit;
    const QString unitName =
        QString("%1:%2").arg(QString::fromStdString(view.unit.layer)).arg(view.unit.index);
    QString text;
    if (view.partner < 0) {
        text = tr("<b>%1</b> has no partner in %2 (%3: the other layer has fewer units).")
                   .arg(unitName.toHtmlEscaped(), view.other.toHtmlEscaped(), view.method);
    } else {
        text = tr("matched in <b>%1</b>: unit <b>%2</b>, r = <b>%3</b> (%4)")
                   .arg(view.other.toHtmlEscaped())
                   .arg(view.partner)
                   .arg(view.r, 0, 'f', 3)
                   .arg(view.method);
        if (view.threshold) {
            const bool beyond = view.r > *view.threshold;
            text += tr("; random-weight control's 95th percentile r = %1: %2")
                        .arg(*view.threshold, 0, 'f', 3)
                        .arg(beyond ? tr("beyond chance")
                                    : tr("<span style='color:#8a8a8a'><i>could be "
                                         "chance</i></span>"));
            if (view.beyondFraction)
                text += tr("; %1% of the layer's pairs are beyond it")
                            .arg(100.0 * *view.beyondFraction, 0, 'f', 0);
        } else {
            text += tr("; no random-weight control");
        }
    }
    summary_->setText(text);
    ownTitle_->setText(tr("%1 (this network)").arg(unitName));
    partnerTitle_->setText(
        view.partner < 0
            ? QString()
            : tr("%1:%2 (other network)").arg(view.other.section(':', -1)).arg(view.partner));
    own_->setExemplars(view.own, view.classNames, view.predictions);
    partner_->setExemplars(view.partnerExemplars, view.classNames, view.predictions);

    double low = 0;
    for (const auto* values : {&view.matched, &view.control})
        for (const double r : *values)
            if (std::isfinite(r)) low = std::min(low, std::floor(r * 10) / 10);
    low = std::max(low, -1.0);
    histogram_->setHistogram(binCounts(view.matched, low), low, 1.0, tr("matched r"),
                             tr("unit pairs"));
    if (!view.control.empty())
        histogram_->setComparison(binCounts(view.control, low), tr("random-weight control"));
    histogram_->setMarker(view.partner < 0 ? std::optional<double>()
                                           : std::optional<double>(view.r));
    show();
}

void MatchPanel::clear() {
    unit_.reset();
    summary_->clear();
    own_->setExemplars({}, {}, {});
    partner_->setExemplars({}, {}, {});
    histogram_->clear(QString());
    hide();
}

QString MatchPanel::summaryText() const {
    return isHidden() ? QString() : summary_->text();
}

}  // namespace us::widgets
