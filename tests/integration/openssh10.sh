#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# OpenSSH 10.0 (the first release with mlkem768x25519-sha256 as its default KEX)
# built from Debian trixie's source package into a cache directory, for the
# post-quantum interop tests (tests/integration/test_pq.c, issue 10). Debian 12
# ships OpenSSH 9.2 only.
#
#   openssh10.sh build [CACHE]   build once (idempotent; later runs reuse CACHE)
#   openssh10.sh fixture [CACHE] as build, but "source unavailable" (exit 3) is
#                                reported and exits 0 (the CTest fixture step)
#   openssh10.sh path [CACHE]    print CACHE/sbin/sshd when built, else fail
#
# CACHE defaults to ${S2_CACHE:-$HOME/.cache/ssh2core}/openssh-10.0.
# The installed tree (make install-nokeys, no host keys):
#   CACHE/sbin/sshd, CACHE/bin/{ssh,ssh-keygen}, CACHE/libexec/{sshd-session,sshd-auth}
#   (OpenSSH 10 runs each connection in sshd-session and authentication in
#   sshd-auth; sshd execs them by the absolute libexec path compiled in, so the
#   tree must stay together), CACHE/empty (privilege separation directory),
#   CACHE/.built (the source tarball name, written last).
#
# Steps of a build:
#   1. a deb-src entry for trixie in /etc/apt/sources.list.d/ssh2core-trixie-src.sources,
#      with the mirror URL of the existing Debian entry (needs root), then apt-get update;
#   2. apt-get source --download-only openssh/trixie (into CACHE/dl, kept);
#   3. the upstream openssh_10.0p1.orig.tar.gz (no Debian patches, so no autoreconf):
#      ./configure --prefix=CACHE --with-privsep-path=CACHE/empty --without-pam ...,
#      make -j2 of the programs the tests use ($PROGRAMS below), installed in the
#      layout of "make install-nokeys";
#   libssl-dev, zlib1g-dev, and the "sshd" system user are installed/created when missing.
#
# Exit codes: 0 built (or already built); 1 a real error (configure/make failed);
# 3 the source could not be obtained (no root, no apt, mirror unreachable) - the
# tests needing OpenSSH 10 then skip. S2_OPENSSH10_JOBS overrides -j2.
set -euo pipefail

VERSION=10.0p1
PROGRAMS="sshd sshd-session sshd-auth ssh ssh-keygen sftp-server"
SRC_LIST=/etc/apt/sources.list.d/ssh2core-trixie-src.sources

usage() {
    echo "usage: $0 build|fixture|path [CACHE]" >&2
    exit 2
}

log() {
    echo "openssh10: $*"
}

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
    usage
fi
cmd=$1
cache=${2:-${S2_CACHE:-$HOME/.cache/ssh2core}/openssh-10.0}

built() {
    [ -f "$cache/.built" ] && [ -x "$cache/sbin/sshd" ] &&
        [ -x "$cache/libexec/sshd-session" ] && [ -x "$cache/libexec/sshd-auth" ]
}

as_root() {
    if [ "$(id -u)" = 0 ]; then
        "$@"
    elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
        sudo -n "$@"
    else
        return 99
    fi
}

# The mirror URL of the Debian main archive as configured here (deb822 or
# one-line format); deb.debian.org when none is found.
debian_mirror() {
    local f url=""
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -f "$f" ] || continue
        url=$(awk '
            /^[ \t]*$/ { if (u != "" && s ~ /(bookworm|trixie|stable)( |$)/ && s !~ /security/) {
                             print u; exit }
                         u = ""; s = ""; next }
            /^URIs:/   { u = $2 }
            /^Suites:/ { $1 = ""; s = $0 " " }
            END        { if (u != "" && s ~ /(bookworm|trixie|stable)( |$)/ && s !~ /security/)
                             print u }' "$f" | head -n 1)
        [ -n "$url" ] && break
    done
    if [ -z "$url" ]; then
        for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
            [ -f "$f" ] || continue
            url=$(awk '$1 == "deb" && $0 !~ /security/ && $0 ~ /debian/ {
                           for (i = 2; i <= NF; i++)
                               if ($i ~ /^[a-z]+:\/\//) { print $i; exit } }' \
                  "$f" | head -n 1)
            [ -n "$url" ] && break
        done
    fi
    echo "${url:-http://deb.debian.org/debian}"
}

add_trixie_src() {
    local mirror keyring tmp
    mirror=$(debian_mirror)
    keyring=/usr/share/keyrings/debian-archive-keyring.gpg
    tmp=$(mktemp)
    {
        echo "# Added by ssh2core tests/integration/openssh10.sh: trixie sources only"
        echo "# (OpenSSH 10.0 for the post-quantum interop tests); no binary packages."
        echo "Types: deb-src"
        echo "URIs: $mirror"
        echo "Suites: trixie"
        echo "Components: main"
        [ -f "$keyring" ] && echo "Signed-By: $keyring"
    } > "$tmp"
    if [ -f "$SRC_LIST" ] && cmp -s "$tmp" "$SRC_LIST"; then
        rm -f "$tmp"
        return 0
    fi
    log "adding $SRC_LIST (deb-src $mirror trixie main)"
    as_root install -m 0644 "$tmp" "$SRC_LIST" || { rm -f "$tmp"; return 1; }
    rm -f "$tmp"
    # Refresh only the new entry; the other lists stay as they are.
    as_root apt-get update -q -o Dir::Etc::sourcelist="$SRC_LIST" \
        -o Dir::Etc::sourceparts=- -o APT::Get::List-Cleanup=0 ||
        as_root apt-get update -q
}

fetch_source() {
    mkdir -p "$cache/dl"
    if [ -f "$cache/dl/openssh_$VERSION.orig.tar.gz" ]; then
        return 0
    fi
    add_trixie_src || return 3
    if ! (cd "$cache/dl" && apt-get source --download-only -q openssh/trixie) &&
       ! (cd "$cache/dl" && as_root apt-get update -q &&
          apt-get source --download-only -q openssh/trixie); then
        log "apt-get source openssh/trixie failed" >&2
        return 3
    fi
    [ -f "$cache/dl/openssh_$VERSION.orig.tar.gz" ] || {
        log "no openssh_$VERSION.orig.tar.gz in the trixie source package:" \
            "$(ls "$cache/dl")" >&2
        return 3
    }
}

need_packages() {
    local missing="" p
    for p in libssl-dev zlib1g-dev make gcc; do
        dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
    done
    [ -z "$missing" ] && return 0
    log "installing$missing"
    # shellcheck disable=SC2086
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        $missing || return 3
}

need_sshd_user() {
    getent passwd sshd >/dev/null && return 0
    log "creating the sshd system user (privilege separation)"
    as_root useradd -r -M -d /run/sshd -s /usr/sbin/nologin -c "sshd privsep" sshd || return 3
}

build() {
    local work start mid end jobs
    if built; then
        log "already built: $cache/sbin/sshd ($(cat "$cache/.built"))"
        return 0
    fi
    command -v apt-get >/dev/null || { log "no apt-get: cannot fetch the source" >&2; return 3; }
    need_packages || return 3
    need_sshd_user || return 3
    fetch_source || return $?

    start=$(date +%s)
    jobs=${S2_OPENSSH10_JOBS:-2}
    work=$(mktemp -d "${TMPDIR:-/tmp}/openssh10.XXXXXX")
    # shellcheck disable=SC2064
    trap "rm -rf '$work'" EXIT
    tar -xzf "$cache/dl/openssh_$VERSION.orig.tar.gz" -C "$work"
    cd "$work/openssh-$VERSION"
    log "configure (log: $work/configure.log)"
    # -O2 without -g: the tests need working binaries, not debug info.
    if ! ./configure --prefix="$cache" --with-privsep-path="$cache/empty" \
            --with-privsep-user=sshd --without-pam --without-selinux \
            --without-kerberos5 --without-libedit --without-security-key-builtin \
            --with-pid-dir="$cache/run" --disable-strip CFLAGS="-O2 -pipe" \
            >"$work/configure.log" 2>&1; then
        tail -n 30 "$work/configure.log" >&2
        return 1
    fi
    mid=$(date +%s)
    log "configure took $((mid - start)) s; make -j$jobs"
    # Only what the tests run: the server trio, the client (ssh -Q, client CPU
    # comparisons), ssh-keygen and sftp-server; the rest of OpenSSH is not built.
    # shellcheck disable=SC2086
    if ! make -j"$jobs" $PROGRAMS >"$work/make.log" 2>&1; then
        tail -n 30 "$work/make.log" >&2
        return 1
    fi
    # The layout of "make install-nokeys", limited to these programs.
    install -d "$cache/bin" "$cache/sbin" "$cache/libexec" "$cache/etc" "$cache/empty"
    install -m 0755 ssh ssh-keygen "$cache/bin/"
    install -m 0755 sshd "$cache/sbin/"
    install -m 0755 sshd-session sshd-auth sftp-server "$cache/libexec/"
    install -m 0644 moduli "$cache/etc/moduli"
    install -m 0644 sshd_config.out "$cache/etc/sshd_config" 2>/dev/null ||
        install -m 0644 sshd_config "$cache/etc/sshd_config"
    # sshd insists on a root-owned privsep directory that others cannot write.
    mkdir -p "$cache/empty" "$cache/run"
    chmod 0755 "$cache/empty"
    end=$(date +%s)
    "$cache/sbin/sshd" -V 2>&1 | head -n 1 > "$cache/version" || true
    echo "openssh_$VERSION.orig.tar.gz built in $((end - start)) s" > "$cache/.built"
    log "built $cache/sbin/sshd ($(cat "$cache/version")) in $((end - start)) s"
}

case "$cmd" in
    build|fixture)
        mkdir -p "$cache"
        cache=$(cd "$cache" && pwd)
        # One build at a time per cache (several build trees may share it).
        exec 9>"$cache/.lock"
        if command -v flock >/dev/null; then
            flock 9
        fi
        rc=0
        build || rc=$?
        if [ "$rc" = 3 ]; then
            log "OpenSSH $VERSION unavailable; the tests that need it will skip" >&2
            [ "$cmd" = fixture ] && rc=0
        fi
        exit "$rc"
        ;;
    path)
        if built; then
            echo "$cache/sbin/sshd"
            exit 0
        fi
        exit 1
        ;;
    *)
        usage
        ;;
esac
