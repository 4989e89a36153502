/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Ed25519 signature verification (RFC 8032 5.1.7; ssh-ed25519 per RFC 8709)
 * through libsodium, which also refuses non-canonical S values and
 * small-order public keys. Every failure is LIBSSH2_ERROR_HOSTKEY_SIGN.
 */
#include <sodium.h>

#include "crypto/crypto.h"

int
s2_ed25519_verify(const uint8_t pub[32], const uint8_t *msg, size_t msg_len, const uint8_t sig[64])
{
    if (pub == NULL || sig == NULL || (msg == NULL && msg_len != 0)) {
        return LIBSSH2_ERROR_HOSTKEY_SIGN;
    }
    if (crypto_sign_ed25519_verify_detached(sig, msg, msg_len, pub) != 0) {
        return LIBSSH2_ERROR_HOSTKEY_SIGN;
    }
    return 0;
}
