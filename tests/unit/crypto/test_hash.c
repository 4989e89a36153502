/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_hash.c: s2_hash_* against the published vectors: MD5 (RFC 1321 A.5),
 * SHA-1/256/384/512 (FIPS 180-4 examples: "abc", the empty string, the
 * 448-bit and 896-bit messages, one million 'a'), incremental updates split
 * at every offset; s2_random, s2_ct_eq, s2_crypto_init.
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

static const char M448[] = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
static const char M896[] = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmno"
                           "ijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";

struct vec {
    enum s2_hash_alg alg;
    const char *msg;
    const char *digest;
};

static const struct vec vecs[] = {
    /* RFC 1321 A.5 */
    { S2_HASH_MD5, "", "d41d8cd98f00b204e9800998ecf8427e" },
    { S2_HASH_MD5, "a", "0cc175b9c0f1b6a831c399e269772661" },
    { S2_HASH_MD5, "abc", "900150983cd24fb0d6963f7d28e17f72" },
    { S2_HASH_MD5, "message digest", "f96b697d7cb7938d525a2f31aaf161d0" },
    { S2_HASH_MD5, "abcdefghijklmnopqrstuvwxyz", "c3fcd3d76192e4007dfb496cca67e13b" },
    { S2_HASH_MD5,
      "12345678901234567890123456789012345678901234567890123456789012345678901234567890",
      "57edf4a22be3c955ac49da2e2107b67a" },
    /* FIPS 180-4 examples */
    { S2_HASH_SHA1, "", "da39a3ee5e6b4b0d3255bfef95601890afd80709" },
    { S2_HASH_SHA1, "abc", "a9993e364706816aba3e25717850c26c9cd0d89d" },
    { S2_HASH_SHA1, M448, "84983e441c3bd26ebaae4aa1f95129e5e54670f1" },
    { S2_HASH_SHA1, M896, "a49b2446a02c645bf419f995b67091253a04a259" },
    { S2_HASH_SHA256, "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
    { S2_HASH_SHA256, "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
    { S2_HASH_SHA256, M448, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
    { S2_HASH_SHA256, M896, "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1" },
    { S2_HASH_SHA384, "",
      "38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da"
      "274edebfe76f65fbd51ad2f14898b95b" },
    { S2_HASH_SHA384, "abc",
      "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed"
      "8086072ba1e7cc2358baeca134c825a7" },
    { S2_HASH_SHA384, M448,
      "3391fdddfc8dc7393707a65b1b4709397cf8b1d162af05abfe8f450de5f36bc6"
      "b0455a8520bc4e6f5fe95b1fe3c8452b" },
    { S2_HASH_SHA384, M896,
      "09330c33f71147e83d192fc782cd1b4753111b173b3b05d22fa08086e3b0f712"
      "fcc7c71a557e2db966c3e9fa91746039" },
    { S2_HASH_SHA512, "",
      "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
      "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e" },
    { S2_HASH_SHA512, "abc",
      "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
      "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f" },
    { S2_HASH_SHA512, M448,
      "204a8fc6dda82f0a0ced7beb8e08a41657c16ef468b228a8279be331a703c335"
      "96fd15c13b1b07f9aa1d3bea57789ca031ad85c7a71dd70354ec631238ca3445" },
    { S2_HASH_SHA512, M896,
      "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018"
      "501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909" },
};

#define NVECS (sizeof(vecs) / sizeof(vecs[0]))

static void
test_init(void **state)
{
    (void)state;
    assert_int_equal(s2_crypto_init(), 0);
    assert_int_equal(s2_crypto_init(), 0); /* idempotent */
}

static void
test_lengths(void **state)
{
    struct s2_hash h;
    uint8_t out[S2_HASH_MAX_LEN];

    (void)state;
    assert_int_equal(s2_hash_len(S2_HASH_MD5), 16);
    assert_int_equal(s2_hash_len(S2_HASH_SHA1), 20);
    assert_int_equal(s2_hash_len(S2_HASH_SHA256), 32);
    assert_int_equal(s2_hash_len(S2_HASH_SHA384), 48);
    assert_int_equal(s2_hash_len(S2_HASH_SHA512), 64);
    assert_int_equal(s2_hash_len((enum s2_hash_alg)0), 0);
    assert_int_equal(s2_hash_len((enum s2_hash_alg)99), 0);
    assert_int_equal(s2_hash_init(&h, (enum s2_hash_alg)0), LIBSSH2_ERROR_INVAL);
    assert_int_equal(s2_hash_init(&h, (enum s2_hash_alg)6), LIBSSH2_ERROR_INVAL);
    assert_int_equal(s2_hash_once((enum s2_hash_alg)6, "abc", 3, out), LIBSSH2_ERROR_INVAL);
}

static void
test_once(void **state)
{
    uint8_t want[S2_HASH_MAX_LEN];
    uint8_t got[S2_HASH_MAX_LEN + 1];
    size_t want_len;
    size_t i;

    (void)state;
    for (i = 0; i < NVECS; i++) {
        unhex(vecs[i].digest, want, &want_len);
        assert_int_equal(want_len, s2_hash_len(vecs[i].alg));
        memset(got, 0xa5, sizeof(got));
        assert_int_equal(s2_hash_once(vecs[i].alg, vecs[i].msg, strlen(vecs[i].msg), got), 0);
        assert_memory_equal(got, want, want_len);
        assert_int_equal(got[want_len], 0xa5); /* nothing written past the digest */
    }
}

static void
test_split_every_offset(void **state)
{
    uint8_t want[S2_HASH_MAX_LEN];
    uint8_t got[S2_HASH_MAX_LEN];
    struct s2_hash h;
    size_t want_len;
    size_t i;
    size_t cut;
    size_t cut2;
    size_t n;

    (void)state;
    for (i = 0; i < NVECS; i++) {
        unhex(vecs[i].digest, want, &want_len);
        n = strlen(vecs[i].msg);
        for (cut = 0; cut <= n; cut++) {
            assert_int_equal(s2_hash_init(&h, vecs[i].alg), 0);
            s2_hash_update(&h, vecs[i].msg, cut);
            s2_hash_update(&h, vecs[i].msg + cut, n - cut);
            s2_hash_final(&h, got);
            assert_memory_equal(got, want, want_len);
        }
        /* three pieces: every cut pair with a 7-byte-stride second cut */
        for (cut = 0; cut <= n; cut++) {
            for (cut2 = cut; cut2 <= n; cut2 += 7) {
                assert_int_equal(s2_hash_init(&h, vecs[i].alg), 0);
                s2_hash_update(&h, vecs[i].msg, cut);
                s2_hash_update(&h, vecs[i].msg + cut, cut2 - cut);
                s2_hash_update(&h, vecs[i].msg + cut2, n - cut2);
                s2_hash_final(&h, got);
                assert_memory_equal(got, want, want_len);
            }
        }
        /* one byte at a time, with empty updates in between */
        assert_int_equal(s2_hash_init(&h, vecs[i].alg), 0);
        for (cut = 0; cut < n; cut++) {
            s2_hash_update(&h, vecs[i].msg + cut, 1);
            s2_hash_update(&h, NULL, 0);
        }
        s2_hash_final(&h, got);
        assert_memory_equal(got, want, want_len);
    }
}

static void
test_million_a(void **state)
{
    static const char *sha256 = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
    uint8_t block[1000];
    uint8_t want[32];
    uint8_t got[32];
    struct s2_hash h;
    size_t want_len;
    size_t i;

    (void)state;
    memset(block, 'a', sizeof(block));
    unhex(sha256, want, &want_len);
    assert_int_equal(s2_hash_init(&h, S2_HASH_SHA256), 0);
    for (i = 0; i < 1000; i++) {
        s2_hash_update(&h, block, sizeof(block));
    }
    s2_hash_final(&h, got);
    assert_memory_equal(got, want, 32);
}

static void
test_final_wipes(void **state)
{
    static const uint8_t zero[S2_HASH_STATE_SIZE];
    uint8_t out[S2_HASH_MAX_LEN];
    struct s2_hash h;
    enum s2_hash_alg alg;

    (void)state;
    for (alg = S2_HASH_MD5; alg <= S2_HASH_SHA512; alg++) {
        assert_int_equal(s2_hash_init(&h, alg), 0);
        s2_hash_update(&h, "secret", 6);
        assert_memory_not_equal(h.st.b, zero, sizeof(zero));
        s2_hash_final(&h, out);
        assert_memory_equal(h.st.b, zero, sizeof(zero));
    }
}

static void
test_random(void **state)
{
    static const uint8_t zero[64];
    uint8_t a[64];
    uint8_t b[64];

    (void)state;
    memset(a, 0, sizeof(a));
    memset(b, 0, sizeof(b));
    assert_int_equal(s2_random(a, sizeof(a)), 0);
    assert_int_equal(s2_random(b, sizeof(b)), 0);
    assert_memory_not_equal(a, zero, sizeof(a));
    assert_memory_not_equal(a, b, sizeof(a));
    assert_int_equal(s2_random(NULL, 0), 0);
    assert_int_equal(s2_random(a, 0), 0);
}

static void
test_ct_eq(void **state)
{
    uint8_t a[33];
    uint8_t b[33];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(a); i++) {
        a[i] = (uint8_t)(i * 13);
    }
    memcpy(b, a, sizeof(a));
    assert_int_equal(s2_ct_eq(a, b, sizeof(a)), 1);
    assert_int_equal(s2_ct_eq(a, b, 0), 1);
    for (i = 0; i < sizeof(a); i++) {
        b[i] ^= 0x80;
        assert_int_equal(s2_ct_eq(a, b, sizeof(a)), 0);
        assert_int_equal(s2_ct_eq(a, b, i), 1); /* prefix before the flip still equal */
        b[i] ^= 0x80;
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init),
        cmocka_unit_test(test_lengths),
        cmocka_unit_test(test_once),
        cmocka_unit_test(test_split_every_offset),
        cmocka_unit_test(test_million_a),
        cmocka_unit_test(test_final_wipes),
        cmocka_unit_test(test_random),
        cmocka_unit_test(test_ct_eq),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
