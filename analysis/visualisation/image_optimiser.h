#pragma once
// The optimisation loop every activation-maximisation run shares: the parameterised images,
// the robustness transforms, the model's resize and normalisation, Adam, previews and cancel.
// Internal to analysis/visualisation (torch types).

#include <torch/torch.h>

#include <functional>
#include <vector>

#include "analysis/models/script_graph.h"
#include "analysis/visualisation/activation_maximisation.h"

namespace us::analysis {

struct OptimisedImages {
    at::Tensor images;              // N x C x H x W in [0, 1]
    std::vector<double> objective;  // the mean objective per step
    double secondsPerStep = 0;
};

class ImageOptimiser {
  public:
    // Per-image values to maximise, from the taps' activations (in the order given).
    using Objective = std::function<at::Tensor(const std::vector<at::Tensor>& activations)>;
    // An extra loss (minimised) from the untransformed images and the taps' activations, or
    // an empty function.
    using Penalty = std::function<at::Tensor(const at::Tensor& images,
                                             const std::vector<at::Tensor>& activations)>;

    // Starts from initialSpectrum, else initialImages, else N(0, 0.01); throws
    // std::invalid_argument for a start of the wrong shape.
    ImageOptimiser(ScriptModel& model, const InputSpec& spec, const OptimisationSettings& settings,
                   std::vector<std::string> taps, int images,
                   const std::optional<FloatArray>& initialSpectrum = std::nullopt,
                   const std::optional<FloatArray>& initialImages = std::nullopt);

    OptimisedImages run(const Objective& objective, const Penalty& penalty, const JobContext& job);
    // The taps' activations for images in [0, 1] (resized and normalised, not transformed).
    std::vector<at::Tensor> activations(const at::Tensor& images);
    // The images the spectrum gives now (with gradients when grad mode is on).
    at::Tensor currentImages() const;
    // Keeps only these images, in this order (their spectra; Adam restarts with each run).
    void keepImages(const std::vector<std::int64_t>& indices);

  private:
    ScriptModel::Impl& model_;
    OptimisationSettings settings_;
    std::vector<std::string> taps_;
    int side_ = 0, modelHeight_ = 0, modelWidth_ = 0;
    at::Tensor spectrum_, scale_, mean_, std_;
};

}  // namespace us::analysis
