/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ECDH on NIST P-256/384/521 (RFC 5656 4) through mbedTLS: ephemeral key
 * generation, peer point validation (uncompressed form only, on the curve,
 * not the point at infinity), shared X coordinate. Also the curve helpers
 * the ECDSA code shares.
 */
#include <mbedtls/ecdh.h>
#include <mbedtls/ecp.h>

#include "crypto/crypto.h"
#include "crypto/crypto_int.h"

struct s2_ecdh {
    enum s2_curve curve;
    mbedtls_ecp_group grp;
    mbedtls_mpi d;
    mbedtls_ecp_point q;
};

enum s2_hash_alg
s2_curve_hash(enum s2_curve curve)
{
    switch (curve) {
    case S2_CURVE_P256:
        return S2_HASH_SHA256;
    case S2_CURVE_P384:
        return S2_HASH_SHA384;
    case S2_CURVE_P521:
        return S2_HASH_SHA512;
    default:
        return (enum s2_hash_alg)0; /* not a curve: s2_hash_once refuses it */
    }
}

size_t
s2_curve_bytes(enum s2_curve curve)
{
    switch (curve) {
    case S2_CURVE_P256:
        return 32;
    case S2_CURVE_P384:
        return 48;
    case S2_CURVE_P521:
        return 66;
    default:
        return 0;
    }
}

int
s2_curve_load(mbedtls_ecp_group *grp, enum s2_curve curve)
{
    mbedtls_ecp_group_id id;
    switch (curve) {
    case S2_CURVE_P256:
        id = MBEDTLS_ECP_DP_SECP256R1;
        break;
    case S2_CURVE_P384:
        id = MBEDTLS_ECP_DP_SECP384R1;
        break;
    case S2_CURVE_P521:
        id = MBEDTLS_ECP_DP_SECP521R1;
        break;
    default:
        return LIBSSH2_ERROR_INVAL;
    }
    return mbedtls_ecp_group_load(grp, id) == 0 ? 0 : LIBSSH2_ERROR_ALLOC;
}

int
s2_curve_read_point(const mbedtls_ecp_group *grp, enum s2_curve curve, mbedtls_ecp_point *pt,
                    const uint8_t *p, size_t len)
{
    size_t fb = s2_curve_bytes(curve);
    /* only the uncompressed form 0x04 || X || Y (RFC 5656 3.1, SEC1 2.3.3);
     * this also refuses the one-byte encoding of the point at infinity */
    if (p == NULL || fb == 0 || len != 1 + 2 * fb || p[0] != 0x04) {
        return -1;
    }
    if (mbedtls_ecp_point_read_binary(grp, pt, p, len) != 0) {
        return -1;
    }
    return mbedtls_ecp_check_pubkey(grp, pt) == 0 ? 0 : -1;
}

int
s2_ecdh_new(const struct s2_allocator *a, enum s2_curve curve, struct s2_ecdh **out)
{
    struct s2_ecdh *e = s2_zalloc(a, sizeof *e);
    int r;
    if (e == NULL) {
        return LIBSSH2_ERROR_ALLOC;
    }
    e->curve = curve;
    mbedtls_ecp_group_init(&e->grp);
    mbedtls_mpi_init(&e->d);
    mbedtls_ecp_point_init(&e->q);
    r = s2_curve_load(&e->grp, curve);
    if (r == 0 && mbedtls_ecp_gen_keypair(&e->grp, &e->d, &e->q, s2_mbedtls_rng, NULL) != 0) {
        r = LIBSSH2_ERROR_KEX_FAILURE;
    }
    if (r != 0) {
        s2_ecdh_free(a, e);
        return r;
    }
    *out = e;
    return 0;
}

int
s2_ecdh_public(const struct s2_ecdh *e, uint8_t *out, size_t out_max, size_t *out_len)
{
    size_t n = 0;
    if (mbedtls_ecp_point_write_binary(&e->grp, &e->q, MBEDTLS_ECP_PF_UNCOMPRESSED, &n, out,
                                       out_max) != 0) {
        return LIBSSH2_ERROR_BUFFER_TOO_SMALL;
    }
    *out_len = n;
    return 0;
}

int
s2_ecdh_shared(struct s2_ecdh *e, const uint8_t *peer, size_t peer_len, uint8_t *out,
               size_t out_max, size_t *out_len)
{
    mbedtls_ecp_point qp;
    mbedtls_mpi z;
    size_t n = s2_curve_bytes(e->curve);
    int r = LIBSSH2_ERROR_KEX_FAILURE;

    mbedtls_ecp_point_init(&qp);
    mbedtls_mpi_init(&z);
    if (out == NULL || out_max < n) {
        r = LIBSSH2_ERROR_BUFFER_TOO_SMALL;
        goto out;
    }
    if (s2_curve_read_point(&e->grp, e->curve, &qp, peer, peer_len) != 0) {
        goto out;
    }
    if (mbedtls_ecdh_compute_shared(&e->grp, &z, &qp, &e->d, s2_mbedtls_rng, NULL) != 0) {
        goto out;
    }
    if (mbedtls_mpi_write_binary(&z, out, n) != 0) {
        goto out;
    }
    *out_len = n;
    r = 0;
out:
    mbedtls_ecp_point_free(&qp);
    mbedtls_mpi_free(&z);
    return r;
}

void
s2_ecdh_free(const struct s2_allocator *a, struct s2_ecdh *e)
{
    if (e == NULL) {
        return;
    }
    mbedtls_ecp_group_free(&e->grp);
    mbedtls_mpi_free(&e->d); /* mbedTLS zeroises limbs on free */
    mbedtls_ecp_point_free(&e->q);
    s2_free_secret(a, e, sizeof *e);
}
