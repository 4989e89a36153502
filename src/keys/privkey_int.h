/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * privkey_int.h: shared between privkey.c (file-format dispatch, public
 * blob, signing) and privkey_openssh.c (openssh-key-v1). Private to
 * src/keys.
 */
#ifndef S2_PRIVKEY_INT_H
#define S2_PRIVKEY_INT_H

#include "keys/keys.h"

/* A loaded private key: its SSH type and the crypto-side key object. */
struct s2_privkey {
    enum s2_key_type type;
    struct s2_pk *pk; /* owned */
};

/* Largest decoded key file body we accept (an 8192-bit RSA openssh-key-v1
 * file is about 5 KiB). */
#define S2_KEYFILE_MAX (64u * 1024u)

/* s2_privkey_openssh_parse parses a decoded openssh-key-v1 body (the bytes
 * the base64 armour holds, starting with "openssh-key-v1\0"), decrypting
 * with |passphrase| (may be NULL) when it is encrypted. On success *|out|
 * holds the key (caller frees with s2_privkey_free). Errors are recorded in
 * |env|: LIBSSH2_ERROR_KEYFILE_AUTH_FAILED, LIBSSH2_ERROR_FILE, ALLOC. */
int s2_privkey_openssh_parse(struct s2_env *env, const uint8_t *body, size_t body_len,
                             const char *passphrase, struct s2_privkey **out) S2_MUST_CHECK;

/* An opened openssh-key-v1 body: the header's public key and the private
 * section, decrypted. */
struct s2_openssh_open {
    struct s2_rd pub; /* public key blob; borrows the body */
    uint8_t *plain;   /* private section; owned: s2_free_secret(plain, plain_len) */
    size_t plain_len;
    size_t block;  /* cipher block size the padding stays under (8 if none) */
    int encrypted; /* 1: a wrong passphrase shows as differing check values */
};

/* s2_privkey_openssh_open parses the header of a decoded openssh-key-v1
 * |body| and decrypts its private section (privkey_sk.c reads sk-* keys
 * from it). On success the caller frees out->plain with s2_free_secret;
 * out->pub borrows |body|. Errors are recorded in |env|:
 * LIBSSH2_ERROR_KEYFILE_AUTH_FAILED (no passphrase, or the chacha20-poly1305
 * tag fails), LIBSSH2_ERROR_FILE, ALLOC. */
int s2_privkey_openssh_open(struct s2_env *env, const uint8_t *body, size_t body_len,
                            const char *passphrase, struct s2_openssh_open *out) S2_MUST_CHECK;

/* s2_privkey_type_of maps a crypto key to its SSH key type. */
enum s2_key_type s2_privkey_type_of(const struct s2_pk *pk);

#endif /* S2_PRIVKEY_INT_H */
