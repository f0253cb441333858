#include "app/graph/graph_edit_command.h"

#include "app/graph/graph_controller.h"

namespace us::app {

GraphEditCommand::GraphEditCommand(GraphController& controller, const QString& text,
                                   analysis::GraphEdits before, analysis::GraphEdits after)
    : QUndoCommand(text),
      controller_(controller),
      before_(std::move(before)),
      after_(std::move(after)) {}

void GraphEditCommand::undo() {
    controller_.applyEdits(before_);
}

void GraphEditCommand::redo() {
    controller_.applyEdits(after_);
}

}  // namespace us::app
