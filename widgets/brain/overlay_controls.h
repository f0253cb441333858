#pragma once
// Controls for a surface overlay: its name, colour map, range, threshold (with the choice to
// hide sub-threshold vertices) and opacity. Emits the whole style on every change.

#include <QWidget>

#include <vector>

#include "render/common/colour_map.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QSlider;
class QToolButton;

namespace us::widgets {

class OverlayControls : public QWidget {
    Q_OBJECT
  public:
    explicit OverlayControls(QWidget* parent = nullptr);

    // Shows the controls for a new overlay with a sensible style for its values.
    void setOverlay(const QString& name, const render::OverlayStyle& style);
    render::OverlayStyle style() const;
    QDoubleSpinBox* thresholdBox() const { return threshold_; }
    QComboBox* colourMapBox() const { return map_; }

  Q_SIGNALS:
    void styleChanged(const us::render::OverlayStyle& style);
    void closeRequested();

  private:
    QLabel* name_ = nullptr;
    QComboBox* map_ = nullptr;
    QDoubleSpinBox* min_ = nullptr;
    QDoubleSpinBox* max_ = nullptr;
    QDoubleSpinBox* threshold_ = nullptr;
    QCheckBox* hide_ = nullptr;
    QSlider* opacity_ = nullptr;
    bool updating_ = false;
};

// A default style: diverging and symmetric for signed values, else hot from min to max.
render::OverlayStyle defaultOverlayStyle(const std::vector<float>& values);

}  // namespace us::widgets
