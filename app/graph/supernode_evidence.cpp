#include "app/graph/supernode_evidence.h"

#include <algorithm>

namespace us::app {
namespace {

constexpr const char* kField = "unitscope_supernode_evidence";

bool isStringArray(const analysis::OrderedJson& json) {
    return json.is_array() &&
           std::all_of(json.begin(), json.end(), [](const auto& v) { return v.is_string(); });
}

// members x concepts numbers, each row as long as the concepts.
bool isMatrix(const analysis::OrderedJson& json, std::size_t columns) {
    return json.is_array() && std::all_of(json.begin(), json.end(), [&](const auto& row) {
               return row.is_array() && row.size() == columns &&
                      std::all_of(row.begin(), row.end(),
                                  [](const auto& v) { return v.is_number(); });
           });
}

}  // namespace

std::string supernodeDisplayId(const std::vector<std::string>& members) {
    return "supernode:" + (members.empty() ? std::string() : members.front());
}

render::SupernodeEvidence supernodeEvidence(const analysis::SupernodeResult& result,
                                            const analysis::Supernode& supernode) {
    render::SupernodeEvidence evidence;
    evidence.concepts = result.concepts;
    evidence.values = supernode.evidence;
    evidence.similarity = supernode.similarity;
    if (result.permutations > 0) {
        evidence.labelP = supernode.labelP;
        evidence.labelQ = supernode.labelQ;
        evidence.permutations = result.permutations;
    }
    return evidence;
}

SupernodeEvidenceMap readSupernodeEvidence(const analysis::AttributionGraph& graph) {
    SupernodeEvidenceMap out;
    if (!graph.otherFields.contains(kField)) return out;
    const auto& field = graph.otherFields[kField];
    if (!field.is_object() || !isStringArray(field.value("concepts", analysis::OrderedJson())) ||
        !field.value("supernodes", analysis::OrderedJson()).is_array())
        return out;
    const auto concepts = field["concepts"].get<std::vector<std::string>>();
    const int permutations =
        field.value("permutations", analysis::OrderedJson()).is_number_integer()
            ? field["permutations"].get<int>()
            : 0;
    for (const auto& entry : field["supernodes"]) {
        if (!entry.is_object() || !isStringArray(entry.value("members", analysis::OrderedJson())) ||
            entry["members"].empty() ||
            !isMatrix(entry.value("mean_activation", analysis::OrderedJson()), concepts.size()))
            continue;
        render::SupernodeEvidence evidence;
        evidence.concepts = concepts;
        evidence.values = entry["mean_activation"].get<std::vector<std::vector<double>>>();
        if (entry.value("similarity", analysis::OrderedJson()).is_number())
            evidence.similarity = entry["similarity"].get<double>();
        if (permutations > 0 && entry.value("p_label", analysis::OrderedJson()).is_number() &&
            entry.value("q_label", analysis::OrderedJson()).is_number()) {
            evidence.labelP = entry["p_label"].get<double>();
            evidence.labelQ = entry["q_label"].get<double>();
            evidence.permutations = permutations;
        }
        out[supernodeDisplayId(entry["members"].get<std::vector<std::string>>())] =
            std::move(evidence);
    }
    return out;
}

void writeSupernodeEvidence(analysis::AttributionGraph& graph, const SupernodeEvidenceMap& evidence,
                            const analysis::GraphEdits& edits) {
    std::vector<analysis::Supernode> supernodes;
    std::vector<std::string> concepts;
    int permutations = 0;
    for (const auto& group : edits.supernodes) {
        if (group.size() < 2) continue;
        const std::vector<std::string> members(group.begin() + 1, group.end());
        const auto found = evidence.find(supernodeDisplayId(members));
        if (found == evidence.end() || found->second.values.size() != members.size()) continue;
        const auto& e = found->second;
        if (supernodes.empty()) concepts = e.concepts;
        if (e.concepts != concepts) continue;  // one vocabulary per graph
        supernodes.push_back({group.front(), members, e.values, e.similarity, e.labelP, e.labelQ});
        if (e.labelP) permutations = e.permutations;
    }
    if (supernodes.empty())
        graph.otherFields.erase(kField);
    else
        graph.otherFields[kField] =
            analysis::supernodeEvidenceJson(concepts, permutations, supernodes);
}

}  // namespace us::app
