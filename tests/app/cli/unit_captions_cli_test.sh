#!/usr/bin/env bash
# caption-units on the demo network (cached in the test cache): AUC, soft-WPMI, Mann-Whitney p,
# control p and Benjamini-Hochberg q against python references written from the definitions
# (scikit-learn's roc_auc_score, CLIP-Dissect's soft_wpmi in numpy, SciPy's mannwhitneyu);
# every logit unit is captioned by its own class beyond both nulls; a second random-weight copy
# captioned against the first comes out significant for at most 10% of its units; bad inputs
# give one clear line.
set -uo pipefail
cli="$1"; cache="$2"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
failures=0
check() { local what="$1"; shift; if "$@"; then echo "ok   $what"; else echo "FAIL $what"; failures=$((failures + 1)); fi; }
[[ -f "$cache/random2.h5" ]] || { echo "FAIL no demo store (app.cli_demo_store makes it)"; exit 1; }
for layer in fc2 relu3; do
  "$cli" caption-units --store "$cache/acts.h5:$layer" --control "$cache/random1.h5:$layer" \
    --out "$work/$layer.json" >"$work/$layer.out" 2>"$work/err"
  check "caption-units $layer exits 0" test $? -eq 0
done
check "scores, p and q equal the python references" /usr/bin/python3 - "$cache" "$work" <<'PY'
import json, sys
import h5py, numpy as np
from scipy.stats import mannwhitneyu
from sklearn.metrics import roc_auc_score
cache, work = sys.argv[1], sys.argv[2]

def bh(p):
    p = np.asarray(p, float); order = np.argsort(p, kind="stable"); m = len(p)
    q = np.minimum.accumulate((p[order] * m / np.arange(1, m + 1))[::-1])[::-1]
    out = np.empty(m); out[order] = np.minimum(q, 1); return out

def soft_wpmi(acts, onehot, k=100, p_start=0.998, p_end=0.97, lam=1, min_prob=1e-7):
    top = np.argsort(-acts, axis=0, kind="stable")[:k]           # ties: lower row first
    p_in = p_start - np.arange(k)[:, None] / k * (p_start - p_end)
    given = np.stack([np.log(1 + p_in * (onehot[top[:, u]] - 1) + min_prob).sum(0)
                      for u in range(acts.shape[1])])             # units x concepts
    prior = np.logaddexp.reduce(given, axis=0) - np.log(given.shape[0])
    return given - lam * prior

labels = h5py.File(f"{cache}/acts.h5")["stimuli/labels"][:]
classes = np.unique(labels)
onehot = (labels[:, None] == classes[None, :]).astype(float)
for layer in ["fc2", "relu3"]:
    acts = h5py.File(f"{cache}/acts.h5")[f"layers/{layer}/mean"][:].astype(np.float64)
    control = h5py.File(f"{cache}/random1.h5")[f"layers/{layer}/mean"][:].astype(np.float64)
    report = json.load(open(f"{work}/{layer}.json"))
    names = report["vocabulary"]
    wpmi = soft_wpmi(acts.astype(np.float32).astype(np.float64), onehot)
    control_auc = np.array([[roc_auc_score(onehot[:, c], control[:, v]) for c in range(len(classes))]
                            for v in range(control.shape[1])])
    p_perm = np.ones((acts.shape[1], len(classes))); p_ctrl = np.ones_like(p_perm)
    for entry in report["units"]:
        u = entry["unit"]
        for concept in entry["concepts"]:
            c = names.index(concept["name"])
            auc = roc_auc_score(onehot[:, c], acts[:, u])
            assert abs(concept["auc"] - auc) < 1e-9, (layer, u, c, concept["auc"], auc)
            assert abs(concept["wpmi"] - wpmi[u, c]) < 1e-6 * max(1, abs(wpmi[u, c])), (layer, u, c)
            p = mannwhitneyu(acts[labels == classes[c], u], acts[labels != classes[c], u],
                             alternative="greater", method="asymptotic").pvalue
            assert abs(concept["p_permutation"] - p) <= 1e-9 + 1e-6 * p, (layer, u, c, concept["p_permutation"], p)
            p_perm[u, c] = concept["p_permutation"]
            want = (1 + np.sum(control_auc[:, c] >= auc - 1e-12)) / (1 + control.shape[1])
            assert abs(concept["p_control"] - want) < 1e-12, (layer, u, c, concept["p_control"], want)
            p_ctrl[u, c] = concept["p_control"]
        aucs = [x["auc"] for x in entry["concepts"]]
        assert aucs == sorted(aucs, reverse=True), "concepts are listed best first"
    for c in range(len(classes)):
        qp, qc = bh(p_perm[:, c]), bh(p_ctrl[:, c])
        for entry in report["units"]:
            concept = [x for x in entry["concepts"] if x["name"] == names[c]][0]
            assert abs(concept["q_permutation"] - qp[entry["unit"]]) < 1e-9 + 1e-6 * qp[entry["unit"]]
            assert abs(concept["q_control"] - qc[entry["unit"]]) < 1e-12
PY
check "every logit unit is captioned by its own class, beyond both nulls" /usr/bin/python3 -c "
import json
r = json.load(open('$work/fc2.json'))
names = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot']
for entry in r['units']:
    best = entry['concepts'][0]
    assert entry['caption'] == names[entry['unit']] == best['name'], entry['caption']
    assert best['p_permutation'] < 0.01 and abs(best['p_control'] - 1 / 11) < 1e-12, best
    # A 10-unit control cannot give p below 1/11: the caption counts as chance by that null.
    assert entry['chance'] == (best['q_permutation'] > 0.05 or best['q_control'] > 0.05)
"
"$cli" caption-units --store "$cache/random2.h5:relu3" --control "$cache/random1.h5:relu3" \
  --out "$work/calibration.json" >/dev/null 2>"$work/err"
check "a random-weight copy against another: at most 10% significant after FDR" /usr/bin/python3 -c "
import json
r = json.load(open('$work/calibration.json'))
significant = sum(1 for e in r['units'] if not e['chance'])
print('random copy: %d of %d units significant' % (significant, len(r['units'])))
assert significant <= 0.1 * len(r['units']), significant"
"$cli" caption-units --store "$cache/acts.h5:relu3" --permutations 1000 --seed 4 \
  --out "$work/shuffled.json" >/dev/null 2>"$work/err"
check "caption-units --permutations exits 0" test $? -eq 0
check "label shuffles agree with a numpy permutation test within Monte-Carlo error" /usr/bin/python3 - "$cache" "$work" <<'PY'
import json, sys
import h5py, numpy as np
from scipy.stats import rankdata
cache, work = sys.argv[1], sys.argv[2]
report = json.load(open(f"{work}/shuffled.json"))
assert report["permutation_test"] == {"shuffles": 1000, "seed": 4}, report["permutation_test"]
labels = h5py.File(f"{cache}/acts.h5")["stimuli/labels"][:]
classes = np.unique(labels)
acts = h5py.File(f"{cache}/acts.h5")["layers/relu3/mean"][:]
ranks = rankdata(acts, axis=0).astype(np.float64)      # midranks per unit
onehot = (labels[:, None] == classes[None, :]).astype(np.float64)
observed = ranks.T @ onehot                            # units x classes rank sums
rng = np.random.default_rng(9)
hits = np.zeros_like(observed)
for _ in range(2000):
    hits += ranks.T @ onehot[rng.permutation(len(labels))] >= observed - 1e-6
want = (1 + hits) / 2001
names = report["vocabulary"]
worst = 0
for entry in report["units"]:
    u = entry["unit"]
    for concept in entry["concepts"]:
        c = names.index(concept["name"])
        got, w = concept["p_permutation"], want[u, c]
        se = np.sqrt(w * (1 - w) * (1 / 1000 + 1 / 2000))
        worst = max(worst, abs(got - w) / (se + 1e-4))
        assert abs(got - w) <= 5 * se + 0.002, (u, concept["name"], got, w)
print("largest deviation in standard errors: %.2f" % worst)
PY
bad() {
  local what="$1" want="$2"; shift 2
  "$cli" caption-units "$@" --out "$work/bad.json" >/dev/null 2>"$work/bad.err"
  local status=$?
  check "$what: one clear line, non-zero exit, no output" bash -c \
    "[[ $status -ne 0 && \$(grep -c '' '$work/bad.err') -eq 1 ]] && grep -q -- '$want' '$work/bad.err' && [[ ! -e '$work/bad.json' ]]"
}
bad "missing store" "not found\|cannot open\|No such" --store "$work/none.h5:fc2"
bad "no layer" "LAYER" --store "$cache/acts.h5"
bad "unknown layer" "nolayer" --store "$cache/acts.h5:nolayer"
echo '{"a": ["not-a-stimulus"]}' > "$work/c.json"
bad "a concept list naming no stimulus" "not-a-stimulus" --store "$cache/acts.h5:fc2" --concepts "$work/c.json"
echo "$failures failure(s)"
[[ $failures -eq 0 ]]
