/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cipher_gcm.c: aes128-gcm@openssh.com and aes256-gcm@openssh.com, i.e.
 * RFC 5647 section 7 as OpenSSH negotiates it. The 12-byte nonce is a 4-byte
 * fixed field followed by an 8-byte big-endian invocation counter, taken
 * from the derived IV and incremented after every packet (RFC 5647 7.1).
 * The 4-byte packet_length is sent in the clear and authenticated as AAD
 * (7.3); pkt[4..len) is encrypted; the tag is 16 bytes.
 *
 * Each context picks its code once, at init (s2_cpu_features()): our own
 * VAES/VPCLMULQDQ kernel (gcm_vaes.c), else our AES-NI/PCLMULQDQ kernel
 * (gcm_ni.c), both for 128- and 256-bit keys; else libsodium's AES-NI
 * AES-256-GCM; else mbedTLS. Keys, hash-key powers and schedules are
 * computed once; no path allocates per packet.
 */
#include <string.h>

#include "crypto/crypto_int.h"

#define GCM_TAG_LEN 16u
#define GCM_IV_LEN 12u

static const unsigned need_ni = S2_CPU_AESNI | S2_CPU_PCLMUL;

int
s2_gcm_impl_available(enum s2_gcm_impl impl, size_t key_len)
{
    unsigned f = s2_cpu_features();

    if (key_len != 16 && key_len != 32) {
        return 0;
    }
    switch (impl) {
    case S2_GCM_MBEDTLS:
        return 1;
    case S2_GCM_SODIUM:
        /* libsodium checks the CPU itself; the mask still applies, so a
         * test can turn it off like our own kernels */
        return key_len == crypto_aead_aes256gcm_KEYBYTES && (f & need_ni) == need_ni &&
               crypto_aead_aes256gcm_is_available();
    case S2_GCM_NI:
        return (f & need_ni) == need_ni;
    case S2_GCM_VAES:
        return (f & (need_ni | S2_CPU_AVX2 | S2_CPU_VAES)) ==
               (need_ni | S2_CPU_AVX2 | S2_CPU_VAES);
    }
    return 0;
}

const char *
s2_gcm_impl_name(enum s2_gcm_impl impl)
{
    switch (impl) {
    case S2_GCM_MBEDTLS:
        return "mbedtls";
    case S2_GCM_SODIUM:
        return "libsodium";
    case S2_GCM_NI:
        return "ni";
    case S2_GCM_VAES:
        return "vaes";
    }
    return "?";
}

int
s2_gcm_init_impl(struct s2_gcm_ctx *g, const uint8_t *key, size_t key_len, const uint8_t *iv,
                 enum s2_gcm_impl impl)
{
    uintptr_t addr;

    memset(g, 0, sizeof(*g));
    mbedtls_gcm_init(&g->mg);
    if (!s2_gcm_impl_available(impl, key_len)) {
        return LIBSSH2_ERROR_INVAL;
    }
    memcpy(g->iv, iv, GCM_IV_LEN);
    g->impl = impl;
    switch (impl) {
    case S2_GCM_NI:
    case S2_GCM_VAES:
        s2_gcm_ni_setkey(&g->k, key, key_len);
        return 0;
    case S2_GCM_SODIUM:
        /* libsodium's state wants 16-byte alignment; the allocator may not. */
        addr = (uintptr_t)g->sst_buf;
        g->sst = g->sst_buf + ((16u - (addr & 15u)) & 15u);
        if (crypto_aead_aes256gcm_beforenm((crypto_aead_aes256gcm_state *)(void *)g->sst,
                                           key) != 0) {
            s2_gcm_cleanup(g);
            return LIBSSH2_ERROR_INVAL;
        }
        return 0;
    case S2_GCM_MBEDTLS:
        break;
    }
    if (mbedtls_gcm_setkey(&g->mg, MBEDTLS_CIPHER_ID_AES, key, (unsigned int)(key_len * 8)) !=
        0) {
        s2_gcm_cleanup(g);
        return LIBSSH2_ERROR_INVAL;
    }
    return 0;
}

int
s2_gcm_init(struct s2_gcm_ctx *g, const uint8_t *key, size_t key_len, const uint8_t *iv,
            int allow_sodium)
{
    static const enum s2_gcm_impl order[] = { S2_GCM_VAES, S2_GCM_NI, S2_GCM_SODIUM };
    size_t i;

    if (key_len != 16 && key_len != 32) {
        return LIBSSH2_ERROR_INVAL;
    }
    if (allow_sodium) {
        for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
            if (s2_gcm_impl_available(order[i], key_len)) {
                return s2_gcm_init_impl(g, key, key_len, iv, order[i]);
            }
        }
    }
    return s2_gcm_init_impl(g, key, key_len, iv, S2_GCM_MBEDTLS);
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
    if (g->impl == S2_GCM_NI) {
        s2_gcm_ni_crypt(&g->k, g->iv, pkt, 4, pkt + 4, len - 4, 1, tag);
        r = 0;
    } else if (g->impl == S2_GCM_VAES) {
        s2_gcm_vaes_crypt(&g->k, g->iv, pkt, 4, pkt + 4, len - 4, 1, tag);
        r = 0;
    } else if (g->impl == S2_GCM_SODIUM) {
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
    uint8_t want[GCM_TAG_LEN];
    int r;

    if (len < 4) {
        return LIBSSH2_ERROR_INVAL;
    }
    if (g->impl == S2_GCM_NI || g->impl == S2_GCM_VAES) {
        /* decrypt and hash in one pass; on a bad tag the output is wiped below */
        if (g->impl == S2_GCM_NI) {
            s2_gcm_ni_crypt(&g->k, g->iv, pkt, 4, pkt + 4, len - 4, 0, want);
        } else {
            s2_gcm_vaes_crypt(&g->k, g->iv, pkt, 4, pkt + 4, len - 4, 0, want);
        }
        r = s2_ct_eq(want, tag, GCM_TAG_LEN) ? 0 : -1;
        sodium_memzero(want, sizeof(want));
    } else if (g->impl == S2_GCM_SODIUM) {
        st = (const crypto_aead_aes256gcm_state *)(const void *)g->sst;
        r = crypto_aead_aes256gcm_decrypt_detached_afternm(pkt + 4, NULL, pkt + 4, len - 4, tag,
                                                           pkt, 4, g->iv, st);
    } else {
        r = mbedtls_gcm_auth_decrypt(&g->mg, len - 4, g->iv, GCM_IV_LEN, pkt, 4, tag,
                                     GCM_TAG_LEN, pkt + 4, pkt + 4);
    }
    if (r != 0) {
        /* Our kernels decrypt before the check; both libraries already
         * clear the output on a bad tag. No plaintext may survive. */
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
