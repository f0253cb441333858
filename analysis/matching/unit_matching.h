#pragma once
// Units of two networks matched by the correlation of their activations over the same stimuli
// (convergent learning): one to one, as a maximum-weight bipartite matching on the correlation
// matrix, or each unit of the first network to its best match in the second (semi-matching).

#include <cstdint>
#include <vector>

#include "analysis/core/job_context.h"

namespace us::analysis {

// Pearson correlations of every column of a (count x unitsA) with every column of b
// (count x unitsB), both row-major: unitsA x unitsB, row-major. A constant column has no
// correlation with anything; its entries are 0.
struct UnitCorrelations {
    std::int64_t unitsA = 0, unitsB = 0;
    std::vector<double> values;
    std::vector<std::int64_t> constantA, constantB;  // units with zero variance
};
UnitCorrelations correlateUnits(const std::vector<float>& a, std::int64_t unitsA,
                                const std::vector<float>& b, std::int64_t unitsB,
                                std::int64_t count, const JobContext& job = {});

enum class MatchMethod { Hungarian, Best };

struct UnitPair {
    std::int64_t unitA = 0, unitB = 0;
    double r = 0;
};

// Hungarian: min(unitsA, unitsB) pairs maximising the summed r, in unit-A order. Best: one pair
// per unit of A with its highest-r unit of B (the lowest index among equals).
std::vector<UnitPair> matchUnits(const UnitCorrelations& correlations, MatchMethod method,
                                 const JobContext& job = {});

}  // namespace us::analysis
