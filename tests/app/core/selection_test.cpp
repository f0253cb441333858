// The shared selection: one signal per change naming what changed, silence for no change.

#include <QCoreApplication>
#include <QSignalSpy>
#include <QTest>

#include "app/core/selection.h"

using us::app::Selection;

class SelectionTest : public QObject {
    Q_OBJECT
  private Q_SLOTS:
    void settersEmitOnceAndOnlyOnChange() {
        Selection selection;
        QSignalSpy changed(&selection, &Selection::changed);
        selection.setUnit(us::analysis::UnitRef{"relu2", 3});
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.takeFirst().at(0).value<Selection::Aspects>(),
                 Selection::Aspects(Selection::Unit));
        selection.setUnit(us::analysis::UnitRef{"relu2", 3});  // same unit: silence
        QCOMPARE(changed.count(), 0);
        selection.setBrainPosition(std::array<double, 3>{1, 2, 3});
        selection.setCluster(7);
        selection.setGraphNodes({"fc:1"});
        selection.setStimulus(42);
        QCOMPARE(changed.count(), 4);
        QCOMPARE(*selection.cluster(), 7);
    }

    void stateSetsEverythingWithOneSignal() {
        Selection selection;
        selection.setCluster(7);
        QSignalSpy changed(&selection, &Selection::changed);
        us::analysis::SelectionState state;
        state.unit = us::analysis::UnitRef{"fc2", 1};
        state.cluster = 7;  // unchanged: not named in the signal
        state.brainPosition = std::array<double, 3>{-40, 10, 5};
        selection.setState(state);
        QCOMPARE(changed.count(), 1);
        const auto aspects = changed.takeFirst().at(0).value<Selection::Aspects>();
        QVERIFY(aspects.testFlag(Selection::Unit));
        QVERIFY(aspects.testFlag(Selection::BrainPosition));
        QVERIFY(!aspects.testFlag(Selection::Cluster));
        QCOMPARE(selection.state(), state);
        selection.setState(state);
        QCOMPARE(changed.count(), 0);
    }
};

QTEST_GUILESS_MAIN(SelectionTest)
#include "selection_test.moc"
