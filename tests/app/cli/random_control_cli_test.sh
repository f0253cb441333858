#!/usr/bin/env bash
# random-control on the demo network (cached in the test cache): every Conv2d and Linear
# parameter equals what PyTorch's own default initialisation draws after torch.manual_seed(S)
# (python3-torch, in named_modules() order); BatchNorm weights are 1 and biases 0, and their
# running statistics equal the mean and unbiased variance of each BatchNorm's input over the
# stimuli, computed by running the written network's modules one by one in PyTorch; another
# seed gives other weights; a module of unknown type with parameters, a BatchNorm model without
# stimuli and a missing model give one clear line and no output.
set -uo pipefail
cli="$1"; cache="$2"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
failures=0
check() { local what="$1"; shift; if "$@"; then echo "ok   $what"; else echo "FAIL $what"; failures=$((failures + 1)); fi; }
[[ -f "$cache/demo_cnn.pt" ]] || { echo "FAIL no demo network (app.cli_demo_store makes it)"; exit 1; }
images=/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz
for seed in 4 5; do
  "$cli" random-control --model "$cache/demo_cnn.pt" --seed $seed --stimuli "$images" --limit 3000 \
    --out "$work/random$seed.pt" >"$work/out$seed.json" 2>"$work/err"
  check "random-control --seed $seed exits 0" test $? -eq 0
done
check "the sidecar is copied" test -f "$work/random4.pt.json"
check "weights are PyTorch's default initialisation; BatchNorm statistics are exact" \
  /usr/bin/python3 - "$cache" "$work" "$images" <<'PY'
import gzip, json, math, sys
import numpy as np, torch
cache, work, images = sys.argv[1:4]
report = json.load(open(f"{work}/out4.json"))
assert report["batch_norms"] == ["bn1", "bn2"], report["batch_norms"]
assert report["stimuli"] == 3000
torch.manual_seed(4)
reference = torch.jit.load(f"{cache}/demo_cnn.pt")
with torch.no_grad():
    for name, module in reference.named_modules():
        if module.original_name in ("Conv2d", "Linear"):
            torch.nn.init.kaiming_uniform_(module.weight, a=math.sqrt(5))
            fan_in = module.weight[0].numel()
            torch.nn.init.uniform_(module.bias, -1 / math.sqrt(fan_in), 1 / math.sqrt(fan_in))
ours = torch.jit.load(f"{work}/random4.pt")
trained = torch.jit.load(f"{cache}/demo_cnn.pt")
ref = dict(reference.named_modules()); mine = dict(ours.named_modules())
for name, module in ref.items():
    if module.original_name in ("Conv2d", "Linear"):
        for p in ("weight", "bias"):
            a, b = getattr(module, p), getattr(mine[name], p)
            assert torch.equal(a, b), (name, p, (a - b).abs().max().item())
            assert not torch.equal(b, getattr(dict(trained.named_modules())[name], p))
spec = json.load(open(f"{work}/random4.pt.json"))
with gzip.open(images, "rb") as f:
    data = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 1, 28, 28)[:3000]
x = (torch.from_numpy(data.astype(np.float32) / 255.0) - spec["mean"][0]) / spec["std"][0]
ours.eval()
with torch.no_grad():
    h = x
    for name, child in ours.named_children():
        if child.original_name.startswith("BatchNorm"):
            d = h.double()
            mean = d.mean((0, 2, 3)); var = d.var((0, 2, 3), unbiased=True)
            assert torch.equal(child.weight, torch.ones_like(child.weight)) and not child.bias.any()
            assert torch.allclose(child.running_mean.double(), mean, rtol=1e-4, atol=1e-5), name
            assert torch.allclose(child.running_var.double(), var, rtol=1e-4, atol=1e-6), name
            print(f"{name}: running statistics match over 3000 stimuli "
                  f"(max |d mean| {(child.running_mean.double() - mean).abs().max():.2e}, "
                  f"max |d var| / var {((child.running_var.double() - var).abs() / var).max():.2e})")
        h = child(h)
other = torch.jit.load(f"{work}/random5.pt")
assert not torch.equal(other.fc1.weight, ours.fc1.weight), "another seed, other weights"
PY

bad() {
  local what="$1" want="$2"; shift 2
  "$cli" random-control "$@" --out "$work/bad.pt" >/dev/null 2>"$work/bad.err"
  local status=$?
  check "$what: one clear line, non-zero exit, no output" bash -c \
    "[[ $status -ne 0 && \$(grep -c '' '$work/bad.err') -eq 1 ]] && grep -q -- '$want' '$work/bad.err' && [[ ! -e '$work/bad.pt' ]] && ! ls -A '$work' | grep -q tmp"
}
cat > "$work/custom.py" <<'PY'
import sys, torch
class Scaled(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(1, 2, 3)
        self.gain = torch.nn.Parameter(torch.ones(2))
    def forward(self, x):
        return self.conv(x) * self.gain[None, :, None, None]
torch.jit.script(Scaled()).save(sys.argv[1])
PY
/usr/bin/python3 "$work/custom.py" "$work/custom.pt"
bad "a module of unknown type with parameters" "Scaled" --model "$work/custom.pt" --seed 1
bad "BatchNorm without stimuli" "BatchNorm" --model "$cache/demo_cnn.pt" --seed 1
bad "a missing model" "not found" --model "$work/none.pt" --seed 1 --stimuli "$images"
bad "no seed" "seed" --model "$cache/demo_cnn.pt" --stimuli "$images"
echo "$failures failure(s)"
[[ $failures -eq 0 ]]
