// Inspector statistics against numpy (corrcoef, histogram, class means), and the workspace's
// unit report on a real extraction.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "analysis/core/npy.h"
#include "analysis/models/model_workspace.h"
#include "analysis/models/script_model.h"
#include "analysis/models/unit_statistics.h"
#include "tests/support/python_fixtures.h"

namespace fs = std::filesystem;
using namespace us::analysis;

namespace {

fs::path fixtures() {
    return us::test::pythonFixtures("make_model_fixtures.py", "model-fixtures");
}

FloatArray statsMatrix() {
    NpyHeader header;
    const auto values = readNpyAsDouble(fixtures() / "stats_matrix.npy", &header);
    return {header.shape, std::vector<float>(values.begin(), values.end())};
}

std::vector<float> column(const FloatArray& m, std::int64_t c) {
    std::vector<float> out;
    for (std::int64_t r = 0; r < m.shape[0]; ++r)
        out.push_back(m.values[std::size_t(r * m.shape[1] + c)]);
    return out;
}

TEST(UnitStatistics, CorrelationsMatchNumpyCorrcoef) {
    const auto matrix = statsMatrix();
    const auto expected = readNpyAsDouble(fixtures() / "stats_corr.npy");
    const ProfileCorrelations correlations(matrix);
    const auto units = matrix.shape[1];
    for (std::int64_t a = 0; a < units; ++a)
        for (std::int64_t b = 0; b < units; ++b) {
            if (a == 9 || b == 9) continue;  // constant: numpy gives NaN, we give 0
            EXPECT_NEAR(correlations.correlation(a, b), expected[std::size_t(a * units + b)], 1e-5);
        }
    const auto similar = correlations.mostSimilar(2, 10);
    ASSERT_EQ(similar.size(), 10u);
    EXPECT_EQ(similar[0].unit, 5);
    for (std::size_t i = 1; i < similar.size(); ++i) {
        EXPECT_GE(similar[i - 1].correlation, similar[i].correlation);
        EXPECT_NE(similar[i].unit, 2);
    }
    EXPECT_EQ(correlations.correlation(9, 3), 0.0);
}

TEST(UnitStatistics, HistogramMatchesNumpy) {
    const auto values = column(statsMatrix(), 2);
    const auto h = histogram(values, 40);
    const auto counts = readNpyAsDouble(fixtures() / "stats_hist_counts.npy");
    const auto edges = readNpyAsDouble(fixtures() / "stats_hist_edges.npy");
    ASSERT_EQ(h.counts.size(), counts.size());
    for (std::size_t i = 0; i < counts.size(); ++i)
        EXPECT_EQ(double(h.counts[i]), counts[i]) << i;
    for (std::size_t i = 0; i < edges.size(); ++i)
        EXPECT_NEAR(h.edges[i], edges[i], 1e-6);
}

TEST(UnitStatistics, ClassMeansAndTopIndices) {
    const auto values = column(statsMatrix(), 2);
    const auto labelsD = readNpyAsDouble(fixtures() / "stats_labels.npy");
    const std::vector<std::int32_t> labels(labelsD.begin(), labelsD.end());
    const auto expected = readNpyAsDouble(fixtures() / "stats_class_means.npy");
    const auto means = classMeans(values, labels, 4);
    for (int c = 0; c < 4; ++c)
        EXPECT_NEAR(means[std::size_t(c)].mean, expected[std::size_t(c)], 1e-6);

    const auto top = topIndices(values, 16);
    ASSERT_EQ(top.size(), 16u);
    std::vector<float> sorted = values;
    std::sort(sorted.begin(), sorted.end(), std::greater<>());
    for (std::size_t i = 0; i < top.size(); ++i)
        EXPECT_EQ(values[std::size_t(top[i])], sorted[i]);
    EXPECT_EQ(topIndices({1.0f, NAN, 3.0f}, 3), (std::vector<std::int64_t>{2, 0, 1}));
}

TEST(ModelWorkspace, UnitReportHasSortedExemplarsImagesAndHeatmaps) {
    const fs::path out = fs::temp_directory_path() / "us_workspace.h5";
    ModelWorkspace workspace;
    workspace.openModel(fixtures() / "small_cnn_traced.pt", std::nullopt);
    workspace.openStimuli(fixtures() / "folder");
    const auto store = workspace.extract({"features.0", "head.1"}, out, 4, {});
    EXPECT_EQ(store.count, 6);
    EXPECT_EQ(store.labelNames, (std::vector<std::string>{"cat", "dog", "zebra"}));

    const auto report = workspace.inspect({"features.0", 3}, 4, Pooling::Mean, {});
    ASSERT_EQ(report.exemplars.size(), 4u);
    for (std::size_t i = 1; i < report.exemplars.size(); ++i)
        EXPECT_GE(report.exemplars[i - 1].value, report.exemplars[i].value);
    EXPECT_EQ(report.classMeans.size(), 3u);
    EXPECT_EQ(report.similar.size(), 7u);  // 8 units, all but itself
    EXPECT_TRUE(report.note.empty()) << report.note;

    // The heat map is the unit's channel for that image, and its mean is the stored value.
    auto model = ScriptModel::load(fixtures() / "small_cnn_traced.pt");
    for (const auto& exemplar : report.exemplars) {
        EXPECT_GT(exemplar.image.width, 0);
        ASSERT_EQ(exemplar.heatmap.shape, (std::vector<std::int64_t>{32, 32}));
        double mean = 0;
        for (float v : exemplar.heatmap.values)
            mean += v;
        EXPECT_NEAR(mean / 1024.0, exemplar.value, 1e-4);
    }
    const auto vectorReport = workspace.inspect({"head.1", 0}, 16, Pooling::Max, {});
    EXPECT_EQ(vectorReport.exemplars.size(), 6u);  // k is capped by the stimulus count
    EXPECT_TRUE(vectorReport.exemplars[0].heatmap.values.empty());
    EXPECT_THROW(workspace.inspect({"head.1", 5}, 4, Pooling::Mean, {}), std::out_of_range);
    EXPECT_THROW(workspace.inspect({"nope", 0}, 4, Pooling::Mean, {}), std::invalid_argument);

    // Reopening the store alone brings back its model and stimuli.
    ModelWorkspace reopened;
    reopened.openStore(out);
    EXPECT_TRUE(reopened.hasModel());
    EXPECT_TRUE(reopened.hasStimuli());
    EXPECT_EQ(reopened.inspect({"features.0", 3}, 4, Pooling::Mean, {}).exemplars[0].value,
              report.exemplars[0].value);
    fs::remove(out);
}

}  // namespace
