#include "analysis/demo/demo_data.h"

#include <cstdlib>

namespace us::analysis {

DemoBrainFiles demoBrainFiles() {
    const char* overrideDir = std::getenv("UNITSCOPE_MRICRON_DIR");
    const std::filesystem::path dir =
        overrideDir && *overrideDir ? overrideDir : "/usr/share/mricron/templates";
    return {dir / "ch2bet.nii.gz", dir / "aal.nii.gz", dir / "aal.nii.txt"};
}

std::filesystem::path fashionMnistDir() {
    const char* overrideDir = std::getenv("UNITSCOPE_FASHION_MNIST_DIR");
    return overrideDir && *overrideDir ? overrideDir : "/usr/share/datasets/fashion-mnist";
}

}  // namespace us::analysis
