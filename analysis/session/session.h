#pragma once
// The session document: everything needed to reopen Unitscope where the user left it.
// Stored as HDF5 (see README, "Session file"); reading and writing live in session_file.h.

#include <array>
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

// The one selection every panel follows (see app/core/selection.h): what the user has chosen.
struct SelectionState {
    std::optional<UnitRef> unit;
    std::optional<std::int64_t> stimulus;                // row of the activation store
    std::optional<std::int64_t> cluster;                 // node of the current clustering
    std::vector<std::string> graphNodes;                 // node ids of the current graph
    std::optional<std::array<double, 3>> brainPosition;  // world millimetres
    bool operator==(const SelectionState&) const = default;
};

// The treemap's clustering, made again on reopen (the linkage is deterministic).
struct ClusteringState {
    std::string layer;
    std::string items;   // "stimuli" or "units"
    std::string method;  // ward, average, complete or single
    bool operator==(const ClusteringState&) const = default;
};

// One brain overlay layer: its file and how it is drawn (colour map by name, see render/).
struct BrainLayerState {
    std::string path;
    std::string colourMap = "hot";
    double min = 0, max = 1;
    bool symmetric = false;
    double threshold = 0;
    bool hideBelowThreshold = true;
    double opacity = 1;
    bool visible = true;
    bool operator==(const BrainLayerState&) const = default;
};

// One activation-maximisation result, kept so that reopening shows it without recomputing.
struct VisualisationRecord {
    std::string objective;        // VisualisationObjective::text()
    std::string label;            // what it was made for, e.g. "conv2:5" or "cluster 12 (7 units)"
    std::optional<UnitRef> unit;  // the inspector's unit it belongs to, when it is one unit
    // "single", "diverse", "anchored", or "discriminative": a cluster's image against the
    // other clusters of a units treemap, whose objective names the cluster's units.
    std::string facets;
    int steps = 0;
    int size = 0;
    double learningRate = 0;
    double diversity = 0;
    std::uint64_t seed = 0;
    std::vector<double> objectiveCurve;    // per step
    std::vector<double> finalActivation;   // per image
    std::optional<double> bestNatural;     // the unit's best activation over the store
    std::vector<std::int64_t> imageShape;  // N x C x H x W
    std::vector<float> images;             // in [0, 1]
    // Discriminative images: the image's share of the clusters' softmax for its own cluster,
    // and the mean activation of the cluster it drives most after its own (standardised as
    // finalActivation is).
    std::optional<double> clusterShare;
    std::optional<double> rivalActivation;
    bool operator==(const VisualisationRecord&) const = default;
};

struct Session {
    bool demo = false;
    std::vector<DataSource> sources;
    SelectionState selection;
    std::vector<BrainLayerState> brainLayers;  // bottom first: reopened in this order
    // Opaque window layout blobs (QMainWindow::saveGeometry / saveState).
    std::vector<std::uint8_t> windowGeometry;
    std::vector<std::uint8_t> windowState;
    std::vector<std::string> openPanels;
    std::string currentPanel;
    // The graph panel's attribution graphs, as circuit-tracer JSON with the user's edits
    // (pins, supernodes, labels) in their qParams, and the one shown (-1: none).
    std::vector<std::string> attributionGraphs;
    std::int64_t currentGraph = -1;
    std::vector<VisualisationRecord> visualisations;
    std::optional<ClusteringState> clustering;
    // Per-view numeric state, e.g. "brain.camera" -> position, focal point, view-up.
    std::map<std::string, std::vector<double>> viewStates;

    bool operator==(const Session&) const = default;
};

}  // namespace us::analysis
