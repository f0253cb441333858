#pragma once
// Pruning an attribution graph exactly as circuit-tracer's prune_graph does, on a sparse
// adjacency, so that graphs with 10^4 nodes and 10^5 links never need a dense matrix.

#include <vector>

#include "analysis/attribution/attribution_graph.h"

namespace us::analysis {

struct PruneOptions {
    double nodeThreshold = 0.8;   // keep nodes holding this fraction of the influence
    double edgeThreshold = 0.98;  // keep edges holding this fraction of the edge influence
};

struct PruneResult {
    std::vector<bool> nodeKept;           // per node of the graph
    std::vector<bool> linkKept;           // per link of the graph
    std::vector<double> influence;        // each node's influence on the logits
    std::vector<double> cumulativeScore;  // circuit-tracer's `influence` field (lower: more)
};

// A[target, source] from the links (parallel links add up); logit weights are the logit
// nodes' token_prob (when they are all zero, target logits weigh 1). Throws
// std::invalid_argument for thresholds outside [0, 1], a graph without logit nodes, or a
// cycle (the influence series does not end).
PruneResult pruneGraph(const AttributionGraph& graph, const PruneOptions& options = {});

// The kept nodes (influence set to the cumulative score) and links; pinned ids and supernode
// members that were pruned are dropped from qParams; metadata records the thresholds.
AttributionGraph applyPruning(const AttributionGraph& graph, const PruneResult& result,
                              const PruneOptions& options);

}  // namespace us::analysis
