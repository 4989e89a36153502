/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cipher_aes.c: aes{128,192,256}-ctr (RFC 4344 4) and aes{128,192,256}-cbc
 * (RFC 4253 6.3), in place. The CTR counter block and unused keystream,
 * and the CBC chaining IV, persist across calls, so the transport may
 * decrypt a packet's first block and its rest separately.
 *
 * CTR picks its code once per context, at init (s2_cpu_features()): our
 * VAES kernel (aes_ctr_vaes.c), else our AES-NI kernel (aes_ctr_ni.c),
 * else mbedTLS. Our kernels take whole blocks; this file feeds them and
 * keeps the keystream of a block begun but not finished in c->stream, as
 * mbedTLS does, so every implementation produces the same bytes for any
 * split of the data into calls. CBC always runs on mbedTLS.
 */
#include <string.h>

#include "crypto/crypto_int.h"

int
s2_aes_impl_available(enum s2_aes_impl impl)
{
    unsigned f = s2_cpu_features();
    const unsigned need_vaes = S2_CPU_AESNI | S2_CPU_AVX2 | S2_CPU_VAES;

    switch (impl) {
    case S2_AES_MBEDTLS:
        return 1;
    case S2_AES_NI:
        return (f & S2_CPU_AESNI) != 0;
    case S2_AES_VAES:
        return (f & need_vaes) == need_vaes;
    }
    return 0;
}

const char *
s2_aes_impl_name(enum s2_aes_impl impl)
{
    switch (impl) {
    case S2_AES_MBEDTLS:
        return "mbedtls";
    case S2_AES_NI:
        return "ni";
    case S2_AES_VAES:
        return "vaes";
    }
    return "?";
}

/* keys |c| for |impl|; |dec| asks mbedTLS for the inverse schedule (CBC
 * decryption) */
static int
setup(struct s2_aes_ctx *c, const uint8_t *key, size_t key_len, const uint8_t *iv,
      enum s2_aes_impl impl, int dec)
{
    int r;

    if (key_len != 16 && key_len != 24 && key_len != 32) {
        return LIBSSH2_ERROR_INVAL;
    }
    memset(c, 0, sizeof(*c));
    mbedtls_aes_init(&c->aes);
    if (!s2_aes_impl_available(impl)) {
        return LIBSSH2_ERROR_INVAL;
    }
    c->impl = impl;
    memcpy(c->iv, iv, sizeof(c->iv));
    if (impl != S2_AES_MBEDTLS) {
        c->k.rounds = s2_aes_ni_expand_key(c->k.rk, key, key_len);
        return 0;
    }
    if (dec) {
        r = mbedtls_aes_setkey_dec(&c->aes, key, (unsigned int)(key_len * 8));
    } else {
        r = mbedtls_aes_setkey_enc(&c->aes, key, (unsigned int)(key_len * 8));
    }
    if (r != 0) {
        s2_aes_cleanup(c);
        return LIBSSH2_ERROR_INVAL;
    }
    return 0;
}

int
s2_aes_init_ctr_impl(struct s2_aes_ctx *c, const uint8_t *key, size_t key_len, const uint8_t *iv,
                     enum s2_aes_impl impl)
{
    return setup(c, key, key_len, iv, impl, 0);
}

int
s2_aes_init(struct s2_aes_ctx *c, const uint8_t *key, size_t key_len, const uint8_t *iv, int cbc,
            int encrypt)
{
    enum s2_aes_impl impl = S2_AES_MBEDTLS;
    int r;

    if (!cbc) {
        if (s2_aes_impl_available(S2_AES_VAES)) {
            impl = S2_AES_VAES;
        } else if (s2_aes_impl_available(S2_AES_NI)) {
            impl = S2_AES_NI;
        }
    }
    /* CBC decryption runs the inverse cipher; CTR and CBC encryption the
     * forward one */
    r = setup(c, key, key_len, iv, impl, cbc && !encrypt);
    if (r != 0) {
        return r;
    }
    c->cbc = cbc;
    c->encrypt = encrypt;
    return 0;
}

/* our kernels over |num_blocks| whole blocks */
static void
ctr_blocks(struct s2_aes_ctx *c, uint8_t *buf, size_t num_blocks)
{
    if (c->impl == S2_AES_VAES) {
        s2_aes_ctr_vaes(&c->k, c->iv, buf, num_blocks);
    } else {
        s2_aes_ctr_ni(&c->k, c->iv, buf, num_blocks);
    }
}

/* CTR on our kernels: the rest of a block begun by an earlier call, then
 * whole blocks, then a block begun here whose keystream is kept */
static void
ctr_ours(struct s2_aes_ctx *c, uint8_t *buf, size_t len)
{
    size_t i = 0, whole;

    while (c->nc_off != 0 && i < len) {
        buf[i] ^= c->stream[c->nc_off];
        c->nc_off = (c->nc_off + 1) & 15;
        i++;
    }
    whole = (len - i) / 16;
    if (whole > 0) {
        ctr_blocks(c, buf + i, whole);
        i += 16 * whole;
    }
    if (i < len) {
        memset(c->stream, 0, sizeof(c->stream));
        ctr_blocks(c, c->stream, 1); /* zeros in, the keystream out */
        while (i < len) {
            buf[i] ^= c->stream[c->nc_off];
            c->nc_off++;
            i++;
        }
    }
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
    } else if (c->impl != S2_AES_MBEDTLS) {
        ctr_ours(c, buf, len);
        r = 0;
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
    mbedtls_aes_free(&c->aes); /* zeroises mbedTLS's key schedule */
    s2_wipe(c, sizeof(*c));    /* and ours, the counter and the keystream */
}
