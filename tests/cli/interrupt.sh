#!/usr/bin/env bash
# Ctrl-C (SIGINT) during training: exit status 130, one clear message, and
# the file written before the interrupt still loads.
set -u
exe=$1 script=$2 out=$3
rm -rf "$out" && mkdir -p "$out"
"$exe" run "$script" --quiet --set out="$out" > "$out/stdout" 2> "$out/stderr" &
pid=$!
for _ in $(seq 100); do grep -q saved "$out/stdout" 2>/dev/null && break; sleep 0.1; done
sleep 0.5
kill -INT "$pid"
wait "$pid"
status=$?
fail() { echo "FAIL: $*"; echo "--- stdout"; cat "$out/stdout"; echo "--- stderr"; cat "$out/stderr"; exit 1; }
[ "$status" -eq 130 ] || fail "exit status $status, expected 130"
head -n 1 "$out/stderr" | grep -q '^rnnlab: interrupted (Ctrl-C)' || fail "first stderr line"
grep -q "not reached" "$out/stdout" && fail "the script went on after Ctrl-C"
"$exe" run /dev/stdin --quiet <<LUA || fail "the file saved before the interrupt does not load"
local net = lab.load_network("$out/before.h5")
assert(net.hidden == 32)
LUA
ls "$out" | grep -q '\.tmp\.' && fail "a temporary file was left behind"
echo "interrupt: OK (exit 130)"
