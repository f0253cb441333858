#include "analysis/models/store_layer_source.h"

#include <stdexcept>

namespace us::analysis {

StoreLayerSource parseStoreLayerSource(const std::string& text, const std::string& option) {
    const auto colon = text.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == text.size())
        throw std::invalid_argument(option + " must be ACTS.h5:LAYER, not '" + text + "'");
    return {text.substr(0, colon), text.substr(colon + 1)};
}

}  // namespace us::analysis
