// FreeSurfer MGH / MGZ volumes as nibabel's MGHImage reads them (big-endian, Fortran order),
// including its float32 arithmetic for the direction-cosine part of the affine.
#include <bit>
#include <stdexcept>

#include "analysis/brain/volume.h"
#include "analysis/core/gz_reader.h"

namespace us::analysis {
namespace fs = std::filesystem;
namespace {

[[noreturn]] void fail(const fs::path& path, const std::string& why) {
    throw std::runtime_error("'" + path.string() + "' is not a usable MGH file: " + why);
}

constexpr std::uint64_t kHeaderBytes = 284;  // data start

}  // namespace

Volume readMghVolume(const fs::path& path) {
    std::error_code ec;
    if (!fs::is_regular_file(path, ec))
        throw std::runtime_error("file not found: '" + path.string() + "'");
    GzReader in(path);
    if (readBigInt32(in, "the version") != 1) fail(path, "version must be 1");
    std::int32_t dims[4];
    for (auto& d : dims)
        d = readBigInt32(in, "the dimensions");
    const std::int32_t type = readBigInt32(in, "the data type");
    readBigInt32(in, "dof");
    const std::int16_t goodRas = readBigInt16(in, "the RAS flag");
    float delta[3] = {1, 1, 1};
    float mdc[3][3] = {{-1, 0, 0}, {0, 0, 1}, {0, -1, 0}};  // nibabel's defaults, rows as stored
    float centre[3] = {0, 0, 0};
    std::uint64_t used = 4 * 7 + 2;
    if (goodRas) {
        for (auto& d : delta)
            d = readBigFloat(in, "voxel sizes");
        for (auto& row : mdc)
            for (auto& v : row)
                v = readBigFloat(in, "direction cosines");
        for (auto& c : centre)
            c = readBigFloat(in, "the centre");
        used += 15 * 4;
    }
    in.skip(kHeaderBytes - used, "the header");

    Volume volume;
    volume.format = "mgh";
    std::int64_t voxels = 1;
    for (int i = 0; i < 4; ++i) {
        if (dims[i] < 1) fail(path, "dimension " + std::to_string(i + 1) + " is zero or negative");
        if (voxels > kMaxVolumeVoxels / dims[i])
            fail(path, "its dimensions multiply past the size limit");
        voxels *= dims[i];
        if (i < 3 || dims[3] != 1) volume.shape.push_back(dims[i]);
    }

    switch (type) {
        case 0: volume.datatype = "uint8"; break;
        case 1: volume.datatype = "int32"; break;
        case 3: volume.datatype = "float32"; break;
        case 4: volume.datatype = "int16"; break;
        default: fail(path, "unsupported data type " + std::to_string(type));
    }
    volume.voxelSize = {delta[0], delta[1], delta[2]};
    const int itemBytes = type == 0 ? 1 : type == 4 ? 2 : 4;
    const auto raw = in.readExactly(std::uint64_t(voxels) * std::uint64_t(itemBytes), "voxel data");
    volume.data.resize(std::size_t(voxels));
    for (std::size_t i = 0; i < volume.data.size(); ++i) {
        const unsigned char* p = raw.data() + i * std::size_t(itemBytes);
        const std::uint32_t word = itemBytes == 4
                                       ? std::uint32_t(p[0]) << 24 | std::uint32_t(p[1]) << 16 |
                                             std::uint32_t(p[2]) << 8 | p[3]
                                       : 0;
        switch (type) {
            case 0: volume.data[i] = p[0]; break;
            case 1: volume.data[i] = std::int32_t(word); break;
            case 3: volume.data[i] = std::bit_cast<float>(word); break;
            case 4: volume.data[i] = std::int16_t(std::uint16_t(p[0] << 8 | p[1])); break;
        }
    }
    // nibabel: MdcD = Mdc.T * delta (float32); centre offset in float64.
    float mdcd[3][3];
    for (int r = 0; r < 3; ++r)
        for (int c = 0; c < 3; ++c)
            mdcd[r][c] = mdc[c][r] * delta[c];
    volume.affine.setIdentity();
    for (int r = 0; r < 3; ++r) {
        double centreOffset = 0;
        for (int c = 0; c < 3; ++c) {
            volume.affine(r, c) = mdcd[r][c];
            centreOffset += double(mdcd[r][c]) * double(dims[c]);
        }
        volume.affine(r, 3) = double(centre[r]) - centreOffset / 2;
    }
    return volume;
}

}  // namespace us::analysis
