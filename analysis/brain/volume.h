#pragma once
// A voxel volume as nibabel presents it: shape, on-disk datatype, voxel sizes, the
// voxel-to-world affine that nibabel's `img.affine` chooses, and get_fdata()'s values.

#include <Eigen/Core>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

namespace us::analysis {

struct Volume {
    std::string format;               // "nifti1", "nifti2", "mgh"
    std::vector<std::int64_t> shape;  // nibabel's shape, e.g. (91, 109, 91) or (64, 64, 30, 4)
    std::string datatype;             // numpy name of the stored type: "int16", "float32", ...
    std::vector<double> voxelSize;    // one per dimension (pixdim / delta)
    Eigen::Matrix4d affine = Eigen::Matrix4d::Identity();
    int sformCode = 0, qformCode = 0;  // NIfTI only
    std::string description;           // NIfTI descrip (simulated data say "SIMULATED")
    // Scaled values in file order (first index fastest, as on disk and in nibabel's
    // Fortran-ordered array).
    std::vector<double> data;

    std::int64_t voxelCount() const;
    // The same values in C order for `shape` (last index fastest), as .npy wants them.
    std::vector<double> dataInCOrder() const;
};

// Refuse before allocating: headers whose voxel count passes this are errors.
inline constexpr std::int64_t kMaxVolumeVoxels = std::int64_t(1) << 30;

// NIfTI-1 / NIfTI-2, .nii or .nii.gz (or .hdr/.img), through libnifti2 for the header.
// Throws std::runtime_error with one clear message for any bad or hostile file.
Volume readNiftiVolume(const std::filesystem::path& path);
// A NIfTI series read one volume at a time (a 1 GB 4-D file in bounded memory). The volumes are
// the file's 3-D volumes in order: every index past the third counts as a volume index.
class NiftiSeriesReader {
  public:
    explicit NiftiSeriesReader(const std::filesystem::path& path);  // throws as readNiftiVolume
    ~NiftiSeriesReader();
    NiftiSeriesReader(const NiftiSeriesReader&) = delete;
    NiftiSeriesReader& operator=(const NiftiSeriesReader&) = delete;

    const Volume& header() const;  // shape, datatype, affine; no data
    std::int64_t volumeCount() const { return volumeCount_; }
    std::int64_t voxelsPerVolume() const { return voxelsPerVolume_; }
    // nibabel's scaling (1 and 0 when the file has none): value = stored * slope + intercept.
    double slope() const;
    double intercept() const;
    // The next volume in file order (first index fastest): stored or scaled values. Throws
    // when the file is truncated or holds no more volumes.
    void readStored(std::vector<double>& out);
    void readScaled(std::vector<double>& out);

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    std::int64_t volumeCount_ = 0, voxelsPerVolume_ = 0;
};

// FreeSurfer MGH / MGZ.
Volume readMghVolume(const std::filesystem::path& path);

}  // namespace us::analysis
