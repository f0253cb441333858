#include "render/graph/graph_layout.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>

namespace us::render {

using us::analysis::DisplayKind;

GraphLayout layoutGraph(const us::analysis::GraphDisplay& display) {
    GraphLayout layout;
    const auto& nodes = display.nodes;
    layout.nodes.resize(nodes.size());
    if (nodes.empty()) return layout;
    int bands = 0;
    double largest = 0;
    for (const auto& node : nodes) {
        bands = std::max(bands, node.band + 1);
        if (node.kind != DisplayKind::Input) largest = std::max(largest, node.magnitude);
    }
    // Only bands that hold a shown node get a row (a pinned subgraph stays compact); the
    // others have no position (NaN).
    std::vector<bool> used(std::size_t(bands), false);
    for (const auto& node : nodes)
        used[std::size_t(node.band)] = true;
    const auto rows = std::count(used.begin(), used.end(), true);
    layout.bandY.assign(std::size_t(bands), std::numeric_limits<float>::quiet_NaN());
    for (int b = 0, row = 0; b < bands; ++b)
        if (used[std::size_t(b)]) layout.bandY[std::size_t(b)] = float(rows - 1 - row++) * kBandGap;
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        const auto& node = nodes[i];
        auto& place = layout.nodes[i];
        place.y = layout.bandY[std::size_t(node.band)];
        if (node.kind == DisplayKind::Input)
            place.radius = display.languageModel ? 8.f : kPatchSize / 2;
        else if (node.kind == DisplayKind::Supernode)
            place.radius = 14.f;
        else if (node.kind == DisplayKind::Logit)
            place.radius = 9.f;
        else
            place.radius =
                4.f + 10.f * float(largest > 0 ? std::sqrt(node.magnitude / largest) : 0.5);
    }

    // Cells: (band, column); nodes in a cell by magnitude, the largest first.
    std::map<std::pair<int, std::int64_t>, std::vector<std::size_t>> cells;
    for (std::size_t i = 0; i < nodes.size(); ++i)
        cells[{nodes[i].band, display.languageModel ? nodes[i].column : 0}].push_back(i);
    for (auto& [cell, members] : cells)
        std::stable_sort(members.begin(), members.end(), [&](std::size_t a, std::size_t b) {
            if (nodes[a].kind == DisplayKind::Input && nodes[b].kind == DisplayKind::Input)
                return false;  // patches stay in patch order
            return nodes[a].magnitude > nodes[b].magnitude;
        });
    const auto pitchOf = [&](std::size_t i) {
        switch (nodes[i].kind) {
            case DisplayKind::Input: return display.languageModel ? kNodePitch : kPatchSize + 4.f;
            case DisplayKind::Supernode:
            case DisplayKind::Logit: return kWidePitch;
            default: return kNodePitch;
        }
    };
    const auto cellWidth = [&](const std::vector<std::size_t>& members) {
        float width = 0;
        for (auto i : members)
            width += pitchOf(i);
        return width;
    };

    if (!display.languageModel) {
        // Input patches as the image they come from: its grid, top row on the input band.
        int gridColumns = 0;
        for (const auto& node : nodes)
            gridColumns = std::max(gridColumns, node.patchColumn + 1);
        const float patchPitch = kPatchSize + 4.f;
        for (auto& [cell, members] : cells) {
            if (cell.first == 0 && gridColumns > 0) {
                for (auto i : members)
                    if (nodes[i].patchColumn >= 0) {
                        layout.nodes[i].x =
                            (float(nodes[i].patchColumn) - float(gridColumns - 1) / 2) * patchPitch;
                        layout.nodes[i].y += float(nodes[i].patchRow) * patchPitch;
                    }
                continue;
            }
            float x = -cellWidth(members) / 2;
            for (auto i : members) {
                layout.nodes[i].x = x + pitchOf(i) / 2;
                x += pitchOf(i);
            }
        }
    } else {
        // Each column as wide as its widest cell, so that columns line up across bands.
        std::int64_t columns = 0;
        for (const auto& node : nodes)
            columns = std::max(columns, node.column + 1);
        std::vector<float> width(std::size_t(columns), 2 * kNodePitch);
        for (const auto& [cell, members] : cells)
            width[std::size_t(cell.second)] =
                std::max(width[std::size_t(cell.second)], cellWidth(members) + kNodePitch);
        layout.columnX.resize(std::size_t(columns));
        float x = 0;
        for (std::size_t c = 0; c < width.size(); ++c) {
            layout.columnX[c] = x + width[c] / 2;
            x += width[c];
        }
        for (auto& [cell, members] : cells) {
            float at = layout.columnX[std::size_t(cell.second)] - cellWidth(members) / 2;
            for (auto i : members) {
                layout.nodes[i].x = at + pitchOf(i) / 2;
                at += pitchOf(i);
            }
        }
    }
    layout.left = layout.right = layout.nodes[0].x;
    layout.top = layout.bottom = layout.nodes[0].y;
    for (const auto& place : layout.nodes) {
        layout.left = std::min(layout.left, place.x - place.radius);
        layout.right = std::max(layout.right, place.x + place.radius);
        layout.top = std::min(layout.top, place.y - place.radius);
        layout.bottom = std::max(layout.bottom, place.y + place.radius);
    }
    return layout;
}

}  // namespace us::render
