#pragma once
// An attribution graph in circuit-tracer's graph JSON schema (metadata, qParams, nodes,
// links), the format Neuronpedia's graph viewer reads. Every field a file holds is kept,
// including ones Unitscope does not use, so a round trip loses nothing.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "analysis/core/job_context.h"

namespace us::analysis {

using OrderedJson = nlohmann::ordered_json;

// circuit-tracer's node types (feature_type).
inline constexpr const char* kFeatureNode = "cross layer transcoder";
inline constexpr const char* kErrorNode = "mlp reconstruction error";
inline constexpr const char* kInputNode = "embedding";
inline constexpr const char* kLogitNode = "logit";

struct GraphNode {
    std::string id;           // node_id
    std::string featureType;  // feature_type
    double tokenProb = 0;     // token_prob: a logit's probability (its weight in pruning)
    bool isTargetLogit = false;
    std::optional<double> influence;
    std::optional<double> activation;
    OrderedJson fields;  // every field, in the file's order (the typed ones above included)

    bool isInput() const { return featureType == kInputNode; }
    bool isLogit() const { return featureType == kLogitNode; }
    bool isError() const { return featureType == kErrorNode; }
};

struct GraphLink {
    std::size_t source = 0;  // node indices
    std::size_t target = 0;
    double weight = 0;
    OrderedJson extraFields;  // fields beyond source, target and weight (null when none)
};

struct AttributionGraph {
    OrderedJson metadata = OrderedJson::object();
    OrderedJson qParams = OrderedJson::object();
    std::vector<GraphNode> nodes;
    std::vector<GraphLink> links;
    OrderedJson otherFields = OrderedJson::object();  // top-level fields beyond the four

    std::optional<std::size_t> indexOf(const std::string& id) const;
    std::vector<std::string> pinnedIds() const;
    // qParams.supernodes: [label, member ids...] each.
    std::vector<std::vector<std::string>> supernodes() const;
};

// Reads and validates, in about a second per 100 MB. Throws std::runtime_error with one clear line
// naming the file and the problem: not JSON, nesting deeper than 64, a string over 1 MiB, missing
// or mistyped fields, duplicate node ids, links to unknown nodes, weights that are not finite
// float32 numbers. Progress is reported while parsing; cancelling throws JobCancelled.
AttributionGraph readAttributionGraph(const std::filesystem::path& path,
                                      const JobContext& job = {});
AttributionGraph parseAttributionGraph(const std::string& text, const std::string& origin,
                                       const JobContext& job = {});

// The JSON text: metadata, qParams, nodes (each with the 13 fields circuit-tracer writes,
// then any others), links, then other top-level fields. Deterministic: converting the output
// again gives the same bytes.
std::string attributionGraphJson(const AttributionGraph& graph);
void writeAttributionGraph(const std::filesystem::path& path, const AttributionGraph& graph);

// A small summary for `graph-info`: counts by node type, links, pinned, supernodes, metadata.
OrderedJson describeAttributionGraph(const AttributionGraph& graph);

}  // namespace us::analysis
