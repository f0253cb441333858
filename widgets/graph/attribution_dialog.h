#pragma once
// Analysis > Attribution graph: which stimulus, which scalar to explain, which layers, which
// method. Plain values out; the graph controller runs the job.

#include <QDialog>
#include <QString>
#include <QStringList>

class QComboBox;
class QLineEdit;
class QListWidget;
class QSpinBox;

namespace us::widgets {

struct AttributionChoice {
    qint64 stimulus = 0;
    QString target;  // logit:K, predicted or unit:LAYER:C
    QStringList layers;
    QString method;  // gxa, ig, lrp
    int patches = 4;
    int top = 16;
};

class AttributionDialog : public QDialog {
    Q_OBJECT
  public:
    // layers: the model's layers with units, input to output; stimuli: how many there are.
    AttributionDialog(const QStringList& layers, qint64 stimuli, qint64 stimulus,
                      QWidget* parent = nullptr);
    AttributionChoice choice() const;

    // A few layers spread over the network: the defaults.
    static QStringList defaultLayers(const QStringList& layers, int count = 4);

  private:
    QSpinBox* stimulus_;
    QLineEdit* target_;
    QListWidget* layers_;
    QComboBox* method_;
    QSpinBox* patches_;
    QSpinBox* top_;
};

}  // namespace us::widgets
