#include "app/core/selection.h"

namespace us::app {
namespace {

template <class T>
bool assign(T& target, T value) {
    if (target == value) return false;
    target = std::move(value);
    return true;
}

}  // namespace

void Selection::setUnit(std::optional<analysis::UnitRef> unit) {
    if (assign(state_.unit, std::move(unit))) Q_EMIT changed(Unit);
}

void Selection::setStimulus(std::optional<std::int64_t> stimulus) {
    if (assign(state_.stimulus, stimulus)) Q_EMIT changed(Stimulus);
}

void Selection::setCluster(std::optional<std::int64_t> cluster) {
    if (assign(state_.cluster, cluster)) Q_EMIT changed(Cluster);
}

void Selection::setGraphNodes(std::vector<std::string> nodes) {
    if (assign(state_.graphNodes, std::move(nodes))) Q_EMIT changed(GraphNodes);
}

void Selection::setBrainPosition(std::optional<std::array<double, 3>> worldMm) {
    if (assign(state_.brainPosition, worldMm)) Q_EMIT changed(BrainPosition);
}

void Selection::setState(const analysis::SelectionState& state) {
    Aspects aspects;
    if (assign(state_.unit, state.unit)) aspects |= Unit;
    if (assign(state_.stimulus, state.stimulus)) aspects |= Stimulus;
    if (assign(state_.cluster, state.cluster)) aspects |= Cluster;
    if (assign(state_.graphNodes, state.graphNodes)) aspects |= GraphNodes;
    if (assign(state_.brainPosition, state.brainPosition)) aspects |= BrainPosition;
    if (aspects) Q_EMIT changed(aspects);
}

}  // namespace us::app
