#pragma once
// The hypergeometric distribution: draws without replacement. It is the exact null of "this
// cluster holds k items of class c" when the class labels are shuffled across the items.

#include <cstdint>

namespace us::analysis {

// P(X >= k) for X ~ Hypergeometric(population, successes, draws), as SciPy's
// hypergeom.sf(k - 1, population, successes, draws). Throws std::invalid_argument for
// counts that do not fit (successes or draws above the population, negatives).
double hypergeometricUpperTail(std::int64_t k, std::int64_t population, std::int64_t successes,
                               std::int64_t draws);

}  // namespace us::analysis
