#include "analysis/matching/linear_assignment.h"

#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <utility>

namespace us::analysis {
namespace {

// Crouse's algorithm for rows <= cols on a minimisation problem (SciPy's rectangular_lsap):
// one shortest augmenting path per row, Dijkstra-like over the columns with reduced costs, then
// the dual variables are updated and the path is flipped.
std::vector<std::int64_t> assignRowsToColumns(const std::vector<double>& cost, std::int64_t rows,
                                              std::int64_t cols, const JobContext& job) {
    constexpr double infinity = std::numeric_limits<double>::infinity();
    const auto nr = static_cast<std::size_t>(rows);
    const auto nc = static_cast<std::size_t>(cols);
    std::vector<double> u(nr, 0.0), v(nc, 0.0), shortest(nc);
    std::vector<std::int64_t> path(nc, -1), columnOfRow(nr, -1), rowOfColumn(nc, -1);
    std::vector<std::size_t> remaining(nc);
    std::vector<char> scannedRow(nr), scannedColumn(nc);

    for (std::size_t current = 0; current < nr; ++current) {
        if (current % 64 == 0) {
            job.checkCancelled();
            job.report(double(current) / double(nr), "matching");
        }
        double minimum = 0;
        std::size_t row = current;
        // Filled in reverse so that, among equal reduced costs, the order is SciPy's.
        for (std::size_t it = 0; it < nc; ++it) remaining[it] = nc - it - 1;
        std::size_t remainingCount = nc;
        std::fill(scannedRow.begin(), scannedRow.end(), 0);
        std::fill(scannedColumn.begin(), scannedColumn.end(), 0);
        std::fill(shortest.begin(), shortest.end(), infinity);
        std::int64_t sink = -1;
        while (sink == -1) {
            scannedRow[row] = 1;
            std::size_t index = nc;
            double lowest = infinity;
            const double* costRow = cost.data() + row * nc;
            for (std::size_t it = 0; it < remainingCount; ++it) {
                const std::size_t column = remaining[it];
                const double reduced = minimum + costRow[column] - u[row] - v[column];
                if (reduced < shortest[column]) {
                    path[column] = std::int64_t(row);
                    shortest[column] = reduced;
                }
                if (shortest[column] < lowest ||
                    (shortest[column] == lowest && rowOfColumn[column] == -1)) {
                    lowest = shortest[column];
                    index = it;
                }
            }
            minimum = lowest;
            if (index == nc || minimum == infinity)
                throw std::runtime_error("the assignment problem has no feasible solution");
            const std::size_t column = remaining[index];
            if (rowOfColumn[column] == -1)
                sink = std::int64_t(column);
            else
                row = std::size_t(rowOfColumn[column]);
            scannedColumn[column] = 1;
            remaining[index] = remaining[--remainingCount];
        }
        u[current] += minimum;
        for (std::size_t i = 0; i < nr; ++i)
            if (scannedRow[i] && i != current)
                u[i] += minimum - shortest[std::size_t(columnOfRow[i])];
        for (std::size_t j = 0; j < nc; ++j)
            if (scannedColumn[j]) v[j] -= minimum - shortest[j];
        for (auto column = std::size_t(sink);;) {
            const auto i = std::size_t(path[column]);
            rowOfColumn[column] = std::int64_t(i);
            const auto previous = std::exchange(columnOfRow[i], std::int64_t(column));
            if (i == current) break;
            column = std::size_t(previous);
        }
    }
    return columnOfRow;
}

}  // namespace

std::vector<std::int64_t> solveLinearAssignment(const std::vector<double>& cost,
                                                std::int64_t rows, std::int64_t cols,
                                                bool maximise, const JobContext& job) {
    if (rows < 0 || cols < 0 || cost.size() != static_cast<std::size_t>(rows * cols))
        throw std::invalid_argument("the cost matrix's size does not match its shape");
    for (const double value : cost)
        if (!std::isfinite(value))
            throw std::invalid_argument("the cost matrix has a non-finite entry");
    if (rows == 0 || cols == 0) return std::vector<std::int64_t>(static_cast<std::size_t>(rows), -1);

    const bool transpose = rows > cols;
    const std::int64_t nr = transpose ? cols : rows, nc = transpose ? rows : cols;
    std::vector<double> work(cost.size());
    for (std::int64_t i = 0; i < rows; ++i)
        for (std::int64_t j = 0; j < cols; ++j) {
            const double value = cost[std::size_t(i * cols + j)];
            work[std::size_t(transpose ? j * rows + i : i * cols + j)] = maximise ? -value : value;
        }
    const auto assigned = assignRowsToColumns(work, nr, nc, job);
    if (!transpose) return assigned;
    std::vector<std::int64_t> columnOfRow(static_cast<std::size_t>(rows), -1);
    for (std::int64_t j = 0; j < cols; ++j) columnOfRow[std::size_t(assigned[std::size_t(j)])] = j;
    return columnOfRow;
}

}  // namespace us::analysis
