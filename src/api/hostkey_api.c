/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libssh2_session_hostkey and libssh2_hostkey_hash: the server's host key
 * blob and its digests (raw bytes: 16 MD5, 20 SHA-1, 32 SHA-256).
 */
#include "api/session_int.h"
#include "crypto/crypto.h"
#include "keys/keys.h"

LIBSSH2_API const char *
libssh2_session_hostkey(LIBSSH2_SESSION *s, size_t *len, int *type)
{
    const uint8_t *blob;
    struct s2_pubkey pk;
    size_t n = 0;
    if (s == NULL) {
        return NULL;
    }
    blob = s2_tp_hostkey(s->tp, &n);
    if (blob == NULL) {
        s2_api_fail(s, LIBSSH2_ERROR_BAD_USE, "no host key before the handshake");
        return NULL;
    }
    if (len != NULL) {
        *len = n;
    }
    if (type != NULL) {
        *type = s2_pubkey_parse(blob, n, &pk) == 0 ? s2_pubkey_libssh2_type(&pk)
                                                   : LIBSSH2_HOSTKEY_TYPE_UNKNOWN;
    }
    return (const char *)blob;
}

LIBSSH2_API const char *
libssh2_hostkey_hash(LIBSSH2_SESSION *s, int hash_type)
{
    const uint8_t *blob;
    size_t n = 0;
    enum s2_hash_alg alg;
    uint8_t *out;
    if (s == NULL) {
        return NULL;
    }
    blob = s2_tp_hostkey(s->tp, &n);
    if (blob == NULL) {
        s2_api_fail(s, LIBSSH2_ERROR_BAD_USE, "no host key before the handshake");
        return NULL;
    }
    switch (hash_type) {
    case LIBSSH2_HOSTKEY_HASH_MD5:
        alg = S2_HASH_MD5;
        out = s->hostkey_md5;
        break;
    case LIBSSH2_HOSTKEY_HASH_SHA1:
        alg = S2_HASH_SHA1;
        out = s->hostkey_sha1;
        break;
    case LIBSSH2_HOSTKEY_HASH_SHA256:
        alg = S2_HASH_SHA256;
        out = s->hostkey_sha256;
        break;
    default:
        s2_api_fail(s, LIBSSH2_ERROR_INVAL, "unknown host key hash type");
        return NULL;
    }
    if (s2_hash_once(alg, blob, n, out) != 0) {
        s2_api_fail(s, LIBSSH2_ERROR_HASH_CALC, "unable to hash the host key");
        return NULL;
    }
    return (const char *)out;
}
