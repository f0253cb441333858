#!/usr/bin/env bash
# The simulated experiment end to end: simulate-fmri on the demo network's store, encode,
# caption; the captions recover the known answers (top-1 caption of >= 80% of the voxels of
# each preferring region is its category, the region's caption names it, R2 is higher inside
# the preferring regions than outside).
set -uo pipefail
cli="$1"; cache="$2"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
failures=0
check() { local what="$1"; shift; if "$@"; then echo "ok   $what"; else echo "FAIL $what"; failures=$((failures + 1)); fi; }
[[ -f "$cache/acts.h5" ]] || { echo "FAIL no demo store (app.cli_demo_store makes it)"; exit 1; }
"$cli" simulate-fmri --store "$cache/acts.h5" --layer relu3 --voxel-size 4 --stimuli 1000 --regions 4 --seed 3 \
  --out "$work/sim" >"$work/sim.json" 2>"$work/err"
check "simulate-fmri exits 0" test $? -eq 0
check "betas are a 4-D int16 series labelled SIMULATED, with mask, stimuli and truth" /usr/bin/python3 -c "
import json, nibabel as nib, numpy as np
b = nib.load('$work/sim/betas.nii.gz'); m = nib.load('$work/sim/mask.nii.gz')
assert b.shape == (46, 55, 46, 1000) and b.get_data_dtype() == np.int16, b.shape
assert b.header['descrip'].tobytes().startswith(b'SIMULATED')
assert np.allclose(b.affine, m.affine) and np.allclose(np.diag(b.affine)[:3], [4, 4, 4])
t = json.load(open('$work/sim/truth.json'))
assert t['simulated'] and len(t['regions']) == 4 and len({r['category'] for r in t['regions']}) == 4
assert len(open('$work/sim/stimuli.txt').read().split()) == 1000"
"$cli" encode --features "$cache/acts.h5:relu3" --betas "$work/sim/betas.nii.gz" --mask "$work/sim/mask.nii.gz" \
  --rows "$work/sim/stimuli.txt" --out "$work/sim/enc.h5" >"$work/enc.json" 2>"$work/err"
check "encode exits 0" test $? -eq 0
"$cli" caption --encoding "$work/sim/enc.h5" --store "$cache/acts.h5" \
  --atlas /usr/share/mricron/templates/aal.nii.gz --out "$work/sim/captions.json" >"$work/cap.json" 2>"$work/err"
check "caption exits 0" test $? -eq 0
check "captions recover the simulated categories; R2 is higher inside" /usr/bin/python3 -c "
import json, numpy as np, h5py
truth = json.load(open('$work/sim/truth.json')); caps = json.load(open('$work/sim/captions.json'))
assert caps['simulated'] is True
r2 = h5py.File('$work/sim/enc.h5')['test_r2'][:]
index = {tuple(v['index']): i for i, v in enumerate(caps['voxels'])}
inside = np.zeros(len(r2), bool)
for reg in truth['regions']:
    ids = [index[tuple(v)] for v in reg['voxels']]
    inside[ids] = True
    acc = np.mean([caps['voxels'][i]['concepts'][0]['name'] == reg['category_name'] for i in ids])
    assert acc >= 0.8, (reg['name'], acc)
    region = [r for r in caps['regions'] if r['name'] == reg['name']][0]
    assert region['concepts'][0]['name'] == reg['category_name'], region
    v = caps['voxels'][ids[0]]
    assert len(v['preferred']) == 8 and len(v['concepts']) == 3
    assert abs(sum(c['probability'] for c in v['concepts'])) <= 1 + 1e-9
assert np.median(r2[inside]) > np.median(r2[~inside]) + 0.2, (np.median(r2[inside]), np.median(r2[~inside]))"
check "preferred images of a region are mostly its category" /usr/bin/python3 -c "
import json, h5py, numpy as np
truth = json.load(open('$work/sim/truth.json')); caps = json.load(open('$work/sim/captions.json'))
labels = h5py.File('$cache/acts.h5')['stimuli/labels'][:]
for reg in truth['regions']:
    region = [r for r in caps['regions'] if r['name'] == reg['name']][0]
    assert np.mean(labels[region['preferred']] == reg['category']) >= 0.75, region['preferred']"
voxel=$(/usr/bin/python3 -c "
import json; v = json.load(open('$work/sim/truth.json'))['regions'][0]['voxels'][0]; print(','.join(map(str, v)))")
"$cli" actmax --model "$cache/demo_cnn.pt" --encoding "$work/sim/enc.h5" --voxel "$voxel" --steps 24 \
  --out "$work/vox" >"$work/vox.out" 2>"$work/err"
check "actmax drives a voxel's predicted response" /usr/bin/python3 -c "
import json
r = json.load(open('$work/vox.json'))
assert 64 <= r['objective'].count('*channel:relu3:') <= 128, r['objective'][:200]  # dead units weigh 0
curve = r['objective_per_step']
assert len(curve) == 24 and curve[-1] > curve[0], curve"
"$cli" actmax --model "$cache/demo_cnn.pt" --encoding "$work/sim/enc.h5" --voxel 0,0,0 --out "$work/bad" \
  >/dev/null 2>"$work/bad.err"
status=$?
check "a voxel the model did not fit: non-zero exit, one clear line, no output" bash -c \
  "[[ $status -ne 0 && \$(grep -c '' '$work/bad.err') -eq 1 && ! -e '$work/bad.json' ]] && grep -q 'was not fitted' '$work/bad.err'"
region=$(/usr/bin/python3 -c "import json; print(json.load(open('$work/sim/truth.json'))['regions'][0]['name'])")
"$cli" actmax --model "$cache/demo_cnn.pt" --encoding "$work/sim/enc.h5" --region "$region" \
  --atlas /usr/share/mricron/templates/aal.nii.gz --steps 24 --out "$work/reg" >"$work/reg.out" 2>"$work/err"
check "actmax --region exits 0" test $? -eq 0
check "actmax --region drives the R2-weighted mean of the region's voxels' weights" /usr/bin/python3 - "$work" <<'PY'
import json, sys
import h5py, numpy as np
work = sys.argv[1]
region = json.load(open(f"{work}/sim/truth.json"))["regions"][0]
f = h5py.File(f"{work}/sim/enc.h5", "r")
weights, r2, voxels = f["weights"][()], f["test_r2"][()], f["voxels"][()]
index = {tuple(v): i for i, v in enumerate(voxels.tolist())}
rows = [index[tuple(v)] for v in region["voxels"]]
share = np.maximum(r2[rows], 0).astype(np.float64)
assert share.sum() > 0
want = (share[:, None] * weights[rows].astype(np.float64)).sum(0) / share.sum()
r = json.load(open(f"{work}/reg.json"))
got = np.zeros_like(want)
for term in r["objective"].split(" + "):
    coefficient, unit = term.split("*channel:relu3:")
    got[int(unit)] = float(coefficient)
assert np.allclose(got, want, rtol=1e-4, atol=1e-6 * np.abs(want).max()), np.abs(got - want).max()
curve = r["objective_per_step"]
assert len(curve) == 24 and curve[-1] > curve[0], curve
PY
"$cli" actmax --model "$cache/demo_cnn.pt" --encoding "$work/sim/enc.h5" --region Nowhere \
  --atlas /usr/share/mricron/templates/aal.nii.gz --out "$work/bad" >/dev/null 2>"$work/bad.err"
status=$?
check "a region without fitted voxels: non-zero exit, one line naming it, no output" bash -c \
  "[[ $status -ne 0 && \$(grep -c '' '$work/bad.err') -eq 1 && ! -e '$work/bad.json' ]] && grep -q \"'Nowhere'\" '$work/bad.err'"
echo "$failures failure(s)"
[[ $failures -eq 0 ]]
