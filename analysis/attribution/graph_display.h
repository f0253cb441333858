#pragma once
// What the graph panel shows of an attribution graph: the nodes that survive pruning (plus
// the ones a user always wants: inputs, targets, pinned, selected), supernodes drawn as one
// node whose links are the sums of their members', and each link's share of its target's
// absolute input. Plain values, rebuilt whenever the graph, its edits or the sliders change.

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "analysis/attribution/attribution_graph.h"
#include "analysis/attribution/graph_pruning.h"

namespace us::analysis {

// The user's edits of a graph, kept in its qParams as Neuronpedia keeps them: pinnedIds,
// supernodes ([label, ids...]) and clerps ([[id, label], ...]: labels edited by hand).
struct GraphEdits {
    std::vector<std::string> pinned;
    std::vector<std::vector<std::string>> supernodes;  // label first
    std::map<std::string, std::string> labels;
    bool operator==(const GraphEdits&) const = default;
};
GraphEdits graphEdits(const AttributionGraph& graph);
void setGraphEdits(AttributionGraph& graph, const GraphEdits& edits);

// A node's label: the user's edit, else its clerp, else its id.
std::string nodeLabel(const AttributionGraph& graph, std::size_t node, const GraphEdits& edits);

enum class DisplayKind { Unit, Error, Input, Logit, Supernode };

struct DisplayNode {
    std::string id;  // the graph node's id, or "supernode:LABEL" for a group
    std::string label;
    DisplayKind kind = DisplayKind::Unit;
    std::vector<std::size_t> members;  // graph node indices (one unless a supernode)
    int band = 0;                      // 0 = input, upwards to the target
    std::int64_t column = 0;           // token position (ctx_idx) for language-model graphs
    double magnitude = 0;              // |attribution| (image graphs) or influence
    double attribution = 0;            // signed, summed over members
    bool pinned = false;
    int patchRow = -1, patchColumn = -1;  // an input patch's place in its image's grid
    int patchGrid = 0;                    // the grid's size (patches per side)
};

struct DisplayLink {
    std::size_t source = 0, target = 0;  // display node indices
    double weight = 0;
    double share = 0;  // |weight| / the target's total absolute input among shown links
};

struct DisplayOptions {
    PruneOptions pruning;
    bool pinnedOnly = false;            // the pinned subgraph
    std::set<std::string> alwaysShown;  // e.g. the selected node ids
};

struct GraphDisplay {
    std::vector<DisplayNode> nodes;
    std::vector<DisplayLink> links;
    std::vector<std::string> bandNames;    // bottom first
    std::vector<std::string> columnNames;  // prompt tokens (language-model graphs)
    bool languageModel = false;            // one column per token position, else one row per band
};

// Unitscope's image graphs carry input patches; every other graph is laid out as
// circuit-tracer lays out language-model graphs.
bool isImageGraph(const AttributionGraph& graph);

// pruned: pruneGraph(graph, options.pruning), or null to show every node (a graph that
// pruning refuses, for one).
// edits: the user's (graphEdits(graph) for the graph's own).
GraphDisplay displayGraph(const AttributionGraph& graph, const GraphEdits& edits,
                          const PruneResult* pruned, const DisplayOptions& options);

}  // namespace us::analysis
