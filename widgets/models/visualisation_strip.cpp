#include "widgets/models/visualisation_strip.h"

#include <QHBoxLayout>
#include <QHelpEvent>
#include <QLabel>
#include <QPainter>
#include <QPainterPath>
#include <QPushButton>
#include <QToolTip>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace us::widgets {
namespace {

constexpr int kImageSide = 96;
constexpr int kCaption = 16;
constexpr int kTitle = 16;
constexpr int kCurveWidth = 170;
constexpr int kGap = 6;
constexpr int kRowHeight = kTitle + kImageSide + kCaption + kGap;

QString number(double value) {
    return std::isfinite(value) ? QString::number(value, 'g', 4) : QStringLiteral("n/a");
}

}  // namespace

// Paints the rows; hover read-outs as tooltips.
class VisualisationStrip::Canvas : public QWidget {
  public:
    explicit Canvas(VisualisationStrip* strip) : QWidget(strip), strip_(strip) {
        setMouseTracking(true);
    }

    std::vector<const Row*> rows() const {
        std::vector<const Row*> rows;
        if (strip_->preview_) rows.push_back(&*strip_->preview_);
        for (const auto& row : strip_->records_)
            rows.push_back(&row);
        return rows;
    }

    QRect imageRect(int row, int image) const {
        return {kGap + image * (kImageSide + kGap), row * kRowHeight + kTitle, kImageSide,
                kImageSide};
    }

    QSize sizeHint() const override {
        const auto all = rows();
        std::size_t widest = 1;
        for (const auto* row : all)
            widest = std::max(widest, row->images.size());
        return {int(widest) * (kImageSide + kGap) + kCurveWidth + 3 * kGap,
                std::max<int>(1, int(all.size())) * kRowHeight};
    }

  protected:
    void paintEvent(QPaintEvent*) override {
        QPainter p(this);
        p.fillRect(rect(), palette().base());
        const auto all = rows();
        if (all.empty()) {
            p.setPen(palette().color(QPalette::PlaceholderText));
            p.drawText(rect().adjusted(kGap, 0, 0, 0), Qt::AlignVCenter | Qt::TextWordWrap,
                       tr("No visualisation of this unit yet: Visualise synthesises images "
                          "that drive it (Fourier-space recipe), shown here beside its "
                          "best natural activation."));
            return;
        }
        for (std::size_t r = 0; r < all.size(); ++r)
            paintRow(p, *all[r], int(r));
    }

    bool event(QEvent* event) override {
        if (event->type() != QEvent::ToolTip) return QWidget::event(event);
        const auto* help = static_cast<QHelpEvent*>(event);
        const auto all = rows();
        for (std::size_t r = 0; r < all.size(); ++r)
            for (std::size_t i = 0; i < all[r]->images.size(); ++i)
                if (imageRect(int(r), int(i)).contains(help->pos())) {
                    const auto& row = *all[r];
                    QString text = tr("%1\nimage %2: activation %3")
                                       .arg(row.title)
                                       .arg(i + 1)
                                       .arg(i < row.activations.size() ? number(row.activations[i])
                                                                       : tr("(running)"));
                    if (row.bestNatural)
                        text += tr("\nbest natural stimulus: %1").arg(number(*row.bestNatural));
                    QToolTip::showText(help->globalPos(), text, this);
                    return true;
                }
        QToolTip::hideText();
        return true;
    }

  private:
    void paintRow(QPainter& p, const Row& row, int index) const {
        const int top = index * kRowHeight;
        p.setPen(palette().color(QPalette::Text));
        p.drawText(QRect(kGap, top, width() - 2 * kGap, kTitle), Qt::AlignLeft | Qt::AlignVCenter,
                   row.title);
        for (std::size_t i = 0; i < row.images.size(); ++i) {
            const QRect target = imageRect(index, int(i));
            p.setRenderHint(QPainter::SmoothPixmapTransform, true);
            p.drawImage(target, row.images[i]);
            if (i < row.activations.size()) {
                const bool beats = row.bestNatural && row.activations[i] > *row.bestNatural;
                p.setPen(beats ? QColor(40, 150, 60) : palette().color(QPalette::Text));
                p.drawText(QRect(target.left(), target.bottom() + 1, kImageSide, kCaption),
                           Qt::AlignCenter, tr("act %1").arg(number(row.activations[i])));
            }
        }
        const int left =
            kGap + int(std::max<std::size_t>(row.images.size(), 1)) * (kImageSide + kGap);
        paintCurve(p, row, QRect(left + kGap, top + kTitle, kCurveWidth, kImageSide));
        if (row.bestNatural) {
            p.setPen(palette().color(QPalette::Text));
            p.drawText(QRect(left + kGap, top + kTitle + kImageSide, kCurveWidth, kCaption),
                       Qt::AlignLeft | Qt::AlignVCenter,
                       tr("best natural %1").arg(number(*row.bestNatural)));
        }
    }

    void paintCurve(QPainter& p, const Row& row, const QRect& area) const {
        p.setPen(palette().color(QPalette::Mid));
        p.drawRect(area.adjusted(0, 0, -1, -1));
        std::vector<double> finite;
        for (double v : row.curve)
            if (std::isfinite(v)) finite.push_back(v);
        if (finite.size() < 2) return;
        double lo = *std::min_element(finite.begin(), finite.end());
        double hi = *std::max_element(finite.begin(), finite.end());
        if (row.bestNatural && std::isfinite(*row.bestNatural)) {
            lo = std::min(lo, *row.bestNatural);
            hi = std::max(hi, *row.bestNatural);
        }
        if (hi <= lo) hi = lo + 1;
        const auto y = [&](double v) {
            return area.bottom() - 3 - (v - lo) / (hi - lo) * (area.height() - 6);
        };
        if (row.bestNatural && std::isfinite(*row.bestNatural)) {
            p.setPen(QPen(QColor(200, 120, 40), 1, Qt::DashLine));
            p.drawLine(QPointF(area.left(), y(*row.bestNatural)),
                       QPointF(area.right(), y(*row.bestNatural)));
        }
        QPainterPath path;
        const auto steps = double(std::max<std::size_t>(row.curve.size() - 1, 1));
        bool started = false;
        for (std::size_t i = 0; i < row.curve.size(); ++i) {
            if (!std::isfinite(row.curve[i])) continue;
            const QPointF point(area.left() + 2 + double(i) / steps * (area.width() - 4),
                                y(row.curve[i]));
            if (started) {
                path.lineTo(point);
            } else {
                path.moveTo(point);
                started = true;
            }
        }
        p.setRenderHint(QPainter::Antialiasing, true);
        p.setPen(QPen(QColor(70, 130, 200), 1.5));
        p.drawPath(path);
        p.setRenderHint(QPainter::Antialiasing, false);
        p.setPen(palette().color(QPalette::Text));
        p.drawText(area.adjusted(4, 2, -4, -2), Qt::AlignTop | Qt::AlignLeft,
                   tr("objective %1").arg(number(finite.back())));
    }

    VisualisationStrip* strip_;
};

VisualisationStrip::VisualisationStrip(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto* bar = new QHBoxLayout;
    auto* heading = new QLabel(tr("<b>Visualisations</b>"), this);
    visualise_ = new QPushButton(tr("Visualise"), this);
    visualise_->setObjectName("visualiseUnit");
    visualise_->setToolTip(tr("Synthesise an image that drives this unit (V)"));
    cancel_ = new QPushButton(tr("Cancel"), this);
    cancel_->setVisible(false);
    status_ = new QLabel(this);
    bar->addWidget(heading);
    bar->addWidget(visualise_);
    bar->addWidget(cancel_);
    bar->addWidget(status_, 1);
    layout->addLayout(bar);
    canvas_ = new Canvas(this);
    canvas_->setObjectName("visualisationCanvas");
    canvas_->setMinimumHeight(kRowHeight);
    layout->addWidget(canvas_, 1);
    connect(visualise_, &QPushButton::clicked, this, &VisualisationStrip::visualiseRequested);
    connect(cancel_, &QPushButton::clicked, this, &VisualisationStrip::cancelRequested);
}

std::vector<QImage> VisualisationStrip::toImages(const std::vector<std::int64_t>& shape,
                                                 const std::vector<float>& values) {
    std::vector<QImage> images;
    if (shape.size() != 4) return images;
    const auto n = shape[0], c = shape[1], h = shape[2], w = shape[3];
    if (std::size_t(n * c * h * w) != values.size() || (c != 1 && c != 3)) return images;
    for (std::int64_t i = 0; i < n; ++i) {
        QImage image(int(w), int(h), QImage::Format_RGB888);
        const float* data = values.data() + i * c * h * w;
        for (std::int64_t y = 0; y < h; ++y) {
            auto* line = image.scanLine(int(y));
            for (std::int64_t x = 0; x < w; ++x)
                for (std::int64_t k = 0; k < 3; ++k) {
                    const float v = data[((c == 1 ? 0 : k) * h + y) * w + x];
                    line[x * 3 + k] = uchar(std::lround(std::clamp(v, 0.f, 1.f) * 255.f));
                }
        }
        images.push_back(std::move(image));
    }
    return images;
}

void VisualisationStrip::setRecords(const std::vector<analysis::VisualisationRecord>& records) {
    records_.clear();
    for (const auto& record : records) {
        Row row;
        // A long objective (a voxel's weighted sum of a layer's channels) is named by its size,
        // a long list of units cut short.
        QString objective = QString::fromStdString(record.objective);
        if (objective.size() > 80)
            objective = objective.contains(" + ")
                            ? tr("a weighted sum of %1 terms").arg(objective.count(" + ") + 1)
                            : objective.left(72) + "\u2026";
        row.title = tr("%1 · %2 · %n step(s), %3 px", "", record.steps)
                        .arg(QString::fromStdString(record.label), objective)
                        .arg(record.size);
        if (record.facets == "discriminative" && record.clusterShare && record.rivalActivation)
            row.title += tr(" · discriminative: %1% of the clusters' share, next cluster %2")
                             .arg(*record.clusterShare * 100, 0, 'f', 0)
                             .arg(number(*record.rivalActivation));
        else if (record.facets == "anchored" && !record.imageShape.empty() &&
                 record.imageShape[0] == 1)
            row.title += tr(" · from the top exemplars");
        else if (record.facets != "single")
            row.title += tr(" · %1 facets").arg(QString::fromStdString(record.facets));
        row.images = toImages(record.imageShape, record.images);
        row.activations = record.finalActivation;
        row.bestNatural = record.bestNatural;
        row.curve = record.objectiveCurve;
        records_.push_back(std::move(row));
    }
    rowsChanged();
}

void VisualisationStrip::showPreview(const QString& label,
                                     const analysis::VisualisationPreview& preview) {
    Row row;
    row.title = tr("%1 · running: step %2 of %3").arg(label).arg(preview.step).arg(preview.steps);
    row.images = toImages(preview.images.shape, preview.images.values);
    row.curve = preview.objective;
    preview_ = std::move(row);
    cancel_->setVisible(true);
    status_->setText(tr("step %1 of %2").arg(preview.step).arg(preview.steps));
    rowsChanged();
}

void VisualisationStrip::clearPreview() {
    preview_.reset();
    cancel_->setVisible(false);
    status_->clear();
    rowsChanged();
}

void VisualisationStrip::setAvailable(bool available, const QString& why) {
    visualise_->setEnabled(available);
    visualise_->setToolTip(available ? tr("Synthesise an image that drives this unit (V)") : why);
}

void VisualisationStrip::requestVisualise() {
    if (visualise_->isEnabled()) Q_EMIT visualiseRequested();
}

int VisualisationStrip::recordCount() const {
    return int(records_.size());
}

QString VisualisationStrip::recordTitle(int row) const {
    return records_.at(std::size_t(row)).title;
}

bool VisualisationStrip::hasPreview() const {
    return preview_.has_value();
}

QRect VisualisationStrip::imageRect(int row, int image) const {
    return canvas_->imageRect(row, image).translated(canvas_->pos());
}

void VisualisationStrip::rowsChanged() {
    canvas_->setMinimumHeight(canvas_->sizeHint().height());
    canvas_->updateGeometry();
    canvas_->update();
}

}  // namespace us::widgets
