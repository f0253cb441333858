#pragma once
// Reading plain or gzip-compressed files with zlib (gzread passes plain files through), with
// the checks hostile files need: exact lengths and no data past the declared end.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <zlib.h>

namespace us::analysis {

class GzReader {
  public:
    explicit GzReader(const std::filesystem::path& path);
    // Reads exactly n bytes or throws "truncated" naming what was being read.
    void read(void* into, std::uint64_t n, const char* what);
    // Reads up to n bytes; returns how many.
    std::uint64_t readSome(void* into, std::uint64_t n);
    void skip(std::uint64_t n, const char* what);
    // n bytes, allocated as they arrive (16 MiB steps): a header that claims gigabytes
    // cannot make us allocate more than the file really holds.
    std::vector<unsigned char> readExactly(std::uint64_t n, const char* what);
    bool atEnd();
    const std::filesystem::path& path() const { return path_; }

  private:
    std::filesystem::path path_;
    std::unique_ptr<gzFile_s, int (*)(gzFile)> file_;
};

// Big-endian helpers for FreeSurfer and MGH formats.
std::int32_t readBigInt32(GzReader& in, const char* what);
std::int16_t readBigInt16(GzReader& in, const char* what);
float readBigFloat(GzReader& in, const char* what);

}  // namespace us::analysis
