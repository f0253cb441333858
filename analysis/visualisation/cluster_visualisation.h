#pragma once
// Cluster-discriminative images (the most-discriminative-stimuli method for cell-type
// clustering): for a clustering of a layer's units, one image per cluster that drives that
// cluster's units more than the others', optionally re-clustering the units by the images.

#include <cstdint>
#include <string>
#include <vector>

#include "analysis/visualisation/activation_maximisation.h"

namespace us::analysis {

struct ClusterVisualisationRequest : OptimisationSettings {
    std::string layer;
    // One cluster id per unit (channel) of the layer; a negative id leaves the unit out.
    std::vector<std::int32_t> clusters;
    // Image k maximises log softmax_j(m_j / temperature) at j = k, where m_j is cluster j's mean
    // activation (the mean over its units of their spatial means): cluster k's share.
    double temperature = 1;
    // Optional per-unit standardisation before the clusters' means (a store's mean and
    // standard deviation of each unit over natural stimuli), so that clusters of units with
    // different scales compete fairly; empty: raw activations.
    std::vector<float> unitMean, unitScale;
    // Then reassign each unit to the cluster whose image drives it most and optimise again
    // (from the current images) until no unit moves, at most maxRounds rounds in all.
    bool iterate = false;
    int maxRounds = 10;
};

struct ClusterVisualisationRound {
    std::vector<std::int32_t> clusters;  // per unit, the assignment this round optimised for
    std::vector<double> objective;       // mean log share per step
    std::int64_t moved = 0;              // units reassigned after this round
};

struct ClusterVisualisationResult {
    std::vector<std::int32_t> clusterIds;  // the clusters with units at the end, image order
    FloatArray images;                     // one image per cluster id, N x C x H x W in [0, 1]
    // Per image (rows), every final cluster's mean activation (standardised when the request
    // says so) and share (columns, same order).
    FloatArray clusterMeans;
    FloatArray clusterShares;
    FloatArray unitActivations;          // per image, every unit's spatial mean
    std::vector<std::int32_t> clusters;  // the final assignment per unit
    std::vector<ClusterVisualisationRound> rounds;
    double secondsPerStep = 0;
};

// Throws std::invalid_argument for a bad layer, a clustering of the wrong length or one with
// no cluster.
ClusterVisualisationResult visualiseClusters(ScriptModel& model, const InputSpec& spec,
                                             const ClusterVisualisationRequest& request,
                                             const JobContext& job = {});

}  // namespace us::analysis
