#include "app/graph/graph_controller.h"

#include <QLabel>

#include "app/core/selection.h"
#include "widgets/graph/graph_view.h"

namespace us::app {

GraphController::GraphController(Selection& selection, widgets::GraphView* view, QLabel* readout,
                                 QObject* parent)
    : QObject(parent), selection_(selection), view_(view) {
    connect(view_, &widgets::GraphView::hoverChanged, readout, [readout](const QString& layer) {
        readout->setText(layer.isEmpty() ? QString() : tr("Layer %1").arg(layer));
    });
    connect(&selection_, &Selection::changed, this, [this](Selection::Aspects aspects) {
        if (aspects & Selection::Unit) followUnit();
    });
}

void GraphController::showNetwork(const QString& title,
                                  const std::vector<analysis::LayerInfo>& layers) {
    view_->setNetwork(title, layers);
    if (pendingViewState_) {
        view_->canvas().setViewState(*pendingViewState_);
        pendingViewState_.reset();
    }
    followUnit();
    view_->update();
    networkShown_ = true;
    Q_EMIT networkDescribed();
}

void GraphController::followUnit() {
    if (const auto& unit = selection_.unit())
        view_->setSelectedUnit(QString::fromStdString(unit->layer), unit->index);
}

std::optional<std::vector<double>> GraphController::viewState() const {
    if (view_->canvas().layers().empty()) return pendingViewState_;
    return view_->canvas().viewState();
}

void GraphController::restoreViewState(const std::vector<double>& state) {
    if (view_->canvas().layers().empty()) {
        pendingViewState_ = state;
        return;
    }
    view_->canvas().setViewState(state);
    view_->update();
}

}  // namespace us::app
