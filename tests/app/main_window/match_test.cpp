// Units matched across networks in the window: the demo's relu3 matched against a copy of its
// activations whose units were permuted (what a network with permuted channels computes)
// recovers the permutation at r = 1, beyond a random-weight copy of the network made here as
// the control; the inspector shows the selected unit's partner, both exemplar sets (the same
// stimuli, since the partner is the unit itself) and the matched-r histogram over the control's.

#include <QDir>
#include <QDockWidget>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <fstream>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <numeric>
#include <random>

#include "analysis/models/activation_store.h"
#include "app/core/selection.h"
#include "app/matching/match_controller.h"
#include "app/models/model_controller.h"
#include "tests/app/main_window/demo_window.h"
#include "widgets/models/bar_chart.h"
#include "widgets/models/exemplar_grid.h"
#include "widgets/models/match_panel.h"
#include "widgets/models/neuron_inspector.h"

namespace us::test {
namespace {

constexpr const char* kLayer = "relu3";

// The layer with its units reordered: unit u of the result is unit source[u] of matrix.
analysis::FloatArray permuteColumns(const analysis::FloatArray& matrix,
                                    const std::vector<std::int64_t>& source) {
    analysis::FloatArray out = matrix;
    const auto rows = matrix.shape.at(0), units = matrix.shape.at(1);
    for (std::int64_t r = 0; r < rows; ++r)
        for (std::int64_t u = 0; u < units; ++u)
            out.values[std::size_t(r * units + u)] =
                matrix.values[std::size_t(r * units + source[std::size_t(u)])];
    return out;
}

class MatchTest : public QObject {
    Q_OBJECT
  public:
    explicit MatchTest(DemoWindow& demo) : window_(demo.window.get()) {}

  private Q_SLOTS:
    void aPermutedCopyIsRecoveredAndShownBesideTheUnit() {
        // The session test saves the matches: the permuted store has to outlive this test.
        static QTemporaryDir dir;
        const auto& summary = window_->models()->store();
        QVERIFY(summary);
        const auto store = analysis::ActivationStore::open(summary->path);
        const auto& layer = store.layer(kLayer);
        std::vector<std::int64_t> source(std::size_t(layer.units));
        std::iota(source.begin(), source.end(), 0);
        std::shuffle(source.begin(), source.end(), std::mt19937(11));
        const QString copy = dir.filePath("permuted.h5");
        {
            analysis::ActivationStoreWriter writer(copy.toStdString(), store.provenance(), {layer},
                                                   false);
            writer.append(
                {{permuteColumns(store.layerMatrix(kLayer, analysis::Pooling::Mean), source),
                  permuteColumns(store.layerMatrix(kLayer, analysis::Pooling::Max), source)}});
            writer.finish(store.stimuli());
        }
        // Unit u of the demo is unit position[u] of the copy.
        std::vector<std::int64_t> position(source.size());
        for (std::size_t i = 0; i < source.size(); ++i)
            position[std::size_t(source[i])] = std::int64_t(i);

        QSignalSpy matched(window_->matches(), &app::MatchController::matched);
        QSignalSpy failed(window_->matches(), &app::MatchController::failed);
        widgets::MatchSetup setup;
        setup.layer = kLayer;
        setup.other = copy;
        setup.otherLayer = kLayer;
        setup.control = widgets::MatchSetup::Control::RandomCopy;
        window_->matches()->match(setup);
        QTRY_VERIFY_WITH_TIMEOUT(!matched.isEmpty() || !failed.isEmpty(), 180000);
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed[0][1].toString()));
        const auto* matches = window_->matches()->matchesOf(kLayer);
        QVERIFY(matches);
        QCOMPARE(qsizetype(matches->partnerOf.size()), qsizetype(layer.units));
        // Units that vary over the stimuli find themselves; dead units correlate with nothing.
        std::int64_t live = 0, best = 0;
        double bestVariance = -1;
        for (std::int64_t u = 0; u < layer.units; ++u) {
            const auto column = store.unitColumn(kLayer, u);
            const auto [lo, hi] = std::minmax_element(column.begin(), column.end());
            if (*hi - *lo < 1e-6f) continue;
            ++live;
            QCOMPARE(matches->partnerOf[std::size_t(u)].first, qint64(position[std::size_t(u)]));
            QVERIFY(matches->partnerOf[std::size_t(u)].second > 0.9999);
            double sum = 0, squares = 0;
            for (const float v : column)
                sum += v, squares += double(v) * v;
            const double variance = squares / double(column.size()) -
                                    (sum / double(column.size())) * (sum / double(column.size()));
            if (variance > bestVariance) bestVariance = variance, best = u;
        }
        QVERIFY(live > layer.units / 2);
        // The random-weight copy matches far worse: every live pair is beyond its 95th percentile.
        QCOMPARE(qsizetype(matches->control.size()), qsizetype(layer.units));
        QVERIFY(matches->threshold && *matches->threshold < 0.99);
        QVERIFY(matches->beyondFraction &&
                *matches->beyondFraction >= double(live) / double(layer.units) - 1e-9);

        // The inspector shows the selected unit's partner with both exemplar sets.
        window_->findChild<QDockWidget*>("inspector")->raise();
        auto* inspector = window_->inspector();
        QSignalSpy partner(window_->matches(), &app::MatchController::partnerShown);
        const analysis::UnitRef unit{kLayer, best};
        window_->selection()->setUnit(unit);
        QTRY_VERIFY_WITH_TIMEOUT(!partner.isEmpty(), 30000);
        QCOMPARE(partner.last().at(1).toLongLong(), qint64(best));
        QCOMPARE(partner.last().at(2).toLongLong(), qint64(position[std::size_t(best)]));
        auto* panel = inspector->matches();
        QVERIFY(panel->isVisible());
        QVERIFY2(panel->summaryText().contains(
                     QString("unit <b>%1</b>, r = <b>1.000</b>").arg(position[std::size_t(best)])),
                 qPrintable(panel->summaryText()));
        QVERIFY(panel->summaryText().contains("beyond chance"));
        QVERIFY(panel->ownGrid()->count() == 8 && panel->partnerGrid()->count() == 8);
        for (int i = 0; i < 8; ++i)
            QCOMPARE(panel->partnerGrid()->row(i), panel->ownGrid()->row(i));
        QCOMPARE(panel->histogram()->barCount(), 40);
        // Drawn: the pairs' bars and the control's outline in the histogram.
        QTest::qWait(200);
        const QImage frame = window_->grabPanel("inspector");
        frame.save(QDir::temp().filePath("unitscope-test-unit-match.png"));
        const QRect area(panel->histogram()->mapTo(inspector, QPoint(0, 0)),
                         panel->histogram()->size());
        QVERIFY2(barPixels(frame, area) > 50, qPrintable(QString::number(barPixels(frame, area))));
        int outline = 0;
        for (int y = area.top(); y <= area.bottom(); ++y)
            for (int x = area.left(); x <= area.right(); ++x) {
                const QColor c(frame.pixel(std::clamp(x, 0, frame.width() - 1),
                                           std::clamp(y, 0, frame.height() - 1)));
                outline +=
                    std::abs(c.red() - 200) < 30 && std::abs(c.green() - 90) < 30 && c.blue() < 70;
            }
        QVERIFY2(outline > 20, qPrintable(QString::number(outline)));
        // The partner's exemplars are drawn (Fashion-MNIST greys, not an empty panel).
        const QRect partnerArea(panel->partnerGrid()->mapTo(inspector, QPoint(0, 0)),
                                panel->partnerGrid()->size());
        QVERIFY(distinctColours(frame, partnerArea.intersected(frame.rect())) > 20);

        // A unit of a layer without matches hides the panel.
        const analysis::UnitRef other{"relu2", 1};
        window_->selection()->setUnit(other);
        QTRY_VERIFY_WITH_TIMEOUT(inspector->currentUnit() == other, 20000);
        QVERIFY(!panel->isVisible());
    }

    void conceptUnitsAreMatchedAgainstTheRandomCopysConceptUnits() {
        // The concept test attached relu3/nmf-6; matched with itself, against the concept units
        // (same method and number) of the random-weight copy's relu3.
        const QString concepts = "relu3/nmf-6";
        const auto* layer = window_->models()->storeLayer(concepts);
        QVERIFY(layer);
        QSignalSpy matched(window_->matches(), &app::MatchController::matched);
        QSignalSpy failed(window_->matches(), &app::MatchController::failed);
        widgets::MatchSetup setup;
        setup.layer = concepts;
        setup.other = QString::fromStdString(window_->models()->storePathFor(concepts));
        setup.otherLayer = concepts;
        setup.control = widgets::MatchSetup::Control::RandomCopy;
        window_->matches()->match(setup);
        QTRY_VERIFY_WITH_TIMEOUT(!matched.isEmpty() || !failed.isEmpty(), 180000);
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed[0][1].toString()));
        const auto* matches = window_->matches()->matchesOf(concepts);
        QVERIFY(matches);
        for (std::int64_t u = 0; u < layer->units; ++u) {
            QCOMPARE(matches->partnerOf[std::size_t(u)].first, qint64(u));
            QVERIFY(matches->partnerOf[std::size_t(u)].second > 0.9999);
        }
        QCOMPARE(qsizetype(matches->control.size()), qsizetype(layer->units));
        QVERIFY(matches->threshold && *matches->threshold < 0.9999);
        // The control's concept units were made from the copy's relu3 and kept in the cache.
        const auto report = nlohmann::json::parse(std::ifstream(matches->path.toStdString()));
        const auto control = report.at("control").at("store").get<std::string>();
        QVERIFY2(control.find("concept-units") != std::string::npos, control.c_str());
        const auto controlStore = analysis::ActivationStore::open(control);
        QCOMPARE(controlStore.layer(concepts.toStdString()).units, layer->units);
    }

    void badInputGivesOneClearError() {
        QSignalSpy failed(window_->matches(), &app::MatchController::failed);
        widgets::MatchSetup setup;
        setup.layer = kLayer;
        setup.other = "/nonexistent/acts.h5";
        setup.otherLayer = kLayer;
        window_->matches()->match(setup);
        QTRY_VERIFY_WITH_TIMEOUT(!failed.isEmpty(), 20000);
        QVERIFY2(failed[0][1].toString().contains("/nonexistent/acts.h5"),
                 qPrintable(failed[0][1].toString()));
        QVERIFY(window_->matches()->matchesOf(kLayer));  // the earlier matches stay
    }

  private:
    app::MainWindow* window_;
};

}  // namespace

int runMatchTests(DemoWindow& demo, const QStringList& arguments) {
    MatchTest test(demo);
    return QTest::qExec(&test, arguments);
}

}  // namespace us::test

#include "match_test.moc"
