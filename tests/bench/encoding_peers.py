"""Peers for bench_encoding: writes the benchmark's features X (N x F) and responses Y (N x V)
once, then times (1) a numpy implementation of the algorithm himalaya uses and Unitscope
follows (per fold one eigendecomposition of the training features serving every alpha and
voxel, K contiguous folds, mean over folds of the fold's MSE, ties to the larger alpha, a
refit on all rows with each voxel's alpha) and (2) scikit-learn's RidgeCV with one alpha per
target (its efficient leave-one-out, the fastest cross-validated ridge it offers). Prints JSON.

Usage: encoding_peers.py DIR N F V ALPHAS FOLDS
"""
import json
import os
import sys
import time

import numpy as np

out, n, f, v, n_alphas, folds = sys.argv[1], *map(int, sys.argv[2:7])
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


start = time.perf_counter()
weights, chosen = numpy_ridge_cv(x, y)
numpy_seconds = time.perf_counter() - start

from sklearn.linear_model import RidgeCV  # noqa: E402

start = time.perf_counter()
RidgeCV(alphas=alphas, fit_intercept=False, alpha_per_target=True).fit(x, y)
sklearn_seconds = time.perf_counter() - start

print(json.dumps({"numpy_s": numpy_seconds, "sklearn_ridgecv_s": sklearn_seconds,
                  "alphas": chosen.tolist()[:5000], "weights_head": weights[:, :50].ravel().tolist()}))
