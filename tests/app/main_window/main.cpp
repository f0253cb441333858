// The main window under Xvfb: real frames from every panel, asserted on pixels. One demo
// window serves every area (each area's tests live in their own file).

#include <QApplication>
#include <QStandardPaths>

#include <cstdio>

#include "app/gui_startup.h"
#include "tests/app/main_window/demo_window.h"

int main(int argc, char** argv) {
    us::app::prepareGuiProcess();
    QApplication app(argc, argv);
    us::app::identifyApplication();
    QStandardPaths::setTestModeEnabled(true);  // keep the user's settings out of tests
    us::test::DemoWindow demo;
    if (!demo.open()) {
        std::fprintf(stderr, "FAIL: the demo did not open in the main window\n");
        return 1;
    }
    const QStringList arguments = QCoreApplication::arguments();
    // Order matters where an area leaves the camera or selection as the next one expects.
    int failures = 0;
    failures += us::test::runInspectorTests(demo, arguments);
    failures += us::test::runTreemapTests(demo, arguments);
    failures += us::test::runBrainTests(demo, arguments);
    failures += us::test::runGraphTests(demo, arguments);
    failures += us::test::runAttributionGraphTests(demo, arguments);
    failures += us::test::runVisualisationTests(demo, arguments);
    failures += us::test::runEncodingTests(demo, arguments);
    failures += us::test::runCaptionTests(demo, arguments);
    failures += us::test::runConceptTests(demo, arguments);
    failures += us::test::runMatchTests(demo, arguments);
    failures += us::test::runSessionTests(demo, arguments);
    demo.window.reset();
    return failures;
}
