#include "analysis/core/hdf5_datasets.h"

#include <algorithm>
#include <stdexcept>

namespace us::analysis {

H5Handle createChunkedDataset(hid_t parent, const std::string& name, hid_t fileType,
                              const std::vector<hsize_t>& dims, const std::vector<hsize_t>& chunk) {
    H5Handle space(H5Screate_simple(int(dims.size()), dims.data(), nullptr), H5Sclose);
    H5Handle props(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
    std::vector<hsize_t> clamped(chunk.size());
    bool empty = false;
    for (std::size_t d = 0; d < dims.size(); ++d) {
        clamped[d] = std::clamp<hsize_t>(chunk[d], 1, std::max<hsize_t>(dims[d], 1));
        empty = empty || dims[d] == 0;
    }
    if (!empty) {
        H5Pset_chunk(props.get(), int(clamped.size()), clamped.data());
        H5Pset_shuffle(props.get());
        H5Pset_deflate(props.get(), 1);
    }
    H5Handle dataset(H5Dcreate2(parent, name.c_str(), fileType, space.get(), H5P_DEFAULT,
                                props.get(), H5P_DEFAULT),
                     H5Dclose);
    if (!dataset.valid()) throw std::runtime_error("cannot create dataset " + name);
    return dataset;
}

void writeSlab(hid_t dataset, hid_t memType, const void* data, const std::vector<hsize_t>& start,
               const std::vector<hsize_t>& count, const std::string& name) {
    for (auto c : count)
        if (c == 0) return;
    H5Handle fileSpace(H5Dget_space(dataset), H5Sclose);
    H5Sselect_hyperslab(fileSpace.get(), H5S_SELECT_SET, start.data(), nullptr, count.data(),
                        nullptr);
    H5Handle memSpace(H5Screate_simple(int(count.size()), count.data(), nullptr), H5Sclose);
    if (H5Dwrite(dataset, memType, memSpace.get(), fileSpace.get(), H5P_DEFAULT, data) < 0)
        throw std::runtime_error("cannot write " + name + " (disk full?)");
}

void writeDataset(hid_t parent, const std::string& name, hid_t fileType, hid_t memType,
                  const void* data, const std::vector<hsize_t>& dims) {
    H5Handle space(H5Screate_simple(int(dims.size()), dims.data(), nullptr), H5Sclose);
    H5Handle dataset(H5Dcreate2(parent, name.c_str(), fileType, space.get(), H5P_DEFAULT,
                                H5P_DEFAULT, H5P_DEFAULT),
                     H5Dclose);
    hsize_t count = 1;
    for (auto d : dims)
        count *= d;
    if (!dataset.valid() ||
        (count > 0 && H5Dwrite(dataset.get(), memType, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0))
        throw std::runtime_error("cannot write " + name);
}

bool datasetExists(hid_t parent, const std::string& name) {
    return H5Lexists(parent, name.c_str(), H5P_DEFAULT) > 0;
}

std::vector<hsize_t> datasetDims(hid_t parent, const std::string& name) {
    if (!datasetExists(parent, name)) throw std::runtime_error("there is no dataset " + name);
    H5Handle dataset(H5Dopen2(parent, name.c_str(), H5P_DEFAULT), H5Dclose);
    if (!dataset.valid()) throw std::runtime_error("cannot open dataset " + name);
    H5Handle space(H5Dget_space(dataset.get()), H5Sclose);
    const int rank = H5Sget_simple_extent_ndims(space.get());
    if (rank < 0 || rank > 8) throw std::runtime_error("dataset " + name + " has a bad shape");
    std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
    H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
    return dims;
}

template <typename T>
std::vector<T> readDataset(hid_t parent, const std::string& name, hid_t memType,
                           std::vector<hsize_t>* dims, std::uint64_t maxElements) {
    const auto shape = datasetDims(parent, name);
    std::uint64_t count = 1;
    for (auto d : shape) {
        if (d != 0 && count > maxElements / d)
            throw std::runtime_error("dataset " + name + " is implausibly large");
        count *= d;
    }
    if (count > maxElements) throw std::runtime_error("dataset " + name + " is implausibly large");
    H5Handle dataset(H5Dopen2(parent, name.c_str(), H5P_DEFAULT), H5Dclose);
    std::vector<T> values(static_cast<std::size_t>(count));
    if (count > 0 &&
        H5Dread(dataset.get(), memType, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) < 0)
        throw std::runtime_error("cannot read dataset " + name);
    if (dims) *dims = shape;
    return values;
}

template std::vector<float> readDataset<float>(hid_t, const std::string&, hid_t,
                                               std::vector<hsize_t>*, std::uint64_t);
template std::vector<double> readDataset<double>(hid_t, const std::string&, hid_t,
                                                 std::vector<hsize_t>*, std::uint64_t);
template std::vector<std::int64_t> readDataset<std::int64_t>(hid_t, const std::string&, hid_t,
                                                             std::vector<hsize_t>*, std::uint64_t);

}  // namespace us::analysis
