// unitscope-cli match-units: units of two networks matched by their activations' correlation.

#include <iostream>

#include "analysis/core/atomic_file.h"
#include "analysis/matching/unit_matching_run.h"
#include "app/cli/cli_args.h"
#include "app/cli/cli_commands.h"
#include "app/cli/job_progress.h"

namespace us::cli {

int matchUnits(const std::vector<std::string>& args) {
    if (wantsHelp(args)) {
        std::cout
            << "usage: unitscope-cli match-units --a acts1.h5:L1 --b acts2.h5:L2 --out "
               "matches.json\n"
               "         [--method hungarian|best] [--control random.h5:L] [--pooling "
               "mean|max]\n\n"
               "Matches the units of layer L1 of one network with those of L2 of another (both\n"
               "extracted on the same stimuli) by the Pearson correlation of their activations.\n"
               "  hungarian  one to one: the maximum-weight bipartite matching on the\n"
               "             correlation matrix (min(units) pairs), as SciPy's\n"
               "             linear_sum_assignment(r, maximize=True) (default)\n"
               "  best       every unit of L1 with its best-correlated unit of L2\n"
               "With --control (the same layer of a random-weight copy, same stimuli) L1 is also\n"
               "matched against the control, and beyond_control gives the share of pairs whose r\n"
               "exceeds the control's 95th percentile. Units without variance correlate 0 with\n"
               "everything and are listed in constant_a and constant_b.\n"
               "Writes {\"pairs\": [[unit_a, unit_b, r], ...], \"summary\", \"control\", ...} to "
               "--out.\n";
        return 0;
    }
    return guarded("match-units", [&] {
        const CliArgs options(args, {"a", "b", "out", "method", "control", "pooling"});
        if (!options.positionals().empty())
            throw UsageError("unexpected argument '" + options.positionals()[0] + "'");
        analysis::UnitMatchRequest request;
        request.a = options.required("a");
        request.b = options.required("b");
        const std::filesystem::path out = options.required("out");
        request.control = options.value("control");
        const std::string method = options.value("method").value_or("hungarian");
        if (method != "hungarian" && method != "best")
            throw UsageError("--method must be hungarian or best");
        request.method =
            method == "best" ? analysis::MatchMethod::Best : analysis::MatchMethod::Hungarian;
        const std::string pooling = options.value("pooling").value_or("mean");
        if (pooling != "mean" && pooling != "max")
            throw UsageError("--pooling must be mean or max");
        request.pooling = pooling == "max" ? analysis::Pooling::Max : analysis::Pooling::Mean;
        const CommandLineJob job;
        const auto report = analysis::runUnitMatching(request, job.context());
        analysis::writeTextAtomically(out, report.dump(1) + "\n");
        std::cout << nlohmann::ordered_json{{"out", out.string()},
                                            {"method", report["method"]},
                                            {"summary", report["summary"]},
                                            {"beyond_control", report["beyond_control"]}}
                         .dump(2)
                  << "\n";
        return 0;
    });
}

}  // namespace us::cli
