#pragma once

#include <string>

namespace us::analysis {

std::string unitscopeVersion();
std::string torchVersion();
std::string hdf5Version();

}  // namespace us::analysis
