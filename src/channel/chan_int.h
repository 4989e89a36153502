/* SPDX-License-Identifier: BSD-3-Clause */
/* Private to channel: the connection object, channels and their state. */
#ifndef S2_CHAN_INT_H
#define S2_CHAN_INT_H

#include "channel/channel.h"
#include "transport/ssh_msg.h"

#define S2_CHANNELS_MAX 4096u  /* channels per session */
#define S2_GLOBAL_FIFO 32u     /* global requests awaiting a reply */
#define S2_LISTENERS_MAX 64u
#define S2_REQ_DATA_MAX (64u * 1024u)

enum s2_chan_state {
    S2_CH_OPEN_QUEUED, /* CHANNEL_OPEN to send */
    S2_CH_OPENING,     /* CHANNEL_OPEN sent; waiting for CONFIRMATION or FAILURE */
    S2_CH_OPEN,        /* confirmed: data and requests flow until CLOSE */
    S2_CH_CLOSED,      /* CLOSE sent and received; the id is free once the API frees it */
    S2_CH_FAILED       /* the server refused the open; terminal */
};

enum s2_req_state {
    S2_REQ_NONE,   /* no request */
    S2_REQ_QUEUED, /* CHANNEL_REQUEST to send */
    S2_REQ_WAIT,   /* sent with want_reply; waiting for SUCCESS / FAILURE */
    S2_REQ_DONE    /* answered (or sent without want_reply): see req_result */
};

/* A receive buffer: bytes [start, start + len) of p hold unread data. */
struct s2_chan_buf {
    uint8_t *p;
    size_t cap;
    size_t start;
    size_t len;
};

struct s2_chan {
    struct s2_conn *conn;
    enum s2_chan_state state;
    uint32_t local_id;
    uint32_t remote_id;
    uint32_t local_window;      /* bytes the server may still send us */
    uint32_t local_window_initial;
    uint32_t local_maxpacket;
    uint32_t remote_window;     /* bytes we may still send */
    uint32_t remote_window_initial;
    uint32_t remote_maxpacket;
    uint32_t adjust_owed;       /* consumed bytes not yet given back */
    int eof_owed;
    int eof_sent;
    int eof_recv;
    int close_owed;
    int close_sent;
    int close_recv;
    int released;               /* the API freed it: drop once closed */
    int confirm_owed;           /* server-opened: OPEN_CONFIRMATION to send */
    char origin[64];            /* server-opened: originator address, if given */
    uint32_t origin_port;
    uint32_t fail_owed;         /* CHANNEL_FAILURE replies to send, in order */
    int ext_mode;               /* LIBSSH2_CHANNEL_EXTENDED_DATA_* */
    struct s2_chan_buf data;
    struct s2_chan_buf ext;
    /* a read in progress (s2_chan_read_arm): data for |direct_stream| that
     * arrives while its buffer is empty is copied straight here */
    uint8_t *direct;
    size_t direct_cap;
    size_t direct_len;
    int direct_stream;
    /* open */
    char *type;
    size_t type_len;
    uint8_t *open_data;
    size_t open_data_len;
    uint32_t fail_reason;
    /* requests: at most one of ours pending; replies come in order */
    enum s2_req_state req_state;
    char *req_name;
    int req_want_reply;
    uint8_t *req_data;
    size_t req_data_len;
    int req_result;
    uint32_t replies_owed;      /* want_reply requests sent and not answered */
    /* exit */
    int has_exit_status;
    int exit_status;
    char *exit_signal;
    char *exit_msg;
    char *exit_lang;
};

struct s2_listener {
    int used;
    const char *type;           /* NULL: forwarded-tcpip to |port|; else the open type */
    char *host;
    uint32_t port;
    size_t queue_max;
    struct s2_chan **queue;     /* accepted, not yet taken by the API */
    size_t queue_len;
};

struct s2_conn {
    struct s2_env *env;
    struct s2_tp *tp;
    struct s2_chan **tab;       /* index = local channel id */
    size_t tab_cap;
    int dirty;                  /* some channel owes a message */
    /* global requests: kinds of the replies we wait for, in order */
    uint8_t gfifo[S2_GLOBAL_FIFO];
    size_t gfifo_head;
    size_t gfifo_len;
    enum s2_req_state g_state;
    char *g_name;
    int g_want_reply;
    uint8_t *g_data;
    size_t g_data_len;
    int g_result;
    struct s2_wr g_reply;
    int64_t last_keepalive_ms;
    uint32_t gfail_owed;        /* REQUEST_FAILURE replies to send, in order */
    struct s2_open_refusal {
        uint32_t sender;
        uint32_t reason;
    } refusals[S2_GLOBAL_FIFO]; /* OPEN_FAILURE replies to send */
    size_t refusals_len;
    struct s2_listener listeners[S2_LISTENERS_MAX];
};

/* conn.c */
int s2_conn_proto(struct s2_conn *c, const char *msg);
void s2_chan_destroy(struct s2_chan *ch);

/* chan.c */
int s2_chan_on_packet(struct s2_chan *ch, uint8_t msg, struct s2_rd *r) S2_MUST_CHECK;
int s2_chan_flush_one(struct s2_chan *ch) S2_MUST_CHECK;

#endif /* S2_CHAN_INT_H */
