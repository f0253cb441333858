#include "analysis/models/script_model.h"

#include <torch/csrc/jit/passes/dead_code_elimination.h>
#include <torch/csrc/jit/passes/freeze_module.h>
#include <torch/csrc/jit/passes/inliner.h>

#include <map>
#include <set>
#include <sstream>
#include <stdexcept>

#include "analysis/core/name_suggestions.h"
#include "analysis/models/script_graph.h"

namespace us::analysis {
namespace fs = std::filesystem;
using torch::jit::Node;
using torch::jit::Value;

namespace script_graph {

std::string conciseTorchError(const std::string& what) {
    std::stringstream stream(what);
    std::string line, best, last;
    while (std::getline(stream, line)) {
        if (line.find_first_not_of(" \t") == std::string::npos) continue;
        last = line;
        if (line.find("Error: ") != std::string::npos &&
            line.find("Traceback") == std::string::npos)
            best = line;
    }
    std::string text = best.empty() ? last : best;
    const auto start = text.find_first_not_of(" \t");
    return start == std::string::npos ? what : text.substr(start);
}

std::string modulePath(const Node* node) {
    const auto callstack = node->callstack();
    if (!callstack) return {};
    std::string path;
    for (const auto& entry : (*callstack)->vec()) {
        const auto& instance = std::get<2>(entry);
        if (!instance) continue;
        const std::string name = instance->instance_name();
        if (name.empty() || name == "SELF") continue;
        if (!path.empty()) path += '.';
        path += name;
    }
    return path;
}

namespace {

void collectModulePaths(const Node* node, std::set<std::string>& paths) {
    if (node->kind() == c10::prim::Constant) return;
    if (auto path = modulePath(node); !path.empty()) paths.insert(std::move(path));
    for (const auto* block : node->blocks())
        for (const auto* inner : block->nodes())
            collectModulePaths(inner, paths);
}

bool pathIsInside(const std::string& path, const std::string& module) {
    return path == module ||
           (path.size() > module.size() && path.starts_with(module) && path[module.size()] == '.');
}

}  // namespace

std::vector<Value*> layerOutputs(torch::jit::Graph& graph, const std::vector<std::string>& layers) {
    std::vector<Node*> lastNode(layers.size(), nullptr);
    for (Node* node : graph.nodes()) {
        std::set<std::string> paths;
        collectModulePaths(node, paths);
        for (std::size_t i = 0; i < layers.size(); ++i) {
            if (layers[i].empty()) continue;
            for (const auto& path : paths)
                if (pathIsInside(path, layers[i])) lastNode[i] = node;
        }
    }
    std::vector<Value*> outputs(layers.size(), nullptr);
    for (std::size_t i = 0; i < layers.size(); ++i) {
        if (layers[i].empty()) {
            outputs[i] = graph.outputs()[0];
            continue;
        }
        if (!lastNode[i]) continue;
        for (Value* value : lastNode[i]->outputs())
            if (value->type()->cast<c10::TensorType>()) {
                outputs[i] = value;
                break;
            }
    }
    return outputs;
}

FloatArray toFloatArray(const at::Tensor& tensor) {
    const at::Tensor t = tensor.detach().to(torch::kFloat).contiguous();
    FloatArray array;
    array.shape.assign(t.sizes().begin(), t.sizes().end());
    array.values.assign(t.data_ptr<float>(), t.data_ptr<float>() + t.numel());
    return array;
}

at::Tensor toTensor(const FloatArray& array) {
    if (FloatArray::elementCount(array.shape) != std::int64_t(array.values.size()))
        throw std::invalid_argument("batch shape does not match its values");
    return torch::from_blob(const_cast<float*>(array.values.data()), array.shape).clone();
}

c10::IValue runGraph(torch::jit::GraphFunction& function, const torch::jit::Module& module,
                     std::vector<c10::IValue> inputs, const std::vector<std::int64_t>& shape) {
    torch::jit::Stack stack{module._ivalue()};
    for (auto& input : inputs)
        stack.push_back(std::move(input));
    try {
        function.run(stack);
    } catch (const c10::Error& error) {
        throw std::runtime_error("the model's forward failed on input " + shapeText(shape) + ": " +
                                 conciseTorchError(error.what_without_backtrace()));
    } catch (const std::runtime_error& error) {  // the interpreter's own exceptions
        throw std::runtime_error("the model's forward failed on input " + shapeText(shape) + ": " +
                                 conciseTorchError(error.what()));
    }
    return stack.back();
}

}  // namespace script_graph

using namespace script_graph;

ScriptModel::Impl::Tapping& ScriptModel::Impl::tapping(const std::vector<std::string>& layers) {
    if (auto found = tapped.find(layers); found != tapped.end()) return found->second;
    auto graph = forward->copy();
    std::vector<Value*> outputs = layerOutputs(*graph, layers);
    for (std::size_t i = 0; i < layers.size(); ++i) {
        if (layers[i].empty() || !outputs[i]) continue;
        torch::jit::WithInsertPoint insert(outputs[i]->node()->next());
        outputs[i] = graph->insert(c10::aten::clone, {outputs[i]});
    }
    Tapping result;
    std::vector<Value*> present;
    for (auto* value : outputs) {
        result.present.push_back(value != nullptr);
        if (value) present.push_back(value);
    }
    while (!graph->outputs().empty())
        graph->eraseOutput(0);
    graph->registerOutput(graph->insertNode(graph->createTuple(present))->output());
    torch::jit::EliminateDeadCode(graph);
    result.function = std::make_unique<torch::jit::GraphFunction>("tapped_forward", graph, nullptr);
    return tapped.emplace(layers, std::move(result)).first->second;
}

std::vector<at::Tensor> ScriptModel::Impl::run(const at::Tensor& batch,
                                               const std::vector<std::string>& layers) {
    auto& tapping = this->tapping(layers);
    const std::vector<std::int64_t> shape(batch.sizes().begin(), batch.sizes().end());
    const auto tuple = runGraph(*tapping.function, frozen, {batch}, shape).toTuple();
    std::vector<at::Tensor> results(layers.size());
    std::size_t next = 0;
    for (std::size_t i = 0; i < layers.size(); ++i) {
        if (!tapping.present[i]) continue;
        const auto& element = tuple->elements().at(next++);
        if (element.isTensor()) results[i] = element.toTensor();
    }
    return results;
}

ScriptModel::ScriptModel(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ScriptModel::ScriptModel(ScriptModel&&) noexcept = default;
ScriptModel& ScriptModel::operator=(ScriptModel&&) noexcept = default;
ScriptModel::~ScriptModel() = default;

ScriptModel ScriptModel::load(const fs::path& path) {
    std::error_code ec;
    if (!fs::is_regular_file(path, ec))
        throw std::runtime_error("model file not found: '" + path.string() + "'");
    auto impl = std::make_unique<Impl>();
    impl->path = path;
    try {
        impl->original = torch::jit::load(path.string(), torch::kCPU);
    } catch (const c10::Error& error) {
        throw std::runtime_error("'" + path.string() +
                                 "' is not a TorchScript file (save one with torch.jit.script or "
                                 "torch.jit.trace, then .save()): " +
                                 conciseTorchError(error.what_without_backtrace()));
    }
    if (!impl->original.find_method("forward"))
        throw std::runtime_error("'" + path.string() + "' has no forward method");
    try {
        impl->original.eval();
        impl->frozen = torch::jit::freeze_module(impl->original);
        impl->forward = impl->frozen.get_method("forward").graph()->copy();
        torch::jit::Inline(*impl->forward);
    } catch (const c10::Error& error) {
        throw std::runtime_error("cannot prepare '" + path.string() + "' for tapping: " +
                                 conciseTorchError(error.what_without_backtrace()));
    }
    for (const auto& named : impl->original.named_modules())
        if (!named.name.empty()) impl->moduleNames.push_back(named.name);
    return ScriptModel(std::move(impl));
}

const fs::path& ScriptModel::path() const {
    return impl_->path;
}

std::vector<std::string> ScriptModel::moduleNames() const {
    return impl_->moduleNames;
}

void ScriptModel::checkLayerNames(const std::vector<std::string>& layers) const {
    const std::set<std::string> known(impl_->moduleNames.begin(), impl_->moduleNames.end());
    for (const auto& layer : layers) {
        if (known.contains(layer)) continue;
        throw std::invalid_argument("the model has no layer '" + layer + "'" +
                                    nearestNamesText(layer, impl_->moduleNames, "nearest names:"));
    }
}

std::vector<LayerInfo> ScriptModel::describeLayers(
    const std::vector<std::int64_t>& inputShape) const {
    std::vector<std::int64_t> batchShape{1};
    batchShape.insert(batchShape.end(), inputShape.begin(), inputShape.end());
    FloatArray zeros{batchShape,
                     std::vector<float>(std::size_t(FloatArray::elementCount(batchShape)))};
    c10::InferenceMode inference;
    const auto outputs = impl_->run(toTensor(zeros), impl_->moduleNames);

    std::vector<LayerInfo> layers;
    std::size_t i = 0;
    for (const auto& named : impl_->original.named_modules()) {
        if (named.name.empty()) continue;
        LayerInfo info;
        info.name = named.name;
        info.type = named.value.type()->name() ? named.value.type()->name()->name() : "Module";
        if (outputs[i].defined())
            info.outputShape.assign(outputs[i].sizes().begin() + 1, outputs[i].sizes().end());
        for (const auto& parameter : named.value.parameters())
            info.parameterCount += parameter.numel();
        layers.push_back(std::move(info));
        ++i;
    }
    return layers;
}

std::vector<FloatArray> ScriptModel::run(const FloatArray& batch,
                                         const std::vector<std::string>& layers) {
    checkLayerNames(layers);
    std::vector<FloatArray> arrays;
    c10::InferenceMode inference;
    for (const auto& tensor : impl_->run(toTensor(batch), layers)) {
        if (!tensor.defined()) throw std::runtime_error("a requested layer produced no tensor");
        arrays.push_back(toFloatArray(tensor));
    }
    return arrays;
}

std::vector<PooledActivations> ScriptModel::runPooled(const FloatArray& batch,
                                                      const std::vector<std::string>& layers,
                                                      FloatArray* modelOutput) {
    checkLayerNames(layers);
    c10::InferenceMode inference;
    std::vector<std::string> taps = layers;
    if (modelOutput) taps.emplace_back();
    const auto tensors = impl_->run(toTensor(batch), taps);
    if (modelOutput) {
        if (!tensors.back().defined() || !tensors.back().is_floating_point())
            throw std::runtime_error("the model's output is not a floating-point tensor");
        *modelOutput = toFloatArray(tensors.back());
    }
    std::vector<PooledActivations> pooled;
    for (std::size_t i = 0; i < layers.size(); ++i) {
        const auto& t = tensors[i];
        if (!t.defined())
            throw std::runtime_error("layer '" + layers[i] +
                                     "' is never called by forward or does not return a tensor");
        if (t.dim() < 2) {
            const auto column = t.reshape({t.size(0), 1});
            pooled.push_back({toFloatArray(column), toFloatArray(column)});
        } else if (t.dim() == 2) {
            pooled.push_back({toFloatArray(t), toFloatArray(t)});
        } else {
            const auto flat = t.flatten(2).to(torch::kFloat);
            pooled.push_back({toFloatArray(flat.mean(2)), toFloatArray(std::get<0>(flat.max(2)))});
        }
    }
    return pooled;
}

FloatArray ScriptModel::runOutput(const FloatArray& batch) {
    c10::InferenceMode inference;
    const auto tensors = impl_->run(toTensor(batch), {std::string()});
    if (!tensors[0].defined() || !tensors[0].is_floating_point())
        throw std::runtime_error("the model's output is not a floating-point tensor");
    return toFloatArray(tensors[0]);
}

}  // namespace us::analysis
