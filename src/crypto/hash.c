/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * hash.c: one-shot and incremental hashes behind struct s2_hash. SHA-256 and
 * SHA-1 run on the x86 SHA extensions (sha_ni.c) when s2_cpu_features()
 * has S2_CPU_SHANI at s2_hash_init() time, with the buffering, padding and
 * length encoding of FIPS 180-4 5.1.1 done here; otherwise SHA-256 and
 * SHA-512 come from libsodium and SHA-1, SHA-384 and MD5 (fingerprints
 * only) from mbedTLS. All state lives inside struct s2_hash and holds no
 * pointers, so hashing never allocates and a state may be copied with
 * memcpy (the HMAC code does so for its pre-keyed pad states).
 */
#include <stdalign.h>
#include <string.h>

#include <sodium.h>

#include <mbedtls/md5.h>
#include <mbedtls/sha1.h>
#include <mbedtls/sha512.h>

#include "crypto/crypto.h"
#include "crypto/crypto_int.h"

/* The SHA-NI state: hash value, pending partial block, length so far. */
struct ni_state {
    uint32_t h[8];   /* H0..H7 (SHA-1 uses H0..H4) */
    uint64_t total;  /* message bytes absorbed (FIPS 180-4: < 2^61) */
    uint8_t buf[64]; /* the partial block */
    size_t used;     /* bytes in buf, < 64 */
};

/* SHA-1 and SHA-256 state: which implementation s2_hash_init chose. */
struct sha_state {
    int ni; /* 1: SHA-NI kernels below; 0: the library state */
    union {
        crypto_hash_sha256_state sodium; /* SHA-256 fallback */
        mbedtls_sha1_context mbed;       /* SHA-1 fallback */
        struct ni_state ni;
    } u;
};

#define FITS(t) (sizeof(t) <= S2_HASH_STATE_SIZE && alignof(t) <= alignof(uint64_t))
_Static_assert(FITS(mbedtls_md5_context), "md5 state too large");
_Static_assert(FITS(mbedtls_sha1_context), "sha1 state too large");
_Static_assert(FITS(mbedtls_sha512_context), "sha384 state too large");
_Static_assert(FITS(crypto_hash_sha256_state), "sha256 state too large");
_Static_assert(FITS(crypto_hash_sha512_state), "sha512 state too large");
_Static_assert(FITS(struct sha_state), "sha1/sha256 state too large");

#if S2_HAVE_SHANI
/* FIPS 180-4 5.3.1 and 5.3.3: initial hash values. */
static const uint32_t sha1_iv[5] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0};
static const uint32_t sha256_iv[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                      0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};

static void
ni_blocks(enum s2_hash_alg alg, struct ni_state *s, const uint8_t *p, size_t num_blocks)
{
    if (alg == S2_HASH_SHA256) {
        s2_sha256_blocks_ni(s->h, p, num_blocks);
    } else {
        s2_sha1_blocks_ni(s->h, p, num_blocks);
    }
}

static void
ni_init(enum s2_hash_alg alg, struct ni_state *s)
{
    if (alg == S2_HASH_SHA256) {
        memcpy(s->h, sha256_iv, sizeof(sha256_iv));
    } else {
        memcpy(s->h, sha1_iv, sizeof(sha1_iv));
    }
    s->total = 0;
    s->used = 0;
}

/* Absorbs |n| bytes: top up the partial block, then whole blocks straight
 * from |p|, then keep the tail. */
static void
ni_update(enum s2_hash_alg alg, struct ni_state *s, const uint8_t *p, size_t n)
{
    size_t take;

    s->total += n;
    if (s->used > 0) {
        take = sizeof(s->buf) - s->used;
        if (take > n) {
            take = n;
        }
        memcpy(s->buf + s->used, p, take);
        s->used += take;
        p += take;
        n -= take;
        if (s->used < sizeof(s->buf)) {
            return;
        }
        ni_blocks(alg, s, s->buf, 1);
        s->used = 0;
    }
    if (n >= 64) {
        ni_blocks(alg, s, p, n / 64);
        p += n & ~(size_t)63;
        n &= 63;
    }
    if (n > 0) {
        memcpy(s->buf, p, n);
        s->used = n;
    }
}

/* FIPS 180-4 5.1.1: append bit 1, zeros up to 56 mod 64 bytes, then the
 * message length in bits as a 64-bit big-endian integer; output the hash
 * value big-endian (6.1.2, 6.2.2). */
static void
ni_final(enum s2_hash_alg alg, struct ni_state *s, uint8_t *out)
{
    uint64_t bits = s->total * 8u;
    size_t words = alg == S2_HASH_SHA256 ? 8 : 5;
    size_t i;

    s->buf[s->used++] = 0x80;
    if (s->used > 56) {
        memset(s->buf + s->used, 0, sizeof(s->buf) - s->used);
        ni_blocks(alg, s, s->buf, 1);
        s->used = 0;
    }
    memset(s->buf + s->used, 0, 56 - s->used);
    s2_put_u32(s->buf + 56, (uint32_t)(bits >> 32));
    s2_put_u32(s->buf + 60, (uint32_t)bits);
    ni_blocks(alg, s, s->buf, 1);
    for (i = 0; i < words; i++) {
        s2_put_u32(out + 4 * i, s->h[i]);
    }
}
#endif /* S2_HAVE_SHANI */

/* SHA-1 / SHA-256 dispatch: SHA-NI when chosen at init, else the library. */
static void
sha_init(struct sha_state *s, enum s2_hash_alg alg)
{
    memset(s, 0, sizeof(*s));
#if S2_HAVE_SHANI
    if ((s2_cpu_features() & S2_CPU_SHANI) != 0) {
        s->ni = 1;
        ni_init(alg, &s->u.ni);
        return;
    }
#endif
    if (alg == S2_HASH_SHA256) {
        (void)crypto_hash_sha256_init(&s->u.sodium);
    } else {
        mbedtls_sha1_init(&s->u.mbed);
        (void)mbedtls_sha1_starts_ret(&s->u.mbed);
    }
}

static void
sha_update(struct sha_state *s, enum s2_hash_alg alg, const uint8_t *p, size_t n)
{
#if S2_HAVE_SHANI
    if (s->ni) {
        ni_update(alg, &s->u.ni, p, n);
        return;
    }
#endif
    if (alg == S2_HASH_SHA256) {
        (void)crypto_hash_sha256_update(&s->u.sodium, p, n);
    } else {
        (void)mbedtls_sha1_update_ret(&s->u.mbed, p, n);
    }
}

static void
sha_final(struct sha_state *s, enum s2_hash_alg alg, uint8_t *out)
{
#if S2_HAVE_SHANI
    if (s->ni) {
        ni_final(alg, &s->u.ni, out);
        return;
    }
#endif
    if (alg == S2_HASH_SHA256) {
        (void)crypto_hash_sha256_final(&s->u.sodium, out);
    } else {
        (void)mbedtls_sha1_finish_ret(&s->u.mbed, out);
    }
}

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
    case S2_HASH_SHA256:
        sha_init(st, alg);
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
    case S2_HASH_SHA256:
        sha_update(st, h->alg, p, n);
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
    case S2_HASH_SHA256:
        sha_final(st, h->alg, out);
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

int
s2_hash_uses_shani(const struct s2_hash *h)
{
    const struct sha_state *s = (const void *)h->st.b;

    if (h->alg != S2_HASH_SHA1 && h->alg != S2_HASH_SHA256) {
        return 0;
    }
    return s->ni;
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
