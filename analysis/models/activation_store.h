#pragma once
// The activation store: pooled activations of chosen layers for every stimulus, in HDF5.
//
// Layout (a contract; tests and other tools read it):
//   /                      attrs format="unitscope-activations", version_major, version_minor,
//                          model_path, model_sha256, input_shape [C,H,W], input_mean, input_std,
//                          preprocessing, stimuli_path, stimuli_kind
//   /stimuli               attr count; datasets labels int32 [N] (when known), label_names,
//                          names (strings [N]), source_index int64 [N], skipped (strings)
//   /layers/<dotted name>  attrs type, output_shape; datasets mean, max float32 [N, units]
//                          ('/' in a name is stored as "%2F", '%' as "%25"); concept layers
//                          ("relu3/nmf-8") add directions float32 [K, source units] and attrs
//                          source_layer, method
//   /outputs/predicted     int32 [N], the argmax of a 2-D model output (when it is one)
// Datasets are chunked and deflate-compressed; rows stream in batches.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "analysis/core/atomic_file.h"
#include "analysis/core/float_array.h"
#include "analysis/models/script_model.h"

namespace us::analysis {

inline constexpr const char* kActivationFormatName = "unitscope-activations";
inline constexpr int kActivationFormatMajor = 1;
inline constexpr int kActivationFormatMinor = 1;  // 1.1: /outputs/label_names

struct StoreProvenance {
    std::string modelPath;
    std::string modelSha256;
    std::vector<std::int64_t> inputShape;
    std::vector<float> inputMean;
    std::vector<float> inputStd;
    std::string preprocessing;
    std::string stimuliPath;
    std::string stimuliKind;
    std::vector<std::string> outputLabels;  // the model's class names (sidecar), may be empty
};

struct StoreLayer {
    std::string name;
    std::string type;
    std::vector<std::int64_t> outputShape;  // without batch
    std::int64_t units = 0;
};

struct StoreStimuli {
    std::vector<std::int32_t> labels;  // empty or one per stored row
    std::vector<std::string> labelNames;
    std::vector<std::string> names;
    std::vector<std::int64_t> sourceIndex;
    std::vector<std::string> skipped;
};

// Writes to a temporary file beside the target; finish() commits it. Destroyed before
// finish() (error, cancel) it leaves nothing behind.
class ActivationStoreWriter {
  public:
    ActivationStoreWriter(const std::filesystem::path& path, const StoreProvenance& provenance,
                          const std::vector<StoreLayer>& layers, bool withPredictions);
    ~ActivationStoreWriter();
    ActivationStoreWriter(const ActivationStoreWriter&) = delete;
    ActivationStoreWriter& operator=(const ActivationStoreWriter&) = delete;

    // One entry per layer, each [rows, units]; predictions has rows entries when enabled.
    void append(const std::vector<PooledActivations>& rows,
                const std::vector<std::int32_t>& predictions = {});
    void finish(const StoreStimuli& stimuli);
    // A further dataset in a layer's group (not mean or max), and a string attribute on it.
    void addLayerArray(const std::string& layer, const std::string& dataset,
                       const FloatArray& values);
    void addLayerAttribute(const std::string& layer, const std::string& name,
                           const std::string& value);
    std::int64_t rowCount() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

enum class Pooling { Mean, Max };

// Read access. Opening checks format and version; throws std::runtime_error with a clear
// message for anything else.
class ActivationStore {
  public:
    static ActivationStore open(const std::filesystem::path& path);
    ActivationStore(ActivationStore&&) noexcept;
    ActivationStore& operator=(ActivationStore&&) noexcept;
    ~ActivationStore();

    const std::filesystem::path& path() const;
    std::int64_t count() const;
    const std::vector<StoreLayer>& layers() const;
    const StoreLayer& layer(const std::string& name) const;  // throws with nearest names
    const StoreStimuli& stimuli() const;
    const StoreProvenance& provenance() const;
    const std::vector<std::int32_t>& predictions() const;  // empty when not stored

    // One unit's activation across all stimuli.
    std::vector<float> unitColumn(const std::string& layer, std::int64_t unit,
                                  Pooling pooling = Pooling::Mean) const;
    // A whole layer, [count, units] row-major.
    FloatArray layerMatrix(const std::string& layer, Pooling pooling = Pooling::Mean) const;
    // A further dataset of a layer's group (such as a concept layer's directions), if present.
    std::optional<FloatArray> layerArray(const std::string& layer,
                                         const std::string& dataset) const;
    // A string attribute of a layer's group; empty when absent.
    std::string layerAttribute(const std::string& layer, const std::string& name) const;

  private:
    struct Impl;
    explicit ActivationStore(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

// SHA-256 of a file's bytes, lower-case hex.
std::string sha256File(const std::filesystem::path& path);

}  // namespace us::analysis
