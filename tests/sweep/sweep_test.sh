#!/usr/bin/env bash
# Sweep behaviour through the real executable:
#   determinism  --jobs 1 and --jobs 2 give identical tables (timing aside)
#   resume       SIGKILL midway, rerun: every run exactly once, files intact
#   interrupt    SIGINT: exit 130, says how to resume; rerun completes
#   shards       --shard 1/2 + 2/2 merged equal the unsharded sweep
#   config       a changed config in the same directory is refused
#   mpi          (MPI build) mpiexec -n 2 equals the serial sweep; after
#                `work` come MPIEXEC NUMPROC_FLAG [PREFLAGS...]
set -u
case_name=$1 exe=$2 script=$3 work=$4
shift 4
mpi_command=("$@")
# mpi P ARGS...: rnnlab ARGS on P ranks (fails after 300 s: no rank may hang)
mpi() {
  local p=$1
  shift
  timeout 300 "${mpi_command[0]}" "${mpi_command[1]}" "$p" "${mpi_command[@]:2}" "$exe" "$@"
}
rm -rf "$work" && mkdir -p "$work"
fail() { echo "FAIL ($case_name): $*"; exit 1; }
# summary.csv without the timing column ('seconds'), sorted.
strip() { awk -F, 'NR==1 { for (i=1;i<=NF;i++) if ($i=="seconds") s=i } { line=""; for (i=1;i<=NF;i++) if (i!=s) line=line (line==""?"":",") $i; print line }' "$1"; }
count_runs() { ls "$1/runs/"*.json 2>/dev/null | wc -l; }
check_complete() {
  local dir=$1 allow_tmp=${2:-no}
  [ "$(count_runs "$dir")" -eq 12 ] || fail "$dir has $(count_runs "$dir") complete runs, expected 12"
  [ "$(tail -n +2 "$dir/summary.csv" | wc -l)" -eq 12 ] || fail "summary.csv of $dir does not have 12 rows"
  [ "$(tail -n +2 "$dir/summary.csv" | cut -d, -f1 | sort -u | wc -l)" -eq 12 ] || fail "duplicate run ids in $dir"
  # A SIGKILL can land mid-write and leave a temporary behind; it must never
  # count as a result (only the renamed .json does), but it may remain.
  [ "$allow_tmp" = no ] && ls "$dir/runs" | grep -q '\.tmp\.' && fail "temporary files left in $dir/runs"
  for h5 in "$dir"/runs/*.h5; do
    "$exe" run /dev/stdin --quiet <<LUA || fail "$h5 does not load"
assert(lab.load_network("$h5").hidden == 16)
LUA
  done
}

case "$case_name" in
  determinism)
    "$exe" run "$script" --quiet --jobs 1 --set out="$work/j1" > /dev/null || fail "jobs 1"
    "$exe" run "$script" --quiet --jobs 2 --set out="$work/j2" > /dev/null || fail "jobs 2"
    check_complete "$work/j1"
    diff <(strip "$work/j1/summary.csv") <(strip "$work/j2/summary.csv") || fail "summary.csv differs between --jobs 1 and 2"
    cmp "$work/j1/runs.csv" "$work/j2/runs.csv" || fail "runs.csv differs between --jobs 1 and 2"
    # A rerun skips everything and changes nothing.
    "$exe" run "$script" --quiet --set out="$work/j1" | grep -q "0 completed, 12 skipped" || fail "rerun did not skip"
    cmp "$work/j1/runs.csv" "$work/j2/runs.csv" || fail "rerun changed runs.csv"
    ;;
  resume)
    "$exe" run "$script" --quiet --jobs 2 --set iterations=1500 --set out="$work/ref" > /dev/null || fail "reference sweep"
    "$exe" run "$script" --quiet --jobs 2 --set iterations=1500 --set out="$work/k" > /dev/null &
    pid=$!
    for _ in $(seq 1000); do [ "$(count_runs "$work/k")" -ge 3 ] && break; sleep 0.01; done
    kill -KILL "$pid"; wait "$pid" 2>/dev/null
    n=$(count_runs "$work/k")
    echo "killed with $n of 12 runs complete"
    [ "$n" -lt 12 ] || fail "the sweep finished before it could be killed; the test proves nothing"
    "$exe" run "$script" --quiet --jobs 2 --set iterations=1500 --set out="$work/k" > "$work/rerun.txt" || fail "rerun after SIGKILL"
    check_complete "$work/k" allow_tmp
    grep -q "skipped" "$work/rerun.txt" || fail "no summary line"
    diff <(strip "$work/ref/summary.csv") <(strip "$work/k/summary.csv") || fail "resumed sweep differs from an uninterrupted one"
    ;;
  interrupt)
    "$exe" run "$script" --quiet --jobs 1 --set iterations=1500 --set out="$work/i" > /dev/null 2> "$work/stderr" &
    pid=$!
    for _ in $(seq 1000); do [ "$(count_runs "$work/i")" -ge 1 ] && break; sleep 0.01; done
    kill -INT "$pid"; wait "$pid"; status=$?
    n=$(count_runs "$work/i")
    echo "interrupted with $n of 12 runs complete"
    [ "$n" -lt 12 ] || fail "the sweep finished before it could be interrupted"
    [ "$status" -eq 130 ] || fail "exit status $status, expected 130"
    grep -q "sweep interrupted: .* runs complete .*run the same command again to resume" "$work/stderr" || { cat "$work/stderr"; fail "no resume hint"; }
    "$exe" run "$script" --quiet --jobs 2 --set iterations=1500 --set out="$work/i" > /dev/null || fail "resume after SIGINT"
    check_complete "$work/i"
    ;;
  shards)
    "$exe" run "$script" --quiet --set out="$work/all" > /dev/null || fail "unsharded"
    "$exe" run "$script" --quiet --shard 1/2 --set out="$work/s1" > /dev/null || fail "shard 1"
    "$exe" run "$script" --quiet --shard 2/2 --set out="$work/s2" > /dev/null || fail "shard 2"
    [ "$(count_runs "$work/s1")" -eq 6 ] || fail "shard 1 has $(count_runs "$work/s1") runs"
    "$exe" merge "$work/merged" "$work/s1" "$work/s2" || fail "merge"
    check_complete "$work/merged"
    diff <(strip "$work/all/summary.csv") <(strip "$work/merged/summary.csv") || fail "merged shards differ from the unsharded sweep"
    cmp "$work/all/runs.csv" "$work/merged/runs.csv" || fail "runs.csv differs"
    "$exe" run "$script" --quiet --shard 3/2 --set out="$work/bad" 2> "$work/err" && fail "--shard 3/2 accepted"
    grep -q "^rnnlab: --shard expects K/N" "$work/err" || fail "no message for a bad shard"
    ;;
  config)
    "$exe" run "$script" --quiet --set out="$work/c" > /dev/null || fail "first sweep"
    "$exe" run "$script" --quiet --set lr_values=3 --set out="$work/c" 2> "$work/err" && fail "a changed config was accepted"
    grep -q "holds results of a different sweep configuration" "$work/err" || { cat "$work/err"; fail "no message"; }
    "$exe" run "$script" --quiet --set lr_values=3 --set fresh=true --set out="$work/c" > /dev/null || fail "fresh = true"
    [ "$(count_runs "$work/c")" -eq 18 ] || fail "fresh sweep has $(count_runs "$work/c") runs"
    ;;
  plots)
    "$exe" run "$script" --quiet --set out="$work/p" > /dev/null || fail "sweep"
    "$exe" plot curves "$work/p" --out "$work/fig/curves" --from 5 --title "loss" > /dev/null || fail "plot curves"
    head -c 8 "$work/fig/curves.png" | od -An -tx1 | tr -d ' \n' | grep -q '^89504e470d0a1a0a$' || fail "curves.png is not a PNG"
    grep -q '<svg' "$work/fig/curves.svg" || fail "curves.svg is not SVG"
    # one CSV row per (gain, logged iteration ≥ 5): 3 gains × {5,10,15,20, 21 (phase 2 starts),25,30,35,40}
    [ "$(tail -n +2 "$work/fig/curves.csv" | wc -l)" -eq 27 ] || fail "curves.csv has $(tail -n +2 "$work/fig/curves.csv" | wc -l) rows"
    "$exe" run /dev/stdin --quiet <<LUA || fail "lab.plot from Lua"
local png = lab.plot.curves{ sweep = "$work/p", out = "$work/fig/lua_curves", by = "gain", select = "lr", from = 0 }
assert(png == "$work/fig/lua_curves.png")
local task = lab.task("romo", {})
local net = lab.network{ inputs = 1, hidden = 8, outputs = 2, dt = 50 }
lab.plot.trial(task, net, { out = "$work/fig/trial", trial = 3 })
lab.plot.trial(task:batch(2), nil, { out = "$work/fig/trial_batch" })
LUA
    for f in lua_curves trial trial_batch; do
      head -c 4 "$work/fig/$f.png" | od -An -tx1 | tr -d ' \n' | grep -q '^89504e47$' || fail "$f.png is not a PNG"
    done
    "$exe" plot lyapunov "$work/p" --out "$work/fig/lyap" 2> "$work/err" && fail "lyapunov plot without lyapunov values"
    grep -q "no values of 'lyapunov_max_before'" "$work/err" || fail "no clear message"
    ;;
  mpi)
    [ ${#mpi_command[@]} -ge 2 ] || fail "no mpiexec command given"
    "$exe" run "$script" --quiet --set out="$work/serial" > /dev/null || fail "serial sweep"
    mpi 2 run "$script" --jobs 1 --set out="$work/mpi" > "$work/mpi.txt" 2>&1 || { cat "$work/mpi.txt"; fail "mpiexec -n 2"; }
    # mpiexec may give the ranks a terminal: progress lines end in \r.
    tr '\r' '\n' < "$work/mpi.txt" | sed 's/\x1b\[K//g; /^ *$/d' > "$work/mpi.lines"
    check_complete "$work/mpi"
    diff <(strip "$work/serial/summary.csv") <(strip "$work/mpi/summary.csv") || fail "summary.csv differs from the serial sweep"
    cmp "$work/serial/runs.csv" "$work/mpi/runs.csv" || fail "runs.csv differs from the serial sweep"
    # Every rank reports the whole sweep; rank 0 alone shows progress, and
    # it ran 6 of the 12 runs (so rank 1 ran the other 6).
    # Each rank prints its own result; rank 1's line may land in the middle
    # of rank 0's unfinished progress line, so count matches, not lines.
    [ "$(grep -o 'sweep done: 12 runs, 12 completed, 0 skipped, 0 diverged' "$work/mpi.lines" | wc -l)" -eq 2 ] ||
      { cat "$work/mpi.lines"; fail "the ranks do not both report 12 completed runs"; }
    grep -q '^sweep (rank 0 of 2): 6/6 runs' "$work/mpi.lines" || { cat "$work/mpi.lines"; fail "rank 0 did not run 6 runs"; }
    [ "$(grep -c '^sweep' "$work/mpi.lines")" -eq "$(grep -c '^sweep (rank 0 of 2)\|^sweep done' "$work/mpi.lines")" ] ||
      { cat "$work/mpi.lines"; fail "progress from a rank other than 0"; }
    [ "$(mpi 2 run "$script" --quiet --set out="$work/mpi" | grep -c "0 completed, 12 skipped")" -eq 2 ] ||
      fail "rerun under mpiexec did not skip"
    # One rank: the serial sweep.
    mpi 1 run "$script" --quiet --set out="$work/one" > /dev/null || fail "mpiexec -n 1"
    diff <(strip "$work/serial/summary.csv") <(strip "$work/one/summary.csv") || fail "mpiexec -n 1 differs from the serial sweep"
    # --shard K/N: the ranks split shard K.
    mpi 2 run "$script" --quiet --jobs 1 --shard 2/2 --set out="$work/shard" > "$work/shard.txt" || fail "mpiexec --shard 2/2"
    [ "$(grep -c '^sweep done: 6 runs, 6 completed' "$work/shard.txt")" -eq 2 ] || { cat "$work/shard.txt"; fail "shard 2/2 report"; }
    [ "$(count_runs "$work/shard")" -eq 6 ] || fail "shard 2/2 has $(count_runs "$work/shard") runs"
    [ -z "$(comm -23 <(strip "$work/shard/summary.csv" | sort) <(strip "$work/serial/summary.csv" | sort))" ] ||
      fail "shard 2/2 rows differ from the serial sweep"
    # An error on the rank that checks the directory stops every rank.
    mpi 2 run "$script" --quiet --set lr_values=3 --set out="$work/mpi" > /dev/null 2> "$work/err"
    status=$?
    [ "$status" -ne 0 ] && [ "$status" -ne 124 ] || { cat "$work/err"; fail "changed config under mpiexec: status $status (124: hung)"; }
    grep -q "holds results of a different sweep configuration" "$work/err" || { cat "$work/err"; fail "no message"; }
    # A run that fails on rank 1 (its result path is a directory) fails the
    # job, after rank 0 has done its 6 runs and rebuilt the tables.
    # (The folder must be a sweep's: runs/ without sweep.json is refused.)
    mkdir -p "$work/blocked/runs/gain=0.5_lr=0.001_seed=2.h5"
    cp "$work/serial/sweep.json" "$work/blocked/sweep.json"
    mpi 2 run "$script" --quiet --jobs 1 --set out="$work/blocked" > /dev/null 2> "$work/err"
    status=$?
    [ "$status" -ne 0 ] && [ "$status" -ne 124 ] || { cat "$work/err"; fail "failed run on rank 1: status $status (124: hung)"; }
    grep -q "lab\.sweep: run 'gain=0.5_lr=0.001_seed=2': cannot write .*Is a directory" "$work/err" || { cat "$work/err"; fail "no message"; }
    [ "$(tail -n +2 "$work/blocked/summary.csv" | wc -l)" -ge 6 ] || fail "rank 0's runs are missing from summary.csv"
    ;;
  *) fail "unknown case" ;;
esac
echo "sweep $case_name: OK"
