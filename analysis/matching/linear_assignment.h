#pragma once
// The linear sum assignment problem on a dense rectangular matrix: choose one column for each
// row (or one row for each column, whichever side is smaller), no column twice, so that the
// chosen entries' sum is smallest (or largest).
//
// Written here because no library on the supported platforms solves it for real-valued costs:
// dlib's max_cost_assignment takes integer, square matrices only, and LEMON's weighted matching
// is the general-graph blossom algorithm, far slower on a dense bipartite graph. The algorithm
// is the shortest augmenting path method of Crouse (2016), the one SciPy's
// linear_sum_assignment uses, so that results agree with it, ties included.

#include <cstdint>
#include <vector>

#include "analysis/core/job_context.h"

namespace us::analysis {

// cost is rows x cols, row-major, finite. Returns, for each row, its column, or -1 for the
// rows left over when rows > cols. Throws std::invalid_argument for a non-finite entry.
std::vector<std::int64_t> solveLinearAssignment(const std::vector<double>& cost,
                                                std::int64_t rows, std::int64_t cols,
                                                bool maximise, const JobContext& job = {});

}  // namespace us::analysis
