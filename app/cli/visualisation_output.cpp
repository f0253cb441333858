// Writing activation-maximisation images and reports.

#include "app/cli/visualisation_output.h"

#include <algorithm>
#include <cmath>

#include "analysis/core/atomic_file.h"
#include "analysis/core/npy.h"
#include "analysis/stimuli/image.h"

namespace us::cli {
namespace fs = std::filesystem;

namespace {

analysis::Image toImage(const analysis::FloatArray& images, std::int64_t index) {
    const auto c = images.shape.at(1), h = images.shape.at(2), w = images.shape.at(3);
    analysis::Image image{int(w), int(h), int(c),
                          std::vector<std::uint8_t>(std::size_t(c * h * w))};
    const float* data = images.values.data() + index * c * h * w;
    for (std::int64_t y = 0; y < h; ++y)
        for (std::int64_t x = 0; x < w; ++x)
            for (std::int64_t k = 0; k < c; ++k)
                image.pixels[std::size_t((y * w + x) * c + k)] = std::uint8_t(
                    std::lround(std::clamp(data[(k * h + y) * w + x], 0.f, 1.f) * 255.f));
    return image;
}

fs::path withSuffix(const fs::path& prefix, const std::string& name, const char* extension) {
    std::string path = prefix.string();
    if (!name.empty()) {
        path += '_';
        path += name;
    }
    path += extension;
    return path;
}

}  // namespace

nlohmann::ordered_json writeVisualisationImages(const fs::path& prefix,
                                                const analysis::FloatArray& images,
                                                const std::vector<std::string>& names) {
    const auto count = images.shape.at(0);
    const auto perImage = images.values.size() / std::size_t(count);
    auto files = nlohmann::ordered_json::array();
    for (std::int64_t i = 0; i < count; ++i) {
        const auto png = withSuffix(prefix, names.at(std::size_t(i)), ".png");
        const auto npy = withSuffix(prefix, names.at(std::size_t(i)), ".npy");
        analysis::writeNpy(
            npy, std::span<const float>(images.values.data() + std::size_t(i) * perImage, perImage),
            {images.shape[1], images.shape[2], images.shape[3]});
        analysis::writePngFile(png, toImage(images, i));
        files.push_back({{"png", png.string()}, {"npy", npy.string()}});
    }
    return files;
}

fs::path writeVisualisationReport(const fs::path& prefix, const nlohmann::ordered_json& report) {
    const auto path = withSuffix(prefix, "", ".json");
    analysis::writeTextAtomically(path, report.dump(1) + "\n");
    return path;
}

}  // namespace us::cli
