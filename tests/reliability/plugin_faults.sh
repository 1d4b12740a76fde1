#!/usr/bin/env bash
# One bad file on the plugin path must not break any command (issue 15).
#
#   plugin_faults.sh CASE EXE TEST_PLUGIN_ROOT CLI_SCRIPTS WORK
#
# Builds WORK/dir holding one bad file (CASE) beside a good plugin
# (extra_task.so, task 'constant') and checks, with RNNLAB_PLUGIN_PATH=WORK/dir:
#   - `rnnlab plugins` exits 0, lists the good plugin and the built-ins, and
#     names the bad file with its reason under "failed to load:" (twice: cold
#     and warm probe cache);
#   - `rnnlab run` of a script that uses the good plugin runs it;
#   - lab.load_plugins(bad file) is a Lua error naming the file and reason.
# CASE "cache" checks the probe cache instead: a plugin replaced in place by
# a crashing one (same size, mtime set back) is probed again, a corrupt or
# unwritable cache is ignored, RNNLAB_PLUGIN_CACHE=0 writes none.
# Every command runs under `timeout`: a hang fails the test instead of
# stalling it.
set -u
case=$1 exe=$2 plugins=$3 scripts=$4 work=$5
driver=$(cd "$(dirname "$0")/../cli" && pwd)/run_expect.sh
limit=60

rm -rf -- "$work"
mkdir -p -- "$work/dir"
export XDG_CACHE_HOME="$work/cache"
unset RNNLAB_PLUGIN_CACHE RNNLAB_PLUGIN_PROBE_TIMEOUT
cache_file="$XDG_CACHE_HOME/rnnlab/plugin-probes.tsv"
cp "$plugins/good/extra_task.so" "$work/dir/"
fail=0
check() { bash "$driver" "$@" || fail=1; }
good_listed=(--stdout '^task +constant +0\.3 +.*/dir/extra_task\.so$' --stdout '^rule +bptt +' --stdout '^task +romo +')

if [ "$case" = cache ]; then
  export RNNLAB_PLUGIN_PATH="$work/dir"
  p="$work/dir/p.so" bad="$work/segv.so"
  cp "$plugins/good/extra_task.so" "$p"
  cp "$plugins/segv_init/segv_init.so" "$bad"
  rm "$work/dir/extra_task.so"
  # Same size for both (trailing zeros do not matter to the loader).
  size=$(( $(stat -c %s "$p") > $(stat -c %s "$bad") ? $(stat -c %s "$p") : $(stat -c %s "$bad") ))
  truncate -s "$size" "$p" "$bad"
  check --exit 0 --stdout '^task +constant +0\.3 +.*/dir/p\.so$' --stdout-not '^failed to load:$' --stderr-empty \
    --exists "$cache_file" -- timeout $limit "$exe" plugins
  # Replaced in place, same size, mtime set back: only ctime tells.
  touch -r "$p" "$work/stamp"
  cp "$bad" "$p"
  touch -r "$work/stamp" "$p"
  check --exit 0 --stdout '^rule +bptt +' --stdout-not '^task +constant' \
    --stdout '^  .*/dir/p\.so: crashed with SIGSEGV while loading' -- timeout $limit "$exe" plugins
  cp "$plugins/good/extra_task.so" "$p"
  # A corrupt cache file is ignored.
  { printf '1\tx\t1\t2\n\x00\xff garbage\n'; head -c 3000 /dev/urandom; printf '\n1\t\t\t\t\t\t\tok\t\t/\n'; } > "$cache_file"
  check --exit 0 --stdout '^task +constant +0\.3 +.*/dir/p\.so$' --stdout-not '^failed to load:$' --stderr-empty \
    -- timeout $limit "$exe" plugins
  # A cache that cannot be written is no cache (XDG_CACHE_HOME is a file).
  XDG_CACHE_HOME="$p" check --exit 0 --stdout '^task +constant +0\.3 +' --stderr-empty -- timeout $limit "$exe" plugins
  # RNNLAB_PLUGIN_CACHE=0: nothing written.
  rm -rf -- "$XDG_CACHE_HOME"
  RNNLAB_PLUGIN_CACHE=0 check --exit 0 --stdout '^task +constant +0\.3 +' --stderr-empty -- timeout $limit "$exe" plugins
  if [ -e "$cache_file" ]; then
    echo "FAILED: RNNLAB_PLUGIN_CACHE=0 wrote $cache_file"
    fail=1
  fi
  exit $fail
fi

case $case in
  segv) file=segv_init.so; reason='crashed with SIGSEGV while loading' ;;
  throw) file=throw_init.so
    reason="crashed with SIGABRT while loading \(it printed: .*static initialiser failed on purpose\)" ;;
  exit) file=exit_init.so; reason='called exit\(0\) while loading' ;;
  hang) file=hang_init.so; reason='did not finish loading within 2 s'
    export RNNLAB_PLUGIN_PROBE_TIMEOUT=2 ;;
  data_abi) file=data_abi.so; reason='not an rnnlab plugin: rnnlab_plugin_abi_version is not a function \(a data symbol' ;;
  fifo) file=x.so; reason='not a regular file \(a FIFO\); not opened'
    mkfifo "$work/dir/$file" ;;
  selflink) file=loop.so; reason='not a regular file \(a symbolic link that loops\); not opened'
    ln -s "$file" "$work/dir/$file" ;;
  *) echo "plugin_faults.sh: unknown case '$case'" >&2; exit 2 ;;
esac
if [ ! -e "$work/dir/$file" ] && [ ! -L "$work/dir/$file" ]; then
  cp "$plugins/${file%.so}/$file" "$work/dir/"
fi
name="${file//./\\.}"

export RNNLAB_PLUGIN_PATH="$work/dir"
for pass in cold warm; do
  check --exit 0 "${good_listed[@]}" --stdout '^failed to load:$' --stdout "^  .*/dir/$name: $reason" \
    --stderr-empty -- timeout $limit "$exe" plugins
done
check --exit 0 --stdout '^constant task: 1 input, 1 output, dt 10$' \
  --stderr-first "^rnnlab: warning: 1 plugin file failed to load \(see 'rnnlab plugins'\)$" \
  -- timeout $limit "$exe" run "$scripts/use_constant.lua" --quiet
unset RNNLAB_PLUGIN_PATH
check --exit 1 --stderr-first "^rnnlab: (.*/)?load_plugins\.lua:4: could not load plugin '.*/dir/$name': $reason" \
  -- timeout $limit "$exe" run "$scripts/load_plugins.lua" --quiet --set "dir=$work/dir/$file"
exit $fail
