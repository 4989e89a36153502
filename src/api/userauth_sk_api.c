/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Security-key (FIDO/U2F) public key authentication, OpenSSH PROTOCOL.u2f:
 * libssh2_sign_sk and libssh2_userauth_publickey_sk.
 *
 * The device signs; the library never sees a private key. The key file
 * gives the application string, the flags and the key handle, which go to
 * the application's LIBSSH2_USERAUTH_SK_SIGN_FUNC together with the data
 * to sign (the callback and its authenticator hash it:
 * SHA256(application) || flags || counter || SHA256(data)). The signature
 * blob differs from plain keys (RFC 4253 6.6) in what follows the
 * signature string:
 *   string  "sk-ssh-ed25519@openssh.com" | "sk-ecdsa-sha2-nistp256@openssh.com"
 *   string  signature   ed25519: 64 bytes; ecdsa: mpint r || mpint s
 *   byte    flags       as the device reports them
 *   uint32  counter
 * libssh2_sign_sk produces the part after the algorithm name, as libssh2
 * does; the publickey method gets the whole blob through sign_sk() here.
 *
 * The pending call's context (the loaded key file and the callback) hangs
 * off session->signer: signer.cb is set to sk_marker so the call can be
 * recognised when it is continued after EAGAIN; this file frees the
 * context itself when the call ends.
 */
#include <string.h>

#include "api/session_int.h"

#define KEYFILE_MAX     (1024u * 1024u)
#define ED25519_SIG_LEN 64u
#define P256_SCALAR_MAX 33u /* 32 bytes, or 33 with a leading zero */
#define SK_TAIL_LEN     5u  /* byte flags, uint32 counter */

/* The context of a pending libssh2_userauth_publickey_sk call. */
struct sk_ctx {
    LIBSSH2_SESSION *session;
    struct s2_sk_key *key;   /* owned */
    LIBSSH2_PRIVKEY_SK info; /* borrows key */
};

static int
poll_ua(LIBSSH2_SESSION *s, void *arg)
{
    (void)arg;
    return s2_ua_poll(s->ua);
}

/* sk_marker tags session->signer as ours; it is never called, since the
 * userauth layer signs through sign_sk(). */
static LIBSSH2_USERAUTH_PUBLICKEY_SIGN_FUNC(sk_marker)
{
    (void)session;
    (void)sig;
    (void)sig_len;
    (void)data;
    (void)data_len;
    (void)abstract;
    return LIBSSH2_ERROR_BAD_USE;
}

/* free_sig_info releases what the callback allocated (session allocator). */
static void
free_sig_info(LIBSSH2_SESSION *s, LIBSSH2_SK_SIG_INFO *si)
{
    if (si->sig_r != NULL) {
        s2_free(&s->env.alloc, si->sig_r);
    }
    if (si->sig_s != NULL) {
        s2_free(&s->env.alloc, si->sig_s);
    }
    memset(si, 0, sizeof *si);
}

/* sign_raw asks the application's callback for a signature over |data| and
 * appends string signature, byte flags, uint32 counter to |w|. Returns 0,
 * the callback's error, LIBSSH2_ERROR_DECRYPT (no key handle, no or a
 * malformed signature), METHOD_NOT_SUPPORTED (unknown algorithm), or the
 * writer's error. */
static int
sign_raw(LIBSSH2_SESSION *s, const LIBSSH2_PRIVKEY_SK *sk, const uint8_t *data, size_t data_len,
         struct s2_wr *w)
{
    LIBSSH2_SK_SIG_INFO si;
    size_t mark;
    int r;

    memset(&si, 0, sizeof si);
    if (sk->sign_callback == NULL || sk->application == NULL) {
        return s2_api_fail(s, LIBSSH2_ERROR_BAD_USE, "incomplete LIBSSH2_PRIVKEY_SK");
    }
    if (sk->key_handle == NULL || sk->handle_len == 0) {
        return s2_api_fail(s, LIBSSH2_ERROR_DECRYPT, "the security key has no key handle");
    }
    if (sk->algorithm != LIBSSH2_HOSTKEY_TYPE_ED25519 &&
        sk->algorithm != LIBSSH2_HOSTKEY_TYPE_ECDSA_256) {
        return s2_api_fail(s, LIBSSH2_ERROR_METHOD_NOT_SUPPORTED,
                           "security keys are ed25519 or ECDSA P-256");
    }
    r = sk->sign_callback(s, &si, data, data_len, sk->algorithm, sk->flags, sk->application,
                          sk->key_handle, sk->handle_len, sk->orig_abstract);
    if (r != 0) {
        free_sig_info(s, &si);
        return s2_api_fail(s, r < 0 ? r : LIBSSH2_ERROR_DECRYPT,
                           "the security key signing callback failed");
    }
    if (sk->algorithm == LIBSSH2_HOSTKEY_TYPE_ED25519) {
        if (si.sig_r == NULL || si.sig_r_len != ED25519_SIG_LEN || si.sig_s_len != 0) {
            free_sig_info(s, &si);
            return s2_api_fail(s, LIBSSH2_ERROR_DECRYPT,
                               "the security key returned a malformed ed25519 signature");
        }
        s2_wr_str(w, si.sig_r, si.sig_r_len); /* string    signature */
    } else {
        if (si.sig_r == NULL || si.sig_s == NULL || si.sig_r_len == 0 || si.sig_s_len == 0 ||
            si.sig_r_len > P256_SCALAR_MAX || si.sig_s_len > P256_SCALAR_MAX) {
            free_sig_info(s, &si);
            return s2_api_fail(s, LIBSSH2_ERROR_DECRYPT,
                               "the security key returned a malformed ECDSA signature");
        }
        s2_wr_begin_str(w, &mark);              /* string    signature */
        s2_wr_mpint(w, si.sig_r, si.sig_r_len); /*   mpint   r */
        s2_wr_mpint(w, si.sig_s, si.sig_s_len); /*   mpint   s */
        s2_wr_end_str(w, mark);
    }
    s2_wr_u8(w, si.flags);    /* byte      flags */
    s2_wr_u32(w, si.counter); /* uint32    counter */
    free_sig_info(s, &si);
    r = s2_wr_ok(w);
    return r == 0 ? 0 : s2_api_fail(s, r, "unable to build the security key signature");
}

LIBSSH2_API int
libssh2_sign_sk(LIBSSH2_SESSION *session, unsigned char **sig, size_t *sig_len,
                const unsigned char *data, size_t data_len, void **abstract)
{
    struct s2_wr w;
    uint8_t *out = NULL;
    int r;

    if (session == NULL || sig == NULL || sig_len == NULL || abstract == NULL ||
        *abstract == NULL || (data == NULL && data_len != 0)) {
        return LIBSSH2_ERROR_BAD_USE;
    }
    *sig = NULL;
    *sig_len = 0;
    s2_wr_dyn(&w, &session->env.alloc, S2_SIG_MAX);
    r = sign_raw(session, (const LIBSSH2_PRIVKEY_SK *)*abstract, data, data_len, &w);
    if (r == 0) {
        out = s2_alloc(&session->env.alloc, w.len);
        if (out == NULL) {
            r = s2_api_fail(session, LIBSSH2_ERROR_ALLOC, "out of memory for the signature");
        } else {
            memcpy(out, w.p, w.len);
            *sig = out;
            *sig_len = w.len;
        }
    }
    s2_wr_free(&w);
    return r;
}

/* sign_sk is the s2_ua_sign_fn of libssh2_userauth_publickey_sk: the whole
 * signature blob, under the key type name from the key file (also for
 * certificates, whose signatures use the plain key's algorithm). A failing
 * device makes the attempt PUBLICKEY_UNVERIFIED, as in libssh2. */
static int
sign_sk(void *ctx, const char *alg, const uint8_t *data, size_t data_len, struct s2_wr *sig_blob)
{
    struct sk_ctx *c = ctx;
    int r;

    (void)alg;
    s2_wr_cstr(sig_blob, c->key->name); /* string    algorithm */
    r = sign_raw(c->session, &c->info, data, data_len, sig_blob);
    if (r != 0 && r != LIBSSH2_ERROR_ALLOC) {
        return s2_api_fail(c->session, LIBSSH2_ERROR_PUBLICKEY_UNVERIFIED,
                           "the security key did not sign");
    }
    return r;
}

/* ctx_of returns the pending call's context, or NULL when another kind of
 * call is pending. */
static struct sk_ctx *
ctx_of(LIBSSH2_SESSION *s)
{
    if (s->op == S2_OP_UA_PUBLICKEY && s->signer.session == s && s->signer.cb == sk_marker) {
        return (struct sk_ctx *)(void *)s->signer.abstract;
    }
    return NULL;
}

static void
ctx_free(LIBSSH2_SESSION *s, struct sk_ctx *c)
{
    if (c == NULL) {
        return;
    }
    s2_sk_key_free(&s->env.alloc, c->key);
    s2_free_secret(&s->env.alloc, c, sizeof *c);
}

/* start loads the key file, finds the public key and starts the method. */
static int
start(LIBSSH2_SESSION *s, const char *user, size_t user_len, const unsigned char *pub,
      size_t pub_len, const char *priv, size_t priv_len, const char *passphrase,
      LIBSSH2_USERAUTH_SK_SIGN_FUNC((*cb)), void **abstract)
{
    struct sk_ctx *c = NULL;
    struct s2_wr blob;
    int r;

    s2_wr_dyn(&blob, &s->env.alloc, S2_HOSTKEY_MAX);
    c = s2_zalloc(&s->env.alloc, sizeof *c);
    if (c == NULL) {
        r = s2_api_fail(s, LIBSSH2_ERROR_ALLOC, "out of memory");
        goto out;
    }
    c->session = s;
    r = s2_sk_key_load(&s->env, (const uint8_t *)priv, priv_len, passphrase, &c->key);
    if (r != 0) {
        goto out;
    }
    c->info.algorithm = c->key->algorithm;
    c->info.flags = c->key->flags;
    c->info.application = c->key->application;
    c->info.key_handle = c->key->key_handle;
    c->info.handle_len = c->key->key_handle_len;
    c->info.sign_callback = cb;
    c->info.orig_abstract = abstract;
    if (pub != NULL && pub_len > 0) {
        r = s2_pubkey_line_parse((const char *)pub, pub_len, &blob);
        if (r != 0) {
            r = s2_api_fail(s, r == LIBSSH2_ERROR_ALLOC ? r : LIBSSH2_ERROR_FILE,
                            "unable to parse the public key");
            goto out;
        }
    } else {
        s2_wr_raw(&blob, c->key->pubblob, c->key->pubblob_len);
        r = s2_wr_ok(&blob);
        if (r != 0) {
            r = s2_api_fail(s, r, "out of memory");
            goto out;
        }
    }
    r = s2_ua_start_publickey(s->ua, user, user_len, blob.p, blob.len, sign_sk, c);
    if (r != 0) {
        goto out;
    }
    memset(&s->signer, 0, sizeof s->signer);
    s->signer.session = s;
    s->signer.cb = sk_marker;
    s->signer.abstract = (void **)(void *)c;
    c = NULL;
    s->op = S2_OP_UA_PUBLICKEY;
out:
    ctx_free(s, c);
    s2_wr_free(&blob);
    return r;
}

LIBSSH2_API int
libssh2_userauth_publickey_sk(LIBSSH2_SESSION *session, const char *username, size_t username_len,
                              const unsigned char *publickeydata, size_t publickeydata_len,
                              const char *privatekeydata, size_t privatekeydata_len,
                              const char *passphrase,
                              LIBSSH2_USERAUTH_SK_SIGN_FUNC((*sign_callback)), void **abstract)
{
    struct sk_ctx *c;
    int r;

    if (session == NULL || username == NULL || privatekeydata == NULL || sign_callback == NULL) {
        return LIBSSH2_ERROR_BAD_USE;
    }
    r = s2_tp_dead(session->tp);
    if (r != 0) {
        return r;
    }
    if (ctx_of(session) == NULL) {
        if (session->op != S2_OP_NONE) {
            return s2_api_fail(session, LIBSSH2_ERROR_BAD_USE, "another call is pending");
        }
        if (!s2_tp_ready(session->tp)) {
            return s2_api_fail(session, LIBSSH2_ERROR_BAD_USE,
                               "authentication before the handshake");
        }
        if (privatekeydata_len > KEYFILE_MAX) {
            return s2_api_fail(session, LIBSSH2_ERROR_FILE, "the key file is too large");
        }
        r = start(session, username, username_len, publickeydata,
                  publickeydata != NULL ? publickeydata_len : 0, privatekeydata, privatekeydata_len,
                  passphrase, sign_callback, abstract);
        if (r != 0) {
            return r;
        }
    }
    r = s2_api_run(session, poll_ua, NULL);
    if (r != LIBSSH2_ERROR_EAGAIN) {
        c = ctx_of(session);
        session->op = S2_OP_NONE;
        memset(&session->signer, 0, sizeof session->signer);
        ctx_free(session, c);
    }
    if (r == 0) {
        s2_tp_trim(session->tp); /* an idle session keeps small buffers */
    }
    return r;
}
