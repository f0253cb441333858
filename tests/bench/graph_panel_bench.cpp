// Benchmark (not a test): the attribution-graph panel at scale. A random language-model-like
// graph (20 layers x 10 token positions, 10,000 nodes, 100,000 links) drawn at 1280x800 while
// panning (target: under 16 ms a frame; the figures include a frame read-back, whose cost
// alone is printed as grab_overhead_ms), re-pruned as the slider does (target: under 50 ms),
// and a 100 MB circuit-tracer JSON opened (target: under 3 s). Prints JSON.
// usage: bench_graph_panel [FRAMES]
#include <QApplication>
#include <QElapsedTimer>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <numeric>
#include <random>

#include "analysis/attribution/graph_display.h"
#include "app/gui_startup.h"
#include "widgets/graph/graph_view.h"

namespace {

using namespace us::analysis;

GraphNode node(const std::string& id, const char* type, const std::string& layer, int column) {
    GraphNode n;
    n.id = id;
    n.featureType = type;
    n.fields = OrderedJson{{"node_id", id},
                           {"layer", layer},
                           {"ctx_idx", column},
                           {"feature_type", type},
                           {"clerp", "feature " + id}};
    if (std::string(type) == kLogitNode) n.tokenProb = 1, n.isTargetLogit = true;
    return n;
}

// Nodes in bands; each link goes from an earlier band to a later one.
AttributionGraph randomGraph(int nodesWanted, std::size_t linksWanted, std::uint32_t seed) {
    std::mt19937 rng(seed);
    AttributionGraph graph;
    constexpr int kLayers = 20, kColumns = 10;
    std::vector<std::vector<std::size_t>> bands(kLayers + 2);
    for (int c = 0; c < kColumns; ++c) {
        bands[0].push_back(graph.nodes.size());
        graph.nodes.push_back(node("E_" + std::to_string(c), kInputNode, "E", c));
    }
    const int perLayer = (nodesWanted - kColumns - 1) / kLayers;
    for (int l = 0; l < kLayers; ++l)
        for (int f = 0; f < perLayer; ++f) {
            bands[std::size_t(l + 1)].push_back(graph.nodes.size());
            graph.nodes.push_back(node(
                std::to_string(l) + "_" + std::to_string(f) + "_" + std::to_string(f % kColumns),
                kFeatureNode, std::to_string(l), f % kColumns));
        }
    bands[kLayers + 1].push_back(graph.nodes.size());
    graph.nodes.push_back(node("L_0", kLogitNode, std::to_string(kLayers + 1), kColumns - 1));
    std::normal_distribution<double> weight;
    while (graph.links.size() < linksWanted) {
        const auto a = rng() % (bands.size() - 1);
        const auto b = a + 1 + rng() % std::min<std::size_t>(3, bands.size() - 1 - a);
        GraphLink link;
        link.source = bands[a][rng() % bands[a].size()];
        link.target = bands[b][rng() % bands[b].size()];
        link.weight = weight(rng);
        graph.links.push_back(std::move(link));
    }
    return graph;
}

template <typename F>
std::vector<double> timesOf(int repeats, F&& work) {
    std::vector<double> times;
    for (int i = 0; i < repeats; ++i) {
        QElapsedTimer t;
        t.start();
        work(i);
        times.push_back(double(t.nsecsElapsed()) / 1e6);
    }
    std::sort(times.begin(), times.end());
    return times;
}

double mean(const std::vector<double>& v) {
    return std::accumulate(v.begin(), v.end(), 0.0) / double(v.size());
}

}  // namespace

int main(int argc, char** argv) {
    us::app::prepareGuiProcess();
    QApplication app(argc, argv);
    const int frames = argc > 1 ? std::max(1, std::atoi(argv[1])) : 60;

    auto graph = std::make_shared<const AttributionGraph>(randomGraph(10000, 100000, 5));
    const auto prune = timesOf(5, [&](int) { pruneGraph(*graph, {0.8, 0.98}); });
    const auto pruned = pruneGraph(*graph, {0.8, 0.98});
    std::vector<double> display;
    us::render::GraphScene scene;
    display = timesOf(
        5, [&](int) { scene.display = displayGraph(*graph, graphEdits(*graph), nullptr, {}); });
    scene.graph = graph;
    scene.title = "bench";

    us::widgets::GraphView view;
    view.resize(1280, 800);
    view.show();
    view.canvas().setMode(us::render::CanvasMode::Graph);
    view.canvas().plot().setScene(scene, true);
    view.grabFramebuffer();  // first frame: fit, font atlas
    const auto fitted = view.canvas().plot().viewState();
    // The panel adapts how many links it draws to the frame time: the first frames of a view
    // are its adaptation (reported apart), the rest its steady state.
    constexpr int kAdaptation = 15;
    std::vector<std::size_t> linksDrawn;
    const auto panFrames = [&](double zoom) {
        timesOf(kAdaptation, [&](int i) {
            view.canvas().plot().setViewState({fitted[0] - 3.0 * i, fitted[1], zoom});
            view.grabFramebuffer();
        });
        linksDrawn.push_back(view.canvas().plot().linksDrawn());
        return timesOf(frames, [&](int i) {
            view.canvas().plot().setViewState({fitted[0] + 3.0 * i, fitted[1] + 2.0 * i, zoom});
            view.grabFramebuffer();  // paintGL, then a read-back of the frame
        });
    };
    const auto overview = panFrames(fitted[2]);
    const auto zoomed = panFrames(fitted[2] * 6);
    // What a grab costs by itself (the read-back, Qt's image): the same panel with no graph.
    view.canvas().plot().setScene({}, true);
    const auto baseline = panFrames(1.0);

    // A 100 MB file: 3,000 nodes and links until the JSON passes 100 MB.
    const auto bigPath = std::filesystem::temp_directory_path() / "unitscope-bench-graph.json";
    const auto big = randomGraph(3000, 1450000, 7);
    writeAttributionGraph(bigPath, big);
    const double megabytes = double(std::filesystem::file_size(bigPath)) / 1e6;
    const auto open = timesOf(2, [&](int) { readAttributionGraph(bigPath); });
    std::filesystem::remove(bigPath);

    std::printf(
        "{\"nodes\": %zu, \"links\": %zu, \"shown_nodes\": %zu, \"shown_links\": %zu,\n"
        " \"kept_by_pruning\": %lld,\n"
        " \"frame_ms_overview\": {\"mean\": %.2f, \"p95\": %.2f},\n"
        " \"frame_ms_zoomed\": {\"mean\": %.2f, \"p95\": %.2f},\n"
        " \"grab_overhead_ms\": %.2f, \"links_drawn\": [%zu, %zu],\n"
        " \"prune_ms\": %.1f, \"display_ms\": %.1f,\n"
        " \"open_mb\": %.1f, \"open_s\": %.2f,\n"
        " \"targets\": {\"frame_ms\": 16, \"prune_ms\": 50, \"open_s\": 3}}\n",
        graph->nodes.size(), graph->links.size(), scene.display.nodes.size(),
        scene.display.links.size(),
        static_cast<long long>(std::count(pruned.nodeKept.begin(), pruned.nodeKept.end(), true)),
        mean(overview), overview[std::size_t(0.95 * double(overview.size() - 1))], mean(zoomed),
        zoomed[std::size_t(0.95 * double(zoomed.size() - 1))], mean(baseline), linksDrawn[0],
        linksDrawn[1], mean(prune),
        mean(display),
        megabytes, open.front() / 1000);
    return 0;
}
