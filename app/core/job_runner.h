#pragma once
// Runs analysis work on one dedicated worker thread (the only thread that runs LibTorch) and
// hands results back to the GUI thread as values. The GUI thread never waits on the worker.

#include <QObject>
#include <QString>
#include <QThread>

#include <any>
#include <functional>
#include <map>

#include "analysis/core/job_context.h"

namespace us::app {

using JobId = quint64;

class JobRunner : public QObject {
    Q_OBJECT
  public:
    using Work = std::function<std::any(const us::analysis::JobContext&)>;
    using OnSuccess = std::function<void(std::any result)>;
    using OnFailure = std::function<void(const QString& error)>;

    explicit JobRunner(QObject* parent = nullptr);
    // Cancels every job and waits for the worker to finish the one it is running.
    ~JobRunner() override;

    // Queues `work`. onSuccess / onFailure run on the GUI thread; neither runs if the job is
    // cancelled, so a cancelled job's partial result never reaches the session.
    JobId submit(const QString& name, Work work, OnSuccess onSuccess = {},
                 OnFailure onFailure = {});

    // Typed convenience: the result reaches onSuccess as T.
    template <typename T>
    JobId submitTyped(const QString& name, std::function<T(const us::analysis::JobContext&)> work,
                      std::function<void(T)> onSuccess, OnFailure onFailure = {}) {
        return submit(
            name,
            [work = std::move(work)](const us::analysis::JobContext& c) {
                return std::any(work(c));
            },
            [onSuccess = std::move(onSuccess)](std::any result) {
                if (onSuccess) onSuccess(std::any_cast<T>(std::move(result)));
            },
            std::move(onFailure));
    }

    void cancel(JobId id);
    void cancelAll();
    // Jobs queued or running.
    int activeCount() const { return static_cast<int>(active_.size()); }

  Q_SIGNALS:
    void jobQueued(quint64 id, const QString& name);
    void jobStarted(quint64 id);
    void jobProgress(quint64 id, double fraction, const QString& message);
    void jobSucceeded(quint64 id);
    void jobFailed(quint64 id, const QString& error);
    void jobCancelled(quint64 id);
    // After any of the three above: for those who only track which jobs are still alive.
    void jobEnded(quint64 id);

  private:
    struct ActiveJob {
        us::analysis::CancelToken token;
        OnSuccess onSuccess;
        OnFailure onFailure;
    };
    enum class Outcome { Succeeded, Failed, Cancelled };
    void runOnWorker(JobId id, const Work& work, const us::analysis::CancelToken& token);
    void finish(JobId id, Outcome outcome, std::any result, const QString& error);

    QThread thread_;
    QObject* worker_;  // lives on thread_; receives the queued work
    JobId nextId_ = 1;
    std::map<JobId, ActiveJob> active_;
};

}  // namespace us::app
