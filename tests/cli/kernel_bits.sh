#!/usr/bin/env bash
# Issue 14, item 1: a single-precision training pass runs every product on
# rnnlab's own micro-kernels, so its result is bitwise the same whatever
# core OpenBLAS runs (its own detection, SkylakeX, or the SSE3 "Prescott"
# fallback of CPUs it does not recognise) and whichever of rnnlab's kernels
# (AVX-512 or AVX2) runs it. Double precision is BLAS's, and is not checked.
set -u
exe=$1
fail() { echo "FAIL: $*"; exit 1; }
grep -qw avx2 /proc/cpuinfo && grep -qw fma /proc/cpuinfo || { echo "no AVX2+FMA: BLAS runs the products"; exit 77; }
loss() {  # final loss of a short bench, under the environment given
  env "$@" "$exe" bench --hidden "$hidden" --batch 13 --iterations 4 --rule "$rule" $extra 2> /dev/null |
    sed -n 's/.*"final_loss":\([-0-9.e]*\).*/\1/p'
}
for hidden in 37 150 300; do
  for rule in bptt eprop; do
    extra=""
    [ "$rule" = bptt ] && [ "$hidden" = 150 ] && extra="--set truncation=3"
    ref=$(loss RNNLAB_KERNELS=) ; [ -n "$ref" ] || fail "bench N=$hidden $rule"
    for setting in OPENBLAS_CORETYPE=Prescott OPENBLAS_CORETYPE=Haswell RNNLAB_KERNELS=avx2; do
      got=$(loss "$setting")
      [ "$got" = "$ref" ] || fail "N=$hidden $rule: $setting gives $got, default $ref"
    done
    # and BLAS itself does round differently: the check above can fail
    blas=$(loss RNNLAB_KERNELS=blas)
    [ "$blas" != "$ref" ] || fail "N=$hidden $rule: BLAS gave the same bits as the own kernels ($ref)"
  done
done
echo "ok: the same final loss under every BLAS core and both kernel sets"
