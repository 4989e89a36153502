#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Installs the build into a temporary prefix and checks what users rely on:
# SONAME libssh2.so.1, only LIBSSH2_API symbols exported, pkg-config libssh2
# and find_package(libssh2) both give a working consumer.
set -euo pipefail
build=$1
src=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmake --install "$build" --prefix "$tmp/prefix" > /dev/null
lib=$(ls "$tmp"/prefix/lib*/libssh2.so.1 2>/dev/null | head -n 1)
libdir=$(dirname "$lib")
soname=$(objdump -p "$lib" | awk '/SONAME/ {print $2}')
[ "$soname" = "libssh2.so.1" ] || { echo "FAIL: SONAME is '$soname'"; exit 1; }
echo "ok: SONAME $soname"
bad=$(nm -D --defined-only "$lib" | awk '$2 == "T" || $2 == "D" || $2 == "B" {print $3}' \
      | grep -vE '^(libssh2_|ssh2core_)' || true)
[ -z "$bad" ] || { echo "FAIL: exported non-API symbols:"; echo "$bad"; exit 1; }
echo "ok: $(nm -D --defined-only "$lib" | grep -c ' T ') exported functions, all libssh2_*/ssh2core_*"
export PKG_CONFIG_PATH="$libdir/pkgconfig"
cc -o "$tmp/pc_consumer" "$src/tests/install/consumer.c" $(pkg-config --cflags --libs libssh2) \
   -Wl,-rpath,"$libdir"
"$tmp/pc_consumer" > /dev/null
echo "ok: pkg-config libssh2 ($(pkg-config --modversion libssh2))"
cmake -S "$src/tests/install" -B "$tmp/cm" -DCMAKE_PREFIX_PATH="$tmp/prefix" > /dev/null
cmake --build "$tmp/cm" > /dev/null
LD_LIBRARY_PATH="$libdir" "$tmp/cm/consumer" > /dev/null
echo "ok: find_package(libssh2) target libssh2::libssh2"
echo "1 passed, 0 failed"
