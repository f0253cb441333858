#include "analysis/statistics/multiple_testing.h"

#include <algorithm>
#include <numeric>

namespace us::analysis {

std::vector<double> benjaminiHochberg(const std::vector<double>& p) {
    const std::size_t m = p.size();
    std::vector<std::size_t> order(m);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return p[a] < p[b]; });
    std::vector<double> q(m);
    double running = 1;
    for (std::size_t i = m; i-- > 0;) {
        running = std::min(running, p[order[i]] * double(m) / double(i + 1));
        q[order[i]] = std::min(running, 1.0);
    }
    return q;
}

}  // namespace us::analysis
