/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Signature verification for host keys: Ed25519 (RFC 8032, libsodium),
 * ECDSA over NIST P-256/384/521 (RFC 5656 3.1.2, mbedTLS) and RSASSA-PKCS1-v1_5
 * with SHA-1/256/512 (RFC 8017 8.2.2, RFC 8332, mbedTLS). Every failure,
 * malformed input included, is LIBSSH2_ERROR_HOSTKEY_SIGN.
 */
#include <sodium.h>
#include <string.h>

#include <mbedtls/ecdsa.h>
#include <mbedtls/md.h>
#include <mbedtls/rsa.h>

#include "crypto/crypto.h"
#include "crypto/crypto_int.h"

#define RSA_MIN_BITS 2048u
#define RSA_MAX_BITS 16384u

int
s2_ed25519_verify(const uint8_t pub[32], const uint8_t *msg, size_t msg_len,
                  const uint8_t sig[64])
{
    if (crypto_sign_ed25519_verify_detached(sig, msg, msg_len, pub) != 0) {
        return LIBSSH2_ERROR_HOSTKEY_SIGN;
    }
    return 0;
}

int
s2_ecdsa_point_ok(enum s2_curve curve, const uint8_t *point, size_t point_len)
{
    mbedtls_ecp_group grp;
    mbedtls_ecp_point q;
    int r = LIBSSH2_ERROR_HOSTKEY_INIT;
    mbedtls_ecp_group_init(&grp);
    mbedtls_ecp_point_init(&q);
    if (s2_curve_load(&grp, curve) == 0 &&
        s2_curve_read_point(&grp, curve, &q, point, point_len) == 0) {
        r = 0;
    }
    mbedtls_ecp_point_free(&q);
    mbedtls_ecp_group_free(&grp);
    return r;
}

int
s2_ecdsa_verify(enum s2_curve curve, const uint8_t *point, size_t point_len, const uint8_t *msg,
                size_t msg_len, const uint8_t *r, size_t r_len, const uint8_t *s, size_t s_len)
{
    mbedtls_ecp_group grp;
    mbedtls_ecp_point q;
    mbedtls_mpi mr, ms;
    uint8_t hash[S2_HASH_MAX_LEN];
    enum s2_hash_alg alg = s2_curve_hash(curve);
    int rc = LIBSSH2_ERROR_HOSTKEY_SIGN;

    mbedtls_ecp_group_init(&grp);
    mbedtls_ecp_point_init(&q);
    mbedtls_mpi_init(&mr);
    mbedtls_mpi_init(&ms);
    if (r_len > S2_EC_SECRET_MAX + 1 || s_len > S2_EC_SECRET_MAX + 1) {
        goto out;
    }
    if (s2_curve_load(&grp, curve) != 0 ||
        s2_curve_read_point(&grp, curve, &q, point, point_len) != 0) {
        goto out;
    }
    if (mbedtls_mpi_read_binary(&mr, r, r_len) != 0 ||
        mbedtls_mpi_read_binary(&ms, s, s_len) != 0) {
        goto out;
    }
    /* r and s in [1, n-1] (H-05); mbedtls_ecdsa_verify checks it too */
    if (mbedtls_mpi_cmp_int(&mr, 1) < 0 || mbedtls_mpi_cmp_mpi(&mr, &grp.N) >= 0 ||
        mbedtls_mpi_cmp_int(&ms, 1) < 0 || mbedtls_mpi_cmp_mpi(&ms, &grp.N) >= 0) {
        goto out;
    }
    if (s2_hash_once(alg, msg, msg_len, hash) != 0) {
        goto out;
    }
    if (mbedtls_ecdsa_verify(&grp, hash, s2_hash_len(alg), &q, &mr, &ms) == 0) {
        rc = 0;
    }
out:
    mbedtls_ecp_group_free(&grp);
    mbedtls_ecp_point_free(&q);
    mbedtls_mpi_free(&mr);
    mbedtls_mpi_free(&ms);
    return rc;
}

static mbedtls_md_type_t
md_type(enum s2_hash_alg alg)
{
    switch (alg) {
    case S2_HASH_SHA1:
        return MBEDTLS_MD_SHA1;
    case S2_HASH_SHA256:
        return MBEDTLS_MD_SHA256;
    case S2_HASH_SHA512:
        return MBEDTLS_MD_SHA512;
    default:
        return MBEDTLS_MD_NONE;
    }
}

int
s2_rsa_verify(const uint8_t *n, size_t n_len, const uint8_t *e, size_t e_len,
              enum s2_hash_alg hash, const uint8_t *msg, size_t msg_len, const uint8_t *sig,
              size_t sig_len)
{
    mbedtls_rsa_context rsa;
    mbedtls_mpi mn, me;
    uint8_t digest[S2_HASH_MAX_LEN];
    uint8_t padded[RSA_MAX_BITS / 8];
    mbedtls_md_type_t md = md_type(hash);
    size_t bits, k;
    int rc = LIBSSH2_ERROR_HOSTKEY_SIGN;

    mbedtls_rsa_init(&rsa, MBEDTLS_RSA_PKCS_V15, 0);
    mbedtls_mpi_init(&mn);
    mbedtls_mpi_init(&me);
    if (md == MBEDTLS_MD_NONE || n_len > RSA_MAX_BITS / 8 + 1 || e_len > 64) {
        goto out;
    }
    if (mbedtls_mpi_read_binary(&mn, n, n_len) != 0 ||
        mbedtls_mpi_read_binary(&me, e, e_len) != 0) {
        goto out;
    }
    bits = mbedtls_mpi_bitlen(&mn);
    if (bits < RSA_MIN_BITS || bits > RSA_MAX_BITS || mbedtls_mpi_get_bit(&me, 0) != 1 ||
        mbedtls_mpi_cmp_int(&me, 1) <= 0) {
        goto out;
    }
    k = mbedtls_mpi_size(&mn);
    /* a signature shorter than the modulus had leading zeros stripped: pad
     * it back, as OpenSSH does (H-03); a longer one is invalid */
    if (sig_len > k || sig_len == 0) {
        goto out;
    }
    memset(padded, 0, k - sig_len);
    memcpy(padded + (k - sig_len), sig, sig_len);
    if (mbedtls_rsa_import(&rsa, &mn, NULL, NULL, NULL, &me) != 0 ||
        mbedtls_rsa_complete(&rsa) != 0 || mbedtls_rsa_check_pubkey(&rsa) != 0) {
        goto out;
    }
    if (s2_hash_once(hash, msg, msg_len, digest) != 0) {
        goto out;
    }
    if (mbedtls_rsa_pkcs1_verify(&rsa, NULL, NULL, MBEDTLS_RSA_PUBLIC, md,
                                 (unsigned int)s2_hash_len(hash), digest, padded) == 0) {
        rc = 0;
    }
out:
    mbedtls_rsa_free(&rsa);
    mbedtls_mpi_free(&mn);
    mbedtls_mpi_free(&me);
    return rc;
}
