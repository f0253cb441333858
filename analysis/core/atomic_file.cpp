#include "analysis/core/atomic_file.h"

#include <atomic>
#include <chrono>
#include <fstream>
#include <stdexcept>
#include <string>

#include "analysis/core/file_sync.h"

namespace us::analysis {
namespace fs = std::filesystem;
namespace {

fs::path temporaryPathBeside(const fs::path& path, bool keepName) {
    static std::atomic<unsigned> counter{0};
    const auto stamp = std::chrono::steady_clock::now().time_since_epoch().count();
    const std::string unique = std::to_string(stamp) + '-' + std::to_string(counter++);
    const std::string file = path.filename().string();
    return path.parent_path() /
           (keepName ? ".tmp-" + unique + '-' + file : '.' + file + ".tmp-" + unique);
}

}  // namespace

AtomicFile::AtomicFile(fs::path target) : AtomicFile(std::move(target), false) {}

AtomicFile::AtomicFile(fs::path target, bool keepName)
    : target_(std::move(target)), temp_(temporaryPathBeside(target_, keepName)) {}

AtomicFile::~AtomicFile() {
    if (committed_) return;
    std::error_code ignored;
    fs::remove(temp_, ignored);
}

void AtomicFile::commit() {
    if (!syncFileToDisk(temp_))
        throw std::runtime_error("cannot sync '" + temp_.string() + "' to disk");
    fs::rename(temp_, target_);
    committed_ = true;
}

void writeTextAtomically(const fs::path& path, const std::string& text) {
    AtomicFile file(path);
    {
        std::ofstream out(file.tempPath(), std::ios::binary);
        out << text;
        if (!out.flush()) throw std::runtime_error("cannot write '" + path.string() + "'");
    }
    file.commit();
}

}  // namespace us::analysis
