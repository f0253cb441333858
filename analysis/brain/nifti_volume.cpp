// NIfTI volumes read as nibabel reads them. libnifti2 parses the header (NIfTI-1 and -2, byte
// order, .nii/.nii.gz/.hdr+.img); the data are read here with exact-length checks, and the
// affine and scaling follow nibabel's rules, including its arithmetic precision.
#include <nifti2_io.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <future>
#include <limits>
#include <memory>
#include <stdexcept>

#include "analysis/brain/nifti_header.h"
#include "analysis/brain/volume.h"
#include "analysis/core/gz_reader.h"
#include "analysis/core/stderr_silencer.h"

namespace us::analysis {
namespace fs = std::filesystem;
namespace {

[[noreturn]] void fail(const fs::path& path, const std::string& why) {
    throw std::runtime_error("'" + path.string() + "' is not a usable NIfTI file: " + why);
}

struct TypeInfo {
    const char* name;
    int bytes;
};

TypeInfo typeInfo(int datatype) {
    switch (datatype) {
        case DT_UINT8: return {"uint8", 1};
        case DT_INT8: return {"int8", 1};
        case DT_INT16: return {"int16", 2};
        case DT_UINT16: return {"uint16", 2};
        case DT_INT32: return {"int32", 4};
        case DT_UINT32: return {"uint32", 4};
        case DT_INT64: return {"int64", 8};
        case DT_UINT64: return {"uint64", 8};
        case DT_FLOAT32: return {"float32", 4};
        case DT_FLOAT64: return {"float64", 8};
        default: return {nullptr, 0};
    }
}

// Appends `count` values of type T (file byte order) to out as doubles.
template <typename T>
void appendConverted(const unsigned char* raw, std::size_t count, bool swap,
                     std::vector<double>& out) {
    const std::size_t start = out.size();
    out.resize(start + count);
    for (std::size_t i = 0; i < count; ++i) {
        unsigned char bytes[sizeof(T)];
        std::memcpy(bytes, raw + i * sizeof(T), sizeof(T));
        if (swap) std::reverse(bytes, bytes + sizeof(T));
        T value;
        std::memcpy(&value, bytes, sizeof(T));
        out[start + i] = double(value);
    }
}

using Converter = void (*)(const unsigned char*, std::size_t, bool, std::vector<double>&);

Converter converterFor(int datatype) {
    switch (datatype) {
        case DT_UINT8: return &appendConverted<std::uint8_t>;
        case DT_INT8: return &appendConverted<std::int8_t>;
        case DT_INT16: return &appendConverted<std::int16_t>;
        case DT_UINT16: return &appendConverted<std::uint16_t>;
        case DT_INT32: return &appendConverted<std::int32_t>;
        case DT_UINT32: return &appendConverted<std::uint32_t>;
        case DT_INT64: return &appendConverted<std::int64_t>;
        case DT_UINT64: return &appendConverted<std::uint64_t>;
        case DT_FLOAT32: return &appendConverted<float>;
        case DT_FLOAT64: return &appendConverted<double>;
        default: return nullptr;
    }
}

// nibabel's get_qform: quaternion in extended precision (numpy's longdouble), pixdim as
// float32, qfac 0 read as 1.
// NIfTI-1 stores float32 header fields, NIfTI-2 float64; libnifti widens both to double.
double headerReal(const nifti_image& image, double value) {
    return image.nifti_type >= NIFTI_FTYPE_NIFTI2_1 ? value : double(float(value));
}

Eigen::Matrix4d qformAffine(const nifti_image& image, const fs::path& path) {
    using Real = long double;
    const bool wide = image.nifti_type >= NIFTI_FTYPE_NIFTI2_1;
    const Real b = headerReal(image, image.quatern_b), c = headerReal(image, image.quatern_c),
               d = headerReal(image, image.quatern_d);
    Real w2 = 1.0L - (b * b + c * c + d * d);
    const Real threshold = -3.0L * (wide ? Real(std::numeric_limits<double>::epsilon())
                                         : Real(std::numeric_limits<float>::epsilon()));
    if (w2 < 0 && w2 < threshold) fail(path, "the qform quaternion is not a unit quaternion");
    const Real a = w2 < 0 ? 0 : std::sqrt(w2);
    const Real n = a * a + b * b + c * c + d * d;
    Real r[3][3] = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}};
    if (n >= Real(std::numeric_limits<double>::epsilon())) {
        const Real s = 2.0L / n;
        const Real X = b * s, Y = c * s, Z = d * s;
        const Real wX = a * X, wY = a * Y, wZ = a * Z;
        const Real xX = b * X, xY = b * Y, xZ = b * Z;
        const Real yY = c * Y, yZ = c * Z, zZ = d * Z;
        const Real m[3][3] = {{1.0L - (yY + zZ), xY - wZ, xZ + wY},
                              {xY + wZ, 1.0L - (xX + zZ), yZ - wX},
                              {xZ - wY, yZ + wX, 1.0L - (xX + yY)}};
        std::memcpy(r, m, sizeof r);
    }
    Real vox[3] = {headerReal(image, image.dx), headerReal(image, image.dy),
                   headerReal(image, image.dz)};
    if (vox[0] < 0 || vox[1] < 0 || vox[2] < 0)
        fail(path, "pixdim[1..3] must be positive for the qform");
    const Real qfac = image.qfac < 0 ? -1.0L : 1.0L;
    vox[2] *= qfac;
    Eigen::Matrix4d affine = Eigen::Matrix4d::Identity();
    for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 3; ++j)
            affine(i, j) = double(r[i][j] * vox[j]);
    affine(0, 3) = headerReal(image, image.qoffset_x);
    affine(1, 3) = headerReal(image, image.qoffset_y);
    affine(2, 3) = headerReal(image, image.qoffset_z);
    return affine;
}

Eigen::Matrix4d sformAffine(const nifti_image& image) {
    Eigen::Matrix4d affine = Eigen::Matrix4d::Identity();
    for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 4; ++j)
            affine(i, j) = image.sto_xyz.m[i][j];
    return affine;
}

// nibabel's get_base_affine: centred, x flipped, from the first three zooms.
Eigen::Matrix4d baseAffine(const std::vector<std::int64_t>& shape,
                           const std::vector<double>& zooms) {  // zooms already as stored
    Eigen::Matrix4d affine = Eigen::Matrix4d::Identity();
    for (int i = 0; i < 3; ++i) {
        const double extent = i < int(shape.size()) ? double(shape[std::size_t(i)]) : 1.0;
        double zoom = i < int(zooms.size()) ? zooms[std::size_t(i)] : 1.0;
        if (i == 0) zoom = -zoom;
        affine(i, i) = zoom;
        affine(i, 3) = -((extent - 1) / 2.0) * zoom;
    }
    return affine;
}

}  // namespace

std::int64_t Volume::voxelCount() const {
    std::int64_t n = 1;
    for (auto d : shape)
        n *= d;
    return n;
}

std::vector<double> Volume::dataInCOrder() const {
    const std::size_t rank = shape.size();
    std::vector<double> out(data.size());
    std::vector<std::int64_t> index(rank, 0);
    // Walk file order (first index fastest) and place each value at its C-order offset.
    std::vector<std::int64_t> cStride(rank, 1);
    for (std::size_t d = rank; d-- > 1;)
        cStride[d - 1] = cStride[d] * shape[d];
    for (std::size_t i = 0; i < data.size(); ++i) {
        std::int64_t offset = 0;
        for (std::size_t d = 0; d < rank; ++d)
            offset += index[d] * cStride[d];
        out[std::size_t(offset)] = data[i];
        for (std::size_t d = 0; d < rank; ++d) {
            if (++index[d] < shape[d]) break;
            index[d] = 0;
        }
    }
    return out;
}

namespace {

// The header, the affine and scaling, and where the voxel data lie.
struct NiftiLayout {
    Volume header;  // no data
    fs::path dataPath;
    std::uint64_t offset = 0, bytes = 0, fileBytes = 0;
    bool compressed = false, swap = false;
    TypeInfo type{};
    Converter convert = nullptr;
    bool scaled = false;
    double slope = 1, inter = 0;
};

NiftiLayout readNiftiLayout(const fs::path& path) {
    std::error_code ec;
    if (!fs::is_regular_file(path, ec))
        throw std::runtime_error("file not found: '" + path.string() + "'");
    checkNiftiHeaderDimensions(path);
    nifti_set_debug_level(0);
    std::unique_ptr<nifti_image, decltype(&nifti_image_free)> image(nullptr, &nifti_image_free);
    {
        const StderrSilencer quiet;  // libnifti prints its own "** ERROR" lines
        image.reset(nifti_image_read(path.string().c_str(), 0));
    }
    if (!image) fail(path, "the header cannot be read");
    const int rank = int(image->dim[0]);
    if (rank < 1 || rank > 7) fail(path, "dim[0] must be between 1 and 7");
    NiftiLayout layout;
    Volume& volume = layout.header;
    volume.format = image->nifti_type >= NIFTI_FTYPE_NIFTI2_1 ? "nifti2" : "nifti1";
    std::int64_t voxels = 1;
    for (int d = 1; d <= rank; ++d) {
        if (image->dim[d] < 1)
            fail(path, "dimension " + std::to_string(d) + " is zero or negative");
        if (voxels > kMaxVolumeVoxels / image->dim[d])
            fail(path,
                 "its dimensions multiply past " + std::to_string(kMaxVolumeVoxels) + " voxels");
        voxels *= image->dim[d];
        volume.shape.push_back(image->dim[d]);
        volume.voxelSize.push_back(headerReal(*image, image->pixdim[d]));
    }
    layout.type = typeInfo(image->datatype);
    if (!layout.type.name)
        fail(path, "unsupported datatype code " + std::to_string(image->datatype));
    volume.datatype = layout.type.name;
    layout.bytes = std::uint64_t(voxels) * std::uint64_t(layout.type.bytes);
    if (image->iname_offset < 0) fail(path, "negative data offset");
    layout.offset = std::uint64_t(image->iname_offset);
    layout.dataPath = image->iname ? fs::path(image->iname) : path;
    layout.compressed = layout.dataPath.extension() == ".gz";
    layout.fileBytes = fs::file_size(layout.dataPath, ec);
    if (ec) fail(path, "cannot read the size of '" + layout.dataPath.string() + "'");
    if (!layout.compressed && layout.fileBytes < layout.offset + layout.bytes)
        fail(path, "the data offset plus " + std::to_string(layout.bytes) +
                       " data bytes pass the end of the file (truncated?)");
    layout.swap = image->byteorder != nifti_short_order();
    layout.convert = converterFor(image->datatype);
    // nibabel: no scaling when the slope is 0 or not finite; a valid slope with a non-finite
    // intercept is an error.
    const double slope = headerReal(*image, image->scl_slope);
    const double inter = headerReal(*image, image->scl_inter);
    if (slope != 0 && std::isfinite(slope)) {
        if (!std::isfinite(inter)) fail(path, "valid scl_slope but invalid scl_inter");
        layout.scaled = slope != 1.0 || inter != 0.0;
        layout.slope = slope;
        layout.inter = inter;
    }
    volume.sformCode = image->sform_code;
    volume.qformCode = image->qform_code;
    volume.description = std::string(image->descrip, strnlen(image->descrip, sizeof image->descrip));
    if (image->sform_code != 0)
        volume.affine = sformAffine(*image);
    else if (image->qform_code != 0)
        volume.affine = qformAffine(*image, path);
    else
        volume.affine = baseAffine(volume.shape, volume.voxelSize);
    return layout;
}

void applyScaling(const NiftiLayout& layout, std::vector<double>& values, std::size_t from = 0) {
    if (!layout.scaled) return;
    for (std::size_t i = from; i < values.size(); ++i) {
        const volatile double scaled = values[i] * layout.slope;  // two roundings, as numpy
        values[i] = scaled + layout.inter;
    }
}

}  // namespace

Volume readNiftiVolume(const fs::path& path) {
    NiftiLayout layout = readNiftiLayout(path);
    Volume volume = std::move(layout.header);
    const std::uint64_t bytes = layout.bytes;
    const TypeInfo type = layout.type;
    GzReader in(layout.dataPath);
    in.skip(layout.offset, "the header and extensions");
    // Inflating and converting overlap: a second thread converts one chunk while the next is
    // read.
    const bool swap = layout.swap;
    const Converter convert = layout.convert;
    constexpr std::uint64_t kChunk = 16u << 20;  // a multiple of every type's size
    // The values are reserved once (growing chunk by chunk would copy them again and again),
    // but only as many as the file can really hold, so a header that lies about its size
    // cannot make us allocate more: all of them when uncompressed (checked above); deflate
    // expands at most 1032-fold.
    const std::uint64_t plausible =
        layout.compressed ? std::min(bytes, layout.fileBytes * 1032) : bytes;
    volume.data.reserve(std::size_t(plausible / std::uint64_t(type.bytes)));
    std::array<std::vector<unsigned char>, 2> buffers;
    std::future<void> converting;
    for (std::uint64_t done = 0, chunk = 0; done < bytes; ++chunk) {
        const std::uint64_t step = std::min(kChunk, bytes - done);
        auto& buffer = buffers[chunk % 2];
        buffer.resize(step);
        in.read(buffer.data(), step, "voxel data");
        if (converting.valid()) converting.get();
        converting = std::async(std::launch::async, [&volume, &buffer, convert, swap, step, type] {
            convert(buffer.data(), std::size_t(step / std::uint64_t(type.bytes)), swap,
                    volume.data);
        });
        done += step;
    }
    if (converting.valid()) converting.get();
    if (layout.compressed && !in.atEnd())
        fail(path, "the compressed stream holds more data than the header declares");
    applyScaling(layout, volume.data);
    return volume;
}

struct NiftiSeriesReader::Impl {
    NiftiLayout layout;
    GzReader in;
    std::int64_t next = 0;
    std::vector<unsigned char> buffer;
    explicit Impl(NiftiLayout l) : layout(std::move(l)), in(layout.dataPath) {
        in.skip(layout.offset, "the header and extensions");
    }
};

NiftiSeriesReader::NiftiSeriesReader(const fs::path& path)
    : impl_(std::make_unique<Impl>(readNiftiLayout(path))) {
    const auto& shape = impl_->layout.header.shape;
    voxelsPerVolume_ = 1;
    for (std::size_t d = 0; d < std::min<std::size_t>(3, shape.size()); ++d)
        voxelsPerVolume_ *= shape[d];
    volumeCount_ = impl_->layout.header.voxelCount() / voxelsPerVolume_;
}

NiftiSeriesReader::~NiftiSeriesReader() = default;

const Volume& NiftiSeriesReader::header() const { return impl_->layout.header; }
double NiftiSeriesReader::slope() const { return impl_->layout.scaled ? impl_->layout.slope : 1.0; }
double NiftiSeriesReader::intercept() const {
    return impl_->layout.scaled ? impl_->layout.inter : 0.0;
}

void NiftiSeriesReader::readStored(std::vector<double>& out) {
    if (impl_->next >= volumeCount_)
        throw std::runtime_error("'" + impl_->in.path().string() + "' holds only " +
                                 std::to_string(volumeCount_) + " volumes");
    const std::uint64_t step =
        std::uint64_t(voxelsPerVolume_) * std::uint64_t(impl_->layout.type.bytes);
    impl_->buffer.resize(step);
    impl_->in.read(impl_->buffer.data(), step, "voxel data");
    out.clear();
    impl_->layout.convert(impl_->buffer.data(), std::size_t(voxelsPerVolume_), impl_->layout.swap,
                          out);
    ++impl_->next;
}

void NiftiSeriesReader::readScaled(std::vector<double>& out) {
    readStored(out);
    applyScaling(impl_->layout, out);
}

}  // namespace us::analysis
