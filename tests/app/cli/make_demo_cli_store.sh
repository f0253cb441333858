#!/usr/bin/env bash
# The CLI tests' shared demo store, made once in the test cache: the demo network (a short
# run), its activations on the Fashion-MNIST test set (relu3, fc2), and two random-weight copies
# of it (random-control) with their activations (for the unit-caption controls).
set -uo pipefail
cli="$1"; cache="$2"; fixtures="$3"
images=/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz
mkdir -p "$cache"
[[ -f "$cache/random2.h5" ]] && { echo "ok   the demo store is cached"; exit 0; }
"$cli" demo-model --out "$cache" --max-steps 200 >/dev/null &&
"$cli" extract --model "$cache/demo_cnn.pt" --stimuli "$images" --layers relu3,fc2 --out "$cache/acts.h5" >/dev/null ||
  { echo "FAIL cannot make the demo store"; exit 1; }
for seed in 1 2; do
  "$cli" random-control --model "$cache/demo_cnn.pt" --seed $seed --stimuli "$images" --out "$cache/random$seed.pt" >/dev/null &&
  "$cli" extract --model "$cache/random$seed.pt" --stimuli "$images" --layers relu3,fc2 --out "$cache/random$seed.h5" >/dev/null ||
    { echo "FAIL cannot make the random-weight control $seed"; exit 1; }
done
echo "ok   made the demo store"
