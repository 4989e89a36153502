/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_hmac.c: s2_hmac_once against RFC 2202 (HMAC-MD5, HMAC-SHA1) and
 * RFC 4231 (HMAC-SHA256/384/512; test case 5 is listed at full length, its
 * first 16 bytes are the RFC's truncated value), and the transport MAC
 * s2_mac_packet: MAC(key, uint32 seqno || data) must equal s2_hmac_once
 * over the concatenation, for the RFC vectors (seqno = their first four
 * bytes) and for many lengths. Memory goes through cmocka's allocator so
 * leaks fail the test.
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

struct blob {
    const char *s; /* literal bytes, or NULL */
    uint8_t fill;  /* repeated byte when s is NULL and !seq */
    size_t n;
    int seq; /* 0x01, 0x02, ... 0x19 */
};

#define R(b, len) { NULL, b, len, 0 }
#define S(x) { x, 0, sizeof(x) - 1, 0 }
#define SEQ25 { NULL, 0, 25, 1 }
#define TXT_KEYFIRST "Test Using Larger Than Block-Size Key - Hash Key First"
#define TXT_2202_7 "Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data"
#define TXT_4231_7                                                                           \
    "This is a test using a larger than block-size key and a larger than block-size data." \
    " The key needs to be hashed before being used by the HMAC algorithm."

struct vec {
    enum s2_hash_alg alg;
    int num;
    struct blob key;
    struct blob data;
    const char *mac;
};

static const struct vec vecs[] = {
    /* RFC 2202 2, HMAC-MD5 */
    { S2_HASH_MD5, 1, R(0x0b, 16), S("Hi There"),
      "9294727a3638bb1c13f48ef8158bfc9d" },
    { S2_HASH_MD5, 2, S("Jefe"), S("what do ya want for nothing?"),
      "750c783e6ab0b503eaa86e310a5db738" },
    { S2_HASH_MD5, 3, R(0xaa, 16), R(0xdd, 50),
      "56be34521d144c88dbb8c733f0e8b3f6" },
    { S2_HASH_MD5, 4, SEQ25, R(0xcd, 50),
      "697eaf0aca3a3aea3a75164746ffaa79" },
    { S2_HASH_MD5, 5, R(0x0c, 16), S("Test With Truncation"),
      "56461ef2342edc00f9bab995690efd4c" },
    { S2_HASH_MD5, 6, R(0xaa, 80), S(TXT_KEYFIRST),
      "6b1ab7fe4bd7bf8f0b62e6ce61b9d0cd" },
    { S2_HASH_MD5, 7, R(0xaa, 80), S(TXT_2202_7),
      "6f630fad67cda0ee1fb1f562db3aa53e" },
    /* RFC 2202 3, HMAC-SHA1 */
    { S2_HASH_SHA1, 1, R(0x0b, 20), S("Hi There"),
      "b617318655057264e28bc0b6fb378c8ef146be00" },
    { S2_HASH_SHA1, 2, S("Jefe"), S("what do ya want for nothing?"),
      "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79" },
    { S2_HASH_SHA1, 3, R(0xaa, 20), R(0xdd, 50),
      "125d7342b9ac11cd91a39af48aa17b4f63f175d3" },
    { S2_HASH_SHA1, 4, SEQ25, R(0xcd, 50),
      "4c9007f4026250c6bc8414f9bf50c86c2d7235da" },
    { S2_HASH_SHA1, 5, R(0x0c, 20), S("Test With Truncation"),
      "4c1a03424b55e07fe7f27be1d58bb9324a9a5a04" },
    { S2_HASH_SHA1, 6, R(0xaa, 80), S(TXT_KEYFIRST),
      "aa4ae5e15272d00e95705637ce8a3b55ed402112" },
    { S2_HASH_SHA1, 7, R(0xaa, 80), S(TXT_2202_7),
      "e8e99d0f45237d786d6bbaa7965c7808bbff1a91" },
    /* RFC 4231, HMAC-SHA256 */
    { S2_HASH_SHA256, 1, R(0x0b, 20), S("Hi There"),
      "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7" },
    { S2_HASH_SHA256, 2, S("Jefe"), S("what do ya want for nothing?"),
      "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843" },
    { S2_HASH_SHA256, 3, R(0xaa, 20), R(0xdd, 50),
      "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe" },
    { S2_HASH_SHA256, 4, SEQ25, R(0xcd, 50),
      "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b" },
    { S2_HASH_SHA256, 5, R(0x0c, 20), S("Test With Truncation"),
      "a3b6167473100ee06e0c796c2955552bfa6f7c0a6a8aef8b93f860aab0cd20c5" },
    { S2_HASH_SHA256, 6, R(0xaa, 131), S(TXT_KEYFIRST),
      "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54" },
    { S2_HASH_SHA256, 7, R(0xaa, 131), S(TXT_4231_7),
      "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2" },
    /* RFC 4231, HMAC-SHA384 */
    { S2_HASH_SHA384, 1, R(0x0b, 20), S("Hi There"),
      "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59c"
      "faea9ea9076ede7f4af152e8b2fa9cb6" },
    { S2_HASH_SHA384, 2, S("Jefe"), S("what do ya want for nothing?"),
      "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e"
      "8e2240ca5e69e2c78b3239ecfab21649" },
    { S2_HASH_SHA384, 3, R(0xaa, 20), R(0xdd, 50),
      "88062608d3e6ad8a0aa2ace014c8a86f0aa635d947ac9febe83ef4e55966144b"
      "2a5ab39dc13814b94e3ab6e101a34f27" },
    { S2_HASH_SHA384, 4, SEQ25, R(0xcd, 50),
      "3e8a69b7783c25851933ab6290af6ca77a9981480850009cc5577c6e1f573b4e"
      "6801dd23c4a7d679ccf8a386c674cffb" },
    { S2_HASH_SHA384, 5, R(0x0c, 20), S("Test With Truncation"),
      "3abf34c3503b2a23a46efc619baef897f4c8e42c934ce55ccbae9740fcbc1af4"
      "ca62269e2a37cd88ba926341efe4aeea" },
    { S2_HASH_SHA384, 6, R(0xaa, 131), S(TXT_KEYFIRST),
      "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c6"
      "0c2ef6ab4030fe8296248df163f44952" },
    { S2_HASH_SHA384, 7, R(0xaa, 131), S(TXT_4231_7),
      "6617178e941f020d351e2f254e8fd32c602420feb0b8fb9adccebb82461e99c5"
      "a678cc31e799176d3860e6110c46523e" },
    /* RFC 4231, HMAC-SHA512 */
    { S2_HASH_SHA512, 1, R(0x0b, 20), S("Hi There"),
      "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
      "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854" },
    { S2_HASH_SHA512, 2, S("Jefe"), S("what do ya want for nothing?"),
      "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea250554"
      "9758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737" },
    { S2_HASH_SHA512, 3, R(0xaa, 20), R(0xdd, 50),
      "fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b2279d39"
      "bf3e848279a722c806b485a47e67c807b946a337bee8942674278859e13292fb" },
    { S2_HASH_SHA512, 4, SEQ25, R(0xcd, 50),
      "b0ba465637458c6990e5a8c5f61d4af7e576d97ff94b872de76f8050361ee3db"
      "a91ca5c11aa25eb4d679275cc5788063a5f19741120c4f2de2adebeb10a298dd" },
    { S2_HASH_SHA512, 5, R(0x0c, 20), S("Test With Truncation"),
      "415fad6271580a531d4179bc891d87a650188707922a4fbb36663a1eb16da008"
      "711c5b50ddd0fc235084eb9d3364a1454fb2ef67cd1d29fe6773068ea266e96b" },
    { S2_HASH_SHA512, 6, R(0xaa, 131), S(TXT_KEYFIRST),
      "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f352"
      "6b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598" },
    { S2_HASH_SHA512, 7, R(0xaa, 131), S(TXT_4231_7),
      "e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944"
      "b6022cac3c4982b10d5eeb55c3e4de15134676fb6de0446065c97440fa8c6a58" },
};

#define NVECS (sizeof(vecs) / sizeof(vecs[0]))

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
test_hmac_once(void **state)
{
    uint8_t key[256];
    uint8_t data[256];
    uint8_t want[S2_HASH_MAX_LEN];
    uint8_t got[S2_HASH_MAX_LEN];
    size_t want_len;
    size_t i;

    (void)state;
    for (i = 0; i < NVECS; i++) {
        expand(&vecs[i].key, key);
        expand(&vecs[i].data, data);
        t_unhex(vecs[i].mac, want, &want_len);
        assert_int_equal(want_len, s2_hash_len(vecs[i].alg));
        assert_int_equal(s2_hmac_once(vecs[i].alg, key, vecs[i].key.n, data, vecs[i].data.n,
                                      got), 0);
        assert_memory_equal(got, want, want_len);
        /* negative: one flipped data bit changes the MAC */
        data[vecs[i].data.n - 1] ^= 1;
        assert_int_equal(s2_hmac_once(vecs[i].alg, key, vecs[i].key.n, data, vecs[i].data.n,
                                      got), 0);
        assert_memory_not_equal(got, want, want_len);
        /* negative: one flipped key bit changes the MAC */
        data[vecs[i].data.n - 1] ^= 1;
        key[0] ^= 1;
        assert_int_equal(s2_hmac_once(vecs[i].alg, key, vecs[i].key.n, data, vecs[i].data.n,
                                      got), 0);
        assert_memory_not_equal(got, want, want_len);
    }
}

static void
test_hmac_rfc4231_case5_truncated(void **state)
{
    /* RFC 4231 4.6 lists only the first 128 bits. */
    static const char *t256 = "a3b6167473100ee06e0c796c2955552b";
    static const char *t512 = "415fad6271580a531d4179bc891d87a6";
    uint8_t key[20];
    uint8_t want[16];
    uint8_t got[S2_HASH_MAX_LEN];
    size_t n;

    (void)state;
    memset(key, 0x0c, sizeof(key));
    t_unhex(t256, want, &n);
    assert_int_equal(s2_hmac_once(S2_HASH_SHA256, key, 20, "Test With Truncation", 20, got), 0);
    assert_memory_equal(got, want, 16);
    t_unhex(t512, want, &n);
    assert_int_equal(s2_hmac_once(S2_HASH_SHA512, key, 20, "Test With Truncation", 20, got), 0);
    assert_memory_equal(got, want, 16);
}

static void
test_hmac_bad_alg(void **state)
{
    uint8_t out[S2_HASH_MAX_LEN];
    struct s2_mac *m = (struct s2_mac *)&out;

    (void)state;
    assert_int_equal(s2_hmac_once((enum s2_hash_alg)0, "k", 1, "d", 1, out),
                     LIBSSH2_ERROR_INVAL);
    assert_int_equal(s2_hmac_once((enum s2_hash_alg)77, "k", 1, "d", 1, out),
                     LIBSSH2_ERROR_INVAL);
    assert_int_equal(s2_mac_new(&t_alloc_cmocka, (enum s2_hash_alg)0, (const uint8_t *)"k", 1, &m),
                     LIBSSH2_ERROR_INVAL);
    assert_null(m);
}

static void
test_mac_packet_rfc(void **state)
{
    uint8_t key[256];
    uint8_t data[256];
    uint8_t want[S2_HASH_MAX_LEN];
    uint8_t got[S2_HASH_MAX_LEN];
    struct s2_mac *m = NULL;
    size_t want_len;
    size_t i;
    uint32_t seq;

    (void)state;
    for (i = 0; i < NVECS; i++) {
        if (vecs[i].data.n < 4) {
            continue;
        }
        expand(&vecs[i].key, key);
        expand(&vecs[i].data, data);
        t_unhex(vecs[i].mac, want, &want_len);
        /* The first four bytes of the RFC message play the sequence number. */
        seq = ((uint32_t)data[0] << 24) | ((uint32_t)data[1] << 16) | ((uint32_t)data[2] << 8) |
              (uint32_t)data[3];
        assert_int_equal(s2_mac_new(&t_alloc_cmocka, vecs[i].alg, key, vecs[i].key.n, &m), 0);
        assert_non_null(m);
        assert_int_equal(s2_mac_len(m), want_len);
        memset(got, 0, sizeof(got));
        s2_mac_packet(m, seq, data + 4, vecs[i].data.n - 4, got);
        assert_memory_equal(got, want, want_len);
        /* the keyed state is reusable: same packet, same MAC */
        s2_mac_packet(m, seq, data + 4, vecs[i].data.n - 4, got);
        assert_memory_equal(got, want, want_len);
        /* negative: another seqno, or a flipped data byte, changes it */
        s2_mac_packet(m, seq + 1, data + 4, vecs[i].data.n - 4, got);
        assert_memory_not_equal(got, want, want_len);
        data[4] ^= 0x40;
        s2_mac_packet(m, seq, data + 4, vecs[i].data.n - 4, got);
        assert_memory_not_equal(got, want, want_len);
        s2_mac_free(&t_alloc_cmocka, m);
        m = NULL;
    }
}

static void
test_mac_packet_vs_once(void **state)
{
    static const enum s2_hash_alg algs[] = { S2_HASH_SHA1, S2_HASH_SHA256, S2_HASH_SHA512 };
    static const size_t key_lens[] = { 20, 32, 64 };
    uint8_t key[64];
    uint8_t buf[4 + 300];
    uint8_t want[S2_HASH_MAX_LEN];
    uint8_t got[S2_HASH_MAX_LEN];
    struct s2_mac *m = NULL;
    size_t a;
    size_t len;
    uint32_t seq;

    (void)state;
    for (a = 0; a < 3; a++) {
        assert_int_equal(s2_random(key, key_lens[a]), 0);
        assert_int_equal(s2_mac_new(&t_alloc_cmocka, algs[a], key, key_lens[a], &m), 0);
        assert_int_equal(s2_mac_len(m), s2_hash_len(algs[a]));
        for (len = 0; len <= 300; len++) {
            seq = (uint32_t)(len * 0x01010101u + 0xfffffff0u);
            buf[0] = (uint8_t)(seq >> 24);
            buf[1] = (uint8_t)(seq >> 16);
            buf[2] = (uint8_t)(seq >> 8);
            buf[3] = (uint8_t)seq;
            assert_int_equal(s2_random(buf + 4, len), 0);
            assert_int_equal(s2_hmac_once(algs[a], key, key_lens[a], buf, 4 + len, want), 0);
            s2_mac_packet(m, seq, buf + 4, len, got);
            assert_memory_equal(got, want, s2_mac_len(m));
        }
        s2_mac_free(&t_alloc_cmocka, m);
        m = NULL;
    }
}

static void
test_mac_odd_keys(void **state)
{
    /* Any key length: empty, exactly one block, longer than a block. */
    static const size_t lens[] = { 0, 1, 63, 64, 65, 127, 128, 129, 200 };
    uint8_t key[200];
    uint8_t want[S2_HASH_MAX_LEN];
    uint8_t got[S2_HASH_MAX_LEN];
    uint8_t msg[4 + 5] = { 0, 0, 0, 9, 'h', 'e', 'l', 'l', 'o' };
    struct s2_mac *m = NULL;
    enum s2_hash_alg alg;
    size_t i;

    (void)state;
    memset(key, 0x5a, sizeof(key));
    for (alg = S2_HASH_SHA1; alg <= S2_HASH_SHA512; alg++) {
        for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
            assert_int_equal(s2_mac_new(&t_alloc_cmocka, alg, key, lens[i], &m), 0);
            assert_int_equal(s2_hmac_once(alg, key, lens[i], msg, sizeof(msg), want), 0);
            s2_mac_packet(m, 9, msg + 4, 5, got);
            assert_memory_equal(got, want, s2_hash_len(alg));
            s2_mac_free(&t_alloc_cmocka, m);
            m = NULL;
        }
    }
}

static void
test_mac_alloc_fail(void **state)
{
    struct s2_mac *m = (struct s2_mac *)(void *)&t_alloc_cmocka; /* any non-NULL value */

    (void)state;
    assert_int_equal(s2_mac_new(&t_alloc_failing, S2_HASH_SHA256, (const uint8_t *)"k", 1, &m),
                     LIBSSH2_ERROR_ALLOC);
    assert_null(m);
    s2_mac_free(&t_alloc_cmocka, NULL);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hmac_once),
        cmocka_unit_test(test_hmac_rfc4231_case5_truncated),
        cmocka_unit_test(test_hmac_bad_alg),
        cmocka_unit_test(test_mac_packet_rfc),
        cmocka_unit_test(test_mac_packet_vs_once),
        cmocka_unit_test(test_mac_odd_keys),
        cmocka_unit_test(test_mac_alloc_fail),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
