/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * auth: the user authentication protocol (RFC 4252, RFC 4256, RFC 8332,
 * RFC 8308 server-sig-algs): the service request and the none, password,
 * keyboard-interactive, publickey and hostbased methods. Signing goes through
 * a callback, so key files, the agent and application callbacks plug in from
 * the api floor.
 */
#ifndef S2_AUTH_H
#define S2_AUTH_H

#include "core/core.h"
#include "transport/transport.h"

struct s2_ua;

/* s2_ua_sign_fn signs |data| for the key being tried with signature
 * algorithm |alg| (NUL-terminated, e.g. "rsa-sha2-512") and appends the SSH
 * signature blob (string alg, string signature) to |sig_blob|. 0 or an
 * error (which fails the attempt and is returned to the caller). */
typedef int (*s2_ua_sign_fn)(void *ctx, const char *alg, const uint8_t *data, size_t data_len,
                             struct s2_wr *sig_blob);

/* s2_ua_kbdint_fn answers keyboard-interactive prompts (the libssh2
 * callback with the session's abstract pointer). */
struct s2_ua_kbdint {
    LIBSSH2_USERAUTH_KBDINT_RESPONSE_FUNC((*cb));
    void **abstract;
};

/* s2_ua_new makes the userauth object over |tp| (borrowed). Caller frees
 * with s2_ua_free(). Returns 0 or ALLOC. */
int s2_ua_new(struct s2_env *env, struct s2_tp *tp, struct s2_ua **out) S2_MUST_CHECK;
/* s2_ua_free releases |ua|, wiping secrets (NULL is fine). */
void s2_ua_free(struct s2_ua *ua);

/* Each start function copies its arguments (secrets wiped later) and makes
 * the request pending; s2_ua_poll() then drives it. They return 0, ALLOC,
 * or BAD_USE when a request is pending or authentication is done. */
/* "none": the answer lists the methods that can continue. */
int s2_ua_start_none(struct s2_ua *ua, const char *user, size_t user_len) S2_MUST_CHECK;
/* "password" (RFC 4252 8), with the optional password-change callback. */
int s2_ua_start_password(struct s2_ua *ua, const char *user, size_t user_len, const char *pw,
                         size_t pw_len, LIBSSH2_PASSWD_CHANGEREQ_FUNC((*change_cb)),
                         LIBSSH2_SESSION *session, void **abstract) S2_MUST_CHECK;
/* "keyboard-interactive" (RFC 4256). */
int s2_ua_start_kbdint(struct s2_ua *ua, const char *user, size_t user_len,
                       const struct s2_ua_kbdint *kb) S2_MUST_CHECK;
/* "publickey" (RFC 4252 7): the PK_OK query without a signature first,
 * then the signed request. |pubkey| is the key or certificate blob. The
 * signature algorithm for RSA keys is chosen from server-sig-algs
 * (rsa-sha2-512, rsa-sha2-256), else ssh-rsa; |sig_prefs| (NULL or a
 * comma-separated LIBSSH2_METHOD_SIGN_ALGO list) narrows the choice. */
int s2_ua_start_publickey(struct s2_ua *ua, const char *user, size_t user_len,
                          const uint8_t *pubkey, size_t pubkey_len, s2_ua_sign_fn sign,
                          void *ctx) S2_MUST_CHECK;
/* "hostbased" (RFC 4252 9): one signed request. */
int s2_ua_start_hostbased(struct s2_ua *ua, const char *user, size_t user_len,
                          const uint8_t *pubkey, size_t pubkey_len, const char *host,
                          size_t host_len, const char *local_user, size_t local_user_len,
                          s2_ua_sign_fn sign, void *ctx) S2_MUST_CHECK;
/* s2_ua_set_sig_prefs sets the LIBSSH2_METHOD_SIGN_ALGO preference list
 * (copied; NULL restores the default). 0 or ALLOC. */
int s2_ua_set_sig_prefs(struct s2_ua *ua, const char *prefs) S2_MUST_CHECK;

/* s2_ua_poll drives the pending request: 0 when authentication succeeded
 * (or, for "none", when the answer arrived), LIBSSH2_ERROR_EAGAIN, or the
 * libssh2 code for the failure (AUTHENTICATION_FAILED,
 * PUBLICKEY_UNVERIFIED, PASSWORD_EXPIRED, ...), after which the session
 * is usable for the next attempt. */
int s2_ua_poll(struct s2_ua *ua) S2_MUST_CHECK;
/* s2_ua_cancel abandons the pending request: its sign callback is never
 * called again, and a reply still in flight is consumed silently. */
void s2_ua_cancel(struct s2_ua *ua);
/* s2_ua_pending tells whether a request is pending. */
int s2_ua_pending(const struct s2_ua *ua);
/* s2_ua_on_packet takes SERVICE_ACCEPT and messages 50-79 (|payload| at the
 * message number). Never EAGAIN. */
int s2_ua_on_packet(struct s2_ua *ua, struct s2_rd *payload) S2_MUST_CHECK;
/* s2_ua_methods returns the methods that can continue from the last
 * USERAUTH_FAILURE (owned by ua), or NULL. */
const char *s2_ua_methods(const struct s2_ua *ua);
/* s2_ua_authenticated tells whether authentication succeeded. */
int s2_ua_authenticated(const struct s2_ua *ua);
/* s2_ua_banner returns the last USERAUTH_BANNER text (owned by ua) or NULL. */
const char *s2_ua_banner(const struct s2_ua *ua);

#endif /* S2_AUTH_H */
