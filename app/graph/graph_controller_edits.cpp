// The graph controller's edits of a graph: pins, supernodes by hand and automatically, labels.
// Each one is a GraphEditCommand on the undo stack.

#include <QInputDialog>
#include <QLabel>

#include <algorithm>
#include <set>

#include "analysis/models/model_workspace.h"
#include "app/core/selection.h"
#include "app/graph/graph_controller.h"
#include "app/graph/graph_edit_command.h"
#include "widgets/graph/supernode_review.h"

namespace us::app {

using analysis::DisplayKind;

void GraphController::edit(const QString& text, analysis::GraphEdits after) {
    if (after == edits_) return;
    undo_.push(new GraphEditCommand(*this, text, edits_, std::move(after)));
}

void GraphController::applyEdits(const analysis::GraphEdits& edits) {
    edits_ = edits;
    rebuild(false);
}

void GraphController::togglePin(const std::vector<std::string>& ids) {
    if (!graph_ || ids.empty()) return;
    auto after = edits_;
    auto& pinned = after.pinned;
    const bool allPinned = std::all_of(ids.begin(), ids.end(), [&](const auto& id) {
        return std::find(pinned.begin(), pinned.end(), id) != pinned.end();
    });
    for (const auto& id : ids) {
        const auto at = std::find(pinned.begin(), pinned.end(), id);
        if (allPinned && at != pinned.end()) pinned.erase(at);
        if (!allPinned && at == pinned.end()) pinned.push_back(id);
    }
    edit(allPinned ? tr("Unpin") : tr("Pin"), std::move(after));
}

void GraphController::groupSelected() {
    if (!graph_) return;
    const auto members = memberIds(selection_.graphNodes());
    if (members.size() < 2) {
        readout_->setText(tr("Select two or more nodes (Shift+click) to group them."));
        return;
    }
    auto after = edits_;
    const std::set<std::string> chosen(members.begin(), members.end());
    // A node belongs to one supernode: groups it was in lose it (and vanish when emptied).
    for (auto& group : after.supernodes)
        group.erase(std::remove_if(group.begin() + 1, group.end(),
                                   [&](const auto& id) { return chosen.count(id) > 0; }),
                    group.end());
    std::erase_if(after.supernodes, [](const auto& group) { return group.size() < 2; });
    std::vector<std::string> group{
        analysis::nodeLabel(*graph_, *graph_->indexOf(members.front()), edits_)};
    group.insert(group.end(), members.begin(), members.end());
    after.supernodes.push_back(std::move(group));
    edit(tr("Group %1 nodes").arg(members.size()), std::move(after));
    selection_.setGraphNodes({"supernode:" + members.front()});
}

void GraphController::ungroupSelected() {
    if (!graph_) return;
    auto after = edits_;
    std::vector<std::string> freed;
    for (const auto& id : selection_.graphNodes()) {
        if (id.rfind("supernode:", 0) != 0) continue;
        const std::string first = id.substr(10);
        for (auto it = after.supernodes.begin(); it != after.supernodes.end(); ++it)
            if (it->size() > 1 && (*it)[1] == first) {
                freed.insert(freed.end(), it->begin() + 1, it->end());
                after.supernodes.erase(it);
                break;
            }
    }
    if (freed.empty()) {
        readout_->setText(tr("Select a supernode to ungroup it."));
        return;
    }
    edit(tr("Ungroup"), std::move(after));
    selection_.setGraphNodes(freed);
}

void GraphController::renameSelected() {
    if (!graph_ || selection_.graphNodes().size() != 1) {
        readout_->setText(tr("Select one node or supernode to rename it."));
        return;
    }
    const std::string id = selection_.graphNodes().front();
    const auto* node = displayNode(id);
    if (!node) return;
    // Read before the dialog: its event loop may rebuild the display.
    const bool supernode = node->kind == DisplayKind::Supernode;
    bool ok = false;
    const QString label =
        QInputDialog::getText(dialogParent_, tr("Rename"), tr("Label"), QLineEdit::Normal,
                              QString::fromStdString(node->label), &ok)
            .trimmed();
    if (!ok || label.isEmpty()) return;
    auto after = edits_;
    if (supernode) {
        for (auto& group : after.supernodes)
            if (group.size() > 1 && "supernode:" + group[1] == id) group[0] = label.toStdString();
    } else {
        after.labels[id] = label.toStdString();
    }
    edit(tr("Rename to %1").arg(label), std::move(after));
}

void GraphController::autoGroup() {
    if (!graph_) return;
    auto graph = graph_;
    jobs_.submitTyped<analysis::SupernodeResult>(
        tr("Automatic supernodes"),
        [workspace = workspace_, graph](const analysis::JobContext& context) {
            return workspace->graphSupernodes(*graph, {}, context);
        },
        [this, graph](analysis::SupernodeResult result) {
            if (graph != graph_) return;  // the user moved on to another graph
            if (result.supernodes.empty()) {
                readout_->setText(tr("No group of units is alike enough to form a supernode."));
                return;
            }
            if (!interactive_) {  // screenshots and scripts take every proposal
                applyAutomaticSupernodes(result, result.supernodes);
                return;
            }
            std::vector<widgets::ProposedSupernode> proposals;
            for (const auto& s : result.supernodes) {
                QString evidence = tr("lowest pairwise cosine %1").arg(s.similarity, 0, 'f', 2);
                if (s.labelP && s.labelQ)
                    evidence += tr("; label vs shuffled classes p %1, q %2%3")
                                    .arg(*s.labelP, 0, 'g', 2)
                                    .arg(*s.labelQ, 0, 'g', 2)
                                    .arg(*s.labelQ > analysis::SupernodeSettings{}.chanceLevel
                                             ? tr(" (could be chance)")
                                             : QString());
                proposals.push_back({QString::fromStdString(s.label), s.members, evidence});
            }
            auto* review = new widgets::SupernodeReview(std::move(proposals), dialogParent_);
            review->setAttribute(Qt::WA_DeleteOnClose);
            connect(review, &QDialog::accepted, this, [this, review, graph, result] {
                if (graph != graph_) return;
                std::vector<analysis::Supernode> chosen;
                for (const auto& proposal : review->accepted())
                    for (const auto& s : result.supernodes)
                        if (s.members == proposal.members) {
                            chosen.push_back(s);
                            chosen.back().label = proposal.label.toStdString();
                        }
                applyAutomaticSupernodes(result, chosen);
            });
            review->open();
        },
        [this](const QString& error) { reportError(tr("Automatic supernodes"), error); });
}

void GraphController::applyAutomaticSupernodes(const analysis::SupernodeResult& result,
                                               const std::vector<analysis::Supernode>& chosen) {
    if (chosen.empty()) return;
    auto after = edits_;
    // A node belongs to one supernode: earlier groups lose the members of the new ones.
    std::set<std::string> grouped;
    for (const auto& s : chosen)
        grouped.insert(s.members.begin(), s.members.end());
    for (auto& group : after.supernodes)
        group.erase(std::remove_if(group.begin() + 1, group.end(),
                                   [&](const auto& id) { return grouped.count(id); }),
                    group.end());
    std::erase_if(after.supernodes, [](const auto& group) { return group.size() < 2; });
    for (const auto& s : chosen) {
        evidence_[supernodeDisplayId(s.members)] = supernodeEvidence(result, s);
        std::vector<std::string> group{s.label};
        group.insert(group.end(), s.members.begin(), s.members.end());
        after.supernodes.push_back(std::move(group));
    }
    readout_->setText(tr("%1 supernodes from %2 units' class signatures (undo: Ctrl+Z)")
                          .arg(chosen.size())
                          .arg(result.unitsWithSignatures));
    edit(tr("Automatic supernodes"), std::move(after));
}

// The edits and the automatic supernodes' evidence written into a copy, as saves keep them.
analysis::AttributionGraph GraphController::graphWithEdits(const analysis::AttributionGraph& graph,
                                                           const analysis::GraphEdits& edits,
                                                           const SupernodeEvidenceMap& evidence) {
    analysis::AttributionGraph copy = graph;
    analysis::setGraphEdits(copy, edits);
    writeSupernodeEvidence(copy, evidence, edits);
    return copy;
}

}  // namespace us::app
