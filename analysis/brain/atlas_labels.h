#pragma once
// Region names of a label atlas, read from the mricron-data text format (lines "index name code").

#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>

namespace us::analysis {

class AtlasLabels {
  public:
    AtlasLabels() = default;
    // Throws std::runtime_error when the file cannot be read or holds no valid line.
    static AtlasLabels readMricronText(const std::filesystem::path& path);

    void add(int index, std::string name) { names_[index] = std::move(name); }
    // Empty string for label 0 and for indices the table does not name.
    std::string name(int index) const;
    std::size_t size() const { return names_.size(); }
    const std::map<int, std::string>& all() const { return names_; }

  private:
    std::map<int, std::string> names_;
};

}  // namespace us::analysis
