#include "app/cli/job_progress.h"

#include <csignal>
#include <cstdio>
#include <string>

#include "app/cli/cli_args.h"

namespace us::cli {
namespace {

analysis::CancelToken* activeToken = nullptr;

extern "C" void cancelOnSignal(int) {
    if (activeToken) activeToken->cancel();  // an atomic store: safe in a signal handler
}

}  // namespace

CommandLineJob::CommandLineJob() {
    const bool terminal = stderrIsTerminal();
    context_ = analysis::JobContext(
        [terminal, last = -1](double fraction, const std::string& message) mutable {
            if (!terminal) return;
            const int percent = int(fraction * 100.0);
            if (percent == last && message.empty()) return;
            last = percent;
            std::fprintf(stderr, "\r\033[K[%3d%%] %s", percent, message.c_str());
            if (fraction >= 1.0) std::fputc('\n', stderr);
            std::fflush(stderr);
        },
        cancel_);
    activeToken = &cancel_;
    std::signal(SIGINT, cancelOnSignal);
    std::signal(SIGTERM, cancelOnSignal);
}

CommandLineJob::~CommandLineJob() {
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    activeToken = nullptr;
}

}  // namespace us::cli
