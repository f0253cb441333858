#include "analysis/brain/volume_sampling.h"

#include <Eigen/LU>

#include <cmath>
#include <limits>
#include <stdexcept>

namespace us::analysis {

std::vector<float> sampleVolume(const Volume& volume, const std::vector<double>& points,
                                int frame) {
    if (volume.shape.size() < 3)
        throw std::invalid_argument("sampling needs a 3-D (or 4-D) volume");
    const std::int64_t nx = volume.shape[0], ny = volume.shape[1], nz = volume.shape[2];
    const std::int64_t frames = volume.voxelCount() / (nx * ny * nz);
    if (frame < 0 || frame >= frames) throw std::invalid_argument("no such volume frame");
    const Eigen::Matrix4d toVoxel = volume.affine.inverse();
    const double* base = volume.data.data() + std::int64_t(frame) * nx * ny * nz;
    const auto at = [&](std::int64_t i, std::int64_t j, std::int64_t k) {
        return base[i + nx * (j + ny * k)];  // file order: first index fastest
    };
    std::vector<float> values(points.size() / 3, std::numeric_limits<float>::quiet_NaN());
    for (std::size_t p = 0; p < values.size(); ++p) {
        const Eigen::Vector4d v =
            toVoxel * Eigen::Vector4d(points[3 * p], points[3 * p + 1], points[3 * p + 2], 1);
        const double x = v[0], y = v[1], z = v[2];
        if (!(x >= 0 && y >= 0 && z >= 0 && x <= nx - 1 && y <= ny - 1 && z <= nz - 1)) continue;
        const auto i = std::min<std::int64_t>(std::int64_t(x), nx - 2 < 0 ? 0 : nx - 2);
        const auto j = std::min<std::int64_t>(std::int64_t(y), ny - 2 < 0 ? 0 : ny - 2);
        const auto k = std::min<std::int64_t>(std::int64_t(z), nz - 2 < 0 ? 0 : nz - 2);
        const double fx = nx > 1 ? x - double(i) : 0, fy = ny > 1 ? y - double(j) : 0,
                     fz = nz > 1 ? z - double(k) : 0;
        const auto i1 = std::min(i + 1, nx - 1), j1 = std::min(j + 1, ny - 1),
                   k1 = std::min(k + 1, nz - 1);
        const double c00 = at(i, j, k) * (1 - fx) + at(i1, j, k) * fx;
        const double c10 = at(i, j1, k) * (1 - fx) + at(i1, j1, k) * fx;
        const double c01 = at(i, j, k1) * (1 - fx) + at(i1, j, k1) * fx;
        const double c11 = at(i, j1, k1) * (1 - fx) + at(i1, j1, k1) * fx;
        values[p] =
            float((c00 * (1 - fy) + c10 * fy) * (1 - fz) + (c01 * (1 - fy) + c11 * fy) * fz);
    }
    return values;
}

std::optional<std::array<long long, 3>> nearestVoxel(const Volume& volume, double x, double y,
                                                     double z) {
    if (volume.shape.size() < 3) return std::nullopt;
    const Eigen::Vector4d v = volume.affine.inverse() * Eigen::Vector4d(x, y, z, 1);
    if (!v.allFinite() || v.head<3>().cwiseAbs().maxCoeff() > 1e15) return std::nullopt;
    const long long i = std::llround(v[0]), j = std::llround(v[1]), k = std::llround(v[2]);
    const auto& s = volume.shape;
    if (i < 0 || j < 0 || k < 0 || i >= s[0] || j >= s[1] || k >= s[2]) return std::nullopt;
    return std::array<long long, 3>{i, j, k};
}

double voxelValue(const Volume& volume, const std::array<long long, 3>& voxel) {
    const auto& s = volume.shape;
    const auto [i, j, k] = voxel;
    return volume.data[std::size_t(i + s[0] * (j + s[1] * k))];  // file order: i fastest
}

std::optional<double> nearestVoxelValue(const Volume& volume, double x, double y, double z) {
    const auto voxel = nearestVoxel(volume, x, y, z);
    if (!voxel) return std::nullopt;
    return voxelValue(volume, *voxel);
}

}  // namespace us::analysis
