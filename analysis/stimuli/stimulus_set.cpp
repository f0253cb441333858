#include "analysis/stimuli/stimulus_set.h"

#include <stdexcept>

namespace us::analysis {
namespace fs = std::filesystem;

void StimulusSet::modelInput(std::int64_t i, const InputSpec& spec, float* out) const {
    imageToModelInput(image(i), spec, out);
}

void StimulusSet::checkCompatible(const InputSpec&) const {}

std::string indexedItemName(std::int64_t i) {
    std::string name = "#";  // built in two steps: GCC 12 warns falsely on "#" + to_string
    name += std::to_string(i);
    return name;
}

std::unique_ptr<StimulusSet> openStimulusSet(const fs::path& path) {
    std::error_code ec;
    if (!fs::exists(path, ec))
        throw std::runtime_error("stimuli not found: '" + path.string() + "'");
    if (fs::is_directory(path, ec)) return openImageFolderStimuli(path);
    if (path.extension() == ".npy") return openNpyStimuli(path);
    return openIdxStimuli(path);
}

}  // namespace us::analysis
