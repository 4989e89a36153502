/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cipher_aes.c: aes{128,192,256}-ctr (RFC 4344 4) and aes{128,192,256}-cbc
 * (RFC 4253 6.3) over mbedTLS, in place. The CTR counter block and unused
 * keystream, and the CBC chaining IV, persist across calls, so the
 * transport may decrypt a packet's first block and its rest separately.
 */
#include <string.h>

#include "crypto/crypto_int.h"

int
s2_aes_init(struct s2_aes_ctx *c, const uint8_t *key, size_t key_len, const uint8_t *iv,
            int cbc, int encrypt)
{
    int r;

    if (key_len != 16 && key_len != 24 && key_len != 32) {
        return LIBSSH2_ERROR_INVAL;
    }
    memset(c, 0, sizeof(*c));
    mbedtls_aes_init(&c->aes);
    c->cbc = cbc;
    c->encrypt = encrypt;
    /* CTR only ever runs the forward cipher; CBC decryption the inverse. */
    if (cbc && !encrypt) {
        r = mbedtls_aes_setkey_dec(&c->aes, key, (unsigned int)(key_len * 8));
    } else {
        r = mbedtls_aes_setkey_enc(&c->aes, key, (unsigned int)(key_len * 8));
    }
    if (r != 0) {
        s2_aes_cleanup(c);
        return LIBSSH2_ERROR_INVAL;
    }
    memcpy(c->iv, iv, sizeof(c->iv));
    return 0;
}

int
s2_aes_crypt(struct s2_aes_ctx *c, uint8_t *buf, size_t len)
{
    int r;

    if (len == 0) {
        return 0;
    }
    if (c->cbc) {
        if (len % 16 != 0) {
            return LIBSSH2_ERROR_INVAL;
        }
        r = mbedtls_aes_crypt_cbc(&c->aes, c->encrypt ? MBEDTLS_AES_ENCRYPT : MBEDTLS_AES_DECRYPT,
                                  len, c->iv, buf, buf);
    } else {
        r = mbedtls_aes_crypt_ctr(&c->aes, len, &c->nc_off, c->iv, c->stream, buf, buf);
    }
    if (r != 0) {
        return c->encrypt ? LIBSSH2_ERROR_ENCRYPT : LIBSSH2_ERROR_DECRYPT;
    }
    return 0;
}

void
s2_aes_cleanup(struct s2_aes_ctx *c)
{
    mbedtls_aes_free(&c->aes); /* zeroises the key schedule */
    s2_wipe(c, sizeof(*c));
}
