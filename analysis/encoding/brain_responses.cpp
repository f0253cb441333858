#include "analysis/encoding/brain_responses.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "analysis/brain/surface_data.h"
#include "analysis/brain/volume.h"
#include "analysis/core/npy.h"

namespace us::analysis {
namespace fs = std::filesystem;
namespace {

std::string lowerName(const fs::path& path) {
    std::string name = path.filename().string();
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    return name;
}

bool isNifti(const fs::path& path) {
    const auto name = lowerName(path);
    return name.ends_with(".nii") || name.ends_with(".nii.gz") || name.ends_with(".hdr");
}

// File-order offset (first index fastest) of each voxel of the geometry.
std::vector<std::int64_t> fileOffsets(const ResponseGeometry& geometry) {
    std::vector<std::int64_t> offsets;
    offsets.reserve(geometry.voxels.size());
    for (const auto& v : geometry.voxels)
        offsets.push_back(fileOffset(geometry.grid, v));
    return offsets;
}

// Voxels in C order (k fastest) of a grid for which keep(fileOffset) holds.
template <typename Keep>
std::vector<std::array<std::int64_t, 3>> voxelsWhere(const std::array<std::int64_t, 3>& grid,
                                                     Keep keep) {
    std::vector<std::array<std::int64_t, 3>> voxels;
    for (std::int64_t i = 0; i < grid[0]; ++i)
        for (std::int64_t j = 0; j < grid[1]; ++j)
            for (std::int64_t k = 0; k < grid[2]; ++k)
                if (keep(i + grid[0] * (j + grid[1] * k))) voxels.push_back({i, j, k});
    return voxels;
}

std::array<std::int64_t, 3> gridOf(const Volume& volume) {
    std::array<std::int64_t, 3> grid{1, 1, 1};
    for (std::size_t d = 0; d < std::min<std::size_t>(3, volume.shape.size()); ++d)
        grid[d] = volume.shape[d];
    return grid;
}

bool storesSmallIntegers(const std::string& datatype) {
    return datatype == "int16" || datatype == "int8" || datatype == "uint8";
}

}  // namespace

ResponseGeometry maskGeometry(const fs::path& mask) {
    const Volume volume = readNiftiVolume(mask);
    if (volume.shape.size() > 3 &&
        std::any_of(volume.shape.begin() + 3, volume.shape.end(), [](auto d) { return d != 1; }))
        throw std::runtime_error("the mask '" + mask.string() + "' must be a 3-D volume");
    ResponseGeometry geometry;
    geometry.grid = gridOf(volume);
    geometry.affine = volume.affine;
    geometry.voxels = voxelsWhere(geometry.grid, [&](std::int64_t offset) {
        const double v = volume.data[std::size_t(offset)];
        return v != 0 && !std::isnan(v);
    });
    if (geometry.voxels.empty())
        throw std::runtime_error("the mask '" + mask.string() + "' has no non-zero voxel");
    return geometry;
}

BrainResponses BrainResponses::read(const fs::path& betas, const std::optional<fs::path>& mask,
                                    const JobContext& job) {
    std::error_code ec;
    if (!fs::is_regular_file(betas, ec))
        throw std::runtime_error("file not found: '" + betas.string() + "'");
    BrainResponses responses;
    const std::string name = lowerName(betas);
    if (name.ends_with(".npy")) {
        if (!mask) throw std::runtime_error("betas in a .npy need --mask (a NIfTI of the voxels)");
        responses.geometry_ = maskGeometry(*mask);
        NpyHeader header;
        const auto values = readNpyAsDouble(betas, &header);
        if (header.shape.size() != 2)
            throw std::runtime_error("'" + betas.string() + "' must be a 2-D N x V array");
        if (header.shape[1] != responses.geometry_.columnCount())
            throw std::runtime_error(
                "'" + betas.string() + "' has " + std::to_string(header.shape[1]) +
                " columns but the mask has " + std::to_string(responses.geometry_.columnCount()) +
                " non-zero voxels");
        responses.rows_ = header.shape[0];
        responses.values_.assign(values.begin(), values.end());
        return responses;
    }
    if (name.ends_with(".gii")) {
        const auto gifti = readGifti(betas);
        if (gifti.isSurface || gifti.data.values.empty())
            throw std::runtime_error("'" + betas.string() + "' holds no per-vertex data arrays");
        const auto& data = gifti.data;
        const std::int64_t vertices = data.shape[0];
        const std::int64_t stimuli = data.shape.size() > 1 ? data.shape[1] : 1;
        responses.geometry_.surface = true;
        responses.geometry_.vertexCount = vertices;
        responses.geometry_.vertices.resize(std::size_t(vertices));
        for (std::int64_t v = 0; v < vertices; ++v)
            responses.geometry_.vertices[std::size_t(v)] = v;
        responses.rows_ = stimuli;
        responses.values_.resize(std::size_t(vertices * stimuli));
        for (std::int64_t v = 0; v < vertices; ++v)
            for (std::int64_t s = 0; s < stimuli; ++s)
                responses.values_[std::size_t(s * vertices + v)] =
                    float(data.values[std::size_t(v * stimuli + s)]);
        return responses;
    }
    if (!isNifti(betas))
        throw std::runtime_error("'" + betas.string() +
                                 "': betas must be a NIfTI series (.nii, .nii.gz), a GIFTI "
                                 "(.gii) or an N x V .npy with a mask");
    NiftiSeriesReader reader(betas);
    const Volume& header = reader.header();
    responses.description_ = header.description;
    const auto grid = gridOf(header);
    const std::int64_t volumes = reader.volumeCount();
    std::vector<double> volume;
    if (mask) {
        responses.geometry_ = maskGeometry(*mask);
        if (responses.geometry_.grid != grid)
            throw std::runtime_error(
                "the mask's grid does not match the betas' first three "
                "dimensions");
    } else {
        // A first pass finds the voxels that hold data: finite everywhere, non-zero somewhere.
        std::vector<std::uint8_t> nonZero(static_cast<std::size_t>(reader.voxelsPerVolume()), 0),
            finite(std::size_t(reader.voxelsPerVolume()), 1);
        NiftiSeriesReader scan(betas);
        for (std::int64_t t = 0; t < volumes; ++t) {
            scan.readScaled(volume);
            for (std::size_t i = 0; i < volume.size(); ++i) {
                if (!std::isfinite(volume[i]))
                    finite[i] = 0;
                else if (volume[i] != 0)
                    nonZero[i] = 1;
            }
            job.report(0.5 * double(t + 1) / double(volumes), "finding the voxels with data");
            job.checkCancelled();
        }
        responses.geometry_.grid = grid;
        responses.geometry_.voxels = voxelsWhere(grid, [&](std::int64_t offset) {
            return nonZero[std::size_t(offset)] && finite[std::size_t(offset)];
        });
        if (responses.geometry_.voxels.empty())
            throw std::runtime_error("'" + betas.string() + "' has no voxel with data");
    }
    responses.geometry_.affine = header.affine;
    responses.rows_ = volumes;
    const auto offsets = fileOffsets(responses.geometry_);
    const std::size_t columns = offsets.size();
    const bool compact = storesSmallIntegers(header.datatype);
    if (compact) {
        responses.slope_ = reader.slope();
        responses.intercept_ = reader.intercept();
        responses.stored_.resize(std::size_t(volumes) * columns);
    } else {
        responses.values_.resize(std::size_t(volumes) * columns);
    }
    const double from = mask ? 0.0 : 0.5;
    for (std::int64_t t = 0; t < volumes; ++t) {
        const std::size_t row = std::size_t(t) * columns;
        if (compact) {
            reader.readStored(volume);
            for (std::size_t c = 0; c < columns; ++c)
                responses.stored_[row + c] = std::int16_t(volume[std::size_t(offsets[c])]);
        } else {
            reader.readScaled(volume);
            for (std::size_t c = 0; c < columns; ++c)
                responses.values_[row + c] = float(volume[std::size_t(offsets[c])]);
        }
        job.report(from + (1 - from) * double(t + 1) / double(volumes), "reading the betas");
        job.checkCancelled();
    }
    return responses;
}

void BrainResponses::copyColumns(std::int64_t first, std::int64_t count, float* out) const {
    const std::int64_t columns = this->columns();
    if (first < 0 || count < 0 || first + count > columns)
        throw std::out_of_range("response columns out of range");
    for (std::int64_t r = 0; r < rows_; ++r) {
        const std::size_t from = std::size_t(r * columns + first);
        float* to = out + r * count;
        if (!stored_.empty()) {
            for (std::int64_t c = 0; c < count; ++c)
                to[c] = float(double(stored_[from + std::size_t(c)]) * slope_ + intercept_);
        } else {
            std::copy_n(values_.data() + from, count, to);
        }
    }
}

}  // namespace us::analysis
