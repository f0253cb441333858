#pragma once

#include <cstdint>
#include <numeric>
#include <string>
#include <vector>

namespace us::analysis {

// A dense float32 array in C order: the value type that carries tensors across the torch
// boundary and between threads.
struct FloatArray {
    std::vector<std::int64_t> shape;
    std::vector<float> values;

    static std::int64_t elementCount(const std::vector<std::int64_t>& shape) {
        return std::accumulate(shape.begin(), shape.end(), std::int64_t{1},
                               [](std::int64_t a, std::int64_t b) { return a * b; });
    }
};

// "[1, 3, 224, 224]", for messages.
inline std::string shapeText(const std::vector<std::int64_t>& shape) {
    std::string text = "[";
    for (std::size_t i = 0; i < shape.size(); ++i) {
        if (i) text += ", ";
        text += std::to_string(shape[i]);
    }
    return text + "]";
}

}  // namespace us::analysis
