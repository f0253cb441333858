#pragma once
// Writing result maps: 3-D or 4-D float32 NIfTI volumes (through libnifti2) and per-vertex
// GIFTI data (through giftiio), atomically (temporary file, then rename).

#include <Eigen/Core>

#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace us::analysis {

// A NIfTI-1 file written volume by volume (a long series never has to be in memory at
// once), int16 with scaling or float32. The affine goes into both the sform and the qform
// (code 2, aligned anatomical); description is the header's descrip (79 characters kept).
// Nothing appears at path until finish() has written every volume.
class NiftiSeriesWriter {
  public:
    enum class Type { Int16, Float32 };
    NiftiSeriesWriter(const std::filesystem::path& path, const std::array<std::int64_t, 3>& grid,
                      std::int64_t volumes, Type type, const Eigen::Matrix4d& affine,
                      const std::string& description = {}, double slope = 1, double intercept = 0);
    ~NiftiSeriesWriter();
    NiftiSeriesWriter(const NiftiSeriesWriter&) = delete;
    NiftiSeriesWriter& operator=(const NiftiSeriesWriter&) = delete;

    // One volume in file order (first index fastest), of the writer's type.
    void writeVolume(const std::int16_t* values);
    void writeVolume(const float* values);
    void finish();

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// values in file order (first index fastest): grid[0] * grid[1] * grid[2] * volumes floats.
// The affine goes into both the sform and the qform (code 2, aligned anatomical). description
// is the header's descrip (at most 79 characters are kept).
void writeNiftiFloat(const std::filesystem::path& path, const std::array<std::int64_t, 3>& grid,
                     std::int64_t volumes, const Eigen::Matrix4d& affine,
                     const std::vector<float>& values, const std::string& description = {});

// One float32 data array per entry of columns, each with one value per vertex.
void writeGiftiFloat(const std::filesystem::path& path,
                     const std::vector<std::vector<float>>& columns);

}  // namespace us::analysis
