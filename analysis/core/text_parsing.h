#pragma once
// Small parsers for the text forms of options (targets, objectives).

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace us::analysis {

// The whole of text as an integer >= 0. Throws std::invalid_argument "WHAT must be a
// non-negative integer, not 'TEXT'".
std::int64_t parseNonNegativeInteger(const std::string& text, const std::string& what);
// The whole of text as a finite number. Throws std::invalid_argument "WHAT must be a number,
// not 'TEXT'".
double parseFiniteNumber(const std::string& text, const std::string& what);

// The non-empty lines of a text file, trailing spaces, tabs and carriage returns removed.
// Throws std::runtime_error when the file cannot be read.
std::vector<std::string> readNonEmptyLines(const std::filesystem::path& path);

}  // namespace us::analysis
