/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * privkey_sk.c: FIDO/U2F security keys (OpenSSH PROTOCOL.u2f) as key files.
 * The device keeps the private key; the openssh-key-v1 file keeps the
 * public key, the application string, the flags to ask the device for and
 * the key handle (the device's credential id). This file parses sk public
 * key blobs and the sk private section, and loads a whole sk key file
 * (armour and decryption through privkey_openssh.c) for
 * libssh2_userauth_publickey_sk. Field layouts are in keys.h.
 */
#include <string.h>

#include "keys/privkey_int.h"

#define ED25519_LEN      32u
#define P256_POINT_LEN   65u
#define COMMENT_MAX      (S2_KEYFILE_MAX)
#define KEYFILE_TEXT_MAX (256u * 1024u)

static const char begin_armour[] = "-----BEGIN OPENSSH PRIVATE KEY-----";
static const char end_armour[] = "-----END OPENSSH PRIVATE KEY-----";
static const char msg_malformed[] = "malformed security key (sk-*) private key file";
static const char msg_oom[] = "out of memory loading the security key file";

/* algorithm_of maps an sk key type name to LIBSSH2_HOSTKEY_TYPE_*, or 0. */
static int
algorithm_of(const struct s2_rd *name, const char **static_name)
{
    if (s2_rd_eq(name, S2_SK_ED25519_NAME)) {
        *static_name = S2_SK_ED25519_NAME;
        return LIBSSH2_HOSTKEY_TYPE_ED25519;
    }
    if (s2_rd_eq(name, S2_SK_ECDSA_NAME)) {
        *static_name = S2_SK_ECDSA_NAME;
        return LIBSSH2_HOSTKEY_TYPE_ECDSA_256;
    }
    return 0;
}

/* app_ok: the application is handed to the callback as a C string, so it
 * must be non-empty and free of NUL bytes. */
static int
app_ok(const struct s2_rd *app)
{
    return app->left > 0 && memchr(app->p, 0, app->left) == NULL;
}

/* read_key reads the key fields both the public blob and the private
 * section start with: ed25519 string key(32); ecdsa string "nistp256",
 * string Q (on the curve). */
static int
read_key(struct s2_rd *r, int algorithm, struct s2_rd *key)
{
    struct s2_rd curve;

    if (algorithm == LIBSSH2_HOSTKEY_TYPE_ED25519) {
        s2_rd_str(r, ED25519_LEN, key); /* string    key */
        return s2_rd_ok(r) == 0 && key->left == ED25519_LEN ? 0 : LIBSSH2_ERROR_FILE;
    }
    s2_rd_str(r, S2_NAME_MAX, &curve); /* string    curve name */
    s2_rd_str(r, P256_POINT_LEN, key); /* string    Q */
    if (s2_rd_ok(r) != 0 || !s2_rd_eq(&curve, "nistp256") || key->left != P256_POINT_LEN ||
        s2_ecdsa_point_ok(S2_CURVE_P256, key->p, key->left) != 0) {
        return LIBSSH2_ERROR_FILE;
    }
    return 0;
}

int
s2_sk_pubkey_parse(const uint8_t *blob, size_t len, struct s2_sk_pub *out)
{
    struct s2_rd r;
    const char *unused;

    memset(out, 0, sizeof *out);
    s2_rd_init(&r, blob, len);
    s2_rd_str(&r, S2_NAME_MAX, &out->name); /* string    key type name */
    if (s2_rd_ok(&r) != 0) {
        return LIBSSH2_ERROR_FILE;
    }
    out->algorithm = algorithm_of(&out->name, &unused);
    if (out->algorithm == 0 || read_key(&r, out->algorithm, &out->key) != 0) {
        return LIBSSH2_ERROR_FILE;
    }
    s2_rd_str(&r, S2_SK_APP_MAX, &out->application); /* string    application */
    if (s2_rd_finish(&r) != 0 || !app_ok(&out->application)) {
        return LIBSSH2_ERROR_FILE;
    }
    return 0;
}

int
s2_sk_parse_private(struct s2_rd *r, int algorithm, struct s2_sk_priv *out)
{
    memset(out, 0, sizeof *out);
    if (algorithm != LIBSSH2_HOSTKEY_TYPE_ED25519 && algorithm != LIBSSH2_HOSTKEY_TYPE_ECDSA_256) {
        return LIBSSH2_ERROR_FILE;
    }
    if (read_key(r, algorithm, &out->key) != 0) {
        return LIBSSH2_ERROR_FILE;
    }
    s2_rd_str(r, S2_SK_APP_MAX, &out->application);   /* string    application */
    out->flags = s2_rd_u8(r);                         /* byte      flags */
    s2_rd_str(r, S2_SK_HANDLE_MAX, &out->key_handle); /* string    key_handle */
    s2_rd_str(r, S2_SK_RESERVED_MAX, &out->reserved); /* string    reserved */
    if (s2_rd_ok(r) != 0 || !app_ok(&out->application) || out->key_handle.left == 0) {
        return LIBSSH2_ERROR_FILE;
    }
    return 0;
}

/* find returns the offset of |needle| in |hay|, or |hay_len| when absent. */
static size_t
find(const uint8_t *hay, size_t hay_len, const char *needle)
{
    size_t n = strlen(needle);
    size_t i;

    for (i = 0; n <= hay_len && i <= hay_len - n; i++) {
        if (memcmp(hay + i, needle, n) == 0) {
            return i;
        }
    }
    return hay_len;
}

/* dearmour appends the base64-decoded body between the armour lines. */
static int
dearmour(struct s2_env *env, const uint8_t *data, size_t len, struct s2_wr *body)
{
    size_t start = find(data, len, begin_armour);
    size_t end;

    if (start == len) {
        return s2_err_set(env, LIBSSH2_ERROR_FILE,
                          "not an OpenSSH private key file (security keys need one)");
    }
    start += strlen(begin_armour);
    end = find(data + start, len - start, end_armour);
    if (end == len - start) {
        return s2_err_set(env, LIBSSH2_ERROR_FILE,
                          "OpenSSH private key: no \"-----END OPENSSH PRIVATE KEY-----\" line");
    }
    if (s2_base64_decode(body, (const char *)data + start, end) != 0) {
        return body->err == LIBSSH2_ERROR_ALLOC
                   ? s2_err_set(env, LIBSSH2_ERROR_ALLOC, msg_oom)
                   : s2_err_set(env, LIBSSH2_ERROR_FILE,
                                "OpenSSH private key: invalid base64 or too large");
    }
    return 0;
}

/* parse_section reads the whole decrypted private section: uint32 check,
 * uint32 check, string type, the sk key fields, string comment, padding
 * 1, 2, 3, ... shorter than one block. */
static int
parse_section(struct s2_env *env, const struct s2_openssh_open *op, struct s2_rd *type,
              struct s2_sk_priv *priv)
{
    struct s2_rd r;
    struct s2_rd comment;
    const char *unused;
    uint32_t check1;
    uint32_t check2;
    uint8_t expect = 1;
    int algorithm;

    s2_rd_init(&r, op->plain, op->plain_len);
    check1 = s2_rd_u32(&r); /* uint32    checkint */
    check2 = s2_rd_u32(&r); /* uint32    checkint */
    if (s2_rd_ok(&r) != 0) {
        return s2_err_set(env, LIBSSH2_ERROR_FILE, msg_malformed);
    }
    if (check1 != check2) {
        return op->encrypted ? s2_err_set(env, LIBSSH2_ERROR_KEYFILE_AUTH_FAILED,
                                          "wrong passphrase for the private key")
                             : s2_err_set(env, LIBSSH2_ERROR_FILE,
                                          "corrupt OpenSSH private key (check values differ)");
    }
    s2_rd_str(&r, S2_NAME_MAX, type); /* string    key type */
    if (s2_rd_ok(&r) != 0) {
        return s2_err_set(env, LIBSSH2_ERROR_FILE, msg_malformed);
    }
    algorithm = algorithm_of(type, &unused);
    if (algorithm == 0) {
        return s2_err_set(env, LIBSSH2_ERROR_FILE,
                          "not a security key file (expected sk-ssh-ed25519@openssh.com or "
                          "sk-ecdsa-sha2-nistp256@openssh.com)");
    }
    if (s2_sk_parse_private(&r, algorithm, priv) != 0) {
        return s2_err_set(env, LIBSSH2_ERROR_FILE, msg_malformed);
    }
    s2_rd_str(&r, COMMENT_MAX, &comment); /* string    comment */
    if (s2_rd_ok(&r) != 0 || r.left >= op->block) {
        return s2_err_set(env, LIBSSH2_ERROR_FILE, msg_malformed);
    }
    while (r.left > 0) { /* padding */
        if (s2_rd_u8(&r) != expect) {
            return s2_err_set(env, LIBSSH2_ERROR_FILE, msg_malformed);
        }
        expect++;
    }
    return s2_rd_finish(&r) == 0 ? 0 : s2_err_set(env, LIBSSH2_ERROR_FILE, msg_malformed);
}

/* matches tells whether the header's public key is the private section's. */
static int
matches(const struct s2_sk_pub *pub, const struct s2_rd *type, const struct s2_sk_priv *priv)
{
    return type->left == pub->name.left && memcmp(type->p, pub->name.p, type->left) == 0 &&
           priv->key.left == pub->key.left &&
           memcmp(priv->key.p, pub->key.p, priv->key.left) == 0 &&
           priv->application.left == pub->application.left &&
           memcmp(priv->application.p, pub->application.p, priv->application.left) == 0;
}

void
s2_sk_key_free(const struct s2_allocator *a, struct s2_sk_key *k)
{
    if (k == NULL) {
        return;
    }
    if (k->application != NULL) {
        s2_free_secret(a, k->application, strlen(k->application));
    }
    s2_free_secret(a, k->key_handle, k->key_handle_len);
    s2_free(a, k->pubblob);
    s2_free_secret(a, k, sizeof *k);
}

int
s2_sk_key_load(struct s2_env *env, const uint8_t *data, size_t len, const char *passphrase,
               struct s2_sk_key **out)
{
    const struct s2_allocator *a = &env->alloc;
    struct s2_openssh_open op;
    struct s2_wr body;
    struct s2_sk_pub pub;
    struct s2_sk_priv priv;
    struct s2_rd type;
    struct s2_sk_key *k = NULL;
    int rc;

    *out = NULL;
    memset(&op, 0, sizeof op);
    if (data == NULL || len == 0) {
        return s2_err_set(env, LIBSSH2_ERROR_FILE, "the private key file is empty");
    }
    if (len > KEYFILE_TEXT_MAX) {
        return s2_err_set(env, LIBSSH2_ERROR_FILE, "the private key file is too large");
    }
    s2_wr_dyn(&body, a, S2_KEYFILE_MAX);
    body.secret = 1;
    rc = dearmour(env, data, len, &body);
    if (rc != 0) {
        goto out;
    }
    rc = s2_privkey_openssh_open(env, body.p, body.len, passphrase, &op);
    if (rc != 0) {
        goto out;
    }
    rc = parse_section(env, &op, &type, &priv);
    if (rc != 0) {
        goto out;
    }
    if (s2_sk_pubkey_parse(op.pub.p, op.pub.left, &pub) != 0 || !matches(&pub, &type, &priv)) {
        rc = s2_err_set(env, LIBSSH2_ERROR_FILE,
                        "the public key in the security key file does not match its "
                        "private section");
        goto out;
    }
    k = s2_zalloc(a, sizeof *k);
    if (k == NULL) {
        rc = s2_err_set(env, LIBSSH2_ERROR_ALLOC, msg_oom);
        goto out;
    }
    k->algorithm = algorithm_of(&type, &k->name);
    k->flags = priv.flags;
    k->application = s2_rd_strdup(&priv.application, a, S2_SK_APP_MAX);
    k->key_handle = s2_alloc(a, priv.key_handle.left);
    k->pubblob = s2_alloc(a, op.pub.left);
    if (k->application == NULL || k->key_handle == NULL || k->pubblob == NULL) {
        rc = s2_err_set(env, LIBSSH2_ERROR_ALLOC, msg_oom);
        goto out;
    }
    k->key_handle_len = priv.key_handle.left;
    s2_rd_copy(&priv.key_handle, k->key_handle, k->key_handle_len);
    k->pubblob_len = op.pub.left;
    s2_rd_copy(&op.pub, k->pubblob, k->pubblob_len);
    *out = k;
    k = NULL;
out:
    s2_sk_key_free(a, k);
    s2_free_secret(a, op.plain, op.plain_len);
    s2_wr_free(&body);
    return rc;
}
