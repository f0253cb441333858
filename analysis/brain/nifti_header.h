#pragma once
// Minimal NIfTI header access via libnifti2 (the full reader comes with the brain-data issue).

#include <Eigen/Core>

#include <array>
#include <filesystem>

namespace us::analysis {

struct NiftiGeometry {
    std::array<long long, 3> dims{};
    std::array<double, 3> voxelSize{};
    // Voxel index (i, j, k, 1) -> world millimetres, as libnifti chooses it (sform, else qform).
    Eigen::Matrix4d voxelToWorld = Eigen::Matrix4d::Identity();
};

// Reads the header only. Throws std::runtime_error for missing or invalid files.
NiftiGeometry readNiftiGeometry(const std::filesystem::path& path);

}  // namespace us::analysis
