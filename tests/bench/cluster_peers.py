"""SciPy / scikit-learn peers for the clustering benchmarks, timed in the same run.

usage: cluster_peers.py data OUTDIR           -> writes X.npy (10,000 x 512 float32) and a
                                                  100,000-leaf random hierarchy (tree.npy/.json)
       cluster_peers.py ward X.npy             -> {"seconds": ...}  (linkage(X, 'ward'))
       cluster_peers.py kmeans X.npy K R       -> {"seconds": ..., "inertia": ...}
"""
import json
import sys
import time

import numpy as np

mode = sys.argv[1]
if mode == "data":
    out = sys.argv[2]
    rng = np.random.RandomState(0)
    centres = rng.randn(30, 512) * 2
    x = (centres[rng.randint(0, 30, size=10000)] + rng.randn(10000, 512)).astype(np.float32)
    np.save(out + "/X.npy", x)
    n = 100000
    open_ids = list(range(n))
    rows = []
    for row in range(n - 1):
        a = open_ids.pop(rng.randint(len(open_ids)))
        b = open_ids.pop(rng.randint(len(open_ids)))
        rows.append([a, b, float(row), 0.0])
        open_ids.append(n + row)
    np.save(out + "/tree.npy", np.array(rows, dtype=np.float64))
    json.dump([[a, b] for a, b, _, _ in rows], open(out + "/tree.json", "w"))
elif mode == "ward":
    from scipy.cluster.hierarchy import linkage
    x = np.load(sys.argv[2])
    start = time.perf_counter()
    linkage(x, "ward")
    print(json.dumps({"seconds": time.perf_counter() - start}))
elif mode == "kmeans":
    from sklearn.cluster import KMeans
    x = np.load(sys.argv[2])
    start = time.perf_counter()
    model = KMeans(n_clusters=int(sys.argv[3]), n_init=int(sys.argv[4]), random_state=0).fit(x)
    print(json.dumps({"seconds": time.perf_counter() - start, "inertia": float(model.inertia_)}))
