/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Finite-field Diffie-Hellman (RFC 4253 8, RFC 4419, RFC 8268) with mbedTLS
 * bignums: group checks, key generation and the shared secret, with the peer
 * value checked to lie in (1, p-1) (HOSTILE-CASES K-12..K-14).
 */
#include <mbedtls/bignum.h>

#include "crypto/crypto.h"
#include "crypto/crypto_int.h"

#define DH_MAX_BITS 8192u

struct s2_dh {
    mbedtls_mpi p;
    mbedtls_mpi g;
    mbedtls_mpi x;
    mbedtls_mpi e;
};

void
s2_dh_free(const struct s2_allocator *a, struct s2_dh *d)
{
    if (d == NULL) {
        return;
    }
    mbedtls_mpi_free(&d->p);
    mbedtls_mpi_free(&d->g);
    mbedtls_mpi_free(&d->x);
    mbedtls_mpi_free(&d->e);
    s2_free_secret(a, d, sizeof *d);
}

/* in_range tells whether 1 < v < p - 1. */
static int
in_range(const mbedtls_mpi *v, const mbedtls_mpi *p)
{
    mbedtls_mpi pm1;
    int ok;
    mbedtls_mpi_init(&pm1);
    if (mbedtls_mpi_sub_int(&pm1, p, 1) != 0) {
        mbedtls_mpi_free(&pm1);
        return 0;
    }
    ok = mbedtls_mpi_cmp_int(v, 1) > 0 && mbedtls_mpi_cmp_mpi(v, &pm1) < 0;
    mbedtls_mpi_free(&pm1);
    return ok;
}

int
s2_dh_new(const struct s2_allocator *a, const uint8_t *p, size_t p_len, const uint8_t *g,
          size_t g_len, size_t min_bits, size_t priv_bits, struct s2_dh **out)
{
    struct s2_dh *d;
    size_t bits;
    int r = LIBSSH2_ERROR_KEX_FAILURE;

    /* bound the lengths before reading (p may carry an mpint sign byte) */
    if (p == NULL || g == NULL || p_len > DH_MAX_BITS / 8 + 1 || g_len > p_len || priv_bits < 2) {
        return LIBSSH2_ERROR_KEX_FAILURE;
    }
    d = s2_zalloc(a, sizeof *d);
    if (d == NULL) {
        return LIBSSH2_ERROR_ALLOC;
    }
    mbedtls_mpi_init(&d->p);
    mbedtls_mpi_init(&d->g);
    mbedtls_mpi_init(&d->x);
    mbedtls_mpi_init(&d->e);
    if (mbedtls_mpi_read_binary(&d->p, p, p_len) != 0 ||
        mbedtls_mpi_read_binary(&d->g, g, g_len) != 0) {
        goto out;
    }
    bits = mbedtls_mpi_bitlen(&d->p);
    if (bits < min_bits || bits > DH_MAX_BITS || mbedtls_mpi_get_bit(&d->p, 0) != 1 ||
        !in_range(&d->g, &d->p)) {
        goto out;
    }
    if (priv_bits >= bits) {
        priv_bits = bits - 1;
    }
    /* x: priv_bits random bits with the top bit set, so 1 < x < p - 1 */
    if (mbedtls_mpi_fill_random(&d->x, (priv_bits + 7) / 8, s2_mbedtls_rng, NULL) != 0 ||
        mbedtls_mpi_shift_r(&d->x, (priv_bits + 7) / 8 * 8 - priv_bits) != 0 ||
        mbedtls_mpi_set_bit(&d->x, priv_bits - 1, 1) != 0) {
        goto out;
    }
    if (mbedtls_mpi_exp_mod(&d->e, &d->g, &d->x, &d->p, NULL) != 0) {
        goto out;
    }
    *out = d;
    d = NULL;
    r = 0;
out:
    s2_dh_free(a, d);
    return r;
}

static int
write_min(const mbedtls_mpi *v, uint8_t *out, size_t out_max, size_t *out_len)
{
    size_t n = mbedtls_mpi_size(v);
    if (n > out_max || mbedtls_mpi_write_binary(v, out, n) != 0) {
        return LIBSSH2_ERROR_BUFFER_TOO_SMALL;
    }
    *out_len = n;
    return 0;
}

int
s2_dh_public(const struct s2_dh *d, uint8_t *out, size_t out_max, size_t *out_len)
{
    return write_min(&d->e, out, out_max, out_len);
}

int
s2_dh_shared(struct s2_dh *d, const uint8_t *f, size_t f_len, uint8_t *out, size_t out_max,
             size_t *out_len)
{
    mbedtls_mpi fv, k;
    int r = LIBSSH2_ERROR_KEX_FAILURE;
    mbedtls_mpi_init(&fv);
    mbedtls_mpi_init(&k);
    if (f == NULL || f_len > DH_MAX_BITS / 8 + 1 || mbedtls_mpi_read_binary(&fv, f, f_len) != 0 ||
        !in_range(&fv, &d->p)) {
        goto out;
    }
    if (mbedtls_mpi_exp_mod(&k, &fv, &d->x, &d->p, NULL) != 0) {
        goto out;
    }
    /* K = 0 or 1 means f had a tiny order (possible with a composite
     * group-exchange p): refuse rather than derive keys from it */
    if (mbedtls_mpi_cmp_int(&k, 1) <= 0) {
        goto out;
    }
    r = write_min(&k, out, out_max, out_len);
out:
    mbedtls_mpi_free(&fv);
    mbedtls_mpi_free(&k);
    return r;
}
