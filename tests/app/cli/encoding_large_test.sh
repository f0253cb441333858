#!/usr/bin/env bash
# A 1 GB 4-D int16 NIfTI with scaling (64 x 64 x 61 voxels x 2000 volumes, made once in the
# test cache) is fitted in bounded memory: peak resident memory under 2 GB, and the signal the
# generator put in is found again (held-out R2 of the signal voxels, the ridge weights against
# numpy's closed form on a few voxels).
set -uo pipefail
cli="$1"; cache="$2"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
failures=0
check() { local what="$1"; shift; if "$@"; then echo "ok   $what"; else echo "FAIL $what"; failures=$((failures + 1)); fi; }
mkdir -p "$cache"
if [[ ! -f "$cache/big.nii" ]]; then
  /usr/bin/python3 - "$cache" <<'PY' || { echo "FAIL cannot make the 1 GB series"; exit 1; }
import os, sys
import nibabel as nib, numpy as np
out = sys.argv[1]
shape, volumes, features = (64, 64, 61), 2000, 40
rng = np.random.RandomState(0)
x = rng.randn(volumes, features).astype(np.float32)
np.save(os.path.join(out, "X.npy"), x)
# Voxels inside an ellipsoid respond to the features through one of 64 weight patterns
# (pattern = voxel index mod 64) plus noise; outside it the series is zero (no data).
grid = np.stack(np.meshgrid(*[np.linspace(-1, 1, d) for d in shape], indexing="ij"), -1)
inside = ((grid ** 2).sum(-1) < 0.8).ravel(order="F")
patterns = rng.randn(features, 64).astype(np.float32)
pattern_of = np.arange(inside.size) % 64
header = nib.Nifti1Header()
header.set_data_shape(shape + (volumes,))
header.set_data_dtype(np.int16)
header.set_slope_inter(0.5, -10.0)  # stored 20 is exactly 0
header.set_data_offset(352)  # single file: the header, four bytes of no extensions, the data
header.set_qform(np.diag([3.0, 3.0, 3.0, 1.0]), code=1)
header.set_sform(np.diag([3.0, 3.0, 3.0, 1.0]), code=1)
tmp = os.path.join(out, "big.tmp.nii")
with open(tmp, "wb") as f:
    f.write(header.binaryblock)
    f.write(b"\0" * (int(header["vox_offset"]) - len(header.binaryblock)))
    for t in range(volumes):
        signal = (x[t] @ patterns)[pattern_of] + rng.randn(inside.size).astype(np.float32)
        stored = np.where(inside, np.round((signal + 10.0) / 0.5), 20).astype("<i2")
        f.write(stored.tobytes())  # Fortran (file) order: first index fastest
os.rename(tmp, os.path.join(out, "big.nii"))
PY
fi
check "the series is 1 GB of int16 with scaling" /usr/bin/python3 -c "
import os, nibabel as nib, numpy as np
img = nib.load('$cache/big.nii')
assert img.shape == (64, 64, 61, 2000) and img.get_data_dtype() == np.int16
assert img.dataobj.slope == 0.5 and os.path.getsize('$cache/big.nii') > 0.99e9"
"$cli" encode --features "$cache/X.npy" --betas "$cache/big.nii" --alphas 1e-1:1e4:6 --folds 3 \
  --out "$work/enc.h5" >"$work/report.json" 2>"$work/err"
check "encode exits 0" test $? -eq 0
cat "$work/err" | tail -3
check "peak memory under 2 GB; signal voxels predicted; weights match numpy" /usr/bin/python3 -c "
import json, h5py, nibabel as nib, numpy as np
report = json.load(open('$work/report.json'))
print('peak memory', report['peak_memory_bytes'] / 1e9, 'GB; seconds', report['seconds'])
assert report['peak_memory_bytes'] < 2e9, report['peak_memory_bytes']
h = h5py.File('$work/enc.h5')
assert np.median(h['test_r2'][:]) > 0.9, np.median(h['test_r2'][:])
x = np.load('$cache/X.npy').astype(np.float64)
img = nib.load('$cache/big.nii')
voxels = h['voxels'][:]
train = h['train_rows'][:]
for column in [0, len(voxels) // 2, len(voxels) - 1]:
    i, j, k = voxels[column]
    y = np.asarray(img.dataobj[i, j, k, :], dtype=np.float64)
    alpha = h['alphas'][column]
    xt = x[train]
    w = np.linalg.solve(xt.T @ xt + alpha * np.eye(x.shape[1]), xt.T @ y[train])
    assert np.allclose(h['weights'][column], w, rtol=1e-3, atol=1e-4), column
"
echo "$failures failure(s)"
[[ $failures -eq 0 ]]
