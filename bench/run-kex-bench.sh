#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Post-quantum key exchange benchmark (issue 10), one command: builds
# bench_kex / bench_kex_prim (Release), makes keys in a temp dir, starts
# OpenSSH 10.0's sshd (built by tests/integration/openssh10.sh) and Debian's
# OpenSSH 9.2 sshd on free 127.0.0.1 ports, runs
#   (1) the KEM primitives in-process (bench_kex_prim),
#   (2)-(5) per server: ssh2core handshake-only and connect+auth+exec samples
#       beside OpenSSH's ssh (ssh-none: handshake + refused "none" auth;
#       ssh-exec: ed25519 auth + exec true) for each method the server has,
#       with ratios and the targets of issue 10 (bench_kex),
# prints the tables, stops the servers and removes the temp dir.
#
#   bench/run-kex-bench.sh [options]
#
#   --smoke           N=10 samples per row (fewer when a round budget of 25 s / 10 s
#                     per server runs out), few primitive calls, fewer rows
#                     (CTest bench.kex_smoke)
#   --n N             samples per row (default 200; smoke 10)
#   --iters N         primitive calls per method (default 2000, time-capped; smoke 20)
#   --build-dir DIR   Release build dir (default $BENCH_BUILD_DIR or $root/build-bench);
#                     configured and built (bench_kex, bench_kex_prim) unless --no-build
#   --no-build        use existing binaries (--kex-bin / --prim-bin, or the build dir)
#   --kex-bin BIN --prim-bin BIN   the two programs of bench/kex.c
#   --cipher C        cipher for both clients (default chacha20-poly1305@openssh.com)
#   --only o10|o92    one server only
#   --no-o10-build    do not build OpenSSH 10.0 when it is not cached (smoke never builds)
#
# The OpenSSH client of each server is the same version: 10.0's ssh (from the
# cache) against sshd 10.0, Debian's /usr/bin/ssh (9.2) against sshd 9.2.
# The login is root with a throwaway ed25519 key (AuthorizedKeysFile in the
# temp dir); servers run with MaxStartups 100:30:200, UseDNS no, LogLevel ERROR
# and, on 10.0, PerSourcePenalties no (its "noauth" penalty would otherwise
# throttle the handshake-only samples).
#
# Exit status: 0 all samples succeeded; 1 a sample or server failed;
# 77 not root, or no sshd/ssh/ssh-keygen (CTest: skipped).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
smoke=0
n=""
iters=""
build_dir=${BENCH_BUILD_DIR:-$root/build-bench}
do_build=1
kex_bin=""
prim_bin=""
cipher=chacha20-poly1305@openssh.com
only="o10 o92"
o10_build=1

usage() {
    sed -n '15,30p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

while [ $# -gt 0 ]; do
    case "$1" in
        --smoke) smoke=1 ;;
        --n) n=$2; shift ;;
        --iters) iters=$2; shift ;;
        --build-dir) build_dir=$2; shift ;;
        --no-build) do_build=0 ;;
        --kex-bin) kex_bin=$2; shift ;;
        --prim-bin) prim_bin=$2; shift ;;
        --cipher) cipher=$2; shift ;;
        --only) only=$2; shift ;;
        --no-o10-build) o10_build=0 ;;
        -h|--help) usage ;;
        *) echo "run-kex-bench: unknown option $1" >&2; usage ;;
    esac
    shift
done
if [ "$smoke" = 1 ]; then
    n=${n:-10}
    iters=${iters:-20}
    o10_build=0
fi
n=${n:-200}
iters=${iters:-2000}

start_s=$(date +%s.%N)
if [ "$(id -u)" != 0 ]; then
    echo "run-kex-bench: not root (sshd must run as root to log in); skipping" >&2
    exit 77
fi
sshd92=/usr/sbin/sshd
ssh92=/usr/bin/ssh
if [ ! -x "$sshd92" ] || [ ! -x "$ssh92" ] || ! command -v ssh-keygen >/dev/null; then
    echo "run-kex-bench: OpenSSH sshd/ssh/ssh-keygen not installed; skipping" >&2
    exit 77
fi

# ---- binaries ------------------------------------------------------------------
if [ "$do_build" = 1 ]; then
    echo "== building bench_kex / bench_kex_prim (Release, in $build_dir)"
    cmake -S "$root" -B "$build_dir" -DCMAKE_BUILD_TYPE=Release >/dev/null
    cmake --build "$build_dir" -j 2 --target bench_kex bench_kex_prim >/dev/null
fi
[ -n "$kex_bin" ] || kex_bin="$build_dir/bench/bench_kex"
[ -n "$prim_bin" ] || prim_bin="$build_dir/bench/bench_kex_prim"
for b in "$kex_bin" "$prim_bin"; do
    if [ ! -x "$b" ]; then
        echo "run-kex-bench: $b not built" >&2
        exit 1
    fi
done

# ---- OpenSSH 10.0 --------------------------------------------------------------
o10sh="$root/tests/integration/openssh10.sh"
sshd10=""
if [[ " $only " == *" o10 "* ]]; then
    sshd10=$(bash "$o10sh" path 2>/dev/null || true)
    if [ -z "$sshd10" ] && [ "$o10_build" = 1 ]; then
        echo "== building OpenSSH 10.0 (tests/integration/openssh10.sh build)"
        bash "$o10sh" build >/dev/null || true
        sshd10=$(bash "$o10sh" path 2>/dev/null || true)
    fi
    if [ -z "$sshd10" ]; then
        echo "run-kex-bench: OpenSSH 10.0 not built ($o10sh build); its rows are skipped" >&2
    fi
fi
ssh10=""
if [ -n "$sshd10" ]; then
    ssh10="$(dirname "$(dirname "$sshd10")")/bin/ssh"
    [ -x "$ssh10" ] || ssh10=$ssh92
fi

# ---- keys, configs, servers ------------------------------------------------------
tmp=$(mktemp -d /tmp/ssh2core-kexbench.XXXXXX)
pids=()
# shellcheck disable=SC2317  # called through the EXIT trap
cleanup() {
    local p
    for p in "${pids[@]}"; do
        kill "$p" 2>/dev/null || true
        wait "$p" 2>/dev/null || true
    done
    rm -rf "$tmp"
}
trap cleanup EXIT

if [ ! -d /run/sshd ]; then
    mkdir -p /run/sshd
    chmod 0755 /run/sshd
fi
ssh-keygen -q -t ed25519 -N '' -C kexbench-host -f "$tmp/hostkey_ed25519"
ssh-keygen -q -t ed25519 -N '' -C kexbench-user -f "$tmp/id_ed25519"
cp "$tmp/id_ed25519.pub" "$tmp/authorized_keys"
chmod 0600 "$tmp/authorized_keys"
user=$(id -un)

# Nothing that limits or costs CPU per connection: no DNS, motd, lastlog,
# penalties; MaxStartups well above what one client opens. SHLVL=1 keeps
# Debian's bash (SSH_SOURCE_BASHRC) from sourcing ~/.bashrc for "true".
cat > "$tmp/sshd_config" <<CONF
ListenAddress 127.0.0.1
HostKey $tmp/hostkey_ed25519
PidFile none
AuthorizedKeysFile $tmp/authorized_keys
StrictModes no
PermitRootLogin yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
Compression no
UseDNS no
PrintMotd no
PrintLastLog no
X11Forwarding no
LogLevel ERROR
MaxStartups 100:30:200
MaxAuthTries 10
SetEnv SHLVL=1
CONF
cp "$tmp/sshd_config" "$tmp/sshd10_config"
echo "PerSourcePenalties no" >> "$tmp/sshd10_config"

free_port() {
    /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

# start_sshd BIN CONFIG LOG: sets $port and appends to pids.
start_sshd() {
    local bin=$1 conf=$2 log=$3 pid ok
    for _ in 1 2 3 4 5; do
        port=$(free_port)
        "$bin" -D -e -f "$conf" -o "Port=$port" </dev/null >>"$log" 2>&1 &
        pid=$!
        ok=0
        for _ in $(seq 1 100); do
            kill -0 "$pid" 2>/dev/null || break
            if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
                ok=1
                break
            fi
            sleep 0.05
        done
        if [ "$ok" = 1 ]; then
            pids+=("$pid")
            return 0
        fi
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    echo "run-kex-bench: $bin did not start:" >&2
    tail -n 20 "$log" >&2 || true
    return 1
}

port10=""
port92=""
if [ -n "$sshd10" ]; then
    start_sshd "$sshd10" "$tmp/sshd10_config" "$tmp/sshd10.log"
    port10=$port
fi
if [[ " $only " == *" o92 "* ]]; then
    start_sshd "$sshd92" "$tmp/sshd_config" "$tmp/sshd92.log"
    port92=$port
fi

echo "== kexbench $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(uname -n): $(nproc) cores," \
     "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
echo "   load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ -n "$port10" ]; then
    echo "   sshd 10.0: $sshd10 ($("$sshd10" -V 2>&1 | head -n1)), 127.0.0.1:$port10"
fi
if [ -n "$port92" ]; then
    echo "   sshd 9.2:  $sshd92 ($("$sshd92" -V 2>&1 | head -n1)), 127.0.0.1:$port92"
fi
echo

status=0
if [ "$smoke" = 1 ]; then
    "$prim_bin" --iters "$iters" --max-ms 500 || status=1
else
    "$prim_bin" --iters "$iters" || status=1
fi

# Smoke (CTest, < 60 s on a loaded 2-core machine): every method on 10.0
# without the ssh-none rows, one method on 9.2 with every row.
kex10=curve25519-sha256,sntrup761x25519-sha512@openssh.com,sntrup761x25519-sha512
kex10=$kex10,mlkem768x25519-sha256
kex92=curve25519-sha256,sntrup761x25519-sha512@openssh.com,sntrup761x25519-sha512
modes10=hs,exec,ssh-none,ssh-exec
budget10=()
budget92=()
if [ "$smoke" = 1 ]; then
    kex92=sntrup761x25519-sha512@openssh.com
    modes10=hs,exec,ssh-exec
    # N=10 takes ~35 s here in a Release build; a sanitizer build is ~100x
    # slower in sntrup761, so the rounds stop at a time budget instead.
    budget10=(--max-s 25)
    budget92=(--max-s 10)
fi
common=(--user "$user" --key "$tmp/id_ed25519" --n "$n" --cipher "$cipher")
if [ -n "$port10" ]; then
    "$kex_bin" --port "$port10" --server "OpenSSH 10.0 sshd" --ssh "$ssh10" "${common[@]}" \
        --kex "$kex10" --modes "$modes10" "${budget10[@]}" || status=1
fi
if [ -n "$port92" ]; then
    "$kex_bin" --port "$port92" --server "OpenSSH 9.2 sshd" --ssh "$ssh92" "${common[@]}" \
        --kex "$kex92" "${budget92[@]}" || status=1
fi

for p in "${pids[@]}"; do
    if ! kill -0 "$p" 2>/dev/null; then
        echo "run-kex-bench: a server exited during the run" >&2
        status=1
    fi
done
# The servers' errors, less the readiness probe's empty connection.
for log in "$tmp"/sshd*.log; do
    [ -f "$log" ] || continue
    errs=$(grep -v 'kex_exchange_identification: Connection closed by remote host' "$log" || true)
    if [ -n "$errs" ]; then
        echo "-- $(basename "$log") (errors):"
        echo "$errs" | tail -n 5
    fi
done
end_s=$(date +%s.%N)
echo
echo "== load average at end: $(cut -d' ' -f1-3 /proc/loadavg);" \
     "run took $(awk -v a="$start_s" -v b="$end_s" 'BEGIN { printf "%.0f", b - a }') s"
exit "$status"
