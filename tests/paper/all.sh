#!/usr/bin/env bash
# paper.smoke / paper.quick: scripts/paper/all.lua with --set smoke=1 (every
# script in seconds) or quick=1, then the claims table and report it
# writes from the sweeps.
set -euo pipefail
rnnlab=$1 source=$2 out=$3 mode=$4
rm -rf "$out"
"$rnnlab" run "$source/scripts/paper/all.lua" --quiet --set "$mode=1" --out "$out" | tee "$out.log"
grep -q "all figures and claims in" "$out.log"
test "$(head -1 "$out/claims.csv")" = "claim,figure,setting,verdict,statement,numbers"
# One row per claim, each with a verdict; none of the sweeps is missing.
rows=$(tail -n +2 "$out/claims.csv" | grep -cE '^[a-z0-9_.]+,' || true)
test "$rows" -ge 10 || { echo "claims.csv has $rows claims"; exit 1; }
if grep -q "not run:" "$out/claims.csv"; then echo "a claim's sweep was not run"; exit 1; fi
bad=$(tail -n +2 "$out/claims.csv" | grep -cvE '^[^,]+,[^,]+,("[^"]*"|[^,]*),(reproduced|partly|not|inconclusive),' || true)
test "$bad" = 0 || { echo "$bad rows without a verdict"; exit 1; }
grep -q "^| \`fig1.bptt\`" "$out/report.md"
grep -q "](figures/fig1_romo_bptt.png)" "$out/report.md"
test -f "$out/figures/fig1_romo_bptt.png"
# The ablations, with the main run's Fig. 4 sweep reused.
"$rnnlab" run "$source/scripts/paper/ablations/all.lua" --quiet --set "$mode=1" --out "$out" | tee "$out.ablations.log"
grep -qE "^fig4_eprop .*\(0 new" "$out.ablations.log"
test "$(head -1 "$out/ablations/claims.csv")" = "claim,figure,setting,verdict,statement,numbers"
for id in fig1.eprop@trace_leak fig2.2af_bptt@streaming fig2.dms_eprop@dms_short fig4.helps@floss_lr=0.01 \
          fig4.helps@floss_k=8; do
  grep -qE "^$id,[^,]+,\"[^\"]*\",(reproduced|partly|not|inconclusive)," "$out/ablations/claims.csv" \
    || { echo "ablations/claims.csv lacks $id"; exit 1; }
done
if grep -q "not run:" "$out/ablations/claims.csv"; then echo "an ablation's sweep was not run"; exit 1; fi
test -f "$out/ablations/trace_leak/figures/fig1_romo_eprop.png"
grep -q "](trace_leak/figures/fig1_romo_eprop.png)" "$out/ablations/report.md"
# Curvature and generalisation (Liu et al. 2022).
"$rnnlab" run "$source/scripts/paper/curvature.lua" --quiet --set "$mode=1" --out "$out" | tee "$out.curvature.log"
for id in curvature.eprop generalisation.eprop curvature.rflo generalisation.rflo; do
  grep -qE "^$id,[^,]+,\"[^\"]*\",(reproduced|partly|not|inconclusive)," "$out/curvature/claims.csv" \
    || { echo "curvature/claims.csv lacks $id"; exit 1; }
done
# Every rule and gain has a finite curvature and gap.
test "$(tail -n +2 "$out/curvature/curvature.csv" | grep -c ',nan')" = 0
# publish.lua copies the generated tables into (a copy of) the docs page.
cp "$source/docs/reproduction.md" "$out/reproduction.md"
"$rnnlab" run "$source/scripts/paper/publish.lua" --quiet --set from="$out" --set mode=quick \
  --set doc="$out/reproduction.md" --set figures="$out/published" | tee "$out.publish.log"
grep -q "published 3 sections" "$out.publish.log"
# (grep reads the whole section: grep -q in a pipe could stop sed with SIGPIPE)
claims_section=$(sed -n '/generated: claims-quick/,/end: claims-quick/p' "$out/reproduction.md")
grep -q '^| `fig1.bptt` ' <<< "$claims_section"
curvature_section=$(sed -n '/generated: curvature-quick/,/end: curvature-quick/p' "$out/reproduction.md")
grep -q '^| `curvature.eprop` ' <<< "$curvature_section"
test -f "$out/published/fig1_romo_bptt.png"
echo "paper $mode: OK ($rows claims, ablations, curvature, publish)"
