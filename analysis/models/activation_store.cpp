#include "analysis/models/activation_store.h"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <fstream>
#include <map>
#include <stdexcept>

#include "analysis/core/hdf5_attributes.h"
#include "analysis/core/hdf5_datasets.h"
#include "analysis/core/hdf5_handle.h"
#include "analysis/core/name_suggestions.h"

namespace us::analysis {
namespace fs = std::filesystem;
namespace {

constexpr const char* kStimuliGroup = "/stimuli";
constexpr const char* kLayersGroup = "/layers";
constexpr const char* kPredictionsPath = "/outputs/predicted";

// Groups remember the order their members were created in (layers keep the user's order).
// Layer names may hold '/' (concept layers, "relu3/nmf-8"), which HDF5 reads as a path: it is
// stored as "%2F", and '%' as "%25".
std::string hdf5LayerName(const std::string& name) {
    std::string escaped;
    for (const char c : name) escaped += c == '/' ? "%2F" : c == '%' ? "%25" : std::string(1, c);
    return escaped;
}

std::string layerNameFromHdf5(const std::string& stored) {
    std::string name;
    for (std::size_t i = 0; i < stored.size(); ++i) {
        if (stored[i] == '%' && stored.compare(i, 3, "%2F") == 0) {
            name += '/';
            i += 2;
        } else if (stored[i] == '%' && stored.compare(i, 3, "%25") == 0) {
            name += '%';
            i += 2;
        } else {
            name += stored[i];
        }
    }
    return name;
}

H5Handle createGroup(hid_t parent, const std::string& name) {
    H5Handle props(H5Pcreate(H5P_GROUP_CREATE), H5Pclose);
    H5Pset_link_creation_order(props.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED);
    H5Handle group(H5Gcreate2(parent, name.c_str(), H5P_DEFAULT, props.get(), H5P_DEFAULT),
                   H5Gclose);
    if (!group.valid()) throw std::runtime_error("cannot create group " + name);
    return group;
}

// An extendable [rows, columns] (columns 0: 1-D) chunked, shuffled, deflated dataset.
H5Handle createGrowingDataset(hid_t parent, const char* name, hid_t type, hsize_t columns) {
    const int rank = columns ? 2 : 1;
    const hsize_t dims[2] = {0, columns};
    const hsize_t maxDims[2] = {H5S_UNLIMITED, columns};
    const hsize_t chunkColumns = std::clamp<hsize_t>(columns, 1, 128);
    const hsize_t chunk[2] = {std::clamp<hsize_t>(65536 / chunkColumns, 16, 1024), chunkColumns};
    H5Handle space(H5Screate_simple(rank, dims, maxDims), H5Sclose);
    H5Handle props(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
    H5Pset_chunk(props.get(), rank, chunk);
    H5Pset_shuffle(props.get());
    H5Pset_deflate(props.get(), 1);
    H5Handle dataset(
        H5Dcreate2(parent, name, type, space.get(), H5P_DEFAULT, props.get(), H5P_DEFAULT),
        H5Dclose);
    if (!dataset.valid()) throw std::runtime_error(std::string("cannot create dataset ") + name);
    return dataset;
}

void appendRows(hid_t dataset, hid_t memType, const void* data, hsize_t first, hsize_t rows,
                hsize_t columns) {
    if (rows == 0) return;
    const int rank = columns ? 2 : 1;
    const hsize_t newDims[2] = {first + rows, columns};
    if (H5Dset_extent(dataset, newDims) < 0) throw std::runtime_error("cannot extend dataset");
    H5Handle fileSpace(H5Dget_space(dataset), H5Sclose);
    const hsize_t start[2] = {first, 0};
    const hsize_t count[2] = {rows, columns};
    H5Sselect_hyperslab(fileSpace.get(), H5S_SELECT_SET, start, nullptr, count, nullptr);
    H5Handle memSpace(H5Screate_simple(rank, count, nullptr), H5Sclose);
    if (H5Dwrite(dataset, memType, memSpace.get(), fileSpace.get(), H5P_DEFAULT, data) < 0)
        throw std::runtime_error("cannot write activations (disk full?)");
}

template <typename T>
void writeArray(hid_t parent, const char* name, hid_t fileType, hid_t memType,
                const std::vector<T>& values) {
    const hsize_t dims[1] = {values.size()};
    H5Handle space(H5Screate_simple(1, dims, nullptr), H5Sclose);
    H5Handle dataset(
        H5Dcreate2(parent, name, fileType, space.get(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
        H5Dclose);
    if (!dataset.valid() || (!values.empty() && H5Dwrite(dataset.get(), memType, H5S_ALL, H5S_ALL,
                                                         H5P_DEFAULT, values.data()) < 0))
        throw std::runtime_error(std::string("cannot write ") + name);
}

H5Handle variableStringType() {
    H5Handle type(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(type.get(), H5T_VARIABLE);
    H5Tset_cset(type.get(), H5T_CSET_UTF8);
    return type;
}

void writeStrings(hid_t parent, const char* name, const std::vector<std::string>& values) {
    std::vector<const char*> pointers;
    for (const auto& value : values)
        pointers.push_back(value.c_str());
    const H5Handle type = variableStringType();
    writeArray(parent, name, type.get(), type.get(), pointers);
}

bool exists(hid_t parent, const std::string& path) {
    return H5Lexists(parent, path.c_str(), H5P_DEFAULT) > 0;
}

std::vector<std::string> readStrings(hid_t parent, const char* name, hsize_t maxCount) {
    if (!exists(parent, name)) return {};
    H5Handle dataset(H5Dopen2(parent, name, H5P_DEFAULT), H5Dclose);
    H5Handle space(H5Dget_space(dataset.get()), H5Sclose);
    const auto count = H5Sget_simple_extent_npoints(space.get());
    if (count < 0 || hsize_t(count) > maxCount)
        throw std::runtime_error(std::string("implausible size of ") + name);
    std::vector<char*> raw(std::size_t(count), nullptr);
    const H5Handle type = variableStringType();
    if (count > 0 &&
        H5Dread(dataset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, raw.data()) < 0)
        throw std::runtime_error(std::string("cannot read ") + name);
    std::vector<std::string> values;
    for (char* text : raw)
        values.emplace_back(text ? text : "");
    if (count > 0) H5Dvlen_reclaim(type.get(), space.get(), H5P_DEFAULT, raw.data());
    return values;
}

template <typename T>
std::vector<T> readVector(hid_t parent, const char* name, hid_t memType, hsize_t expected) {
    if (!exists(parent, name)) return {};
    H5Handle dataset(H5Dopen2(parent, name, H5P_DEFAULT), H5Dclose);
    H5Handle space(H5Dget_space(dataset.get()), H5Sclose);
    if (H5Sget_simple_extent_npoints(space.get()) != hssize_t(expected))
        throw std::runtime_error(std::string(name) + " does not have one entry per stimulus");
    std::vector<T> values(expected);
    if (expected > 0 &&
        H5Dread(dataset.get(), memType, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) < 0)
        throw std::runtime_error(std::string("cannot read ") + name);
    return values;
}

}  // namespace

// ---------------------------------------------------------------------------------------------

struct ActivationStoreWriter::Impl {
    struct Sink {
        StoreLayer layer;
        H5Handle mean, max;
        std::vector<float> pendingMean, pendingMax;
    };
    AtomicFile output;
    H5ErrorSilencer silence;
    H5Handle file;
    std::vector<Sink> sinks;
    H5Handle predictions;
    std::vector<std::int32_t> pendingPredictions;
    hsize_t written = 0;
    hsize_t pending = 0;
    static constexpr hsize_t kFlushRows = 256;

    explicit Impl(const fs::path& path) : output(path) {}

    void flush() {
        for (auto& sink : sinks) {
            const auto units = hsize_t(sink.layer.units);
            appendRows(sink.mean.get(), H5T_NATIVE_FLOAT, sink.pendingMean.data(), written, pending,
                       units);
            appendRows(sink.max.get(), H5T_NATIVE_FLOAT, sink.pendingMax.data(), written, pending,
                       units);
            sink.pendingMean.clear();
            sink.pendingMax.clear();
        }
        if (predictions.valid())
            appendRows(predictions.get(), H5T_NATIVE_INT32, pendingPredictions.data(), written,
                       pending, 0);
        pendingPredictions.clear();
        written += pending;
        pending = 0;
    }
};

ActivationStoreWriter::ActivationStoreWriter(const fs::path& path,
                                             const StoreProvenance& provenance,
                                             const std::vector<StoreLayer>& layers,
                                             bool withPredictions)
    : impl_(std::make_unique<Impl>(path)) {
    auto& d = *impl_;
    d.file = H5Handle(
        H5Fcreate(d.output.tempPath().string().c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT),
        H5Fclose);
    if (!d.file.valid())
        throw std::runtime_error("cannot create '" + path.string() + "' (is the folder writable?)");
    const hid_t root = d.file.get();
    writeStringAttribute(root, "format", kActivationFormatName);
    writeIntAttribute(root, "version_major", kActivationFormatMajor);
    writeIntAttribute(root, "version_minor", kActivationFormatMinor);
    writeStringAttribute(root, "model_path", provenance.modelPath);
    writeStringAttribute(root, "model_sha256", provenance.modelSha256);
    writeInt64ArrayAttribute(root, "input_shape", provenance.inputShape);
    writeFloatArrayAttribute(root, "input_mean", provenance.inputMean);
    writeFloatArrayAttribute(root, "input_std", provenance.inputStd);
    writeStringAttribute(root, "preprocessing", provenance.preprocessing);
    writeStringAttribute(root, "stimuli_path", provenance.stimuliPath);
    writeStringAttribute(root, "stimuli_kind", provenance.stimuliKind);

    const H5Handle layersGroup = createGroup(root, kLayersGroup);
    for (const auto& layer : layers) {
        const H5Handle group = createGroup(layersGroup.get(), hdf5LayerName(layer.name));
        writeStringAttribute(group.get(), "type", layer.type);
        writeInt64ArrayAttribute(group.get(), "output_shape", layer.outputShape);
        Impl::Sink sink{layer, {}, {}, {}, {}};
        sink.mean = createGrowingDataset(group.get(), "mean", H5T_IEEE_F32LE, hsize_t(layer.units));
        sink.max = createGrowingDataset(group.get(), "max", H5T_IEEE_F32LE, hsize_t(layer.units));
        d.sinks.push_back(std::move(sink));
    }
    if (withPredictions) {
        const H5Handle outputs = createGroup(root, "/outputs");
        d.predictions = createGrowingDataset(outputs.get(), "predicted", H5T_STD_I32LE, 0);
        if (!provenance.outputLabels.empty())
            writeStrings(outputs.get(), "label_names", provenance.outputLabels);
    }
}

ActivationStoreWriter::~ActivationStoreWriter() = default;

void ActivationStoreWriter::append(const std::vector<PooledActivations>& rows,
                                   const std::vector<std::int32_t>& predictions) {
    auto& d = *impl_;
    if (rows.size() != d.sinks.size()) throw std::invalid_argument("append: wrong layer count");
    const auto count = rows.empty() ? 0 : rows[0].mean.shape.at(0);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        auto& sink = d.sinks[i];
        if (rows[i].mean.shape != std::vector<std::int64_t>{count, sink.layer.units} ||
            rows[i].max.shape != rows[i].mean.shape)
            throw std::invalid_argument("append: layer '" + sink.layer.name +
                                        "' rows have the wrong shape");
        sink.pendingMean.insert(sink.pendingMean.end(), rows[i].mean.values.begin(),
                                rows[i].mean.values.end());
        sink.pendingMax.insert(sink.pendingMax.end(), rows[i].max.values.begin(),
                               rows[i].max.values.end());
    }
    if (d.predictions.valid()) {
        if (std::int64_t(predictions.size()) != count)
            throw std::invalid_argument("append: one prediction per row is needed");
        d.pendingPredictions.insert(d.pendingPredictions.end(), predictions.begin(),
                                    predictions.end());
    }
    d.pending += hsize_t(count);
    if (d.pending >= Impl::kFlushRows) d.flush();
}

void ActivationStoreWriter::addLayerArray(const std::string& layer, const std::string& dataset,
                                          const FloatArray& values) {
    const auto found = std::find_if(impl_->sinks.begin(), impl_->sinks.end(),
                                    [&](const Impl::Sink& sink) { return sink.layer.name == layer; });
    if (found == impl_->sinks.end() || dataset == "mean" || dataset == "max")
        throw std::invalid_argument("addLayerArray: no layer '" + layer + "' or a reserved name");
    const std::string path = std::string(kLayersGroup) + "/" + hdf5LayerName(layer);
    const H5Handle group(H5Gopen2(impl_->file.get(), path.c_str(), H5P_DEFAULT), H5Gclose);
    std::vector<hsize_t> dims(values.shape.begin(), values.shape.end());
    writeDataset(group.get(), dataset, H5T_IEEE_F32LE, H5T_NATIVE_FLOAT, values.values.data(),
                 dims);
}

void ActivationStoreWriter::addLayerAttribute(const std::string& layer, const std::string& name,
                                              const std::string& value) {
    const std::string path = std::string(kLayersGroup) + "/" + hdf5LayerName(layer);
    const H5Handle group(H5Gopen2(impl_->file.get(), path.c_str(), H5P_DEFAULT), H5Gclose);
    if (!group.valid()) throw std::invalid_argument("addLayerAttribute: no layer '" + layer + "'");
    writeStringAttribute(group.get(), name.c_str(), value);
}

std::int64_t ActivationStoreWriter::rowCount() const {
    return std::int64_t(impl_->written + impl_->pending);
}

void ActivationStoreWriter::finish(const StoreStimuli& stimuli) {
    auto& d = *impl_;
    d.flush();
    const auto rows = d.written;
    if (!stimuli.labels.empty() && stimuli.labels.size() != rows)
        throw std::invalid_argument("finish: one label per stored row is needed");
    {
        const H5Handle group = createGroup(d.file.get(), kStimuliGroup);
        const std::int64_t count = std::int64_t(rows);
        writeInt64ArrayAttribute(group.get(), "count", {count});
        if (!stimuli.labels.empty())
            writeArray(group.get(), "labels", H5T_STD_I32LE, H5T_NATIVE_INT32, stimuli.labels);
        writeStrings(group.get(), "label_names", stimuli.labelNames);
        writeStrings(group.get(), "names", stimuli.names);
        writeArray(group.get(), "source_index", H5T_STD_I64LE, H5T_NATIVE_INT64,
                   stimuli.sourceIndex);
        writeStrings(group.get(), "skipped", stimuli.skipped);
    }
    for (auto& sink : d.sinks) {
        sink.mean.reset();
        sink.max.reset();
    }
    d.predictions.reset();
    if (H5Fflush(d.file.get(), H5F_SCOPE_GLOBAL) < 0 || !d.file.close())
        throw std::runtime_error("cannot flush '" + d.output.targetPath().string() + "'");
    d.output.commit();
}

// ---------------------------------------------------------------------------------------------

struct ActivationStore::Impl {
    fs::path path;
    H5Handle file;
    std::int64_t count = 0;
    StoreProvenance provenance;
    std::vector<StoreLayer> layers;
    StoreStimuli stimuli;
    std::vector<std::int32_t> predictions;

    H5Handle openDataset(const std::string& layer, Pooling pooling) const {
        const std::string name = std::string(kLayersGroup) + "/" + hdf5LayerName(layer) +
                                 (pooling == Pooling::Mean ? "/mean" : "/max");
        H5Handle dataset(H5Dopen2(file.get(), name.c_str(), H5P_DEFAULT), H5Dclose);
        if (!dataset.valid()) throw std::runtime_error("cannot open " + name);
        return dataset;
    }
};

ActivationStore::ActivationStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ActivationStore::ActivationStore(ActivationStore&&) noexcept = default;
ActivationStore& ActivationStore::operator=(ActivationStore&&) noexcept = default;
ActivationStore::~ActivationStore() = default;

ActivationStore ActivationStore::open(const fs::path& path) {
    H5ErrorSilencer silence;
    const auto fail = [&](const std::string& why) -> void {
        throw std::runtime_error("activation store '" + path.string() + "': " + why);
    };
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) fail("file not found");
    if (H5Fis_hdf5(path.string().c_str()) <= 0) fail("not an HDF5 file");
    auto impl = std::make_unique<Impl>();
    impl->path = path;
    H5Handle fapl(H5Pcreate(H5P_FILE_ACCESS), H5Pclose);
    H5Pset_fclose_degree(fapl.get(), H5F_CLOSE_STRONG);
    impl->file = H5Handle(H5Fopen(path.string().c_str(), H5F_ACC_RDONLY, fapl.get()), H5Fclose);
    if (!impl->file.valid()) fail("cannot open (corrupt file?)");
    const hid_t root = impl->file.get();
    if (readStringAttribute(root, "format") != kActivationFormatName)
        fail("not a Unitscope activation store");
    const auto major = readIntAttribute(root, "version_major").value_or(-1);
    if (major > kActivationFormatMajor)
        fail("written by a newer Unitscope (format " + std::to_string(major) + "); please upgrade");
    if (major < 1) fail("unknown format version");
    try {
        auto& p = impl->provenance;
        p.modelPath = readStringAttribute(root, "model_path");
        p.modelSha256 = readStringAttribute(root, "model_sha256");
        p.inputShape = readInt64ArrayAttribute(root, "input_shape");
        for (const double v : readDoubleArrayAttribute(root, "input_mean")) p.inputMean.push_back(float(v));
        for (const double v : readDoubleArrayAttribute(root, "input_std")) p.inputStd.push_back(float(v));
        p.preprocessing = readStringAttribute(root, "preprocessing");
        p.stimuliPath = readStringAttribute(root, "stimuli_path");
        p.stimuliKind = readStringAttribute(root, "stimuli_kind");

        if (!exists(root, kStimuliGroup)) fail("no /stimuli group (unfinished file?)");
        H5Handle stimuli(H5Gopen2(root, kStimuliGroup, H5P_DEFAULT), H5Gclose);
        const auto count = readInt64ArrayAttribute(stimuli.get(), "count");
        if (count.size() != 1 || count[0] < 0 || count[0] > (std::int64_t(1) << 34))
            fail("bad /stimuli count");
        impl->count = count[0];
        const auto n = hsize_t(impl->count);
        auto& s = impl->stimuli;
        s.labels = readVector<std::int32_t>(stimuli.get(), "labels", H5T_NATIVE_INT32, n);
        s.labelNames = readStrings(stimuli.get(), "label_names", 1 << 20);
        s.names = readStrings(stimuli.get(), "names", n);
        s.sourceIndex =
            readVector<std::int64_t>(stimuli.get(), "source_index", H5T_NATIVE_INT64, n);
        s.skipped = readStrings(stimuli.get(), "skipped", 1 << 26);
        if (exists(root, "/outputs") && exists(root, kPredictionsPath)) {
            impl->predictions =
                readVector<std::int32_t>(root, kPredictionsPath, H5T_NATIVE_INT32, n);
            H5Handle outputs(H5Gopen2(root, "/outputs", H5P_DEFAULT), H5Gclose);
            p.outputLabels = readStrings(outputs.get(), "label_names", 1 << 20);
        }

        H5Handle layers(H5Gopen2(root, kLayersGroup, H5P_DEFAULT), H5Gclose);
        if (!layers.valid()) fail("no /layers group");
        H5G_info_t info{};
        H5Gget_info(layers.get(), &info);
        for (hsize_t i = 0; i < info.nlinks; ++i) {
            std::array<char, 1024> name{};
            if (H5Lget_name_by_idx(layers.get(), ".", H5_INDEX_CRT_ORDER, H5_ITER_INC, i,
                                   name.data(), name.size(), H5P_DEFAULT) < 0 &&
                H5Lget_name_by_idx(layers.get(), ".", H5_INDEX_NAME, H5_ITER_INC, i, name.data(),
                                   name.size(), H5P_DEFAULT) < 0)
                fail("cannot list layers");
            StoreLayer layer;
            layer.name = layerNameFromHdf5(name.data());
            H5Handle group(H5Gopen2(layers.get(), name.data(), H5P_DEFAULT), H5Gclose);
            layer.type = readStringAttribute(group.get(), "type");
            layer.outputShape = readInt64ArrayAttribute(group.get(), "output_shape");
            const H5Handle mean = impl->openDataset(layer.name, Pooling::Mean);
            H5Handle space(H5Dget_space(mean.get()), H5Sclose);
            hsize_t dims[2] = {0, 0};
            if (H5Sget_simple_extent_ndims(space.get()) != 2 ||
                H5Sget_simple_extent_dims(space.get(), dims, nullptr) < 0 || dims[0] != n)
                fail("layer '" + layer.name + "' does not have one row per stimulus");
            layer.units = std::int64_t(dims[1]);
            impl->layers.push_back(std::move(layer));
        }
    } catch (const std::runtime_error& error) {
        const std::string what = error.what();
        if (what.starts_with("activation store")) throw;
        fail(what);
    }
    return ActivationStore(std::move(impl));
}

const fs::path& ActivationStore::path() const {
    return impl_->path;
}
std::int64_t ActivationStore::count() const {
    return impl_->count;
}
const std::vector<StoreLayer>& ActivationStore::layers() const {
    return impl_->layers;
}
const StoreStimuli& ActivationStore::stimuli() const {
    return impl_->stimuli;
}
const StoreProvenance& ActivationStore::provenance() const {
    return impl_->provenance;
}
const std::vector<std::int32_t>& ActivationStore::predictions() const {
    return impl_->predictions;
}

const StoreLayer& ActivationStore::layer(const std::string& name) const {
    for (const auto& layer : impl_->layers)
        if (layer.name == name) return layer;
    std::vector<std::string> names;
    for (const auto& layer : impl_->layers)
        names.push_back(layer.name);
    throw std::invalid_argument("the store has no layer '" + name + "'" +
                                nearestNamesText(name, names, "stored layers include:"));
}

std::vector<float> ActivationStore::unitColumn(const std::string& layerName, std::int64_t unit,
                                               Pooling pooling) const {
    const auto& layer = this->layer(layerName);
    if (unit < 0 || unit >= layer.units)
        throw std::out_of_range("layer '" + layerName + "' has units 0.." +
                                std::to_string(layer.units - 1) + ", not " + std::to_string(unit));
    H5ErrorSilencer silence;
    const H5Handle dataset = impl_->openDataset(layerName, pooling);
    H5Handle fileSpace(H5Dget_space(dataset.get()), H5Sclose);
    const hsize_t start[2] = {0, hsize_t(unit)};
    const hsize_t count[2] = {hsize_t(impl_->count), 1};
    H5Sselect_hyperslab(fileSpace.get(), H5S_SELECT_SET, start, nullptr, count, nullptr);
    H5Handle memSpace(H5Screate_simple(2, count, nullptr), H5Sclose);
    std::vector<float> values(static_cast<std::size_t>(impl_->count));
    if (!values.empty() && H5Dread(dataset.get(), H5T_NATIVE_FLOAT, memSpace.get(), fileSpace.get(),
                                   H5P_DEFAULT, values.data()) < 0)
        throw std::runtime_error("cannot read layer '" + layerName + "' (corrupt file?)");
    return values;
}

FloatArray ActivationStore::layerMatrix(const std::string& layerName, Pooling pooling) const {
    const auto& layer = this->layer(layerName);
    H5ErrorSilencer silence;
    const H5Handle dataset = impl_->openDataset(layerName, pooling);
    FloatArray matrix{{impl_->count, layer.units},
                      std::vector<float>(std::size_t(impl_->count * layer.units))};
    if (!matrix.values.empty() && H5Dread(dataset.get(), H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL,
                                          H5P_DEFAULT, matrix.values.data()) < 0)
        throw std::runtime_error("cannot read layer '" + layerName + "' (corrupt file?)");
    return matrix;
}

std::optional<FloatArray> ActivationStore::layerArray(const std::string& layerName,
                                                     const std::string& dataset) const {
    this->layer(layerName);
    H5ErrorSilencer silence;
    const std::string path = std::string(kLayersGroup) + "/" + hdf5LayerName(layerName);
    const H5Handle group(H5Gopen2(impl_->file.get(), path.c_str(), H5P_DEFAULT), H5Gclose);
    if (!group.valid() || !datasetExists(group.get(), dataset)) return std::nullopt;
    std::vector<hsize_t> dims;
    FloatArray array;
    array.values = readDataset<float>(group.get(), dataset, H5T_NATIVE_FLOAT, &dims);
    array.shape.assign(dims.begin(), dims.end());
    return array;
}

std::string ActivationStore::layerAttribute(const std::string& layerName,
                                            const std::string& name) const {
    this->layer(layerName);
    H5ErrorSilencer silence;
    const std::string path = std::string(kLayersGroup) + "/" + hdf5LayerName(layerName);
    const H5Handle group(H5Gopen2(impl_->file.get(), path.c_str(), H5P_DEFAULT), H5Gclose);
    return group.valid() ? readStringAttribute(group.get(), name.c_str()) : std::string();
}

std::string sha256File(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read '" + path.string() + "'");
    std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> context(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    EVP_DigestInit_ex(context.get(), EVP_sha256(), nullptr);
    std::vector<char> buffer(1 << 20);
    while (in) {
        in.read(buffer.data(), std::streamsize(buffer.size()));
        EVP_DigestUpdate(context.get(), buffer.data(), std::size_t(in.gcount()));
    }
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned length = 0;
    EVP_DigestFinal_ex(context.get(), digest.data(), &length);
    std::string hex;
    char byte[3];
    for (unsigned i = 0; i < length; ++i) {
        std::snprintf(byte, sizeof byte, "%02x", digest[i]);
        hex += byte;
    }
    return hex;
}

}  // namespace us::analysis
