#pragma once
// Row-major matrix products through the system BLAS (OpenBLAS on Debian when
// libopenblas0-pthread is installed: 20-60x the reference BLAS, see PLATFORM.md).

#include <cstdint>

namespace us::analysis {

// C[m x n] = alpha * A[m x k] * B[n x k]^T + beta * C, all row-major, leading dims given.
void gemmNT(std::int64_t m, std::int64_t n, std::int64_t k, float alpha, const float* a,
            std::int64_t lda, const float* b, std::int64_t ldb, float beta, float* c,
            std::int64_t ldc);
void gemmNT(std::int64_t m, std::int64_t n, std::int64_t k, double alpha, const double* a,
            std::int64_t lda, const double* b, std::int64_t ldb, double beta, double* c,
            std::int64_t ldc);

// C[m x n] = alpha * op(A) * op(B) + beta * C, row-major; op(A) is m x k (A itself is k x m when
// transposeA), op(B) is k x n (B is n x k when transposeB).
void gemm(bool transposeA, bool transposeB, std::int64_t m, std::int64_t n, std::int64_t k,
          float alpha, const float* a, std::int64_t lda, const float* b, std::int64_t ldb,
          float beta, float* c, std::int64_t ldc);
void gemm(bool transposeA, bool transposeB, std::int64_t m, std::int64_t n, std::int64_t k,
          double alpha, const double* a, std::int64_t lda, const double* b, std::int64_t ldb,
          double beta, double* c, std::int64_t ldc);

}  // namespace us::analysis
