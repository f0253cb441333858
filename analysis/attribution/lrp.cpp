#include "analysis/attribution/lrp.h"

#include <ATen/Parallel.h>
#include <torch/csrc/autograd/autograd.h>
#include <torch/csrc/jit/ir/constants.h>

#include <functional>
#include <map>
#include <set>
#include <stdexcept>
#include <unordered_map>

#include "analysis/attribution/attribution_tensors.h"

namespace us::analysis {
using namespace script_graph;
using torch::jit::Graph;
using torch::jit::Node;
using torch::jit::Value;

namespace {

constexpr double kZPlusStabiliser = 1e-6;
constexpr double kEpsilon = 1e-6;

// z + e * sign(z), with sign(0) = +1, so that no relevance divides by zero.
at::Tensor stabilised(const at::Tensor& z, double e) {
    return z + e * (z >= 0).to(z.scalar_type()).mul(2).sub(1);
}

std::string where(const Node* node) {
    const auto path = modulePath(node);
    return path.empty() ? std::string("the model's forward") : "module '" + path + "'";
}

bool isKind(const Node* node, std::initializer_list<const char*> names) {
    const std::string kind = node->kind().toQualString();
    for (const char* name : names)
        if (kind == name) return true;
    return false;
}

bool isMaxPool(const Node* node) {
    return isKind(node, {"aten::max_pool1d", "aten::max_pool2d", "aten::max_pool3d",
                         "aten::adaptive_max_pool1d", "aten::adaptive_max_pool2d",
                         "aten::adaptive_max_pool3d", "aten::max_pool2d_with_indices"});
}

bool isAveragePool(const Node* node) {
    return isKind(node, {"aten::avg_pool1d", "aten::avg_pool2d", "aten::avg_pool3d",
                         "aten::adaptive_avg_pool1d", "aten::adaptive_avg_pool2d",
                         "aten::adaptive_avg_pool3d"});
}

bool isReshape(const Node* node) {
    return isKind(
        node, {"aten::flatten", "aten::view", "aten::reshape", "aten::squeeze", "aten::unsqueeze"});
}

// r / stabilised(z, e) in one pass over dense float tensors of one shape and layout (the
// expression takes seven passes, which made element-wise work most of LRP's time).
at::Tensor stabilisedRatio(const at::Tensor& r, const at::Tensor& z, double e) {
    const auto format = z.suggest_memory_format();
    if (z.scalar_type() != at::kFloat || r.scalar_type() != at::kFloat || r.sizes() != z.sizes() ||
        !z.is_contiguous(format))
        return r / stabilised(z, e);
    const auto dense = r.contiguous(format);
    auto out = at::empty_like(z, format);
    const float* zs = z.data_ptr<float>();
    const float* rs = dense.data_ptr<float>();
    float* outs = out.data_ptr<float>();
    const auto epsilon = float(e);
    at::parallel_for(0, z.numel(), 1 << 15, [&](std::int64_t begin, std::int64_t end) {
        for (std::int64_t i = begin; i < end; ++i)
            outs[i] = rs[i] / (zs[i] >= 0 ? zs[i] + epsilon : zs[i] - epsilon);
    });
    return out;
}

// Whether the graph guarantees a value is never negative (a ReLU's output, or pooled, copied
// or reshaped from one), so that z+ can skip the negative half without looking.
bool knownNonNegative(const Value* v) {
    const Node* n = v->node();
    if (isKind(n, {"aten::relu", "aten::relu_", "aten::relu6"})) return true;
    if (isMaxPool(n) || isAveragePool(n) || isReshape(n) ||
        isKind(n, {"aten::clone", "aten::contiguous", "aten::dropout"}))
        return knownNonNegative(n->input(0));
    return false;
}

// One node of the model's graph re-run on tensors of our choosing (the rules need a layer's
// own operation with modified inputs or weights). Chosen inputs become arguments; a chosen
// input may instead become None (a bias added by hand); everything else must be constant.
class NodeRunner {
  public:
    NodeRunner(const Node* node, const std::vector<std::size_t>& arguments,
               const std::set<std::size_t>& asNone = {})
        : graph_(std::make_shared<Graph>()) {
        std::unordered_map<const Value*, Value*> mapped;
        for (auto i : arguments)
            mapped[node->input(i)] = graph_->addInput()->setType(node->input(i)->type());
        for (auto i : asNone)
            mapped[node->input(i)] = graph_->insertConstant(c10::IValue());
        std::function<Value*(Value*)> map = [&](Value* v) -> Value* {
            if (auto found = mapped.find(v); found != mapped.end()) return found->second;
            Node* producer = v->node();
            if (producer->kind() == c10::prim::Constant ||
                producer->kind() == c10::prim::ListConstruct) {
                Node* copy = graph_->insertNode(graph_->createClone(producer, map));
                return mapped[v] = copy->output(0);
            }
            if (auto constant = torch::jit::toIValue(v))
                return mapped[v] = graph_->insertConstant(*constant);
            throw std::invalid_argument(std::string("LRP cannot re-run ") +
                                        node->kind().toQualString() + " in " + where(node) +
                                        ": one of its parameters is computed at run time");
        };
        Node* copy = graph_->insertNode(graph_->createClone(const_cast<Node*>(node), map));
        graph_->registerOutput(copy->output(0));
        function_ = std::make_unique<torch::jit::GraphFunction>("lrp_node", graph_, nullptr);
    }

    at::Tensor operator()(const std::vector<at::Tensor>& arguments) {
        torch::jit::Stack stack(arguments.begin(), arguments.end());
        function_->run(stack);
        return stack.back().toTensor();
    }

  private:
    std::shared_ptr<Graph> graph_;
    std::unique_ptr<torch::jit::GraphFunction> function_;
};

at::Tensor constantTensor(const Value* v) {
    if (auto constant = torch::jit::toIValue(v); constant && constant->isTensor())
        return constant->toTensor();
    return {};
}

// A bias of C values broadcast over an output of shape (N, C, ...).
at::Tensor broadcastBias(const at::Tensor& bias, const at::Tensor& like) {
    std::vector<std::int64_t> shape(std::size_t(like.dim()), 1);
    shape[1] = bias.numel();
    return bias.view(shape);
}

at::Tensor gradient(const at::Tensor& output, const at::Tensor& input, const at::Tensor& seed) {
    return torch::autograd::grad({output}, {input}, {seed}, false, false, true).at(0);
}

// Where a layer with weights keeps them: activation, weight and bias input positions.
struct WeightedLayer {
    std::size_t activation, weight, bias;
    bool convolution;
};

// A convolution's geometry from its constant arguments; nullopt when the fast path cannot
// take it (transposed, string padding, arguments computed at run time).
struct Convolution {
    std::vector<std::int64_t> stride, padding, dilation, outputPadding;
    std::int64_t groups = 1;
};

std::optional<std::vector<std::int64_t>> constantInts(const Value* v) {
    if (auto constant = torch::jit::toIValue(v); constant && constant->isIntList())
        return constant->toIntVector();
    if (v->node()->kind() != c10::prim::ListConstruct) return std::nullopt;
    std::vector<std::int64_t> ints;
    for (const Value* element : v->node()->inputs()) {
        const auto constant = torch::jit::toIValue(element);
        if (!constant || !constant->isInt()) return std::nullopt;
        ints.push_back(constant->toInt());
    }
    return ints;
}

std::optional<Convolution> convolutionOf(const Node* n) {
    const bool general = isKind(n, {"aten::_convolution", "aten::convolution"});
    const auto stride = constantInts(n->input(3));
    const auto padding = constantInts(n->input(4));
    const auto dilation = constantInts(n->input(5));
    const auto groups = torch::jit::toIValue(n->input(general ? 8 : 6));
    if (!stride || !padding || !dilation || !groups || !groups->isInt()) return std::nullopt;
    Convolution c{*stride, *padding, *dilation, std::vector<std::int64_t>(stride->size(), 0),
                  groups->toInt()};
    if (general) {
        const auto transposed = torch::jit::toIValue(n->input(6));
        if (!transposed || !transposed->isBool() || transposed->toBool()) return std::nullopt;
    }
    return c;
}

// Images in channels-last order, which oneDNN convolves fastest on the CPU.
at::Tensor channelsLast(const at::Tensor& t) {
    return t.dim() == 4 ? t.contiguous(at::MemoryFormat::ChannelsLast) : t;
}

at::Tensor convolve(const Convolution& c, const at::Tensor& x, const at::Tensor& w,
                    const c10::optional<at::Tensor>& bias) {
    return at::convolution(x, w, bias, c.stride, c.padding, c.dilation, false, c.outputPadding,
                           c.groups);
}

// d(sum of seed * conv(x, w)) / dx: the transposed convolution of the seed.
at::Tensor convolveBack(const Convolution& c, const at::Tensor& seed, const at::Tensor& x,
                        const at::Tensor& w) {
    return std::get<0>(at::convolution_backward(seed, x, w, c10::nullopt, c.stride, c.padding,
                                                c.dilation, false, c.outputPadding, c.groups,
                                                {true, false, false}));
}

std::optional<WeightedLayer> weightedLayer(const Node* node) {
    if (isKind(node, {"aten::conv1d", "aten::conv2d", "aten::conv3d", "aten::_convolution",
                      "aten::convolution"}))
        return WeightedLayer{0, 1, 2, true};
    if (isKind(node, {"aten::linear"})) return WeightedLayer{0, 1, 2, false};
    return std::nullopt;
}

// A convolution's weights as the rules use them (BatchNorm merged), kept between calls.
struct PreparedConvolution {
    at::Tensor positiveWeight, negativeWeight, positiveBias, onesWeight;
};

using PreparedConvolutions = std::map<const Node*, PreparedConvolution>;

// Whether a node's rule reads its inputs' values (not only their shapes).
bool readsInputs(const Node* n) {
    return weightedLayer(n).has_value() || isKind(n, {"aten::add", "aten::add_", "aten::mean"}) ||
           isMaxPool(n) || isAveragePool(n);
}

class Propagation {
  public:
    Propagation(std::unordered_map<const Value*, at::Tensor> values, const Node* firstWeighted,
                const std::set<const Node*>& modelNodes,
                std::map<const Node*, std::unique_ptr<NodeRunner>>& runners,
                PreparedConvolutions& prepared)
        : values_(std::move(values)),
          firstWeighted_(firstWeighted),
          modelNodes_(modelNodes),
          runners_(runners),
          prepared_(prepared) {}

    std::unordered_map<const Value*, at::Tensor> relevance;

    void node(const Node* n) {
        if (n->outputs().empty()) return;
        const auto found = relevance.find(n->output(0));
        if (found == relevance.end()) return;
        const at::Tensor r = found->second;
        if (isKind(n, {"aten::relu",
                       "aten::relu_",
                       "aten::relu6",
                       "aten::hardtanh",
                       "aten::hardtanh_",
                       "aten::leaky_relu",
                       "aten::leaky_relu_",
                       "aten::elu",
                       "aten::elu_",
                       "aten::gelu",
                       "aten::silu",
                       "aten::silu_",
                       "aten::hardswish",
                       "aten::hardswish_",
                       "aten::dropout",
                       "aten::dropout_",
                       "aten::feature_dropout",
                       "aten::alpha_dropout",
                       "aten::clone",
                       "aten::contiguous",
                       "aten::detach"})) {
            add(n->input(0), r);
        } else if (isReshape(n)) {
            add(n->input(0), r.reshape(value(n->input(0)).sizes()));
        } else if (isKind(n, {"aten::cat"})) {
            concatenation(n, r);
        } else if (isKind(n, {"aten::add", "aten::add_"})) {
            sum(n, r);
        } else if (isKind(n, {"aten::batch_norm"})) {
            batchNorm(n, r);
        } else if (auto layer = weightedLayer(n)) {
            weighted(n, *layer, r);
        } else if (isMaxPool(n)) {
            auto x = value(n->input(0)).detach().requires_grad_(true);
            add(n->input(0), gradient(runner(n, {0})({x}), x, r));
        } else if (isAveragePool(n) || isKind(n, {"aten::mean"})) {
            const auto& input = value(n->input(0));
            auto x = input.detach().requires_grad_(true);
            const auto z = runner(n, {0})({x});
            add(n->input(0), input * gradient(z, x, stabilisedRatio(r, z.detach(), kEpsilon)));
        } else {
            throw std::invalid_argument(std::string("LRP has no rule for the operator ") +
                                        n->kind().toQualString() + " in " + where(n));
        }
    }

  private:
    std::unordered_map<const Value*, at::Tensor> values_;
    const Node* firstWeighted_;
    const std::set<const Node*>& modelNodes_;  // the model's own nodes, not the clones LRP added
    // BatchNorm merged into the layer before it: per output channel, scale and shift.
    std::map<const Node*, std::pair<at::Tensor, at::Tensor>> merged_;
    std::map<const Node*, std::unique_ptr<NodeRunner>>& runners_;
    PreparedConvolutions& prepared_;

    const at::Tensor& value(const Value* v) const {
        const auto found = values_.find(v);
        if (found == values_.end() || !found->second.defined())
            throw std::runtime_error("LRP lost a tensor of the forward pass");
        return found->second;
    }

    bool carries(const Value* v) const { return values_.contains(v); }

    void add(const Value* v, const at::Tensor& r) {
        if (!carries(v)) return;  // constants absorb what flows to them
        auto& slot = relevance[v];
        slot = slot.defined() ? slot + r : r;
    }

    void concatenation(const Node* n, const at::Tensor& r) {
        const Node* list = n->input(0)->node();
        const auto dim = torch::jit::toIValue(n->input(1));
        if (list->kind() != c10::prim::ListConstruct || !dim)
            throw std::invalid_argument("LRP cannot split the concatenation in " + where(n));
        std::int64_t offset = 0;
        for (const Value* part : list->inputs()) {
            const auto length = value(part).size(dim->toInt());
            add(part, r.narrow(dim->toInt(), offset, length));
            offset += length;
        }
    }

    // a + alpha * b: each operand's share of the sum.
    void sum(const Node* n, const at::Tensor& r) {
        const auto& out = value(n->output(0));
        const auto s = stabilisedRatio(r, out, kEpsilon);
        if (carries(n->input(0))) {
            const auto& a = value(n->input(0));
            add(n->input(0), (a * s).sum_to_size(a.sizes()));
        }
        if (carries(n->input(1))) {
            double alpha = 1;
            if (n->inputs().size() > 2)
                if (auto constant = torch::jit::toIValue(n->input(2)))
                    alpha = constant->toScalar().toDouble();
            const auto& b = value(n->input(1));
            add(n->input(1), (alpha * b * s).sum_to_size(b.sizes()));
        }
    }

    void batchNorm(const Node* n, const at::Tensor& r) {
        const Node* producer = n->input(0)->node();
        const auto layer = weightedLayer(producer);
        std::size_t uses = 0;
        for (const auto& use : n->input(0)->uses())
            uses += modelNodes_.contains(use.user);
        if (!layer || uses != 1)
            throw std::invalid_argument(
                "LRP has no rule for a BatchNorm that does not directly follow a convolution or "
                "linear layer, in " +
                where(n));
        const auto weight = constantTensor(n->input(1));
        const auto bias = constantTensor(n->input(2));
        const auto mean = constantTensor(n->input(3));
        const auto variance = constantTensor(n->input(4));
        const auto eps = torch::jit::toIValue(n->input(7));
        if (!mean.defined() || !variance.defined() || !eps)
            throw std::invalid_argument("LRP needs the running statistics of the BatchNorm in " +
                                        where(n));
        auto scale = 1.0 / torch::sqrt(variance + eps->toDouble());
        if (weight.defined()) scale = scale * weight;
        auto shift = -mean * scale;
        if (bias.defined()) shift = shift + bias;
        merged_[producer] = {scale, shift};
        add(n->input(0), r);  // the merged layer's output is the BatchNorm's
    }

    NodeRunner& runner(const Node* n, const std::vector<std::size_t>& arguments,
                       const std::set<std::size_t>& asNone = {}) {
        auto& slot = runners_[n];
        if (!slot) slot = std::make_unique<NodeRunner>(n, arguments, asNone);
        return *slot;
    }

    // The rules for a convolution without autograd: one convolution for z, one transposed
    // convolution for the relevance; the negative part only where the input has one.
    void convolution(const Node* n, const Convolution& c, const at::Tensor& input,
                     const PreparedConvolution& w, const at::Tensor& r) {
        if (n == firstWeighted_) {  // flat
            const auto ones = torch::ones_like(input);
            const auto z = convolve(c, ones, w.onesWeight, c10::nullopt);
            add(n->input(0), convolveBack(c, stabilisedRatio(r, z, kEpsilon), ones, w.onesWeight));
            return;
        }
        const bool negativeInputs =
            !knownNonNegative(n->input(0)) && input.min().item<double>() < 0;
        const auto format =
            input.dim() == 4 ? at::MemoryFormat::ChannelsLast : at::MemoryFormat::Contiguous;
        const auto positive = (negativeInputs ? input.clamp_min(0) : input).contiguous(format);
        auto z = convolve(c, positive, w.positiveWeight, w.positiveBias);
        at::Tensor negative;
        if (negativeInputs) {
            negative = input.clamp_max(0);
            z = z + convolve(c, negative, w.negativeWeight, c10::nullopt);
        }
        const auto s = stabilisedRatio(r, z, kZPlusStabiliser);
        auto relevance = positive * convolveBack(c, s, positive, w.positiveWeight);
        if (negativeInputs)
            relevance = relevance + negative * convolveBack(c, s, negative, w.negativeWeight);
        add(n->input(0), relevance);
    }

    void weighted(const Node* n, const WeightedLayer& layer, const at::Tensor& r) {
        const auto& input = value(n->input(layer.activation));
        const auto geometry = layer.convolution ? convolutionOf(n) : std::nullopt;
        if (geometry) {
            if (auto found = prepared_.find(n); found != prepared_.end())
                return convolution(n, *geometry, input, found->second, r);
        }
        auto weight = constantTensor(n->input(layer.weight));
        if (!weight.defined())
            throw std::invalid_argument(std::string("LRP needs constant weights for ") +
                                        n->kind().toQualString() + " in " + where(n));
        auto bias = constantTensor(n->input(layer.bias));
        if (!bias.defined()) bias = torch::zeros({weight.size(0)});
        if (auto m = merged_.find(n); m != merged_.end()) {
            std::vector<std::int64_t> shape(std::size_t(weight.dim()), 1);
            shape[0] = weight.size(0);
            weight = weight * m->second.first.view(shape);
            bias = bias * m->second.first + m->second.second;
        }
        if (geometry) {
            auto& prepared = prepared_[n];
            const auto format =
                weight.dim() == 4 ? at::MemoryFormat::ChannelsLast : at::MemoryFormat::Contiguous;
            prepared = {weight.clamp_min(0).contiguous(format),
                        weight.clamp_max(0).contiguous(format), bias.clamp_min(0),
                        torch::ones_like(weight).contiguous(format)};
            return convolution(n, *geometry, input, prepared, r);
        }
        auto& run = runner(n, {layer.activation, layer.weight}, {layer.bias});
        if (n == firstWeighted_) {  // flat: every input in the field counts the same
            auto ones = torch::ones_like(input).requires_grad_(true);
            const auto z = run({ones, torch::ones_like(weight)});
            add(n->input(layer.activation),
                gradient(z, ones, stabilisedRatio(r, z.detach(), kEpsilon)));
        } else if (layer.convolution) {  // z+
            auto positive = input.clamp_min(0).requires_grad_(true);
            auto negative = input.clamp_max(0).requires_grad_(true);
            const auto zPositive = run({positive, weight.clamp_min(0)});
            const auto zNegative = run({negative, weight.clamp_max(0)});
            const auto z = zPositive + zNegative + broadcastBias(bias.clamp_min(0), zPositive);
            const auto s = stabilisedRatio(r, z.detach(), kZPlusStabiliser);
            const auto grads = torch::autograd::grad({zPositive, zNegative}, {positive, negative},
                                                     {s, s}, false, false, true);
            add(n->input(layer.activation),
                positive.detach() * grads[0] + negative.detach() * grads[1]);
        } else {  // epsilon
            auto x = input.detach().requires_grad_(true);
            const auto product = run({x, weight});
            const auto z = product.detach() + broadcastBias(bias, product);
            add(n->input(layer.activation),
                input * gradient(product, x, stabilisedRatio(r, z, kEpsilon)));
        }
    }
};

}  // namespace

// The forward graph that returns every tensor it computes (cloned where produced), made
// once per model, with the runners that re-run its nodes.
struct LrpEngine::Plan {
    std::shared_ptr<Graph> graph;
    std::unique_ptr<torch::jit::GraphFunction> forward;
    std::vector<Node*> nodes;
    std::set<const Node*> modelNodes;
    std::vector<Value*> tensors;
    Value* output = nullptr;
    const Node* firstWeighted = nullptr;
    std::map<const Node*, std::unique_ptr<NodeRunner>> runners;
    PreparedConvolutions prepared;
};

LrpEngine::LrpEngine(ScriptModel::Impl& model) : model_(model) {}
LrpEngine::~LrpEngine() = default;

LrpEngine::Plan& LrpEngine::plan() {
    if (plan_) return *plan_;
    auto p = std::make_unique<Plan>();
    p->graph = model_.forward->copy();
    for (Node* node : p->graph->nodes()) {
        p->nodes.push_back(node);
        if (!p->firstWeighted && weightedLayer(node)) p->firstWeighted = node;
    }
    p->modelNodes = std::set<const Node*>(p->nodes.begin(), p->nodes.end());
    // A value is cloned where it is produced only when a later in-place op changes it and a
    // rule reads it (copying every tensor costs a fifth of the time on ResNet-50).
    std::set<const Value*> modified;
    for (const Node* node : p->nodes) {
        const std::string kind = node->kind().toUnqualString();
        if (!kind.empty() && kind.back() == '_' && !node->inputs().empty())
            modified.insert(node->input(0));
    }
    const auto read = [](const Value* v) {
        if (isKind(v->node(), {"aten::add", "aten::add_"})) return true;  // the sum reads z
        for (const auto& use : v->uses())
            if (readsInputs(use.user)) return true;
        return false;
    };
    std::vector<Value*> returned;
    for (Node* node : p->nodes)
        for (Value* v : node->outputs())
            if (v->type()->cast<c10::TensorType>()) {
                p->tensors.push_back(v);
                if (modified.contains(v) && read(v)) {
                    torch::jit::WithInsertPoint insert(node->next());
                    returned.push_back(p->graph->insert(c10::aten::clone, {v}));
                } else {
                    returned.push_back(v);
                }
            }
    p->output = p->graph->outputs()[0];
    returned.push_back(p->output);
    while (!p->graph->outputs().empty())
        p->graph->eraseOutput(0);
    p->graph->registerOutput(p->graph->insertNode(p->graph->createTuple(returned))->output());
    p->forward = std::make_unique<torch::jit::GraphFunction>("lrp_forward", p->graph, nullptr);
    plan_ = std::move(p);
    return *plan_;
}

void LrpEngine::attribute(const at::Tensor& x, const AttributionRequest& request,
                          AttributionResult& result, const JobContext& job) {
    auto& p = plan();
    auto* graph = p.graph.get();
    const bool unitTarget = result.target.kind == AttributionTarget::Kind::Unit;
    std::vector<std::string> named = request.layers;
    if (unitTarget) named.push_back(result.target.layer);
    const auto layerValues = layerOutputs(*graph, named);
    const auto& nodes = p.nodes;
    Value* output = p.output;

    std::unordered_map<const Value*, at::Tensor> values;
    torch::AutoGradMode grad(true);
    {
        torch::NoGradGuard noGrad;
        // A copy of x, in case the model's first op works in place.
        const auto tuple =
            runGraph(*p.forward, model_.frozen, {channelsLast(x.clone())}, x.sizes().vec())
                .toTuple();
        for (std::size_t i = 0; i < p.tensors.size(); ++i)
            values[p.tensors[i]] = tuple->elements()[i].toTensor();
        values[output] = tuple->elements().back().toTensor();
        values[graph->inputs()[1]] = x;
    }
    job.report(0.3, "relevance");

    Propagation propagation(values, p.firstWeighted, p.modelNodes, p.runners, p.prepared);
    if (result.target.kind == AttributionTarget::Kind::Predicted) {
        const auto& logits = values.at(output);
        if (logits.dim() != 2)
            throw std::invalid_argument(
                "the model's output is not a vector of logits: name a unit target instead");
        result.target.kind = AttributionTarget::Kind::Logit;
        result.target.index = logits.argmax(1).item<std::int64_t>();
    }
    // The output relevance: the target's value at the target, zero elsewhere.
    const Value* start = unitTarget ? layerValues.back() : output;
    if (!start || !values.contains(start))
        throw std::invalid_argument("the target's output is not a tensor");
    const auto& out = values.at(start);
    if (out.dim() < 2 || result.target.index >= out.size(1))
        throw std::invalid_argument("the target " + result.target.text() + " is out of range");
    auto r = torch::zeros_like(out);
    auto column = out.select(1, result.target.index);
    if (unitTarget) {
        r.select(1, result.target.index).copy_(column / double(column[0].numel()));
        result.targetValue = column.mean().item<double>();
    } else {
        r.select(1, result.target.index).copy_(column);
        result.targetValue = column.item<double>();
    }
    propagation.relevance[start] = r;
    for (auto it = nodes.rbegin(); it != nodes.rend(); ++it) {
        propagation.node(*it);
        job.checkCancelled();
    }
    const auto relevanceAt = [&](const Value* v) {
        const auto found = propagation.relevance.find(v);
        return found == propagation.relevance.end() ? torch::zeros_like(values.at(v))
                                                    : found->second;
    };
    result.inputMap = withoutBatch(relevanceAt(graph->inputs()[1]));
    for (std::size_t i = 0; i < request.layers.size(); ++i) {
        const Value* v = layerValues[i];
        result.layers.push_back(layerAttribution(request.layers[i], relevanceAt(v), values.at(v)));
    }
    job.report(1.0, "relevance");
}

}  // namespace us::analysis
