/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * keys: public key blobs (RFC 4253 6.6, RFC 5656 3.1, RFC 8709, RFC 8332),
 * signature blobs and their verification, fingerprints. Private key files,
 * certificates and known_hosts join this module later (issue 3).
 */
#ifndef S2_KEYS_H
#define S2_KEYS_H

#include "core/core.h"
#include "crypto/crypto.h"

enum s2_key_type {
    S2_KEY_UNKNOWN = 0,
    S2_KEY_RSA,
    S2_KEY_ED25519,
    S2_KEY_ECDSA_P256,
    S2_KEY_ECDSA_P384,
    S2_KEY_ECDSA_P521
};

/* A parsed public key. Views borrow the blob given to s2_pubkey_parse() and
 * are valid only while it is. */
struct s2_pubkey {
    enum s2_key_type type;
    struct s2_rd name;  /* key type name as in the blob, e.g. "ssh-ed25519" */
    struct s2_rd ed25519; /* 32 bytes */
    struct s2_rd ec_point; /* uncompressed SEC1 point, validated on the curve */
    struct s2_rd rsa_e;  /* exponent magnitude */
    struct s2_rd rsa_n;  /* modulus magnitude */
};

/* s2_pubkey_parse parses a public key blob (at most S2_HOSTKEY_MAX bytes)
 * into |out|, borrowing |blob|. Checks field lengths, the ECDSA curve name
 * against the key type, the point on the curve, and RSA policy (modulus
 * 2048..16384 bits, odd exponent > 1). Trailing bytes are an error.
 * Returns 0 or LIBSSH2_ERROR_HOSTKEY_INIT. */
int s2_pubkey_parse(const uint8_t *blob, size_t blob_len, struct s2_pubkey *out) S2_MUST_CHECK;

/* A host key / signature algorithm as negotiated in KEXINIT. */
struct s2_sig_alg {
    const char *name;      /* e.g. "rsa-sha2-256" */
    enum s2_key_type type; /* key type it needs */
    enum s2_hash_alg hash; /* hash for RSA; informational for others */
};

/* s2_sig_alg_find returns the host key algorithm named |name| or NULL.
 * Known: ssh-ed25519, ecdsa-sha2-nistp256/384/521, rsa-sha2-512,
 * rsa-sha2-256, ssh-rsa. */
const struct s2_sig_alg *s2_sig_alg_find(const char *name, size_t name_len);

/* s2_pubkey_verify verifies |sig_blob| (string alg-name, string signature;
 * RFC 4253 6.6) over |data| with key |k| under the negotiated algorithm
 * |alg|. The name in the blob must equal alg->name exactly, the key type
 * must match, and no bytes may trail. Returns 0, or
 * LIBSSH2_ERROR_HOSTKEY_SIGN. */
int s2_pubkey_verify(const struct s2_pubkey *k, const struct s2_sig_alg *alg,
                     const uint8_t *sig_blob, size_t sig_len, const uint8_t *data,
                     size_t data_len) S2_MUST_CHECK;

/* s2_pubkey_libssh2_type maps the key to LIBSSH2_HOSTKEY_TYPE_*. */
int s2_pubkey_libssh2_type(const struct s2_pubkey *k);

#endif /* S2_KEYS_H */
