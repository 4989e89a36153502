#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# Test user, keys and server configs for tests/integration/test_auth.c
# (CTest fixture "auth_users", see auth.cmake and docs/AUTH-TESTING.md).
#
#   auth_fixture.sh setup DIR KEYDIR   create the user and everything below in DIR
#   auth_fixture.sh cleanup DIR        remove the user (DIR itself is kept)
#
# KEYDIR is tests/data/keys. Files written in DIR:
#   user, password            the test user (useradd -M; password set by chpasswd)
#   home/.ssh/authorized_keys the user's home (made by us, for Dropbear)
#   authorized_keys           every KEYDIR/*.pub except dsa* (sshd AuthorizedKeysFile)
#   keys.list                 "name encrypted(0|1)" for every usable KEYDIR/*.key
#   hostkey_{ed25519,rsa}     sshd host keys; db_hostkey_ed25519 for Dropbear
#   sshd_config               UsePAM yes, password + keyboard-interactive + publickey,
#                             TrustedUserCAKeys ca.pub
#   ca, ca.pub                the user CA (ssh-keygen)
#   cert_{ed25519,rsa}{,.pub,-cert.pub}   keys signed for the user (valid +1h)
#   cert_other{,-cert.pub}    signed for another principal (must be refused)
#   cert_expired{,-cert.pub}  signed with a validity window in the past
#   unauth_{ed25519,rsa}{,.pub}   keys not authorized anywhere
#   hb_{ed25519,rsa}{,.pub}   client host keys for hostbased auth, known for
#                             client.s2test.invalid (home/.ssh/known_hosts),
#                             trusted with local user s2local (home/.shosts)
#   hb_unknown{,.pub}         a host key no known_hosts lists
#   sshd_bin, dropbear_bin    server binaries (absent when not installed)
#   skip                      present (with a reason) when the tests must skip
#
# The user is only created as root; otherwise "skip" is written and the tests
# exit 77. The user name is derived from DIR, so two build trees do not collide.
set -euo pipefail

usage() {
    echo "usage: $0 setup DIR KEYDIR | cleanup DIR" >&2
    exit 2
}

[ $# -ge 2 ] || usage
cmd=$1
dir=$2

user_name() {
    echo "s2au$(printf '%s' "$dir" | md5sum | cut -c1-8)"
}

find_bin() {
    local name=$1 p
    for p in "/usr/sbin/$name" "/usr/local/sbin/$name" "/usr/bin/$name"; do
        if [ -x "$p" ]; then
            echo "$p"
            return 0
        fi
    done
    command -v "$name" 2>/dev/null || true
}

remove_user() {
    local u=$1
    if getent passwd "$u" >/dev/null 2>&1; then
        userdel "$u" >/dev/null 2>&1 || userdel -f "$u" >/dev/null 2>&1 || true
    fi
    if getent group "$u" >/dev/null 2>&1; then
        groupdel "$u" >/dev/null 2>&1 || true
    fi
}

setup() {
    local keydir=$1 u pw f name enc sshd db dbkey
    mkdir -p "$dir"
    rm -rf "${dir:?}"/*
    u=$(user_name)
    pw="S2-auth.$(date +%s)-$RANDOM"

    if [ "$(id -u)" != 0 ]; then
        echo "not root: cannot create the test user" > "$dir/skip"
        echo "auth_fixture: not root; auth tests will skip"
        return 0
    fi
    if ! command -v useradd >/dev/null || ! command -v chpasswd >/dev/null; then
        echo "useradd/chpasswd not found" > "$dir/skip"
        echo "auth_fixture: useradd/chpasswd missing; auth tests will skip"
        return 0
    fi
    if ! command -v ssh-keygen >/dev/null; then
        echo "ssh-keygen not found" > "$dir/skip"
        return 0
    fi

    remove_user "$u"
    useradd -M -d "$dir/home" -s /bin/sh -c "ssh2core auth test" "$u"
    echo "$u:$pw" | chpasswd
    echo "$u" > "$dir/user"
    echo "$pw" > "$dir/password"
    chmod 0600 "$dir/password"
    # The tests (root) need to read and traverse DIR; sshd and Dropbear (root until
    # auth) read the key files.
    chmod 0755 "$dir"

    # Authorized keys: every usable test key.
    : > "$dir/authorized_keys"
    : > "$dir/keys.list"
    for f in "$keydir"/*.key; do
        name=$(basename "$f" .key)
        case "$name" in
            dsa*) continue ;;
        esac
        if [ ! -f "$keydir/$name.pub" ]; then
            echo "auth_fixture: $name.pub missing" >&2
            return 1
        fi
        case "$name" in
            *aes*|*des3*|*chacha*) enc=1 ;;
            *) enc=0 ;;
        esac
        cat "$keydir/$name.pub" >> "$dir/authorized_keys"
        echo "$name $enc" >> "$dir/keys.list"
    done

    # Keys nobody authorized.
    ssh-keygen -q -t ed25519 -N '' -C unauth -f "$dir/unauth_ed25519"
    ssh-keygen -q -t rsa -b 2048 -N '' -C unauth -f "$dir/unauth_rsa"

    # A user CA and certificates.
    ssh-keygen -q -t ed25519 -N '' -C "ssh2core test CA" -f "$dir/ca"
    ssh-keygen -q -t ed25519 -N '' -C cert -f "$dir/cert_ed25519"
    ssh-keygen -q -t rsa -b 2048 -N '' -C cert -f "$dir/cert_rsa"
    ssh-keygen -q -t ecdsa -b 256 -N '' -C cert -f "$dir/cert_ecdsa256"
    ssh-keygen -q -t ed25519 -N '' -C cert -f "$dir/cert_other"
    ssh-keygen -q -t ed25519 -N '' -C cert -f "$dir/cert_expired"
    for f in cert_ed25519 cert_rsa cert_ecdsa256; do
        ssh-keygen -q -s "$dir/ca" -I "s2-$f" -n "$u" -V +1h "$dir/$f.pub"
    done
    ssh-keygen -q -s "$dir/ca" -I s2-cert_other -n "nobody-$u" -V +1h "$dir/cert_other.pub"
    ssh-keygen -q -s "$dir/ca" -I s2-cert_expired -n "$u" -V 20000101:20000102 \
        "$dir/cert_expired.pub"

    # The home directory, for Dropbear's ~/.ssh/authorized_keys (owner only).
    mkdir -p "$dir/home/.ssh"
    cp "$dir/authorized_keys" "$dir/home/.ssh/authorized_keys"

    # Hostbased: client host keys known for client.s2test.invalid in the user's
    # known_hosts, and that host with local user s2local trusted in ~/.shosts
    # (sshd runs with IgnoreRhosts=no HostbasedUsesNameFromPacketOnly=yes).
    ssh-keygen -q -t ed25519 -N '' -C hostbased -f "$dir/hb_ed25519"
    ssh-keygen -q -t rsa -b 2048 -N '' -C hostbased -f "$dir/hb_rsa"
    ssh-keygen -q -t ed25519 -N '' -C hostbased -f "$dir/hb_unknown"
    for f in hb_ed25519 hb_rsa; do
        echo "client.s2test.invalid $(cut -d' ' -f1,2 "$dir/$f.pub")" >> "$dir/home/.ssh/known_hosts"
    done
    echo "client.s2test.invalid s2local" > "$dir/home/.shosts"
    chmod 0600 "$dir/home/.shosts" "$dir/home/.ssh/known_hosts"
    chown -R "$u:" "$dir/home"
    chmod 0755 "$dir/home"
    chmod 0700 "$dir/home/.ssh"
    chmod 0600 "$dir/home/.ssh/authorized_keys"

    sshd=$(find_bin sshd)
    if [ -n "$sshd" ]; then
        mkdir -p /run/sshd
        chmod 0755 /run/sshd
        ssh-keygen -q -t ed25519 -N '' -C authfixture -f "$dir/hostkey_ed25519"
        ssh-keygen -q -t rsa -b 2048 -N '' -C authfixture -f "$dir/hostkey_rsa"
        cat > "$dir/sshd_config" <<CONF
# Generated by auth_fixture.sh; test_auth.c adds -o options per case.
HostKey $dir/hostkey_ed25519
HostKey $dir/hostkey_rsa
PidFile none
AuthorizedKeysFile $dir/authorized_keys
TrustedUserCAKeys $dir/ca.pub
UsePAM yes
StrictModes no
PermitRootLogin no
PasswordAuthentication yes
KbdInteractiveAuthentication yes
PubkeyAuthentication yes
AuthenticationMethods any
MaxAuthTries 50
LoginGraceTime 60
LogLevel DEBUG2
CONF
        echo "$sshd" > "$dir/sshd_bin"
    fi

    db=$(find_bin dropbear)
    dbkey=$(find_bin dropbearkey)
    if [ -n "$db" ] && [ -n "$dbkey" ]; then
        "$dbkey" -t ed25519 -f "$dir/db_hostkey_ed25519" >/dev/null 2>&1
        echo "$db" > "$dir/dropbear_bin"
    fi
    echo "auth_fixture: user $u, $(wc -l < "$dir/keys.list") keys in $dir"
}

cleanup() {
    local u
    u=$(user_name)
    if [ "$(id -u)" = 0 ]; then
        remove_user "$u"
    fi
    rm -f "$dir/password"
    rm -rf "${dir:?}/home"
    echo "auth_fixture: user $u removed"
}

case "$cmd" in
    setup)
        [ $# -eq 3 ] || usage
        setup "$3"
        ;;
    cleanup)
        [ $# -eq 2 ] || usage
        cleanup
        ;;
    *)
        usage
        ;;
esac
