// The graph panel's network view: drawing, the selected layer, pan and zoom.

#include <QApplication>
#include <QDockWidget>
#include <QSignalSpy>
#include <QTest>

#include <cmath>

#include "app/core/selection.h"
#include "tests/app/main_window/demo_window.h"
#include "widgets/graph/graph_view.h"
#include "widgets/models/neuron_inspector.h"

using us::app::MainWindow;

namespace us::test {
namespace {

class GraphTest : public QObject {
    Q_OBJECT
  public:
    explicit GraphTest(DemoWindow& demo) : window_(demo.window.get()) {}

  private Q_SLOTS:
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
        QCOMPARE(graph->canvas().selectedLayer(), window_->selection()->unit()->layer);
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

  private:
    MainWindow* window_;
};

}  // namespace

int runGraphTests(DemoWindow& demo, const QStringList& arguments) {
    GraphTest test(demo);
    return QTest::qExec(&test, arguments);
}

}  // namespace us::test

#include "graph_test.moc"
