#!/usr/bin/env bash
# Runs fuzz.lua in a fresh directory that it may fill with files.
#   fuzz.sh EXE FUZZ.lua WORKDIR CALLS
set -u
exe=$1 script=$2 work=$3 calls=$4
rm -rf "$work" && mkdir -p "$work"
cd "$work" || exit 1
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}allocator_may_return_null=1"
"$exe" run "$script" --quiet --set tmp="$work" --set calls="$calls"
status=$?
if [ "$status" -ge 128 ]; then
  echo "FAIL: rnnlab was killed by signal $((status - 128)) (a crash)"
elif [ "$status" -ne 0 ]; then
  echo "FAIL: exit status $status"
fi
exit $status
