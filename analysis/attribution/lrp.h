#pragma once
// Layer-wise relevance propagation on a frozen, inlined TorchScript graph (torch-side; only
// attributor.cpp includes it). The composite most used for CNNs: BatchNorm merged into the
// convolution or linear layer before it; the flat rule at the first layer with weights; z+
// at later convolutions; epsilon at fully connected layers; sums and average pooling share
// relevance in proportion to their inputs; max pooling gives it to the winner; ReLU-like
// activations, flatten, reshape, dropout and concatenation pass it through.

#include "analysis/attribution/attribution.h"
#include "analysis/models/script_graph.h"

namespace us::analysis {

// Fills result.targetValue, inputMap and layers (request.layers in forward order) with
// relevance. Throws std::invalid_argument naming an operator that has no rule and its module.
void lrpAttribute(ScriptModel::Impl& model, const at::Tensor& x, const AttributionRequest& request,
                  AttributionResult& result, const JobContext& job);

}  // namespace us::analysis
