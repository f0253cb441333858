// Clustering against SciPy and scikit-learn on fixtures they computed in this test run, and
// treemap layout invariants on random hierarchies.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <numeric>
#include <random>
#include <set>

#include "analysis/clustering/cluster_label_nulls.h"
#include "analysis/clustering/cluster_tree.h"
#include "analysis/clustering/kmeans.h"
#include "analysis/clustering/linkage.h"
#include "analysis/clustering/nmf.h"
#include "analysis/clustering/treemap_layout.h"
#include "analysis/core/npy.h"
#include "analysis/statistics/hypergeometric.h"
#include "tests/support/python_fixtures.h"

namespace fs = std::filesystem;
using namespace us::analysis;

namespace {

fs::path fixtures() {
    return us::test::pythonFixtures("make_cluster_fixtures.py", "cluster-fixtures");
}

FloatArray loadMatrix(const std::string& name) {
    NpyHeader header;
    const auto values = readNpyAsDouble(fixtures() / name, &header);
    return {header.shape, std::vector<float>(values.begin(), values.end())};
}

nlohmann::json answers() {
    std::ifstream in(fixtures() / "answers.json");
    return nlohmann::json::parse(in);
}

// Two labelings describe the same partition (adjusted Rand index 1) iff the label pairs map
// one to one.
bool samePartition(const std::vector<std::int32_t>& a, const std::vector<std::int32_t>& b) {
    if (a.size() != b.size()) return false;
    std::map<std::int32_t, std::int32_t> ab, ba;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (ab.emplace(a[i], b[i]).first->second != b[i] ||
            ba.emplace(b[i], a[i]).first->second != a[i])
            return false;
    return true;
}

class LinkageTest : public ::testing::TestWithParam<std::string> {};

TEST_P(LinkageTest, MatchesScipyHeightsIdsAndFlatClusters) {
    const std::string method = GetParam();
    const auto x = loadMatrix("linkage_x.npy");
    const auto linkage = exactLinkage(x, parseLinkageMethod(method), {});
    const auto expected = readNpyAsDouble(fixtures() / ("linkage_" + method + ".npy"));
    ASSERT_EQ(linkage.rows.size(), expected.size());
    EXPECT_FALSE(linkage.approximate);
    std::vector<double> ours, theirs;
    for (std::size_t row = 0; row < expected.size() / 4; ++row) {
        ours.push_back(linkage.rows[row * 4 + 2]);
        theirs.push_back(expected[row * 4 + 2]);
        EXPECT_EQ(linkage.rows[row * 4 + 3], expected[row * 4 + 3]) << "size, row " << row;
    }
    std::sort(ours.begin(), ours.end());
    std::sort(theirs.begin(), theirs.end());
    for (std::size_t i = 0; i < ours.size(); ++i)
        EXPECT_NEAR(ours[i], theirs[i], 1e-9 * std::max(1.0, std::abs(theirs[i]))) << i;
    for (int k : {2, 5, 10, 30}) {
        const auto reference =
            readNpyAsDouble(fixtures() / ("fcluster_" + method + "_" + std::to_string(k) + ".npy"));
        EXPECT_TRUE(samePartition(cutLinkage(linkage, k),
                                  std::vector<std::int32_t>(reference.begin(), reference.end())))
            << "k = " << k;
    }
}

INSTANTIATE_TEST_SUITE_P(Methods, LinkageTest,
                         ::testing::Values("ward", "average", "complete", "single"));

TEST(Linkage, BadInputIsRefused) {
    EXPECT_THROW(parseLinkageMethod("centroid"), std::invalid_argument);
    EXPECT_THROW(exactLinkage(FloatArray{{1, 3}, {1, 2, 3}}, LinkageMethod::Ward, {}),
                 std::invalid_argument);
    EXPECT_THROW(exactLinkage(FloatArray{{2, 1}, {1, NAN}}, LinkageMethod::Ward, {}),
                 std::invalid_argument);
}

TEST(Linkage, TwoStageWardIsLabelledApproximateAndCoversEveryItem) {
    const auto x = loadMatrix("kmeans_x.npy");
    const auto linkage = twoStageWard(x, 50, 1, {});
    EXPECT_TRUE(linkage.approximate);
    EXPECT_LE(linkage.leaves, 50);
    EXPECT_EQ(linkage.leafOfItem.size(), std::size_t(x.shape[0]));
    EXPECT_EQ(linkage.at(linkage.leaves - 2, 3), double(x.shape[0]));  // root holds everyone
    for (std::int64_t row = 1; row < linkage.leaves - 1; ++row)
        EXPECT_LE(linkage.at(row - 1, 2), linkage.at(row, 2));
    // The 8 planted blobs come out as the top 8 clusters.
    const auto leafClusters = cutLinkage(linkage, 8);
    std::set<std::int32_t> distinct;
    for (auto leaf : linkage.leafOfItem)
        distinct.insert(leafClusters[std::size_t(leaf)]);
    EXPECT_EQ(distinct.size(), 8u);
}

TEST(KMeans, InertiaNoWorseThanScikitLearn) {
    const auto x = loadMatrix("kmeans_x.npy");
    KMeansOptions options;
    options.k = 8;
    options.restarts = 3;
    options.seed = 0;
    const auto result = kmeans(x, options, {});
    EXPECT_LE(result.inertia, 1.01 * answers().at("kmeans_inertia").get<double>());
    EXPECT_EQ(result.labels.size(), std::size_t(x.shape[0]));
    EXPECT_EQ(result.centroids.shape, (std::vector<std::int64_t>{8, 32}));
    EXPECT_THROW(kmeans(x, KMeansOptions{0, 1, 10, 1e-4, 0}, {}), std::invalid_argument);
}

TEST(Nmf, ReconstructionNoWorseThanScikitLearnFromTheSameStart) {
    FactorisationOptions options;
    options.k = 6;
    options.iterations = 200;
    options.initialW = loadMatrix("nmf_w0.npy");
    options.initialH = loadMatrix("nmf_h0.npy");
    const auto result = nmf(loadMatrix("nmf_x.npy"), options, {});
    EXPECT_LE(result.relativeError, 1.02 * answers().at("nmf_relative_error").get<double>());
    for (float v : result.w.values)
        EXPECT_GE(v, 0.0f);
    for (float v : result.h.values)
        EXPECT_GE(v, 0.0f);

    FactorisationOptions defaults;  // NNDSVDa start
    defaults.k = 6;
    EXPECT_LE(nmf(loadMatrix("nmf_x.npy"), defaults, {}).relativeError,
              1.02 * answers().at("nmf_relative_error").get<double>());
    EXPECT_THROW(nmf(loadMatrix("seminmf_x.npy"), defaults, {}), std::invalid_argument);
}

TEST(Nmf, SemiNmfApproachesTheBestRankKFit) {
    FactorisationOptions options;
    options.k = 4;
    options.iterations = 300;
    const auto result = semiNmf(loadMatrix("seminmf_x.npy"), options, {});
    const double best = answers().at("rank4_svd_relative_error").get<double>();
    EXPECT_GE(result.relativeError, best - 1e-6);  // nothing beats the SVD
    EXPECT_LE(result.relativeError, 1.25 * best);
    for (float v : result.w.values)
        EXPECT_GE(v, 0.0f);
}

// Random binary hierarchies with random leaf weights.
Linkage randomLinkage(std::int64_t n, std::mt19937& rng) {
    Linkage linkage;
    linkage.leaves = n;
    std::vector<std::int64_t> open(static_cast<std::size_t>(n));
    std::iota(open.begin(), open.end(), 0);
    for (std::int64_t row = 0; row < n - 1; ++row) {
        std::shuffle(open.begin(), open.end(), rng);
        const auto a = open.back();
        open.pop_back();
        const auto b = open.back();
        open.back() = n + row;
        linkage.rows.insert(linkage.rows.end(), {double(a), double(b), double(row), 0.0});
    }
    return linkage;
}

TEST(Treemap, ChildrenInsideParentsSiblingsDisjointAreasProportional) {
    std::mt19937 rng(5);
    for (int trial = 0; trial < 20; ++trial) {
        const std::int64_t n = 2 + trial * 37;
        const auto linkage = randomLinkage(n, rng);
        std::vector<double> weights(static_cast<std::size_t>(n));
        for (auto& w : weights)
            w = 1 + rng() % 50;
        for (auto tiling : {TreemapTiling::SliceDice, TreemapTiling::Squarify}) {
            const int depth = 1 + trial % 3;
            const auto cells = layoutTreemap(linkage, weights, 640, 480, tiling, depth);
            std::map<std::int64_t, const TreemapCell*> byId;
            std::map<std::int64_t, std::vector<const TreemapCell*>> children;
            for (const auto& c : cells) {
                byId[c.id] = &c;
                children[c.parent].push_back(&c);
            }
            double leafArea = 0;
            for (const auto& c : cells) {
                EXPECT_NEAR(c.w * c.h, 640.0 * 480.0 * c.size / byId.at(2 * n - 2)->size,
                            1e-9 * 640 * 480);
                if (c.id < n) leafArea += c.w * c.h;
                if (c.parent < 0) continue;
                const auto& p = *byId.at(c.parent);
                const double eps = 1e-9 * 640;
                EXPECT_GE(c.x, p.x - eps);
                EXPECT_GE(c.y, p.y - eps);
                EXPECT_LE(c.x + c.w, p.x + p.w + eps);
                EXPECT_LE(c.y + c.h, p.y + p.h + eps);
            }
            EXPECT_NEAR(leafArea, 640.0 * 480.0, 1e-6);
            for (const auto& [parent, siblings] : children)
                for (std::size_t i = 0; i < siblings.size(); ++i)
                    for (std::size_t j = i + 1; j < siblings.size(); ++j) {
                        const auto& a = *siblings[i];
                        const auto& b = *siblings[j];
                        const double overlapW = std::min(a.x + a.w, b.x + b.w) - std::max(a.x, b.x);
                        const double overlapH = std::min(a.y + a.h, b.y + b.h) - std::max(a.y, b.y);
                        EXPECT_FALSE(overlapW > 1e-9 && overlapH > 1e-9);
                    }
        }
    }
}

TEST(Treemap, RefusesBrokenLinkages) {
    Linkage bad;
    bad.leaves = 3;
    bad.rows = {0, 0, 1, 2, 1, 3, 2, 3};  // merges leaf 0 with itself
    EXPECT_THROW(layoutTreemap(bad, {}, 10, 10, TreemapTiling::SliceDice), std::invalid_argument);
    bad.rows = {0, 1, 1, 2, 7, 2, 2, 3};  // refers to a cluster that does not exist
    EXPECT_THROW(layoutTreemap(bad, {}, 10, 10, TreemapTiling::Squarify), std::invalid_argument);
}

}  // namespace

namespace {

TEST(ClusterTree, CountsPurityAccuracyRepresentativesAndMeans) {
    // Two tight groups on a line: items 0-3 near 0 (labels 0,0,0,1), items 4-5 near 10.
    const FloatArray x{{6, 1}, {0.0f, 0.1f, 0.2f, 0.35f, 10.0f, 10.2f}};
    const std::vector<std::int32_t> labels{0, 0, 0, 1, 1, 1};
    const std::vector<std::int32_t> predicted{0, 0, 1, 1, 1, 1};
    const auto tree = buildClusterTree(exactLinkage(x, LinkageMethod::Ward, {}), x, labels,
                                       predicted, {"a", "b"});
    const auto root = tree.root();
    EXPECT_EQ(tree.size[std::size_t(root)], 6.0);
    const auto left = tree.left(root), right = tree.right(root);
    const auto small = tree.size[std::size_t(left)] < tree.size[std::size_t(right)] ? left : right;
    const auto large = small == left ? right : left;
    EXPECT_EQ(tree.size[std::size_t(large)], 4.0);
    EXPECT_EQ(tree.majority[std::size_t(large)], 0);
    EXPECT_FLOAT_EQ(tree.purity[std::size_t(large)], 0.75f);
    EXPECT_FLOAT_EQ(tree.accuracy[std::size_t(large)], 0.75f);
    EXPECT_EQ(tree.majority[std::size_t(small)], 1);
    EXPECT_FLOAT_EQ(tree.purity[std::size_t(small)], 1.0f);
    // Centroid of the large group is 0.1625: nearest members 0.2, 0.1, then 0.0.
    EXPECT_EQ(tree.representatives[std::size_t(large)], (std::array<std::int64_t, 3>{2, 1, 0}));
    auto members = tree.members(large);
    std::sort(members.begin(), members.end());
    EXPECT_EQ(members, (std::vector<std::int64_t>{0, 1, 2, 3}));
    const auto means = tree.nodeMeans({1, 1, 1, 1, 5, 7});
    EXPECT_FLOAT_EQ(means[std::size_t(small)], 6.0f);
    EXPECT_FLOAT_EQ(means[std::size_t(root)], 16.0f / 6.0f);
}

}  // namespace

namespace {

TEST(Hypergeometric, UpperTailMatchesScipyAtTheEdges) {
    // scipy.stats.hypergeom.sf(k - 1, N, K, n), SciPy 1.10. lgamma near a million carries
    // about 1e-9 relative error into the probabilities.
    EXPECT_NEAR(hypergeometricUpperTail(1, 1000000, 3, 200000), 0.4880003840530032, 2e-9);
    EXPECT_NEAR(hypergeometricUpperTail(2, 50, 5, 10), 0.2581000207668636, 1e-12);
    EXPECT_NEAR(hypergeometricUpperTail(2000, 100000, 10000, 20000), 0.5044154037684886, 1e-9);
    // Far in the tail: tiny but not negative, and falling.
    const double far = hypergeometricUpperTail(5000, 100000, 10000, 20000);
    EXPECT_GE(far, 0.0);
    EXPECT_LT(far, 1e-100);
    EXPECT_EQ(hypergeometricUpperTail(0, 10, 3, 4), 1.0);  // at or below the support
    EXPECT_EQ(hypergeometricUpperTail(4, 10, 3, 4), 0.0);  // above it
    EXPECT_THROW(hypergeometricUpperTail(1, 10, 11, 4), std::invalid_argument);
}

TEST(ClusterLabelNulls, PureClustersBeatShuffledLabelsAndTheBudgetLowersShuffles) {
    // Two well separated groups of 30, one class each.
    std::vector<float> values;
    std::vector<std::int32_t> labels;
    for (int i = 0; i < 60; ++i) {
        values.push_back(float(i < 30 ? i % 7 : 100 + i % 7) * 0.01f + (i < 30 ? 0.f : 10.f));
        labels.push_back(i < 30 ? 0 : 1);
    }
    const FloatArray x{{60, 1}, values};
    const auto tree = buildClusterTree(exactLinkage(x, LinkageMethod::Ward, {}), x, labels, {}, {});
    const auto nulls = clusterLabelNulls(tree, labels, {200, 1});
    EXPECT_EQ(nulls.permutations, 200);
    const auto root = std::size_t(tree.root());
    EXPECT_EQ(nulls.purityP[root], 1.0);  // the root holds every item: always as pure
    for (auto child : {tree.left(tree.root()), tree.right(tree.root())}) {
        EXPECT_DOUBLE_EQ(nulls.purityP[std::size_t(child)], 1.0 / 201);
        EXPECT_LT(nulls.majorityP[std::size_t(child)], 1e-15);
    }
    // Each shuffle costs items + nodes x classes = 60 + 119 x 2 count updates.
    EXPECT_EQ(clusterLabelNulls(tree, labels, {1000, 1, 298.0 * 150, 99}).permutations, 150);
    EXPECT_EQ(clusterLabelNulls(tree, labels, {1000, 1, 298.0, 99}).permutations, 99);
    EXPECT_THROW(clusterLabelNulls(tree, {0, 1}), std::invalid_argument);
}

}  // namespace
