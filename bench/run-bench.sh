#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Transport benchmark (issue 9): ssh2core vs libssh2 1.10 vs OpenSSH's ssh, all
# against one throwaway OpenSSH sshd on 127.0.0.1 started here (generated keys in
# a temp dir, stopped on exit).
#
#   bench/run-bench.sh [options]
#
#   --smoke           tiny sizes (8 MiB, 1 rep, 3 connects, 5 execs, 20 sessions) and
#                     two ciphers (aes128-gcm, aes128-ctr+hmac-sha2-256)
#   --build-dir DIR   Release build dir (default: $root/build-bench); configured
#                     and built (targets bench_transport_s2/_ref) unless --no-build
#   --no-build        use existing binaries (--s2 BIN / --ref BIN, or the build dir)
#   --no-install      do not apt-get install missing packages
#   --s2 BIN --ref BIN  the two libssh2-API clients (bench/transport.c)
#   --out DIR         results (default: $root/bench/results): transport.jsonl (raw
#                     runs), transport.json, transport.csv, transport.md (tables),
#                     transport.svg (chart), env.txt
#   --reps N          repetitions of each bulk transfer (default 5; smoke 1)
#   --size BYTES      bulk transfer size (default 1073741824; smoke 8388608)
#   --connects N      connect+auth+exec samples (default 50; smoke 3)
#   --execs N         exec-on-open-session samples (default 200; smoke 5)
#   --sessions N      idle authenticated sessions per library (default 1000; smoke 20)
#   --ciphers LIST    space-separated cipher[:mac] list (default: chacha20-poly1305,
#                     aes128-gcm, aes256-gcm, aes128-ctr:hmac-sha2-256,
#                     aes128-ctr:hmac-sha2-256-etm@openssh.com; @openssh.com suffixes)
#   --only LIST       workloads: any of "bulk connect exec sessions" (default all)
#   --kex NAME        force one key exchange for every client (default: each
#                     client's own preference), e.g. curve25519-sha256
# The same settings can come from the environment: BENCH_REPS, BENCH_SIZE,
# BENCH_CONNECTS, BENCH_EXECS, BENCH_SESSIONS, BENCH_CIPHERS, BENCH_KEX, BENCH_OUT.
#
# Exit status: 0 all measured; 1 a client failed (the others are still
# reported); 77 no sshd/ssh on this machine (CTest: skipped).
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
here="$root/bench"

smoke=0
build_dir=""
do_build=1
do_install=1
s2_bin=""
ref_bin=""
out=${BENCH_OUT:-}
reps=${BENCH_REPS:-}
size=${BENCH_SIZE:-}
connects=${BENCH_CONNECTS:-}
execs=${BENCH_EXECS:-}
sessions=${BENCH_SESSIONS:-}
ciphers=${BENCH_CIPHERS:-}
only="bulk connect exec sessions"
kex=${BENCH_KEX:-}

usage() {
    sed -n '5,35p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

while [ $# -gt 0 ]; do
    case "$1" in
        --smoke) smoke=1 ;;
        --build-dir) build_dir=$2; shift ;;
        --no-build) do_build=0 ;;
        --no-install) do_install=0 ;;
        --s2) s2_bin=$2; shift ;;
        --ref) ref_bin=$2; shift ;;
        --out) out=$2; shift ;;
        --reps) reps=$2; shift ;;
        --size) size=$2; shift ;;
        --connects) connects=$2; shift ;;
        --execs) execs=$2; shift ;;
        --sessions) sessions=$2; shift ;;
        --ciphers) ciphers=$2; shift ;;
        --only) only=$2; shift ;;
        --kex) kex=$2; shift ;;
        -h|--help) usage ;;
        *) echo "run-bench: unknown option $1" >&2; usage ;;
    esac
    shift
done

if [ "$smoke" = 1 ]; then
    : "${reps:=1}" "${size:=8388608}" "${connects:=3}" "${execs:=5}" "${sessions:=20}"
    : "${ciphers:=aes128-gcm@openssh.com aes128-ctr:hmac-sha2-256}"
else
    : "${reps:=5}" "${size:=1073741824}" "${connects:=50}" "${execs:=200}" "${sessions:=1000}"
    : "${ciphers:=chacha20-poly1305@openssh.com aes128-gcm@openssh.com aes256-gcm@openssh.com \
aes128-ctr:hmac-sha2-256 aes128-ctr:hmac-sha2-256-etm@openssh.com}"
fi
: "${out:=$root/bench/results}"
: "${build_dir:=$root/build-bench}"

# ---- packages ---------------------------------------------------------------
if [ "$do_install" = 1 ]; then
    packages=(build-essential cmake pkg-config libsodium-dev libmbedtls-dev zlib1g-dev
              openssh-server openssh-client libssh2-1-dev python3)
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
fi

# ---- build --------------------------------------------------------------------
if [ "$do_build" = 1 ]; then
    echo "== building bench_transport_s2 / bench_transport_ref (Release, in $build_dir)"
    cmake -S "$root" -B "$build_dir" -DCMAKE_BUILD_TYPE=Release >/dev/null
    cmake --build "$build_dir" -j 2 --target bench_transport_s2 >/dev/null
    if ! cmake --build "$build_dir" -j 2 --target bench_transport_ref >/dev/null 2>&1; then
        echo "run-bench: bench_transport_ref not built (libssh2-1-dev missing?)" >&2
    fi
fi
[ -n "$s2_bin" ] || s2_bin="$build_dir/bench/bench_transport_s2"
[ -n "$ref_bin" ] || ref_bin="$build_dir/bench/bench_transport_ref"
if [ ! -x "$s2_bin" ]; then
    echo "run-bench: $s2_bin not found (build it, or pass --s2)" >&2
    exit 1
fi
if [ ! -x "$ref_bin" ]; then
    echo "run-bench: no libssh2 1.10 client ($ref_bin); its columns stay empty" >&2
    ref_bin=""
fi

sshd=""
for p in /usr/sbin/sshd /usr/local/sbin/sshd; do
    [ -x "$p" ] && sshd=$p && break
done
ssh_bin=$(command -v ssh || true)
if [ -z "$sshd" ] || [ -z "$ssh_bin" ] || ! command -v ssh-keygen >/dev/null; then
    echo "run-bench: OpenSSH sshd/ssh/ssh-keygen not installed; skipping" >&2
    exit 77
fi

# ---- throwaway sshd --------------------------------------------------------------
tmp=$(mktemp -d /tmp/ssh2core-bench.XXXXXX)
data="/dev/shm/ssh2core-bench.$$"
sshd_pid=""
# shellcheck disable=SC2317  # called through the EXIT trap
cleanup() {
    if [ -n "$sshd_pid" ]; then
        kill "$sshd_pid" 2>/dev/null || true
        wait "$sshd_pid" 2>/dev/null || true
    fi
    rm -rf "$tmp"
    rm -f "$data"
}
trap cleanup EXIT

if [ "$(id -u)" = 0 ] && [ ! -d /run/sshd ]; then
    mkdir -p /run/sshd
    chmod 0755 /run/sshd
fi
ssh-keygen -q -t ed25519 -N '' -C bench-host -f "$tmp/hostkey_ed25519"
ssh-keygen -q -t ed25519 -N '' -C bench-user -f "$tmp/id_ed25519"
cp "$tmp/id_ed25519.pub" "$tmp/authorized_keys"
chmod 0600 "$tmp/authorized_keys"
user=$(id -un)

# MaxStartups/MaxSessions high enough for the idle-session workload; nothing
# that costs CPU per connection (no DNS, motd, lastlog, PAM). SHLVL=1 keeps
# Debian's bash (built with SSH_SOURCE_BASHRC) from sourcing ~/.bashrc for every
# remote command: the benchmark measures SSH, not the user's shell start-up (a
# .bashrc running `pyenv init` costs 3 s per exec here).
cat > "$tmp/sshd_config" <<CONF
ListenAddress 127.0.0.1
HostKey $tmp/hostkey_ed25519
PidFile none
AuthorizedKeysFile $tmp/authorized_keys
UsePAM no
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
MaxStartups 4000:100:4000
MaxSessions 100
MaxAuthTries 10
LoginGraceTime 300
SetEnv SHLVL=1
CONF

free_port() {
    /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}
port=""
for _ in 1 2 3 4 5; do
    port=$(free_port)
    "$sshd" -D -e -f "$tmp/sshd_config" -o "Port=$port" </dev/null >>"$tmp/sshd.log" 2>&1 &
    sshd_pid=$!
    ok=0
    for _ in $(seq 1 100); do
        kill -0 "$sshd_pid" 2>/dev/null || break
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
            ok=1
            break
        fi
        sleep 0.05
    done
    [ "$ok" = 1 ] && break
    kill "$sshd_pid" 2>/dev/null || true
    wait "$sshd_pid" 2>/dev/null || true
    sshd_pid=""
done
if [ -z "$sshd_pid" ]; then
    echo "run-bench: sshd did not start:" >&2
    tail -n 20 "$tmp/sshd.log" >&2 || true
    exit 1
fi
echo "== sshd $("$sshd" -V 2>&1 | head -n1 || true) pid $sshd_pid on 127.0.0.1:$port"

mkdir -p "$out"
raw="$out/transport.jsonl"
: > "$raw"
{
    echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "mode=$([ "$smoke" = 1 ] && echo smoke || echo full)"
    echo "cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
    echo "cores=$(nproc)"
    echo "mem=$(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
    echo "kernel=$(uname -r)"
    echo "flags=$(grep -m1 '^flags' /proc/cpuinfo | tr ' ' '\n' |
        grep -xE 'aes|pclmulqdq|vaes|vpclmulqdq|sha_ni|avx2|avx512f' | paste -sd' ' -)"
    echo "openssh=$("$ssh_bin" -V 2>&1)"
    echo "size=$size"
    echo "reps=$reps"
    echo "connects=$connects"
    echo "execs=$execs"
    echo "sessions=$sessions"
    echo "loadavg=$(cut -d' ' -f1-3 /proc/loadavg)"
    echo "kex=${kex:-default}"
} > "$out/env.txt"

common=(--host 127.0.0.1 --port "$port" --user "$user" --key "$tmp/id_ed25519"
        --sshd-pid "$sshd_pid" --ssh "$ssh_bin")
if [ -n "$kex" ]; then
    common+=(--kex "$kex")
fi
failures=0
declare -A unsupported=()

# run LABEL-CLIENT CIPHER-SPEC BIN MODE ARGS...: one measurement, appended to $raw.
run() {
    local client=$1 spec=$2 bin=$3 mode=$4 rc=0 line cargs=()
    shift 4
    if [ -n "${unsupported[$client/$spec/$mode]:-}" ]; then
        return 0
    fi
    if [ -n "$spec" ]; then
        cargs=(--cipher "${spec%%:*}")
        if [ "$spec" != "${spec%%:*}" ]; then
            cargs+=(--mac "${spec#*:}")
        fi
    fi
    line=$("$bin" "$mode" "${common[@]}" "${cargs[@]}" "$@" 2>"$tmp/err") || rc=$?
    if [ "$rc" = 3 ]; then
        unsupported[$client/$spec/$mode]=1
        echo "   $client $mode ${spec:-default}: not supported by this client"
        printf '{"client":"%s","mode":"%s","spec":"%s","unsupported":true}\n' \
            "$client" "$mode" "$spec" >> "$raw"
        return 0
    fi
    if [ "$rc" != 0 ] || [ -z "$line" ]; then
        failures=$((failures + 1))
        echo "   $client $mode ${spec:-default}: FAILED ($rc): $(tr '\n' ' ' < "$tmp/err")" >&2
        printf '{"client":"%s","mode":"%s","spec":"%s","error":true}\n' \
            "$client" "$mode" "$spec" >> "$raw"
        return 0
    fi
    # The libssh2-API clients report what was negotiated: it must be what we forced.
    if [ -n "$spec" ] && [[ "$line" == *'"neg_cipher"'* ]] &&
       [[ "$line" != *"\"neg_cipher\":\"${spec%%:*}\""* ]]; then
        failures=$((failures + 1))
        echo "   $client $mode $spec: FAILED: negotiated something else: $line" >&2
        return 0
    fi
    echo "${line%\}},\"spec\":\"$spec\"}" >> "$raw"
    echo "   $client $mode ${spec:-default}: $line" | cut -c1-220
}

start=$(date +%s)
if [ "$smoke" = 1 ]; then
    # Self-checks of the harness: an unknown cipher is reported as unsupported
    # (exit 3), a short transfer is an error (exit 1), and both are told apart.
    echo "== self-checks"
    head -c 4096 /dev/urandom > "$data"
    rc=0
    "$s2_bin" upload "${common[@]}" --bytes 1 --cipher no-such-cipher >/dev/null 2>&1 || rc=$?
    if [ "$rc" != 3 ]; then
        echo "run-bench: self-check: unknown cipher gave exit $rc, expected 3" >&2
        failures=$((failures + 1))
    fi
    rc=0
    "$s2_bin" download "${common[@]}" --bytes 4097 --file "$data" >/dev/null 2>&1 || rc=$?
    if [ "$rc" != 1 ]; then
        echo "run-bench: self-check: short download gave exit $rc, expected 1" >&2
        failures=$((failures + 1))
    fi
    rc=0
    "$s2_bin" download "${common[@]}" --bytes 4096 --file "$data" >/dev/null 2>&1 || rc=$?
    if [ "$rc" != 0 ]; then
        echo "run-bench: self-check: exact download gave exit $rc, expected 0" >&2
        failures=$((failures + 1))
    fi
    rm -f "$data"
fi
if [[ " $only " == *" bulk "* ]]; then
    echo "== writing $size bytes to $data"
    head -c "$size" /dev/urandom > "$data"
    for rep in $(seq 1 "$reps"); do
        echo "== bulk transfers, repetition $rep/$reps"
        for spec in $ciphers; do
            for dir in download upload; do
                run ssh2core "$spec" "$s2_bin" "$dir" --bytes "$size" --file "$data"
                if [ -n "$ref_bin" ]; then
                    run libssh2 "$spec" "$ref_bin" "$dir" --bytes "$size" --file "$data"
                fi
                run openssh "$spec" "$s2_bin" "ssh-$dir" --bytes "$size" --file "$data"
            done
        done
    done
    rm -f "$data"
fi
if [[ " $only " == *" connect "* ]]; then
    echo "== connect + handshake + ed25519 auth + exec true + exit status + disconnect ($connects)"
    run ssh2core "" "$s2_bin" connect --count "$connects"
    [ -z "$ref_bin" ] || run libssh2 "" "$ref_bin" connect --count "$connects"
    run openssh "" "$s2_bin" ssh-connect --count "$connects"
fi
if [[ " $only " == *" exec "* ]]; then
    echo "== exec true on an open session ($execs)"
    run ssh2core "" "$s2_bin" exec --count "$execs"
    [ -z "$ref_bin" ] || run libssh2 "" "$ref_bin" exec --count "$execs"
    run openssh "" "$s2_bin" ssh-exec --count "$execs"
fi
if [[ " $only " == *" sessions "* ]]; then
    echo "== $sessions idle authenticated non-blocking sessions in one process"
    run ssh2core "" "$s2_bin" sessions --count "$sessions"
    [ -z "$ref_bin" ] || run libssh2 "" "$ref_bin" sessions --count "$sessions"
fi
elapsed=$(( $(date +%s) - start ))
echo "elapsed=${elapsed}s" >> "$out/env.txt"
echo "== measured in ${elapsed}s; results in $out"

/usr/bin/python3 "$here/chart.py" --in "$raw" --env "$out/env.txt" --out "$out"
if [ "$failures" != 0 ]; then
    echo "run-bench: $failures measurement(s) failed" >&2
    exit 1
fi
exit 0
