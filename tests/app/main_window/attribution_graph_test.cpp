// The graph panel's attribution graphs, on pixels: a graph computed for a demo stimulus, an
// imported circuit-tracer graph (nodes and links where the layout puts them, the sliders,
// hover, click, pin, the pinned subgraph, grouping with undo, every field kept on save), and
// a session round trip.

#include <QDir>
#include <QDockWidget>
#include <QSignalSpy>
#include <QSlider>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

#include <fstream>

#include "app/captions/caption_controller.h"
#include "app/core/selection.h"
#include "app/graph/graph_controller.h"
#include "app/session/session_controller.h"
#include "tests/app/main_window/demo_window.h"
#include "widgets/graph/attribution_dialog.h"
#include "widgets/graph/graph_panel.h"
#include "widgets/graph/graph_view.h"
#include "widgets/graph/supernode_review.h"
#include "widgets/models/neuron_inspector.h"

using us::app::MainWindow;

namespace us::test {
namespace {

// Two embeddings, three units (one of the demo's units: relu2 channel 3), an error node and
// the target; fields of circuit-tracer's and some of nobody's, to be kept on save.
constexpr const char* kGraph = R"({"metadata":{"slug":"fixture","scan":"gemma-test",
  "prompt_tokens":["A","B"],"custom":{"keep":[1,2]}},
  "qParams":{"pinnedIds":[],"supernodes":[],"linkType":"both","clickedId":"","sg_pos":""},
  "nodes":[
   {"node_id":"E_0_0","feature":0,"layer":"E","ctx_idx":0,"feature_type":"embedding","clerp":"A"},
   {"node_id":"E_1_1","feature":1,"layer":"E","ctx_idx":1,"feature_type":"embedding","clerp":"B"},
   {"node_id":"0_5_0","feature":5,"layer":"0","ctx_idx":0,"feature_type":"cross layer transcoder",
    "clerp":"first unit","layer_name":"relu2","unit":3,"activation":2.5,"odd_field":{"x":[true]}},
   {"node_id":"0_6_1","feature":6,"layer":"0","ctx_idx":1,"feature_type":"cross layer transcoder",
    "clerp":"second unit","activation":1.0},
   {"node_id":"0_7_1","feature":7,"layer":"0","ctx_idx":1,"feature_type":"mlp reconstruction error",
    "clerp":"error"},
   {"node_id":"1_9_1","feature":9,"layer":"1","ctx_idx":1,"feature_type":"cross layer transcoder",
    "clerp":"late unit"},
   {"node_id":"2_0_1","feature":0,"layer":"2","ctx_idx":1,"feature_type":"logit","token_prob":1,
    "is_target_logit":true,"clerp":"Output C"}],
  "links":[
   {"source":"E_0_0","target":"0_5_0","weight":2.0},{"source":"E_1_1","target":"0_6_1","weight":1.5},
   {"source":"E_1_1","target":"0_7_1","weight":0.2},
   {"source":"0_5_0","target":"1_9_1","weight":3.0},{"source":"0_6_1","target":"1_9_1","weight":-2.0},
   {"source":"0_7_1","target":"1_9_1","weight":0.1},
   {"source":"1_9_1","target":"2_0_1","weight":4.0},{"source":"0_5_0","target":"2_0_1","weight":1.0}],
  "extra_top":"kept"})";

bool near(QRgb pixel, QRgb colour, int tolerance = 12) {
    return std::abs(qRed(pixel) - qRed(colour)) <= tolerance &&
           std::abs(qGreen(pixel) - qGreen(colour)) <= tolerance &&
           std::abs(qBlue(pixel) - qBlue(colour)) <= tolerance;
}

class AttributionGraphTest : public QObject {
    Q_OBJECT
  public:
    explicit AttributionGraphTest(DemoWindow& demo)
        : window_(demo.window.get()),
          jobs_(demo.jobs),
          controller_(window_->graph()),
          view_(window_->graphView()) {}

  private:
    QImage frame() { return view_->grabFramebuffer(); }
    QPoint centreOf(const std::string& id) {
        const auto& nodes = controller_->display().nodes;
        for (std::size_t i = 0; i < nodes.size(); ++i)
            if (nodes[i].id == id) {
                const auto [x, y] = view_->canvas().plot().screenPosition(i);
                return QPoint(int(std::lround(x)), int(std::lround(y)));
            }
        return QPoint(-1, -1);
    }
    bool shown(const std::string& id) { return centreOf(id).x() >= 0; }
    void click(const std::string& id, Qt::KeyboardModifiers modifiers = {}) {
        const QPoint at = centreOf(id);
        QTest::mouseMove(view_, at);
        frame();
        QTest::mousePress(view_, Qt::LeftButton, modifiers, at);
        frame();
        QTest::mouseRelease(view_, Qt::LeftButton, modifiers, at);
        frame();
        QCoreApplication::processEvents();
    }
    // Graph parsed or computed, pruned and drawn from the latest settings.
    bool settled() {
        if (!controller_->graphSettled() || jobs_.activeCount() > 0) return false;
        frame();
        return true;
    }

  private Q_SLOTS:
    void initTestCase() {
        window_->findChild<QDockWidget*>("graph")->raise();
        QTRY_VERIFY(view_->isVisible());
        QVERIFY(dir_.isValid());
        graphPath_ = dir_.filePath("fixture.json");
        std::ofstream(graphPath_.toStdString()) << kGraph;
    }

    void computesAGraphForADemoStimulusWithItsPatches() {
        widgets::AttributionChoice choice;
        choice.stimulus = 0;
        choice.target = "predicted";
        choice.layers = {"relu1", "relu2", "relu3"};
        choice.method = "gxa";
        choice.patches = 4;
        choice.top = 12;
        controller_->compute(choice);
        QTRY_VERIFY_WITH_TIMEOUT(settled(), 20000);
        const auto& display = controller_->display();
        int patches = 0, units = 0;
        for (const auto& node : display.nodes) {
            patches += node.kind == analysis::DisplayKind::Input;
            units += node.kind == analysis::DisplayKind::Unit;
        }
        QCOMPARE(patches, 16);
        QVERIFY(units > 0);
        QCOMPARE(display.bandNames.front(), std::string("input"));
        QCOMPARE(display.bandNames.back(), std::string("target"));
        QVERIFY2(!view_->canvas().plot().scene().input.pixels.empty(), "the input thumbnail");
        // Patches show the image: a Fashion-MNIST item is bright on black, so the patch grid
        // holds both dark and bright pixels.
        const QImage image = frame();
        image.save(QDir::temp().filePath("unitscope-test-attribution-graph.png"));
        int bright = 0;
        const QPoint patch = centreOf("E_9_9");  // an inner patch of the 4 x 4 grid
        for (int dy = -10; dy <= 10; ++dy)
            for (int dx = -10; dx <= 10; ++dx)
                bright += qGray(image.pixel(patch + QPoint(dx, dy))) > 120;
        QVERIFY2(bright > 10, "an inner patch of the ankle boot is drawn from the image");
        // Clicking a unit node selects that unit: the inspector follows.
        std::string unitId;
        for (const auto& node : display.nodes)
            if (node.kind == analysis::DisplayKind::Unit) unitId = node.id;
        click(unitId);
        QTRY_VERIFY(window_->selection()->unit().has_value());
        QCOMPARE(window_->selection()->graphNodes(), std::vector<std::string>{unitId});
        QTRY_VERIFY(window_->inspector()->currentUnit().has_value());
        QCOMPARE(window_->inspector()->currentUnit()->layer, window_->selection()->unit()->layer);
        // Resting on a relu3 unit, captioned first, fetches its top exemplars for the hover
        // card, which also carries its caption.
        QSignalSpy captioned(window_->captions(), &app::CaptionController::captioned);
        window_->captions()->captionLayer("relu3");
        QTRY_VERIFY_WITH_TIMEOUT(!captioned.isEmpty(), 60000);
        std::string cardId;
        std::int64_t cardUnit = -1;
        const auto& graph = *view_->canvas().plot().scene().graph;
        for (const auto& node : display.nodes) {
            if (node.kind != analysis::DisplayKind::Unit) continue;
            const auto& fields = graph.nodes.at(node.members.front()).fields;
            if (fields.value("layer_name", std::string()) != "relu3") continue;
            cardId = node.id;
            cardUnit = fields.at("unit").get<std::int64_t>();
        }
        QVERIFY2(!cardId.empty(), "the graph has a relu3 unit");
        QTest::mouseMove(view_, QPoint(4, view_->height() - 4));  // off every node first
        frame();
        QTest::mouseMove(view_, centreOf(cardId));
        const auto* caption = window_->captions()->captionOf({"relu3", cardUnit});
        QVERIFY(caption && caption->plain.startsWith("caption: "));
        QTRY_VERIFY_WITH_TIMEOUT(
            frame().isNull() ||
                (view_->canvas().plot().cardNodeId() == cardId &&
                 QString::fromStdString(view_->canvas().plot().cardCaption()) == caption->plain),
            20000);
        QTRY_VERIFY_WITH_TIMEOUT(settled(), 20000);
        frame().save(QDir::temp().filePath("unitscope-test-unit-card.png"));
    }

    void autoGroupMakesSupernodesWithTheirEvidence() {
        controller_->autoGroup();
        // The proposals come up for review: drop the first, keep and rename the rest.
        widgets::SupernodeReview* review = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT(
            (review = window_->findChild<widgets::SupernodeReview*>()) && review->isVisible(),
            20000);
        auto* table = review->table();
        const int proposed = table->rowCount();
        QVERIFY(proposed >= 1);
        QVERIFY2(table->item(0, 2)->text().contains("label vs shuffled classes p"),
                 qPrintable(table->item(0, 2)->text()));
        if (proposed > 1) table->item(0, 0)->setCheckState(Qt::Unchecked);
        table->item(proposed - 1, 0)->setText("renamed group");
        review->accept();
        QTRY_VERIFY_WITH_TIMEOUT(settled() && !controller_->edits().supernodes.empty(), 20000);
        QCOMPARE(int(controller_->edits().supernodes.size()), std::max(1, proposed - 1));
        QCOMPARE(controller_->edits().supernodes.back().front(), std::string("renamed group"));
        std::string supernode;
        for (const auto& node : controller_->display().nodes)
            if (node.kind == analysis::DisplayKind::Supernode) supernode = node.id;
        QVERIFY2(!supernode.empty(), "the demo's units group by their class signatures");
        QTest::mouseMove(view_, QPoint(4, view_->height() - 4));
        frame();
        const QImage before = frame();
        QTest::mouseMove(view_, centreOf(supernode));
        QTRY_VERIFY(frame().isNull() || view_->canvas().plot().hovered().has_value());
        frame();
        const QImage card = frame();
        card.save(QDir::temp().filePath("unitscope-test-supernode-card.png"));
        QVERIFY2(changedFraction(before, card) > 0.01, "the card with the evidence heat map");
        // The evidence, the label's null included, is saved with the graph under the edited
        // label and read back as it was.
        const auto evidence = controller_->evidence().at(supernode);
        QVERIFY(evidence.labelP && evidence.labelQ && evidence.permutations == 1000);
        QVERIFY(*evidence.labelP >= 1.0 / 1001 && *evidence.labelP <= 1);
        const std::string json = controller_->graphJson();
        const auto saved = analysis::OrderedJson::parse(json)["unitscope_supernode_evidence"];
        QCOMPARE(saved["permutations"].get<int>(), 1000);
        QCOMPARE(saved["supernodes"].back()["label"].get<std::string>(),
                 std::string("renamed group"));
        const auto reread =
            app::readSupernodeEvidence(analysis::parseAttributionGraph(json, "saved"));
        QVERIFY(reread.contains(supernode));
        QCOMPARE(reread.at(supernode).values, evidence.values);
        QCOMPARE(*reread.at(supernode).labelP, *evidence.labelP);
        QCOMPARE(*reread.at(supernode).labelQ, *evidence.labelQ);
        controller_->undoStack()->undo();
        QTRY_VERIFY_WITH_TIMEOUT(settled(), 20000);
        QVERIFY(controller_->edits().supernodes.empty());
        QVERIFY(!analysis::OrderedJson::parse(controller_->graphJson())
                     .contains("unitscope_supernode_evidence"));  // no supernode, no evidence
    }

    void importedGraphDrawsNodesAndLinksWhereTheLayoutPutsThem() {
        controller_->openGraph(graphPath_);
        QTRY_VERIFY_WITH_TIMEOUT(settled(), 20000);
        window_->graphPanel()->findChildren<QSlider*>().at(0)->setValue(100);
        window_->graphPanel()->findChildren<QSlider*>().at(1)->setValue(100);
        QTRY_VERIFY_WITH_TIMEOUT(settled(), 20000);
        QCOMPARE(controller_->display().nodes.size(), std::size_t(7));
        const QImage image = frame();
        image.save(QDir::temp().filePath("unitscope-test-imported-graph.png"));
        QVERIFY2(near(image.pixel(centreOf("0_5_0")), qRgb(244, 178, 88)), "unit in amber");
        QVERIFY2(near(image.pixel(centreOf("2_0_1")), qRgb(235, 87, 87)), "target in red");
        QVERIFY2(near(image.pixel(centreOf("0_7_1")), qRgb(150, 150, 160)), "error in grey");
        const auto midpoint = [&](const std::string& a, const std::string& b) {
            return (centreOf(a) + centreOf(b)) / 2;
        };
        const QRgb positive = image.pixel(midpoint("0_5_0", "1_9_1"));
        QVERIFY2(qGreen(positive) > qRed(positive) + 40 && qGreen(positive) > qBlue(positive) + 40,
                 "a positive link is green");
        const QRgb negative = image.pixel(midpoint("0_6_1", "1_9_1"));
        QVERIFY2(qBlue(negative) > qGreen(negative) + 40 && qRed(negative) > qGreen(negative),
                 "a negative link is purple");
        // Bands: embeddings at the bottom, the target at the top.
        QVERIFY(centreOf("E_0_0").y() > centreOf("0_5_0").y());
        QVERIFY(centreOf("0_5_0").y() > centreOf("1_9_1").y());
        QVERIFY(centreOf("1_9_1").y() > centreOf("2_0_1").y());
        // Token columns: position 0 left of position 1.
        QVERIFY(centreOf("E_0_0").x() < centreOf("E_1_1").x());
    }

    void sliderHidesWeakNodesAndHoverShowsTheCard() {
        window_->graphPanel()->findChildren<QSlider*>().at(0)->setValue(50);
        QTRY_VERIFY_WITH_TIMEOUT(settled(), 20000);
        QVERIFY2(!shown("0_7_1"), "the weak error node is pruned");
        QVERIFY(shown("E_1_1") && shown("2_0_1"));                // inputs and the target stay
        QTest::mouseMove(view_, QPoint(4, view_->height() - 4));  // off every node
        frame();
        const QImage before = frame();
        QTest::mouseMove(view_, centreOf("1_9_1"));
        // The move may arrive through the X server; ImGui shows a new tooltip a frame later.
        QTRY_VERIFY(
            frame().isNull() ||
            (view_->canvas().plot().hovered() &&
             controller_->display().nodes[*view_->canvas().plot().hovered()].id == "1_9_1"));
        frame();
        const QImage hovered = frame();
        before.save(QDir::temp().filePath("unitscope-test-graph-before-hover.png"));
        hovered.save(QDir::temp().filePath("unitscope-test-graph-hover.png"));
        window_->graphPanel()->findChildren<QSlider*>().at(0)->setValue(100);
        QTRY_VERIFY_WITH_TIMEOUT(settled(), 20000);
        QVERIFY(window_->statusReadout().contains("late unit"));
        QVERIFY2(changedFraction(before, hovered) > 0.005, "the hover card is drawn");
    }

    void ctrlClickPinsAndThePinnedSubgraphShowsOnlyPins() {
        click("0_5_0", Qt::ControlModifier);
        QCOMPARE(controller_->edits().pinned, std::vector<std::string>{"0_5_0"});
        click("1_9_1", Qt::ControlModifier);
        QCOMPARE(controller_->edits().pinned.size(), std::size_t(2));
        auto* pinned = window_->graphPanel()->findChild<QToolButton*>();
        for (auto* button : window_->graphPanel()->findChildren<QToolButton*>())
            if (button->text() == "Pinned") pinned = button;
        pinned->click();
        QTRY_VERIFY_WITH_TIMEOUT(settled(), 20000);
        QCOMPARE(controller_->display().nodes.size(), std::size_t(2));
        QCOMPARE(controller_->display().links.size(), std::size_t(1));
        pinned->click();
        QTRY_VERIFY_WITH_TIMEOUT(settled(), 20000);
    }

    void groupingTwoNodesSumsTheirLinksAndUndoRestores() {
        window_->selection()->setGraphNodes({});
        click("0_5_0", Qt::ShiftModifier);
        click("0_6_1", Qt::ShiftModifier);
        QCOMPARE(window_->selection()->graphNodes().size(), std::size_t(2));
        window_->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(window_));
        view_->setFocus();
        QTRY_VERIFY(view_->hasFocus());
        QTest::keyClick(view_, Qt::Key_G);
        QTRY_VERIFY_WITH_TIMEOUT(settled(), 20000);
        QVERIFY(shown("supernode:0_5_0"));
        QVERIFY(!shown("0_5_0") && !shown("0_6_1"));
        double toLate = 0;
        for (const auto& link : controller_->display().links)
            if (controller_->display().nodes[link.source].id == "supernode:0_5_0" &&
                controller_->display().nodes[link.target].id == "1_9_1")
                toLate = link.weight;
        QCOMPARE(toLate, 3.0 - 2.0);
        controller_->undoStack()->undo();
        QTRY_VERIFY_WITH_TIMEOUT(settled(), 20000);
        QVERIFY(shown("0_5_0") && shown("0_6_1") && !shown("supernode:0_5_0"));
        controller_->undoStack()->redo();
        QTRY_VERIFY_WITH_TIMEOUT(settled(), 20000);
        QVERIFY(shown("supernode:0_5_0"));
    }

    void savingKeepsEveryFieldAndTheEdits() {
        const auto original = analysis::OrderedJson::parse(kGraph);
        const auto saved = analysis::OrderedJson::parse(controller_->graphJson());
        QVERIFY(saved["metadata"] == original["metadata"]);
        QVERIFY(saved["extra_top"] == original["extra_top"]);
        for (std::size_t i = 0; i < original["nodes"].size(); ++i)
            for (const auto& [key, value] : original["nodes"][i].items())
                QVERIFY2(saved["nodes"][i][key] == value, key.c_str());
        QCOMPARE(saved["links"].size(), original["links"].size());
        QCOMPARE(saved["qParams"]["pinnedIds"].size(), std::size_t(2));
        QCOMPARE(saved["qParams"]["supernodes"].size(), std::size_t(1));
    }

    void sessionRoundTripRestoresGraphPinsSupernodesAndView() {
        const QString path = dir_.filePath("graph.unitscope");
        view_->canvas().plot().setViewState({31.0, 47.0, 0.9});
        const auto edits = controller_->edits();
        QVERIFY(window_->sessions()->saveSessionTo(path, false));
        controller_->undoStack()->undo();  // ungroup
        view_->canvas().plot().setViewState({0.0, 0.0, 2.0});
        QVERIFY(controller_->edits() != edits);
        QVERIFY(window_->sessions()->openSession(path, false));
        QTRY_VERIFY_WITH_TIMEOUT(settled(), 20000);
        QCOMPARE(controller_->edits(), edits);
        const auto plot = controller_->plotState();
        QCOMPARE(plot.size(), std::size_t(3));
        QVERIFY(std::abs(plot[0] - 31) < 1e-4 && std::abs(plot[1] - 47) < 1e-4 &&
                std::abs(plot[2] - 0.9) < 1e-4);
        QVERIFY(shown("supernode:0_5_0"));
        QVERIFY(window_->graphPanel()->graphMode());
        // Both graphs of the session came back; each keeps its own state when switching.
        QCOMPARE(controller_->graphCount(), 2);
        QCOMPARE(controller_->currentGraph(), 1);
        controller_->chooseGraph(0);
        QTRY_VERIFY_WITH_TIMEOUT(settled(), 20000);
        QVERIFY(shown("E_0_0") && !shown("supernode:0_5_0"));  // the computed image graph
        QVERIFY(controller_->edits().supernodes.empty());
        controller_->chooseGraph(1);
        QTRY_VERIFY_WITH_TIMEOUT(settled(), 20000);
        QCOMPARE(controller_->edits(), edits);
        QVERIFY(shown("supernode:0_5_0"));
    }

  private:
    MainWindow* window_;
    app::JobRunner& jobs_;
    app::GraphController* controller_;
    widgets::GraphView* view_;
    QTemporaryDir dir_;
    QString graphPath_;
};

}  // namespace

int runAttributionGraphTests(DemoWindow& demo, const QStringList& arguments) {
    AttributionGraphTest test(demo);
    return QTest::qExec(&test, arguments);
}

}  // namespace us::test

#include "attribution_graph_test.moc"
