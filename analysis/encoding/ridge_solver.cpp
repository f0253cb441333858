#include "analysis/encoding/ridge_solver.h"

#include <algorithm>
#include <vector>

#include "analysis/core/blas.h"
#include "analysis/core/lapack.h"

namespace us::analysis {
namespace {

using RowMatrixD = RidgeSolver::RowMatrixD;

// Eigen-directions whose eigenvalue is below this share of the largest carry no signal: the
// features have no variance along them, so they are dropped (their ridge contribution is 0).
constexpr double kRankTolerance = 1e-10;

// The eigendecomposition of a symmetric matrix (overwritten), kept directions only.
RowMatrixD keptEigenvectors(Eigen::MatrixXd& symmetric, Eigen::VectorXd& eigenvalues) {
    const Eigen::VectorXd values = symmetricEigen(symmetric);
    const double largest = values.size() ? std::max(values(values.size() - 1), 0.0) : 0.0;
    std::vector<Eigen::Index> kept;
    for (Eigen::Index i = 0; i < values.size(); ++i)
        if (values(i) > kRankTolerance * largest) kept.push_back(i);
    const auto k = Eigen::Index(kept.size());
    eigenvalues.resize(k);
    RowMatrixD vectors(symmetric.rows(), k);
    for (Eigen::Index j = 0; j < k; ++j) {
        eigenvalues(j) = values(kept[std::size_t(j)]);
        vectors.col(j) = symmetric.col(kept[std::size_t(j)]);
    }
    return vectors;
}

}  // namespace

RidgeSolver primalRidgeSolver(const RowMatrixD& centred, Eigen::MatrixXd& gram,
                              Eigen::RowVectorXd featureMean) {
    const std::int64_t n = centred.rows(), f = centred.cols();
    RidgeSolver solver;
    solver.featureMean = std::move(featureMean);
    const RowMatrixD vectors = keptEigenvectors(gram, solver.eigenvalues);
    const std::int64_t k = solver.eigenvalues.size();
    // projection = V' Xc', basis = V
    RowMatrixD projection(k, n);
    if (k > 0)
        gemm(true, true, k, n, f, 1.0, vectors.data(), k, centred.data(), f, 0.0, projection.data(),
             n);
    solver.projection = projection.cast<float>();
    solver.basis = vectors.cast<float>();
    return solver;
}

RidgeSolver dualRidgeSolver(const RowMatrixD& centred, Eigen::RowVectorXd featureMean) {
    const std::int64_t n = centred.rows(), f = centred.cols();
    RidgeSolver solver;
    solver.featureMean = std::move(featureMean);
    Eigen::MatrixXd kernel(n, n);  // symmetric, so row/column order is moot
    gemm(false, true, n, n, f, 1.0, centred.data(), f, centred.data(), f, 0.0, kernel.data(), n);
    const RowMatrixD vectors = keptEigenvectors(kernel, solver.eigenvalues);
    const std::int64_t k = solver.eigenvalues.size();
    // projection = U', basis = Xc' U
    RowMatrixD basis(f, k);
    if (k > 0)
        gemm(true, false, f, k, n, 1.0, centred.data(), f, vectors.data(), k, 0.0, basis.data(), k);
    solver.projection = vectors.transpose().cast<float>();
    solver.basis = basis.cast<float>();
    return solver;
}

}  // namespace us::analysis
