#!/usr/bin/env bash
# Runs one bad-input Lua script through the real executable and checks the
# first line of stderr and the exit status with tests/cli/run_expect.sh.
#
#   bad_case.sh EXE CASE.lua WORKDIR
#
# The script states what it expects in header comments:
#   -- expect: LINE: REGEX   first stderr line is "rnnlab: <path>/CASE.lua:LINE: REGEX"
#                            (REGEX is grep -E, anchored at both ends). LINE "@"
#                            means the line that ends in the comment "-- error here".
#   -- exit: N               exit status (default 1)
#   -- args: ARGS...         extra command-line arguments (split on spaces)
#   -- requires: nonroot     skip (exit 77) when running as root, where
#                            file permissions do not stop reads or writes
#   -- requires: h5copy      skip when the HDF5 tools are not installed
#   -- requires: h5py        skip when no Python with h5py is found; the script
#                            finds that Python's path in $RNNLAB_H5PY, and
#                            require("h5py_edit") (lib/) runs Python code with it
# The script gets --set out=WORKDIR/<case> (created empty) and runs there.
set -u
exe=$1 script=$2 work=$3
here=$(cd "$(dirname "$0")" && pwd)
driver="$here/../cli/run_expect.sh"
case_name=$(basename "$script" .lua)
out="$work/$case_name"

header() { sed -n "s/^-- $1: //p" "$script" | head -n 1; }
expect=$(header expect)
exit_want=$(header exit)
exit_want=${exit_want:-1}
extra_args=$(header args)
if [ -z "$expect" ]; then
  echo "bad_case.sh: $script has no '-- expect: LINE: REGEX' header" >&2
  exit 2
fi
line=${expect%%: *}
message=${expect#*: }
if [ "$line" = "@" ]; then
  line=$(grep -n -- '-- error here$' "$script" | head -n 1 | cut -d: -f1)
  if [ -z "$line" ]; then
    echo "bad_case.sh: $script says 'expect: @' but no line ends in '-- error here'" >&2
    exit 2
  fi
fi

for need in $(sed -n 's/^-- requires: //p' "$script"); do
  case "$need" in
    nonroot)
      if [ "$(id -u)" -eq 0 ]; then
        echo "skipped: running as root, so permissions do not block file access"
        exit 77
      fi ;;
    h5copy)
      if ! command -v h5copy > /dev/null; then
        echo "skipped: h5copy (hdf5-tools) is not installed"
        exit 77
      fi ;;
    h5py)
      # The first Python that imports h5py (a virtualenv's python3 may not).
      RNNLAB_H5PY=
      for py in python3 /usr/bin/python3; do
        if command -v "$py" > /dev/null && "$py" -c 'import h5py' 2> /dev/null; then
          RNNLAB_H5PY=$(command -v "$py")
          break
        fi
      done
      if [ -z "$RNNLAB_H5PY" ]; then
        echo "skipped: no python3 with h5py (python3-h5py) found"
        exit 77
      fi
      export RNNLAB_H5PY
      export LUA_PATH="$here/lib/?.lua;;" ;;  # require("h5py_edit")
    *) echo "bad_case.sh: unknown requirement '$need'" >&2; exit 2 ;;
  esac
done

# Leave chmod'ed files from an earlier run removable.
[ -e "$out" ] && chmod -R u+rwx "$out" 2> /dev/null
rm -rf "$out" && mkdir -p "$out"
# A failed huge allocation must reach rnnlab as std::bad_alloc (its error
# message is what some cases check), not stop the process inside ASan; the
# warning ASan prints about it is dropped by quiet_alloc.sh.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}allocator_may_return_null=1"
cd "$out" || exit 2
status=0
bash "$driver" --exit "$exit_want" \
  --stderr-first "^rnnlab: (.*/)?${case_name}\\.lua:${line}: ${message}\$" \
  -- bash "$here/quiet_alloc.sh" "$exe" run "$script" --quiet --set out="$out" $extra_args || status=$?
chmod -R u+rwx "$out" 2> /dev/null
exit $status
