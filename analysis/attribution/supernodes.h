#pragma once
// Automatic supernodes for image models, after the probe-prompting idea: a unit's signature
// is its mean activation over each concept of a probe set (the stimulus classes by default,
// or named stimulus lists), read from the activation store. Units of the graph whose
// signatures are alike (cosine of the signatures centred over concepts, average linkage,
// cut at the user's similarity) form a supernode named after the concept its members
// prefer most: per member, the concept's mean activation minus the mean over concepts, in
// units of the member's standard deviation over the probe stimuli, averaged over the
// members. The evidence (members x concepts) is written beside the graph.
// The label's null: the probe labels shuffled across the probe stimuli (each concept keeps
// its size; a stimulus in two lists stays in two; no shuffle changes a member's standard
// deviation), the same preference recomputed and maximised over concepts, as the label was
// chosen; p = (1 + shuffles at least as strong) / (1 + shuffles), Benjamini-Hochberg
// adjusted over the graph's supernodes.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "analysis/attribution/attribution_graph.h"
#include "analysis/core/job_context.h"
#include "analysis/models/activation_store.h"

namespace us::analysis {

struct ProbeSet {
    std::vector<std::string> concepts;
    std::vector<std::vector<std::int64_t>> rows;  // store rows per concept
};

// The store's classes (labels and their names). Throws when the store has no labels.
ProbeSet probeSetFromClasses(const ActivationStore& store);
// {"concept": [row, ...], ...}. Throws std::runtime_error for a malformed file or rows out
// of range.
ProbeSet readProbeSet(const std::filesystem::path& path, std::int64_t rowCount);

struct Supernode {
    std::string label;
    std::vector<std::string> members;           // node ids
    std::vector<std::vector<double>> evidence;  // members x concepts: mean activations
    double similarity = 0;                      // the group's lowest pairwise cosine
    std::optional<double> labelP, labelQ;       // the label against shuffled probe labels
};

struct SupernodeSettings {
    double similarity = 0.8;
    int permutations = 1000;  // probe-label shuffles for the label's p
    std::uint64_t seed = 0;
    double chanceLevel = 0.05;  // a label is chance when its q is above this
};

struct SupernodeResult {
    std::vector<Supernode> supernodes;
    std::vector<std::string> concepts;
    std::size_t unitsWithSignatures = 0;
    std::vector<std::string> skipped;  // unit nodes whose layer is not in the store
    int permutations = 0;
};

// similarity in [-1, 1]: members of a group are at least this alike on average (average
// linkage on 1 - cosine, cut at 1 - similarity). Groups of one are not supernodes.
SupernodeResult findSupernodes(const AttributionGraph& graph, const ActivationStore& store,
                               const ProbeSet& probes, const SupernodeSettings& settings,
                               const JobContext& context = {});

// The "unitscope_supernode_evidence" field: {concepts, signature, label_null, permutations,
// supernodes: [{label, members, similarity, p_label, q_label, mean_activation}]}.
OrderedJson supernodeEvidenceJson(const std::vector<std::string>& concepts, int permutations,
                                  const std::vector<Supernode>& supernodes);

// The graph with the supernodes in qParams.supernodes ([label, ids...], replacing automatic
// ones from an earlier run, keeping hand-made ones) and their evidence in
// "unitscope_supernode_evidence".
AttributionGraph withSupernodes(const AttributionGraph& graph, const SupernodeResult& result);

}  // namespace us::analysis
