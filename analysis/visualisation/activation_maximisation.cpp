// The standard feature-visualisation recipe (Lucent's defaults) on a TorchScript model:
// spectrum -> scaled by 1 / max(f, 1 / max(w, h)) -> orthonormal inverse real FFT -> / 4 ->
// colour decorrelation (3 channels) -> sigmoid -> robustness transforms -> the model's size
// and normalisation; Adam on the spectrum.

#include <torch/torch.h>

#include <chrono>
#include <cmath>
#include <random>
#include <stdexcept>

#include "analysis/models/script_graph.h"
#include "analysis/visualisation/activation_maximisation.h"

namespace us::analysis {
using namespace script_graph;

namespace {

// numpy.fft.fftfreq(n)
std::vector<double> fftFrequencies(int n) {
    std::vector<double> f(static_cast<std::size_t>(n));
    const int positive = (n - 1) / 2 + 1;
    for (int i = 0; i < n; ++i)
        f[std::size_t(i)] = double(i < positive ? i : i - n) / n;
    return f;
}

int spectrumWidth(int width) {
    return width / 2 + (width % 2 == 1 ? 2 : 1);
}

// 1 / max(|f|, 1 / max(w, h)), shaped (1, 1, H, Wf, 1) to scale a real/imaginary spectrum.
at::Tensor frequencyScale(int height, int width) {
    const auto fy = fftFrequencies(height);
    const auto fx = fftFrequencies(width);
    const int wf = spectrumWidth(width);
    auto scale = torch::empty({height, wf}, torch::kFloat);
    auto s = scale.accessor<float, 2>();
    const double floor = 1.0 / std::max(width, height);
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < wf; ++x)
            s[y][x] =
                float(1.0 / std::max(std::hypot(fx[std::size_t(x)], fy[std::size_t(y)]), floor));
    return scale.view({1, 1, height, wf, 1});
}

// The fixed colour correlation's square root, divided by its largest column norm.
at::Tensor colourCorrelation() {
    auto m = torch::tensor({0.26f, 0.09f, 0.02f, 0.27f, 0.00f, -0.05f, 0.27f, -0.09f, 0.03f})
                 .view({3, 3});
    return m / m.norm(2, 0).max();
}

at::Tensor imagesFromSpectrum(const at::Tensor& spectrum, const at::Tensor& scale, int height,
                              int width, bool decorrelate) {
    const auto complex = torch::view_as_complex((scale * spectrum).contiguous());
    auto image = torch::fft::irfftn(complex, at::IntArrayRef{height, width},
                                    at::IntArrayRef{-2, -1}, "ortho");
    image = image.slice(2, 0, height).slice(3, 0, width) / 4.0;
    if (decorrelate && image.size(1) == 3)
        image = torch::matmul(image.permute({0, 2, 3, 1}), colourCorrelation().t())
                    .permute({0, 3, 1, 2});
    return torch::sigmoid(image);
}

// Lucent's standard transforms, their sizes scaled with the image below 128 px.
class Transforms {
  public:
    Transforms(int size, std::uint64_t seed) : random_(seed) {
        const double k = std::min(1.0, size / 128.0);
        pad_ = std::max(1, int(std::lround(12 * k)));
        jitterLarge_ = std::max(2, int(std::lround(8 * k)));
        jitterSmall_ = std::max(2, int(std::lround(4 * k)));
    }

    at::Tensor operator()(at::Tensor x) {
        namespace F = torch::nn::functional;
        x = F::pad(x, F::PadFuncOptions({pad_, pad_, pad_, pad_}).value(0.5));
        x = jitter(x, jitterLarge_);
        const double scale = 1.0 + (pick(11) - 5) / 50.0;  // 0.90, 0.92, ..., 1.10
        const auto h = x.size(2), w = x.size(3);
        const auto sh = std::int64_t(std::ceil(scale * double(h)));
        const auto sw = std::int64_t(std::ceil(scale * double(w)));
        x = F::interpolate(x, F::InterpolateFuncOptions()
                                  .size(std::vector<std::int64_t>{sh, sw})
                                  .mode(torch::kBilinear)
                                  .align_corners(true));
        const auto padY = std::max<std::int64_t>(0, (h - sh + 1) / 2);
        const auto padX = std::max<std::int64_t>(0, (w - sw + 1) / 2);
        if (padX || padY) x = F::pad(x, F::PadFuncOptions({padX, padX, padY, padY}));
        // Angles -10..10 degrees, 0 five times more likely (26 equally likely choices).
        const int choice = pick(26);
        const double degrees = choice < 21 ? choice - 10 : 0;
        if (degrees != 0) x = rotate(x, degrees);
        return jitter(x, jitterSmall_);
    }

  private:
    std::mt19937_64 random_;
    std::int64_t pad_, jitterLarge_, jitterSmall_;

    int pick(int n) { return int(std::uniform_int_distribution<int>(0, n - 1)(random_)); }

    at::Tensor jitter(const at::Tensor& x, std::int64_t d) {
        const auto dy = pick(int(d)), dx = pick(int(d));
        return x.slice(2, dy, x.size(2) - d + dy + 1).slice(3, dx, x.size(3) - d + dx + 1);
    }

    static at::Tensor rotate(const at::Tensor& x, double degrees) {
        namespace F = torch::nn::functional;
        const double a = degrees * M_PI / 180.0;
        const auto theta = torch::tensor({float(std::cos(a)), float(-std::sin(a)), 0.f,
                                          float(std::sin(a)), float(std::cos(a)), 0.f})
                               .view({1, 2, 3})
                               .expand({x.size(0), 2, 3});
        const auto grid = F::affine_grid(theta, x.sizes(), false);
        return F::grid_sample(x, grid, F::GridSampleFuncOptions().align_corners(false));
    }
};

at::Tensor objectiveValues(const VisualisationObjective& o, const at::Tensor& a) {
    using Kind = VisualisationObjective::Kind;
    const auto channelCheck = [&](std::int64_t c) {
        if (a.dim() < 2 || c >= a.size(1))
            throw std::invalid_argument("unit " + std::to_string(c) + " is out of range: '" +
                                        (o.layer.empty() ? std::string("the output") : o.layer) +
                                        "' has " + std::to_string(a.dim() < 2 ? 0 : a.size(1)));
    };
    const auto spatialMean = [](const at::Tensor& t) {
        return t.dim() > 1 ? t.flatten(1).mean(1) : t;
    };
    switch (o.kind) {
        case Kind::Layer: return a.pow(2).flatten(1).mean(1);
        case Kind::Logit:
        case Kind::Channel: channelCheck(o.units[0]); return spatialMean(a.select(1, o.units[0]));
        case Kind::Neuron: {
            channelCheck(o.units[0]);
            auto c = a.select(1, o.units[0]);
            if (c.dim() == 1) return c;
            if (c.dim() != 3) throw std::invalid_argument("neuron objectives need a 2-D layer");
            const auto y = o.position ? o.position->first : c.size(1) / 2;
            const auto x = o.position ? o.position->second : c.size(2) / 2;
            if (y >= c.size(1) || x >= c.size(2))
                throw std::invalid_argument("the neuron's position is outside the layer");
            return c.select(1, y).select(1, x);
        }
        case Kind::Direction: {
            if (a.dim() < 2 || a.size(1) != std::int64_t(o.direction.size()))
                throw std::invalid_argument(
                    "the direction has " + std::to_string(o.direction.size()) + " values but '" +
                    o.layer + "' has " + std::to_string(a.dim() < 2 ? 0 : a.size(1)) + " channels");
            std::vector<std::int64_t> shape(std::size_t(a.dim()), 1);
            shape[1] = a.size(1);
            const auto v = torch::tensor(o.direction).view(shape);
            const auto cosine = torch::nn::functional::cosine_similarity(
                a, v.expand_as(a), torch::nn::functional::CosineSimilarityFuncOptions().dim(1));
            return cosine.dim() > 1 ? cosine.flatten(1).mean(1) : cosine;
        }
        case Kind::Units: {
            at::Tensor sum;
            for (auto u : o.units) {
                channelCheck(u);
                const auto v = spatialMean(a.select(1, u));
                sum = sum.defined() ? sum + v : v;
            }
            return sum / double(o.units.size());
        }
    }
    return {};
}

// Lucent's diversity term: for each pair of images, the inner product of their Frobenius-
// normalised Gram matrices of the layer's activations, summed over ordered pairs, / images.
at::Tensor gramSimilarity(const at::Tensor& a) {
    const auto n = a.size(0);
    const auto flat = a.reshape({n, a.size(1), -1});
    auto grams = torch::matmul(flat, flat.transpose(1, 2)).reshape({n, -1});
    grams = grams / grams.norm(2, 1, true).clamp_min(1e-12);
    const auto inner = torch::matmul(grams, grams.t());
    return (inner.sum() - inner.diagonal().sum()) / double(n);
}

}  // namespace

FloatArray spectrumToImages(const FloatArray& spectrum, int height, int width, bool decorrelate) {
    torch::NoGradGuard noGrad;
    const auto t = toTensor(spectrum);
    if (t.dim() != 5 || t.size(2) != height || t.size(3) != spectrumWidth(width) || t.size(4) != 2)
        throw std::invalid_argument("the spectrum must be N x C x " + std::to_string(height) +
                                    " x " + std::to_string(spectrumWidth(width)) + " x 2, not " +
                                    shapeText(spectrum.shape));
    return toFloatArray(
        imagesFromSpectrum(t, frequencyScale(height, width), height, width, decorrelate));
}

VisualisationResult visualise(ScriptModel& model, const InputSpec& spec,
                              const VisualisationRequest& request, const JobContext& job) {
    auto& m = model.internals();
    const auto& o = request.objective;
    if (!o.layer.empty()) model.checkLayerNames({o.layer});
    if (o.units.empty() && o.kind != VisualisationObjective::Kind::Layer &&
        o.kind != VisualisationObjective::Kind::Direction)
        throw std::invalid_argument("the objective names no unit");
    if (request.steps < 0 || request.images < 1 || request.size < 8)
        throw std::invalid_argument("steps must be >= 0, images >= 1 and the size >= 8");
    const auto channels = spec.channels();
    const int modelHeight = int(spec.shape.at(1)), modelWidth = int(spec.shape.at(2));
    const int size = std::min(request.size, std::max(modelHeight, modelWidth));
    const int height = size, width = size;

    torch::manual_seed(request.seed);
    at::Tensor spectrum;
    if (request.initialSpectrum) {
        spectrum = toTensor(*request.initialSpectrum);
        if (spectrum.dim() != 5 || spectrum.size(1) != channels || spectrum.size(2) != height ||
            spectrum.size(3) != spectrumWidth(width) || spectrum.size(4) != 2)
            throw std::invalid_argument(
                "--init must be N x " + std::to_string(channels) + " x " + std::to_string(height) +
                " x " + std::to_string(spectrumWidth(width)) + " x 2 float32, not " +
                shapeText(request.initialSpectrum->shape));
    } else {
        spectrum = torch::randn({request.images, channels, height, spectrumWidth(width), 2}) * 0.01;
    }
    spectrum.requires_grad_(true);
    const auto scale = frequencyScale(height, width);
    auto mean = torch::tensor(spec.mean).view({1, -1, 1, 1});
    auto std = torch::tensor(spec.std).view({1, -1, 1, 1});
    const std::string tap = o.kind == VisualisationObjective::Kind::Logit ? std::string() : o.layer;

    const auto objectiveOf = [&](const at::Tensor& images) {
        namespace F = torch::nn::functional;
        auto x =
            F::interpolate(images, F::InterpolateFuncOptions()
                                       .size(std::vector<std::int64_t>{modelHeight, modelWidth})
                                       .mode(torch::kBilinear)
                                       .align_corners(true));
        x = (x - mean) / std;
        const auto a = m.run(x, {tap}).at(0);
        if (!a.defined()) throw std::invalid_argument("layer '" + o.layer + "' returns no tensor");
        return a;
    };

    VisualisationResult result;
    torch::AutoGradMode grad(true);
    torch::optim::Adam adam({spectrum}, torch::optim::AdamOptions(request.learningRate));
    Transforms transforms(size, request.seed);
    const auto started = std::chrono::steady_clock::now();
    for (int step = 0; step < request.steps; ++step) {
        job.checkCancelled();
        adam.zero_grad();
        auto images = imagesFromSpectrum(spectrum, scale, height, width, true);
        if (request.transforms) images = transforms(images);
        const auto activation = objectiveOf(images);
        const auto values = objectiveValues(o, activation);
        result.objective.push_back(values.mean().item<double>());
        auto loss = o.negative ? values.mean() : -values.mean();
        if (request.diversity != 0 && values.size(0) > 1)
            loss = loss + request.diversity * gramSimilarity(activation);
        loss.backward();
        adam.step();
        job.report(double(step + 1) / request.steps, "optimising");
    }
    if (request.steps > 0)
        result.secondsPerStep =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count() /
            request.steps;
    torch::NoGradGuard noGrad;
    const auto images = imagesFromSpectrum(spectrum.detach(), scale, height, width, true);
    const auto finalActivation = objectiveOf(images);
    const auto final = objectiveValues(o, finalActivation);
    if (finalActivation.size(0) > 1)
        result.facetSimilarity = gramSimilarity(finalActivation).item<double>();
    for (std::int64_t i = 0; i < final.size(0); ++i)
        result.finalActivation.push_back(final[i].item<double>());
    result.images = toFloatArray(images);
    return result;
}

}  // namespace us::analysis
