#include "analysis/brain_file.h"

#include <stdexcept>

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
        const std::string base =
            name.size() > 3 && (name.starts_with("lh.") || name.starts_with("rh.")) ? name.substr(3)
                                                                                    : name;
        if (base == "curv" || base == "thickness" || base == "sulc" || base == "area" ||
            base == "volume" || base == "jacobian_white" || base.starts_with("curv."))
            file.vertexData = readFreeSurferCurv(path);
        else
            file.mesh = readFreeSurferSurface(path);
    }
    return file;
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
    }
    return info;
}

}  // namespace us::analysis
