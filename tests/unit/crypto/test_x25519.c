/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_x25519.c: s2_x25519 / s2_x25519_keypair against RFC 7748: the two
 * section 5.2 test vectors, the iterated vector (1 and 1,000 iterations),
 * the section 6.1 Diffie-Hellman example from both sides; fresh key pairs
 * agree; small-order peer points (all zero, 1, the order-8 points, p-1, p,
 * p+1) give an all-zero secret and must be refused with KEX_FAILURE, leaving
 * the output wiped.
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
unhex32(const char *hex, uint8_t out[32])
{
    size_t i;
    unsigned int v;

    assert_int_equal(strlen(hex), 64);
    for (i = 0; i < 32; i++) {
        assert_int_equal(sscanf(hex + 2 * i, "%2x", &v), 1);
        out[i] = (uint8_t)v;
    }
}

static int
setup(void **state)
{
    (void)state;
    return s2_crypto_init();
}

/* RFC 7748 5.2: scalar, input u-coordinate, output u-coordinate */
static const char *const vec52[][3] = {
    {"a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4",
     "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c",
     "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552"},
    /* the input's top bit is set: it must be masked (RFC 7748 5) */
    {"4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d",
     "e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493",
     "95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957"},
};

static void
test_rfc7748_52(void **state)
{
    uint8_t k[32], u[32], want[32], out[32];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof vec52 / sizeof vec52[0]; i++) {
        unhex32(vec52[i][0], k);
        unhex32(vec52[i][1], u);
        unhex32(vec52[i][2], want);
        assert_int_equal(s2_x25519(out, k, u), 0);
        assert_memory_equal(out, want, 32);
    }
}

/* RFC 7748 5.2, iterated: k = u = 9; repeat { r = X25519(k, u); u = k; k = r } */
static void
test_rfc7748_52_iterated(void **state)
{
    uint8_t k[32] = {9}, u[32] = {9}, r[32], want[32];
    int i;

    (void)state;
    for (i = 1; i <= 1000; i++) {
        assert_int_equal(s2_x25519(r, k, u), 0);
        memcpy(u, k, 32);
        memcpy(k, r, 32);
        if (i == 1) {
            unhex32("422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079", want);
            assert_memory_equal(k, want, 32);
        }
    }
    unhex32("684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51", want);
    assert_memory_equal(k, want, 32);
}

/* RFC 7748 6.1 */
static const char A_PRIV[] = "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a";
static const char A_PUB[] = "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a";
static const char B_PRIV[] = "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb";
static const char B_PUB[] = "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f";
static const char SHARED[] = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";

static void
test_rfc7748_61(void **state)
{
    uint8_t a[32], ap[32], b[32], bp[32], k[32], out[32];
    const uint8_t base[32] = {9};

    (void)state;
    unhex32(A_PRIV, a);
    unhex32(A_PUB, ap);
    unhex32(B_PRIV, b);
    unhex32(B_PUB, bp);
    unhex32(SHARED, k);
    /* public keys: X25519(priv, 9) */
    assert_int_equal(s2_x25519(out, a, base), 0);
    assert_memory_equal(out, ap, 32);
    assert_int_equal(s2_x25519(out, b, base), 0);
    assert_memory_equal(out, bp, 32);
    /* Alice's side, then Bob's */
    assert_int_equal(s2_x25519(out, a, bp), 0);
    assert_memory_equal(out, k, 32);
    assert_int_equal(s2_x25519(out, b, ap), 0);
    assert_memory_equal(out, k, 32);
    /* a flipped bit of the peer key gives a different secret */
    bp[7] ^= 0x10;
    assert_int_equal(s2_x25519(out, a, bp), 0);
    assert_memory_not_equal(out, k, 32);
}

static void
test_keypair(void **state)
{
    uint8_t a[32], ap[32], b[32], bp[32], k1[32], k2[32], chk[32];
    const uint8_t base[32] = {9};
    const uint8_t zero[32] = {0};

    (void)state;
    assert_int_equal(s2_x25519_keypair(a, ap), 0);
    assert_int_equal(s2_x25519_keypair(b, bp), 0);
    assert_memory_not_equal(a, b, 32);
    assert_memory_not_equal(a, zero, 32);
    assert_memory_not_equal(ap, bp, 32);
    /* the public key is X25519(priv, 9) */
    assert_int_equal(s2_x25519(chk, a, base), 0);
    assert_memory_equal(chk, ap, 32);
    assert_int_equal(s2_x25519(k1, a, bp), 0);
    assert_int_equal(s2_x25519(k2, b, ap), 0);
    assert_memory_equal(k1, k2, 32);
    assert_memory_not_equal(k1, zero, 32);
}

/* u-coordinates whose X25519 product is zero for every scalar: points of
 * order 1, 2, 4, 8 and their non-canonical encodings (RFC 7748 7) */
static const char *const small_order[] = {
    "0000000000000000000000000000000000000000000000000000000000000000", /* 0 */
    "0100000000000000000000000000000000000000000000000000000000000000", /* 1 */
    "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800", /* order 8 */
    "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157", /* order 8 */
    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", /* p - 1 */
    "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", /* p (= 0) */
    "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f", /* p + 1 (= 1) */
    "0000000000000000000000000000000000000000000000000000000000000080", /* 0, top bit */
};

static void
test_small_order_refused(void **state)
{
    uint8_t a[32], peer[32], out[32];
    const uint8_t zero[32] = {0};
    size_t i;

    (void)state;
    unhex32(A_PRIV, a);
    for (i = 0; i < sizeof small_order / sizeof small_order[0]; i++) {
        unhex32(small_order[i], peer);
        memset(out, 0xa5, sizeof out);
        assert_int_equal(s2_x25519(out, a, peer), LIBSSH2_ERROR_KEX_FAILURE);
        assert_memory_equal(out, zero, 32); /* nothing of the product is left */
    }
    /* with a fresh random key too */
    assert_int_equal(s2_x25519_keypair(a, peer), 0);
    memset(peer, 0, sizeof peer);
    assert_int_equal(s2_x25519(out, a, peer), LIBSSH2_ERROR_KEX_FAILURE);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc7748_52),          cmocka_unit_test(test_rfc7748_52_iterated),
        cmocka_unit_test(test_rfc7748_61),          cmocka_unit_test(test_keypair),
        cmocka_unit_test(test_small_order_refused),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
