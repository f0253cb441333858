#pragma once
// Activation maximisation: images that drive an objective of a TorchScript model, by the
// standard recipe (Fourier-space parameterisation, colour decorrelation, sigmoid, robustness
// transforms, Adam). Torch stays in the .cpp files.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "analysis/core/float_array.h"
#include "analysis/core/job_context.h"
#include "analysis/models/input_spec.h"
#include "analysis/models/script_model.h"

namespace us::analysis {

// One term of an objective: channel:LAYER:C (spatial mean), neuron:LAYER:C[:Y,X] (one
// position, the centre by default), layer:LAYER (mean square, DeepDream), logit:K,
// units:LAYER:C1,C2,... (a cluster: the mean of the channels' spatial means),
// direction:LAYER:V.npy (the cosine between V, a vector in the layer's channel space, and the
// activation at each position, averaged over positions, as Lucent's direction objective).
struct ObjectiveTerm {
    enum class Kind { Channel, Neuron, Layer, Logit, Units, Direction };
    Kind kind = Kind::Channel;
    std::string layer;                                              // empty for Logit
    std::vector<std::int64_t> units;                                // channel(s) or the logit
    std::vector<float> direction;                                   // Direction
    std::string directionPath;                                      // Direction, for text()
    std::optional<std::pair<std::int64_t, std::int64_t>> position;  // Neuron: (y, x)
    double weight = 1;                                              // negative minimises the term

    // The term without its weight ("channel:L:3"); throws std::invalid_argument.
    static ObjectiveTerm parse(const std::string& text);
    std::string text() const;
    // The layer to tap: "" (the model's output) for logits.
    std::string tap() const { return kind == Kind::Logit ? std::string() : layer; }
};

// A weighted sum of terms: TERM [+ TERM ...], each TERM [W*]SPEC or -SPEC, such as
// "channel:conv2:3 + -0.5*logit:7". The quantity maximised is the sum.
struct VisualisationObjective {
    std::vector<ObjectiveTerm> terms;

    static VisualisationObjective parse(const std::string& text);
    std::string text() const;
    void negate();
    // The one term of a single-term objective with weight 1, else nullptr.
    const ObjectiveTerm* single() const;
};

// Streamed while a run goes on, from the thread that runs it.
struct VisualisationPreview {
    int step = 0;  // steps done
    int steps = 0;
    FloatArray images;              // N x C x H x W in [0, 1], untransformed
    std::vector<double> objective;  // per step so far
};

// The recipe's knobs, shared by every kind of run.
struct OptimisationSettings {
    int steps = 512;
    int size = 128;  // the parameterised image's side (then resized to the model's input)
    double learningRate = 0.05;
    std::uint64_t seed = 0;
    bool transforms = true;
    std::function<void(const VisualisationPreview&)> preview;
    int previewEvery = 16;  // steps between previews (and one at the end)
};

struct VisualisationRequest : OptimisationSettings {
    VisualisationObjective objective;
    int images = 1;
    // Facets: the weight of the diversity term (Lucent's: for each pair of images, the inner
    // product of their Frobenius-normalised Gram matrices of the first term's layer
    // activations, summed and divided by the images); 0 for independent images. The term acts
    // for the first 5/8 of the steps; the rest maximise the objective alone on a fresh Adam.
    double diversity = 0;
    // A spectrum in Lucent's layout, float32 (N, C, H, W // 2 + 1 (+1 when W is odd), 2).
    std::optional<FloatArray> initialSpectrum;
    // Or starting images, N x C x H' x W' in [0, 1] (resized to the image side), turned into
    // the spectrum whose parameterisation gives them back (clamped into (0.01, 0.99)).
    std::optional<FloatArray> initialImages;
};

struct VisualisationResult {
    FloatArray images;              // N x C x H x W in [0, 1], before the model's normalisation
    std::vector<double> objective;  // mean over images, per step (before the step's update)
    std::vector<double> finalActivation;  // per image: the objective on the untransformed image
    double secondsPerStep = 0;
    std::optional<double> facetSimilarity;  // the diversity term on the final images
    // N x N: the cosine between the final images' activations at the first term's layer.
    FloatArray facetCosines;
};

// One image per objective, optimised together in one batch: image i climbs objectives[i]
// alone, as separate runs would, at the cost of one. finalActivation[i] is objectives[i] on
// image i; there is no diversity term, facet similarity or cosine. startImages, when given,
// holds image i's start (N x C x H' x W' in [0, 1], as VisualisationRequest::initialImages),
// such as each unit's exemplar anchor (facet_anchors.h); else every image starts at random.
VisualisationResult visualiseEach(ScriptModel& model, const InputSpec& spec,
                                  const std::vector<VisualisationObjective>& objectives,
                                  const OptimisationSettings& settings, const JobContext& job = {},
                                  const std::optional<FloatArray>& startImages = std::nullopt);

// The parameterisation alone: a spectrum (Lucent's layout) to images in [0, 1].
FloatArray spectrumToImages(const FloatArray& spectrum, int height, int width, bool decorrelate);
// Its inverse: images in [0, 1] (clamped into (0.01, 0.99)) to a spectrum in Lucent's layout.
FloatArray imagesToSpectrum(const FloatArray& images, bool decorrelate);

// Throws std::invalid_argument for a bad objective (unknown layer, unit out of range).
VisualisationResult visualise(ScriptModel& model, const InputSpec& spec,
                              const VisualisationRequest& request, const JobContext& job = {});

}  // namespace us::analysis
