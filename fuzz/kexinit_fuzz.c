/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer harness for s2_kexinit_parse (RFC 4253 7.1). The input is a
 * whole KEXINIT payload including its message byte (whatever its value).
 * On success it negotiates each list against a client list, checks the
 * guess, and rebuilds the payload with s2_kexinit_build: the rebuilt bytes
 * must parse to the same lists (round trip).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "transport/tp_parse_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

static char lists_c[S2_KL_COUNT][S2_NAMELIST_MAX + 1];
static uint8_t rebuilt[S2_KL_COUNT * (S2_NAMELIST_MAX + 4) + 64];

static const char *const ours[S2_KL_COUNT] = {
    ("curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,"
     "diffie-hellman-group14-sha256,ext-info-c,kex-strict-c-v00@openssh.com"),
    "ssh-ed25519,ecdsa-sha2-nistp256,rsa-sha2-512,rsa-sha2-256",
    "chacha20-poly1305@openssh.com,aes128-ctr,aes256-ctr",
    "chacha20-poly1305@openssh.com,aes128-ctr,aes256-ctr",
    "hmac-sha2-256-etm@openssh.com,hmac-sha2-256,hmac-sha1",
    "hmac-sha2-256-etm@openssh.com,hmac-sha2-256,hmac-sha1",
    "none,zlib@openssh.com",
    "none,zlib@openssh.com",
    "",
    "",
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
    struct s2_rd r;
    struct s2_kexinit k, k2;
    struct s2_wr w;
    const char *lp[S2_KL_COUNT];
    char out[S2_NAME_MAX + 1];
    size_t i;

    s2_rd_init(&r, data, len);
    (void)s2_rd_u8(&r); /* message number */
    if (s2_kexinit_parse(&r, &k) != 0) {
        return 0;
    }
    for (i = 0; i < S2_KL_COUNT; i++) {
        int ret = s2_kex_negotiate(ours[i], &k.list[i], out, sizeof(out));
        if (ret == 0 && !s2_namelist_has((const char *)k.list[i].p, k.list[i].left, out,
                                         strlen(out))) {
            abort();
        }
        if (ret != 0 && ret != LIBSSH2_ERROR_KEX_FAILURE) {
            abort();
        }
    }
    (void)s2_kex_guess_ok(ours[0], ours[1], &k);

    for (i = 0; i < S2_KL_COUNT; i++) {
        if (k.list[i].left > S2_NAMELIST_MAX) {
            abort();
        }
        if (k.list[i].left > 0) {
            memcpy(lists_c[i], k.list[i].p, k.list[i].left);
        }
        lists_c[i][k.list[i].left] = '\0';
        lp[i] = lists_c[i];
    }
    s2_wr_fixed(&w, rebuilt, sizeof(rebuilt));
    s2_kexinit_build(&w, k.cookie, lp);
    if (s2_wr_ok(&w) != 0) {
        abort();
    }
    s2_rd_init(&r, rebuilt, w.len);
    (void)s2_rd_u8(&r);
    if (s2_kexinit_parse(&r, &k2) != 0 || memcmp(k.cookie, k2.cookie, 16) != 0) {
        abort();
    }
    for (i = 0; i < S2_KL_COUNT; i++) {
        if (k2.list[i].left != k.list[i].left ||
            (k.list[i].left > 0 && memcmp(k2.list[i].p, k.list[i].p, k.list[i].left) != 0)) {
            abort();
        }
    }
    return 0;
}
