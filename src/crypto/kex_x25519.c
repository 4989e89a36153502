/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * X25519 (RFC 7748) for curve25519-sha256 (RFC 8731), through libsodium.
 * An all-zero shared secret (a small-order peer point) is refused.
 */
#include <sodium.h>

#include "crypto/crypto.h"

int
s2_x25519_keypair(uint8_t priv[32], uint8_t pub[32])
{
    int r = s2_random(priv, 32);
    if (r != 0) {
        return r;
    }
    if (crypto_scalarmult_curve25519_base(pub, priv) != 0) {
        sodium_memzero(priv, 32);
        return LIBSSH2_ERROR_KEX_FAILURE;
    }
    return 0;
}

int
s2_x25519(uint8_t out[32], const uint8_t priv[32], const uint8_t peer[32])
{
    /* libsodium returns -1 when the result is all zero (RFC 7748 6.1) */
    if (crypto_scalarmult_curve25519(out, priv, peer) != 0 || sodium_is_zero(out, 32)) {
        sodium_memzero(out, 32);
        return LIBSSH2_ERROR_KEX_FAILURE;
    }
    return 0;
}
