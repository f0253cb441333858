#include "analysis/encoding/encoding_model.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <stdexcept>

#include "analysis/core/atomic_file.h"
#include "analysis/core/hdf5_attributes.h"
#include "analysis/core/hdf5_datasets.h"
#include "analysis/core/text_parsing.h"

namespace us::analysis {
namespace fs = std::filesystem;
namespace {

constexpr hsize_t kChunkVoxels = 1024;

void writeInt64s(hid_t parent, const std::string& name, const std::vector<std::int64_t>& values,
                 std::vector<hsize_t> dims = {}) {
    if (dims.empty()) dims = {values.size()};
    writeDataset(parent, name, H5T_STD_I64LE, H5T_NATIVE_INT64, values.data(), dims);
}

void writeDoubles(hid_t parent, const std::string& name, const std::vector<double>& values) {
    writeDataset(parent, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, values.data(), {values.size()});
}

}  // namespace

struct EncodingWriter::Impl {
    AtomicFile output;
    H5Handle file;
    H5Handle weights, alphas, cvScores, intercepts, testR2, testR;
    std::int64_t features = 0, voxels = 0, alphaCount = 0;
    explicit Impl(const fs::path& path) : output(path) {}
};

EncodingWriter::EncodingWriter(const fs::path& path, const EncodingInfo& info,
                               const ResponseGeometry& geometry, std::int64_t featureCount,
                               const std::vector<double>& alphaGrid, bool withTestScores)
    : impl_(std::make_unique<Impl>(path)) {
    H5ErrorSilencer silence;
    auto& d = *impl_;
    d.file = H5Handle(
        H5Fcreate(d.output.tempPath().string().c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT),
        H5Fclose);
    if (!d.file.valid()) throw std::runtime_error("cannot create '" + path.string() + "'");
    const hid_t root = d.file.get();
    d.features = featureCount;
    d.voxels = geometry.columnCount();
    d.alphaCount = std::int64_t(alphaGrid.size());
    writeStringAttribute(root, "format", kEncodingFormatName);
    writeIntAttribute(root, "version_major", kEncodingFormatMajor);
    writeIntAttribute(root, "version_minor", kEncodingFormatMinor);
    writeStringAttribute(root, "features", info.features);
    writeStringAttribute(root, "layer", info.layer);
    writeStringAttribute(root, "pooling", info.pooling);
    writeStringAttribute(root, "betas", info.betas);
    writeStringAttribute(root, "description", info.description);
    writeIntAttribute(root, "intercept", info.intercept ? 1 : 0);
    writeIntAttribute(root, "standardize", info.standardize ? 1 : 0);
    writeIntAttribute(root, "folds", info.folds);
    writeStringAttribute(root, "kind", geometry.surface ? "surface" : "volume");
    writeInt64ArrayAttribute(root, "grid", {geometry.grid.begin(), geometry.grid.end()});
    std::vector<double> affine;
    for (int i = 0; i < 4; ++i)
        for (int j = 0; j < 4; ++j)
            affine.push_back(geometry.affine(i, j));
    writeDoubleArrayAttribute(root, "affine", affine);
    writeInt64ArrayAttribute(root, "vertex_count", {geometry.vertexCount});

    const hsize_t v = hsize_t(d.voxels), f = hsize_t(featureCount), a = hsize_t(d.alphaCount);
    d.weights = createChunkedDataset(root, "weights", H5T_IEEE_F32LE, {v, f},
                                     {std::max<hsize_t>(1, 65536 / std::max<hsize_t>(f, 1)), f});
    d.alphas = createChunkedDataset(root, "alphas", H5T_IEEE_F64LE, {v}, {kChunkVoxels * 8});
    d.cvScores = createChunkedDataset(root, "cv_scores", H5T_IEEE_F32LE, {a, v}, {a, kChunkVoxels});
    d.intercepts =
        createChunkedDataset(root, "intercepts", H5T_IEEE_F32LE, {v}, {kChunkVoxels * 8});
    if (withTestScores) {
        d.testR2 = createChunkedDataset(root, "test_r2", H5T_IEEE_F32LE, {v}, {kChunkVoxels * 8});
        d.testR = createChunkedDataset(root, "test_r", H5T_IEEE_F32LE, {v}, {kChunkVoxels * 8});
    }
    writeDoubles(root, "alpha_grid", alphaGrid);
    if (geometry.surface) {
        writeInt64s(root, "vertices", geometry.vertices);
    } else {
        std::vector<std::int64_t> flat;
        flat.reserve(geometry.voxels.size() * 3);
        for (const auto& voxel : geometry.voxels)
            flat.insert(flat.end(), voxel.begin(), voxel.end());
        writeInt64s(root, "voxels", flat, {geometry.voxels.size(), 3});
    }
    writeInt64s(root, "train_rows", info.trainRows);
    writeInt64s(root, "test_rows", info.testRows);
    if (!info.storeRows.empty()) writeInt64s(root, "store_rows", info.storeRows);
}

EncodingWriter::~EncodingWriter() = default;

void EncodingWriter::write(const RidgeBatch& batch) {
    H5ErrorSilencer silence;
    auto& d = *impl_;
    const hsize_t first = hsize_t(batch.first), count = hsize_t(batch.count);
    writeSlab(d.weights.get(), H5T_NATIVE_FLOAT, batch.weights.data(), {first, 0},
              {count, hsize_t(d.features)}, "weights");
    writeSlab(d.alphas.get(), H5T_NATIVE_DOUBLE, batch.alphas.data(), {first}, {count}, "alphas");
    writeSlab(d.cvScores.get(), H5T_NATIVE_FLOAT, batch.cvScores.data(), {0, first},
              {hsize_t(d.alphaCount), count}, "cv_scores");
    writeSlab(d.intercepts.get(), H5T_NATIVE_FLOAT, batch.intercepts.data(), {first}, {count},
              "intercepts");
    if (d.testR2.valid()) {
        writeSlab(d.testR2.get(), H5T_NATIVE_FLOAT, batch.testR2.data(), {first}, {count},
                  "test_r2");
        writeSlab(d.testR.get(), H5T_NATIVE_FLOAT, batch.testR.data(), {first}, {count}, "test_r");
    }
}

void EncodingWriter::finish(const FeatureTransform& transform) {
    H5ErrorSilencer silence;
    auto& d = *impl_;
    writeDoubles(d.file.get(), "feature_mean", transform.mean);
    writeDoubles(d.file.get(), "feature_scale", transform.scale);
    bool closed = true;
    for (H5Handle* handle :
         {&d.weights, &d.alphas, &d.cvScores, &d.intercepts, &d.testR2, &d.testR})
        closed = handle->close() && closed;
    if (!d.file.close() || !closed)
        throw std::runtime_error("cannot write '" + d.output.targetPath().string() +
                                 "' (disk full?)");
    d.output.commit();
}

EncodingModel readEncodingModel(const fs::path& path) {
    H5ErrorSilencer silence;
    const auto fail = [&](const std::string& why) -> void {
        throw std::runtime_error("encoding model '" + path.string() + "': " + why);
    };
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) fail("file not found");
    if (H5Fis_hdf5(path.string().c_str()) <= 0) fail("not an HDF5 file");
    H5Handle file(H5Fopen(path.string().c_str(), H5F_ACC_RDONLY, H5P_DEFAULT), H5Fclose);
    if (!file.valid()) fail("cannot open (corrupt file?)");
    const hid_t root = file.get();
    if (readStringAttribute(root, "format") != kEncodingFormatName)
        fail("not a Unitscope encoding model");
    const int major = readIntAttribute(root, "version_major").value_or(-1);
    if (major > kEncodingFormatMajor)
        fail("written by a newer Unitscope (format " + std::to_string(major) + "); please upgrade");
    if (major < 1) fail("unknown format version");
    EncodingModel model;
    try {
        auto& info = model.info;
        info.features = readStringAttribute(root, "features");
        info.layer = readStringAttribute(root, "layer");
        info.pooling = readStringAttribute(root, "pooling");
        info.betas = readStringAttribute(root, "betas");
        info.description = readStringAttribute(root, "description");
        info.intercept = readIntAttribute(root, "intercept").value_or(0) != 0;
        info.standardize = readIntAttribute(root, "standardize").value_or(0) != 0;
        info.folds = readIntAttribute(root, "folds").value_or(0);
        auto& geometry = model.geometry;
        geometry.surface = readStringAttribute(root, "kind") == "surface";
        const auto grid = readInt64ArrayAttribute(root, "grid");
        if (grid.size() == 3) std::copy(grid.begin(), grid.end(), geometry.grid.begin());
        const auto affine = readDoubleArrayAttribute(root, "affine");
        if (affine.size() != 16) fail("the affine is missing");
        for (int i = 0; i < 4; ++i)
            for (int j = 0; j < 4; ++j)
                geometry.affine(i, j) = affine[std::size_t(i * 4 + j)];
        const auto vertexCount = readInt64ArrayAttribute(root, "vertex_count");
        geometry.vertexCount = vertexCount.empty() ? 0 : vertexCount[0];
        if (geometry.surface) {
            geometry.vertices = readDataset<std::int64_t>(root, "vertices", H5T_NATIVE_INT64);
        } else {
            std::vector<hsize_t> dims;
            const auto flat = readDataset<std::int64_t>(root, "voxels", H5T_NATIVE_INT64, &dims);
            if (dims.size() != 2 || dims[1] != 3) fail("/voxels must be V x 3");
            for (std::size_t i = 0; i + 2 < flat.size(); i += 3)
                geometry.voxels.push_back({flat[i], flat[i + 1], flat[i + 2]});
        }
        const auto v = hsize_t(geometry.columnCount());
        std::vector<hsize_t> dims;
        model.weights = readDataset<float>(root, "weights", H5T_NATIVE_FLOAT, &dims);
        if (dims.size() != 2 || dims[0] != v) fail("/weights must be voxels x features");
        model.featureCount = std::int64_t(dims[1]);
        const auto perVoxel = [&](const char* name, auto tag, hid_t type) {
            using T = decltype(tag);
            auto values = readDataset<T>(root, name, type);
            if (values.size() != v)
                fail(std::string("/") + name + " must have one value per voxel");
            return values;
        };
        model.alphas = perVoxel("alphas", double{}, H5T_NATIVE_DOUBLE);
        model.intercepts = perVoxel("intercepts", float{}, H5T_NATIVE_FLOAT);
        if (datasetExists(root, "test_r2")) {
            model.testR2 = perVoxel("test_r2", float{}, H5T_NATIVE_FLOAT);
            model.testR = perVoxel("test_r", float{}, H5T_NATIVE_FLOAT);
        }
        model.alphaGrid = readDataset<double>(root, "alpha_grid", H5T_NATIVE_DOUBLE);
        model.cvScores = readDataset<float>(root, "cv_scores", H5T_NATIVE_FLOAT, &dims);
        if (dims.size() != 2 || dims[0] != model.alphaGrid.size() || dims[1] != v)
            fail("/cv_scores must be alphas x voxels");
        model.transform.mean = readDataset<double>(root, "feature_mean", H5T_NATIVE_DOUBLE);
        model.transform.scale = readDataset<double>(root, "feature_scale", H5T_NATIVE_DOUBLE);
        if (std::int64_t(model.transform.mean.size()) != model.featureCount ||
            std::int64_t(model.transform.scale.size()) != model.featureCount)
            fail("the feature transform does not match the weights");
        info.trainRows = readDataset<std::int64_t>(root, "train_rows", H5T_NATIVE_INT64);
        info.testRows = readDataset<std::int64_t>(root, "test_rows", H5T_NATIVE_INT64);
        if (datasetExists(root, "store_rows"))
            info.storeRows = readDataset<std::int64_t>(root, "store_rows", H5T_NATIVE_INT64);
    } catch (const std::runtime_error& error) {
        const std::string what = error.what();
        if (what.rfind("encoding model", 0) == 0) throw;
        fail(what);
    }
    return model;
}

std::int64_t columnOf(const EncodingModel& model, const std::vector<std::int64_t>& index) {
    const auto& geometry = model.geometry;
    if (geometry.surface) {
        if (index.size() != 1)
            throw std::invalid_argument("the encoding model is per vertex: give one vertex");
        const auto at = std::find(geometry.vertices.begin(), geometry.vertices.end(), index[0]);
        if (at == geometry.vertices.end())
            throw std::invalid_argument("vertex " + std::to_string(index[0]) +
                                        " was not fitted by the encoding model");
        return std::int64_t(at - geometry.vertices.begin());
    }
    if (index.size() != 3)
        throw std::invalid_argument("the encoding model is per voxel: give I,J,K");
    const std::array<std::int64_t, 3> voxel{index[0], index[1], index[2]};
    const auto at = std::find(geometry.voxels.begin(), geometry.voxels.end(), voxel);
    if (at == geometry.voxels.end())
        throw std::invalid_argument("voxel " + std::to_string(voxel[0]) + "," +
                                    std::to_string(voxel[1]) + "," + std::to_string(voxel[2]) +
                                    " was not fitted by the encoding model");
    return std::int64_t(at - geometry.voxels.begin());
}

std::string predictedResponseObjective(const EncodingModel& model, const float* weights) {
    std::string out;
    char buffer[32];
    for (std::int64_t j = 0; j < model.featureCount; ++j) {
        const double weight = double(weights[j]) / model.transform.scale[std::size_t(j)];
        if (weight == 0) continue;
        const auto end = std::to_chars(buffer, buffer + sizeof buffer, weight).ptr;
        if (!out.empty()) out += " + ";
        out.append(buffer, end);
        out += "*channel:" + model.info.layer + ":" + std::to_string(j);
    }
    if (out.empty()) throw std::invalid_argument("the weights are all zero: nothing to drive");
    return out;
}

std::vector<double> parseAlphaGrid(const std::string& text) {
    std::vector<double> alphas;
    const auto parts = [&](char separator) {
        std::vector<std::string> out;
        std::size_t start = 0;
        while (true) {
            const auto end = text.find(separator, start);
            out.push_back(text.substr(start, end - start));
            if (end == std::string::npos) break;
            start = end + 1;
        }
        return out;
    };
    const auto number = [&](const std::string& part) {
        const double value = parseFiniteNumber(part, "an alpha");
        if (!(value > 0))
            throw std::invalid_argument("alphas must be positive, not '" + part + "'");
        return value;
    };
    if (text.find(':') != std::string::npos) {
        const auto range = parts(':');
        if (range.size() != 3)
            throw std::invalid_argument("alphas: write FROM:TO:COUNT, e.g. 1e-2:1e6:20");
        const auto count = parseNonNegativeInteger(range[2], "the alpha count");
        if (count < 1 || count > 10000)
            throw std::invalid_argument("the alpha count must be between 1 and 10000");
        alphas = logSpacedAlphas(number(range[0]), number(range[1]), int(count));
    } else {
        for (const auto& part : parts(','))
            alphas.push_back(number(part));
    }
    std::sort(alphas.begin(), alphas.end());
    return alphas;
}

}  // namespace us::analysis
