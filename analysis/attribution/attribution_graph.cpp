#include "analysis/attribution/attribution_graph.h"

#include <algorithm>
#include <charconv>
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

std::string attributionGraphJson(const AttributionGraph& graph) {
    OrderedJson q = graph.qParams;
    for (const auto& [key, value] :
         std::vector<std::pair<const char*, OrderedJson>>{{"pinnedIds", OrderedJson::array()},
                                                          {"supernodes", OrderedJson::array()},
                                                          {"linkType", "both"},
                                                          {"clickedId", ""},
                                                          {"sg_pos", ""}})
        if (!q.contains(key)) q[key] = value;
    OrderedJson nodes = OrderedJson::array();
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
    // Links are written by hand: a DOM of millions of small objects costs seconds.
    std::string text = "{\"metadata\":" + graph.metadata.dump();
    text += ",\"qParams\":" + q.dump();
    text += ",\"nodes\":" + nodes.dump();
    text += ",\"links\":[";
    std::vector<std::string> quotedIds;
    quotedIds.reserve(graph.nodes.size());
    for (const auto& node : graph.nodes)
        quotedIds.push_back(OrderedJson(node.id).dump());
    text.reserve(text.size() + graph.links.size() * 64);
    char number[32];
    for (std::size_t i = 0; i < graph.links.size(); ++i) {
        const auto& link = graph.links[i];
        if (i) text += ',';
        text += "{\"source\":";
        text += quotedIds.at(link.source);
        text += ",\"target\":";
        text += quotedIds.at(link.target);
        text += ",\"weight\":";
        const auto end = std::to_chars(number, number + sizeof number, link.weight).ptr;
        text.append(number, end);
        // As JSON writers do, a whole number stays a float ("2.0"), so readers see a float.
        if (std::find_if(number, end, [](char c) { return c == '.' || c == 'e'; }) == end)
            text += ".0";
        if (link.extraFields.is_object())
            for (const auto& [key, value] : link.extraFields.items())
                if (key != "source" && key != "target" && key != "weight") {
                    text += ',';
                    text += OrderedJson(key).dump();
                    text += ':';
                    text += value.dump();
                }
        text += '}';
    }
    text += ']';
    for (const auto& [key, value] : graph.otherFields.items()) {
        text += ',';
        text += OrderedJson(key).dump();
        text += ':';
        text += value.dump();
    }
    return text + "}\n";
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
