#!/usr/bin/env bash
# The command-line contracts of unitscope-cli and unitscope (GUI flags), checked end to end.
set -uo pipefail
cli="$1"; gui="$2"; work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
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
