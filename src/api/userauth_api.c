/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libssh2_userauth_* entry points: list (the "none" request), password,
 * keyboard-interactive, public key from files, from memory and through an
 * application callback, hostbased, banner, authenticated. Each starts its
 * request once (arguments copied) and then pumps until it is answered; a
 * repeated call with the same arguments after EAGAIN continues it.
 */
#include <stdio.h>
#include <string.h>

#include "api/session_int.h"

#define KEYFILE_MAX (1024u * 1024u)

static int
poll_ua(LIBSSH2_SESSION *s, void *arg)
{
    (void)arg;
    return s2_ua_poll(s->ua);
}

static void
signer_reset(LIBSSH2_SESSION *s)
{
    s2_privkey_free(&s->env.alloc, s->signer.key);
    memset(&s->signer, 0, sizeof s->signer);
}

/* begin checks that a call of kind |op| may start or continue now: 1 to
 * start it, 0 to continue it, or a negative error. */
static int
begin(LIBSSH2_SESSION *s, enum s2_op op)
{
    int r = s2_tp_dead(s->tp);
    if (r != 0) {
        return r;
    }
    if (s->op == op) {
        return 0;
    }
    if (s->op != S2_OP_NONE) {
        return s2_api_fail(s, LIBSSH2_ERROR_BAD_USE, "another call is pending");
    }
    if (!s2_tp_ready(s->tp)) {
        return s2_api_fail(s, LIBSSH2_ERROR_BAD_USE, "authentication before the handshake");
    }
    return 1;
}

/* run pumps the pending userauth call and ends it unless EAGAIN. */
static int
run(LIBSSH2_SESSION *s)
{
    int r = s2_api_run(s, poll_ua, NULL);
    if (r != LIBSSH2_ERROR_EAGAIN) {
        s->op = S2_OP_NONE;
        signer_reset(s);
    }
    if (r == 0 && s2_ua_authenticated(s->ua)) {
        s2_tp_trim(s->tp); /* an idle session keeps small buffers */
    }
    return r;
}

LIBSSH2_API char *
libssh2_userauth_list(LIBSSH2_SESSION *s, const char *username, unsigned int username_len)
{
    int r;
    if (s == NULL) {
        return NULL;
    }
    r = begin(s, S2_OP_UA_LIST);
    if (r < 0) {
        return NULL;
    }
    if (r == 1) {
        if (s2_ua_authenticated(s->ua)) {
            return NULL;
        }
        r = s2_ua_start_none(s->ua, username != NULL ? username : "",
                             username != NULL ? username_len : 0);
        if (r != 0) {
            return NULL;
        }
        s->op = S2_OP_UA_LIST;
    }
    r = run(s);
    if (r != 0) {
        return NULL;
    }
    if (s2_ua_authenticated(s->ua)) {
        s2_api_fail(s, 0, "authenticated with the none method");
        return NULL; /* libssh2: NULL, and userauth_authenticated() says yes */
    }
    return (char *)(uintptr_t)s2_ua_methods(s->ua);
}

LIBSSH2_API int
libssh2_userauth_authenticated(LIBSSH2_SESSION *s)
{
    return s != NULL && s2_ua_authenticated(s->ua);
}

LIBSSH2_API int
libssh2_userauth_banner(LIBSSH2_SESSION *s, char **banner)
{
    const char *b;
    if (s == NULL || banner == NULL) {
        return LIBSSH2_ERROR_BAD_USE;
    }
    b = s2_ua_banner(s->ua);
    if (b == NULL) {
        return s2_api_fail(s, LIBSSH2_ERROR_MISSING_USERAUTH_BANNER, "no banner received");
    }
    *banner = (char *)(uintptr_t)b;
    return 0;
}

LIBSSH2_API int
libssh2_userauth_password_ex(LIBSSH2_SESSION *s, const char *username, unsigned int username_len,
                             const char *password, unsigned int password_len,
                             LIBSSH2_PASSWD_CHANGEREQ_FUNC((*passwd_change_cb)))
{
    int r;
    if (s == NULL || username == NULL || password == NULL) {
        return LIBSSH2_ERROR_BAD_USE;
    }
    r = begin(s, S2_OP_UA_PASSWORD);
    if (r < 0) {
        return r;
    }
    if (r == 1) {
        r = s2_ua_start_password(s->ua, username, username_len, password, password_len,
                                 passwd_change_cb, s, &s->abstract);
        if (r != 0) {
            return r;
        }
        s->op = S2_OP_UA_PASSWORD;
    }
    return run(s);
}

LIBSSH2_API int
libssh2_userauth_keyboard_interactive_ex(
    LIBSSH2_SESSION *s, const char *username, unsigned int username_len,
    LIBSSH2_USERAUTH_KBDINT_RESPONSE_FUNC((*response_callback)))
{
    struct s2_ua_kbdint kb;
    int r;
    if (s == NULL || username == NULL || response_callback == NULL) {
        return LIBSSH2_ERROR_BAD_USE;
    }
    r = begin(s, S2_OP_UA_KBDINT);
    if (r < 0) {
        return r;
    }
    if (r == 1) {
        kb.cb = response_callback;
        kb.abstract = &s->abstract;
        r = s2_ua_start_kbdint(s->ua, username, username_len, &kb);
        if (r != 0) {
            return r;
        }
        s->op = S2_OP_UA_KBDINT;
    }
    return run(s);
}

/* sign_with_signer is the s2_ua_sign_fn for key files and app callbacks. */
static int
sign_with_signer(void *ctx, const char *alg, const uint8_t *data, size_t data_len,
                 struct s2_wr *sig_blob)
{
    struct s2_ua_signer *sg = ctx;
    LIBSSH2_SESSION *s = sg->session;
    unsigned char *sig = NULL;
    size_t sig_len = 0;
    int r;
    if (sg->key != NULL) {
        const struct s2_sig_alg *sa = s2_sig_alg_find(alg, strlen(alg));
        if (sa == NULL) {
            return s2_api_fail(s, LIBSSH2_ERROR_METHOD_NOT_SUPPORTED,
                               "no signature algorithm for this key type");
        }
        return s2_privkey_sign(sg->key, sa, data, data_len, sig_blob);
    }
    /* the application's callback returns the raw signature; wrap it */
    r = sg->cb(s, &sig, &sig_len, data, data_len, sg->abstract);
    if (r != 0 || sig == NULL) {
        if (sig != NULL) {
            s2_free(&s->env.alloc, sig);
        }
        return s2_api_fail(s, LIBSSH2_ERROR_PUBLICKEY_UNVERIFIED,
                           "the signing callback failed");
    }
    s2_wr_cstr(sig_blob, alg);
    if (strncmp(alg, "sk-", 3) == 0) {
        /* security keys: the callback (libssh2_sign_sk) returns the
         * signature string followed by flags and counter (PROTOCOL.u2f) */
        s2_wr_raw(sig_blob, sig, sig_len);
    } else {
        s2_wr_str(sig_blob, sig, sig_len);
    }
    s2_free(&s->env.alloc, sig);
    return s2_wr_ok(sig_blob);
}

/* read_file reads a key file (at most KEYFILE_MAX bytes) into |w|. */
static int
read_file(LIBSSH2_SESSION *s, const char *path, struct s2_wr *w)
{
    FILE *f;
    uint8_t buf[4096];
    size_t n;
    if (path == NULL) {
        return s2_api_fail(s, LIBSSH2_ERROR_FILE, "no key file given");
    }
    f = fopen(path, "rb");
    if (f == NULL) {
        return s2_err_setf(&s->env, LIBSSH2_ERROR_FILE, "unable to open the key file");
    }
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
        s2_wr_raw(w, buf, n);
    }
    fclose(f);
    s2_wipe(buf, sizeof buf);
    if (s2_wr_ok(w) != 0) {
        return s2_api_fail(s, LIBSSH2_ERROR_FILE, "the key file is too large or unreadable");
    }
    return 0;
}

/* public_blob fills |blob| from a .pub line, or derives it from the key. */
static int
public_blob(LIBSSH2_SESSION *s, const char *pub, size_t pub_len, struct s2_wr *blob)
{
    int r;
    if (pub != NULL && pub_len > 0) {
        r = s2_pubkey_line_parse(pub, pub_len, blob);
        if (r != 0) {
            return s2_api_fail(s, LIBSSH2_ERROR_FILE, "unable to parse the public key");
        }
        return 0;
    }
    r = s2_privkey_pubblob(s->signer.key, blob);
    return r != 0 ? s2_api_fail(s, r, "unable to derive the public key") : 0;
}

/* start_keyed loads the private key and starts publickey or hostbased. */
static int
start_keyed(LIBSSH2_SESSION *s, enum s2_op op, const char *user, size_t user_len,
            const char *pub, size_t pub_len, const uint8_t *priv, size_t priv_len,
            const char *passphrase, const char *host, size_t host_len, const char *luser,
            size_t luser_len)
{
    struct s2_wr blob;
    int r;
    signer_reset(s);
    s->signer.session = s;
    r = s2_privkey_load(&s->env, priv, priv_len, passphrase, &s->signer.key);
    if (r != 0) {
        return r;
    }
    s2_wr_dyn(&blob, &s->env.alloc, S2_HOSTKEY_MAX);
    r = public_blob(s, pub, pub_len, &blob);
    if (r == 0 && op == S2_OP_UA_PUBLICKEY) {
        r = s2_ua_start_publickey(s->ua, user, user_len, blob.p, blob.len, sign_with_signer,
                                  &s->signer);
    } else if (r == 0) {
        r = s2_ua_start_hostbased(s->ua, user, user_len, blob.p, blob.len, host, host_len, luser,
                                  luser_len, sign_with_signer, &s->signer);
    }
    s2_wr_free(&blob);
    if (r != 0) {
        signer_reset(s);
        return r;
    }
    s->op = op;
    return 0;
}

/* start_from_files reads the key files, then start_keyed. */
static int
start_from_files(LIBSSH2_SESSION *s, enum s2_op op, const char *user, size_t user_len,
                 const char *pubfile, const char *privfile, const char *passphrase,
                 const char *host, size_t host_len, const char *luser, size_t luser_len)
{
    struct s2_wr priv, pub;
    int r;
    s2_wr_dyn(&priv, &s->env.alloc, KEYFILE_MAX);
    s2_wr_dyn(&pub, &s->env.alloc, KEYFILE_MAX);
    priv.secret = 1;
    r = read_file(s, privfile, &priv);
    if (r == 0 && pubfile != NULL) {
        r = read_file(s, pubfile, &pub);
    }
    if (r == 0) {
        r = start_keyed(s, op, user, user_len, pubfile != NULL ? (const char *)pub.p : NULL,
                        pub.len, priv.p, priv.len, passphrase, host, host_len, luser, luser_len);
    }
    s2_wr_free(&priv);
    s2_wr_free(&pub);
    return r;
}

LIBSSH2_API int
libssh2_userauth_publickey_fromfile_ex(LIBSSH2_SESSION *s, const char *username,
                                       unsigned int username_len, const char *publickey,
                                       const char *privatekey, const char *passphrase)
{
    int r;
    if (s == NULL || username == NULL || privatekey == NULL) {
        return LIBSSH2_ERROR_BAD_USE;
    }
    r = begin(s, S2_OP_UA_PUBLICKEY);
    if (r < 0) {
        return r;
    }
    if (r == 1) {
        r = start_from_files(s, S2_OP_UA_PUBLICKEY, username, username_len, publickey,
                             privatekey, passphrase, NULL, 0, NULL, 0);
        if (r != 0) {
            return r;
        }
    }
    return run(s);
}

LIBSSH2_API int
libssh2_userauth_publickey_frommemory(LIBSSH2_SESSION *s, const char *username,
                                      size_t username_len, const char *publickeyfiledata,
                                      size_t publickeyfiledata_len,
                                      const char *privatekeyfiledata,
                                      size_t privatekeyfiledata_len, const char *passphrase)
{
    int r;
    if (s == NULL || username == NULL || privatekeyfiledata == NULL) {
        return LIBSSH2_ERROR_BAD_USE;
    }
    r = begin(s, S2_OP_UA_PUBLICKEY);
    if (r < 0) {
        return r;
    }
    if (r == 1) {
        r = start_keyed(s, S2_OP_UA_PUBLICKEY, username, username_len, publickeyfiledata,
                        publickeyfiledata != NULL ? publickeyfiledata_len : 0,
                        (const uint8_t *)privatekeyfiledata, privatekeyfiledata_len, passphrase,
                        NULL, 0, NULL, 0);
        if (r != 0) {
            return r;
        }
    }
    return run(s);
}

LIBSSH2_API int
libssh2_userauth_publickey(LIBSSH2_SESSION *s, const char *username,
                           const unsigned char *pubkeydata, size_t pubkeydata_len,
                           LIBSSH2_USERAUTH_PUBLICKEY_SIGN_FUNC((*sign_callback)), void **abstract)
{
    int r;
    if (s == NULL || username == NULL || pubkeydata == NULL || sign_callback == NULL) {
        return LIBSSH2_ERROR_BAD_USE;
    }
    r = begin(s, S2_OP_UA_PUBLICKEY);
    if (r < 0) {
        return r;
    }
    if (r == 1) {
        signer_reset(s);
        s->signer.session = s;
        s->signer.cb = sign_callback;
        s->signer.abstract = abstract;
        r = s2_ua_start_publickey(s->ua, username, strlen(username), pubkeydata, pubkeydata_len,
                                  sign_with_signer, &s->signer);
        if (r != 0) {
            signer_reset(s);
            return r;
        }
        s->op = S2_OP_UA_PUBLICKEY;
    }
    return run(s);
}

LIBSSH2_API int
libssh2_userauth_hostbased_fromfile_ex(LIBSSH2_SESSION *s, const char *username,
                                       unsigned int username_len, const char *publickey,
                                       const char *privatekey, const char *passphrase,
                                       const char *hostname, unsigned int hostname_len,
                                       const char *local_username,
                                       unsigned int local_username_len)
{
    int r;
    if (s == NULL || username == NULL || privatekey == NULL || hostname == NULL ||
        local_username == NULL) {
        return LIBSSH2_ERROR_BAD_USE;
    }
    r = begin(s, S2_OP_UA_HOSTBASED);
    if (r < 0) {
        return r;
    }
    if (r == 1) {
        r = start_from_files(s, S2_OP_UA_HOSTBASED, username, username_len, publickey,
                             privatekey, passphrase, hostname, hostname_len, local_username,
                             local_username_len);
        if (r != 0) {
            return r;
        }
    }
    return run(s);
}
