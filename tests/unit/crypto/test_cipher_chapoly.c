/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_cipher_chapoly.c: chacha20-poly1305@openssh.com.
 *  - known answers computed with OpenSSL (Python cryptography) following
 *    PROTOCOL.chacha20poly1305 (K_2 = key[0..32), K_1 = key[32..64));
 *  - a cross-check against the construction rebuilt here from mbedTLS's
 *    ChaCha20 and Poly1305 (a different library from the libsodium code
 *    under test) for many sequence numbers and lengths;
 *  - s2_aead_length; negative: tag, length and payload flips, wrong seqno
 *    -> INVALID_MAC with the payload left encrypted.
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

#include <mbedtls/chacha20.h>
#include <mbedtls/poly1305.h>

#include "crypto/crypto.h"

static const struct s2_cipher_alg *
chapoly(void)
{
    const struct s2_cipher_alg *a = s2_cipher_find("chacha20-poly1305@openssh.com", 29);

    assert_non_null(a);
    return a;
}

/* The spec's algorithm, built from mbedTLS. The original (64-bit nonce,
 * 64-bit counter) ChaCha20 equals the RFC 8439 one with a 12-byte nonce of
 * 00000000 || nonce64 while the block counter stays below 2^32. */
static void
ref_seal(const uint8_t key[64], uint32_t seq, const uint8_t *in, size_t len, uint8_t *out,
         uint8_t tag[16])
{
    static const uint8_t zero[32];
    uint8_t nonce[12] = { 0 };
    uint8_t polykey[32];

    nonce[8] = (uint8_t)(seq >> 24);
    nonce[9] = (uint8_t)(seq >> 16);
    nonce[10] = (uint8_t)(seq >> 8);
    nonce[11] = (uint8_t)seq;
    /* K_1 = second half: the length */
    assert_int_equal(mbedtls_chacha20_crypt(key + 32, nonce, 0, 4, in, out), 0);
    /* K_2 = first half: Poly1305 key from block 0, payload from block 1 */
    assert_int_equal(mbedtls_chacha20_crypt(key, nonce, 0, 32, zero, polykey), 0);
    if (len > 4) {
        assert_int_equal(mbedtls_chacha20_crypt(key, nonce, 1, len - 4, in + 4, out + 4), 0);
    }
    assert_int_equal(mbedtls_poly1305_mac(polykey, out, len, tag), 0);
}

/* Known answers: key = 00 01 .. 3f; payload byte j = (seq + 3 j) & 0xff. */
static const struct {
    uint32_t seq;
    size_t n;
    const char *ct;
    const char *tag;
} kats[] = {
    { 0, 12, "94450e5518bb4438a1e9b4c40b7a4240", "c39d1d5ec8c61096d9cb9e1f0d2c971e" },
    { 7, 28, "a39afcb62f4c18535d953342734f9ed8fca1e21803880d763da574cf0f384e87",
      "b68ddab61b6db5b128660232730b31e7" },
    { 0x01020304, 100,
      "bc79801f92c516bfcb0230b0c87206d9806b7445351a2eea73fa2b97c13d1eff"
      "790171b904ba4a2c55038f38be7da91ef363509e1ad821986beea8c244ed8db1"
      "7a03f5ec9e385ffa4c6a13233300d09990222ea3d87838c8d968a2bbca0fb1dc"
      "674ba80c3ca80e0c",
      "6d587dc2507d729cf9ede378d032669b" },
};

static void
test_kat(void **state)
{
    struct s2_cipher *enc = NULL;
    struct s2_cipher *dec = NULL;
    uint8_t key[64], pkt[104], plain[104], ct[104], want_tag[16], tag[16], ref[104];
    size_t i, j, n;
    uint32_t len;

    (void)state;
    for (i = 0; i < 64; i++) {
        key[i] = (uint8_t)i;
    }
    assert_int_equal(s2_cipher_new(&t_alloc_cmocka, chapoly(), 1, key, NULL, &enc), 0);
    assert_int_equal(s2_cipher_new(&t_alloc_cmocka, chapoly(), 0, key, NULL, &dec), 0);
    for (i = 0; i < sizeof(kats) / sizeof(kats[0]); i++) {
        pkt[0] = 0;
        pkt[1] = 0;
        pkt[2] = 0;
        pkt[3] = (uint8_t)kats[i].n;
        for (j = 0; j < kats[i].n; j++) {
            pkt[4 + j] = (uint8_t)((kats[i].seq + 3 * j) & 0xff);
        }
        memcpy(plain, pkt, 4 + kats[i].n);
        t_unhex(kats[i].ct, ct, &n);
        assert_int_equal(n, 4 + kats[i].n);
        t_unhex(kats[i].tag, want_tag, &n);
        /* the mbedTLS rebuild agrees with OpenSSL */
        ref_seal(key, kats[i].seq, plain, 4 + kats[i].n, ref, tag);
        assert_memory_equal(ref, ct, 4 + kats[i].n);
        assert_memory_equal(tag, want_tag, 16);
        /* and so does the code under test */
        assert_int_equal(s2_aead_seal(enc, kats[i].seq, pkt, 4 + kats[i].n, tag), 0);
        assert_memory_equal(pkt, ct, 4 + kats[i].n);
        assert_memory_equal(tag, want_tag, 16);
        assert_int_equal(s2_aead_length(dec, kats[i].seq, pkt, &len), 0);
        assert_int_equal(len, kats[i].n);
        assert_memory_equal(pkt, ct, 4); /* input unchanged */
        assert_int_equal(s2_aead_open(dec, kats[i].seq, pkt, 4 + kats[i].n, tag), 0);
        assert_memory_equal(pkt, ct, 4); /* length left as received */
        assert_memory_equal(pkt + 4, plain + 4, kats[i].n);
    }
    s2_cipher_free(&t_alloc_cmocka, enc);
    s2_cipher_free(&t_alloc_cmocka, dec);
}

static void
test_cross_check(void **state)
{
    static const uint32_t seqs[] = { 0, 1, 2, 255, 256, 0x7fffffff, 0x80000000, 0xfffffffe,
                                     0xffffffff };
    struct s2_cipher *enc = NULL;
    struct s2_cipher *dec = NULL;
    uint8_t key[64], pkt[4 + 600], plain[4 + 600], ref[4 + 600], tag[16], ref_tag[16];
    size_t s, plen;
    uint32_t len;

    (void)state;
    assert_int_equal(s2_random(key, sizeof(key)), 0);
    assert_int_equal(s2_cipher_new(&t_alloc_cmocka, chapoly(), 1, key, NULL, &enc), 0);
    assert_int_equal(s2_cipher_new(&t_alloc_cmocka, chapoly(), 0, key, NULL, &dec), 0);
    for (s = 0; s < sizeof(seqs) / sizeof(seqs[0]); s++) {
        for (plen = 0; plen <= 600; plen += (plen < 140 ? 1 : 61)) {
            pkt[0] = (uint8_t)(plen >> 24);
            pkt[1] = (uint8_t)(plen >> 16);
            pkt[2] = (uint8_t)(plen >> 8);
            pkt[3] = (uint8_t)plen;
            assert_int_equal(s2_random(pkt + 4, plen), 0);
            memcpy(plain, pkt, 4 + plen);
            ref_seal(key, seqs[s], plain, 4 + plen, ref, ref_tag);
            assert_int_equal(s2_aead_seal(enc, seqs[s], pkt, 4 + plen, tag), 0);
            assert_memory_equal(pkt, ref, 4 + plen);
            assert_memory_equal(tag, ref_tag, 16);
            assert_int_equal(s2_aead_length(dec, seqs[s], pkt, &len), 0);
            assert_int_equal(len, plen);
            assert_int_equal(s2_aead_open(dec, seqs[s], pkt, 4 + plen, tag), 0);
            assert_memory_equal(pkt + 4, plain + 4, plen);
        }
    }
    s2_cipher_free(&t_alloc_cmocka, enc);
    s2_cipher_free(&t_alloc_cmocka, dec);
}

static void
test_key_halves(void **state)
{
    /* The length depends only on K_1 (key[32..64)), the payload and tag on
     * K_2 (key[0..32)): changing one half leaves the other's output alone. */
    struct s2_cipher *c = NULL;
    uint8_t key[64], pkt1[36], pkt2[36], tag1[16], tag2[16];

    (void)state;
    assert_int_equal(s2_random(key, sizeof(key)), 0);
    memset(pkt1, 0x11, sizeof(pkt1));
    memcpy(pkt2, pkt1, sizeof(pkt1));
    assert_int_equal(s2_cipher_new(&t_alloc_cmocka, chapoly(), 1, key, NULL, &c), 0);
    assert_int_equal(s2_aead_seal(c, 5, pkt1, 36, tag1), 0);
    s2_cipher_free(&t_alloc_cmocka, c);
    key[40] ^= 1; /* K_1 */
    assert_int_equal(s2_cipher_new(&t_alloc_cmocka, chapoly(), 1, key, NULL, &c), 0);
    assert_int_equal(s2_aead_seal(c, 5, pkt2, 36, tag2), 0);
    s2_cipher_free(&t_alloc_cmocka, c);
    assert_memory_not_equal(pkt1, pkt2, 4);
    assert_memory_equal(pkt1 + 4, pkt2 + 4, 32);
    key[40] ^= 1;
    key[3] ^= 1; /* K_2 */
    memset(pkt2, 0x11, sizeof(pkt2));
    assert_int_equal(s2_cipher_new(&t_alloc_cmocka, chapoly(), 1, key, NULL, &c), 0);
    assert_int_equal(s2_aead_seal(c, 5, pkt2, 36, tag2), 0);
    s2_cipher_free(&t_alloc_cmocka, c);
    assert_memory_equal(pkt1, pkt2, 4);
    assert_memory_not_equal(pkt1 + 4, pkt2 + 4, 32);
    assert_memory_not_equal(tag1, tag2, 16);
}

static void
test_negative(void **state)
{
    struct s2_cipher *enc = NULL;
    struct s2_cipher *dec = NULL;
    uint8_t key[64], pkt[4 + 48], plain[4 + 48], ct[4 + 48], bad[4 + 48], tag[16], bt[16];
    size_t pos;
    uint32_t len;

    (void)state;
    assert_int_equal(s2_random(key, sizeof(key)), 0);
    assert_int_equal(s2_cipher_new(&t_alloc_cmocka, chapoly(), 1, key, NULL, &enc), 0);
    assert_int_equal(s2_cipher_new(&t_alloc_cmocka, chapoly(), 0, key, NULL, &dec), 0);
    memcpy(pkt, "\x00\x00\x00\x30", 4);
    assert_int_equal(s2_random(pkt + 4, 48), 0);
    memcpy(plain, pkt, sizeof(pkt));
    assert_int_equal(s2_aead_seal(enc, 42, pkt, sizeof(pkt), tag), 0);
    memcpy(ct, pkt, sizeof(pkt));
    assert_memory_not_equal(ct, plain, 4); /* the length is encrypted too */
    assert_memory_not_equal(ct + 4, plain + 4, 48);

    for (pos = 0; pos < 16; pos++) {
        memcpy(bad, ct, sizeof(ct));
        memcpy(bt, tag, 16);
        bt[pos] ^= 0x04;
        assert_int_equal(s2_aead_open(dec, 42, bad, sizeof(bad), bt), LIBSSH2_ERROR_INVALID_MAC);
        assert_memory_equal(bad, ct, sizeof(ct)); /* still ciphertext */
    }
    for (pos = 0; pos < sizeof(ct); pos++) {
        memcpy(bad, ct, sizeof(ct));
        bad[pos] ^= 0x04;
        assert_int_equal(s2_aead_open(dec, 42, bad, sizeof(bad), tag), LIBSSH2_ERROR_INVALID_MAC);
        bad[pos] ^= 0x04;
        assert_memory_equal(bad, ct, sizeof(ct));
    }
    /* wrong sequence number: the length decodes to garbage and the tag fails */
    memcpy(bad, ct, sizeof(ct));
    assert_int_equal(s2_aead_length(dec, 43, bad, &len), 0);
    assert_int_not_equal(len, 48);
    assert_int_equal(s2_aead_open(dec, 43, bad, sizeof(bad), tag), LIBSSH2_ERROR_INVALID_MAC);
    assert_int_equal(s2_aead_open(dec, 41, bad, sizeof(bad), tag), LIBSSH2_ERROR_INVALID_MAC);
    /* truncated */
    assert_int_equal(s2_aead_open(dec, 42, bad, sizeof(bad) - 1, tag),
                     LIBSSH2_ERROR_INVALID_MAC);
    assert_int_equal(s2_aead_open(dec, 42, bad, 3, tag), LIBSSH2_ERROR_INVAL);
    assert_int_equal(s2_aead_seal(enc, 42, bad, 3, bt), LIBSSH2_ERROR_INVAL);
    assert_memory_equal(bad, ct, sizeof(ct));
    /* a different K_2 fails the tag; a different K_1 garbles the length */
    s2_cipher_free(&t_alloc_cmocka, dec);
    key[0] ^= 0x80;
    assert_int_equal(s2_cipher_new(&t_alloc_cmocka, chapoly(), 0, key, NULL, &dec), 0);
    assert_int_equal(s2_aead_open(dec, 42, bad, sizeof(bad), tag), LIBSSH2_ERROR_INVALID_MAC);
    assert_memory_equal(bad, ct, sizeof(ct));
    s2_cipher_free(&t_alloc_cmocka, dec);
    key[0] ^= 0x80;
    key[63] ^= 0x80;
    assert_int_equal(s2_cipher_new(&t_alloc_cmocka, chapoly(), 0, key, NULL, &dec), 0);
    assert_int_equal(s2_aead_length(dec, 42, bad, &len), 0);
    assert_int_not_equal(len, 48);
    s2_cipher_free(&t_alloc_cmocka, dec);
    key[63] ^= 0x80;
    assert_int_equal(s2_cipher_new(&t_alloc_cmocka, chapoly(), 0, key, NULL, &dec), 0);
    /* the genuine packet still opens */
    assert_int_equal(s2_aead_open(dec, 42, bad, sizeof(bad), tag), 0);
    assert_memory_equal(bad + 4, plain + 4, 48);
    /* sealing the same plaintext under the next seqno differs */
    memcpy(pkt, plain, sizeof(plain));
    assert_int_equal(s2_aead_seal(enc, 43, pkt, sizeof(pkt), bt), 0);
    assert_memory_not_equal(pkt, ct, sizeof(ct));
    assert_memory_not_equal(bt, tag, 16);
    /* CTR/CBC entry point refused */
    assert_int_equal(s2_cipher_crypt(enc, pkt, 16), LIBSSH2_ERROR_BAD_USE);
    s2_cipher_free(&t_alloc_cmocka, enc);
    s2_cipher_free(&t_alloc_cmocka, dec);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kat),
        cmocka_unit_test(test_cross_check),
        cmocka_unit_test(test_key_halves),
        cmocka_unit_test(test_negative),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
