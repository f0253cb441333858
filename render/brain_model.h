#pragma once
// A labelled brain surface ready for display: the mesh, its region names and its world frame.

#include <vtkPolyData.h>
#include <vtkSmartPointer.h>
#include <Eigen/Core>

#include <filesystem>

#include "analysis/atlas_labels.h"
#include "analysis/job_context.h"

namespace us::render {

struct BrainModel {
    vtkSmartPointer<vtkPolyData> mesh;  // shared read-only once built
    us::analysis::AtlasLabels regionNames;
    // Mesh coordinates -> world millimetres (the anatomy's NIfTI affine).
    Eigen::Matrix4d meshToWorld = Eigen::Matrix4d::Identity();
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
