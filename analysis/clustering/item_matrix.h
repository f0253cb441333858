#pragma once
// The matrix a clustering runs on: rows are items. From a 2-D .npy, or from an activation
// store's layer (rows are stimuli; "units" as items transposes it).

#include <filesystem>
#include <string>

#include "analysis/core/float_array.h"
#include "analysis/models/activation_store.h"

namespace us::analysis {

enum class ItemKind { Stimuli, Units };
ItemKind parseItemKind(const std::string& name);  // "stimuli" | "units"

// spec: "X.npy", "acts.h5:layer" or "acts.h5" (its only layer). Throws with a clear message.
FloatArray loadItemMatrix(const std::string& spec, ItemKind items, Pooling pooling);

FloatArray transposed(const FloatArray& matrix);

}  // namespace us::analysis
