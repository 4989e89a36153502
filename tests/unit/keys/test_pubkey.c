/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_pubkey.c: s2_pubkey_parse and s2_pubkey_libssh2_type. Real key blobs
 * made by ssh-keygen (gen_vectors.py) parse; every truncation, a trailing
 * byte, length fields 0 / cap / cap+1 / 0xffffffff, name-curve mismatches
 * (H-05), ed25519 keys of 31 and 33 bytes (H-04), points off the curve, the
 * RSA policy (H-02: 1024-bit key, e = 0, 1, even, 2047/2048/16384/16385-bit
 * moduli, non-canonical mpints) and the blob size cap (H-11) are rejected
 * with LIBSSH2_ERROR_HOSTKEY_INIT.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "keys/keys.h"

/* BEGIN GENERATED VECTORS (gen_vectors.py) */
static const uint8_t ED25519_PUB[51] = {
    0x00, 0x00, 0x00, 0x0b, 0x73, 0x73, 0x68, 0x2d, 0x65, 0x64, 0x32, 0x35,
    0x35, 0x31, 0x39, 0x00, 0x00, 0x00, 0x20, 0x24, 0x76, 0xdd, 0x95, 0xaa,
    0xbc, 0x0b, 0x36, 0x9b, 0x57, 0x75, 0x6a, 0xe2, 0x4d, 0xc2, 0xea, 0xa7,
    0x2d, 0x2d, 0xaf, 0xbd, 0x4f, 0x00, 0xaf, 0x8f, 0x52, 0x77, 0x1f, 0x85,
    0x4b, 0x4a, 0x2e,
};
static const uint8_t P256_PUB[104] = {
    0x00, 0x00, 0x00, 0x13, 0x65, 0x63, 0x64, 0x73, 0x61, 0x2d, 0x73, 0x68,
    0x61, 0x32, 0x2d, 0x6e, 0x69, 0x73, 0x74, 0x70, 0x32, 0x35, 0x36, 0x00,
    0x00, 0x00, 0x08, 0x6e, 0x69, 0x73, 0x74, 0x70, 0x32, 0x35, 0x36, 0x00,
    0x00, 0x00, 0x41, 0x04, 0x7e, 0xe0, 0xf0, 0x37, 0xff, 0xf3, 0x64, 0x8e,
    0x7c, 0x99, 0x98, 0xaa, 0xfc, 0xa0, 0xae, 0x1c, 0x82, 0x1e, 0xc7, 0xf9,
    0x00, 0x1f, 0x37, 0xa9, 0x36, 0x22, 0x22, 0x7a, 0xec, 0xf0, 0x71, 0x34,
    0x5e, 0xb7, 0x1e, 0x03, 0x94, 0x44, 0xc7, 0xec, 0x24, 0x48, 0x28, 0x11,
    0x1f, 0x62, 0xd1, 0x21, 0xb8, 0xf8, 0xcb, 0x80, 0xc4, 0xcf, 0x65, 0xbc,
    0x1b, 0xf5, 0xfe, 0x88, 0x07, 0x36, 0x54, 0xb6,
};
static const uint8_t P384_PUB[136] = {
    0x00, 0x00, 0x00, 0x13, 0x65, 0x63, 0x64, 0x73, 0x61, 0x2d, 0x73, 0x68,
    0x61, 0x32, 0x2d, 0x6e, 0x69, 0x73, 0x74, 0x70, 0x33, 0x38, 0x34, 0x00,
    0x00, 0x00, 0x08, 0x6e, 0x69, 0x73, 0x74, 0x70, 0x33, 0x38, 0x34, 0x00,
    0x00, 0x00, 0x61, 0x04, 0xe5, 0x64, 0x6c, 0x4e, 0xae, 0xa4, 0x62, 0x90,
    0x82, 0xde, 0x85, 0x3a, 0x41, 0x9c, 0xaf, 0xa2, 0x30, 0xde, 0x47, 0xc9,
    0xb1, 0x04, 0xc5, 0x40, 0x58, 0xc7, 0xdb, 0xde, 0xf6, 0x1e, 0x34, 0xee,
    0x23, 0x0a, 0xb0, 0x77, 0xf3, 0xe9, 0x7c, 0xf0, 0xa8, 0xe0, 0x04, 0x3d,
    0x6a, 0xd4, 0x8e, 0xb8, 0xf2, 0x1b, 0x4c, 0x92, 0xde, 0xfd, 0xfe, 0x68,
    0x00, 0x94, 0x3a, 0xe9, 0xfc, 0xce, 0x2a, 0x09, 0x5d, 0x2c, 0xcc, 0xa3,
    0xd7, 0xdb, 0x1a, 0x83, 0xf1, 0xe1, 0xf6, 0xb5, 0x94, 0xc5, 0x5f, 0x17,
    0xee, 0xdb, 0x51, 0x71, 0xbb, 0x58, 0x2d, 0xee, 0xb4, 0x1a, 0x50, 0x7e,
    0x82, 0x9d, 0xad, 0xc7,
};
static const uint8_t P521_PUB[172] = {
    0x00, 0x00, 0x00, 0x13, 0x65, 0x63, 0x64, 0x73, 0x61, 0x2d, 0x73, 0x68,
    0x61, 0x32, 0x2d, 0x6e, 0x69, 0x73, 0x74, 0x70, 0x35, 0x32, 0x31, 0x00,
    0x00, 0x00, 0x08, 0x6e, 0x69, 0x73, 0x74, 0x70, 0x35, 0x32, 0x31, 0x00,
    0x00, 0x00, 0x85, 0x04, 0x01, 0xf7, 0xbc, 0x4b, 0xeb, 0xf8, 0x91, 0x7b,
    0x5c, 0xc8, 0x9c, 0x5d, 0x92, 0x0b, 0x04, 0x68, 0x7c, 0xc4, 0xa6, 0x3d,
    0x58, 0xe3, 0x76, 0x7c, 0x9e, 0x09, 0xc0, 0xe1, 0xa0, 0x53, 0x5e, 0xb3,
    0xe2, 0x67, 0x52, 0x78, 0x48, 0x30, 0x5b, 0x54, 0x52, 0xa8, 0x90, 0x70,
    0xac, 0x58, 0x09, 0x4c, 0x4e, 0xd7, 0x5d, 0xbb, 0x06, 0x33, 0xbe, 0x74,
    0xc0, 0xb8, 0x23, 0xb8, 0x1d, 0x05, 0x19, 0x1e, 0xc3, 0x3c, 0x00, 0xc5,
    0x8f, 0x4d, 0xa0, 0xaf, 0xa8, 0x69, 0x3f, 0xab, 0x65, 0xaf, 0xb6, 0x6c,
    0xed, 0xa7, 0xff, 0xb1, 0x26, 0x7b, 0xf2, 0xc5, 0xc1, 0x23, 0xaa, 0x85,
    0xb1, 0x03, 0xc7, 0x97, 0xba, 0x43, 0x7c, 0x16, 0x63, 0xac, 0x34, 0x32,
    0x86, 0xbb, 0x73, 0xf9, 0x44, 0xeb, 0xfb, 0x1c, 0xe5, 0x42, 0xa9, 0x2f,
    0xc1, 0x07, 0xeb, 0xab, 0x0a, 0x03, 0x0e, 0x60, 0x05, 0x5d, 0xa0, 0x61,
    0x5e, 0xff, 0x58, 0x16,
};
static const uint8_t RSA2048_PUB[279] = {
    0x00, 0x00, 0x00, 0x07, 0x73, 0x73, 0x68, 0x2d, 0x72, 0x73, 0x61, 0x00,
    0x00, 0x00, 0x03, 0x01, 0x00, 0x01, 0x00, 0x00, 0x01, 0x01, 0x00, 0xd4,
    0x8c, 0xf1, 0x29, 0xd6, 0x50, 0x48, 0x4f, 0x92, 0xca, 0x6d, 0x3e, 0x9e,
    0xd6, 0x45, 0x5f, 0x04, 0x27, 0xdf, 0xa1, 0xea, 0x58, 0x1f, 0x98, 0x82,
    0x4e, 0x9a, 0x15, 0x35, 0x26, 0xeb, 0xf9, 0x55, 0x59, 0xad, 0x2b, 0x22,
    0xfc, 0x6c, 0x0c, 0xea, 0x30, 0x9f, 0xb6, 0x9f, 0x5d, 0x54, 0xe7, 0x1c,
    0x24, 0xa2, 0x17, 0xdc, 0xf0, 0x5c, 0xaf, 0xe9, 0xc9, 0x4a, 0x04, 0x9c,
    0xde, 0x67, 0xb9, 0x32, 0xcc, 0x38, 0x0c, 0xff, 0x5b, 0x3a, 0x57, 0x4b,
    0x26, 0x38, 0xa5, 0xc1, 0x6d, 0xb4, 0x31, 0xf0, 0x69, 0x13, 0xb9, 0x9c,
    0xc6, 0xe5, 0xb4, 0xaa, 0xca, 0xdf, 0xd2, 0xb1, 0x6f, 0x74, 0x0a, 0xfe,
    0x40, 0xcb, 0x8a, 0x58, 0x50, 0x1d, 0x7f, 0x96, 0x49, 0x65, 0x4b, 0x40,
    0x06, 0xc2, 0x04, 0x0c, 0xfb, 0x83, 0x4f, 0x48, 0xec, 0x48, 0x87, 0xcd,
    0x25, 0xb8, 0xfa, 0x33, 0x98, 0x0c, 0xc1, 0xdf, 0xba, 0xc8, 0xb9, 0xfe,
    0xc8, 0xbc, 0x4c, 0x06, 0x89, 0x56, 0xeb, 0xc8, 0x96, 0xcc, 0xe5, 0x6c,
    0x91, 0xa8, 0xad, 0xc6, 0x0d, 0xcc, 0x4a, 0x57, 0xa5, 0x4b, 0xf3, 0x1f,
    0x06, 0xbb, 0x16, 0xaa, 0x22, 0xfd, 0xb9, 0xe1, 0x46, 0x9a, 0x66, 0xaf,
    0xa9, 0xa9, 0xbb, 0x7b, 0x6a, 0x19, 0x70, 0x19, 0x56, 0x07, 0x0d, 0x91,
    0xae, 0x88, 0xbd, 0xf5, 0xc0, 0xa5, 0x31, 0x7c, 0x18, 0x73, 0x56, 0x27,
    0xd5, 0x9c, 0x19, 0xd7, 0xc6, 0x44, 0xc4, 0x93, 0xf0, 0xc2, 0xcf, 0x7d,
    0x72, 0x32, 0x3f, 0xc3, 0x90, 0xec, 0x9e, 0xbe, 0xcf, 0x09, 0x35, 0xed,
    0x52, 0x4e, 0xaa, 0xc4, 0x77, 0xef, 0x7b, 0x54, 0x6c, 0x9d, 0x79, 0xed,
    0x4c, 0xd3, 0x05, 0x97, 0x16, 0xd4, 0xfc, 0x91, 0xe2, 0x00, 0x87, 0x60,
    0x6f, 0xb6, 0x9d, 0x21, 0x7d, 0x98, 0xdf, 0x04, 0x34, 0xba, 0xf3, 0xed,
    0xff, 0x28, 0xc5,
};
static const uint8_t RSA1024_PUB[151] = {
    0x00, 0x00, 0x00, 0x07, 0x73, 0x73, 0x68, 0x2d, 0x72, 0x73, 0x61, 0x00,
    0x00, 0x00, 0x03, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x81, 0x00, 0xbc,
    0x30, 0x95, 0x58, 0x8c, 0x8d, 0x7e, 0x64, 0x5e, 0xe1, 0xa3, 0xb8, 0x83,
    0x7b, 0x4a, 0x4d, 0x2c, 0x05, 0xb9, 0x9f, 0x05, 0xe4, 0x3c, 0x83, 0x11,
    0x28, 0x4e, 0x31, 0x5b, 0xbd, 0x6c, 0xa6, 0x78, 0x4e, 0x4a, 0xdd, 0x6d,
    0xf0, 0xf1, 0x59, 0xea, 0xb3, 0x06, 0x68, 0xdf, 0x15, 0xbc, 0xf2, 0xb8,
    0xdb, 0x59, 0xe2, 0xfa, 0x4e, 0x16, 0x50, 0x01, 0x1f, 0x5d, 0xfa, 0x8b,
    0x73, 0x8d, 0x1e, 0x2e, 0x81, 0x96, 0x99, 0xcb, 0x58, 0x99, 0xe5, 0x86,
    0x4f, 0x0d, 0x8e, 0x75, 0xfa, 0xbc, 0x0c, 0x93, 0xbc, 0x8c, 0x83, 0x92,
    0x0d, 0x07, 0xaa, 0xd0, 0x67, 0x8f, 0x25, 0xc4, 0xf8, 0xac, 0xc1, 0x34,
    0xd3, 0xda, 0xe2, 0x29, 0x5f, 0xcc, 0xf3, 0x59, 0xda, 0x36, 0x18, 0xfd,
    0x6e, 0xb7, 0x4c, 0xaa, 0xcf, 0x1f, 0x3d, 0xc3, 0xae, 0x61, 0x35, 0x41,
    0xfa, 0xff, 0xf0, 0x55, 0xad, 0x80, 0x01,
};
/* END GENERATED VECTORS */

struct vec {
    const char *name;
    const uint8_t *blob;
    size_t len;
    enum s2_key_type type;
    int libssh2_type;
};

static const struct vec vecs[] = {
    { "ssh-ed25519", ED25519_PUB, sizeof ED25519_PUB, S2_KEY_ED25519,
      LIBSSH2_HOSTKEY_TYPE_ED25519 },
    { "ecdsa-sha2-nistp256", P256_PUB, sizeof P256_PUB, S2_KEY_ECDSA_P256,
      LIBSSH2_HOSTKEY_TYPE_ECDSA_256 },
    { "ecdsa-sha2-nistp384", P384_PUB, sizeof P384_PUB, S2_KEY_ECDSA_P384,
      LIBSSH2_HOSTKEY_TYPE_ECDSA_384 },
    { "ecdsa-sha2-nistp521", P521_PUB, sizeof P521_PUB, S2_KEY_ECDSA_P521,
      LIBSSH2_HOSTKEY_TYPE_ECDSA_521 },
    { "ssh-rsa", RSA2048_PUB, sizeof RSA2048_PUB, S2_KEY_RSA, LIBSSH2_HOSTKEY_TYPE_RSA },
};
#define NUM_VECS (sizeof vecs / sizeof vecs[0])

/* parse_copy parses an exact-size heap copy, so ASan sees any over-read. */
static int
parse_copy(const uint8_t *blob, size_t len)
{
    struct s2_pubkey k;
    uint8_t *copy = malloc(len > 0 ? len : 1);
    int rc;

    assert_non_null(copy);
    if (len > 0) {
        memcpy(copy, blob, len);
    }
    rc = s2_pubkey_parse(copy, len, &k);
    if (rc != 0) {
        assert_int_equal(k.type, S2_KEY_UNKNOWN);
    }
    free(copy);
    return rc;
}

static void
assert_rejected(const uint8_t *blob, size_t len)
{
    assert_int_equal(parse_copy(blob, len), LIBSSH2_ERROR_HOSTKEY_INIT);
}

/* ---- blob builders (through the writer, as the library would) ---- */

static size_t
build_ed25519(uint8_t *buf, size_t cap, const char *name, const uint8_t *key, size_t key_len)
{
    struct s2_wr w;
    s2_wr_fixed(&w, buf, cap);
    s2_wr_cstr(&w, name);
    s2_wr_str(&w, key, key_len);
    assert_int_equal(s2_wr_ok(&w), 0);
    return w.len;
}

static size_t
build_ecdsa(uint8_t *buf, size_t cap, const char *name, const char *curve, const uint8_t *q,
            size_t q_len)
{
    struct s2_wr w;
    s2_wr_fixed(&w, buf, cap);
    s2_wr_cstr(&w, name);
    s2_wr_cstr(&w, curve);
    s2_wr_str(&w, q, q_len);
    assert_int_equal(s2_wr_ok(&w), 0);
    return w.len;
}

/* build_rsa writes e and n as given: raw wire bytes of each mpint. */
static size_t
build_rsa_raw(uint8_t *buf, size_t cap, const uint8_t *e, size_t e_len, const uint8_t *n,
              size_t n_len)
{
    struct s2_wr w;
    s2_wr_fixed(&w, buf, cap);
    s2_wr_cstr(&w, "ssh-rsa");
    s2_wr_str(&w, e, e_len);
    s2_wr_str(&w, n, n_len);
    assert_int_equal(s2_wr_ok(&w), 0);
    return w.len;
}

/* build_rsa writes magnitudes e and n as canonical mpints. */
static size_t
build_rsa(uint8_t *buf, size_t cap, const uint8_t *e, size_t e_len, const uint8_t *n,
          size_t n_len)
{
    struct s2_wr w;
    s2_wr_fixed(&w, buf, cap);
    s2_wr_cstr(&w, "ssh-rsa");
    s2_wr_mpint(&w, e, e_len);
    s2_wr_mpint(&w, n, n_len);
    assert_int_equal(s2_wr_ok(&w), 0);
    return w.len;
}

static uint32_t
get32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static void
put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/* ---- tests ---- */

static void
test_valid_keys(void **state)
{
    size_t i;
    (void)state;
    for (i = 0; i < NUM_VECS; i++) {
        struct s2_pubkey k;
        assert_int_equal(s2_pubkey_parse(vecs[i].blob, vecs[i].len, &k), 0);
        assert_int_equal(k.type, vecs[i].type);
        assert_true(s2_rd_eq(&k.name, vecs[i].name));
        assert_int_equal(s2_pubkey_libssh2_type(&k), vecs[i].libssh2_type);
        switch (k.type) {
        case S2_KEY_ED25519:
            assert_int_equal(k.ed25519.left, 32);
            assert_memory_equal(k.ed25519.p, vecs[i].blob + vecs[i].len - 32, 32);
            break;
        case S2_KEY_ECDSA_P256:
            assert_int_equal(k.ec_point.left, 65);
            break;
        case S2_KEY_ECDSA_P384:
            assert_int_equal(k.ec_point.left, 97);
            break;
        case S2_KEY_ECDSA_P521:
            assert_int_equal(k.ec_point.left, 133);
            break;
        case S2_KEY_RSA:
            assert_int_equal(k.rsa_n.left, 256);
            assert_true(k.rsa_n.p[0] >= 0x80);
            assert_int_equal(k.rsa_e.left, 3);
            assert_memory_equal(k.rsa_e.p, "\x01\x00\x01", 3);
            break;
        default:
            fail();
        }
        if (k.type >= S2_KEY_ECDSA_P256) {
            assert_int_equal(k.ec_point.p[0], 0x04);
            assert_ptr_equal(k.ec_point.p + k.ec_point.left, vecs[i].blob + vecs[i].len);
        }
    }
}

static void
test_libssh2_type(void **state)
{
    struct s2_pubkey k;
    (void)state;
    memset(&k, 0, sizeof k);
    assert_int_equal(s2_pubkey_libssh2_type(&k), LIBSSH2_HOSTKEY_TYPE_UNKNOWN);
    assert_int_equal(s2_pubkey_libssh2_type(NULL), LIBSSH2_HOSTKEY_TYPE_UNKNOWN);
    k.type = S2_KEY_RSA;
    assert_int_equal(s2_pubkey_libssh2_type(&k), 1);
    k.type = S2_KEY_ECDSA_P256;
    assert_int_equal(s2_pubkey_libssh2_type(&k), 3);
    k.type = S2_KEY_ECDSA_P384;
    assert_int_equal(s2_pubkey_libssh2_type(&k), 4);
    k.type = S2_KEY_ECDSA_P521;
    assert_int_equal(s2_pubkey_libssh2_type(&k), 5);
    k.type = S2_KEY_ED25519;
    assert_int_equal(s2_pubkey_libssh2_type(&k), 6);
}

static void
test_truncations(void **state)
{
    size_t i, n;
    (void)state;
    for (i = 0; i < NUM_VECS; i++) {
        for (n = 0; n < vecs[i].len; n++) {
            assert_rejected(vecs[i].blob, n);
        }
        assert_int_equal(parse_copy(vecs[i].blob, vecs[i].len), 0);
    }
}

static void
test_trailing(void **state)
{
    size_t i;
    (void)state;
    for (i = 0; i < NUM_VECS; i++) {
        size_t n = vecs[i].len;
        uint8_t *buf = malloc(n + 4);
        assert_non_null(buf);
        memcpy(buf, vecs[i].blob, n);
        buf[n] = 0;
        assert_rejected(buf, n + 1);
        buf[n] = 0xff;
        assert_rejected(buf, n + 1);
        memset(buf + n, 0, 4); /* looks like an empty string */
        assert_rejected(buf, n + 4);
        free(buf);
    }
}

/* Every length field of every blob set to boundary values. */
static void
test_length_fields(void **state)
{
    static const uint32_t vals[] = { 0,
                                     1,
                                     31,
                                     33,
                                     S2_NAME_MAX,
                                     S2_NAME_MAX + 1,
                                     S2_EC_POINT_MAX,
                                     S2_EC_POINT_MAX + 1,
                                     S2_MPINT_MAX,
                                     S2_MPINT_MAX + 1,
                                     S2_HOSTKEY_MAX,
                                     S2_HOSTKEY_MAX + 1,
                                     0x7fffffffu,
                                     0x80000000u,
                                     0xfffffffbu,
                                     0xffffffffu };
    uint8_t buf[1024];
    size_t i, j, off, fields;
    (void)state;
    for (i = 0; i < NUM_VECS; i++) {
        fields = 0;
        off = 0;
        while (off < vecs[i].len) {
            uint32_t orig = get32(vecs[i].blob + off);
            for (j = 0; j < sizeof vals / sizeof vals[0]; j++) {
                if (vals[j] == orig) {
                    continue;
                }
                memcpy(buf, vecs[i].blob, vecs[i].len);
                put32(buf + off, vals[j]);
                assert_rejected(buf, vecs[i].len);
            }
            /* off by one either way */
            memcpy(buf, vecs[i].blob, vecs[i].len);
            put32(buf + off, orig + 1);
            assert_rejected(buf, vecs[i].len);
            put32(buf + off, orig - 1);
            assert_rejected(buf, vecs[i].len);
            off += 4 + orig;
            fields++;
        }
        assert_int_equal(off, vecs[i].len);
        assert_true(fields == 2 || fields == 3);
    }
}

static void
test_size_cap(void **state)
{
    uint8_t *big = calloc(1, S2_HOSTKEY_MAX + 2);
    struct s2_pubkey k;
    struct s2_wr w;
    (void)state;
    assert_non_null(big);
    /* H-11: a blob over the cap is refused whatever it holds */
    memcpy(big, ED25519_PUB, sizeof ED25519_PUB);
    assert_int_equal(s2_pubkey_parse(big, S2_HOSTKEY_MAX + 1, &k),
                     LIBSSH2_ERROR_HOSTKEY_INIT);
    assert_int_equal(s2_pubkey_parse(big, SIZE_MAX, &k), LIBSSH2_ERROR_HOSTKEY_INIT);
    /* exactly at the cap: a well-formed string that long is still no key */
    s2_wr_fixed(&w, big, S2_HOSTKEY_MAX);
    s2_wr_u32(&w, S2_HOSTKEY_MAX - 4);
    assert_int_equal(s2_wr_ok(&w), 0);
    assert_int_equal(s2_pubkey_parse(big, S2_HOSTKEY_MAX, &k), LIBSSH2_ERROR_HOSTKEY_INIT);
    free(big);
}

static void
test_bad_args(void **state)
{
    struct s2_pubkey k;
    (void)state;
    assert_int_equal(s2_pubkey_parse(NULL, 0, &k), LIBSSH2_ERROR_HOSTKEY_INIT);
    assert_int_equal(s2_pubkey_parse(NULL, 10, &k), LIBSSH2_ERROR_HOSTKEY_INIT);
    assert_int_equal(s2_pubkey_parse(ED25519_PUB, sizeof ED25519_PUB, NULL),
                     LIBSSH2_ERROR_HOSTKEY_INIT);
}

static void
test_names(void **state)
{
    static const char *const bad[] = { "",
                                       "ssh-dss",
                                       "ssh-ed448",
                                       "SSH-ED25519",
                                       "ssh-ed2551",
                                       "ssh-ed25519x",
                                       "ssh-ed25519-cert-v01@openssh.com",
                                       "rsa-sha2-256",
                                       "ecdsa-sha2-nistp224" };
    uint8_t buf[256];
    uint8_t key[32];
    size_t i, n;
    struct s2_wr w;
    (void)state;
    memcpy(key, ED25519_PUB + sizeof ED25519_PUB - 32, 32);
    n = build_ed25519(buf, sizeof buf, "ssh-ed25519", key, 32);
    assert_int_equal(parse_copy(buf, n), 0);
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        n = build_ed25519(buf, sizeof buf, bad[i], key, 32);
        assert_rejected(buf, n);
    }
    /* a name with an embedded NUL */
    s2_wr_fixed(&w, buf, sizeof buf);
    s2_wr_str(&w, "ssh-ed25519\0", 12);
    s2_wr_str(&w, key, 32);
    assert_int_equal(s2_wr_ok(&w), 0);
    assert_rejected(buf, w.len);
    /* a name longer than S2_NAME_MAX */
    s2_wr_fixed(&w, buf, sizeof buf);
    s2_wr_u32(&w, S2_NAME_MAX + 1);
    memset(s2_wr_space(&w, S2_NAME_MAX + 1), 'a', S2_NAME_MAX + 1);
    s2_wr_str(&w, key, 32);
    assert_int_equal(s2_wr_ok(&w), 0);
    assert_rejected(buf, w.len);
}

static void
test_ed25519_lengths(void **state)
{
    uint8_t buf[256];
    uint8_t key[64];
    size_t n, len;
    (void)state;
    memset(key, 0, sizeof key);
    memcpy(key, ED25519_PUB + sizeof ED25519_PUB - 32, 32);
    for (len = 0; len <= 64; len++) {
        n = build_ed25519(buf, sizeof buf, "ssh-ed25519", key, len);
        if (len == 32) {
            assert_int_equal(parse_copy(buf, n), 0);
        } else {
            assert_rejected(buf, n); /* H-04: 31 and 33 among them */
        }
    }
}

struct ec_vec {
    const char *name;
    const char *curve;
    const uint8_t *blob;
    size_t len;
    size_t q_len;
};

static const struct ec_vec ec_vecs[] = {
    { "ecdsa-sha2-nistp256", "nistp256", P256_PUB, sizeof P256_PUB, 65 },
    { "ecdsa-sha2-nistp384", "nistp384", P384_PUB, sizeof P384_PUB, 97 },
    { "ecdsa-sha2-nistp521", "nistp521", P521_PUB, sizeof P521_PUB, 133 },
};

static void
test_ecdsa_curve_mismatch(void **state)
{
    uint8_t buf[512];
    size_t i, j, c, n;
    static const char *const other_ids[] = { "nistp224", "", "NISTP256", "nistp256 ",
                                             "secp256r1" };
    (void)state;
    for (i = 0; i < 3; i++) {
        const uint8_t *q = ec_vecs[i].blob + ec_vecs[i].len - ec_vecs[i].q_len;
        n = build_ecdsa(buf, sizeof buf, ec_vecs[i].name, ec_vecs[i].curve, q,
                        ec_vecs[i].q_len);
        assert_int_equal(n, ec_vecs[i].len);
        assert_int_equal(parse_copy(buf, n), 0);
        for (j = 0; j < 3; j++) {
            if (j == i) {
                continue;
            }
            /* H-05: name says one curve, identifier another */
            n = build_ecdsa(buf, sizeof buf, ec_vecs[i].name, ec_vecs[j].curve, q,
                            ec_vecs[i].q_len);
            assert_rejected(buf, n);
            /* identifier matches the name, but the point is another curve's */
            n = build_ecdsa(buf, sizeof buf, ec_vecs[j].name, ec_vecs[j].curve, q,
                            ec_vecs[i].q_len);
            assert_rejected(buf, n);
            /* identifier matches the point but not the name */
            n = build_ecdsa(buf, sizeof buf, ec_vecs[j].name, ec_vecs[i].curve, q,
                            ec_vecs[i].q_len);
            assert_rejected(buf, n);
        }
        for (c = 0; c < sizeof other_ids / sizeof other_ids[0]; c++) {
            n = build_ecdsa(buf, sizeof buf, ec_vecs[i].name, other_ids[c], q,
                            ec_vecs[i].q_len);
            assert_rejected(buf, n);
        }
    }
}

static void
test_ecdsa_points(void **state)
{
    uint8_t buf[512];
    uint8_t q[S2_EC_POINT_MAX + 2];
    size_t i, n, q_len, off;
    (void)state;
    for (i = 0; i < 3; i++) {
        q_len = ec_vecs[i].q_len;
        memcpy(q, ec_vecs[i].blob + ec_vecs[i].len - q_len, q_len);
        /* off the curve: flip a bit of X or of Y */
        for (off = 1; off < q_len; off += 7) {
            q[off] ^= 0x01;
            n = build_ecdsa(buf, sizeof buf, ec_vecs[i].name, ec_vecs[i].curve, q, q_len);
            assert_rejected(buf, n);
            q[off] ^= 0x01;
        }
        q[q_len - 1] ^= 0x01;
        n = build_ecdsa(buf, sizeof buf, ec_vecs[i].name, ec_vecs[i].curve, q, q_len);
        assert_rejected(buf, n);
        q[q_len - 1] ^= 0x01;
        /* not the uncompressed form */
        q[0] = 0x02;
        n = build_ecdsa(buf, sizeof buf, ec_vecs[i].name, ec_vecs[i].curve, q, q_len);
        assert_rejected(buf, n);
        q[0] = 0x00;
        n = build_ecdsa(buf, sizeof buf, ec_vecs[i].name, ec_vecs[i].curve, q, q_len);
        assert_rejected(buf, n);
        q[0] = 0x04;
        /* compressed-length point, point at infinity, lengths off by one */
        q[0] = 0x02;
        n = build_ecdsa(buf, sizeof buf, ec_vecs[i].name, ec_vecs[i].curve, q,
                        (q_len - 1) / 2 + 1);
        assert_rejected(buf, n);
        q[0] = 0x04;
        n = build_ecdsa(buf, sizeof buf, ec_vecs[i].name, ec_vecs[i].curve, (const uint8_t *)"",
                        1);
        assert_rejected(buf, n);
        n = build_ecdsa(buf, sizeof buf, ec_vecs[i].name, ec_vecs[i].curve, q, q_len - 1);
        assert_rejected(buf, n);
        q[q_len] = 0;
        n = build_ecdsa(buf, sizeof buf, ec_vecs[i].name, ec_vecs[i].curve, q, q_len + 1);
        assert_rejected(buf, n);
        n = build_ecdsa(buf, sizeof buf, ec_vecs[i].name, ec_vecs[i].curve, q, 0);
        assert_rejected(buf, n);
        /* all zero */
        memset(q, 0, q_len);
        q[0] = 0x04;
        n = build_ecdsa(buf, sizeof buf, ec_vecs[i].name, ec_vecs[i].curve, q, q_len);
        assert_rejected(buf, n);
    }
}

static void
test_rsa_1024(void **state)
{
    struct s2_pubkey k;
    (void)state;
    assert_int_equal(s2_pubkey_parse(RSA1024_PUB, sizeof RSA1024_PUB, &k),
                     LIBSSH2_ERROR_HOSTKEY_INIT);
    assert_int_equal(k.type, S2_KEY_UNKNOWN);
}

static void
test_rsa_exponent(void **state)
{
    struct s2_pubkey k;
    const uint8_t *n_mag;
    size_t n_len, len;
    uint8_t buf[1024];
    static const uint8_t e1[] = { 0x01 }, e2[] = { 0x02 }, e3[] = { 0x03 };
    static const uint8_t e65536[] = { 0x01, 0x00, 0x00 }, e65537[] = { 0x01, 0x00, 0x01 };
    static const uint8_t big_e[] = { 0x7f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
    uint8_t long_e[300];
    (void)state;

    assert_int_equal(s2_pubkey_parse(RSA2048_PUB, sizeof RSA2048_PUB, &k), 0);
    n_mag = k.rsa_n.p;
    n_len = k.rsa_n.left;

    len = build_rsa(buf, sizeof buf, e65537, sizeof e65537, n_mag, n_len);
    assert_int_equal(len, sizeof RSA2048_PUB);
    assert_memory_equal(buf, RSA2048_PUB, len);
    assert_int_equal(parse_copy(buf, len), 0);
    len = build_rsa(buf, sizeof buf, e3, sizeof e3, n_mag, n_len);
    assert_int_equal(parse_copy(buf, len), 0);
    len = build_rsa(buf, sizeof buf, big_e, sizeof big_e, n_mag, n_len);
    assert_int_equal(parse_copy(buf, len), 0);

    /* H-02: e = 0 (empty mpint), 1, even */
    len = build_rsa(buf, sizeof buf, e1, 0, n_mag, n_len);
    assert_rejected(buf, len);
    len = build_rsa(buf, sizeof buf, e1, sizeof e1, n_mag, n_len);
    assert_rejected(buf, len);
    len = build_rsa(buf, sizeof buf, e2, sizeof e2, n_mag, n_len);
    assert_rejected(buf, len);
    len = build_rsa(buf, sizeof buf, e65536, sizeof e65536, n_mag, n_len);
    assert_rejected(buf, len);
    /* e longer than n */
    memset(long_e, 0x11, sizeof long_e);
    len = build_rsa(buf, sizeof buf, long_e, n_len + 1, n_mag, n_len);
    assert_rejected(buf, len);
}

static void
test_rsa_mpint_form(void **state)
{
    struct s2_pubkey k;
    uint8_t buf[1024];
    uint8_t nwire[260];
    size_t n_len, len;
    static const uint8_t e_ok[] = { 0x01, 0x00, 0x01 };
    static const uint8_t e_lead0[] = { 0x00, 0x01, 0x00, 0x01 }; /* superfluous zero */
    static const uint8_t e_neg[] = { 0x81, 0x00, 0x01 };         /* negative */
    (void)state;

    assert_int_equal(s2_pubkey_parse(RSA2048_PUB, sizeof RSA2048_PUB, &k), 0);
    n_len = k.rsa_n.left;
    nwire[0] = 0x00;
    memcpy(nwire + 1, k.rsa_n.p, n_len);

    len = build_rsa_raw(buf, sizeof buf, e_ok, sizeof e_ok, nwire, n_len + 1);
    assert_int_equal(parse_copy(buf, len), 0);
    len = build_rsa_raw(buf, sizeof buf, e_lead0, sizeof e_lead0, nwire, n_len + 1);
    assert_rejected(buf, len);
    len = build_rsa_raw(buf, sizeof buf, e_neg, sizeof e_neg, nwire, n_len + 1);
    assert_rejected(buf, len);
    /* n without its sign byte reads as negative */
    len = build_rsa_raw(buf, sizeof buf, e_ok, sizeof e_ok, nwire + 1, n_len);
    assert_rejected(buf, len);
}

/* Moduli of chosen bit length: a top byte giving the length, the rest 0xff
 * (odd). The parser checks the policy, not that n is a real modulus. */
static void
test_rsa_modulus_bits(void **state)
{
    static const struct {
        size_t bits;
        int ok;
    } cases[] = { { 1024, 0 }, { 2047, 0 }, { 2048, 1 }, { 2049, 1 }, { 4096, 1 },
                  { 16383, 1 }, { 16384, 1 }, { 16385, 0 }, { 16392, 0 } };
    static const uint8_t e[] = { 0x01, 0x00, 0x01 };
    size_t bufsz = S2_MPINT_MAX + 64;
    uint8_t *buf = malloc(bufsz);
    uint8_t *n = malloc(S2_MPINT_MAX + 1);
    size_t i, n_len, len, top_bits;
    (void)state;
    assert_non_null(buf);
    assert_non_null(n);
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        n_len = (cases[i].bits + 7) / 8;
        top_bits = cases[i].bits - (n_len - 1) * 8;
        memset(n, 0xff, n_len);
        n[0] = (uint8_t)((1u << top_bits) - 1);
        /* 16392 bits: the wire form is over S2_MPINT_MAX */
        len = build_rsa(buf, bufsz, e, sizeof e, n, n_len);
        if (cases[i].ok) {
            assert_int_equal(parse_copy(buf, len), 0);
        } else {
            assert_rejected(buf, len);
        }
    }
    free(n);
    free(buf);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_keys),
        cmocka_unit_test(test_libssh2_type),
        cmocka_unit_test(test_truncations),
        cmocka_unit_test(test_trailing),
        cmocka_unit_test(test_length_fields),
        cmocka_unit_test(test_size_cap),
        cmocka_unit_test(test_bad_args),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_ed25519_lengths),
        cmocka_unit_test(test_ecdsa_curve_mismatch),
        cmocka_unit_test(test_ecdsa_points),
        cmocka_unit_test(test_rsa_1024),
        cmocka_unit_test(test_rsa_exponent),
        cmocka_unit_test(test_rsa_mpint_form),
        cmocka_unit_test(test_rsa_modulus_bits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
