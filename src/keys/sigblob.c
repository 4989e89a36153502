/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Signature blobs and their verification.
 *   RFC 4253 6.6:  string signature format identifier, string signature blob
 *   ssh-ed25519    RFC 8709 6:    the 64-byte RFC 8032 signature
 *   ecdsa-sha2-*   RFC 5656 3.1.2: string (mpint r, mpint s)
 *   rsa-sha2-256/512 (RFC 8332 3), ssh-rsa (RFC 4253 6.6): the raw
 *                  RSASSA-PKCS1-v1_5 signature, possibly shorter than the
 *                  modulus (s2_rsa_verify pads it, H-03)
 * The identifier must be exactly the negotiated algorithm (K-15), the blob
 * must have nothing trailing (H-09). Every failure is
 * LIBSSH2_ERROR_HOSTKEY_SIGN.
 */
#include <string.h>

#include "keys/keys.h"

/* In preference order, as KEXINIT lists them. */
static const struct s2_sig_alg sig_algs[] = {
    { "ssh-ed25519", S2_KEY_ED25519, S2_HASH_SHA512 },
    { "ecdsa-sha2-nistp256", S2_KEY_ECDSA_P256, S2_HASH_SHA256 },
    { "ecdsa-sha2-nistp384", S2_KEY_ECDSA_P384, S2_HASH_SHA384 },
    { "ecdsa-sha2-nistp521", S2_KEY_ECDSA_P521, S2_HASH_SHA512 },
    { "rsa-sha2-512", S2_KEY_RSA, S2_HASH_SHA512 },
    { "rsa-sha2-256", S2_KEY_RSA, S2_HASH_SHA256 },
    { "ssh-rsa", S2_KEY_RSA, S2_HASH_SHA1 },
};

/* Largest r or s on the wire: the P-521 order is 521 bits, 66 bytes, plus a
 * possible sign byte. Anything longer is >= n and invalid anyway. */
#define ECDSA_SCALAR_MAX (S2_EC_SECRET_MAX + 1u)

const struct s2_sig_alg *
s2_sig_alg_find(const char *name, size_t name_len)
{
    size_t i;
    if (name == NULL) {
        return NULL;
    }
    for (i = 0; i < sizeof sig_algs / sizeof sig_algs[0]; i++) {
        if (strlen(sig_algs[i].name) == name_len &&
            memcmp(sig_algs[i].name, name, name_len) == 0) {
            return &sig_algs[i];
        }
    }
    return NULL;
}

static int
verify_ed25519(const struct s2_pubkey *k, const struct s2_rd *sig, const uint8_t *data,
               size_t data_len)
{
    /* H-04: exactly 64 bytes, never shorter (Go CVE-2020-9283) */
    if (sig->left != 64 || k->ed25519.left != 32) {
        return LIBSSH2_ERROR_HOSTKEY_SIGN;
    }
    return s2_ed25519_verify(k->ed25519.p, data, data_len, sig->p);
}

static int
verify_ecdsa(const struct s2_pubkey *k, enum s2_curve curve, const struct s2_rd *sig,
             const uint8_t *data, size_t data_len)
{
    struct s2_rd in = *sig;
    struct s2_rd r_mag, s_mag;

    s2_rd_mpint(&in, ECDSA_SCALAR_MAX, &r_mag); /* mpint     r */
    s2_rd_mpint(&in, ECDSA_SCALAR_MAX, &s_mag); /* mpint     s */
    if (s2_rd_finish(&in) != 0) {
        return LIBSSH2_ERROR_HOSTKEY_SIGN;
    }
    /* H-05: r = 0 or s = 0 (an empty mpint) never verifies */
    if (r_mag.left == 0 || s_mag.left == 0) {
        return LIBSSH2_ERROR_HOSTKEY_SIGN;
    }
    return s2_ecdsa_verify(curve, k->ec_point.p, k->ec_point.left, data, data_len, r_mag.p,
                           r_mag.left, s_mag.p, s_mag.left);
}

static int
verify_rsa(const struct s2_pubkey *k, enum s2_hash_alg hash, const struct s2_rd *sig,
           const uint8_t *data, size_t data_len)
{
    /* H-03: longer than the modulus fails; shorter is padded by crypto */
    if (sig->left == 0 || sig->left > k->rsa_n.left) {
        return LIBSSH2_ERROR_HOSTKEY_SIGN;
    }
    return s2_rsa_verify(k->rsa_n.p, k->rsa_n.left, k->rsa_e.p, k->rsa_e.left, hash, data,
                         data_len, sig->p, sig->left);
}

int
s2_pubkey_verify(const struct s2_pubkey *k, const struct s2_sig_alg *alg,
                 const uint8_t *sig_blob, size_t sig_len, const uint8_t *data, size_t data_len)
{
    struct s2_rd r;
    struct s2_rd name, sig;
    int rc;

    if (k == NULL || alg == NULL || alg->name == NULL || sig_blob == NULL ||
        (data == NULL && data_len != 0)) {
        return LIBSSH2_ERROR_HOSTKEY_SIGN;
    }
    if (sig_len > S2_SIG_MAX || alg->type != k->type) {
        return LIBSSH2_ERROR_HOSTKEY_SIGN;
    }
    s2_rd_init(&r, sig_blob, sig_len);
    s2_rd_str(&r, S2_NAME_MAX, &name); /* string    signature format identifier */
    s2_rd_str(&r, S2_SIG_MAX, &sig);   /* string    signature blob */
    if (s2_rd_finish(&r) != 0) {
        return LIBSSH2_ERROR_HOSTKEY_SIGN; /* H-09 */
    }
    /* K-15: signed with exactly the negotiated algorithm */
    if (!s2_rd_eq(&name, alg->name)) {
        return LIBSSH2_ERROR_HOSTKEY_SIGN;
    }

    switch (k->type) {
    case S2_KEY_ED25519:
        rc = verify_ed25519(k, &sig, data, data_len);
        break;
    case S2_KEY_ECDSA_P256:
        rc = verify_ecdsa(k, S2_CURVE_P256, &sig, data, data_len);
        break;
    case S2_KEY_ECDSA_P384:
        rc = verify_ecdsa(k, S2_CURVE_P384, &sig, data, data_len);
        break;
    case S2_KEY_ECDSA_P521:
        rc = verify_ecdsa(k, S2_CURVE_P521, &sig, data, data_len);
        break;
    case S2_KEY_RSA:
        rc = verify_rsa(k, alg->hash, &sig, data, data_len);
        break;
    case S2_KEY_UNKNOWN:
    default:
        rc = LIBSSH2_ERROR_HOSTKEY_SIGN;
        break;
    }
    return rc == 0 ? 0 : LIBSSH2_ERROR_HOSTKEY_SIGN;
}
