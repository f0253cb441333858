#include "analysis/brain/nifti_header.h"

#include <nifti2_io.h>

#include <array>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>

#include "analysis/core/gz_reader.h"

namespace us::analysis {

namespace {

template <typename T>
T swapped(T value) {
    unsigned char bytes[sizeof(T)];
    std::memcpy(bytes, &value, sizeof(T));
    for (std::size_t i = 0; i < sizeof(T) / 2; ++i)
        std::swap(bytes[i], bytes[sizeof(T) - 1 - i]);
    std::memcpy(&value, bytes, sizeof(T));
    return value;
}

template <typename T>
void checkDimensions(const std::filesystem::path& path, const unsigned char* header,
                     std::size_t offset, bool swap) {
    std::array<T, 8> dim{};
    std::memcpy(dim.data(), header + offset, sizeof(dim));
    if (swap)
        for (auto& d : dim)
            d = swapped(d);
    const auto bad = [&](const std::string& why) {
        throw std::runtime_error("'" + path.string() + "' is not a valid NIfTI file: " + why);
    };
    if (dim[0] < 1 || dim[0] > 7) bad("dim[0] must be between 1 and 7");
    for (int d = 1; d <= int(dim[0]); ++d)
        if (dim[std::size_t(d)] < 1 || std::int64_t(dim[std::size_t(d)]) > 0x7fffffff)
            bad("dimension " + std::to_string(d) + " is " + std::to_string(dim[std::size_t(d)]));
}

}  // namespace

void checkNiftiHeaderDimensions(const std::filesystem::path& path) {
    std::filesystem::path header = path;
    if (header.extension() == ".img") header.replace_extension(".hdr");
    GzReader in(header);
    std::array<unsigned char, 540> bytes{};
    const auto got = in.readSome(bytes.data(), bytes.size());
    if (got < 348) return;
    std::int32_t size = 0;
    std::memcpy(&size, bytes.data(), 4);
    if (size == 348 || swapped(size) == 348) {
        checkDimensions<std::int16_t>(path, bytes.data(), 40, size != 348);
    } else if ((size == 540 || swapped(size) == 540) && got == 540) {
        checkDimensions<std::int64_t>(path, bytes.data(), 16, size != 540);
    }
}

NiftiGeometry readNiftiGeometry(const std::filesystem::path& path) {
    checkNiftiHeaderDimensions(path);
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
