/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sign.c: private keys and signing for user authentication.
 *   Ed25519     RFC 8032 5.1.6 through libsodium (seed || public secret key)
 *   RSA         RSASSA-PKCS1-v1_5, RFC 8017 8.2.1, with SHA-1 / SHA-256 /
 *               SHA-512 (ssh-rsa, rsa-sha2-256, rsa-sha2-512; RFC 8332)
 *   ECDSA       NIST P-256/384/521 with the RFC 5656 6.2.1 hash and the
 *               deterministic nonce of RFC 6979 (mbedtls_ecdsa_sign_det_ext)
 * struct s2_pk is the one private key object; the key-file parsers in
 * src/keys build it through the import functions, which check that the key
 * is consistent before anything is signed with it. mbedTLS bignums allocate
 * with libc, not the session allocator (DESIGN.md "Memory").
 */
#include <string.h>

#include <sodium.h>

#include <mbedtls/bignum.h>
#include <mbedtls/ecdsa.h>
#include <mbedtls/md.h>
#include <mbedtls/rsa.h>

#include "crypto/crypto.h"
#include "crypto/crypto_int.h"

#define RSA_MIN_BITS 1024u
#define RSA_MAX_BITS 8192u /* MBEDTLS_MPI_MAX_SIZE */

struct s2_pk {
    enum s2_pk_kind kind;
    enum s2_curve curve;     /* ECDSA */
    uint8_t ed_sk[64];       /* Ed25519: seed || public */
    mbedtls_rsa_context rsa; /* RSA */
    mbedtls_ecp_keypair ec;  /* ECDSA: grp, d, Q */
};

int
s2_ed25519_seed_keypair(const uint8_t seed[32], uint8_t pub[32], uint8_t sk[64])
{
    if (seed == NULL || pub == NULL || sk == NULL) {
        return LIBSSH2_ERROR_INVAL;
    }
    if (crypto_sign_ed25519_seed_keypair(pub, sk, seed) != 0) {
        return LIBSSH2_ERROR_INVAL;
    }
    return 0;
}

int
s2_ed25519_sign(const uint8_t sk[64], const uint8_t *msg, size_t msg_len, uint8_t sig[64])
{
    if (sk == NULL || sig == NULL || (msg == NULL && msg_len != 0)) {
        return LIBSSH2_ERROR_INVAL;
    }
    if (crypto_sign_ed25519_detached(sig, NULL, msg, msg_len, sk) != 0) {
        return LIBSSH2_ERROR_INVAL;
    }
    return 0;
}

/* pk_new allocates an empty key of |kind| with its mbedTLS parts set up. */
static struct s2_pk *
pk_new(const struct s2_allocator *a, enum s2_pk_kind kind)
{
    struct s2_pk *k = s2_zalloc(a, sizeof *k);

    if (k == NULL) {
        return NULL;
    }
    k->kind = kind;
    mbedtls_rsa_init(&k->rsa, MBEDTLS_RSA_PKCS_V15, 0);
    mbedtls_ecp_keypair_init(&k->ec);
    return k;
}

void
s2_pk_free(const struct s2_allocator *a, struct s2_pk *k)
{
    if (k == NULL) {
        return;
    }
    mbedtls_rsa_free(&k->rsa); /* zeroizes its numbers */
    mbedtls_ecp_keypair_free(&k->ec);
    s2_free_secret(a, k, sizeof *k);
}

enum s2_pk_kind
s2_pk_kind(const struct s2_pk *k)
{
    return k->kind;
}

enum s2_curve
s2_pk_curve(const struct s2_pk *k)
{
    return k->curve;
}

int
s2_pk_ed25519_import(const struct s2_allocator *a, const uint8_t seed[32], const uint8_t *pub,
                     struct s2_pk **out)
{
    struct s2_pk *k = NULL;
    uint8_t derived[32];
    int rc;

    *out = NULL;
    k = pk_new(a, S2_PK_ED25519);
    if (k == NULL) {
        return LIBSSH2_ERROR_ALLOC;
    }
    rc = s2_ed25519_seed_keypair(seed, derived, k->ed_sk);
    if (rc != 0) {
        rc = LIBSSH2_ERROR_FILE;
        goto out;
    }
    /* the public half stored beside the seed must be the one it derives */
    if (pub != NULL && !s2_ct_eq(derived, pub, sizeof derived)) {
        rc = LIBSSH2_ERROR_FILE;
        goto out;
    }
    *out = k;
    k = NULL;
out:
    s2_pk_free(a, k);
    return rc;
}

int
s2_pk_rsa_import(const struct s2_allocator *a, const uint8_t *n, size_t n_len, const uint8_t *e,
                 size_t e_len, const uint8_t *d, size_t d_len, const uint8_t *iqmp, size_t iqmp_len,
                 const uint8_t *p, size_t p_len, const uint8_t *q, size_t q_len, struct s2_pk **out)
{
    struct s2_pk *k = NULL;
    mbedtls_mpi qp;
    mbedtls_mpi given;
    size_t bits;
    int rc = LIBSSH2_ERROR_FILE;

    *out = NULL;
    mbedtls_mpi_init(&qp);
    mbedtls_mpi_init(&given);
    if (n == NULL || e == NULL || d == NULL || p == NULL || q == NULL ||
        n_len > RSA_MAX_BITS / 8 + 1 || e_len > 64 || d_len > RSA_MAX_BITS / 8 + 1 ||
        p_len > RSA_MAX_BITS / 8 || q_len > RSA_MAX_BITS / 8 || iqmp_len > RSA_MAX_BITS / 8) {
        goto out;
    }
    k = pk_new(a, S2_PK_RSA);
    if (k == NULL) {
        rc = LIBSSH2_ERROR_ALLOC;
        goto out;
    }
    if (mbedtls_rsa_import_raw(&k->rsa, n, n_len, p, p_len, q, q_len, d, d_len, e, e_len) != 0 ||
        mbedtls_rsa_complete(&k->rsa) != 0) {
        goto out;
    }
    bits = mbedtls_rsa_get_len(&k->rsa) * 8u;
    if (bits < RSA_MIN_BITS || bits > RSA_MAX_BITS) {
        goto out;
    }
    /* n = p * q, d * e = 1 mod lambda(n), and the CRT values agree */
    if (mbedtls_rsa_check_privkey(&k->rsa) != 0) {
        goto out;
    }
    if (iqmp != NULL) {
        if (mbedtls_rsa_export_crt(&k->rsa, NULL, NULL, &qp) != 0 ||
            mbedtls_mpi_read_binary(&given, iqmp, iqmp_len) != 0 ||
            mbedtls_mpi_cmp_mpi(&qp, &given) != 0) {
            goto out;
        }
    }
    *out = k;
    k = NULL;
    rc = 0;
out:
    mbedtls_mpi_free(&qp);
    mbedtls_mpi_free(&given);
    s2_pk_free(a, k);
    return rc;
}

int
s2_pk_ecdsa_import(const struct s2_allocator *a, enum s2_curve curve, const uint8_t *d,
                   size_t d_len, const uint8_t *point, size_t point_len, struct s2_pk **out)
{
    struct s2_pk *k = NULL;
    mbedtls_ecp_point given;
    int rc = LIBSSH2_ERROR_FILE;

    *out = NULL;
    mbedtls_ecp_point_init(&given);
    if (d == NULL || d_len == 0 || d_len > S2_EC_SECRET_MAX + 1u) {
        goto out;
    }
    k = pk_new(a, S2_PK_ECDSA);
    if (k == NULL) {
        rc = LIBSSH2_ERROR_ALLOC;
        goto out;
    }
    k->curve = curve;
    if (s2_curve_load(&k->ec.grp, curve) != 0) {
        rc = LIBSSH2_ERROR_ALLOC;
        goto out;
    }
    /* 1 <= d <= n - 1 */
    if (mbedtls_mpi_read_binary(&k->ec.d, d, d_len) != 0 ||
        mbedtls_ecp_check_privkey(&k->ec.grp, &k->ec.d) != 0) {
        goto out;
    }
    if (mbedtls_ecp_mul(&k->ec.grp, &k->ec.Q, &k->ec.d, &k->ec.grp.G, s2_mbedtls_rng, NULL) != 0) {
        goto out;
    }
    if (point != NULL) {
        if (s2_curve_read_point(&k->ec.grp, curve, &given, point, point_len) != 0 ||
            mbedtls_ecp_point_cmp(&given, &k->ec.Q) != 0) {
            goto out;
        }
    }
    *out = k;
    k = NULL;
    rc = 0;
out:
    mbedtls_ecp_point_free(&given);
    s2_pk_free(a, k);
    return rc;
}

int
s2_pk_ed25519_public(const struct s2_pk *k, uint8_t pub[32])
{
    if (k == NULL || k->kind != S2_PK_ED25519 || pub == NULL) {
        return LIBSSH2_ERROR_INVAL;
    }
    memcpy(pub, k->ed_sk + 32, 32);
    return 0;
}

int
s2_pk_ecdsa_public(const struct s2_pk *k, uint8_t *out, size_t out_max, size_t *out_len)
{
    size_t olen = 0;

    if (k == NULL || k->kind != S2_PK_ECDSA || out == NULL || out_len == NULL) {
        return LIBSSH2_ERROR_INVAL;
    }
    if (mbedtls_ecp_point_write_binary(&k->ec.grp, &k->ec.Q, MBEDTLS_ECP_PF_UNCOMPRESSED, &olen,
                                       out, out_max) != 0) {
        return LIBSSH2_ERROR_BUFFER_TOO_SMALL;
    }
    *out_len = olen;
    return 0;
}

/* write_mpi writes |v| as a minimal unsigned big-endian number. */
static int
write_mpi(const mbedtls_mpi *v, uint8_t *out, size_t out_max, size_t *out_len)
{
    size_t n = mbedtls_mpi_size(v);

    if (n > out_max) {
        return LIBSSH2_ERROR_BUFFER_TOO_SMALL;
    }
    if (mbedtls_mpi_write_binary(v, out, n) != 0) {
        return LIBSSH2_ERROR_BUFFER_TOO_SMALL;
    }
    *out_len = n;
    return 0;
}

int
s2_pk_rsa_public(const struct s2_pk *k, uint8_t *e, size_t e_max, size_t *e_len, uint8_t *n,
                 size_t n_max, size_t *n_len)
{
    mbedtls_mpi mn;
    mbedtls_mpi me;
    int rc;

    if (k == NULL || k->kind != S2_PK_RSA || e == NULL || e_len == NULL || n == NULL ||
        n_len == NULL) {
        return LIBSSH2_ERROR_INVAL;
    }
    mbedtls_mpi_init(&mn);
    mbedtls_mpi_init(&me);
    rc = LIBSSH2_ERROR_INVAL;
    if (mbedtls_rsa_export(&k->rsa, &mn, NULL, NULL, NULL, &me) == 0) {
        rc = write_mpi(&me, e, e_max, e_len);
        if (rc == 0) {
            rc = write_mpi(&mn, n, n_max, n_len);
        }
    }
    mbedtls_mpi_free(&mn);
    mbedtls_mpi_free(&me);
    return rc;
}

int
s2_pk_ed25519_sign(const struct s2_pk *k, const uint8_t *msg, size_t msg_len, uint8_t sig[64])
{
    if (k == NULL || k->kind != S2_PK_ED25519) {
        return LIBSSH2_ERROR_INVAL;
    }
    return s2_ed25519_sign(k->ed_sk, msg, msg_len, sig);
}

int
s2_pk_rsa_sign(const struct s2_pk *k, enum s2_hash_alg hash, const uint8_t *msg, size_t msg_len,
               uint8_t *sig, size_t sig_max, size_t *sig_len)
{
    uint8_t digest[S2_HASH_MAX_LEN];
    mbedtls_md_type_t md = s2_md_type(hash);
    size_t klen;
    int rc;

    if (k == NULL || k->kind != S2_PK_RSA || sig == NULL || sig_len == NULL ||
        (msg == NULL && msg_len != 0) || md == MBEDTLS_MD_NONE || hash == S2_HASH_SHA384) {
        return LIBSSH2_ERROR_INVAL;
    }
    klen = mbedtls_rsa_get_len(&k->rsa);
    if (sig_max < klen) {
        return LIBSSH2_ERROR_BUFFER_TOO_SMALL;
    }
    rc = s2_hash_once(hash, msg, msg_len, digest);
    if (rc != 0) {
        return rc;
    }
    /* the context is only read, but mbedTLS 2.28 takes it non-const (it
     * updates its blinding values) */
    if (mbedtls_rsa_pkcs1_sign((mbedtls_rsa_context *)&k->rsa, s2_mbedtls_rng, NULL,
                               MBEDTLS_RSA_PRIVATE, md, (unsigned int)s2_hash_len(hash), digest,
                               sig) != 0) {
        rc = LIBSSH2_ERROR_PUBLICKEY_UNVERIFIED;
    } else {
        *sig_len = klen;
    }
    sodium_memzero(digest, sizeof digest);
    return rc;
}

int
s2_pk_ecdsa_sign(const struct s2_pk *k, const uint8_t *msg, size_t msg_len, uint8_t *r,
                 size_t *r_len, uint8_t *s, size_t *s_len)
{
    uint8_t digest[S2_HASH_MAX_LEN];
    enum s2_hash_alg alg;
    mbedtls_ecp_group grp;
    mbedtls_mpi mr;
    mbedtls_mpi ms;
    int rc;

    if (k == NULL || k->kind != S2_PK_ECDSA || r == NULL || r_len == NULL || s == NULL ||
        s_len == NULL || (msg == NULL && msg_len != 0)) {
        return LIBSSH2_ERROR_INVAL;
    }
    alg = s2_curve_hash(k->curve);
    rc = s2_hash_once(alg, msg, msg_len, digest);
    if (rc != 0) {
        return rc;
    }
    mbedtls_ecp_group_init(&grp);
    mbedtls_mpi_init(&mr);
    mbedtls_mpi_init(&ms);
    rc = LIBSSH2_ERROR_PUBLICKEY_UNVERIFIED;
    /* sign_det_ext takes the group non-const (it caches tables): use a copy */
    if (mbedtls_ecp_group_copy(&grp, &k->ec.grp) != 0) {
        rc = LIBSSH2_ERROR_ALLOC;
        goto out;
    }
    if (mbedtls_ecdsa_sign_det_ext(&grp, &mr, &ms, &k->ec.d, digest, s2_hash_len(alg), s2_md_type(alg),
                                   s2_mbedtls_rng, NULL) != 0) {
        goto out;
    }
    if (write_mpi(&mr, r, S2_EC_SECRET_MAX, r_len) != 0 ||
        write_mpi(&ms, s, S2_EC_SECRET_MAX, s_len) != 0) {
        goto out;
    }
    rc = 0;
out:
    sodium_memzero(digest, sizeof digest);
    mbedtls_ecp_group_free(&grp);
    mbedtls_mpi_free(&mr);
    mbedtls_mpi_free(&ms);
    return rc;
}
