/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_sig_ed25519.c: s2_ed25519_verify against RFC 8032 7.1 TEST 1, 2, 3
 * and TEST SHA(abc) (whose message is SHA-512("abc")); then every single
 * signature byte flipped, message bytes flipped, a truncated and an
 * extended message, another test's key, a non-canonical S (S + L, see
 * RFC 8032 5.1.7 step 1; computed with python3) and small-order public
 * keys: all LIBSSH2_ERROR_HOSTKEY_SIGN.
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

static size_t
unhex(const char *hex, uint8_t *out, size_t max)
{
    size_t n = strlen(hex) / 2;
    size_t i;
    unsigned int v;

    assert_true(n <= max);
    for (i = 0; i < n; i++) {
        assert_int_equal(sscanf(hex + 2 * i, "%2x", &v), 1);
        out[i] = (uint8_t)v;
    }
    return n;
}

static int
setup(void **state)
{
    (void)state;
    return s2_crypto_init();
}

struct vec {
    const char *pub, *msg, *sig;
};

/* RFC 8032 7.1; the fourth message (SHA(abc)) is SHA-512("abc") */
static const struct vec vecs[] = {
    {"d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
     "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
     "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"},
    {"3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
     "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
     "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
    {"fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025", "af82",
     "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac"
     "18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"},
    {"ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf",
     "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
     "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
     "dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b589"
     "09351fc9ac90b3ecfdfbc7c66431e0303dca179c138ac17ad9bef1177331a704"},
};
#define NVEC (sizeof vecs / sizeof vecs[0])

static void
load(size_t i, uint8_t pub[32], uint8_t *msg, size_t *msg_len, uint8_t sig[64])
{
    assert_int_equal(unhex(vecs[i].pub, pub, 32), 32);
    *msg_len = unhex(vecs[i].msg, msg, 64);
    assert_int_equal(unhex(vecs[i].sig, sig, 64), 64);
}

static void
test_rfc8032(void **state)
{
    uint8_t pub[32], msg[65], sig[64];
    size_t i, msg_len;

    (void)state;
    for (i = 0; i < NVEC; i++) {
        load(i, pub, msg, &msg_len, sig);
        assert_int_equal(s2_ed25519_verify(pub, msg, msg_len, sig), 0);
    }
    /* TEST 1 with a NULL message of length 0 */
    load(0, pub, msg, &msg_len, sig);
    assert_int_equal(s2_ed25519_verify(pub, NULL, 0, sig), 0);
}

static void
test_sha_abc_message(void **state)
{
    uint8_t pub[32], msg[65], sig[64], h[64];
    size_t msg_len;

    (void)state;
    load(3, pub, msg, &msg_len, sig);
    assert_int_equal(msg_len, 64);
    assert_int_equal(s2_hash_once(S2_HASH_SHA512, "abc", 3, h), 0);
    assert_memory_equal(h, msg, 64);
}

static void
test_flipped_signature(void **state)
{
    uint8_t pub[32], msg[65], sig[64];
    size_t i, j, msg_len;

    (void)state;
    for (i = 0; i < NVEC; i++) {
        load(i, pub, msg, &msg_len, sig);
        for (j = 0; j < 64; j++) {
            sig[j] ^= (uint8_t)(1u << (j % 8));
            assert_int_equal(s2_ed25519_verify(pub, msg, msg_len, sig), LIBSSH2_ERROR_HOSTKEY_SIGN);
            sig[j] ^= (uint8_t)(1u << (j % 8));
        }
        assert_int_equal(s2_ed25519_verify(pub, msg, msg_len, sig), 0);
    }
}

static void
test_flipped_message_and_key(void **state)
{
    uint8_t pub[32], pub2[32], msg[65], msg2[65], sig[64], sig2[64];
    size_t i, j, msg_len, msg2_len;

    (void)state;
    for (i = 0; i < NVEC; i++) {
        load(i, pub, msg, &msg_len, sig);
        for (j = 0; j < msg_len; j++) {
            msg[j] ^= 0x01;
            assert_int_equal(s2_ed25519_verify(pub, msg, msg_len, sig), LIBSSH2_ERROR_HOSTKEY_SIGN);
            msg[j] ^= 0x01;
        }
        /* truncated, extended by a byte */
        if (msg_len > 0) {
            assert_int_equal(s2_ed25519_verify(pub, msg, msg_len - 1, sig),
                             LIBSSH2_ERROR_HOSTKEY_SIGN);
        }
        msg[msg_len] = 0;
        assert_int_equal(s2_ed25519_verify(pub, msg, msg_len + 1, sig), LIBSSH2_ERROR_HOSTKEY_SIGN);
        /* a flipped public key byte */
        pub[3] ^= 0x40;
        assert_int_equal(s2_ed25519_verify(pub, msg, msg_len, sig), LIBSSH2_ERROR_HOSTKEY_SIGN);
        pub[3] ^= 0x40;
        /* the next test's key */
        load((i + 1) % NVEC, pub2, msg2, &msg2_len, sig2);
        assert_int_equal(s2_ed25519_verify(pub2, msg, msg_len, sig), LIBSSH2_ERROR_HOSTKEY_SIGN);
    }
}

static void
test_non_canonical_and_small_order(void **state)
{
    uint8_t pub[32], msg[65], sig[64];
    size_t msg_len;
    /* TEST 1 with S replaced by S + L (still < 2^256, so the same residue) */
    static const char SPLUSL[] = "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
                                 "4c8c7872aa064e049dbb3013fbf29380d25bf5f0595bbe24655141438e7a101b";
    static const char *const small[] = {
        "0000000000000000000000000000000000000000000000000000000000000000",
        "0100000000000000000000000000000000000000000000000000000000000000", /* identity */
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", /* order 2 */
    };
    size_t i;

    (void)state;
    load(0, pub, msg, &msg_len, sig);
    assert_int_equal(unhex(SPLUSL, sig, 64), 64);
    assert_int_equal(s2_ed25519_verify(pub, msg, msg_len, sig), LIBSSH2_ERROR_HOSTKEY_SIGN);
    /* small-order public keys with the identity as R and S = 0: the
     * verification equation holds trivially unless such keys are refused */
    memset(sig, 0, sizeof sig);
    sig[0] = 1;
    for (i = 0; i < sizeof small / sizeof small[0]; i++) {
        assert_int_equal(unhex(small[i], pub, 32), 32);
        assert_int_equal(s2_ed25519_verify(pub, msg, msg_len, sig), LIBSSH2_ERROR_HOSTKEY_SIGN);
    }
    /* all-zero signature with a real key */
    load(1, pub, msg, &msg_len, sig);
    memset(sig, 0, sizeof sig);
    assert_int_equal(s2_ed25519_verify(pub, msg, msg_len, sig), LIBSSH2_ERROR_HOSTKEY_SIGN);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc8032),
        cmocka_unit_test(test_sha_abc_message),
        cmocka_unit_test(test_flipped_signature),
        cmocka_unit_test(test_flipped_message_and_key),
        cmocka_unit_test(test_non_canonical_and_small_order),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
