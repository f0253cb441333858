#include "analysis/core/npy.h"

#include <bit>
#include <cstring>
#include <fstream>
#include <limits>
#include <regex>
#include <stdexcept>

#include "analysis/core/atomic_file.h"

namespace us::analysis {
namespace fs = std::filesystem;
namespace {

static_assert(std::endian::native == std::endian::little, "npy I/O assumes a little-endian host");

constexpr char kMagic[] = "\x93NUMPY";
constexpr std::uint64_t kMaxHeaderBytes = 1 << 20;

[[noreturn]] void fail(const fs::path& path, const std::string& why) {
    throw std::runtime_error("'" + path.string() + "' is not a usable .npy file: " + why);
}

std::vector<std::int64_t> parseShape(const fs::path& path, const std::string& text) {
    std::vector<std::int64_t> shape;
    std::size_t pos = 0;
    while (pos < text.size()) {
        while (pos < text.size() && (text[pos] == ' ' || text[pos] == ','))
            ++pos;
        if (pos >= text.size()) break;
        std::size_t used = 0;
        long long dim = 0;
        try {
            dim = std::stoll(text.substr(pos), &used);
        } catch (const std::exception&) {
            fail(path, "bad shape '(" + text + ")'");
        }
        if (dim < 0) fail(path, "negative dimension in shape");
        shape.push_back(dim);
        pos += used;
        while (pos < text.size() && text[pos] == 'L')
            ++pos;  // Python 2 longs
    }
    return shape;
}

template <typename T>
void writeTyped(const fs::path& path, const char* dtype, std::span<const T> values,
                const std::vector<std::int64_t>& shape) {
    std::int64_t count = 1;
    for (auto d : shape)
        count *= d;
    if (count != std::int64_t(values.size()))
        throw std::invalid_argument("writeNpy: shape does not match the number of values");
    std::string dims;
    for (auto d : shape)
        dims += std::to_string(d) + ", ";
    if (shape.size() > 1) dims.resize(dims.size() - 2);
    std::string header = std::string("{'descr': '") + dtype +
                         "', 'fortran_order': False, 'shape': (" + dims + "), }";
    const std::size_t unpadded = 10 + header.size() + 1;
    header.append((64 - unpadded % 64) % 64, ' ');
    header += '\n';

    AtomicFile output(path);
    {
        std::ofstream out(output.tempPath(), std::ios::binary);
        if (!out) throw std::runtime_error("cannot create '" + path.string() + "'");
        out.write(kMagic, 6);
        const char version[2] = {1, 0};
        out.write(version, 2);
        const std::uint16_t length = std::uint16_t(header.size());
        out.write(reinterpret_cast<const char*>(&length), 2);
        out.write(header.data(), std::streamsize(header.size()));
        out.write(reinterpret_cast<const char*>(values.data()),
                  std::streamsize(values.size_bytes()));
        out.close();
        if (!out) throw std::runtime_error("cannot write '" + path.string() + "'");
    }
    output.commit();
}

template <typename T>
void convertInto(std::ifstream& in, std::int64_t count, std::vector<double>& out) {
    std::vector<T> buffer(static_cast<std::size_t>(count));
    in.read(reinterpret_cast<char*>(buffer.data()), std::streamsize(count * sizeof(T)));
    out.assign(buffer.begin(), buffer.end());
}

}  // namespace

std::int64_t NpyHeader::elementCount() const {
    std::int64_t count = 1;
    for (auto d : shape)
        count *= d;
    return count;
}

std::size_t NpyHeader::itemSize() const {
    return dtype.size() >= 3 ? std::size_t(std::atoi(dtype.c_str() + 2)) : 0;
}

NpyHeader readNpyHeader(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) fail(path, "cannot open the file");
    char magic[8] = {};
    in.read(magic, 8);
    if (!in || std::memcmp(magic, kMagic, 6) != 0) fail(path, "no NumPy magic bytes");
    const int major = static_cast<unsigned char>(magic[6]);
    std::uint64_t headerLength = 0;
    if (major == 1) {
        std::uint16_t length = 0;
        in.read(reinterpret_cast<char*>(&length), 2);
        headerLength = length;
    } else if (major == 2 || major == 3) {
        std::uint32_t length = 0;
        in.read(reinterpret_cast<char*>(&length), 4);
        headerLength = length;
    } else {
        fail(path, "unsupported format version " + std::to_string(major));
    }
    if (!in || headerLength > kMaxHeaderBytes) fail(path, "truncated or oversized header");
    std::string dict(headerLength, '\0');
    in.read(dict.data(), std::streamsize(headerLength));
    if (!in) fail(path, "truncated header");

    NpyHeader header;
    header.dataOffset = std::uint64_t(in.tellg());
    std::smatch match;
    static const std::regex descr(R"('descr'\s*:\s*'([^']*)')");
    static const std::regex fortran(R"('fortran_order'\s*:\s*(True|False))");
    static const std::regex shape(R"('shape'\s*:\s*\(([^)]*)\))");
    if (!std::regex_search(dict, match, descr)) fail(path, "header has no 'descr'");
    header.dtype = match[1];
    if (!std::regex_search(dict, match, fortran)) fail(path, "header has no 'fortran_order'");
    header.fortranOrder = match[1] == "True";
    if (!std::regex_search(dict, match, shape)) fail(path, "header has no 'shape'");
    header.shape = parseShape(path, match[1]);

    static const std::regex known(R"([<|][fiu][1248])");
    if (!std::regex_match(header.dtype, known))
        fail(path, "unsupported dtype '" + header.dtype + "' (need little-endian numbers)");
    std::uint64_t bytes = header.itemSize();
    for (auto d : header.shape) {
        if (d != 0 && bytes > std::numeric_limits<std::uint64_t>::max() / std::uint64_t(d))
            fail(path, "shape too large");
        bytes *= std::uint64_t(d);
    }
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    if (ec || size < header.dataOffset + bytes)
        fail(path, "file is shorter than its header declares (truncated?)");
    return header;
}

std::vector<double> readNpyAsDouble(const fs::path& path, NpyHeader* headerOut) {
    const NpyHeader header = readNpyHeader(path);
    if (header.fortranOrder) fail(path, "Fortran-ordered arrays are not supported");
    std::ifstream in(path, std::ios::binary);
    in.seekg(std::streamoff(header.dataOffset));
    const std::int64_t n = header.elementCount();
    std::vector<double> out;
    const std::string& t = header.dtype;
    if (t == "<f8")
        convertInto<double>(in, n, out);
    else if (t == "<f4")
        convertInto<float>(in, n, out);
    else if (t == "<i8")
        convertInto<std::int64_t>(in, n, out);
    else if (t == "<i4")
        convertInto<std::int32_t>(in, n, out);
    else if (t == "<i2")
        convertInto<std::int16_t>(in, n, out);
    else if (t == "|i1")
        convertInto<std::int8_t>(in, n, out);
    else if (t == "<u8")
        convertInto<std::uint64_t>(in, n, out);
    else if (t == "<u4")
        convertInto<std::uint32_t>(in, n, out);
    else if (t == "<u2")
        convertInto<std::uint16_t>(in, n, out);
    else if (t == "|u1")
        convertInto<std::uint8_t>(in, n, out);
    else
        fail(path, "unsupported dtype '" + t + "'");
    if (!in) fail(path, "read error");
    if (headerOut) *headerOut = header;
    return out;
}

void writeNpy(const fs::path& path, std::span<const float> values,
              const std::vector<std::int64_t>& shape) {
    writeTyped(path, "<f4", values, shape);
}
void writeNpy(const fs::path& path, std::span<const double> values,
              const std::vector<std::int64_t>& shape) {
    writeTyped(path, "<f8", values, shape);
}
void writeNpy(const fs::path& path, std::span<const std::int64_t> values,
              const std::vector<std::int64_t>& shape) {
    writeTyped(path, "<i8", values, shape);
}
void writeNpy(const fs::path& path, std::span<const std::int32_t> values,
              const std::vector<std::int64_t>& shape) {
    writeTyped(path, "<i4", values, shape);
}

}  // namespace us::analysis
