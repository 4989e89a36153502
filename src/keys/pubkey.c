/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Public key blobs: the parser for the three host key formats we accept.
 *   ssh-rsa              RFC 4253 6.6:  string "ssh-rsa", mpint e, mpint n
 *   ssh-ed25519          RFC 8709 4:    string "ssh-ed25519", string key (32 bytes)
 *   ecdsa-sha2-nistpXXX  RFC 5656 3.1:  string name, string curve id, string Q
 * The parser is pure: it fills a local struct, checks that nothing trails,
 * applies the key policy (HOSTILE-CASES H-02, H-04, H-05, H-11) and only then
 * hands the result out. Every failure is LIBSSH2_ERROR_HOSTKEY_INIT.
 */
#include <string.h>

#include "keys/keys.h"

/* RSA policy (H-02), counted on the modulus magnitude. */
#define RSA_MIN_BITS 2048u
#define RSA_MAX_BITS 16384u

struct key_name {
    const char *name;     /* key type name in the blob */
    enum s2_key_type type;
    const char *curve_id; /* RFC 5656 6.1 curve identifier, NULL if not ECDSA */
    size_t point_len;     /* uncompressed point length 1 + 2 * field bytes */
    enum s2_curve curve;  /* meaningful only with a curve_id */
};

static const struct key_name key_names[] = {
    { "ssh-ed25519", S2_KEY_ED25519, NULL, 0, S2_CURVE_P256 },
    { "ecdsa-sha2-nistp256", S2_KEY_ECDSA_P256, "nistp256", 65, S2_CURVE_P256 },
    { "ecdsa-sha2-nistp384", S2_KEY_ECDSA_P384, "nistp384", 97, S2_CURVE_P384 },
    { "ecdsa-sha2-nistp521", S2_KEY_ECDSA_P521, "nistp521", 133, S2_CURVE_P521 },
    { "ssh-rsa", S2_KEY_RSA, NULL, 0, S2_CURVE_P256 },
};

static const struct key_name *
find_key_name(const struct s2_rd *name)
{
    size_t i;
    for (i = 0; i < sizeof key_names / sizeof key_names[0]; i++) {
        if (s2_rd_eq(name, key_names[i].name)) {
            return &key_names[i];
        }
    }
    return NULL;
}

/* mag_bits counts the significant bits of an unsigned big-endian magnitude
 * as s2_rd_mpint() leaves it (no sign byte, so a non-zero first byte). */
static size_t
mag_bits(const struct s2_rd *mag)
{
    struct s2_rd v = *mag;
    size_t n = v.left;
    uint8_t top;
    size_t bits = 0;

    if (n == 0) {
        return 0;
    }
    top = s2_rd_u8(&v);
    while (top != 0) {
        bits++;
        top = (uint8_t)(top >> 1);
    }
    return (n - 1) * 8u + bits;
}

/* mag_is_odd tells whether the magnitude's lowest bit is set. */
static int
mag_is_odd(const struct s2_rd *mag)
{
    struct s2_rd v = *mag;
    if (v.left == 0) {
        return 0;
    }
    s2_rd_skip(&v, v.left - 1);
    return (s2_rd_u8(&v) & 1u) != 0;
}

/* rsa_policy: 2048 <= bits(n) <= 16384, e odd and > 1, e shorter than or as
 * long as n (every valid key has e < n; this bounds verification work). */
static int
rsa_policy(const struct s2_pubkey *k)
{
    size_t nbits = mag_bits(&k->rsa_n);
    size_t ebits = mag_bits(&k->rsa_e);

    if (nbits < RSA_MIN_BITS || nbits > RSA_MAX_BITS) {
        return LIBSSH2_ERROR_HOSTKEY_INIT;
    }
    if (ebits < 2 || !mag_is_odd(&k->rsa_e) || k->rsa_e.left > k->rsa_n.left) {
        return LIBSSH2_ERROR_HOSTKEY_INIT;
    }
    return 0;
}

int
s2_pubkey_parse(const uint8_t *blob, size_t blob_len, struct s2_pubkey *out)
{
    struct s2_rd r;
    struct s2_rd curve_id;
    struct s2_pubkey k;
    const struct key_name *kn = NULL;

    if (out == NULL) {
        return LIBSSH2_ERROR_HOSTKEY_INIT;
    }
    memset(out, 0, sizeof *out);
    /* H-11: the size cap comes before any parsing */
    if (blob == NULL || blob_len > S2_HOSTKEY_MAX) {
        return LIBSSH2_ERROR_HOSTKEY_INIT;
    }
    memset(&k, 0, sizeof k);
    s2_rd_init(&r, blob, blob_len);

    s2_rd_str(&r, S2_NAME_MAX, &k.name); /* string    key type name */
    if (s2_rd_ok(&r) != 0) {
        return LIBSSH2_ERROR_HOSTKEY_INIT;
    }
    kn = find_key_name(&k.name);
    if (kn == NULL) {
        return LIBSSH2_ERROR_HOSTKEY_INIT;
    }
    k.type = kn->type;

    switch (kn->type) {
    case S2_KEY_ED25519:
        s2_rd_str(&r, 32, &k.ed25519); /* string    ENC(A), 32 bytes (RFC 8709 4) */
        if (s2_rd_ok(&r) != 0 || k.ed25519.left != 32) {
            return LIBSSH2_ERROR_HOSTKEY_INIT; /* H-04 */
        }
        break;
    case S2_KEY_ECDSA_P256:
    case S2_KEY_ECDSA_P384:
    case S2_KEY_ECDSA_P521:
        s2_rd_str(&r, S2_NAME_MAX, &curve_id);       /* string    [identifier] */
        s2_rd_str(&r, S2_EC_POINT_MAX, &k.ec_point); /* string    Q */
        if (s2_rd_ok(&r) != 0) {
            return LIBSSH2_ERROR_HOSTKEY_INIT;
        }
        /* H-05: the curve in the blob must be the one its name says */
        if (!s2_rd_eq(&curve_id, kn->curve_id) || k.ec_point.left != kn->point_len) {
            return LIBSSH2_ERROR_HOSTKEY_INIT;
        }
        break;
    case S2_KEY_RSA:
        s2_rd_mpint(&r, S2_MPINT_MAX, &k.rsa_e); /* mpint     e */
        s2_rd_mpint(&r, S2_MPINT_MAX, &k.rsa_n); /* mpint     n */
        if (s2_rd_ok(&r) != 0) {
            return LIBSSH2_ERROR_HOSTKEY_INIT;
        }
        break;
    case S2_KEY_UNKNOWN:
    default:
        return LIBSSH2_ERROR_HOSTKEY_INIT;
    }
    if (s2_rd_finish(&r) != 0) {
        return LIBSSH2_ERROR_HOSTKEY_INIT; /* trailing bytes */
    }

    /* policy, on a completely parsed blob */
    if (kn->type == S2_KEY_RSA) {
        if (rsa_policy(&k) != 0) {
            return LIBSSH2_ERROR_HOSTKEY_INIT;
        }
    } else if (kn->curve_id != NULL) {
        if (s2_ecdsa_point_ok(kn->curve, k.ec_point.p, k.ec_point.left) != 0) {
            return LIBSSH2_ERROR_HOSTKEY_INIT;
        }
    }
    *out = k;
    return 0;
}

int
s2_pubkey_libssh2_type(const struct s2_pubkey *k)
{
    if (k == NULL) {
        return LIBSSH2_HOSTKEY_TYPE_UNKNOWN;
    }
    switch (k->type) {
    case S2_KEY_RSA:
        return LIBSSH2_HOSTKEY_TYPE_RSA;
    case S2_KEY_ED25519:
        return LIBSSH2_HOSTKEY_TYPE_ED25519;
    case S2_KEY_ECDSA_P256:
        return LIBSSH2_HOSTKEY_TYPE_ECDSA_256;
    case S2_KEY_ECDSA_P384:
        return LIBSSH2_HOSTKEY_TYPE_ECDSA_384;
    case S2_KEY_ECDSA_P521:
        return LIBSSH2_HOSTKEY_TYPE_ECDSA_521;
    case S2_KEY_UNKNOWN:
    default:
        return LIBSSH2_HOSTKEY_TYPE_UNKNOWN;
    }
}
