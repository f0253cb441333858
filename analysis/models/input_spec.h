#pragma once
// What a model expects as input: size, normalisation and output class names. Comes from the
// user (CLI --input, GUI dialog), from a JSON sidecar MODEL.pt.json, or from the defaults.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "analysis/stimuli/image.h"

namespace us::analysis {

// How an image is brought to the model's input size: stretched to H x W, or (torchvision's
// evaluation transform) resized so that its shorter side is the crop's over cropFraction (256
// for a 224 crop), keeping the aspect ratio, then cropped to H x W about its centre.
enum class ResizeMode { Stretch, CentreCrop };
ResizeMode parseResizeMode(const std::string& name);  // "stretch" or "crop"
std::string resizeModeName(ResizeMode mode);

struct InputSpec {
    std::vector<std::int64_t> shape{3, 224, 224};  // C, H, W
    std::vector<float> mean{0.485f, 0.456f, 0.406f};
    std::vector<float> std{0.229f, 0.224f, 0.225f};
    std::vector<std::string> labels;   // output class names, may be empty
    std::optional<ResizeMode> resize;  // unset: the crop for 3-channel models, else stretch
    double cropFraction = 224.0 / 256.0;

    std::int64_t channels() const { return shape.at(0); }
    ResizeMode resizeMode() const;
    // The preprocessing in words, for the activation store's provenance.
    std::string describePreprocessing() const;
    std::int64_t elementCount() const;
    // Resets mean/std to the identity when their length no longer matches the channels.
    void fitNormalisationToChannels();
};

// "3,224,224" -> {3, 224, 224}; throws std::invalid_argument with a clear message.
std::vector<std::int64_t> parseInputShape(const std::string& text);

// MODEL.pt.json beside the model, when present. Throws std::runtime_error on a malformed file.
std::optional<InputSpec> readModelSidecar(const std::filesystem::path& modelPath);
void writeModelSidecar(const std::filesystem::path& modelPath, const InputSpec& spec);

// The sidecar, else the defaults; an explicit shape or resize mode overrides both.
InputSpec resolveInputSpec(const std::filesystem::path& modelPath,
                           const std::optional<std::vector<std::int64_t>>& explicitShape,
                           std::optional<ResizeMode> explicitResize = std::nullopt);

// Resize (or resize and centre-crop) to H x W, convert grey<->RGB to C channels, scale to
// [0, 1], normalise, write CHW.
void imageToModelInput(const Image& image, const InputSpec& spec, float* out);

}  // namespace us::analysis
