#pragma once
// Ridge's shrinkage for every alpha of a grid as a few shared terms.
//
// In the eigenbasis of the fitting features, ridge's prediction for alpha is
// B * diag(1 / (lambda + alpha)) * Z, one product per alpha. The matrix of shares
// S[i][a] = lambda_i / (lambda_i + alpha_a), how much of eigen-direction i survives alpha a, is
// a Cauchy-like matrix whose singular values fall fast: a handful of terms reproduce it to
// float precision. With S ~= U * V' (R terms), the predictions of all alphas come from R
// products instead of one per alpha: prediction(a) = sum_r V[a][r] * B diag(U[:, r] / lambda) Z.

#include <Eigen/Core>

#include <vector>

namespace us::analysis {

struct ShrinkageBasis {
    Eigen::MatrixXd directionWeights;  // k x R: column r multiplies eigen-direction i
    Eigen::MatrixXd alphaMixing;       // alphas x R: how alpha a mixes the R terms
};

// The fewest terms whose largest error in any share S[i][a] is at most `tolerance` (shares
// lie in [0, 1], so it bounds each direction's contribution to a prediction relative to its
// full size). Never more terms than alphas. eigenvalues must be positive.
ShrinkageBasis shrinkageBasis(const Eigen::VectorXd& eigenvalues, const std::vector<double>& alphas,
                              double tolerance);

}  // namespace us::analysis
