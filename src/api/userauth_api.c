/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libssh2_userauth_* entry points. This milestone: userauth_list (the
 * "none" request), userauth_authenticated and userauth_banner.
 */
#include <string.h>

#include "api/session_int.h"

static int
poll_ua(LIBSSH2_SESSION *s, void *arg)
{
    (void)arg;
    return s2_ua_poll(s->ua);
}

LIBSSH2_API char *
libssh2_userauth_list(LIBSSH2_SESSION *s, const char *username, unsigned int username_len)
{
    int r;
    if (s == NULL) {
        return NULL;
    }
    r = s2_tp_dead(s->tp);
    if (r != 0) {
        return NULL; /* last_error still says why the session died */
    }
    if (s->op == S2_OP_NONE) {
        if (!s2_tp_ready(s->tp)) {
            s2_api_fail(s, LIBSSH2_ERROR_BAD_USE, "userauth before the handshake");
            return NULL;
        }
        if (s2_ua_authenticated(s->ua)) {
            return NULL;
        }
        r = s2_ua_start_none(s->ua, username != NULL ? username : "", username != NULL ? username_len : 0);
        if (r != 0) {
            return NULL;
        }
        s->op = S2_OP_UA_LIST;
    } else if (s->op != S2_OP_UA_LIST) {
        s2_api_fail(s, LIBSSH2_ERROR_BAD_USE, "another call is pending");
        return NULL;
    }
    r = s2_api_run(s, poll_ua, NULL);
    if (r == LIBSSH2_ERROR_EAGAIN) {
        return NULL;
    }
    s->op = S2_OP_NONE;
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
