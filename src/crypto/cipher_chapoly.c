/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cipher_chapoly.c: chacha20-poly1305@openssh.com (OpenSSH
 * PROTOCOL.chacha20poly1305), built from libsodium's original ChaCha20
 * (64-bit nonce, 64-bit block counter) and Poly1305.
 *
 * The 64 key bytes are K_2 (first 32) then K_1 (last 32). For sequence
 * number seqno the nonce is uint64 seqno, big-endian:
 *   length  = ChaCha20(K_1, nonce, counter 0) XOR packet_length
 *   polykey = first 32 bytes of ChaCha20(K_2, nonce, counter 0)
 *   payload = ChaCha20(K_2, nonce, counter 1) XOR payload
 *   tag     = Poly1305(polykey, encrypted length || encrypted payload)
 * The tag is checked, in constant time, before anything is decrypted.
 */
#include <string.h>

#include "crypto/crypto_int.h"

static void
make_nonce(uint8_t nonce[8], uint32_t seqno)
{
    /* uint64 under SSH wire encoding: the high 32 bits are zero. */
    memset(nonce, 0, 4);
    s2_put_u32(nonce + 4, seqno);
}

void
s2_chapoly_init(struct s2_chapoly_ctx *c, const uint8_t key[64])
{
    memcpy(c->k_main, key, 32);
    memcpy(c->k_hdr, key + 32, 32);
}

void
s2_chapoly_length(const struct s2_chapoly_ctx *c, uint32_t seqno, const uint8_t in[4],
                  uint32_t *out_len)
{
    uint8_t nonce[8];
    uint8_t plain[4];

    make_nonce(nonce, seqno);
    (void)crypto_stream_chacha20_xor(plain, in, sizeof(plain), nonce, c->k_hdr);
    *out_len = s2_get_u32(plain);
    sodium_memzero(plain, sizeof(plain));
}

int
s2_chapoly_seal(const struct s2_chapoly_ctx *c, uint32_t seqno, uint8_t *pkt, size_t len,
                uint8_t tag[16])
{
    uint8_t nonce[8];
    uint8_t polykey[crypto_onetimeauth_poly1305_KEYBYTES];

    if (len < 4) {
        return LIBSSH2_ERROR_INVAL;
    }
    make_nonce(nonce, seqno);
    (void)crypto_stream_chacha20_xor(pkt, pkt, 4, nonce, c->k_hdr);
    (void)crypto_stream_chacha20(polykey, sizeof(polykey), nonce, c->k_main);
    (void)crypto_stream_chacha20_xor_ic(pkt + 4, pkt + 4, len - 4, nonce, 1, c->k_main);
    (void)crypto_onetimeauth_poly1305(tag, pkt, len, polykey);
    sodium_memzero(polykey, sizeof(polykey));
    return 0;
}

int
s2_chapoly_open(const struct s2_chapoly_ctx *c, uint32_t seqno, uint8_t *pkt, size_t len,
                const uint8_t tag[16])
{
    uint8_t nonce[8];
    uint8_t polykey[crypto_onetimeauth_poly1305_KEYBYTES];
    int ok;

    if (len < 4) {
        return LIBSSH2_ERROR_INVAL;
    }
    make_nonce(nonce, seqno);
    (void)crypto_stream_chacha20(polykey, sizeof(polykey), nonce, c->k_main);
    ok = crypto_onetimeauth_poly1305_verify(tag, pkt, len, polykey) == 0;
    sodium_memzero(polykey, sizeof(polykey));
    if (!ok) {
        return LIBSSH2_ERROR_INVALID_MAC;
    }
    (void)crypto_stream_chacha20_xor_ic(pkt + 4, pkt + 4, len - 4, nonce, 1, c->k_main);
    return 0;
}

void
s2_chapoly_cleanup(struct s2_chapoly_ctx *c)
{
    sodium_memzero(c, sizeof(*c));
}
