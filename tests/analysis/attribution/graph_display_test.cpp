// What the graph panel shows of a graph: pruning with the nodes a user always wants,
// supernodes whose links are their members' sums, link shares, bands, the pinned subgraph.

#include <gtest/gtest.h>

#include <map>

#include "analysis/attribution/graph_display.h"
#include "analysis/core/base64.h"

namespace us::analysis {
namespace {

// e0 e1 (embeddings) -> a b c (layer 0) -> d (layer 1) -> L (logit); weights chosen so that
// c carries almost no influence.
AttributionGraph smallGraph() {
    return parseAttributionGraph(R"({"metadata":{"prompt_tokens":["The","cat"]},
        "qParams":{"pinnedIds":["b"],"supernodes":[],"clerps":[["d","edited d"]]},
        "nodes":[
          {"node_id":"e0","feature_type":"embedding","layer":"E","ctx_idx":0},
          {"node_id":"e1","feature_type":"embedding","layer":"E","ctx_idx":1},
          {"node_id":"a","feature_type":"cross layer transcoder","layer":"0","ctx_idx":0,"clerp":"alpha"},
          {"node_id":"b","feature_type":"cross layer transcoder","layer":"0","ctx_idx":1},
          {"node_id":"c","feature_type":"mlp reconstruction error","layer":"0","ctx_idx":1},
          {"node_id":"d","feature_type":"cross layer transcoder","layer":"1","ctx_idx":1},
          {"node_id":"L","feature_type":"logit","layer":"2","ctx_idx":1,"token_prob":1,"is_target_logit":true}],
        "links":[
          {"source":"e0","target":"a","weight":1.0},{"source":"e1","target":"b","weight":2.0},
          {"source":"e1","target":"c","weight":0.001},
          {"source":"a","target":"d","weight":3.0},{"source":"b","target":"d","weight":-1.0},
          {"source":"c","target":"d","weight":0.0001},
          {"source":"a","target":"L","weight":0.5},{"source":"d","target":"L","weight":4.0}]})",
                                 "small");
}

std::map<std::string, const DisplayNode*> byId(const GraphDisplay& display) {
    std::map<std::string, const DisplayNode*> nodes;
    for (const auto& node : display.nodes)
        nodes[node.id] = &node;
    return nodes;
}

double linkWeight(const GraphDisplay& display, const std::string& from, const std::string& to) {
    for (const auto& link : display.links)
        if (display.nodes[link.source].id == from && display.nodes[link.target].id == to)
            return link.weight;
    return 0;
}

TEST(GraphDisplay, BandsColumnsLabelsAndShares) {
    const auto graph = smallGraph();
    const auto display = displayGraph(graph, graphEdits(graph), nullptr, {});
    EXPECT_TRUE(display.languageModel);
    ASSERT_EQ(display.nodes.size(), 7u);
    const auto nodes = byId(display);
    EXPECT_EQ(nodes.at("e0")->band, 0);
    EXPECT_EQ(nodes.at("a")->band, 1);
    EXPECT_EQ(nodes.at("d")->band, 2);
    EXPECT_EQ(nodes.at("L")->band, 3);
    EXPECT_EQ(nodes.at("b")->column, 1);
    EXPECT_EQ(display.bandNames, (std::vector<std::string>{"Emb", "L0", "L1", "Logits"}));
    EXPECT_EQ(display.columnNames, (std::vector<std::string>{"The", "cat"}));
    EXPECT_EQ(nodes.at("a")->label, "alpha");
    EXPECT_EQ(nodes.at("d")->label, "edited d");
    EXPECT_EQ(nodes.at("c")->kind, DisplayKind::Error);
    EXPECT_TRUE(nodes.at("b")->pinned);
    // d's inputs: |3| + |-1| + |0.0001|; shares of one target add up to 1.
    std::map<std::size_t, double> total;
    for (const auto& link : display.links)
        total[link.target] += link.share;
    for (const auto& [target, sum] : total)
        EXPECT_NEAR(sum, 1.0, 1e-12);
    for (const auto& link : display.links) {
        if (display.nodes[link.source].id == "a" && display.nodes[link.target].id == "d") {
            EXPECT_NEAR(link.share, 3.0 / 4.0001, 1e-12);
        }
    }
}

TEST(GraphDisplay, PruningKeepsInputsTargetsPinnedAndSelected) {
    const auto graph = smallGraph();
    DisplayOptions options;
    options.pruning = {0.5, 0.9};
    const auto pruned = pruneGraph(graph, options.pruning);
    auto display = displayGraph(graph, graphEdits(graph), &pruned, options);
    auto nodes = byId(display);
    EXPECT_FALSE(nodes.count("c")) << "the near-zero error node is pruned";
    for (const char* id : {"e0", "e1", "L", "b"})  // inputs, the target, the pinned node
        EXPECT_TRUE(nodes.count(id)) << id;
    options.alwaysShown = {"c"};
    display = displayGraph(graph, graphEdits(graph), &pruned, options);
    EXPECT_TRUE(byId(display).count("c")) << "a selected node is always shown";
    for (const auto& link : display.links)  // links only where pruning kept them
        EXPECT_FALSE(display.nodes[link.source].id == "c" && display.nodes[link.target].id == "d");
}

TEST(GraphDisplay, SupernodeLinksAreTheSumsOfTheirMembers) {
    const auto graph = smallGraph();
    auto edits = graphEdits(graph);
    edits.supernodes.push_back({"a and b", "a", "b"});
    const auto display = displayGraph(graph, edits, nullptr, {});
    const auto nodes = byId(display);
    EXPECT_FALSE(nodes.count("a"));
    EXPECT_FALSE(nodes.count("b"));
    ASSERT_TRUE(nodes.count("supernode:a"));
    const auto& group = *nodes.at("supernode:a");
    EXPECT_EQ(group.kind, DisplayKind::Supernode);
    EXPECT_EQ(group.label, "a and b");
    EXPECT_EQ(group.members.size(), 2u);
    EXPECT_TRUE(group.pinned) << "b is pinned";
    EXPECT_DOUBLE_EQ(linkWeight(display, "supernode:a", "d"), 3.0 - 1.0);
    EXPECT_DOUBLE_EQ(linkWeight(display, "e0", "supernode:a"), 1.0);
    EXPECT_DOUBLE_EQ(linkWeight(display, "e1", "supernode:a"), 2.0);
    EXPECT_DOUBLE_EQ(linkWeight(display, "supernode:a", "L"), 0.5);
}

TEST(GraphDisplay, PinnedSubgraphShowsOnlyPinnedNodesAndTheirLinks) {
    const auto graph = smallGraph();
    auto edits = graphEdits(graph);
    edits.pinned = {"b", "d"};
    DisplayOptions options;
    options.pinnedOnly = true;
    const auto display = displayGraph(graph, edits, nullptr, options);
    ASSERT_EQ(display.nodes.size(), 2u);
    ASSERT_EQ(display.links.size(), 1u);
    EXPECT_DOUBLE_EQ(display.links[0].weight, -1.0);
}

TEST(GraphDisplay, EditsRoundTripThroughQParams) {
    auto graph = smallGraph();
    GraphEdits edits;
    edits.pinned = {"a", "L"};
    edits.supernodes = {{"group", "b", "c"}};
    edits.labels = {{"a", "renamed"}};
    setGraphEdits(graph, edits);
    const auto again = parseAttributionGraph(attributionGraphJson(graph), "again");
    EXPECT_EQ(graphEdits(again), edits);
}

TEST(Base64, RoundTripsAndRefusesGarbage) {
    for (std::size_t n = 0; n < 10; ++n) {
        std::vector<std::uint8_t> bytes;
        for (std::size_t i = 0; i < n; ++i)
            bytes.push_back(std::uint8_t(37 * i + 250));
        EXPECT_EQ(base64Decode(base64Encode(bytes)), bytes);
    }
    EXPECT_EQ(base64Encode({'M', 'a', 'n'}), "TWFu");
    EXPECT_EQ(base64Encode({'M'}), "TQ==");
    EXPECT_FALSE(base64Decode("TQ="));
    EXPECT_FALSE(base64Decode("T*=="));
    EXPECT_FALSE(base64Decode("TQ==TWFu"));
}

}  // namespace
}  // namespace us::analysis
