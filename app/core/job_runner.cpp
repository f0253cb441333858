#include "app/core/job_runner.h"

#include <c10/util/Exception.h>

#include <QMetaObject>

#include <chrono>

namespace us::app {
namespace {

// Progress is forwarded at most this often, plus every stage change and completion, so that
// a job reporting per item cannot flood the GUI thread's event queue.
constexpr auto kProgressInterval = std::chrono::milliseconds(30);

}  // namespace

JobRunner::JobRunner(QObject* parent) : QObject(parent), worker_(new QObject) {
    thread_.setObjectName("unitscope-worker");
    worker_->moveToThread(&thread_);
    connect(&thread_, &QThread::finished, worker_, &QObject::deleteLater);
    // The worker yields the CPU to the GUI thread whenever both want it (SCHED_IDLE on Linux):
    // on two cores, torch's threads would otherwise make the interface stutter by 100+ ms.
    thread_.start(QThread::IdlePriority);
}

JobRunner::~JobRunner() {
    cancelAll();
    thread_.quit();
    thread_.wait();
}

JobId JobRunner::submit(const QString& name, Work work, OnSuccess onSuccess, OnFailure onFailure) {
    const JobId id = nextId_++;
    ActiveJob job{us::analysis::CancelToken(), std::move(onSuccess), std::move(onFailure)};
    const auto token = job.token;
    active_.emplace(id, std::move(job));
    Q_EMIT jobQueued(id, name);
    QMetaObject::invokeMethod(
        worker_, [this, id, work = std::move(work), token] { runOnWorker(id, work, token); },
        Qt::QueuedConnection);
    return id;
}

void JobRunner::cancel(JobId id) {
    if (const auto it = active_.find(id); it != active_.end()) it->second.token.cancel();
}

void JobRunner::cancelAll() {
    for (auto& [id, job] : active_)
        job.token.cancel();
}

// Runs on the worker thread. Everything it tells the GUI goes through queued calls on `this`.
void JobRunner::runOnWorker(JobId id, const Work& work, const us::analysis::CancelToken& token) {
    if (token.isCancelled()) {
        QMetaObject::invokeMethod(
            this, [this, id] { finish(id, Outcome::Cancelled, {}, {}); }, Qt::QueuedConnection);
        return;
    }
    QMetaObject::invokeMethod(
        this, [this, id] { Q_EMIT jobStarted(id); }, Qt::QueuedConnection);

    auto lastSent = std::chrono::steady_clock::time_point{};
    std::string lastMessage;
    auto progress = [&](double fraction, const std::string& message) {
        const auto now = std::chrono::steady_clock::now();
        if (now - lastSent < kProgressInterval && fraction < 1.0 && message == lastMessage) return;
        lastSent = now;
        lastMessage = message;
        const QString text = QString::fromStdString(message);
        QMetaObject::invokeMethod(
            this, [this, id, fraction, text] { Q_EMIT jobProgress(id, fraction, text); },
            Qt::QueuedConnection);
    };
    const us::analysis::JobContext context(progress, token);

    Outcome outcome = Outcome::Succeeded;
    std::any result;
    QString error;
    try {
        result = work(context);
    } catch (const us::analysis::JobCancelled&) {
        outcome = Outcome::Cancelled;
    } catch (const c10::Error& e) {
        outcome = Outcome::Failed;
        error = QString::fromStdString(e.what_without_backtrace());
    } catch (const std::exception& e) {
        outcome = Outcome::Failed;
        error = QString::fromLocal8Bit(e.what());
    } catch (...) {
        outcome = Outcome::Failed;
        error = tr("unknown error");
    }
    if (outcome == Outcome::Failed && error.isEmpty()) error = tr("unknown error");
    QMetaObject::invokeMethod(
        this,
        [this, id, outcome, result = std::move(result), error]() mutable {
            finish(id, outcome, std::move(result), error);
        },
        Qt::QueuedConnection);
}

void JobRunner::finish(JobId id, Outcome outcome, std::any result, const QString& error) {
    const auto it = active_.find(id);
    if (it == active_.end()) return;
    ActiveJob job = std::move(it->second);
    active_.erase(it);
    // A cancel that arrived while or after the work ran still wins: the user asked for no result.
    if (outcome == Outcome::Succeeded && job.token.isCancelled()) outcome = Outcome::Cancelled;
    switch (outcome) {
        case Outcome::Succeeded:
            try {
                if (job.onSuccess) job.onSuccess(std::move(result));
                Q_EMIT jobSucceeded(id);
            } catch (const std::exception& e) {
                const QString message = QString::fromLocal8Bit(e.what());
                if (job.onFailure) job.onFailure(message);
                Q_EMIT jobFailed(id, message);
            }
            break;
        case Outcome::Failed:
            if (job.onFailure) job.onFailure(error);
            Q_EMIT jobFailed(id, error);
            break;
        case Outcome::Cancelled: Q_EMIT jobCancelled(id); break;
    }
    Q_EMIT jobEnded(id);
}

}  // namespace us::app
