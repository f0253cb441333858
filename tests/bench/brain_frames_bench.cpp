// Benchmark (not a test): milliseconds per brain-view frame at 1280x800 while the camera
// rotates, measured on the frame plus its read-back (grabFramebuffer), so that the GPU (Mesa
// llvmpipe under Xvfb) has really finished. Prints JSON.

#include <vtkCamera.h>
#include <QApplication>
#include <QElapsedTimer>
#include <QStandardPaths>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <numeric>
#include <vector>

#include "analysis/demo/demo_data.h"
#include "app/gui_startup.h"
#include "render/brain/brain_model.h"
#include "tests/bench/peer_process.h"
#include "widgets/brain/brain_view.h"

int main(int argc, char** argv) {
    us::app::prepareGuiProcess();
    QApplication app(argc, argv);
    us::app::identifyApplication();
    const int frames = argc > 1 ? std::max(1, std::atoi(argv[1])) : 50;

    const auto files = us::analysis::demoBrainFiles();
    const std::filesystem::path cache =
        QStandardPaths::writableLocation(QStandardPaths::CacheLocation).toStdString();
    QElapsedTimer load;
    load.start();
    auto model = us::render::loadBrainModel({files.anatomy, files.atlas, files.atlasNames}, cache,
                                            us::analysis::JobContext());
    const qint64 loadMs = load.elapsed();

    us::widgets::BrainView view;
    view.resize(1280, 800);
    view.show();
    view.setModel(std::move(model), "benchmark");
    QElapsedTimer first;
    first.start();
    view.grabFramebuffer();
    const double firstMs = first.nsecsElapsed() / 1e6;

    std::vector<double> times;
    for (int i = 0; i < frames; ++i) {
        view.scene().renderer()->GetActiveCamera()->Azimuth(360.0 / frames);
        QElapsedTimer t;
        t.start();
        const QImage image = view.grabFramebuffer();
        times.push_back(t.nsecsElapsed() / 1e6);
        if (image.isNull()) return 1;
    }
    std::sort(times.begin(), times.end());
    const double mean = std::accumulate(times.begin(), times.end(), 0.0) / times.size();

    // The peer: python3-vtk9 rendering the same cached mesh, in the same run.
    double peerMean = -1;
    for (const auto& entry : std::filesystem::directory_iterator(cache))
        if (entry.path().extension() == ".vtp") {
            try {
                peerMean =
                    us::bench::runPeer(
                        us::bench::pythonPeer(
                            "vtk_frames_peer.py",
                            "'" + entry.path().string() + "' " +
                                std::to_string(int(view.width() * view.devicePixelRatioF())) + " " +
                                std::to_string(int(view.height() * view.devicePixelRatioF())) +
                                " " + std::to_string(frames)))
                        .at("mean_ms")
                        .get<double>();
            } catch (const std::exception& error) {
                std::fprintf(stderr, "python3-vtk9 peer: %s\n", error.what());
            }
            break;
        }
    std::printf(
        "{\"triangles\": %zu, \"size\": [%d, %d], \"mesh_load_ms\": %lld, \"first_frame_ms\": "
        "%.1f, "
        "\"frames\": %d, \"mean_ms\": %.1f, \"median_ms\": %.1f, \"min_ms\": %.1f, \"max_ms\": "
        "%.1f, \"python3_vtk9_mean_ms\": %.1f, \"ratio_to_vtk9\": %.2f}\n",
        view.scene().triangleCount(), static_cast<int>(view.width() * view.devicePixelRatioF()),
        static_cast<int>(view.height() * view.devicePixelRatioF()), static_cast<long long>(loadMs),
        firstMs, frames, mean, times[times.size() / 2], times.front(), times.back(), peerMean,
        peerMean > 0 ? mean / peerMean : -1.0);
    return 0;
}
