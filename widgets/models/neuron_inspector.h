#pragma once
// The neuron inspector: one unit at a time (top exemplars with heat maps, activation
// histogram, mean activation per class, most similar units), a "layer:unit" search box and
// previous/next keys. It shows reports it is given; the window computes them on the worker.

#include <QWidget>

#include <optional>
#include <variant>
#include <vector>

#include "analysis/models/model_workspace.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QSpinBox;
class QStackedWidget;

namespace us::widgets {

class BarChart;
class EmptyStatePanel;
class ExemplarGrid;
class MatchPanel;
class VisualisationStrip;

// A brain voxel or region shown like a unit, from an encoding model: its preferred stimuli
// (values are predicted responses), its caption's concepts, the predicted response to every
// stimulus and its most weighted units.
struct VoxelView {
    QString label;  // "voxel 12, 30, 20", what visualisations of it are called
    QString title;  // rich text: position, caption, scores, region
    std::vector<analysis::Exemplar> exemplars;
    QStringList classNames;
    analysis::PredictionNames predictions;
    QStringList concepts;  // best first
    std::vector<double> conceptProbabilities;
    std::vector<float> predicted;                 // every stored stimulus
    QString layer;                                // the units' layer
    std::vector<std::pair<qint64, float>> units;  // unit and weight, largest |weight| first
    QString note;
};

class NeuronInspector : public QWidget {
    Q_OBJECT
  public:
    explicit NeuronInspector(QWidget* parent = nullptr);

    EmptyStatePanel* emptyState() const { return empty_; }
    // The activation store's layers; enables browsing.
    void setLayers(const std::vector<analysis::StoreLayer>& layers, const QString& source);
    bool hasLayers() const { return !layers_.empty(); }
    void showReport(const analysis::UnitReport& report);
    // A cluster's members (from the treemap) instead of a unit's exemplars.
    void showCluster(const analysis::ClusterMembers& members, const QString& description);
    // A unit's caption (rich text) with its null-model evidence, shown while that unit is;
    // greyed when the evidence says it could be chance.
    void setCaption(const analysis::UnitRef& unit, const QString& html, bool chance);
    QString captionText() const;
    // A voxel in place of the unit (until a unit is asked for again).
    void showVoxel(const VoxelView& voxel);
    // The shown voxel's label, while one is shown.
    std::optional<QString> currentVoxel() const { return voxel_; }
    void showError(const QString& message);
    void setBusy(const QString& message);

    // Parses "layer:unit" (or "layer unit"); returns an error text when it does not exist.
    std::variant<analysis::UnitRef, QString> parseUnit(const QString& text) const;
    // Asks for a unit (validated); returns false with the reason shown when it does not exist.
    bool requestUnit(const analysis::UnitRef& unit);
    void step(int delta);  // previous (-1) / next (+1) unit, across layer boundaries

    std::optional<analysis::UnitRef> currentUnit() const { return current_; }
    int exemplarCount() const;
    analysis::Pooling pooling() const;
    ExemplarGrid* grid() const { return grid_; }
    BarChart* histogram() const { return histogram_; }
    BarChart* classChart() const { return classChart_; }
    QListWidget* similarList() const { return similar_; }
    QLineEdit* searchBox() const { return search_; }
    VisualisationStrip* visualisations() const { return visualisations_; }
    // The unit's match in another network; hidden until one is shown for the current unit.
    MatchPanel* matches() const { return matches_; }

  protected:
    void keyPressEvent(QKeyEvent* event) override;

  Q_SIGNALS:
    // The user chose a unit (search, keys, similar list) or changed k / pooling.
    void unitRequested(const QString& layer, qint64 index, int k, int pooling);
    void hovered(const QString& text);
    // From the exemplars: a stimulus clicked, or its attribution graph asked for.
    void stimulusClicked(qint64 row);
    void attributionRequested(qint64 row);

  private:
    void buildUi();
    void emitRequest();
    const analysis::StoreLayer* findLayer(const std::string& name) const;

    QStackedWidget* stack_ = nullptr;
    EmptyStatePanel* empty_ = nullptr;
    QLabel* title_ = nullptr;
    QLabel* caption_ = nullptr;
    QLineEdit* search_ = nullptr;
    QSpinBox* k_ = nullptr;
    QComboBox* pooling_ = nullptr;
    QCheckBox* heatmaps_ = nullptr;
    ExemplarGrid* grid_ = nullptr;
    BarChart* histogram_ = nullptr;
    BarChart* classChart_ = nullptr;
    QListWidget* similar_ = nullptr;
    QLabel* note_ = nullptr;
    VisualisationStrip* visualisations_ = nullptr;
    MatchPanel* matches_ = nullptr;
    std::vector<analysis::StoreLayer> layers_;
    std::optional<analysis::UnitRef> current_;
    std::optional<QString> voxel_;
    struct HeldCaption {
        analysis::UnitRef unit;
        QString html;
        bool chance = false;
    };
    std::vector<HeldCaption> captions_;
    void showCaptionOfCurrentUnit();
};

}  // namespace us::widgets
