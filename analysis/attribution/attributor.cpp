// Gradient x activation, Integrated Gradients and the links between units, on the frozen,
// inlined TorchScript graph. Gradients at a layer come from a zero tensor added to the
// layer's output right where it is produced (the tap's clone is off the path to the output);
// running the rest of the network from a layer replaces the layer's later uses with an input.

#include <torch/csrc/autograd/autograd.h>
#include <torch/csrc/jit/passes/dead_code_elimination.h>
#include <torch/torch.h>

#include <chrono>
#include <cmath>
#include <map>
#include <stdexcept>

#include "analysis/attribution/attribution.h"
#include "analysis/attribution/attribution_tensors.h"
#include "analysis/attribution/lrp.h"
#include "analysis/models/script_graph.h"

namespace us::analysis {
using namespace script_graph;
using torch::jit::Value;

namespace {

std::string surgeryKey(const std::vector<std::string>& deltas, const std::string& replaced,
                       const std::vector<std::string>& outputs) {
    std::string key;
    for (const auto& d : deltas)
        key += d + ',';
    key += '|' + replaced + '|';
    for (const auto& o : outputs)
        key += o + ',';
    return key;
}

at::Tensor withBatch(const FloatArray& input) {
    at::Tensor x = toTensor(input);
    if (x.dim() == 3) x = x.unsqueeze(0);
    if (x.dim() != 4 || x.size(0) != 1)
        throw std::invalid_argument("the input must be C x H x W, not " + shapeText(input.shape));
    return x;
}

at::Tensor gaussianBlur(const at::Tensor& x, double sigma) {
    const auto radius = std::max<std::int64_t>(1, std::int64_t(std::ceil(3 * sigma)));
    auto offsets = torch::arange(-radius, radius + 1, torch::kFloat);
    auto kernel = torch::exp(-offsets * offsets / (2 * sigma * sigma));
    kernel = kernel / kernel.sum();
    const auto channels = x.size(1);
    namespace F = torch::nn::functional;
    auto padded =
        F::pad(x, F::PadFuncOptions({radius, radius, radius, radius}).mode(torch::kReplicate));
    auto horizontal = kernel.view({1, 1, 1, -1}).repeat({channels, 1, 1, 1});
    auto vertical = kernel.view({1, 1, -1, 1}).repeat({channels, 1, 1, 1});
    auto blurred = F::conv2d(padded, horizontal, F::Conv2dFuncOptions().groups(channels));
    return F::conv2d(blurred, vertical, F::Conv2dFuncOptions().groups(channels));
}

double relativeError(double sum, double expected) {
    return std::abs(sum - expected) / std::max(std::abs(expected), 1e-12);
}

}  // namespace

struct Attributor::Impl {
    ScriptModel& model;
    ScriptModel::Impl& m;
    std::map<std::string, std::unique_ptr<torch::jit::GraphFunction>> functions;
    std::unique_ptr<LrpEngine> lrp;  // made on first use

    explicit Impl(ScriptModel& model) : model(model), m(model.internals()) {}

    // forward with: a zero-able delta added to each of `deltas` right where it is produced
    // (inputs after x, in order), `replaced`'s later uses fed from one more input, and a
    // tuple of `outputs` ("" = the model's output; a layer: its value, cloned) returned.
    torch::jit::GraphFunction& function(const std::vector<std::string>& deltas,
                                        const std::string& replaced,
                                        const std::vector<std::string>& outputs) {
        const auto key = surgeryKey(deltas, replaced, outputs);
        if (auto found = functions.find(key); found != functions.end()) return *found->second;
        auto graph = m.forward->copy();
        std::vector<std::string> named = deltas;
        named.insert(named.end(), outputs.begin(), outputs.end());
        if (!replaced.empty()) named.push_back(replaced);
        const auto values = layerOutputs(*graph, named);
        std::map<std::string, Value*> valueOf;
        for (std::size_t i = 0; i < named.size(); ++i) {
            if (!values[i])
                throw std::invalid_argument("layer '" + named[i] +
                                            "' is never called by forward or returns no tensor");
            valueOf[named[i]] = values[i];
        }
        std::map<Value*, Value*> current;  // a produced value -> its value after surgery
        for (const auto& layer : deltas) {
            Value* produced = valueOf.at(layer);
            Value* base = current.contains(produced) ? current.at(produced) : produced;
            Value* delta = graph->addInput("delta")->setType(produced->type());
            torch::jit::WithInsertPoint insert(base->node()->next());
            Value* sum = graph->insert(c10::aten::add, {base, delta});
            base->replaceAllUsesAfterNodeWith(sum->node(), sum);
            current[produced] = sum;
        }
        if (!replaced.empty()) {
            Value* produced = valueOf.at(replaced);
            Value* replacement = graph->addInput("replacement")->setType(produced->type());
            torch::jit::WithInsertPoint insert(produced->node()->next());
            // A clone, so that later in-place ops never write into the caller's tensor.
            Value* copy = graph->insert(c10::aten::clone, {replacement});
            produced->replaceAllUsesAfterNodeWith(copy->node(), copy);
            current[produced] = copy;
        }
        std::vector<Value*> results;
        for (const auto& name : outputs) {
            if (name.empty()) {
                results.push_back(graph->outputs()[0]);
                continue;
            }
            Value* produced = valueOf.at(name);
            Value* value = current.contains(produced) ? current.at(produced) : produced;
            torch::jit::WithInsertPoint insert(value->node()->next());
            results.push_back(graph->insert(c10::aten::clone, {value}));
        }
        while (!graph->outputs().empty())
            graph->eraseOutput(0);
        graph->registerOutput(graph->insertNode(graph->createTuple(results))->output());
        torch::jit::EliminateDeadCode(graph);
        auto fn = std::make_unique<torch::jit::GraphFunction>("attribution", graph, nullptr);
        return *functions.emplace(key, std::move(fn)).first->second;
    }

    std::vector<at::Tensor> call(torch::jit::GraphFunction& fn, std::vector<c10::IValue> inputs) {
        const auto shape = inputs.at(0).toTensor().sizes().vec();
        const auto tuple = runGraph(fn, m.frozen, std::move(inputs), shape).toTuple();
        std::vector<at::Tensor> tensors;
        for (const auto& element : tuple->elements()) {
            if (!element.isTensor())
                throw std::runtime_error("a tapped layer returned something other than a tensor");
            tensors.push_back(element.toTensor());
        }
        return tensors;
    }

    // The output that holds the target: the model's output or the unit's layer.
    static std::string targetOutput(const AttributionTarget& target) {
        return target.kind == AttributionTarget::Kind::Unit ? target.layer : std::string();
    }

    // One target value per batch element from the target's output tensor.
    static at::Tensor targetValues(const at::Tensor& output, const AttributionTarget& target) {
        if (output.dim() < 2)
            throw std::invalid_argument("the target's output has no unit dimension");
        if (target.index >= output.size(1))
            throw std::invalid_argument(
                (target.kind == AttributionTarget::Kind::Unit ? "unit " : "logit ") +
                std::to_string(target.index) + " is out of range: the " +
                (target.kind == AttributionTarget::Kind::Unit ? "layer '" + target.layer + "'"
                                                              : std::string("model's output")) +
                " has " + std::to_string(output.size(1)));
        const auto column = output.select(1, target.index);
        return column.dim() > 1 ? column.flatten(1).mean(1) : column;
    }

    // Chosen layers in the order forward computes them; checks them against the target.
    std::vector<std::string> forwardOrder(std::vector<std::string> layers,
                                          const AttributionTarget& target) {
        model.checkLayerNames(layers);
        if (target.kind == AttributionTarget::Kind::Unit) model.checkLayerNames({target.layer});
        std::vector<std::string> named = layers;
        named.push_back(targetOutput(target));
        const auto values = layerOutputs(*m.forward, named);
        for (std::size_t i = 0; i < layers.size(); ++i)
            if (!values[i])
                throw std::invalid_argument("layer '" + layers[i] +
                                            "' is never called by forward or returns no tensor");
        std::vector<std::size_t> order(layers.size());
        for (std::size_t i = 0; i < order.size(); ++i)
            order[i] = i;
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
            return values[a]->node() != values[b]->node() &&
                   values[a]->node()->isBefore(values[b]->node());
        });
        std::vector<std::string> sorted;
        for (auto i : order) {
            if (std::find(sorted.begin(), sorted.end(), layers[i]) != sorted.end())
                throw std::invalid_argument("layer '" + layers[i] + "' is chosen twice");
            if (target.kind == AttributionTarget::Kind::Unit &&
                (layers[i] == target.layer || !values[i]->node()->isBefore(values.back()->node())))
                throw std::invalid_argument("layer '" + layers[i] +
                                            "' does not come before the target's layer '" +
                                            target.layer + "'");
            sorted.push_back(layers[i]);
        }
        return sorted;
    }

    AttributionTarget resolve(AttributionTarget target, const at::Tensor& x) {
        if (target.kind != AttributionTarget::Kind::Predicted) return target;
        torch::NoGradGuard noGrad;
        const auto output = m.run(x, {std::string()}).at(0);
        if (!output.defined() || output.dim() != 2)
            throw std::invalid_argument(
                "the model's output is not a vector of logits: name a unit target instead");
        target.kind = AttributionTarget::Kind::Logit;
        target.index = output.argmax(1).item<std::int64_t>();
        return target;
    }

    at::Tensor baseline(const at::Tensor& x, const AttributionRequest& request) {
        switch (request.baseline) {
            case BaselineKind::Zero: return torch::zeros_like(x);
            case BaselineKind::Black: {
                auto b = torch::zeros_like(x);
                const auto channels = x.size(1);
                if (request.inputMean.empty()) return b;
                if (std::int64_t(request.inputMean.size()) != channels ||
                    request.inputStd.size() != request.inputMean.size())
                    throw std::invalid_argument("the normalisation does not match the channels");
                for (std::int64_t c = 0; c < channels; ++c)
                    b.select(1, c).fill_(-request.inputMean[std::size_t(c)] /
                                         request.inputStd[std::size_t(c)]);
                return b;
            }
            case BaselineKind::Blur: {
                torch::NoGradGuard noGrad;
                const double sigma =
                    request.blurSigmaFraction * double(std::max(x.size(2), x.size(3)));
                return gaussianBlur(x, std::max(sigma, 0.3));
            }
        }
        return torch::zeros_like(x);
    }

    void gradientTimesActivation(const at::Tensor& x, const AttributionRequest& request,
                                 AttributionResult& result) {
        const auto& layers = request.layers;
        std::vector<std::string> outputs{targetOutput(result.target)};
        outputs.insert(outputs.end(), layers.begin(), layers.end());
        auto& fn = function(layers, "", outputs);
        torch::AutoGradMode grad(true);
        const auto input = x.clone().requires_grad_(true);
        std::vector<at::Tensor> deltas;
        {
            torch::NoGradGuard noGrad;
            for (const auto& a : m.run(x, layers))
                deltas.push_back(torch::zeros(a.sizes()));
        }
        std::vector<c10::IValue> args{input};
        std::vector<at::Tensor> leaves{input};
        for (auto& d : deltas) {
            d.requires_grad_(true);
            args.emplace_back(d);
            leaves.push_back(d);
        }
        const auto tensors = call(fn, std::move(args));
        const auto t = targetValues(tensors[0], result.target);
        const auto grads = torch::autograd::grad({t.sum()}, leaves, {}, false, false, true);
        result.targetValue = t.item<double>();
        result.inputMap = withoutBatch(input.detach() * grads[0]);
        for (std::size_t i = 0; i < layers.size(); ++i) {
            const auto a = tensors[i + 1].detach();
            const auto g = grads[i + 1].defined() ? grads[i + 1] : torch::zeros_like(a);
            result.layers.push_back(layerAttribution(layers[i], a * g, a));
        }
    }

    // sum_s w_s * d t / d (path point s), for points start + s (end - start), where the path
    // runs at the input (replaced empty) or in `replaced`'s output with x fixed.
    at::Tensor pathGradient(const at::Tensor& x, const std::string& replaced,
                            const at::Tensor& start, const at::Tensor& end,
                            const AttributionRequest& request, const AttributionTarget& target,
                            const JobContext& job) {
        const auto quadrature = integrationQuadrature(request.rule, request.steps);
        auto& fn = function({}, replaced, {targetOutput(target)});
        torch::AutoGradMode grad(true);
        auto total = torch::zeros_like(start);
        const auto n = std::int64_t(quadrature.points.size());
        const auto batch = std::max<std::int64_t>(1, request.batchSize);
        for (std::int64_t first = 0; first < n; first += batch) {
            job.checkCancelled();
            const auto count = std::min(batch, n - first);
            auto points = torch::empty({count}, torch::kFloat);
            auto weights = torch::empty({count}, torch::kFloat);
            for (std::int64_t i = 0; i < count; ++i) {
                points[i] = float(quadrature.points[std::size_t(first + i)]);
                weights[i] = float(quadrature.weights[std::size_t(first + i)]);
            }
            std::vector<std::int64_t> view(std::size_t(start.dim()), 1);
            view[0] = count;
            auto path = (start + points.view(view) * (end - start)).requires_grad_(true);
            std::vector<c10::IValue> args;
            if (replaced.empty()) {
                args.emplace_back(path);
            } else {
                args.emplace_back(x.expand({count, x.size(1), x.size(2), x.size(3)}).contiguous());
                args.emplace_back(path);
            }
            const auto t = targetValues(call(fn, std::move(args)).at(0), target);
            const auto g = torch::autograd::grad({t.sum()}, {path}).at(0);
            total += (g * weights.view(view)).sum(0, true);
            job.report(double(first + count) / double(n), "integrated gradients");
        }
        return total;
    }

    void integratedGradients(const at::Tensor& x, const AttributionRequest& request,
                             AttributionResult& result, const JobContext& job) {
        const auto x0 = baseline(x, request);
        // One forward pass each for x and x': the chosen layers' values and the target.
        std::vector<at::Tensor> atInput, atBaseline;
        {
            torch::NoGradGuard noGrad;
            auto taps = request.layers;
            taps.push_back(targetOutput(result.target));
            atInput = m.run(x, taps);
            atBaseline = m.run(x0, taps);
        }
        result.targetValue = targetValues(atInput.back(), result.target).item<double>();
        result.baselineValue = targetValues(atBaseline.back(), result.target).item<double>();
        const double parts = double(request.layers.size() + 1);
        const auto g = pathGradient(x, "", x0, x, request, result.target, job.stage(0, 1 / parts));
        const auto map = (x - x0) * g;
        result.inputMap = withoutBatch(map);
        result.completenessError =
            relativeError(map.sum().item<double>(), result.targetValue - result.baselineValue);
        for (std::size_t i = 0; i < request.layers.size(); ++i) {
            const auto& layer = request.layers[i];
            const auto& a = atInput[i];
            const auto& a0 = atBaseline[i];
            const auto gl = pathGradient(x, layer, a0, a, request, result.target,
                                         job.stage((i + 1) / parts, (i + 2) / parts));
            const auto layerMap = (a - a0) * gl;
            auto entry = layerAttribution(layer, layerMap, a);
            double atLayerBaseline = 0;
            {
                torch::NoGradGuard noGrad;
                auto& fn = function({}, layer, {targetOutput(result.target)});
                atLayerBaseline =
                    targetValues(call(fn, {x, a0.clone()}).at(0), result.target).item<double>();
            }
            entry.completenessError =
                relativeError(layerMap.sum().item<double>(), result.targetValue - atLayerBaseline);
            result.layers.push_back(std::move(entry));
        }
    }
};

Attributor::Attributor(ScriptModel& model) : impl_(std::make_unique<Impl>(model)) {}
Attributor::~Attributor() = default;

AttributionResult Attributor::attribute(const FloatArray& input, const AttributionRequest& original,
                                        const JobContext& job) {
    const auto started = std::chrono::steady_clock::now();
    const auto x = withBatch(input);
    AttributionRequest request = original;
    AttributionResult result;
    // LRP's own forward pass names the prediction; the others need it before they start.
    result.target = request.method == AttributionMethod::Lrp ? request.target
                                                             : impl_->resolve(request.target, x);
    request.layers = impl_->forwardOrder(request.layers, result.target);
    result.input = withoutBatch(x);
    switch (request.method) {
        case AttributionMethod::GradientTimesActivation:
            impl_->gradientTimesActivation(x, request, result);
            break;
        case AttributionMethod::IntegratedGradients:
            impl_->integratedGradients(x, request, result, job);
            break;
        case AttributionMethod::Lrp:
            if (!impl_->lrp) impl_->lrp = std::make_unique<LrpEngine>(impl_->m);
            impl_->lrp->attribute(x, request, result, job);
            break;
    }
    result.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return result;
}

LinkMatrix Attributor::links(const FloatArray& input, const std::string& from,
                             const std::vector<std::int64_t>& sources, const std::string& to,
                             const std::vector<std::int64_t>& targets,
                             const AttributionTarget& target, int grid, const JobContext& job) {
    const auto x = withBatch(input);
    const auto resolved = impl_->resolve(target, x);
    if (to.empty() && targets != std::vector<std::int64_t>{0})
        throw std::invalid_argument("links to the target take the single target 0");
    if (from.empty() && grid < 1) throw std::invalid_argument("the patch grid must be positive");
    const std::string toOutput = to.empty() ? Impl::targetOutput(resolved) : to;
    std::vector<std::string> deltas;
    if (!from.empty()) deltas.push_back(from);
    auto& fn = impl_->function(deltas, "", {toOutput});

    at::Tensor activation;  // the source layer's value for x
    if (!from.empty()) {
        torch::NoGradGuard noGrad;
        activation = impl_->m.run(x, {from}).at(0);
        for (auto s : sources)
            if (s < 0 || s >= activation.size(1))
                throw std::invalid_argument("unit " + std::to_string(s) + " is not in layer '" +
                                            from + "'");
    } else {
        for (auto s : sources)
            if (s < 0 || s >= std::int64_t(grid) * grid)
                throw std::invalid_argument("patch " + std::to_string(s) + " is not in the grid");
    }
    at::Tensor patchOf;  // H x W patch indices, for input sources
    if (from.empty()) {
        patchOf = torch::empty({x.size(2), x.size(3)}, torch::kLong);
        auto accessor = patchOf.accessor<std::int64_t, 2>();
        for (std::int64_t y = 0; y < x.size(2); ++y)
            for (std::int64_t c = 0; c < x.size(3); ++c)
                accessor[y][c] = patchIndex(y, c, x.size(2), x.size(3), grid);
    }

    LinkMatrix matrix{sources, targets, std::vector<double>(sources.size() * targets.size())};
    torch::AutoGradMode gradMode(true);
    constexpr std::int64_t batch = 16;
    const auto n = std::int64_t(targets.size());
    for (std::int64_t first = 0; first < n; first += batch) {
        job.checkCancelled();
        const auto count = std::min(batch, n - first);
        auto xs = x.expand({count, x.size(1), x.size(2), x.size(3)}).contiguous();
        at::Tensor leaf;
        std::vector<c10::IValue> args;
        if (from.empty()) {
            leaf = xs.requires_grad_(true);
            args.emplace_back(leaf);
        } else {
            auto sizes = activation.sizes().vec();
            sizes[0] = count;
            leaf = torch::zeros(sizes).requires_grad_(true);
            args.emplace_back(xs);
            args.emplace_back(leaf);
        }
        const auto out = impl_->call(fn, std::move(args)).at(0);
        at::Tensor objective;
        if (to.empty()) {
            objective = Impl::targetValues(out, resolved).sum();
        } else {
            auto index = torch::empty({count}, torch::kLong);
            for (std::int64_t b = 0; b < count; ++b) {
                const auto j = targets[std::size_t(first + b)];
                if (j < 0 || j >= out.size(1))
                    throw std::invalid_argument("unit " + std::to_string(j) + " is not in layer '" +
                                                to + "'");
                index[b] = j;
            }
            const auto perUnit = spatialSum(out);  // count x units
            objective = perUnit.gather(1, index.view({count, 1})).sum();
        }
        const auto g = torch::autograd::grad({objective}, {leaf}, {}, false, false, true).at(0);
        at::Tensor contribution;  // count x sources
        if (from.empty()) {
            const auto gxa = g.defined() ? (xs.detach() * g).sum(1) : torch::zeros({count, 1});
            auto perPatch = torch::zeros({count, std::int64_t(grid) * grid}, torch::kFloat);
            if (g.defined()) perPatch.index_add_(1, patchOf.flatten(), gxa.flatten(1));
            contribution = perPatch;
        } else {
            contribution = g.defined() ? spatialSum(activation * g)
                                       : torch::zeros({count, activation.size(1)});
        }
        const auto picked = contribution.index_select(
            1, torch::tensor(std::vector<std::int64_t>(sources.begin(), sources.end())));
        const auto values = toDoubles(picked);
        for (std::int64_t b = 0; b < count; ++b)
            for (std::size_t s = 0; s < sources.size(); ++s)
                matrix.weights[std::size_t(first + b) * sources.size() + s] =
                    values[std::size_t(b) * sources.size() + s];
        job.report(double(first + count) / double(n), "links");
    }
    return matrix;
}

}  // namespace us::analysis
