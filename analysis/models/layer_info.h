#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace us::analysis {

// One module of a network as the user sees it: dotted name, type and output shape
// (without the batch dimension) for the model's input size.
struct LayerInfo {
    std::string name;
    std::string type;
    std::vector<std::int64_t> outputShape;
    std::int64_t parameterCount = 0;
    bool operator==(const LayerInfo&) const = default;
};

}  // namespace us::analysis
