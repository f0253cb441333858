// The standard feature-visualisation recipe (Lucent's defaults) on a TorchScript model:
// spectrum -> scaled by 1 / max(f, 1 / max(w, h)) -> orthonormal inverse real FFT -> / 4 ->
// colour decorrelation (3 channels) -> sigmoid -> robustness transforms -> the model's size
// and normalisation; Adam on the spectrum.

#include "analysis/visualisation/image_optimiser.h"

#include <chrono>
#include <cmath>
#include <memory>
#include <random>
#include <stdexcept>

namespace us::analysis {
using namespace script_graph;

namespace {

// With a penalty, the share of the steps at the end that maximise the objective alone.
constexpr double kObjectiveOnlyShare = 0.375;

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

at::Tensor spectrumFromImages(const at::Tensor& images, bool decorrelate) {
    const auto height = images.size(2), width = images.size(3);
    auto z = torch::logit(images.clamp(0.01, 0.99));
    if (decorrelate && z.size(1) == 3)
        z = torch::matmul(z.permute({0, 2, 3, 1}), torch::inverse(colourCorrelation().t()))
                .permute({0, 3, 1, 2});
    auto spectrum = torch::view_as_real(
        torch::fft::rfftn(4.0 * z, c10::nullopt, at::IntArrayRef{-2, -1}, "ortho"));
    if (spectrumWidth(int(width)) > spectrum.size(3))  // odd widths keep one more frequency
        spectrum = torch::cat({spectrum, torch::zeros_like(spectrum.slice(3, 0, 1))}, 3);
    return (spectrum / frequencyScale(int(height), int(width))).contiguous();
}

at::Tensor resized(const at::Tensor& images, std::int64_t height, std::int64_t width) {
    namespace F = torch::nn::functional;
    if (images.size(2) == height && images.size(3) == width) return images;
    return F::interpolate(images, F::InterpolateFuncOptions()
                                      .size(std::vector<std::int64_t>{height, width})
                                      .mode(torch::kBilinear)
                                      .align_corners(true));
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

FloatArray imagesToSpectrum(const FloatArray& images, bool decorrelate) {
    torch::NoGradGuard noGrad;
    if (images.shape.size() != 4)
        throw std::invalid_argument("images must be N x C x H x W, not " + shapeText(images.shape));
    return toFloatArray(spectrumFromImages(toTensor(images), decorrelate));
}

ImageOptimiser::ImageOptimiser(ScriptModel& model, const InputSpec& spec,
                               const OptimisationSettings& settings, std::vector<std::string> taps,
                               int images, const std::optional<FloatArray>& initialSpectrum,
                               const std::optional<FloatArray>& initialImages)
    : model_(model.internals()), settings_(settings), taps_(std::move(taps)) {
    if (settings.steps < 0 || images < 1 || settings.size < 8)
        throw std::invalid_argument("steps must be >= 0, images >= 1 and the size >= 8");
    const auto channels = spec.channels();
    modelHeight_ = int(spec.shape.at(1));
    modelWidth_ = int(spec.shape.at(2));
    side_ = settings.size;
    torch::manual_seed(settings.seed);
    const auto expected = "N x " + std::to_string(channels) + " x " + std::to_string(side_) +
                          " x " + std::to_string(spectrumWidth(side_)) + " x 2 float32";
    if (initialSpectrum) {
        spectrum_ = toTensor(*initialSpectrum);
        if (spectrum_.dim() != 5 || spectrum_.size(1) != channels || spectrum_.size(2) != side_ ||
            spectrum_.size(3) != spectrumWidth(side_) || spectrum_.size(4) != 2)
            throw std::invalid_argument("--init must be " + expected + ", not " +
                                        shapeText(initialSpectrum->shape));
    } else if (initialImages) {
        const auto start = toTensor(*initialImages);
        if (start.dim() != 4 || start.size(1) != channels)
            throw std::invalid_argument("starting images must be N x " + std::to_string(channels) +
                                        " x H x W, not " + shapeText(initialImages->shape));
        spectrum_ = spectrumFromImages(resized(start, side_, side_), true);
    } else {
        spectrum_ = torch::randn({images, channels, side_, spectrumWidth(side_), 2}) * 0.01;
    }
    spectrum_.requires_grad_(true);
    scale_ = frequencyScale(side_, side_);
    mean_ = torch::tensor(spec.mean).view({1, -1, 1, 1});
    std_ = torch::tensor(spec.std).view({1, -1, 1, 1});
}

at::Tensor ImageOptimiser::currentImages() const {
    return imagesFromSpectrum(spectrum_, scale_, side_, side_, true);
}

void ImageOptimiser::keepImages(const std::vector<std::int64_t>& indices) {
    torch::NoGradGuard noGrad;
    spectrum_ = spectrum_.detach().index_select(0, torch::tensor(indices)).contiguous();
    spectrum_.requires_grad_(true);
}

std::vector<at::Tensor> ImageOptimiser::activations(const at::Tensor& images) {
    auto activations =
        model_.run((resized(images, modelHeight_, modelWidth_) - mean_) / std_, taps_);
    for (std::size_t i = 0; i < activations.size(); ++i)
        if (!activations[i].defined())
            throw std::invalid_argument("layer '" + taps_[i] + "' returns no tensor");
    return activations;
}

OptimisedImages ImageOptimiser::run(const Objective& objective, const Penalty& penalty,
                                    const JobContext& job) {
    OptimisedImages result;
    const auto steps = settings_.steps;
    const auto preview = [&](int step) {
        if (!settings_.preview) return;
        torch::NoGradGuard noGrad;
        settings_.preview({step, steps, toFloatArray(currentImages().detach()), result.objective});
    };
    {
        torch::AutoGradMode grad(true);
        const auto adamOptions = torch::optim::AdamOptions(settings_.learningRate);
        auto adam =
            std::make_unique<torch::optim::Adam>(std::vector<at::Tensor>{spectrum_}, adamOptions);
        // A penalty (the facets' diversity) acts until the last part of the run, which then
        // maximises the objective alone on a fresh Adam: the penalty's gradients inflate
        // Adam's second moments, which would otherwise keep the objective's steps too small
        // for a facet the penalty pushed down to recover (seen on the demo CNN).
        const int penaltySteps =
            penalty ? steps - int(std::lround(kObjectiveOnlyShare * steps)) : steps;
        Transforms transforms(side_, settings_.seed);
        const auto started = std::chrono::steady_clock::now();
        for (int step = 0; step < steps; ++step) {
            job.checkCancelled();
            if (step == penaltySteps && step > 0)
                adam = std::make_unique<torch::optim::Adam>(std::vector<at::Tensor>{spectrum_},
                                                            adamOptions);
            adam->zero_grad();
            const auto untransformed = currentImages();
            const auto a =
                activations(settings_.transforms ? transforms(untransformed) : untransformed);
            const auto values = objective(a);
            result.objective.push_back(values.mean().item<double>());
            auto loss = -values.mean();
            if (penalty && step < penaltySteps) loss = loss + penalty(untransformed, a);
            loss.backward();
            adam->step();
            job.report(double(step + 1) / steps, "optimising");
            if (settings_.previewEvery > 0 && (step + 1) % settings_.previewEvery == 0 &&
                step + 1 < steps)
                preview(step + 1);
        }
        if (steps > 0)
            result.secondsPerStep =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count() /
                steps;
    }
    torch::NoGradGuard noGrad;
    result.images = currentImages().detach();
    preview(steps);
    return result;
}

}  // namespace us::analysis
