#pragma once
// A set of stimuli the model is run on: IDX files, a folder of images or a preprocessed .npy.
// Items are read on demand so that large folders are never decoded all at once.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "analysis/models/input_spec.h"
#include "analysis/stimuli/image.h"

namespace us::analysis {

class StimulusSet {
  public:
    virtual ~StimulusSet() = default;

    virtual std::int64_t size() const = 0;
    virtual std::string kind() const = 0;  // "idx", "image-folder", "npy"
    // A short name for item i (relative file name or "#i").
    virtual std::string itemName(std::int64_t i) const = 0;
    // Item i for display. Throws std::runtime_error when it cannot be read.
    virtual Image image(std::int64_t i) const = 0;
    // Item i as model input (spec.elementCount() floats, CHW). Throws when unreadable.
    virtual void modelInput(std::int64_t i, const InputSpec& spec, float* out) const;
    // Throws std::runtime_error when the items cannot become this input (e.g. .npy shape).
    virtual void checkCompatible(const InputSpec& spec) const;

    const std::filesystem::path& path() const { return path_; }
    // Empty, or one class index per item.
    const std::vector<std::int32_t>& labels() const { return labels_; }
    // Class names by index, when the source names them (folder names, labels.csv).
    const std::vector<std::string>& labelNames() const { return labelNames_; }

  protected:
    explicit StimulusSet(std::filesystem::path path) : path_(std::move(path)) {}
    std::filesystem::path path_;
    std::vector<std::int32_t> labels_;
    std::vector<std::string> labelNames_;
};

// Picks the reader from the path: a directory is an image folder, *.npy an array, anything
// with an IDX magic number (gzipped or not) an IDX file. Throws std::runtime_error.
std::unique_ptr<StimulusSet> openStimulusSet(const std::filesystem::path& path);

// "#i", the name of an item that has no file of its own.
std::string indexedItemName(std::int64_t i);

// The concrete readers, for callers that know the kind.
std::unique_ptr<StimulusSet> openIdxStimuli(const std::filesystem::path& imagesPath);
std::unique_ptr<StimulusSet> openImageFolderStimuli(const std::filesystem::path& folder);
std::unique_ptr<StimulusSet> openNpyStimuli(const std::filesystem::path& path);

}  // namespace us::analysis
