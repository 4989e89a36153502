/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cipher.c: the table of transport ciphers by SSH wire name, and the one
 * dispatch point from struct s2_cipher to the per-mode code in
 * cipher_aes.c, cipher_gcm.c and cipher_chapoly.c.
 */
#include <string.h>

#include "crypto/crypto_int.h"

struct s2_cipher {
    const struct s2_cipher_alg *alg;
    int encrypt;
    union {
        struct s2_aes_ctx aes;
        struct s2_gcm_ctx gcm;
        struct s2_chapoly_ctx cp;
    } u;
};

/*                name                            mode             key iv blk tag */
static const struct s2_cipher_alg ciphers[] = {
    { "chacha20-poly1305@openssh.com", S2_MODE_CHAPOLY, 64, 0, 8, 16 },
    { "aes256-gcm@openssh.com", S2_MODE_GCM, 32, 12, 16, 16 },
    { "aes128-gcm@openssh.com", S2_MODE_GCM, 16, 12, 16, 16 },
    { "aes256-ctr", S2_MODE_CTR, 32, 16, 16, 0 },
    { "aes192-ctr", S2_MODE_CTR, 24, 16, 16, 0 },
    { "aes128-ctr", S2_MODE_CTR, 16, 16, 16, 0 },
    { "aes256-cbc", S2_MODE_CBC, 32, 16, 16, 0 },
    { "rijndael-cbc@lysator.liu.se", S2_MODE_CBC, 32, 16, 16, 0 }, /* = aes256-cbc */
    { "aes192-cbc", S2_MODE_CBC, 24, 16, 16, 0 },
    { "aes128-cbc", S2_MODE_CBC, 16, 16, 16, 0 },
};

const struct s2_cipher_alg *
s2_cipher_find(const char *name, size_t name_len)
{
    size_t i;

    if (name == NULL) {
        return NULL;
    }
    for (i = 0; i < sizeof(ciphers) / sizeof(ciphers[0]); i++) {
        if (strlen(ciphers[i].name) == name_len && memcmp(ciphers[i].name, name, name_len) == 0) {
            return &ciphers[i];
        }
    }
    return NULL;
}

int
s2_cipher_new(const struct s2_allocator *a, const struct s2_cipher_alg *alg, int encrypt,
              const uint8_t *key, const uint8_t *iv, struct s2_cipher **out)
{
    struct s2_cipher *c = NULL;
    int r = 0;

    *out = NULL;
    if (alg == NULL || key == NULL || (alg->iv_len > 0 && iv == NULL)) {
        return LIBSSH2_ERROR_INVAL;
    }
    c = s2_zalloc(a, sizeof(*c));
    if (c == NULL) {
        return LIBSSH2_ERROR_ALLOC;
    }
    c->alg = alg;
    c->encrypt = encrypt ? 1 : 0;
    switch (alg->mode) {
    case S2_MODE_CTR:
    case S2_MODE_CBC:
        r = s2_aes_init(&c->u.aes, key, alg->key_len, iv, alg->mode == S2_MODE_CBC, c->encrypt);
        break;
    case S2_MODE_GCM:
        r = s2_gcm_init(&c->u.gcm, key, alg->key_len, iv, 1);
        break;
    case S2_MODE_CHAPOLY:
        if (alg->key_len != 64) {
            r = LIBSSH2_ERROR_INVAL;
            break;
        }
        s2_chapoly_init(&c->u.cp, key);
        break;
    default:
        r = LIBSSH2_ERROR_INVAL;
        break;
    }
    if (r != 0) {
        /* The mode's init cleaned up after itself; only the memory is left. */
        s2_free_secret(a, c, sizeof(*c));
        return r;
    }
    *out = c;
    return 0;
}

void
s2_cipher_free(const struct s2_allocator *a, struct s2_cipher *c)
{
    if (c == NULL) {
        return;
    }
    switch (c->alg->mode) {
    case S2_MODE_CTR:
    case S2_MODE_CBC:
        s2_aes_cleanup(&c->u.aes);
        break;
    case S2_MODE_GCM:
        s2_gcm_cleanup(&c->u.gcm);
        break;
    case S2_MODE_CHAPOLY:
        s2_chapoly_cleanup(&c->u.cp);
        break;
    }
    s2_free_secret(a, c, sizeof(*c));
}

int
s2_cipher_crypt(struct s2_cipher *c, uint8_t *buf, size_t len)
{
    if (c->alg->mode != S2_MODE_CTR && c->alg->mode != S2_MODE_CBC) {
        return LIBSSH2_ERROR_BAD_USE;
    }
    return s2_aes_crypt(&c->u.aes, buf, len);
}

int
s2_aead_length(struct s2_cipher *c, uint32_t seqno, const uint8_t in[4], uint32_t *out_len)
{
    switch (c->alg->mode) {
    case S2_MODE_GCM:
        *out_len = s2_get_u32(in); /* RFC 5647 7.3: the length is not encrypted */
        return 0;
    case S2_MODE_CHAPOLY:
        s2_chapoly_length(&c->u.cp, seqno, in, out_len);
        return 0;
    default:
        return LIBSSH2_ERROR_BAD_USE;
    }
}

int
s2_aead_seal(struct s2_cipher *c, uint32_t seqno, uint8_t *pkt, size_t len, uint8_t *tag)
{
    switch (c->alg->mode) {
    case S2_MODE_GCM:
        return s2_gcm_seal(&c->u.gcm, pkt, len, tag);
    case S2_MODE_CHAPOLY:
        return s2_chapoly_seal(&c->u.cp, seqno, pkt, len, tag);
    default:
        return LIBSSH2_ERROR_BAD_USE;
    }
}

int
s2_aead_open(struct s2_cipher *c, uint32_t seqno, uint8_t *pkt, size_t len, const uint8_t *tag)
{
    switch (c->alg->mode) {
    case S2_MODE_GCM:
        return s2_gcm_open(&c->u.gcm, pkt, len, tag);
    case S2_MODE_CHAPOLY:
        return s2_chapoly_open(&c->u.cp, seqno, pkt, len, tag);
    default:
        return LIBSSH2_ERROR_BAD_USE;
    }
}
