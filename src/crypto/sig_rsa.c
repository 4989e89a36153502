/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * RSASSA-PKCS1-v1_5 signature verification (RFC 8017 8.2.2) with SHA-1,
 * SHA-256 and SHA-512 (ssh-rsa, rsa-sha2-256, rsa-sha2-512; RFC 4253 6.6,
 * RFC 8332) through mbedTLS. Policy: 2048 <= bits(n) <= 16384, e odd and
 * > 1. A signature shorter than the modulus had its leading zero bytes
 * stripped by the signer and is left-padded back (as OpenSSH accepts); a
 * longer one is invalid. Every failure is LIBSSH2_ERROR_HOSTKEY_SIGN.
 *
 * mbedTLS 2.28 (MBEDTLS_MPI_MAX_SIZE 1024) refuses moduli above 8192 bits,
 * so keys of 8193..16384 bits pass the policy but fail verification.
 * mbedTLS bignums allocate with libc calloc, not the session allocator.
 */
#include <sodium.h>
#include <string.h>

#include <mbedtls/bignum.h>
#include <mbedtls/md.h>
#include <mbedtls/rsa.h>

#include "crypto/crypto.h"
#include "crypto/crypto_int.h"

#define RSA_MIN_BITS    2048u
#define RSA_MAX_BITS    16384u
#define RSA_E_MAX_BYTES 64u /* far above any real exponent; bounds the read */

int
s2_rsa_verify(const uint8_t *n, size_t n_len, const uint8_t *e, size_t e_len, enum s2_hash_alg hash,
              const uint8_t *msg, size_t msg_len, const uint8_t *sig, size_t sig_len)
{
    mbedtls_rsa_context rsa;
    mbedtls_mpi mn;
    mbedtls_mpi me;
    uint8_t digest[S2_HASH_MAX_LEN];
    uint8_t padded[RSA_MAX_BITS / 8];
    mbedtls_md_type_t md = s2_md_type(hash);
    size_t bits;
    size_t k;
    int rc = LIBSSH2_ERROR_HOSTKEY_SIGN;

    mbedtls_rsa_init(&rsa, MBEDTLS_RSA_PKCS_V15, 0);
    mbedtls_mpi_init(&mn);
    mbedtls_mpi_init(&me);
    if (n == NULL || e == NULL || sig == NULL || (msg == NULL && msg_len != 0)) {
        goto out;
    }
    /* bound the untrusted lengths before reading: n may carry the mpint
     * sign byte */
    if (md == MBEDTLS_MD_NONE || n_len > RSA_MAX_BITS / 8 + 1 || e_len > RSA_E_MAX_BYTES) {
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
    /* k: the modulus length in octets (RFC 8017 8.2.2 step 1) */
    k = mbedtls_mpi_size(&mn);
    if (sig_len == 0 || sig_len > k) {
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
    /* RSAVP1, then EMSA-PKCS1-v1_5 encoding of the digest and comparison
     * (RFC 8017 8.2.2 steps 2-4) */
    if (mbedtls_rsa_pkcs1_verify(&rsa, NULL, NULL, MBEDTLS_RSA_PUBLIC, md,
                                 (unsigned int)s2_hash_len(hash), digest, padded) == 0) {
        rc = 0;
    }
out:
    sodium_memzero(digest, sizeof digest);
    mbedtls_rsa_free(&rsa);
    mbedtls_mpi_free(&mn);
    mbedtls_mpi_free(&me);
    return rc;
}
