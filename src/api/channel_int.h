/* SPDX-License-Identifier: BSD-3-Clause */
/* Private to the api floor: the LIBSSH2_CHANNEL and LIBSSH2_LISTENER objects. */
#ifndef S2_CHANNEL_INT_H
#define S2_CHANNEL_INT_H

#include "api/session_int.h"

/* The public call pending on a channel. */
enum s2_chan_op {
    S2_CHOP_NONE,
    S2_CHOP_STARTUP,
    S2_CHOP_SETENV,
    S2_CHOP_PTY,
    S2_CHOP_PTY_SIZE,
    S2_CHOP_X11,
    S2_CHOP_AGENT,
    S2_CHOP_SIGNAL,
    S2_CHOP_EOF
};

struct _LIBSSH2_CHANNEL {
    LIBSSH2_SESSION *session;
    struct s2_chan *ch;
    enum s2_chan_op op;
};

struct _LIBSSH2_LISTENER {
    LIBSSH2_SESSION *session;
    int handle;       /* s2_conn listener handle */
    char *host;
    int port;
    int cancelling;   /* cancel-tcpip-forward sent, reply pending */
};

/* s2_api_channel_open opens a channel (pending op on the session). */
LIBSSH2_CHANNEL *s2_api_channel_open(LIBSSH2_SESSION *s, const char *type, size_t type_len,
                                     uint32_t window, uint32_t packet, const uint8_t *data,
                                     size_t data_len);
/* s2_api_channel_request runs a channel request as pending op |op|. */
int s2_api_channel_request(LIBSSH2_CHANNEL *c, enum s2_chan_op op, const char *name,
                           int want_reply, const uint8_t *data, size_t data_len);

#endif /* S2_CHANNEL_INT_H */
