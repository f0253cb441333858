#pragma once
// Corrections for testing many claims at once (every unit of a layer, every cell of a
// treemap, every supernode of a graph).

#include <vector>

namespace us::analysis {

// Benjamini-Hochberg adjusted p-values (q), in the order given.
std::vector<double> benjaminiHochberg(const std::vector<double>& p);

// The Monte-Carlo p-value of a permutation test: (1 + exceedances) / (1 + permutations), so
// that it is never 0 and is valid at any number of permutations (Phipson and Smyth 2010).
inline double permutationP(long exceedances, long permutations) {
    return double(1 + exceedances) / double(1 + permutations);
}

}  // namespace us::analysis
