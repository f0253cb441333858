#include "analysis/attribution/supernodes.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <functional>
#include <limits>
#include <map>
#include <numeric>
#include <random>
#include <set>
#include <stdexcept>

#include "analysis/clustering/linkage.h"
#include "analysis/statistics/multiple_testing.h"

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

namespace {

// A signature centred over the concepts and scaled to unit length (a flat profile has no
// preference: all zeros).
void centreAndNormalise(std::vector<double>& signature) {
    const double mean =
        std::accumulate(signature.begin(), signature.end(), 0.0) / double(signature.size());
    double norm = 0;
    for (auto& v : signature) {
        v -= mean;
        norm += v * v;
    }
    norm = std::sqrt(norm);
    for (auto& v : signature)
        v = norm > 0 ? v / norm : 0.0;
}

// One unit's activations: a column of a store layer's matrix.
struct UnitColumn {
    const FloatArray* matrix;
    std::int64_t unit;
};

// Each group's label, the concept its members prefer most, and its p against the probe
// labels shuffled across the probe stimuli.
struct GroupLabels {
    std::vector<std::size_t> concept_;
    std::vector<double> p;
};

GroupLabels labelGroups(const std::vector<std::vector<std::int64_t>>& groups,
                        const std::vector<UnitColumn>& columns, const ProbeSet& probes,
                        const SupernodeSettings& settings, const JobContext& context) {
    // The stimuli carrying a probe label, and each concept's slots among them.
    std::vector<std::int64_t> pool;
    for (const auto& rows : probes.rows)
        pool.insert(pool.end(), rows.begin(), rows.end());
    std::sort(pool.begin(), pool.end());
    pool.erase(std::unique(pool.begin(), pool.end()), pool.end());
    std::vector<std::vector<std::size_t>> slots(probes.rows.size());
    for (std::size_t c = 0; c < probes.rows.size(); ++c)
        for (auto row : probes.rows[c])
            slots[c].push_back(
                std::size_t(std::lower_bound(pool.begin(), pool.end(), row) - pool.begin()));
    // The grouped units' activations on those stimuli, a row of units per stimulus.
    std::vector<std::int64_t> involved;
    for (const auto& group : groups)
        involved.insert(involved.end(), group.begin(), group.end());
    std::sort(involved.begin(), involved.end());
    involved.erase(std::unique(involved.begin(), involved.end()), involved.end());
    const std::size_t units = involved.size(), concepts = slots.size();
    std::vector<float> table(pool.size() * units);
    for (std::size_t j = 0; j < units; ++j) {
        const auto& column = columns[std::size_t(involved[j])];
        const auto width = column.matrix->shape.at(1);
        for (std::size_t p = 0; p < pool.size(); ++p)
            table[p * units + j] =
                column.matrix->values[std::size_t(pool[p] * width + column.unit)];
    }
    // Each unit's spread over the probe stimuli, which no shuffle changes: preferences are
    // measured in it, so that a unit's scale does not matter but the size of its
    // preference, against what the shuffles give, does.
    std::vector<double> spread(units, 0.0);
    for (std::size_t j = 0; j < units; ++j) {
        double sum = 0, squares = 0;
        for (std::size_t p = 0; p < pool.size(); ++p) {
            const double v = table[p * units + j];
            sum += v;
            squares += v * v;
        }
        const double mean = sum / double(pool.size());
        spread[j] = std::sqrt(std::max(0.0, squares / double(pool.size()) - mean * mean));
    }
    std::vector<std::vector<std::size_t>> groupColumns;
    for (const auto& group : groups) {
        groupColumns.emplace_back();
        for (auto m : group)
            groupColumns.back().push_back(std::size_t(
                std::lower_bound(involved.begin(), involved.end(), m) - involved.begin()));
    }

    // Each group's preference for its best concept with stimulus p's activations at slot p:
    // the members' mean of (concept mean - mean over concepts) / spread; and that concept.
    std::vector<double> sums(concepts * units);
    std::vector<std::vector<double>> centred(units, std::vector<double>(concepts));
    std::vector<std::size_t> bestConcept(groups.size());
    const auto strengths = [&](const std::vector<std::size_t>& stimulusAt) {
        std::fill(sums.begin(), sums.end(), 0.0);
        for (std::size_t c = 0; c < concepts; ++c) {
            double* sum = sums.data() + c * units;
            for (auto slot : slots[c]) {
                const float* row = table.data() + stimulusAt[slot] * units;
                for (std::size_t j = 0; j < units; ++j)
                    sum[j] += row[j];
            }
        }
        for (std::size_t j = 0; j < units; ++j) {
            double mean = 0;
            for (std::size_t c = 0; c < concepts; ++c)
                mean += centred[j][c] = sums[c * units + j] / double(slots[c].size());
            mean /= double(concepts);
            for (auto& v : centred[j])
                v = spread[j] > 0 ? (v - mean) / spread[j] : 0.0;
        }
        std::vector<double> strength;
        for (std::size_t g = 0; g < groups.size(); ++g) {
            double best = -std::numeric_limits<double>::infinity();
            for (std::size_t c = 0; c < concepts; ++c) {
                double preference = 0;
                for (auto j : groupColumns[g])
                    preference += centred[j][c];
                preference /= double(groupColumns[g].size());
                if (preference > best) best = preference, bestConcept[g] = c;
            }
            strength.push_back(best);
        }
        return strength;
    };
    std::vector<std::size_t> stimulusAt(pool.size());
    std::iota(stimulusAt.begin(), stimulusAt.end(), 0);
    const auto observed = strengths(stimulusAt);
    GroupLabels labels{bestConcept, {}};
    std::vector<long> exceed(groups.size(), 0);
    std::mt19937_64 random(settings.seed);
    for (int permutation = 0; permutation < settings.permutations; ++permutation) {
        context.checkCancelled();
        if (permutation % 16 == 0)
            context.report(double(permutation) / settings.permutations, "shuffling probe labels");
        std::shuffle(stimulusAt.begin(), stimulusAt.end(), random);
        const auto shuffled = strengths(stimulusAt);
        for (std::size_t g = 0; g < groups.size(); ++g)
            exceed[g] += shuffled[g] >= observed[g] - 1e-12;
    }
    for (auto hits : exceed)
        labels.p.push_back(permutationP(hits, settings.permutations));
    return labels;
}

}  // namespace

SupernodeResult findSupernodes(const AttributionGraph& graph, const ActivationStore& store,
                               const ProbeSet& probes, const SupernodeSettings& settings,
                               const JobContext& context) {
    const double similarity = settings.similarity;
    if (!(similarity >= -1 && similarity <= 1))
        throw std::invalid_argument("the similarity must be between -1 and 1");
    if (settings.permutations < 1) throw std::invalid_argument("at least one permutation");
    SupernodeResult result;
    result.concepts = probes.concepts;
    const std::size_t concepts = probes.concepts.size();

    // Signatures: per unit node, the mean activation over each concept's stimuli.
    std::map<std::string, FloatArray> layers;
    std::vector<std::string> ids;
    std::vector<std::vector<double>> signatures;
    std::vector<UnitColumn> columns;
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
        columns.push_back({&matrix, unit});
    }
    result.unitsWithSignatures = ids.size();
    const auto n = std::int64_t(ids.size());
    if (n < 2 || concepts < 2) return result;

    // Cosine of the centred signatures (a flat profile has no preference: similarity 0).
    std::vector<std::vector<double>> centred = signatures;
    for (auto& signature : centred)
        centreAndNormalise(signature);
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

    std::vector<std::vector<std::int64_t>> grouped;
    for (const auto& [_, members] : groups) {
        if (members.size() < 2) continue;
        Supernode node;
        node.similarity = 1.0;
        for (auto m : members) {
            node.members.push_back(ids[std::size_t(m)]);
            node.evidence.push_back(signatures[std::size_t(m)]);
            for (auto other : members)
                if (other > m) node.similarity = std::min(node.similarity, cosine(m, other));
        }
        result.supernodes.push_back(std::move(node));
        grouped.push_back(members);
    }
    if (!grouped.empty()) {
        const auto labels = labelGroups(grouped, columns, probes, settings, context);
        const auto q = benjaminiHochberg(labels.p);
        for (std::size_t g = 0; g < grouped.size(); ++g) {
            result.supernodes[g].label = probes.concepts[labels.concept_[g]];
            result.supernodes[g].labelP = labels.p[g];
            result.supernodes[g].labelQ = q[g];
        }
        result.permutations = settings.permutations;
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

OrderedJson supernodeEvidenceJson(const std::vector<std::string>& concepts, int permutations,
                                  const std::vector<Supernode>& supernodes) {
    OrderedJson entries = OrderedJson::array();
    for (const auto& node : supernodes) {
        OrderedJson entry{
            {"label", node.label}, {"members", node.members}, {"similarity", node.similarity}};
        if (node.labelP && node.labelQ) {
            entry["p_label"] = *node.labelP;
            entry["q_label"] = *node.labelQ;
        }
        entry["mean_activation"] = node.evidence;
        entries.push_back(std::move(entry));
    }
    return OrderedJson{{"concepts", concepts},
                       {"signature", "mean activation per concept (spatial mean pooling)"},
                       {"label_null", "probe labels shuffled across the probe stimuli"},
                       {"permutations", permutations},
                       {"supernodes", std::move(entries)}};
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
    for (const auto& node : result.supernodes) {
        OrderedJson group = OrderedJson::array({node.label});
        for (const auto& id : node.members)
            group.push_back(id);
        groups.push_back(std::move(group));
    }
    out.qParams["supernodes"] = std::move(groups);
    out.otherFields["unitscope_supernode_evidence"] =
        supernodeEvidenceJson(result.concepts, result.permutations, result.supernodes);
    return out;
}

}  // namespace us::analysis
