#pragma once
// Torch-side helpers shared by the attribution methods (attributor.cpp, lrp.cpp): per-unit
// reductions and the conversion of a layer's map and activation into a LayerAttribution.

#include <torch/script.h>

#include <string>
#include <vector>

#include "analysis/attribution/attribution.h"
#include "analysis/models/script_graph.h"

namespace us::analysis {

// Sum over every dimension after the first two: one value per (batch, unit).
inline at::Tensor spatialSum(const at::Tensor& t) {
    return t.dim() > 2 ? t.flatten(2).sum(2) : t;
}

inline at::Tensor spatialMean(const at::Tensor& t) {
    return t.dim() > 2 ? t.flatten(2).mean(2) : t;
}

inline FloatArray withoutBatch(const at::Tensor& t) {
    return script_graph::toFloatArray(t.squeeze(0));
}

inline std::vector<double> toDoubles(const at::Tensor& t) {
    const at::Tensor d = t.detach().to(torch::kDouble).contiguous();
    return {d.data_ptr<double>(), d.data_ptr<double>() + d.numel()};
}

// A chosen layer's result from its attribution map and activation (batch of one): the
// map summed over space per unit is the unit's node value; the activation's spatial mean.
inline LayerAttribution layerAttribution(const std::string& name, const at::Tensor& map,
                                         const at::Tensor& activation) {
    LayerAttribution layer;
    layer.layer = name;
    layer.map = withoutBatch(map);
    layer.activation = withoutBatch(activation);
    layer.unitAttribution = toDoubles(spatialSum(map).squeeze(0));
    layer.unitActivation = toDoubles(spatialMean(activation).squeeze(0));
    return layer;
}

}  // namespace us::analysis
