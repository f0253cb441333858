#pragma once
// Small parsers for the text forms of options (targets, objectives).

#include <cstdint>
#include <string>

namespace us::analysis {

// The whole of text as an integer >= 0. Throws std::invalid_argument "WHAT must be a
// non-negative integer, not 'TEXT'".
std::int64_t parseNonNegativeInteger(const std::string& text, const std::string& what);
// The whole of text as a finite number. Throws std::invalid_argument "WHAT must be a number,
// not 'TEXT'".
double parseFiniteNumber(const std::string& text, const std::string& what);

}  // namespace us::analysis
