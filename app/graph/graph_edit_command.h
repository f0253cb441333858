#pragma once
// One undoable edit of a graph's pins, supernodes or labels: the edits before and after, so
// that group, ungroup, rename, pin and automatic grouping share one command.

#include <QUndoCommand>

#include "analysis/attribution/graph_display.h"

namespace us::app {

class GraphController;

class GraphEditCommand : public QUndoCommand {
  public:
    GraphEditCommand(GraphController& controller, const QString& text, analysis::GraphEdits before,
                     analysis::GraphEdits after);
    void undo() override;
    void redo() override;

  private:
    GraphController& controller_;
    analysis::GraphEdits before_, after_;
};

}  // namespace us::app
