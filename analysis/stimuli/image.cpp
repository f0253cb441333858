#include "analysis/stimuli/image.h"

#include <stb_image.h>
#include <stb_image_resize.h>
#include <stb_image_write.h>

#include <fstream>
#include <iterator>
#include <limits>
#include <memory>
#include <stdexcept>

#include "analysis/core/atomic_file.h"

namespace us::analysis {

Image decodeImageFile(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot open image '" + path.string() + "'");
    const std::vector<char> bytes((std::istreambuf_iterator<char>(in)),
                                  std::istreambuf_iterator<char>());
    if (bytes.size() > std::size_t(std::numeric_limits<int>::max()))
        throw std::runtime_error("image '" + path.string() + "' is too large");
    const auto* data = reinterpret_cast<const stbi_uc*>(bytes.data());
    const int length = int(bytes.size());
    int width = 0, height = 0, channels = 0;
    if (!stbi_info_from_memory(data, length, &width, &height, &channels))
        throw std::runtime_error("cannot decode image '" + path.string() +
                                 "': " + stbi_failure_reason());
    if (std::int64_t(width) * height > (std::int64_t(1) << 28))
        throw std::runtime_error("image '" + path.string() + "' is too large (" +
                                 std::to_string(width) + "x" + std::to_string(height) + ")");
    const int wanted = channels <= 2 ? 1 : 3;
    std::unique_ptr<stbi_uc, void (*)(void*)> decoded(
        stbi_load_from_memory(data, length, &width, &height, &channels, wanted), stbi_image_free);
    if (!decoded)
        throw std::runtime_error("cannot decode image '" + path.string() +
                                 "': " + stbi_failure_reason());
    Image image{width, height, wanted, {}};
    image.pixels.assign(decoded.get(), decoded.get() + std::size_t(width) * height * wanted);
    return image;
}

Image resizeImage(const Image& image, int width, int height) {
    if (image.width == width && image.height == height) return image;
    Image out{width, height, image.channels, {}};
    out.pixels.resize(std::size_t(width) * height * image.channels);
    if (!stbir_resize_uint8(image.pixels.data(), image.width, image.height, 0, out.pixels.data(),
                            width, height, 0, image.channels))
        throw std::runtime_error("image resize failed");
    return out;
}

void writePngFile(const std::filesystem::path& path, const Image& image) {
    AtomicFile file(path);
    if (!stbi_write_png(file.tempPath().string().c_str(), image.width, image.height, image.channels,
                        image.pixels.data(), image.width * image.channels))
        throw std::runtime_error("cannot write '" + path.string() + "'");
    file.commit();
}

}  // namespace us::analysis
