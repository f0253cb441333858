#pragma once
// A concept vocabulary in a layer's feature space: each concept's embedding is the mean
// feature of its stimuli minus the mean of all stimuli, unit-normalised (or a user's own
// embedding matrix, normalised). Voxel captions and unit captions both caption against it.

#include <Eigen/Core>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace us::analysis {

using FeatureMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

struct ConceptVocabulary {
    std::vector<std::string> names;
    FeatureMatrix embeddings;                        // concepts x features, unit rows
    std::vector<std::vector<std::int64_t>> members;  // stimulus rows (empty for embeddings)
    std::vector<std::int32_t> classes;               // class vocabularies: each concept's label
    std::int64_t size() const { return std::int64_t(names.size()); }
};

// One concept per class present in labels (ascending label), named by labelNames when given.
ConceptVocabulary classVocabulary(const FeatureMatrix& features,
                                  const std::vector<std::int32_t>& labels,
                                  const std::vector<std::string>& labelNames);
// Named stimulus lists (rows of features). Throws std::invalid_argument for an empty list or a
// row out of range.
ConceptVocabulary listVocabulary(const FeatureMatrix& features, std::vector<std::string> names,
                                 std::vector<std::vector<std::int64_t>> members);
// A concepts x features matrix with one name per row.
ConceptVocabulary embeddingVocabulary(FeatureMatrix embeddings, std::vector<std::string> names);

// From a file: a JSON object {"concept": [stimulus name or row, ...], ...} (stimulusNames
// resolves names), or an embedding .npy with a names file (one per line). Throws
// std::runtime_error with one clear message.
ConceptVocabulary readVocabulary(const std::filesystem::path& path,
                                 const std::filesystem::path& namesFile,
                                 const FeatureMatrix& features,
                                 const std::vector<std::string>& stimulusNames);

}  // namespace us::analysis
