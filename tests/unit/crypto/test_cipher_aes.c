/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_cipher_aes.c: the cipher table (s2_cipher_find) and AES-CTR / AES-CBC
 * through s2_cipher_crypt against NIST SP 800-38A F.2 (CBC) and F.5 (CTR),
 * AES-128/192/256, encrypt and decrypt, whole and split across calls; a
 * 128-bit counter wrap (RFC 4344: the whole block is the counter);
 * misuse: odd CBC lengths, AEAD calls on a non-AEAD cipher.
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

/* SP 800-38A F.1-F.5 common plaintext (four blocks) */
static const char *PT = "6bc1bee22e409f96e93d7e117393172a"
                        "ae2d8a571e03ac9c9eb76fac45af8e51"
                        "30c81c46a35ce411e5fbc1191a0a52ef"
                        "f69f2445df4f9b17ad2b417be66c3710";
static const char *CBC_IV = "000102030405060708090a0b0c0d0e0f";
static const char *CTR_IV = "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff";

struct vec {
    const char *name;
    const char *key;
    const char *iv;
    const char *ct;
};

static const struct vec vecs[] = {
    /* F.2.1 / F.2.2 CBC-AES128 */
    { "aes128-cbc", "2b7e151628aed2a6abf7158809cf4f3c", NULL,
      "7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b2"
      "73bed6b8e3c1743b7116e69e222295163ff1caa1681fac09120eca307586e1a7" },
    /* F.2.3 / F.2.4 CBC-AES192 */
    { "aes192-cbc", "8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b", NULL,
      "4f021db243bc633d7178183a9fa071e8b4d9ada9ad7dedf4e5e738763f69145a"
      "571b242012fb7ae07fa9baac3df102e008b0e27988598881d920a9e64f5615cd" },
    /* F.2.5 / F.2.6 CBC-AES256 */
    { "aes256-cbc", "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4", NULL,
      "f58c4c04d6e5f1ba779eabfb5f7bfbd69cfc4e967edb808d679f777bc6702c7d"
      "39f23369a9d9bacfa530e26304231461b2eb05e2c39be9fcda6c19078c6a9d1b" },
    { "rijndael-cbc@lysator.liu.se",
      "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4", NULL,
      "f58c4c04d6e5f1ba779eabfb5f7bfbd69cfc4e967edb808d679f777bc6702c7d"
      "39f23369a9d9bacfa530e26304231461b2eb05e2c39be9fcda6c19078c6a9d1b" },
    /* F.5.1 / F.5.2 CTR-AES128 */
    { "aes128-ctr", "2b7e151628aed2a6abf7158809cf4f3c", NULL,
      "874d6191b620e3261bef6864990db6ce9806f66b7970fdff8617187bb9fffdff"
      "5ae4df3edbd5d35e5b4f09020db03eab1e031dda2fbe03d1792170a0f3009cee" },
    /* F.5.3 / F.5.4 CTR-AES192 */
    { "aes192-ctr", "8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b", NULL,
      "1abc932417521ca24f2b0459fe7e6e0b090339ec0aa6faefd5ccc2c6f4ce8e94"
      "1e36b26bd1ebc670d1bd1d665620abf74f78a7f6d29809585a97daec58c6b050" },
    /* F.5.5 / F.5.6 CTR-AES256 */
    { "aes256-ctr", "603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4", NULL,
      "601ec313775789a5b7a7f504bbf3d228f443e3ca4d62b59aca84e990cacaf5c5"
      "2b0930daa23de94ce87017ba2d84988ddfc9c58db67aada613c2dd08457941a6" },
    /* CTR with the counter block at 2^128 - 1: the second block wraps to 0
     * (computed with OpenSSL through Python cryptography) */
    { "aes128-ctr", "2b7e151628aed2a6abf7158809cf4f3c", "ffffffffffffffffffffffffffffffff",
      "e13338e36cb71962e00d020b4cedbd86d3dae15b04bb352fa0f59febfcb4da3e"
      "67da610697ed5aae4b0fa7a0dd783d2961a00ab697367915d23c754bd99e2899" },
};

#define NVECS (sizeof(vecs) / sizeof(vecs[0]))

struct kat {
    const struct s2_cipher_alg *alg;
    uint8_t key[32];
    uint8_t iv[16];
    uint8_t pt[64];
    uint8_t ct[64];
};

static void
load(const struct vec *v, struct kat *k)
{
    size_t n;

    k->alg = s2_cipher_find(v->name, strlen(v->name));
    assert_non_null(k->alg);
    t_unhex(v->key, k->key, &n);
    assert_int_equal(n, k->alg->key_len);
    if (v->iv != NULL) {
        t_unhex(v->iv, k->iv, &n);
    } else {
        t_unhex(k->alg->mode == S2_MODE_CBC ? CBC_IV : CTR_IV, k->iv, &n);
    }
    assert_int_equal(n, k->alg->iv_len);
    t_unhex(PT, k->pt, &n);
    assert_int_equal(n, 64);
    t_unhex(v->ct, k->ct, &n);
    assert_int_equal(n, 64);
}

/* Runs |in| through a fresh cipher in pieces given by |cuts| (ascending,
 * ending at 64) and compares with |want|. */
static void
run_split(const struct kat *k, int encrypt, const uint8_t *in, const uint8_t *want,
          const size_t *cuts, size_t ncuts)
{
    struct s2_cipher *c = NULL;
    uint8_t buf[64];
    size_t i;
    size_t from = 0;

    assert_int_equal(s2_cipher_new(&t_alloc_cmocka, k->alg, encrypt, k->key, k->iv, &c), 0);
    assert_non_null(c);
    memcpy(buf, in, 64);
    for (i = 0; i < ncuts; i++) {
        assert_int_equal(s2_cipher_crypt(c, buf + from, cuts[i] - from), 0);
        from = cuts[i];
    }
    assert_int_equal(from, 64);
    assert_memory_equal(buf, want, 64);
    s2_cipher_free(&t_alloc_cmocka, c);
}

static void
test_find(void **state)
{
    static const struct {
        const char *name;
        enum s2_cipher_mode mode;
        uint8_t key, iv, block, tag;
    } want[] = {
        { "chacha20-poly1305@openssh.com", S2_MODE_CHAPOLY, 64, 0, 8, 16 },
        { "aes128-gcm@openssh.com", S2_MODE_GCM, 16, 12, 16, 16 },
        { "aes256-gcm@openssh.com", S2_MODE_GCM, 32, 12, 16, 16 },
        { "aes128-ctr", S2_MODE_CTR, 16, 16, 16, 0 },
        { "aes192-ctr", S2_MODE_CTR, 24, 16, 16, 0 },
        { "aes256-ctr", S2_MODE_CTR, 32, 16, 16, 0 },
        { "aes128-cbc", S2_MODE_CBC, 16, 16, 16, 0 },
        { "aes192-cbc", S2_MODE_CBC, 24, 16, 16, 0 },
        { "aes256-cbc", S2_MODE_CBC, 32, 16, 16, 0 },
        { "rijndael-cbc@lysator.liu.se", S2_MODE_CBC, 32, 16, 16, 0 },
    };
    const struct s2_cipher_alg *a;
    char buf[64];
    size_t i;
    size_t n;

    (void)state;
    for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        n = strlen(want[i].name);
        /* not NUL-terminated: trailing garbage after name_len */
        memset(buf, 'x', sizeof(buf));
        memcpy(buf, want[i].name, n);
        a = s2_cipher_find(buf, n);
        assert_non_null(a);
        assert_string_equal(a->name, want[i].name);
        assert_int_equal(a->mode, want[i].mode);
        assert_int_equal(a->key_len, want[i].key);
        assert_int_equal(a->iv_len, want[i].iv);
        assert_int_equal(a->block_len, want[i].block);
        assert_int_equal(a->tag_len, want[i].tag);
        /* prefixes and extensions are other names */
        assert_null(s2_cipher_find(buf, n - 1));
        assert_null(s2_cipher_find(buf, n + 1));
    }
    assert_null(s2_cipher_find("", 0));
    assert_null(s2_cipher_find(NULL, 0));
    assert_null(s2_cipher_find("3des-cbc", 8));
    assert_null(s2_cipher_find("AES128-CTR", 10));
    assert_null(s2_cipher_find("none", 4));
}

static void
test_kat_whole(void **state)
{
    static const size_t whole[] = { 64 };
    struct kat k;
    size_t i;

    (void)state;
    for (i = 0; i < NVECS; i++) {
        load(&vecs[i], &k);
        run_split(&k, 1, k.pt, k.ct, whole, 1);
        run_split(&k, 0, k.ct, k.pt, whole, 1);
    }
}

static void
test_kat_split_blocks(void **state)
{
    /* every way to split four blocks at block boundaries */
    struct kat k;
    size_t cuts[4];
    size_t i;
    unsigned int mask;
    size_t n;
    size_t b;

    (void)state;
    for (i = 0; i < NVECS; i++) {
        load(&vecs[i], &k);
        for (mask = 0; mask < 8; mask++) {
            n = 0;
            for (b = 0; b < 3; b++) {
                if (mask & (1u << b)) {
                    cuts[n++] = 16 * (b + 1);
                }
            }
            cuts[n++] = 64;
            run_split(&k, 1, k.pt, k.ct, cuts, n);
            run_split(&k, 0, k.ct, k.pt, cuts, n);
        }
    }
}

static void
test_ctr_split_anywhere(void **state)
{
    /* CTR keeps the unused keystream, so it splits at any byte offset. */
    struct kat k;
    size_t cuts[3];
    size_t i;
    size_t a;
    size_t b;

    (void)state;
    for (i = 0; i < NVECS; i++) {
        load(&vecs[i], &k);
        if (k.alg->mode != S2_MODE_CTR) {
            continue;
        }
        for (a = 0; a <= 64; a++) {
            for (b = a; b <= 64; b += 5) {
                cuts[0] = a;
                cuts[1] = b;
                cuts[2] = 64;
                run_split(&k, 1, k.pt, k.ct, cuts, 3);
                run_split(&k, 0, k.ct, k.pt, cuts, 3);
            }
        }
    }
}

static void
test_cbc_bad_length(void **state)
{
    struct s2_cipher *c = NULL;
    struct kat k;
    uint8_t buf[64];

    (void)state;
    load(&vecs[0], &k);
    assert_int_equal(s2_cipher_new(&t_alloc_cmocka, k.alg, 1, k.key, k.iv, &c), 0);
    memcpy(buf, k.pt, 64);
    assert_int_equal(s2_cipher_crypt(c, buf, 15), LIBSSH2_ERROR_INVAL);
    assert_int_equal(s2_cipher_crypt(c, buf, 17), LIBSSH2_ERROR_INVAL);
    assert_memory_equal(buf, k.pt, 64); /* untouched */
    assert_int_equal(s2_cipher_crypt(c, buf, 0), 0);
    /* the chaining state is unaffected by the refused calls */
    assert_int_equal(s2_cipher_crypt(c, buf, 64), 0);
    assert_memory_equal(buf, k.ct, 64);
    s2_cipher_free(&t_alloc_cmocka, c);
}

static void
test_wrong_direction_fails(void **state)
{
    /* negative: CBC decryption of the plaintext does not give the ciphertext */
    struct s2_cipher *c = NULL;
    struct kat k;
    uint8_t buf[64];

    (void)state;
    load(&vecs[0], &k);
    assert_int_equal(s2_cipher_new(&t_alloc_cmocka, k.alg, 0, k.key, k.iv, &c), 0);
    memcpy(buf, k.pt, 64);
    assert_int_equal(s2_cipher_crypt(c, buf, 64), 0);
    assert_memory_not_equal(buf, k.ct, 64);
    s2_cipher_free(&t_alloc_cmocka, c);
    /* negative: a flipped key bit gives another ciphertext */
    k.key[0] ^= 1;
    assert_int_equal(s2_cipher_new(&t_alloc_cmocka, k.alg, 1, k.key, k.iv, &c), 0);
    memcpy(buf, k.pt, 64);
    assert_int_equal(s2_cipher_crypt(c, buf, 64), 0);
    assert_memory_not_equal(buf, k.ct, 64);
    s2_cipher_free(&t_alloc_cmocka, c);
}

static void
test_misuse(void **state)
{
    const struct s2_cipher_alg *ctr = s2_cipher_find("aes128-ctr", 10);
    const struct s2_cipher_alg *gcm = s2_cipher_find("aes128-gcm@openssh.com", 22);
    struct s2_cipher *c = NULL;
    uint8_t key[32] = { 0 };
    uint8_t iv[16] = { 0 };
    uint8_t pkt[20] = { 0, 0, 0, 16 };
    uint8_t tag[16];
    uint32_t len;

    (void)state;
    assert_non_null(ctr);
    assert_non_null(gcm);
    assert_int_equal(s2_cipher_new(&t_alloc_cmocka, ctr, 1, key, iv, &c), 0);
    assert_int_equal(s2_aead_length(c, 0, pkt, &len), LIBSSH2_ERROR_BAD_USE);
    assert_int_equal(s2_aead_seal(c, 0, pkt, sizeof(pkt), tag), LIBSSH2_ERROR_BAD_USE);
    assert_int_equal(s2_aead_open(c, 0, pkt, sizeof(pkt), tag), LIBSSH2_ERROR_BAD_USE);
    s2_cipher_free(&t_alloc_cmocka, c);
    c = NULL;
    assert_int_equal(s2_cipher_new(&t_alloc_cmocka, gcm, 1, key, iv, &c), 0);
    assert_int_equal(s2_cipher_crypt(c, pkt, 16), LIBSSH2_ERROR_BAD_USE);
    s2_cipher_free(&t_alloc_cmocka, c);
    c = (struct s2_cipher *)(void *)&c; /* any non-NULL value */
    assert_int_equal(s2_cipher_new(&t_alloc_failing, ctr, 1, key, iv, &c), LIBSSH2_ERROR_ALLOC);
    assert_null(c);
    c = (struct s2_cipher *)(void *)&c; /* any non-NULL value */
    assert_int_equal(s2_cipher_new(&t_alloc_cmocka, NULL, 1, key, iv, &c), LIBSSH2_ERROR_INVAL);
    assert_null(c);
    s2_cipher_free(&t_alloc_cmocka, NULL);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_find),
        cmocka_unit_test(test_kat_whole),
        cmocka_unit_test(test_kat_split_blocks),
        cmocka_unit_test(test_ctr_split_anywhere),
        cmocka_unit_test(test_cbc_bad_length),
        cmocka_unit_test(test_wrong_direction_fails),
        cmocka_unit_test(test_misuse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
