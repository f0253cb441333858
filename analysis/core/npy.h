#pragma once
// NumPy .npy files (format 1.0-3.0), the array exchange format of the CLI contracts.

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

namespace us::analysis {

struct NpyHeader {
    std::string dtype;  // NumPy's descr, e.g. "<f4", "<f8", "<i8", "|u1"
    bool fortranOrder = false;
    std::vector<std::int64_t> shape;
    std::uint64_t dataOffset = 0;  // bytes from the start of the file

    std::int64_t elementCount() const;
    std::size_t itemSize() const;
};

// Reads and checks the header: magic, version, dict, and that the file holds all the data it
// declares. Throws std::runtime_error naming the file on any problem.
NpyHeader readNpyHeader(const std::filesystem::path& path);

// Reads a whole array as float64/float32 (converting from any numeric dtype), C order only.
std::vector<double> readNpyAsDouble(const std::filesystem::path& path, NpyHeader* header = nullptr);

// Writes atomically (temp file, flush, rename), little-endian, C order.
void writeNpy(const std::filesystem::path& path, std::span<const float> values,
              const std::vector<std::int64_t>& shape);
void writeNpy(const std::filesystem::path& path, std::span<const double> values,
              const std::vector<std::int64_t>& shape);
void writeNpy(const std::filesystem::path& path, std::span<const std::int64_t> values,
              const std::vector<std::int64_t>& shape);
void writeNpy(const std::filesystem::path& path, std::span<const std::int32_t> values,
              const std::vector<std::int64_t>& shape);

}  // namespace us::analysis
