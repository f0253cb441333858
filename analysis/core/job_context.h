#pragma once
// What a long-running analysis function receives: a progress callback and a cancel token.
// Plain C++ so that analysis/ stays free of Qt; app/ adapts it to its worker thread.

#include <atomic>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>

namespace us::analysis {

// Thrown by JobContext::checkCancelled(); job runners treat it as "cancelled", not "failed".
class JobCancelled : public std::runtime_error {
  public:
    JobCancelled() : std::runtime_error("cancelled") {}
};

// Shared flag: the GUI thread sets it, the worker polls it. Copies share the same flag.
class CancelToken {
  public:
    CancelToken() : flag_(std::make_shared<std::atomic<bool>>(false)) {}
    void cancel() const { flag_->store(true, std::memory_order_relaxed); }
    bool isCancelled() const { return flag_->load(std::memory_order_relaxed); }

  private:
    std::shared_ptr<std::atomic<bool>> flag_;
};

// fraction in [0, 1]; message is a short human-readable stage name (may be empty).
using ProgressCallback = std::function<void(double fraction, const std::string& message)>;

class JobContext {
  public:
    JobContext() = default;
    JobContext(ProgressCallback progress, CancelToken cancel)
        : progress_(std::move(progress)), cancel_(std::move(cancel)) {}

    void report(double fraction, const std::string& message = {}) const {
        if (progress_) progress_(fraction, message);
    }
    // A context for one stage of a longer job: its [0, 1] maps onto [from, to] of this one.
    JobContext stage(double from, double to) const {
        if (!progress_) return JobContext({}, cancel_);
        return JobContext(
            [progress = progress_, from, to](double fraction, const std::string& message) {
                progress(from + (to - from) * fraction, message);
            },
            cancel_);
    }
    bool isCancelled() const { return cancel_.isCancelled(); }
    // Call at least every ~100 ms of work so that cancel takes effect quickly.
    void checkCancelled() const {
        if (cancel_.isCancelled()) throw JobCancelled();
    }

  private:
    ProgressCallback progress_;
    CancelToken cancel_;
};

}  // namespace us::analysis
