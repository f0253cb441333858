#include "analysis/captions/unit_captions.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <stdexcept>
#include <thread>

#include "analysis/models/unit_statistics.h"

namespace us::analysis {
namespace {

// Per unit: the rank sum of each concept's stimuli (midranks, 1-based) and the tie term
// sum(t^3 - t) over groups of tied values, as Mann-Whitney needs them.
struct RankSums {
    std::vector<double> sums;  // units x concepts
    std::vector<double> tieTerm;
    std::vector<float> ranks;  // rows x units, when kept (half-integers: exact in a float)
};

RankSums rankSums(const std::vector<float>& activations, std::int64_t units,
                  const ConceptLabels& labels, bool keepRanks = false) {
    const std::int64_t n = labels.rows, c = labels.count();
    RankSums out{std::vector<double>(std::size_t(units * c), 0.0),
                 std::vector<double>(std::size_t(units), 0.0),
                 {}};
    if (keepRanks) out.ranks.resize(std::size_t(n * units));
    const auto work = [&](std::int64_t first, std::int64_t last) {
        std::vector<std::int64_t> order(static_cast<std::size_t>(n));
        std::vector<double> rank(static_cast<std::size_t>(n));
        for (std::int64_t u = first; u < last; ++u) {
            const auto value = [&](std::int64_t row) {
                return activations[std::size_t(row * units + u)];
            };
            std::iota(order.begin(), order.end(), 0);
            std::sort(order.begin(), order.end(),
                      [&](auto a, auto b) { return value(a) < value(b); });
            double ties = 0;
            for (std::int64_t i = 0; i < n;) {
                std::int64_t j = i + 1;
                while (j < n && value(order[std::size_t(j)]) == value(order[std::size_t(i)]))
                    ++j;
                const double midrank = 0.5 * double(i + 1 + j);  // ranks i+1 .. j
                for (std::int64_t k = i; k < j; ++k)
                    rank[std::size_t(order[std::size_t(k)])] = midrank;
                const double t = double(j - i);
                ties += t * t * t - t;
                i = j;
            }
            out.tieTerm[std::size_t(u)] = ties;
            if (keepRanks)
                for (std::int64_t row = 0; row < n; ++row)
                    out.ranks[std::size_t(row * units + u)] = float(rank[std::size_t(row)]);
            double* sums = out.sums.data() + u * c;
            for (std::int64_t row = 0; row < n; ++row)
                for (std::int64_t k = 0; k < c; ++k)
                    if (labels.holds(row, k)) sums[k] += rank[std::size_t(row)];
        }
    };
    const std::int64_t threads = std::clamp<std::int64_t>(std::thread::hardware_concurrency(), 1,
                                                          std::max<std::int64_t>(units, 1));
    std::vector<std::thread> pool;
    for (std::int64_t t = 0; t < threads; ++t)
        pool.emplace_back(work, units * t / threads, units * (t + 1) / threads);
    for (auto& thread : pool)
        thread.join();
    return out;
}

// Monte-Carlo label permutation p (units x concepts) of every unit's rank sum per concept:
// the stimuli's label rows are shuffled (a stimulus keeps all its concepts, so co-occurring
// concepts stay co-occurring) and p = (1 + shuffles with a rank sum at least as high) /
// (1 + shuffles). Shuffle i draws from its own generator, seeded by seed and i, so that the
// result does not depend on the number of threads.
std::vector<double> shuffledRankSumP(const RankSums& observed, const ConceptLabels& labels,
                                     std::int64_t units, int permutations, std::uint64_t seed) {
    const std::int64_t n = labels.rows, c = labels.count();
    std::vector<std::vector<std::int64_t>> conceptsOf(static_cast<std::size_t>(n));
    for (std::int64_t row = 0; row < n; ++row)
        for (std::int64_t k = 0; k < c; ++k)
            if (labels.holds(row, k)) conceptsOf[std::size_t(row)].push_back(k);
    const int threads =
        std::clamp(int(std::thread::hardware_concurrency()), 1, std::max(1, permutations));
    std::vector<std::vector<long>> hits(std::size_t(threads),
                                        std::vector<long>(std::size_t(units * c), 0));
    const auto work = [&](int thread) {
        std::vector<std::int64_t> order(static_cast<std::size_t>(n));
        std::vector<double> sums(std::size_t(c * units));
        auto& mine = hits[std::size_t(thread)];
        for (int i = thread; i < permutations; i += threads) {
            std::mt19937_64 random(seed + 0x9E3779B97F4A7C15ULL * std::uint64_t(i + 1));
            std::iota(order.begin(), order.end(), 0);
            std::shuffle(order.begin(), order.end(), random);
            std::fill(sums.begin(), sums.end(), 0.0);
            for (std::int64_t row = 0; row < n; ++row) {
                const float* rank = observed.ranks.data() + row * units;
                for (auto k : conceptsOf[std::size_t(order[std::size_t(row)])]) {
                    double* sum = sums.data() + k * units;
                    for (std::int64_t u = 0; u < units; ++u)
                        sum[u] += rank[u];
                }
            }
            for (std::int64_t u = 0; u < units; ++u)
                for (std::int64_t k = 0; k < c; ++k)
                    mine[std::size_t(u * c + k)] +=
                        sums[std::size_t(k * units + u)] >= observed.sums[std::size_t(u * c + k)];
        }
    };
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t)
        pool.emplace_back(work, t);
    for (auto& thread : pool)
        thread.join();
    std::vector<double> p(std::size_t(units * c));
    for (std::size_t i = 0; i < p.size(); ++i) {
        long total = 0;
        for (const auto& mine : hits)
            total += mine[i];
        p[i] = permutationP(total, permutations);
    }
    return p;
}

std::vector<std::int64_t> positives(const ConceptLabels& labels) {
    std::vector<std::int64_t> count(static_cast<std::size_t>(labels.count()), 0);
    for (std::int64_t row = 0; row < labels.rows; ++row)
        for (std::int64_t k = 0; k < labels.count(); ++k)
            count[std::size_t(k)] += labels.holds(row, k);
    return count;
}

void checkShape(const std::vector<float>& activations, std::int64_t units,
                const ConceptLabels& labels) {
    if (units <= 0 || std::int64_t(activations.size()) != units * labels.rows)
        throw std::invalid_argument("the activations are not stimuli x units for the " +
                                    std::to_string(labels.rows) + " labelled stimuli");
}

// One-sided (greater) Mann-Whitney p of a concept's rank sum, normal approximation with tie
// and continuity corrections (SciPy's method="asymptotic").
double mannWhitneyGreater(double rankSum, double nPositive, double n, double tieTerm) {
    const double nNegative = n - nPositive;
    if (nPositive <= 0 || nNegative <= 0) return 1;
    const double u = rankSum - nPositive * (nPositive + 1) / 2;
    const double mu = nPositive * nNegative / 2;
    const double s = std::sqrt(nPositive * nNegative / 12 * ((n + 1) - tieTerm / (n * (n - 1))));
    if (!(s > 0)) return 1;
    const double z = (u - mu - 0.5) / s;
    return std::clamp(0.5 * std::erfc(z / std::sqrt(2.0)), 0.0, 1.0);
}

std::vector<double> aucFrom(const RankSums& ranks, const std::vector<std::int64_t>& count,
                            std::int64_t units, std::int64_t n) {
    const std::int64_t c = std::int64_t(count.size());
    std::vector<double> auc(std::size_t(units * c), std::numeric_limits<double>::quiet_NaN());
    for (std::int64_t u = 0; u < units; ++u)
        for (std::int64_t k = 0; k < c; ++k) {
            const double pos = double(count[std::size_t(k)]), neg = double(n) - pos;
            if (pos > 0 && neg > 0)
                auc[std::size_t(u * c + k)] =
                    (ranks.sums[std::size_t(u * c + k)] - pos * (pos + 1) / 2) / (pos * neg);
        }
    return auc;
}

// Share of rows (of `top`) for which concept a, or a or b, holds.
double share(const ConceptLabels& labels, const std::vector<std::int64_t>& top, std::int64_t a,
             std::int64_t b = -1) {
    if (top.empty()) return 0;
    std::int64_t hits = 0;
    for (auto row : top)
        hits += labels.holds(row, a) || (b >= 0 && labels.holds(row, b));
    return double(hits) / double(top.size());
}

// Each unit's top exemplars (rows, most active first; ties: lower row first).
std::vector<std::vector<std::int64_t>> topRowsOfUnits(const std::vector<float>& activations,
                                                      std::int64_t units, std::int64_t n,
                                                      int topK) {
    const std::int64_t k = std::min<std::int64_t>(topK, n);
    std::vector<std::vector<std::int64_t>> tops(static_cast<std::size_t>(units));
    std::vector<float> column(static_cast<std::size_t>(n));
    for (std::int64_t u = 0; u < units; ++u) {
        for (std::int64_t row = 0; row < n; ++row)
            column[std::size_t(row)] = activations[std::size_t(row * units + u)];
        tops[std::size_t(u)] = topIndices(column, k);
    }
    return tops;
}

// Soft-WPMI (units x concepts) from each unit's top exemplars.
std::vector<double> wpmiOfTops(const std::vector<std::vector<std::int64_t>>& tops,
                               const ConceptLabels& labels, const UnitCaptionSettings& settings) {
    const std::int64_t units = std::int64_t(tops.size()), c = labels.count();
    const std::int64_t k = std::min<std::int64_t>(settings.topK, labels.rows);
    std::vector<double> logGiven(std::size_t(units * c), 0.0);  // log p(concept | unit's top)
    for (std::int64_t u = 0; u < units; ++u) {
        const auto& top = tops[std::size_t(u)];
        for (std::size_t i = 0; i < top.size(); ++i) {
            // The rank weight falls linearly from p_start by (p_start - p_end) / k a rank.
            const double p =
                settings.pStart - double(i) / double(k) * (settings.pStart - settings.pEnd);
            for (std::int64_t j = 0; j < c; ++j) {
                const double probability = labels.holds(top[i], j) ? 1.0 : 0.0;
                logGiven[std::size_t(u * c + j)] +=
                    std::log(1 + p * (probability - 1) + settings.minProbability);
            }
        }
    }
    // The concept's log prior across units: log mean_u p(concept | u), by log-sum-exp.
    std::vector<double> out(logGiven.size());
    for (std::int64_t j = 0; j < c; ++j) {
        double largest = -std::numeric_limits<double>::infinity();
        for (std::int64_t u = 0; u < units; ++u)
            largest = std::max(largest, logGiven[std::size_t(u * c + j)]);
        double sum = 0;
        for (std::int64_t u = 0; u < units; ++u)
            sum += std::exp(logGiven[std::size_t(u * c + j)] - largest);
        const double prior = largest + std::log(sum) - std::log(double(units));
        for (std::int64_t u = 0; u < units; ++u)
            out[std::size_t(u * c + j)] =
                logGiven[std::size_t(u * c + j)] - settings.lambda * prior;
    }
    return out;
}

}  // namespace

std::vector<double> unitConceptAuc(const std::vector<float>& activations, std::int64_t units,
                                   const ConceptLabels& labels) {
    checkShape(activations, units, labels);
    return aucFrom(rankSums(activations, units, labels), positives(labels), units, labels.rows);
}

std::vector<double> unitConceptWpmi(const std::vector<float>& activations, std::int64_t units,
                                    const ConceptLabels& labels,
                                    const UnitCaptionSettings& settings) {
    checkShape(activations, units, labels);
    return wpmiOfTops(topRowsOfUnits(activations, units, labels.rows, settings.topK), labels,
                      settings);
}

std::vector<UnitCaption> captionUnits(const std::vector<float>& activations, std::int64_t units,
                                      const ConceptLabels& labels,
                                      const UnitCaptionSettings& settings,
                                      const std::vector<float>* control,
                                      std::int64_t controlUnits) {
    checkShape(activations, units, labels);
    const std::int64_t n = labels.rows, c = labels.count();
    if (c == 0) throw std::invalid_argument("the vocabulary has no concept");
    const auto count = positives(labels);
    if (settings.permutations < 0) throw std::invalid_argument("a negative number of shuffles");
    const auto ranks = rankSums(activations, units, labels, settings.permutations > 0);
    const auto auc = aucFrom(ranks, count, units, n);
    const auto shuffledP =
        settings.permutations > 0
            ? shuffledRankSumP(ranks, labels, units, settings.permutations, settings.seed)
            : std::vector<double>();
    const auto tops = topRowsOfUnits(activations, units, n, settings.topK);
    const auto wpmi = wpmiOfTops(tops, labels, settings);
    // The control's AUCs, sorted per concept, for "how many control units score as high".
    std::vector<std::vector<double>> controlAuc;
    if (control) {
        const auto scores = unitConceptAuc(*control, controlUnits, labels);
        controlAuc.resize(std::size_t(c));
        for (std::int64_t v = 0; v < controlUnits; ++v)
            for (std::int64_t k = 0; k < c; ++k)
                if (!std::isnan(scores[std::size_t(v * c + k)]))
                    controlAuc[std::size_t(k)].push_back(scores[std::size_t(v * c + k)]);
        for (auto& list : controlAuc)
            std::sort(list.begin(), list.end());
    }

    std::vector<UnitCaption> captions(static_cast<std::size_t>(units));
    std::vector<std::vector<double>> pPermutation(static_cast<std::size_t>(c)),
        pControl(static_cast<std::size_t>(c));
    for (std::int64_t u = 0; u < units; ++u) {
        auto& caption = captions[std::size_t(u)];
        caption.unit = u;
        for (std::int64_t k = 0; k < c; ++k) {
            UnitConceptScore score;
            score.concept_ = int(k);
            score.auc = auc[std::size_t(u * c + k)];
            score.wpmi = wpmi[std::size_t(u * c + k)];
            const auto nPositive = count[std::size_t(k)];
            score.pPermutation =
                nPositive == 0 || nPositive == n ? 1.0
                : shuffledP.empty()
                    ? mannWhitneyGreater(ranks.sums[std::size_t(u * c + k)], double(nPositive),
                                         double(n), ranks.tieTerm[std::size_t(u)])
                    : shuffledP[std::size_t(u * c + k)];
            pPermutation[std::size_t(k)].push_back(score.pPermutation);
            if (control) {
                const auto& list = controlAuc[std::size_t(k)];
                const auto atLeast =
                    std::isnan(score.auc)
                        ? list.size()
                        : std::size_t(list.end() -
                                      std::lower_bound(list.begin(), list.end(), score.auc));
                score.pControl = double(1 + atLeast) / double(1 + list.size());
                pControl[std::size_t(k)].push_back(*score.pControl);
            }
            caption.concepts.push_back(score);
        }
    }
    // FDR across the layer's units, concept by concept.
    for (std::int64_t k = 0; k < c; ++k) {
        const auto qPermutation = benjaminiHochberg(pPermutation[std::size_t(k)]);
        const auto qControl =
            control ? benjaminiHochberg(pControl[std::size_t(k)]) : std::vector<double>();
        for (std::int64_t u = 0; u < units; ++u) {
            auto& score = captions[std::size_t(u)].concepts[std::size_t(k)];
            score.qPermutation = qPermutation[std::size_t(u)];
            if (control) score.qControl = qControl[std::size_t(u)];
        }
    }
    for (std::int64_t u = 0; u < units; ++u) {
        auto& caption = captions[std::size_t(u)];
        auto& scores = caption.concepts;
        std::stable_sort(scores.begin(), scores.end(), [](const auto& a, const auto& b) {
            const double x = std::isnan(a.auc) ? -1 : a.auc, y = std::isnan(b.auc) ? -1 : b.auc;
            return x > y || (x == y && a.wpmi > b.wpmi);
        });
        const auto& top = tops[std::size_t(u)];
        const auto& best = scores.front();
        caption.caption = labels.names[std::size_t(best.concept_)];
        caption.topShare = share(labels, top, best.concept_);
        if (scores.size() > 1) {
            const auto& second = scores[1];
            const double shareSecond = share(labels, top, second.concept_);
            const double both = share(labels, top, best.concept_, second.concept_);
            if (caption.topShare >= settings.minimumShare && shareSecond >= settings.minimumShare &&
                both >= settings.compoundGain * caption.topShare) {
                caption.caption += " and " + labels.names[std::size_t(second.concept_)];
                caption.topShare = both;
            }
        }
        caption.chance = best.qPermutation > settings.chanceLevel ||
                         (best.qControl && *best.qControl > settings.chanceLevel);
    }
    return captions;
}

}  // namespace us::analysis
