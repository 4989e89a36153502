/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * hash.c: one-shot and incremental hashes behind struct s2_hash. SHA-256 and
 * SHA-512 come from libsodium; SHA-1, SHA-384 and MD5 (fingerprints only)
 * from mbedTLS. The library state lives inside struct s2_hash, so hashing
 * never allocates.
 */
#include <stdalign.h>
#include <string.h>

#include <sodium.h>

#include <mbedtls/md5.h>
#include <mbedtls/sha1.h>
#include <mbedtls/sha512.h>

#include "crypto/crypto.h"
#include "crypto/crypto_int.h"

#define FITS(t) (sizeof(t) <= S2_HASH_STATE_SIZE && alignof(t) <= alignof(uint64_t))
_Static_assert(FITS(mbedtls_md5_context), "md5 state too large");
_Static_assert(FITS(mbedtls_sha1_context), "sha1 state too large");
_Static_assert(FITS(mbedtls_sha512_context), "sha384 state too large");
_Static_assert(FITS(crypto_hash_sha256_state), "sha256 state too large");
_Static_assert(FITS(crypto_hash_sha512_state), "sha512 state too large");

size_t
s2_hash_len(enum s2_hash_alg alg)
{
    switch (alg) {
    case S2_HASH_MD5:
        return 16;
    case S2_HASH_SHA1:
        return 20;
    case S2_HASH_SHA256:
        return 32;
    case S2_HASH_SHA384:
        return 48;
    case S2_HASH_SHA512:
        return 64;
    }
    return 0;
}

int
s2_hash_init(struct s2_hash *h, enum s2_hash_alg alg)
{
    void *st = h->st.b;

    switch (alg) {
    case S2_HASH_MD5:
        mbedtls_md5_init(st);
        (void)mbedtls_md5_starts_ret(st);
        break;
    case S2_HASH_SHA1:
        mbedtls_sha1_init(st);
        (void)mbedtls_sha1_starts_ret(st);
        break;
    case S2_HASH_SHA256:
        (void)crypto_hash_sha256_init(st);
        break;
    case S2_HASH_SHA384:
        mbedtls_sha512_init(st);
        (void)mbedtls_sha512_starts_ret(st, 1);
        break;
    case S2_HASH_SHA512:
        (void)crypto_hash_sha512_init(st);
        break;
    default:
        return LIBSSH2_ERROR_INVAL;
    }
    h->alg = alg;
    return 0;
}

void
s2_hash_update(struct s2_hash *h, const void *p, size_t n)
{
    void *st = h->st.b;

    if (n == 0) {
        return;
    }
    switch (h->alg) {
    case S2_HASH_MD5:
        (void)mbedtls_md5_update_ret(st, p, n);
        break;
    case S2_HASH_SHA1:
        (void)mbedtls_sha1_update_ret(st, p, n);
        break;
    case S2_HASH_SHA256:
        (void)crypto_hash_sha256_update(st, p, n);
        break;
    case S2_HASH_SHA384:
        (void)mbedtls_sha512_update_ret(st, p, n);
        break;
    case S2_HASH_SHA512:
        (void)crypto_hash_sha512_update(st, p, n);
        break;
    }
}

void
s2_hash_final(struct s2_hash *h, uint8_t *out)
{
    void *st = h->st.b;

    switch (h->alg) {
    case S2_HASH_MD5:
        (void)mbedtls_md5_finish_ret(st, out);
        break;
    case S2_HASH_SHA1:
        (void)mbedtls_sha1_finish_ret(st, out);
        break;
    case S2_HASH_SHA256:
        (void)crypto_hash_sha256_final(st, out);
        break;
    case S2_HASH_SHA384:
        (void)mbedtls_sha512_finish_ret(st, out);
        break;
    case S2_HASH_SHA512:
        (void)crypto_hash_sha512_final(st, out);
        break;
    }
    sodium_memzero(h->st.b, sizeof(h->st.b));
}

int
s2_hash_once(enum s2_hash_alg alg, const void *p, size_t n, uint8_t *out)
{
    struct s2_hash h;
    int r;

    r = s2_hash_init(&h, alg);
    if (r != 0) {
        return r;
    }
    s2_hash_update(&h, p, n);
    s2_hash_final(&h, out);
    return 0;
}

mbedtls_md_type_t
s2_md_type(enum s2_hash_alg alg)
{
    switch (alg) {
    case S2_HASH_SHA1:
        return MBEDTLS_MD_SHA1;
    case S2_HASH_SHA256:
        return MBEDTLS_MD_SHA256;
    case S2_HASH_SHA384:
        return MBEDTLS_MD_SHA384;
    case S2_HASH_SHA512:
        return MBEDTLS_MD_SHA512;
    default:
        return MBEDTLS_MD_NONE;
    }
}

