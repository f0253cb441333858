#pragma once
// A JSON file the window reads back (captions, matches): one clear message for a file that
// cannot be opened, is not JSON, or lacks what `parse` reads from it.

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

namespace us::app {

// Returns parse(json); kind names the file in errors ("unit captions").
template <typename Parse>
auto parseJsonFile(const std::filesystem::path& path, const std::string& kind, Parse&& parse) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot open '" + path.string() + "'");
    try {
        return parse(nlohmann::json::parse(in));
    } catch (const nlohmann::json::exception& error) {
        throw std::runtime_error("'" + path.string() + "' is not a " + kind +
                                 " file: " + error.what());
    }
}

}  // namespace us::app
