#!/usr/bin/env bash
# cluster-nulls: every treemap node's purity and majority class against shuffled labels.
# p_majority equals SciPy's hypergeom.sf; p_purity agrees with a numpy permutation test of the
# same definition within Monte-Carlo error; q is Benjamini-Hochberg written from the
# definition; planted classes come out beyond chance and shuffled labels do not; the demo
# store's own labels work; the same seed gives the same file; bad inputs give one clear line.
set -uo pipefail
cli="$1"; cache="$2"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
failures=0
check() { local what="$1"; shift; if "$@"; then echo "ok   $what"; else echo "FAIL $what"; failures=$((failures + 1)); fi; }
/usr/bin/python3 - "$work" <<'PY'
import sys, numpy as np
work = sys.argv[1]
rng = np.random.default_rng(7)
labels = rng.integers(0, 4, 500)
centres = rng.normal(0, 1, (4, 6)) * 1.2          # classes overlap: purity is partial
x = (centres[labels] + rng.normal(0, 1, (500, 6))).astype(np.float32)
np.save(f"{work}/x.npy", x)
np.save(f"{work}/labels.npy", labels.astype(np.int64))
np.save(f"{work}/shuffled.npy", rng.permutation(labels).astype(np.int64))
PY
"$cli" cluster --input "$work/x.npy" --method ward --out "$work/linkage.npy" >/dev/null
check "cluster writes a linkage" test -f "$work/linkage.npy"
for run in labels shuffled; do
  "$cli" cluster-nulls --linkage "$work/linkage.npy" --labels "$work/$run.npy" \
    --permutations 2000 --seed 3 --out "$work/$run.json" >"$work/$run.out" 2>"$work/err"
  check "cluster-nulls on $run exits 0" test $? -eq 0
done
"$cli" cluster-nulls --linkage "$work/linkage.npy" --labels "$work/labels.npy" \
  --permutations 2000 --seed 3 --out "$work/again.json" >/dev/null 2>&1
check "the same seed gives the same file" cmp -s "$work/labels.json" "$work/again.json"
check "counts, p and q equal the references" /usr/bin/python3 - "$work" <<'PY'
import json, sys
import numpy as np
from scipy.cluster.hierarchy import to_tree
from scipy.stats import hypergeom
work = sys.argv[1]
linkage = np.load(f"{work}/linkage.npy")
n = linkage.shape[0] + 1

def bh(p):
    p = np.asarray(p, float); order = np.argsort(p, kind="stable"); m = len(p)
    q = np.minimum.accumulate((p[order] * m / np.arange(1, m + 1))[::-1])[::-1]
    out = np.empty(m); out[order] = np.minimum(q, 1); return out

_, nodes = to_tree(linkage, rd=True)
member = np.zeros((2 * n - 1, n), np.float32)
for node in nodes:
    member[node.id, node.pre_order()] = 1
rng = np.random.default_rng(11)
for run in ["labels", "shuffled"]:
    labels = np.load(f"{work}/{run}.npy")
    report = json.load(open(f"{work}/{run}.json"))
    assert report["permutations"] == 2000 and len(report["nodes"]) == 2 * n - 1
    onehot = np.eye(4, dtype=np.float32)[labels]
    counts = member @ onehot
    size = counts.sum(1)
    top = counts.max(1)
    # The same test in numpy: 4000 shufflings, purity at least as high.
    hits = np.zeros(2 * n - 1)
    for _ in range(8):
        perms = np.stack([rng.permutation(labels) for _ in range(500)])
        shuffled = np.eye(4, dtype=np.float32)[perms.T].reshape(n, -1)  # n x (500 * 4)
        shuffled_top = (member @ shuffled).reshape(2 * n - 1, 500, 4).max(2).T
        hits += (shuffled_top >= top[None, :]).sum(0)
    p_numpy = (1 + hits) / (1 + 4000)
    totals = counts[-1]
    for entry in report["nodes"]:
        i = entry["id"]
        assert entry["size"] == size[i], (i, entry["size"], size[i])
        majority = int(np.argmax(counts[i]))
        assert entry["majority"] == f"class {majority}", (i, entry["majority"], majority)
        assert abs(entry["purity"] - top[i] / size[i]) < 1e-6
        want = hypergeom.sf(top[i] - 1, n, totals[majority], size[i])
        assert abs(entry["p_majority"] - want) <= 1e-12 + 1e-9 * want, (i, entry["p_majority"], want)
        se = np.sqrt(p_numpy[i] * (1 - p_numpy[i]) * (1 / 2000 + 1 / 4000))
        assert abs(entry["p_purity"] - p_numpy[i]) <= 5 * se + 0.002, (i, entry["p_purity"], p_numpy[i])
    for key in ["purity", "majority"]:
        q = bh([e["p_" + key] for e in report["nodes"]])
        assert np.allclose([e["q_" + key] for e in report["nodes"]], q, rtol=1e-12, atol=1e-15), key
    big = [e for e in report["nodes"] if e["size"] >= 20]
    beyond = sum(1 for e in big if e["q_purity"] <= 0.05 and e["q_majority"] <= 0.05)
    print(f"{run}: {beyond} of {len(big)} nodes of 20 or more items beyond chance")
    if run == "labels":
        # Nodes of one planted class are far beyond chance.
        pure = [e for e in big if e["purity"] >= 0.9]
        assert pure and all(e["p_purity"] == 1 / 2001 and e["q_majority"] < 1e-6 for e in pure), pure[:3]
    else:
        assert beyond <= 0.1 * len(big), beyond
PY
# The demo store's own stimulus labels, on its logits.
if [[ -f "$cache/acts.h5" ]]; then
  "$cli" cluster --input "$cache/acts.h5:fc2" --method ward --out "$work/demo.npy" >/dev/null
  "$cli" cluster-nulls --linkage "$work/demo.npy" --labels "$cache/acts.h5" --permutations 200 \
    --out "$work/demo.json" >"$work/demo.out" 2>"$work/err"
  check "the demo store's labels: named classes, the largest pure nodes beyond chance" /usr/bin/python3 -c "
import json
r = json.load(open('$work/demo.json'))
assert 'Sandal' in r['classes'] and r['permutations'] == 200
pure = [e for e in r['nodes'] if e['size'] >= 50 and e['purity'] >= 0.9]
assert pure and all(e['q_purity'] <= 0.05 for e in pure), pure[:3]"
else
  echo "FAIL no demo store (app.cli_demo_store makes it)"; failures=$((failures + 1))
fi
bad() {
  local what="$1" want="$2"; shift 2
  "$cli" cluster-nulls "$@" --out "$work/bad.json" >/dev/null 2>"$work/bad.err"
  local status=$?
  check "$what: one clear line, non-zero exit, no output" bash -c \
    "[[ $status -ne 0 && \$(grep -c '' '$work/bad.err') -eq 1 ]] && grep -q -- '$want' '$work/bad.err' && [[ ! -e '$work/bad.json' ]]"
}
bad "missing linkage" "not found\|cannot open\|No such" --linkage "$work/none.npy" --labels "$work/labels.npy"
/usr/bin/python3 -c "
import numpy as np
np.save('$work/forged.npy', np.array([[0, 7, 1, 2], [1, 2, 1, 3]], float))
np.save('$work/three.npy', np.array([0, 1], np.int64))
np.save('$work/real.npy', np.array([0.5, 1, 2], float))"
bad "a linkage merging clusters that do not exist" "not a valid linkage" --linkage "$work/forged.npy" --labels "$work/labels.npy"
bad "labels of another count" "500 labels for 2 clustered items\|labels for" --linkage "$work/linkage.npy" --labels "$work/three.npy"
bad "labels that are not class indices" "class indices" --linkage "$work/linkage.npy" --labels "$work/real.npy"
echo "$failures failure(s)"
[[ $failures -eq 0 ]]
