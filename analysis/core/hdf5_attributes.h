#pragma once
// Scalar HDF5 attributes shared by the session and activation-store files.

#include <hdf5.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace us::analysis {

// Writers throw std::runtime_error naming the attribute.
void writeStringAttribute(hid_t object, const char* name, const std::string& value);
void writeIntAttribute(hid_t object, const char* name, int value);
void writeInt64ArrayAttribute(hid_t object, const char* name,
                              const std::vector<std::int64_t>& values);
void writeFloatArrayAttribute(hid_t object, const char* name, const std::vector<float>& values);
void writeDoubleArrayAttribute(hid_t object, const char* name, const std::vector<double>& values);

// Readers return empty / nullopt when the attribute is missing or of another kind.
std::string readStringAttribute(hid_t object, const char* name);
std::optional<int> readIntAttribute(hid_t object, const char* name);
std::vector<std::int64_t> readInt64ArrayAttribute(hid_t object, const char* name);
std::vector<double> readDoubleArrayAttribute(hid_t object, const char* name);  // any float type

}  // namespace us::analysis
