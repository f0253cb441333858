// Encoding models in the window, on the demo's SIMULATED experiment: the held-out R2 is on the
// brain, a click on a voxel of a preferring region shows its caption (the region's known
// category) and preferred images in the inspector, its weighted units lead to a unit whose
// encoder weight map appears on the surface, and Visualise drives the voxel.

#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLineEdit>
#include <QListWidget>
#include <QSignalSpy>
#include <QTest>

#include <Eigen/Core>

#include <random>

#include <QTemporaryDir>

#include "analysis/demo/demo_data.h"
#include "analysis/encoding/encoding_model.h"
#include "analysis/models/activation_store.h"
#include "app/brain/brain_controller.h"
#include "app/core/job_runner.h"
#include "app/core/selection.h"
#include "app/encoding/encoding_controller.h"
#include "app/models/model_controller.h"
#include "app/visualisation/visualisation_controller.h"
#include "render/brain/brain_layers.h"
#include "tests/app/main_window/demo_window.h"
#include "widgets/brain/brain_view.h"
#include "widgets/brain/slice_view.h"
#include "widgets/clusters/treemap_panel.h"
#include "widgets/clusters/treemap_view.h"
#include "widgets/encoding/encoding_fit_dialog.h"
#include "widgets/models/bar_chart.h"
#include "widgets/models/exemplar_grid.h"
#include "widgets/models/neuron_inspector.h"
#include "widgets/models/visualisation_strip.h"

namespace us::test {
namespace {

class EncodingTest : public QObject {
    Q_OBJECT
  public:
    explicit EncodingTest(DemoWindow& demo) : jobs_(demo.jobs), window_(demo.window.get()) {}

  private Q_SLOTS:
    void demoOpensItsSimulatedExperimentWithTheR2OnTheBrain() {
        auto* encodings = window_->encodings();
        QTRY_VERIFY_WITH_TIMEOUT(encodings->hasModel(), 180000);
        const auto explorer = encodings->explorer();
        QVERIFY(explorer->simulated());
        QCOMPARE(explorer->model().info.layer, std::string("relu3"));
        QVERIFY(!explorer->regions().empty());  // the AAL atlas captioned its regions
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                for (const auto& layer : window_->brain()->layers().layers())
                    if (QString::fromStdString(layer.path).endsWith("test_r2.nii.gz")) return true;
                return false;
            }(),
            30000);
        QVERIFY(window_->sliceView()->overlayCount() >= 1);  // and in the slices
    }

    void clickingAVoxelOfAPreferringRegionShowsItsCaptionAndPreferredImages() {
        const auto explorer = window_->encodings()->explorer();
        QVERIFY(explorer);
        // The experiment's ground truth: a region, its category, its voxels.
        const auto truthPath = explorer->path().parent_path() / "experiment" / "truth.json";
        QFile file(QString::fromStdString(truthPath.string()));
        QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(file.fileName()));
        const auto truth = QJsonDocument::fromJson(file.readAll()).object();
        const auto region = truth["regions"].toArray().at(0).toObject();
        const QString category = region["category_name"].toString();
        const auto voxels = region["voxels"].toArray();
        QVERIFY(!voxels.isEmpty() && !category.isEmpty());
        const auto ijk = voxels.at(voxels.size() / 2).toArray();
        const Eigen::Vector4d world =
            explorer->model().geometry.affine *
            Eigen::Vector4d(ijk.at(0).toDouble(), ijk.at(1).toDouble(), ijk.at(2).toDouble(), 1);

        // Click it in the axial slice (at its height), as a user would.
        window_->findChild<QDockWidget*>("slices")->raise();
        auto* slices = window_->sliceView();
        QTRY_VERIFY(slices->isVisible() && slices->width() > 200);
        slices->setCursor({world(0) + 20, world(1) + 20, world(2)});  // the voxel's slice
        const auto column = explorer->columnAt({world(0), world(1), world(2)});
        QVERIFY(column.has_value());
        QSignalSpy shown(window_->encodings(), &app::EncodingController::voxelShown);
        const QPointF at = slices->toWidget(2, {world(0), world(1), world(2)});
        QTest::mouseClick(slices, Qt::LeftButton, {}, at.toPoint());
        QTRY_VERIFY_WITH_TIMEOUT(!shown.isEmpty() && shown.last().at(0).toLongLong() == *column,
                                 20000);

        auto* inspector = window_->inspector();
        window_->findChild<QDockWidget*>("inspector")->raise();
        QVERIFY(inspector->currentVoxel().has_value());
        QVERIFY(!inspector->currentUnit());
        // The caption's best concept is the region's category, in the chart and the read-out.
        const auto report = explorer->voxelReport(*column);
        QCOMPARE(QString::fromStdString(
                     explorer->vocabulary().names[std::size_t(report.caption.concepts[0].index)]),
                 category);
        QVERIFY2(window_->statusReadout().contains("SIMULATED voxel") &&
                     window_->statusReadout().contains(category),
                 qPrintable(window_->statusReadout()));
        // Preferred images: the stimuli the voxel is predicted to answer most, mostly its
        // category, with their pictures.
        auto* grid = inspector->grid();
        QCOMPARE(grid->count(), 8);
        const auto& labelNames = window_->encodings()->explorer()->vocabulary().names;
        int ofCategory = 0;
        for (int i = 0; i < grid->count(); ++i) {
            QCOMPARE(grid->row(i), report.caption.preferred[std::size_t(i)]);
            const auto label = grid->label(i);
            ofCategory += label >= 0 && std::size_t(label) < labelNames.size() &&
                          QString::fromStdString(labelNames[std::size_t(label)]) == category;
        }
        QVERIFY2(ofCategory >= 6, qPrintable(QString::number(ofCategory)));
        const QImage panel = window_->grabPanel("inspector");
        panel.save(QDir::temp().filePath("unitscope-test-voxel-inspector.png"));
        const QRect gridArea(grid->mapTo(inspector, QPoint(0, 0)),
                             grid->size().boundedTo(QSize(panel.width(), 200)));
        QVERIFY2(distinctColours(panel, gridArea.intersected(panel.rect())) > 40,
                 "the preferred stimuli are drawn as pictures");
        auto* chart = inspector->classChart();
        QVERIFY2(barPixels(panel, QRect(chart->mapTo(inspector, QPoint(0, 0)), chart->size())
                                      .intersected(panel.rect())) > 20,
                 "the caption's concepts are charted");
        // The treemap is coloured by the voxel's predicted response.
        auto* treemap = window_->treemap()->view();
        QVERIFY(treemap->valueLabel().contains("predicted response"));
        QVERIFY(treemap->colour() == widgets::TreemapColour::UnitActivation);
    }

    void aWeightedUnitOfTheVoxelShowsItsWeightMapOnTheSurface() {
        auto* inspector = window_->inspector();
        QVERIFY(inspector->currentVoxel());
        window_->findChild<QDockWidget*>("brain")->raise();
        auto* brain = window_->brainView();
        QTRY_VERIFY(brain->isVisible());
        const QImage before = brain->grabFramebuffer();
        QSignalSpy mapped(window_->encodings(), &app::EncodingController::unitMapShown);
        QSignalSpy overlay(window_->brain(), &app::BrainController::overlayShown);
        auto* list = inspector->similarList();
        QVERIFY(list->count() >= 5);
        const qint64 unit = list->item(0)->data(Qt::UserRole).toLongLong();
        QTest::mouseClick(list->viewport(), Qt::LeftButton, {},
                          list->visualItemRect(list->item(0)).center());
        QTRY_VERIFY_WITH_TIMEOUT(!mapped.isEmpty() && !overlay.isEmpty(), 30000);
        QCOMPARE(window_->selection()->unit()->layer, std::string("relu3"));
        QCOMPARE(window_->selection()->unit()->index, unit);
        QTRY_VERIFY_WITH_TIMEOUT(inspector->currentUnit().has_value(), 20000);
        const auto& layers = window_->brain()->layers().layers();
        const QString weights = QString("weights-relu3-%1.nii.gz").arg(unit);
        QVERIFY(!layers.empty());
        QVERIFY2(QString::fromStdString(layers.front().path).endsWith(weights),
                 qPrintable(QString::fromStdString(layers.front().path)));
        // The map is a diverging overlay on the surface: the frame changes and shows both signs.
        const QImage after = brain->grabFramebuffer();
        after.save(QDir::temp().filePath("unitscope-test-unit-weight-map.png"));
        QVERIFY2(changedFraction(before, after) > 0.01,
                 qPrintable(QString::number(changedFraction(before, after))));
        // Another unit replaces the map rather than piling up layers.
        const std::size_t count = layers.size();
        mapped.clear();
        overlay.clear();
        window_->selection()->setUnit(analysis::UnitRef{"relu3", (unit + 1) % 128});
        QTRY_VERIFY_WITH_TIMEOUT(!mapped.isEmpty() && !overlay.isEmpty(), 30000);
        QCOMPARE(window_->brain()->layers().layers().size(), count);
    }

    void visualiseDrivesTheVoxelsPredictedResponse() {
        // Back to the voxel, then Visualise from the inspector's strip.
        auto* inspector = window_->inspector();
        QSignalSpy shown(window_->encodings(), &app::EncodingController::voxelShown);
        const auto position = *window_->selection()->brainPosition();
        window_->selection()->setBrainPosition(std::array<double, 3>{0, 0, 0});
        window_->selection()->setBrainPosition(position);
        QTRY_VERIFY_WITH_TIMEOUT(!shown.isEmpty() && inspector->currentVoxel(), 20000);
        auto* controller = window_->visualisations();
        auto settings = controller->settings();
        const auto saved = settings;
        settings.steps = 64;
        settings.images = 1;
        controller->setSettings(settings);
        QSignalSpy finished(controller, &app::VisualisationController::finished);
        Q_EMIT inspector->visualisations()->visualiseRequested();
        QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 120000);
        const auto& record = controller->records().back();
        QCOMPARE(QString::fromStdString(record.label), *inspector->currentVoxel());
        QVERIFY(QString::fromStdString(record.objective).contains("*channel:relu3:"));
        QVERIFY(!record.unit);
        QVERIFY(record.objectiveCurve.back() > record.objectiveCurve.front());
        // And the atlas region under the cursor (Analysis menu), by its R2-weighted weights.
        finished.clear();
        window_->encodings()->visualiseRegionAtCursor();
        QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 120000);
        controller->setSettings(saved);
        const auto& region = controller->records().back();
        QVERIFY2(QString::fromStdString(region.label).startsWith("region "), region.label.c_str());
        QVERIFY(region.objectiveCurve.back() > region.objectiveCurve.front());
    }

    void aSurfaceModelsVertexIsShownFromTheSurface() {
        // A per-vertex model of the shown surface (20 fitted vertices, random weights over
        // relu3), written as the fit writes one; then a click at a fitted vertex shows it.
        auto* brain = window_->brain();
        const auto vertexCount = brain->surfaceVertexCount();
        QVERIFY(vertexCount > 1000);
        const auto positions = window_->brainView()->scene().worldVertices();
        const auto previous = window_->encodings()->explorer()->path();
        const std::string storePath = window_->models()->store()->path;
        const auto features = analysis::ActivationStore::open(storePath).layer("relu3").units;
        analysis::EncodingInfo info;
        info.features = storePath;
        info.layer = "relu3";
        info.pooling = "mean";
        info.betas = "betas.func.gii";
        analysis::ResponseGeometry geometry;
        geometry.surface = true;
        geometry.vertexCount = vertexCount;
        for (std::int64_t i = 0; i < 20; ++i)
            geometry.vertices.push_back(i * (vertexCount / 20) + 7);
        static QTemporaryDir dir;
        const QString path = dir.filePath("surface-encoding.h5");
        {
            analysis::EncodingWriter writer(path.toStdString(), info, geometry, features,
                                            std::vector<double>{1.0}, false);
            analysis::RidgeBatch batch;
            batch.count = 20;
            batch.alphas.assign(20, 1.0);
            batch.cvScores.assign(20, 0.f);
            batch.intercepts.assign(20, 0.f);
            std::mt19937 random(1);
            std::normal_distribution<float> normal;
            batch.weights.resize(std::size_t(20 * features));
            for (auto& w : batch.weights)
                w = normal(random);
            writer.write(batch);
            writer.finish({std::vector<double>(std::size_t(features), 0.0),
                           std::vector<double>(std::size_t(features), 1.0)});
        }
        QSignalSpy opened(window_->encodings(), &app::EncodingController::modelOpened);
        window_->encodings()->openEncoding(path);
        QTRY_VERIFY_WITH_TIMEOUT(!opened.isEmpty(), 60000);
        QSignalSpy shown(window_->encodings(), &app::EncodingController::voxelShown);
        const auto at = [&](std::int64_t vertex) {
            const auto i = std::size_t(vertex) * 3;
            return std::array<double, 3>{positions[i], positions[i + 1], positions[i + 2]};
        };
        const auto target = geometry.vertices[3];
        window_->selection()->setBrainPosition(at(target));
        QTRY_VERIFY_WITH_TIMEOUT(!shown.isEmpty(), 20000);
        QCOMPARE(shown.last().at(0).toLongLong(), qint64(3));
        QCOMPARE(*window_->inspector()->currentVoxel(), QString("vertex %1").arg(target));
        // An unfitted vertex shows nothing new.
        shown.clear();
        window_->selection()->setBrainPosition(at(target + 1));
        QTest::qWait(500);
        QVERIFY(shown.isEmpty());
        QCOMPARE(*window_->inspector()->currentVoxel(), QString("vertex %1").arg(target));
        // Back to the demo's experiment for the tests that follow.
        opened.clear();
        window_->encodings()->openEncoding(QString::fromStdString(previous.string()));
        QTRY_VERIFY_WITH_TIMEOUT(!opened.isEmpty(), 60000);
        removeMapsOf(path);
    }

    void theFitDialogsRequestFitsAndOpensTheModel() {
        // The demo experiment's betas, mask and rows, through the dialog's fields.
        const auto previous = window_->encodings()->explorer()->path();
        const QDir experiment(QString::fromStdString(
            std::filesystem::path(window_->encodings()->explorer()->model().info.betas)
                .parent_path()
                .string()));
        widgets::EncodingFitDialog dialog(*window_->models()->store(), window_);
        const auto field = [&](const char* name) {
            auto* edit = dialog.findChild<QLineEdit*>(name);
            if (!edit) qFatal("no field %s", name);
            return edit;
        };
        field("betas")->setText(experiment.filePath("betas.nii.gz"));
        QCOMPARE(field("out")->text(), experiment.filePath("encoding.h5"));  // beside the betas
        static QTemporaryDir dir;
        field("out")->setText(dir.filePath("refit.h5"));
        field("mask")->setText(experiment.filePath("mask.nii.gz"));
        field("rows")->setText(experiment.filePath("stimuli.txt"));
        dialog.findChild<QComboBox*>("layer")->setCurrentText("relu3");
        field("alphas")->setText("bad");
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, dialog.request());
        field("alphas")->setText("1e-1:1e4:6");
        const auto request = dialog.request();
        QCOMPARE(request.features, window_->models()->store()->path + ":relu3");
        QCOMPARE(request.ridge.alphas.size(), std::size_t(6));
        QCOMPARE(request.ridge.folds, 5);
        QCOMPARE(request.testFraction, 0.2);
        QVERIFY(request.mask && request.rows && !request.map);
        QSignalSpy opened(window_->encodings(), &app::EncodingController::modelOpened);
        QSignalSpy failed(window_->encodings(), &app::EncodingController::failed);
        window_->encodings()->fit(request);
        QTRY_VERIFY_WITH_TIMEOUT(!opened.isEmpty() || !failed.isEmpty(), 120000);
        QVERIFY2(failed.isEmpty(), failed.isEmpty() ? "" : qPrintable(failed[0][1].toString()));
        const auto refit = window_->encodings()->explorer();
        QCOMPARE(QString::fromStdString(refit->path().string()), dir.filePath("refit.h5"));
        QCOMPARE(refit->model().alphaGrid.size(), std::size_t(6));
        QVERIFY(refit->model().hasTestScores() && refit->simulated());
        // Back to the demo's model for the tests that follow.
        opened.clear();
        window_->encodings()->openEncoding(QString::fromStdString(previous.string()));
        QTRY_VERIFY_WITH_TIMEOUT(!opened.isEmpty(), 60000);
        removeMapsOf(dir.filePath("refit.h5"));
    }

    void anAtlasOpenedLaterCaptionsTheRegionsWithoutReadingTheModelAgain() {
        const auto before = window_->encodings()->explorer();
        QVERIFY(before && !before->regions().empty());
        QSignalSpy captioned(window_->encodings(), &app::EncodingController::regionsCaptioned);
        QSignalSpy opened(window_->encodings(), &app::EncodingController::modelOpened);
        window_->brain()->openAtlas(
            QString::fromStdString(us::analysis::demoBrainFiles().atlas.string()));
        QTRY_VERIFY_WITH_TIMEOUT(!captioned.isEmpty(), 60000);
        QVERIFY(opened.isEmpty());
        const auto after = window_->encodings()->explorer();
        QVERIFY(after != before && after->path() == before->path());
        QCOMPARE(after->regions().size(), before->regions().size());
        for (std::size_t i = 0; i < after->regions().size(); ++i) {
            QCOMPARE(after->regions()[i].name, before->regions()[i].name);
            QCOMPARE(after->regions()[i].weights, before->regions()[i].weights);
        }
    }

  private:
    // The brain layers an encoding model other than the demo's left behind (its maps),
    // removed once every job has ended, so that the tests that follow see the demo's state.
    void removeMapsOf(const QString& modelPath) {
        QTRY_VERIFY_WITH_TIMEOUT(jobs_.activeCount() == 0, 60000);
        const std::string dir =
            "/encoding-maps/" + analysis::sha256File(modelPath.toStdString()).substr(0, 16) + "/";
        auto& layers = window_->brain()->layers();
        std::vector<render::LayerId> stale;
        for (const auto& layer : layers.layers())
            if (layer.path.find(dir) != std::string::npos) stale.push_back(layer.id);
        for (auto id : stale)
            layers.remove(id);
    }

    app::JobRunner& jobs_;
    app::MainWindow* window_;
};

}  // namespace

int runEncodingTests(DemoWindow& demo, const QStringList& arguments) {
    EncodingTest test(demo);
    return QTest::qExec(&test, arguments);
}

}  // namespace us::test

#include "encoding_test.moc"
