// Unit captions in the window: Analysis > Caption units on a layer runs as a job, and the
// inspector shows the selected unit's caption with its null-model evidence (and nothing for a
// unit of a layer without captions).

#include <QDir>
#include <QDockWidget>
#include <QLabel>
#include <QSignalSpy>
#include <QTest>

#include "app/captions/caption_controller.h"
#include "app/core/selection.h"
#include "tests/app/main_window/demo_window.h"
#include "widgets/models/neuron_inspector.h"

namespace us::test {
namespace {

class CaptionTest : public QObject {
    Q_OBJECT
  public:
    explicit CaptionTest(DemoWindow& demo) : window_(demo.window.get()) {}

  private Q_SLOTS:
    void theInspectorShowsAUnitsCaptionWithItsNulls() {
        QSignalSpy captioned(window_->captions(), &app::CaptionController::captioned);
        window_->captions()->captionLayer("fc2");
        QTRY_VERIFY_WITH_TIMEOUT(!captioned.isEmpty(), 60000);
        QCOMPARE(captioned.first().at(0).toString(), QString("fc2"));
        window_->findChild<QDockWidget*>("inspector")->raise();
        auto* inspector = window_->inspector();
        const analysis::UnitRef dress{"fc2", 3};  // the logit of class 3, Dress
        QSignalSpy unitShown(window_, &app::MainWindow::unitShown);
        window_->selection()->setUnit(dress);
        QTRY_VERIFY_WITH_TIMEOUT(inspector->currentUnit() == dress, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(!unitShown.isEmpty() && unitShown.last().at(0) == "fc2", 20000);
        QTRY_VERIFY(inspector->captionText().contains("<b>Dress</b>"));
        QVERIFY2(inspector->captionText().contains("permutation q &lt; 1e-16"),
                 qPrintable(inspector->captionText()));
        QVERIFY(inspector->captionText().contains("no random-weight control"));
        QVERIFY(!inspector->captionText().contains("could be chance"));
        // Drawn in the panel: dark text in the caption's line.
        const QImage panel = window_->grabPanel("inspector");
        panel.save(QDir::temp().filePath("unitscope-test-unit-caption.png"));
        auto* label = inspector->findChild<QLabel*>("unitCaption");
        const QRect area =
            QRect(label->mapTo(inspector, QPoint(0, 0)), label->size()).intersected(panel.rect());
        int dark = 0;
        for (int y = area.top(); y <= area.bottom(); ++y)
            for (int x = area.left(); x <= area.right(); ++x)
                dark += QColor(panel.pixel(x, y)).value() < 90;
        QVERIFY2(dark > 100, qPrintable(QString::number(dark)));
        // A layer without captions shows none.
        const analysis::UnitRef other{"relu2", 0};
        window_->selection()->setUnit(other);
        QTRY_VERIFY_WITH_TIMEOUT(inspector->currentUnit() == other, 20000);
        QVERIFY(inspector->captionText().isEmpty());
    }

  private:
    app::MainWindow* window_;
};

}  // namespace

int runCaptionTests(DemoWindow& demo, const QStringList& arguments) {
    CaptionTest test(demo);
    return QTest::qExec(&test, arguments);
}

}  // namespace us::test

#include "caption_test.moc"
