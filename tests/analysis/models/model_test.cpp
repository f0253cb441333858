// TorchScript tapping and the activation store, checked against PyTorch forward hooks.
#include <gtest/gtest.h>
#include <hdf5.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "analysis/core/hdf5_handle.h"
#include "analysis/core/npy.h"
#include "analysis/models/activation_store.h"
#include "analysis/models/extraction.h"
#include "analysis/models/script_model.h"
#include "tests/support/python_fixtures.h"

namespace fs = std::filesystem;
using namespace us::analysis;

namespace {

fs::path fixtures() {
    return us::test::pythonFixtures("make_model_fixtures.py", "model-fixtures");
}

std::vector<float> readReference(const std::string& dataset,
                                 std::vector<hsize_t>* dimsOut = nullptr) {
    H5ErrorSilencer silence;
    H5Handle file(
        H5Fopen((fixtures() / "reference.h5").string().c_str(), H5F_ACC_RDONLY, H5P_DEFAULT),
        H5Fclose);
    H5Handle data(H5Dopen2(file.get(), dataset.c_str(), H5P_DEFAULT), H5Dclose);
    if (!data.valid()) throw std::runtime_error("no reference " + dataset);
    H5Handle space(H5Dget_space(data.get()), H5Sclose);
    std::vector<hsize_t> dims(std::size_t(H5Sget_simple_extent_ndims(space.get())));
    H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
    std::vector<float> values(std::size_t(H5Sget_simple_extent_npoints(space.get())));
    H5Dread(data.get(), H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data());
    if (dimsOut) *dimsOut = dims;
    return values;
}

// max |a - b| / max |b|, the relative error.
double relativeError(const std::vector<float>& got, const std::vector<float>& expected) {
    EXPECT_EQ(got.size(), expected.size());
    double diff = 0, scale = 0;
    for (std::size_t i = 0; i < std::min(got.size(), expected.size()); ++i) {
        diff = std::max(diff, double(std::abs(got[i] - expected[i])));
        scale = std::max(scale, double(std::abs(expected[i])));
    }
    return scale > 0 ? diff / scale : diff;
}

struct Case {
    std::string group, model, input;
    std::vector<std::string> layers;
};

void PrintTo(const Case& c, std::ostream* os) {
    *os << c.group;
}

class TappingTest : public ::testing::TestWithParam<Case> {};

TEST_P(TappingTest, StoreMatchesPyTorchHooks) {
    const Case& c = GetParam();
    const fs::path out = fs::temp_directory_path() / ("us_tap_" + c.group + ".h5");
    ExtractionRequest request;
    request.model = fixtures() / c.model;
    request.stimuli = fixtures() / c.input;
    request.layers = c.layers;
    request.out = out;
    request.batchSize = 2;  // several batches, including a short last one
    NpyHeader header = readNpyHeader(request.stimuli);
    request.inputShape = std::vector<std::int64_t>(header.shape.begin() + 1, header.shape.end());
    const auto summary = extractActivations(request, {});
    EXPECT_EQ(summary.stored, header.shape[0]);

    const auto store = ActivationStore::open(out);
    ASSERT_EQ(store.count(), header.shape[0]);
    ASSERT_EQ(store.layers().size(), c.layers.size());
    for (const auto& layer : c.layers) {
        SCOPED_TRACE(layer);
        std::vector<hsize_t> dims;
        const auto mean = readReference("/" + c.group + "/" + layer + "/mean", &dims);
        const auto max = readReference("/" + c.group + "/" + layer + "/max");
        EXPECT_EQ(store.layer(layer).units, std::int64_t(dims.at(1)));
        EXPECT_LT(relativeError(store.layerMatrix(layer, Pooling::Mean).values, mean), 1e-4);
        EXPECT_LT(relativeError(store.layerMatrix(layer, Pooling::Max).values, max), 1e-4);
        const auto column = store.unitColumn(layer, 1, Pooling::Mean);
        for (std::size_t row = 0; row < column.size(); ++row)
            EXPECT_FLOAT_EQ(column[row], store.layerMatrix(layer).values[row * dims[1] + 1]);
    }
    // Predictions are the argmax of the model's output, as PyTorch computes it.
    std::vector<hsize_t> dims;
    const auto logits = readReference("/" + c.group + "/output", &dims);
    ASSERT_EQ(store.predictions().size(), dims[0]);
    for (hsize_t row = 0; row < dims[0]; ++row) {
        const auto* first = logits.data() + row * dims[1];
        EXPECT_EQ(store.predictions()[row], std::max_element(first, first + dims[1]) - first);
    }
    fs::remove(out);
}

INSTANTIATE_TEST_SUITE_P(
    Models, TappingTest,
    ::testing::Values(Case{"resnet18",
                           "resnet18_scripted.pt",
                           "resnet_input.npy",
                           {"conv1", "bn1", "layer1.0.bn2", "layer1.0", "layer2.1.conv2", "layer3",
                            "layer4.1.relu", "avgpool", "fc"}},
                      Case{"small_cnn",
                           "small_cnn_traced.pt",
                           "cnn_input.npy",
                           {"features.0", "features.2.bn", "features.2", "features.3", "head.1"}}),
    [](const auto& info) { return info.param.group; });

TEST(ScriptModel, RawOutputsHaveLayerShapes) {
    auto model = ScriptModel::load(fixtures() / "small_cnn_traced.pt");
    FloatArray batch{{2, 3, 32, 32}, std::vector<float>(2 * 3 * 32 * 32, 0.5f)};
    const auto outputs = model.run(batch, {"features.0", "head.1"});
    EXPECT_EQ(outputs[0].shape, (std::vector<std::int64_t>{2, 8, 32, 32}));
    EXPECT_EQ(outputs[1].shape, (std::vector<std::int64_t>{2, 5}));
    const auto layers = model.describeLayers({3, 32, 32});
    const auto head = std::find_if(layers.begin(), layers.end(),
                                   [](const LayerInfo& l) { return l.name == "head.1"; });
    ASSERT_NE(head, layers.end());
    EXPECT_EQ(head->type, "Linear");
    EXPECT_EQ(head->parameterCount, 8 * 16 * 16 * 5 + 5);
}

TEST(ScriptModel, NotTorchScriptIsAClearError) {
    try {
        ScriptModel::load(fixtures() / "not_a_model.pt");
        FAIL() << "expected an error";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("is not a TorchScript file"), std::string::npos);
    }
    EXPECT_THROW(ScriptModel::load(fixtures() / "missing.pt"), std::runtime_error);
}

TEST(ScriptModel, WrongInputSizeNamesBothShapes) {
    auto model = ScriptModel::load(fixtures() / "small_cnn_traced.pt");
    try {
        model.describeLayers({1, 32, 32});
        FAIL() << "expected an error";
    } catch (const std::runtime_error& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("[1, 1, 32, 32]"), std::string::npos) << what;
        EXPECT_NE(what.find("3 channels"), std::string::npos) << what;
        EXPECT_EQ(what.find("Traceback"), std::string::npos) << what;
    }
}

TEST(ScriptModel, UnknownLayerSuggestsNearestNames) {
    auto model = ScriptModel::load(fixtures() / "resnet18_scripted.pt");
    try {
        model.checkLayerNames({"layer4.1.conv9"});
        FAIL() << "expected an error";
    } catch (const std::invalid_argument& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("'layer4.1.conv9'"), std::string::npos);
        EXPECT_NE(what.find("layer4.1.conv1"), std::string::npos) << what;
    }
}

ExtractionRequest smallCnnRequest(const fs::path& stimuli, const fs::path& out) {
    ExtractionRequest request;
    request.model = fixtures() / "small_cnn_traced.pt";
    request.stimuli = stimuli;
    request.layers = {"features.0", "head.1"};
    request.out = out;
    return request;
}

bool nothingLeftIn(const fs::path& dir) {
    return fs::is_empty(dir);
}

TEST(Extraction, BadInputsLeaveNoFile) {
    const fs::path dir = fs::temp_directory_path() / "us_extract_errors";
    fs::remove_all(dir);
    fs::create_directories(dir);
    const fs::path out = dir / "acts.h5";
    const auto expectError = [&](ExtractionRequest request, const std::string& needle) {
        try {
            extractActivations(request, {});
            ADD_FAILURE() << "expected an error containing " << needle;
        } catch (const std::exception& e) {
            EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
        }
        EXPECT_TRUE(nothingLeftIn(dir));
    };
    expectError(smallCnnRequest(fixtures() / "wrong_dtype.npy", out), "float32");
    expectError(smallCnnRequest(fixtures() / "wrong_rank.npy", out), "N x C x H x W");
    expectError(smallCnnRequest(fixtures() / "resnet_input.npy", out), "[3, 64, 64]");
    expectError(smallCnnRequest(fixtures() / "short-images-idx3-ubyte", out), "fewer");
    auto unknownLayer = smallCnnRequest(fixtures() / "cnn_input.npy", out);
    unknownLayer.layers = {"features.9"};
    expectError(unknownLayer, "nearest names");
    auto notModel = smallCnnRequest(fixtures() / "cnn_input.npy", out);
    notModel.model = fixtures() / "not_a_model.pt";
    expectError(notModel, "not a TorchScript file");
}

TEST(Extraction, CancelLeavesNoFile) {
    const fs::path dir = fs::temp_directory_path() / "us_extract_cancel";
    fs::remove_all(dir);
    fs::create_directories(dir);
    auto request = smallCnnRequest(fixtures() / "cnn_input.npy", dir / "acts.h5");
    request.batchSize = 1;
    CancelToken token;
    int batches = 0;
    JobContext context(
        [&](double, const std::string& message) {
            if (message.find("stimuli") != std::string::npos && ++batches == 2) token.cancel();
        },
        token);
    EXPECT_THROW(extractActivations(request, context), JobCancelled);
    EXPECT_EQ(batches, 2);
    EXPECT_TRUE(nothingLeftIn(dir));
}

TEST(Extraction, UnreadableImagesAreSkippedAndListed) {
    const fs::path out = fs::temp_directory_path() / "us_extract_flat.h5";
    const auto summary = extractActivations(smallCnnRequest(fixtures() / "flat", out), {});
    EXPECT_EQ(summary.stored, 3);
    ASSERT_EQ(summary.skipped.size(), 1u);
    EXPECT_NE(summary.skipped[0].find("broken.png"), std::string::npos);
    const auto store = ActivationStore::open(out);
    EXPECT_EQ(store.count(), 3);
    EXPECT_EQ(store.stimuli().names, (std::vector<std::string>{"f0.png", "f1.png", "f2.png"}));
    EXPECT_EQ(store.stimuli().sourceIndex, (std::vector<std::int64_t>{1, 2, 3}));
    EXPECT_EQ(store.stimuli().labelNames, (std::vector<std::string>{"bag", "shoe"}));
    EXPECT_EQ(store.stimuli().labels, (std::vector<std::int32_t>{1, 0, 1}));
    EXPECT_EQ(store.stimuli().skipped.size(), 1u);
    EXPECT_EQ(store.provenance().inputShape, (std::vector<std::int64_t>{3, 32, 32}));
    EXPECT_EQ(store.provenance().modelSha256.size(), 64u);
    fs::remove(out);
}

TEST(ActivationStore, RefusesOtherFiles) {
    EXPECT_THROW(ActivationStore::open(fixtures() / "reference.h5"), std::runtime_error);
    EXPECT_THROW(ActivationStore::open(fixtures() / "cnn_input.npy"), std::runtime_error);
    EXPECT_THROW(ActivationStore::open(fixtures() / "missing.h5"), std::runtime_error);
}

}  // namespace
