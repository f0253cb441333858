#include "analysis/core/gz_reader.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <stdexcept>

namespace us::analysis {

GzReader::GzReader(const std::filesystem::path& path)
    : path_(path), file_(gzopen(path.string().c_str(), "rb"), gzclose) {
    if (!file_) throw std::runtime_error("cannot open '" + path.string() + "'");
    gzbuffer(file_.get(), 1 << 17);
}

std::uint64_t GzReader::readSome(void* into, std::uint64_t n) {
    std::uint64_t done = 0;
    auto* bytes = static_cast<unsigned char*>(into);
    while (done < n) {
        const unsigned chunk = unsigned(std::min<std::uint64_t>(n - done, 1u << 30));
        const int got = gzread(file_.get(), bytes + done, chunk);
        if (got < 0) {
            int code = 0;
            throw std::runtime_error("'" + path_.string() + "': corrupt compressed data (" +
                                     gzerror(file_.get(), &code) + ")");
        }
        if (got == 0) break;
        done += std::uint64_t(got);
    }
    return done;
}

void GzReader::read(void* into, std::uint64_t n, const char* what) {
    if (readSome(into, n) != n)
        throw std::runtime_error("'" + path_.string() + "' is truncated (while reading " + what +
                                 ")");
}

void GzReader::skip(std::uint64_t n, const char* what) {
    unsigned char buffer[65536];
    while (n > 0) {
        const auto step = std::min<std::uint64_t>(n, sizeof buffer);
        read(buffer, step, what);
        n -= step;
    }
}

std::vector<unsigned char> GzReader::readExactly(std::uint64_t n, const char* what) {
    constexpr std::uint64_t kStep = 16u << 20;
    std::vector<unsigned char> bytes;
    while (bytes.size() < n) {
        const std::uint64_t step = std::min<std::uint64_t>(kStep, n - bytes.size());
        const std::size_t before = bytes.size();
        bytes.resize(before + step);
        if (readSome(bytes.data() + before, step) != step)
            throw std::runtime_error("'" + path_.string() + "' is truncated (while reading " +
                                     what + ")");
    }
    return bytes;
}

bool GzReader::atEnd() {
    unsigned char extra;
    return readSome(&extra, 1) == 0;
}

namespace {
template <typename T>
T big(GzReader& in, const char* what) {
    T value;
    in.read(&value, sizeof value, what);
    if constexpr (std::endian::native == std::endian::little) {
        unsigned char bytes[sizeof value];
        std::memcpy(bytes, &value, sizeof value);
        std::reverse(bytes, bytes + sizeof value);
        std::memcpy(&value, bytes, sizeof value);
    }
    return value;
}
}  // namespace

std::int32_t readBigInt32(GzReader& in, const char* what) {
    return big<std::int32_t>(in, what);
}
std::int16_t readBigInt16(GzReader& in, const char* what) {
    return big<std::int16_t>(in, what);
}
float readBigFloat(GzReader& in, const char* what) {
    return big<float>(in, what);
}

}  // namespace us::analysis
