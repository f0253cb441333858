#include "analysis/brain/brain_file.h"

#include <stdexcept>
#include <vector>

namespace us::analysis {
namespace fs = std::filesystem;
namespace {

bool endsWith(const std::string& text, const std::string& suffix) {
    return text.ends_with(suffix);
}

}  // namespace

BrainFile readBrainFile(const fs::path& path) {
    std::error_code ec;
    if (!fs::is_regular_file(path, ec))
        throw std::runtime_error("file not found: '" + path.string() + "'");
    const std::string name = path.filename().string();
    BrainFile file;
    if (endsWith(name, ".nii") || endsWith(name, ".nii.gz") || endsWith(name, ".hdr") ||
        endsWith(name, ".img")) {
        file.volume = readNiftiVolume(path);
    } else if (endsWith(name, ".mgh") || endsWith(name, ".mgz")) {
        file.volume = readMghVolume(path);
    } else if (endsWith(name, ".gii")) {
        auto contents = readGifti(path);
        if (contents.isSurface) file.mesh = std::move(contents.mesh);
        if (!contents.data.values.empty()) file.vertexData = std::move(contents.data);
    } else if (endsWith(name, ".annot")) {
        file.vertexData = readFreeSurferAnnot(path);
    } else if (endsWith(name, ".label")) {
        file.vertexData = readFreeSurferLabel(path);
    } else {
        // FreeSurfer binaries are told apart by their magic number, not their names
        // (BrainMesh_ICBM152.lh.curv is morphometry).
        const std::uint32_t magic = readFreeSurferMagic(path);
        if (magic == 0xFFFFFF)
            file.vertexData = readFreeSurferCurv(path);
        else if (magic == 0xFFFFFE)
            file.mesh = readFreeSurferSurface(path);
        else
            throw std::runtime_error("'" + path.string() +
                                     "' is not a brain file Unitscope reads (NIfTI, MGH, GIFTI, "
                                     "FreeSurfer surface, morphometry, .annot or .label)");
    }
    return file;
}

std::optional<fs::path> findSurfaceUnderlay(const fs::path& surface) {
    const std::string name = surface.filename().string();
    std::vector<fs::path> candidates;
    if (name.ends_with(".surf.gii")) {
        std::string stem = name.substr(0, name.size() - std::string(".surf.gii").size());
        if (const auto dot = stem.rfind('.'); dot != std::string::npos) stem.resize(dot);
        for (const char* kind : {".sulc.shape.gii", ".curv.shape.gii"})
            candidates.push_back(surface.parent_path() / (stem + kind));
    } else if (name.starts_with("lh.") || name.starts_with("rh.")) {
        for (const char* kind : {"sulc", "curv"})
            candidates.push_back(surface.parent_path() / (name.substr(0, 3) + kind));
    }
    for (const auto& candidate : candidates)
        if (fs::is_regular_file(candidate)) return candidate;
    return std::nullopt;
}

nlohmann::ordered_json describeBrainFile(const BrainFile& file) {
    nlohmann::ordered_json info;
    if (file.volume) {
        const auto& v = *file.volume;
        info["format"] = v.format;
        info["kind"] = "volume";
        info["dims"] = v.shape;
        info["datatype"] = v.datatype;
        info["voxel_sizes"] = v.voxelSize;
        nlohmann::ordered_json affine = nlohmann::ordered_json::array();
        for (int r = 0; r < 4; ++r)
            affine.push_back({v.affine(r, 0), v.affine(r, 1), v.affine(r, 2), v.affine(r, 3)});
        info["affine"] = affine;
        if (v.format != "mgh") {
            info["sform_code"] = v.sformCode;
            info["qform_code"] = v.qformCode;
        }
    }
    if (file.mesh) {
        info["format"] = file.mesh->format;
        info["kind"] = "surface";
        info["vertices"] = file.mesh->vertexCount();
        info["faces"] = file.mesh->faceCount();
    }
    if (file.vertexData) {
        const auto& d = *file.vertexData;
        if (!file.mesh) {
            info["format"] = d.format;
            info["kind"] = d.labelNames.empty() ? "vertex-data" : "labels";
        }
        info["data_shape"] = d.shape;
        if (!d.labelNames.empty()) info["label_names"] = d.labelNames;
        if (!d.warning.empty()) info["warning"] = d.warning;
    }
    return info;
}

}  // namespace us::analysis
