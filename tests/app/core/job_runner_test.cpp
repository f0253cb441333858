// The job system: ordered progress, prompt cancel, failures as values, a responsive GUI thread.

#include <c10/util/Exception.h>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

#include <chrono>
#include <thread>

#include "app/core/job_runner.h"

using us::analysis::JobContext;
using us::app::JobRunner;

namespace {

// Cooperative work: checks for cancel every few milliseconds.
std::any busyFor(const JobContext& context, std::chrono::milliseconds duration) {
    const auto start = std::chrono::steady_clock::now();
    while (std::chrono::steady_clock::now() - start < duration) {
        context.checkCancelled();
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        const double done =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start) /
            std::chrono::duration<double>(duration);
        context.report(std::min(done, 1.0), "working");
    }
    return std::any(1);
}

}  // namespace

class JobRunnerTest : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void resultArrivesAsValueOnGuiThread() {
        JobRunner runner;
        int value = 0;
        Qt::HANDLE thread = nullptr, workerThread = nullptr;
        runner.submitTyped<int>(
            "answer",
            [&workerThread](const JobContext&) {
                workerThread = QThread::currentThreadId();
                return 42;
            },
            [&](int v) {
                value = v;
                thread = QThread::currentThreadId();
            });
        QTRY_COMPARE(value, 42);
        QCOMPARE(thread, QThread::currentThreadId());
        QVERIFY(workerThread != QThread::currentThreadId());
    }

    void progressIsDeliveredInOrder() {
        JobRunner runner;
        QList<double> fractions;
        QList<QString> order;
        connect(&runner, &JobRunner::jobStarted, this, [&](quint64) { order << "started"; });
        connect(&runner, &JobRunner::jobProgress, this, [&](quint64, double f, const QString&) {
            fractions << f;
            order << "progress";
        });
        connect(&runner, &JobRunner::jobSucceeded, this, [&](quint64) { order << "succeeded"; });
        runner.submit("count", [](const JobContext& context) {
            for (int i = 1; i <= 200; ++i) {
                context.report(i / 200.0, "step " + std::to_string(i / 50));
                std::this_thread::sleep_for(std::chrono::microseconds(500));
            }
            return std::any();
        });
        QTRY_VERIFY_WITH_TIMEOUT(order.contains("succeeded"), 10000);
        QVERIFY(fractions.size() >= 3);
        for (int i = 1; i < fractions.size(); ++i)
            QVERIFY(fractions[i] >= fractions[i - 1]);
        QCOMPARE(fractions.last(), 1.0);
        QCOMPARE(order.first(), QString("started"));
        QCOMPARE(order.last(), QString("succeeded"));
    }

    void cancelStopsALongJobWithin200ms() {
        JobRunner runner;
        QSignalSpy started(&runner, &JobRunner::jobStarted);
        QSignalSpy cancelled(&runner, &JobRunner::jobCancelled);
        bool successCalled = false;
        const auto id = runner.submit(
            "long", [](const JobContext& c) { return busyFor(c, std::chrono::seconds(20)); },
            [&](std::any) { successCalled = true; });
        QTRY_COMPARE(started.size(), 1);
        QTest::qWait(100);
        QElapsedTimer clock;
        clock.start();
        runner.cancel(id);
        QTRY_COMPARE_WITH_TIMEOUT(cancelled.size(), 1, 2000);
        QVERIFY2(clock.elapsed() < 200, qPrintable(QString::number(clock.elapsed()) + " ms"));
        QVERIFY(!successCalled);
        QCOMPARE(runner.activeCount(), 0);
    }

    void queuedJobCancelledBeforeItStartsNeverRuns() {
        JobRunner runner;
        QSignalSpy cancelled(&runner, &JobRunner::jobCancelled);
        QSignalSpy ended(&runner, &JobRunner::jobEnded);
        const auto first = runner.submit("first", [](const JobContext& c) {
            return busyFor(c, std::chrono::milliseconds(300));
        });
        bool ran = false;
        const auto second = runner.submit("second", [&ran](const JobContext&) {
            ran = true;
            return std::any();
        });
        runner.cancel(second);
        QTRY_COMPARE_WITH_TIMEOUT(cancelled.size(), 1, 5000);
        QCOMPARE(cancelled.first().first().toULongLong(), second);
        QTRY_COMPARE(runner.activeCount(), 0);
        QVERIFY(!ran);
        // Every job ends once, cancelled or not, after its outcome's signal.
        QTRY_COMPARE(ended.size(), 2);
        QCOMPARE(ended.at(0).first().toULongLong(), first);
        QCOMPARE(ended.at(1).first().toULongLong(), second);
    }

    void throwingJobBecomesFailedJobWithItsMessage() {
        JobRunner runner;
        QSignalSpy failed(&runner, &JobRunner::jobFailed);
        QSignalSpy ended(&runner, &JobRunner::jobEnded);
        QString reported;
        runner.submit(
            "throws",
            [](const JobContext&) -> std::any { throw std::runtime_error("boom: bad input"); }, {},
            [&](const QString& e) { reported = e; });
        QTRY_COMPARE(failed.size(), 1);
        QCOMPARE(failed.first().at(1).toString(), QString("boom: bad input"));
        QCOMPARE(reported, QString("boom: bad input"));

        runner.submit("torch error", [](const JobContext&) -> std::any {
            TORCH_CHECK(false, "expected input of shape [1, 28, 28], got [3, 224, 224]");
            return {};
        });
        QTRY_COMPARE(failed.size(), 2);
        const QString message = failed.at(1).at(1).toString();
        QVERIFY2(message.contains("expected input of shape [1, 28, 28]"), qPrintable(message));
        QVERIFY2(!message.contains("Exception raised from"), qPrintable(message));

        runner.submit("throws int", [](const JobContext&) -> std::any { throw 7; });
        QTRY_COMPARE(failed.size(), 3);
        QVERIFY(!failed.at(2).at(1).toString().isEmpty());
        QCOMPARE(ended.size(), 3);
    }

    void guiEventLoopStaysResponsiveDuringA3SecondJob() {
        JobRunner runner;
        QSignalSpy done(&runner, &JobRunner::jobSucceeded);
        runner.submit("three seconds",
                      [](const JobContext& c) { return busyFor(c, std::chrono::seconds(3)); });
        QElapsedTimer clock;
        clock.start();
        qint64 expected = 10, worstLateness = 0;
        QTimer tick;
        tick.setTimerType(Qt::PreciseTimer);
        tick.setInterval(10);
        connect(&tick, &QTimer::timeout, this, [&] {
            const qint64 now = clock.elapsed();
            worstLateness = std::max(worstLateness, now - expected);
            expected = now + 10;
        });
        tick.start();
        QTRY_COMPARE_WITH_TIMEOUT(done.size(), 1, 10000);
        tick.stop();
        QVERIFY(clock.elapsed() >= 2900);
        QVERIFY2(worstLateness < 50, qPrintable(QString("timer late by %1 ms").arg(worstLateness)));
    }
};

QTEST_GUILESS_MAIN(JobRunnerTest)
#include "job_runner_test.moc"
