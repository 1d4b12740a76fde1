#!/usr/bin/env bash
# The output folder and the plotting paths against careless use and hostile
# files (issue 15, items 1-5). Each case runs the real executable:
#   fresh_user_folder   fresh = true in a folder that is not a sweep's:
#                       refused, naming what it holds; nothing removed
#   fresh_keeps_foreign fresh = true in a sweep folder removes only what the
#                       sweep wrote; a user's files there stay
#   out_is_file         --out naming an existing file: refused, file intact
#   foreign_tables      a folder holding someone's runs.csv: refused, intact
#   runs_symlink        runs/ as a symbolic link out of the folder: refused
#   plot_injection      a newline + gnuplot '!' command in --title, in a
#                       sweep folder's name and in a received run record:
#                       no command runs
#   merge_traversal     a shard whose record names "../../X": merge refuses,
#                       nothing written outside OUT
#   lock_in_use         a second process in a folder where a sweep runs:
#                       refused, naming the holder; a different config and
#                       fresh = true too; after SIGKILL the folder is free
#   lock_race           two sweeps of different configs started together,
#                       five times: exactly one runs each time
#   mixed_record        a run record of another config in runs/: found
#   big_grid            10^6 grid points plan in little memory
set -u
case_name=$1 exe=$2 work=$3
here=$(cd "$(dirname "$0")" && pwd)
sweep="$here/safety_sweep.lua"
rm -rf "$work" && mkdir -p "$work"
cd "$work" || exit 1

fail() {
  echo "FAIL ($case_name): $*"
  for f in stdout stderr; do [ -s "$work/$f" ] && { echo "--- $f"; head -c 3000 "$work/$f"; echo; }; done
  exit 1
}
# run_sweep OUT [args...]: the small sweep into OUT, output kept.
run_sweep() {
  local out=$1
  shift
  "$exe" run "$sweep" --quiet --jobs 1 --set out="$out" "$@" > "$work/stdout" 2> "$work/stderr"
}
expect_error() {  # STATUS REGEX: exit status 1 and the first stderr line matches
  local status=$1
  [ "$status" -ne 0 ] || fail "the command succeeded, expected an error"
  [ "$status" -lt 128 ] || fail "the command was killed by signal $((status - 128))"
  [ "$status" -eq 1 ] || fail "exit status $status, expected 1"
  head -n 1 "$work/stderr" | grep -Eq -- "$2" || fail "first stderr line does not match /$2/"
}
no_marker() { [ ! -e "$work/pwned" ] || fail "a command from the data ran: $work/pwned exists"; }
count_complete() { ls "$1/runs/"*.json 2> /dev/null | wc -l; }

case "$case_name" in
  fresh_user_folder)
    mkdir thesis && cd thesis || fail "mkdir"
    echo "chapter 1" > thesis.tex && echo "a,b" > data.csv && cp "$sweep" .
    (cd "$work/thesis" && find . | sort > "$work/before")
    cd "$work" || exit 1
    run_sweep "$work/thesis" --set fresh=true
    expect_error $? "fresh = true: '.*thesis' is not a sweep folder \(it has no sweep\.json\) and holds data\.csv, safety_sweep\.lua, thesis\.tex; nothing was removed"
    (cd "$work/thesis" && find . | sort > "$work/after")
    cmp -s before after || fail "the folder changed: $(diff before after)"
    grep -q "chapter 1" thesis/thesis.tex || fail "thesis.tex changed"
    ;;
  fresh_keeps_foreign)
    run_sweep "$work/s" || fail "first sweep: $(head -n 1 stderr)"
    echo notes > s/notes.txt && echo mine > s/runs/readme.txt && mkdir s/figures && echo png > s/figures/f.png
    run_sweep "$work/s" --set fresh=true --set iterations=4 || fail "fresh sweep: $(head -n 1 stderr)"
    grep -q "2 runs, 2 completed, 0 skipped" stdout || fail "fresh did not rerun: $(cat stdout)"
    for f in s/notes.txt s/runs/readme.txt s/figures/f.png; do [ -f "$f" ] || fail "$f was removed"; done
    [ "$(count_complete s)" -eq 2 ] || fail "$(count_complete s) runs, expected 2"
    ;;
  out_is_file)
    echo "precious" > file.txt
    run_sweep "$work/file.txt" --set fresh=true
    expect_error $? "the output '.*file\.txt' exists and is not a folder"
    run_sweep "$work/file.txt"
    expect_error $? "the output '.*file\.txt' exists and is not a folder"
    [ "$(cat file.txt)" = precious ] || fail "file.txt changed"
    ;;
  foreign_tables)
    mkdir d && echo "my,table" > d/runs.csv
    run_sweep "$work/d"
    expect_error $? "'.*/d' is not a sweep folder \(it has no sweep\.json\) but holds runs\.csv, which a sweep would overwrite"
    [ "$(cat d/runs.csv)" = "my,table" ] || fail "runs.csv changed"
    [ ! -e d/sweep.json ] || fail "sweep.json was written"
    ;;
  runs_symlink)
    run_sweep "$work/s" || fail "first sweep: $(head -n 1 stderr)"
    mkdir elsewhere && echo keep > elsewhere/a.json
    rm -rf s/runs && ln -s ../elsewhere s/runs
    run_sweep "$work/s" --set fresh=true
    expect_error $? "'.*s/runs' is a symbolic link; a sweep writes only inside its own folder"
    run_sweep "$work/s"
    expect_error $? "'.*s/runs' is a symbolic link"
    [ "$(cat elsewhere/a.json)" = keep ] && [ "$(ls elsewhere | wc -l)" -eq 1 ] || fail "elsewhere/ changed"
    ;;
  plot_injection)
    run_sweep "$work/s" || fail "sweep: $(head -n 1 stderr)"
    # 1. the title
    "$exe" plot curves s --by seed --select '' --out "$work/fig" --title $'x\n!touch '"$work"'/pwned\n' > stdout 2> stderr ||
      fail "plot with a hostile title failed: $(head -n 1 stderr)"
    no_marker
    grep -q '^!' fig.gp && fail "a line of fig.gp starts with '!'"
    grep -q 'x\\x0a!touch' fig.gp || fail "the title's newline is not shown as \\x0a in fig.gp"
    # 2. the folder's name (the default output lies inside it)
    evil=$'evil\n!touch pwned\n'  # gnuplot would run in $work
    cp -r s "$evil"
    "$exe" plot curves "$evil" --by seed --select '' > stdout 2> stderr
    expect_error $? "plot: the output path '.*evil\\\\x0a!touch pwned\\\\x0a/curves' holds a control character"
    no_marker
    # 3. a received run record whose grid value carries the command
    python3 - "$work/s/runs/seed=1.json" "$work" <<'PY' || fail "python"
import json, sys
r = json.load(open(sys.argv[1]))
r["grid"]["seed"] = "1\n!touch " + sys.argv[2] + "/pwned\n"
json.dump(r, open(sys.argv[1], "w"))
PY
    "$exe" plot curves s --by seed --select '' --out "$work/fig2" > stdout 2> stderr
    expect_error $? "'.*seed=1\.json' is not a run record of this sweep: its grid value of 'seed' is not the grid's"
    no_marker
    ;;
  merge_traversal)
    run_sweep "$work/shard" || fail "sweep: $(head -n 1 stderr)"
    python3 - "$work/shard/runs" <<'PY' || fail "python"
import json, os, sys
d = sys.argv[1]
r = json.load(open(os.path.join(d, "seed=1.json")))
r["id"] = "../../../X"
json.dump(r, open(os.path.join(d, "seed=1.json"), "w"))
PY
    mkdir -p deep/a/b
    "$exe" merge "$work/deep/a/b/out" "$work/shard" > stdout 2> stderr
    expect_error $? "'.*shard/runs/seed=1\.json' is not a run record of this sweep: its id is not 'seed=1'"
    [ -z "$(find "$work" -name 'X*')" ] || fail "merge wrote outside OUT: $(find "$work" -name 'X*')"
    # An index outside the grid, and a file name that is not the record's id.
    python3 - "$work/shard/runs" <<'PY' || fail "python"
import json, os, sys
d = sys.argv[1]
r = json.load(open(os.path.join(d, "seed=1.json")))
r["id"] = "seed=1"; r["index"] = 7
json.dump(r, open(os.path.join(d, "seed=1.json"), "w"))
PY
    "$exe" merge "$work/out2" "$work/shard" > stdout 2> stderr
    expect_error $? "is not a run record of this sweep: index 7 is outside the grid of 2 runs"
    ;;
  lock_in_use)
    "$exe" run "$sweep" --quiet --jobs 1 --set out="$work/s" --set iterations=10000000 > /dev/null 2> bg_err &
    pid=$!
    for _ in $(seq 500); do grep -q "pid $pid" s/.rnnlab-shard-1-of-1.lock 2> /dev/null && break; sleep 0.02; done
    grep -q "pid $pid" s/.rnnlab-shard-1-of-1.lock || { kill -9 $pid; fail "the running sweep did not name itself in its lock"; }
    # the same sweep, a different config, and fresh = true of the same one
    run_sweep "$work/s" --set iterations=10000000; echo $? > status_same; cp stderr stderr_same
    run_sweep "$work/s" --set iterations=5; echo $? > status_config; cp stderr stderr_config
    run_sweep "$work/s" --set iterations=10000000 --set fresh=true; echo $? > status_fresh; cp stderr stderr_fresh
    kill -9 $pid
    wait $pid 2> /dev/null
    cp stderr_same stderr
    expect_error "$(cat status_same)" "'.*s' is in use: pid $pid on host .*, started .*, shard 1/1 is running this sweep there; wait for it to finish, or use another output folder"
    cp stderr_config stderr
    expect_error "$(cat status_config)" "'.*s' holds results of a different sweep configuration"
    cp stderr_fresh stderr
    expect_error "$(cat status_fresh)" "fresh = true: '.*s' is in use \(pid $pid on host .*, started .*, shard 1/1\); it cannot be cleared while a sweep runs there"
    # After SIGKILL the kernel has dropped the lock: the folder is free.
    run_sweep "$work/s" --set iterations=3 --set fresh=true || fail "after SIGKILL the folder stayed locked: $(head -n 1 stderr)"
    ;;
  lock_race)
    for i in 1 2 3 4 5; do
      run_a() { "$exe" run "$sweep" --quiet --jobs 1 --set out="$work/r$i" --set iterations=3 > /dev/null 2> "$work/a$i"; echo $? > "$work/sa$i"; }
      run_b() { "$exe" run "$sweep" --quiet --jobs 1 --set out="$work/r$i" --set iterations=4 > /dev/null 2> "$work/b$i"; echo $? > "$work/sb$i"; }
      run_a & run_b &
      wait
      sa=$(cat sa$i) sb=$(cat sb$i)
      [ $((sa + sb)) -eq 1 ] || fail "try $i: exit statuses $sa and $sb, expected one 0 and one 1 ($(cat a$i b$i))"
      grep -hq "holds results of a different sweep configuration" a$i b$i || fail "try $i: no config message ($(cat a$i b$i))"
      hash=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['hash'])" r$i/sweep.json)
      for rec in r$i/runs/*.json; do
        grep -q "\"config\":\"$hash\"" "$rec" || fail "try $i: $rec was made by another config than sweep.json's"
      done
    done
    ;;
  mixed_record)
    run_sweep "$work/s" || fail "sweep: $(head -n 1 stderr)"
    python3 - "$work/s/runs/seed=2.json" <<'PY' || fail "python"
import json, sys
r = json.load(open(sys.argv[1])); r["config"] = "0123456789abcdef"; json.dump(r, open(sys.argv[1], "w"))
PY
    run_sweep "$work/s"
    expect_error $? "'.*seed=2\.json' is not a run record of this sweep: it was made by another sweep configuration \(0123456789abcdef, this folder's sweep\.json has [0-9a-f]{16}\): the folder mixes two sweeps"
    "$exe" merge "$work/m" "$work/s" > stdout 2> stderr
    expect_error $? "the folder mixes two sweeps"
    ;;
  big_grid)
    for shape in product list; do
      "$exe" run "$here/big_grid.lua" --quiet --shard 1/1000000 --set shape=$shape --set out="$work/$shape" > stdout 2> stderr ||
        fail "$shape: $(head -n 1 stderr)"
      grep -q "^runs 1 completed 1 " stdout || fail "$shape: $(cat stdout)"
      peak=$(sed -n 's/.*peak_kb \([0-9]*\).*/\1/p' stdout)
      echo "$shape grid of 10^6 points: peak resident memory $((peak / 1024)) MB, sweep.json $(stat -c %s "$work/$shape/sweep.json") bytes"
      limit=102400
      [ -n "${RNNLAB_TEST_SANITIZED:-}" ] && limit=409600
      [ "$peak" -lt "$limit" ] || fail "$shape: peak resident memory ${peak} kB, expected under $((limit / 1024)) MB"
    done
    [ "$(stat -c %s "$work/product/sweep.json")" -lt 100000 ] || fail "sweep.json of a 1000 x 1000 grid is not small"
    ;;
  *) fail "unknown case" ;;
esac
echo "ok: $case_name"
