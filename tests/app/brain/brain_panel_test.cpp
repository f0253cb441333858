// The brain panels driven by the BrainController under Xvfb, asserted on real pixels:
// overlay layers (order, visibility) on the surface and in the slices, medial views, figure
// export at any size, a user's own surface with its sulcal depth, and an FSL atlas.
#include <QApplication>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QVBoxLayout>

#include <fstream>
#include <nlohmann/json.hpp>

#include "app/brain/brain_controller.h"
#include "app/core/figure_export.h"
#include "app/core/job_runner.h"
#include "app/core/selection.h"
#include "app/gui_startup.h"
#include "tests/support/python_fixtures.h"
#include "widgets/brain/brain_view.h"
#include "widgets/brain/overlay_controls.h"
#include "widgets/brain/overlay_panel.h"
#include "widgets/brain/slice_view.h"

using us::app::BrainController;

namespace {

std::filesystem::path fixtures() {
    return us::test::pythonFixtures("make_brain_fixtures.py", "brain-fixtures");
}

QString fixture(const std::string& relative) {
    return QString::fromStdString((fixtures() / relative).string());
}

bool hot(const QColor& c) {  // the top of the hot map: white to yellow, brighter than grey
    return c.red() > 200 && c.green() > 180 && c.blue() <= c.red();
}
bool blue(const QColor& c) {
    return c.blue() > c.red() + 40;
}

}  // namespace

class BrainPanelTest : public QObject {
    Q_OBJECT
    us::app::JobRunner jobs_;
    us::app::Selection selection_;
    QWidget window_;
    us::widgets::BrainView* brain_ = nullptr;
    us::widgets::SliceView* slices_ = nullptr;
    us::widgets::OverlayPanel* overlays_ = nullptr;
    QLabel* readout_ = nullptr;
    BrainController* controller_ = nullptr;

    void openOverlay(const QString& path) {
        QSignalSpy shown(controller_, &BrainController::overlayShown);
        controller_->openOverlay(path);
        QTRY_VERIFY_WITH_TIMEOUT(!shown.isEmpty(), 30000);
    }
    QColor pixelAt(const QPoint& p) { return QColor(brain_->grabFramebuffer().pixel(p)); }

  private Q_SLOTS:
    void initTestCase() {
        auto* layout = new QVBoxLayout(&window_);
        brain_ = new us::widgets::BrainView(&window_);
        brain_->setMinimumSize(800, 560);
        slices_ = new us::widgets::SliceView(&window_);
        slices_->setMinimumSize(800, 300);
        overlays_ = new us::widgets::OverlayPanel(&window_);
        readout_ = new QLabel(&window_);
        for (QWidget* w : std::initializer_list<QWidget*>{brain_, slices_, overlays_, readout_})
            layout->addWidget(w);
        controller_ =
            new BrainController(jobs_, selection_, brain_, slices_, overlays_, readout_, &window_);
        controller_->setInteractive(false);
        window_.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window_));
        QSignalSpy shown(controller_, &BrainController::surfaceShown);
        controller_->openDemoBrain(std::filesystem::path(
            QStandardPaths::writableLocation(QStandardPaths::CacheLocation).toStdString()));
        QTRY_VERIFY_WITH_TIMEOUT(!shown.isEmpty(), 120000);
        QTRY_VERIFY_WITH_TIMEOUT(slices_->hasUnderlay(), 30000);
    }

    void layersStackShowAndHideOnSurfaceAndSlices() {
        brain_->applyPreset(us::render::CameraPreset::LateralLeft);
        openOverlay(fixture("overlays/mni_x_gradient.nii.gz"));
        openOverlay(fixture("overlays/mni_left_ball.nii.gz"));
        QCOMPARE(overlays_->layerCount(), 2);
        QCOMPARE(slices_->overlayCount(), 2u);
        // A pixel of the lateral view that lands inside the ball (centre -55, -45, 5).
        brain_->grabFramebuffer();
        QPoint inBall(-1, -1);
        for (int y = 40; y < brain_->height() - 40 && inBall.x() < 0; y += 8)
            for (int x = 40; x < brain_->width() - 40; x += 8) {
                const auto pick = brain_->pickAt(QPointF(x, y));
                if (!pick) continue;
                const double dx = pick->worldMm[0] + 55, dy = pick->worldMm[1] + 45,
                             dz = pick->worldMm[2] - 5;
                if (dx * dx + dy * dy + dz * dz < 12 * 12) {
                    inBall = QPoint(x, y);
                    break;
                }
            }
        QVERIFY(inBall.x() >= 0);
        // The ball (hot, on top) covers the gradient (blue on the left hemisphere).
        QVERIFY2(hot(pixelAt(inBall)), qPrintable(pixelAt(inBall).name()));
        const auto pick = brain_->pickAt(inBall);
        QCOMPARE(pick->layerValues.size(), 2u);
        QCOMPARE(QString::fromStdString(pick->layerValues[0].first),
                 QString("mni_left_ball.nii.gz"));
        // Moved below the gradient, the ball is hidden by it...
        overlays_->moveLayer(0, 1);
        QVERIFY2(blue(pixelAt(inBall)), qPrintable(pixelAt(inBall).name()));
        // ...and shows again when the gradient is hidden.
        overlays_->setLayerVisible(0, false);
        QVERIFY2(hot(pixelAt(inBall)), qPrintable(pixelAt(inBall).name()));
        overlays_->setLayerVisible(0, true);
        overlays_->moveLayer(1, 0);
        // The slices blend the same layers: the ball's centre is hot in the axial pane, the
        // gradient blue at the left edge of the brain.
        slices_->setCursor({-55, -45, 5});
        const QImage slice = slices_->grab().toImage();
        slice.save(QDir::temp().filePath("unitscope-test-slice-layers.png"));
        QVERIFY(hot(QColor(slice.pixel(slices_->toWidget(2, {-55, -45, 5}).toPoint()))));
        QVERIFY(blue(QColor(slice.pixel(slices_->toWidget(2, {-30, 20, 5}).toPoint()))));
        QVERIFY(readout_->text().contains("mni_left_ball.nii.gz 5"));
        QVERIFY(readout_->text().contains("Temporal"));
        // Per-layer style: a threshold above the ball's value hides it on the surface.
        overlays_->setCurrentLayer(0);
        overlays_->controls()->thresholdBox()->setValue(6);
        QCOMPARE(overlays_->layerStyle(0).threshold, 6.0);
        QVERIFY(blue(pixelAt(inBall)));
        overlays_->controls()->thresholdBox()->setValue(0);
    }

    void figureExportsAtAnySizeWithColourBars() {
        QTemporaryDir dir;
        const QString path = dir.filePath("figure.png");
        controller_->exportFigure(path, 3000, 2100, true);
        QImage figure(path);
        QCOMPARE(figure.size(), QSize(3000, 2100));
        figure.save(QDir::temp().filePath("unitscope-test-figure.png"));
        QCOMPARE(QColor(figure.pixel(5, 5)), QColor(Qt::white));
        int brainPixels = 0, barBlue = 0, barRed = 0;
        for (int y = 0; y < figure.height(); y += 4)
            for (int x = 0; x < figure.width(); x += 4) {
                const QColor c(figure.pixel(x, y));
                if (y < figure.height() * 0.8) brainPixels += c != QColor(Qt::white);
                if (y > figure.height() * 0.85) {
                    barBlue += blue(c);
                    barRed += c.red() > c.blue() + 60 && c.red() > c.green() + 60;
                }
            }
        QVERIFY2(brainPixels > 40000, qPrintable(QString::number(brainPixels)));
        QVERIFY(barBlue > 500 && barRed > 500);  // both layers' bars: diverging and hot
        // A Qt panel drawn at another size keeps its layout.
        const QImage slices = us::app::renderWidgetAt(slices_, QSize(2400, 900));
        QCOMPARE(slices.size(), QSize(2400, 900));
        QVERIFY_THROWS_EXCEPTION(std::runtime_error,
                                 controller_->exportFigure("/no/such/dir/f.png", 100, 100, true));
    }

    void medialViewsClipTheOtherHemisphere() {
        brain_->applyPreset(us::render::CameraPreset::MedialLeft);
        brain_->grabFramebuffer();
        const auto pick = brain_->pickAt(QPointF(brain_->width() / 2.0, brain_->height() / 2.0));
        QVERIFY(pick.has_value());
        QVERIFY2(pick->worldMm[0] < 1.0, qPrintable(QString::number(pick->worldMm[0])));
        brain_->applyPreset(us::render::CameraPreset::LateralRight);
        const auto lateral = brain_->pickAt(QPointF(brain_->width() / 2.0, brain_->height() / 2.0));
        QVERIFY(lateral.has_value() && lateral->worldMm[0] > 30);
    }

    void ownSurfaceWithSulcalDepthKeepsVolumeLayers() {
        QSignalSpy shown(controller_, &BrainController::surfaceShown);
        controller_->openSurface(fixture("surfaces/lh.pial"));
        QTRY_VERIFY_WITH_TIMEOUT(!shown.isEmpty(), 30000);
        const auto& scene = brain_->scene();
        QCOMPARE(scene.vertexCount(), std::size_t(60 * 120));
        QCOMPARE(scene.model().underlayGrey.size(), std::size_t(60 * 120));
        QVERIFY(scene.model().description.find("lh.sulc") != std::string::npos);
        QCOMPARE(scene.shownLayerCount(), 2u);  // both volumes, resampled onto the sphere
        openOverlay(fixture("surfaces/lh.thickness"));
        QCOMPARE(overlays_->layerCount(), 3);
        // Hide the volumes: the thickness (hot, 1..3) shows over the sulcal-depth underlay.
        overlays_->setLayerVisible(1, false);
        overlays_->setLayerVisible(2, false);
        const QImage frame = brain_->grabFramebuffer();
        frame.save(QDir::temp().filePath("unitscope-test-own-surface.png"));
        int coloured = 0;
        for (int y = 0; y < frame.height(); y += 3)
            for (int x = 0; x < frame.width(); x += 3)
                coloured += QColor(frame.pixel(x, y)).hsvSaturationF() > 0.5;
        QVERIFY2(coloured > 2000, qPrintable(QString::number(coloured)));
        // Per-vertex data of another vertex count is refused with one clear error.
        QSignalSpy failed(controller_, &BrainController::status);
        controller_->openOverlay(fixture("lh.curv"));
        QTRY_VERIFY_WITH_TIMEOUT(!failed.isEmpty(), 20000);
        QVERIFY(failed.last().at(0).toString().contains("vertices"));
        const auto sources = controller_->sources();
        QCOMPARE(sources.front().kind, std::string("brain-surface"));
        QCOMPARE(std::count_if(sources.begin(), sources.end(),
                               [](const auto& s) { return s.kind == "brain-overlay"; }),
                 3);
    }

    void fslAtlasNamesTheRegionUnderTheCursor() {
        std::ifstream in(fixtures() / "atlases" / "lookups.json");
        const auto lookups = nlohmann::json::parse(in);
        QSignalSpy shown(controller_, &BrainController::atlasShown);
        controller_->openAtlas(fixture("atlases/fsl_label/fsl_label.xml"));
        QTRY_VERIFY_WITH_TIMEOUT(!shown.isEmpty(), 20000);
        for (const auto& point : lookups[0]["points"]) {
            if (point["label"].is_null() || point["region"].get<std::string>().empty()) continue;
            const auto& mm = point["mm"];
            slices_->setCursor({mm[0].get<double>(), mm[1].get<double>(), mm[2].get<double>()});
            // The slices snap the cursor to the anatomy's voxel grid (1 mm, same as the atlas).
            const auto region = us::analysis::regionAt(*controller_->atlas(), slices_->cursor()[0],
                                                       slices_->cursor()[1], slices_->cursor()[2]);
            QVERIFY(region && !region->name.empty());
            QVERIFY2(readout_->text().contains(QString::fromStdString(region->name)),
                     qPrintable(readout_->text()));
            return;
        }
        QFAIL("no named point in the fixture");
    }

    void sessionSourcesReopenSurfaceLayersAndAtlas() {
        // Styles of the session's layers come back as they were, not as defaults.
        overlays_->setCurrentLayer(1);
        overlays_->controls()->colourMapBox()->setCurrentIndex(
            overlays_->controls()->colourMapBox()->findText("viridis"));
        overlays_->controls()->thresholdBox()->setValue(0.75);
        overlays_->setLayerVisible(2, false);
        const auto sources = controller_->sources();
        const auto styles = controller_->layerStates();
        QCOMPARE(styles.size(), 3u);
        QCOMPARE(QString::fromStdString(styles[1].colourMap), QString("viridis"));
        QCOMPARE(styles[1].threshold, 0.75);
        QVERIFY(!styles[0].visible);
        QWidget other;
        auto* layout = new QVBoxLayout(&other);
        auto* brain = new us::widgets::BrainView(&other);
        auto* slices = new us::widgets::SliceView(&other);
        auto* overlays = new us::widgets::OverlayPanel(&other);
        auto* readout = new QLabel(&other);
        for (QWidget* w : std::initializer_list<QWidget*>{brain, slices, overlays, readout})
            layout->addWidget(w);
        us::app::Selection selection;
        BrainController restored(jobs_, selection, brain, slices, overlays, readout, &other);
        restored.setInteractive(false);
        other.show();
        QSignalSpy atlas(&restored, &BrainController::atlasShown);
        restored.openDemoBrain(std::filesystem::path(
            QStandardPaths::writableLocation(QStandardPaths::CacheLocation).toStdString()));
        restored.restore(sources, styles);
        QTRY_VERIFY_WITH_TIMEOUT(!atlas.isEmpty(), 60000);
        QTRY_COMPARE_WITH_TIMEOUT(overlays->layerCount(), 3, 30000);
        QCOMPARE(brain->scene().vertexCount(), std::size_t(60 * 120));
        // The same files in the same order (the demo's atlas is shown first, then the session's).
        QTRY_VERIFY_WITH_TIMEOUT(restored.sources() == sources, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(restored.layerStates() == styles, 30000);
        QVERIFY(!overlays->layerVisible(2));
    }
};

int main(int argc, char** argv) {
    us::app::prepareGuiProcess();
    QApplication app(argc, argv);
    us::app::identifyApplication();
    QStandardPaths::setTestModeEnabled(true);
    BrainPanelTest test;
    return QTest::qExec(&test, argc, argv);
}
#include "brain_panel_test.moc"
