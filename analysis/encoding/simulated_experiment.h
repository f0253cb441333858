#pragma once
// A simulated fMRI experiment with known answers (labelled SIMULATED wherever it appears): on
// the Colin27 brain resampled to a coarser grid, chosen AAL regions prefer one stimulus class
// each; a voxel's weights are its class's direction in a layer's feature space plus
// voxel-specific variation, its responses the centred features through those weights plus
// noise at the chosen SNR; every other brain voxel is noise.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <string>

#include "analysis/core/job_context.h"
#include "analysis/models/activation_store.h"

namespace us::analysis {

struct SimulationSettings {
    std::string layer;
    Pooling pooling = Pooling::Mean;
    double snr = 1;   // variance of the signal over variance of the noise
    int regions = 4;  // preferring regions, each with its own class where possible
    std::uint64_t seed = 0;
    int voxelSize = 2;            // millimetres: every voxelSize-th voxel of the 1 mm template
    std::int64_t stimuli = 1000;  // the first stimuli of the store (0: all)
    double variation = 0.5;       // norm of a voxel's own weight deviation (its class's is 1)
};

// Writes into outDir: betas.nii.gz (4-D int16 with scaling, one volume per stimulus, descrip
// "SIMULATED ..."), mask.nii.gz, stimuli.txt (the stimulus names in volume order) and
// truth.json ({"simulated": true, "regions": [{"label", "name", "category", "category_name",
// "voxels": [[i, j, k], ...]}], ...}). Returns the report. Throws std::runtime_error; the store
// needs class labels. Outputs appear only when all are written.
nlohmann::ordered_json simulateExperiment(const ActivationStore& store,
                                          const SimulationSettings& settings,
                                          const std::filesystem::path& outDir,
                                          const JobContext& job = {});

}  // namespace us::analysis
