// libFuzzer target for the array and stimulus parsers: .npy headers and IDX files.
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include "analysis/npy.h"
#include "analysis/stimulus_set.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    static const std::filesystem::path dir = [] {
        auto d = std::filesystem::temp_directory_path() / ("us-fuzz-arrays-" + std::to_string(::getpid()));
        std::filesystem::create_directories(d);
        return d;
    }();
    const bool npy = data[0] & 1;
    const auto path = dir / (npy ? "x.npy" : "x-images-idx3-ubyte");
    {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data + 1), std::streamsize(size - 1));
    }
    try {
        if (npy) {
            us::analysis::readNpyAsDouble(path);
        } else {
            const auto set = us::analysis::openStimulusSet(path);
            if (set->size() > 0) set->image(0);
        }
    } catch (const std::exception&) {
    }
    return 0;
}
