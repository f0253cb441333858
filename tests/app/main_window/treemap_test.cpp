// The cluster treemap: zoom, breadcrumbs, thumbnails, colouring by the selected unit.

#include <QApplication>
#include <QComboBox>
#include <QDockWidget>
#include <QSignalSpy>
#include <QTest>

#include "tests/app/main_window/demo_window.h"
#include "widgets/clusters/treemap_panel.h"
#include "widgets/clusters/treemap_view.h"
#include "widgets/models/exemplar_grid.h"
#include "widgets/models/neuron_inspector.h"

using us::app::JobRunner;
using us::app::MainWindow;

namespace us::test {
namespace {

class TreemapTest : public QObject {
    Q_OBJECT
  public:
    explicit TreemapTest(DemoWindow& demo) : jobs_(demo.jobs), window_(demo.window.get()) {}

  private Q_SLOTS:
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
        QSignalSpy shown(window_, &MainWindow::unitShown);
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

        // The hover card weighs the cell's purity and majority against shuffled labels.
        const auto& nulls = view->tree()->labelNulls;
        QCOMPARE(nulls.permutations, 1000);
        const auto t = std::size_t(trousers);
        QCOMPARE(nulls.purityP[t], 1.0 / 1001);  // no shuffle is as pure
        QVERIFY(nulls.majorityP[t] < 1e-12 && nulls.majorityQ[t] < 1e-12);
        QSignalSpy hovered(view, &us::widgets::TreemapView::hovered);
        QTest::mouseMove(view, view->cellRect(trousers).center().toPoint());
        QTRY_VERIFY(!hovered.isEmpty());
        const QString readout = hovered.last().at(0).toString();
        QVERIFY2(readout.contains("vs shuffled labels: purity q") &&
                     !readout.contains("could be chance"),
                 qPrintable(readout));
        const QImage card = window_->grabPanel("treemap");
        card.save(QDir::temp().filePath("unitscope-test-treemap-card.png"));
        // The card's columns (right of the pointer, or left where it would not fit); its
        // rows are those whose margin is the card's near-white.
        const QPoint mouse = view->mapTo(panel, view->cellRect(trousers).center().toPoint());
        const int cardLeft = mouse.x() + 16 + 300 > view->mapTo(panel, QPoint(view->width(), 0)).x()
                                 ? mouse.x() - 300 - 16
                                 : mouse.x() + 16;
        int green = 0;  // the "beyond chance" line's text colour
        for (int y = 0; y < card.height(); ++y) {
            const QColor margin = card.pixelColor(cardLeft + 3, y);
            if (std::min({margin.red(), margin.green(), margin.blue()}) < 225) continue;
            for (int x = cardLeft; x < std::min(card.width(), cardLeft + 300); ++x) {
                const QColor c = card.pixelColor(x, y);
                green +=
                    std::abs(c.red() - 30) + std::abs(c.green() - 120) + std::abs(c.blue() - 50) <
                    40;
            }
        }
        QVERIFY2(green > 20, qPrintable(QString::number(green)));
        const std::int64_t single = [&] {  // a cell of one item is pure by construction
            for (std::int64_t id = 0; id < view->tree()->nodeCount(); ++id)
                if (view->tree()->size[std::size_t(id)] == 1) return id;
            return std::int64_t(-1);
        }();
        QVERIFY(single >= 0);
        QCOMPARE(nulls.purityP[std::size_t(single)], 1.0);
        QVERIFY(view->describe(single).contains("could be chance"));
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

  private:
    JobRunner& jobs_;
    MainWindow* window_;
};

}  // namespace

int runTreemapTests(DemoWindow& demo, const QStringList& arguments) {
    TreemapTest test(demo);
    return QTest::qExec(&test, arguments);
}

}  // namespace us::test

#include "treemap_test.moc"
