// Concept units in the window: the NMF components of relu3 become a layer "relu3/nmf-6" that
// the inspector browses like any other, that captions caption (against a control's concept
// units) and that Visualise maximises as a direction of relu3.

#include <QDir>
#include <QDockWidget>
#include <QSignalSpy>
#include <QTest>

#include <algorithm>
#include <any>
#include <atomic>
#include <chrono>
#include <cmath>
#include <thread>

#include "analysis/models/activation_store.h"
#include "app/captions/caption_controller.h"
#include "app/core/selection.h"
#include "app/models/concept_controller.h"
#include "app/models/model_controller.h"
#include "app/visualisation/visualisation_controller.h"
#include "tests/app/main_window/demo_window.h"
#include "widgets/models/exemplar_grid.h"
#include "widgets/models/neuron_inspector.h"

namespace us::test {
namespace {

const QString kLayer = "relu3/nmf-6";

class ConceptTest : public QObject {
    Q_OBJECT
  public:
    explicit ConceptTest(DemoWindow& demo) : jobs_(demo.jobs), window_(demo.window.get()) {}

  private Q_SLOTS:
    void conceptUnitsOpenInTheInspector() {
        window_->findChild<QDockWidget*>("inspector")->raise();
        QSignalSpy computed(window_->concepts(), &app::ConceptController::computed);
        QSignalSpy failed(window_->concepts(), &app::ConceptController::failed);
        QSignalSpy shown(window_, &app::MainWindow::unitShown);
        analysis::ConceptUnitsRequest request;
        request.k = 6;
        window_->concepts()->compute("relu3", request);
        QTRY_VERIFY_WITH_TIMEOUT(!computed.isEmpty() || !failed.isEmpty(), 60000);
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed[0][1].toString()));
        QCOMPARE(computed.first().at(0).toString(), kLayer);
        // Attached beside the demo's store: its layers are the store's and one more.
        const auto& store = window_->models()->store();
        QVERIFY(store && store->attached.size() == 1);
        QCOMPARE(store->attached[0].layers, std::vector<std::string>{kLayer.toStdString()});
        QCOMPARE(store->layers.back().units, std::int64_t(6));
        const analysis::UnitRef first{kLayer.toStdString(), 0};
        QVERIFY(window_->selection()->unit() == first);
        auto* inspector = window_->inspector();
        QTRY_VERIFY_WITH_TIMEOUT(!shown.isEmpty() && shown.last().at(0).toString() == kLayer,
                                 20000);
        QVERIFY(inspector->currentUnit() == first);
        // Browsing steps through the concept units as through any layer's.
        inspector->step(+1);
        QTRY_VERIFY_WITH_TIMEOUT(shown.last().at(1).toLongLong() == 1, 20000);
        QTRY_VERIFY(inspector->currentUnit() == (analysis::UnitRef{kLayer.toStdString(), 1}));
        // Its exemplars are drawn: many colours in the grid (Fashion-MNIST greys and the
        // frames), not an empty state.
        QTest::qWait(50);
        const QImage panel = window_->grabPanel("inspector");
        panel.save(QDir::temp().filePath("unitscope-test-concept-units.png"));
        const QWidget* grid = inspector->grid();
        const QRect area = QRect(grid->mapTo(inspector, QPoint(0, 0)), grid->size());
        QVERIFY2(distinctColours(panel, area) > 30,
                 qPrintable(QString::number(distinctColours(panel, area))));
    }

    void conceptUnitsAreCaptionedAgainstTheControlsConceptUnits() {
        // The demo's own store stands in for the control: its relu3 is factorised the same
        // way (the calibration of a real random-weight control is the CLI tests' concern).
        const auto& store = window_->models()->store();
        QSignalSpy captioned(window_->captions(), &app::CaptionController::captioned);
        QSignalSpy failed(window_->captions(), &app::CaptionController::failed);
        window_->captions()->captionLayer(kLayer, QString::fromStdString(store->path));
        QTRY_VERIFY_WITH_TIMEOUT(!captioned.isEmpty() || !failed.isEmpty(), 60000);
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed[0][1].toString()));
        QCOMPARE(captioned.first().at(0).toString(), kLayer);
        window_->selection()->setUnit(analysis::UnitRef{kLayer.toStdString(), 2});
        auto* inspector = window_->inspector();
        QTRY_VERIFY_WITH_TIMEOUT(inspector->captionText().contains("caption: <b>"), 20000);
        QVERIFY2(inspector->captionText().contains("random-weight control q"),
                 qPrintable(inspector->captionText()));
    }

    void aConceptUnitIsVisualisedAsItsDirection() {
        auto* controller = window_->visualisations();
        const auto before = controller->records().size();
        QSignalSpy finished(controller, &app::VisualisationController::finished);
        QSignalSpy failed(controller, &app::VisualisationController::failed);
        auto settings = controller->settings();
        settings.images = 1;
        controller->setSettings(settings);
        const analysis::UnitRef unit{kLayer.toStdString(), 0};
        controller->visualiseUnit(unit);
        QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty() || !failed.isEmpty(), 60000);
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed[0][1].toString()));
        QCOMPARE(controller->records().size(), before + 1);
        const auto& record = controller->records().back();
        QCOMPARE(record.objective, "channel:" + kLayer.toStdString() + ":0");
        QVERIFY(!record.bestNatural);  // the stored NMF weight is no cosine
        // The objective is the cosine with the component's direction in relu3, computed here
        // for the test images from the stores.
        const auto& store = *window_->models()->store();
        const auto main = analysis::ActivationStore::open(store.path);
        const auto concepts = analysis::ActivationStore::open(store.attached.at(0).path);
        const auto directions = concepts.layerArray(kLayer.toStdString(), "directions");
        QVERIFY(directions && directions->shape.size() == 2);
        const auto x = main.layerMatrix("relu3", analysis::Pooling::Mean);
        const auto units = x.shape[1];
        QCOMPARE(directions->shape[1], units);
        std::vector<double> natural;
        for (std::int64_t n = 0; n < x.shape[0]; ++n) {
            double dot = 0, xx = 0, hh = 0;
            for (std::int64_t u = 0; u < units; ++u) {
                const double a = x.values[std::size_t(n * units + u)];
                const double h = directions->values[std::size_t(u)];
                dot += a * h;
                xx += a * a;
                hh += h * h;
            }
            if (xx > 0) natural.push_back(dot / std::sqrt(xx * hh));
        }
        // The component is made of the test images, so the best of them align with it almost
        // perfectly (0.99 on the demo); the image must reach their top 10% and 0.9.
        std::sort(natural.begin(), natural.end());
        const double p90 = natural[std::size_t(0.90 * double(natural.size() - 1))];
        const double cosine = record.finalActivation.at(0);
        qInfo(
            "concept direction cosine: synthetic %.3f; test images: 90th percentile %.3f, "
            "best %.3f",
            cosine, p90, natural.back());
        QVERIFY2(cosine > p90 && cosine > 0.9,
                 qPrintable(QString("%1 vs %2").arg(cosine).arg(p90)));
    }

    void aCancelledStoreOpenDoesNotHoldBackAttachedUnits() {
        // A store opening that is cancelled before it runs (queued behind a busy worker) must
        // not leave a session's attached concept units waiting for it.
        const auto& store = window_->models()->store();
        QVERIFY(store && store->attached.size() == 1);
        const std::string attached = store->attached[0].path;
        std::atomic<bool> release = false;
        jobs_.submit("busy", [&release](const analysis::JobContext&) {
            for (int i = 0; i < 1000 && !release; ++i)
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
            return std::any();
        });
        QSignalSpy queued(&jobs_, &app::JobRunner::jobQueued);
        QSignalSpy cancelled(&jobs_, &app::JobRunner::jobCancelled);
        window_->models()->openStore(QString::fromStdString(store->path));
        QCOMPARE(queued.count(), 1);
        jobs_.cancel(queued[0][0].toULongLong());
        release = true;
        QTRY_VERIFY_WITH_TIMEOUT(!cancelled.isEmpty(), 20000);
        QSignalSpy reattached(window_->models(), &app::ModelController::storeAttached);
        window_->models()->restoreAttached({{"attached-activations", attached, ""}});
        QTRY_VERIFY_WITH_TIMEOUT(!reattached.isEmpty(), 20000);
        QCOMPARE(reattached[0][0].toStringList(), QStringList{kLayer});
        QTRY_VERIFY_WITH_TIMEOUT(jobs_.activeCount() == 0, 20000);
    }

  private:
    app::JobRunner& jobs_;
    app::MainWindow* window_;
};

}  // namespace

int runConceptTests(DemoWindow& demo, const QStringList& arguments) {
    ConceptTest test(demo);
    return QTest::qExec(&test, arguments);
}

}  // namespace us::test

#include "concept_test.moc"
