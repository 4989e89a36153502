/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * privkey_fuzz.c: libFuzzer harness for s2_privkey_load (openssh-key-v1,
 * PEM PKCS#1 / SEC1 / PKCS#8, encrypted forms) with the passphrase "test",
 * the one the seed files (tests/data/keys) are encrypted with. A key that
 * loads must produce its public blob, which must parse, and a signature
 * that verifies under it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "keys/keys.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

static const char *
alg_for(enum s2_key_type t)
{
    switch (t) {
    case S2_KEY_ED25519:
        return "ssh-ed25519";
    case S2_KEY_ECDSA_P256:
        return "ecdsa-sha2-nistp256";
    case S2_KEY_ECDSA_P384:
        return "ecdsa-sha2-nistp384";
    case S2_KEY_ECDSA_P521:
        return "ecdsa-sha2-nistp521";
    case S2_KEY_RSA:
        return "rsa-sha2-256";
    default:
        return NULL;
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
    static void *slot;
    struct s2_env env;
    struct s2_privkey *k = NULL;
    struct s2_wr blob;
    struct s2_wr sig;
    struct s2_pubkey pub;
    const struct s2_sig_alg *alg;
    const char *name;

    if (s2_crypto_init() != 0) {
        abort();
    }
    memset(&env, 0, sizeof env);
    s2_allocator_default(&env.alloc, &slot);
    if (s2_privkey_load(&env, data, len, "test", &k) != 0) {
        if (k != NULL || env.err.msg == NULL) {
            abort();
        }
        return 0;
    }
    name = alg_for(s2_privkey_type(k));
    if (name == NULL) {
        abort();
    }
    alg = s2_sig_alg_find(name, strlen(name));
    s2_wr_dyn(&blob, &env.alloc, S2_HOSTKEY_MAX);
    s2_wr_dyn(&sig, &env.alloc, S2_SIG_MAX);
    if (s2_privkey_pubblob(k, &blob) != 0 || s2_privkey_sign(k, alg, data, len, &sig) != 0) {
        abort();
    }
    /* small RSA keys (1024..2047 bits) load but fail the host key policy */
    if (s2_pubkey_parse(blob.p, blob.len, &pub) == 0 &&
        s2_pubkey_verify(&pub, alg, sig.p, sig.len, data, len) != 0) {
        abort();
    }
    s2_wr_free(&blob);
    s2_wr_free(&sig);
    s2_privkey_free(&env.alloc, k);
    return 0;
}
