/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * privkey.c: private key files, by format, and what a loaded key does.
 *   - format dispatch on the armour: "OPENSSH PRIVATE KEY" (base64 removed
 *     here, body parsed by privkey_openssh.c), PEM PKCS#1 / SEC1 / PKCS#8
 *     (crypto's s2_pk_parse_pem), and clear refusals for DSA, PuTTY and
 *     ssh.com files
 *   - the public key blob (RFC 4253 6.6, RFC 5656 3.1, RFC 8709 4)
 *   - the signature blob (RFC 4253 6.6, RFC 5656 3.1.2, RFC 8332 3,
 *     RFC 8709 6)
 */
#include <string.h>

#include "keys/privkey_int.h"

#define KEYFILE_TEXT_MAX (256u * 1024u)

static const char begin_openssh[] = "-----BEGIN OPENSSH PRIVATE KEY-----";
static const char end_openssh[] = "-----END OPENSSH PRIVATE KEY-----";

static int
has(const uint8_t *hay, size_t hay_len, const char *needle)
{
    return s2_find(hay, hay_len, needle) != hay_len;
}

enum s2_key_type
s2_privkey_type_of(const struct s2_pk *pk)
{
    switch (s2_pk_kind(pk)) {
    case S2_PK_ED25519:
        return S2_KEY_ED25519;
    case S2_PK_RSA:
        return S2_KEY_RSA;
    case S2_PK_ECDSA:
        switch (s2_pk_curve(pk)) {
        case S2_CURVE_P256:
            return S2_KEY_ECDSA_P256;
        case S2_CURVE_P384:
            return S2_KEY_ECDSA_P384;
        case S2_CURVE_P521:
            return S2_KEY_ECDSA_P521;
        }
        break;
    }
    return S2_KEY_UNKNOWN;
}

/* load_openssh removes the armour and base64 of an openssh-key-v1 file. */
static int
load_openssh(struct s2_env *env, const uint8_t *data, size_t len, const char *passphrase,
             struct s2_privkey **out)
{
    struct s2_wr body;
    size_t start = s2_find(data, len, begin_openssh) + strlen(begin_openssh);
    size_t end;
    int rc;

    end = s2_find(data + start, len - start, end_openssh);
    if (end == len - start) {
        return s2_err_set(env, LIBSSH2_ERROR_FILE,
                          "OpenSSH private key: no \"-----END OPENSSH PRIVATE KEY-----\" line");
    }
    s2_wr_dyn(&body, &env->alloc, S2_KEYFILE_MAX);
    body.secret = 1;
    rc = s2_base64_decode(&body, (const char *)data + start, end);
    if (rc != 0) {
        rc = body.err == LIBSSH2_ERROR_ALLOC
                 ? s2_err_set(env, LIBSSH2_ERROR_ALLOC, "out of memory loading the private key")
                 : s2_err_set(env, LIBSSH2_ERROR_FILE,
                              "OpenSSH private key: invalid base64 or too large");
    } else {
        rc = s2_privkey_openssh_parse(env, body.p, body.len, passphrase, out);
    }
    s2_wr_free(&body);
    return rc;
}

int
s2_privkey_load(struct s2_env *env, const uint8_t *data, size_t len, const char *passphrase,
                struct s2_privkey **out)
{
    struct s2_privkey *k = NULL;
    struct s2_pk *pk = NULL;
    const char *why = NULL;
    int rc;

    *out = NULL;
    if (data == NULL || len == 0) {
        return s2_err_set(env, LIBSSH2_ERROR_FILE, "the private key file is empty");
    }
    if (len > KEYFILE_TEXT_MAX) {
        return s2_err_set(env, LIBSSH2_ERROR_FILE, "the private key file is too large");
    }
    if (has(data, len, begin_openssh)) {
        return load_openssh(env, data, len, passphrase, out);
    }
    if (has(data, len, "-----BEGIN DSA PRIVATE KEY-----")) {
        return s2_err_set(env, LIBSSH2_ERROR_FILE,
                          "DSA keys are not supported (OpenSSH removed them)");
    }
    if (has(data, len, "PuTTY-User-Key-File-")) {
        return s2_err_set(env, LIBSSH2_ERROR_FILE,
                          "PuTTY .ppk key files are not supported; export an OpenSSH key "
                          "with puttygen");
    }
    if (has(data, len, "---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----")) {
        return s2_err_set(env, LIBSSH2_ERROR_FILE,
                          "ssh.com private key files are not supported; convert with "
                          "ssh-keygen -i");
    }
    if (!has(data, len, "-----BEGIN ")) {
        if (len > 6 && (memcmp(data, "ssh-", 4) == 0 || memcmp(data, "ecdsa-", 6) == 0)) {
            return s2_err_set(env, LIBSSH2_ERROR_FILE,
                              "this is a public key, not a private key file");
        }
        return s2_err_set(env, LIBSSH2_ERROR_FILE,
                          "not a private key file (no \"-----BEGIN ... PRIVATE KEY-----\")");
    }
    rc = s2_pk_parse_pem(&env->alloc, data, len, passphrase, &pk, &why);
    if (rc != 0) {
        return s2_err_set(env, rc,
                          rc == LIBSSH2_ERROR_ALLOC ? "out of memory loading the "
                                                      "private key"
                                                    : why);
    }
    k = s2_zalloc(&env->alloc, sizeof *k);
    if (k == NULL) {
        s2_pk_free(&env->alloc, pk);
        return s2_err_set(env, LIBSSH2_ERROR_ALLOC, "out of memory loading the private key");
    }
    k->pk = pk;
    k->type = s2_privkey_type_of(pk);
    *out = k;
    return 0;
}

void
s2_privkey_free(const struct s2_allocator *a, struct s2_privkey *k)
{
    if (k == NULL) {
        return;
    }
    s2_pk_free(a, k->pk);
    s2_free_secret(a, k, sizeof *k);
}

enum s2_key_type
s2_privkey_type(const struct s2_privkey *k)
{
    return k == NULL ? S2_KEY_UNKNOWN : k->type;
}

/* key_names gives the blob name and RFC 5656 6.1 curve identifier. */
static const char *
key_name(enum s2_key_type t, const char **curve_id)
{
    *curve_id = NULL;
    switch (t) {
    case S2_KEY_ED25519:
        return "ssh-ed25519";
    case S2_KEY_RSA:
        return "ssh-rsa";
    case S2_KEY_ECDSA_P256:
        *curve_id = "nistp256";
        return "ecdsa-sha2-nistp256";
    case S2_KEY_ECDSA_P384:
        *curve_id = "nistp384";
        return "ecdsa-sha2-nistp384";
    case S2_KEY_ECDSA_P521:
        *curve_id = "nistp521";
        return "ecdsa-sha2-nistp521";
    case S2_KEY_UNKNOWN:
    default:
        return NULL;
    }
}

int
s2_privkey_pubblob(const struct s2_privkey *k, struct s2_wr *w)
{
    uint8_t buf[S2_MPINT_MAX];
    uint8_t e[64];
    size_t n_len = 0;
    size_t e_len = 0;
    const char *curve_id;
    const char *name;
    int rc;

    if (k == NULL || w == NULL) {
        return LIBSSH2_ERROR_BAD_USE;
    }
    name = key_name(k->type, &curve_id);
    if (name == NULL) {
        return LIBSSH2_ERROR_BAD_USE;
    }
    switch (k->type) {
    case S2_KEY_ED25519:
        rc = s2_pk_ed25519_public(k->pk, buf);
        if (rc == 0) {
            s2_wr_cstr(w, name);   /* string    "ssh-ed25519" */
            s2_wr_str(w, buf, 32); /* string    key */
        }
        break;
    case S2_KEY_RSA:
        rc = s2_pk_rsa_public(k->pk, e, sizeof e, &e_len, buf, sizeof buf, &n_len);
        if (rc == 0) {
            s2_wr_cstr(w, name);        /* string    "ssh-rsa" */
            s2_wr_mpint(w, e, e_len);   /* mpint     e */
            s2_wr_mpint(w, buf, n_len); /* mpint     n */
        }
        break;
    default:
        rc = s2_pk_ecdsa_public(k->pk, buf, sizeof buf, &n_len);
        if (rc == 0) {
            s2_wr_cstr(w, name);      /* string    "ecdsa-sha2-[identifier]" */
            s2_wr_cstr(w, curve_id);  /* string    [identifier] */
            s2_wr_str(w, buf, n_len); /* string    Q */
        }
        break;
    }
    if (rc != 0) {
        return rc;
    }
    return s2_wr_ok(w);
}

int
s2_privkey_sign(const struct s2_privkey *k, const struct s2_sig_alg *alg, const uint8_t *data,
                size_t data_len, struct s2_wr *w)
{
    uint8_t sig[S2_MPINT_MAX];
    uint8_t r[S2_EC_SECRET_MAX];
    uint8_t s[S2_EC_SECRET_MAX];
    size_t sig_len = 0;
    size_t r_len = 0;
    size_t s_len = 0;
    size_t mark = 0;
    int rc;

    if (k == NULL || alg == NULL || w == NULL || (data == NULL && data_len != 0)) {
        return LIBSSH2_ERROR_BAD_USE;
    }
    /* the algorithm must fit the key: rsa-sha2-* and ssh-rsa for RSA */
    if (alg->type != k->type) {
        return LIBSSH2_ERROR_BAD_USE;
    }
    switch (k->type) {
    case S2_KEY_ED25519:
        rc = s2_pk_ed25519_sign(k->pk, data, data_len, sig);
        if (rc == 0) {
            s2_wr_cstr(w, alg->name); /* string    "ssh-ed25519" */
            s2_wr_str(w, sig, 64);    /* string    signature (R || S) */
        }
        break;
    case S2_KEY_RSA:
        rc = s2_pk_rsa_sign(k->pk, alg->hash, data, data_len, sig, sizeof sig, &sig_len);
        if (rc == 0) {
            s2_wr_cstr(w, alg->name);   /* string    "rsa-sha2-512" etc. */
            s2_wr_str(w, sig, sig_len); /* string    rsa_signature_blob */
        }
        break;
    case S2_KEY_ECDSA_P256:
    case S2_KEY_ECDSA_P384:
    case S2_KEY_ECDSA_P521:
        rc = s2_pk_ecdsa_sign(k->pk, data, data_len, r, &r_len, s, &s_len);
        if (rc == 0) {
            s2_wr_cstr(w, alg->name);  /* string    "ecdsa-sha2-[identifier]" */
            s2_wr_begin_str(w, &mark); /* string    ecdsa_signature_blob */
            s2_wr_mpint(w, r, r_len);  /*   mpint   r */
            s2_wr_mpint(w, s, s_len);  /*   mpint   s */
            s2_wr_end_str(w, mark);
        }
        break;
    case S2_KEY_UNKNOWN:
    default:
        rc = LIBSSH2_ERROR_BAD_USE;
        break;
    }
    s2_wipe(sig, sizeof sig);
    if (rc != 0) {
        return rc;
    }
    return s2_wr_ok(w);
}
