/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * User authentication (RFC 4252): the service request, the request engine
 * shared by every method, the "none" method, and the generic replies
 * (FAILURE, SUCCESS, BANNER). Message 60 is routed by ua->method.
 *
 * State (enum s2_ua_state, ua_int.h): NEED_SERVICE -> WAIT_SERVICE -> IDLE;
 * a start function moves IDLE to SEND_REQUEST; poll queues the request
 * (WAIT_REPLY); replies lead back to IDLE (failure), to DONE (success), or
 * to SEND_PROMPTS / SEND_NEWPASS / SEND_SIGNED when the method continues.
 */
#include <string.h>

#include "auth/ua_int.h"

static const char *const ua_state_name[] = {"NEED_SERVICE", "WAIT_SERVICE", "IDLE",
                                            "SEND_REQUEST", "WAIT_REPLY",   "SEND_PROMPTS",
                                            "SEND_NEWPASS", "SEND_SIGNED",  "DONE"};

void
s2_ua_set_state(struct s2_ua *ua, enum s2_ua_state st, int line)
{
    s2_tracef(ua->env, LIBSSH2_TRACE_AUTH, "userauth: %s -> %s (line %d)",
              ua_state_name[ua->state], ua_state_name[st], line);
    ua->state = st;
}

int
s2_ua_new(struct s2_env *env, struct s2_tp *tp, struct s2_ua **out)
{
    struct s2_ua *ua = s2_zalloc(&env->alloc, sizeof *ua);
    if (ua == NULL) {
        return s2_err_set(env, LIBSSH2_ERROR_ALLOC, "out of memory for userauth");
    }
    ua->env = env;
    ua->tp = tp;
    ua->state = S2_UA_NEED_SERVICE;
    *out = ua;
    return 0;
}

/* clear_request releases everything one request copied. */
static void
clear_request(struct s2_ua *ua)
{
    s2_ua_password_cleanup(ua);
    s2_ua_kbdint_cleanup(ua);
    s2_ua_publickey_cleanup(ua);
}

/* reap ends an abandoned request. */
static void
reap(struct s2_ua *ua)
{
    ua->pending = 0;
    ua->orphan = 0;
    clear_request(ua);
}

void
s2_ua_free(struct s2_ua *ua)
{
    if (ua == NULL) {
        return;
    }
    clear_request(ua);
    s2_free(&ua->env->alloc, ua->user);
    s2_free(&ua->env->alloc, ua->methods);
    s2_free(&ua->env->alloc, ua->banner);
    s2_free(&ua->env->alloc, ua->sig_prefs);
    s2_free(&ua->env->alloc, ua);
}

int
s2_ua_set_sig_prefs(struct s2_ua *ua, const char *prefs)
{
    char *copy = NULL;
    if (prefs != NULL) {
        copy = s2_memdup(&ua->env->alloc, prefs, strlen(prefs));
        if (copy == NULL) {
            return s2_err_set(ua->env, LIBSSH2_ERROR_ALLOC, "out of memory");
        }
    }
    s2_free(&ua->env->alloc, ua->sig_prefs);
    ua->sig_prefs = copy;
    return 0;
}

/* start copies the user name and makes a request of |method| pending. */
void
s2_ua_cancel(struct s2_ua *ua)
{
    if (!ua->pending) {
        return;
    }
    ua->orphan = 1;
    ua->sign = NULL;
    ua->sign_ctx = NULL;
    ua->kb.cb = NULL;
    ua->change_cb = NULL;
    if (ua->state == S2_UA_SEND_REQUEST || ua->state == S2_UA_SEND_PROMPTS ||
        ua->state == S2_UA_SEND_NEWPASS || ua->state == S2_UA_SEND_SIGNED) {
        /* nothing of it is on the wire: drop it now */
        UA_SET_STATE(ua, S2_UA_IDLE);
        reap(ua);
    } else if (ua->answered) {
        reap(ua);
    }
}

static int
start(struct s2_ua *ua, enum s2_ua_method method, const char *user, size_t user_len)
{
    char *u;
    if (user_len == 0 || user_len > S2_USER_MAX) {
        /* U-10: bounded before anything is allocated or read */
        return s2_err_set(ua->env, LIBSSH2_ERROR_INVAL, "user name empty or too long");
    }
    if (ua->pending || ua->state == S2_UA_DONE) {
        return s2_err_set(ua->env, LIBSSH2_ERROR_BAD_USE,
                          "an authentication request is pending or authentication is done");
    }
    u = s2_memdup(&ua->env->alloc, user, user_len);
    if (u == NULL) {
        return s2_err_set(ua->env, LIBSSH2_ERROR_ALLOC, "out of memory for the user name");
    }
    s2_free(&ua->env->alloc, ua->user);
    ua->user = u;
    ua->user_len = user_len;
    ua->method = method;
    ua->pending = 1;
    ua->answered = 0;
    ua->result = 0;
    if (ua->state == S2_UA_IDLE) {
        UA_SET_STATE(ua, S2_UA_SEND_REQUEST);
    }
    return 0;
}

int
s2_ua_start_none(struct s2_ua *ua, const char *user, size_t user_len)
{
    return start(ua, S2_UAM_NONE, user, user_len);
}

int
s2_ua_start_password(struct s2_ua *ua, const char *user, size_t user_len, const char *pw,
                     size_t pw_len, LIBSSH2_PASSWD_CHANGEREQ_FUNC((*change_cb)),
                     LIBSSH2_SESSION *session, void **abstract)
{
    char *copy;
    int r;
    if (ua->pending) {
        return s2_err_set(ua->env, LIBSSH2_ERROR_BAD_USE, "an authentication request is pending");
    }
    if (pw_len > S2_PASSWORD_MAX || user_len == 0 || user_len > S2_USER_MAX) {
        return s2_err_set(ua->env, LIBSSH2_ERROR_INVAL, "user name or password length invalid");
    }
    copy = s2_memdup(&ua->env->alloc, pw, pw_len);
    if (copy == NULL) {
        return s2_err_set(ua->env, LIBSSH2_ERROR_ALLOC, "out of memory for the password");
    }
    r = start(ua, S2_UAM_PASSWORD, user, user_len);
    if (r != 0) {
        s2_free_secret(&ua->env->alloc, copy, pw_len);
        return r;
    }
    ua->password = copy;
    ua->password_len = pw_len;
    ua->change_cb = change_cb;
    ua->session = session;
    ua->abstract = abstract;
    return 0;
}

int
s2_ua_start_kbdint(struct s2_ua *ua, const char *user, size_t user_len,
                   const struct s2_ua_kbdint *kb)
{
    int r = start(ua, S2_UAM_KBDINT, user, user_len);
    if (r == 0) {
        ua->kb = *kb;
    }
    return r;
}

static int
keep_key(struct s2_ua *ua, const uint8_t *pubkey, size_t pubkey_len, s2_ua_sign_fn sign,
         void *ctx)
{
    ua->pubkey = (uint8_t *)s2_memdup(&ua->env->alloc, pubkey, pubkey_len);
    if (ua->pubkey == NULL) {
        return s2_err_set(ua->env, LIBSSH2_ERROR_ALLOC, "out of memory for the public key");
    }
    ua->pubkey_len = pubkey_len;
    ua->sign = sign;
    ua->sign_ctx = ctx;
    return 0;
}

int
s2_ua_start_publickey(struct s2_ua *ua, const char *user, size_t user_len, const uint8_t *pubkey,
                      size_t pubkey_len, s2_ua_sign_fn sign, void *ctx)
{
    int r;
    if (ua->pending) {
        return s2_err_set(ua->env, LIBSSH2_ERROR_BAD_USE, "an authentication request is pending");
    }
    r = keep_key(ua, pubkey, pubkey_len, sign, ctx);
    if (r == 0) {
        r = start(ua, S2_UAM_PUBLICKEY, user, user_len);
    }
    if (r != 0) {
        s2_ua_publickey_cleanup(ua);
    }
    return r;
}

int
s2_ua_start_hostbased(struct s2_ua *ua, const char *user, size_t user_len, const uint8_t *pubkey,
                      size_t pubkey_len, const char *host, size_t host_len,
                      const char *local_user, size_t local_user_len, s2_ua_sign_fn sign,
                      void *ctx)
{
    int r;
    if (ua->pending) {
        return s2_err_set(ua->env, LIBSSH2_ERROR_BAD_USE, "an authentication request is pending");
    }
    r = keep_key(ua, pubkey, pubkey_len, sign, ctx);
    if (r == 0) {
        ua->host = s2_memdup(&ua->env->alloc, host, host_len);
        ua->local_user = s2_memdup(&ua->env->alloc, local_user, local_user_len);
        ua->host_len = host_len;
        ua->local_user_len = local_user_len;
        if (ua->host == NULL || ua->local_user == NULL) {
            r = s2_err_set(ua->env, LIBSSH2_ERROR_ALLOC, "out of memory for the host name");
        }
    }
    if (r == 0) {
        r = start(ua, S2_UAM_HOSTBASED, user, user_len);
    }
    if (r != 0) {
        s2_ua_publickey_cleanup(ua);
    }
    return r;
}

int
s2_ua_begin_request(struct s2_ua *ua, const char *method, size_t extra, struct s2_wr **w)
{
    int r = s2_tp_begin(ua->tp, 0, ua->user_len + strlen(method) + extra + 64, w);
    if (r != 0) {
        return r;
    }
    /* RFC 4252 5: byte 50, string user name, string service, string method */
    s2_wr_u8(*w, SSH_MSG_USERAUTH_REQUEST);
    s2_wr_str(*w, ua->user, ua->user_len);
    s2_wr_cstr(*w, "ssh-connection");
    s2_wr_cstr(*w, method);
    return 0;
}

void
s2_ua_finish(struct s2_ua *ua, int result)
{
    ua->answered = 1;
    ua->result = result;
    if (ua->orphan) {
        reap(ua);
        return;
    }
    if (result != 0 && result != LIBSSH2_ERROR_EAGAIN) {
        s2_err_set(ua->env, result,
                   result == LIBSSH2_ERROR_PUBLICKEY_UNVERIFIED
                       ? "the server rejected the signature for this public key"
                   : result == LIBSSH2_ERROR_PASSWORD_EXPIRED
                       ? "the password has expired and no change callback was given"
                       : "authentication failed");
    }
}

int
s2_ua_proto(struct s2_ua *ua, const char *msg)
{
    return s2_tp_fatal(ua->tp, LIBSSH2_ERROR_PROTO, SSH_DISCONNECT_PROTOCOL_ERROR, msg);
}

static int
send_service_request(struct s2_ua *ua)
{
    struct s2_wr *w = NULL;
    int r = s2_tp_begin(ua->tp, 0, 32, &w);
    if (r != 0) {
        return r;
    }
    s2_wr_u8(w, SSH_MSG_SERVICE_REQUEST);
    s2_wr_cstr(w, "ssh-userauth");
    r = s2_tp_commit(ua->tp);
    if (r == 0) {
        UA_SET_STATE(ua, S2_UA_WAIT_SERVICE);
    }
    return r;
}

/* send_none: no method-specific fields (RFC 4252 5.2). */
static int
send_none(struct s2_ua *ua)
{
    struct s2_wr *w = NULL;
    int r = s2_ua_begin_request(ua, "none", 0, &w);
    if (r != 0) {
        return r;
    }
    r = s2_tp_commit(ua->tp);
    if (r == 0) {
        UA_SET_STATE(ua, S2_UA_WAIT_REPLY);
    }
    return r;
}

static int
send_request(struct s2_ua *ua)
{
    switch (ua->method) {
    case S2_UAM_NONE:
        return send_none(ua);
    case S2_UAM_PASSWORD:
        return s2_ua_send_password(ua);
    case S2_UAM_KBDINT:
        return s2_ua_send_kbdint(ua);
    case S2_UAM_PUBLICKEY:
        return s2_ua_send_pk_query(ua);
    default:
        return s2_ua_send_signed(ua); /* hostbased: one signed request */
    }
}

/* step queues what the state calls for; 0 when it moved on. */
static int
step(struct s2_ua *ua)
{
    switch (ua->state) {
    case S2_UA_NEED_SERVICE:
        return send_service_request(ua);
    case S2_UA_SEND_REQUEST:
        return send_request(ua);
    case S2_UA_SEND_PROMPTS:
        return s2_ua_send_prompts(ua);
    case S2_UA_SEND_NEWPASS:
        return s2_ua_send_newpass(ua);
    case S2_UA_SEND_SIGNED:
        return s2_ua_send_signed(ua);
    default:
        return LIBSSH2_ERROR_EAGAIN; /* waiting for the server */
    }
}

int
s2_ua_poll(struct s2_ua *ua)
{
    int r;
    if (!ua->pending) {
        return s2_err_set(ua->env, LIBSSH2_ERROR_BAD_USE, "no authentication request pending");
    }
    for (;;) {
        if (ua->answered) {
            ua->pending = 0;
            clear_request(ua);
            return ua->result;
        }
        r = step(ua);
        if (r == LIBSSH2_ERROR_EAGAIN) {
            return r;
        }
        if (r != 0) {
            /* a local failure (signing, allocation): the session stays usable
             * unless the transport died */
            ua->pending = 0;
            if (ua->state != S2_UA_DONE && ua->state != S2_UA_NEED_SERVICE &&
                ua->state != S2_UA_WAIT_SERVICE) {
                UA_SET_STATE(ua, S2_UA_IDLE);
            }
            clear_request(ua);
            return r;
        }
    }
}

int
s2_ua_pending(const struct s2_ua *ua)
{
    return ua->pending;
}

/* RFC 4252 5.1: name-list authentications that can continue, boolean partial */
static int
on_failure(struct s2_ua *ua, struct s2_rd *r)
{
    struct s2_rd methods;
    int result;
    s2_rd_str(r, S2_NAMELIST_MAX, &methods);
    (void)s2_rd_bool(r);
    if (s2_rd_finish(r) != 0) {
        return s2_ua_proto(ua, "malformed USERAUTH_FAILURE");
    }
    s2_free(&ua->env->alloc, ua->methods);
    ua->methods = s2_rd_strdup(&methods, &ua->env->alloc, S2_NAMELIST_MAX);
    if (ua->methods == NULL) {
        return s2_tp_fatal(ua->tp, LIBSSH2_ERROR_ALLOC, 0, "out of memory for the method list");
    }
    switch (ua->method) {
    case S2_UAM_NONE:
        result = 0;
        break;
    case S2_UAM_PUBLICKEY:
        /* a refused signed request means the signature did not verify */
        result = ua->signed_sent ? LIBSSH2_ERROR_PUBLICKEY_UNVERIFIED
                                 : LIBSSH2_ERROR_AUTHENTICATION_FAILED;
        break;
    case S2_UAM_HOSTBASED:
        result = LIBSSH2_ERROR_PUBLICKEY_UNVERIFIED;
        break;
    default:
        result = LIBSSH2_ERROR_AUTHENTICATION_FAILED;
        break;
    }
    UA_SET_STATE(ua, S2_UA_IDLE);
    s2_ua_finish(ua, result);
    return 0;
}

static int
on_banner(struct s2_ua *ua, struct s2_rd *r)
{
    struct s2_rd text, lang;
    s2_rd_str(r, S2_STRING_MAX, &text);
    s2_rd_str(r, S2_STRING_MAX, &lang);
    if (s2_rd_finish(r) != 0) {
        return s2_ua_proto(ua, "malformed USERAUTH_BANNER");
    }
    s2_free(&ua->env->alloc, ua->banner);
    ua->banner = s2_rd_strdup(&text, &ua->env->alloc, S2_STRING_MAX);
    return 0; /* a banner we cannot keep is dropped, as RFC 4252 5.4 allows */
}

/* on_60 handles the method-specific message 60 (RFC 4252 7 and 8, RFC 4256 3.2). */
static int
on_60(struct s2_ua *ua, struct s2_rd *r)
{
    if (ua->state != S2_UA_WAIT_REPLY) {
        return s2_ua_proto(ua, "unexpected userauth message 60");
    }
    switch (ua->method) {
    case S2_UAM_PASSWORD:
        return s2_ua_on_changereq(ua, r);
    case S2_UAM_KBDINT:
        return s2_ua_on_info_request(ua, r);
    case S2_UAM_PUBLICKEY:
        return s2_ua_on_pk_ok(ua, r);
    default:
        return s2_ua_proto(ua, "unexpected userauth message 60");
    }
}

int
s2_ua_on_packet(struct s2_ua *ua, struct s2_rd *payload)
{
    struct s2_rd name;
    uint8_t msg = s2_rd_u8(payload);
    switch (msg) {
    case SSH_MSG_SERVICE_ACCEPT:
        s2_rd_str(payload, 64, &name);
        if (ua->state != S2_UA_WAIT_SERVICE || s2_rd_finish(payload) != 0 ||
            !s2_rd_eq(&name, "ssh-userauth")) {
            return s2_ua_proto(ua, "unexpected SERVICE_ACCEPT");
        }
        UA_SET_STATE(ua, ua->pending ? S2_UA_SEND_REQUEST : S2_UA_IDLE);
        return 0;
    case SSH_MSG_USERAUTH_FAILURE:
        if (ua->state != S2_UA_WAIT_REPLY) {
            return s2_ua_proto(ua, "unexpected USERAUTH_FAILURE");
        }
        return on_failure(ua, payload);
    case SSH_MSG_USERAUTH_SUCCESS:
        if (ua->state != S2_UA_WAIT_REPLY || s2_rd_finish(payload) != 0) {
            return s2_ua_proto(ua, "unexpected USERAUTH_SUCCESS");
        }
        UA_SET_STATE(ua, S2_UA_DONE);
        s2_ua_finish(ua, 0);
        s2_tp_auth_done(ua->tp);
        return 0;
    case SSH_MSG_USERAUTH_BANNER:
        if (ua->state == S2_UA_DONE) {
            return s2_ua_proto(ua, "USERAUTH_BANNER after authentication");
        }
        return on_banner(ua, payload);
    case 60:
        return on_60(ua, payload);
    default:
        return s2_ua_proto(ua, "unexpected userauth message");
    }
}

const char *
s2_ua_methods(const struct s2_ua *ua)
{
    return ua->methods;
}

int
s2_ua_authenticated(const struct s2_ua *ua)
{
    return ua->state == S2_UA_DONE;
}

const char *
s2_ua_banner(const struct s2_ua *ua)
{
    return ua->banner;
}
