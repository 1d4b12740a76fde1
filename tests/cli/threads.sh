#!/usr/bin/env bash
# --threads (issue 14, item 4): a training run's losses are bitwise the same
# with 1 and 2 threads; a bad count is refused.
set -u
exe=$1 script=$2
fail() { echo "FAIL: $*"; exit 1; }
"$exe" run "$script" --quiet --threads 1 > one.txt || fail "--threads 1"
"$exe" run "$script" --quiet --threads 2 > two.txt || fail "--threads 2"
[ "$(grep -c . one.txt)" -eq 10 ] || fail "expected 10 losses: $(cat one.txt)"
cmp -s one.txt two.txt || fail "the losses differ between 1 and 2 threads: $(diff one.txt two.txt)"
"$exe" bench --hidden 160 --iterations 2 --threads 2 > bench.json || fail "bench --threads 2"
grep -q '"threads":2' bench.json || fail "bench does not report its threads: $(cat bench.json)"
"$exe" run "$script" --threads 0 2> err.txt && fail "--threads 0 accepted"
grep -q "threads" err.txt || fail "--threads 0: $(cat err.txt)"
echo "ok: the same $(grep -c . one.txt) losses with 1 and 2 threads"
