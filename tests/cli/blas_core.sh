#!/usr/bin/env bash
# The BLAS core (issue 14, items 1-2): rnnlab names its kernels, runs
# OpenBLAS's strongest core for this CPU whatever OpenBLAS detected, keeps
# a core the user chose, and warns when that one is weaker than the CPU's.
set -u
exe=$1
fail() { echo "FAIL: $*"; exit 1; }
"$exe" --version > out.txt || fail "--version"
grep -Eq "^kernels: element-wise [a-z0-9 +-]+, products [a-zA-Z0-9+]+( \([^)]*\))?, " out.txt || fail "no kernels line: $(cat out.txt)"
grep -q "OpenBLAS" out.txt || { echo "BLAS is not OpenBLAS: nothing more to check"; exit 77; }
grep -qw avx2 /proc/cpuinfo || { echo "no AVX2: OpenBLAS's SSE cores are this CPU's best"; exit 77; }
best=Haswell
grep -qw avx512f /proc/cpuinfo && grep -qw avx512bw /proc/cpuinfo && grep -qw avx512vl /proc/cpuinfo && best=SkylakeX
# 1. Left alone, rnnlab runs the strongest core (whatever OpenBLAS detected).
# Where the machine sets OPENBLAS_CORETYPE itself (some do, for old OpenBLAS
# builds that fail on their CPU), that choice is kept and not overridden here.
if [ -z "${OPENBLAS_CORETYPE:-}" ]; then
  "$exe" bench --iterations 3 > bench.json 2> bench.err || fail "bench"
grep -q "\"blas\":\"OpenBLAS [0-9.]* *core $best\"" bench.json || fail "not core $best: $(cat bench.json)"
grep -q '"blas_weaker_than_cpu":false' bench.json || fail "$(cat bench.json)"
[ ! -s bench.err ] || fail "unexpected warning: $(cat bench.err)"
fi
# 2. A core the user chose is kept, and a weaker one is warned about.
OPENBLAS_CORETYPE=Prescott "$exe" bench --iterations 3 > bench.json 2> bench.err || fail "bench Prescott"
grep -q '"blas":"OpenBLAS [0-9.]* *core Prescott"' bench.json || fail "the user's core was not kept: $(cat bench.json)"
grep -q '"blas_weaker_than_cpu":true' bench.json || fail "$(cat bench.json)"
grep -q "^warning: BLAS runs core Prescott, weaker than this CPU's $best" bench.err || fail "no warning: $(cat bench.err)"
# 3. RNNLAB_BLAS_CORE=keep leaves OpenBLAS's own detection (whatever it is).
if [ -z "${OPENBLAS_CORETYPE:-}" ]; then
  RNNLAB_BLAS_CORE=keep "$exe" bench --iterations 3 > bench.json 2> /dev/null || fail "bench keep"
  grep -q '"blas_chosen_by_rnnlab":false' bench.json || fail "keep was not honoured: $(cat bench.json)"
fi
echo "ok: core $best"
