#pragma once
// A JobContext for the command line: progress on stderr when it is a terminal, and Ctrl-C
// cancels the job (so that atomic outputs are cleaned up) instead of killing the process.

#include "analysis/core/job_context.h"

namespace us::cli {

class CommandLineJob {
  public:
    CommandLineJob();
    ~CommandLineJob();
    CommandLineJob(const CommandLineJob&) = delete;
    CommandLineJob& operator=(const CommandLineJob&) = delete;

    const analysis::JobContext& context() const { return context_; }

  private:
    analysis::CancelToken cancel_;
    analysis::JobContext context_;
};

}  // namespace us::cli
