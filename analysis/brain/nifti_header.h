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

// Checks the header's dimensions before libnifti sees them: libnifti2 crashes on some
// corrupt NIfTI-2 headers (seen: garbage 64-bit dims). Throws std::runtime_error naming the
// file when dim[0] is not 1..7 or a used dimension is not 1..2^31-1. Files that are not
// NIfTI (another sizeof_hdr) are left to libnifti's own error.
void checkNiftiHeaderDimensions(const std::filesystem::path& path);

// Reads the header only. Throws std::runtime_error for missing or invalid files.
NiftiGeometry readNiftiGeometry(const std::filesystem::path& path);

}  // namespace us::analysis
