#pragma once
// Where the built-in demo's files live (Debian's mricron-data and dataset-fashion-mnist).

#include <filesystem>

namespace us::analysis {

struct DemoBrainFiles {
    std::filesystem::path anatomy;     // Colin27, 1 mm: ch2bet.nii.gz
    std::filesystem::path atlas;       // AAL labels on the same grid: aal.nii.gz
    std::filesystem::path atlasNames;  // aal.nii.txt
};

// Honours $UNITSCOPE_MRICRON_DIR, else /usr/share/mricron/templates.
DemoBrainFiles demoBrainFiles();

// Debian's dataset-fashion-mnist folder ($UNITSCOPE_FASHION_MNIST_DIR overrides).
std::filesystem::path fashionMnistDir();

}  // namespace us::analysis
