/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * hmac.c: HMAC (RFC 2104) over struct s2_hash, and the transport MAC of
 * RFC 4253 6.4: mac = MAC(key, uint32 sequence_number || unencrypted_packet).
 * A struct s2_mac holds the hash states after the keyed inner and outer pad
 * blocks, computed once per key (s2_mac_new); each packet copies them, so a
 * packet costs only the compression calls over its own bytes (inner:
 * ceil((4 + len + 9) / 64) blocks; outer: one block for SHA-1/SHA-256)
 * and never allocates or re-hashes ipad/opad. The states come from
 * s2_hash_init, so they run on SHA-NI when the CPU has it (hash.c).
 */
#include <string.h>

#include <sodium.h>

#include "crypto/crypto.h"

#define HMAC_BLOCK_MAX 128u

struct s2_mac {
    enum s2_hash_alg alg;
    size_t len;
    struct s2_hash inner; /* H after (K ^ ipad) */
    struct s2_hash outer; /* H after (K ^ opad) */
};

/* Input block size B of each hash (RFC 2104 2). */
static size_t
block_len(enum s2_hash_alg alg)
{
    switch (alg) {
    case S2_HASH_MD5:
    case S2_HASH_SHA1:
    case S2_HASH_SHA256:
        return 64;
    case S2_HASH_SHA384:
    case S2_HASH_SHA512:
        return 128;
    }
    return 0;
}

/* Fills |inner| and |outer| with the keyed pad states of HMAC-|alg|. */
static int
hmac_key(enum s2_hash_alg alg, const void *key, size_t key_len, struct s2_hash *inner,
         struct s2_hash *outer)
{
    uint8_t k[HMAC_BLOCK_MAX];
    size_t b = block_len(alg);
    size_t i;
    int r;

    if (b == 0) {
        return LIBSSH2_ERROR_INVAL;
    }
    memset(k, 0, sizeof(k));
    if (key_len > b) {
        /* Keys longer than B are hashed first (RFC 2104 3). */
        r = s2_hash_once(alg, key, key_len, k);
        if (r != 0) {
            return r;
        }
    } else if (key_len > 0) {
        memcpy(k, key, key_len);
    }
    for (i = 0; i < b; i++) {
        k[i] ^= 0x36;
    }
    r = s2_hash_init(inner, alg);
    if (r != 0) {
        goto out;
    }
    s2_hash_update(inner, k, b);
    for (i = 0; i < b; i++) {
        k[i] ^= 0x36 ^ 0x5c;
    }
    r = s2_hash_init(outer, alg);
    if (r != 0) {
        goto out;
    }
    s2_hash_update(outer, k, b);
out:
    s2_wipe(k, sizeof(k));
    return r;
}

int
s2_hmac_once(enum s2_hash_alg alg, const void *key, size_t key_len, const void *data,
             size_t data_len, uint8_t *out)
{
    struct s2_hash inner;
    struct s2_hash outer;
    uint8_t ih[S2_HASH_MAX_LEN];
    int r;

    r = hmac_key(alg, key, key_len, &inner, &outer);
    if (r != 0) {
        goto out;
    }
    s2_hash_update(&inner, data, data_len);
    s2_hash_final(&inner, ih);
    s2_hash_update(&outer, ih, s2_hash_len(alg));
    s2_hash_final(&outer, out);
out:
    s2_wipe(&inner, sizeof(inner));
    s2_wipe(&outer, sizeof(outer));
    s2_wipe(ih, sizeof(ih));
    return r;
}

int
s2_mac_new(const struct s2_allocator *a, enum s2_hash_alg alg, const uint8_t *key,
           size_t key_len, struct s2_mac **out)
{
    struct s2_mac *m = NULL;
    int r;

    *out = NULL;
    if (s2_hash_len(alg) == 0) {
        return LIBSSH2_ERROR_INVAL;
    }
    m = s2_zalloc(a, sizeof(*m));
    if (m == NULL) {
        return LIBSSH2_ERROR_ALLOC;
    }
    m->alg = alg;
    m->len = s2_hash_len(alg);
    r = hmac_key(alg, key, key_len, &m->inner, &m->outer);
    if (r != 0) {
        goto out;
    }
    *out = m;
    m = NULL;
out:
    s2_mac_free(a, m);
    return r;
}

size_t
s2_mac_len(const struct s2_mac *m)
{
    return m->len;
}

void
s2_mac_packet(struct s2_mac *m, uint32_t seqno, const uint8_t *data, size_t len, uint8_t *out)
{
    struct s2_hash h;
    uint8_t seq[4];
    uint8_t ih[S2_HASH_MAX_LEN];

    s2_put_u32(seq, seqno);
    memcpy(&h, &m->inner, sizeof(h));
    s2_hash_update(&h, seq, sizeof(seq));
    s2_hash_update(&h, data, len);
    s2_hash_final(&h, ih);
    memcpy(&h, &m->outer, sizeof(h));
    s2_hash_update(&h, ih, m->len);
    s2_hash_final(&h, out);
    /* s2_hash_final wiped h; ih holds m->len bytes of inner digest. A
     * library wipe (explicit_bzero) rather than a byte loop: per packet. */
    sodium_memzero(ih, m->len);
}

void
s2_mac_free(const struct s2_allocator *a, struct s2_mac *m)
{
    if (m == NULL) {
        return;
    }
    s2_free_secret(a, m, sizeof(*m));
}
