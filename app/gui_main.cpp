// unitscope: the desktop application.

#include <QApplication>
#include <QCommandLineParser>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QTimer>

#include <cstdio>

#include "app/core/job_runner.h"
#include "app/graph/graph_controller.h"
#include "app/gui_startup.h"
#include "app/main_window.h"
#include "app/models/model_controller.h"
#include "app/session/session_controller.h"
#include "widgets/brain/brain_view.h"

namespace {

int fail(const QString& message) {
    std::fprintf(stderr, "unitscope: %s\n", qPrintable(message));
    return 1;
}

}  // namespace

int main(int argc, char** argv) {
    QElapsedTimer sinceStart;
    sinceStart.start();
    us::app::prepareGuiProcess();
    QApplication app(argc, argv);
    us::app::identifyApplication();

    QCommandLineParser parser;
    parser.setApplicationDescription(
        "Unitscope: explore the units of neural networks and brains.\n"
        "With --screenshot, renders one panel to a PNG file and exits.");
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument("session",
                                 "A .unitscope session file, or a circuit-tracer / "
                                 "Neuronpedia graph .json, to open.",
                                 "[FILE.unitscope | GRAPH.json]");
    const QCommandLineOption demo("demo", "Open the built-in demo.");
    const QCommandLineOption screenshot("screenshot", "Render a panel to PATH (PNG) and exit.",
                                        "PATH");
    const QCommandLineOption panelOption(
        "panel",
        "Panel for --screenshot: " + us::app::MainWindow::panelNames().join(", ") +
            " or window (default).",
        "NAME", "window");
    const QCommandLineOption timing(
        "timing", "With --screenshot: print the time from start-up to the first brain frame.");
    parser.addOptions({demo, screenshot, panelOption, timing});
    parser.process(app);

    const QString panel = parser.value(panelOption);
    if (parser.isSet(screenshot) && panel != "window" &&
        !us::app::MainWindow::panelNames().contains(panel))
        return fail("unknown panel '" + panel + "'; use one of " +
                    us::app::MainWindow::panelNames().join(", ") + ", window");
    if (parser.positionalArguments().size() > 1) return fail("give at most one session file");

    us::app::JobRunner jobs;
    us::app::MainWindow window(jobs);
    window.show();

    if (parser.isSet(screenshot)) {
        window.setInteractive(false);
        QObject::connect(
            window.models(), &us::app::ModelController::failed, &app,
            [](const QString& what, const QString& error) { fail(what + " failed: " + error); });
    }
    if (!parser.positionalArguments().isEmpty()) {
        const QString path = parser.positionalArguments().first();
        if (path.endsWith(".json", Qt::CaseInsensitive)) {
            // A circuit-tracer / Neuronpedia graph, shown on the graph panel.
            window.graph()->openGraph(path);
            if (auto* dock = window.findChild<QDockWidget*>("graph")) dock->raise();
        } else if (!window.sessions()->openSession(path, !parser.isSet(screenshot)) &&
                   parser.isSet(screenshot)) {
            return fail("cannot open session " + path);
        }
    }
    if (parser.isSet(demo)) window.openDemo();
    if (!parser.isSet(screenshot)) return app.exec();

    // Screenshot mode: wait until what the panel shows has arrived, grab, save, exit.
    const QString outPath = parser.value(screenshot);
    int exitCode = 0;
    auto finish = [&](int code) {
        exitCode = code;
        jobs.cancelAll();
        app.exit(code);
    };
    auto grabAndSave = [&] {
        const QImage image = window.grabPanel(panel);
        if (image.isNull() || !image.save(outPath, "PNG")) {
            fail("could not write " + outPath);
            finish(1);
            return;
        }
        std::printf("%s\n", qPrintable(QFileInfo(outPath).absoluteFilePath()));
        finish(0);
    };
    QObject::connect(window.graph(), &us::app::GraphController::failed, &app,
                     [&](const QString& what, const QString& error) {
                         fail(what + " failed: " + error);
                         finish(1);
                     });
    QObject::connect(&window, &us::app::MainWindow::demoLoadFailed, &app,
                     [&](const QString& error) {
                         fail("demo failed to load: " + error);
                         finish(1);
                     });
    QObject::connect(&window, &us::app::MainWindow::brainSurfacePainted, &app, [&] {
        if (parser.isSet(timing))
            std::fprintf(
                stderr,
                "timing: first brain frame painted %lld ms after start-up (%zu triangles)\n",
                static_cast<long long>(sinceStart.elapsed()),
                window.brainView()->scene().triangleCount());
    });
    // Grab once every job has finished, after one more event-loop turn so that the panels
    // have painted their new content.
    auto* poll = new QTimer(&app);
    poll->setInterval(50);
    QObject::connect(poll, &QTimer::timeout, &app, [&, poll] {
        if (jobs.activeCount() > 0) return;
        if (window.graph()->hasGraph() && !window.graph()->graphSettled()) return;
        poll->stop();
        QTimer::singleShot(200, &app, grabAndSave);
    });
    poll->start();
    QTimer::singleShot(600'000, &app, [&] {
        fail("timed out waiting for the panels to load");
        finish(2);
    });
    app.exec();
    return exitCode;
}
