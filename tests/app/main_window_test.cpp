// The main window under Xvfb: real frames from the brain and graph views, asserted on pixels.

#include <vtkCamera.h>
#include <QApplication>
#include <QDockWidget>
#include <QSet>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

#include "analysis/session_file.h"
#include "app/gui_startup.h"
#include "app/job_runner.h"
#include "app/main_window.h"
#include "widgets/brain_view.h"
#include "widgets/graph_view.h"

using us::app::JobRunner;
using us::app::MainWindow;

namespace {

const QColor kBrainBackground = QColor::fromRgbF(0.11f, 0.12f, 0.14f);

bool isBackground(QRgb p) {
    return std::abs(qRed(p) - kBrainBackground.red()) <= 2 &&
           std::abs(qGreen(p) - kBrainBackground.green()) <= 2 &&
           std::abs(qBlue(p) - kBrainBackground.blue()) <= 2;
}

double foregroundFraction(const QImage& image) {
    qint64 count = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            count += !isBackground(image.pixel(x, y));
    return double(count) / (double(image.width()) * image.height());
}

// Distinct atlas colours survive shading as distinct hues: count well-populated hue bins.
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

double changedFraction(const QImage& a, const QImage& b) {
    qint64 changed = 0;
    for (int y = 0; y < a.height(); ++y)
        for (int x = 0; x < a.width(); ++x)
            changed += a.pixel(x, y) != b.pixel(x, y);
    return double(changed) / (double(a.width()) * a.height());
}

}  // namespace

class MainWindowTest : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void initTestCase() {
        window_ = std::make_unique<MainWindow>(jobs_);
        window_->resize(1280, 800);
        window_->show();
        QVERIFY(QTest::qWaitForWindowExposed(window_.get()));
        // Empty states are honest before anything is open.
        QVERIFY(!window_->grabPanel("treemap").isNull());
        window_->openDemo();
        QTRY_VERIFY_WITH_TIMEOUT(window_->brainReady() && window_->networkReady(), 120000);
        QCOMPARE(jobs_.activeCount(), 0);
    }

    void brainFrameShowsAColouredSurface() {
        auto* view = window_->brainView();
        const QImage frame = view->grabFramebuffer();
        QVERIFY(!frame.isNull());
        frame.save(QDir::temp().filePath("unitscope-test-brain.png"));
        const double fraction = foregroundFraction(frame);
        QVERIFY2(fraction > 0.15 && fraction < 0.85, qPrintable(QString::number(fraction)));
        const int hues = populatedHueBins(frame);
        QVERIFY2(hues >= 8, qPrintable(QString("%1 hue bins").arg(hues)));
    }

    void rotatingTheCameraChangesTheImage() {
        auto* view = window_->brainView();
        const QImage before = view->grabFramebuffer();
        view->scene().renderer()->GetActiveCamera()->Azimuth(40);
        view->update();
        const QImage after = view->grabFramebuffer();
        QVERIFY2(changedFraction(before, after) > 0.05,
                 qPrintable(QString::number(changedFraction(before, after))));
        // Dragging with the mouse rotates too (through the VTK interactor).
        const QPoint centre(view->width() / 2, view->height() / 2);
        QTest::mousePress(view, Qt::LeftButton, {}, centre);
        for (int i = 1; i <= 10; ++i)
            QTest::mouseMove(view, centre + QPoint(8 * i, 0));
        QTest::mouseRelease(view, Qt::LeftButton, {}, centre + QPoint(80, 0));
        const QImage dragged = view->grabFramebuffer();
        QVERIFY(changedFraction(after, dragged) > 0.02);
        window_->brainView()->applyPreset(us::render::CameraPreset::LateralLeft);
    }

    void pickAtCentreNamesAnAalRegion() {
        auto* view = window_->brainView();
        view->grabFramebuffer();
        const QPointF centre(view->width() / 2.0, view->height() / 2.0);
        const auto pick = view->pickAt(centre);
        QVERIFY(pick.has_value());
        QVERIFY2(pick->label > 0, "the centre of the left lateral view is inside an AAL region");
        const QString region = QString::fromStdString(pick->region);
        // Left lateral view: a left-hemisphere region of the lateral cortex.
        QVERIFY2(region.endsWith("_L"), qPrintable(region));
        QVERIFY2(pick->worldMm[0] < -30, "left lateral cortex has x < -30 mm in MNI space");
        // Hovering shows the same region in the status bar.
        QTest::mouseMove(view, centre.toPoint());
        QTRY_VERIFY(window_->statusReadout().contains(region));
        QVERIFY(window_->statusReadout().contains("mm"));
    }

    void graphCanvasDrawsTheNetworkAndPansAndZooms() {
        auto* graph = window_->graphView();
        window_->findChild<QDockWidget*>("graph")->raise();
        QTRY_VERIFY(graph->isVisible());
        QCOMPARE(graph->canvas().layers().size(), size_t(13));
        QCOMPARE(graph->canvas().layers().at(1).outputShape,
                 (std::vector<std::int64_t>{32, 28, 28}));
        const QImage frame = graph->grabFramebuffer();
        frame.save(QDir::temp().filePath("unitscope-test-graph.png"));
        int convBlue = 0;
        for (int y = 0; y < frame.height(); ++y)
            for (int x = 0; x < frame.width(); ++x) {
                const QRgb p = frame.pixel(x, y);
                convBlue += std::abs(qRed(p) - 66) < 6 && std::abs(qGreen(p) - 133) < 6 &&
                            std::abs(qBlue(p) - 214) < 6;
            }
        QVERIFY2(convBlue > 100, "Conv2d nodes are drawn in their type colour");

        const auto before = graph->canvas().viewState();
        const QPoint centre(graph->width() / 2, graph->height() / 2);
        QTest::mouseMove(graph, centre);
        QWheelEvent wheel(centre, graph->mapToGlobal(centre), {}, {0, 240}, Qt::NoButton, {},
                          Qt::NoScrollPhase, false);
        QApplication::sendEvent(graph, &wheel);
        graph->grabFramebuffer();
        const auto zoomed = graph->canvas().viewState();
        QVERIFY2(zoomed[2] > before[2] * 1.2, "wheel zooms in");
        QTest::mousePress(graph, Qt::LeftButton, {}, centre);
        graph->grabFramebuffer();
        for (int i = 1; i <= 5; ++i) {
            QTest::mouseMove(graph, centre + QPoint(10 * i, 6 * i));
            graph->grabFramebuffer();
        }
        QTest::mouseRelease(graph, Qt::LeftButton, {}, centre + QPoint(50, 30));
        graph->grabFramebuffer();
        const auto panned = graph->canvas().viewState();
        QVERIFY2(std::abs(panned[0] - zoomed[0]) > 20 && std::abs(panned[1] - zoomed[1]) > 10,
                 "drag pans");
    }

    void everyPanelRendersToAnImage() {
        for (const QString& name : MainWindow::panelNames() + QStringList{"window"}) {
            const QImage image = window_->grabPanel(name);
            QVERIFY2(!image.isNull() && image.width() > 50, qPrintable(name));
        }
    }

    void sessionRestoresPanelsSourcesAndCamera() {
        QTemporaryDir dir;
        const QString path = dir.filePath("s.unitscope");
        window_->findChild<QDockWidget*>("treemap")->hide();
        window_->brainView()->scene().renderer()->GetActiveCamera()->Elevation(25);
        const auto saved = window_->captureSession();
        QVERIFY(window_->saveSessionTo(path, false));
        QCOMPARE(us::analysis::loadSession(path.toStdString()), saved);

        JobRunner otherJobs;
        MainWindow other(otherJobs);
        other.show();
        QVERIFY(other.openSession(path, false));
        QTRY_VERIFY_WITH_TIMEOUT(other.brainReady() && other.networkReady(), 60000);
        const auto restored = other.captureSession();
        QCOMPARE(restored.sources, saved.sources);
        QCOMPARE(restored.openPanels, saved.openPanels);
        QCOMPARE(restored.demo, true);
        const auto& a = saved.viewStates.at("brain.camera");
        const auto& b = restored.viewStates.at("brain.camera");
        for (size_t i = 0; i < a.size(); ++i)
            QVERIFY(std::abs(a[i] - b[i]) < 1e-6);
        window_->findChild<QDockWidget*>("treemap")->show();
    }

    void badSessionLeavesTheCurrentOneUntouched() {
        QTemporaryDir dir;
        const QString path = dir.filePath("bad.unitscope");
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("not a session at all");
        file.close();
        const auto before = window_->captureSession();
        QVERIFY(!window_->openSession(path, false));
        QCOMPARE(window_->captureSession(), before);
    }

    void cleanupTestCase() { window_.reset(); }

  private:
    JobRunner jobs_;
    std::unique_ptr<MainWindow> window_;
};

int main(int argc, char** argv) {
    us::app::prepareGuiProcess();
    QApplication app(argc, argv);
    us::app::identifyApplication();
    QStandardPaths::setTestModeEnabled(true);  // keep the user's settings out of tests
    MainWindowTest test;
    return QTest::qExec(&test, argc, argv);
}
#include "main_window_test.moc"
