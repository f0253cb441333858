// Cross-validated ridge: the shared shrinkage terms reproduce every alpha's shrinkage, and the
// CV scores, chosen alphas and weights of fitRidgeCV equal a direct double-precision solve of
// (X'X + alpha I) w = X'y per fold and alpha, on problems large enough that the scores go
// through a truncated set of terms (fewer than the alphas and the directions).

#include <gtest/gtest.h>

#include <Eigen/Cholesky>
#include <Eigen/Core>

#include <algorithm>
#include <cmath>
#include <random>

#include "analysis/encoding/ridge_cv.h"
#include "analysis/encoding/shrinkage_basis.h"

namespace us::analysis {
namespace {

using RowMatrixD = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

double largestShareError(const Eigen::VectorXd& eigenvalues, const std::vector<double>& alphas,
                         const ShrinkageBasis& basis) {
    double worst = 0;
    for (Eigen::Index i = 0; i < eigenvalues.size(); ++i)
        for (std::size_t a = 0; a < alphas.size(); ++a) {
            const double exact = eigenvalues(i) / (eigenvalues(i) + alphas[a]);
            const double shared = eigenvalues(i) * basis.directionWeights.row(i).dot(
                                                       basis.alphaMixing.row(Eigen::Index(a)));
            worst = std::max(worst, std::abs(shared - exact));
        }
    return worst;
}

TEST(ShrinkageBasis, FewTermsReproduceEveryAlphaWithinTheTolerance) {
    const auto alphas = logSpacedAlphas(1e-2, 1e6, 20);
    // A narrow spectrum (Gaussian features) and a wide one (eight decades, as CNN features).
    Eigen::VectorXd narrow(1000), wide(1000);
    for (Eigen::Index i = 0; i < 1000; ++i) {
        narrow(i) = 300.0 + 6000.0 * double(i) / 999.0;
        wide(i) = std::pow(10.0, -4.0 + 8.0 * double(i) / 999.0);
    }
    for (const double tolerance : {1e-4, 1e-6, 1e-8}) {
        const auto n = shrinkageBasis(narrow, alphas, tolerance);
        const auto w = shrinkageBasis(wide, alphas, tolerance);
        EXPECT_LE(largestShareError(narrow, alphas, n), tolerance);
        EXPECT_LE(largestShareError(wide, alphas, w), tolerance);
        EXPECT_LE(n.alphaMixing.cols(), 20);
        EXPECT_LE(w.alphaMixing.cols(), 20);
        EXPECT_LE(n.alphaMixing.cols(), w.alphaMixing.cols());
    }
    EXPECT_LE(shrinkageBasis(narrow, alphas, 1e-6).alphaMixing.cols(), 10);
    // A tolerance no truncation meets: one exact term per alpha.
    const auto exact = shrinkageBasis(wide, alphas, 0.0);
    EXPECT_EQ(exact.alphaMixing.cols(), 20);
    EXPECT_LE(largestShareError(wide, alphas, exact), 1e-12);
    // Fewer directions than alphas: all of them, exact to rounding.
    const auto few = shrinkageBasis(narrow.head(5), alphas, 0.0);
    EXPECT_EQ(few.alphaMixing.cols(), 5);
    EXPECT_LE(largestShareError(narrow.head(5), alphas, few), 1e-12);
}

struct Problem {
    RowMatrixD x, y;  // rows x features, rows x responses
};

// Features with a spectrum over several decades; responses a sparse linear map plus noise of
// very different levels, so that the voxels choose different alphas.
Problem makeProblem(std::int64_t rows, std::int64_t features, std::int64_t responses) {
    std::mt19937 random(7);
    std::normal_distribution<double> normal;
    Problem p{RowMatrixD(rows, features), RowMatrixD(rows, responses)};
    for (std::int64_t j = 0; j < features; ++j) {
        const double scale = std::pow(10.0, -2.0 * double(j) / double(features));
        for (std::int64_t i = 0; i < rows; ++i)
            p.x(i, j) = scale * normal(random) + 0.3;
    }
    RowMatrixD w(features, responses);
    for (auto& value : w.reshaped())
        value = normal(random) / std::sqrt(double(features));
    p.y = p.x * w;
    for (std::int64_t v = 0; v < responses; ++v) {
        const double noise = std::pow(10.0, -1.5 + 3.0 * double(v) / double(responses));
        for (std::int64_t i = 0; i < rows; ++i)
            p.y(i, v) += noise * normal(random);
    }
    return p;
}

// What the CV score should be: mean over folds of the validation MSE of the direct solve.
Eigen::MatrixXd directScores(const Problem& p, const std::vector<double>& alphas, int folds,
                             bool intercept) {
    const std::int64_t n = p.x.rows(), f = p.x.cols();
    Eigen::MatrixXd scores = Eigen::MatrixXd::Zero(std::int64_t(alphas.size()), p.y.cols());
    std::int64_t begin = 0;
    for (int fold = 0; fold < folds; ++fold) {
        const std::int64_t size = n / folds + (fold < n % folds ? 1 : 0), end = begin + size;
        RowMatrixD fitX(n - size, f), fitY(n - size, p.y.cols());
        fitX << p.x.topRows(begin), p.x.bottomRows(n - end);
        fitY << p.y.topRows(begin), p.y.bottomRows(n - end);
        const Eigen::RowVectorXd xm =
            intercept ? Eigen::RowVectorXd(fitX.colwise().mean()) : Eigen::RowVectorXd::Zero(f);
        const Eigen::RowVectorXd ym = intercept ? Eigen::RowVectorXd(fitY.colwise().mean())
                                                : Eigen::RowVectorXd::Zero(p.y.cols());
        const RowMatrixD cx = fitX.rowwise() - xm, cy = fitY.rowwise() - ym;
        const Eigen::MatrixXd gram = cx.transpose() * cx, xty = cx.transpose() * cy;
        for (std::size_t a = 0; a < alphas.size(); ++a) {
            const Eigen::MatrixXd w =
                (gram + alphas[a] * Eigen::MatrixXd::Identity(f, f)).ldlt().solve(xty);
            const RowMatrixD predicted =
                ((p.x.middleRows(begin, size).rowwise() - xm) * w).rowwise() + ym;
            const RowMatrixD error = p.y.middleRows(begin, size) - predicted;
            scores.row(Eigen::Index(a)) +=
                error.array().square().colwise().mean().matrix() / double(folds);
        }
        begin = end;
    }
    return scores;
}

void expectMatchesDirectSolve(bool intercept) {
    const std::int64_t n = 400, f = 120, v = 60;
    const Problem p = makeProblem(n, f, v);
    const std::vector<float> x(p.x.data(), p.x.data() + p.x.size());
    const std::vector<float> y(p.y.data(), p.y.data() + p.y.size());
    // The float copies are the problem: the reference solves them in double.
    Problem rounded{p.x.cast<float>().cast<double>(), p.y.cast<float>().cast<double>()};
    RidgeProblem problem;
    problem.features = x.data();
    problem.rows = n;
    problem.featureCount = f;
    for (std::int64_t i = 0; i < n; ++i)
        problem.trainRows.push_back(i);
    problem.responseCount = v;
    problem.responses = [&](std::int64_t first, std::int64_t count, float* out) {
        for (std::int64_t r = 0; r < n; ++r)
            for (std::int64_t c = 0; c < count; ++c)
                out[r * count + c] = y[std::size_t(r * v + first + c)];
    };
    RidgeSettings settings;
    settings.intercept = intercept;
    settings.batch = 25;  // several batches, the last one short
    Eigen::MatrixXd scores(std::int64_t(settings.alphas.size()), v);
    std::vector<double> chosen(static_cast<std::size_t>(v));
    RowMatrixD weights(f, v);
    fitRidgeCV(problem, settings, [&](RidgeBatch&& batch) {
        for (std::int64_t c = 0; c < batch.count; ++c) {
            for (std::size_t a = 0; a < settings.alphas.size(); ++a)
                scores(Eigen::Index(a), batch.first + c) =
                    batch.cvScores[std::size_t(std::int64_t(a) * batch.count + c)];
            chosen[std::size_t(batch.first + c)] = batch.alphas[std::size_t(c)];
            for (std::int64_t j = 0; j < f; ++j)
                weights(j, batch.first + c) = batch.weights[std::size_t(c * f + j)];
        }
    });
    const Eigen::MatrixXd want = directScores(rounded, settings.alphas, settings.folds, intercept);
    EXPECT_LE((scores - want).cwiseAbs().maxCoeff(), 1e-5 * want.cwiseAbs().maxCoeff());
    int distinct = 0;
    for (std::int64_t c = 0; c < v; ++c) {
        Eigen::Index best = 0;
        for (Eigen::Index a = 0; a < want.rows(); ++a)
            if (want(a, c) <= want(best, c)) best = a;
        const double got = chosen[std::size_t(c)];
        if (got != settings.alphas[std::size_t(best)]) {
            // Either choice is right where two alphas score alike to float precision.
            const auto a = std::find(settings.alphas.begin(), settings.alphas.end(), got) -
                           settings.alphas.begin();
            EXPECT_LE(std::abs(want(a, c) - want(best, c)), 1e-6 * want(best, c)) << "voxel " << c;
        }
        distinct += c == 0 || got != chosen[std::size_t(c - 1)];
    }
    EXPECT_GE(distinct, 5) << "the voxels should choose several alphas";
    // The refit with each voxel's alpha on all rows.
    for (std::int64_t c = 0; c < v; c += 7) {
        const Eigen::RowVectorXd xm = intercept ? Eigen::RowVectorXd(rounded.x.colwise().mean())
                                                : Eigen::RowVectorXd::Zero(f);
        const RowMatrixD cx = rounded.x.rowwise() - xm;
        const Eigen::VectorXd cy =
            rounded.y.col(c).array() - (intercept ? rounded.y.col(c).mean() : 0.0);
        const Eigen::VectorXd w = (Eigen::MatrixXd(cx.transpose() * cx) +
                                   chosen[std::size_t(c)] * Eigen::MatrixXd::Identity(f, f))
                                      .ldlt()
                                      .solve(cx.transpose() * cy);
        EXPECT_LE((weights.col(c) - w).cwiseAbs().maxCoeff(),
                  1e-5 * std::max(1.0, w.cwiseAbs().maxCoeff()))
            << "voxel " << c;
    }
}

TEST(RidgeCV, ScoresAlphasAndWeightsMatchADirectSolve) {
    expectMatchesDirectSolve(false);
}

TEST(RidgeCV, WithAnInterceptToo) {
    expectMatchesDirectSolve(true);
}

}  // namespace
}  // namespace us::analysis
