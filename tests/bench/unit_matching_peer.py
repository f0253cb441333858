"""Peer for bench_unit_matching: Pearson correlations of every unit pair in numpy (float64)
and SciPy's linear_sum_assignment(maximize=True), timed on the benchmark's data. Prints JSON.

Usage: unit_matching_peer.py DIR
"""
import json
import sys
import time

import numpy as np
from scipy.optimize import linear_sum_assignment

d = sys.argv[1]
a, b = np.load(f"{d}/a.npy"), np.load(f"{d}/b.npy")
start = time.perf_counter()
za = a.astype(np.float64); za -= za.mean(0); za /= np.linalg.norm(za, axis=0)
zb = b.astype(np.float64); zb -= zb.mean(0); zb /= np.linalg.norm(zb, axis=0)
r = za.T @ zb
assigned = time.perf_counter()
rows, cols = linear_sum_assignment(r, maximize=True)
end = time.perf_counter()
print(json.dumps({"seconds": end - start, "assignment_seconds": end - assigned,
                  "total_r": float(r[rows, cols].sum())}))
