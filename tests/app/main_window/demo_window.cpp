#include "tests/app/main_window/demo_window.h"

#include <QColor>
#include <QMap>
#include <QSet>
#include <QTest>

#include <cmath>
#include <cstdio>
#include <functional>

#include "app/models/model_controller.h"
#include "widgets/clusters/treemap_panel.h"
#include "widgets/clusters/treemap_view.h"

namespace us::test {

bool DemoWindow::open() {
    window = std::make_unique<app::MainWindow>(jobs);
    window->resize(1280, 800);
    window->show();
    if (!QTest::qWaitForWindowExposed(window.get())) return false;
    // Empty states are honest before anything is open.
    if (window->grabPanel("treemap").isNull()) return false;
    window->models()->setInteractive(false);
    window->openDemo();
    // Each stage says which one timed out, so that a failure on a loaded machine is legible.
    const auto stage = [](const char* what, const std::function<bool()>& done, int ms) {
        if (QTest::qWaitFor(done, ms)) return true;
        std::fprintf(stderr, "FAIL: %s within %d s\n", what, ms / 1000);
        return false;
    };
    return stage(
               "brain and network shown",
               [&] { return window->brainReady() && window->networkReady(); }, 240000) &&
           stage(
               "treemap shown", [&] { return window->treemap()->view()->hasTree(); }, 120000) &&
           // The demo's simulated experiment is fitted once per machine, then reused.
           stage(
               "demo jobs finished", [&] { return jobs.activeCount() == 0; }, 180000);
}

bool isBrainBackground(QRgb p) {
    static const QColor background = QColor::fromRgbF(0.11f, 0.12f, 0.14f);
    return std::abs(qRed(p) - background.red()) <= 2 &&
           std::abs(qGreen(p) - background.green()) <= 2 &&
           std::abs(qBlue(p) - background.blue()) <= 2;
}

double foregroundFraction(const QImage& image) {
    qint64 count = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            count += !isBrainBackground(image.pixel(x, y));
    return double(count) / (double(image.width()) * image.height());
}

int populatedHueBins(const QImage& image) {
    QMap<int, int> bins;
    int saturated = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x) {
            const QColor c(image.pixel(x, y));
            if (c.hsvSaturationF() < 0.3 || c.valueF() < 0.25) continue;
            ++saturated;
            ++bins[c.hsvHue() / 10];
        }
    int populated = 0;
    for (int n : bins)
        populated += n > saturated / 200;
    return populated;
}

int barPixels(const QImage& image, const QRect& area) {
    int count = 0;
    for (int y = area.top(); y <= area.bottom(); ++y)
        for (int x = area.left(); x <= area.right(); ++x)
            count += image.pixel(x, y) == qRgb(70, 130, 200);
    return count;
}

int distinctColours(const QImage& image, const QRect& area) {
    QSet<QRgb> colours;
    for (int y = area.top(); y <= area.bottom(); ++y)
        for (int x = area.left(); x <= area.right(); ++x)
            colours.insert(image.pixel(x, y));
    return int(colours.size());
}

// Over a's area; where b is smaller (a panel resized between grabs) a's pixels count changed.
double changedFraction(const QImage& a, const QImage& b) {
    qint64 changed = 0;
    for (int y = 0; y < a.height(); ++y)
        for (int x = 0; x < a.width(); ++x)
            changed += !b.valid(x, y) || a.pixel(x, y) != b.pixel(x, y);
    return double(changed) / (double(a.width()) * a.height());
}

}  // namespace us::test
