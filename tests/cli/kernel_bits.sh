#!/usr/bin/env bash
# Issue 14, item 1: a single-precision training pass on rnnlab's own
# micro-kernels gives bitwise the same result whatever core OpenBLAS runs
# and whichever kernel set (AVX-512 or AVX2) runs it. The own kernels run
# every product from N = 128 up, and at every N when OpenBLAS runs a core
# weaker than the CPU's (its SSE3 "Prescott" fallback on CPUs it does not
# recognise, or a forced weaker one), or with RNNLAB_KERNELS=own. Double
# precision is BLAS's, and is not checked.
set -u
exe=$1
fail() { echo "FAIL: $*"; exit 1; }
grep -qw avx2 /proc/cpuinfo && grep -qw fma /proc/cpuinfo || { echo "no AVX2+FMA: BLAS runs the products"; exit 77; }
"$exe" --version | grep -q "OpenBLAS" || { echo "BLAS is not OpenBLAS: cannot force its core"; exit 77; }
loss() {  # final loss of a short bench, under the environment given
  env "$@" "$exe" bench --hidden "$hidden" --batch 13 --iterations 4 --rule "$rule" $extra 2> /dev/null |
    sed -n 's/.*"final_loss":\([-0-9.e]*\).*/\1/p'
}
for hidden in 37 150 300; do
  for rule in bptt eprop; do
    extra=""
    [ "$rule" = bptt ] && [ "$hidden" = 150 ] && extra="--set truncation=3"
    ref=$(loss RNNLAB_KERNELS=own) ; [ -n "$ref" ] || fail "bench N=$hidden $rule"
    settings="OPENBLAS_CORETYPE=Prescott OPENBLAS_CORETYPE=Haswell RNNLAB_KERNELS=avx2"
    [ "$hidden" -ge 128 ] && settings="$settings RNNLAB_KERNELS="  # the default from N = 128 up
    for setting in $settings; do
      got=$(loss "$setting")
      [ "$got" = "$ref" ] || fail "N=$hidden $rule: $setting gives $got, RNNLAB_KERNELS=own $ref"
    done
    # and BLAS itself does round differently: the check above can fail
    blas=$(loss RNNLAB_KERNELS=blas)
    [ "$blas" != "$ref" ] || fail "N=$hidden $rule: BLAS gave the same bits as the own kernels ($ref)"
  done
done
echo "ok: the same final loss under every BLAS core and both kernel sets"
