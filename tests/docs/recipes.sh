#!/usr/bin/env bash
# Runs the marked code blocks of a docs page (recipes.py), with the first
# python3 that imports pandas and h5py; skips (77) if there is none.
#   recipes.sh EXE DOC.md WORK
set -u
python=
for py in python3 /usr/bin/python3; do
  if command -v "$py" > /dev/null && "$py" -c 'import pandas, h5py' 2> /dev/null; then
    python=$(command -v "$py")
    break
  fi
done
if [ -z "$python" ]; then
  echo "skipped: no python3 with pandas and h5py (python3-pandas, python3-h5py: scripts/setup.sh)"
  exit 77
fi
exec "$python" "$(dirname "$0")/recipes.py" "$@"
