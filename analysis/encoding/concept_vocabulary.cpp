#include "analysis/encoding/concept_vocabulary.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <map>
#include <stdexcept>

#include "analysis/core/npy.h"
#include "analysis/core/text_parsing.h"

namespace us::analysis {
namespace fs = std::filesystem;
namespace {

void normaliseRows(FeatureMatrix& m) {
    for (Eigen::Index r = 0; r < m.rows(); ++r) {
        const float norm = m.row(r).norm();
        if (norm > 0) m.row(r) /= norm;
    }
}

}  // namespace

ConceptVocabulary listVocabulary(const FeatureMatrix& features, std::vector<std::string> names,
                                 std::vector<std::vector<std::int64_t>> members) {
    if (names.size() != members.size() || names.empty())
        throw std::invalid_argument("a vocabulary needs one stimulus list per concept name");
    ConceptVocabulary vocabulary;
    const Eigen::RowVectorXd overall = features.cast<double>().colwise().mean();
    vocabulary.embeddings.resize(Eigen::Index(names.size()), features.cols());
    for (std::size_t c = 0; c < names.size(); ++c) {
        if (members[c].empty())
            throw std::invalid_argument("concept '" + names[c] + "' has no stimuli");
        Eigen::RowVectorXd sum = Eigen::RowVectorXd::Zero(features.cols());
        for (auto row : members[c]) {
            if (row < 0 || row >= features.rows())
                throw std::invalid_argument("concept '" + names[c] + "' lists row " +
                                            std::to_string(row) + ", past the stimuli");
            sum += features.row(row).cast<double>();
        }
        vocabulary.embeddings.row(Eigen::Index(c)) =
            (sum / double(members[c].size()) - overall).cast<float>();
    }
    normaliseRows(vocabulary.embeddings);
    vocabulary.names = std::move(names);
    vocabulary.members = std::move(members);
    return vocabulary;
}

ConceptVocabulary classVocabulary(const FeatureMatrix& features,
                                  const std::vector<std::int32_t>& labels,
                                  const std::vector<std::string>& labelNames) {
    if (std::int64_t(labels.size()) != features.rows())
        throw std::invalid_argument("class labels do not match the stimuli");
    std::map<std::int32_t, std::vector<std::int64_t>> byClass;
    for (std::size_t i = 0; i < labels.size(); ++i)
        if (labels[i] >= 0) byClass[labels[i]].push_back(std::int64_t(i));
    if (byClass.empty()) throw std::invalid_argument("the stimuli carry no class labels");
    std::vector<std::string> names;
    std::vector<std::vector<std::int64_t>> members;
    std::vector<std::int32_t> classes;
    for (auto& [label, rows] : byClass) {
        names.push_back(std::size_t(label) < labelNames.size() &&
                                !labelNames[std::size_t(label)].empty()
                            ? labelNames[std::size_t(label)]
                            : "class " + std::to_string(label));
        members.push_back(std::move(rows));
        classes.push_back(label);
    }
    auto vocabulary = listVocabulary(features, std::move(names), std::move(members));
    vocabulary.classes = std::move(classes);
    return vocabulary;
}

ConceptVocabulary embeddingVocabulary(FeatureMatrix embeddings, std::vector<std::string> names) {
    if (std::int64_t(names.size()) != embeddings.rows())
        throw std::invalid_argument("the names file must give one name per embedding row (" +
                                    std::to_string(embeddings.rows()) + " rows, " +
                                    std::to_string(names.size()) + " names)");
    ConceptVocabulary vocabulary;
    vocabulary.embeddings = std::move(embeddings);
    normaliseRows(vocabulary.embeddings);
    vocabulary.names = std::move(names);
    return vocabulary;
}

ConceptVocabulary readVocabulary(const fs::path& path, const fs::path& namesFile,
                                 const FeatureMatrix& features,
                                 const std::vector<std::string>& stimulusNames) {
    if (path.extension() == ".npy") {
        if (namesFile.empty()) throw std::runtime_error("an embedding .npy needs --names");
        NpyHeader header;
        const auto values = readNpyAsDouble(path, &header);
        if (header.shape.size() != 2 || header.shape[1] != features.cols())
            throw std::runtime_error("'" + path.string() + "' must be concepts x " +
                                     std::to_string(features.cols()) + " (the layer's features)");
        auto names = readNonEmptyLines(namesFile);
        FeatureMatrix embeddings(header.shape[0], header.shape[1]);
        std::copy(values.begin(), values.end(), embeddings.data());
        return embeddingVocabulary(std::move(embeddings), std::move(names));
    }
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot read '" + path.string() + "'");
    nlohmann::json json;
    try {
        json = nlohmann::json::parse(in);
    } catch (const nlohmann::json::exception&) {
        throw std::runtime_error("'" + path.string() + "' is not valid JSON");
    }
    if (!json.is_object() || json.empty())
        throw std::runtime_error("'" + path.string() +
                                 "' must map concept names to lists of stimuli");
    std::map<std::string, std::int64_t> byName;
    for (std::size_t i = 0; i < stimulusNames.size(); ++i)
        byName.emplace(stimulusNames[i], i);
    std::vector<std::string> names;
    std::vector<std::vector<std::int64_t>> members;
    for (const auto& [name, list] : json.items()) {
        if (!list.is_array())
            throw std::runtime_error("'" + path.string() + "': concept '" + name +
                                     "' must list stimuli");
        std::vector<std::int64_t> rows;
        for (const auto& item : list) {
            if (item.is_number_integer()) {
                rows.push_back(item.get<std::int64_t>());
            } else if (item.is_string() && byName.contains(item.get<std::string>())) {
                rows.push_back(byName.at(item.get<std::string>()));
            } else {
                throw std::runtime_error("'" + path.string() + "': concept '" + name + "' lists " +
                                         item.dump() + ", which is no stimulus of the store");
            }
        }
        names.push_back(name);
        members.push_back(std::move(rows));
    }
    try {
        return listVocabulary(features, std::move(names), std::move(members));
    } catch (const std::invalid_argument& error) {
        throw std::runtime_error("'" + path.string() + "': " + error.what());
    }
}

}  // namespace us::analysis
