#include "analysis/models/input_spec.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "analysis/core/atomic_file.h"

namespace us::analysis {
namespace fs = std::filesystem;

std::int64_t InputSpec::elementCount() const {
    std::int64_t n = 1;
    for (auto d : shape)
        n *= d;
    return n;
}

void InputSpec::fitNormalisationToChannels() {
    const auto c = std::size_t(channels());
    if (mean.size() != c) mean.assign(c, 0.0f);
    if (std.size() != c) std.assign(c, 1.0f);
}

std::vector<std::int64_t> parseInputShape(const std::string& text) {
    std::vector<std::int64_t> shape;
    std::stringstream stream(text);
    std::string part;
    while (std::getline(stream, part, ',')) {
        std::size_t used = 0;
        long long value = 0;
        try {
            value = std::stoll(part, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (used != part.size() || value <= 0 || value > 8192)
            throw std::invalid_argument("input size must be C,H,W with positive integers, got '" +
                                        text + "'");
        shape.push_back(value);
    }
    if (shape.size() != 3)
        throw std::invalid_argument("input size must be C,H,W (three numbers), got '" + text + "'");
    return shape;
}

ResizeMode parseResizeMode(const std::string& name) {
    if (name == "stretch") return ResizeMode::Stretch;
    if (name == "crop") return ResizeMode::CentreCrop;
    throw std::invalid_argument(
        "resize must be 'crop' (shorter side, then centre crop) or "
        "'stretch', got '" +
        name + "'");
}

std::string resizeModeName(ResizeMode mode) {
    return mode == ResizeMode::Stretch ? "stretch" : "crop";
}

ResizeMode InputSpec::resizeMode() const {
    if (resize) return *resize;
    return channels() == 3 ? ResizeMode::CentreCrop : ResizeMode::Stretch;
}

std::string InputSpec::describePreprocessing() const {
    std::ostringstream text;
    if (resizeMode() == ResizeMode::CentreCrop)
        text << "resize the shorter side to the crop / " << cropFraction
             << " keeping the aspect ratio, centre-crop to HxW (stb_image_resize)";
    else
        text << "resize to HxW (stb_image_resize)";
    text << ", grey<->RGB (ITU-R 601 luma), x/255, (x-mean)/std per channel";
    return text.str();
}

std::optional<InputSpec> readModelSidecar(const fs::path& modelPath) {
    fs::path sidecar = modelPath;
    sidecar += ".json";
    std::error_code ec;
    if (!fs::exists(sidecar, ec)) return std::nullopt;
    try {
        std::ifstream in(sidecar);
        const auto json = nlohmann::json::parse(in);
        InputSpec spec;
        if (json.contains("input")) spec.shape = json.at("input").get<std::vector<std::int64_t>>();
        if (spec.shape.size() != 3) throw std::runtime_error("\"input\" must be [C, H, W]");
        for (auto d : spec.shape)
            if (d <= 0 || d > 8192) throw std::runtime_error("\"input\" has a bad dimension");
        if (json.contains("mean")) spec.mean = json.at("mean").get<std::vector<float>>();
        if (json.contains("std")) spec.std = json.at("std").get<std::vector<float>>();
        if (json.contains("labels"))
            spec.labels = json.at("labels").get<std::vector<std::string>>();
        if (json.contains("resize"))
            spec.resize = parseResizeMode(json.at("resize").get<std::string>());
        if (json.contains("crop_fraction"))
            spec.cropFraction = json.at("crop_fraction").get<double>();
        if (!(spec.cropFraction > 0.1 && spec.cropFraction <= 1))
            throw std::runtime_error("\"crop_fraction\" must lie in (0.1, 1]");
        if ((json.contains("mean") && spec.mean.size() != std::size_t(spec.channels())) ||
            (json.contains("std") && spec.std.size() != std::size_t(spec.channels())))
            throw std::runtime_error("\"mean\" and \"std\" need one value per input channel");
        for (float s : spec.std)
            if (!(s > 0)) throw std::runtime_error("\"std\" values must be positive");
        spec.fitNormalisationToChannels();
        return spec;
    } catch (const std::exception& error) {
        throw std::runtime_error("model sidecar '" + sidecar.string() +
                                 "' is invalid: " + error.what());
    }
}

void writeModelSidecar(const fs::path& modelPath, const InputSpec& spec) {
    fs::path sidecar = modelPath;
    sidecar += ".json";
    nlohmann::json json{
        {"input", spec.shape}, {"mean", spec.mean}, {"std", spec.std}, {"labels", spec.labels}};
    if (spec.resize) {
        json["resize"] = resizeModeName(*spec.resize);
        json["crop_fraction"] = spec.cropFraction;
    }
    AtomicFile output(sidecar);
    {
        std::ofstream out(output.tempPath());
        out << json.dump(2) << '\n';
        if (!out) throw std::runtime_error("cannot write '" + sidecar.string() + "'");
    }
    output.commit();
}

InputSpec resolveInputSpec(const fs::path& modelPath,
                           const std::optional<std::vector<std::int64_t>>& explicitShape,
                           std::optional<ResizeMode> explicitResize) {
    InputSpec spec = readModelSidecar(modelPath).value_or(InputSpec{});
    if (explicitShape) spec.shape = *explicitShape;
    if (explicitResize) spec.resize = explicitResize;
    spec.fitNormalisationToChannels();
    return spec;
}

namespace {

// torchvision's Resize(shorter side) + CenterCrop: the scale makes the image cover H / fraction
// by W / fraction (256 x 256 for a 224 x 224 crop), the crop starts at round((size - crop) / 2).
Image resizeAndCentreCrop(const Image& image, int width, int height, double fraction) {
    const double scale =
        std::max(height / (fraction * image.height), width / (fraction * image.width));
    const int resizedWidth = std::max(width, int(std::lround(image.width * scale)));
    const int resizedHeight = std::max(height, int(std::lround(image.height * scale)));
    const Image resized = resizeImage(image, resizedWidth, resizedHeight);
    const int left = int(std::lround((resizedWidth - width) / 2.0));
    const int top = int(std::lround((resizedHeight - height) / 2.0));
    Image cropped;
    cropped.width = width;
    cropped.height = height;
    cropped.channels = resized.channels;
    cropped.pixels.resize(std::size_t(width) * height * std::size_t(resized.channels));
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x)
            for (int c = 0; c < resized.channels; ++c)
                cropped.pixels[(std::size_t(y) * width + x) * std::size_t(resized.channels) + c] =
                    resized.at(left + x, top + y, c);
    return cropped;
}

}  // namespace

void imageToModelInput(const Image& image, const InputSpec& spec, float* out) {
    const int channels = int(spec.shape[0]);
    const int height = int(spec.shape[1]);
    const int width = int(spec.shape[2]);
    const Image sized = spec.resizeMode() == ResizeMode::CentreCrop
                            ? resizeAndCentreCrop(image, width, height, spec.cropFraction)
                            : resizeImage(image, width, height);
    const std::size_t plane = std::size_t(width) * height;
    for (int c = 0; c < channels; ++c) {
        const float mean = spec.mean[std::size_t(c)];
        const float scale = 1.0f / (255.0f * spec.std[std::size_t(c)]);
        const float shift = mean / spec.std[std::size_t(c)];
        float* dst = out + plane * std::size_t(c);
        for (int y = 0; y < height; ++y)
            for (int x = 0; x < width; ++x) {
                float value;
                if (sized.channels == 1) {
                    value = sized.at(x, y, 0);
                } else if (channels == 1) {  // ITU-R 601 luma, as torchvision's Grayscale
                    value = 0.299f * sized.at(x, y, 0) + 0.587f * sized.at(x, y, 1) +
                            0.114f * sized.at(x, y, 2);
                } else {
                    value = sized.at(x, y, std::min(c, sized.channels - 1));
                }
                dst[std::size_t(y) * width + x] = value * scale - shift;
            }
    }
}

}  // namespace us::analysis
