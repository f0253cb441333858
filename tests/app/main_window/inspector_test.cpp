// The neuron inspector, the layer tree and extraction from the GUI path.

#include <QApplication>
#include <QDockWidget>
#include <QFileInfo>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

#include "app/models/model_controller.h"
#include "app/session/session_controller.h"
#include "tests/app/main_window/demo_window.h"
#include "tests/support/python_fixtures.h"
#include "widgets/models/bar_chart.h"
#include "widgets/models/exemplar_grid.h"
#include "widgets/models/layer_tree.h"
#include "widgets/models/neuron_inspector.h"

using us::app::JobRunner;
using us::app::MainWindow;

namespace us::test {
namespace {

class InspectorTest : public QObject {
    Q_OBJECT
  public:
    explicit InspectorTest(DemoWindow& demo) : window_(demo.window.get()) {}

  private Q_SLOTS:
    void inspectorShowsSortedExemplarsChartsAndSimilarUnits() {
        window_->findChild<QDockWidget*>("inspector")->raise();
        auto* inspector = window_->inspector();
        QSignalSpy shown(window_, &MainWindow::unitShown);
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

  private:
    MainWindow* window_;
};

}  // namespace

int runInspectorTests(DemoWindow& demo, const QStringList& arguments) {
    InspectorTest test(demo);
    return QTest::qExec(&test, arguments);
}

}  // namespace us::test

#include "inspector_test.moc"
