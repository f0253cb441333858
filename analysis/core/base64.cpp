#include "analysis/core/base64.h"

#include <array>

namespace us::analysis {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

std::array<int, 256> decodeTable() {
    std::array<int, 256> table{};
    table.fill(-1);
    for (int i = 0; i < 64; ++i)
        table[std::size_t(static_cast<unsigned char>(kAlphabet[i]))] = i;
    return table;
}

}  // namespace

std::string base64Encode(const std::vector<std::uint8_t>& bytes) {
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    for (std::size_t i = 0; i < bytes.size(); i += 3) {
        const std::size_t left = bytes.size() - i;
        const std::uint32_t chunk = std::uint32_t(bytes[i]) << 16 |
                                    (left > 1 ? std::uint32_t(bytes[i + 1]) << 8 : 0u) |
                                    (left > 2 ? std::uint32_t(bytes[i + 2]) : 0u);
        out += kAlphabet[(chunk >> 18) & 63];
        out += kAlphabet[(chunk >> 12) & 63];
        out += left > 1 ? kAlphabet[(chunk >> 6) & 63] : '=';
        out += left > 2 ? kAlphabet[chunk & 63] : '=';
    }
    return out;
}

std::optional<std::vector<std::uint8_t>> base64Decode(const std::string& text) {
    static const auto table = decodeTable();
    if (text.size() % 4 != 0) return std::nullopt;
    std::vector<std::uint8_t> out;
    out.reserve(text.size() / 4 * 3);
    for (std::size_t i = 0; i < text.size(); i += 4) {
        const bool last = i + 4 == text.size();
        int padding = 0;
        std::uint32_t chunk = 0;
        for (std::size_t k = 0; k < 4; ++k) {
            const char c = text[i + k];
            if (c == '=' && last && k >= 2) {
                ++padding;
                chunk <<= 6;
                continue;
            }
            const int value = table[std::size_t(static_cast<unsigned char>(c))];
            if (value < 0 || padding > 0) return std::nullopt;
            chunk = chunk << 6 | std::uint32_t(value);
        }
        out.push_back(std::uint8_t(chunk >> 16));
        if (padding < 2) out.push_back(std::uint8_t(chunk >> 8));
        if (padding < 1) out.push_back(std::uint8_t(chunk));
    }
    return out;
}

}  // namespace us::analysis
