#include "analysis/core/hdf5_attributes.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "analysis/core/hdf5_handle.h"

namespace us::analysis {

void writeStringAttribute(hid_t object, const char* name, const std::string& value) {
    H5Handle type(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(type.get(), std::max<size_t>(value.size(), 1));
    H5Tset_strpad(type.get(), H5T_STR_NULLPAD);
    H5Handle space(H5Screate(H5S_SCALAR), H5Sclose);
    H5Handle attr(H5Acreate2(object, name, type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT),
                  H5Aclose);
    if (!attr.valid() || H5Awrite(attr.get(), type.get(), value.c_str()) < 0)
        throw std::runtime_error(std::string("cannot write attribute ") + name);
}

void writeIntAttribute(hid_t object, const char* name, int value) {
    H5Handle space(H5Screate(H5S_SCALAR), H5Sclose);
    H5Handle attr(H5Acreate2(object, name, H5T_STD_I32LE, space.get(), H5P_DEFAULT, H5P_DEFAULT),
                  H5Aclose);
    if (!attr.valid() || H5Awrite(attr.get(), H5T_NATIVE_INT, &value) < 0)
        throw std::runtime_error(std::string("cannot write attribute ") + name);
}

namespace {

template <typename T>
void writeArrayAttribute(hid_t object, const char* name, hid_t fileType, hid_t memType,
                         const std::vector<T>& values) {
    if (values.empty()) return;  // an absent attribute reads back as empty
    const hsize_t dims[1] = {values.size()};
    H5Handle space(H5Screate_simple(1, dims, nullptr), H5Sclose);
    H5Handle attr(H5Acreate2(object, name, fileType, space.get(), H5P_DEFAULT, H5P_DEFAULT),
                  H5Aclose);
    if (!attr.valid() || H5Awrite(attr.get(), memType, values.data()) < 0)
        throw std::runtime_error(std::string("cannot write attribute ") + name);
}

// Empty when missing, unreadable or implausibly long (over 64 values).
template <typename T>
std::vector<T> readArrayAttribute(hid_t object, const char* name, hid_t memType) {
    if (H5Aexists(object, name) <= 0) return {};
    H5Handle attr(H5Aopen(object, name, H5P_DEFAULT), H5Aclose);
    H5Handle space(H5Aget_space(attr.get()), H5Sclose);
    const auto count = H5Sget_simple_extent_npoints(space.get());
    if (count <= 0 || count > 64) return {};
    std::vector<T> values(static_cast<std::size_t>(count));
    if (H5Aread(attr.get(), memType, values.data()) < 0) return {};
    return values;
}

}  // namespace

void writeInt64ArrayAttribute(hid_t object, const char* name,
                              const std::vector<std::int64_t>& values) {
    writeArrayAttribute(object, name, H5T_STD_I64LE, H5T_NATIVE_INT64, values);
}

void writeFloatArrayAttribute(hid_t object, const char* name, const std::vector<float>& values) {
    writeArrayAttribute(object, name, H5T_IEEE_F32LE, H5T_NATIVE_FLOAT, values);
}

void writeDoubleArrayAttribute(hid_t object, const char* name, const std::vector<double>& values) {
    writeArrayAttribute(object, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, values);
}

std::string readStringAttribute(hid_t object, const char* name) {
    if (H5Aexists(object, name) <= 0) return {};
    H5Handle attr(H5Aopen(object, name, H5P_DEFAULT), H5Aclose);
    H5Handle type(H5Aget_type(attr.get()), H5Tclose);
    if (!type.valid() || H5Tget_class(type.get()) != H5T_STRING) return {};
    if (H5Tis_variable_str(type.get()) > 0) {
        // As h5py and most other writers store a Python str: one variable-length string.
        H5Handle space(H5Aget_space(attr.get()), H5Sclose);
        if (!space.valid() || H5Sget_simple_extent_npoints(space.get()) != 1) return {};
        H5Handle memType(H5Tcopy(H5T_C_S1), H5Tclose);
        H5Tset_size(memType.get(), H5T_VARIABLE);
        H5Tset_cset(memType.get(), H5Tget_cset(type.get()));
        char* text = nullptr;
        if (H5Aread(attr.get(), memType.get(), &text) < 0 || !text) return {};
        std::string value(text, strnlen(text, 1 << 16));
        H5free_memory(text);
        return value;
    }
    const size_t size = H5Tget_size(type.get());
    if (size == 0 || size > 4096) return {};
    std::string value(size, '\0');
    H5Handle memType(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(memType.get(), size);
    H5Tset_strpad(memType.get(), H5T_STR_NULLPAD);
    if (H5Aread(attr.get(), memType.get(), value.data()) < 0) return {};
    value.resize(value.find('\0') == std::string::npos ? size : value.find('\0'));
    return value;
}

std::optional<int> readIntAttribute(hid_t object, const char* name) {
    if (H5Aexists(object, name) <= 0) return std::nullopt;
    H5Handle attr(H5Aopen(object, name, H5P_DEFAULT), H5Aclose);
    H5Handle space(H5Aget_space(attr.get()), H5Sclose);
    if (!space.valid() || H5Sget_simple_extent_npoints(space.get()) != 1) return std::nullopt;
    int value = 0;
    if (H5Aread(attr.get(), H5T_NATIVE_INT, &value) < 0) return std::nullopt;
    return value;
}

std::vector<std::int64_t> readInt64ArrayAttribute(hid_t object, const char* name) {
    return readArrayAttribute<std::int64_t>(object, name, H5T_NATIVE_INT64);
}

std::vector<double> readDoubleArrayAttribute(hid_t object, const char* name) {
    return readArrayAttribute<double>(object, name, H5T_NATIVE_DOUBLE);
}

}  // namespace us::analysis
