/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_gcm_kernels.c: every AES-GCM implementation behind cipher_gcm.c
 * (our VAES and AES-NI kernels, libsodium, mbedTLS), each forced in turn
 * with SSH2CORE_CPU_MASK + s2_cpu_reset_for_tests() (a kernel this CPU
 * lacks is skipped with a note):
 *  - McGrew-Viega "The Galois/Counter Mode of Operation" test cases 1-4
 *    (AES-128) and 13-16 (AES-256), the ones with 96-bit IVs, through the
 *    raw kernels (any AAD length) and mbedTLS;
 *  - the dispatcher picks what the mask allows;
 *  - SSH packets (4-byte AAD, in place) cross-checked against raw mbedTLS
 *    with the RFC 5647 nonce for every payload length 0..300, then step 7
 *    to 4096, at buffer offsets 0..15, random keys and IVs; plus 256 KiB;
 *  - raw kernels with AAD lengths 0..40 against mbedTLS;
 *  - negative: tag, ciphertext and length flips -> INVALID_MAC with the
 *    payload wiped, the receiver's counter not advanced; the invocation
 *    counter advancing and wrapping across packets.
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

static void
unhex(const char *hex, uint8_t *out, size_t *out_len)
{
    size_t n = strlen(hex) / 2;
    size_t i;
    unsigned int v;

    for (i = 0; i < n; i++) {
        assert_int_equal(sscanf(hex + 2 * i, "%2x", &v), 1);
        out[i] = (uint8_t)v;
    }
    *out_len = n;
}

static int
all_zero(const uint8_t *p, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (p[i] != 0) {
            return 0;
        }
    }
    return 1;
}

static const enum s2_gcm_impl impls[] = { S2_GCM_VAES, S2_GCM_NI, S2_GCM_SODIUM,
                                          S2_GCM_MBEDTLS };
#define NUM_IMPLS (sizeof(impls) / sizeof(impls[0]))

/* The mask under which s2_gcm_init(..., 1) must choose |impl|; libsodium is
 * never chosen while our NI kernel can run, so it is only forced. */
static const char *
mask_for(enum s2_gcm_impl impl)
{
    switch (impl) {
    case S2_GCM_VAES:
        return "0";
    case S2_GCM_NI:
        return "0x10";
    case S2_GCM_MBEDTLS:
        return "0x3f";
    case S2_GCM_SODIUM:
        break;
    }
    return "0";
}

static void
set_mask(const char *m)
{
    assert_int_equal(setenv("SSH2CORE_CPU_MASK", m, 1), 0);
    s2_cpu_reset_for_tests();
}

static void
clear_mask(void)
{
    assert_int_equal(unsetenv("SSH2CORE_CPU_MASK"), 0);
    s2_cpu_reset_for_tests();
}

/* Selects |impl| (through the mask) for a |kl|-byte key; 0 if it cannot
 * run here, after printing that it was skipped. */
static int
select_impl(enum s2_gcm_impl impl, size_t kl)
{
    set_mask(mask_for(impl));
    if (!s2_gcm_impl_available(impl, kl)) {
        print_message("skipped: %s (AES-%u) not available here\n",
                      s2_gcm_impl_name(impl), (unsigned)kl * 8);
        return 0;
    }
    return 1;
}

/* Keys |g| for |impl|: the dispatcher for all but libsodium, and it must
 * choose |impl| under the current mask. */
static void
init_impl(struct s2_gcm_ctx *g, enum s2_gcm_impl impl, const uint8_t *key, size_t kl,
          const uint8_t *iv)
{
    if (impl == S2_GCM_SODIUM) {
        assert_int_equal(s2_gcm_init_impl(g, key, kl, iv, impl), 0);
    } else {
        assert_int_equal(s2_gcm_init(g, key, kl, iv, 1), 0);
    }
    assert_int_equal(g->impl, impl);
}

/* Raw GCM (any AAD) through |impl|; 0 on success, -1 on a bad tag when
 * decrypting (|tag| is then the expected one). */
static int
raw_crypt(enum s2_gcm_impl impl, const uint8_t *key, size_t kl, const uint8_t iv[12],
          const uint8_t *aad, size_t aad_len, uint8_t *buf, size_t len, int encrypt,
          uint8_t tag[16])
{
    struct s2_gcm_key *k = NULL;
    mbedtls_gcm_context g;
    crypto_aead_aes256gcm_state *st = NULL;
    uint8_t t[16];
    int r = 0;

    switch (impl) {
    case S2_GCM_NI:
    case S2_GCM_VAES:
        k = test_malloc(sizeof(*k));
        s2_gcm_ni_setkey(k, key, kl);
        if (impl == S2_GCM_NI) {
            s2_gcm_ni_crypt(k, iv, aad, aad_len, buf, len, encrypt, t);
        } else {
            s2_gcm_vaes_crypt(k, iv, aad, aad_len, buf, len, encrypt, t);
        }
        test_free(k);
        if (encrypt) {
            memcpy(tag, t, 16);
        } else {
            r = memcmp(t, tag, 16) == 0 ? 0 : -1;
        }
        break;
    case S2_GCM_SODIUM:
        st = sodium_malloc(sizeof(*st));
        assert_non_null(st);
        assert_int_equal(crypto_aead_aes256gcm_beforenm(st, key), 0);
        if (encrypt) {
            r = crypto_aead_aes256gcm_encrypt_detached_afternm(buf, tag, NULL, buf, len, aad,
                                                               aad_len, NULL, iv, st);
        } else {
            r = crypto_aead_aes256gcm_decrypt_detached_afternm(buf, NULL, buf, len, tag, aad,
                                                               aad_len, iv, st);
        }
        sodium_free(st);
        break;
    case S2_GCM_MBEDTLS:
        mbedtls_gcm_init(&g);
        assert_int_equal(mbedtls_gcm_setkey(&g, MBEDTLS_CIPHER_ID_AES, key,
                                            (unsigned int)kl * 8), 0);
        if (encrypt) {
            r = mbedtls_gcm_crypt_and_tag(&g, MBEDTLS_GCM_ENCRYPT, len, iv, 12, aad, aad_len,
                                          buf, buf, 16, tag);
        } else {
            r = mbedtls_gcm_auth_decrypt(&g, len, iv, 12, aad, aad_len, tag, 16, buf, buf);
        }
        mbedtls_gcm_free(&g);
        break;
    }
    return r == 0 ? 0 : -1;
}

/* ---- GCM specification test cases with 96-bit IVs ---- */
struct spec_case {
    int num;
    const char *k, *p, *a, *iv, *c, *t;
};

#define TC_K "feffe9928665731c6d6a8f9467308308"
#define TC_P60                                                                                 \
    "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"                         \
    "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39"
#define TC_A "feedfacedeadbeeffeedfacedeadbeefabaddad2"
#define TC_IV "cafebabefacedbaddecaf888"
#define Z12 "000000000000000000000000"
#define Z16 "00000000000000000000000000000000"
#define TC3_C60                                                                                \
    "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"                         \
    "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091"
#define TC15_C60                                                                               \
    "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"                         \
    "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662"

static const struct spec_case spec[] = {
    { 1, Z16, "", "", Z12, "", "58e2fccefa7e3061367f1d57a4e7455a" },
    { 2, Z16, Z16, "", Z12, "0388dace60b6a392f328c2b971b2fe78",
      "ab6e47d42cec13bdf53a67b21257bddf" },
    { 3, TC_K, TC_P60 "1aafd255", "", TC_IV, TC3_C60 "473f5985",
      "4d5c2af327cd64a62cf35abd2ba6fab4" },
    { 4, TC_K, TC_P60, TC_A, TC_IV, TC3_C60, "5bc94fbc3221a5db94fae95ae7121a47" },
    { 13, Z16 Z16, "", "", Z12, "", "530f8afbc74536b9a963b4f1c4cb738b" },
    { 14, Z16 Z16, Z16, "", Z12, "cea7403d4d606b6e074ec5d3baf39d18",
      "d0d1c8a799996bf0265b98b5d48ab919" },
    { 15, TC_K TC_K, TC_P60 "1aafd255", "", TC_IV, TC15_C60 "898015ad",
      "b094dac5d93471bdec1a502270e3cc6c" },
    { 16, TC_K TC_K, TC_P60, TC_A, TC_IV, TC15_C60, "76fc6ece0f4e1768cddf8853bb2d551b" },
};

static void
test_spec_vectors(void **state)
{
    uint8_t k[32], p[64], a[20], iv[12], c[64], t[16], buf[64], tag[16];
    size_t kl, pl, al, n, i, m;

    (void)state;
    for (m = 0; m < NUM_IMPLS; m++) {
        for (i = 0; i < sizeof(spec) / sizeof(spec[0]); i++) {
            unhex(spec[i].k, k, &kl);
            if (!select_impl(impls[m], kl)) {
                continue;
            }
            unhex(spec[i].p, p, &pl);
            unhex(spec[i].a, a, &al);
            unhex(spec[i].iv, iv, &n);
            unhex(spec[i].c, c, &n);
            assert_int_equal(n, pl);
            unhex(spec[i].t, t, &n);
            memcpy(buf, p, pl);
            assert_int_equal(raw_crypt(impls[m], k, kl, iv, a, al, buf, pl, 1, tag), 0);
            assert_memory_equal(buf, c, pl);
            assert_memory_equal(tag, t, 16);
            assert_int_equal(raw_crypt(impls[m], k, kl, iv, a, al, buf, pl, 0, tag), 0);
            assert_memory_equal(buf, p, pl);
            tag[15] ^= 0x01;
            memcpy(buf, c, pl);
            assert_int_not_equal(raw_crypt(impls[m], k, kl, iv, a, al, buf, pl, 0, tag), 0);
        }
    }
    clear_mask();
}

/* ---- dispatch ---- */
static void
test_dispatch(void **state)
{
    struct s2_gcm_ctx *g = test_malloc(sizeof(*g));
    uint8_t key[32] = { 1 };
    uint8_t iv[12] = { 2 };
    size_t kl;
    unsigned f;

    (void)state;
    for (kl = 16; kl <= 32; kl += 16) {
        clear_mask();
        f = s2_cpu_features();
        assert_int_equal(s2_gcm_init(g, key, kl, iv, 1), 0);
        if ((f & (S2_CPU_AESNI | S2_CPU_PCLMUL | S2_CPU_AVX2 | S2_CPU_VAES)) ==
            (S2_CPU_AESNI | S2_CPU_PCLMUL | S2_CPU_AVX2 | S2_CPU_VAES)) {
            assert_int_equal(g->impl, S2_GCM_VAES);
        } else if ((f & (S2_CPU_AESNI | S2_CPU_PCLMUL)) == (S2_CPU_AESNI | S2_CPU_PCLMUL)) {
            assert_int_equal(g->impl, S2_GCM_NI);
        } else {
            assert_int_equal(g->impl, S2_GCM_MBEDTLS);
        }
        s2_gcm_cleanup(g);
        /* accelerated kernels not allowed: mbedTLS whatever the CPU */
        assert_int_equal(s2_gcm_init(g, key, kl, iv, 0), 0);
        assert_int_equal(g->impl, S2_GCM_MBEDTLS);
        s2_gcm_cleanup(g);
        /* no AES-NI: mbedTLS, and nothing can be forced */
        set_mask("0x3f");
        assert_int_equal(s2_gcm_init(g, key, kl, iv, 1), 0);
        assert_int_equal(g->impl, S2_GCM_MBEDTLS);
        s2_gcm_cleanup(g);
        assert_int_equal(s2_gcm_init_impl(g, key, kl, iv, S2_GCM_NI), LIBSSH2_ERROR_INVAL);
        assert_int_equal(s2_gcm_init_impl(g, key, kl, iv, S2_GCM_VAES), LIBSSH2_ERROR_INVAL);
        assert_int_equal(s2_gcm_init_impl(g, key, kl, iv, S2_GCM_SODIUM), LIBSSH2_ERROR_INVAL);
        s2_gcm_cleanup(g);
    }
    /* libsodium never takes a 128-bit key; bad key sizes are refused */
    clear_mask();
    assert_int_equal(s2_gcm_init_impl(g, key, 16, iv, S2_GCM_SODIUM), LIBSSH2_ERROR_INVAL);
    s2_gcm_cleanup(g);
    assert_int_equal(s2_gcm_init(g, key, 24, iv, 1), LIBSSH2_ERROR_INVAL);
    assert_int_equal(s2_gcm_init_impl(g, key, 24, iv, S2_GCM_NI), LIBSSH2_ERROR_INVAL);
    s2_gcm_cleanup(g);
    assert_string_equal(s2_gcm_impl_name(S2_GCM_NI), "ni");
    test_free(g);
}

/* ---- SSH packets against raw mbedTLS ---- */
#define MAX_PAY (256u * 1024u)

/* the RFC 5647 nonce of packet |n| after |iv| (64-bit counter, wrapping) */
static void
nonce_for(const uint8_t iv[12], uint64_t n, uint8_t out[12])
{
    uint64_t c = 0;
    int b;

    for (b = 4; b < 12; b++) {
        c = (c << 8) | iv[b];
    }
    c += n;
    memcpy(out, iv, 4);
    for (b = 0; b < 8; b++) {
        out[4 + b] = (uint8_t)(c >> (56 - 8 * b));
    }
}

/* One SSH packet of |plen| payload bytes at |off| in |area| through |enc|
 * and |dec| (packet number |n| of both), checked against raw mbedTLS. */
static void
ssh_packet(struct s2_gcm_ctx *enc, struct s2_gcm_ctx *dec, const uint8_t *key, size_t kl,
           const uint8_t iv[12], uint64_t n, uint8_t *area, uint8_t *ref, size_t off,
           size_t plen)
{
    uint8_t *pkt = area + off;
    uint8_t nonce[12], tag[16], ref_tag[16];

    pkt[0] = (uint8_t)(plen >> 24);
    pkt[1] = (uint8_t)(plen >> 16);
    pkt[2] = (uint8_t)(plen >> 8);
    pkt[3] = (uint8_t)plen;
    assert_int_equal(s2_random(pkt + 4, plen), 0);
    memcpy(ref, pkt, 4 + plen);
    nonce_for(iv, n, nonce);
    assert_int_equal(raw_crypt(S2_GCM_MBEDTLS, key, kl, nonce, ref, 4, ref + 4, plen, 1,
                               ref_tag), 0);
    assert_int_equal(s2_gcm_seal(enc, pkt, 4 + plen, tag), 0);
    assert_memory_equal(pkt, ref, 4 + plen);
    assert_memory_equal(tag, ref_tag, 16);
    assert_int_equal(s2_gcm_open(dec, pkt, 4 + plen, tag), 0);
    assert_int_equal(raw_crypt(S2_GCM_MBEDTLS, key, kl, nonce, ref, 4, ref + 4, plen, 0,
                               ref_tag), 0);
    assert_memory_equal(pkt, ref, 4 + plen);
}

static void
test_cross_check(void **state)
{
    struct s2_gcm_ctx *enc = test_malloc(sizeof(*enc));
    struct s2_gcm_ctx *dec = test_malloc(sizeof(*dec));
    uint8_t *area = test_malloc(MAX_PAY + 4 + 16);
    uint8_t *ref = test_malloc(MAX_PAY + 4);
    uint8_t key[32], iv[12];
    size_t kl, m, plen, off;
    uint64_t n;

    (void)state;
    for (m = 0; m < NUM_IMPLS; m++) {
        for (kl = 16; kl <= 32; kl += 16) {
            if (!select_impl(impls[m], kl)) {
                continue;
            }
            for (plen = 0; plen <= 4096; plen += plen < 300 ? 1 : 7) {
                /* a fresh random key and IV every length, and a long run
                 * of packets on one key for a few lengths */
                assert_int_equal(s2_random(key, kl), 0);
                assert_int_equal(s2_random(iv, 12), 0);
                init_impl(enc, impls[m], key, kl, iv);
                init_impl(dec, impls[m], key, kl, iv);
                off = plen % 16;
                ssh_packet(enc, dec, key, kl, iv, 0, area, ref, off, plen);
                if (plen == 0 || plen == 127 || plen == 128 || plen == 129 || plen == 271) {
                    for (n = 1; n <= 16; n++) {
                        ssh_packet(enc, dec, key, kl, iv, n, area, ref, (size_t)n - 1, plen);
                    }
                }
                s2_gcm_cleanup(enc);
                s2_gcm_cleanup(dec);
            }
            /* the largest packet, unaligned */
            assert_int_equal(s2_random(key, kl), 0);
            assert_int_equal(s2_random(iv, 12), 0);
            init_impl(enc, impls[m], key, kl, iv);
            init_impl(dec, impls[m], key, kl, iv);
            ssh_packet(enc, dec, key, kl, iv, 0, area, ref, 3, MAX_PAY);
            ssh_packet(enc, dec, key, kl, iv, 1, area, ref, 0, 32768);
            s2_gcm_cleanup(enc);
            s2_gcm_cleanup(dec);
        }
    }
    clear_mask();
    test_free(enc);
    test_free(dec);
    test_free(area);
    test_free(ref);
}

/* ---- raw kernels with AAD of every length 0..40 ---- */
static void
test_raw_aad(void **state)
{
    uint8_t key[32], iv[12], aad[40], buf[300], want[300], tag[16], want_tag[16];
    size_t kl, m, al, plen;

    (void)state;
    for (m = 0; m < NUM_IMPLS; m++) {
        for (kl = 16; kl <= 32; kl += 16) {
            if (!select_impl(impls[m], kl)) {
                continue;
            }
            for (al = 0; al <= sizeof(aad); al++) {
                plen = (al * 37) % sizeof(buf);
                assert_int_equal(s2_random(key, kl), 0);
                assert_int_equal(s2_random(iv, 12), 0);
                assert_int_equal(s2_random(aad, al), 0);
                assert_int_equal(s2_random(buf, plen), 0);
                memcpy(want, buf, plen);
                assert_int_equal(raw_crypt(S2_GCM_MBEDTLS, key, kl, iv, aad, al, want, plen, 1,
                                           want_tag), 0);
                assert_int_equal(raw_crypt(impls[m], key, kl, iv, aad, al, buf, plen, 1, tag),
                                 0);
                assert_memory_equal(buf, want, plen);
                assert_memory_equal(tag, want_tag, 16);
            }
        }
    }
    clear_mask();
}

/* ---- negative: flips wipe the payload and do not advance the counter ---- */
static void
test_negative(void **state)
{
    static const size_t lens[] = { 0, 1, 15, 16, 17, 127, 128, 129, 1000, 4096 };
    struct s2_gcm_ctx *enc = test_malloc(sizeof(*enc));
    struct s2_gcm_ctx *dec = test_malloc(sizeof(*dec));
    uint8_t *ct = test_malloc(4 + 4096);
    uint8_t *plain = test_malloc(4 + 4096);
    uint8_t *bad = test_malloc(4 + 4096);
    uint8_t key[32], iv[12], tag[16], bad_tag[16];
    size_t kl, m, i, plen, pos;

    (void)state;
    for (m = 0; m < NUM_IMPLS; m++) {
        for (kl = 16; kl <= 32; kl += 16) {
            if (!select_impl(impls[m], kl)) {
                continue;
            }
            for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
                plen = lens[i];
                assert_int_equal(s2_random(key, kl), 0);
                assert_int_equal(s2_random(iv, 12), 0);
                init_impl(enc, impls[m], key, kl, iv);
                init_impl(dec, impls[m], key, kl, iv);
                plain[0] = (uint8_t)(plen >> 24);
                plain[1] = (uint8_t)(plen >> 16);
                plain[2] = (uint8_t)(plen >> 8);
                plain[3] = (uint8_t)plen;
                memset(plain + 4, 0x5a, plen);
                memcpy(ct, plain, 4 + plen);
                assert_int_equal(s2_gcm_seal(enc, ct, 4 + plen, tag), 0);
                /* every tag byte */
                for (pos = 0; pos < 16; pos++) {
                    memcpy(bad, ct, 4 + plen);
                    memcpy(bad_tag, tag, 16);
                    bad_tag[pos] ^= (uint8_t)(1u << (pos % 8));
                    assert_int_equal(s2_gcm_open(dec, bad, 4 + plen, bad_tag),
                                     LIBSSH2_ERROR_INVALID_MAC);
                    assert_true(all_zero(bad + 4, plen));
                }
                /* the length (AAD) bytes, the first, middle and last
                 * payload bytes */
                for (pos = 0; pos < 4 + plen; pos++) {
                    if (pos >= 4 && pos != 4 && pos != 4 + plen / 2 && pos != 3 + plen) {
                        continue;
                    }
                    memcpy(bad, ct, 4 + plen);
                    bad[pos] ^= 0x80;
                    assert_int_equal(s2_gcm_open(dec, bad, 4 + plen, tag),
                                     LIBSSH2_ERROR_INVALID_MAC);
                    assert_true(all_zero(bad + 4, plen));
                }
                /* truncated by one byte */
                if (plen > 0) {
                    memcpy(bad, ct, 4 + plen);
                    assert_int_equal(s2_gcm_open(dec, bad, 3 + plen, tag),
                                     LIBSSH2_ERROR_INVALID_MAC);
                }
                assert_int_equal(s2_gcm_open(dec, bad, 3, tag), LIBSSH2_ERROR_INVAL);
                assert_int_equal(s2_gcm_seal(enc, bad, 3, bad_tag), LIBSSH2_ERROR_INVAL);
                /* failures left the receiver's counter alone */
                memcpy(bad, ct, 4 + plen);
                assert_int_equal(s2_gcm_open(dec, bad, 4 + plen, tag), 0);
                assert_memory_equal(bad, plain, 4 + plen);
                /* the counter moved: the same packet again fails, and the
                 * same plaintext sealed again differs */
                memcpy(bad, ct, 4 + plen);
                assert_int_equal(s2_gcm_open(dec, bad, 4 + plen, tag),
                                 LIBSSH2_ERROR_INVALID_MAC);
                memcpy(bad, plain, 4 + plen);
                assert_int_equal(s2_gcm_seal(enc, bad, 4 + plen, bad_tag), 0);
                assert_memory_not_equal(bad_tag, tag, 16);
                if (plen > 0) {
                    assert_memory_not_equal(bad + 4, ct + 4, plen);
                }
                assert_int_equal(s2_gcm_open(dec, bad, 4 + plen, bad_tag), 0);
                assert_memory_equal(bad, plain, 4 + plen);
                s2_gcm_cleanup(enc);
                s2_gcm_cleanup(dec);
                assert_true(all_zero((const uint8_t *)&enc->k, sizeof(enc->k)));
            }
        }
    }
    clear_mask();
    test_free(enc);
    test_free(dec);
    test_free(ct);
    test_free(plain);
    test_free(bad);
}

/* ---- the invocation counter across packets, wrapping at 2^64 ---- */
static void
test_counter_wrap(void **state)
{
    struct s2_gcm_ctx *enc = test_malloc(sizeof(*enc));
    struct s2_gcm_ctx *dec = test_malloc(sizeof(*dec));
    uint8_t area[4 + 100 + 16], ref[4 + 100];
    uint8_t key[32], iv[12];
    size_t kl, m;
    uint64_t n;

    (void)state;
    for (m = 0; m < NUM_IMPLS; m++) {
        for (kl = 16; kl <= 32; kl += 16) {
            if (!select_impl(impls[m], kl)) {
                continue;
            }
            assert_int_equal(s2_random(key, kl), 0);
            memcpy(iv, "\x01\x02\x03\x04\xff\xff\xff\xff\xff\xff\xff\xfd", 12);
            init_impl(enc, impls[m], key, kl, iv);
            init_impl(dec, impls[m], key, kl, iv);
            for (n = 0; n < 5; n++) {
                ssh_packet(enc, dec, key, kl, iv, n, area, ref, 0, 100);
            }
            /* ...fd + 5 = 2 after the wrap; the fixed field is untouched */
            assert_memory_equal(enc->iv, "\x01\x02\x03\x04\x00\x00\x00\x00\x00\x00\x00\x02", 12);
            assert_memory_equal(dec->iv, enc->iv, 12);
            s2_gcm_cleanup(enc);
            s2_gcm_cleanup(dec);
        }
    }
    clear_mask();
    test_free(enc);
    test_free(dec);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spec_vectors), cmocka_unit_test(test_dispatch),
        cmocka_unit_test(test_cross_check),  cmocka_unit_test(test_raw_aad),
        cmocka_unit_test(test_negative),     cmocka_unit_test(test_counter_wrap),
    };

    if (s2_crypto_init() != 0) {
        return 1;
    }
    return cmocka_run_group_tests(tests, NULL, NULL);
}
