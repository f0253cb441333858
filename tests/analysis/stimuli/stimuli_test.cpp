// Stimulus readers against pixels and labels written by Python (numpy, PIL).
#include <gtest/gtest.h>

#include "analysis/core/npy.h"
#include "analysis/models/input_spec.h"
#include "analysis/stimuli/stimulus_set.h"
#include "tests/support/python_fixtures.h"

namespace fs = std::filesystem;
using namespace us::analysis;

namespace {

fs::path fixtures() {
    return us::test::pythonFixtures("make_model_fixtures.py", "model-fixtures");
}

TEST(IdxStimuli, GzippedAndPlainMatchKnownPixelsAndLabels) {
    for (const char* name : {"tiny-images-idx3-ubyte.gz", "plain-images-idx3-ubyte"}) {
        SCOPED_TRACE(name);
        const auto set = openStimulusSet(fixtures() / name);
        EXPECT_EQ(set->kind(), "idx");
        ASSERT_EQ(set->size(), 7);
        for (int i = 0; i < 7; ++i) {
            const Image image = set->image(i);
            ASSERT_EQ(image.width, 4);
            ASSERT_EQ(image.height, 5);
            for (int r = 0; r < 5; ++r)
                for (int c = 0; c < 4; ++c)
                    EXPECT_EQ(image.at(c, r, 0), (i * 31 + r * 7 + c) % 256);
        }
    }
    const auto labelled = openStimulusSet(fixtures() / "tiny-images-idx3-ubyte.gz");
    EXPECT_EQ(labelled->labels(), (std::vector<std::int32_t>{0, 1, 2, 0, 1, 2, 0}));
    EXPECT_TRUE(openStimulusSet(fixtures() / "plain-images-idx3-ubyte")->labels().empty());
}

TEST(IdxStimuli, InconsistentSizesAreClearErrors) {
    for (const char* name : {"short-images-idx3-ubyte", "mismatch-images-idx3-ubyte"}) {
        SCOPED_TRACE(name);
        try {
            openStimulusSet(fixtures() / name);
            FAIL() << "expected an error";
        } catch (const std::runtime_error& e) {
            EXPECT_NE(std::string(e.what()).find("inconsistent sizes"), std::string::npos)
                << e.what();
        }
    }
    EXPECT_THROW(openStimulusSet(fixtures() / "reference.h5"), std::runtime_error);
    EXPECT_THROW(openStimulusSet(fixtures() / "nothing-here"), std::runtime_error);
}

TEST(FolderStimuli, ClassSubfoldersGiveLabelsNamesAndPixels) {
    const auto set = openStimulusSet(fixtures() / "folder");
    EXPECT_EQ(set->kind(), "image-folder");
    ASSERT_EQ(set->size(), 6);
    EXPECT_EQ(set->labelNames(), (std::vector<std::string>{"cat", "dog", "zebra"}));
    EXPECT_EQ(set->labels(), (std::vector<std::int32_t>{0, 0, 1, 1, 2, 2}));
    EXPECT_EQ(set->itemName(3), "dog/img1.png");
    const auto expected = readNpyAsDouble(fixtures() / "folder_pixels.npy");
    std::size_t offset = 0;
    for (int i = 0; i < 6; ++i) {
        const Image image = set->image(i);
        EXPECT_EQ(image.channels, 3);
        EXPECT_EQ(image.width, 9);
        EXPECT_EQ(image.height, 6 + i % 2);
        for (auto pixel : image.pixels)
            ASSERT_EQ(pixel, expected.at(offset++));
    }
    EXPECT_EQ(offset, expected.size());
}

TEST(FolderStimuli, FlatFolderReadsLabelsCsv) {
    const auto set = openStimulusSet(fixtures() / "flat");
    ASSERT_EQ(set->size(), 4);
    EXPECT_EQ(set->itemName(0), "broken.png");
    EXPECT_EQ(set->labelNames(), (std::vector<std::string>{"bag", "shoe"}));
    EXPECT_EQ(set->labels(), (std::vector<std::int32_t>{0, 1, 0, 1}));
    EXPECT_THROW(set->image(0), std::runtime_error);
    const Image grey = set->image(2);
    EXPECT_EQ(grey.channels, 1);
    EXPECT_EQ(grey.at(1, 1, 0), 50);
}

TEST(InputSpec, PreprocessingResizesConvertsAndNormalises) {
    Image grey{2, 2, 1, {0, 255, 255, 0}};
    InputSpec spec;
    spec.shape = {3, 2, 2};
    spec.mean = {0.5f, 0.5f, 0.5f};
    spec.std = {0.5f, 0.25f, 1.0f};
    std::vector<float> out(12);
    imageToModelInput(grey, spec, out.data());
    EXPECT_FLOAT_EQ(out[0], -1.0f);  // (0 - 0.5) / 0.5
    EXPECT_FLOAT_EQ(out[1], 1.0f);
    EXPECT_FLOAT_EQ(out[5], 2.0f);   // (1 - 0.5) / 0.25
    EXPECT_FLOAT_EQ(out[8], -0.5f);  // (0 - 0.5) / 1

    Image rgb{1, 1, 3, {255, 0, 0}};
    spec.shape = {1, 1, 1};
    spec.fitNormalisationToChannels();
    imageToModelInput(rgb, spec, out.data());
    EXPECT_NEAR(out[0], 0.299f, 1e-6);  // ITU-R 601 luma of pure red, mean 0, std 1
}

TEST(InputSpec, SidecarAndShapeParsing) {
    const auto spec = readModelSidecar(fixtures() / "small_cnn_traced.pt");
    ASSERT_TRUE(spec.has_value());
    EXPECT_EQ(spec->shape, (std::vector<std::int64_t>{3, 32, 32}));
    EXPECT_EQ(spec->labels.size(), 5u);
    EXPECT_FALSE(readModelSidecar(fixtures() / "resnet18_scripted.pt").has_value());
    EXPECT_EQ(parseInputShape("1,28,28"), (std::vector<std::int64_t>{1, 28, 28}));
    EXPECT_THROW(parseInputShape("1,28"), std::invalid_argument);
    EXPECT_THROW(parseInputShape("3,-1,5"), std::invalid_argument);
    EXPECT_THROW(parseInputShape("3,x,5"), std::invalid_argument);
}

TEST(Npy, RoundTripAndHostileHeaders) {
    const fs::path path = fs::temp_directory_path() / "us_roundtrip.npy";
    const std::vector<double> values{1.5, -2.0, 3.25, 4.0, 5.0, 6.0};
    writeNpy(path, std::span<const double>(values), {2, 3});
    NpyHeader header;
    EXPECT_EQ(readNpyAsDouble(path, &header), values);
    EXPECT_EQ(header.shape, (std::vector<std::int64_t>{2, 3}));
    EXPECT_EQ(header.dtype, "<f8");
    fs::resize_file(path, fs::file_size(path) - 8);
    EXPECT_THROW(readNpyHeader(path), std::runtime_error);
    fs::remove(path);
}

}  // namespace
