/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ECDSA signature verification over NIST P-256/384/521 (RFC 5656 3.1.2,
 * SEC1 4.1.4) through mbedTLS. The message is hashed with the hash RFC 5656
 * 6.2.1 pairs with the curve; the public point must be uncompressed and on
 * the curve; r and s must lie in [1, n-1]. Every failure, malformed input
 * included, is LIBSSH2_ERROR_HOSTKEY_SIGN.
 */
#include <mbedtls/ecdsa.h>

#include "crypto/crypto.h"
#include "crypto/crypto_int.h"

/* r and s are at most the order's size (66 bytes for P-521) plus the
 * mpint sign byte; anything longer cannot be below n. */
#define ECDSA_SCALAR_MAX (S2_EC_SECRET_MAX + 1u)

int
s2_ecdsa_point_ok(enum s2_curve curve, const uint8_t *point, size_t point_len)
{
    mbedtls_ecp_group grp;
    mbedtls_ecp_point q;
    int r = LIBSSH2_ERROR_HOSTKEY_INIT;

    if (point == NULL) {
        return r;
    }
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

/* in_order tells whether 1 <= v <= n - 1. */
static int
in_order(const mbedtls_mpi *v, const mbedtls_mpi *n)
{
    return mbedtls_mpi_cmp_int(v, 1) >= 0 && mbedtls_mpi_cmp_mpi(v, n) < 0;
}

int
s2_ecdsa_verify(enum s2_curve curve, const uint8_t *point, size_t point_len, const uint8_t *msg,
                size_t msg_len, const uint8_t *r, size_t r_len, const uint8_t *s, size_t s_len)
{
    mbedtls_ecp_group grp;
    mbedtls_ecp_point q;
    mbedtls_mpi mr;
    mbedtls_mpi ms;
    uint8_t hash[S2_HASH_MAX_LEN];
    enum s2_hash_alg alg = s2_curve_hash(curve);
    int rc = LIBSSH2_ERROR_HOSTKEY_SIGN;

    mbedtls_ecp_group_init(&grp);
    mbedtls_ecp_point_init(&q);
    mbedtls_mpi_init(&mr);
    mbedtls_mpi_init(&ms);
    if (point == NULL || r == NULL || s == NULL || (msg == NULL && msg_len != 0)) {
        goto out;
    }
    if (r_len > ECDSA_SCALAR_MAX || s_len > ECDSA_SCALAR_MAX) {
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
    /* SEC1 4.1.4 step 1: r and s in [1, n-1] (mbedtls_ecdsa_verify checks
     * it as well; checking here does not depend on that) */
    if (!in_order(&mr, &grp.N) || !in_order(&ms, &grp.N)) {
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
