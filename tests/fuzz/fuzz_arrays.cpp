// libFuzzer target for the array and stimulus parsers: .npy headers and IDX files.
#include <cstdint>

#include "analysis/core/npy.h"
#include "analysis/stimuli/stimulus_set.h"
#include "tests/fuzz/fuzz_input_file.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    const bool npy = data[0] & 1;
    const auto path =
        us::fuzz::writeInput(npy ? "x.npy" : "x-images-idx3-ubyte", data + 1, size - 1);
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
