#include "analysis/clustering/item_matrix.h"

#include <stdexcept>

#include "analysis/core/npy.h"

namespace us::analysis {
namespace fs = std::filesystem;

ItemKind parseItemKind(const std::string& name) {
    if (name == "stimuli") return ItemKind::Stimuli;
    if (name == "units") return ItemKind::Units;
    throw std::invalid_argument("--items must be stimuli or units, not '" + name + "'");
}

FloatArray transposed(const FloatArray& m) {
    const auto rows = m.shape.at(0), cols = m.shape.at(1);
    FloatArray t{{cols, rows}, std::vector<float>(m.values.size())};
    for (std::int64_t r = 0; r < rows; ++r)
        for (std::int64_t c = 0; c < cols; ++c)
            t.values[std::size_t(c * rows + r)] = m.values[std::size_t(r * cols + c)];
    return t;
}

FloatArray loadItemMatrix(const std::string& spec, ItemKind items, Pooling pooling) {
    FloatArray matrix;
    std::string path = spec, layer;
    if (const auto colon = spec.rfind(':'); colon != std::string::npos && colon > 1) {
        const std::string candidate = spec.substr(0, colon);
        if (candidate.ends_with(".h5") || candidate.ends_with(".hdf5")) {
            path = candidate;
            layer = spec.substr(colon + 1);
        }
    }
    if (path.ends_with(".npy")) {
        if (!layer.empty()) throw std::invalid_argument("a .npy input has no layers");
        NpyHeader header;
        const auto values = readNpyAsDouble(path, &header);
        if (header.shape.size() != 2)
            throw std::invalid_argument("'" + path + "' must be 2-D (items x features), it has " +
                                        std::to_string(header.shape.size()) + " dimensions");
        matrix = {header.shape, std::vector<float>(values.begin(), values.end())};
    } else {
        const auto store = ActivationStore::open(path);
        if (layer.empty()) {
            if (store.layers().size() != 1)
                throw std::invalid_argument("'" + path + "' stores " +
                                            std::to_string(store.layers().size()) +
                                            " layers: name one as " + path + ":LAYER");
            layer = store.layers()[0].name;
        }
        matrix = store.layerMatrix(layer, pooling);
    }
    return items == ItemKind::Units ? transposed(matrix) : matrix;
}

}  // namespace us::analysis
