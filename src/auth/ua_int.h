/* SPDX-License-Identifier: BSD-3-Clause */
/* Private to auth: the userauth object and its one state enum. */
#ifndef S2_UA_INT_H
#define S2_UA_INT_H

#include "auth/auth.h"
#include "transport/ssh_msg.h"

enum s2_ua_state {
    S2_UA_NEED_SERVICE, /* SERVICE_REQUEST not yet queued */
    S2_UA_WAIT_SERVICE, /* SERVICE_REQUEST queued; waiting for SERVICE_ACCEPT */
    S2_UA_IDLE,         /* service accepted; no request pending */
    S2_UA_SEND_REQUEST, /* a request was started; its first message is to be queued */
    S2_UA_WAIT_REPLY,   /* USERAUTH_REQUEST queued; meaning of msg 60 depends on ua->method */
    S2_UA_SEND_PROMPTS, /* kbd-int INFO_REQUEST parsed; the app callback must answer */
    S2_UA_SEND_NEWPASS, /* PASSWD_CHANGEREQ parsed; the app callback gives a new password */
    S2_UA_SEND_SIGNED,  /* PK_OK received; the signed publickey request is to be queued */
    S2_UA_DONE          /* authenticated; terminal */
};

enum s2_ua_method {
    S2_UAM_NONE,
    S2_UAM_PASSWORD,
    S2_UAM_KBDINT,
    S2_UAM_PUBLICKEY,
    S2_UAM_HOSTBASED
};

struct s2_ua {
    struct s2_env *env;
    struct s2_tp *tp;
    enum s2_ua_state state;
    enum s2_ua_method method;
    int pending;       /* a request was started and has no answer yet */
    int answered;      /* the pending request got its answer: see result */
    int orphan;        /* the caller abandoned the pending request */
    int result;        /* 0 or the libssh2 error for the finished request */
    char *user;
    size_t user_len;
    char *methods;     /* from the last USERAUTH_FAILURE */
    char *banner;
    char *sig_prefs;   /* LIBSSH2_METHOD_SIGN_ALGO, or NULL */
    /* password */
    char *password;
    size_t password_len;
    char *prompt;      /* PASSWD_CHANGEREQ prompt */
    LIBSSH2_PASSWD_CHANGEREQ_FUNC((*change_cb));
    LIBSSH2_SESSION *session;
    void **abstract;
    /* keyboard-interactive: the parsed INFO_REQUEST */
    struct s2_ua_kbdint kb;
    char *kb_name;
    size_t kb_name_len;
    char *kb_instruction;
    size_t kb_instruction_len;
    LIBSSH2_USERAUTH_KBDINT_PROMPT *kb_prompts;
    size_t kb_num;
    LIBSSH2_USERAUTH_KBDINT_RESPONSE *kb_responses; /* the callback's answers */
    /* publickey / hostbased */
    uint8_t *pubkey;
    size_t pubkey_len;
    char key_alg[80];  /* algorithm named in the request (may be a cert type) */
    char sig_alg[48];  /* algorithm the signature is made with */
    int signed_sent;   /* the signed request is out: a FAILURE now means unverified */
    char *host;
    size_t host_len;
    char *local_user;
    size_t local_user_len;
    s2_ua_sign_fn sign;
    void *sign_ctx;
};

/* ua.c */
void s2_ua_set_state(struct s2_ua *ua, enum s2_ua_state st, int line);
#define UA_SET_STATE(ua, st) s2_ua_set_state((ua), (st), __LINE__)
/* s2_ua_begin_request opens a USERAUTH_REQUEST for |method| with room for
 * |extra| more bytes and writes user, service and method name. */
int s2_ua_begin_request(struct s2_ua *ua, const char *method, size_t extra,
                        struct s2_wr **w) S2_MUST_CHECK;
/* s2_ua_finish ends the pending request with |result| (0 or an error). */
void s2_ua_finish(struct s2_ua *ua, int result);
int s2_ua_proto(struct s2_ua *ua, const char *msg);

/* ua_password.c */
int s2_ua_send_password(struct s2_ua *ua) S2_MUST_CHECK;
int s2_ua_send_newpass(struct s2_ua *ua) S2_MUST_CHECK;
int s2_ua_on_changereq(struct s2_ua *ua, struct s2_rd *r) S2_MUST_CHECK;
void s2_ua_password_cleanup(struct s2_ua *ua);

/* ua_kbdint.c */
int s2_ua_send_kbdint(struct s2_ua *ua) S2_MUST_CHECK;
int s2_ua_on_info_request(struct s2_ua *ua, struct s2_rd *r) S2_MUST_CHECK;
int s2_ua_send_prompts(struct s2_ua *ua) S2_MUST_CHECK;
void s2_ua_kbdint_cleanup(struct s2_ua *ua);

/* ua_publickey.c */
int s2_ua_send_pk_query(struct s2_ua *ua) S2_MUST_CHECK;
int s2_ua_on_pk_ok(struct s2_ua *ua, struct s2_rd *r) S2_MUST_CHECK;
int s2_ua_send_signed(struct s2_ua *ua) S2_MUST_CHECK;
int s2_ua_choose_alg(struct s2_ua *ua) S2_MUST_CHECK;
void s2_ua_publickey_cleanup(struct s2_ua *ua);

#endif /* S2_UA_INT_H */
