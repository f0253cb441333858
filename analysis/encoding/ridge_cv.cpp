#include "analysis/encoding/ridge_cv.h"

#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "analysis/core/blas.h"
#include "analysis/core/cpu_clones.h"
#include "analysis/encoding/ridge_solver.h"
#include "analysis/encoding/shrinkage_basis.h"

namespace us::analysis {
namespace {

using RowMatrixF = RidgeSolver::RowMatrixF;
using RowMatrixD = RidgeSolver::RowMatrixD;

// How closely the shared shrinkage terms reproduce each alpha's (shares in [0, 1]): at the
// rounding error of the float32 products over a thousand directions, so the CV scores are
// those of one product per alpha to float precision.
constexpr double kShrinkageTolerance = 1e-6;

// The shared terms of a chunk of responses (validation rows x terms x columns), and the
// scaled bases stacked to make them (validation rows x terms x directions), hold at most this
// many floats (64 MB) each.
constexpr std::int64_t kScoreChunkFloats = std::int64_t(1) << 24;

// Responses whose inner products are summed together (their running sums stay in cache).
constexpr std::int64_t kInnerColumns = 128;

// a * b through BLAS (Eigen's own product is several times slower on these sizes).
RowMatrixF multiply(const RowMatrixF& a, const RowMatrixF& b) {
    RowMatrixF out = RowMatrixF::Zero(a.rows(), b.cols());
    if (a.cols() > 0 && out.size() > 0)
        gemm(false, false, a.rows(), b.cols(), a.cols(), 1.0f, a.data(), a.cols(), b.data(),
             b.cols(), 0.0f, out.data(), out.cols());
    return out;
}

struct Fold {
    std::int64_t begin = 0, end = 0;  // its validation rows: [begin, end) of the training rows
    RidgeSolver solver;               // fitted on the other training rows
    RowMatrixF validationBasis;       // (validation features - fit mean) * basis: rows x k
    ShrinkageBasis shrinkage;         // every alpha's shrinkage as a few shared terms
};

// Adds, per column j < width, in double: t.t to inner row 0, t.Q_r to row 1 + r, and Q_r.Q_s
// (s <= r) to the rows after, summed over the nv rows of t (row stride tStride) and of each Q_r
// (rows r * nv + i of q, stride qStride); width is at most kInnerColumns. Rows go four at a time,
// converted to double once, so that each running sum is loaded and stored once per four
// products. Cloned per instruction set where the compiler can (on the benchmark the AVX-512
// clone took this from 0.79 s to 0.49 s against the SSE2 baseline, the row blocking to 0.30 s).
US_CPU_CLONES void innerProducts(const float* t, std::int64_t tStride, const float* q,
                                 std::int64_t qStride, std::int64_t nv, std::int64_t terms,
                                 std::int64_t width, double* inner, std::int64_t innerStride) {
    constexpr std::int64_t kRows = 4;
    // x[(row * (terms + 1) + v) * kInnerColumns + j]: vector v of the block's row (t is v = 0).
    std::vector<double> x(std::size_t(kRows * (terms + 1) * kInnerColumns), 0.0);
    const auto vectorOf = [&](std::int64_t row, std::int64_t v) {
        return x.data() + (row * (terms + 1) + v) * kInnerColumns;
    };
    const auto add = [&](double* sum, std::int64_t a, std::int64_t b) {
        const double *a0 = vectorOf(0, a), *a1 = vectorOf(1, a), *a2 = vectorOf(2, a),
                     *a3 = vectorOf(3, a);
        const double *b0 = vectorOf(0, b), *b1 = vectorOf(1, b), *b2 = vectorOf(2, b),
                     *b3 = vectorOf(3, b);
        for (std::int64_t j = 0; j < width; ++j)
            sum[j] += (a0[j] * b0[j] + a1[j] * b1[j]) + (a2[j] * b2[j] + a3[j] * b3[j]);
    };
    for (std::int64_t i0 = 0; i0 < nv; i0 += kRows) {
        for (std::int64_t row = 0; row < kRows; ++row) {
            const std::int64_t i = i0 + row;
            for (std::int64_t v = 0; v <= terms; ++v) {
                double* out = vectorOf(row, v);
                if (i >= nv) {  // past the last row: zeros add nothing
                    std::fill(out, out + width, 0.0);
                    continue;
                }
                const float* in = v == 0 ? t + i * tStride : q + ((v - 1) * nv + i) * qStride;
                for (std::int64_t j = 0; j < width; ++j)
                    out[j] = in[j];
            }
        }
        add(inner, 0, 0);
        double* pairSum = inner + (1 + terms) * innerStride;
        for (std::int64_t r = 0; r < terms; ++r) {
            add(inner + (1 + r) * innerStride, 0, 1 + r);
            for (std::int64_t s = 0; s <= r; ++s, pairSum += innerStride)
                add(pairSum, 1 + r, 1 + s);
        }
    }
}

// Adds weight * (sum of squared residuals) of every alpha (rows of scores) and response
// (columns) on the fold's validation rows. The prediction of alpha a is sum_r mixing[a][r] *
// Q_r, with Q_r = validationBasis * diag(directionWeights[:, r]) * z: R products shared by all
// alphas instead of one per alpha, made as one product of the R scaled bases stacked. Then per
// response, in double, ||t - sum_r m_r Q_r||^2 = t.t - 2 sum_r m_r t.Q_r + sum_rs m_r m_s
// Q_r.Q_s from the inner products of t and the Q_r: exact for the float Q_r (the residual in
// float would round), and loses digits only for fits with 1 - R2 below 1e-9. Columns go in
// chunks so that memory stays bounded.
void accumulateFoldScores(const Fold& fold, const RowMatrixF& z, const RowMatrixF& target,
                          Eigen::MatrixXd& scores, double weight, const JobContext& job) {
    const std::int64_t k = fold.validationBasis.cols(), nv = target.rows(), c = target.cols();
    const std::int64_t terms = k > 0 ? fold.shrinkage.alphaMixing.cols() : 0;
    const Eigen::MatrixXd& mixing = fold.shrinkage.alphaMixing;  // alphas x R
    // The scaled bases stacked (R blocks of nv rows), a few terms at a time when all of them
    // would pass the memory bound.
    const std::int64_t blockTerms = std::clamp<std::int64_t>(
        kScoreChunkFloats / std::max<std::int64_t>(nv * k, 1), 1, std::max<std::int64_t>(terms, 1));
    RowMatrixF stacked(std::min(blockTerms, terms) * nv, k);
    std::int64_t stackedFrom = -1;  // the first term stacked now
    const auto stack = [&](std::int64_t from) {
        if (from == stackedFrom) return;
        for (std::int64_t r = from; r < std::min(terms, from + blockTerms); ++r)
            stacked.middleRows((r - from) * nv, nv) =
                fold.validationBasis.array().rowwise() *
                fold.shrinkage.directionWeights.col(r).cast<float>().transpose().array();
        stackedFrom = from;
    };
    const std::int64_t chunk =
        std::clamp<std::int64_t>(kScoreChunkFloats / std::max<std::int64_t>(terms * nv, 1),
                                 kInnerColumns, std::max<std::int64_t>(c, kInnerColumns));
    RowMatrixF products(terms * nv, std::min(chunk, c));  // Q_r row i: row r * nv + i
    // Per column: t.t, then t.Q_r (R), then Q_r.Q_s for s <= r (R (R + 1) / 2).
    const std::int64_t pairs = terms * (terms + 1) / 2;
    Eigen::Array<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> inner(1 + terms + pairs,
                                                                                kInnerColumns);
    // Each alpha's squared residual as a combination of those inner products.
    Eigen::MatrixXd sseOfInner(mixing.rows(), inner.rows());
    for (Eigen::Index a = 0; a < mixing.rows(); ++a) {
        sseOfInner(a, 0) = 1;
        for (std::int64_t r = 0, pair = 0; r < terms; ++r) {
            sseOfInner(a, 1 + r) = -2 * mixing(a, r);
            for (std::int64_t s = 0; s <= r; ++s, ++pair)
                sseOfInner(a, 1 + terms + pair) =
                    (s == r ? 1.0 : 2.0) * mixing(a, r) * mixing(a, s);
        }
    }
    for (std::int64_t c0 = 0; c0 < c; c0 += chunk) {
        const std::int64_t cc = std::min(chunk, c - c0), ld = products.cols();
        for (std::int64_t from = 0; from < terms; from += blockTerms) {
            stack(from);
            gemm(false, false, std::min(blockTerms, terms - from) * nv, cc, k, 1.0f, stacked.data(),
                 k, z.data() + c0, c, 0.0f, products.data() + from * nv * ld, ld);
        }
        for (std::int64_t j0 = 0; j0 < cc; j0 += kInnerColumns) {
            const std::int64_t width = std::min(kInnerColumns, cc - j0);
            inner.setZero();
            innerProducts(target.data() + c0 + j0, c, products.data() + j0, ld, nv, terms, width,
                          inner.data(), kInnerColumns);
            const Eigen::MatrixXd sse = sseOfInner * inner.leftCols(width).matrix();
            scores.middleCols(c0 + j0, width) += sse.cwiseMax(0.0) * weight;
        }
        job.checkCancelled();
    }
}

void checkFinite(const float* values, std::int64_t count, const std::string& what) {
    for (std::int64_t i = 0; i < count; ++i)
        if (!std::isfinite(values[i]))
            throw std::invalid_argument(what + " hold a non-finite value (NaN or infinity)");
}

// Z = projection * Y_fit, where the fitting rows are the training rows outside [skipBegin,
// skipEnd): two products on the contiguous blocks either side, no copy of Y.
RowMatrixF project(const RidgeSolver& solver, const RowMatrixF& trainY, std::int64_t skipBegin,
                   std::int64_t skipEnd) {
    const std::int64_t k = solver.eigenvalues.size(), c = trainY.cols();
    RowMatrixF z = RowMatrixF::Zero(k, c);
    if (k == 0) return z;
    const std::int64_t fitRows = solver.projection.cols();
    if (skipBegin > 0)
        gemm(false, false, k, c, skipBegin, 1.0f, solver.projection.data(), fitRows, trainY.data(),
             c, 0.0f, z.data(), c);
    const std::int64_t after = trainY.rows() - skipEnd;
    if (after > 0)
        gemm(false, false, k, c, after, 1.0f, solver.projection.data() + skipBegin, fitRows,
             trainY.data() + skipEnd * c, c, skipBegin > 0 ? 1.0f : 0.0f, z.data(), c);
    return z;
}

// Every fold's solver and the one for all training rows. With no more features than rows,
// a fold's Gram matrix is the training rows' less the left-out rows' (the rows centred once on
// the training mean, so that a fold's own mean is a small shift and the downdate loses no
// digits), which saves most of its cost.
struct Decomposition {
    std::vector<Fold> folds;
    RidgeSolver full;
};

Decomposition decompose(const RowMatrixD& trainX, const RidgeSettings& settings,
                        const JobContext& job) {
    const std::int64_t nTrain = trainX.rows(), f = trainX.cols();
    const Eigen::RowVectorXd centre = settings.intercept
                                          ? Eigen::RowVectorXd(trainX.colwise().mean())
                                          : Eigen::RowVectorXd::Zero(f);
    const RowMatrixD centred = trainX.rowwise() - centre;
    const Eigen::RowVectorXd centredSum = centred.colwise().sum();
    Eigen::MatrixXd gram;
    if (f <= nTrain) {
        gram.resize(f, f);
        gemm(true, false, f, f, nTrain, 1.0, centred.data(), f, centred.data(), f, 0.0, gram.data(),
             f);
    }
    // The solver of the rows outside [begin, end).
    const auto solverWithout = [&](std::int64_t begin, std::int64_t end) {
        const std::int64_t left = end - begin, fitRows = nTrain - left;
        Eigen::RowVectorXd shift = Eigen::RowVectorXd::Zero(f);  // the fit mean - centre
        if (settings.intercept)
            shift =
                (centredSum - centred.middleRows(begin, left).colwise().sum()) / double(fitRows);
        RowMatrixD fit(fitRows, f);
        fit << centred.topRows(begin), centred.bottomRows(nTrain - end);
        fit.rowwise() -= shift;
        if (f > fitRows) return dualRidgeSolver(fit, centre + shift);
        Eigen::MatrixXd fitGram = gram;
        if (left > 0)
            gemm(true, false, f, f, left, -1.0, centred.data() + begin * f, f,
                 centred.data() + begin * f, f, 1.0, fitGram.data(), f);
        fitGram -= double(fitRows) * shift.transpose() * shift;
        return primalRidgeSolver(fit, fitGram, centre + shift);
    };
    Decomposition d;
    std::int64_t begin = 0;
    d.folds.resize(std::size_t(settings.folds));
    for (int i = 0; i < settings.folds; ++i) {
        Fold& fold = d.folds[std::size_t(i)];
        const std::int64_t size = nTrain / settings.folds + (i < nTrain % settings.folds ? 1 : 0);
        fold.begin = begin;
        fold.end = begin + size;
        begin = fold.end;
        fold.solver = solverWithout(fold.begin, fold.end);
        const RowMatrixD validation =
            trainX.middleRows(fold.begin, size).rowwise() - fold.solver.featureMean;
        fold.validationBasis = multiply(validation.cast<float>(), fold.solver.basis);
        fold.solver.basis.resize(0, 0);  // only the refit needs it
        fold.shrinkage =
            shrinkageBasis(fold.solver.eigenvalues, settings.alphas, kShrinkageTolerance);
        job.checkCancelled();
    }
    d.full = solverWithout(0, 0);
    return d;
}

Eigen::RowVectorXd columnMeans(const RowMatrixF& y, std::int64_t skipBegin, std::int64_t skipEnd) {
    Eigen::RowVectorXd sum = Eigen::RowVectorXd::Zero(y.cols());
    for (std::int64_t r = 0; r < y.rows(); ++r)
        if (r < skipBegin || r >= skipEnd) sum += y.row(r).cast<double>();
    const std::int64_t n = y.rows() - (skipEnd - skipBegin);
    return n > 0 ? Eigen::RowVectorXd(sum / double(n)) : sum;
}

RowMatrixF gatherRows(const RowMatrixF& all, const std::vector<std::int64_t>& rows) {
    RowMatrixF out(std::int64_t(rows.size()), all.cols());
    for (std::size_t i = 0; i < rows.size(); ++i)
        out.row(std::int64_t(i)) = all.row(rows[i]);
    return out;
}

// R2 (1 - SSE / SST, sklearn's r2_score: 1 for a perfect constant, 0 for SST = 0 otherwise)
// and Pearson r (0 when either side has no variance) per column.
void testScores(const RowMatrixF& truth, const RowMatrixF& predicted, std::vector<float>& r2,
                std::vector<float>& r) {
    const std::int64_t n = truth.rows(), c = truth.cols();
    r2.assign(std::size_t(c), 0.0f);
    r.assign(std::size_t(c), 0.0f);
    for (std::int64_t v = 0; v < c; ++v) {
        double meanT = 0, meanP = 0;
        for (std::int64_t i = 0; i < n; ++i) {
            meanT += truth(i, v);
            meanP += predicted(i, v);
        }
        meanT /= double(n);
        meanP /= double(n);
        double sse = 0, sst = 0, spp = 0, stp = 0;
        for (std::int64_t i = 0; i < n; ++i) {
            const double t = truth(i, v) - meanT, p = predicted(i, v) - meanP;
            const double e = double(truth(i, v)) - double(predicted(i, v));
            sse += e * e;
            sst += t * t;
            spp += p * p;
            stp += t * p;
        }
        r2[std::size_t(v)] = float(sst > 0 ? 1.0 - sse / sst : (sse == 0 ? 1.0 : 0.0));
        r[std::size_t(v)] = float(sst > 0 && spp > 0 ? stp / std::sqrt(sst * spp) : 0.0);
    }
}

}  // namespace

std::vector<double> logSpacedAlphas(double from, double to, int count) {
    if (!(from > 0) || !(to > 0) || count < 1)
        throw std::invalid_argument("alphas must be positive and at least one");
    std::vector<double> alphas(static_cast<std::size_t>(count));
    const double a = std::log10(from), b = std::log10(to);
    for (int i = 0; i < count; ++i)
        alphas[std::size_t(i)] =
            std::pow(10.0, count == 1 ? a : a + (b - a) * double(i) / double(count - 1));
    return alphas;
}

FeatureTransform fitRidgeCV(const RidgeProblem& problem, RidgeSettings settings,
                            const std::function<void(RidgeBatch&&)>& sink, const JobContext& job) {
    const std::int64_t f = problem.featureCount, nTrain = std::int64_t(problem.trainRows.size());
    if (settings.alphas.empty()) throw std::invalid_argument("no alphas to choose from");
    for (double alpha : settings.alphas)
        if (!(alpha > 0) || !std::isfinite(alpha))
            throw std::invalid_argument("every alpha must be a positive number");
    std::sort(settings.alphas.begin(), settings.alphas.end());
    if (settings.folds < 2) throw std::invalid_argument("cross-validation needs at least 2 folds");
    if (nTrain < settings.folds)
        throw std::invalid_argument(std::to_string(nTrain) + " training rows cannot make " +
                                    std::to_string(settings.folds) + " folds");
    if (f < 1) throw std::invalid_argument("there are no features");
    for (auto row : problem.trainRows)
        if (row < 0 || row >= problem.rows)
            throw std::invalid_argument("a training row is out of range");
    for (auto row : problem.testRows)
        if (row < 0 || row >= problem.rows)
            throw std::invalid_argument("a test row is out of range");
    checkFinite(problem.features, problem.rows * f, "the features");

    // The feature transform, from the training rows only.
    const Eigen::Map<const RowMatrixF> raw(problem.features, problem.rows, f);
    FeatureTransform transform{std::vector<double>(std::size_t(f), 0.0),
                               std::vector<double>(std::size_t(f), 1.0)};
    if (settings.standardize) {
        for (std::int64_t j = 0; j < f; ++j) {
            double sum = 0, sumSq = 0;
            for (auto row : problem.trainRows)
                sum += raw(row, j);
            const double mean = sum / double(nTrain);
            for (auto row : problem.trainRows)
                sumSq += (raw(row, j) - mean) * (raw(row, j) - mean);
            const double sd = std::sqrt(sumSq / double(nTrain));
            transform.mean[std::size_t(j)] = mean;
            transform.scale[std::size_t(j)] = sd > 0 ? sd : 1.0;
        }
    }
    auto transformed = [&](const std::vector<std::int64_t>& rows) {
        RowMatrixD out(std::int64_t(rows.size()), f);
        for (std::size_t i = 0; i < rows.size(); ++i)
            for (std::int64_t j = 0; j < f; ++j)
                out(std::int64_t(i), j) =
                    (double(raw(rows[i], j)) - transform.mean[std::size_t(j)]) /
                    transform.scale[std::size_t(j)];
        return out;
    };
    const RowMatrixD trainX = transformed(problem.trainRows);
    const RowMatrixF testX = transformed(problem.testRows).cast<float>();

    job.report(0.0, "decomposing the features");
    const Decomposition decomposition = decompose(trainX, settings, job);
    const RidgeSolver& full = decomposition.full;
    const Eigen::RowVectorXf fullMean = full.featureMean.cast<float>();
    const double decompositionShare = 0.05;
    job.report(decompositionShare, "fitting responses");

    const std::int64_t alphaCount = std::int64_t(settings.alphas.size());
    const std::int64_t batchSize = std::max<std::int64_t>(1, settings.batch);
    for (std::int64_t first = 0; first < problem.responseCount; first += batchSize) {
        const std::int64_t c = std::min(batchSize, problem.responseCount - first);
        RowMatrixF all(problem.rows, c);
        problem.responses(first, c, all.data());
        checkFinite(all.data(), all.size(), "the responses");
        const RowMatrixF trainY = gatherRows(all, problem.trainRows);
        const RowMatrixF testY = gatherRows(all, problem.testRows);
        all.resize(0, 0);

        RidgeBatch batch;
        batch.first = first;
        batch.count = c;
        Eigen::MatrixXd scores = Eigen::MatrixXd::Zero(alphaCount, c);  // alphas x responses
        for (const Fold& fold : decomposition.folds) {
            const std::int64_t nv = fold.end - fold.begin;
            const Eigen::RowVectorXd fitMean = settings.intercept
                                                   ? columnMeans(trainY, fold.begin, fold.end)
                                                   : Eigen::RowVectorXd::Zero(c);
            const RowMatrixF z = project(fold.solver, trainY, fold.begin, fold.end);
            // Validation responses minus what the intercept alone predicts.
            RowMatrixF target = trainY.middleRows(fold.begin, nv);
            target.rowwise() -= fitMean.cast<float>();
            accumulateFoldScores(fold, z, target, scores,
                                 1.0 / (double(nv) * double(settings.folds)), job);
        }
        batch.alphas.resize(std::size_t(c));
        batch.cvScores.resize(std::size_t(alphaCount * c));
        for (std::int64_t v = 0; v < c; ++v) {
            std::int64_t best = 0;
            for (std::int64_t a = 0; a < alphaCount; ++a) {
                batch.cvScores[std::size_t(a * c + v)] = float(scores(a, v));
                if (scores(a, v) <= scores(best, v)) best = a;  // ties: the larger alpha
            }
            batch.alphas[std::size_t(v)] = settings.alphas[std::size_t(best)];
        }

        // Refit on all training rows with each response's alpha.
        const std::int64_t k = full.eigenvalues.size();
        const Eigen::RowVectorXd trainMean =
            settings.intercept ? columnMeans(trainY, 0, 0) : Eigen::RowVectorXd::Zero(c);
        RowMatrixF z = project(full, trainY, 0, 0);
        for (std::int64_t v = 0; v < c; ++v)
            for (std::int64_t i = 0; i < k; ++i)
                z(i, v) *= float(1.0 / (full.eigenvalues(i) + batch.alphas[std::size_t(v)]));
        RowMatrixF weights = RowMatrixF::Zero(f, c);  // features x responses
        if (k > 0)
            gemm(false, false, f, c, k, 1.0f, full.basis.data(), k, z.data(), c, 0.0f,
                 weights.data(), c);
        const Eigen::RowVectorXf intercepts =
            settings.intercept ? Eigen::RowVectorXf(trainMean.cast<float>() - fullMean * weights)
                               : Eigen::RowVectorXf::Zero(c);
        batch.intercepts.assign(intercepts.data(), intercepts.data() + c);
        batch.weights.resize(std::size_t(c * f));
        Eigen::Map<RowMatrixF>(batch.weights.data(), c, f) = weights.transpose();
        if (testX.rows() > 0) {
            RowMatrixF predicted = multiply(testX, weights);
            predicted.rowwise() += intercepts;
            testScores(testY, predicted, batch.testR2, batch.testR);
        }
        sink(std::move(batch));
        job.report(decompositionShare +
                       (1 - decompositionShare) * double(first + c) / double(problem.responseCount),
                   "fitting responses");
    }
    return transform;
}

}  // namespace us::analysis
