// Sessions: every panel renders, a saved session reopens exactly, a bad one changes nothing.

#include <vtkCamera.h>
#include <QApplication>
#include <QComboBox>
#include <QDockWidget>
#include <QFile>
#include <QSignalSpy>
#include <QSlider>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

#include <cmath>

#include "analysis/session/session_file.h"
#include "app/clusters/cluster_controller.h"
#include "app/core/selection.h"
#include "app/encoding/encoding_controller.h"
#include "app/session/session_controller.h"
#include "tests/app/main_window/demo_window.h"
#include "widgets/brain/brain_view.h"
#include "widgets/brain/slice_view.h"
#include "widgets/clusters/treemap_panel.h"
#include "widgets/clusters/treemap_view.h"
#include "widgets/models/neuron_inspector.h"

using us::app::JobRunner;
using us::app::MainWindow;

namespace us::test {
namespace {

class SessionTest : public QObject {
    Q_OBJECT
  public:
    explicit SessionTest(DemoWindow& demo) : window_(demo.window.get()) {}

  private Q_SLOTS:
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
        // A treemap of conv2's units one level deep, whose two cells hold the discriminative
        // images the visualisation test made.
        window_->clusters()->cluster("conv2", analysis::ItemKind::Units,
                                     analysis::LinkageMethod::Ward);
        auto* treemap = window_->treemap();
        QTRY_VERIFY_WITH_TIMEOUT(treemap->view()->hasTree() && treemap->view()->tree()->items == 64,
                                 60000);
        treemap->depthSlider()->setValue(1);
        treemap->colourBox()->setCurrentIndex(1);
        const auto cellImages = treemap->view()->cellImages().size();
        QVERIFY(cellImages >= 2);
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
        // The encoding model reopens without refitting, its maps once each.
        for (const char* kind :
             {"encoding", "unit-captions", "attached-activations", "unit-matches"})
            QVERIFY2(std::any_of(saved.sources.begin(), saved.sources.end(),
                                 [&](const auto& source) { return source.kind == kind; }),
                     kind);
        QTRY_VERIFY_WITH_TIMEOUT(other.encodings()->hasModel(), 60000);
        const auto listed = [](const std::vector<analysis::DataSource>& sources) {
            QStringList out;
            for (const auto& source : sources)
                out << QString::fromStdString(source.kind + " " + source.path);
            return out.join("; ");
        };
        QTRY_VERIFY_WITH_TIMEOUT(
            other.sessions()->captureSession().sources == saved.sources ||
                (qWarning("restored: %s\nsaved:    %s",
                          qPrintable(listed(other.sessions()->captureSession().sources)),
                          qPrintable(listed(saved.sources))),
                 false),
            30000);
        QCOMPARE(other.sessions()->captureSession().brainLayers, saved.brainLayers);
        const auto restored = other.sessions()->captureSession();
        QCOMPARE(restored.selection, saved.selection);
        QCOMPARE(restored.sources, saved.sources);
        QCOMPARE(restored.openPanels, saved.openPanels);
        // Visualisations made earlier come back as they were, without being recomputed.
        QVERIFY(!saved.visualisations.empty());
        QVERIFY(restored.visualisations == saved.visualisations);
        QCOMPARE(restored.demo, true);
        const auto& a = saved.viewStates.at("brain.camera");
        const auto& b = restored.viewStates.at("brain.camera");
        for (size_t i = 0; i < a.size(); ++i)
            QVERIFY(std::abs(a[i] - b[i]) < 1e-6);
        // The treemap is made again as it was: conv2's units, its depth, colouring and the
        // discriminative images in their cells.
        QCOMPARE(restored.clustering, saved.clustering);
        QCOMPARE(saved.clustering->items, std::string("units"));
        auto* otherTreemap = other.treemap();
        QTRY_VERIFY_WITH_TIMEOUT(otherTreemap->view()->hasTree() &&
                                     otherTreemap->view()->tree()->items == 64 &&
                                     otherTreemap->view()->cellImages().size() == cellImages,
                                 60000);
        QCOMPARE(otherTreemap->depthSlider()->value(), 1);
        QCOMPARE(otherTreemap->colourBox()->currentIndex(), 1);
        QCOMPARE(other.sessions()->captureSession().viewStates.at("treemap.view"),
                 saved.viewStates.at("treemap.view"));
        window_->findChild<QDockWidget*>("treemap")->show();
        treemap->depthSlider()->setValue(3);
        treemap->colourBox()->setCurrentIndex(0);
        window_->clusters()->cluster("relu3", analysis::ItemKind::Stimuli,
                                     analysis::LinkageMethod::Ward);
        QTRY_VERIFY_WITH_TIMEOUT(treemap->view()->tree()->items == 10000, 120000);
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

  private:
    MainWindow* window_;
};

}  // namespace

int runSessionTests(DemoWindow& demo, const QStringList& arguments) {
    SessionTest test(demo);
    return QTest::qExec(&test, arguments);
}

}  // namespace us::test

#include "session_test.moc"
