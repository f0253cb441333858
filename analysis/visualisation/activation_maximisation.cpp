// Activation maximisation of a weighted sum of objective terms, and the facets' diversity.

#include "analysis/visualisation/image_optimiser.h"

#include <algorithm>
#include <stdexcept>

namespace us::analysis {
using namespace script_graph;

namespace {

at::Tensor termValues(const ObjectiveTerm& o, const at::Tensor& a) {
    using Kind = ObjectiveTerm::Kind;
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

// The distinct layers the terms tap, and for each term the index of its tap.
std::vector<std::string> tapsOf(const VisualisationObjective& objective,
                                std::vector<std::size_t>& termTap) {
    std::vector<std::string> taps;
    for (const auto& term : objective.terms) {
        const auto tap = term.tap();
        auto at = std::find(taps.begin(), taps.end(), tap);
        if (at == taps.end()) at = taps.insert(taps.end(), tap);
        termTap.push_back(std::size_t(at - taps.begin()));
    }
    return taps;
}

void checkObjective(ScriptModel& model, const VisualisationObjective& o) {
    if (o.terms.empty()) throw std::invalid_argument("the objective has no term");
    for (const auto& term : o.terms) {
        if (!term.layer.empty()) model.checkLayerNames({term.layer});
        if (term.units.empty() && term.kind != ObjectiveTerm::Kind::Layer &&
            term.kind != ObjectiveTerm::Kind::Direction)
            throw std::invalid_argument("the objective names no unit");
    }
}

// The objective's per-image values from the taps' activations.
at::Tensor objectiveValues(const VisualisationObjective& o, const std::vector<std::size_t>& termTap,
                           const std::vector<at::Tensor>& a) {
    at::Tensor sum;
    for (std::size_t t = 0; t < o.terms.size(); ++t) {
        const auto v = o.terms[t].weight * termValues(o.terms[t], a[termTap[t]]);
        sum = sum.defined() ? sum + v : v;
    }
    return sum;
}

}  // namespace

VisualisationResult visualise(ScriptModel& model, const InputSpec& spec,
                              const VisualisationRequest& request, const JobContext& job) {
    const auto& o = request.objective;
    checkObjective(model, o);
    std::vector<std::size_t> termTap;
    const auto taps = tapsOf(o, termTap);
    ImageOptimiser optimiser(model, spec, request, taps, request.images, request.initialSpectrum,
                             request.initialImages);
    const auto objectiveOf = [&](const std::vector<at::Tensor>& a) {
        return objectiveValues(o, termTap, a);
    };
    // The diversity term is taken at the first term's layer.
    ImageOptimiser::Penalty diversity;
    if (request.diversity != 0)
        diversity = [&](const at::Tensor&, const std::vector<at::Tensor>& a) {
            const auto& first = a[termTap[0]];
            return first.size(0) > 1 ? request.diversity * gramSimilarity(first) : torch::zeros({});
        };
    auto optimised = optimiser.run(objectiveOf, diversity, job);

    VisualisationResult result;
    result.objective = std::move(optimised.objective);
    result.secondsPerStep = optimised.secondsPerStep;
    const auto finalActivations = optimiser.activations(optimised.images);
    const auto final = objectiveOf(finalActivations);
    const auto& firstLayer = finalActivations[termTap[0]];
    if (final.size(0) > 1) result.facetSimilarity = gramSimilarity(firstLayer).item<double>();
    const auto flat = firstLayer.reshape({firstLayer.size(0), -1});
    const auto unit = flat / flat.norm(2, 1, true).clamp_min(1e-12);
    result.facetCosines = toFloatArray(torch::matmul(unit, unit.t()));
    for (std::int64_t i = 0; i < final.size(0); ++i)
        result.finalActivation.push_back(final[i].item<double>());
    result.images = toFloatArray(optimised.images);
    return result;
}

VisualisationResult visualiseEach(ScriptModel& model, const InputSpec& spec,
                                  const std::vector<VisualisationObjective>& objectives,
                                  const OptimisationSettings& settings, const JobContext& job,
                                  const std::optional<FloatArray>& startImages) {
    if (objectives.empty()) throw std::invalid_argument("no objective to visualise");
    if (startImages &&
        (startImages->shape.empty() || startImages->shape[0] != std::int64_t(objectives.size())))
        throw std::invalid_argument("one starting image per objective is needed, not " +
                                    shapeText(startImages->shape));
    // All objectives' terms share one tap list.
    VisualisationObjective all;
    std::vector<std::size_t> firstTerm;
    for (const auto& o : objectives) {
        checkObjective(model, o);
        firstTerm.push_back(all.terms.size());
        all.terms.insert(all.terms.end(), o.terms.begin(), o.terms.end());
    }
    std::vector<std::size_t> termTap;
    const auto taps = tapsOf(all, termTap);
    std::vector<std::vector<std::size_t>> termTapOf;
    for (std::size_t i = 0; i < objectives.size(); ++i) {
        const auto from = termTap.begin() + std::ptrdiff_t(firstTerm[i]);
        termTapOf.emplace_back(from, from + std::ptrdiff_t(objectives[i].terms.size()));
    }
    ImageOptimiser optimiser(model, spec, settings, taps, int(objectives.size()), std::nullopt,
                             startImages);
    const auto count = std::int64_t(objectives.size());
    const auto eachOwn = [&](const std::vector<at::Tensor>& a) {
        std::vector<at::Tensor> values, own(a.size());
        for (std::int64_t i = 0; i < count; ++i) {
            for (std::size_t t = 0; t < a.size(); ++t)
                own[t] = a[t].narrow(0, i, 1);
            values.push_back(
                objectiveValues(objectives[std::size_t(i)], termTapOf[std::size_t(i)], own));
        }
        return torch::cat(values);
    };
    auto optimised = optimiser.run(eachOwn, {}, job);
    VisualisationResult result;
    result.objective = std::move(optimised.objective);
    result.secondsPerStep = optimised.secondsPerStep;
    const auto final = eachOwn(optimiser.activations(optimised.images));
    for (std::int64_t i = 0; i < count; ++i)
        result.finalActivation.push_back(final[i].item<double>());
    result.images = toFloatArray(optimised.images);
    return result;
}

}  // namespace us::analysis
