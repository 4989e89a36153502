/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_cipher_gcm.c: aes128-gcm@openssh.com and aes256-gcm@openssh.com.
 *  - the backends against the GCM specification (McGrew-Viega) test cases 4
 *    and 16 (96-bit IV, with AAD);
 *  - SSH framing (RFC 5647 7): known packets computed independently with
 *    OpenSSL (Python cryptography), three in a row across the 64-bit
 *    invocation-counter wrap, on both the libsodium and the mbedTLS path;
 *  - the libsodium AES-256 path cross-checked against raw mbedtls_gcm with
 *    the expected nonce for many packets and lengths;
 *  - negative: flipped tag, ciphertext or length byte -> INVALID_MAC with no
 *    plaintext left; the counter advances (same packet twice differs).
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

/* ---- GCM spec test cases 4 (AES-128) and 16 (AES-256) ---- */
static const char *TC_P = "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
                          "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39";
static const char *TC_A = "feedfacedeadbeeffeedfacedeadbeefabaddad2";
static const char *TC_IV = "cafebabefacedbaddecaf888";
static const char *TC4_K = "feffe9928665731c6d6a8f9467308308";
static const char *TC4_C = "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
                           "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091";
static const char *TC4_T = "5bc94fbc3221a5db94fae95ae7121a47";
static const char *TC16_K = "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308";
static const char *TC16_C = "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
                            "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662";
static const char *TC16_T = "76fc6ece0f4e1768cddf8853bb2d551b";

static void
spec_case(const char *khex, const char *chex, const char *thex)
{
    uint8_t k[32], p[60], a[20], iv[12], c[60], t[16], out[60], tag[16];
    size_t kl, n;
    mbedtls_gcm_context g;
    crypto_aead_aes256gcm_state *st = NULL;

    t_unhex(khex, k, &kl);
    t_unhex(TC_P, p, &n);
    t_unhex(TC_A, a, &n);
    t_unhex(TC_IV, iv, &n);
    t_unhex(chex, c, &n);
    t_unhex(thex, t, &n);

    mbedtls_gcm_init(&g);
    assert_int_equal(mbedtls_gcm_setkey(&g, MBEDTLS_CIPHER_ID_AES, k, (unsigned int)kl * 8), 0);
    assert_int_equal(mbedtls_gcm_crypt_and_tag(&g, MBEDTLS_GCM_ENCRYPT, 60, iv, 12, a, 20, p,
                                               out, 16, tag), 0);
    assert_memory_equal(out, c, 60);
    assert_memory_equal(tag, t, 16);
    tag[0] ^= 1;
    assert_int_not_equal(mbedtls_gcm_auth_decrypt(&g, 60, iv, 12, a, 20, tag, 16, c, out), 0);
    mbedtls_gcm_free(&g);

    if (kl == 32 && crypto_aead_aes256gcm_is_available()) {
        st = sodium_malloc(sizeof(*st));
        assert_non_null(st);
        assert_int_equal(crypto_aead_aes256gcm_beforenm(st, k), 0);
        assert_int_equal(crypto_aead_aes256gcm_encrypt_detached_afternm(out, tag, NULL, p, 60, a,
                                                                        20, NULL, iv, st), 0);
        assert_memory_equal(out, c, 60);
        assert_memory_equal(tag, t, 16);
        sodium_free(st);
    }
}

static void
test_spec_vectors(void **state)
{
    (void)state;
    assert_int_equal(s2_crypto_init(), 0);
    spec_case(TC4_K, TC4_C, TC4_T);
    spec_case(TC16_K, TC16_C, TC16_T);
}

/* ---- SSH framing known answers (OpenSSL via Python cryptography) ----
 * key = 0x40, 0x41, ...; IV = 0a0b0c0d || fffffffffffffffe; packet i has
 * length 32 and payload bytes (7 * i + j) & 0xff. */
static const char *SSH_IV = "0a0b0c0dfffffffffffffffe";
static const char *SSH_CT[2][3][2] = {
    {
        { "a024c2b4cd118e781f620ea96deb0b08f7fbf0cd59e360959313be8f640e2e43",
          "5448b66ce68d63a6e285b873ba4445a9" },
        { "932c7ce3dfdc7cc94b518b343937ace28161a1091e5c14f44fae9509130bb8ad",
          "09b71d15ccfab41caf3ef324ca3e1924" },
        { "3bc26d99092d574cf34930cd07b41852cb9193c4d76e863ad02e073b5442a52c",
          "587cfb452ddf0a81cf27bf35b67ca7c3" },
    },
    {
        { "f19231bbf03d3018377239bff066d26c5fdde0dda811b046d5a47b944bcf1ce0",
          "36d0f7507f5b2e3798036b02beaa3362" },
        { "00c0bba5030ecf6c7f923ca4d32fc38eb43ba419f241d5a1763ba87719b66888",
          "a32d8b5e297fd81b1a183d072854ea92" },
        { "da39e4f14a0d2911b3827a3cf66466ee562a3ff968d13e5ae39eade0e6ce1e41",
          "915bc45683aa41e616aa26aeb00e49b5" },
    },
};

static void
ssh_plain(uint8_t pkt[36], size_t i)
{
    size_t j;

    pkt[0] = 0;
    pkt[1] = 0;
    pkt[2] = 0;
    pkt[3] = 32;
    for (j = 0; j < 32; j++) {
        pkt[4 + j] = (uint8_t)((i * 7 + j) & 0xff);
    }
}

static void
ssh_kat(size_t kl, int allow_sodium)
{
    struct s2_gcm_ctx *enc = test_malloc(sizeof(*enc));
    struct s2_gcm_ctx *dec = test_malloc(sizeof(*dec));
    uint8_t key[32], iv[12], pkt[36], plain[36], ct[32], want_tag[16], tag[16];
    size_t i, n;
    int ki = kl == 16 ? 0 : 1;

    for (i = 0; i < kl; i++) {
        key[i] = (uint8_t)(0x40 + i);
    }
    t_unhex(SSH_IV, iv, &n);
    assert_int_equal(s2_gcm_init(enc, key, kl, iv, allow_sodium), 0);
    assert_int_equal(s2_gcm_init(dec, key, kl, iv, allow_sodium), 0);
    if (!allow_sodium) {
        assert_int_equal(enc->impl, S2_GCM_MBEDTLS);
    } else if (s2_gcm_impl_available(S2_GCM_NI, kl)) {
        /* our kernels first (test_gcm_kernels.c forces each one) */
        assert_true(enc->impl == S2_GCM_NI || enc->impl == S2_GCM_VAES);
    }
    for (i = 0; i < 3; i++) {
        ssh_plain(pkt, i);
        memcpy(plain, pkt, sizeof(pkt));
        t_unhex(SSH_CT[ki][i][0], ct, &n);
        t_unhex(SSH_CT[ki][i][1], want_tag, &n);
        assert_int_equal(s2_gcm_seal(enc, pkt, sizeof(pkt), tag), 0);
        assert_memory_equal(pkt, plain, 4); /* length stays clear */
        assert_memory_equal(pkt + 4, ct, 32);
        assert_memory_equal(tag, want_tag, 16);
        assert_int_equal(s2_gcm_open(dec, pkt, sizeof(pkt), tag), 0);
        assert_memory_equal(pkt, plain, sizeof(pkt));
    }
    /* the counter wrapped to zero; the fixed field did not change */
    assert_memory_equal(enc->iv, "\x0a\x0b\x0c\x0d\x00\x00\x00\x00\x00\x00\x00\x01", 12);
    assert_memory_equal(dec->iv, enc->iv, 12);
    s2_gcm_cleanup(enc);
    s2_gcm_cleanup(dec);
    assert_true(all_zero((const uint8_t *)enc->iv, 12));
    test_free(enc);
    test_free(dec);
}

static void
test_ssh_kat(void **state)
{
    (void)state;
    ssh_kat(16, 1);
    ssh_kat(16, 0);
    ssh_kat(32, 1); /* libsodium when the CPU has AES-NI */
    ssh_kat(32, 0); /* mbedTLS */
    if (!crypto_aead_aes256gcm_is_available()) {
        print_message("note: no AES-NI; libsodium AES-256-GCM path not exercised\n");
    }
}

static void
test_via_table_and_cross_check(void **state)
{
    /* Through s2_cipher_new (libsodium for aes256 if available); each
     * packet is recomputed with raw mbedtls_gcm and the nonce RFC 5647
     * says it must use. */
    static const char *names[] = { "aes128-gcm@openssh.com", "aes256-gcm@openssh.com" };
    const struct s2_cipher_alg *alg;
    struct s2_cipher *enc = NULL;
    struct s2_cipher *dec = NULL;
    mbedtls_gcm_context g;
    uint8_t key[32], iv[12], nonce[12];
    uint8_t pkt[4 + 512], ref[4 + 512], plain[4 + 512], tag[16], ref_tag[16];
    size_t a, i, plen;
    uint32_t len;
    uint64_t ctr;
    int b;

    (void)state;
    for (a = 0; a < 2; a++) {
        alg = s2_cipher_find(names[a], strlen(names[a]));
        assert_non_null(alg);
        assert_int_equal(s2_random(key, alg->key_len), 0);
        assert_int_equal(s2_random(iv, 12), 0);
        iv[11] = 0xf0; /* cross a byte boundary of the counter on the way */
        assert_int_equal(s2_cipher_new(&t_alloc_cmocka, alg, 1, key, iv, &enc), 0);
        assert_int_equal(s2_cipher_new(&t_alloc_cmocka, alg, 0, key, iv, &dec), 0);
        mbedtls_gcm_init(&g);
        assert_int_equal(mbedtls_gcm_setkey(&g, MBEDTLS_CIPHER_ID_AES, key,
                                            (unsigned int)alg->key_len * 8), 0);
        ctr = 0;
        for (b = 4; b < 12; b++) {
            ctr = (ctr << 8) | iv[b];
        }
        for (i = 0; i < 40; i++) {
            plen = (i * 16) % 512;
            pkt[0] = (uint8_t)(plen >> 24);
            pkt[1] = (uint8_t)(plen >> 16);
            pkt[2] = (uint8_t)(plen >> 8);
            pkt[3] = (uint8_t)plen;
            assert_int_equal(s2_random(pkt + 4, plen), 0);
            memcpy(plain, pkt, 4 + plen);
            memcpy(nonce, iv, 4);
            for (b = 0; b < 8; b++) {
                nonce[4 + b] = (uint8_t)(ctr >> (56 - 8 * b));
            }
            assert_int_equal(mbedtls_gcm_crypt_and_tag(&g, MBEDTLS_GCM_ENCRYPT, plen, nonce, 12,
                                                       plain, 4, plain + 4, ref + 4, 16,
                                                       ref_tag), 0);
            assert_int_equal(s2_aead_length(enc, (uint32_t)i, pkt, &len), 0);
            assert_int_equal(len, plen);
            assert_int_equal(s2_aead_seal(enc, (uint32_t)i, pkt, 4 + plen, tag), 0);
            assert_memory_equal(pkt, plain, 4);
            assert_memory_equal(pkt + 4, ref + 4, plen);
            assert_memory_equal(tag, ref_tag, 16);
            /* receiver reads the length without changing the bytes */
            assert_int_equal(s2_aead_length(dec, (uint32_t)i, pkt, &len), 0);
            assert_int_equal(len, plen);
            assert_memory_equal(pkt, plain, 4);
            assert_int_equal(s2_aead_open(dec, (uint32_t)i, pkt, 4 + plen, tag), 0);
            assert_memory_equal(pkt, plain, 4 + plen);
            ctr++;
        }
        mbedtls_gcm_free(&g);
        s2_cipher_free(&t_alloc_cmocka, enc);
        s2_cipher_free(&t_alloc_cmocka, dec);
        enc = NULL;
        dec = NULL;
    }
}

/* Seals one 4 + 64 byte packet on |enc|; leaves the ciphertext in |pkt|. */
static void
seal_one(struct s2_cipher *enc, uint8_t pkt[68], uint8_t plain[68], uint8_t tag[16])
{
    size_t j;

    pkt[0] = 0;
    pkt[1] = 0;
    pkt[2] = 0;
    pkt[3] = 64;
    for (j = 4; j < 68; j++) {
        pkt[j] = (uint8_t)(0x30 + j);
    }
    memcpy(plain, pkt, 68);
    assert_int_equal(s2_aead_seal(enc, 0, pkt, 68, tag), 0);
}

static void
negative_for(const char *name)
{
    const struct s2_cipher_alg *alg = s2_cipher_find(name, strlen(name));
    struct s2_cipher *enc = NULL;
    struct s2_cipher *dec = NULL;
    uint8_t key[32], iv[12], pkt[68], plain[68], ct[68], tag[16], bad[68], bad_tag[16];
    size_t pos;

    assert_non_null(alg);
    assert_int_equal(s2_random(key, sizeof(key)), 0);
    assert_int_equal(s2_random(iv, sizeof(iv)), 0);
    assert_int_equal(s2_cipher_new(&t_alloc_cmocka, alg, 1, key, iv, &enc), 0);
    assert_int_equal(s2_cipher_new(&t_alloc_cmocka, alg, 0, key, iv, &dec), 0);
    seal_one(enc, pkt, plain, tag);
    memcpy(ct, pkt, 68);
    assert_memory_not_equal(ct + 4, plain + 4, 64);

    /* tag flips: every byte */
    for (pos = 0; pos < 16; pos++) {
        memcpy(bad, ct, 68);
        memcpy(bad_tag, tag, 16);
        bad_tag[pos] ^= 0x01;
        assert_int_equal(s2_aead_open(dec, 0, bad, 68, bad_tag), LIBSSH2_ERROR_INVALID_MAC);
        assert_true(all_zero(bad + 4, 64)); /* no plaintext left behind */
    }
    /* ciphertext and length flips: every byte */
    for (pos = 0; pos < 68; pos++) {
        memcpy(bad, ct, 68);
        bad[pos] ^= 0x80;
        assert_int_equal(s2_aead_open(dec, 0, bad, 68, tag), LIBSSH2_ERROR_INVALID_MAC);
        assert_true(all_zero(bad + 4, 64));
    }
    /* truncated packet */
    memcpy(bad, ct, 68);
    assert_int_equal(s2_aead_open(dec, 0, bad, 52, tag), LIBSSH2_ERROR_INVALID_MAC);
    assert_int_equal(s2_aead_open(dec, 0, bad, 3, tag), LIBSSH2_ERROR_INVAL);
    assert_int_equal(s2_aead_seal(enc, 0, bad, 3, bad_tag), LIBSSH2_ERROR_INVAL);

    /* failures did not advance the receiver: the genuine packet opens */
    memcpy(bad, ct, 68);
    assert_int_equal(s2_aead_open(dec, 0, bad, 68, tag), 0);
    assert_memory_equal(bad, plain, 68);
    /* replaying it now fails: the receiver's counter moved on */
    memcpy(bad, ct, 68);
    assert_int_equal(s2_aead_open(dec, 1, bad, 68, tag), LIBSSH2_ERROR_INVALID_MAC);

    /* the same plaintext sealed again gives another ciphertext and tag */
    seal_one(enc, pkt, plain, bad_tag);
    assert_memory_not_equal(pkt + 4, ct + 4, 64);
    assert_memory_not_equal(bad_tag, tag, 16);
    assert_int_equal(s2_aead_open(dec, 1, pkt, 68, bad_tag), 0);
    assert_memory_equal(pkt, plain, 68);

    /* an empty payload (length field only) round-trips */
    memcpy(pkt, "\x00\x00\x00\x00", 4);
    assert_int_equal(s2_aead_seal(enc, 2, pkt, 4, tag), 0);
    assert_int_equal(s2_aead_open(dec, 2, pkt, 4, tag), 0);
    pkt[0] ^= 1;
    assert_int_equal(s2_aead_seal(enc, 3, pkt, 4, tag), 0);
    pkt[0] ^= 1;
    assert_int_equal(s2_aead_open(dec, 3, pkt, 4, tag), LIBSSH2_ERROR_INVALID_MAC);

    s2_cipher_free(&t_alloc_cmocka, enc);
    s2_cipher_free(&t_alloc_cmocka, dec);
}

static void
test_negative(void **state)
{
    (void)state;
    negative_for("aes128-gcm@openssh.com");
    negative_for("aes256-gcm@openssh.com");
}

static void
test_init_errors(void **state)
{
    struct s2_gcm_ctx *g = test_malloc(sizeof(*g));
    uint8_t key[32] = { 0 };
    uint8_t iv[12] = { 0 };

    (void)state;
    assert_int_equal(s2_gcm_init(g, key, 24, iv, 1), LIBSSH2_ERROR_INVAL);
    assert_int_equal(s2_gcm_init(g, key, 0, iv, 1), LIBSSH2_ERROR_INVAL);
    test_free(g);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spec_vectors),
        cmocka_unit_test(test_ssh_kat),
        cmocka_unit_test(test_via_table_and_cross_check),
        cmocka_unit_test(test_negative),
        cmocka_unit_test(test_init_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
