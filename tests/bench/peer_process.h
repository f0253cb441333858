#pragma once
// Benchmarks run their peers (PyTorch, SciPy, scikit-learn, python3-vtk9, d3) as child
// processes in the same run and read the one JSON object each prints on stdout.

#include <nlohmann/json.hpp>

#include <cstdio>
#include <stdexcept>
#include <string>

namespace us::bench {

// The peer gets the malloc tuning Unitscope applies at start-up (PLATFORM.md), so that the
// ratio compares the implementations, not the allocator settings.
inline nlohmann::json runPeer(const std::string& command) {
    const std::string tuned =
        "GLIBC_TUNABLES=glibc.malloc.mmap_threshold=1073741824:"
        "glibc.malloc.trim_threshold=1073741824 " +
        command;
    FILE* pipe = popen(tuned.c_str(), "r");
    if (!pipe) throw std::runtime_error("cannot run " + command);
    std::string output;
    char buffer[4096];
    while (fgets(buffer, sizeof buffer, pipe))
        output += buffer;
    if (pclose(pipe) != 0) throw std::runtime_error("peer failed: " + command);
    return output.empty() ? nlohmann::json() : nlohmann::json::parse(output);
}

// "/usr/bin/python3 'DIR/SCRIPT' ARGUMENTS" for a peer script beside the benchmarks.
inline std::string pythonPeer(const std::string& script, const std::string& arguments) {
    return "/usr/bin/python3 '" UNITSCOPE_BENCH_DIR "/" + script + "' " + arguments;
}

}  // namespace us::bench
