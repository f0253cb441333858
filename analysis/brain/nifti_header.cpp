#include "analysis/brain/nifti_header.h"

#include <nifti2_io.h>

#include <memory>
#include <stdexcept>

namespace us::analysis {

NiftiGeometry readNiftiGeometry(const std::filesystem::path& path) {
    nifti_set_debug_level(0);
    std::unique_ptr<nifti_image, decltype(&nifti_image_free)> image(
        nifti_image_read(path.string().c_str(), 0), &nifti_image_free);
    if (!image) throw std::runtime_error("cannot read NIfTI header '" + path.string() + "'");
    if (image->nx < 1 || image->ny < 1 || image->nz < 1)
        throw std::runtime_error("NIfTI '" + path.string() + "' has non-positive dimensions");
    NiftiGeometry geometry;
    geometry.dims = {image->nx, image->ny, image->nz};
    geometry.voxelSize = {image->dx, image->dy, image->dz};
    const auto& m = image->sform_code > 0 ? image->sto_xyz : image->qto_xyz;
    for (int r = 0; r < 4; ++r)
        for (int c = 0; c < 4; ++c)
            geometry.voxelToWorld(r, c) = m.m[r][c];
    return geometry;
}

}  // namespace us::analysis
