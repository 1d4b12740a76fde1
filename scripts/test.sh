#!/usr/bin/env bash
# Builds rnnlab and runs the whole default test suite twice: a Release
# build (every test except the "long" label), then an AddressSanitizer +
# UndefinedBehaviorSanitizer build (unit and script tests). Last, an MPI
# build of the executable and plugins only, for the "mpi" tests.
# Usage: bash scripts/test.sh   (after scripts/setup.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)

echo "== Release build"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release > /dev/null
cmake --build build -j "$jobs"
ctest --test-dir build -LE long -j "$jobs" --output-on-failure

echo "== AddressSanitizer + UndefinedBehaviorSanitizer build"
# -O1 without debug info keeps this build quick; Armadillo's bounds checks
# stay on (no ARMA_NO_DEBUG outside Release).
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Sanitize -DRNNLAB_SANITIZE=ON > /dev/null
cmake --build build-asan -j "$jobs"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan -L "unit|cli|reliability" -j "$jobs" --output-on-failure

echo "== MPI build (-DRNNLAB_MPI=ON): mpiexec -n 2 sweeps"
cmake -S . -B build-mpi -DCMAKE_BUILD_TYPE=Release -DRNNLAB_MPI=ON > /dev/null
cmake --build build-mpi -j "$jobs" --target rnnlab_mpi_test_deps
ctest --test-dir build-mpi -L mpi --no-tests=error --output-on-failure
