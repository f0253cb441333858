#pragma once
// Analysis > Visualise: the objective (any sum of terms the CLI takes) and the recipe's
// settings. Plain values out; the visualisation controller runs the job.

#include <QDialog>
#include <QString>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLineEdit;
class QSpinBox;

namespace us::widgets {

struct VisualiseChoice {
    QString objective;
    int images = 1;
    bool anchored = false;  // images start from the unit's top exemplars, else at random
    double diversity = 100;
    int steps = 512;
    int size = 128;
    double learningRate = 0.05;
    quint64 seed = 0;
    bool transforms = true;
};

class VisualiseDialog : public QDialog {
    Q_OBJECT
  public:
    VisualiseDialog(const VisualiseChoice& initial, QWidget* parent = nullptr);
    VisualiseChoice choice() const;

  private:
    QLineEdit* objective_;
    QSpinBox* images_;
    QComboBox* facets_;
    QDoubleSpinBox* diversity_;
    QSpinBox* steps_;
    QSpinBox* size_;
    QDoubleSpinBox* learningRate_;
    QSpinBox* seed_;
    QCheckBox* transforms_;
};

}  // namespace us::widgets
