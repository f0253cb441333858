#pragma once
// The session document: everything needed to reopen Unitscope where the user left it.
// Stored as HDF5 (see README, "Session file"); reading and writing live in session_file.h.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace us::analysis {

// One input the user loaded. kind is e.g. "brain-surface", "atlas", "model", "stimuli",
// "activations". sha256 identifies the file's content where it matters (may be empty).
struct DataSource {
    std::string kind;
    std::string path;
    std::string sha256;
    bool operator==(const DataSource&) const = default;
};

// A unit is (layer, channel) for conv outputs and (layer, index) for vectors.
struct UnitRef {
    std::string layer;
    std::int64_t index = 0;
    bool operator==(const UnitRef&) const = default;
};

struct Session {
    bool demo = false;
    std::vector<DataSource> sources;
    std::optional<UnitRef> selectedUnit;
    // Opaque window layout blobs (QMainWindow::saveGeometry / saveState).
    std::vector<std::uint8_t> windowGeometry;
    std::vector<std::uint8_t> windowState;
    std::vector<std::string> openPanels;
    std::string currentPanel;
    // Per-view numeric state, e.g. "brain.camera" -> position, focal point, view-up.
    std::map<std::string, std::vector<double>> viewStates;

    bool operator==(const Session&) const = default;
};

}  // namespace us::analysis
