// The main window under Xvfb: real frames from the brain and graph views, asserted on pixels.

#include <vtkCamera.h>
#include <QApplication>
#include <QComboBox>
#include <QDockWidget>
#include <QDoubleSpinBox>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QSet>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QTreeWidget>

#include <cmath>

#include "analysis/session/session_file.h"
#include "app/brain/brain_controller.h"
#include "app/core/job_runner.h"
#include "app/core/selection.h"
#include "app/gui_startup.h"
#include "app/main_window.h"
#include "app/models/model_controller.h"
#include "app/session/session_controller.h"
#include "tests/support/python_fixtures.h"
#include "widgets/brain/brain_view.h"
#include "widgets/brain/overlay_controls.h"
#include "widgets/brain/overlay_panel.h"
#include "widgets/brain/slice_view.h"
#include "widgets/clusters/treemap_panel.h"
#include "widgets/clusters/treemap_view.h"
#include "widgets/graph/graph_view.h"
#include "widgets/models/bar_chart.h"
#include "widgets/models/exemplar_grid.h"
#include "widgets/models/layer_tree.h"
#include "widgets/models/neuron_inspector.h"

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

// Pixels of the charts' bar colour inside a widget's area of a grabbed panel.
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
        window_->models()->setInteractive(false);
        window_->openDemo();
        QTRY_VERIFY_WITH_TIMEOUT(window_->brainReady() && window_->networkReady(), 240000);
        QTRY_VERIFY_WITH_TIMEOUT(window_->treemap()->view()->hasTree(), 120000);
        QTRY_VERIFY_WITH_TIMEOUT(jobs_.activeCount() == 0, 60000);
    }

    void inspectorShowsSortedExemplarsChartsAndSimilarUnits() {
        window_->findChild<QDockWidget*>("inspector")->raise();
        auto* inspector = window_->inspector();
        QSignalSpy shown(window_.get(), &MainWindow::unitShown);
        inspector->searchBox()->setText("relu2:5");
        QTest::keyClick(inspector->searchBox(), Qt::Key_Return);
        QTRY_VERIFY_WITH_TIMEOUT(!shown.isEmpty(), 20000);
        QCOMPARE(shown.last().at(0).toString(), QString("relu2"));
        QCOMPARE(shown.last().at(1).toLongLong(), 5);

        auto* grid = inspector->grid();
        QCOMPARE(grid->count(), 16);
        for (int i = 1; i < grid->count(); ++i)
            QVERIFY(grid->value(i - 1) >= grid->value(i));
        QVERIFY(grid->hasHeatmap(0));
        QCOMPARE(inspector->histogram()->barCount(), 40);
        QCOMPARE(inspector->classChart()->barCount(), 10);
        QCOMPARE(inspector->similarList()->count(), 10);

        // Real pixels: thumbnails in the grid, blue bars in both charts.
        const QImage panel = window_->grabPanel("inspector");
        panel.save(QDir::temp().filePath("unitscope-test-inspector.png"));
        const auto areaOf = [&](QWidget* w) {
            return QRect(w->mapTo(inspector, QPoint(0, 0)), w->size()).intersected(panel.rect());
        };
        const QPoint cell = grid->mapTo(inspector, grid->cellCentre(0));
        QVERIFY(distinctColours(panel, QRect(cell - QPoint(40, 40), QSize(80, 80))) > 20);
        QVERIFY(barPixels(panel, areaOf(inspector->histogram())) > 200);
        QVERIFY(barPixels(panel, areaOf(inspector->classChart())) > 200);

        // Next-unit key, then a click on the most similar unit.
        inspector->setFocus();
        QTest::keyClick(inspector, Qt::Key_BracketRight);
        QTRY_VERIFY_WITH_TIMEOUT(shown.last().at(1).toLongLong() == 6, 20000);
        auto* similar = inspector->similarList()->item(0);
        const qint64 target = similar->data(Qt::UserRole).toLongLong();
        QTest::mouseClick(inspector->similarList()->viewport(), Qt::LeftButton, {},
                          inspector->similarList()->visualItemRect(similar).center());
        QTRY_VERIFY_WITH_TIMEOUT(shown.last().at(1).toLongLong() == target, 20000);
        QCOMPARE(inspector->currentUnit()->index, target);

        // A class logit's strongest stimuli are mostly that class (3 = Dress).
        inspector->searchBox()->setText("fc2:3");
        QTest::keyClick(inspector->searchBox(), Qt::Key_Return);
        QTRY_VERIFY_WITH_TIMEOUT(shown.last().at(0).toString() == "fc2", 20000);
        int dresses = 0;
        for (int i = 0; i < grid->count(); ++i)
            dresses += grid->label(i) == 3;
        QVERIFY2(dresses >= 12, qPrintable(QString::number(dresses)));
        QVERIFY(!grid->hasHeatmap(0));  // a vector layer has no spatial map

        // An unknown unit is refused in place; the selection stays.
        const int before = int(shown.size());
        inspector->searchBox()->setText("nope:1");
        QTest::keyClick(inspector->searchBox(), Qt::Key_Return);
        QTest::qWait(200);
        QCOMPARE(int(shown.size()), before);
        QCOMPARE(inspector->currentUnit()->layer, std::string("fc2"));
    }

    void treemapZoomsShowsBreadcrumbsThumbnailsAndFollowsTheUnit() {
        auto* panel = window_->treemap();
        auto* view = panel->view();
        QTRY_VERIFY_WITH_TIMEOUT(view->hasTree(), 60000);
        window_->findChild<QDockWidget*>("treemap")->raise();
        QTRY_VERIFY(view->isVisible() && view->width() > 300);
        QCOMPARE(view->tree()->items, 10000);
        QCOMPARE(view->zoomRoot(), view->tree()->root());
        const QImage before = window_->grabPanel("treemap");
        before.save(QDir::temp().filePath("unitscope-test-treemap.png"));
        QVERIFY(view->thumbnailsDrawn() > 0);
        // Thumbnails are real pictures: many grey levels inside the first top-level cell.
        std::int64_t first = -1;
        for (const auto& c : view->cells())
            if (c.depth == 1 && (first < 0 || c.size > view->tree()->size[std::size_t(first)]))
                first = c.id;
        const QRectF cell = view->cellRect(first);
        const QPoint origin = view->mapTo(panel, cell.topLeft().toPoint());
        QVERIFY(distinctColours(before, QRect(origin + QPoint(4, 22), QSize(60, 60))) > 20);

        // Click zooms into that cell, with a breadcrumb; Back climbs out.
        QTest::mouseClick(view, Qt::LeftButton, {}, cell.center().toPoint());
        QCOMPARE(view->zoomRoot(), first);
        QVERIFY(panel->breadcrumbText().contains(QString::number(first)));
        QTest::qWait(350);  // the zoom animation
        const QImage zoomed = window_->grabPanel("treemap");
        QVERIFY(changedFraction(before, zoomed) > 0.2);
        for (const auto& c : view->cells())  // every drawn cell lies inside the zoomed cluster
            QVERIFY(c.size <= view->tree()->size[std::size_t(first)]);
        QVERIFY(view->back());
        QCOMPARE(view->zoomRoot(), view->tree()->root());

        // Colour by the inspector's unit: cells take the unit's mean activation.
        panel->colourBox()->setCurrentIndex(3);
        QSignalSpy shown(window_.get(), &MainWindow::unitShown);
        window_->inspector()->requestUnit({"fc2", 1});  // the Trouser logit
        QTRY_VERIFY_WITH_TIMEOUT(!shown.isEmpty(), 20000);
        QTRY_VERIFY_WITH_TIMEOUT(jobs_.activeCount() == 0, 20000);  // the treemap's colouring
        std::int64_t trousers = -1;
        for (const auto& c : view->cells())
            if (c.depth == 1 && view->tree()->majority[std::size_t(c.id)] == 1 &&
                (trousers < 0 || view->tree()->purity[std::size_t(c.id)] >
                                     view->tree()->purity[std::size_t(trousers)]))
                trousers = c.id;
        QVERIFY(trousers >= 0);
        const QColor hot = view->colourOf(trousers);
        int brighter = 0, cells = 0;
        for (const auto& c : view->cells())
            if (c.depth == 1) {
                ++cells;
                brighter += view->colourOf(c.id).lightness() > hot.lightness();
            }
        QVERIFY2(brighter <= cells / 4, "the Trouser cluster lights up for the Trouser unit");

        // Search highlights the clusters on the way to a stimulus; selecting shows members.
        QVERIFY(view->setSearch("#42") >= 1);
        QSignalSpy selected(view, &us::widgets::TreemapView::selected);
        QTest::mouseClick(view, Qt::RightButton, {}, view->cellRect(trousers).center().toPoint());
        QCOMPARE(selected.count(), 1);
        QTRY_VERIFY_WITH_TIMEOUT(window_->inspector()->grid()->count() == 16, 20000);
        view->setSearch({});
        panel->colourBox()->setCurrentIndex(0);
    }

    void brainOverlayFromAVolumeWithThresholdAndColourBar() {
        const auto fixtures = us::test::pythonFixtures("make_brain_fixtures.py", "brain-fixtures");
        window_->findChild<QDockWidget*>("brain")->raise();
        window_->brainView()->applyPreset(us::render::CameraPreset::LateralLeft);
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
        // Removing the overlay brings the atlas colours back.
        controls->findChild<QToolButton*>()->click();
        QCOMPARE(window_->brainView()->scene().shownLayerCount(), 0u);
        QVERIFY(!controls->isVisibleTo(window_->overlayPanel()));
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

    void layerTreeListsTheDemoModules() {
        auto* tree = window_->layerTree();
        QCOMPARE(tree->tree()->topLevelItemCount(), 12);
        tree->setChecked({"conv1", "fc2"});
        QCOMPARE(tree->checkedLayers(), (QStringList{"conv1", "fc2"}));
        tree->setChecked({});
    }

    void extractionFromTheGuiPathAndBadModelsGiveErrors() {
        const auto fixtures = us::test::pythonFixtures("make_model_fixtures.py", "model-fixtures");
        QString modelPath;
        for (const auto& source : window_->sessions()->captureSession().sources)
            if (source.kind == "model") modelPath = QString::fromStdString(source.path);
        QVERIFY(QFileInfo::exists(modelPath));

        JobRunner otherJobs;
        MainWindow other(otherJobs);
        other.show();
        QSignalSpy shown(&other, &MainWindow::unitShown);
        QSignalSpy failed(other.models(), &us::app::ModelController::failed);
        other.models()->setInteractive(false);
        other.models()->openModel(modelPath, std::nullopt);
        other.models()->openStimuli(QString::fromStdString((fixtures / "folder").string()));
        QTemporaryDir dir;
        other.models()->extract({"conv1", "fc2"}, dir.filePath("acts.h5"));
        QTRY_VERIFY_WITH_TIMEOUT(!shown.isEmpty(), 30000);
        QCOMPARE(failed.count(), 0);
        QCOMPARE(other.inspector()->grid()->count(), 6);  // k = 16, capped at six images
        QVERIFY(QFileInfo::exists(dir.filePath("acts.h5")));

        // A file that is not TorchScript: one clear error, shown in a dialog when interactive.
        other.models()->setInteractive(true);
        other.models()->openModel(QString::fromStdString((fixtures / "not_a_model.pt").string()),
                                  std::vector<std::int64_t>{3, 32, 32});
        QTRY_VERIFY_WITH_TIMEOUT(failed.count() == 1, 20000);
        QVERIFY(failed.last().at(1).toString().contains("not a TorchScript file"));
        QMessageBox* box = nullptr;
        QTRY_VERIFY((box = other.findChild<QMessageBox*>()) != nullptr && box->isVisible());
        QVERIFY(box->text().contains("not a TorchScript file"));
        box->close();
        QCOMPARE(other.inspector()->grid()->count(), 6);  // what was open stays open
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
        // The graph follows the inspector's selection: its layer is outlined in amber.
        QVERIFY(!graph->canvas().selectedLayer().empty());
        QCOMPARE(graph->canvas().selectedLayer(), window_->inspector()->currentUnit()->layer);
        int amber = 0;
        for (int y = 0; y < frame.height(); ++y)
            for (int x = 0; x < frame.width(); ++x)
                amber += frame.pixel(x, y) == qRgb(255, 190, 60);
        QVERIFY2(amber > 50, "the selected layer is outlined");

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
        // The shared selection goes into the session and comes back into the panels.
        window_->selection()->setBrainPosition(std::array<double, 3>{-40, 10, 5});
        window_->selection()->setUnit(us::analysis::UnitRef{"relu2", 5});
        QTRY_VERIFY_WITH_TIMEOUT(
            window_->inspector()->currentUnit() == window_->selection()->unit(), 20000);
        const auto saved = window_->sessions()->captureSession();
        QCOMPARE(saved.selection, window_->selection()->state());
        QVERIFY(window_->sessions()->saveSessionTo(path, false));
        QCOMPARE(us::analysis::loadSession(path.toStdString()), saved);

        JobRunner otherJobs;
        MainWindow other(otherJobs);
        other.show();
        QVERIFY(other.sessions()->openSession(path, false));
        QTRY_VERIFY_WITH_TIMEOUT(other.brainReady() && other.networkReady(), 60000);
        QTRY_VERIFY_WITH_TIMEOUT(other.inspector()->currentUnit() == saved.selection.unit, 30000);
        QTRY_VERIFY_WITH_TIMEOUT(other.sliceView()->hasUnderlay(), 30000);
        QVERIFY((other.sliceView()->cursor() - Eigen::Vector3d(-40, 10, 5)).norm() < 1.0);
        QVERIFY2(other.statusReadout().contains("x -40.0, y 10.0, z 5.0 mm"),
                 qPrintable(other.statusReadout()));
        const auto restored = other.sessions()->captureSession();
        QCOMPARE(restored.selection, saved.selection);
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
        const auto before = window_->sessions()->captureSession();
        QVERIFY(!window_->sessions()->openSession(path, false));
        QCOMPARE(window_->sessions()->captureSession(), before);
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
