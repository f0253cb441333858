#pragma once
// N-dimensional HDF5 datasets: whole arrays, and fixed-size chunked arrays written in
// hyperslabs (results streamed batch by batch). Errors throw std::runtime_error naming the
// dataset.

#include <hdf5.h>

#include <cstdint>
#include <string>
#include <vector>

#include "analysis/core/hdf5_handle.h"

namespace us::analysis {

// A chunked, deflated dataset of the given dims, to be filled with writeSlab.
H5Handle createChunkedDataset(hid_t parent, const std::string& name, hid_t fileType,
                              const std::vector<hsize_t>& dims, const std::vector<hsize_t>& chunk);
// Writes count-shaped data at start (row-major in memory).
void writeSlab(hid_t dataset, hid_t memType, const void* data, const std::vector<hsize_t>& start,
               const std::vector<hsize_t>& count, const std::string& name);
// A contiguous dataset holding all of data.
void writeDataset(hid_t parent, const std::string& name, hid_t fileType, hid_t memType,
                  const void* data, const std::vector<hsize_t>& dims);

// The dims of an existing dataset; throws when it is missing.
std::vector<hsize_t> datasetDims(hid_t parent, const std::string& name);
// Reads a whole dataset converted to memType; refuses more than maxElements values.
template <typename T>
std::vector<T> readDataset(hid_t parent, const std::string& name, hid_t memType,
                           std::vector<hsize_t>* dims = nullptr,
                           std::uint64_t maxElements = std::uint64_t(1) << 33);

bool datasetExists(hid_t parent, const std::string& name);

}  // namespace us::analysis
