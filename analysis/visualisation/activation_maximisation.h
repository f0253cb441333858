#pragma once
// Activation maximisation: images that drive an objective of a TorchScript model, by the
// standard recipe (Fourier-space parameterisation, colour decorrelation, sigmoid, robustness
// transforms, Adam). Torch stays in the .cpp files.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analysis/core/float_array.h"
#include "analysis/core/job_context.h"
#include "analysis/models/input_spec.h"
#include "analysis/models/script_model.h"

namespace us::analysis {

// What to maximise: channel:LAYER:C (spatial mean), neuron:LAYER:C[:Y,X] (one position, the
// centre by default), layer:LAYER (mean square, DeepDream), logit:K, units:LAYER:C1,C2,...
// (the mean of the channels' spatial means), direction:LAYER:V.npy (the cosine between V, a
// vector in the layer's channel space, and the activation at each position, averaged over
// positions, as Lucent's direction objective); negative minimises it instead.
struct VisualisationObjective {
    enum class Kind { Channel, Neuron, Layer, Logit, Units, Direction };
    Kind kind = Kind::Channel;
    std::string layer;                                              // empty for Logit
    std::vector<std::int64_t> units;                                // channel(s) or the logit
    std::vector<float> direction;                                   // Direction
    std::string directionPath;                                      // Direction, for text()
    std::optional<std::pair<std::int64_t, std::int64_t>> position;  // Neuron: (y, x)
    bool negative = false;

    // Throws std::invalid_argument (a direction file that cannot be read included).
    static VisualisationObjective parse(const std::string& text);
    std::string text() const;
};

struct VisualisationRequest {
    VisualisationObjective objective;
    int steps = 512;
    int size = 128;  // the parameterised image's side (the model's own if smaller)
    double learningRate = 0.05;
    std::uint64_t seed = 0;
    bool transforms = true;
    int images = 1;
    // Facets: the weight of the diversity term (Lucent's: for each pair of images, the inner
    // product of their Frobenius-normalised Gram matrices of the objective layer's
    // activations, summed and divided by the images); 0 for independent images.
    double diversity = 0;
    // A spectrum in Lucent's layout, float32 (N, C, H, W // 2 + 1 (+1 when W is odd), 2).
    std::optional<FloatArray> initialSpectrum;
};

struct VisualisationResult {
    FloatArray images;              // N x C x H x W in [0, 1], before the model's normalisation
    std::vector<double> objective;  // mean over images, per step (before the step's update)
    std::vector<double> finalActivation;  // per image: the objective on the untransformed image
    double secondsPerStep = 0;
    std::optional<double> facetSimilarity;  // the diversity term on the final images
};

// The parameterisation alone: a spectrum (Lucent's layout) to images in [0, 1].
FloatArray spectrumToImages(const FloatArray& spectrum, int height, int width, bool decorrelate);

// Throws std::invalid_argument for a bad objective (unknown layer, unit out of range).
VisualisationResult visualise(ScriptModel& model, const InputSpec& spec,
                              const VisualisationRequest& request, const JobContext& job = {});

}  // namespace us::analysis
