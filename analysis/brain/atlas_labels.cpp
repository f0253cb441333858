#include "analysis/brain/atlas_labels.h"

#include <fstream>
#include <sstream>

namespace us::analysis {

AtlasLabels AtlasLabels::readMricronText(const std::filesystem::path& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot read atlas names '" + path.string() + "'");
    AtlasLabels labels;
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream fields(line);
        int index = 0;
        std::string name;
        if (fields >> index >> name && index > 0) labels.add(index, name);
    }
    if (labels.size() == 0)
        throw std::runtime_error("atlas names '" + path.string() + "' holds no 'index name' line");
    return labels;
}

std::string AtlasLabels::name(int index) const {
    const auto it = names_.find(index);
    return it == names_.end() ? std::string() : it->second;
}

}  // namespace us::analysis
