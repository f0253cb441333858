#!/usr/bin/env bash
# Unitscope's squarified treemap against d3-hierarchy's treemapSquarify on the same SciPy
# linkage (random data, several cut depths): every rectangle, hence every aspect ratio, equal.
set -euo pipefail
cli="$1"; peers="$2"; fixtures="$3"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
/usr/bin/python3 - "$work" <<'PY'
import json, sys
import numpy as np
from scipy.cluster.hierarchy import linkage
rng = np.random.RandomState(11)
z = linkage(rng.randn(700, 8), "ward")
np.save(sys.argv[1] + "/z.npy", z)
json.dump([[int(a), int(b)] for a, b in z[:, :2]], open(sys.argv[1] + "/z.json", "w"))
PY
for depth in 1 2 3; do
  "$cli" treemap --linkage "$work/z.npy" --width 1000 --height 700 --layout squarify \
    --depth "$depth" --out "$work/ours.json" >/dev/null
  node "$fixtures/treemap_d3.mjs" "$peers" "$work/z.json" 1000 700 "$depth" >"$work/d3.json"
  /usr/bin/python3 - "$work" "$depth" <<'PY'
import json, sys
ours = {c["id"]: c for c in json.load(open(sys.argv[1] + "/ours.json"))}
d3 = {int(k): v for k, v in json.load(open(sys.argv[1] + "/d3.json")).items()}
assert set(ours) == set(d3), "different node sets"
worst = 0.0
for node, (x0, y0, x1, y1) in d3.items():
    c = ours[node]
    worst = max(worst, abs(c["x"] - x0), abs(c["y"] - y0), abs(c["x"] + c["w"] - x1), abs(c["y"] + c["h"] - y1))
    if y1 > y0 and c["h"] > 0:
        assert abs(c["w"] / c["h"] - (x1 - x0) / (y1 - y0)) <= 1e-9 * max(1, (x1 - x0) / (y1 - y0)), node
assert worst < 1e-9 * 1000, worst
print(f"depth {sys.argv[2]}: {len(d3)} cells equal to d3's (max difference {worst:.2e} px)")
PY
done
