#pragma once
// Figure export at any size: the dialog that asks for it, and the drawing of a Qt panel at a
// size other than its own (the brain view renders itself again instead; see BrainController).

#include <QDialog>
#include <QImage>
#include <QSize>

class QCheckBox;
class QSpinBox;

namespace us::app {

class FigureExportDialog : public QDialog {
    Q_OBJECT
  public:
    // onScreen: the panel's size now, which sets the default aspect ratio.
    FigureExportDialog(const QString& panelTitle, QSize onScreen, bool offerWhiteBackground,
                       QWidget* parent = nullptr);
    QSize size() const;
    bool whiteBackground() const;

  private:
    QSpinBox* width_ = nullptr;
    QSpinBox* height_ = nullptr;
    QCheckBox* keepAspect_ = nullptr;
    QCheckBox* white_ = nullptr;
    double aspect_ = 1;  // height / width
};

// The widget drawn at `size` (text and lines stay sharp: it is painted scaled, not resized).
QImage renderWidgetAt(QWidget* widget, QSize size);

// PNG through a temporary file and a rename; throws std::runtime_error on failure.
void saveImageAtomically(const QImage& image, const QString& path);

}  // namespace us::app
