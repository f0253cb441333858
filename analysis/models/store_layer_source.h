#pragma once
// "ACTS.h5:LAYER", the way commands name one layer of an activation store.

#include <filesystem>
#include <string>

namespace us::analysis {

struct StoreLayerSource {
    std::filesystem::path path;
    std::string layer;
};

// Splits at the last colon (layer names have none; Windows drive letters come first). option
// names the argument in the error, such as "--store".
StoreLayerSource parseStoreLayerSource(const std::string& text, const std::string& option);

}  // namespace us::analysis
