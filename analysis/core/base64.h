#pragma once
// Base64 (RFC 4648, with padding) for small binary payloads inside JSON, such as the input
// thumbnail an attribution graph carries.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace us::analysis {

std::string base64Encode(const std::vector<std::uint8_t>& bytes);
// nullopt for text that is not base64 (wrong characters, length or padding).
std::optional<std::vector<std::uint8_t>> base64Decode(const std::string& text);

}  // namespace us::analysis
