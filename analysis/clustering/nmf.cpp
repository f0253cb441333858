#include "analysis/clustering/nmf.h"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "analysis/clustering/kmeans.h"

namespace us::analysis {
namespace {

using Matrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

Matrix toMatrix(const FloatArray& a) {
    return Eigen::Map<const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
               a.values.data(), a.shape.at(0), a.shape.at(1))
        .cast<double>();
}

FloatArray toArray(const Matrix& m) {
    FloatArray a{{m.rows(), m.cols()}, std::vector<float>(std::size_t(m.size()))};
    Eigen::Map<Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
        a.values.data(), m.rows(), m.cols()) = m.cast<float>();
    return a;
}

void checkInput(const FloatArray& x, std::int64_t k, bool nonNegative) {
    if (x.shape.size() != 2) throw std::invalid_argument("factorisation needs a 2-D array");
    if (k < 1 || k > std::min(x.shape[0], x.shape[1]))
        throw std::invalid_argument("k must be between 1 and min(rows, columns)");
    for (float v : x.values) {
        if (!std::isfinite(v)) throw std::invalid_argument("the data contain NaN or infinity");
        if (nonNegative && v < 0)
            throw std::invalid_argument(
                "NMF needs non-negative data (use seminmf for signed activations)");
    }
}

double relativeError(const Matrix& x, const Matrix& w, const Matrix& h) {
    const double norm = x.norm();
    return norm > 0 ? (x - w * h).norm() / norm : 0.0;
}

// scikit-learn's _update_cdnmf_fast: one sweep of exact coordinate updates of w (rows of
// items, columns of components) for fixed hht = H H^T and xht = X H^T. Returns the violation.
double coordinateSweep(Matrix& w, const Matrix& hht, const Matrix& xht) {
    double violation = 0;
    const auto k = w.cols();
    for (Eigen::Index t = 0; t < k; ++t) {
        const double hess = hht(t, t);
        for (Eigen::Index i = 0; i < w.rows(); ++i) {
            double grad = -xht(i, t);
            for (Eigen::Index r = 0; r < k; ++r)
                grad += hht(t, r) * w(i, r);
            const double projected = w(i, t) == 0 ? std::min(0.0, grad) : grad;
            violation += std::abs(projected);
            if (hess != 0) w(i, t) = std::max(w(i, t) - grad / hess, 0.0);
        }
    }
    return violation;
}

// NNDSVDa (Boutsidis and Gallopoulos, zeros filled with the mean), as scikit-learn's default.
void nndsvda(const Matrix& x, Eigen::Index k, Matrix& w, Matrix& h) {
    // Top-k singular vectors from the smaller Gram matrix.
    const bool wide = x.cols() <= x.rows();
    const Eigen::MatrixXd gram =
        wide ? Eigen::MatrixXd(x.transpose() * x) : Eigen::MatrixXd(x * x.transpose());
    const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eigen(gram);
    const Eigen::Index m = gram.rows();
    Matrix u(x.rows(), k), v(k, x.cols());
    Eigen::VectorXd s(k);
    for (Eigen::Index j = 0; j < k; ++j) {
        const Eigen::VectorXd vec = eigen.eigenvectors().col(m - 1 - j);
        s(j) = std::sqrt(std::max(0.0, eigen.eigenvalues()(m - 1 - j)));
        if (wide) {
            v.row(j) = vec.transpose();
            u.col(j) = s(j) > 0 ? Eigen::VectorXd(x * vec / s(j)) : Eigen::VectorXd::Zero(x.rows());
        } else {
            u.col(j) = vec;
            v.row(j) = s(j) > 0 ? Eigen::RowVectorXd(vec.transpose() * x / s(j))
                                : Eigen::RowVectorXd::Zero(x.cols());
        }
    }
    w = Matrix::Zero(x.rows(), k);
    h = Matrix::Zero(k, x.cols());
    w.col(0) = std::sqrt(s(0)) * u.col(0).cwiseAbs();
    h.row(0) = std::sqrt(s(0)) * v.row(0).cwiseAbs();
    for (Eigen::Index j = 1; j < k; ++j) {
        const Eigen::VectorXd xp = u.col(j).cwiseMax(0.0), xn = (-u.col(j)).cwiseMax(0.0);
        const Eigen::RowVectorXd yp = v.row(j).cwiseMax(0.0), yn = (-v.row(j)).cwiseMax(0.0);
        const double mp = xp.norm() * yp.norm(), mn = xn.norm() * yn.norm();
        const bool positive = mp > mn;
        const double sigma = positive ? mp : mn;
        if (sigma <= 0) continue;
        const double lambda = std::sqrt(s(j) * sigma);
        w.col(j) =
            lambda * (positive ? Eigen::VectorXd(xp / xp.norm()) : Eigen::VectorXd(xn / xn.norm()));
        h.row(j) = lambda * (positive ? Eigen::RowVectorXd(yp / yp.norm())
                                      : Eigen::RowVectorXd(yn / yn.norm()));
    }
    const double eps = std::numeric_limits<float>::epsilon();
    const double mean = x.mean();
    w = w.unaryExpr([&](double value) { return value < eps ? mean : value; });
    h = h.unaryExpr([&](double value) { return value < eps ? mean : value; });
}

void takeInitial(const FactorisationOptions& options, Eigen::Index n, Eigen::Index d, Matrix& w,
                 Matrix& h) {
    const auto k = options.k;
    if (options.initialW->shape != std::vector<std::int64_t>{n, k} ||
        options.initialH->shape != std::vector<std::int64_t>{k, d})
        throw std::invalid_argument("initial W and H must be [n, k] and [k, d]");
    w = toMatrix(*options.initialW);
    h = toMatrix(*options.initialH);
}

}  // namespace

Factorisation nmf(const FloatArray& x, const FactorisationOptions& options,
                  const JobContext& context) {
    checkInput(x, options.k, true);
    const Matrix data = toMatrix(x);
    Matrix w, h;
    if (options.initialW && options.initialH)
        takeInitial(options, data.rows(), data.cols(), w, h);
    else
        nndsvda(data, options.k, w, h);
    Matrix ht = h.transpose();  // [d, k]: H's update is W's update on X^T
    double firstViolation = 0;
    Factorisation result;
    for (int iteration = 1; iteration <= options.iterations; ++iteration) {
        context.checkCancelled();
        double violation = coordinateSweep(w, ht.transpose() * ht, data * ht);
        violation += coordinateSweep(ht, w.transpose() * w, data.transpose() * w);
        result.iterations = iteration;
        if (iteration == 1) firstViolation = violation;
        if (firstViolation == 0 || violation / firstViolation <= options.tolerance) break;
        if (iteration % 10 == 0)
            context.report(double(iteration) / options.iterations,
                           "NMF iteration " + std::to_string(iteration));
    }
    h = ht.transpose();
    result.relativeError = relativeError(data, w, h);
    result.w = toArray(w);
    result.h = toArray(h);
    return result;
}

Factorisation semiNmf(const FloatArray& x, const FactorisationOptions& options,
                      const JobContext& context) {
    checkInput(x, options.k, false);
    const Matrix data = toMatrix(x);
    const Eigen::Index n = data.rows(), k = options.k;
    Matrix w, h;
    if (options.initialW && options.initialH) {
        takeInitial(options, n, data.cols(), w, h);
    } else {
        // Ding et al.: start from a k-means clustering, G = indicators + 0.2.
        KMeansOptions seeding;
        seeding.k = k;
        seeding.restarts = 1;
        seeding.seed = options.seed;
        const auto clusters = kmeans(x, seeding, context.stage(0, 0.1));
        w = Matrix::Constant(n, k, 0.2);
        for (Eigen::Index i = 0; i < n; ++i)
            w(i, clusters.labels[std::size_t(i)]) += 1.0;
    }
    double previous = std::numeric_limits<double>::infinity();
    Factorisation result;
    const auto positive = [](const Matrix& m) { return Matrix((m.array().abs() + m.array()) / 2); };
    const auto negative = [](const Matrix& m) { return Matrix((m.array().abs() - m.array()) / 2); };
    for (int iteration = 1; iteration <= options.iterations; ++iteration) {
        context.checkCancelled();
        // H: least squares for fixed W (ridge of 1e-9 keeps a dead component solvable).
        const Matrix wtw = w.transpose() * w + 1e-9 * Matrix::Identity(k, k);
        h = wtw.ldlt().solve(w.transpose() * data);
        const Matrix xht = data * h.transpose();  // [n, k]
        const Matrix hht = h * h.transpose();     // [k, k]
        const Matrix numerator = positive(xht) + w * negative(hht);
        const Matrix denominator = negative(xht) + w * positive(hht);
        w = w.array() * (numerator.array() / denominator.array().max(1e-12)).sqrt();
        result.iterations = iteration;
        if (iteration % 10 == 0 || iteration == options.iterations) {
            const double error = relativeError(data, w, h);
            if (previous - error < options.tolerance * previous) break;
            previous = error;
            context.report(double(iteration) / options.iterations,
                           "semi-NMF iteration " + std::to_string(iteration));
        }
    }
    const Matrix wtw = w.transpose() * w + 1e-9 * Matrix::Identity(k, k);
    h = wtw.ldlt().solve(w.transpose() * data);
    result.relativeError = relativeError(data, w, h);
    result.w = toArray(w);
    result.h = toArray(h);
    return result;
}

}  // namespace us::analysis
