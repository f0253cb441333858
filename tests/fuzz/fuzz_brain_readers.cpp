// libFuzzer target for the brain-file parsers: the input's first byte picks the format, the
// rest is written to a file with that format's name and read. Any exception is a clean
// refusal; crashes, leaks and undefined behaviour are findings (ASan/UBSan).
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "analysis/brain_file.h"

namespace {

const char* const kNames[] = {"f.nii",   "f.nii.gz", "f.mgh",      "f.mgz",   "lh.white",
                              "lh.curv", "f.annot",  "f.label",    "f.surf.gii"};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    static const std::filesystem::path dir = [] {
        auto d = std::filesystem::temp_directory_path() / ("us-fuzz-" + std::to_string(::getpid()));
        std::filesystem::create_directories(d);
        return d;
    }();
    const auto path = dir / kNames[data[0] % (sizeof kNames / sizeof kNames[0])];
    {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data + 1), std::streamsize(size - 1));
    }
    try {
        us::analysis::readBrainFile(path);
    } catch (const std::exception&) {
    }
    return 0;
}
