// Bringing images to the model's input: torchvision's evaluation transform (shorter side, then
// centre crop) against stretching, on an image whose content tells the two apart.

#include <gtest/gtest.h>

#include "analysis/models/input_spec.h"

namespace {

using us::analysis::Image;
using us::analysis::InputSpec;
using us::analysis::ResizeMode;

// 400 x 200 grey, white in the leftmost quarter (x < 100), black elsewhere.
Image leftStripe() {
    Image image;
    image.width = 400;
    image.height = 200;
    image.channels = 1;
    image.pixels.assign(std::size_t(image.width * image.height), 0);
    for (int y = 0; y < image.height; ++y)
        for (int x = 0; x < 100; ++x)
            image.pixels[std::size_t(y * image.width + x)] = 255;
    return image;
}

std::vector<float> input(const Image& image, ResizeMode mode) {
    InputSpec spec;
    spec.shape = {1, 224, 224};
    spec.mean = {0};
    spec.std = {1};
    spec.resize = mode;
    std::vector<float> out(224 * 224);
    us::analysis::imageToModelInput(image, spec, out.data());
    return out;
}

TEST(InputSpec, CentreCropKeepsTheAspectRatioAndDropsTheSides) {
    // Shorter side 200 -> 256 (224 / 0.875), so 512 x 256; the 224-wide centre starts at 144,
    // past the stripe, which ends at 128: the crop is black. torchvision gives the same.
    const auto crop = input(leftStripe(), ResizeMode::CentreCrop);
    for (int y : {0, 112, 223})
        for (int x : {0, 50, 223}) EXPECT_LT(crop[std::size_t(y * 224 + x)], 0.05f) << x << "," << y;
    // Stretched, the stripe is the leftmost quarter of the input.
    const auto stretch = input(leftStripe(), ResizeMode::Stretch);
    EXPECT_GT(stretch[112 * 224 + 20], 0.95f);
    EXPECT_LT(stretch[112 * 224 + 100], 0.05f);
}

TEST(InputSpec, ColourModelsDefaultToTheCropAndTheSidecarCanSayOtherwise) {
    InputSpec colour;
    EXPECT_EQ(colour.resizeMode(), ResizeMode::CentreCrop);
    InputSpec grey;
    grey.shape = {1, 28, 28};
    EXPECT_EQ(grey.resizeMode(), ResizeMode::Stretch);
    colour.resize = ResizeMode::Stretch;
    EXPECT_EQ(colour.resizeMode(), ResizeMode::Stretch);
    EXPECT_NE(InputSpec{}.describePreprocessing().find("centre-crop"), std::string::npos);
    EXPECT_EQ(us::analysis::parseResizeMode("crop"), ResizeMode::CentreCrop);
    EXPECT_THROW(us::analysis::parseResizeMode("squash"), std::invalid_argument);
}

}  // namespace
