/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * User authentication (RFC 4252): SERVICE_REQUEST "ssh-userauth", the
 * "none" method, FAILURE / SUCCESS / BANNER handling.
 *
 * State (enum s2_ua_state): NEED_SERVICE -> WAIT_SERVICE -> IDLE ->
 * WAIT_REPLY -> IDLE (failure) or DONE (success).
 */
#include <string.h>

#include "auth/auth.h"
#include "transport/ssh_msg.h"

enum s2_ua_state {
    S2_UA_NEED_SERVICE, /* SERVICE_REQUEST not yet queued */
    S2_UA_WAIT_SERVICE, /* SERVICE_REQUEST queued; waiting for SERVICE_ACCEPT */
    S2_UA_IDLE,         /* service accepted; a request may be sent */
    S2_UA_WAIT_REPLY,   /* USERAUTH_REQUEST queued; waiting for FAILURE/SUCCESS */
    S2_UA_DONE          /* authenticated; terminal */
};

static const char *const ua_state_name[] = {"NEED_SERVICE", "WAIT_SERVICE", "IDLE", "WAIT_REPLY",
                                            "DONE"};

struct s2_ua {
    struct s2_env *env;
    struct s2_tp *tp;
    enum s2_ua_state state;
    int pending;   /* a request is wanted or in flight */
    int answered;  /* the pending request got its answer */
    char *user;
    size_t user_len;
    char *methods;
    char *banner;
};

static void
ua_set_state(struct s2_ua *ua, enum s2_ua_state st, int line)
{
    s2_tracef(ua->env, LIBSSH2_TRACE_AUTH, "userauth: %s -> %s (line %d)",
              ua_state_name[ua->state], ua_state_name[st], line);
    ua->state = st;
}
#define UA_SET_STATE(ua, st) ua_set_state((ua), (st), __LINE__)

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

void
s2_ua_free(struct s2_ua *ua)
{
    if (ua == NULL) {
        return;
    }
    s2_free(&ua->env->alloc, ua->user);
    s2_free(&ua->env->alloc, ua->methods);
    s2_free(&ua->env->alloc, ua->banner);
    s2_free(&ua->env->alloc, ua);
}

int
s2_ua_start_none(struct s2_ua *ua, const char *user, size_t user_len)
{
    if (ua->pending || ua->state == S2_UA_DONE) {
        return s2_err_set(ua->env, LIBSSH2_ERROR_BAD_USE, "authentication request pending or done");
    }
    s2_free(&ua->env->alloc, ua->user);
    ua->user = s2_memdup(&ua->env->alloc, user, user_len);
    if (ua->user == NULL) {
        return s2_err_set(ua->env, LIBSSH2_ERROR_ALLOC, "out of memory for the user name");
    }
    ua->user_len = user_len;
    ua->pending = 1;
    ua->answered = 0;
    return 0;
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

/* RFC 4252 5: string user, string service, string "none" */
static int
send_none(struct s2_ua *ua)
{
    struct s2_wr *w = NULL;
    int r = s2_tp_begin(ua->tp, 0, ua->user_len + 64, &w);
    if (r != 0) {
        return r;
    }
    s2_wr_u8(w, SSH_MSG_USERAUTH_REQUEST);
    s2_wr_str(w, ua->user, ua->user_len);
    s2_wr_cstr(w, "ssh-connection");
    s2_wr_cstr(w, "none");
    r = s2_tp_commit(ua->tp);
    if (r == 0) {
        UA_SET_STATE(ua, S2_UA_WAIT_REPLY);
    }
    return r;
}

int
s2_ua_poll(struct s2_ua *ua)
{
    int r;
    if (!ua->pending) {
        return s2_err_set(ua->env, LIBSSH2_ERROR_BAD_USE, "no authentication request pending");
    }
    if (ua->answered) {
        ua->pending = 0;
        return 0;
    }
    if (ua->state == S2_UA_NEED_SERVICE) {
        r = send_service_request(ua);
        if (r != 0) {
            return r;
        }
    }
    if (ua->state == S2_UA_IDLE) {
        r = send_none(ua);
        if (r != 0) {
            return r;
        }
    }
    return LIBSSH2_ERROR_EAGAIN;
}

static int
proto(struct s2_ua *ua, const char *msg)
{
    return s2_tp_fatal(ua->tp, LIBSSH2_ERROR_PROTO, SSH_DISCONNECT_PROTOCOL_ERROR, msg);
}

static int
on_failure(struct s2_ua *ua, struct s2_rd *r)
{
    struct s2_rd methods;
    s2_rd_str(r, S2_NAMELIST_MAX, &methods); /* name-list authentications that can continue */
    (void)s2_rd_bool(r);                     /* boolean partial success */
    if (s2_rd_finish(r) != 0) {
        return proto(ua, "malformed USERAUTH_FAILURE");
    }
    s2_free(&ua->env->alloc, ua->methods);
    ua->methods = s2_rd_strdup(&methods, &ua->env->alloc, S2_NAMELIST_MAX);
    if (ua->methods == NULL) {
        return s2_tp_fatal(ua->tp, LIBSSH2_ERROR_ALLOC, 0, "out of memory for the method list");
    }
    ua->answered = 1;
    UA_SET_STATE(ua, S2_UA_IDLE);
    return 0;
}

static int
on_banner(struct s2_ua *ua, struct s2_rd *r)
{
    struct s2_rd text, lang;
    s2_rd_str(r, S2_STRING_MAX, &text);
    s2_rd_str(r, S2_STRING_MAX, &lang);
    if (s2_rd_finish(r) != 0) {
        return proto(ua, "malformed USERAUTH_BANNER");
    }
    s2_free(&ua->env->alloc, ua->banner);
    ua->banner = s2_rd_strdup(&text, &ua->env->alloc, S2_STRING_MAX);
    return 0; /* a banner we cannot keep is dropped, as RFC 4252 5.4 allows */
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
            return proto(ua, "unexpected SERVICE_ACCEPT");
        }
        UA_SET_STATE(ua, S2_UA_IDLE);
        return 0;
    case SSH_MSG_USERAUTH_FAILURE:
        if (ua->state != S2_UA_WAIT_REPLY) {
            return proto(ua, "unexpected USERAUTH_FAILURE");
        }
        return on_failure(ua, payload);
    case SSH_MSG_USERAUTH_SUCCESS:
        if (ua->state != S2_UA_WAIT_REPLY || s2_rd_finish(payload) != 0) {
            return proto(ua, "unexpected USERAUTH_SUCCESS");
        }
        ua->answered = 1;
        UA_SET_STATE(ua, S2_UA_DONE);
        s2_tp_auth_done(ua->tp);
        return 0;
    case SSH_MSG_USERAUTH_BANNER:
        if (ua->state == S2_UA_DONE) {
            return proto(ua, "USERAUTH_BANNER after authentication");
        }
        return on_banner(ua, payload);
    default:
        return proto(ua, "unexpected userauth message");
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
