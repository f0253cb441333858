#include "analysis/captions/concept_labels.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <map>
#include <stdexcept>

#include "analysis/core/float_array.h"
#include "analysis/core/npy.h"
#include "analysis/core/text_parsing.h"

namespace us::analysis {

ConceptLabels classConceptLabels(const std::vector<std::int32_t>& labels,
                                 const std::vector<std::string>& labelNames) {
    std::vector<std::int32_t> classes(labels.begin(), labels.end());
    std::sort(classes.begin(), classes.end());
    classes.erase(std::unique(classes.begin(), classes.end()), classes.end());
    classes.erase(std::remove_if(classes.begin(), classes.end(), [](auto c) { return c < 0; }),
                  classes.end());
    ConceptLabels out;
    out.rows = std::int64_t(labels.size());
    for (auto c : classes)
        out.names.push_back(std::size_t(c) < labelNames.size() ? labelNames[std::size_t(c)]
                                                               : "class " + std::to_string(c));
    out.values.assign(std::size_t(out.rows * out.count()), 0);
    for (std::int64_t row = 0; row < out.rows; ++row) {
        const auto at = std::lower_bound(classes.begin(), classes.end(), labels[std::size_t(row)]);
        if (at != classes.end() && *at == labels[std::size_t(row)])
            out.values[std::size_t(row * out.count() + (at - classes.begin()))] = 1;
    }
    return out;
}

ConceptLabels readConceptLabels(const std::filesystem::path& path,
                                const std::filesystem::path& namesFile,
                                const std::vector<std::string>& stimulusNames) {
    const auto fail = [&](const std::string& why) -> ConceptLabels {
        throw std::runtime_error("concepts '" + path.string() + "': " + why);
    };
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) return fail("file not found");
    ConceptLabels out;
    out.rows = std::int64_t(stimulusNames.size());
    if (path.extension() == ".npy") {
        if (namesFile.empty()) return fail("an N x C .npy needs --names (one per line)");
        out.names = readNonEmptyLines(namesFile);
        NpyHeader header;
        const auto values = readNpyAsDouble(path, &header);
        if (header.shape.size() != 2 || header.shape[0] != out.rows ||
            header.shape[1] != std::int64_t(out.names.size()))
            return fail("must be " + std::to_string(out.rows) + " x " +
                        std::to_string(out.names.size()) + " (stimuli x names), not " +
                        shapeText(header.shape));
        out.values.resize(values.size());
        for (std::size_t i = 0; i < values.size(); ++i) {
            if (values[i] != 0 && values[i] != 1) return fail("must hold only 0 and 1");
            out.values[i] = values[i] != 0;
        }
        return out;
    }
    nlohmann::json lists;
    try {
        std::ifstream in(path);
        lists = nlohmann::json::parse(in);
    } catch (const nlohmann::json::exception& error) {
        return fail(std::string("not JSON: ") + error.what());
    }
    if (!lists.is_object() || lists.empty())
        return fail("must be an object of named stimulus lists");
    std::map<std::string, std::int64_t> rowOf;
    for (std::size_t i = 0; i < stimulusNames.size(); ++i)
        rowOf.emplace(stimulusNames[i], std::int64_t(i));
    std::vector<std::vector<std::int64_t>> members;
    for (const auto& [name, list] : lists.items()) {
        if (!list.is_array() || list.empty())
            return fail("'" + name + "' must be a non-empty list");
        auto& rows = members.emplace_back();
        for (const auto& entry : list) {
            if (entry.is_number_integer()) {
                const auto row = entry.get<std::int64_t>();
                if (row < 0 || row >= out.rows)
                    return fail("row " + std::to_string(row) + " of '" + name +
                                "' is not a stimulus");
                rows.push_back(row);
            } else if (entry.is_string()) {
                const auto found = rowOf.find(entry.get<std::string>());
                if (found == rowOf.end())
                    return fail("'" + entry.get<std::string>() + "' of '" + name +
                                "' is not a stimulus of the store");
                rows.push_back(found->second);
            } else {
                return fail("'" + name + "' must list stimulus names or rows");
            }
        }
        out.names.push_back(name);
    }
    out.values.assign(std::size_t(out.rows * out.count()), 0);
    for (std::size_t k = 0; k < members.size(); ++k)
        for (auto row : members[k])
            out.values[std::size_t(row * out.count()) + k] = 1;
    return out;
}

}  // namespace us::analysis
