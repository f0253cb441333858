#include "analysis/core/text_parsing.h"

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

}  // namespace us::analysis
