#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Demo: build ssh2core, start a throwaway OpenSSH sshd (and Dropbear, if
# installed) on 127.0.0.1, and run examples/hostkey_demo against them: it
# handshakes, prints every negotiated method and the host key fingerprint, then
# rekeys. The servers are stopped on exit.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
build=${BUILD_DIR:-$root/build}

packages=(
    build-essential cmake pkg-config
    libsodium-dev libmbedtls-dev zlib1g-dev libcmocka-dev
    openssh-server openssh-client dropbear-bin
    clang libclang-rt-14-dev
    libssh2-1-dev python3-asyncssh valgrind
)
missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
        missing+=("$p")
    fi
done
if [ ${#missing[@]} -ne 0 ]; then
    echo "== installing missing packages: ${missing[*]}"
    sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        sudo=(sudo)
    fi
    export DEBIAN_FRONTEND=noninteractive
    "${sudo[@]}" apt-get update
    "${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
fi

echo "== building (in $build)"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Debug >/dev/null
cmake --build "$build" -j "$(nproc 2>/dev/null || echo 2)" --target hostkey_demo >/dev/null

fixture=$(mktemp -d /tmp/ssh2core-demo.XXXXXX)
# shellcheck disable=SC2317  # called through the EXIT trap
cleanup() {
    bash "$root/tests/integration/sshd_fixture.sh" stop "$fixture" >/dev/null 2>&1 || true
    rm -rf "$fixture"
}
trap cleanup EXIT
echo "== starting throwaway servers (keys and configs in $fixture)"
bash "$root/tests/integration/sshd_fixture.sh" start "$fixture"

demo="$build/examples/hostkey_demo"
user=$(cat "$fixture/user")
status=0
for server in sshd dropbear; do
    [ -f "$fixture/$server.port" ] || continue
    port=$(cat "$fixture/$server.port")
    echo
    echo "== $demo 127.0.0.1 $port   ($server)"
    # sshd rekeys only after user auth: log in with the fixture's key (Dropbear does
    # not know that key, and rekeys before auth).
    key=()
    if [ "$server" = sshd ] && [ -f "$fixture/id_ed25519" ]; then
        key=("$fixture/id_ed25519")
    fi
    if ! "$demo" 127.0.0.1 "$port" "$user" "${key[@]}"; then
        status=1
    fi
    echo "-- for comparison, ssh-keygen -l on the server's host keys:"
    if [ "$server" = sshd ]; then keys=("$fixture"/hostkey_*.pub); else keys=("$fixture"/db_*.pub); fi
    for k in "${keys[@]}"; do
        [ -f "$k" ] || continue
        ssh-keygen -l -E sha256 -f "$k" 2>/dev/null | awk '{print "   " $2 "  " $NF}' || true
    done
done
if [ ! -f "$fixture/sshd.port" ]; then
    echo "demo: OpenSSH sshd did not start" >&2
    status=1
fi
exit $status
