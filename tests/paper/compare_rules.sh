#!/usr/bin/env bash
# rules.compare: scripts/compare_rules.lua in seconds (--set smoke=1): every
# rule trains, its alignment with BPTT is monitored, and the table has a
# row per rule and gain with every measure.
set -euo pipefail
rnnlab=$1 source=$2 out=$3
rm -rf "$out"
"$rnnlab" run "$source/scripts/compare_rules.lua" --quiet --set smoke=1 --out "$out" > "$out.log"
grep -q "rules compared in" "$out.log"
test "$(tail -n +2 "$out/rules.csv" | wc -l)" = 16   # 8 rules x 2 gains
if tail -n +2 "$out/rules.csv" | grep -q nan; then echo "a measure is missing:"; cat "$out/rules.csv"; exit 1; fi
# BPTT's gradient is BPTT's: cosine 1; RTRL equals it too.
awk -F, '$1 == "bptt" || $1 == "rtrl" { if ($6 < 0.999999) { print "cosine of " $1 ": " $6; exit 1 } }' "$out/rules.csv"
for r in bptt rtrl uoro snap eprop_none eprop_leak rflo node_perturbation; do
  test -f "$out/figures/$r.png" && test -f "$out/figures/${r}_alignment.png"
done
echo "compare_rules: OK"
