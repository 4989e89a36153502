/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_aes_ctr_kernels.c: every AES-CTR implementation behind cipher_aes.c
 * (our VAES and AES-NI kernels, mbedTLS), each forced in turn with
 * SSH2CORE_CPU_MASK + s2_cpu_reset_for_tests() and chosen by s2_aes_init
 * (a kernel this CPU lacks is skipped with a note):
 *  - NIST SP 800-38A F.5.1-F.5.6 (CTR-AES128/192/256, encrypt and
 *    decrypt), whole and one byte per call; FIPS-197 appendix A last round
 *    keys of s2_aes_ni_expand_key;
 *  - the counter (RFC 4344: one 128-bit big-endian integer) carrying across
 *    2^64 and wrapping at 2^128, at every position in a step, against
 *    mbedtls_aes_crypt_ctr, including the counter left behind;
 *  - random keys and IVs of all sizes, every length 0..1000 then coarser to
 *    70000, at buffer offsets 0..15, against mbedTLS;
 *  - the same data split into calls at random points, first calls of 1, 4
 *    and 16 bytes (the transport's first-block decrypt);
 *  - negative: a flipped ciphertext byte flips only that plaintext byte, a
 *    wrong key or IV gives other bytes; bad key lengths and kernels the
 *    mask forbids are refused.
 * Inputs come from a fixed-seed generator, so a failure reproduces.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "crypto/crypto.h"
#include "crypto/crypto_int.h"

static const enum s2_aes_impl impls[] = {S2_AES_VAES, S2_AES_NI, S2_AES_MBEDTLS};
#define NUM_IMPLS (sizeof(impls) / sizeof(impls[0]))

static const size_t key_lens[] = {16, 24, 32};

/* ---- helpers ---- */

static uint64_t rng_state = 20260126;

/* splitmix64 (Steele, Lea, Flood 2014): reproducible test inputs */
static uint64_t
rnd(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static void
rnd_bytes(uint8_t *p, size_t n)
{
    uint64_t v = 0;
    size_t i;

    for (i = 0; i < n; i++) {
        if (i % 8 == 0) {
            v = rnd();
        }
        p[i] = (uint8_t)(v >> (8 * (i % 8)));
    }
}

static size_t
hex_to_bin(const char *hex, uint8_t *out, size_t max)
{
    size_t n = 0;
    unsigned hi, lo;

    while (hex[0] != '\0' && hex[1] != '\0') {
        assert_true(n < max);
        assert_int_equal(sscanf(hex, "%1x%1x", &hi, &lo), 2);
        out[n++] = (uint8_t)(hi << 4 | lo);
        hex += 2;
    }
    return n;
}

static void
set_mask(const char *m)
{
    if (m == NULL) {
        assert_int_equal(unsetenv("SSH2CORE_CPU_MASK"), 0);
    } else {
        assert_int_equal(setenv("SSH2CORE_CPU_MASK", m, 1), 0);
    }
    s2_cpu_reset_for_tests();
}

/* The mask under which s2_aes_init must choose |impl|. */
static const char *
mask_for(enum s2_aes_impl impl)
{
    switch (impl) {
    case S2_AES_VAES:
        return "0";
    case S2_AES_NI:
        return "0x10";
    case S2_AES_MBEDTLS:
        return "0x3f";
    }
    return "0";
}

/* Masks the CPU down to |impl|; 0 (after a note) if it cannot run here. */
static int
select_impl(enum s2_aes_impl impl)
{
    set_mask(mask_for(impl));
    if (!s2_aes_impl_available(impl)) {
        print_message("skipped: %s not available here\n", s2_aes_impl_name(impl));
        return 0;
    }
    return 1;
}

/* Keys a CTR context through the dispatcher, which must pick |impl|. */
static void
ctr_init(struct s2_aes_ctx *c, enum s2_aes_impl impl, const uint8_t *key, size_t kl,
         const uint8_t iv[16], int encrypt)
{
    assert_int_equal(s2_aes_init(c, key, kl, iv, 0, encrypt), 0);
    assert_int_equal(c->impl, impl);
}

/* the reference: mbedTLS CTR in one call; |iv| is advanced */
static void
ref_ctr(const uint8_t *key, size_t kl, uint8_t iv[16], const uint8_t *in, uint8_t *out, size_t len)
{
    mbedtls_aes_context a;
    unsigned char stream[16];
    size_t off = 0;

    mbedtls_aes_init(&a);
    assert_int_equal(mbedtls_aes_setkey_enc(&a, key, (unsigned)(kl * 8)), 0);
    assert_int_equal(mbedtls_aes_crypt_ctr(&a, len, &off, iv, stream, in, out), 0);
    mbedtls_aes_free(&a);
}

/* ---- NIST SP 800-38A F.5 ---- */

struct ctr_vec {
    const char *what;
    const char *key;
    const char *ct;
};

static const char f5_ctr[] = "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff";
static const char f5_pt[] = "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
                            "30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710";
static const struct ctr_vec f5[] = {
    {"F.5.1/F.5.2 CTR-AES128", "2b7e151628aed2a6abf7158809cf4f3c",
     "874d6191b620e3261bef6864990db6ce9806f66b7970fdff8617187bb9fffdff"
     "5ae4df3edbd5d35e5b4f09020db03eab1e031dda2fbe03d1792170a0f3009cee"},
    {"F.5.3/F.5.4 CTR-AES192", "8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b",
     "1abc932417521ca24f2b0459fe7e6e0b090339ec0aa6faefd5ccc2c6f4ce8e94"
     "1e36b26bd1ebc670d1bd1d665620abf74f78a7f6d29809585a97daec58c6b050"},
    {"F.5.5/F.5.6 CTR-AES256", "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4",
     "601ec313775789a5b7a7f504bbf3d228f443e3ca4d62b59aca84e990cacaf5c5"
     "2b0930daa23de94ce87017ba2d84988ddfc9c58db67aada613c2dd08457941a6"},
};

/* runs |in| through a fresh context, whole (|bytewise| 0) or a byte per
 * call, and compares with |want| */
static void
check_vec(enum s2_aes_impl impl, const uint8_t *key, size_t kl, const uint8_t iv[16],
          const uint8_t *in, const uint8_t *want, size_t len, int encrypt, int bytewise)
{
    struct s2_aes_ctx c;
    uint8_t buf[64];
    size_t i;

    assert_true(len <= sizeof(buf));
    memcpy(buf, in, len);
    ctr_init(&c, impl, key, kl, iv, encrypt);
    if (bytewise) {
        for (i = 0; i < len; i++) {
            assert_int_equal(s2_aes_crypt(&c, buf + i, 1), 0);
        }
    } else {
        assert_int_equal(s2_aes_crypt(&c, buf, len), 0);
    }
    assert_memory_equal(buf, want, len);
    s2_aes_cleanup(&c);
}

/* |out| = 64 bytes of |in| through a fresh context */
static void
crypt64(enum s2_aes_impl impl, const uint8_t *key, size_t kl, const uint8_t iv[16],
        const uint8_t *in, uint8_t *out)
{
    struct s2_aes_ctx c;

    memcpy(out, in, 64);
    ctr_init(&c, impl, key, kl, iv, 1);
    assert_int_equal(s2_aes_crypt(&c, out, 64), 0);
    s2_aes_cleanup(&c);
}

static void
test_nist_f5(void **state)
{
    uint8_t key[32], iv[16], pt[64], ct[64], bad[64], out[64];
    size_t i, j, kl, n;

    (void)state;
    assert_int_equal(hex_to_bin(f5_ctr, iv, sizeof(iv)), 16);
    assert_int_equal(hex_to_bin(f5_pt, pt, sizeof(pt)), 64);
    for (i = 0; i < NUM_IMPLS; i++) {
        if (!select_impl(impls[i])) {
            continue;
        }
        for (j = 0; j < sizeof(f5) / sizeof(f5[0]); j++) {
            kl = hex_to_bin(f5[j].key, key, sizeof(key));
            assert_int_equal(kl, key_lens[j]);
            assert_int_equal(hex_to_bin(f5[j].ct, ct, sizeof(ct)), 64);
            check_vec(impls[i], key, kl, iv, pt, ct, 64, 1, 0); /* encrypt */
            check_vec(impls[i], key, kl, iv, ct, pt, 64, 0, 0); /* decrypt */
            check_vec(impls[i], key, kl, iv, pt, ct, 64, 1, 1);
            check_vec(impls[i], key, kl, iv, ct, pt, 64, 0, 1);
            /* every prefix length (the partial last block) */
            for (n = 0; n <= 64; n++) {
                check_vec(impls[i], key, kl, iv, pt, ct, n, 1, 0);
            }

            /* negative: a flipped ciphertext byte flips that byte only */
            memcpy(bad, ct, 64);
            bad[37] ^= 0x01;
            crypt64(impls[i], key, kl, iv, bad, out);
            assert_memory_not_equal(out, pt, 64);
            assert_memory_equal(out, pt, 37);
            assert_int_equal(out[37], pt[37] ^ 0x01);
            assert_memory_equal(out + 38, pt + 38, 26);
            /* a wrong key, or a wrong IV, gives another keystream */
            key[0] ^= 0x80;
            crypt64(impls[i], key, kl, iv, pt, out);
            assert_memory_not_equal(out, ct, 64);
            key[0] ^= 0x80;
            iv[15] ^= 0x01;
            crypt64(impls[i], key, kl, iv, pt, out);
            assert_memory_not_equal(out, ct, 64);
            iv[15] ^= 0x01;
        }
    }
    set_mask(NULL);
}

/* FIPS-197 appendix A: the last four words of each expanded key */
static void
test_key_expansion(void **state)
{
    static const struct {
        const char *key;
        unsigned rounds;
        const char *last;
    } a[] = {
        {"2b7e151628aed2a6abf7158809cf4f3c", 10, "d014f9a8c9ee2589e13f0cc8b6630ca6"},
        {"8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b", 12,
         "e98ba06f448c773c8ecc720401002202"},
        {"603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4", 14,
         "fe4890d1e6188d0b046df344706c631e"},
    };
    struct s2_aes_key k;
    uint8_t key[32], last[16];
    size_t i, kl;

    (void)state;
    set_mask(NULL);
    if (!s2_aes_impl_available(S2_AES_NI)) {
        skip();
    }
    for (i = 0; i < sizeof(a) / sizeof(a[0]); i++) {
        kl = hex_to_bin(a[i].key, key, sizeof(key));
        assert_int_equal(hex_to_bin(a[i].last, last, sizeof(last)), 16);
        memset(&k, 0, sizeof(k));
        k.rounds = s2_aes_ni_expand_key(k.rk, key, kl);
        assert_int_equal(k.rounds, a[i].rounds);
        assert_memory_equal(k.rk[0], key, 16); /* the key itself comes first */
        assert_memory_equal(k.rk[k.rounds], last, 16);
    }
}

/* ---- the counter ---- */

#define RANDOM_SPLIT ((size_t)-1)

/* Fills |len| bytes at |buf| (any offset) with random data and encrypts
 * them from counter |iv| with |impl| and, as a copy at |ref|, with
 * mbedTLS; outputs and the counters left behind must agree. |impl| runs
 * in calls of |step| bytes (0: one call), or with RANDOM_SPLIT a first
 * call of |first| bytes (0: random) and then random pieces, mostly short,
 * some long, some empty. */
static void
check_run(enum s2_aes_impl impl, const uint8_t *key, size_t kl, const uint8_t iv[16], uint8_t *buf,
          uint8_t *ref, size_t len, size_t step, size_t first)
{
    struct s2_aes_ctx c;
    uint8_t ref_iv[16];
    size_t pos, n;

    rnd_bytes(buf, len);
    memcpy(ref, buf, len);
    memcpy(ref_iv, iv, 16);
    ref_ctr(key, kl, ref_iv, ref, ref, len);
    ctr_init(&c, impl, key, kl, iv, 1);
    for (pos = 0; pos < len; pos += n) {
        if (step != RANDOM_SPLIT) {
            n = step == 0 ? len : step;
        } else if (pos == 0 && first != 0) {
            n = first;
        } else {
            n = rnd() % 4 == 0 ? (size_t)(rnd() % 5000) : (size_t)(rnd() % 40);
        }
        if (n > len - pos) {
            n = len - pos;
        }
        assert_int_equal(s2_aes_crypt(&c, buf + pos, n), 0);
    }
    assert_memory_equal(buf, ref, len);
    assert_memory_equal(c.iv, ref_iv, 16);
    s2_aes_cleanup(&c);
}

/* check_run from counter |iv| in calls of |step| bytes, on fresh buffers */
static void
check_from_counter(enum s2_aes_impl impl, const uint8_t *key, size_t kl, const uint8_t iv[16],
                   size_t len, size_t step)
{
    uint8_t *a = test_malloc(len + 1), *b = test_malloc(len + 1);

    check_run(impl, key, kl, iv, a, b, len, step, 0);
    test_free(a);
    test_free(b);
}

static void
test_counter_wrap(void **state)
{
    uint8_t key[32], iv[16];
    size_t i, k, j, len;
    unsigned pos;

    (void)state;
    for (i = 0; i < NUM_IMPLS; i++) {
        if (!select_impl(impls[i])) {
            continue;
        }
        for (k = 0; k < 3; k++) {
            rnd_bytes(key, key_lens[k]);
            /* the low 64 bits end 0..40 blocks before 2^64, the high half
             * random (carry) or all ones (wrap of the whole block) */
            for (pos = 0; pos <= 40; pos++) {
                for (j = 0; j < 2; j++) {
                    if (j == 0) {
                        rnd_bytes(iv, 8);
                    } else {
                        memset(iv, 0xff, 8);
                    }
                    memset(iv + 8, 0xff, 8);
                    iv[15] = (uint8_t)(0xff - pos);
                    len = 16 * (pos + 20) + (size_t)(rnd() % 16);
                    check_from_counter(impls[i], key, key_lens[k], iv, len, 0);
                    check_from_counter(impls[i], key, key_lens[k], iv, len, 5);
                    check_from_counter(impls[i], key, key_lens[k], iv, len, 256 + 3);
                }
            }
            /* a carry through every byte of the low half into the high */
            memset(iv, 0, 16);
            iv[7] = 0x7f;
            memset(iv + 8, 0xff, 8);
            iv[15] = 0xf0;
            check_from_counter(impls[i], key, key_lens[k], iv, 16 * 64, 0);
            /* the 2^128 - 1 wrap lands on zero, then counts on */
            memset(iv, 0xff, 16);
            check_from_counter(impls[i], key, key_lens[k], iv, 16 * 3, 0);
        }
    }
    set_mask(NULL);
}

/* the counter left after 2^128 - 1 is 0 + n, as RFC 4344 says */
static void
test_counter_value(void **state)
{
    struct s2_aes_ctx c;
    uint8_t key[16] = {1}, iv[16], buf[100], want[16];
    size_t i;

    (void)state;
    for (i = 0; i < NUM_IMPLS; i++) {
        if (!select_impl(impls[i])) {
            continue;
        }
        memset(iv, 0xff, 16);
        memset(buf, 0, sizeof(buf));
        ctr_init(&c, impls[i], key, 16, iv, 1);
        assert_int_equal(s2_aes_crypt(&c, buf, 40), 0); /* blocks ff..ff, 0, and 2 begun */
        memset(want, 0, 16);
        want[15] = 2;
        assert_memory_equal(c.iv, want, 16);
        assert_int_equal(c.nc_off, 8);
        assert_int_equal(s2_aes_crypt(&c, buf + 40, 0), 0); /* zero length: no change */
        assert_memory_equal(c.iv, want, 16);
        assert_int_equal(c.nc_off, 8);
        s2_aes_cleanup(&c);

        /* 1 << 64 - 1 carries into the high half */
        memset(iv, 0, 16);
        memset(iv + 8, 0xff, 8);
        ctr_init(&c, impls[i], key, 16, iv, 1);
        assert_int_equal(s2_aes_crypt(&c, buf, 16 * 5), 0);
        memset(want, 0, 16);
        want[7] = 1;
        want[15] = 4;
        assert_memory_equal(c.iv, want, 16);
        s2_aes_cleanup(&c);
    }
    set_mask(NULL);
}

/* ---- cross-checks against mbedTLS ---- */

static void
test_cross_check(void **state)
{
    enum { MAXLEN = 70000 };
    uint8_t *a = test_malloc(MAXLEN + 16), *b = test_malloc(MAXLEN + 16);
    uint8_t key[32], iv[16];
    size_t i, kl, len;

    (void)state;
    for (i = 0; i < NUM_IMPLS; i++) {
        if (!select_impl(impls[i])) {
            continue;
        }
        for (len = 0; len <= MAXLEN; len += (len < 1000 ? 1 : 997)) {
            kl = key_lens[len % 3];
            rnd_bytes(key, kl);
            rnd_bytes(iv, 16);
            /* offset (len / 3) % 16: every offset with every key size */
            check_run(impls[i], key, kl, iv, a + (len / 3) % 16, b, len, 0, 0);
        }
    }
    set_mask(NULL);
    test_free(a);
    test_free(b);
}

/* the same stream in calls split at random points, first calls of 1, 4,
 * 5, 16 bytes or random */
static void
test_split_calls(void **state)
{
    enum { MAXLEN = 70000 };
    static const size_t firsts[] = {1, 4, 16, 5, 0};
    uint8_t *a = test_malloc(MAXLEN + 16), *b = test_malloc(MAXLEN + 16);
    uint8_t key[32], iv[16];
    size_t i, t, kl, len;

    (void)state;
    for (i = 0; i < NUM_IMPLS; i++) {
        if (!select_impl(impls[i])) {
            continue;
        }
        for (t = 0; t < 600; t++) {
            kl = key_lens[t % 3];
            len = t % 10 == 9 ? (size_t)(rnd() % MAXLEN) : (size_t)(rnd() % 3000);
            rnd_bytes(key, kl);
            rnd_bytes(iv, 16);
            if (t % 7 == 0) {
                memset(iv + 8, 0xff, 8); /* the low half wraps early on */
            }
            check_run(impls[i], key, kl, iv, a + t % 16, b, len, RANDOM_SPLIT, firsts[t % 5]);
        }
    }
    set_mask(NULL);
    test_free(a);
    test_free(b);
}

/* ---- misuse ---- */

static void
test_refused(void **state)
{
    struct s2_aes_ctx c;
    uint8_t key[32] = {0}, iv[16] = {0};
    size_t kl;

    (void)state;
    set_mask(NULL);
    for (kl = 0; kl <= 33; kl++) {
        if (kl == 16 || kl == 24 || kl == 32) {
            continue;
        }
        assert_int_equal(s2_aes_init(&c, key, kl, iv, 0, 1), LIBSSH2_ERROR_INVAL);
        assert_int_equal(s2_aes_init_ctr_impl(&c, key, kl, iv, S2_AES_MBEDTLS),
                         LIBSSH2_ERROR_INVAL);
    }
    /* with every CPU feature masked only mbedTLS may run */
    set_mask("0x3f");
    assert_false(s2_aes_impl_available(S2_AES_NI));
    assert_false(s2_aes_impl_available(S2_AES_VAES));
    assert_int_equal(s2_aes_init_ctr_impl(&c, key, 16, iv, S2_AES_NI), LIBSSH2_ERROR_INVAL);
    s2_aes_cleanup(&c);
    assert_int_equal(s2_aes_init_ctr_impl(&c, key, 16, iv, S2_AES_VAES), LIBSSH2_ERROR_INVAL);
    s2_aes_cleanup(&c);
    assert_int_equal(s2_aes_init_ctr_impl(&c, key, 16, iv, S2_AES_MBEDTLS), 0);
    assert_int_equal(c.impl, S2_AES_MBEDTLS);
    s2_aes_cleanup(&c);
    /* CBC stays on mbedTLS whatever the CPU has */
    set_mask(NULL);
    assert_int_equal(s2_aes_init(&c, key, 16, iv, 1, 1), 0);
    assert_int_equal(c.impl, S2_AES_MBEDTLS);
    s2_aes_cleanup(&c);
    assert_string_equal(s2_aes_impl_name(S2_AES_NI), "ni");
    assert_string_equal(s2_aes_impl_name(S2_AES_VAES), "vaes");
    assert_string_equal(s2_aes_impl_name(S2_AES_MBEDTLS), "mbedtls");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_nist_f5),      cmocka_unit_test(test_key_expansion),
        cmocka_unit_test(test_counter_wrap), cmocka_unit_test(test_counter_value),
        cmocka_unit_test(test_cross_check),  cmocka_unit_test(test_split_calls),
        cmocka_unit_test(test_refused),
    };

    if (s2_crypto_init() != 0) {
        return 1;
    }
    return cmocka_run_group_tests(tests, NULL, NULL);
}
