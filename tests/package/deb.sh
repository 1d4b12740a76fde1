#!/usr/bin/env bash
# The Debian packages of README.md "Install from packages": build rnnlab
# and rnnlab-dev with cpack, check their metadata and contents, then use
# them as a user would:
#  1. always: unpack both into a scratch root, run the quickstart from the
#     packaged scripts folder and build docs/examples/myrule (as shipped in
#     rnnlab-dev) against the packaged CMake package;
#  2. with CI=true (or RNNLAB_TEST_INSTALL=1) as root on Debian, when
#     rnnlab is not installed already: `apt-get install ./*.deb`, the same
#     steps against /usr, then purge the two packages again.
set -euo pipefail
build=$1   # the rnnlab build tree
work=$2    # scratch directory
rm -rf "$work" && mkdir -p "$work"
cd "$work"

echo "== cpack -G DEB"
cpack --config "$build/CPackConfig.cmake" -G DEB -B "$work/cpack" > cpack.log
runtime=$(ls "$work"/cpack/rnnlab_*_*.deb)
dev=$(ls "$work"/cpack/rnnlab-dev_*_*.deb)
echo "built $(basename "$runtime") $(basename "$dev")"
test "$(dpkg-deb -f "$runtime" Package)" = rnnlab
test "$(dpkg-deb -f "$dev" Package)" = rnnlab-dev
version=$(dpkg-deb -f "$runtime" Version)
# Shared libraries come from dpkg-shlibdeps; gnuplot is called as a program.
depends=$(dpkg-deb -f "$runtime" Depends)
for d in libhdf5 liblua5.4 libopenblas libstdc++6 gnuplot; do
  grep -q "$d" <<< "$depends" || { echo "rnnlab: Depends lacks $d: $depends"; exit 1; }
done
grep -q "rnnlab (= $version)" <<< "$(dpkg-deb -f "$dev" Depends)"
dpkg-deb -c "$runtime" | awk '{print $6}' > runtime.txt
dpkg-deb -c "$dev" | awk '{print $6}' > dev.txt
for f in usr/bin/rnnlab usr/lib/rnnlab/rnnlab-plugin-probe usr/lib/rnnlab/plugins/rnnlab_rule_bptt.so \
         usr/lib/rnnlab/plugins/rnnlab_task_romo.so usr/share/rnnlab/lua/prelude.lua \
         usr/share/rnnlab/scripts/quickstart.lua usr/share/rnnlab/scripts/paper/all.lua \
         usr/share/man/man1/rnnlab.1 usr/share/bash-completion/completions/rnnlab usr/share/doc/rnnlab/copyright; do
  grep -qx "./$f" runtime.txt || { echo "rnnlab lacks /$f"; exit 1; }
done
for f in usr/include/rnnlab/sdk/plugin.hpp usr/include/rnnlab/sdk/config.hpp usr/lib/cmake/rnnlab/rnnlabConfig.cmake \
         usr/lib/librnnlab.so usr/share/doc/rnnlab-dev/examples/myrule/myrule.cpp; do
  grep -qx "./$f" dev.txt || { echo "rnnlab-dev lacks /$f"; exit 1; }
done
# No file in both packages, no header or CMake file in the runtime package.
if sort runtime.txt dev.txt | grep -v '/$' | uniq -d | grep .; then echo "files in both packages"; exit 1; fi
if grep -E '^\./usr/(include|lib/cmake)/.' runtime.txt; then echo "development files in rnnlab"; exit 1; fi

# use PREFIX LABEL: the user's steps against an installed prefix.
use() {
  local prefix=$1 label=$2
  local rnnlab=$prefix/bin/rnnlab
  echo "== $label: rnnlab run $prefix/share/rnnlab/scripts/quickstart.lua"
  "$rnnlab" --version > "version-$label.txt" && head -1 "version-$label.txt"
  "$rnnlab" plugins > "plugins-$label.txt"
  grep -E "^rule +bptt +.*$prefix/lib/rnnlab/plugins/" "plugins-$label.txt"
  "$rnnlab" run --quiet "$prefix/share/rnnlab/scripts/quickstart.lua" --set iterations=20 \
    --out "$work/quickstart-$label" > "quickstart-$label.txt"
  test -s "$work/quickstart-$label/network.h5"
  echo "== $label: build the example rule against rnnlab-dev"
  cp -r "$prefix/share/doc/rnnlab-dev/examples/myrule" "myrule-src-$label"
  local -a where=()
  [ "$prefix" = /usr ] || where=(-DCMAKE_PREFIX_PATH="$prefix")
  cmake -S "myrule-src-$label" -B "myrule-$label" "${where[@]}" > "configure-$label.log"
  cmake --build "myrule-$label" > "build-$label.log"
  RNNLAB_PLUGIN_PATH="$work/myrule-$label" "$rnnlab" plugins | grep -E '^rule +myrule '
  RNNLAB_PLUGIN_PATH="$work/myrule-$label" "$rnnlab" run --quiet "myrule-src-$label/use_myrule.lua"
  "$rnnlab" check "myrule-$label/rnnlab_rule_myrule.so" --exact W_out,b_out > "check-$label.txt"
  grep -E '^PASS rule myrule: gradient of W_out equals central finite differences' "check-$label.txt"
  if grep -E '^FAIL' "check-$label.txt"; then exit 1; fi
}

echo "== unpacked into $work/root"
dpkg-deb -x "$runtime" root
dpkg-deb -x "$dev" root
use "$work/root/usr" unpacked

if [ "${CI:-}" = true ] || [ "${RNNLAB_TEST_INSTALL:-}" = 1 ]; then
  if [ "$(id -u)" != 0 ] || ! command -v apt-get > /dev/null; then
    echo "apt-get install: skipped (needs root and apt-get)"
  elif [[ "$(dpkg-query -W -f='${Status} ' rnnlab rnnlab-dev 2>/dev/null || true)" == *"install ok"* ]]; then
    echo "apt-get install: skipped (rnnlab is installed on this machine; not replacing it)"
  else
    echo "== apt-get install ./$(basename "$runtime") ./$(basename "$dev")"
    trap 'DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq rnnlab-dev rnnlab > remove.log 2>&1 || true' EXIT
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$runtime" "$dev" < /dev/null > install.log 2>&1 \
      || { cat install.log; exit 1; }
    test "$(command -v rnnlab)" = /usr/bin/rnnlab
    use /usr installed
    test -f /usr/share/man/man1/rnnlab.1
  fi
fi
echo "packages: OK"
