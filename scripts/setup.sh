#!/usr/bin/env bash
# Installs rnnlab's build and run dependencies from Debian 12 packages.
# Run as root (or with sudo available). Safe to run again.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  libarmadillo-dev libopenblas-dev            # numerics (Armadillo on OpenBLAS)
  liblua5.4-dev lua5.4                        # Lua runtime (lua5.4-c++ flavour)
  libboost-dev libboost-test-dev              # Boost.DLL (header-only), Boost.Test
  libhdf5-dev hdf5-tools                      # HDF5 files
  libcli11-dev nlohmann-json3-dev             # command line, JSON
  gnuplot-nox                                 # figures
  python3-h5py python3-numpy python3-pandas   # reading results from Python (docs, tests)
  libopenmpi-dev openmpi-bin                  # the MPI build (-DRNNLAB_MPI=ON), mpiexec
)

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} packages already installed"
  exit 0
fi
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
as_root apt-get update -qq
as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" < /dev/null
echo "setup: done"
