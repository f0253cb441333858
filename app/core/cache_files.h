#pragma once
// Files the window keeps in its cache for a layer of a store: named by the store's hash and
// the layer, so that the same request finds them again.

#include <filesystem>
#include <string>

namespace us::app {

// cacheDir/folder/<the first 16 hex digits of sha256>-<layer, with / \ : as _><suffix>
std::filesystem::path layerCacheFile(const std::filesystem::path& cacheDir,
                                     const std::string& folder, const std::string& sha256,
                                     const std::string& layer, const std::string& suffix);

}  // namespace us::app
