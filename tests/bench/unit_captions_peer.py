"""Peer for bench_unit_captions: the same captions in numpy/SciPy (rank sums by
scipy.stats.rankdata, AUC, one-sided asymptotic Mann-Whitney p, soft-WPMI over the top 100,
control p by sorted search, Benjamini-Hochberg), timed on the benchmark's data. Prints JSON.

Usage: unit_captions_peer.py DIR
"""
import json
import sys
import time

import numpy as np
from scipy.stats import norm, rankdata

d = sys.argv[1]
acts, control, labels = np.load(f"{d}/acts.npy"), np.load(f"{d}/control.npy"), np.load(f"{d}/labels.npy")


def captions(acts, control, labels):
    n = len(labels)
    classes = np.unique(labels)
    onehot = (labels[:, None] == classes[None, :]).astype(np.float64)
    pos = onehot.sum(0)
    neg = n - pos

    def rank_stats(x):
        ranks = rankdata(x, axis=0)
        sums = onehot.T @ ranks  # concepts x units
        ties = np.array([(lambda c: (c ** 3 - c).sum())(np.unique(x[:, u], return_counts=True)[1])
                         for u in range(x.shape[1])])
        return sums, ties

    sums, ties = rank_stats(acts)
    auc = (sums - (pos * (pos + 1) / 2)[:, None]) / (pos * neg)[:, None]
    u = sums - (pos * (pos + 1) / 2)[:, None]
    s = np.sqrt((pos * neg / 12)[:, None] * ((n + 1) - ties[None, :] / (n * (n - 1))))
    p_perm = norm.sf((u - (pos * neg / 2)[:, None] - 0.5) / s)
    csums, _ = rank_stats(control)
    cauc = np.sort((csums - (pos * (pos + 1) / 2)[:, None]) / (pos * neg)[:, None], axis=1)
    p_ctrl = (1 + cauc.shape[1] - np.array([np.searchsorted(cauc[c], auc[c], "left")
                                            for c in range(len(classes))])) / (1 + cauc.shape[1])
    top = np.argsort(-acts, axis=0, kind="stable")[:100]
    p_in = 0.998 - np.arange(100)[:, None] / 100 * (0.998 - 0.97)
    given = np.stack([np.log(1 + p_in * (onehot[top[:, j]] - 1) + 1e-7).sum(0)
                      for j in range(acts.shape[1])])
    wpmi = given - (np.logaddexp.reduce(given, axis=0) - np.log(given.shape[0]))

    def bh(p):
        order = np.argsort(p, kind="stable"); m = len(p)
        q = np.minimum.accumulate((p[order] * m / np.arange(1, m + 1))[::-1])[::-1]
        out = np.empty(m); out[order] = np.minimum(q, 1); return out

    q = [bh(p_perm[c]) for c in range(len(classes))] + [bh(p_ctrl[c]) for c in range(len(classes))]
    return auc, wpmi, q


start = time.perf_counter()
auc, wpmi, q = captions(acts, control, labels)
print(json.dumps({"seconds": time.perf_counter() - start, "auc_sum": float(auc.sum())}))
