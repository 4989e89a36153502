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

/* s2_privkey_type_of maps a crypto key to its SSH key type. */
enum s2_key_type s2_privkey_type_of(const struct s2_pk *pk);

#endif /* S2_PRIVKEY_INT_H */
