#!/usr/bin/env bash
# The command-line contracts of unitscope-cli and unitscope (GUI flags), checked end to end.
set -uo pipefail
cli="$1"; gui="$2"; fixtures="$3"; fixture_script="$4"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
failures=0
check() { local what="$1"; shift; if "$@"; then echo "ok   $what"; else echo "FAIL $what"; failures=$((failures + 1)); fi; }
lines() { grep -c '' "$1"; }

"$cli" --help >"$work/out" 2>"$work/err"; check "cli --help exits 0" test $? -eq 0
check "cli --help prints usage" grep -q "usage: unitscope-cli" "$work/out"
"$cli" --version >"$work/out" 2>"$work/err"; check "cli --version exits 0" test $? -eq 0
check "cli --version names LibTorch" grep -q "LibTorch" "$work/out"
"$cli" frobnicate >"$work/out" 2>"$work/err"; rc=$?
check "unknown subcommand exits non-zero" test $rc -ne 0
check "unknown subcommand: one line on stderr" test "$(lines "$work/err")" -eq 1
check "unknown subcommand: nothing on stdout" test ! -s "$work/out"
"$cli" session-info --help >"$work/out" 2>&1; check "session-info --help exits 0" test $? -eq 0
echo garbage >"$work/bad.unitscope"
"$cli" session-info "$work/bad.unitscope" >"$work/out" 2>"$work/err"; rc=$?
check "session-info on a corrupt file exits non-zero" test $rc -ne 0
check "session-info on a corrupt file: one line on stderr" test "$(lines "$work/err")" -eq 1
"$cli" session-info "$work/missing.unitscope" >"$work/out" 2>"$work/err"
check "session-info on a missing file exits non-zero" test $? -ne 0

# Models and activations: the layout other tools read, checked with h5py.
if [[ ! -f "$fixtures/done" ]]; then
  /usr/bin/python3 "$fixture_script" "$fixtures.tmp-$$" && mv -T "$fixtures.tmp-$$" "$fixtures" 2>/dev/null
  rm -rf "$fixtures.tmp-$$"
fi
"$cli" layers "$fixtures/small_cnn_traced.pt" >"$work/layers.json" 2>"$work/err"
check "layers exits 0" test $? -eq 0
check "layers lists nested modules with shapes" /usr/bin/python3 -c "
import json; d = {l['name']: l for l in json.load(open('$work/layers.json'))}
assert d['features.2.bn']['output_shape'] == [8, 32, 32], d['features.2.bn']
assert d['head.1']['type'] == 'Linear' and d['head.1']['output_shape'] == [5]"
"$cli" layers "$fixtures/not_a_model.pt" >"$work/out" 2>"$work/err"; rc=$?
check "layers on a non-model exits non-zero with one line" test $rc -ne 0 -a "$(lines "$work/err")" -eq 1
"$cli" extract --model "$fixtures/small_cnn_traced.pt" --stimuli "$fixtures/folder" \
  --layers features.0,head.1 --out "$work/acts.h5" --batch 4 --threads 1 >"$work/extract.json" 2>"$work/err"
check "extract exits 0" test $? -eq 0
check "extract writes the documented layout" /usr/bin/python3 -c "
import h5py, json
f = h5py.File('$work/acts.h5', 'r')
assert f.attrs['format'] == b'unitscope-activations' or f.attrs['format'] == 'unitscope-activations'
assert int(f['stimuli'].attrs['count'][0]) == 6
assert list(f['stimuli/labels'][:]) == [0, 0, 1, 1, 2, 2]
names = [n.decode() if isinstance(n, bytes) else n for n in f['stimuli/label_names'][:]]
assert names == ['cat', 'dog', 'zebra'], names
assert f['layers/features.0/mean'].shape == (6, 8) and f['layers/features.0/max'].shape == (6, 8)
assert f['layers/head.1/mean'].dtype == 'float32' and f['layers/head.1/mean'].shape == (6, 5)
assert (f['layers/head.1/mean'][:] == f['layers/head.1/max'][:]).all()
assert f['outputs/predicted'].shape == (6,)
assert len(f.attrs['model_sha256']) == 64 and list(f.attrs['input_shape']) == [3, 32, 32]
assert json.load(open('$work/extract.json'))['stored'] == 6"
"$cli" extract --model "$fixtures/small_cnn_traced.pt" --stimuli "$fixtures/folder" \
  --layers features.9 --out "$work/bad.h5" >"$work/out" 2>"$work/err"; rc=$?
check "extract with an unknown layer exits non-zero" test $rc -ne 0
check "extract with an unknown layer suggests names in one line" \
  bash -c "test \$(grep -c '' '$work/err') -eq 1 && grep -q 'features.0' '$work/err'"
check "a failed extract leaves no file" test ! -e "$work/bad.h5"
check "no temporary files are left" bash -c "! ls -A '$work' | grep -q tmp"
"$cli" extract --model "$fixtures/small_cnn_traced.pt" --stimuli "$fixtures/folder" >"$work/out" 2>"$work/err"
check "extract without --layers is a usage error" test $? -eq 2
"$cli" demo-model --help >"$work/out" 2>&1; check "demo-model --help exits 0" test $? -eq 0
"$cli" demo-model --out "$work/demo" --max-steps oops >"$work/out" 2>"$work/err"
check "demo-model rejects a bad --max-steps" test $? -eq 2

# Clustering and treemaps on the store written above (6 stimuli) and on a .npy.
"$cli" cluster --input "$work/acts.h5:features.0" --method ward --out "$work/z.npy" >"$work/c.json" 2>"$work/err"
check "cluster ward on a store exits 0" test $? -eq 0
check "the linkage has SciPy's layout" /usr/bin/python3 -c "
import numpy as np, json
from scipy.cluster.hierarchy import is_valid_linkage
z = np.load('$work/z.npy'); assert z.shape == (5, 4) and z.dtype == np.float64 and is_valid_linkage(z)
assert json.load(open('$work/c.json'))['approximate'] is False"
"$cli" cluster --input "$work/acts.h5:features.0" --items units --method kmeans --k 3 --out "$work/l.npy" >"$work/k.json" 2>"$work/err"
check "kmeans on units writes one label per unit" /usr/bin/python3 -c "
import numpy as np, json
assert np.load('$work/l.npy').shape == (8,) and json.load(open('$work/k.json'))['inertia'] >= 0"
"$cli" cluster --input "$work/acts.h5:head.1" --method seminmf --k 2 --out "$work/f" >"$work/f.json" 2>"$work/err"
check "semi-NMF writes W and H" /usr/bin/python3 -c "
import numpy as np
assert np.load('$work/f.W.npy').shape == (6, 2) and np.load('$work/f.H.npy').shape == (2, 5)"
"$cli" treemap --linkage "$work/z.npy" --width 800 --height 600 --layout squarify --depth 2 --out "$work/r.json" >/dev/null 2>"$work/err"
check "treemap writes one rectangle per node" /usr/bin/python3 -c "
import json
r = json.load(open('$work/r.json')); root = [c for c in r if c['parent'] == -1][0]
assert root['id'] == 10 and root['w'] == 800 and set(r[0]) == {'id', 'parent', 'x', 'y', 'w', 'h', 'size'}"
"$cli" cluster --input "$work/acts.h5" --method ward --out "$work/bad.npy" >"$work/out" 2>"$work/err"; rc=$?
check "a store with several layers needs one named" test $rc -ne 0 -a "$(lines "$work/err")" -eq 1
"$cli" cluster --input "$fixtures/wrong_rank.npy" --method ward --out "$work/bad.npy" >"$work/out" 2>"$work/err"; rc=$?
check "a 3-D .npy is refused in one line" test $rc -ne 0 -a "$(lines "$work/err")" -eq 1
"$cli" cluster --input "$work/acts.h5:head.1" --method nmf --k 2 --out "$work/n" >"$work/out" 2>"$work/err"; rc=$?
check "NMF refuses signed data, pointing to seminmf" bash -c "test $rc -ne 0 && grep -q seminmf '$work/err'"
"$cli" treemap --linkage "$work/l.npy" --width 10 --height 10 --out "$work/r2.json" >"$work/out" 2>"$work/err"; rc=$?
check "treemap refuses a non-linkage array" test $rc -ne 0 -a ! -e "$work/r2.json"
check "no output files were left by failures" bash -c "! ls '$work' | grep -E '^bad\\.npy|^n\\.[WH]|^r2|tmp'"

# Brain files: the CLI's arrays equal nibabel's, on files nibabel writes here.
/usr/bin/python3 - "$work" <<'PY'
import sys, numpy as np, nibabel as nib
from nibabel.freesurfer import io as fsio
w = sys.argv[1]; rng = np.random.RandomState(1)
aff = np.array([[0, -2.0, 0, 10], [1.5, 0, 0, -20], [0, 0, 3.0, 5], [0, 0, 0, 1]])
img = nib.Nifti1Image(rng.randint(-50, 50, size=(4, 5, 6, 2)).astype(np.int16), aff)
img.header.set_slope_inter(0.5, 3.0); nib.save(img, w + "/v.nii.gz")
fsio.write_geometry(w + "/lh.pial", (rng.randn(9, 3) * 10).astype(np.float32), rng.randint(0, 9, (12, 3)).astype(np.int32))
PY
"$cli" brain-dump "$work/v.nii.gz" --out "$work/v" >/dev/null 2>"$work/err"
check "brain-dump of a scaled 4-D NIfTI equals nibabel's get_fdata" /usr/bin/python3 -c "
import numpy as np, nibabel as nib
ours = np.load('$work/v.data.npy'); ref = nib.load('$work/v.nii.gz').get_fdata()
assert ours.dtype == np.float64 and ours.shape == ref.shape == (4, 5, 6, 2) and (ours == ref).all()"
"$cli" brain-info "$work/v.nii.gz" >"$work/vi.json" 2>"$work/err"
check "brain-info reports nibabel's affine" /usr/bin/python3 -c "
import json, numpy as np, nibabel as nib
info = json.load(open('$work/vi.json'))
assert info['dims'] == [4, 5, 6, 2] and info['datatype'] == 'int16'
assert np.allclose(info['affine'], nib.load('$work/v.nii.gz').affine, atol=1e-6)"
"$cli" brain-dump "$work/lh.pial" --out "$work/s" >/dev/null 2>"$work/err"
check "brain-dump of a FreeSurfer surface equals nibabel's" /usr/bin/python3 -c "
import numpy as np
from nibabel.freesurfer import io as fsio
v, f = fsio.read_geometry('$work/lh.pial')
assert (np.load('$work/s.vertices.npy') == v).all() and (np.load('$work/s.faces.npy') == f).all()
assert np.load('$work/s.faces.npy').dtype == np.int64"
# render-surface: a sphere in a volume whose values rise along +x, seen from the front.
/usr/bin/python3 - "$work" <<'PY'
import sys, numpy as np, nibabel as nib
from nibabel.freesurfer import io as fsio
w = sys.argv[1]
th, ph = np.meshgrid(np.linspace(0.05, np.pi - 0.05, 40), np.linspace(0, 2 * np.pi, 80, endpoint=False), indexing="ij")
v = np.stack([40 * np.sin(th) * np.cos(ph), 40 * np.sin(th) * np.sin(ph), 40 * np.cos(th)], -1).reshape(-1, 3)
R, C = th.shape
f = [[r * C + c, (r + 1) * C + c, r * C + (c + 1) % C] for r in range(R - 1) for c in range(C)]
f += [[r * C + (c + 1) % C, (r + 1) * C + c, (r + 1) * C + (c + 1) % C] for r in range(R - 1) for c in range(C)]
fsio.write_geometry(w + "/lh.sphere", v.astype(np.float32), np.array(f, dtype=np.int32))
x = np.arange(50) * 2 - 49.0
aff = np.diag([2.0, 2.0, 2.0, 1.0]); aff[:3, 3] = -49
nib.save(nib.Nifti1Image(np.broadcast_to(x[:, None, None] / 49, (50, 50, 50)).astype(np.float32), aff), w + "/xgrad.nii.gz")
PY
"$cli" render-surface --surface "$work/lh.sphere" --overlay "$work/xgrad.nii.gz" --threshold 0.3 \
  --cmap diverging --view anterior --size 800x600 --out "$work/sphere.png" >/dev/null 2>"$work/err"
check "render-surface writes a PNG" test -s "$work/sphere.png"
check "the overlay shows where it passes the threshold and not where it does not" /usr/bin/python3 -c "
from PIL import Image
im = Image.open('$work/sphere.png').convert('RGB')
left, right, centre = im.getpixel((230, 300)), im.getpixel((570, 300)), im.getpixel((400, 300))
assert left[0] > left[2] + 60, left      # +x (red) on the viewer's left from the front
assert right[2] > right[0] + 60, right   # -x (blue) on the right
assert abs(centre[0] - centre[2]) < 8, centre  # sub-threshold: the grey underlay
# The colour bar's ends are the map's ends (ColorBrewer RdBu: dark blue .. dark red).
row = [im.getpixel((x, 585)) for x in range(800)]
bar = [p for p in row if p != (255, 255, 255)]
assert bar[2][2] > bar[2][0] and bar[-3][0] > bar[-3][2], (bar[2], bar[-3])"
"$cli" render-surface --surface "$work/lh.sphere" --overlay "$work/v.nii.gz" --size 80x60 --out "$work/x.png" --view sideways >"$work/out" 2>"$work/err"
check "render-surface rejects an unknown view in one line" test $? -ne 0 -a "$(lines "$work/err")" -eq 1

# atlas-lookup on mricron's AAL, against nibabel and the names table read here.
aal=/usr/share/mricron/templates/aal.nii.gz
"$cli" atlas-lookup "$aal" -50.3,-20.2,10.1 40.4,20.3,30.2 0.2,-60.3,70.1 300,0,0 >"$work/aal.json" 2>"$work/err"
check "atlas-lookup matches nibabel on AAL" /usr/bin/python3 -c "
import json, numpy as np, nibabel as nib
img = nib.load('$aal'); data = np.asanyarray(img.dataobj); inv = np.linalg.inv(img.affine)
names = {int(l.split()[0]): l.split()[1] for l in open('$aal'[:-3] + '.txt') if l.split()}
out = json.load(open('$work/aal.json'))['regions']
assert len(out) == 4 and out[3]['label'] is None, out[3]
for r in out[:3]:
    v = np.floor(inv @ np.append(r['mm'], 1) + 0.5)[:3].astype(int)
    label = int(data[tuple(v)])
    assert r['voxel'] == v.tolist() and r['label'] == label and r['region'] == names.get(label, ''), r
assert sum(bool(r['region']) for r in out) >= 2, out"
"$cli" atlas-lookup "$aal" 1,2 >"$work/out" 2>"$work/err"
check "atlas-lookup rejects a bad point in one line" test $? -eq 2 -a "$(lines "$work/err")" -eq 1

head -c 200 "$work/v.nii.gz" >"$work/cut.nii.gz"
"$cli" brain-info "$work/cut.nii.gz" >"$work/out" 2>"$work/err"; rc=$?
check "a truncated NIfTI gives one line and a non-zero exit" test $rc -ne 0 -a "$(lines "$work/err")" -eq 1

"$gui" --help >"$work/out" 2>&1; check "unitscope --help exits 0" test $? -eq 0
"$gui" --version >"$work/out" 2>&1; check "unitscope --version exits 0" test $? -eq 0
"$gui" --screenshot "$work/x.png" --panel nonsense >"$work/out" 2>"$work/err"
check "unitscope rejects an unknown panel" test $? -ne 0
"$gui" --demo --screenshot "$work/brain.png" --panel brain >"$work/out" 2>"$work/err"; rc=$?
check "unitscope --demo --screenshot brain exits 0" test $rc -eq 0
check "the screenshot is a PNG" bash -c "head -c 8 '$work/brain.png' | od -An -c | grep -q 'P   N   G'"
check "the screenshot path is printed" grep -q "brain.png" "$work/out"
"$gui" "$work/bad.unitscope" --screenshot "$work/y.png" >"$work/out" 2>"$work/err"
check "unitscope refuses a corrupt session in screenshot mode" test $? -ne 0

exit $((failures > 0))
