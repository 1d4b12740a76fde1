#!/usr/bin/env bash
# The tables print numbers as they are (numbers_test.py).
#   numbers_test.sh EXE SCRIPT WORK
set -u
exe=$1 script=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
python=
for py in /usr/bin/python3 python3; do
  if command -v "$py" > /dev/null && "$py" -c 'import csv, json' 2> /dev/null; then python=$(command -v "$py"); break; fi
done
[ -n "$python" ] || { echo "skipped: no python3"; exit 77; }
"$exe" run "$script" --quiet --jobs 2 --set out="$work/s" || { echo "FAIL: the sweep"; exit 1; }
"$python" "$(dirname "$0")/numbers_test.py" "$work/s"
