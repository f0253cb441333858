#pragma once
// Torch-side internals of ScriptModel, for the few analysis .cpp files that work on the
// frozen, inlined TorchScript graph (tapping, attribution). Never include from a header that
// non-torch code sees.

#include <torch/csrc/jit/api/function_impl.h>
#include <torch/csrc/jit/ir/ir.h>
#include <torch/script.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "analysis/core/float_array.h"
#include "analysis/models/script_model.h"

namespace us::analysis {

namespace script_graph {

// TorchScript errors carry an interpreter traceback; users need its last "Error: ..." line.
std::string conciseTorchError(const std::string& what);

// The module instance path a node was inlined from, e.g. "layer1.0.conv1" ("" for the top).
std::string modulePath(const torch::jit::Node* node);

// Each layer's output in an inlined graph: the first tensor output of the last top-level
// node that contains (itself or in a nested block) a node of that module; nullptr where
// forward never calls the module. "" names the graph's own output.
std::vector<torch::jit::Value*> layerOutputs(torch::jit::Graph& graph,
                                             const std::vector<std::string>& layers);

FloatArray toFloatArray(const at::Tensor& tensor);
at::Tensor toTensor(const FloatArray& array);  // a copy, so the tensor owns its memory

// Runs a graph function on (module, inputs...) and rethrows torch's errors as one clear line.
c10::IValue runGraph(torch::jit::GraphFunction& function, const torch::jit::Module& module,
                     std::vector<c10::IValue> inputs, const std::vector<std::int64_t>& shape);

}  // namespace script_graph

struct ScriptModel::Impl {
    std::filesystem::path path;
    torch::jit::Module original;
    torch::jit::Module frozen;
    std::shared_ptr<torch::jit::Graph> forward;  // the frozen forward, inlined
    std::vector<std::string> moduleNames;
    struct Tapping {
        std::unique_ptr<torch::jit::GraphFunction> function;
        std::vector<bool> present;  // false: the layer produced no tensor
    };
    // Compiled tapping functions by their tap list ("" for the model's own output).
    std::map<std::vector<std::string>, Tapping> tapped;

    // A copy of forward that returns a tuple of the chosen module outputs (cloned where they
    // are produced, so later in-place ops cannot change them) and nothing it does not need.
    Tapping& tapping(const std::vector<std::string>& layers);
    // Runs and returns one tensor per requested layer (undefined for layers with no output).
    std::vector<at::Tensor> run(const at::Tensor& batch, const std::vector<std::string>& layers);
};

}  // namespace us::analysis
