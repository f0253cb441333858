#!/usr/bin/env bash
# concepts on the demo network's relu3 (cached in the test cache): the written store holds the
# stimuli of its source and one layer relu3/nmf-8 whose units are the NMF components (W >= 0,
# the directions H beside them, the reported error equal to numpy's |X - WH| / |X|, no worse
# than scikit-learn's NMF with the same solver and start); caption-units captions the concept
# units, most of them by a class beyond the permutation null; semi-NMF handles signed fc2;
# bad inputs give one clear line.
set -uo pipefail
cli="$1"; cache="$2"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
failures=0
check() { local what="$1"; shift; if "$@"; then echo "ok   $what"; else echo "FAIL $what"; failures=$((failures + 1)); fi; }
[[ -f "$cache/random2.h5" ]] || { echo "FAIL no demo store (app.cli_demo_store makes it)"; exit 1; }
"$cli" concepts --store "$cache/acts.h5:relu3" --method nmf --k 8 --out "$work/concepts.h5" >"$work/out.json" 2>"$work/err"
check "concepts nmf exits 0" test $? -eq 0
"$cli" concepts --store "$cache/acts.h5:fc2" --method seminmf --k 4 --out "$work/semi.h5" >"$work/semi.json" 2>"$work/err"
check "concepts seminmf on a signed layer exits 0" test $? -eq 0
"$cli" caption-units --store "$work/concepts.h5:relu3/nmf-8" --out "$work/captions.json" >/dev/null 2>"$work/err"
check "caption-units on the concept units exits 0" test $? -eq 0
check "the concept store and its captions are right" /usr/bin/python3 - "$cache" "$work" <<'PY'
import json, sys
import h5py, numpy as np
from sklearn.decomposition import NMF
cache, work = sys.argv[1], sys.argv[2]
report = json.load(open(f"{work}/out.json"))
assert report["layer"] == "relu3/nmf-8" and report["k"] == 8, report
src, f = h5py.File(f"{cache}/acts.h5"), h5py.File(f"{work}/concepts.h5")
assert list(f["layers"].keys()) == ["relu3%2Fnmf-8"], list(f["layers"].keys())
layer = f["layers/relu3%2Fnmf-8"]
w, h = layer["mean"][:].astype(np.float64), layer["directions"][:].astype(np.float64)
assert (layer["max"][:] == layer["mean"][:]).all() and w.shape == (10000, 8) and h.shape == (8, 128)
assert (w >= 0).all() and (h >= 0).all()
assert layer.attrs["source_layer"] in ("relu3", b"relu3") and layer.attrs["method"] in ("nmf", b"nmf")
assert (f["stimuli/names"][:] == src["stimuli/names"][:]).all()
assert (f["stimuli/labels"][:] == src["stimuli/labels"][:]).all()
x = src["layers/relu3/mean"][:].astype(np.float64)
error = np.linalg.norm(x - w @ h) / np.linalg.norm(x)
assert abs(error - report["relative_error"]) < 1e-4, (error, report["relative_error"])
model = NMF(8, init="nndsvda", solver="cd", max_iter=200, tol=1e-4, random_state=0)
ws = model.fit_transform(x)
theirs = np.linalg.norm(x - ws @ model.components_) / np.linalg.norm(x)
print(f"NMF relative error: ours {error:.4f}, scikit-learn {theirs:.4f}")
assert error <= theirs * 1.02 + 1e-6, (error, theirs)
captions = json.load(open(f"{work}/captions.json"))
assert captions["layer"] == "relu3/nmf-8" and len(captions["units"]) == 8
strong = [u for u in captions["units"]
          if u["concepts"][0]["auc"] > 0.85 and u["concepts"][0]["q_permutation"] < 0.01]
print("concept captions:", [u["caption"] for u in captions["units"]], f"({len(strong)} strong)")
assert len(strong) >= 4, [(u["caption"], u["concepts"][0]["auc"]) for u in captions["units"]]
semi = h5py.File(f"{work}/semi.h5")["layers/fc2%2Fseminmf-4"]
assert semi["directions"].shape == (4, 10) and (semi["mean"][:] >= 0).all()
PY
"$cli" caption-units --store "$work/concepts.h5:relu3/nmf-8" --control "$cache/random1.h5:relu3/nmf-8" \
  --out "$work/nocontrol.json" >/dev/null 2>"$work/nocontrol.err"
status=$?
check "a control without the concept units: one line saying how to make them, no output" bash -c \
  "[[ $status -ne 0 && \$(grep -c '' '$work/nocontrol.err') -eq 1 && ! -e '$work/nocontrol.json' ]] && grep -q -- 'concepts --store $cache/random1.h5:relu3 --method nmf --k 8' '$work/nocontrol.err'"
bad() {
  local what="$1" want="$2"; shift 2
  "$cli" concepts "$@" --out "$work/bad.h5" >/dev/null 2>"$work/bad.err"
  local status=$?
  check "$what: one clear line, non-zero exit, no output" bash -c \
    "[[ $status -ne 0 && \$(grep -c '' '$work/bad.err') -eq 1 ]] && grep -q -- '$want' '$work/bad.err' && [[ ! -e '$work/bad.h5' ]]"
}
bad "NMF of a signed layer" "negative" --store "$cache/acts.h5:fc2" --method nmf --k 3
bad "k larger than the layer" "k must be" --store "$cache/acts.h5:fc2" --method seminmf --k 11
bad "an unknown method" "nmf or seminmf" --store "$cache/acts.h5:relu3" --method pca --k 3
bad "a missing store" "not found" --store "$work/none.h5:relu3" --k 3
echo "$failures failure(s)"
[[ $failures -eq 0 ]]
