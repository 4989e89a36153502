#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Builds ssh2core twice and runs every CTest (unit, fuzz corpus replay,
# integration against real sshd/dropbear):
#   1. build/       Debug
#   2. build-asan/  Debug with -DS2_SANITIZE=ON (AddressSanitizer + UBSan)
# Exits non-zero when any build or test fails. Extra arguments go to ctest
# (e.g. "-L unit" or "-R integration").
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root" || exit 1
jobs=$(nproc 2>/dev/null || echo 2)
failed=()

# run_suite NAME BUILD_DIR [cmake options...]
run_suite() {
    local name=$1 dir=$2
    shift 2
    echo "=== [$name] configure + build in $dir"
    if ! cmake -S "$root" -B "$root/$dir" -DCMAKE_BUILD_TYPE=Debug "$@"; then
        failed+=("$name: configure")
        return
    fi
    if ! cmake --build "$root/$dir" -j "$jobs"; then
        failed+=("$name: build")
        return
    fi
    echo "=== [$name] ctest"
    local rc=0
    (cd "$root/$dir" && ctest --output-on-failure -j "$jobs" --timeout 600 \
        "${ctest_args[@]}") 2>&1 | tee "$root/$dir/ctest-output.log" || rc=$?
    echo "=== [$name] summary"
    # Per-matrix lines of the integration tests (their full output is in the log).
    grep -h '^SUMMARY ' "$root/$dir/Testing/Temporary/LastTest.log" 2>/dev/null || true
    grep -E 'tests passed|tests failed|Total Test time|\*\*\*Skipped|\(Failed\)|\(Timeout\)' \
        "$root/$dir/ctest-output.log" || true
    if [ "$rc" -ne 0 ]; then
        failed+=("$name: ctest")
    fi
}

ctest_args=("$@")

echo "=== [lint] floor plan and banned calls"
bash "$root/scripts/lint.sh" || failed+=("lint")

run_suite debug build

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
run_suite asan build-asan -DS2_SANITIZE=ON

echo
if [ ${#failed[@]} -ne 0 ]; then
    echo "run-all: FAILED: ${failed[*]}"
    exit 1
fi
echo "run-all: all builds and tests passed"
