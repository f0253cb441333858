// Benchmark (not a test): recolouring a 300,000-vertex overlay when the threshold or the colour
// map changes (the update itself, not the frame), alone and through the brain scene with three
// layers composited (colour bars included). Target: under 16 ms. Prints JSON.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <numeric>
#include <random>
#include <vector>

#include "render/brain/brain_scene.h"
#include "render/brain/surface_model.h"
#include "render/common/colour_map.h"

namespace {

// A grid surface of `rows` x `columns` vertices.
us::analysis::SurfaceMesh gridMesh(int rows, int columns) {
    us::analysis::SurfaceMesh mesh;
    for (int r = 0; r < rows; ++r)
        for (int c = 0; c < columns; ++c)
            mesh.vertices.insert(mesh.vertices.end(), {double(c), double(r), 0.0});
    for (int r = 0; r + 1 < rows; ++r)
        for (int c = 0; c + 1 < columns; ++c) {
            const std::int64_t v = std::int64_t(r) * columns + c;
            mesh.faces.insert(mesh.faces.end(),
                              {v, v + 1, v + columns, v + 1, v + columns + 1, v + columns});
        }
    return mesh;
}

// The i-th style change: cycling colour maps and thresholds.
us::render::OverlayStyle styleFor(int i) {
    constexpr us::render::ColourMapName maps[] = {
        us::render::ColourMapName::Hot, us::render::ColourMapName::Viridis,
        us::render::ColourMapName::Diverging, us::render::ColourMapName::Grey};
    us::render::OverlayStyle style;
    style.map = maps[i % 4];
    style.min = -3;
    style.max = 3;
    style.symmetric = style.map == us::render::ColourMapName::Diverging;
    style.threshold = 0.01 * (i % 100);
    return style;
}

double median(std::vector<double> times) {
    std::sort(times.begin(), times.end());
    return times[times.size() / 2];
}

}  // namespace

int main() {
    constexpr std::size_t kVertices = 300000;
    std::mt19937 rng(1);
    std::normal_distribution<float> normal;
    std::vector<float> values(kVertices);
    for (auto& v : values)
        v = normal(rng);
    std::vector<std::uint8_t> underlay(kVertices), rgb(3 * kVertices);
    for (auto& u : underlay)
        u = std::uint8_t(rng() % 2 ? 110 : 170);
    std::vector<double> times;
    for (int i = 0; i < 200; ++i) {
        const auto style = styleFor(i);
        const auto start = std::chrono::steady_clock::now();
        us::render::recolourOverlay(values.data(), underlay.data(), kVertices, style, rgb.data());
        times.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                .count());
    }
    std::sort(times.begin(), times.end());
    std::printf(
        "{\"benchmark\": \"overlay recolour, 300k vertices\", \"mean_ms\": %.3f, \"median_ms\": "
        "%.3f, "
        "\"max_ms\": %.3f, \"target_ms\": 16, \"checksum\": %d}\n",
        std::accumulate(times.begin(), times.end(), 0.0) / double(times.size()),
        times[times.size() / 2], times.back(), int(rgb[12345]));

    // The same change through the brain scene, with three layers composited.
    us::render::BrainScene scene;
    us::render::BrainLayers layers;
    scene.observeLayers(&layers);
    scene.setModel(us::render::makeSurfaceModel(gridMesh(500, 600), {}, "grid"));
    std::vector<us::render::LayerId> ids;
    for (int layer = 0; layer < 3; ++layer) {
        std::vector<float> layerValues(scene.vertexCount());
        for (auto& v : layerValues)
            v = normal(rng);
        ids.push_back(layers.add({0,
                                  "layer " + std::to_string(layer),
                                  us::render::LayerKind::SurfaceData,
                                  {},
                                  {},
                                  true}));
        scene.setLayerValues(ids.back(), std::move(layerValues));
    }
    std::vector<double> sceneTimes;
    for (int i = 0; i < 100; ++i) {
        const auto style = styleFor(i);
        const auto start = std::chrono::steady_clock::now();
        layers.setStyle(ids[std::size_t(i % 3)], style);
        sceneTimes.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
                .count());
    }
    std::printf(
        "{\"benchmark\": \"brain scene style change, 3 layers, %zu vertices\", "
        "\"median_ms\": %.3f, \"target_ms\": 16}\n",
        scene.vertexCount(), median(sceneTimes));
    return 0;
}
