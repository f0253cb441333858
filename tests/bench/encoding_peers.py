"""Peers for bench_encoding: writes the benchmark's features X (N x F) and responses Y (N x V)
once, then times (1) a numpy implementation of the algorithm himalaya uses (per fold one
decomposition of the training features serving every alpha and voxel, K contiguous folds, mean
over folds of the fold's MSE, ties to the larger alpha, a refit on all rows with each voxel's
alpha), in two orders of computation: himalaya's own (solve_ridge_cv_svd: an SVD per fold, the
resolution matrices Xtest V diag(s / (s^2 + alpha)) U' of every alpha, times Ytrain), and a
cheaper order (the validation rows in the eigenbasis, one validation x features x voxels
product per alpha); and (2) scikit-learn's RidgeCV with one alpha per target (its efficient
leave-one-out, the fastest cross-validated ridge it offers). Each timed part starts after
SETTLE seconds idle, as the benchmark's own does: on this machine a run that follows a long
heavy one is 10-15% slower. Prints JSON.

Usage: encoding_peers.py DIR N F V ALPHAS FOLDS SETTLE
"""
import json
import os
import sys
import time

import numpy as np

out, n, f, v, n_alphas, folds, settle_seconds = sys.argv[1], *map(int, sys.argv[2:8])
os.makedirs(out, exist_ok=True)
x_path, y_path = os.path.join(out, "X.npy"), os.path.join(out, "Y.npy")
if not os.path.exists(y_path):
    rng = np.random.RandomState(0)
    x = rng.randn(n, f).astype(np.float32)
    w = rng.randn(f, v).astype(np.float32) / np.sqrt(f)
    y = (x @ w + 2.0 * rng.randn(n, v)).astype(np.float32)
    np.save(x_path, x)
    np.save(y_path + ".tmp.npy", y)
    os.rename(y_path + ".tmp.npy", y_path)
x, y = np.load(x_path), np.load(y_path)
alphas = np.logspace(-2, 6, n_alphas)


def fold_bounds(rows, k):
    sizes = np.full(k, rows // k)
    sizes[: rows % k] += 1
    edges = np.concatenate([[0], np.cumsum(sizes)])
    return [(edges[i], edges[i + 1]) for i in range(k)]


def numpy_ridge_cv(x, y):
    scores = np.zeros((len(alphas), y.shape[1]))
    for lo, hi in fold_bounds(len(x), folds):
        train = np.r_[0:lo, hi:len(x)]
        xt, yt, xv, yv = x[train], y[train], x[lo:hi], y[lo:hi]
        eigenvalues, vectors = np.linalg.eigh(xt.T @ xt)
        projected = vectors.T @ (xt.T @ yt)  # F x V
        xv_vectors = xv @ vectors
        for a, alpha in enumerate(alphas):
            predicted = xv_vectors @ (projected / (eigenvalues + alpha)[:, None])
            scores[a] += ((predicted - yv) ** 2).mean(0)
    scores /= folds
    # Ties to the larger alpha: the last minimum.
    best = len(alphas) - 1 - np.argmin(scores[::-1], axis=0)
    eigenvalues, vectors = np.linalg.eigh(x.T @ x)
    projected = vectors.T @ (x.T @ y)
    weights = np.empty((x.shape[1], y.shape[1]), np.float32)
    for a in np.unique(best):
        columns = best == a
        weights[:, columns] = vectors @ (projected[:, columns] / (eigenvalues + alphas[a])[:, None])
    return weights, alphas[best]


def himalaya_order_ridge_cv(x, y):
    """himalaya's solve_ridge_cv_svd for one feature space, in its order of computation."""
    def resolution(xt, alphas_):  # (X'X + alpha)^-1 X' for every alpha: alphas x F x rows
        u, s, vt = np.linalg.svd(xt, full_matrices=False)
        weighting = s / (alphas_.astype(xt.dtype)[:, None] + s ** 2)  # himalaya keeps X's dtype
        return np.matmul(vt.T, weighting[:, :, None] * u.T)

    scores = np.zeros((len(alphas), y.shape[1]))
    for lo, hi in fold_bounds(len(x), folds):
        train = np.r_[0:lo, hi:len(x)]
        matrix = np.matmul(x[lo:hi], resolution(x[train], alphas))  # alphas x val x train
        predictions = np.matmul(matrix, y[train])
        scores += ((predictions - y[lo:hi][None]) ** 2).mean(1)
        del matrix, predictions
    scores /= folds
    best = len(alphas) - 1 - np.argmin(scores[::-1], axis=0)
    used = np.unique(best)
    weights = np.empty((x.shape[1], y.shape[1]), np.float32)
    for matrices, a in zip(resolution(x, alphas[used]), used):
        columns = best == a
        weights[:, columns] = matrices @ y[:, columns]
    return weights, alphas[best]


time.sleep(settle_seconds)
start = time.perf_counter()
weights, chosen = numpy_ridge_cv(x, y)
numpy_seconds = time.perf_counter() - start

time.sleep(settle_seconds)
start = time.perf_counter()
himalaya_weights, himalaya_chosen = himalaya_order_ridge_cv(x, y)
himalaya_seconds = time.perf_counter() - start
himalaya_same_alpha = float((himalaya_chosen == chosen).mean())

from sklearn.linear_model import RidgeCV  # noqa: E402

time.sleep(settle_seconds)
start = time.perf_counter()
RidgeCV(alphas=alphas, fit_intercept=False, alpha_per_target=True).fit(x, y)
sklearn_seconds = time.perf_counter() - start

from threadpoolctl import threadpool_info  # noqa: E402

kernels = [i.get("architecture", "unknown") for i in threadpool_info() if "architecture" in i]
print(json.dumps({"blas_kernels": ",".join(kernels) or "unknown",
                  "numpy_s": numpy_seconds, "numpy_himalaya_order_s": himalaya_seconds,
                  "himalaya_order_same_alpha_fraction": himalaya_same_alpha,
                  "sklearn_ridgecv_s": sklearn_seconds,
                  "alphas": chosen.tolist()[:5000], "weights_head": weights[:, :50].ravel().tolist()}))
