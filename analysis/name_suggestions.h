#pragma once

#include <string>
#include <vector>

namespace us::analysis {

// The candidates closest to name by edit distance (at most count, best first), for
// "did you mean" messages.
std::vector<std::string> nearestNames(const std::string& name,
                                      const std::vector<std::string>& candidates,
                                      std::size_t count = 3);

}  // namespace us::analysis
