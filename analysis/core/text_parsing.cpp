#include "analysis/core/text_parsing.h"

#include <cmath>
#include <fstream>
#include <stdexcept>

namespace us::analysis {

std::int64_t parseNonNegativeInteger(const std::string& text, const std::string& what) {
    std::size_t used = 0;
    long long value = -1;
    try {
        value = std::stoll(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used != text.size() || value < 0)
        throw std::invalid_argument(what + " must be a non-negative integer, not '" + text + "'");
    return value;
}

double parseFiniteNumber(const std::string& text, const std::string& what) {
    std::size_t used = 0;
    double value = 0;
    try {
        value = std::stod(text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (text.empty() || used != text.size() || !std::isfinite(value))
        throw std::invalid_argument(what + " must be a number, not '" + text + "'");
    return value;
}

std::vector<std::string> readNonEmptyLines(const std::filesystem::path& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot read '" + path.string() + "'");
    std::vector<std::string> lines;
    std::string line;
    while (std::getline(in, line)) {
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t'))
            line.pop_back();
        if (!line.empty()) lines.push_back(line);
    }
    return lines;
}

}  // namespace us::analysis
