/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_sha_kernels.c: the SHA-256 / SHA-1 SHA-NI kernels (sha_ni.c) and the
 * s2_hash / HMAC code that picks them at s2_hash_init() time. Each test runs
 * twice: once on SHA-NI and once on the forced fallback (libsodium /
 * mbedTLS, via SSH2CORE_CPU_MASK=0x4 and s2_cpu_reset_for_tests()); the
 * SHA-NI half is skipped with a message when the CPU lacks it.
 *  - FIPS 180-4 example vectors: "abc", the 448- and 896-bit messages, one
 *    million 'a' (plus the empty message), and the raw kernels on hand-padded
 *    blocks;
 *  - RFC 2202 HMAC-SHA-1 and RFC 4231 HMAC-SHA-256/512, through s2_hmac_once
 *    and the pre-keyed transport MAC s2_mac_packet;
 *  - both implementations agree on pseudo-random input of every length
 *    0..4096 at every alignment 0..15, and for incremental updates split at
 *    random points and at every offset around the block boundaries.
 * Flipped input, key or digest bytes must change the result.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"

#include "crypto/crypto.h"
#include "crypto/crypto_int.h"

#define MAX_LEN 4096u
#define NUM_ALIGN 16u

/* ---- implementation switch ---- */

static char orig_mask[64]; /* SSH2CORE_CPU_MASK as the test started */
static int orig_mask_set;
static int have_shani;

/* Selects SHA-NI (|ni| = 1) or the fallback for later s2_hash_init calls.
 * Returns 0 when SHA-NI is wanted but unavailable. */
static int
use_impl(int ni)
{
    char buf[64];
    unsigned long m = 0;

    if (orig_mask_set) {
        m = strtoul(orig_mask, NULL, 0);
    }
    if (ni) {
        if (orig_mask_set) {
            assert_int_equal(setenv("SSH2CORE_CPU_MASK", orig_mask, 1), 0);
        } else {
            assert_int_equal(unsetenv("SSH2CORE_CPU_MASK"), 0);
        }
    } else {
        snprintf(buf, sizeof(buf), "0x%lx", m | S2_CPU_SHANI);
        assert_int_equal(setenv("SSH2CORE_CPU_MASK", buf, 1), 0);
    }
    s2_cpu_reset_for_tests();
    if (!ni) {
        assert_int_equal(s2_cpu_features() & S2_CPU_SHANI, 0);
        return 1;
    }
    return (s2_cpu_features() & S2_CPU_SHANI) != 0;
}

static void
restore_impl(void)
{
    (void)use_impl(1);
}

/* Asserts that a fresh state of |alg| runs on the implementation |ni|. */
static void
check_selected(enum s2_hash_alg alg, int ni)
{
    struct s2_hash h;
    uint8_t out[S2_HASH_MAX_LEN];

    assert_int_equal(s2_hash_init(&h, alg), 0);
    assert_int_equal(s2_hash_uses_shani(&h), ni);
    s2_hash_final(&h, out);
}

/* deterministic xorshift64* so that a failure reproduces */
static uint64_t rng_state;

static uint64_t
rng(void)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545f4914f6cdd1dULL;
}

static void
rng_fill(uint8_t *p, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        p[i] = (uint8_t)(rng() >> 56);
    }
}

/* ---- FIPS 180-4 example vectors ---- */

#define MSG448 "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
#define MSG896                                                                     \
    "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnop" \
    "qklmnopqrlmnopqrsmnopqrstnopqrstu"

struct hvec {
    enum s2_hash_alg alg;
    const char *msg; /* NULL: one million 'a' */
    const char *digest;
};

static const struct hvec hvecs[] = {
    { S2_HASH_SHA1, "abc", "a9993e364706816aba3e25717850c26c9cd0d89d" },
    { S2_HASH_SHA1, MSG448, "84983e441c3bd26ebaae4aa1f95129e5e54670f1" },
    { S2_HASH_SHA1, MSG896, "a49b2446a02c645bf419f995b67091253a04a259" },
    { S2_HASH_SHA1, NULL, "34aa973cd4c4daa4f61eeb2bdbad27316534016f" },
    { S2_HASH_SHA1, "", "da39a3ee5e6b4b0d3255bfef95601890afd80709" },
    { S2_HASH_SHA256, "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
    { S2_HASH_SHA256, MSG448,
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
    { S2_HASH_SHA256, MSG896,
      "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1" },
    { S2_HASH_SHA256, NULL, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0" },
    { S2_HASH_SHA256, "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
};

#define NUM_HVECS (sizeof(hvecs) / sizeof(hvecs[0]))
#define MILLION 1000000u

static uint8_t million_a[MILLION];

static void
fips_vectors(int ni)
{
    uint8_t want[S2_HASH_MAX_LEN];
    uint8_t got[S2_HASH_MAX_LEN];
    uint8_t copy[128];
    struct s2_hash h;
    size_t want_len, i, j, n;
    const uint8_t *msg;

    memset(million_a, 'a', sizeof(million_a));
    check_selected(S2_HASH_SHA1, ni);
    check_selected(S2_HASH_SHA256, ni);
    for (i = 0; i < NUM_HVECS; i++) {
        t_unhex(hvecs[i].digest, want, &want_len);
        assert_int_equal(want_len, s2_hash_len(hvecs[i].alg));
        msg = hvecs[i].msg != NULL ? (const uint8_t *)hvecs[i].msg : million_a;
        n = hvecs[i].msg != NULL ? strlen(hvecs[i].msg) : MILLION;

        /* one shot */
        assert_int_equal(s2_hash_once(hvecs[i].alg, msg, n, got), 0);
        assert_memory_equal(got, want, want_len);

        /* byte by byte for the short ones, 1000-byte pieces for the long */
        assert_int_equal(s2_hash_init(&h, hvecs[i].alg), 0);
        assert_int_equal(s2_hash_uses_shani(&h), ni);
        for (j = 0; j < n; j += (n == MILLION ? 1000 : 1)) {
            s2_hash_update(&h, msg + j, n == MILLION ? 1000 : 1);
        }
        s2_hash_final(&h, got);
        assert_memory_equal(got, want, want_len);

        /* negative: any flipped bit of a short message changes the digest */
        if (n > 0 && n <= sizeof(copy)) {
            for (j = 0; j < n; j++) {
                memcpy(copy, msg, n);
                copy[j] ^= (uint8_t)(1u << (j % 8));
                assert_int_equal(s2_hash_once(hvecs[i].alg, copy, n, got), 0);
                assert_memory_not_equal(got, want, want_len);
            }
            /* truncation and one extra byte */
            assert_int_equal(s2_hash_once(hvecs[i].alg, msg, n - 1, got), 0);
            assert_memory_not_equal(got, want, want_len);
            memcpy(copy, msg, n);
            copy[n] = 0;
            assert_int_equal(s2_hash_once(hvecs[i].alg, copy, n + 1, got), 0);
            assert_memory_not_equal(got, want, want_len);
        }
    }
}

static void
test_fips_vectors(void **state)
{
    (void)state;
    assert_int_equal(use_impl(0), 1);
    fips_vectors(0);
    if (use_impl(1)) {
        fips_vectors(1);
    } else {
        printf("SHA-NI not available (CPU or SSH2CORE_CPU_MASK): SHA-NI half skipped\n");
    }
    restore_impl();
}

/* The kernels alone, on blocks padded by hand (FIPS 180-4 5.1.1), several
 * blocks per call and at an odd address. */
static void
test_kernels_direct(void **state)
{
#if S2_HAVE_SHANI
    static const uint32_t iv256[8] = { 0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                       0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19 };
    static const uint32_t iv1[5] = { 0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476,
                                     0xc3d2e1f0 };
    uint8_t mem[2 * 64 + 1];
    uint8_t *blk = mem + 1; /* misaligned on purpose */
    uint8_t want[32];
    uint8_t got[32];
    uint32_t st[8];
    size_t n, i, len, want_len;
    int pass;

    (void)state;
    if (!use_impl(1)) {
        printf("SHA-NI not available (CPU or SSH2CORE_CPU_MASK): kernel test skipped\n");
        restore_impl();
        skip();
    }
    for (pass = 0; pass < 2; pass++) {
        /* pass 0: "abc" in one block; pass 1: the 448-bit message, whose
         * padding needs a second block */
        len = pass == 0 ? 3 : strlen(MSG448);
        n = pass == 0 ? 1 : 2;
        memset(mem, 0, sizeof(mem));
        memcpy(blk, pass == 0 ? "abc" : MSG448, len);
        blk[len] = 0x80;
        s2_put_u32(blk + 64 * n - 4, (uint32_t)(len * 8));

        memcpy(st, iv256, sizeof(iv256));
        s2_sha256_blocks_ni(st, blk, n);
        for (i = 0; i < 8; i++) {
            s2_put_u32(got + 4 * i, st[i]);
        }
        t_unhex(hvecs[5 + pass].digest, want, &want_len);
        assert_memory_equal(got, want, 32);

        memcpy(st, iv1, sizeof(iv1));
        s2_sha1_blocks_ni(st, blk, n);
        for (i = 0; i < 5; i++) {
            s2_put_u32(got + 4 * i, st[i]);
        }
        t_unhex(hvecs[pass].digest, want, &want_len);
        assert_memory_equal(got, want, 20);

        /* zero blocks leaves the state alone */
        memcpy(st, iv1, sizeof(iv1));
        s2_sha1_blocks_ni(st, blk, 0);
        assert_memory_equal(st, iv1, sizeof(iv1));
        memcpy(st, iv256, sizeof(iv256));
        s2_sha256_blocks_ni(st, blk, 0);
        assert_memory_equal(st, iv256, sizeof(iv256));

        /* negative: a flipped padding byte changes the result */
        blk[len] ^= 0x01;
        memcpy(st, iv256, sizeof(iv256));
        s2_sha256_blocks_ni(st, blk, n);
        for (i = 0; i < 8; i++) {
            s2_put_u32(got + 4 * i, st[i]);
        }
        t_unhex(hvecs[5 + pass].digest, want, &want_len);
        assert_memory_not_equal(got, want, 32);
    }
    restore_impl();
#else
    (void)state;
    printf("no SHA-NI kernels on this architecture: skipped\n");
    skip();
#endif
}

/* ---- HMAC: RFC 2202 (SHA-1) and RFC 4231 (SHA-256, SHA-512) ---- */

struct blob {
    const char *s; /* literal bytes, or NULL */
    uint8_t fill;  /* repeated byte when s is NULL and !seq */
    size_t n;
    int seq; /* 0x01, 0x02, ... */
};

#define R(b, len) { NULL, b, len, 0 }
#define S(x) { x, 0, sizeof(x) - 1, 0 }
#define SEQ25 { NULL, 0, 25, 1 }
#define TXT_KEYFIRST "Test Using Larger Than Block-Size Key - Hash Key First"
#define TXT_2202_7 "Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data"
#define TXT_4231_7                                                                           \
    "This is a test using a larger than block-size key and a larger than block-size data." \
    " The key needs to be hashed before being used by the HMAC algorithm."

struct mvec {
    enum s2_hash_alg alg;
    struct blob key;
    struct blob data;
    const char *mac; /* may be a truncated prefix (RFC 2202 / 4231 case 5) */
};

static const struct mvec mvecs[] = {
    /* RFC 2202 3 */
    { S2_HASH_SHA1, R(0x0b, 20), S("Hi There"), "b617318655057264e28bc0b6fb378c8ef146be00" },
    { S2_HASH_SHA1, S("Jefe"), S("what do ya want for nothing?"),
      "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79" },
    { S2_HASH_SHA1, R(0xaa, 20), R(0xdd, 50), "125d7342b9ac11cd91a39af48aa17b4f63f175d3" },
    { S2_HASH_SHA1, SEQ25, R(0xcd, 50), "4c9007f4026250c6bc8414f9bf50c86c2d7235da" },
    { S2_HASH_SHA1, R(0x0c, 20), S("Test With Truncation"),
      "4c1a03424b55e07fe7f27be1d58bb9324a9a5a04" },
    { S2_HASH_SHA1, R(0xaa, 80), S(TXT_KEYFIRST), "aa4ae5e15272d00e95705637ce8a3b55ed402112" },
    { S2_HASH_SHA1, R(0xaa, 80), S(TXT_2202_7), "e8e99d0f45237d786d6bbaa7965c7808bbff1a91" },
    /* RFC 4231 4.2 - 4.8 */
    { S2_HASH_SHA256, R(0x0b, 20), S("Hi There"),
      "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7" },
    { S2_HASH_SHA256, S("Jefe"), S("what do ya want for nothing?"),
      "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843" },
    { S2_HASH_SHA256, R(0xaa, 20), R(0xdd, 50),
      "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe" },
    { S2_HASH_SHA256, SEQ25, R(0xcd, 50),
      "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b" },
    { S2_HASH_SHA256, R(0x0c, 20), S("Test With Truncation"), "a3b6167473100ee06e0c796c2955552b" },
    { S2_HASH_SHA256, R(0xaa, 131), S(TXT_KEYFIRST),
      "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54" },
    { S2_HASH_SHA256, R(0xaa, 131), S(TXT_4231_7),
      "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2" },
    { S2_HASH_SHA512, R(0x0b, 20), S("Hi There"),
      "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
      "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854" },
    { S2_HASH_SHA512, S("Jefe"), S("what do ya want for nothing?"),
      "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
      "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737" },
    { S2_HASH_SHA512, R(0xaa, 20), R(0xdd, 50),
      "fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b2279d39"
      "bf3e848279a722c806b485a47e67c807b946a337bee8942674278859e13292fb" },
    { S2_HASH_SHA512, SEQ25, R(0xcd, 50),
      "b0ba465637458c6990e5a8c5f61d4af7e576d97ff94b872de76f8050361ee3db"
      "a91ca5c11aa25eb4d679275cc5788063a5f19741120c4f2de2adebeb10a298dd" },
    { S2_HASH_SHA512, R(0x0c, 20), S("Test With Truncation"), "415fad6271580a531d4179bc891d87a6" },
    { S2_HASH_SHA512, R(0xaa, 131), S(TXT_KEYFIRST),
      "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f352"
      "6b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598" },
    { S2_HASH_SHA512, R(0xaa, 131), S(TXT_4231_7),
      "e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944"
      "b6022cac3c4982b10d5eeb55c3e4de15134676fb6de0446065c97440fa8c6a58" },
};

#define NUM_MVECS (sizeof(mvecs) / sizeof(mvecs[0]))

static void
expand(const struct blob *b, uint8_t *out)
{
    size_t i;

    if (b->s != NULL) {
        memcpy(out, b->s, b->n);
    } else if (b->seq) {
        for (i = 0; i < b->n; i++) {
            out[i] = (uint8_t)(i + 1);
        }
    } else {
        memset(out, b->fill, b->n);
    }
}

static void
hmac_vectors(int ni)
{
    uint8_t key[256];
    uint8_t data[256];
    uint8_t want[S2_HASH_MAX_LEN];
    uint8_t got[S2_HASH_MAX_LEN];
    struct s2_mac *m = NULL;
    size_t i, want_len, kn, dn;

    check_selected(S2_HASH_SHA1, ni);
    check_selected(S2_HASH_SHA256, ni);
    for (i = 0; i < NUM_MVECS; i++) {
        const struct mvec *v = &mvecs[i];

        expand(&v->key, key);
        expand(&v->data, data);
        kn = v->key.n;
        dn = v->data.n;
        t_unhex(v->mac, want, &want_len);
        assert_true(want_len <= s2_hash_len(v->alg));

        assert_int_equal(s2_hmac_once(v->alg, key, kn, data, dn, got), 0);
        assert_memory_equal(got, want, want_len);

        /* the transport MAC with seqno = the data's first four bytes */
        assert_true(dn >= 4);
        assert_int_equal(s2_mac_new(&t_alloc_cmocka, v->alg, key, kn, &m), 0);
        assert_int_equal(s2_mac_len(m), s2_hash_len(v->alg));
        s2_mac_packet(m, s2_get_u32(data), data + 4, dn - 4, got);
        assert_memory_equal(got, want, want_len);
        /* the keyed state is reused, not consumed: same packet, same MAC */
        s2_mac_packet(m, s2_get_u32(data), data + 4, dn - 4, got);
        assert_memory_equal(got, want, want_len);
        /* negatives: other seqno, flipped data byte, truncated data */
        s2_mac_packet(m, s2_get_u32(data) ^ 1u, data + 4, dn - 4, got);
        assert_memory_not_equal(got, want, want_len);
        data[dn - 1] ^= 0x80;
        s2_mac_packet(m, s2_get_u32(data), data + 4, dn - 4, got);
        assert_memory_not_equal(got, want, want_len);
        data[dn - 1] ^= 0x80;
        s2_mac_packet(m, s2_get_u32(data), data + 4, dn - 5, got);
        assert_memory_not_equal(got, want, want_len);
        s2_mac_free(&t_alloc_cmocka, m);
        m = NULL;

        /* negative: flipped key byte */
        key[kn - 1] ^= 0x01;
        assert_int_equal(s2_hmac_once(v->alg, key, kn, data, dn, got), 0);
        assert_memory_not_equal(got, want, want_len);
    }
}

static void
test_hmac_vectors(void **state)
{
    (void)state;
    assert_int_equal(use_impl(0), 1);
    check_selected(S2_HASH_SHA256, 0);
    hmac_vectors(0);
    if (use_impl(1)) {
        check_selected(S2_HASH_SHA256, 1);
        hmac_vectors(1);
    } else {
        printf("SHA-NI not available (CPU or SSH2CORE_CPU_MASK): SHA-NI half skipped\n");
    }
    restore_impl();
}

/* ---- cross-check of the two implementations ---- */

static uint8_t src_mem[MAX_LEN + NUM_ALIGN] __attribute__((aligned(64)));
static uint8_t ref[MAX_LEN + 1][NUM_ALIGN][32];

/* Hashes |n| bytes at |p| in pieces cut at up to four random points (empty
 * pieces included). */
static void
hash_split(enum s2_hash_alg alg, const uint8_t *p, size_t n, uint8_t *out)
{
    struct s2_hash h;
    size_t cut[6];
    size_t k, i, t;

    cut[0] = 0;
    for (k = 1; k < 5; k++) {
        cut[k] = n == 0 ? 0 : (size_t)(rng() % (n + 1));
    }
    cut[5] = n;
    for (k = 1; k < 5; k++) { /* sort the four inner cuts */
        for (i = k + 1; i < 5; i++) {
            if (cut[i] < cut[k]) {
                t = cut[i];
                cut[i] = cut[k];
                cut[k] = t;
            }
        }
    }
    assert_int_equal(s2_hash_init(&h, alg), 0);
    for (k = 0; k < 5; k++) {
        s2_hash_update(&h, p + cut[k], cut[k + 1] - cut[k]);
    }
    s2_hash_final(&h, out);
}

static void
cross_check(enum s2_hash_alg alg)
{
    uint8_t got[32];
    size_t len, a, dl = s2_hash_len(alg);
    uint64_t seed = 0x5eed0000u + (uint64_t)alg;

    rng_state = seed;
    rng_fill(src_mem, sizeof(src_mem));

    /* reference: the library fallback */
    assert_int_equal(use_impl(0), 1);
    check_selected(alg, 0);
    for (len = 0; len <= MAX_LEN; len++) {
        for (a = 0; a < NUM_ALIGN; a++) {
            assert_int_equal(s2_hash_once(alg, src_mem + a, len, ref[len][a]), 0);
        }
    }
    /* the fallback agrees with itself when fed in pieces */
    for (len = 0; len <= MAX_LEN; len += 37) {
        hash_split(alg, src_mem + len % NUM_ALIGN, len, got);
        assert_memory_equal(got, ref[len][len % NUM_ALIGN], dl);
    }

    if (!use_impl(1)) {
        printf("SHA-NI not available (CPU or SSH2CORE_CPU_MASK): cross-check skipped\n");
        restore_impl();
        return;
    }
    check_selected(alg, 1);
    for (len = 0; len <= MAX_LEN; len++) {
        for (a = 0; a < NUM_ALIGN; a++) {
            assert_int_equal(s2_hash_once(alg, src_mem + a, len, got), 0);
            if (memcmp(got, ref[len][a], dl) != 0) {
                printf("mismatch: alg %d len %zu align %zu seed %llx\n", (int)alg, len, a,
                       (unsigned long long)seed);
            }
            assert_memory_equal(got, ref[len][a], dl);
        }
        hash_split(alg, src_mem + len % NUM_ALIGN, len, got);
        assert_memory_equal(got, ref[len][len % NUM_ALIGN], dl);
    }
    /* neighbours differ: a dropped last byte is noticed */
    assert_memory_not_equal(ref[64][0], ref[63][0], dl);
    assert_memory_not_equal(ref[64][0], ref[64][1], dl);
    restore_impl();
}

static void
test_cross_sha256(void **state)
{
    (void)state;
    cross_check(S2_HASH_SHA256);
}

static void
test_cross_sha1(void **state)
{
    (void)state;
    cross_check(S2_HASH_SHA1);
}

/* Two-piece updates cut at every offset of a 300-byte message, and
 * three-piece ones whose middle piece is 0, 1, 55, 56, 63, 64 or 65 long:
 * every buffer-fill path of the SHA-NI update against its one-shot. */
static void
split_every_offset(enum s2_hash_alg alg)
{
    static const size_t mids[] = { 0, 1, 55, 56, 63, 64, 65 };
    uint8_t msg[300];
    uint8_t want[32];
    uint8_t got[32];
    struct s2_hash h;
    size_t i, k, dl = s2_hash_len(alg);

    rng_state = 0x0ff5e7u;
    rng_fill(msg, sizeof(msg));
    assert_int_equal(s2_hash_once(alg, msg, sizeof(msg), want), 0);
    for (i = 0; i <= sizeof(msg); i++) {
        assert_int_equal(s2_hash_init(&h, alg), 0);
        s2_hash_update(&h, msg, i);
        s2_hash_update(&h, msg + i, sizeof(msg) - i);
        s2_hash_final(&h, got);
        assert_memory_equal(got, want, dl);
        for (k = 0; k < sizeof(mids) / sizeof(mids[0]); k++) {
            if (mids[k] > sizeof(msg) - i) {
                continue;
            }
            assert_int_equal(s2_hash_init(&h, alg), 0);
            s2_hash_update(&h, msg, i);
            s2_hash_update(&h, msg + i, mids[k]);
            s2_hash_update(&h, msg + i + mids[k], sizeof(msg) - i - mids[k]);
            s2_hash_final(&h, got);
            assert_memory_equal(got, want, dl);
        }
    }
}

static void
test_split_every_offset(void **state)
{
    (void)state;
    assert_int_equal(use_impl(0), 1);
    split_every_offset(S2_HASH_SHA256);
    split_every_offset(S2_HASH_SHA1);
    if (use_impl(1)) {
        split_every_offset(S2_HASH_SHA256);
        split_every_offset(S2_HASH_SHA1);
    } else {
        printf("SHA-NI not available (CPU or SSH2CORE_CPU_MASK): SHA-NI half skipped\n");
    }
    restore_impl();
}

/* HMAC over random keys (0..200 bytes: shorter than, equal to and longer
 * than the block) and packets: s2_hmac_once and s2_mac_packet agree across
 * the two implementations, and a state copied mid-stream (as hmac.c copies
 * its pad states) continues identically. */
static void
test_hmac_cross(void **state)
{
    static const enum s2_hash_alg algs[] = { S2_HASH_SHA1, S2_HASH_SHA256 };
    uint8_t key[200];
    uint8_t seq_data[4 + 700];
    uint8_t *data = seq_data + 4;
    uint8_t fb[S2_HASH_MAX_LEN];
    uint8_t got[S2_HASH_MAX_LEN];
    struct s2_mac *m = NULL;
    struct s2_hash h1, h2;
    size_t i, kn, dn, dl;
    uint32_t seq;
    unsigned a;

    (void)state;
    if (!use_impl(1)) {
        printf("SHA-NI not available (CPU or SSH2CORE_CPU_MASK): HMAC cross-check skipped\n");
        restore_impl();
        skip();
    }
    rng_state = 0x4a4ac0u;
    for (a = 0; a < 2; a++) {
        dl = s2_hash_len(algs[a]);
        for (i = 0; i < 150; i++) {
            kn = (size_t)(rng() % (sizeof(key) + 1));
            dn = (size_t)(rng() % (sizeof(seq_data) - 4 + 1));
            seq = (uint32_t)rng();
            rng_fill(key, kn);
            rng_fill(data, dn);
            s2_put_u32(seq_data, seq);
            /* reference: the fallback's transport MAC */
            assert_int_equal(use_impl(0), 1);
            assert_int_equal(s2_mac_new(&t_alloc_cmocka, algs[a], key, kn, &m), 0);
            s2_mac_packet(m, seq, data, dn, fb);
            s2_mac_free(&t_alloc_cmocka, m);
            m = NULL;
            /* SHA-NI: transport MAC and one-shot HMAC of seqno || data */
            assert_int_equal(use_impl(1), 1);
            assert_int_equal(s2_mac_new(&t_alloc_cmocka, algs[a], key, kn, &m), 0);
            s2_mac_packet(m, seq, data, dn, got);
            assert_memory_equal(got, fb, dl);
            s2_mac_packet(m, seq + 1, data, dn, got);
            assert_memory_not_equal(got, fb, dl);
            s2_mac_free(&t_alloc_cmocka, m);
            m = NULL;
            assert_int_equal(s2_hmac_once(algs[a], key, kn, seq_data, dn + 4, got), 0);
            assert_memory_equal(got, fb, dl);
        }
        /* a copied state continues like the original */
        assert_int_equal(s2_hash_init(&h1, algs[a]), 0);
        s2_hash_update(&h1, data, 70);
        memcpy(&h2, &h1, sizeof(h1));
        s2_hash_update(&h1, data + 70, 100);
        s2_hash_update(&h2, data + 70, 100);
        s2_hash_final(&h1, fb);
        s2_hash_final(&h2, got);
        assert_memory_equal(got, fb, dl);
    }
    restore_impl();
}

static int
setup(void **state)
{
    const char *m = getenv("SSH2CORE_CPU_MASK");

    (void)state;
    if (s2_crypto_init() != 0) {
        return -1;
    }
    if (m != NULL) {
        snprintf(orig_mask, sizeof(orig_mask), "%s", m);
        orig_mask_set = 1;
    }
    s2_cpu_reset_for_tests();
    have_shani = (s2_cpu_features() & S2_CPU_SHANI) != 0;
    if (!have_shani) {
        printf("SHA-NI not available (CPU or SSH2CORE_CPU_MASK): "
               "only the fallback halves run\n");
    }
    return 0;
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fips_vectors),
        cmocka_unit_test(test_kernels_direct),
        cmocka_unit_test(test_hmac_vectors),
        cmocka_unit_test(test_cross_sha256),
        cmocka_unit_test(test_cross_sha1),
        cmocka_unit_test(test_split_every_offset),
        cmocka_unit_test(test_hmac_cross),
    };

    return cmocka_run_group_tests(tests, setup, NULL);
}
