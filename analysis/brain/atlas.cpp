#include "analysis/brain/atlas.h"

#include <expat.h>

#include <cmath>
#include <fstream>
#include <iterator>
#include <limits>
#include <sstream>

#include "analysis/brain/brain_file.h"
#include "analysis/brain/nifti_header.h"
#include "analysis/brain/volume_sampling.h"

namespace us::analysis {
namespace {

namespace fs = std::filesystem;

// Collects what an FSL atlas XML says: header fields, image pairs and labels.
struct FslXmlReader {
    FslAtlasDescription description;
    std::vector<std::pair<std::string, std::string>> imagePaths;  // (image, summary)
    struct Label {
        long long index = -1, value = -1;
        std::string name;
    };
    std::vector<Label> labels;
    std::vector<std::string> path;  // open elements
    std::string text;
    std::string error;  // set by a handler, which then stops the parser (no throwing through C)
    XML_Parser parser = nullptr;

    void fail(std::string message) {
        if (error.empty()) error = std::move(message);
        XML_StopParser(parser, XML_FALSE);
    }

    static void start(void* self, const XML_Char* name, const XML_Char** attributes) {
        auto& r = *static_cast<FslXmlReader*>(self);
        r.path.emplace_back(name);
        r.text.clear();
        const std::string element(name);
        if (element == "images") r.imagePaths.emplace_back();
        if (element != "label") return;
        Label label;
        for (int i = 0; attributes[i]; i += 2) {
            const std::string key(attributes[i]);
            if (key != "index" && key != "value") continue;
            long long number = 0;
            std::istringstream in(attributes[i + 1]);
            if (!(in >> number) || number < 0 || number > std::numeric_limits<int>::max())
                return r.fail(std::string("label ") + key + " '" + attributes[i + 1] +
                              "' is not a non-negative integer");
            (key == "index" ? label.index : label.value) = number;
        }
        if (label.index < 0) return r.fail("a <label> has no index attribute");
        r.labels.push_back(label);
    }
    static void end(void* self, const XML_Char* name) {
        auto& r = *static_cast<FslXmlReader*>(self);
        const std::string element(name),
            parent = r.path.size() > 1 ? r.path[r.path.size() - 2] : "";
        std::string value = r.text;
        value.erase(0, value.find_first_not_of(" \t\r\n"));
        value.erase(value.find_last_not_of(" \t\r\n") + 1);
        if (element == "name" && parent == "header") r.description.name = value;
        if (element == "type" && parent == "header") r.description.type = value;
        if (element == "imagefile" && !r.imagePaths.empty()) r.imagePaths.back().first = value;
        if (element == "summaryimagefile" && !r.imagePaths.empty())
            r.imagePaths.back().second = value;
        if (element == "label" && !r.labels.empty()) r.labels.back().name = value;
        r.path.pop_back();
        r.text.clear();
    }
    static void characters(void* self, const XML_Char* text, int length) {
        static_cast<FslXmlReader*>(self)->text.append(text, std::size_t(length));
    }
};

// FSL writes image paths without an extension and with a leading '/' that means "next to
// the XML file".
fs::path resolveImage(const fs::path& folder, const std::string& written) {
    if (written.empty()) return {};
    fs::path relative = written;
    if (relative.is_absolute()) relative = relative.relative_path();
    const fs::path base = folder / relative;
    for (const char* extension : {"", ".nii.gz", ".nii", ".mgz", ".hdr"}) {
        fs::path candidate = base;
        candidate += extension;
        if (fs::is_regular_file(candidate)) return candidate;
    }
    return {};
}

std::string readWholeFile(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read '" + path.string() + "'");
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// A volume's names table beside it: aal.nii.gz -> aal.nii.txt, aal.txt, aal.xml.
std::optional<fs::path> namesTableFor(const fs::path& volume) {
    fs::path stem = volume;
    if (stem.extension() == ".gz") stem.replace_extension();
    const fs::path withoutNii = fs::path(stem).replace_extension();
    for (const fs::path& candidate :
         {fs::path(stem) += ".txt", fs::path(withoutNii) += ".txt", fs::path(withoutNii) += ".xml"})
        if (fs::is_regular_file(candidate)) return candidate;
    return std::nullopt;
}

double voxelVolume(const fs::path& image) {
    const auto geometry = readNiftiGeometry(image);
    return geometry.voxelSize[0] * geometry.voxelSize[1] * geometry.voxelSize[2];
}

}  // namespace

FslAtlasDescription readFslAtlasXml(const fs::path& path) {
    const std::string xml = readWholeFile(path);
    FslXmlReader reader;
    std::unique_ptr<XML_ParserStruct, void (*)(XML_Parser)> parser(XML_ParserCreate(nullptr),
                                                                   XML_ParserFree);
    reader.parser = parser.get();
    XML_SetUserData(parser.get(), &reader);
    XML_SetElementHandler(parser.get(), FslXmlReader::start, FslXmlReader::end);
    XML_SetCharacterDataHandler(parser.get(), FslXmlReader::characters);
    if (xml.size() > std::size_t(std::numeric_limits<int>::max()))
        throw std::runtime_error("FSL atlas '" + path.string() + "' is too large");
    if (XML_Parse(parser.get(), xml.data(), int(xml.size()), XML_TRUE) == XML_STATUS_ERROR)
        throw std::runtime_error(
            "FSL atlas '" + path.string() + "': " +
            (reader.error.empty()
                 ? std::string("malformed XML (") +
                       XML_ErrorString(XML_GetErrorCode(parser.get())) + " at line " +
                       std::to_string(XML_GetCurrentLineNumber(parser.get())) + ")"
                 : reader.error));
    auto description = std::move(reader.description);
    if (description.type != "Label" && description.type != "Probabilistic")
        throw std::runtime_error("FSL atlas '" + path.string() +
                                 "' has no <type> of Label or Probabilistic");
    if (reader.labels.empty())
        throw std::runtime_error("FSL atlas '" + path.string() + "' lists no <label>");
    const bool probabilistic = description.type == "Probabilistic";
    for (const auto& label : reader.labels) {
        const long long value =
            label.value >= 0 ? label.value : (probabilistic ? label.index + 1 : label.index);
        if (value > 0) description.names.add(int(value), label.name);
    }
    const fs::path folder = path.parent_path();
    for (const auto& [image, summary] : reader.imagePaths)
        description.images.push_back({resolveImage(folder, image), resolveImage(folder, summary)});
    return description;
}

Atlas readAtlas(const fs::path& path) {
    Atlas atlas;
    if (path.extension() == ".xml") {
        auto description = readFslAtlasXml(path);
        const bool probabilistic = description.type == "Probabilistic";
        // Probabilistic atlases carry their regions as a max-probability summary image.
        double finest = std::numeric_limits<double>::infinity();
        for (const auto& images : description.images) {
            const fs::path& labels = probabilistic ? images.summary : images.image;
            if (labels.empty()) continue;
            const double size = voxelVolume(labels);
            if (size < finest) finest = size, atlas.labelImage = labels;
        }
        if (atlas.labelImage.empty())
            throw std::runtime_error("FSL atlas '" + path.string() + "': none of its " +
                                     (probabilistic ? "summary images" : "label images") +
                                     " exists next to it");
        atlas.name = description.name.empty() ? path.stem().string() : description.name;
        atlas.names = std::move(description.names);
    } else {
        const auto table = namesTableFor(path);
        if (!table)
            throw std::runtime_error("no names table next to '" + path.string() +
                                     "' (expected NAME.txt or an FSL .xml of the same name)");
        atlas.labelImage = path;
        atlas.names = table->extension() == ".xml" ? readFslAtlasXml(*table).names
                                                   : AtlasLabels::readMricronText(*table);
        atlas.name = path.filename().string();
    }
    auto file = readBrainFile(atlas.labelImage);
    if (!file.volume)
        throw std::runtime_error("atlas image '" + atlas.labelImage.string() + "' is not a volume");
    atlas.labels = std::make_shared<const Volume>(std::move(*file.volume));
    return atlas;
}

std::optional<AtlasRegion> regionAt(const Atlas& atlas, double x, double y, double z) {
    if (!atlas.labels) return std::nullopt;
    const auto voxel = nearestVoxel(*atlas.labels, x, y, z);
    if (!voxel) return std::nullopt;
    const double value = voxelValue(*atlas.labels, *voxel);
    AtlasRegion region;
    region.voxel = *voxel;
    region.label =
        std::isfinite(value) && value > 0 && value < 2147483647.0 ? int(std::lround(value)) : 0;
    region.name = atlas.names.name(region.label);
    return region;
}

}  // namespace us::analysis
