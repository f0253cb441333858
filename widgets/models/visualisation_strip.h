#pragma once
// The inspector's activation-maximisation row: the unit's synthetic images beside their
// activations and the unit's best natural activation, each run's objective curve, and the
// run in progress as its previews arrive. Visualise starts a run for the inspector's unit.

#include <QImage>
#include <QWidget>

#include <optional>
#include <vector>

#include "analysis/session/session.h"
#include "analysis/visualisation/activation_maximisation.h"

class QLabel;
class QPushButton;

namespace us::widgets {

class VisualisationStrip : public QWidget {
    Q_OBJECT
  public:
    explicit VisualisationStrip(QWidget* parent = nullptr);

    // The results for the unit shown, newest first.
    void setRecords(const std::vector<analysis::VisualisationRecord>& records);
    // A run in progress: its latest images and curve so far.
    void showPreview(const QString& label, const analysis::VisualisationPreview& preview);
    void clearPreview();
    // Enables Visualise (a model is open) or says why not.
    void setAvailable(bool available, const QString& why);

    // What the Visualise button does, when it is enabled (the inspector's V key).
    void requestVisualise();

    int recordCount() const;
    QString recordTitle(int row) const;  // the row's heading, as drawn
    bool hasPreview() const;
    // Where row `row`'s image `image` is drawn, in this widget's coordinates (tests).
    QRect imageRect(int row, int image) const;

    // Images as QImages (grey or RGB), one per image of an N x C x H x W array in [0, 1].
    static std::vector<QImage> toImages(const std::vector<std::int64_t>& shape,
                                        const std::vector<float>& values);

  Q_SIGNALS:
    void visualiseRequested();
    void cancelRequested();

  private:
    class Canvas;
    struct Row {
        QString title;
        std::vector<QImage> images;
        std::vector<double> activations;
        std::optional<double> bestNatural;
        std::vector<double> curve;
    };
    void rowsChanged();

    QPushButton* visualise_ = nullptr;
    QPushButton* cancel_ = nullptr;
    QLabel* status_ = nullptr;
    Canvas* canvas_ = nullptr;
    std::vector<Row> records_;
    std::optional<Row> preview_;
};

}  // namespace us::widgets
