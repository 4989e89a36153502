/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * One channel (RFC 4254 5, 6): open, requests and their in-order replies,
 * data within both windows, window adjusts, EOF and CLOSE.
 *
 * State (enum s2_chan_state, chan_int.h): OPEN_QUEUED -> OPENING -> OPEN
 * -> CLOSED, or OPENING -> FAILED. EOF and CLOSE are flags within OPEN:
 * a CLOSE is owed once the API closes or frees the channel, and the
 * channel is CLOSED when both CLOSEs went by.
 */
#include <string.h>

#include "channel/chan_int.h"

static void
mark_dirty(struct s2_chan *ch)
{
    ch->conn->dirty = 1;
}

static int
chan_proto(struct s2_chan *ch, const char *msg)
{
    return s2_conn_proto(ch->conn, msg);
}

/* ---- receive buffers ---- */

static int
buf_append(struct s2_chan *ch, struct s2_chan_buf *b, const uint8_t *p, size_t n)
{
    const struct s2_allocator *a = &ch->conn->env->alloc;
    if (n == 0) {
        return 0;
    }
    if (b->cap - b->start - b->len < n) {
        if (b->start > 0) {
            memmove(b->p, b->p + b->start, b->len);
            b->start = 0;
        }
        if (b->cap - b->len < n) {
            size_t cap = b->cap == 0 ? 32768 : b->cap;
            uint8_t *np;
            while (cap - b->len < n) {
                cap *= 2;
            }
            np = s2_realloc(a, b->p, cap);
            if (np == NULL) {
                return LIBSSH2_ERROR_ALLOC;
            }
            b->p = np;
            b->cap = cap;
        }
    }
    memcpy(b->p + b->start + b->len, p, n);
    b->len += n;
    return 0;
}

static size_t
buf_take(struct s2_chan_buf *b, uint8_t *out, size_t n)
{
    if (n > b->len) {
        n = b->len;
    }
    if (n > 0) {
        memcpy(out, b->p + b->start, n);
        b->start += n;
        b->len -= n;
        if (b->len == 0) {
            b->start = 0;
        }
    }
    return n;
}

/* give_back owes the server window for |n| consumed bytes; adjusts are sent
 * once half the initial window is owed, so a steady reader never stalls. */
static void
give_back(struct s2_chan *ch, size_t n)
{
    ch->adjust_owed += (uint32_t)n;
    if (ch->adjust_owed >= ch->local_window_initial / 2 ||
        ch->adjust_owed >= 4u * 1024u * 1024u) {
        mark_dirty(ch);
    }
}

/* ---- incoming messages ---- */

/* CHANNEL_OPEN_CONFIRMATION: uint32 sender, uint32 window, uint32 max packet */
static int
on_confirm(struct s2_chan *ch, struct s2_rd *r)
{
    if (ch->state != S2_CH_OPENING) {
        return chan_proto(ch, "unexpected CHANNEL_OPEN_CONFIRMATION");
    }
    ch->remote_id = s2_rd_u32(r);
    ch->remote_window = s2_rd_u32(r);
    ch->remote_maxpacket = s2_rd_u32(r);
    if (s2_rd_ok(r) != 0) {
        return chan_proto(ch, "malformed CHANNEL_OPEN_CONFIRMATION");
    }
    ch->remote_window_initial = ch->remote_window;
    if (ch->remote_maxpacket == 0) {
        return chan_proto(ch, "channel confirmed with a maximum packet size of 0");
    }
    ch->state = S2_CH_OPEN;
    if (ch->released) {
        ch->close_owed = 1; /* freed while opening: close it now */
        mark_dirty(ch);
    }
    return 0;
}

/* CHANNEL_OPEN_FAILURE: uint32 reason, string description, string lang */
static int
on_open_failure(struct s2_chan *ch, struct s2_rd *r)
{
    struct s2_rd desc;
    char esc[200];
    if (ch->state != S2_CH_OPENING) {
        return chan_proto(ch, "unexpected CHANNEL_OPEN_FAILURE");
    }
    ch->fail_reason = s2_rd_u32(r);
    s2_rd_str(r, S2_STRING_MAX, &desc);
    if (s2_rd_ok(r) != 0) {
        desc.left = 0;
    }
    s2_escape(esc, sizeof esc, desc.p, desc.left);
    ch->state = S2_CH_FAILED;
    s2_err_setf(ch->conn->env, LIBSSH2_ERROR_CHANNEL_FAILURE,
                "channel open refused (reason %u): %s", ch->fail_reason, esc);
    return 0;
}

/* CHANNEL_WINDOW_ADJUST: uint32 bytes to add */
static int
on_adjust(struct s2_chan *ch, struct s2_rd *r)
{
    uint32_t add = s2_rd_u32(r);
    if (s2_rd_finish(r) != 0) {
        return chan_proto(ch, "malformed CHANNEL_WINDOW_ADJUST");
    }
    if (add > UINT32_MAX - ch->remote_window) {
        return chan_proto(ch, "window adjust overflows the window");
    }
    ch->remote_window += add;
    return 0;
}

/* deliver hands |n| bytes of |stream| (0 data, 1 stderr) to the reader:
 * straight into an armed read's buffer while nothing of that stream is
 * buffered (those bytes count as consumed), the rest to buffer |b|. */
static int
deliver(struct s2_chan *ch, int stream, struct s2_chan_buf *b, const uint8_t *p, size_t n)
{
    if (ch->direct != NULL && ch->direct_stream == stream && b->len == 0) {
        size_t k = ch->direct_cap - ch->direct_len;
        if (k > n) {
            k = n;
        }
        memcpy(ch->direct + ch->direct_len, p, k);
        ch->direct_len += k;
        give_back(ch, k);
        p += k;
        n -= k;
    }
    return n > 0 ? buf_append(ch, b, p, n) : 0;
}

/* CHANNEL_DATA: string data; CHANNEL_EXTENDED_DATA: uint32 type, string data */
static int
on_data(struct s2_chan *ch, int ext, struct s2_rd *r)
{
    struct s2_rd d;
    uint32_t type = 0;
    int rc;
    if (ext) {
        type = s2_rd_u32(r);
    }
    s2_rd_str(r, S2_PACKET_MAX, &d);
    if (s2_rd_finish(r) != 0) {
        return chan_proto(ch, "malformed channel data");
    }
    if (ch->state != S2_CH_OPEN || ch->eof_recv || ch->close_recv) {
        return chan_proto(ch, "channel data after EOF or CLOSE");
    }
    if (d.left > ch->local_window) {
        return s2_tp_fatal(ch->conn->tp, LIBSSH2_ERROR_CHANNEL_WINDOW_EXCEEDED,
                           SSH_DISCONNECT_PROTOCOL_ERROR, "the server sent data past our window");
    }
    if (d.left > ch->local_maxpacket) {
        return s2_tp_fatal(ch->conn->tp, LIBSSH2_ERROR_CHANNEL_PACKET_EXCEEDED,
                           SSH_DISCONNECT_PROTOCOL_ERROR,
                           "the server sent a packet larger than agreed");
    }
    ch->local_window -= (uint32_t)d.left;
    if (ch->close_sent) {
        give_back(ch, d.left); /* we are closing: discard */
        return 0;
    }
    if (ext && (type != SSH_EXTENDED_DATA_STDERR ||
                ch->ext_mode == LIBSSH2_CHANNEL_EXTENDED_DATA_IGNORE)) {
        give_back(ch, d.left);
        return 0;
    }
    if (ext && ch->ext_mode != LIBSSH2_CHANNEL_EXTENDED_DATA_MERGE) {
        rc = deliver(ch, 1, &ch->ext, d.p, d.left);
    } else {
        rc = deliver(ch, 0, &ch->data, d.p, d.left);
    }
    if (rc != 0) {
        return s2_tp_fatal(ch->conn->tp, rc, 0, "out of memory for channel data");
    }
    return 0;
}

static int
keep_str(struct s2_chan *ch, const struct s2_rd *v, char **out)
{
    s2_free(&ch->conn->env->alloc, *out);
    *out = s2_rd_strdup(v, &ch->conn->env->alloc, 1024);
    return *out == NULL ? LIBSSH2_ERROR_ALLOC : 0;
}

/* the server's CHANNEL_REQUEST: exit-status, exit-signal; anything else is
 * refused when a reply is wanted (e.g. keepalive@openssh.com) */
static int
on_request(struct s2_chan *ch, struct s2_rd *r)
{
    struct s2_rd name, sig, msg, lang;
    int want;
    s2_rd_str(r, 64, &name);
    want = s2_rd_bool(r);
    if (s2_rd_ok(r) != 0) {
        return chan_proto(ch, "malformed CHANNEL_REQUEST");
    }
    if (s2_rd_eq(&name, "exit-status")) {
        ch->exit_status = (int)s2_rd_u32(r); /* uint32 exit status */
        ch->has_exit_status = s2_rd_ok(r) == 0;
    } else if (s2_rd_eq(&name, "exit-signal")) {
        /* string signal name (no "SIG"), boolean core dumped, string error
         * message, string language tag (RFC 4254 6.10) */
        s2_rd_str(r, 64, &sig);
        (void)s2_rd_bool(r);
        s2_rd_str(r, 1024, &msg);
        s2_rd_str(r, 64, &lang);
        if (s2_rd_ok(r) == 0 && (keep_str(ch, &sig, &ch->exit_signal) != 0 ||
                                 keep_str(ch, &msg, &ch->exit_msg) != 0 ||
                                 keep_str(ch, &lang, &ch->exit_lang) != 0)) {
            return s2_tp_fatal(ch->conn->tp, LIBSSH2_ERROR_ALLOC, 0, "out of memory");
        }
    }
    if (!want) {
        return 0;
    }
    if (ch->fail_owed >= S2_CHANNELS_MAX) {
        return chan_proto(ch, "too many unanswered channel requests");
    }
    ch->fail_owed++; /* CHANNEL_FAILURE, sent by s2_chan_flush_one */
    mark_dirty(ch);
    return 0;
}

static int
on_request_reply(struct s2_chan *ch, uint8_t msg)
{
    if (ch->replies_owed == 0) {
        return chan_proto(ch, "channel request reply with no request pending");
    }
    ch->replies_owed--;
    if (ch->replies_owed == 0 && ch->req_state == S2_REQ_WAIT) {
        ch->req_result = msg == SSH_MSG_CHANNEL_SUCCESS ? 0 : LIBSSH2_ERROR_CHANNEL_REQUEST_DENIED;
        ch->req_state = S2_REQ_DONE;
    }
    return 0;
}

int
s2_chan_on_packet(struct s2_chan *ch, uint8_t msg, struct s2_rd *r)
{
    if (msg != SSH_MSG_CHANNEL_OPEN_CONFIRMATION && msg != SSH_MSG_CHANNEL_OPEN_FAILURE &&
        ch->state != S2_CH_OPEN) {
        return chan_proto(ch, "message for a channel that is not open");
    }
    switch (msg) {
    case SSH_MSG_CHANNEL_OPEN_CONFIRMATION:
        return on_confirm(ch, r);
    case SSH_MSG_CHANNEL_OPEN_FAILURE:
        return on_open_failure(ch, r);
    case SSH_MSG_CHANNEL_WINDOW_ADJUST:
        return on_adjust(ch, r);
    case SSH_MSG_CHANNEL_DATA:
        return on_data(ch, 0, r);
    case SSH_MSG_CHANNEL_EXTENDED_DATA:
        return on_data(ch, 1, r);
    case SSH_MSG_CHANNEL_EOF:
        ch->eof_recv = 1;
        return 0;
    case SSH_MSG_CHANNEL_CLOSE:
        if (ch->close_recv) {
            return chan_proto(ch, "second CHANNEL_CLOSE");
        }
        ch->close_recv = 1;
        ch->close_owed = 1; /* RFC 4254 5.3: answer with CLOSE */
        if (ch->req_state == S2_REQ_WAIT) {
            ch->req_state = S2_REQ_DONE;
            ch->req_result = LIBSSH2_ERROR_CHANNEL_CLOSED;
        }
        mark_dirty(ch);
        return 0;
    case SSH_MSG_CHANNEL_REQUEST:
        return on_request(ch, r);
    default:
        return on_request_reply(ch, msg);
    }
}

/* ---- owed messages ---- */

static int
send_u32_msg(struct s2_chan *ch, uint8_t msg, int with_value, uint32_t value)
{
    struct s2_wr *w = NULL;
    int r = s2_tp_begin(ch->conn->tp, 0, 16, &w);
    if (r != 0) {
        return r;
    }
    s2_wr_u8(w, msg);
    s2_wr_u32(w, ch->remote_id);
    if (with_value) {
        s2_wr_u32(w, value);
    }
    return s2_tp_commit(ch->conn->tp);
}

int
s2_chan_flush_one(struct s2_chan *ch)
{
    int r;
    if (ch->state != S2_CH_OPEN) {
        return 0;
    }
    if (ch->confirm_owed) {
        struct s2_wr *w = NULL;
        r = s2_tp_begin(ch->conn->tp, 0, 32, &w);
        if (r != 0) {
            return r;
        }
        /* byte 91, uint32 recipient, uint32 sender, uint32 window, uint32 max packet */
        s2_wr_u8(w, SSH_MSG_CHANNEL_OPEN_CONFIRMATION);
        s2_wr_u32(w, ch->remote_id);
        s2_wr_u32(w, ch->local_id);
        s2_wr_u32(w, ch->local_window);
        s2_wr_u32(w, ch->local_maxpacket);
        r = s2_tp_commit(ch->conn->tp);
        if (r != 0) {
            return r;
        }
        ch->confirm_owed = 0;
    }
    while (ch->fail_owed > 0 && !ch->close_sent) {
        r = send_u32_msg(ch, SSH_MSG_CHANNEL_FAILURE, 0, 0);
        if (r != 0) {
            return r;
        }
        ch->fail_owed--;
    }
    if (ch->adjust_owed > 0 && !ch->close_sent && !ch->close_recv &&
        (ch->adjust_owed >= ch->local_window_initial / 2 || ch->adjust_owed >= 4u << 20 ||
         ch->local_window == 0)) {
        r = send_u32_msg(ch, SSH_MSG_CHANNEL_WINDOW_ADJUST, 1, ch->adjust_owed);
        if (r != 0) {
            return r;
        }
        ch->local_window += ch->adjust_owed;
        ch->adjust_owed = 0;
    }
    if (ch->eof_owed && !ch->eof_sent && !ch->close_sent) {
        r = send_u32_msg(ch, SSH_MSG_CHANNEL_EOF, 0, 0);
        if (r != 0) {
            return r;
        }
        ch->eof_sent = 1;
    }
    if (ch->close_owed && !ch->close_sent) {
        r = send_u32_msg(ch, SSH_MSG_CHANNEL_CLOSE, 0, 0);
        if (r != 0) {
            return r;
        }
        ch->close_sent = 1;
    }
    if (ch->close_sent && ch->close_recv) {
        ch->state = S2_CH_CLOSED;
        if (ch->released) {
            s2_chan_destroy(ch); /* the id becomes free */
        }
    }
    return 0;
}

/* ---- open ---- */

int
s2_chan_poll_open(struct s2_chan *ch)
{
    struct s2_wr *w = NULL;
    int r;
    switch (ch->state) {
    case S2_CH_OPEN_QUEUED:
        r = s2_tp_begin(ch->conn->tp, 0, ch->type_len + ch->open_data_len + 32, &w);
        if (r != 0) {
            return r;
        }
        /* byte 90, string type, uint32 sender, uint32 window, uint32 max
         * packet, type-specific data */
        s2_wr_u8(w, SSH_MSG_CHANNEL_OPEN);
        s2_wr_str(w, ch->type, ch->type_len);
        s2_wr_u32(w, ch->local_id);
        s2_wr_u32(w, ch->local_window);
        s2_wr_u32(w, ch->local_maxpacket);
        s2_wr_raw(w, ch->open_data, ch->open_data_len);
        r = s2_tp_commit(ch->conn->tp);
        if (r != 0) {
            return r;
        }
        ch->state = S2_CH_OPENING;
        return LIBSSH2_ERROR_EAGAIN;
    case S2_CH_OPENING:
        return LIBSSH2_ERROR_EAGAIN;
    case S2_CH_OPEN:
        return 0;
    default:
        return LIBSSH2_ERROR_CHANNEL_FAILURE;
    }
}

/* ---- requests ---- */

int
s2_chan_request(struct s2_chan *ch, const char *name, int want_reply, const uint8_t *data,
                size_t data_len)
{
    const struct s2_allocator *a = &ch->conn->env->alloc;
    if (ch->req_state == S2_REQ_QUEUED || ch->req_state == S2_REQ_WAIT) {
        return s2_err_set(ch->conn->env, LIBSSH2_ERROR_BAD_USE, "a channel request is pending");
    }
    if (data_len > S2_REQ_DATA_MAX) {
        return s2_err_set(ch->conn->env, LIBSSH2_ERROR_INVAL, "channel request too large");
    }
    s2_free(a, ch->req_name);
    s2_free_secret(a, ch->req_data, ch->req_data_len);
    ch->req_name = s2_memdup(a, name, strlen(name));
    ch->req_data = (uint8_t *)s2_memdup(a, data, data_len);
    ch->req_data_len = data_len;
    if (ch->req_name == NULL || ch->req_data == NULL) {
        return s2_err_set(ch->conn->env, LIBSSH2_ERROR_ALLOC, "out of memory for a request");
    }
    ch->req_want_reply = want_reply;
    ch->req_state = S2_REQ_QUEUED;
    return 0;
}

int
s2_chan_poll_request(struct s2_chan *ch)
{
    struct s2_wr *w = NULL;
    int r;
    if (ch->req_state == S2_REQ_QUEUED) {
        if (ch->state != S2_CH_OPEN || ch->close_recv || ch->close_sent) {
            ch->req_state = S2_REQ_NONE;
            return LIBSSH2_ERROR_CHANNEL_CLOSED;
        }
        r = s2_tp_begin(ch->conn->tp, 0, strlen(ch->req_name) + ch->req_data_len + 16, &w);
        if (r != 0) {
            return r;
        }
        /* byte 98, uint32 recipient, string request type, boolean want
         * reply, type-specific data */
        s2_wr_u8(w, SSH_MSG_CHANNEL_REQUEST);
        s2_wr_u32(w, ch->remote_id);
        s2_wr_cstr(w, ch->req_name);
        s2_wr_bool(w, ch->req_want_reply);
        s2_wr_raw(w, ch->req_data, ch->req_data_len);
        r = s2_tp_commit(ch->conn->tp);
        if (r != 0) {
            return r;
        }
        if (ch->req_want_reply) {
            ch->replies_owed++;
            ch->req_state = S2_REQ_WAIT;
        } else {
            ch->req_state = S2_REQ_DONE;
            ch->req_result = 0;
        }
    }
    if (ch->req_state == S2_REQ_WAIT) {
        return LIBSSH2_ERROR_EAGAIN;
    }
    if (ch->req_state != S2_REQ_DONE) {
        return s2_err_set(ch->conn->env, LIBSSH2_ERROR_BAD_USE, "no channel request pending");
    }
    ch->req_state = S2_REQ_NONE;
    if (ch->req_result != 0) {
        return s2_err_setf(ch->conn->env, ch->req_result, "the server refused the \"%s\" request",
                           ch->req_name);
    }
    return 0;
}

/* ---- data ---- */

ssize_t
s2_chan_write(struct s2_chan *ch, int stream, const uint8_t *buf, size_t len)
{
    size_t done = 0;
    if (ch->state != S2_CH_OPEN || ch->close_recv || ch->close_sent) {
        return s2_err_set(ch->conn->env, LIBSSH2_ERROR_CHANNEL_CLOSED, "the channel is closed");
    }
    if (ch->eof_owed) {
        return s2_err_set(ch->conn->env, LIBSSH2_ERROR_CHANNEL_EOF_SENT, "EOF was already sent");
    }
    if (ch->confirm_owed || ch->fail_owed > 0) {
        /* the confirmation and owed replies go out before any data */
        int r = s2_chan_flush_one(ch);
        if (r != 0) {
            return r;
        }
    }
    while (done < len) {
        size_t n = len - done;
        struct s2_wr *w = NULL;
        int r;
        if (n > ch->remote_window) {
            n = ch->remote_window;
        }
        if (n > ch->remote_maxpacket) {
            n = ch->remote_maxpacket;
        }
        if (n > S2_PAYLOAD_MAX - 64) {
            n = S2_PAYLOAD_MAX - 64;
        }
        if (n == 0) {
            break; /* window full: wait for WINDOW_ADJUST */
        }
        r = s2_tp_begin(ch->conn->tp, 0, n + 16, &w);
        if (r != 0) {
            if (done > 0 && r == LIBSSH2_ERROR_EAGAIN) {
                break;
            }
            return r;
        }
        /* byte 94, uint32 recipient, string data; byte 95, uint32
         * recipient, uint32 data type code, string data */
        s2_wr_u8(w, stream == 0 ? SSH_MSG_CHANNEL_DATA : SSH_MSG_CHANNEL_EXTENDED_DATA);
        s2_wr_u32(w, ch->remote_id);
        if (stream != 0) {
            s2_wr_u32(w, (uint32_t)stream);
        }
        s2_wr_str(w, buf + done, n);
        r = s2_tp_commit(ch->conn->tp);
        if (r != 0) {
            return r;
        }
        ch->remote_window -= (uint32_t)n;
        done += n;
    }
    if (done == 0) {
        return LIBSSH2_ERROR_EAGAIN;
    }
    return (ssize_t)done;
}

void
s2_chan_read_arm(struct s2_chan *ch, int stream, uint8_t *buf, size_t len)
{
    ch->direct = len > 0 ? buf : NULL;
    ch->direct_cap = len;
    ch->direct_len = 0;
    ch->direct_stream = stream == 0 ? 0 : 1;
}

size_t
s2_chan_read_disarm(struct s2_chan *ch)
{
    size_t n = ch->direct_len;
    ch->direct = NULL;
    ch->direct_cap = 0;
    ch->direct_len = 0;
    return n;
}

ssize_t
s2_chan_read(struct s2_chan *ch, int stream, uint8_t *buf, size_t len)
{
    struct s2_chan_buf *b = stream == 0 ? &ch->data : &ch->ext;
    size_t n;
    if (ch->direct_len > 0) {
        /* already in |buf| (the armed buffer is the caller's): report it */
        return (ssize_t)s2_chan_read_disarm(ch);
    }
    n = buf_take(b, buf, len);
    if (n > 0) {
        give_back(ch, n);
        return (ssize_t)n;
    }
    if (ch->eof_recv || ch->close_recv || ch->state == S2_CH_CLOSED) {
        return 0;
    }
    if (ch->state == S2_CH_FAILED) {
        return LIBSSH2_ERROR_CHANNEL_CLOSED;
    }
    if (ch->local_window == 0 && ch->adjust_owed > 0) {
        mark_dirty(ch); /* everything read: re-open the window now */
    }
    return LIBSSH2_ERROR_EAGAIN;
}

size_t
s2_chan_read_avail(const struct s2_chan *ch, int stream)
{
    if (stream < 0) {
        return ch->data.len + ch->ext.len;
    }
    return stream == 0 ? ch->data.len : ch->ext.len;
}

void
s2_chan_extended_mode(struct s2_chan *ch, int mode)
{
    ch->ext_mode = mode;
    if (mode != LIBSSH2_CHANNEL_EXTENDED_DATA_NORMAL && ch->ext.len > 0) {
        uint8_t tmp[4096];
        size_t n;
        while ((n = buf_take(&ch->ext, tmp, sizeof tmp)) > 0) {
            if (mode == LIBSSH2_CHANNEL_EXTENDED_DATA_MERGE &&
                buf_append(ch, &ch->data, tmp, n) == 0) {
                continue;
            }
            give_back(ch, n);
        }
    }
}

/* ---- EOF and CLOSE ---- */

int
s2_chan_send_eof(struct s2_chan *ch)
{
    if (ch->state != S2_CH_OPEN || ch->close_sent) {
        return s2_err_set(ch->conn->env, LIBSSH2_ERROR_CHANNEL_CLOSED, "the channel is closed");
    }
    ch->eof_owed = 1;
    mark_dirty(ch);
    return 0;
}

int
s2_chan_poll_flushed(struct s2_chan *ch)
{
    int r;
    if (ch->state != S2_CH_OPEN) {
        return 0;
    }
    r = s2_chan_flush_one(ch);
    if (r != 0) {
        return r;
    }
    if ((ch->eof_owed && !ch->eof_sent) || (ch->close_owed && !ch->close_sent)) {
        return LIBSSH2_ERROR_EAGAIN;
    }
    return 0;
}

int
s2_chan_eof(const struct s2_chan *ch)
{
    return (ch->eof_recv || ch->close_recv || ch->state == S2_CH_CLOSED) && ch->data.len == 0 &&
           ch->ext.len == 0;
}

int
s2_chan_poll_eof(struct s2_chan *ch)
{
    if (ch->eof_recv || ch->close_recv || ch->state != S2_CH_OPEN) {
        return 0;
    }
    return LIBSSH2_ERROR_EAGAIN;
}

int
s2_chan_close(struct s2_chan *ch)
{
    if (ch->state == S2_CH_OPEN && !ch->close_owed) {
        ch->close_owed = 1;
        mark_dirty(ch);
    }
    return 0;
}

int
s2_chan_poll_closed(struct s2_chan *ch)
{
    int r;
    if (ch->state != S2_CH_OPEN) {
        return 0;
    }
    r = s2_chan_flush_one(ch);
    if (r != 0) {
        return r;
    }
    if (ch->state == S2_CH_CLOSED) {
        return 0;
    }
    return LIBSSH2_ERROR_EAGAIN;
}

void
s2_chan_free(struct s2_chan *ch)
{
    if (ch == NULL) {
        return;
    }
    if (ch->state == S2_CH_OPEN) {
        /* close in the background; the slot stays taken until the server's
         * CLOSE arrives (RFC 4254 5.3) */
        ch->released = 1;
        ch->close_owed = 1;
        mark_dirty(ch);
        if (ch->close_sent && ch->close_recv) {
            s2_chan_destroy(ch);
        }
        return;
    }
    if (ch->state == S2_CH_OPENING) {
        /* a late confirmation must still find a channel to close */
        ch->released = 1;
        return;
    }
    s2_chan_destroy(ch);
}

/* ---- state for the API ---- */

int
s2_chan_exit_status(const struct s2_chan *ch)
{
    return ch->exit_status;
}

int
s2_chan_has_exit_status(const struct s2_chan *ch)
{
    return ch->has_exit_status;
}

void
s2_chan_exit_signal(const struct s2_chan *ch, const char **name, const char **msg,
                    const char **lang)
{
    *name = ch->exit_signal;
    *msg = ch->exit_msg;
    *lang = ch->exit_lang;
}

uint32_t
s2_chan_window_read(const struct s2_chan *ch, size_t *avail, uint32_t *initial)
{
    if (avail != NULL) {
        *avail = ch->data.len + ch->ext.len;
    }
    if (initial != NULL) {
        *initial = ch->local_window_initial;
    }
    return ch->local_window;
}

uint32_t
s2_chan_window_write(const struct s2_chan *ch, uint32_t *initial)
{
    if (initial != NULL) {
        *initial = ch->remote_window_initial;
    }
    return ch->remote_window;
}

int
s2_chan_window_adjust(struct s2_chan *ch, uint32_t n, int force, uint32_t *window)
{
    if (window != NULL) {
        *window = ch->local_window + ch->adjust_owed; /* before, as libssh2 reports it */
    }
    if (n > UINT32_MAX - ch->local_window - ch->adjust_owed) {
        n = UINT32_MAX - ch->local_window - ch->adjust_owed;
    }
    ch->adjust_owed += n;
    if (force || ch->adjust_owed >= LIBSSH2_CHANNEL_MINADJUST) {
        ch->local_window_initial = ch->local_window + ch->adjust_owed;
        mark_dirty(ch);
    }
    return 0;
}

int
s2_chan_closed_by_server(const struct s2_chan *ch)
{
    return ch->close_recv || ch->state == S2_CH_CLOSED || ch->state == S2_CH_FAILED;
}

const char *
s2_chan_origin(const struct s2_chan *ch, int *port)
{
    if (port != NULL) {
        *port = (int)ch->origin_port;
    }
    return ch->origin;
}
