#pragma once
// Any supported brain file by its name: NIfTI / MGH volumes, FreeSurfer / GIFTI surfaces,
// per-vertex data and labels. One entry point for the CLI and the views.

#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>
#include <string>

#include "analysis/brain/surface_data.h"
#include "analysis/brain/volume.h"

namespace us::analysis {

struct BrainFile {
    std::optional<Volume> volume;
    std::optional<SurfaceMesh> mesh;
    std::optional<VertexData> vertexData;
};

// Chooses the reader from the file name: *.nii, *.nii.gz, *.hdr -> NIfTI; *.mgh, *.mgz -> MGH;
// *.gii -> GIFTI; *.annot; *.label; lh./rh. curv, thickness, sulc, area -> curv; other
// lh./rh. files (pial, white, inflated, sphere, ...) -> surface. Throws with a clear message.
BrainFile readBrainFile(const std::filesystem::path& path);

// The sulcal depth (preferred) or curvature file next to a surface, to shade it with:
// lh.pial -> lh.sulc, lh.curv; sub.L.pial.surf.gii -> sub.L.sulc.shape.gii, sub.L.curv.shape.gii.
std::optional<std::filesystem::path> findSurfaceUnderlay(const std::filesystem::path& surface);

// brain-info's report: format, dims, datatype, voxel sizes, affine, vertex/face counts, labels.
nlohmann::ordered_json describeBrainFile(const BrainFile& file);

}  // namespace us::analysis
