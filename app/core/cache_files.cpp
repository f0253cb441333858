#include "app/core/cache_files.h"

namespace us::app {

std::filesystem::path layerCacheFile(const std::filesystem::path& cacheDir,
                                     const std::string& folder, const std::string& sha256,
                                     const std::string& layer, const std::string& suffix) {
    std::string name = layer;  // layer names may hold '/'
    for (char& c : name)
        if (c == '/' || c == '\\' || c == ':') c = '_';
    return cacheDir / folder / (sha256.substr(0, 16) + "-" + name + suffix);
}

}  // namespace us::app
