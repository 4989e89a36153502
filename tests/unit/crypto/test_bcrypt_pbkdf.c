/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_bcrypt_pbkdf.c: s2_bcrypt_pbkdf against the published OpenBSD
 * regression vectors (also used by Go x/crypto and RustCrypto), argument
 * checks, a flipped input changing the output, the cost of OpenSSH's
 * default 16 rounds for a 48-byte key (aes256-ctr) and the key-file form
 * of chacha20-poly1305 (s2_chapoly_keyfile_open) against libsodium.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <sodium.h>

#include "crypto/crypto.h"

struct vec {
    const char *pass;
    size_t pass_len;
    const char *salt;
    size_t salt_len;
    uint32_t rounds;
    const char *hex;
};

#define S(x) x, sizeof(x) - 1

static const struct vec vecs[] = {
    {S("password"), S("salt"), 4,
     "5bbf0cc293587f1c3635555c27796598d47e579071bf427e9d8fbe842aba34d9"},
    {S("password"), "\0", 1, 4, "c12b566235eee04c212598970a579a67"},
    {"\0", 1, S("salt"), 4, "6051be18c2f4f82cbf0efee5471b4bb9"},
    {S("password\0"), S("salt\0"), 4,
     "7410e44cf4fa07bfaac8a928b1727fac001375e7bf7384370f48efd121743050"},
    {S("pass\0wor"), S("sa\0l"), 4, "c2bffd9db38f6569efef4372f4de83c0"},
    {S("pass\0word"), S("sa\0lt"), 4, "4ba4ac3925c0e8d7f0cdb6bb1684a56f"},
    {S("password"), S("salt"), 8,
     "e1367ec5151a33faac4cc1c144cd23fa15d5548493ecc99b9b5d9c0d3b27bec7"
     "6227ea66088b849b20ab7aa478010246e74bba51723fefa9f9474d6508845e8d"},
    {S("password"), S("salt"), 42, "833cf0dcf56db65608e8f0dc0ce882bd"},
    {S("Lorem ipsum dolor sit amet, consectetur adipisicing elit, "
       "sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. "
       "Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris "
       "nisi ut aliquip ex ea commodo consequat. "
       "Duis aute irure dolor in reprehenderit in voluptate velit esse cillum "
       "dolore eu fugiat nulla pariatur. Excepteur sint occaecat cupidatat non "
       "proident, sunt in culpa qui officia deserunt mollit anim id est laborum."),
     S("salis\0"), 8, "10978b07253df57f71a162eb0e8ad30a"},
};

static size_t
unhex(const char *hex, uint8_t *out, size_t max)
{
    size_t n = strlen(hex) / 2;
    size_t i;
    unsigned int b;

    assert_true(n <= max);
    for (i = 0; i < n; i++) {
        assert_int_equal(sscanf(hex + 2 * i, "%2x", &b), 1);
        out[i] = (uint8_t)b;
    }
    return n;
}

static void
test_vectors(void **state)
{
    uint8_t want[128];
    uint8_t got[128];
    size_t i;
    size_t n;

    (void)state;
    for (i = 0; i < sizeof vecs / sizeof vecs[0]; i++) {
        n = unhex(vecs[i].hex, want, sizeof want);
        memset(got, 0xaa, sizeof got);
        assert_int_equal(s2_bcrypt_pbkdf((const uint8_t *)vecs[i].pass, vecs[i].pass_len,
                                         (const uint8_t *)vecs[i].salt, vecs[i].salt_len, got, n,
                                         vecs[i].rounds),
                         0);
        assert_memory_equal(got, want, n);
        assert_int_equal(got[n], 0xaa); /* nothing written past the key */
    }
}

static void
test_negative(void **state)
{
    uint8_t want[32];
    uint8_t got[32];

    (void)state;
    unhex(vecs[0].hex, want, sizeof want);
    /* a different passphrase, salt or round count gives another key */
    assert_int_equal(
        s2_bcrypt_pbkdf((const uint8_t *)"passwore", 8, (const uint8_t *)"salt", 4, got, 32, 4), 0);
    assert_memory_not_equal(got, want, 32);
    assert_int_equal(
        s2_bcrypt_pbkdf((const uint8_t *)"password", 8, (const uint8_t *)"salu", 4, got, 32, 4), 0);
    assert_memory_not_equal(got, want, 32);
    assert_int_equal(
        s2_bcrypt_pbkdf((const uint8_t *)"password", 8, (const uint8_t *)"salt", 4, got, 32, 3), 0);
    assert_memory_not_equal(got, want, 32);
    /* argument checks (as OpenBSD: empty pass or salt, 0 rounds, 0 or
     * more than 1024 output bytes) */
    assert_int_equal(s2_bcrypt_pbkdf((const uint8_t *)"p", 0, (const uint8_t *)"s", 1, got, 32, 1),
                     LIBSSH2_ERROR_INVAL);
    assert_int_equal(s2_bcrypt_pbkdf((const uint8_t *)"p", 1, (const uint8_t *)"s", 0, got, 32, 1),
                     LIBSSH2_ERROR_INVAL);
    assert_int_equal(s2_bcrypt_pbkdf((const uint8_t *)"p", 1, (const uint8_t *)"s", 1, got, 32, 0),
                     LIBSSH2_ERROR_INVAL);
    assert_int_equal(s2_bcrypt_pbkdf((const uint8_t *)"p", 1, (const uint8_t *)"s", 1, got, 0, 1),
                     LIBSSH2_ERROR_INVAL);
    assert_int_equal(
        s2_bcrypt_pbkdf((const uint8_t *)"p", 1, (const uint8_t *)"s", 1, got, 1025, 1),
        LIBSSH2_ERROR_INVAL);
    assert_int_equal(s2_bcrypt_pbkdf(NULL, 1, (const uint8_t *)"s", 1, got, 32, 1),
                     LIBSSH2_ERROR_INVAL);
}

static void
test_default_cost(void **state)
{
    uint8_t key[48], again[48];

    /* the cost OpenSSH uses by default: deterministic, and a different salt
     * gives a different key (timing is measured in bench/, not asserted) */
    (void)state;
    assert_int_equal(s2_bcrypt_pbkdf((const uint8_t *)"test", 4,
                                     (const uint8_t *)"0123456789abcdef", 16, key, sizeof key, 16),
                     0);
    assert_int_equal(s2_bcrypt_pbkdf((const uint8_t *)"test", 4,
                                     (const uint8_t *)"0123456789abcdef", 16, again, sizeof again,
                                     16),
                     0);
    assert_memory_equal(key, again, sizeof key);
    assert_int_equal(s2_bcrypt_pbkdf((const uint8_t *)"test", 4,
                                     (const uint8_t *)"0123456789abcdeF", 16, again, sizeof again,
                                     16),
                     0);
    assert_memory_not_equal(key, again, sizeof key);
}

static void
test_chapoly_keyfile(void **state)
{
    uint8_t key[64];
    uint8_t plain[40];
    uint8_t buf[40];
    uint8_t tag[16];
    uint8_t polykey[32];
    static const uint8_t nonce[8] = {0};
    size_t i;

    (void)state;
    assert_int_equal(s2_crypto_init(), 0);
    for (i = 0; i < sizeof key; i++) {
        key[i] = (uint8_t)(i * 7 + 1);
    }
    for (i = 0; i < sizeof plain; i++) {
        plain[i] = (uint8_t)i;
    }
    /* seal independently with libsodium: ChaCha20 from block 1 under the
     * first 32 key bytes, Poly1305 keyed by block 0, over the ciphertext */
    crypto_stream_chacha20_xor_ic(buf, plain, sizeof plain, nonce, 1, key);
    crypto_stream_chacha20(polykey, sizeof polykey, nonce, key);
    crypto_onetimeauth_poly1305(tag, buf, sizeof buf, polykey);
    assert_int_equal(s2_chapoly_keyfile_open(key, buf, sizeof buf, tag), 0);
    assert_memory_equal(buf, plain, sizeof plain);
    /* flip a ciphertext byte or a tag byte: refused, buffer untouched */
    crypto_stream_chacha20_xor_ic(buf, plain, sizeof plain, nonce, 1, key);
    buf[5] ^= 1;
    assert_int_equal(s2_chapoly_keyfile_open(key, buf, sizeof buf, tag), LIBSSH2_ERROR_INVALID_MAC);
    buf[5] ^= 1;
    tag[15] ^= 0x80;
    assert_int_equal(s2_chapoly_keyfile_open(key, buf, sizeof buf, tag), LIBSSH2_ERROR_INVALID_MAC);
    assert_memory_not_equal(buf, plain, sizeof plain);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vectors),
        cmocka_unit_test(test_negative),
        cmocka_unit_test(test_default_cost),
        cmocka_unit_test(test_chapoly_keyfile),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
