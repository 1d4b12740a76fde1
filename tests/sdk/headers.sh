#!/usr/bin/env bash
# The SDK headers (rnnlab/sdk/*.hpp) are what plugins include: each must
# compile alone and reach neither the application API (rnnlab/app/) nor its
# dependencies (nlohmann_json, Lua, HDF5, CLI11). The include trace (-H) of
# every header is checked.
set -u
cxx=$1 include=$2 generated=$3
arma_flags=$(pkg-config --cflags armadillo 2> /dev/null || true)
status=0
for h in "$include"/rnnlab/sdk/*.hpp; do
  rel=${h#"$include"/}
  trace=$(echo "#include <$rel>" | "$cxx" -std=c++20 -fsyntax-only -H -x c++ -I "$include" -I "$generated" $arma_flags - 2>&1 > /dev/null)
  if [ $? -ne 0 ]; then echo "FAIL: $rel does not compile alone"; echo "$trace" | grep -v '^\.' | head -5; status=1; continue; fi
  bad=$(echo "$trace" | grep -E '^\.+ .*(nlohmann|/rnnlab/app/|/lua[0-9.]*/|lua\.h$|/hdf5\.h$|/hdf5/|/CLI/)' | head -3)
  if [ -n "$bad" ]; then echo "FAIL: $rel reaches application dependencies:"; echo "$bad"; status=1; fi
done
n=$(ls "$include"/rnnlab/sdk/*.hpp | wc -l)
[ $status -eq 0 ] && echo "ok: $n SDK headers compile alone and stay within the SDK"
exit $status
