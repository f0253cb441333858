#pragma once
// Ridge solutions for one set of fitting rows, for any alpha and any response, in the
// eigenbasis of the fitting features (internal to ridge_cv):
//   weights(alpha) = basis * diag(1 / (eigenvalue + alpha)) * projection * Y_fit.
// The projection is made in double and rounded to float row by row, so that each direction
// keeps its own relative precision however small its eigenvalue (a float X'Y would not).

#include <Eigen/Core>

#include <cstdint>

namespace us::analysis {

struct RidgeSolver {
    using RowMatrixF = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    using RowMatrixD = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

    Eigen::VectorXd eigenvalues;     // k, kept directions only
    RowMatrixF projection;           // k x fitting rows
    RowMatrixF basis;                // features x k
    Eigen::RowVectorXd featureMean;  // of the fitting rows (zeros without intercept)
};

// No more features than rows: from the centred fitting rows Xc and their Gram matrix Xc' Xc
// (features x features; overwritten), which the caller may have made by downdating.
RidgeSolver primalRidgeSolver(const RidgeSolver::RowMatrixD& centred, Eigen::MatrixXd& gram,
                              Eigen::RowVectorXd featureMean);

// More features than rows: through the kernel Xc Xc' (rows x rows).
RidgeSolver dualRidgeSolver(const RidgeSolver::RowMatrixD& centred, Eigen::RowVectorXd featureMean);

}  // namespace us::analysis
