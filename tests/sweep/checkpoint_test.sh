#!/usr/bin/env bash
# Learning-state checkpoints (issue 15, item 9), through the executable:
#   sweep_kill       SIGKILL in phase 1, rerun, SIGKILL in phase 2, rerun:
#                    the run record and run file equal an uninterrupted
#                    run's bit for bit (timing aside)
#   sweep_interrupt  Ctrl-C mid-run leaves a checkpoint; the rerun continues
#                    from it and ends identical
#   train_kill       lab.train{checkpoint = F}: SIGKILL, rerun, identical
#                    curve and weights; a third run returns at once
#   bad_checkpoint   a damaged checkpoint, and one of another training:
#                    refused with the file named
set -u
case_name=$1 exe=$2 here=$3 work=$4
rm -rf "$work" && mkdir -p "$work"
cd "$work" || exit 1
fail() { echo "FAIL ($case_name): $*"; [ -s stderr ] && head -c 2000 stderr; exit 1; }
# Commands as arrays, not functions: a function put in the background runs
# in a subshell, and $! would name the subshell instead of rnnlab.
sweep=("$exe" run "$here/checkpoint_sweep.lua" --quiet --set iterations=8000 --set every=0.2)
train=("$exe" run "$here/checkpoint_train.lua" --quiet)
ckpt=k/runs/seed=1.ckpt.h5
phase_of() { h5dump -a phase "$1" 2> /dev/null | sed -n 's/.*(0): \([0-9]*\).*/\1/p'; }
# wait_for_phase P PID: until the checkpoint says phase P (0-based), or PID ends.
wait_for_phase() {
  for _ in $(seq 3000); do
    [ "$(phase_of "$ckpt")" = "$1" ] && return 0
    kill -0 "$2" 2> /dev/null || return 1
    sleep 0.01
  done
  return 1
}
same_as_reference() {
  /usr/bin/python3 - ref/runs/seed=1.json k/runs/seed=1.json <<'PY' || fail "the run record differs from the uninterrupted run's"
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
for r in (a, b): r.pop("seconds")
sys.exit(0 if a == b else 1)
PY
  h5diff ref/runs/seed=1.h5 k/runs/seed=1.h5 > /dev/null || fail "the run file differs from the uninterrupted run's"
  [ ! -e "$ckpt" ] || fail "the checkpoint was not removed after the run completed"
}

case "$case_name" in
  sweep_kill)
    "${sweep[@]}" --set out=ref > /dev/null 2> stderr || fail "reference"
    "${sweep[@]}" --set out=k > /dev/null 2> stderr &
    pid=$!
    wait_for_phase 0 $pid || fail "no checkpoint in phase 1 before the run ended"
    kill -KILL $pid; wait $pid 2> /dev/null
    "${sweep[@]}" --set out=k > /dev/null 2> stderr &
    pid=$!
    wait_for_phase 1 $pid || fail "no checkpoint in phase 2 before the run ended"
    kill -KILL $pid; wait $pid 2> /dev/null
    [ ! -e k/runs/seed=1.json ] || fail "the run completed before the second kill; the test proves nothing"
    "${sweep[@]}" --set out=k > stdout 2> stderr || fail "the rerun failed"
    grep -q "1 runs, 1 completed" stdout || fail "rerun: $(cat stdout)"
    same_as_reference
    ;;
  sweep_interrupt)
    "${sweep[@]}" --set out=ref > /dev/null 2> stderr || fail "reference"
    "${sweep[@]}" --set out=k > /dev/null 2> stderr &
    pid=$!
    wait_for_phase 0 $pid || fail "no checkpoint before the run ended"
    kill -INT $pid; wait $pid; status=$?
    [ "$status" -eq 130 ] || fail "exit status $status after Ctrl-C, expected 130"
    [ -e "$ckpt" ] || fail "no checkpoint after Ctrl-C"
    "${sweep[@]}" --set out=k > /dev/null 2> stderr || fail "the rerun failed"
    same_as_reference
    ;;
  train_kill)
    "${train[@]}" --set save=ref.h5 --set ck=ref_ck.h5 > /dev/null 2> stderr || fail "reference"
    "${train[@]}" --set save=k.h5 --set ck=k_ck.h5 > /dev/null 2> stderr &
    pid=$!
    ckpt=k_ck.h5
    wait_for_phase 0 $pid || fail "no checkpoint before the training ended"
    kill -KILL $pid; wait $pid 2> /dev/null
    [ ! -e k.h5 ] || fail "the training finished before the kill"
    "${train[@]}" --set save=k.h5 --set ck=k_ck.h5 > /dev/null 2> stderr || fail "the rerun failed"
    cmp -s ref.h5.txt k.h5.txt || fail "the loss curve differs: $(diff ref.h5.txt k.h5.txt | head -5)"
    h5diff ref.h5 k.h5 > /dev/null || fail "the trained weights differ"
    "${train[@]}" --set save=k2.h5 --set ck=k_ck.h5 > /dev/null 2> stderr || fail "the third run failed"
    cmp -s ref.h5.txt k2.h5.txt || fail "a finished checkpoint did not give the same result"
    ;;
  bad_checkpoint)
    "${train[@]}" --set save=a.h5 --set ck=ck.h5 --set iterations=50 > /dev/null 2> stderr || fail "first training"
    "${train[@]}" --set save=b.h5 --set ck=ck.h5 --set iterations=60 > /dev/null 2> stderr
    status=$?
    [ "$status" -eq 1 ] || fail "exit status $status for another training's checkpoint, expected 1"
    grep -Eq "^rnnlab: .*'ck\.h5' is a checkpoint of another run \([0-9a-f]{16}, expected [0-9a-f]{16}\); delete it to start the run from the beginning$" stderr ||
      fail "message: $(head -n 1 stderr)"
    head -c 100 a.h5 > broken.h5
    "${train[@]}" --set save=c.h5 --set ck=broken.h5 --set iterations=50 > /dev/null 2> stderr
    [ $? -eq 1 ] || fail "a damaged checkpoint was not refused"
    grep -q "broken.h5" stderr && grep -q "delete it to start the run from the beginning" stderr || fail "message: $(head -n 1 stderr)"
    ;;
  *) fail "unknown case" ;;
esac
echo "ok: $case_name"
