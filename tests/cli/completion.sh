#!/usr/bin/env bash
# The bash completion and the man page (issue 18, item 7): completion
# offers commands, options, plugin names; every command of `rnnlab --help`
# appears in both, so neither can fall behind the program.
set -u
exe=$1 source=$2
fail() { echo "FAIL: $*"; exit 1; }
# shellcheck source=/dev/null
. "$source/share/bash-completion/completions/rnnlab" || fail "the completion script does not load"
complete_line() {  # complete_line WORD...: COMPREPLY for the last word
  COMP_WORDS=("$exe" "$@")
  COMP_CWORD=$#
  _rnnlab
  echo "${COMPREPLY[*]}"
}
[ "$(complete_line he)" = help ] || fail "'he' -> '$(complete_line he)'"
[ "$(complete_line help epro)" = eprop ] || fail "'help epro' -> '$(complete_line help epro)'"
[ "$(complete_line help netw)" = network ] || fail "'help netw' -> '$(complete_line help netw)'"
[ "$(complete_line bench --rule bpt)" = bptt ] || fail "'bench --rule bpt' -> '$(complete_line bench --rule bpt)'"
[ "$(complete_line bench --precision s)" = single ] || fail "'bench --precision s'"
[ "$(complete_line plot lya)" = lyapunov ] || fail "'plot lya'"
[ "$(complete_line run --sh)" = --shard ] || fail "'run --sh'"
[ "$(complete_line run --thr)" = --threads ] || fail "'run --thr'"
[ "$(complete_line bench --thr)" = --threads ] || fail "'bench --thr'"
# Every option of `rnnlab run --help` and `rnnlab bench --help` is completed.
for command in run bench; do
  offered=$(complete_line "$command" --)
  for option in $("$exe" "$command" --help | grep -Eo '^ +--[a-z]+' | tr -d ' '); do
    [[ " $offered " == *" $option "* ]] || fail "option '$command $option' is not completed"
  done
done
commands=$("$exe" --help | awk '/^Subcommands:/ { on = 1; next } on && /^  [a-z]/ { print $1 }')
[ -n "$commands" ] || fail "no commands in rnnlab --help"
page=$(MANWIDTH=400 man -l "$source/docs/rnnlab.1" 2> /dev/null) || fail "the man page does not render"
all=$(complete_line "")
for c in $commands; do
  [[ " $all " == *" $c "* ]] || fail "command '$c' is not completed"
  grep -Eq "rnnlab +$c" <<< "$page" || fail "command '$c' is not in the man page"
done
echo "ok: $(echo $commands | wc -w) commands completed and documented"
