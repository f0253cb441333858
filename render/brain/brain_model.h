#pragma once
// A labelled brain surface ready for display: the mesh, its region names and its world frame.

#include <vtkPolyData.h>
#include <vtkSmartPointer.h>
#include <Eigen/Core>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "analysis/brain/atlas_labels.h"
#include "analysis/core/job_context.h"

namespace us::render {

struct BrainModel {
    vtkSmartPointer<vtkPolyData> mesh;  // shared read-only once built
    us::analysis::AtlasLabels regionNames;
    // Mesh coordinates -> world millimetres (the anatomy's NIfTI affine).
    Eigen::Matrix4d meshToWorld = Eigen::Matrix4d::Identity();
    // Grey level per vertex under overlays (curvature or sulcal depth); empty: uniform grey.
    std::vector<std::uint8_t> underlayGrey;
    std::string description;  // e.g. "lh.pial, sulcal depth underlay"
};

struct BrainFiles {
    std::filesystem::path anatomy;
    std::filesystem::path atlas;
    std::filesystem::path atlasNames;
};

// Loads (from the cache, else by extraction) the surface and its labels.
BrainModel loadBrainModel(const BrainFiles& files, const std::filesystem::path& cacheDir,
                          const us::analysis::JobContext& context);

}  // namespace us::render
