#pragma once
// The model's modules as a tree by dotted name (layer4.1.conv2 under layer4 > 1), with type,
// output shape and parameter count, and a tick box per module to choose what to extract.

#include <QWidget>

#include <vector>

#include "analysis/models/layer_info.h"

class QLabel;
class QPushButton;
class QTreeWidget;
class QTreeWidgetItem;

namespace us::widgets {

class LayerTree : public QWidget {
    Q_OBJECT
  public:
    explicit LayerTree(QWidget* parent = nullptr);

    void setModel(const QString& description, const std::vector<analysis::LayerInfo>& layers);
    void clear(const QString& explanation);
    QStringList checkedLayers() const;
    void setChecked(const QStringList& names);
    QTreeWidget* tree() const { return tree_; }
    void setExtractEnabled(bool enabled, const QString& why = {});

  Q_SIGNALS:
    void extractRequested();
    void layerActivated(const QString& name);
    // The context menu's "Concept units of this layer...".
    void conceptsRequested(const QString& name);

  private:
    QLabel* header_ = nullptr;
    QTreeWidget* tree_ = nullptr;
    QPushButton* extract_ = nullptr;
};

}  // namespace us::widgets
