// libFuzzer target for the attribution-graph reader (circuit-tracer's JSON): parse, convert,
// parse the conversion again (it must be accepted and be stable), and prune.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "analysis/attribution/attribution_graph.h"
#include "analysis/attribution/graph_pruning.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        const auto graph = us::analysis::parseAttributionGraph(text, "fuzz.json");
        const auto first = us::analysis::attributionGraphJson(graph);
        const auto again = us::analysis::parseAttributionGraph(first, "converted.json");
        if (us::analysis::attributionGraphJson(again) != first) std::abort();
        try {
            us::analysis::pruneGraph(graph);
        } catch (const std::invalid_argument&) {
        }
    } catch (const std::runtime_error&) {
    }
    return 0;
}
