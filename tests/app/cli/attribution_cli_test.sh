#!/usr/bin/env bash
# unitscope-cli attribute / prune / graph-info / graph-convert / supernodes end to end, with
# the supernodes checked against SciPy's average linkage on the same signatures and their
# labels' p-values against a numpy permutation test.
set -uo pipefail
cli="$1"; fixtures="$2"; fixture_script="$3"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
failures=0
check() { local what="$1"; shift; if "$@"; then echo "ok   $what"; else echo "FAIL $what"; failures=$((failures + 1)); fi; }
lines() { grep -c '' "$1"; }

if [[ ! -f "$fixtures/done" ]]; then
  /usr/bin/python3 "$fixture_script" "$fixtures.tmp-$$" && mv -T "$fixtures.tmp-$$" "$fixtures" 2>/dev/null
  rm -rf "$fixtures.tmp-$$"
fi
model="$fixtures/small_cnn_traced.pt"

"$cli" attribute --model "$model" --stimuli "$fixtures/folder" --index 2 --layers features.2,features.0 \
  --method ig --steps 20 --out "$work/graph.json" --maps "$work/maps" >"$work/ig.json" 2>"$work/err"
check "attribute --method ig exits 0" test $? -eq 0
check "IG: completeness within 1%, maps shaped C x H x W, layers in forward order" /usr/bin/python3 -c "
import json, numpy as np
r = json.load(open('$work/ig.json'))
assert r['completeness_error'] < 0.01, r
assert abs(r['input_attribution_sum'] - (r['t_x'] - r['t_baseline'])) < 0.01 * abs(r['t_x'] - r['t_baseline'])
assert [l['name'] for l in r['layers']] == ['features.0', 'features.2']
assert np.load('$work/maps/input.npy').shape == (3, 32, 32)
assert np.load('$work/maps/features.0.npy').shape == (8, 32, 32)
assert np.load('$work/maps/features.0.npy').dtype == np.float32"
check "the graph is circuit-tracer's schema with our fields" /usr/bin/python3 -c "
import json
g = json.load(open('$work/graph.json'))
assert set(g) >= {'metadata', 'qParams', 'nodes', 'links'}
fields = ['node_id', 'feature', 'layer', 'ctx_idx', 'feature_type', 'token_prob', 'is_target_logit',
          'run_idx', 'reverse_ctx_idx', 'jsNodeId', 'clerp', 'influence', 'activation']
for n in g['nodes']:
    assert all(f in n for f in fields), n
types = [n['feature_type'] for n in g['nodes']]
assert types.count('embedding') == 16 and types.count('logit') == 1
units = [n for n in g['nodes'] if n['feature_type'] == 'cross layer transcoder']
assert all('layer_name' in n and 'unit' in n and 'attribution' in n for n in units)
target = [n for n in g['nodes'] if n['feature_type'] == 'logit'][0]
assert target['is_target_logit'] is True
m = g['metadata']
assert m['method'] == 'ig' and m['steps'] == 20 and m['baseline'] == 'zero'
assert m['layers'] == ['features.0', 'features.2'] and m['model'] == 'small_cnn_traced.pt'
ids = {n['node_id'] for n in g['nodes']}
assert g['links'] and all(l['source'] in ids and l['target'] in ids for l in g['links'])"

for method in gxa lrp; do
  "$cli" attribute --model "$model" --stimuli "$fixtures/folder" --index 0 --layers features.0 \
    --method $method --target logit:1 --top 4 --patches 2 --out "$work/$method.json" >"$work/$method.out" 2>"$work/err"
  check "attribute --method $method exits 0" test $? -eq 0
done
check "--top and --patches shape the graph" /usr/bin/python3 -c "
import json
g = json.load(open('$work/gxa.json'))
types = [n['feature_type'] for n in g['nodes']]
assert types.count('embedding') == 4 and types.count('cross layer transcoder') == 4, types"

"$cli" attribute --model "$model" --stimuli "$fixtures/folder" --index 0 --layers nope --method gxa \
  --out "$work/bad.json" >"$work/out" 2>"$work/err"; rc=$?
check "an unknown layer: non-zero, one line naming it" \
  bash -c "test $rc -ne 0 && test $(lines "$work/err") -eq 1 && grep -q \"'nope'\" '$work/err'"
check "a failed attribute leaves no file" test ! -e "$work/bad.json"
"$cli" attribute --model "$model" --stimuli "$fixtures/folder" --index 99 --layers features.0 \
  --method gxa --out "$work/bad.json" >"$work/out" 2>"$work/err"; rc=$?
check "an index past the stimuli: non-zero, one line" test $rc -ne 0 -a "$(lines "$work/err")" -eq 1
"$cli" attribute --model "$model" --stimuli "$fixtures/folder" --index 0 --layers features.0 \
  --method shap --out "$work/bad.json" >"$work/out" 2>"$work/err"
check "an unknown method is a usage error" test $? -eq 2

"$cli" prune --graph "$work/graph.json" --node-threshold 0.5 --out "$work/pruned.json" >"$work/prune.json" 2>"$work/err"
check "prune exits 0" test $? -eq 0
check "pruning keeps inputs and the target, sets influence" /usr/bin/python3 -c "
import json
g = json.load(open('$work/pruned.json'))
types = [n['feature_type'] for n in g['nodes']]
assert types.count('embedding') == 16 and types.count('logit') == 1
assert len(g['nodes']) < len(json.load(open('$work/graph.json'))['nodes'])
assert all(0 <= n['influence'] <= 1 + 1e-9 for n in g['nodes'])
assert g['metadata']['node_threshold'] == 0.5"
"$cli" prune --graph "$work/graph.json" --node-threshold 2 --out "$work/p.json" >"$work/out" 2>"$work/err"
check "a threshold above 1 is a usage error" test $? -eq 2

"$cli" graph-info "$work/graph.json" >"$work/info.json" 2>"$work/err"
check "graph-info counts node types" /usr/bin/python3 -c "
import json
i = json.load(open('$work/info.json'))
assert i['node_types']['embedding'] == 16 and i['target_nodes'] == 1 and i['metadata']['method'] == 'ig'"
"$cli" graph-convert --graph "$work/pruned.json" --out "$work/c1.json" >/dev/null 2>&1 &&
  "$cli" graph-convert --graph "$work/c1.json" --out "$work/c2.json" >/dev/null 2>&1
check "a second conversion is byte-identical" cmp -s "$work/c1.json" "$work/c2.json"
printf '{"nodes":[{"node_id":"a","feature_type":"embedding"}],"links":[{"source":"a","target":"b","weight":1}]}' >"$work/hostile.json"
"$cli" graph-info "$work/hostile.json" >"$work/out" 2>"$work/err"; rc=$?
check "a dangling link: non-zero, one line naming the link" \
  bash -c "test $rc -ne 0 && test $(lines "$work/err") -eq 1 && grep -q \"'b' is not a node\" '$work/err'"

"$cli" extract --model "$model" --stimuli "$fixtures/folder" --layers features.0 --out "$work/acts.h5" \
  --batch 4 >/dev/null 2>"$work/err"
"$cli" supernodes --graph "$work/graph.json" --store "$work/acts.h5" --similarity 0.5 \
  --out "$work/super.json" >"$work/super.out" 2>"$work/err"
check "supernodes exits 0" test $? -eq 0
check "supernodes are SciPy's average-linkage groups of centred class signatures" /usr/bin/python3 -c "
import json, h5py, numpy as np
from scipy.cluster.hierarchy import linkage, fcluster
g = json.load(open('$work/super.json'))
f = h5py.File('$work/acts.h5', 'r')
acts = f['layers/features.0/mean'][()]
labels = f['stimuli/labels'][()]
classes = sorted(set(labels.tolist()))
units = [n for n in g['nodes'] if n.get('layer_name') == 'features.0']
sig = np.array([[acts[labels == c, n['unit']].mean() for c in classes] for n in units])
centred = sig - sig.mean(1, keepdims=True)
groups = fcluster(linkage(centred, 'average', metric='cosine'), t=0.5, criterion='distance')
want = sorted(sorted(units[i]['node_id'] for i in np.where(groups == k)[0])
              for k in set(groups) if (groups == k).sum() > 1)
got = sorted(sorted(s[1:]) for s in g['qParams']['supernodes'])
assert got == want, (got, want)
ev = g['unitscope_supernode_evidence']
assert len(ev['concepts']) == len(classes) and len(ev['supernodes']) == len(got)
for s in ev['supernodes']:
    assert len(s['mean_activation']) == len(s['members'])"
check "each label's p is the share of probe-label shuffles preferring as strongly (numpy)" /usr/bin/python3 - "$work" <<'PY'
import json, sys
import h5py, numpy as np
work = sys.argv[1]
g = json.load(open(f"{work}/super.json"))
f = h5py.File(f"{work}/acts.h5", "r")
acts = f["layers/features.0/mean"][()].astype(np.float64)
labels = f["stimuli/labels"][()]
rows = [np.where(labels == c)[0] for c in sorted(set(labels.tolist()))]
unit = {n["node_id"]: n["unit"] for n in g["nodes"] if n.get("layer_name") == "features.0"}
ev = g["unitscope_supernode_evidence"]
assert ev["permutations"] == 1000 and ev["supernodes"], ev.keys()

def preference(columns, at):  # the members' mean centred class signature in sd, per class
    sig = np.stack([columns[at[r]].mean(0) for r in rows], 1)
    sig = sig - sig.mean(1, keepdims=True)
    sd = columns.std(0)[:, None]
    sig = np.where(sd > 0, sig / np.where(sd > 0, sd, 1), 0)
    return sig.mean(0)

def strength(columns, at):
    return preference(columns, at).max()

names = ev["concepts"]

rng = np.random.default_rng(5)
n = len(labels)
ps = []
for s in ev["supernodes"]:
    columns = acts[:, [unit[i] for i in s["members"]]]
    observed = strength(columns, np.arange(n))
    assert s["label"] == names[int(np.argmax(preference(columns, np.arange(n))))], s["label"]
    hits = sum(strength(columns, rng.permutation(n)) >= observed - 1e-12 for _ in range(4000))
    p = (1 + hits) / 4001
    se = np.sqrt(p * (1 - p) * (1 / 1000 + 1 / 4000))
    assert abs(s["p_label"] - p) <= 5 * se + 0.005, (s["label"], s["p_label"], p)
    ps.append(s["p_label"])
assert [x["label"] for x in ev["supernodes"]] == [group[0] for group in g["qParams"]["supernodes"]]
ps = np.array(ps); order = np.argsort(ps, kind="stable"); m = len(ps)
q = np.minimum.accumulate((ps[order] * m / np.arange(1, m + 1))[::-1])[::-1]
want = np.empty(m); want[order] = np.minimum(q, 1)
assert np.allclose([s["q_label"] for s in ev["supernodes"]], want, rtol=1e-12)
PY
printf '{"a": [0, 1], "b": [99]}' >"$work/probes.json"
"$cli" supernodes --graph "$work/graph.json" --store "$work/acts.h5" --probe "$work/probes.json" \
  --out "$work/s2.json" >"$work/out" 2>"$work/err"; rc=$?
check "a probe row past the store: non-zero, one line" test $rc -ne 0 -a "$(lines "$work/err")" -eq 1
check "no temporary files are left" bash -c "! ls -A '$work' | grep -q tmp"

exit $((failures > 0))
