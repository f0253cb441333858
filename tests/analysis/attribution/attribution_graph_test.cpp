// circuit-tracer's graph JSON both ways, hostile files, and pruning against a dense
// python3-torch implementation of circuit-tracer's prune_graph on random DAGs.

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <set>

#include "analysis/attribution/attribution_graph.h"
#include "analysis/attribution/graph_pruning.h"
#include "tests/support/python_fixtures.h"

namespace us::analysis {
namespace {

namespace fs = std::filesystem;

const fs::path& fixtures() {
    static const fs::path dir =
        us::test::pythonFixtures("make_graph_fixtures.py", "graph-fixtures");
    return dir;
}

std::vector<std::string> cases() {
    return nlohmann::json::parse(std::ifstream(fixtures() / "cases.json"))
        .get<std::vector<std::string>>();
}

TEST(GraphPruning, MatchesCircuitTracersAlgorithmOnRandomDags) {
    for (const auto& name : cases()) {
        SCOPED_TRACE(name);
        const auto graph = readAttributionGraph(fixtures() / (name + ".json"));
        const auto expected =
            nlohmann::json::parse(std::ifstream(fixtures() / (name + ".pruned.json")));
        PruneOptions options;
        options.nodeThreshold = expected["node_threshold"].get<double>();
        options.edgeThreshold = expected["edge_threshold"].get<double>();
        const auto pruned = applyPruning(graph, pruneGraph(graph, options), options);
        std::vector<std::string> kept;
        for (const auto& node : pruned.nodes)
            kept.push_back(node.id);
        EXPECT_EQ(kept, expected["kept"].get<std::vector<std::string>>());
        std::set<std::vector<std::string>> links;
        for (const auto& link : pruned.links)
            links.insert({pruned.nodes[link.source].id, pruned.nodes[link.target].id});
        const auto want = expected["links"].get<std::vector<std::vector<std::string>>>();
        EXPECT_EQ(links, std::set<std::vector<std::string>>(want.begin(), want.end()));
        for (const auto& node : pruned.nodes) {
            ASSERT_TRUE(node.influence.has_value());
            EXPECT_NEAR(*node.influence, expected["influence"][node.id].get<double>(), 1e-9);
        }
        // Inputs and logits always stay.
        for (const auto& node : graph.nodes)
            if (node.isInput() || node.isLogit()) {
                EXPECT_TRUE(pruned.indexOf(node.id).has_value());
            }
    }
}

TEST(GraphPruning, RefusesCyclesAndBadThresholds) {
    const auto cyclic = parseAttributionGraph(R"({"nodes":[
        {"node_id":"a","feature_type":"cross layer transcoder"},
        {"node_id":"b","feature_type":"cross layer transcoder"},
        {"node_id":"L","feature_type":"logit","token_prob":1}],
        "links":[{"source":"a","target":"b","weight":1},{"source":"b","target":"a","weight":1},
                 {"source":"b","target":"L","weight":1}]})",
                                              "cyclic");
    EXPECT_THROW(pruneGraph(cyclic), std::invalid_argument);
    PruneOptions bad;
    bad.nodeThreshold = 1.5;
    EXPECT_THROW(pruneGraph(cyclic, bad), std::invalid_argument);
    const auto noLogit = parseAttributionGraph(
        R"({"nodes":[{"node_id":"a","feature_type":"embedding"}],"links":[]})", "no logit");
    EXPECT_THROW(pruneGraph(noLogit), std::invalid_argument);
}

TEST(GraphJson, LinksMayComeFirstAndKeepTheirOwnFields) {
    const auto graph = parseAttributionGraph(
        R"({"links":[{"weight":-2,"target":"b","note":{"why":[1,{"deep":null}]},"source":"a"}],
            "extra":true,
            "nodes":[{"node_id":"a","feature_type":"embedding"},
                     {"node_id":"b","feature_type":"logit","token_prob":1}]})",
        "links first");
    ASSERT_EQ(graph.links.size(), 1u);
    EXPECT_EQ(graph.links[0].source, 0u);
    EXPECT_EQ(graph.links[0].target, 1u);
    EXPECT_EQ(graph.links[0].weight, -2.0);
    const auto written = nlohmann::ordered_json::parse(attributionGraphJson(graph));
    EXPECT_EQ(written["links"][0]["note"],
              nlohmann::ordered_json::parse(R"({"why":[1,{"deep":null}]})"));
    EXPECT_EQ(written["links"][0]["weight"], -2.0);
    EXPECT_EQ(written["extra"], true);
}

TEST(GraphJson, ReadingReportsProgressAndCanBeCancelled) {
    std::string text =
        R"({"nodes":[{"node_id":"a","feature_type":"logit","token_prob":1}],"links":[)";
    while (text.size() < (10u << 20))
        text += R"({"source":"a","target":"a","weight":0.5},)";
    text += R"({"source":"a","target":"a","weight":0.5}]})";
    std::vector<double> fractions;
    CancelToken cancel;
    const JobContext job([&](double f, const std::string&) { fractions.push_back(f); }, cancel);
    EXPECT_GT(parseAttributionGraph(text, "big", job).links.size(), 200000u);
    ASSERT_GE(fractions.size(), 2u);
    EXPECT_TRUE(std::is_sorted(fractions.begin(), fractions.end()));
    cancel.cancel();
    EXPECT_THROW(parseAttributionGraph(text, "big", job), JobCancelled);
}

TEST(GraphJson, RoundTripKeepsEveryFieldAndIsStable) {
    const auto path = fixtures() / "random0.json";
    const auto original = nlohmann::ordered_json::parse(std::ifstream(path));
    const auto graph = readAttributionGraph(path);
    const std::string first = attributionGraphJson(graph);
    const std::string second = attributionGraphJson(parseAttributionGraph(first, "first"));
    EXPECT_EQ(first, second);
    const auto written = nlohmann::ordered_json::parse(first);
    EXPECT_EQ(written["metadata"], original["metadata"]);
    EXPECT_EQ(written["extra_top_level"], original["extra_top_level"]);
    EXPECT_EQ(written["qParams"]["pinnedIds"], original["qParams"]["pinnedIds"]);
    ASSERT_EQ(written["nodes"].size(), original["nodes"].size());
    for (std::size_t i = 0; i < original["nodes"].size(); ++i) {
        const auto& before = original["nodes"][i];
        const auto& after = written["nodes"][i];
        for (const auto& [key, value] : before.items())
            EXPECT_EQ(after[key], value) << key;
        for (const char* key : {"node_id", "feature", "layer", "ctx_idx", "feature_type",
                                "token_prob", "is_target_logit", "run_idx", "reverse_ctx_idx",
                                "jsNodeId", "clerp", "influence", "activation"})
            EXPECT_TRUE(after.contains(key)) << key;
    }
    EXPECT_EQ(written["links"], original["links"]);
}

TEST(GraphJson, HostileFilesGiveOneClearError) {
    const std::string node = R"({"node_id":"a","feature_type":"embedding"})";
    const std::vector<std::pair<std::string, std::string>> hostile{
        {"not json", "valid JSON"},
        {"[]", "JSON object"},
        {R"({"nodes":[]})", "'links'"},
        {R"({"nodes":{},"links":[]})", "'nodes'"},
        {R"({"nodes":[{"feature_type":"logit"}],"links":[]})", "node_id"},
        {R"({"nodes":[{"node_id":"a","feature_type":"logit","ctx_idx":"zero"}],"links":[]})",
         "ctx_idx"},
        {R"({"nodes":[)" + node + "," + node + R"(],"links":[]})", "two nodes"},
        {R"({"nodes":[)" + node + R"(],"links":[{"source":"a","target":"zz","weight":1}]})",
         "not a node"},
        {R"({"nodes":[)" + node + R"(],"links":[{"source":"a","target":"a","weight":1e308}]})",
         "finite"},
        {R"({"nodes":[)" + node + R"(],"links":[{"source":"a","target":"a","weight":"NaN"}]})",
         "number"},
        {R"({"nodes":[)" + node + R"(],"links":[{"source":"a","target":"a"}]})", "weight"},
        {R"({"qParams":{"pinnedIds":[1]},"nodes":[],"links":[]})", "pinnedIds"},
        {R"({"metadata":)" + std::string(200, '[') + std::string(200, ']') +
             R"(,"nodes":[],"links":[]})",
         "nested"},
        {R"({"metadata":{"x":")" + std::string(2 << 20, 'x') + R"("},"nodes":[],"links":[]})",
         "1 MiB"},
        {R"({"nodes":[)" + node + R"(],"links":[{"sou)", "valid JSON"},  // truncated
        {R"({"nodes":[)" + node + R"(],"links":[{"source":{"a":1},"target":"a","weight":1}]})",
         "no string 'source'"},
        {R"({"nodes":[)" + node + R"(],"links":[["a","a",1]]})", "link 0 is not an object"},
        {R"({"nodes":[)" + node + R"(],"links":[{"source":"a","target":"a","weight":1},7]})",
         "link 1 is not an object"},
        {R"({"links":[],"nodes":[)" + node + R"(],"metadata":3})", "'metadata'"},
    };
    for (const auto& [text, expected] : hostile) {
        try {
            parseAttributionGraph(text, "hostile.json");
            ADD_FAILURE() << "accepted: " << text.substr(0, 80);
        } catch (const std::runtime_error& error) {
            const std::string message = error.what();
            EXPECT_NE(message.find("hostile.json"), std::string::npos) << message;
            EXPECT_NE(message.find(expected), std::string::npos) << message;
            EXPECT_EQ(message.find('\n'), std::string::npos) << message;
        }
    }
    EXPECT_THROW(readAttributionGraph("/nonexistent/graph.json"), std::runtime_error);
}

}  // namespace
}  // namespace us::analysis
