#include "analysis/attribution/supernodes.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <functional>
#include <map>
#include <numeric>
#include <set>
#include <stdexcept>

#include "analysis/clustering/linkage.h"

namespace us::analysis {

ProbeSet probeSetFromClasses(const ActivationStore& store) {
    const auto& stimuli = store.stimuli();
    if (stimuli.labels.empty())
        throw std::runtime_error(
            "the store's stimuli have no class labels: give --probe PROBES.json");
    std::map<std::int32_t, std::vector<std::int64_t>> byClass;
    for (std::size_t i = 0; i < stimuli.labels.size(); ++i)
        byClass[stimuli.labels[i]].push_back(std::int64_t(i));
    ProbeSet probes;
    for (auto& [label, rows] : byClass) {
        probes.concepts.push_back(std::size_t(label) < stimuli.labelNames.size()
                                      ? stimuli.labelNames[std::size_t(label)]
                                      : "class " + std::to_string(label));
        probes.rows.push_back(std::move(rows));
    }
    return probes;
}

ProbeSet readProbeSet(const std::filesystem::path& path, std::int64_t rowCount) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("probe file not found: '" + path.string() + "'");
    nlohmann::ordered_json json;
    try {
        json = nlohmann::ordered_json::parse(in);
    } catch (const nlohmann::json::exception& error) {
        throw std::runtime_error("probe file '" + path.string() + "' is not valid JSON (" +
                                 error.what() + ")");
    }
    if (!json.is_object() || json.empty())
        throw std::runtime_error("probe file '" + path.string() +
                                 "' must be an object {\"concept\": [stimulus rows...]}");
    ProbeSet probes;
    for (const auto& [name, rows] : json.items()) {
        if (!rows.is_array() || rows.empty())
            throw std::runtime_error("probe '" + name + "' must list stimulus rows");
        std::vector<std::int64_t> list;
        for (const auto& row : rows) {
            if (!row.is_number_integer() || row.get<std::int64_t>() < 0 ||
                row.get<std::int64_t>() >= rowCount)
                throw std::runtime_error("probe '" + name + "' names a row outside 0.." +
                                         std::to_string(rowCount - 1));
            list.push_back(row.get<std::int64_t>());
        }
        probes.concepts.push_back(name);
        probes.rows.push_back(std::move(list));
    }
    return probes;
}

SupernodeResult findSupernodes(const AttributionGraph& graph, const ActivationStore& store,
                               const ProbeSet& probes, double similarity) {
    if (!(similarity >= -1 && similarity <= 1))
        throw std::invalid_argument("the similarity must be between -1 and 1");
    SupernodeResult result;
    result.concepts = probes.concepts;
    const std::size_t concepts = probes.concepts.size();

    // Signatures: per unit node, the mean activation over each concept's stimuli.
    std::map<std::string, FloatArray> layers;
    std::vector<std::string> ids;
    std::vector<std::vector<double>> signatures;
    for (const auto& node : graph.nodes) {
        if (!node.fields.contains("layer_name") || !node.fields.contains("unit")) continue;
        if (!node.fields["layer_name"].is_string() || !node.fields["unit"].is_number_integer())
            continue;
        const auto layer = node.fields["layer_name"].get<std::string>();
        const auto unit = node.fields["unit"].get<std::int64_t>();
        if (node.isLogit()) continue;  // the target is what the supernodes explain
        auto found = layers.find(layer);
        if (found == layers.end()) {
            const bool stored = std::any_of(store.layers().begin(), store.layers().end(),
                                            [&](const StoreLayer& l) { return l.name == layer; });
            if (!stored) {
                result.skipped.push_back(node.id);
                continue;
            }
            found = layers.emplace(layer, store.layerMatrix(layer, Pooling::Mean)).first;
        }
        const auto& matrix = found->second;
        const auto units = matrix.shape.at(1);
        if (unit < 0 || unit >= units) {
            result.skipped.push_back(node.id);
            continue;
        }
        std::vector<double> signature(concepts, 0.0);
        for (std::size_t c = 0; c < concepts; ++c) {
            for (auto row : probes.rows[c])
                signature[c] += matrix.values[std::size_t(row * units + unit)];
            signature[c] /= double(probes.rows[c].size());
        }
        ids.push_back(node.id);
        signatures.push_back(std::move(signature));
    }
    result.unitsWithSignatures = ids.size();
    const auto n = std::int64_t(ids.size());
    if (n < 2 || concepts < 2) return result;

    // Cosine of the centred signatures (a flat profile has no preference: similarity 0).
    std::vector<std::vector<double>> centred = signatures;
    for (auto& s : centred) {
        const double mean = std::accumulate(s.begin(), s.end(), 0.0) / double(concepts);
        double norm = 0;
        for (auto& v : s) {
            v -= mean;
            norm += v * v;
        }
        norm = std::sqrt(norm);
        for (auto& v : s)
            v = norm > 0 ? v / norm : 0.0;
    }
    const auto cosine = [&](std::int64_t a, std::int64_t b) {
        double dot = 0;
        for (std::size_t c = 0; c < concepts; ++c)
            dot += centred[std::size_t(a)][c] * centred[std::size_t(b)][c];
        return dot;
    };
    std::vector<double> condensed;
    condensed.reserve(std::size_t(n * (n - 1) / 2));
    for (std::int64_t a = 0; a < n; ++a)
        for (std::int64_t b = a + 1; b < n; ++b)
            condensed.push_back(1.0 - cosine(a, b));
    const auto linkage = nnChainLinkage(std::move(condensed), n, LinkageMethod::Average, {}, {});

    // Flat clusters: every merge at distance <= 1 - similarity (average linkage is monotone).
    std::vector<std::int64_t> parent(std::size_t(2 * n - 1));
    std::iota(parent.begin(), parent.end(), 0);
    const std::function<std::int64_t(std::int64_t)> root = [&](std::int64_t i) {
        while (parent[std::size_t(i)] != i)
            i = parent[std::size_t(i)] = parent[std::size_t(parent[std::size_t(i)])];
        return i;
    };
    for (std::int64_t row = 0; row < n - 1; ++row) {
        if (linkage.at(row, 2) > 1.0 - similarity + 1e-12) break;
        const auto merged = n + row;
        parent[std::size_t(root(std::int64_t(linkage.at(row, 0))))] = merged;
        parent[std::size_t(root(std::int64_t(linkage.at(row, 1))))] = merged;
    }
    std::map<std::int64_t, std::vector<std::int64_t>> groups;
    for (std::int64_t i = 0; i < n; ++i)
        groups[root(i)].push_back(i);

    for (const auto& [_, members] : groups) {
        if (members.size() < 2) continue;
        Supernode node;
        std::vector<double> preference(concepts, 0.0);
        node.similarity = 1.0;
        for (auto m : members) {
            node.members.push_back(ids[std::size_t(m)]);
            node.evidence.push_back(signatures[std::size_t(m)]);
            for (std::size_t c = 0; c < concepts; ++c)
                preference[c] += centred[std::size_t(m)][c];
            for (auto other : members)
                if (other > m) node.similarity = std::min(node.similarity, cosine(m, other));
        }
        const auto best = std::max_element(preference.begin(), preference.end());
        node.label = probes.concepts[std::size_t(best - preference.begin())];
        result.supernodes.push_back(std::move(node));
    }
    // Larger groups first, then by label, so that the output does not depend on map order.
    std::stable_sort(result.supernodes.begin(), result.supernodes.end(),
                     [](const Supernode& a, const Supernode& b) {
                         return a.members.size() != b.members.size()
                                    ? a.members.size() > b.members.size()
                                    : a.label < b.label;
                     });
    return result;
}

AttributionGraph withSupernodes(const AttributionGraph& graph, const SupernodeResult& result) {
    AttributionGraph out = graph;
    // Automatic supernodes of an earlier run are replaced; hand-made ones stay.
    std::set<std::vector<std::string>> automatic;
    if (graph.otherFields.contains("unitscope_supernode_evidence"))
        for (const auto& entry : graph.otherFields["unitscope_supernode_evidence"]["supernodes"]) {
            std::vector<std::string> group{entry.value("label", std::string())};
            for (const auto& id : entry.value("members", nlohmann::ordered_json::array()))
                group.push_back(id.get<std::string>());
            automatic.insert(group);
        }
    OrderedJson groups = OrderedJson::array();
    for (const auto& group : graph.supernodes())
        if (!automatic.contains(group)) groups.push_back(group);
    OrderedJson evidence = OrderedJson::array();
    for (const auto& node : result.supernodes) {
        OrderedJson group = OrderedJson::array({node.label});
        for (const auto& id : node.members)
            group.push_back(id);
        groups.push_back(std::move(group));
        evidence.push_back(OrderedJson{{"label", node.label},
                                       {"members", node.members},
                                       {"similarity", node.similarity},
                                       {"mean_activation", node.evidence}});
    }
    out.qParams["supernodes"] = std::move(groups);
    out.otherFields["unitscope_supernode_evidence"] =
        OrderedJson{{"concepts", result.concepts},
                    {"signature", "mean activation per concept (spatial mean pooling)"},
                    {"supernodes", std::move(evidence)}};
    return out;
}

}  // namespace us::analysis
