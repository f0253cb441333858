#include "app/cli/cli_args.h"

#include <cmath>
#include <sstream>

#include "analysis/core/job_context.h"
#include "app/cli/cli_commands.h"

namespace us::cli {

CliArgs::CliArgs(const std::vector<std::string>& args, const std::set<std::string>& valueOptions,
                 const std::set<std::string>& flags) {
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (!arg.starts_with("--")) {
            positionals_.push_back(arg);
            continue;
        }
        std::string name = arg.substr(2);
        std::optional<std::string> inlineValue;
        if (const auto eq = name.find('='); eq != std::string::npos) {
            inlineValue = name.substr(eq + 1);
            name.resize(eq);
        }
        if (flags.contains(name) && !inlineValue) {
            flags_.insert(name);
        } else if (valueOptions.contains(name)) {
            if (inlineValue) {
                values_[name] = *inlineValue;
            } else if (i + 1 < args.size()) {
                values_[name] = args[++i];
            } else {
                throw UsageError("option --" + name + " needs a value");
            }
        } else {
            throw UsageError("unknown option --" + name);
        }
    }
}

std::optional<std::string> CliArgs::value(const std::string& name) const {
    const auto found = values_.find(name);
    if (found == values_.end()) return std::nullopt;
    return found->second;
}

std::string CliArgs::required(const std::string& name) const {
    const auto found = value(name);
    if (!found || found->empty()) throw UsageError("missing --" + name);
    return *found;
}

long long CliArgs::integer(const std::string& name, long long fallback, long long min,
                           long long max) const {
    const auto text = value(name);
    if (!text) return fallback;
    std::size_t used = 0;
    long long number = 0;
    try {
        number = std::stoll(*text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used == 0 || used != text->size() || number < min || number > max)
        throw UsageError("--" + name + " must be an integer from " + std::to_string(min) + " to " +
                         std::to_string(max) + ", got '" + *text + "'");
    return number;
}

double CliArgs::number(const std::string& name, double fallback, double min, double max) const {
    const auto text = value(name);
    if (!text) return fallback;
    std::size_t used = 0;
    double number = 0;
    try {
        number = std::stod(*text, &used);
    } catch (const std::exception&) {
        used = 0;
    }
    if (used == 0 || used != text->size() || !std::isfinite(number) ||
        !(number >= min && number <= max)) {
        std::ostringstream range;
        if (std::isfinite(min) && std::isfinite(max))
            range << " from " << min << " to " << max;
        else if (std::isfinite(min))
            range << " of at least " << min;
        else if (std::isfinite(max))
            range << " of at most " << max;
        throw UsageError("--" + name + " must be a number" + range.str() + ", got '" + *text + "'");
    }
    return number;
}

bool wantsHelp(const std::vector<std::string>& args) {
    for (const auto& a : args)
        if (a == "--help" || a == "-h") return true;
    return false;
}

int guarded(const std::string& command, const std::function<int()>& body) {
    try {
        return body();
    } catch (const UsageError& e) {
        return fail(std::string(e.what()) + " (see unitscope-cli " + command + " --help)", 2);
    } catch (const analysis::JobCancelled&) {
        return fail("cancelled; no output was written", 130);
    } catch (const std::exception& e) {
        return fail(e.what());
    }
}

std::vector<std::string> splitList(const std::string& text, char separator) {
    std::vector<std::string> parts;
    std::stringstream stream(text);
    std::string part;
    while (std::getline(stream, part, separator))
        if (!part.empty()) parts.push_back(part);
    return parts;
}

}  // namespace us::cli
