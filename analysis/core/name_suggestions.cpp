#include "analysis/core/name_suggestions.h"

#include <algorithm>
#include <numeric>

namespace us::analysis {
namespace {

std::size_t editDistance(const std::string& a, const std::string& b) {
    std::vector<std::size_t> row(b.size() + 1);
    std::iota(row.begin(), row.end(), 0);
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
            diagonal = above;
        }
    }
    return row[b.size()];
}

}  // namespace

std::vector<std::string> nearestNames(const std::string& name,
                                      const std::vector<std::string>& candidates,
                                      std::size_t count) {
    std::vector<std::pair<std::size_t, std::string>> scored;
    for (const auto& candidate : candidates)
        scored.emplace_back(editDistance(name, candidate), candidate);
    std::stable_sort(scored.begin(), scored.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<std::string> best;
    for (std::size_t i = 0; i < std::min(count, scored.size()); ++i)
        best.push_back(scored[i].second);
    return best;
}

std::string nearestNamesText(const std::string& name, const std::vector<std::string>& candidates,
                             const std::string& lead) {
    std::string text;
    for (const auto& candidate : nearestNames(name, candidates))
        text += (text.empty() ? "; " + lead + " " : ", ") + candidate;
    return text;
}

}  // namespace us::analysis
