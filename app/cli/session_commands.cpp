#include <nlohmann/json.hpp>

#include <iostream>

#include "analysis/session/session_file.h"
#include "app/cli/cli_args.h"
#include "app/cli/cli_commands.h"

namespace us::cli {

int fail(const std::string& message, int code) {
    std::cerr << "unitscope-cli: " << message << "\n";
    return code;
}

int sessionInfo(const std::vector<std::string>& args) {
    if (wantsHelp(args)) {
        std::cout << "usage: unitscope-cli session-info FILE.unitscope\n\n"
                     "Prints the session's format, the panels it opens, its data sources and\n"
                     "its selected unit as JSON.\n";
        return 0;
    }
    return guarded("session-info", [&] {
        if (args.size() != 1) throw UsageError("session-info takes exactly one FILE.unitscope");
        const auto session = analysis::loadSession(args[0]);
        nlohmann::json report = analysis::sessionManifest(session);
        report["format"] = analysis::kSessionFormatName;
        std::cout << report.dump(2) << "\n";
        return 0;
    });
}

}  // namespace us::cli
