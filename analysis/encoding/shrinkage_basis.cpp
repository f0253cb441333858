#include "analysis/encoding/shrinkage_basis.h"

#include <Eigen/SVD>

namespace us::analysis {

ShrinkageBasis shrinkageBasis(const Eigen::VectorXd& eigenvalues, const std::vector<double>& alphas,
                              double tolerance) {
    const Eigen::Index k = eigenvalues.size(), count = Eigen::Index(alphas.size());
    Eigen::MatrixXd shares(k, count);
    for (Eigen::Index a = 0; a < count; ++a)
        shares.col(a) = eigenvalues.array() / (eigenvalues.array() + alphas[std::size_t(a)]);
    ShrinkageBasis basis;
    if (k == 0 || count == 0) {
        basis.directionWeights.resize(k, 0);
        basis.alphaMixing.resize(count, 0);
        return basis;
    }
    const Eigen::BDCSVD<Eigen::MatrixXd> svd(shares, Eigen::ComputeThinU | Eigen::ComputeThinV);
    const Eigen::MatrixXd left = svd.matrixU() * svd.singularValues().asDiagonal();
    const Eigen::MatrixXd& right = svd.matrixV();
    const Eigen::Index most = svd.singularValues().size();
    // The largest entry error, checked directly: the singular value only bounds it.
    Eigen::Index terms = 1;
    for (; terms < most; ++terms) {
        const Eigen::MatrixXd error =
            shares - left.leftCols(terms) * right.leftCols(terms).transpose();
        if (error.cwiseAbs().maxCoeff() <= tolerance) break;
    }
    if (terms >= most && count <= k) {
        // No saving: each alpha is its own term, 1 / (lambda + alpha) exactly.
        basis.directionWeights = eigenvalues.cwiseInverse().asDiagonal() * shares;
        basis.alphaMixing = Eigen::MatrixXd::Identity(count, count);
        return basis;
    }
    // The truncated terms; all k of them (exact to rounding) when directions are fewer than
    // alphas.
    basis.directionWeights = eigenvalues.cwiseInverse().asDiagonal() * left.leftCols(terms);
    basis.alphaMixing = right.leftCols(terms);
    return basis;
}

}  // namespace us::analysis
