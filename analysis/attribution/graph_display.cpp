#include "analysis/attribution/graph_display.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <unordered_map>

namespace us::analysis {
namespace {

constexpr std::size_t kNone = std::size_t(-1);

std::optional<double> numberField(const GraphNode& node, const char* key) {
    if (!node.fields.is_object() || !node.fields.contains(key)) return std::nullopt;
    const auto& value = node.fields[key];
    if (!value.is_number()) return std::nullopt;
    return value.get<double>();
}

std::string stringField(const GraphNode& node, const char* key) {
    if (!node.fields.is_object() || !node.fields.contains(key)) return {};
    const auto& value = node.fields[key];
    if (value.is_string()) return value.get<std::string>();
    if (value.is_number_integer()) return std::to_string(value.get<std::int64_t>());
    return {};
}

// circuit-tracer's layer field: "E" for embeddings, the layer number for features and errors,
// one past the last layer for logits. Numbers sort as numbers; other names after them.
struct BandKey {
    int group = 0;  // 0 input, 1 numbered, 2 named, 3 logits
    double number = 0;
    std::string name;
    auto operator<=>(const BandKey&) const = default;
};

BandKey bandKey(const GraphNode& node) {
    if (node.isLogit()) return {3, 0, ""};
    if (node.isInput()) return {0, 0, ""};
    const std::string layer = stringField(node, "layer");
    if (layer == "E") return {0, 0, ""};
    char* end = nullptr;
    const double number = std::strtod(layer.c_str(), &end);
    if (!layer.empty() && end && *end == '\0') return {1, number, ""};
    return {2, 0, layer};
}

DisplayKind kindOf(const GraphNode& node) {
    if (node.isInput()) return DisplayKind::Input;
    if (node.isLogit()) return DisplayKind::Logit;
    if (node.isError()) return DisplayKind::Error;
    return DisplayKind::Unit;
}

}  // namespace

GraphEdits graphEdits(const AttributionGraph& graph) {
    GraphEdits edits;
    edits.pinned = graph.pinnedIds();
    edits.supernodes = graph.supernodes();
    if (graph.qParams.contains("clerps") && graph.qParams["clerps"].is_array())
        for (const auto& entry : graph.qParams["clerps"])
            if (entry.is_array() && entry.size() == 2 && entry[0].is_string() &&
                entry[1].is_string())
                edits.labels[entry[0].get<std::string>()] = entry[1].get<std::string>();
    return edits;
}

void setGraphEdits(AttributionGraph& graph, const GraphEdits& edits) {
    graph.qParams["pinnedIds"] = edits.pinned;
    OrderedJson groups = OrderedJson::array();
    for (const auto& group : edits.supernodes)
        groups.push_back(group);
    graph.qParams["supernodes"] = std::move(groups);
    OrderedJson labels = OrderedJson::array();
    for (const auto& [id, label] : edits.labels)
        labels.push_back(OrderedJson::array({id, label}));
    if (!labels.empty() || graph.qParams.contains("clerps"))
        graph.qParams["clerps"] = std::move(labels);
}

std::string nodeLabel(const AttributionGraph& graph, std::size_t node, const GraphEdits& edits) {
    const auto& n = graph.nodes.at(node);
    if (const auto it = edits.labels.find(n.id); it != edits.labels.end()) return it->second;
    if (auto clerp = stringField(n, "clerp"); !clerp.empty()) return clerp;
    return n.id;
}

bool isImageGraph(const AttributionGraph& graph) {
    for (const auto& node : graph.nodes)
        if (node.isInput() && node.fields.is_object() && node.fields.contains("patch")) return true;
    return false;
}

GraphDisplay displayGraph(const AttributionGraph& graph, const GraphEdits& edits,
                          const PruneResult* pruned, const DisplayOptions& options) {
    GraphDisplay display;
    display.languageModel = !isImageGraph(graph);
    const std::set<std::string> pinned(edits.pinned.begin(), edits.pinned.end());
    const auto n = graph.nodes.size();

    // Which graph nodes are shown on their own account.
    std::vector<bool> shown(n, false);
    for (std::size_t i = 0; i < n; ++i) {
        const auto& node = graph.nodes[i];
        const bool wanted = pinned.count(node.id) || options.alwaysShown.count(node.id);
        if (options.pinnedOnly)
            shown[i] = pinned.count(node.id) > 0;
        else
            shown[i] =
                wanted || node.isInput() || node.isLogit() || !pruned || pruned->nodeKept.at(i);
    }

    // Supernodes: each member maps to its group (the first group that names it).
    std::vector<std::size_t> groupOf(n, kNone);
    std::vector<std::vector<std::size_t>> groupMembers;
    std::vector<std::string> groupLabels;
    for (const auto& group : edits.supernodes) {
        std::vector<std::size_t> members;
        for (std::size_t k = 1; k < group.size(); ++k)
            if (const auto index = graph.indexOf(group[k]); index && groupOf[*index] == kNone)
                members.push_back(*index);
        if (members.empty()) continue;
        for (auto m : members)
            groupOf[m] = groupMembers.size();
        groupMembers.push_back(std::move(members));
        groupLabels.push_back(group.front());
    }

    // Bands, numbered from the input up.
    std::vector<BandKey> keys(n);
    std::vector<BandKey> distinct;
    for (std::size_t i = 0; i < n; ++i) {
        keys[i] = bandKey(graph.nodes[i]);
        distinct.push_back(keys[i]);
    }
    std::sort(distinct.begin(), distinct.end());
    distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
    const auto bandOf = [&](std::size_t node) {
        return int(std::lower_bound(distinct.begin(), distinct.end(), keys[node]) -
                   distinct.begin());
    };
    display.bandNames.resize(distinct.size());
    for (std::size_t i = 0; i < n; ++i) {
        auto& name = display.bandNames[std::size_t(bandOf(i))];
        if (!name.empty()) continue;
        const auto& key = keys[i];
        const std::string layerName = stringField(graph.nodes[i], "layer_name");
        if (key.group == 0)
            name = display.languageModel ? "Emb" : "input";
        else if (key.group == 3)
            name = display.languageModel ? "Logits" : "target";
        else if (!layerName.empty())
            name = layerName;
        else
            name = key.group == 1 ? "L" + stringField(graph.nodes[i], "layer") : key.name;
    }
    if (display.languageModel && graph.metadata.contains("prompt_tokens") &&
        graph.metadata["prompt_tokens"].is_array())
        for (const auto& token : graph.metadata["prompt_tokens"])
            display.columnNames.push_back(token.is_string() ? token.get<std::string>()
                                                            : token.dump());

    const auto magnitudeOf = [&](std::size_t i) {
        const auto& node = graph.nodes[i];
        if (auto a = numberField(node, "attribution")) return std::abs(*a);
        if (pruned && i < pruned->influence.size()) return std::abs(pruned->influence[i]);
        return std::abs(node.activation.value_or(1.0));
    };

    // Display nodes: single nodes in graph order, then the supernodes.
    std::vector<std::size_t> displayOf(n, kNone);
    for (std::size_t i = 0; i < n; ++i) {
        if (!shown[i] || groupOf[i] != kNone) continue;
        const auto& node = graph.nodes[i];
        DisplayNode out;
        out.id = node.id;
        out.label = nodeLabel(graph, i, edits);
        out.kind = kindOf(node);
        out.members = {i};
        out.band = bandOf(i);
        out.column = numberField(node, "ctx_idx").value_or(0);
        out.magnitude = magnitudeOf(i);
        out.attribution = numberField(node, "attribution").value_or(0.0);
        out.pinned = pinned.count(node.id) > 0;
        if (node.isInput() && node.fields.is_object() && node.fields.contains("patch") &&
            node.fields["patch"].is_object()) {
            const auto& patch = node.fields["patch"];
            if (patch.contains("row") && patch["row"].is_number_integer() &&
                patch.contains("column") && patch["column"].is_number_integer()) {
                out.patchRow = patch["row"].get<int>();
                out.patchColumn = patch["column"].get<int>();
                if (patch.contains("grid") && patch["grid"].is_number_integer())
                    out.patchGrid = patch["grid"].get<int>();
            }
        }
        displayOf[i] = display.nodes.size();
        display.nodes.push_back(std::move(out));
    }
    for (std::size_t g = 0; g < groupMembers.size(); ++g) {
        const auto& members = groupMembers[g];
        if (std::none_of(members.begin(), members.end(), [&](auto m) { return shown[m]; }))
            continue;
        DisplayNode out;
        out.id = "supernode:" + graph.nodes[members.front()].id;
        out.label = groupLabels[g];
        out.kind = DisplayKind::Supernode;
        out.members = members;
        double band = 0, column = 0;
        for (auto m : members) {
            band += bandOf(m);
            column += numberField(graph.nodes[m], "ctx_idx").value_or(0);
            out.magnitude += magnitudeOf(m);
            out.attribution += numberField(graph.nodes[m], "attribution").value_or(0.0);
            out.pinned = out.pinned || pinned.count(graph.nodes[m].id);
        }
        out.band = int(std::lround(band / double(members.size())));
        out.column = std::llround(column / double(members.size()));
        const auto index = display.nodes.size();
        for (auto m : members)
            displayOf[m] = index;
        display.nodes.push_back(std::move(out));
    }

    // Links between shown display nodes, summed where supernodes merge them.
    std::unordered_map<std::uint64_t, std::size_t> linkIndex;
    for (std::size_t l = 0; l < graph.links.size(); ++l) {
        const auto& link = graph.links[l];
        if (!options.pinnedOnly && pruned && !pruned->linkKept.at(l)) continue;
        const auto s = displayOf[link.source], t = displayOf[link.target];
        if (s == kNone || t == kNone || s == t) continue;
        const auto key = (std::uint64_t(s) << 32) | std::uint64_t(t);
        const auto [it, added] = linkIndex.try_emplace(key, display.links.size());
        if (added) display.links.push_back({s, t, 0.0, 0.0});
        display.links[it->second].weight += link.weight;
    }
    std::vector<double> incoming(display.nodes.size(), 0.0);
    for (const auto& link : display.links)
        incoming[link.target] += std::abs(link.weight);
    for (auto& link : display.links)
        link.share = incoming[link.target] > 0 ? std::abs(link.weight) / incoming[link.target] : 0;
    return display;
}

}  // namespace us::analysis
