// libFuzzer target for the brain-file parsers and FSL atlas XML: the input's first byte picks the
// format, the rest is written to a file with that format's name and read. Any exception is a clean
// refusal; crashes, leaks and undefined behaviour are findings (ASan/UBSan).
#include <cstdint>

#include "analysis/brain/atlas.h"
#include "analysis/brain/brain_file.h"
#include "tests/fuzz/fuzz_input_file.h"

namespace {

const char* const kNames[] = {"f.nii",   "f.nii.gz", "f.mgh",   "f.mgz",      "lh.white",
                              "lh.curv", "f.annot",  "f.label", "f.surf.gii", "f.xml"};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    const auto path = us::fuzz::writeInput(kNames[data[0] % (sizeof kNames / sizeof kNames[0])],
                                           data + 1, size - 1);
    try {
        if (path.extension() == ".xml")
            us::analysis::readFslAtlasXml(path);
        else
            us::analysis::readBrainFile(path);
    } catch (const std::exception&) {
    }
    return 0;
}
