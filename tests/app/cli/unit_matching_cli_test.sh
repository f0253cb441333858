#!/usr/bin/env bash
# match-units: the one-to-one matching equals SciPy's linear_sum_assignment (maximize=True) on
# the numpy correlation matrix of random stores (square, wider, taller, with a constant unit),
# and the best match equals numpy's argmax; matching the demo network against a copy whose
# relu3 units were permuted (fc1's rows and fc2's columns, so the function is the same)
# recovers the permutation exactly at r = 1, beyond its random-weight control; bad inputs give
# one clear line.
set -uo pipefail
cli="$1"; cache="$2"; fixtures="$3"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
failures=0
check() { local what="$1"; shift; if "$@"; then echo "ok   $what"; else echo "FAIL $what"; failures=$((failures + 1)); fi; }
[[ -f "$cache/random2.h5" ]] || { echo "FAIL no demo store (app.cli_demo_store makes it)"; exit 1; }

PYTHONPATH="$fixtures" /usr/bin/python3 - "$work" <<'PY' || { echo "FAIL cannot write the random stores"; exit 1; }
import sys
import numpy as np
from write_activation_store import write_store
work = sys.argv[1]
rng = np.random.default_rng(7)
n = 300
latent = rng.standard_normal((n, 12))
def units(k):
    return latent @ rng.standard_normal((12, k)) + 2 * rng.standard_normal((n, k))
names = ["s%d" % i for i in range(n)]
a = units(60); a[:, 5] = 3.0  # a constant unit
write_store(f"{work}/a.h5", {"x": a, "y": units(45)}, names)
write_store(f"{work}/b.h5", {"z": units(60), "w": units(80)}, names)
write_store(f"{work}/other.h5", {"z": units(60)[:-1]}, names[:-1])
PY
for pair in "a.h5:x b.h5:z" "a.h5:x b.h5:w" "a.h5:x a.h5:y"; do
  set -- $pair
  for method in hungarian best; do
    "$cli" match-units --a "$work/$1" --b "$work/$2" --method $method \
      --out "$work/${1//[.:]/_}-${2//[.:]/_}-$method.json" >/dev/null 2>"$work/err"
    check "match-units $1 $2 --method $method exits 0" test $? -eq 0
  done
done
check "pairs equal SciPy's linear_sum_assignment and numpy's argmax" /usr/bin/python3 - "$work" <<'PY'
import json, sys
import h5py, numpy as np
from scipy.optimize import linear_sum_assignment
work = sys.argv[1]
def corr(x, y):
    x = x - x.mean(0); y = y - y.mean(0)
    nx, ny = np.linalg.norm(x, axis=0), np.linalg.norm(y, axis=0)
    x = np.divide(x, nx, out=np.zeros_like(x), where=nx > 1e-12 * (1 + np.abs(x).max()))
    y = np.divide(y, ny, out=np.zeros_like(y), where=ny > 1e-12 * (1 + np.abs(y).max()))
    return x.T @ y
for a, b in [("a.h5:x", "b.h5:z"), ("a.h5:x", "b.h5:w"), ("a.h5:x", "a.h5:y")]:
    load = lambda spec: h5py.File(f"{work}/{spec.split(':')[0]}")[f"layers/{spec.split(':')[1]}/mean"][:].astype(np.float64)
    r = corr(load(a), load(b))
    stem = f"{work}/{a.replace('.', '_').replace(':', '_')}-{b.replace('.', '_').replace(':', '_')}"
    report = json.load(open(stem + "-hungarian.json"))
    rows, cols = linear_sum_assignment(r, maximize=True)
    got = np.array(report["pairs"])
    assert got.shape == (min(r.shape), 3), got.shape
    assert (got[:, 0].astype(int) == rows).all() and (got[:, 1].astype(int) == cols).all(), (a, b)
    assert np.allclose(got[:, 2], r[rows, cols], atol=1e-9), (a, b)
    assert abs(report["summary"]["mean_r"] - r[rows, cols].mean()) < 1e-9
    assert report["constant_a"] == [5], report["constant_a"]
    best = np.array(json.load(open(stem + "-best.json"))["pairs"])
    assert best.shape == (r.shape[0], 3)
    assert (best[:, 1].astype(int) == r.argmax(1)).all(), (a, b)
    assert np.allclose(best[:, 2], r.max(1), atol=1e-9)
    print(f"{a} x {b}: {r.shape}, mean matched r {r[rows, cols].mean():.3f}")
PY

/usr/bin/python3 "$fixtures/make_permuted_copy.py" "$cache/demo_cnn.pt" fc1 fc2 3 "$work/permuted.pt" &&
"$cli" extract --model "$work/permuted.pt" --stimuli /usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz \
  --layers relu3,fc2 --out "$work/permuted.h5" >/dev/null 2>"$work/err"
check "the permuted copy is extracted" test $? -eq 0
"$cli" match-units --a "$cache/acts.h5:relu3" --b "$work/permuted.h5:relu3" \
  --control "$cache/random1.h5:relu3" --out "$work/permuted.json" >"$work/out" 2>"$work/err"
check "match-units against the permuted copy exits 0" test $? -eq 0
check "the permutation is recovered exactly, beyond the control" /usr/bin/python3 - "$work" "$cache" <<'PY'
import json, sys
import h5py, numpy as np
work, cache = sys.argv[1], sys.argv[2]
perm = json.load(open(f"{work}/permuted.pt.perm.json"))
report = json.load(open(f"{work}/permuted.json"))
acts = h5py.File(f"{cache}/acts.h5")["layers/relu3/mean"][:]
same = h5py.File(f"{work}/permuted.h5")["layers/fc2/mean"][:]
assert np.allclose(same, h5py.File(f"{cache}/acts.h5")["layers/fc2/mean"][:], atol=1e-4), "same function"
dead = set(np.flatnonzero(acts.std(0) == 0).tolist())
assert set(report["constant_a"]) == dead, (report["constant_a"], dead)
where = {unit: j for j, unit in enumerate(perm)}
live = 0
for a, b, r in report["pairs"]:
    if a in dead:
        continue
    live += 1
    assert b == where[a] and r > 1 - 1e-6, (a, b, r, where[a])
assert live == len(perm) - len(dead) and live > 0
beyond = report["beyond_control"]
control = report["control"]["summary"]["mean_r"]
print(f"recovered {live} live units (dead {len(dead)}); control mean matched r {control:.3f}, "
      f"threshold {beyond['threshold_r']:.3f}")
assert beyond["fraction"] >= 0.9 * live / len(perm), beyond
PY

bad() {
  local what="$1" want="$2"; shift 2
  "$cli" match-units "$@" --out "$work/bad.json" >/dev/null 2>"$work/bad.err"
  local status=$?
  check "$what: one clear line, non-zero exit, no output" bash -c \
    "[[ $status -ne 0 && \$(grep -c '' '$work/bad.err') -eq 1 ]] && grep -q -- '$want' '$work/bad.err' && [[ ! -e '$work/bad.json' ]]"
}
bad "stores of other stimuli" "other stimuli" --a "$work/a.h5:x" --b "$work/other.h5:z"
bad "a missing store" "not found" --a "$work/none.h5:x" --b "$work/b.h5:z"
bad "an unknown layer" "nolayer" --a "$work/a.h5:nolayer" --b "$work/b.h5:z"
bad "no layer" "LAYER" --a "$work/a.h5" --b "$work/b.h5:z"
bad "an unknown method" "hungarian or best" --a "$work/a.h5:x" --b "$work/b.h5:z" --method greedy
echo "$failures failure(s)"
[[ $failures -eq 0 ]]
