#include "analysis/attribution/attribution_graph.h"

#include <cfloat>
#include <cmath>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <unordered_map>

#include "analysis/core/atomic_file.h"

namespace us::analysis {
namespace fs = std::filesystem;

namespace {

constexpr int kMaxDepth = 64;
constexpr std::size_t kMaxString = 1 << 20;
constexpr std::uintmax_t kMaxFileBytes = std::uintmax_t(4) << 30;

// The fields circuit-tracer writes for every node, in its order, with their defaults.
const std::vector<std::pair<const char*, OrderedJson>>& nodeDefaults() {
    static const std::vector<std::pair<const char*, OrderedJson>> defaults{
        {"node_id", ""},
        {"feature", nullptr},
        {"layer", ""},
        {"ctx_idx", 0},
        {"feature_type", ""},
        {"token_prob", 0.0},
        {"is_target_logit", false},
        {"run_idx", 0},
        {"reverse_ctx_idx", 0},
        {"jsNodeId", ""},
        {"clerp", ""},
        {"influence", nullptr},
        {"activation", nullptr}};
    return defaults;
}

class GraphError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

std::string describeNode(std::size_t index, const OrderedJson& node) {
    std::string text = "node " + std::to_string(index);
    if (node.is_object() && node.contains("node_id") && node["node_id"].is_string())
        text += " ('" + node["node_id"].get<std::string>() + "')";
    return text;
}

double finiteNumber(const OrderedJson& value, const std::string& what) {
    if (!value.is_number()) throw GraphError(what + " must be a number");
    const double v = value.get<double>();
    if (!std::isfinite(v) || std::abs(v) > double(FLT_MAX))
        throw GraphError(what + " is not a finite float32 number");
    return v;
}

std::optional<double> optionalNumber(const OrderedJson& object, const char* key,
                                     const std::string& where) {
    if (!object.contains(key) || object[key].is_null()) return std::nullopt;
    return finiteNumber(object[key], where + ": '" + key + "'");
}

void requireType(const OrderedJson& object, const char* key, bool (OrderedJson::*test)() const,
                 const char* type, const std::string& where, bool nullable = false) {
    if (!object.contains(key)) return;
    const auto& value = object[key];
    if (nullable && value.is_null()) return;
    if (!(value.*test)()) throw GraphError(where + ": '" + key + "' must be " + type);
}

GraphNode readNode(std::size_t index, const OrderedJson& json) {
    const std::string where = describeNode(index, json);
    if (!json.is_object()) throw GraphError(where + " is not an object");
    if (!json.contains("node_id") || !json["node_id"].is_string())
        throw GraphError(where + " has no string 'node_id'");
    if (!json.contains("feature_type") || !json["feature_type"].is_string())
        throw GraphError(where + " has no string 'feature_type'");
    requireType(json, "layer", &OrderedJson::is_primitive, "a string or number", where);
    requireType(json, "feature", &OrderedJson::is_number_integer, "an integer", where, true);
    requireType(json, "ctx_idx", &OrderedJson::is_number_integer, "an integer", where);
    requireType(json, "run_idx", &OrderedJson::is_number_integer, "an integer", where);
    requireType(json, "reverse_ctx_idx", &OrderedJson::is_number_integer, "an integer", where);
    requireType(json, "is_target_logit", &OrderedJson::is_boolean, "true or false", where);
    requireType(json, "jsNodeId", &OrderedJson::is_string, "a string", where);
    requireType(json, "clerp", &OrderedJson::is_string, "a string", where, true);
    GraphNode node;
    node.id = json["node_id"].get<std::string>();
    if (node.id.empty()) throw GraphError(where + " has an empty 'node_id'");
    node.featureType = json["feature_type"].get<std::string>();
    node.tokenProb = optionalNumber(json, "token_prob", where).value_or(0.0);
    node.isTargetLogit = json.value("is_target_logit", false);
    node.influence = optionalNumber(json, "influence", where);
    node.activation = optionalNumber(json, "activation", where);
    node.fields = json;
    return node;
}

}  // namespace

std::optional<std::size_t> AttributionGraph::indexOf(const std::string& id) const {
    for (std::size_t i = 0; i < nodes.size(); ++i)
        if (nodes[i].id == id) return i;
    return std::nullopt;
}

std::vector<std::string> AttributionGraph::pinnedIds() const {
    std::vector<std::string> ids;
    if (qParams.contains("pinnedIds"))
        for (const auto& id : qParams["pinnedIds"])
            ids.push_back(id.get<std::string>());
    return ids;
}

std::vector<std::vector<std::string>> AttributionGraph::supernodes() const {
    std::vector<std::vector<std::string>> groups;
    if (qParams.contains("supernodes"))
        for (const auto& group : qParams["supernodes"])
            groups.push_back(group.get<std::vector<std::string>>());
    return groups;
}

AttributionGraph parseAttributionGraph(const std::string& text, const std::string& origin) {
    try {
        OrderedJson json;
        try {
            json = OrderedJson::parse(text, [](int depth, OrderedJson::parse_event_t event,
                                               OrderedJson& parsed) {
                if (depth > kMaxDepth)
                    throw GraphError("nested deeper than " + std::to_string(kMaxDepth));
                if ((event == OrderedJson::parse_event_t::value ||
                     event == OrderedJson::parse_event_t::key) &&
                    parsed.is_string() && parsed.get_ref<const std::string&>().size() > kMaxString)
                    throw GraphError("holds a string longer than 1 MiB");
                return true;
            });
        } catch (const OrderedJson::exception& error) {
            throw GraphError(std::string("is not valid JSON (") + error.what() + ")");
        }
        if (!json.is_object()) throw GraphError("is not a JSON object");
        for (const char* key : {"nodes", "links"})
            if (!json.contains(key) || !json[key].is_array())
                throw GraphError(std::string("has no '") + key + "' array");
        AttributionGraph graph;
        for (const char* key : {"metadata", "qParams"})
            if (json.contains(key)) {
                if (!json[key].is_object())
                    throw GraphError(std::string("'") + key + "' must be an object");
                (std::string(key) == "metadata" ? graph.metadata : graph.qParams) = json[key];
            }
        if (graph.qParams.contains("pinnedIds")) {
            const auto& pinned = graph.qParams["pinnedIds"];
            if (!pinned.is_array()) throw GraphError("'qParams.pinnedIds' must be an array");
            for (const auto& id : pinned)
                if (!id.is_string()) throw GraphError("'qParams.pinnedIds' must hold strings");
        }
        if (graph.qParams.contains("supernodes")) {
            const auto& groups = graph.qParams["supernodes"];
            if (!groups.is_array()) throw GraphError("'qParams.supernodes' must be an array");
            for (const auto& group : groups) {
                if (!group.is_array() || group.empty())
                    throw GraphError("each of 'qParams.supernodes' must be [label, ids...]");
                for (const auto& id : group)
                    if (!id.is_string()) throw GraphError("'qParams.supernodes' must hold strings");
            }
        }
        std::unordered_map<std::string, std::size_t> index;
        const auto& nodes = json["nodes"];
        graph.nodes.reserve(nodes.size());
        for (std::size_t i = 0; i < nodes.size(); ++i) {
            auto node = readNode(i, nodes[i]);
            if (!index.emplace(node.id, i).second)
                throw GraphError("has two nodes with the id '" + node.id + "'");
            graph.nodes.push_back(std::move(node));
        }
        const auto& links = json["links"];
        graph.links.reserve(links.size());
        for (std::size_t i = 0; i < links.size(); ++i) {
            const auto& link = links[i];
            const std::string where = "link " + std::to_string(i);
            if (!link.is_object()) throw GraphError(where + " is not an object");
            GraphLink parsed;
            for (const char* end : {"source", "target"}) {
                if (!link.contains(end) || !link[end].is_string())
                    throw GraphError(where + " has no string '" + end + "'");
                const auto found = index.find(link[end].get<std::string>());
                if (found == index.end())
                    throw GraphError(where + "'s " + end + " '" + link[end].get<std::string>() +
                                     "' is not a node");
                (std::string(end) == "source" ? parsed.source : parsed.target) = found->second;
            }
            if (!link.contains("weight")) throw GraphError(where + " has no 'weight'");
            parsed.weight = finiteNumber(link["weight"], where + ": 'weight'");
            parsed.fields = link;
            graph.links.push_back(std::move(parsed));
        }
        for (const auto& [key, value] : json.items())
            if (key != "metadata" && key != "qParams" && key != "nodes" && key != "links")
                graph.otherFields[key] = value;
        return graph;
    } catch (const GraphError& error) {
        throw std::runtime_error("graph '" + origin + "' " + error.what());
    }
}

AttributionGraph readAttributionGraph(const fs::path& path) {
    std::error_code ec;
    if (!fs::is_regular_file(path, ec))
        throw std::runtime_error("graph file not found: '" + path.string() + "'");
    if (fs::file_size(path, ec) > kMaxFileBytes)
        throw std::runtime_error("graph '" + path.string() + "' is larger than 4 GiB");
    std::ifstream in(path, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    if (!in && !in.eof()) throw std::runtime_error("cannot read graph '" + path.string() + "'");
    return parseAttributionGraph(buffer.str(), path.string());
}

std::string attributionGraphJson(const AttributionGraph& graph) {
    OrderedJson json = OrderedJson::object();
    json["metadata"] = graph.metadata;
    OrderedJson q = graph.qParams;
    for (const auto& [key, value] :
         std::vector<std::pair<const char*, OrderedJson>>{{"pinnedIds", OrderedJson::array()},
                                                          {"supernodes", OrderedJson::array()},
                                                          {"linkType", "both"},
                                                          {"clickedId", ""},
                                                          {"sg_pos", ""}})
        if (!q.contains(key)) q[key] = value;
    json["qParams"] = std::move(q);
    auto& nodes = json["nodes"] = OrderedJson::array();
    for (const auto& node : graph.nodes) {
        OrderedJson out = OrderedJson::object();
        for (const auto& [key, fallback] : nodeDefaults())
            out[key] = node.fields.contains(key) ? node.fields[key] : fallback;
        for (const auto& [key, value] : node.fields.items())
            if (!out.contains(key)) out[key] = value;
        // The typed fields are what Unitscope may have changed.
        out["node_id"] = node.id;
        out["feature_type"] = node.featureType;
        out["token_prob"] = node.tokenProb;
        out["is_target_logit"] = node.isTargetLogit;
        out["influence"] = node.influence ? OrderedJson(*node.influence) : OrderedJson(nullptr);
        out["activation"] = node.activation ? OrderedJson(*node.activation) : OrderedJson(nullptr);
        if (out["jsNodeId"] == "") out["jsNodeId"] = node.id;
        nodes.push_back(std::move(out));
    }
    auto& links = json["links"] = OrderedJson::array();
    for (const auto& link : graph.links) {
        OrderedJson out = OrderedJson::object();
        out["source"] = graph.nodes.at(link.source).id;
        out["target"] = graph.nodes.at(link.target).id;
        out["weight"] = link.weight;
        for (const auto& [key, value] : link.fields.items())
            if (!out.contains(key)) out[key] = value;
        links.push_back(std::move(out));
    }
    for (const auto& [key, value] : graph.otherFields.items())
        json[key] = value;
    return json.dump() + "\n";
}

void writeAttributionGraph(const fs::path& path, const AttributionGraph& graph) {
    const std::string text = attributionGraphJson(graph);
    AtomicFile file(path);
    {
        std::ofstream out(file.tempPath(), std::ios::binary);
        out << text;
        out.flush();
        if (!out) throw std::runtime_error("cannot write graph '" + path.string() + "'");
    }
    file.commit();
}

OrderedJson describeAttributionGraph(const AttributionGraph& graph) {
    std::map<std::string, std::int64_t> byType;
    for (const auto& node : graph.nodes)
        ++byType[node.featureType];
    OrderedJson types = OrderedJson::object();
    for (const auto& [type, count] : byType)
        types[type] = count;
    std::int64_t targets = 0;
    for (const auto& node : graph.nodes)
        targets += node.isTargetLogit;
    return OrderedJson{{"nodes", graph.nodes.size()},
                       {"node_types", std::move(types)},
                       {"target_nodes", targets},
                       {"links", graph.links.size()},
                       {"pinned", graph.pinnedIds().size()},
                       {"supernodes", graph.supernodes().size()},
                       {"metadata", graph.metadata}};
}

}  // namespace us::analysis
