#pragma once
// The one selection of the window (current unit, stimulus, cluster, graph nodes, brain
// position), observed in the manner of 3D Slicer's selection node: panels' controllers set it
// and follow it, never each other. A setter that changes nothing emits nothing, so a view that
// follows the selection and sets it from the same gesture cannot loop.

#include <QFlags>
#include <QObject>

#include "analysis/session/session.h"

namespace us::app {

class Selection : public QObject {
    Q_OBJECT
  public:
    enum Aspect {
        Unit = 1,
        Stimulus = 2,
        Cluster = 4,
        GraphNodes = 8,
        BrainPosition = 16,
    };
    Q_DECLARE_FLAGS(Aspects, Aspect)
    Q_FLAG(Aspects)

    explicit Selection(QObject* parent = nullptr) : QObject(parent) {}

    const analysis::SelectionState& state() const { return state_; }
    const std::optional<analysis::UnitRef>& unit() const { return state_.unit; }
    std::optional<std::int64_t> stimulus() const { return state_.stimulus; }
    std::optional<std::int64_t> cluster() const { return state_.cluster; }
    const std::vector<std::string>& graphNodes() const { return state_.graphNodes; }
    const std::optional<std::array<double, 3>>& brainPosition() const {
        return state_.brainPosition;
    }

    void setUnit(std::optional<analysis::UnitRef> unit);
    void setStimulus(std::optional<std::int64_t> stimulus);
    void setCluster(std::optional<std::int64_t> cluster);
    void setGraphNodes(std::vector<std::string> nodes);
    void setBrainPosition(std::optional<std::array<double, 3>> worldMm);
    // Everything at once (a session being reopened): one notification for all that changed.
    void setState(const analysis::SelectionState& state);

  Q_SIGNALS:
    // The aspects that changed; read the new values from the selection.
    void changed(us::app::Selection::Aspects aspects);

  private:
    analysis::SelectionState state_;
};

}  // namespace us::app

Q_DECLARE_OPERATORS_FOR_FLAGS(us::app::Selection::Aspects)
