#include "analysis/statistics/hypergeometric.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace us::analysis {
namespace {

double logChoose(std::int64_t n, std::int64_t k) {
    return std::lgamma(double(n) + 1) - std::lgamma(double(k) + 1) - std::lgamma(double(n - k) + 1);
}

}  // namespace

double hypergeometricUpperTail(std::int64_t k, std::int64_t population, std::int64_t successes,
                               std::int64_t draws) {
    if (population < 0 || successes < 0 || draws < 0 || successes > population ||
        draws > population)
        throw std::invalid_argument("hypergeometric counts out of range");
    const std::int64_t failures = population - successes;
    const std::int64_t lowest = std::max<std::int64_t>(0, draws - failures);
    const std::int64_t highest = std::min(successes, draws);
    if (k <= lowest) return 1.0;
    if (k > highest) return 0.0;
    const double mode =
        std::floor(double(draws + 1) * double(successes + 1) / double(population + 2));
    const auto pmf = [&](std::int64_t x) {
        return std::exp(logChoose(successes, x) + logChoose(failures, draws - x) -
                        logChoose(population, draws));
    };
    // Away from the mode the terms only fall, so each sum starts next to the mode's side and
    // stops once its terms stop counting; each term comes from the one before by the ratio of
    // successive probabilities. Above the mode: the upper tail itself; below: 1 - the rest.
    double sum = 0;
    if (double(k) > mode) {
        double term = pmf(k);
        for (std::int64_t x = k; x <= highest && term >= sum * 1e-17; ++x) {
            sum += term;
            term *= double(successes - x) * double(draws - x) /
                    (double(x + 1) * double(failures - draws + x + 1));
        }
        return std::min(sum, 1.0);
    }
    double term = pmf(k - 1);
    for (std::int64_t x = k - 1; x >= lowest && term >= sum * 1e-17; --x) {
        sum += term;
        term *= double(x) * double(failures - draws + x) /
                (double(successes - x + 1) * double(draws - x + 1));
    }
    return std::clamp(1.0 - sum, 0.0, 1.0);
}

}  // namespace us::analysis
