// IDX files (the MNIST format), gzipped or not: images as 0x00000803 (N, rows, cols) or
// 0x00000804 (N, rows, cols, channels) unsigned bytes, labels as 0x00000801 (N).
#include <array>
#include <memory>
#include <stdexcept>

#include "analysis/core/gz_reader.h"
#include "analysis/stimuli/stimulus_set.h"

namespace us::analysis {
namespace fs = std::filesystem;
namespace {

constexpr std::uint64_t kMaxIdxBytes = std::uint64_t(8) << 30;

[[noreturn]] void fail(const fs::path& path, const std::string& why) {
    throw std::runtime_error("'" + path.string() + "' is not a usable IDX file: " + why);
}

std::uint32_t bigEndian(const unsigned char* p) {
    return (std::uint32_t(p[0]) << 24) | (std::uint32_t(p[1]) << 16) | (std::uint32_t(p[2]) << 8) |
           std::uint32_t(p[3]);
}

struct IdxArray {
    std::vector<std::uint32_t> dims;
    std::vector<std::uint8_t> bytes;
};

IdxArray readIdx(const fs::path& path) {
    GzReader file(path);
    std::array<unsigned char, 4> magic{};
    if (file.readSome(magic.data(), 4) != 4 || magic[0] != 0 || magic[1] != 0)
        fail(path, "no IDX magic number");
    if (magic[2] != 0x08) fail(path, "only unsigned-byte IDX data is supported");
    const int rank = magic[3];
    if (rank < 1 || rank > 4) fail(path, "unsupported rank " + std::to_string(rank));
    IdxArray array;
    std::uint64_t total = 1;
    for (int d = 0; d < rank; ++d) {
        std::array<unsigned char, 4> dim{};
        if (file.readSome(dim.data(), 4) != 4) fail(path, "truncated header");
        array.dims.push_back(bigEndian(dim.data()));
        total *= array.dims.back();
        if (total > kMaxIdxBytes) fail(path, "dimensions multiply past 8 GiB");
    }
    try {
        array.bytes = file.readExactly(total, "image data");
    } catch (const std::runtime_error&) {
        fail(path, "the header declares " + std::to_string(total) +
                       " data bytes but the file holds fewer (inconsistent sizes)");
    }
    if (!file.atEnd()) fail(path, "the file holds more data than its header declares");
    return array;
}

class IdxStimuli final : public StimulusSet {
  public:
    explicit IdxStimuli(const fs::path& path) : StimulusSet(path) {
        IdxArray images = readIdx(path);
        if (images.dims.size() < 3)
            fail(path, "images need rank 3 (N, rows, cols) or 4 (N, rows, cols, channels)");
        count_ = images.dims[0];
        height_ = int(images.dims[1]);
        width_ = int(images.dims[2]);
        channels_ = images.dims.size() == 4 ? int(images.dims[3]) : 1;
        if (channels_ != 1 && channels_ != 3) fail(path, "images need 1 or 3 channels");
        pixels_ = std::move(images.bytes);
        readLabels();
    }

    std::int64_t size() const override { return count_; }
    std::string kind() const override { return "idx"; }
    std::string itemName(std::int64_t i) const override { return indexedItemName(i); }
    Image image(std::int64_t i) const override {
        const std::size_t bytes = std::size_t(width_) * height_ * channels_;
        Image image{width_, height_, channels_, {}};
        const auto* first = pixels_.data() + bytes * std::size_t(i);
        image.pixels.assign(first, first + bytes);
        return image;
    }

  private:
    // Labels sit beside the images by the MNIST naming: *-images-idx3-ubyte -> *-labels-idx1-ubyte.
    void readLabels() {
        std::string name = path_.filename().string();
        const auto at = name.find("images-idx");
        if (at == std::string::npos) return;
        name.replace(at, 11, "labels-idx1");
        const fs::path labelsPath = path_.parent_path() / name;
        std::error_code ec;
        if (!fs::exists(labelsPath, ec)) return;
        IdxArray labels = readIdx(labelsPath);
        if (labels.dims.size() != 1 || labels.dims[0] != std::uint32_t(count_))
            fail(labelsPath, "it has " + std::to_string(labels.dims.at(0)) + " labels for " +
                                 std::to_string(count_) + " images (inconsistent sizes)");
        labels_.assign(labels.bytes.begin(), labels.bytes.end());
    }

    std::int64_t count_ = 0;
    int width_ = 0, height_ = 0, channels_ = 1;
    std::vector<std::uint8_t> pixels_;
};

}  // namespace

std::unique_ptr<StimulusSet> openIdxStimuli(const fs::path& imagesPath) {
    return std::make_unique<IdxStimuli>(imagesPath);
}

}  // namespace us::analysis
