#pragma once
// The evidence of automatic supernodes (members x concepts, the label's null) as the graph
// panel holds it, read from and written into a graph's "unitscope_supernode_evidence" field in
// the format `unitscope-cli supernodes` writes, so that it travels with saved graphs and
// sessions.

#include <map>
#include <string>
#include <vector>

#include "analysis/attribution/attribution_graph.h"
#include "analysis/attribution/graph_display.h"
#include "analysis/attribution/supernodes.h"
#include "render/graph/attribution_plot.h"

namespace us::app {

// By supernode display id ("supernode:" + its first member).
using SupernodeEvidenceMap = std::map<std::string, render::SupernodeEvidence>;

std::string supernodeDisplayId(const std::vector<std::string>& members);

render::SupernodeEvidence supernodeEvidence(const analysis::SupernodeResult& result,
                                            const analysis::Supernode& supernode);

// Entries that are not well formed are left out: the graph itself is still good.
SupernodeEvidenceMap readSupernodeEvidence(const analysis::AttributionGraph& graph);

// The evidence of those of edits' supernodes that have some, under their current labels; the
// field is removed when none has.
void writeSupernodeEvidence(analysis::AttributionGraph& graph, const SupernodeEvidenceMap& evidence,
                            const analysis::GraphEdits& edits);

}  // namespace us::app
