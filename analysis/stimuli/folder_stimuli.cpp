// A folder of images: class-per-subfolder (torchvision's ImageFolder: classes are the sorted
// subfolder names) or flat, with an optional labels.csv of "filename,label" lines.
#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <set>
#include <stdexcept>

#include "analysis/stimuli/stimulus_set.h"

namespace us::analysis {
namespace fs = std::filesystem;
namespace {

bool isImageFile(const fs::path& path) {
    std::string ext = path.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    static const std::set<std::string> known{".png", ".jpg", ".jpeg", ".bmp",
                                             ".gif", ".tga", ".pgm",  ".ppm"};
    return known.contains(ext);
}

std::vector<fs::path> sortedEntries(const fs::path& folder, bool directories) {
    std::vector<fs::path> entries;
    for (const auto& entry : fs::directory_iterator(folder)) {
        if (entry.path().filename().string().starts_with('.')) continue;
        if (directories ? entry.is_directory()
                        : (entry.is_regular_file() && isImageFile(entry.path())))
            entries.push_back(entry.path());
    }
    std::sort(entries.begin(), entries.end());
    return entries;
}

std::string trim(std::string text) {
    const auto notSpace = [](unsigned char c) { return !std::isspace(c); };
    text.erase(text.begin(), std::find_if(text.begin(), text.end(), notSpace));
    text.erase(std::find_if(text.rbegin(), text.rend(), notSpace).base(), text.end());
    return text;
}

class FolderStimuli final : public StimulusSet {
  public:
    explicit FolderStimuli(const fs::path& folder) : StimulusSet(folder) {
        const auto classes = sortedEntries(folder, true);
        for (const auto& classFolder : classes) {
            const auto images = sortedEntries(classFolder, false);
            if (images.empty()) continue;
            const auto label = std::int32_t(labelNames_.size());
            labelNames_.push_back(classFolder.filename().string());
            for (const auto& image : images) {
                files_.push_back(fs::relative(image, folder));
                labels_.push_back(label);
            }
        }
        if (files_.empty()) {
            for (const auto& image : sortedEntries(folder, false))
                files_.push_back(image.filename());
            readLabelsCsv();
        }
        if (files_.empty())
            throw std::runtime_error("no images (png, jpg, bmp, gif, tga, pgm, ppm) in '" +
                                     folder.string() + "' or its class subfolders");
    }

    std::int64_t size() const override { return std::int64_t(files_.size()); }
    std::string kind() const override { return "image-folder"; }
    std::string itemName(std::int64_t i) const override {
        return files_.at(std::size_t(i)).generic_string();
    }
    Image image(std::int64_t i) const override {
        return decodeImageFile(path_ / files_.at(std::size_t(i)));
    }

  private:
    void readLabelsCsv() {
        const fs::path csv = path_ / "labels.csv";
        std::ifstream in(csv);
        if (!in) return;
        std::map<std::string, std::string> labelOf;
        std::string line;
        int lineNumber = 0;
        while (std::getline(in, line)) {
            ++lineNumber;
            line = trim(line);
            if (line.empty()) continue;
            const auto comma = line.find(',');
            if (comma == std::string::npos)
                throw std::runtime_error("'" + csv.string() + "' line " +
                                         std::to_string(lineNumber) + ": expected filename,label");
            const std::string file = trim(line.substr(0, comma));
            const std::string label = trim(line.substr(comma + 1));
            if (lineNumber == 1 && file == "filename") continue;  // header row
            labelOf[file] = label;
        }
        std::set<std::string> names;
        for (const auto& file : files_) {
            const auto found = labelOf.find(file.generic_string());
            if (found == labelOf.end())
                throw std::runtime_error("'" + file.generic_string() + "' has no line in '" +
                                         csv.string() + "' (label every image, or none)");
            names.insert(found->second);
        }
        labelNames_.assign(names.begin(), names.end());
        for (const auto& file : files_) {
            const auto& label = labelOf.at(file.generic_string());
            labels_.push_back(
                std::int32_t(std::lower_bound(labelNames_.begin(), labelNames_.end(), label) -
                             labelNames_.begin()));
        }
    }

    std::vector<fs::path> files_;
};

}  // namespace

std::unique_ptr<StimulusSet> openImageFolderStimuli(const fs::path& folder) {
    return std::make_unique<FolderStimuli>(folder);
}

}  // namespace us::analysis
