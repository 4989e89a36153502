/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cipher_gcm.c: aes128-gcm@openssh.com and aes256-gcm@openssh.com, i.e.
 * RFC 5647 section 7 as OpenSSH negotiates it. The 12-byte nonce is a 4-byte
 * fixed field followed by an 8-byte big-endian invocation counter, taken
 * from the derived IV and incremented after every packet (RFC 5647 7.1).
 * The 4-byte packet_length is sent in the clear and authenticated as AAD
 * (7.3); pkt[4..len) is encrypted; the tag is 16 bytes.
 *
 * AES-256 uses libsodium's AES-NI implementation when the CPU has it, with
 * the key schedule and GHASH key precomputed once (beforenm); everything
 * else uses mbedTLS. Neither path allocates per packet.
 */
#include <string.h>

#include "crypto/crypto_int.h"

#define GCM_TAG_LEN 16u
#define GCM_IV_LEN 12u

int
s2_gcm_init(struct s2_gcm_ctx *g, const uint8_t *key, size_t key_len, const uint8_t *iv,
            int allow_sodium)
{
    uintptr_t addr;

    if (key_len != 16 && key_len != 32) {
        return LIBSSH2_ERROR_INVAL;
    }
    memset(g, 0, sizeof(*g));
    mbedtls_gcm_init(&g->mg);
    memcpy(g->iv, iv, GCM_IV_LEN);
    if (allow_sodium && key_len == crypto_aead_aes256gcm_KEYBYTES &&
        crypto_aead_aes256gcm_is_available()) {
        /* libsodium's state wants 16-byte alignment; the allocator may not. */
        addr = (uintptr_t)g->sst_buf;
        g->sst = g->sst_buf + ((16u - (addr & 15u)) & 15u);
        if (crypto_aead_aes256gcm_beforenm((crypto_aead_aes256gcm_state *)(void *)g->sst,
                                           key) != 0) {
            s2_gcm_cleanup(g);
            return LIBSSH2_ERROR_INVAL;
        }
        g->use_sodium = 1;
        return 0;
    }
    if (mbedtls_gcm_setkey(&g->mg, MBEDTLS_CIPHER_ID_AES, key, (unsigned int)(key_len * 8)) !=
        0) {
        s2_gcm_cleanup(g);
        return LIBSSH2_ERROR_INVAL;
    }
    return 0;
}

/* RFC 5647 7.1: invocation_counter += 1, as a 64-bit big-endian integer. */
static void
next_iv(struct s2_gcm_ctx *g)
{
    size_t i = GCM_IV_LEN;

    while (i > 4) {
        i--;
        g->iv[i]++;
        if (g->iv[i] != 0) {
            break;
        }
    }
}

int
s2_gcm_seal(struct s2_gcm_ctx *g, uint8_t *pkt, size_t len, uint8_t *tag)
{
    const crypto_aead_aes256gcm_state *st;
    int r;

    if (len < 4) {
        return LIBSSH2_ERROR_INVAL;
    }
    if (g->use_sodium) {
        st = (const crypto_aead_aes256gcm_state *)(const void *)g->sst;
        r = crypto_aead_aes256gcm_encrypt_detached_afternm(pkt + 4, tag, NULL, pkt + 4, len - 4,
                                                           pkt, 4, NULL, g->iv, st);
    } else {
        r = mbedtls_gcm_crypt_and_tag(&g->mg, MBEDTLS_GCM_ENCRYPT, len - 4, g->iv, GCM_IV_LEN,
                                      pkt, 4, pkt + 4, pkt + 4, GCM_TAG_LEN, tag);
    }
    if (r != 0) {
        return LIBSSH2_ERROR_ENCRYPT;
    }
    next_iv(g);
    return 0;
}

int
s2_gcm_open(struct s2_gcm_ctx *g, uint8_t *pkt, size_t len, const uint8_t *tag)
{
    const crypto_aead_aes256gcm_state *st;
    int r;

    if (len < 4) {
        return LIBSSH2_ERROR_INVAL;
    }
    if (g->use_sodium) {
        st = (const crypto_aead_aes256gcm_state *)(const void *)g->sst;
        r = crypto_aead_aes256gcm_decrypt_detached_afternm(pkt + 4, NULL, pkt + 4, len - 4, tag,
                                                           pkt, 4, g->iv, st);
    } else {
        r = mbedtls_gcm_auth_decrypt(&g->mg, len - 4, g->iv, GCM_IV_LEN, pkt, 4, tag,
                                     GCM_TAG_LEN, pkt + 4, pkt + 4);
    }
    if (r != 0) {
        /* Both libraries already clear the output on a bad tag; make sure
         * no plaintext can survive in the buffer whatever their version. */
        sodium_memzero(pkt + 4, len - 4);
        return LIBSSH2_ERROR_INVALID_MAC;
    }
    next_iv(g);
    return 0;
}

void
s2_gcm_cleanup(struct s2_gcm_ctx *g)
{
    mbedtls_gcm_free(&g->mg); /* zeroises the key schedule and H */
    sodium_memzero(g, sizeof(*g));
}
