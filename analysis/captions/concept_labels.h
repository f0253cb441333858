#pragma once
// Concept vocabularies for unit captions: which concepts hold for each stimulus (several may
// hold for one image), from the stimuli's classes, named stimulus lists, or a 0/1 matrix.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace us::analysis {

// Which concepts hold for each stimulus: rows x concepts, 0 or 1.
struct ConceptLabels {
    std::vector<std::string> names;
    std::int64_t rows = 0;
    std::vector<std::uint8_t> values;  // rows x names.size(), row-major
    std::int64_t count() const { return std::int64_t(names.size()); }
    bool holds(std::int64_t row, std::int64_t concept_) const {
        return values[std::size_t(row * count() + concept_)] != 0;
    }
};

// One concept per class present in labels (ascending), named by labelNames when given.
ConceptLabels classConceptLabels(const std::vector<std::int32_t>& labels,
                                 const std::vector<std::string>& labelNames);
// A JSON object {"concept": [stimulus name or row, ...]} or an N x C 0/1 .npy with a names file
// (one per line). Throws std::runtime_error with one clear message.
ConceptLabels readConceptLabels(const std::filesystem::path& path,
                                const std::filesystem::path& namesFile,
                                const std::vector<std::string>& stimulusNames);

}  // namespace us::analysis
