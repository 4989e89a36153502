/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The "password" method (RFC 4252 8), with SSH_MSG_USERAUTH_PASSWD_CHANGEREQ
 * answered through the application's LIBSSH2_PASSWD_CHANGEREQ_FUNC.
 */
#include <string.h>

#include "auth/ua_int.h"

#define NEWPASS_MAX 4096u

void
s2_ua_password_cleanup(struct s2_ua *ua)
{
    s2_free_secret(&ua->env->alloc, ua->password, ua->password_len);
    ua->password = NULL;
    ua->password_len = 0;
    s2_free(&ua->env->alloc, ua->prompt);
    ua->prompt = NULL;
}

/* boolean FALSE, string plaintext password */
int
s2_ua_send_password(struct s2_ua *ua)
{
    struct s2_wr *w = NULL;
    int r = s2_ua_begin_request(ua, "password", ua->password_len + 8, &w);
    if (r != 0) {
        return r;
    }
    s2_wr_bool(w, 0);
    s2_wr_str(w, ua->password, ua->password_len);
    r = s2_tp_commit(ua->tp);
    if (r == 0) {
        UA_SET_STATE(ua, S2_UA_WAIT_REPLY);
    }
    return r;
}

/* SSH_MSG_USERAUTH_PASSWD_CHANGEREQ: string prompt, string language tag */
int
s2_ua_on_changereq(struct s2_ua *ua, struct s2_rd *r)
{
    struct s2_rd prompt, lang;
    s2_rd_str(r, S2_STRING_MAX, &prompt);
    s2_rd_str(r, S2_STRING_MAX, &lang);
    if (s2_rd_finish(r) != 0) {
        return s2_ua_proto(ua, "malformed PASSWD_CHANGEREQ");
    }
    if (ua->change_cb == NULL) {
        UA_SET_STATE(ua, S2_UA_IDLE);
        s2_ua_finish(ua, LIBSSH2_ERROR_PASSWORD_EXPIRED);
        return 0;
    }
    s2_free(&ua->env->alloc, ua->prompt);
    ua->prompt = s2_rd_strdup(&prompt, &ua->env->alloc, S2_STRING_MAX);
    UA_SET_STATE(ua, S2_UA_SEND_NEWPASS);
    return 0;
}

/* boolean TRUE, string old password, string new password */
int
s2_ua_send_newpass(struct s2_ua *ua)
{
    struct s2_wr *w = NULL;
    char *newpw = NULL;
    int newpw_len = 0;
    int r = s2_ua_begin_request(ua, "password", ua->password_len + NEWPASS_MAX + 16, &w);
    if (r != 0) {
        return r;
    }
    ua->change_cb(ua->session, &newpw, &newpw_len, ua->abstract);
    if (newpw == NULL || newpw_len <= 0 || (size_t)newpw_len > NEWPASS_MAX) {
        s2_tp_abort(ua->tp);
        if (newpw != NULL) {
            s2_free(&ua->env->alloc, newpw);
        }
        UA_SET_STATE(ua, S2_UA_IDLE);
        s2_ua_finish(ua, LIBSSH2_ERROR_PASSWORD_EXPIRED);
        return 0;
    }
    s2_wr_bool(w, 1);
    s2_wr_str(w, ua->password, ua->password_len);
    s2_wr_str(w, newpw, (size_t)newpw_len);
    s2_free_secret(&ua->env->alloc, newpw, (size_t)newpw_len);
    r = s2_tp_commit(ua->tp);
    if (r == 0) {
        UA_SET_STATE(ua, S2_UA_WAIT_REPLY);
    }
    return r;
}
