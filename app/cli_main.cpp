// unitscope-cli: Unitscope without a GUI, for batch jobs, scripts and tests.
// Links analysis/ and render/ only: no Qt.

#include <nlohmann/json.hpp>

#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "analysis/session_file.h"
#include "analysis/versions.h"

namespace {

constexpr const char* kUsage =
    "usage: unitscope-cli [--help] [--version] SUBCOMMAND [ARGS...]\n"
    "\n"
    "Unitscope without a GUI. Reports go to stdout as JSON; errors to stderr, one line,\n"
    "with a non-zero exit status.\n"
    "\n"
    "subcommands:\n"
    "  session-info FILE.unitscope   print a session's format version and contents as JSON\n"
    "\n"
    "Run 'unitscope-cli SUBCOMMAND --help' for a subcommand's options.\n";

int error(const std::string& message, int code = 2) {
    std::cerr << "unitscope-cli: " << message << "\n";
    return code;
}

bool wantsHelp(const std::vector<std::string>& args) {
    for (const auto& a : args)
        if (a == "--help" || a == "-h") return true;
    return false;
}

int sessionInfo(const std::vector<std::string>& args) {
    if (wantsHelp(args)) {
        std::cout << "usage: unitscope-cli session-info FILE.unitscope\n\n"
                     "Prints the session's format, the panels it opens, its data sources and\n"
                     "its selected unit as JSON.\n";
        return 0;
    }
    if (args.size() != 1) return error("session-info takes exactly one FILE.unitscope");
    try {
        const auto session = us::analysis::loadSession(args[0]);
        nlohmann::json report = us::analysis::sessionManifest(session);
        report["format"] = us::analysis::kSessionFormatName;
        std::cout << report.dump(2) << "\n";
        return 0;
    } catch (const std::exception& e) {
        return error(e.what(), 1);
    }
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty()) {
        std::cerr << kUsage;
        return 2;
    }
    const std::string command = args.front();
    args.erase(args.begin());
    if (command == "--help" || command == "-h" || command == "help") {
        std::cout << kUsage;
        return 0;
    }
    if (command == "--version") {
        std::cout << "unitscope-cli " << us::analysis::unitscopeVersion() << " (LibTorch "
                  << us::analysis::torchVersion() << ", HDF5 " << us::analysis::hdf5Version()
                  << ")\n";
        return 0;
    }
    if (command == "session-info") return sessionInfo(args);
    return error("unknown subcommand '" + command + "' (see unitscope-cli --help)");
}
