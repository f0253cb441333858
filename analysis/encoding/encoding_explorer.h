#pragma once
// A fitted encoding model opened for exploring, as the window uses it: the store's stimuli in
// the model's feature space, its concept vocabulary (the stimuli's classes) and, for volume
// models, the atlas regions' captions. It answers which fitted voxel lies under a brain
// position, what a voxel is (caption, preferred stimuli, held-out scores, most weighted units,
// its region), a unit's weight over the brain, and the activation-maximisation objective that
// drives a voxel's predicted response. Immutable once opened: safe to share across threads.

#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "analysis/brain/atlas.h"
#include "analysis/core/job_context.h"
#include "analysis/encoding/voxel_captions.h"

namespace us::analysis {

struct WeightedUnit {
    std::int64_t unit = 0;  // the feature, a unit of the model's layer
    float weight = 0;       // in the fitted feature space (per standard deviation if standardised)
};

struct VoxelReport {
    std::int64_t column = 0;                           // the model's voxel or vertex column
    std::optional<std::array<std::int64_t, 3>> voxel;  // volume models
    std::optional<std::int64_t> vertex;                // surface models
    std::array<double, 3> world{};                     // the voxel's centre, mm (volume models)
    std::optional<float> testR2, testR;
    double alpha = 0;
    Caption caption;                      // concepts best first; preferred store rows
    std::vector<float> preferredValues;   // predicted response of each preferred stimulus
    std::vector<WeightedUnit> units;      // largest |weight| first
    std::vector<float> predicted;         // predicted response for every store row
    std::optional<RegionCaption> region;  // the atlas region it lies in, with its caption
};

class EncodingExplorer {
  public:
    // Reads encoding.h5 and the activation store it was fitted on (`store` overrides the path
    // the model records), builds the class vocabulary (empty when the stimuli have no
    // classes), and with an atlas captions its regions.
    // Throws std::runtime_error with one clear message.
    static std::shared_ptr<const EncodingExplorer> open(
        const std::filesystem::path& encoding, const std::optional<std::filesystem::path>& store,
        const std::optional<Atlas>& atlas, const CaptionSettings& settings,
        const JobContext& job = {});

    // The same model and features with the regions of another atlas captioned (volume
    // models; a surface model comes back unchanged): what a newly opened atlas needs, without
    // reading the model and the store again.
    std::shared_ptr<const EncodingExplorer> withAtlas(const Atlas& atlas,
                                                      const JobContext& job = {}) const;

    const EncodingModel& model() const { return model_; }
    const std::filesystem::path& path() const { return path_; }
    const std::filesystem::path& storePath() const { return storePath_; }
    const ConceptVocabulary& vocabulary() const { return vocabulary_; }
    const std::vector<RegionCaption>& regions() const { return regions_; }
    const CaptionSettings& settings() const { return settings_; }
    bool simulated() const;

    // The fitted voxel whose grid cell holds the world point (volume models), else nullopt.
    std::optional<std::int64_t> columnAt(const std::array<double, 3>& worldMm) const;
    // The column of a fitted vertex of the surface the model was fitted on (surface models),
    // else nullopt.
    std::optional<std::int64_t> columnOfVertex(std::int64_t vertex) const;
    VoxelReport voxelReport(std::int64_t column, int unitCount = 10) const;
    // A region's caption by atlas label, when it holds fitted voxels.
    const RegionCaption* region(int label) const;
    // The unit's weight in every voxel (per column); throws std::out_of_range.
    std::vector<float> unitWeights(std::int64_t unit) const;
    // Predicted response of a weight vector (features) for every store row, intercept included.
    std::vector<float> predict(const float* weights, float intercept) const;
    // An objective whose maximum is the voxel's predicted response: the weighted sum of the
    // layer's channels (their spatial means), each weight brought back to raw activations.
    std::string voxelObjective(std::int64_t column) const;
    std::string regionObjective(int label) const;

  private:
    std::filesystem::path path_, storePath_;
    EncodingModel model_;
    FeatureMatrix features_;  // store rows x features, in the fitted space
    ConceptVocabulary vocabulary_;
    std::optional<Atlas> atlas_;
    std::vector<RegionCaption> regions_;
    CaptionSettings settings_;
    std::vector<std::int32_t> columnOfCell_;    // grid cell (file order) -> column, -1 outside
    std::vector<std::int32_t> columnOfVertex_;  // surface vertex -> column, -1 unfitted
};

}  // namespace us::analysis
