#include "analysis/brain/volume_writer.h"
// GIFTI output lives in gifti_files.cpp: giftiio's header pulls in NIfTI-1 declarations that
// clash with libnifti2's.

#include <nifti2_io.h>

#include <cstring>
#include <stdexcept>

#include "analysis/core/atomic_file.h"
#include "analysis/core/stderr_silencer.h"

namespace us::analysis {
namespace fs = std::filesystem;

struct NiftiSeriesWriter::Impl {
    AtomicFile output;
    std::unique_ptr<nifti_image, decltype(&nifti_image_free)> image{nullptr, &nifti_image_free};
    znzFile file = nullptr;
    Type type = Type::Float32;
    std::int64_t voxelsPerVolume = 0, volumes = 0, written = 0;
    explicit Impl(const fs::path& path) : output(path, true) {}
    ~Impl() {
        if (file) znzclose(file);
    }
    void write(const void* values, std::size_t bytes) {
        if (written >= volumes) throw std::logic_error("NiftiSeriesWriter: too many volumes");
        if (znzwrite(values, 1, bytes, file) != bytes)
            throw std::runtime_error("cannot write '" + output.targetPath().string() +
                                     "' (disk full?)");
        ++written;
    }
};

NiftiSeriesWriter::NiftiSeriesWriter(const fs::path& path, const std::array<std::int64_t, 3>& grid,
                                     std::int64_t volumes, Type type, const Eigen::Matrix4d& affine,
                                     const std::string& description, double slope, double intercept)
    : impl_(std::make_unique<Impl>(path)) {
    const std::string name = path.filename().string();
    if (!name.ends_with(".nii") && !name.ends_with(".nii.gz"))
        throw std::invalid_argument("'" + path.string() +
                                    "': not a NIfTI file name (.nii, .nii.gz)");
    auto& d = *impl_;
    d.type = type;
    d.volumes = volumes;
    d.voxelsPerVolume = grid[0] * grid[1] * grid[2];
    const int64_t dims[8] = {volumes > 1 ? 4 : 3, grid[0], grid[1], grid[2], volumes, 1, 1, 1};
    d.image.reset(nifti_make_new_nim(dims, type == Type::Int16 ? DT_INT16 : DT_FLOAT32, 0));
    if (!d.image) throw std::runtime_error("cannot make a NIfTI image for '" + path.string() + "'");
    nifti_image* image = d.image.get();
    nifti_dmat44 matrix;
    for (int i = 0; i < 4; ++i)
        for (int j = 0; j < 4; ++j)
            matrix.m[i][j] = affine(i, j);
    image->sform_code = image->qform_code = NIFTI_XFORM_ALIGNED_ANAT;
    image->sto_xyz = matrix;
    image->sto_ijk = nifti_dmat44_inverse(matrix);
    double dx = 1, dy = 1, dz = 1;
    nifti_dmat44_to_quatern(matrix, &image->quatern_b, &image->quatern_c, &image->quatern_d,
                            &image->qoffset_x, &image->qoffset_y, &image->qoffset_z, &dx, &dy, &dz,
                            &image->qfac);
    image->dx = image->pixdim[1] = dx;
    image->dy = image->pixdim[2] = dy;
    image->dz = image->pixdim[3] = dz;
    image->qto_xyz = nifti_quatern_to_dmat44(image->quatern_b, image->quatern_c, image->quatern_d,
                                             image->qoffset_x, image->qoffset_y, image->qoffset_z,
                                             dx, dy, dz, image->qfac);
    image->qto_ijk = nifti_dmat44_inverse(image->qto_xyz);
    image->scl_slope = slope;
    image->scl_inter = intercept;
    std::strncpy(image->descrip, description.c_str(), sizeof image->descrip - 1);
    image->descrip[sizeof image->descrip - 1] = '\0';
    image->nifti_type = NIFTI_FTYPE_NIFTI1_1;
    const std::string temp = d.output.tempPath().string();
    const StderrSilencer quiet;
    if (nifti_set_filenames(image, temp.c_str(), 0, 1) != 0)
        throw std::runtime_error("'" + path.string() + "': not a NIfTI file name (.nii, .nii.gz)");
    // Header only, file left open for the volumes.
    d.file = nifti_image_write_hdr_img(image, 2, "wb");
    if (!d.file) throw std::runtime_error("cannot create '" + path.string() + "'");
}

NiftiSeriesWriter::~NiftiSeriesWriter() = default;

void NiftiSeriesWriter::writeVolume(const std::int16_t* values) {
    if (impl_->type != Type::Int16) throw std::logic_error("NiftiSeriesWriter: not an int16 file");
    impl_->write(values, std::size_t(impl_->voxelsPerVolume) * sizeof(std::int16_t));
}

void NiftiSeriesWriter::writeVolume(const float* values) {
    if (impl_->type != Type::Float32) throw std::logic_error("NiftiSeriesWriter: not a float file");
    impl_->write(values, std::size_t(impl_->voxelsPerVolume) * sizeof(float));
}

void NiftiSeriesWriter::finish() {
    auto& d = *impl_;
    if (d.written != d.volumes)
        throw std::logic_error("NiftiSeriesWriter: finished before every volume was written");
    const int status = znzclose(d.file);
    d.file = nullptr;
    if (status != 0)
        throw std::runtime_error("cannot write '" + d.output.targetPath().string() +
                                 "' (disk full?)");
    d.output.commit();
}

void writeNiftiFloat(const fs::path& path, const std::array<std::int64_t, 3>& grid,
                     std::int64_t volumes, const Eigen::Matrix4d& affine,
                     const std::vector<float>& values, const std::string& description) {
    const std::int64_t perVolume = grid[0] * grid[1] * grid[2];
    if (std::int64_t(values.size()) != perVolume * volumes)
        throw std::invalid_argument("writeNiftiFloat: values do not fill the grid");
    NiftiSeriesWriter writer(path, grid, volumes, NiftiSeriesWriter::Type::Float32, affine,
                             description);
    for (std::int64_t t = 0; t < volumes; ++t)
        writer.writeVolume(values.data() + t * perVolume);
    writer.finish();
}

}  // namespace us::analysis
