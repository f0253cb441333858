#pragma once
// An attribution graph for one input: the input as a grid of patches, the top units of each
// chosen layer by |attribution|, the target; links between consecutive bands by gradient x
// activation (the direct effect of a source on a target).

#include <string>
#include <vector>

#include "analysis/attribution/attribution.h"
#include "analysis/attribution/attribution_graph.h"

namespace us::analysis {

struct GraphRequest {
    AttributionRequest attribution;
    int patches = 4;  // the input as patches x patches nodes
    int top = 32;     // units per layer, by |attribution|
    // Provenance for the metadata and labels.
    std::string model;
    std::string stimulus;
    std::int64_t stimulusIndex = 0;
    std::vector<std::string> classNames;  // the model's output names, may be empty
};

struct ComputedGraph {
    AttributionGraph graph;
    AttributionResult result;
};

// Throws std::invalid_argument for bad options (see Attributor), a patch grid larger than the
// image, or a top below 1.
ComputedGraph computeAttributionGraph(ScriptModel& model, const FloatArray& input,
                                      const GraphRequest& request, const JobContext& job = {});

// Node ids, as circuit-tracer forms them: "E_{patch}_{patch}" for input patches,
// "{band}_{unit}_0" for units (band 0 = the first chosen layer), "{layers + 1}_{index}_0"
// for the target.
std::string inputNodeId(std::int64_t patch);
std::string unitNodeId(std::size_t band, std::int64_t unit);
std::string targetNodeId(std::size_t layers, std::int64_t index);

}  // namespace us::analysis
