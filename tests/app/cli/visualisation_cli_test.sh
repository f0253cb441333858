#!/usr/bin/env bash
# unitscope-cli actmax and actmax-clusters end to end: --steps 0 --init writes exactly the
# reference parameterisation; a short run writes PNG, .npy and JSON, and drives the unit;
# weighted sums, anchored facets and cluster images.
set -uo pipefail
cli="$1"; models="$2"; model_script="$3"; fixtures="$4"; fixture_script="$5"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
failures=0
check() { local what="$1"; shift; if "$@"; then echo "ok   $what"; else echo "FAIL $what"; failures=$((failures + 1)); fi; }
lines() { grep -c '' "$1"; }
for pair in "$models:$model_script" "$fixtures:$fixture_script"; do
  dir="${pair%%:*}"; script="${pair#*:}"
  if [[ ! -f "$dir/done" ]]; then
    /usr/bin/python3 "$script" "$dir.tmp-$$" && mv -T "$dir.tmp-$$" "$dir" 2>/dev/null
    rm -rf "$dir.tmp-$$"
  fi
done
model="$models/small_cnn_traced.pt"  # 3 x 32 x 32, sidecar normalisation

"$cli" actmax --model "$model" --objective channel:features.0:1 --steps 0 --size 32 \
  --init "$fixtures/rgb_square.spectrum.npy" --out "$work/init" >"$work/init.out" 2>"$work/err"
check "actmax --steps 0 --init exits 0" test $? -eq 0
check "--steps 0 writes the reference parameterisation" /usr/bin/python3 -c "
import numpy as np
got = np.load('$work/init_0.npy'); want = np.load('$fixtures/rgb_square.images.npy')[0]
assert got.dtype == np.float32 and got.shape == want.shape, got.shape
assert np.abs(got - want).max() < 1e-5"

"$cli" extract --model "$model" --stimuli "$models/folder" --layers features.2 --out "$work/acts.h5" >/dev/null 2>&1
"$cli" actmax --model "$model" --objective channel:features.2.bn:2 --steps 64 --size 32 --images 2 --seed 3 \
  --out "$work/am" >"$work/am.out" 2>"$work/err"
check "actmax exits 0" test $? -eq 0
check "PNG, .npy and JSON per image; the objective climbs" /usr/bin/python3 -c "
import json, numpy as np
from PIL import Image
r = json.load(open('$work/am.json'))
assert len(r['objective_per_step']) == 64 and r['objective_per_step'][-1] > r['objective_per_step'][0]
assert r['seed'] == 3 and len(r['final_activation']) == 2 and r['size'] == 32
for i in range(2):
    a = np.load('$work/am_%d.npy' % i)
    assert a.shape == (3, 32, 32) and 0 <= a.min() and a.max() <= 1
    im = np.asarray(Image.open('$work/am_%d.png' % i))
    assert im.shape == (32, 32, 3)
    assert np.abs(im / 255.0 - a.transpose(1, 2, 0)).max() <= 0.5 / 255 + 1e-6"
"$cli" actmax --model "$model" --objective channel:features.2:2 --steps 32 --size 32 --store "$work/acts.h5" \
  --out "$work/st" >"$work/st.out" 2>"$work/err"
check "--store reports the unit's best natural activation" /usr/bin/python3 -c "
import json, h5py
r = json.load(open('$work/st.json'))
best = h5py.File('$work/acts.h5')['layers/features.2/mean'][:, 2].max()
assert abs(r['best_natural_activation'] - best) < 1e-6"
/usr/bin/python3 -c "import numpy as np; np.save('$work/v.npy', np.array([1, -1, 0.5, 0, 2], np.float32))"
"$cli" actmax --model "$model" --objective "direction:head.1:$work/v.npy" --steps 16 --size 32 \
  --out "$work/dir" >"$work/dir.out" 2>"$work/err"
check "a direction objective is the cosine of V with the layer's activation" /usr/bin/python3 -c "
import json, numpy as np, torch
r = json.load(open('$work/dir.json'))
x = torch.from_numpy(np.load('$work/dir_0.npy'))[None]
out = torch.jit.load('$model')((x - 0.5) / 0.25)
want = torch.nn.functional.cosine_similarity(out, torch.tensor([[1, -1, 0.5, 0, 2.0]]), dim=1)
assert abs(r['final_activation'][0] - float(want)) < 1e-5, (r['final_activation'], float(want))
assert r['objective_per_step'][-1] > r['objective_per_step'][0]"
"$cli" actmax --model "$model" --objective "direction:features.0:$work/v.npy" --steps 2 --out "$work/bad" >"$work/out" 2>"$work/err"; rc=$?
check "a direction of the wrong length: non-zero, one line" test $rc -ne 0 -a "$(lines "$work/err")" -eq 1
"$cli" actmax --model "$model" --objective bogus:1 --out "$work/bad" >"$work/out" 2>"$work/err"
check "an unknown objective is a usage error" test $? -eq 2
"$cli" actmax --model "$model" --objective channel:features.0:99 --steps 2 --out "$work/bad" >"$work/out" 2>"$work/err"; rc=$?
check "a unit out of range: non-zero, one line, no files" \
  bash -c "test $rc -ne 0 && test $(lines "$work/err") -eq 1 && ! ls '$work' | grep -q '^bad'"
"$cli" actmax --model "$model" --objective "logit:1 + -0.5*logit:3" --steps 16 --size 32 \
  --out "$work/sum" >"$work/sum.out" 2>"$work/err"
check "a weighted sum is the sum of its weighted terms" /usr/bin/python3 -c "
import json, numpy as np, torch
r = json.load(open('$work/sum.json'))
assert r['objective'] == 'logit:1 + -0.5*logit:3', r['objective']
x = torch.from_numpy(np.load('$work/sum_0.npy'))[None]
out = torch.jit.load('$model')((x - 0.5) / 0.25)[0]
want = float(out[1] - 0.5 * out[3])
assert abs(r['final_activation'][0] - want) < 1e-4, (r['final_activation'], want)"
"$cli" actmax --model "$model" --objective channel:features.2:2 --images 2 --facets anchored \
  --exemplars 6 --steps 0 --size 32 --store "$work/acts.h5" --out "$work/anch" >"$work/anch.out" 2>"$work/err"
check "anchored facets start from groups of the unit's top exemplars" /usr/bin/python3 -c "
import json, numpy as np, h5py
r = json.load(open('$work/anch.json'))
column = h5py.File('$work/acts.h5')['layers/features.2/mean'][:, 2]
rows = sorted(row for group in r['anchor_rows'] for row in group)
assert len(r['anchor_rows']) == 2 and all(r['anchor_rows'])
assert rows == sorted(np.argsort(-column, kind='stable')[:6].tolist()), (rows, column)
for i in range(2):
    a = np.load('$work/anch_%d.npy' % i)
    assert a.shape == (3, 32, 32) and a.min() >= 0.0099 and a.max() <= 0.9901"
"$cli" actmax --model "$model" --objective channel:features.2:2 --images 2 --facets anchored \
  --steps 2 --out "$work/bad" >"$work/out" 2>"$work/err"
check "anchored facets without --store are a usage error" test $? -eq 2
/usr/bin/python3 -c "import numpy as np; np.save('$work/clusters.npy', np.array([0, 0, 1, 1, 2, 2, 0, -1]))"
"$cli" actmax-clusters --model "$model" --layer features.2 --clusters "$work/clusters.npy" \
  --store "$work/acts.h5" --iterate --rounds 2 --steps 24 --size 32 --out "$work/clu" >"$work/clu.out" 2>"$work/err"
check "actmax-clusters exits 0" test $? -eq 0
check "one image per cluster, shares per image, rounds and the assignment" /usr/bin/python3 -c "
import json, numpy as np
r = json.load(open('$work/clu.json'))
assert r['standardised'] and 1 <= len(r['rounds']) <= 2
assert r['rounds'][0]['clusters'] == [0, 0, 1, 1, 2, 2, 0, -1]
assert len(r['assignment']) == 8 and r['assignment'][7] == -1
ids = [c['id'] for c in r['clusters']]
assert ids == sorted(set(a for a in r['assignment'] if a >= 0)), (ids, r['assignment'])
for c in r['clusters']:
    assert np.load(c['npy']).shape == (3, 32, 32)
    assert abs(sum(c['cluster_shares']) - 1) < 1e-5 and len(c['cluster_means']) == len(ids)
    assert c['units'] == [u for u, a in enumerate(r['assignment']) if a == c['id']]"
/usr/bin/python3 -c "import numpy as np; np.save('$work/short.npy', np.array([0, 1, 1]))"
"$cli" actmax-clusters --model "$model" --layer features.2 --clusters "$work/short.npy" \
  --steps 2 --size 32 --out "$work/badclu" >"$work/out" 2>"$work/err"; rc=$?
check "a clustering of the wrong length: non-zero, one line, no files" \
  bash -c "test $rc -ne 0 && test $(lines "$work/err") -eq 1 && ! ls '$work' | grep -q '^badclu'"
check "no temporary files are left" bash -c "! ls -A '$work' | grep -q tmp"
exit $((failures > 0))
