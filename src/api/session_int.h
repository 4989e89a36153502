/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Private to the api floor: the LIBSSH2_SESSION object, the pending public
 * operation, and the pump / blocking adapter every entry point uses.
 */
#ifndef S2_SESSION_INT_H
#define S2_SESSION_INT_H

#include "auth/auth.h"
#include "channel/channel.h"
#include "core/core.h"
#include "keys/keys.h"
#include "transport/transport.h"

/* What a publickey call signs with: a loaded key file, or the
 * application's callback (libssh2_userauth_publickey). */
struct s2_ua_signer {
    LIBSSH2_SESSION *session;
    struct s2_privkey *key;
    LIBSSH2_USERAUTH_PUBLICKEY_SIGN_FUNC((*cb));
    void **abstract;
};

/* The public call in progress on the session (STYLE.md section 4). */
enum s2_op {
    S2_OP_NONE,
    S2_OP_HANDSHAKE,
    S2_OP_UA_LIST,
    S2_OP_UA_PASSWORD,
    S2_OP_UA_KBDINT,
    S2_OP_UA_PUBLICKEY,
    S2_OP_UA_HOSTBASED,
    S2_OP_UA_AGENT,
    S2_OP_CHANNEL_OPEN,
    S2_OP_GLOBAL_REQUEST,
    S2_OP_KEEPALIVE,
    S2_OP_REKEY,
    S2_OP_DISCONNECT
};

struct _LIBSSH2_SESSION {
    struct s2_env env; /* allocator, error state, trace: first */
    void *abstract;    /* libssh2_session_abstract() */
    struct s2_io io;
    struct s2_tp_callbacks cb;
    LIBSSH2_X11_OPEN_FUNC((*x11_cb));
    LIBSSH2_AUTHAGENT_FUNC((*authagent_cb));
    LIBSSH2_ADD_IDENTITIES_FUNC((*add_identities_cb));
    LIBSSH2_AUTHAGENT_SIGN_FUNC((*agent_sign_cb));
    struct s2_tp *tp;
    struct s2_ua *ua;
    struct s2_conn *conn;
    LIBSSH2_CHANNEL *opening;   /* the channel S2_OP_CHANNEL_OPEN is opening */
    LIBSSH2_CHANNEL *channels;  /* live channel objects */
    LIBSSH2_LISTENER *listeners; /* live listener objects */
    int agent_listener;         /* accepts auth-agent@openssh.com opens, or -1 */
    int x11_listener;           /* accepts x11 opens, or -1 */
    int keepalive_want_reply;
    unsigned keepalive_interval;
    enum s2_op op;
    int blocking;
    long timeout_ms;      /* libssh2_session_set_timeout; 0 = none */
    long read_timeout_s;  /* libssh2_session_set_read_timeout */
    int sock_was_blocking; /* restore the socket's mode on free */
    int flag_sigpipe;
    int flag_compress;
    int flag_quote_paths;
    char *banner_set;     /* banner given before the handshake */
    struct s2_ua_signer signer; /* for the pending publickey/hostbased call */
    uint8_t hostkey_md5[16];
    uint8_t hostkey_sha1[20];
    uint8_t hostkey_sha256[32];
};

/* A poll function: 0 done, LIBSSH2_ERROR_EAGAIN, or an error. */
typedef int (*s2_poll_fn)(LIBSSH2_SESSION *s, void *arg);

/* s2_api_run pumps the session until |poll| reports done or an error; in
 * non-blocking mode it returns EAGAIN when no progress is possible, in
 * blocking mode it waits on the socket (session timeouts apply). */
int s2_api_run(LIBSSH2_SESSION *s, s2_poll_fn poll, void *arg);
/* s2_api_pump flushes output, reads input once and routes every complete
 * packet. Returns 1 on progress, 0 when it would block, or a fatal error. */
int s2_api_pump(LIBSSH2_SESSION *s);
/* s2_api_deliver_opens hands the server's accepted auth-agent and x11
 * channels to the application's callbacks. */
void s2_api_deliver_opens(LIBSSH2_SESSION *s);
/* s2_api_pump_all pumps until nothing more can be done without waiting, so
 * no byte read from the socket is left unrouted when the caller returns to
 * an application that may wait on the socket. Returns 0 or a fatal error. */
int s2_api_pump_all(LIBSSH2_SESSION *s);
/* s2_api_fail records an operation error and returns |code|. */
int s2_api_fail(LIBSSH2_SESSION *s, int code, const char *msg);

#endif /* S2_SESSION_INT_H */
