#include "analysis/core/versions.h"

#include <hdf5.h>
#include <torch/version.h>

namespace us::analysis {

std::string unitscopeVersion() {
    return UNITSCOPE_VERSION;
}

std::string torchVersion() {
    return TORCH_VERSION;
}

std::string hdf5Version() {
    unsigned major = 0, minor = 0, release = 0;
    H5get_libversion(&major, &minor, &release);
    return std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(release);
}

}  // namespace us::analysis
