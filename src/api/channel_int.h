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
    LIBSSH2_CHANNEL *next;  /* the session's list of live channel objects */
    LIBSSH2_CHANNEL *prev;
};

struct _LIBSSH2_LISTENER {
    LIBSSH2_SESSION *session;
    int handle;       /* s2_conn listener handle */
    char *host;
    int port;
    LIBSSH2_LISTENER *next; /* the session's list of live listeners */
    LIBSSH2_LISTENER *prev;
};

/* s2_api_channel_open opens a channel (pending op on the session). */
LIBSSH2_CHANNEL *s2_api_channel_open(LIBSSH2_SESSION *s, const char *type, size_t type_len,
                                     uint32_t window, uint32_t packet, const uint8_t *data,
                                     size_t data_len);
/* s2_api_channel_request runs a channel request as pending op |op|. */
int s2_api_channel_request(LIBSSH2_CHANNEL *c, enum s2_chan_op op, const char *name,
                           int want_reply, const uint8_t *data, size_t data_len);

/* s2_api_channel_link / unlink keep the session's list of channel objects;
 * s2_api_channel_wrap makes the object for a channel (NULL on ALLOC). */
LIBSSH2_CHANNEL *s2_api_channel_wrap(LIBSSH2_SESSION *s, struct s2_chan *ch);
void s2_api_channel_unlink(LIBSSH2_CHANNEL *c);
/* s2_api_free_objects releases every channel and listener object left
 * when the session is freed (libssh2 does the same). */
void s2_api_free_objects(LIBSSH2_SESSION *s);

#endif /* S2_CHANNEL_INT_H */
