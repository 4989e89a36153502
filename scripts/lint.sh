#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Floor-plan and banned-function lint (STYLE.md sections 2, 6 and 10):
#  - a module includes only the module headers its floor allows;
#  - no libc allocation or unsafe string calls in src/ outside core/alloc.c;
#  - only src/crypto includes sodium.h or mbedtls/, only comp_zlib.c zlib.h.
set -u
cd "$(dirname "$0")/.."
fail=0

allowed() { # module -> allowed module headers (besides its own)
    case "$1" in
    core) echo "" ;;
    crypto) echo "core" ;;
    keys) echo "core crypto" ;;
    transport) echo "core crypto keys" ;;
    auth) echo "core crypto keys transport" ;;
    channel) echo "core transport" ;;
    sftp | scp) echo "core channel" ;;
    agent) echo "core crypto keys channel" ;;
    publickey) echo "core channel" ;;
    api) echo "core crypto keys transport auth channel sftp scp agent publickey" ;;
    *) echo "" ;;
    esac
}

for f in $(find src -name '*.[ch]' | sort); do
    mod=$(echo "$f" | cut -d/ -f2)
    for inc in $(grep -oE '^#include "[a-z_]+/[a-z_0-9]+\.h"' "$f" | sed -E 's/#include "([a-z_]+)\/.*/\1/'); do
        [ "$inc" = "$mod" ] && continue
        if ! echo " $(allowed "$mod") " | grep -q " $inc "; then
            echo "lint: $f includes a $inc header: $mod may not reach $inc"
            fail=1
        fi
    done
    # other modules may include only a module's public header (<mod>/<mod>.h);
    # the transport's wire constants (ssh_msg.h) are the protocol's one header
    for hdr in $(grep -oE '^#include "[a-z_]+/[a-z_0-9]+\.h"' "$f" | sed -E 's/#include "(.*)"/\1/'); do
        m=${hdr%%/*}
        [ "$m" = "$mod" ] && continue
        [ "$hdr" = "$m/$m.h" ] && continue
        [ "$hdr" = "transport/ssh_msg.h" ] && continue
        echo "lint: $f includes private header $hdr"
        fail=1
    done
done

banned=$(grep -rnP '(?<![.>])\b(malloc|calloc|realloc|free|strdup|strndup|strcpy|strcat|sprintf|vsprintf|alloca|gets)\s*\(' \
    src --include='*.c' | grep -v '^src/core/alloc.c' | grep -vE '^\S+:\s*/?\*' | grep -vE 's2_|sodium_|mbedtls_')
if [ -n "$banned" ]; then
    echo "lint: banned calls in src/ (use the session allocator and s2_wr):"
    echo "$banned"
    fail=1
fi
crypto_inc=$(grep -rlE '#include [<"](sodium\.h|mbedtls/)' src | grep -v '^src/crypto/')
if [ -n "$crypto_inc" ]; then
    echo "lint: only src/crypto may include libsodium or mbedTLS: $crypto_inc"
    fail=1
fi
zlib_inc=$(grep -rl '#include <zlib.h>' src | grep -v '^src/transport/comp_zlib.c')
if [ -n "$zlib_inc" ]; then
    echo "lint: only src/transport/comp_zlib.c may include zlib.h: $zlib_inc"
    fail=1
fi
if [ "$fail" = 0 ]; then
    echo "lint: ok"
fi
exit $fail
