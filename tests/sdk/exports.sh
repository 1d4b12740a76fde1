#!/usr/bin/env bash
# librnnlab exports its public API only (what rnnlab/sdk/ and rnnlab/app/
# mark RNNLAB_EXPORT): no internal function or class may appear in its
# dynamic symbol table, and the table stays small.
set -u
lib=$1
max=${2:-450}
allow=${3:-}  # a pattern of symbols this build exports on purpose (MPI: set_sweep_group)
symbols=$(nm -D --defined-only "$lib" | awk '{print $3}' | c++filt)
if [ -n "$allow" ]; then symbols=$(grep -vE -- "$allow" <<< "$symbols"); fi
status=0
# Internals of framework/src, one pattern a line (grep -E on demangled names).
internals='rnnlab::gemm\(
rnnlab::run_gnuplot
rnnlab::gnuplot_quote
SweepGroup
stable_hash
set_blas_threads
PackedMatrix
rnnlab::kernel::
rnnlab::lua::
rnnlab::sweep::
rnnlab::checkpoint::
rnnlab::h::
run_plugin_library
rnnlab::probe::Cache
openblas_set_num_threads'
while IFS= read -r pattern; do
  hits=$(grep -E -- "$pattern" <<< "$symbols" | head -3)
  if [ -n "$hits" ]; then
    echo "FAIL: librnnlab exports an internal symbol ($pattern):"
    echo "$hits"
    status=1
  fi
done <<< "$internals"
n=$(grep -c . <<< "$symbols")
rnnlab_api=$(grep -c 'rnnlab::' <<< "$symbols")
if [ "$n" -gt "$max" ]; then
  echo "FAIL: librnnlab exports $n symbols, more than $max: is the visibility preset lost?"
  status=1
fi
# The public API is there: plugins and the executable link against these.
for needed in 'rnnlab::backprop_gradient\(' 'rnnlab::Registry::load\(' 'typeinfo for rnnlab::Rule$' 'rnnlab::run_script\('; do
  if ! grep -qE -- "$needed" <<< "$symbols"; then echo "FAIL: public symbol $needed is not exported"; status=1; fi
done
[ $status -eq 0 ] && echo "ok: librnnlab exports $n symbols ($rnnlab_api of namespace rnnlab), none internal"
exit $status
