#pragma once
// The one platform-specific file operation analysis/ needs: force a file's bytes to disk.

#include <filesystem>

namespace us::analysis {

// Returns false when the file cannot be opened or the flush fails.
bool syncFileToDisk(const std::filesystem::path& path);

}  // namespace us::analysis
