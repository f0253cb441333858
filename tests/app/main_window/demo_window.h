// One demo window shared by the main-window test areas: opening the demo (brain, network,
// treemap) costs most of the test's time, so every area runs against the same window.

#pragma once

#include <QImage>
#include <QRect>
#include <QStringList>

#include <memory>

#include "app/core/job_runner.h"
#include "app/main_window.h"

namespace us::test {

struct DemoWindow {
    app::JobRunner jobs;
    std::unique_ptr<app::MainWindow> window;

    // Shows the window, checks the empty states, opens the demo and waits until every
    // panel has its data. Returns false (after a Qt Test failure message) on timeout.
    bool open();
};

// Pixel checks on grabbed frames.
bool isBrainBackground(QRgb pixel);
double foregroundFraction(const QImage& image);
int populatedHueBins(const QImage& image);              // distinct hues that survive shading
int barPixels(const QImage& image, const QRect& area);  // the charts' bar colour
int distinctColours(const QImage& image, const QRect& area);
double changedFraction(const QImage& a, const QImage& b);

// One test area: runs its Qt Test class against the shared window; returns failures.
int runInspectorTests(DemoWindow& demo, const QStringList& arguments);
int runTreemapTests(DemoWindow& demo, const QStringList& arguments);
int runBrainTests(DemoWindow& demo, const QStringList& arguments);
int runGraphTests(DemoWindow& demo, const QStringList& arguments);
int runAttributionGraphTests(DemoWindow& demo, const QStringList& arguments);
int runVisualisationTests(DemoWindow& demo, const QStringList& arguments);
int runEncodingTests(DemoWindow& demo, const QStringList& arguments);
int runCaptionTests(DemoWindow& demo, const QStringList& arguments);
int runConceptTests(DemoWindow& demo, const QStringList& arguments);
int runMatchTests(DemoWindow& demo, const QStringList& arguments);
int runSessionTests(DemoWindow& demo, const QStringList& arguments);

}  // namespace us::test
