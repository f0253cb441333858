#pragma once
// Layer-wise relevance propagation on a frozen, inlined TorchScript graph (torch-side; only
// attributor.cpp includes it). The composite most used for CNNs: BatchNorm merged into the
// convolution or linear layer before it; the flat rule at the first layer with weights; z+
// at later convolutions; epsilon at fully connected layers; sums and average pooling share
// relevance in proportion to their inputs; max pooling gives it to the winner; ReLU-like
// activations, flatten, reshape, dropout and concatenation pass it through.

#include "analysis/attribution/attribution.h"
#include "analysis/models/script_graph.h"

#include <memory>

namespace us::analysis {

class LrpEngine {
  public:
    explicit LrpEngine(ScriptModel::Impl& model);
    ~LrpEngine();
    LrpEngine(const LrpEngine&) = delete;
    LrpEngine& operator=(const LrpEngine&) = delete;

    // Fills result.targetValue, inputMap and layers (request.layers in forward order) with
    // relevance. Throws std::invalid_argument naming an operator that has no rule and its
    // module.
    void attribute(const at::Tensor& x, const AttributionRequest& request,
                   AttributionResult& result, const JobContext& job);

  private:
    struct Plan;
    Plan& plan();
    ScriptModel::Impl& model_;
    std::unique_ptr<Plan> plan_;
};

}  // namespace us::analysis
