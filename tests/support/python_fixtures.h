#pragma once
// Test fixtures written by a Python script (with Debian's python3-* reference packages) once
// per build tree and reused: the script runs into a temporary folder that is renamed into
// place, so parallel tests never see a half-written fixture set.

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <stdexcept>
#include <string>

namespace us::test {

inline std::filesystem::path pythonFixtures(const std::string& script, const std::string& name) {
    namespace fs = std::filesystem;
    // The cache is keyed by the script's content, so an edited script regenerates its fixtures.
    const fs::path scriptPath = fs::path(UNITSCOPE_TEST_FIXTURE_DIR) / script;
    std::ifstream source(scriptPath);
    const std::string text((std::istreambuf_iterator<char>(source)),
                           std::istreambuf_iterator<char>());
    const fs::path dir = fs::path(UNITSCOPE_TEST_CACHE_DIR) /
                         (name + "-" + std::to_string(std::hash<std::string>{}(text) % 1000000007));
    if (fs::exists(dir / "done")) return dir;
    fs::create_directories(dir.parent_path());
    const fs::path temp = dir.string() + ".tmp-" + std::to_string(::getpid());
    fs::remove_all(temp);
    const std::string command = "/usr/bin/python3 '" + std::string(UNITSCOPE_TEST_FIXTURE_DIR) +
                                "/" + script + "' '" + temp.string() + "'";
    if (std::system(command.c_str()) != 0)
        throw std::runtime_error("fixture script failed: " + command);
    std::error_code ec;
    fs::rename(temp, dir, ec);  // another process may have won the race: use theirs
    if (ec) fs::remove_all(temp);
    if (!fs::exists(dir / "done")) throw std::runtime_error("fixtures missing in " + dir.string());
    return dir;
}

}  // namespace us::test
