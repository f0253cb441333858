#include "analysis/attribution/graph_pruning.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

namespace us::analysis {

namespace {

// Rows are targets; each row holds (source, value). The adjacency's transpose is never
// needed: influence flows from a row to its sources.
struct SparseRows {
    std::vector<std::size_t> start;  // n + 1 offsets
    std::vector<std::size_t> column;
    std::vector<double> value;

    std::size_t rows() const { return start.size() - 1; }
};

SparseRows adjacency(const AttributionGraph& graph) {
    const std::size_t n = graph.nodes.size();
    std::vector<std::size_t> order(graph.links.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        const auto& x = graph.links[a];
        const auto& y = graph.links[b];
        return x.target != y.target ? x.target < y.target : x.source < y.source;
    });
    SparseRows m;
    m.start.assign(n + 1, 0);
    for (std::size_t k = 0; k < order.size(); ++k) {
        const auto& link = graph.links[order[k]];
        const bool repeat = k > 0 && graph.links[order[k - 1]].target == link.target &&
                            graph.links[order[k - 1]].source == link.source;
        if (repeat) {
            m.value.back() += link.weight;
            continue;
        }
        m.column.push_back(link.source);
        m.value.push_back(link.weight);
        ++m.start[link.target + 1];
    }
    for (std::size_t i = 0; i < n; ++i)
        m.start[i + 1] += m.start[i];
    return m;
}

// |A| with each row divided by its sum (at least 1e-10), as normalize_matrix does.
SparseRows normalised(SparseRows m) {
    for (std::size_t r = 0; r < m.rows(); ++r) {
        double sum = 0;
        for (auto k = m.start[r]; k < m.start[r + 1]; ++k)
            sum += std::abs(m.value[k]);
        sum = std::max(sum, 1e-10);
        for (auto k = m.start[r]; k < m.start[r + 1]; ++k)
            m.value[k] = std::abs(m.value[k]) / sum;
    }
    return m;
}

// w A + w A^2 + ... until the series ends (the graph is a DAG).
std::vector<double> influenceOf(const SparseRows& a, const std::vector<double>& weights) {
    const std::size_t n = a.rows();
    std::vector<double> current(n, 0.0), next(n, 0.0), total(n, 0.0);
    const auto step = [&](const std::vector<double>& from, std::vector<double>& to) {
        std::fill(to.begin(), to.end(), 0.0);
        bool any = false;
        for (std::size_t r = 0; r < n; ++r) {
            if (from[r] == 0) continue;
            for (auto k = a.start[r]; k < a.start[r + 1]; ++k) {
                to[a.column[k]] += from[r] * a.value[k];
                any = true;
            }
        }
        return any && std::any_of(to.begin(), to.end(), [](double v) { return v != 0; });
    };
    bool nonzero = step(weights, current);
    total = current;
    for (int iteration = 0; nonzero; ++iteration) {
        if (iteration >= 1000)
            throw std::invalid_argument(
                "the graph's influence does not converge: its links form a cycle");
        nonzero = step(current, next);
        for (std::size_t i = 0; i < n; ++i)
            total[i] += next[i];
        std::swap(current, next);
    }
    return total;
}

// find_threshold: the score at which the sorted scores' cumulative share reaches threshold.
// `zeros` counts scores equal to zero that the dense original would also sort (they can only
// be reached when rounding keeps the share just under the threshold).
double scoreThreshold(std::vector<double> scores, double threshold, std::size_t zeros = 0) {
    std::sort(scores.begin(), scores.end(), std::greater<>());
    const double total = std::accumulate(scores.begin(), scores.end(), 0.0);
    const std::size_t count = scores.size() + zeros;
    if (count == 0) return 0;
    if (!(total > 0)) return scores.empty() ? 0.0 : std::min(0.0, scores.back());
    double cumulative = 0;
    for (std::size_t i = 0; i < scores.size(); ++i) {
        cumulative += scores[i];
        if (cumulative / total >= threshold) return scores[i];
    }
    return 0.0;  // past the non-zero scores: the zeros (or the last one)
}

}  // namespace

PruneResult pruneGraph(const AttributionGraph& graph, const PruneOptions& options) {
    if (!(options.nodeThreshold >= 0 && options.nodeThreshold <= 1))
        throw std::invalid_argument("the node threshold must be between 0 and 1");
    if (!(options.edgeThreshold >= 0 && options.edgeThreshold <= 1))
        throw std::invalid_argument("the edge threshold must be between 0 and 1");
    const std::size_t n = graph.nodes.size();
    std::vector<double> logitWeights(n, 0.0);
    double weightSum = 0;
    bool anyLogit = false;
    for (std::size_t i = 0; i < n; ++i)
        if (graph.nodes[i].isLogit()) {
            anyLogit = true;
            logitWeights[i] = graph.nodes[i].tokenProb;
            weightSum += logitWeights[i];
        }
    if (!anyLogit) throw std::invalid_argument("the graph has no logit (target) node to prune for");
    if (weightSum == 0)
        for (std::size_t i = 0; i < n; ++i)
            logitWeights[i] = graph.nodes[i].isLogit() && graph.nodes[i].isTargetLogit ? 1.0 : 0.0;

    const auto a = adjacency(graph);
    PruneResult result;
    result.influence = influenceOf(normalised(a), logitWeights);

    // Nodes: by cumulative influence; inputs and logits always stay.
    const double nodeCut = scoreThreshold(result.influence, options.nodeThreshold);
    const auto alwaysKept = [&](std::size_t i) {
        return graph.nodes[i].isInput() || graph.nodes[i].isLogit();
    };
    const auto isFeature = [&](std::size_t i) {
        return !alwaysKept(i) && !graph.nodes[i].isError();
    };
    std::vector<bool> kept(n);
    for (std::size_t i = 0; i < n; ++i)
        kept[i] = alwaysKept(i) || result.influence[i] >= nodeCut;

    // Edges: the adjacency among kept nodes, renormalised; score = share x target influence.
    SparseRows pruned = a;
    for (std::size_t r = 0; r < n; ++r)
        for (auto k = pruned.start[r]; k < pruned.start[r + 1]; ++k)
            if (!kept[r] || !kept[pruned.column[k]]) pruned.value[k] = 0;
    const auto share = normalised(pruned);
    auto targetInfluence = influenceOf(share, logitWeights);
    for (std::size_t i = 0; i < n; ++i)
        targetInfluence[i] += logitWeights[i];
    std::vector<double> edgeScore(share.value.size());
    std::vector<double> nonzero;
    for (std::size_t r = 0; r < n; ++r)
        for (auto k = share.start[r]; k < share.start[r + 1]; ++k) {
            edgeScore[k] = share.value[k] * targetInfluence[r];
            if (edgeScore[k] != 0) nonzero.push_back(edgeScore[k]);
        }
    const double edgeCut = scoreThreshold(nonzero, options.edgeThreshold, n * n - nonzero.size());
    // A cut at zero keeps every pair, linked or not (the dense mask is all true).
    const bool everyPair = edgeCut <= 0;
    std::vector<bool> edgeKept(edgeScore.size());
    for (std::size_t k = 0; k < edgeScore.size(); ++k)
        edgeKept[k] = everyPair || edgeScore[k] >= edgeCut;

    // Drop features and errors without kept outgoing edges and features without incoming
    // ones, until nothing changes.
    if (!everyPair) {
        for (bool changed = true; changed;) {
            std::vector<bool> out(n, false), in(n, false);
            for (std::size_t r = 0; r < n; ++r)
                for (auto k = share.start[r]; k < share.start[r + 1]; ++k)
                    if (edgeKept[k]) {
                        out[share.column[k]] = true;
                        in[r] = true;
                    }
            changed = false;
            for (std::size_t i = 0; i < n; ++i) {
                if (alwaysKept(i) || !kept[i]) continue;
                if (!out[i] || (isFeature(i) && !in[i])) {
                    kept[i] = false;
                    changed = true;
                }
            }
            if (!changed) break;
            for (std::size_t r = 0; r < n; ++r)
                for (auto k = share.start[r]; k < share.start[r + 1]; ++k)
                    if (!kept[r] || !kept[share.column[k]]) edgeKept[k] = false;
        }
    }
    result.nodeKept = kept;

    // Links map onto the merged (target, source) entries.
    result.linkKept.assign(graph.links.size(), false);
    for (std::size_t i = 0; i < graph.links.size(); ++i) {
        const auto& link = graph.links[i];
        const auto begin = share.column.begin() + std::ptrdiff_t(share.start[link.target]);
        const auto end = share.column.begin() + std::ptrdiff_t(share.start[link.target + 1]);
        const auto found = std::lower_bound(begin, end, link.source);
        const auto k = std::size_t(found - share.column.begin());
        result.linkKept[i] = edgeKept[k] && kept[link.source] && kept[link.target];
    }

    // circuit-tracer's cumulative scores: each node's share of the sorted influence so far.
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
        return result.influence[x] > result.influence[y];
    });
    const double total = std::accumulate(result.influence.begin(), result.influence.end(), 0.0);
    result.cumulativeScore.assign(n, 0.0);
    double cumulative = 0;
    for (auto i : order) {
        cumulative += result.influence[i];
        result.cumulativeScore[i] = total > 0 ? cumulative / total : 0.0;
    }
    return result;
}

AttributionGraph applyPruning(const AttributionGraph& graph, const PruneResult& result,
                              const PruneOptions& options) {
    AttributionGraph out;
    out.metadata = graph.metadata;
    out.metadata["node_threshold"] = options.nodeThreshold;
    out.metadata["edge_threshold"] = options.edgeThreshold;
    out.qParams = graph.qParams;
    out.otherFields = graph.otherFields;
    std::vector<std::size_t> newIndex(graph.nodes.size(), SIZE_MAX);
    for (std::size_t i = 0; i < graph.nodes.size(); ++i) {
        if (!result.nodeKept[i]) continue;
        newIndex[i] = out.nodes.size();
        auto node = graph.nodes[i];
        node.influence = result.cumulativeScore[i];
        out.nodes.push_back(std::move(node));
    }
    for (std::size_t i = 0; i < graph.links.size(); ++i) {
        if (!result.linkKept[i]) continue;
        auto link = graph.links[i];
        link.source = newIndex[link.source];
        link.target = newIndex[link.target];
        out.links.push_back(std::move(link));
    }
    const auto keptId = [&](const std::string& id) {
        const auto index = graph.indexOf(id);
        return index && result.nodeKept[*index];
    };
    if (out.qParams.contains("pinnedIds")) {
        OrderedJson pinned = OrderedJson::array();
        for (const auto& id : graph.pinnedIds())
            if (keptId(id)) pinned.push_back(id);
        out.qParams["pinnedIds"] = std::move(pinned);
    }
    if (out.qParams.contains("supernodes")) {
        OrderedJson groups = OrderedJson::array();
        for (const auto& group : graph.supernodes()) {
            OrderedJson members = OrderedJson::array({group.front()});
            for (std::size_t k = 1; k < group.size(); ++k)
                if (keptId(group[k])) members.push_back(group[k]);
            if (members.size() > 1) groups.push_back(std::move(members));
        }
        out.qParams["supernodes"] = std::move(groups);
    }
    return out;
}

}  // namespace us::analysis
