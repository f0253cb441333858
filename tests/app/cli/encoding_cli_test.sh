#!/usr/bin/env bash
# unitscope-cli encode against a numpy reference written from the rule (K contiguous folds,
# mean fold MSE, ties to the larger alpha, refit) and scikit-learn's Ridge per chosen alpha;
# the same betas as .npy + mask, as a scaled int16 4-D NIfTI and as GIFTI; bad input.
set -uo pipefail
cli="$1"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
failures=0
check() { local what="$1"; shift; if "$@"; then echo "ok   $what"; else echo "FAIL $what"; failures=$((failures + 1)); fi; }

/usr/bin/python3 - "$work" <<'EOF'
import sys, numpy as np, nibabel as nib
work = sys.argv[1]
rng = np.random.default_rng(7)
n, f = 150, 12
X = rng.normal(size=(n, f)).astype(np.float32) + 0.5
mask = np.zeros((5, 4, 3), np.uint8)
mask.flat[rng.choice(mask.size, 37, replace=False)] = 1
v = int(mask.sum())
W = rng.normal(size=(f, v))
noise = np.exp(rng.uniform(-2, 3, size=v))  # very different SNRs: different alphas
Y = (X @ W + 2.0 + rng.normal(size=(n, v)) * noise).astype(np.float32)
np.save(f"{work}/X.npy", X)
np.save(f"{work}/Y.npy", Y)
affine = np.diag([2.0, 2.0, 2.0, 1.0]); affine[:3, 3] = [-10, -8, -6]
nib.save(nib.Nifti1Image(mask, affine), f"{work}/mask.nii.gz")
# The same responses as a scaled int16 series (one volume per row), zero outside the mask.
slope, inter = float(np.abs(Y).max() / 30000), 0.25
q = np.round((Y - inter) / slope).astype(np.int16)
vol = np.zeros(mask.shape + (n,), np.int16)
vol[mask.astype(bool)] = q.T
img = nib.Nifti1Image(vol, affine); img.header.set_slope_inter(slope, inter)
img.header.set_data_dtype(np.int16)
nib.save(img, f"{work}/Y.nii.gz")
np.save(f"{work}/Yq.npy", (q.astype(np.float64) * slope + inter).astype(np.float32))
# A float32 series with zeros outside the mask, for the automatic mask.
fvol = np.zeros(mask.shape + (n,), np.float32)
fvol[mask.astype(bool)] = Y.T
nib.save(nib.Nifti1Image(fvol, affine), f"{work}/Yf.nii")
# GIFTI: one array per stimulus, one value per vertex.
darrays = [nib.gifti.GiftiDataArray(Y[i], intent="NIFTI_INTENT_NONE", datatype="NIFTI_TYPE_FLOAT32") for i in range(n)]
nib.save(nib.gifti.GiftiImage(darrays=darrays), f"{work}/Y.func.gii")
EOF

"$cli" encode --features "$work/X.npy" --betas "$work/Y.npy" --mask "$work/mask.nii.gz" \
  --alphas 1e-2:1e5:15 --folds 5 --test-fraction 0.2 --out "$work/enc.h5" --map "$work/r2.nii.gz" \
  >"$work/enc.json" 2>"$work/err"
check "encode (npy + mask) exits 0" test $? -eq 0

cat >"$work/reference.py" <<'EOF'
import sys, json, numpy as np, h5py, nibabel as nib
from sklearn.linear_model import Ridge
from sklearn.metrics import r2_score
work, enc, xpath, ypath, intercept, standardize, test_fraction, folds = sys.argv[1:9]
intercept, standardize = intercept == "1", standardize == "1"
folds, test_fraction = int(folds), float(test_fraction)
X = np.load(xpath).astype(np.float64); Y = np.load(ypath).astype(np.float64)
n = len(X); n_test = int(np.ceil(test_fraction * n))
train, test = np.arange(n - n_test), np.arange(n - n_test, n)
h = h5py.File(enc, "r")
alphas = h["alpha_grid"][:]
assert np.allclose(alphas, np.logspace(-2, 5, 15), rtol=1e-12), alphas
mean = X[train].mean(0) if standardize else np.zeros(X.shape[1])
scale = X[train].std(0) if standardize else np.ones(X.shape[1])
scale[scale == 0] = 1
Xs = (X - mean) / scale
def fit(Xf, Yf, alpha):
    if intercept:
        xm, ym = Xf.mean(0), Yf.mean(0)
        w = np.linalg.solve((Xf - xm).T @ (Xf - xm) + alpha * np.eye(Xf.shape[1]), (Xf - xm).T @ (Yf - ym))
        return w, ym - xm @ w
    return np.linalg.solve(Xf.T @ Xf + alpha * np.eye(Xf.shape[1]), Xf.T @ Yf), np.zeros(Yf.shape[1])
nt = len(train)
sizes = [nt // folds + (1 if i < nt % folds else 0) for i in range(folds)]
bounds = np.cumsum([0] + sizes)
scores = np.zeros((len(alphas), Y.shape[1]))
for a, alpha in enumerate(alphas):
    for i in range(folds):
        val = train[bounds[i]:bounds[i + 1]]; fitrows = np.setdiff1d(train, val)
        w, b = fit(Xs[fitrows], Y[fitrows], alpha)
        scores[a] += ((Y[val] - Xs[val] @ w - b) ** 2).mean(0) / folds
# ties to the larger alpha: the last minimum
best = len(alphas) - 1 - np.argmin(scores[::-1], axis=0)
got_scores = h["cv_scores"][:]
assert got_scores.shape == scores.shape
assert np.abs(got_scores - scores).max() <= 1e-5 * np.abs(scores).max(), np.abs(got_scores - scores).max()
got_alpha = h["alphas"][:]
# Where two alphas score within float precision either choice is right.
for v in range(Y.shape[1]):
    if got_alpha[v] != alphas[best[v]]:
        a = np.searchsorted(alphas, got_alpha[v])
        assert abs(scores[a, v] - scores[best[v], v]) <= 1e-6 * scores[best[v], v], (v, got_alpha[v], alphas[best[v]])
W = np.zeros((Y.shape[1], X.shape[1])); B = np.zeros(Y.shape[1])
for v in range(Y.shape[1]):
    a = np.searchsorted(alphas, got_alpha[v])
    w, b = fit(Xs[train], Y[train][:, [v]], alphas[a])
    W[v], B[v] = w[:, 0], b[0]
    model = Ridge(alpha=alphas[a], fit_intercept=intercept, solver="svd").fit(Xs[train], Y[train, v])
    assert np.abs(model.coef_ - W[v]).max() <= 1e-8 * max(1, np.abs(W[v]).max())
got_w = h["weights"][:]
tol = 1e-5 * max(1.0, np.abs(W).max())
assert got_w.dtype == np.float32 and got_w.shape == W.shape
assert np.abs(got_w - W).max() <= tol, np.abs(got_w - W).max()
assert np.abs(h["intercepts"][:] - B).max() <= tol
assert np.allclose(h["feature_mean"][:], mean, atol=1e-9) and np.allclose(h["feature_scale"][:], scale, rtol=1e-9)
if n_test:
    pred = Xs[test] @ W.T + B
    r2 = np.array([r2_score(Y[test, v], pred[:, v]) for v in range(Y.shape[1])])
    r = np.array([np.corrcoef(Y[test, v], pred[:, v])[0, 1] for v in range(Y.shape[1])])
    assert np.abs(h["test_r2"][:] - r2).max() <= 1e-5 * max(1, np.abs(r2).max()), np.abs(h["test_r2"][:] - r2).max()
    assert np.abs(h["test_r"][:] - r).max() <= 1e-5
else:
    assert "test_r2" not in h
assert list(h["train_rows"][:]) == list(train) and list(h["test_rows"][:]) == list(test)
print("chosen alphas:", sorted(set(got_alpha)))
EOF

check "weights, alphas, CV scores and test R2 match numpy and sklearn" \
  /usr/bin/python3 "$work/reference.py" "$work" "$work/enc.h5" "$work/X.npy" "$work/Y.npy" 0 0 0.2 5
check "voxels listed in numpy's C order of the mask; the R2 map holds test R2" /usr/bin/python3 -c "
import numpy as np, h5py, nibabel as nib
h = h5py.File('$work/enc.h5'); m = nib.load('$work/mask.nii.gz')
want = np.argwhere(np.asanyarray(m.dataobj) != 0)
assert (h['voxels'][:] == want).all()
r2 = nib.load('$work/r2.nii.gz')
assert np.allclose(r2.affine, m.affine) and r2.shape == m.shape
assert np.allclose(r2.get_fdata()[tuple(want.T)], h['test_r2'][:], atol=1e-7)
assert h.attrs['kind'] == b'volume' and list(h.attrs['grid']) == [5, 4, 3]"
check "the report gives timings, peak memory and several chosen alphas" /usr/bin/python3 -c "
import json
r = json.load(open('$work/enc.json'))
assert r['voxels'] == 37 and r['features'] == 12 and r['test_rows'] == 30 and r['train_rows'] == 120
assert r['seconds']['fit'] >= 0 and r['peak_memory_bytes'] > 0
assert len(r['chosen_alphas']) >= 3, r['chosen_alphas']"

"$cli" encode --features "$work/X.npy" --betas "$work/Y.npy" --mask "$work/mask.nii.gz" --intercept \
  --standardize --alphas 1e-2:1e5:15 --folds 4 --test-fraction 0 --batch 5 --out "$work/enc2.h5" \
  >/dev/null 2>"$work/err"
check "encode --intercept --standardize (batches of 5, no test split) exits 0" test $? -eq 0
check "--intercept --standardize match the reference" \
  /usr/bin/python3 "$work/reference.py" "$work" "$work/enc2.h5" "$work/X.npy" "$work/Y.npy" 1 1 0 4

"$cli" encode --features "$work/X.npy" --betas "$work/Y.nii.gz" --mask "$work/mask.nii.gz" \
  --alphas 1e-2:1e5:15 --out "$work/enc3.h5" >/dev/null 2>"$work/err"
check "encode on a scaled int16 NIfTI series exits 0" test $? -eq 0
check "the int16 series gives the fit of its scaled values" \
  /usr/bin/python3 "$work/reference.py" "$work" "$work/enc3.h5" "$work/X.npy" "$work/Yq.npy" 0 0 0.2 5
"$cli" encode --features "$work/X.npy" --betas "$work/Yf.nii" --alphas 1e-2:1e5:15 --out "$work/enc5.h5" \
  >/dev/null 2>"$work/err"
check "without --mask a float series keeps its voxels with data, in C order" bash -c "
  /usr/bin/python3 '$work/reference.py' '$work' '$work/enc5.h5' '$work/X.npy' '$work/Y.npy' 0 0 0.2 5 >/dev/null &&
  /usr/bin/python3 -c \"
import numpy as np, h5py, nibabel as nib
want = np.argwhere(np.asanyarray(nib.load('$work/mask.nii.gz').dataobj) != 0)
assert (h5py.File('$work/enc5.h5')['voxels'][:] == want).all()\""

"$cli" encode --features "$work/X.npy" --betas "$work/Y.func.gii" --alphas 1e-2:1e5:15 --out "$work/enc4.h5" \
  --map "$work/r2.func.gii" >/dev/null 2>"$work/err"
check "encode on per-vertex GIFTI exits 0" test $? -eq 0
check "GIFTI betas match the reference; the map is per vertex" bash -c "
  /usr/bin/python3 '$work/reference.py' '$work' '$work/enc4.h5' '$work/X.npy' '$work/Y.npy' 0 0 0.2 5 >/dev/null &&
  /usr/bin/python3 -c \"
import numpy as np, h5py, nibabel as nib
h = h5py.File('$work/enc4.h5')
assert h.attrs['kind'] == b'surface' and (h['vertices'][:] == np.arange(37)).all()
m = nib.load('$work/r2.func.gii').darrays[0].data
assert np.allclose(m, h['test_r2'][:], atol=1e-7)\""

bad() {
  local what="$1" want="$2"; shift 2
  "$cli" encode "$@" --out "$work/bad.h5" >/dev/null 2>"$work/bad.err"
  local status=$?
  check "$what: one clear line, non-zero exit, no output" bash -c \
    "[[ $status -ne 0 && \$(grep -c '' '$work/bad.err') -eq 1 ]] && grep -q -- '$want' '$work/bad.err' && [[ ! -e '$work/bad.h5' ]]"
}
bad "missing betas" "not found" --features "$work/X.npy" --betas "$work/none.nii.gz"
bad "npy without a mask" "mask" --features "$work/X.npy" --betas "$work/Y.npy"
bad "rows that do not match" "rows" --features "$work/X.npy" --betas "$work/Yq.npy" --mask "$work/mask.nii.gz" --test-rows /dev/null --folds 200
head -c 3000 "$work/Y.nii.gz" > "$work/cut.nii.gz"
bad "a truncated NIfTI" "cut.nii.gz" --features "$work/X.npy" --betas "$work/cut.nii.gz"
bad "a map name that does not suit a volume" "NIfTI" --features "$work/X.npy" --betas "$work/Y.npy" --mask "$work/mask.nii.gz" --map "$work/r2.png"
bad "bad alphas" "alpha" --features "$work/X.npy" --betas "$work/Y.npy" --mask "$work/mask.nii.gz" --alphas 0:1:3

echo "$failures failure(s)"
[[ $failures -eq 0 ]]
