#pragma once
// Symmetric eigendecomposition through the system LAPACK (OpenBLAS's on Debian, many times
// faster than Eigen's own solver on the 1000 x 1000 Gram matrices ridge regression needs).

#include <Eigen/Core>

namespace us::analysis {

// Eigenvalues ascending; matrix is overwritten by the eigenvectors (one per column).
// Throws std::runtime_error if LAPACK fails to converge.
Eigen::VectorXd symmetricEigen(Eigen::MatrixXd& matrix);

}  // namespace us::analysis
