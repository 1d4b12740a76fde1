#!/usr/bin/env bash
# Bad parameters for every plugin of one kind (as listed by lab.plugins()),
# or for lab.network, generated from the parameter tables that
# `rnnlab help NAME` prints (see param_cases.lua).
#
#   param_battery.sh KIND EXE WORKDIR [EVERY]
#
# KIND is task, rule, optimizer, analysis or network. Every generated case
# is checked in one process per plugin (pcall, exact message), and every
# EVERY-th case (default: all) again through the executable as its own
# script: exit status 1 and "rnnlab: <script>:3: <message>" on stderr's
# first line (bad_case.sh).
set -u
kind=$1 exe=$2 work=$3 every=${4:-1}
here=$(cd "$(dirname "$0")" && pwd)
rm -rf "$work" && mkdir -p "$work"
fail() { echo "FAIL (param_battery $kind): $*"; exit 1; }

if [ "$kind" = network ]; then
  names=network
else
  names=$("$exe" run /dev/stdin --quiet <<LUA
for _, p in ipairs(lab.plugins()) do
  if p.kind == "$kind" then print(p.name) end
end
LUA
) || fail "could not list the plugins"
fi
[ -n "$names" ] || fail "no plugin of kind '$kind' is loaded"

plugins=0 generated=0 executed=0 skipped=0
for name in $names; do
  plugins=$((plugins + 1))
  mkdir -p "$work/$name/cases"
  "$exe" help "$name" > "$work/$name/help.txt" || fail "'rnnlab help $name' failed"
  "$exe" run "$here/param_cases.lua" --quiet --set help="$work/$name/help.txt" --set kind="$kind" \
    --set name="$name" --set emit="$work/$name/cases" > "$work/$name/report.txt" 2>&1
  status=$?
  cat "$work/$name/report.txt"
  [ "$status" -eq 0 ] || fail "generated cases for $kind '$name' got wrong messages (above)"
  n=$(ls "$work/$name/cases" | wc -l)
  [ "$n" -gt 0 ] || fail "no case generated for $kind '$name'"
  generated=$((generated + n))
  i=0
  for script in "$work/$name/cases"/*.lua; do
    i=$((i + 1))
    if [ $(( (i - 1) % every )) -ne 0 ]; then
      skipped=$((skipped + 1))
      continue
    fi
    bash "$here/bad_case.sh" "$exe" "$script" "$work/$name/runs" > "$work/$name/last.txt" 2>&1 ||
      { cat "$work/$name/last.txt"; fail "$(basename "$script") failed through the executable"; }
    executed=$((executed + 1))
  done
done
echo "param_battery $kind: $plugins plugin(s), $generated generated cases checked in-process," \
     "$executed of them again through the executable ($skipped sampled out)"
