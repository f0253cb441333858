// Colour maps and overlay recolouring: ends of each map, thresholding, symmetric ranges.
#include <gtest/gtest.h>

#include <cmath>

#include "render/common/colour_map.h"

using namespace us::render;

TEST(ColourMap, EndsAreTheMapsEnds) {
    EXPECT_EQ(lookupTable(ColourMapName::Grey)[0], (std::array<std::uint8_t, 3>{0, 0, 0}));
    EXPECT_EQ(lookupTable(ColourMapName::Grey)[255], (std::array<std::uint8_t, 3>{255, 255, 255}));
    EXPECT_EQ(lookupTable(ColourMapName::Hot)[255], (std::array<std::uint8_t, 3>{255, 255, 255}));
    EXPECT_EQ(lookupTable(ColourMapName::Viridis)[0], (std::array<std::uint8_t, 3>{68, 1, 84}));
    const auto& diverging = lookupTable(ColourMapName::Diverging);
    EXPECT_GT(diverging[0][2], diverging[0][0]);      // blue end
    EXPECT_GT(diverging[255][0], diverging[255][2]);  // red end
    EXPECT_GT(diverging[128][1], 240);                // white middle
    EXPECT_THROW(parseColourMap("rainbow"), std::invalid_argument);
}

TEST(ColourMap, ThresholdShowsTheUnderlayAndSymmetricRangesCentreZero) {
    const float values[] = {0.05f, -0.05f, 2.0f, -2.0f, NAN, 0.0f};
    const std::uint8_t underlay[] = {110, 170, 110, 170, 110, 170};
    std::uint8_t rgb[18];
    OverlayStyle style;
    style.map = ColourMapName::Diverging;
    style.min = -2;
    style.max = 2;
    style.symmetric = true;
    style.threshold = 0.1;
    recolourOverlay(values, underlay, 6, style, rgb);
    for (int i : {0, 1, 4})
        for (int k = 0; k < 3; ++k)
            EXPECT_EQ(rgb[3 * i + k], underlay[i]) << i;
    const auto& lut = lookupTable(ColourMapName::Diverging);
    for (int k = 0; k < 3; ++k) {
        EXPECT_EQ(rgb[6 + k], lut[255][std::size_t(k)]);  // +2: the top of the range
        EXPECT_EQ(rgb[9 + k], lut[0][std::size_t(k)]);    // -2: the bottom
    }
    style.threshold = 0;
    style.hideBelowThreshold = false;
    recolourOverlay(values, underlay, 6, style, rgb);
    EXPECT_EQ(rgb[15 + 1], lut[127][1]);  // zero sits in the middle of a symmetric range
}

TEST(ColourMap, LayersCompositeBottomToTopAndHalfOpacityBlends) {
    const float bottom[] = {1.0f, 1.0f, NAN};
    const float top[] = {0.0f, 1.0f, 1.0f};  // 0 is below the top layer's threshold
    std::uint8_t rgb[9] = {100, 100, 100, 100, 100, 100, 100, 100, 100};
    OverlayStyle hot;  // hot over [0, 1]: 1.0 is white
    hot.threshold = 0.5;
    OverlayStyle grey = hot;
    grey.map = ColourMapName::Grey;
    grey.opacity = 0.5;
    compositeOverlay(bottom, 3, hot, rgb);
    compositeOverlay(top, 3, grey, rgb);
    const auto& hotLut = lookupTable(ColourMapName::Hot);
    const auto& greyLut = lookupTable(ColourMapName::Grey);
    for (int k = 0; k < 3; ++k) {
        EXPECT_EQ(rgb[k], hotLut[255][std::size_t(k)]);  // the bottom layer shows through
        EXPECT_EQ(rgb[3 + k],
                  (greyLut[255][std::size_t(k)] * 128 + hotLut[255][std::size_t(k)] * 128) >> 8);
        EXPECT_EQ(rgb[6 + k], (greyLut[255][std::size_t(k)] * 128 + 100 * 128) >> 8);
    }
}
