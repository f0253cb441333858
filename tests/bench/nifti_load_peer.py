"""Peer for bench_nifti_load: writes the benchmark's 4-D NIfTI once (MNI 2 mm grid, 100
volumes, float32, gzip) and times nibabel's load + get_fdata() on it. Prints JSON.

Usage: nifti_load_peer.py PATH REPEATS
"""
import json
import os
import sys
import time

import nibabel as nib
import numpy as np

path, repeats = sys.argv[1], int(sys.argv[2])
if not os.path.exists(path):
    rng = np.random.RandomState(0)
    shape = (91, 109, 91)
    grid = np.stack(np.meshgrid(*[np.linspace(-1, 1, d) for d in shape], indexing="ij"), -1)
    brain = np.exp(-3 * (grid ** 2).sum(-1)).astype(np.float32) * 1000
    data = brain[..., None] * (1 + 0.02 * rng.randn(1, 1, 1, 100).astype(np.float32))
    data += rng.randn(*shape, 100).astype(np.float32) * 10
    affine = np.array([[-2.0, 0, 0, 90], [0, 2, 0, -126], [0, 0, 2, -72], [0, 0, 0, 1]])
    nib.save(nib.Nifti1Image(data.astype(np.float32), affine), path + ".tmp.nii.gz")
    os.rename(path + ".tmp.nii.gz", path)
times = []
for _ in range(repeats):
    start = time.perf_counter()
    data = nib.load(path).get_fdata()
    times.append(time.perf_counter() - start)
print(json.dumps({"peer": "nibabel get_fdata", "best_s": min(times), "shape": list(data.shape),
                  "sum": float(data.sum(dtype=np.float64))}))
