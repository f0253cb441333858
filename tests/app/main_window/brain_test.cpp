// The brain surface and the slices: overlays, cursor, camera, picking.

#include <vtkCamera.h>
#include <QApplication>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QSignalSpy>
#include <QTest>
#include <QToolButton>

#include <cmath>

#include "app/brain/brain_controller.h"
#include "tests/app/main_window/demo_window.h"
#include "tests/support/python_fixtures.h"
#include "widgets/brain/brain_view.h"
#include "widgets/brain/overlay_controls.h"
#include "widgets/brain/overlay_panel.h"
#include "widgets/brain/slice_view.h"

using us::app::MainWindow;

namespace us::test {
namespace {

class BrainTest : public QObject {
    Q_OBJECT
  public:
    explicit BrainTest(DemoWindow& demo) : window_(demo.window.get()) {}

  private Q_SLOTS:
    void brainOverlayFromAVolumeWithThresholdAndColourBar() {
        const auto fixtures = us::test::pythonFixtures("make_brain_fixtures.py", "brain-fixtures");
        window_->findChild<QDockWidget*>("brain")->raise();
        window_->brainView()->applyPreset(us::render::CameraPreset::LateralLeft);
        // The demo's own layers (its experiment's R2 map) stay as they are.
        const std::size_t demoLayers = window_->brainView()->scene().shownLayerCount();
        QSignalSpy shown(window_->brain(), &us::app::BrainController::overlayShown);
        window_->brain()->openOverlay(
            QString::fromStdString((fixtures / "overlays" / "mni_x_gradient.nii.gz").string()));
        QTRY_VERIFY_WITH_TIMEOUT(!shown.isEmpty(), 30000);
        auto* controls = window_->overlayPanel()->controls();
        QVERIFY(controls->isVisibleTo(window_->overlayPanel()));
        const auto count = [](const QImage& image, auto predicate) {
            int n = 0;
            for (int y = 0; y < image.height(); ++y)
                for (int x = 0; x < image.width(); ++x)
                    n += predicate(QColor(image.pixel(x, y)));
            return n;
        };
        const auto blue = [](const QColor& c) { return c.blue() > c.red() + 40; };
        const auto red = [](const QColor& c) {
            return c.red() > c.blue() + 40 && c.red() > c.green() + 40;
        };
        // The left hemisphere (x < 0) faces us: the diverging map paints it blue, not red.
        const QImage frame = window_->brainView()->grabFramebuffer();
        frame.save(QDir::temp().filePath("unitscope-test-overlay.png"));
        const QRect surfaceArea(0, 0, frame.width(), int(frame.height() * 0.8));  // above the bar
        const int bluePixels = count(frame.copy(surfaceArea), blue);
        QVERIFY2(bluePixels > 5000, qPrintable(QString::number(bluePixels)));
        QVERIFY(count(frame.copy(surfaceArea), red) < bluePixels / 50);
        // The colour bar's ends are the map's ends: blue on the left, red on the right.
        const QImage bar = frame.copy(
            QRect(0, int(frame.height() * 0.85), frame.width(), int(frame.height() * 0.15)));
        QVERIFY(count(bar.copy(0, 0, bar.width() / 2, bar.height()), blue) > 50);
        QVERIFY(count(bar.copy(bar.width() / 2, 0, bar.width() / 2, bar.height()), red) > 50);
        // A threshold above every value leaves only the grey underlay.
        controls->thresholdBox()->setValue(2.0);
        const QImage hidden = window_->brainView()->grabFramebuffer();
        QVERIFY(count(hidden.copy(surfaceArea), blue) < bluePixels / 100);
        controls->thresholdBox()->setValue(0.0);
        // Hovering reads out the overlay's value.
        const QPoint centre(window_->brainView()->width() / 2, window_->brainView()->height() / 2);
        QTest::mouseMove(window_->brainView(), centre);
        QTRY_VERIFY(window_->statusReadout().contains("mni_x_gradient.nii.gz -"));
        // Removing the overlay brings back what was under it.
        controls->findChild<QToolButton*>()->click();
        QCOMPARE(window_->brainView()->scene().shownLayerCount(), demoLayers);
        if (demoLayers == 0) QVERIFY(!controls->isVisibleTo(window_->overlayPanel()));
    }

    void slicesFollowOneCursorWithLetters() {
        auto* slices = window_->sliceView();
        QTRY_VERIFY_WITH_TIMEOUT(slices->hasUnderlay(), 30000);
        window_->findChild<QDockWidget*>("slices")->raise();
        QTRY_VERIFY(slices->isVisible() && slices->width() > 200);
        const QImage before = window_->grabPanel("slices");
        before.save(QDir::temp().filePath("unitscope-test-slices.png"));
        // L and R letters in the coronal pane: yellow text at its left and right edges.
        const QRectF coronal = slices->paneRect(1);
        const auto yellow = [&](const QRect& area) {
            int n = 0;
            for (int y = area.top(); y <= area.bottom(); ++y)
                for (int x = area.left(); x <= area.right(); ++x) {
                    const QColor c(before.pixel(x, y));
                    n += c.red() > 200 && c.green() > 180 && c.blue() < 120;
                }
            return n;
        };
        const int midY = int(coronal.center().y());
        QVERIFY(yellow(QRect(int(coronal.left()), midY - 12, 20, 24)) > 5);
        QVERIFY(yellow(QRect(int(coronal.right()) - 20, midY - 12, 20, 24)) > 5);
        // A click in the axial pane moves the cursor there (x and y change, z stays).
        QSignalSpy moved(slices, &us::widgets::SliceView::cursorMoved);
        const Eigen::Vector3d start = slices->cursor();
        const QPointF target = slices->toWidget(2, start + Eigen::Vector3d(-30, 20, 0));
        QTest::mouseClick(slices, Qt::LeftButton, {}, target.toPoint());
        QCOMPARE(moved.count(), 1);
        QVERIFY(std::abs(slices->cursor()[0] - (start[0] - 30)) < 2.5);
        QVERIFY(std::abs(slices->cursor()[1] - (start[1] + 20)) < 2.5);
        QCOMPARE(slices->cursor()[2], start[2]);
        QVERIFY(window_->statusReadout().contains("voxel"));
        QVERIFY(window_->statusReadout().contains("anatomy"));
        // The scroll wheel steps through axial slices.
        const QPoint inAxial = slices->paneRect(2).center().toPoint();
        QWheelEvent wheel(inAxial, slices->mapToGlobal(inAxial), {}, {0, 120}, Qt::NoButton, {},
                          Qt::NoScrollPhase, false);
        QApplication::sendEvent(slices, &wheel);
        QVERIFY(std::abs(slices->cursor()[2] - (start[2] + 1)) < 1e-6);
        // A click on the brain surface moves the slices' cursor to the picked point.
        window_->findChild<QDockWidget*>("brain")->raise();
        auto* brain = window_->brainView();
        QTRY_VERIFY(brain->isVisible());
        brain->grabFramebuffer();
        const QPoint centre(brain->width() / 2, brain->height() / 2);
        const auto pick = brain->pickAt(centre);
        QVERIFY(pick.has_value());
        QTest::mouseClick(brain, Qt::LeftButton, {}, centre);
        QTRY_VERIFY(std::abs(slices->cursor()[0] - pick->worldMm[0]) < 1.5);
        QVERIFY(window_->statusReadout().contains(QString::fromStdString(pick->region)));
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

  private:
    MainWindow* window_;
};

}  // namespace

int runBrainTests(DemoWindow& demo, const QStringList& arguments) {
    BrainTest test(demo);
    return QTest::qExec(&test, arguments);
}

}  // namespace us::test

#include "brain_test.moc"
