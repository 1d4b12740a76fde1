#!/usr/bin/env bash
# Faults while writing results, through the real executable. Each case makes
# a write fail in a way that works as root too (file permissions do not stop
# root), checks that the error names the file and the cause, that nothing
# written before is lost or left half-written, and that a rerun completes.
#
#   faults.sh CASE EXE WORKDIR
#
#   file_size_limit   a sweep under `ulimit -f` (the file size limit: the same
#                     failing write(2) as a full disk, EFBIG instead of ENOSPC)
#   overwrite_limit   net:save over an existing file fails under the limit:
#                     the old file is untouched (write to a temporary, rename)
#   target_blocked    a run's result path is taken by a directory
#   corrupt_record    a run record damaged after the fact
#   corrupt_config    sweep.json damaged after the fact
#   stale_temporary   leftovers of a killed writer: a temporary file and a
#                     result file without its record
#   readonly_shard    (not as root) the runs directory made read-only between
#                     two shards
#
# Not tested here, because it cannot be done honestly in a test: a real full
# disk (needs a small mounted file system, so privileges), and power loss
# (rnnlab renames complete files into place but does not fsync them).
set -u
case_name=$1 exe=$2 work=$3
here=$(cd "$(dirname "$0")" && pwd)
sweep="$here/fault_sweep.lua"
[ -e "$work" ] && chmod -R u+rwx "$work" 2> /dev/null
rm -rf "$work" && mkdir -p "$work"
cd "$work" || exit 1

fail() {
  echo "FAIL ($case_name): $*"
  for f in stdout stderr; do [ -s "$work/$f" ] && { echo "--- $f"; head -c 4000 "$work/$f"; }; done
  exit 1
}
# run_sweep OUT [extra args]: the fault sweep, one worker, output kept.
run_sweep() {
  local out=$1
  shift
  "$exe" run "$sweep" --quiet --jobs 1 --set out="$out" "$@" > "$work/stdout" 2> "$work/stderr"
}
# The process must fail with status 1: a signal (status >= 128) is a crash.
expect_failure() {
  local status=$1
  [ "$status" -ne 0 ] || fail "the command succeeded, expected an error"
  [ "$status" -lt 128 ] || fail "the command was killed by signal $((status - 128)) (a crash)"
  [ "$status" -eq 1 ] || fail "exit status $status, expected 1"
}
first_line() { head -n 1 "$work/stderr"; }
reported="(none)"
expect_first_line() {
  reported=$(first_line)
  printf '%s\n' "$reported" | grep -Eq -- "$1" || fail "first stderr line '$reported' does not match /$1/"
}
count_complete() { ls "$1/runs/"*.json 2> /dev/null | wc -l; }
no_temporaries() {
  if ls "$1" | grep -q '\.tmp\.'; then fail "temporary files left in $1: $(ls "$1" | grep '\.tmp\.')"; fi
}
# loads NETWORK_FILE HIDDEN: the file is a complete network of that size.
loads() {
  "$exe" run /dev/stdin --quiet > /dev/null 2> "$work/load_err" <<LUA || fail "'$1' does not load: $(head -n 1 "$work/load_err")"
assert(lab.load_network("$1").hidden == $2, "wrong size")
LUA
}
# rows CSV: data rows of a table.
rows() { tail -n +2 "$1" | wc -l; }
# Runs the rest of the command line with writes limited to KB kilobytes per
# file. SIGXFSZ is ignored so that the write fails with EFBIG (as a full disk
# fails with ENOSPC) instead of killing the process.
with_file_limit() {
  local kb=$1
  shift
  (trap '' XFSZ; ulimit -f "$kb" && exec "$@")
}

case "$case_name" in
  file_size_limit)
    # Runs 1-2 write ~10 kB files, run 3 needs ~40 kB: it fails at 16 kB.
    with_file_limit 16 "$exe" run "$sweep" --quiet --jobs 1 --set out="$work/s" > "$work/stdout" 2> "$work/stderr"
    expect_failure $?
    expect_first_line "^rnnlab: .*fault_sweep\\.lua:[0-9]+: lab\\.sweep: run 'hidden=64_seed=1': '.*/s/runs/hidden=64_seed=1\\.h5': could not be written completely: File too large$"
    [ "$(count_complete s)" -eq 2 ] || fail "$(count_complete s) complete runs kept, expected the 2 finished before the failure"
    loads s/runs/hidden=4_seed=1.h5 4
    loads s/runs/hidden=4_seed=2.h5 4
    [ -e s/runs/hidden=64_seed=1.h5 ] && fail "the failed run left a result file that looks complete"
    no_temporaries s/runs
    [ "$(rows s/summary.csv)" -eq 2 ] || fail "summary.csv does not list the 2 complete runs"
    # Space again: the rerun does the two missing runs only.
    run_sweep "$work/s" || fail "the rerun failed: $(first_line)"
    grep -q "4 runs, 2 completed, 2 skipped" "$work/stdout" || fail "the rerun did not resume: $(cat "$work/stdout")"
    loads s/runs/hidden=64_seed=2.h5 64
    [ "$(rows s/summary.csv)" -eq 4 ] || fail "summary.csv does not have 4 rows after the rerun"
    ;;
  overwrite_limit)
    "$exe" run /dev/stdin --quiet > /dev/null 2> "$work/stderr" <<'LUA' || fail "setup"
lab.network{ inputs = 1, hidden = 4, outputs = 2, dt = 50 }:save("net.h5")
LUA
    with_file_limit 16 "$exe" run /dev/stdin --quiet > "$work/stdout" 2> "$work/stderr" <<'LUA'
lab.network{ inputs = 1, hidden = 64, outputs = 2, dt = 50 }:save("net.h5")
LUA
    expect_failure $?
    expect_first_line "^rnnlab: /dev/stdin:1: 'net\\.h5': could not be written completely: File too large$"
    loads net.h5 4
    no_temporaries .
    ;;
  target_blocked)
    # The second run's result path is a directory: its rename fails. (The
    # folder must be a sweep's: one with runs/ but no sweep.json is refused.)
    run_sweep "$work/s0" || fail "the reference sweep failed: $(first_line)"
    mkdir -p s/runs/hidden=4_seed=2.h5
    cp s0/sweep.json s/sweep.json
    run_sweep "$work/s"
    expect_failure $?
    expect_first_line "^rnnlab: .*: lab\\.sweep: run 'hidden=4_seed=2': cannot write '.*/s/runs/hidden=4_seed=2\\.h5': Is a directory$"
    [ "$(count_complete s)" -eq 1 ] || fail "$(count_complete s) complete runs, expected 1"
    loads s/runs/hidden=4_seed=1.h5 4
    no_temporaries s/runs
    rmdir s/runs/hidden=4_seed=2.h5
    run_sweep "$work/s" || fail "the rerun failed: $(first_line)"
    grep -q "4 runs, 3 completed, 1 skipped" "$work/stdout" || fail "the rerun did not resume: $(cat "$work/stdout")"
    ;;
  corrupt_record)
    run_sweep "$work/s" || fail "the first sweep failed: $(first_line)"
    cp s/summary.csv summary.before
    head -c 20 s/runs/hidden=64_seed=1.json > cut && mv cut s/runs/hidden=64_seed=1.json
    run_sweep "$work/s"
    expect_failure $?
    expect_first_line "^rnnlab: .*: '.*/s/runs/hidden=64_seed=1\\.json' is corrupt \\(.*\\); delete it to rerun that run$"
    cmp -s s/summary.csv summary.before || fail "summary.csv changed although the sweep stopped"
    loads s/runs/hidden=64_seed=2.h5 64
    rm s/runs/hidden=64_seed=1.json
    run_sweep "$work/s" || fail "the rerun failed: $(first_line)"
    grep -q "4 runs, 1 completed, 3 skipped" "$work/stdout" || fail "the rerun did not redo exactly the damaged run: $(cat "$work/stdout")"
    diff <(cut -d, -f1-5 summary.before) <(cut -d, -f1-5 s/summary.csv) > /dev/null ||
      fail "the redone run differs from the original"
    ;;
  corrupt_config)
    run_sweep "$work/s" || fail "the first sweep failed: $(first_line)"
    printf '{"hash": ' > s/sweep.json
    run_sweep "$work/s"
    expect_failure $?
    expect_first_line "^rnnlab: .*: '.*/s/sweep\\.json' is corrupt; delete it \\(and the runs\\) to start the sweep afresh$"
    [ "$(count_complete s)" -eq 4 ] || fail "runs were removed"
    ;;
  stale_temporary)
    # What a writer killed mid-file can leave: a temporary, and a result file
    # whose record (written last) is missing.
    run_sweep "$work/s" || fail "the first sweep failed: $(first_line)"
    rm s/runs/hidden=4_seed=2.json
    head -c 100 s/runs/hidden=4_seed=2.h5 > s/runs/hidden=4_seed=2.h5.tmp.99999.0
    head -c 100 s/runs/hidden=4_seed=2.h5 > cut && mv cut s/runs/hidden=4_seed=2.h5
    run_sweep "$work/s" || fail "the rerun failed: $(first_line)"
    grep -q "4 runs, 1 completed, 3 skipped" "$work/stdout" || fail "the half-written run was not redone: $(cat "$work/stdout")"
    loads s/runs/hidden=4_seed=2.h5 4
    [ "$(rows s/summary.csv)" -eq 4 ] || fail "summary.csv does not have 4 rows"
    # The stale temporary stays (it could belong to a shard writing into the
    # same directory right now); it is never read as a result.
    ;;
  readonly_shard)
    if [ "$(id -u)" -eq 0 ]; then
      echo "skipped: running as root, so a read-only directory does not stop writes"
      exit 77
    fi
    run_sweep "$work/s" --shard 1/2 || fail "shard 1 failed: $(first_line)"
    chmod a-w s/runs
    run_sweep "$work/s" --shard 2/2
    status=$?
    chmod u+w s/runs
    expect_failure $status
    expect_first_line "^rnnlab: .*: lab\\.sweep: run '[^']+': cannot write '.*/s/runs/[^']+': Permission denied$"
    [ "$(count_complete s)" -eq 2 ] || fail "shard 1's runs were not kept"
    loads s/runs/hidden=4_seed=1.h5 4
    ;;
  *) fail "unknown case" ;;
esac
echo "fault $case_name: OK; reported: $reported"
