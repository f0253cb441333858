#pragma once
// A user's TorchScript model, with any module's output tapped. Torch stays inside
// script_model.cpp; callers see plain C++ (see ARCHITECTURE.md).
//
// Must be used from one thread at a time (the worker thread that runs models).

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "analysis/core/float_array.h"
#include "analysis/models/layer_info.h"

namespace us::analysis {

// Spatially pooled activations of one layer for a batch: [batch, units] each. For conv
// outputs (N, C, ...) units are channels and the pools run over the remaining dimensions;
// for vectors (N, F) both pools are the vector itself.
struct PooledActivations {
    FloatArray mean;
    FloatArray max;
};

class ScriptModel {
  public:
    // Loads onto the CPU. Throws std::runtime_error ("not a TorchScript file ...") on failure.
    static ScriptModel load(const std::filesystem::path& path);
    ScriptModel(ScriptModel&&) noexcept;
    ScriptModel& operator=(ScriptModel&&) noexcept;
    ~ScriptModel();

    const std::filesystem::path& path() const;
    // Every submodule's dotted name, in definition order (e.g. "layer4.1.conv2").
    std::vector<std::string> moduleNames() const;
    // Every submodule with its type and its output shape (without batch) for this input
    // shape (C, H, W), from one forward pass of a zero image. A module whose output is not a
    // tensor, or that forward never calls, has an empty outputShape.
    std::vector<LayerInfo> describeLayers(const std::vector<std::int64_t>& inputShape) const;

    // Throws std::invalid_argument naming the unknown layer and the nearest existing names.
    void checkLayerNames(const std::vector<std::string>& layers) const;

    // Runs a batch (N x C x H x W floats) and returns the chosen layers' outputs, in order.
    std::vector<FloatArray> run(const FloatArray& batch, const std::vector<std::string>& layers);
    // As run(), pooled per unit; also the model's own output when modelOutput is given.
    std::vector<PooledActivations> runPooled(const FloatArray& batch,
                                             const std::vector<std::string>& layers,
                                             FloatArray* modelOutput = nullptr);
    // The model's own output (e.g. logits) for a batch.
    FloatArray runOutput(const FloatArray& batch);

    // The torch-side state (analysis/models/script_graph.h), for torch translation units.
    struct Impl;
    Impl& internals() { return *impl_; }

  private:
    explicit ScriptModel(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

}  // namespace us::analysis
