// Preprocessed stimuli: a float32 .npy of shape N x C x H x W, fed to the model as it is.
#include <algorithm>
#include <cmath>
#include <fstream>
#include <stdexcept>

#include "analysis/core/float_array.h"
#include "analysis/core/npy.h"
#include "analysis/stimuli/stimulus_set.h"

namespace us::analysis {
namespace fs = std::filesystem;
namespace {

class NpyStimuli final : public StimulusSet {
  public:
    explicit NpyStimuli(const fs::path& path) : StimulusSet(path), header_(readNpyHeader(path)) {
        if (header_.dtype != "<f4")
            throw std::runtime_error("'" + path.string() + "' has dtype " + header_.dtype +
                                     "; stimuli arrays must be float32 ('<f4')");
        if (header_.shape.size() != 4)
            throw std::runtime_error("'" + path.string() + "' has shape " +
                                     shapeText(header_.shape) +
                                     "; stimuli arrays must be N x C x H x W");
        if (header_.fortranOrder)
            throw std::runtime_error("'" + path.string() + "' is Fortran-ordered; need C order");
    }

    std::int64_t size() const override { return header_.shape[0]; }
    std::string kind() const override { return "npy"; }
    std::string itemName(std::int64_t i) const override { return indexedItemName(i); }

    void checkCompatible(const InputSpec& spec) const override {
        const std::vector<std::int64_t> item(header_.shape.begin() + 1, header_.shape.end());
        if (item != spec.shape)
            throw std::runtime_error("'" + path_.string() + "' holds items of shape " +
                                     shapeText(item) + " but the model input is " +
                                     shapeText(spec.shape) +
                                     "; .npy stimuli are used as they are, without resizing");
    }

    void modelInput(std::int64_t i, const InputSpec& spec, float* out) const override {
        checkCompatible(spec);
        readItem(i, out);
    }

    // Shown with each channel stretched to its own min..max.
    Image image(std::int64_t i) const override {
        const int channels = int(header_.shape[1]);
        const int height = int(header_.shape[2]);
        const int width = int(header_.shape[3]);
        std::vector<float> values(std::size_t(channels) * height * width);
        readItem(i, values.data());
        const int shown = channels >= 3 ? 3 : 1;
        Image image{width, height, shown,
                    std::vector<std::uint8_t>(values.size() / channels * shown)};
        const std::size_t plane = std::size_t(width) * height;
        for (int c = 0; c < shown; ++c) {
            const float* channel = values.data() + plane * c;
            const auto [lo, hi] = std::minmax_element(channel, channel + plane);
            const float range = *hi > *lo ? *hi - *lo : 1.0f;
            for (std::size_t p = 0; p < plane; ++p) {
                const float v = std::isfinite(channel[p]) ? (channel[p] - *lo) / range : 0.0f;
                image.pixels[p * shown + c] =
                    std::uint8_t(std::clamp(v, 0.0f, 1.0f) * 255.0f + 0.5f);
            }
        }
        return image;
    }

  private:
    void readItem(std::int64_t i, float* out) const {
        const std::int64_t count = header_.elementCount() / std::max<std::int64_t>(1, size());
        std::ifstream in(path_, std::ios::binary);
        in.seekg(std::streamoff(header_.dataOffset + std::uint64_t(i * count) * sizeof(float)));
        in.read(reinterpret_cast<char*>(out), std::streamsize(count * sizeof(float)));
        if (!in)
            throw std::runtime_error("cannot read item " + std::to_string(i) + " of '" +
                                     path_.string() + "'");
    }

    NpyHeader header_;
};

}  // namespace

std::unique_ptr<StimulusSet> openNpyStimuli(const fs::path& path) {
    return std::make_unique<NpyStimuli>(path);
}

}  // namespace us::analysis
