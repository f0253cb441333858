#pragma once
// A small option parser for unitscope-cli subcommands: "--name value", "--name=value",
// boolean "--flag" and positionals. Unknown options are errors, so typos never pass silently.

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace us::cli {

class UsageError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

class CliArgs {
  public:
    // Throws UsageError for an unknown option or a missing value.
    CliArgs(const std::vector<std::string>& args, const std::set<std::string>& valueOptions,
            const std::set<std::string>& flags = {});

    bool has(const std::string& name) const {
        return values_.contains(name) || flags_.contains(name);
    }
    std::optional<std::string> value(const std::string& name) const;
    std::string required(const std::string& name) const;  // throws UsageError
    long long integer(const std::string& name, long long fallback, long long min,
                      long long max) const;
    // --name as a finite number in [min, max] (infinite bounds: any finite number), or fallback
    // when absent; throws UsageError otherwise.
    double number(const std::string& name, double fallback, double min, double max) const;
    const std::vector<std::string>& positionals() const { return positionals_; }

  private:
    std::map<std::string, std::string> values_;
    std::set<std::string> flags_;
    std::vector<std::string> positionals_;
};

std::vector<std::string> splitList(const std::string& text, char separator = ',');

// True when the arguments ask for --help or -h.
bool wantsHelp(const std::vector<std::string>& args);

// Runs a subcommand's body and turns what it throws into the CLI contract: a usage error is
// one line pointing at `unitscope-cli COMMAND --help` (exit 2), a cancelled job says nothing
// was written (exit 130), anything else is its message on one line (exit 1).
int guarded(const std::string& command, const std::function<int()>& body);

// True when stderr is an interactive terminal (progress lines are shown only then).
bool stderrIsTerminal();

}  // namespace us::cli
