// Benchmark (not a test): treemap panel redraw time with about 2,000 visible cells and their
// thumbnails (10,000 random 28x28 "stimuli" clustered by Ward, slice-and-dice, 11 levels),
// at 1280x800. Target: 60 fps, i.e. under 16.7 ms a frame. Prints JSON.
#include <QApplication>
#include <QElapsedTimer>
#include <QPainter>
#include <QPixmap>

#include <algorithm>
#include <cstdio>
#include <numeric>
#include <random>

#include "analysis/clustering/cluster_tree.h"
#include "analysis/clustering/linkage.h"
#include "app/gui_startup.h"
#include "widgets/clusters/treemap_view.h"

int main(int argc, char** argv) {
    us::app::prepareGuiProcess();
    QApplication app(argc, argv);
    const int frames = argc > 1 ? std::max(1, std::atoi(argv[1])) : 60;
    constexpr std::int64_t kItems = 10000, kFeatures = 32;
    std::mt19937 rng(3);
    std::normal_distribution<float> normal;
    us::analysis::FloatArray x{{kItems, kFeatures}, std::vector<float>(kItems * kFeatures)};
    for (auto& v : x.values)
        v = normal(rng);
    std::vector<std::int32_t> labels(kItems);
    for (auto& l : labels)
        l = std::int32_t(rng() % 10);
    auto tree = std::make_shared<const us::analysis::ClusterTree>(us::analysis::buildClusterTree(
        us::analysis::exactLinkage(x, us::analysis::LinkageMethod::Ward, {}), x, labels, labels,
        std::vector<std::string>(10, "class")));
    std::map<std::int64_t, QImage> thumbnails;
    for (std::int64_t i = 0; i < kItems; ++i) {
        QImage image(28, 28, QImage::Format_Grayscale8);
        for (int y = 0; y < 28; ++y)
            for (int px = 0; px < 28; ++px)
                image.scanLine(y)[px] = uchar(rng() % 256);
        thumbnails[i] = image;
    }
    us::widgets::TreemapView view;
    view.resize(1280, 800);
    view.setTiling(us::analysis::TreemapTiling::SliceDice);
    view.setTree(tree, std::move(thumbnails), std::vector<std::string>(kItems, "item"));
    view.setLevels(11);
    view.show();
    QPixmap target(view.size());
    std::vector<double> times;
    int visible = 0;
    for (int i = 0; i < frames; ++i) {
        QElapsedTimer t;
        t.start();
        view.render(&target);  // a full repaint of every cell
        times.push_back(t.nsecsElapsed() / 1e6);
        visible = int(view.cells().size());
    }
    std::sort(times.begin(), times.end());
    const double mean = std::accumulate(times.begin(), times.end(), 0.0) / double(times.size());
    std::printf(
        "{\"benchmark\": \"treemap redraw 1280x800\", \"cells\": %d, "
        "\"thumbnails_drawn\": %d, \"mean_ms\": %.2f, \"median_ms\": %.2f, "
        "\"max_ms\": %.2f, \"fps\": %.1f, \"target_fps\": 60}\n",
        visible, view.thumbnailsDrawn(), mean, times[times.size() / 2], times.back(),
        1000.0 / mean);
    return 0;
}
