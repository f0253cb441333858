#pragma once
// All-or-nothing file output: write to a hidden temporary file beside the target, then
// commit() syncs it and renames it over the target. Destroyed without commit() (an error,
// a cancelled job), it removes the temporary file, so no partial output is ever left behind.

#include <filesystem>
#include <string>

namespace us::analysis {

class AtomicFile {
  public:
    explicit AtomicFile(std::filesystem::path target);
    // keepName: the temporary name ends with the target's own file name (".tmp-N-name.nii.gz"),
    // for libraries that choose the format from the extension.
    AtomicFile(std::filesystem::path target, bool keepName);
    ~AtomicFile();
    AtomicFile(const AtomicFile&) = delete;
    AtomicFile& operator=(const AtomicFile&) = delete;

    const std::filesystem::path& tempPath() const { return temp_; }
    const std::filesystem::path& targetPath() const { return target_; }
    // The caller has closed every handle on tempPath(). Throws std::runtime_error on failure.
    void commit();

  private:
    std::filesystem::path target_;
    std::filesystem::path temp_;
    bool committed_ = false;
};

// Writes text (a JSON report) to path all or nothing. Throws std::runtime_error.
void writeTextAtomically(const std::filesystem::path& path, const std::string& text);

}  // namespace us::analysis
