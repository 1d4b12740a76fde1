#!/usr/bin/env bash
# Runs one command and checks what a user would see.
#
#   run_expect.sh [checks...] -- COMMAND [ARGS...]
#
# Checks (each may be repeated unless noted; regexes are grep -E):
#   --exit N              exit status must be N (0, 1, ...), or "nonzero"
#   --stderr-first RE     the FIRST line of stderr must match RE (once)
#   --stderr RE           some line of stderr matches RE
#   --stdout RE           some line of stdout matches RE
#   --stdout-not RE       no line of stdout matches RE
#   --stderr-empty        stderr must be empty
#   --exists PATH         PATH exists and is non-empty after the command
#   --fresh PATH          remove PATH before running (so --exists proves the
#                         command wrote it); it is created again as a
#                         directory if it ends in '/'
#
# On failure prints the command, its exit status, stdout and stderr.
set -u

exit_want=""
stderr_first=""
stderr_empty=0
declare -a stderr_res=() stdout_res=() stdout_not=() exists=() fresh=()

while [ $# -gt 0 ]; do
  case "$1" in
    --exit) exit_want="$2"; shift 2 ;;
    --stderr-first) stderr_first="$2"; shift 2 ;;
    --stderr) stderr_res+=("$2"); shift 2 ;;
    --stdout) stdout_res+=("$2"); shift 2 ;;
    --stdout-not) stdout_not+=("$2"); shift 2 ;;
    --stderr-empty) stderr_empty=1; shift ;;
    --exists) exists+=("$2"); shift 2 ;;
    --fresh) fresh+=("$2"); shift 2 ;;
    --) shift; break ;;
    *) echo "run_expect.sh: unknown option '$1'" >&2; exit 2 ;;
  esac
done
if [ $# -eq 0 ]; then
  echo "run_expect.sh: no command given (missing '--'?)" >&2
  exit 2
fi
if [ -z "$exit_want" ] && [ -z "$stderr_first" ] && [ ${#stderr_res[@]} -eq 0 ] &&
   [ ${#stdout_res[@]} -eq 0 ] && [ ${#stdout_not[@]} -eq 0 ] && [ ${#exists[@]} -eq 0 ] &&
   [ "$stderr_empty" -eq 0 ]; then
  echo "run_expect.sh: no check given; a test must assert something" >&2
  exit 2
fi

for p in ${fresh[@]+"${fresh[@]}"}; do
  rm -rf -- "$p"
  case "$p" in */) mkdir -p -- "$p" ;; esac
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/run_expect.XXXXXX") || exit 2
trap 'rm -rf -- "$tmp"' EXIT
"$@" >"$tmp/out" 2>"$tmp/err" </dev/null
status=$?

failures=()
if [ -n "$exit_want" ]; then
  if [ "$exit_want" = nonzero ]; then
    [ "$status" -ne 0 ] || failures+=("exit status: expected non-zero, got 0")
  elif [ "$status" -ne "$exit_want" ]; then
    failures+=("exit status: expected $exit_want, got $status")
  fi
fi
# A crash is never an acceptable way to fail.
if [ "$status" -ge 128 ]; then
  failures+=("the command was killed by signal $((status - 128))")
fi

first_err=$(head -n 1 "$tmp/err")
if [ -n "$stderr_first" ] && ! printf '%s\n' "$first_err" | grep -Eq -- "$stderr_first"; then
  failures+=("first line of stderr does not match /$stderr_first/")
fi
if [ "$stderr_empty" -eq 1 ] && [ -s "$tmp/err" ]; then
  failures+=("stderr is not empty")
fi
for re in ${stderr_res[@]+"${stderr_res[@]}"}; do
  grep -Eq -- "$re" "$tmp/err" || failures+=("no line of stderr matches /$re/")
done
for re in ${stdout_res[@]+"${stdout_res[@]}"}; do
  grep -Eq -- "$re" "$tmp/out" || failures+=("no line of stdout matches /$re/")
done
for re in ${stdout_not[@]+"${stdout_not[@]}"}; do
  if grep -Eq -- "$re" "$tmp/out"; then
    failures+=("stdout has a line matching /$re/ (it must not): $(grep -E -m1 -- "$re" "$tmp/out")")
  fi
done
for p in ${exists[@]+"${exists[@]}"}; do
  [ -s "$p" ] || failures+=("expected file '$p' to exist and be non-empty")
done

if [ ${#failures[@]} -eq 0 ]; then
  echo "ok: exit $status; stderr first line: ${first_err:-(empty)}"
  exit 0
fi

{
  echo "FAILED: $*"
  for f in "${failures[@]}"; do echo "  - $f"; done
  echo "exit status: $status"
  echo "stderr first line: ${first_err:-(empty)}"
  echo "----- stdout -----"
  head -c 20000 "$tmp/out"
  echo "----- stderr -----"
  head -c 20000 "$tmp/err"
  echo "------------------"
}
exit 1
