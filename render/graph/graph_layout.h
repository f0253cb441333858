#pragma once
// Where the graph panel puts each shown node, in world units (y down, the input band at the
// bottom, the target at the top). Image graphs: one row per band, nodes ordered by
// |attribution| from the left, input patches in patch order. Language-model graphs: as
// circuit-tracer lays them out, one column per token position and one band per layer.

#include <vector>

#include "analysis/attribution/graph_display.h"

namespace us::render {

struct NodePlacement {
    float x = 0, y = 0;
    float radius = 6;  // glyph size, by magnitude within the display
};

struct GraphLayout {
    std::vector<NodePlacement> nodes;                // parallel to GraphDisplay::nodes
    std::vector<float> bandY;                        // per band
    std::vector<float> columnX;                      // per token position (language-model graphs)
    float left = 0, right = 0, top = 0, bottom = 0;  // extent
};

inline constexpr float kBandGap = 110.f;
inline constexpr float kNodePitch = 34.f;
inline constexpr float kPatchSize = 40.f;
inline constexpr float kWidePitch = 3 * kNodePitch;  // logits and supernodes, with labels

GraphLayout layoutGraph(const us::analysis::GraphDisplay& display);

}  // namespace us::render
