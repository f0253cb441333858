// The demo CNN: a short training run beats chance clearly, is deterministic for a seed, and
// its TorchScript export runs through ScriptModel like any user's model.
#include <gtest/gtest.h>

#include <filesystem>

#include "analysis/core/runtime_setup.h"
#include "analysis/demo/demo_data.h"
#include "analysis/demo/demo_model.h"
#include "analysis/models/input_spec.h"
#include "analysis/models/script_model.h"

namespace fs = std::filesystem;
using namespace us::analysis;

namespace {

TEST(DemoModel, ShortRunBeatsChanceDeterministicallyAndExports) {
    configureRuntime();  // as the app does: malloc tuning and all cores
    DemoTrainingOptions options;
    options.datasetDir = fashionMnistDir();
    options.maxSteps = 120;
    options.epochs = 1;
    const fs::path a = fs::temp_directory_path() / "us_demo_a";
    const fs::path b = fs::temp_directory_path() / "us_demo_b";
    fs::remove_all(a);
    fs::remove_all(b);
    const auto first = trainOrLoadDemoModel(a, options, {});
    EXPECT_FALSE(first.reused);
    EXPECT_EQ(first.steps, 120);
    EXPECT_GT(first.testAccuracy, 0.6);  // chance is 0.1

    const auto second = trainOrLoadDemoModel(b, options, {});
    EXPECT_EQ(second.testAccuracy, first.testAccuracy);

    auto modelA = ScriptModel::load(first.modelPath);
    auto modelB = ScriptModel::load(second.modelPath);
    FloatArray batch{{2, 1, 28, 28}, std::vector<float>(2 * 28 * 28)};
    for (std::size_t i = 0; i < batch.values.size(); ++i)
        batch.values[i] = float(i % 17) / 8.0f - 1.0f;
    EXPECT_EQ(modelA.runOutput(batch).values, modelB.runOutput(batch).values);
    EXPECT_EQ(modelA.run(batch, {"relu2"}).at(0).shape, (std::vector<std::int64_t>{2, 64, 14, 14}));

    const auto spec = readModelSidecar(first.modelPath);
    ASSERT_TRUE(spec.has_value());
    EXPECT_EQ(spec->shape, (std::vector<std::int64_t>{1, 28, 28}));
    EXPECT_EQ(spec->labels, fashionMnistClassNames());

    const auto reused = trainOrLoadDemoModel(a, options, {});
    EXPECT_TRUE(reused.reused);
    EXPECT_EQ(reused.testAccuracy, first.testAccuracy);

    CancelToken token;
    token.cancel();
    const fs::path c = fs::temp_directory_path() / "us_demo_c";
    fs::remove_all(c);
    EXPECT_THROW(trainOrLoadDemoModel(c, options, JobContext({}, token)), JobCancelled);
    EXPECT_FALSE(fs::exists(c / "demo_cnn.pt"));
    fs::remove_all(a);
    fs::remove_all(b);
}

}  // namespace
