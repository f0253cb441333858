#pragma once

#include <cstdint>
#include <filesystem>
#include <vector>

namespace us::analysis {

// An 8-bit image, rows top to bottom, channels interleaved (1 = grey, 3 = RGB).
struct Image {
    int width = 0;
    int height = 0;
    int channels = 0;
    std::vector<std::uint8_t> pixels;

    std::uint8_t at(int x, int y, int c) const {
        return pixels[(std::size_t(y) * std::size_t(width) + std::size_t(x)) *
                          std::size_t(channels) +
                      std::size_t(c)];
    }
};

// Decodes PNG, JPEG, BMP, GIF, TGA or PNM with stb_image. Grey and grey+alpha stay grey;
// everything else becomes RGB. Throws std::runtime_error naming the file and the reason.
Image decodeImageFile(const std::filesystem::path& path);

// Writes a PNG atomically with stb_image_write. Throws std::runtime_error on failure.
void writePngFile(const std::filesystem::path& path, const Image& image);

// Resamples with stb_image_resize (Mitchell filter down, Catmull-Rom up), same channels.
Image resizeImage(const Image& image, int width, int height);

}  // namespace us::analysis
