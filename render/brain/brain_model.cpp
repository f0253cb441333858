#include "render/brain/brain_model.h"

#include "analysis/brain/nifti_header.h"
#include "render/brain/brain_surface.h"

namespace us::render {

BrainModel loadBrainModel(const BrainFiles& files, const std::filesystem::path& cacheDir,
                          const us::analysis::JobContext& context) {
    BrainModel model;
    model.regionNames = us::analysis::AtlasLabels::readMricronText(files.atlasNames);
    const auto geometry = us::analysis::readNiftiGeometry(files.anatomy);
    // vtkNIFTIImageReader places voxel (i,j,k) at (i*dx, j*dy, k*dz) and ignores the affine.
    Eigen::Matrix4d meshToVoxel = Eigen::Matrix4d::Identity();
    for (int axis = 0; axis < 3; ++axis)
        meshToVoxel(axis, axis) = 1.0 / geometry.voxelSize[axis];
    model.meshToWorld = geometry.voxelToWorld * meshToVoxel;
    model.mesh = loadOrExtractBrainSurface({files.anatomy, files.atlas}, cacheDir, context);
    return model;
}

}  // namespace us::render
