/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * crypto_init.c: library initialisation (libsodium), the CSPRNG, the
 * constant-time compare, and the mbedTLS RNG callback built on them.
 */
#include <sodium.h>

#include "crypto/crypto.h"
#include "crypto/crypto_int.h"

int
s2_crypto_init(void)
{
    /* sodium_init: 0 first time, 1 when already initialised, -1 on failure. */
    if (sodium_init() < 0) {
        return LIBSSH2_ERROR_INVAL;
    }
    return 0;
}

int
s2_random(void *buf, size_t n)
{
    if (n == 0) {
        return 0;
    }
    if (buf == NULL) {
        return LIBSSH2_ERROR_RANDGEN;
    }
    /* randombytes_buf cannot fail; it aborts if the kernel RNG is missing. */
    randombytes_buf(buf, n);
    return 0;
}

int
s2_ct_eq(const void *a, const void *b, size_t n)
{
    if (n == 0) {
        return 1;
    }
    return sodium_memcmp(a, b, n) == 0 ? 1 : 0;
}

int
s2_mbedtls_rng(void *ctx, unsigned char *out, size_t len)
{
    (void)ctx;
    return s2_random(out, len) == 0 ? 0 : -1;
}
