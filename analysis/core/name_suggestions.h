#pragma once

#include <string>
#include <vector>

namespace us::analysis {

// The candidates closest to name by edit distance (at most count, best first), for
// "did you mean" messages.
std::vector<std::string> nearestNames(const std::string& name,
                                      const std::vector<std::string>& candidates,
                                      std::size_t count = 3);

// "; LEAD a, b, c" with the nearest candidates, or "" when there are none: the tail of an
// "unknown name" message.
std::string nearestNamesText(const std::string& name, const std::vector<std::string>& candidates,
                             const std::string& lead);

}  // namespace us::analysis
