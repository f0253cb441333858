#include "analysis/core/lapack.h"

#include <stdexcept>
#include <string>
#include <vector>

extern "C" void dsyevd_(const char* jobz, const char* uplo, const int* n, double* a, const int* lda,
                        double* w, double* work, const int* lwork, int* iwork, const int* liwork,
                        int* info);

namespace us::analysis {

Eigen::VectorXd symmetricEigen(Eigen::MatrixXd& matrix) {
    const int n = int(matrix.rows());
    Eigen::VectorXd values(n);
    if (n == 0) return values;
    int info = 0, lwork = -1, liwork = -1, iworkSize = 0;
    double workSize = 0;
    dsyevd_("V", "L", &n, matrix.data(), &n, values.data(), &workSize, &lwork, &iworkSize, &liwork,
            &info);
    lwork = int(workSize);
    liwork = iworkSize;
    std::vector<double> work(std::size_t(std::max(lwork, 1)));
    std::vector<int> iwork(std::size_t(std::max(liwork, 1)));
    dsyevd_("V", "L", &n, matrix.data(), &n, values.data(), work.data(), &lwork, iwork.data(),
            &liwork, &info);
    if (info != 0)
        throw std::runtime_error("the symmetric eigendecomposition did not converge (LAPACK info " +
                                 std::to_string(info) + ")");
    return values;
}

}  // namespace us::analysis
