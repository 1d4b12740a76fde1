#!/usr/bin/env bash
# The steps of docs/writing-a-plugin.md, verbatim in spirit: build the
# example rule out of tree against (1) the build tree and (2) an install
# prefix, and use it from a script via RNNLAB_PLUGIN_PATH. The core is
# never rebuilt.
set -euo pipefail
build=$1      # the rnnlab build tree
source=$2     # the rnnlab source tree
work=$3       # scratch directory
example=$source/docs/examples/myrule
rm -rf "$work" && mkdir -p "$work"

echo "== against the build tree"
cmake -S "$example" -B "$work/myrule-build" -Drnnlab_DIR="$build" -DCMAKE_BUILD_TYPE=Release > "$work/configure1.log"
cmake --build "$work/myrule-build" > "$work/build1.log"
test -f "$work/myrule-build/rnnlab_rule_myrule.so"
RNNLAB_PLUGIN_PATH="$work/myrule-build" "$build/bin/rnnlab" plugins | grep -E '^rule +myrule '
RNNLAB_PLUGIN_PATH="$work/myrule-build" "$build/bin/rnnlab" help myrule > "$work/help.txt"
grep -q 'scale' "$work/help.txt"
RNNLAB_PLUGIN_PATH="$work/myrule-build" "$build/bin/rnnlab" run --quiet "$example/use_myrule.lua"
# The rule's contract, with the claim it declares: the readout gradient is exact.
"$build/bin/rnnlab" check "$work/myrule-build/rnnlab_rule_myrule.so" > "$work/check1.txt"
grep -E '^note rule myrule: exact on W_out,b_out \(declared\)$' "$work/check1.txt"
grep -E '^PASS rule myrule: gradient of W_out equals central finite differences' "$work/check1.txt"
if grep -E '^FAIL' "$work/check1.txt"; then exit 1; fi

echo "== against an install prefix"
cmake --install "$build" --prefix "$work/prefix" > "$work/install.log"
test -x "$work/prefix/bin/rnnlab"
test -f "$work/prefix/include/rnnlab/abi.hpp"
# The generated export macros reach plugin builds through the package.
test -f "$work/prefix/include/rnnlab/sdk/export.hpp"
test -f "$work/prefix/lib/cmake/rnnlab/rnnlabConfig.cmake"
test -f "$work/prefix/share/rnnlab/lua/prelude.lua"
test -f "$work/prefix/lib/rnnlab/plugins/rnnlab_rule_bptt.so"
cmake -S "$example" -B "$work/myrule-installed" -DCMAKE_PREFIX_PATH="$work/prefix" -DCMAKE_BUILD_TYPE=Release > "$work/configure2.log"
cmake --build "$work/myrule-installed" > "$work/build2.log"
# The installed executable, away from the build tree, finds its own plugins.
RNNLAB_PLUGIN_PATH="$work/myrule-installed" "$work/prefix/bin/rnnlab" plugins > "$work/plugins.txt"
grep -E '^rule +myrule ' "$work/plugins.txt"
grep -E "^rule +bptt +.*$work/prefix/lib/rnnlab/plugins/" "$work/plugins.txt"
RNNLAB_PLUGIN_PATH="$work/myrule-installed" "$work/prefix/bin/rnnlab" run --quiet "$example/use_myrule.lua"
"$work/prefix/bin/rnnlab" check "$work/myrule-installed/rnnlab_rule_myrule.so" > "$work/check2.txt"
grep -E '^PASS rule myrule: gradient of b_out equals central finite differences' "$work/check2.txt"
# A false claim (--exact overrides the declaration) fails, with exit status 1.
status=0
"$work/prefix/bin/rnnlab" check "$work/myrule-installed/rnnlab_rule_myrule.so" --exact W_h > "$work/check3.txt" || status=$?
test "$status" = 1
grep -E '^FAIL rule myrule: gradient of W_h equals central finite differences \(rel\. error' "$work/check3.txt"
echo "== e-prop with your own feedback (docs/examples/myfeedback)"
cmake -S "$source/docs/examples/myfeedback" -B "$work/myfeedback" -DCMAKE_PREFIX_PATH="$work/prefix" -DCMAKE_BUILD_TYPE=Release > "$work/configure4.log"
cmake --build "$work/myfeedback" > "$work/build4.log"
"$work/prefix/bin/rnnlab" check "$work/myfeedback/rnnlab_rule_signprop.so" > "$work/check4.txt"
grep -E '^PASS rule signprop: gradient of W_out equals central finite differences' "$work/check4.txt"
if grep -E '^FAIL' "$work/check4.txt"; then exit 1; fi
echo "== a plugin written before SDK 2.0 (old include paths), unchanged"
cmake -S "$source/tests/sdk/legacy" -B "$work/legacy" -DCMAKE_PREFIX_PATH="$work/prefix" -DCMAKE_BUILD_TYPE=Release > "$work/configure3.log"
cmake --build "$work/legacy" > "$work/build3.log"
RNNLAB_PLUGIN_PATH="$work/legacy" "$work/prefix/bin/rnnlab" plugins | grep -E '^rule +myrule '
RNNLAB_PLUGIN_PATH="$work/legacy" "$work/prefix/bin/rnnlab" run --quiet "$example/use_myrule.lua"
echo "out-of-tree plugin: OK"
