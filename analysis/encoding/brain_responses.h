#pragma once
// Brain responses to stimuli (betas), one row per stimulus and one column per voxel or
// vertex, from a 4-D NIfTI series, per-vertex GIFTI, or an N x V .npy with a mask. Integer
// series up to 16 bits are kept as stored (2 bytes a value) with their scaling, so a 1 GB int16
// series fits in about 1 GB.

#include <Eigen/Core>

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "analysis/core/job_context.h"

namespace us::analysis {

// Where each response column lies in the brain.
struct ResponseGeometry {
    bool surface = false;
    // Volumes: the grid (3 dims), its voxel-to-world affine and each column's voxel index
    // (i, j, k), listed in numpy's C order of the array as nibabel reads it (k fastest).
    std::array<std::int64_t, 3> grid{};
    Eigen::Matrix4d affine = Eigen::Matrix4d::Identity();
    std::vector<std::array<std::int64_t, 3>> voxels;
    // Surfaces: each column's vertex and the mesh's vertex count.
    std::vector<std::int64_t> vertices;
    std::int64_t vertexCount = 0;
    std::int64_t columnCount() const {
        return surface ? std::int64_t(vertices.size()) : std::int64_t(voxels.size());
    }
};

class BrainResponses {
  public:
    // betas: *.nii / *.nii.gz (4-D, one volume per stimulus), *.gii (one array per stimulus,
    // or one vertices x stimuli array), *.npy (N x V, then mask is required: V must be its
    // non-zero voxel count). Without a mask a NIfTI series keeps the voxels that are finite in
    // every volume and non-zero in at least one. Throws std::runtime_error with one clear
    // message.
    static BrainResponses read(const std::filesystem::path& betas,
                               const std::optional<std::filesystem::path>& mask,
                               const JobContext& job = {});

    std::int64_t rows() const { return rows_; }
    std::int64_t columns() const { return geometry_.columnCount(); }
    const ResponseGeometry& geometry() const { return geometry_; }
    std::string description() const { return description_; }  // e.g. "SIMULATED ..." descrip

    // Columns [first, first + count) of every row, rows x count row-major, as float.
    void copyColumns(std::int64_t first, std::int64_t count, float* out) const;

  private:
    std::int64_t rows_ = 0;
    ResponseGeometry geometry_;
    std::string description_;
    // Row-major rows x columns: either the stored 16-bit values with scaling, or floats.
    std::vector<std::int16_t> stored_;
    double slope_ = 1, intercept_ = 0;
    std::vector<float> values_;
};

// A voxel's offset in file order (first index fastest) on a grid.
inline std::int64_t fileOffset(const std::array<std::int64_t, 3>& grid,
                               const std::array<std::int64_t, 3>& voxel) {
    return voxel[0] + grid[0] * (voxel[1] + grid[1] * voxel[2]);
}

// The non-zero voxels of a 3-D mask volume in C order, as ResponseGeometry lists them.
ResponseGeometry maskGeometry(const std::filesystem::path& mask);

}  // namespace us::analysis
