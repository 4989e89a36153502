/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libssh2_channel_* for session channels: open, process startup, env,
 * pty, x11, agent forwarding, signals, read/write, EOF, close, exit status,
 * windows. A pending call lives on the object it names (the session while
 * opening, the channel for requests and closing), so different channels
 * interleave; read and write are not pending operations.
 */
#include <string.h>

#include "api/channel_int.h"
#include "crypto/crypto.h"

/* ---- channel objects ---- */

LIBSSH2_CHANNEL *
s2_api_channel_wrap(LIBSSH2_SESSION *s, struct s2_chan *ch)
{
    LIBSSH2_CHANNEL *c = s2_zalloc(&s->env.alloc, sizeof *c);
    if (c == NULL) {
        s2_api_fail(s, LIBSSH2_ERROR_ALLOC, "out of memory for a channel");
        return NULL;
    }
    c->session = s;
    c->ch = ch;
    c->next = s->channels;
    if (s->channels != NULL) {
        s->channels->prev = c;
    }
    s->channels = c;
    return c;
}

void
s2_api_channel_unlink(LIBSSH2_CHANNEL *c)
{
    LIBSSH2_SESSION *s = c->session;
    if (c->prev != NULL) {
        c->prev->next = c->next;
    } else if (s->channels == c) {
        s->channels = c->next;
    }
    if (c->next != NULL) {
        c->next->prev = c->prev;
    }
    c->next = NULL;
    c->prev = NULL;
}

void
s2_api_free_objects(LIBSSH2_SESSION *s)
{
    while (s->channels != NULL) {
        LIBSSH2_CHANNEL *c = s->channels;
        s2_api_channel_unlink(c);
        s2_free(&s->env.alloc, c); /* the channels themselves go with the conn */
    }
    if (s->opening != NULL) {
        s2_free(&s->env.alloc, s->opening);
        s->opening = NULL;
    }
    while (s->listeners != NULL) {
        LIBSSH2_LISTENER *l = s->listeners;
        s->listeners = l->next;
        s2_free(&s->env.alloc, l->host);
        s2_free(&s->env.alloc, l);
    }
}

void
s2_api_deliver_opens(LIBSSH2_SESSION *s)
{
    struct s2_chan *ch;
    while (s->agent_listener >= 0 && s2_conn_has_accepted(s->conn, s->agent_listener)) {
        LIBSSH2_CHANNEL *c;
        ch = s2_conn_accept(s->conn, s->agent_listener);
        c = s2_api_channel_wrap(s, ch);
        if (c == NULL) {
            s2_chan_free(ch);
        } else if (s->authagent_cb != NULL) {
            s->authagent_cb(s, c, &s->abstract);
        }
    }
    while (s->x11_listener >= 0 && s2_conn_has_accepted(s->conn, s->x11_listener)) {
        LIBSSH2_CHANNEL *c;
        const char *host;
        int port = 0;
        ch = s2_conn_accept(s->conn, s->x11_listener);
        c = s2_api_channel_wrap(s, ch);
        if (c == NULL) {
            s2_chan_free(ch);
        } else if (s->x11_cb != NULL) {
            host = s2_chan_origin(ch, &port);
            s->x11_cb(s, c, host, port, &s->abstract);
        }
    }
}

/* ---- open ---- */

static int
poll_open(LIBSSH2_SESSION *s, void *arg)
{
    (void)arg;
    return s2_chan_poll_open(s->opening->ch);
}

LIBSSH2_CHANNEL *
s2_api_channel_open(LIBSSH2_SESSION *s, const char *type, size_t type_len, uint32_t window,
                    uint32_t packet, const uint8_t *data, size_t data_len)
{
    LIBSSH2_CHANNEL *c;
    int r = s2_tp_dead(s->tp);
    if (r != 0) {
        return NULL;
    }
    if (s->op == S2_OP_NONE) {
        if (!s2_ua_authenticated(s->ua)) {
            s2_api_fail(s, LIBSSH2_ERROR_BAD_USE, "channel open before authentication");
            return NULL;
        }
        c = s2_zalloc(&s->env.alloc, sizeof *c);
        if (c == NULL) {
            s2_api_fail(s, LIBSSH2_ERROR_ALLOC, "out of memory for a channel");
            return NULL;
        }
        c->session = s; /* linked into s->channels once the open succeeds */
        r = s2_chan_open(s->conn, type, type_len, window, packet, data, data_len, &c->ch);
        if (r != 0) {
            s2_free(&s->env.alloc, c);
            return NULL;
        }
        s->opening = c;
        s->op = S2_OP_CHANNEL_OPEN;
    } else if (s->op != S2_OP_CHANNEL_OPEN) {
        s2_api_fail(s, LIBSSH2_ERROR_BAD_USE, "another call is pending");
        return NULL;
    }
    r = s2_api_run(s, poll_open, NULL);
    if (r == LIBSSH2_ERROR_EAGAIN) {
        return NULL;
    }
    c = s->opening;
    s->opening = NULL;
    s->op = S2_OP_NONE;
    if (r != 0) {
        s2_chan_free(c->ch);
        s2_free(&s->env.alloc, c);
        if (r != LIBSSH2_ERROR_CHANNEL_FAILURE || s->env.err.code != r) {
            s2_api_fail(s, r == LIBSSH2_ERROR_CHANNEL_FAILURE ? r : s->env.err.code,
                        s->env.err.msg != NULL ? s->env.err.msg : "channel open failed");
        }
        return NULL;
    }
    c->next = s->channels;
    if (s->channels != NULL) {
        s->channels->prev = c;
    }
    s->channels = c;
    return c;
}

LIBSSH2_API LIBSSH2_CHANNEL *
libssh2_channel_open_ex(LIBSSH2_SESSION *s, const char *channel_type,
                        unsigned int channel_type_len, unsigned int window_size,
                        unsigned int packet_size, const char *message, unsigned int message_len)
{
    if (s == NULL || channel_type == NULL) {
        return NULL;
    }
    return s2_api_channel_open(s, channel_type, channel_type_len, window_size, packet_size,
                               (const uint8_t *)message, message != NULL ? message_len : 0);
}

/* ---- requests ---- */

static int
poll_request(LIBSSH2_SESSION *s, void *arg)
{
    (void)s;
    return s2_chan_poll_request(((LIBSSH2_CHANNEL *)arg)->ch);
}

int
s2_api_channel_request(LIBSSH2_CHANNEL *c, enum s2_chan_op op, const char *name, int want_reply,
                       const uint8_t *data, size_t data_len)
{
    LIBSSH2_SESSION *s = c->session;
    int r = s2_tp_dead(s->tp);
    if (r != 0) {
        return r;
    }
    if (c->op == S2_CHOP_NONE) {
        r = s2_chan_request(c->ch, name, want_reply, data, data_len);
        if (r != 0) {
            return r;
        }
        c->op = op;
    } else if (c->op != op) {
        return s2_api_fail(s, LIBSSH2_ERROR_BAD_USE, "another call is pending on this channel");
    }
    r = s2_api_run(s, poll_request, c);
    if (r != LIBSSH2_ERROR_EAGAIN) {
        c->op = S2_CHOP_NONE;
    }
    return r;
}

LIBSSH2_API int
libssh2_channel_process_startup(LIBSSH2_CHANNEL *c, const char *request, unsigned int request_len,
                                const char *message, unsigned int message_len)
{
    struct s2_wr w;
    char name[32];
    int r;
    if (c == NULL || request == NULL || request_len == 0 || request_len >= sizeof name) {
        return LIBSSH2_ERROR_BAD_USE;
    }
    memcpy(name, request, request_len);
    name[request_len] = '\0';
    /* exec: string command; subsystem: string name; shell: nothing */
    s2_wr_dyn(&w, &c->session->env.alloc, 256 * 1024);
    if (message != NULL) {
        s2_wr_str(&w, message, message_len);
    }
    r = s2_wr_ok(&w);
    if (r == 0) {
        r = s2_api_channel_request(c, S2_CHOP_STARTUP, name, 1, w.p, w.len);
    }
    s2_wr_free(&w);
    return r;
}

LIBSSH2_API int
libssh2_channel_setenv_ex(LIBSSH2_CHANNEL *c, const char *varname, unsigned int varname_len,
                          const char *value, unsigned int value_len)
{
    struct s2_wr w;
    int r;
    if (c == NULL || varname == NULL || value == NULL) {
        return LIBSSH2_ERROR_BAD_USE;
    }
    /* RFC 4254 6.4: string variable name, string variable value */
    s2_wr_dyn(&w, &c->session->env.alloc, 64 * 1024);
    s2_wr_str(&w, varname, varname_len);
    s2_wr_str(&w, value, value_len);
    r = s2_wr_ok(&w);
    if (r == 0) {
        r = s2_api_channel_request(c, S2_CHOP_SETENV, "env", 1, w.p, w.len);
    }
    s2_wr_free(&w);
    return r;
}

LIBSSH2_API int
libssh2_channel_request_pty_ex(LIBSSH2_CHANNEL *c, const char *term, unsigned int term_len,
                               const char *modes, unsigned int modes_len, int width, int height,
                               int width_px, int height_px)
{
    struct s2_wr w;
    int r;
    if (c == NULL || term == NULL) {
        return LIBSSH2_ERROR_BAD_USE;
    }
    /* RFC 4254 6.2: string TERM, uint32 columns, rows, width px, height px,
     * string encoded terminal modes (ending with TTY_OP_END = 0) */
    s2_wr_dyn(&w, &c->session->env.alloc, 64 * 1024);
    s2_wr_str(&w, term, term_len);
    s2_wr_u32(&w, (uint32_t)width);
    s2_wr_u32(&w, (uint32_t)height);
    s2_wr_u32(&w, (uint32_t)width_px);
    s2_wr_u32(&w, (uint32_t)height_px);
    if (modes != NULL && modes_len > 0) {
        s2_wr_str(&w, modes, modes_len);
    } else {
        s2_wr_str(&w, "", 1);
    }
    r = s2_wr_ok(&w);
    if (r == 0) {
        r = s2_api_channel_request(c, S2_CHOP_PTY, "pty-req", 1, w.p, w.len);
    }
    s2_wr_free(&w);
    return r;
}

LIBSSH2_API int
libssh2_channel_request_pty_size_ex(LIBSSH2_CHANNEL *c, int width, int height, int width_px,
                                    int height_px)
{
    uint8_t data[16];
    if (c == NULL) {
        return LIBSSH2_ERROR_BAD_USE;
    }
    /* RFC 4254 6.7 window-change: uint32 columns, rows, width px, height px */
    s2_put_u32(data, (uint32_t)width);
    s2_put_u32(data + 4, (uint32_t)height);
    s2_put_u32(data + 8, (uint32_t)width_px);
    s2_put_u32(data + 12, (uint32_t)height_px);
    return s2_api_channel_request(c, S2_CHOP_PTY_SIZE, "window-change", 0, data, sizeof data);
}

LIBSSH2_API int
libssh2_channel_x11_req_ex(LIBSSH2_CHANNEL *c, int single_connection, const char *auth_proto,
                           const char *auth_cookie, int screen_number)
{
    static const char hex[] = "0123456789abcdef";
    struct s2_wr w;
    char cookie[33];
    int r;
    if (c == NULL) {
        return LIBSSH2_ERROR_BAD_USE;
    }
    if (auth_cookie == NULL) {
        uint8_t rnd[16];
        size_t i;
        r = s2_random(rnd, sizeof rnd);
        if (r != 0) {
            return s2_api_fail(c->session, r, "random number generator failed");
        }
        for (i = 0; i < sizeof rnd; i++) {
            cookie[2 * i] = hex[rnd[i] >> 4];
            cookie[2 * i + 1] = hex[rnd[i] & 15];
        }
        cookie[32] = '\0';
        auth_cookie = cookie;
    }
    /* RFC 4254 6.3.1: boolean single connection, string x11 auth protocol,
     * string x11 auth cookie, uint32 x11 screen number */
    s2_wr_dyn(&w, &c->session->env.alloc, 4096);
    s2_wr_bool(&w, single_connection);
    s2_wr_cstr(&w, auth_proto != NULL ? auth_proto : "MIT-MAGIC-COOKIE-1");
    s2_wr_cstr(&w, auth_cookie);
    s2_wr_u32(&w, (uint32_t)screen_number);
    r = s2_wr_ok(&w);
    if (r == 0) {
        r = s2_api_channel_request(c, S2_CHOP_X11, "x11-req", 1, w.p, w.len);
    }
    s2_wr_free(&w);
    if (r == 0 && c->session->x11_cb != NULL && c->session->x11_listener < 0) {
        /* the server's x11 opens now go to LIBSSH2_CALLBACK_X11 */
        c->session->x11_listener = s2_conn_listen_type(c->session->conn, "x11", 16);
    }
    return r;
}

LIBSSH2_API int
libssh2_channel_request_auth_agent(LIBSSH2_CHANNEL *c)
{
    int r;
    if (c == NULL) {
        return LIBSSH2_ERROR_BAD_USE;
    }
    r = s2_api_channel_request(c, S2_CHOP_AGENT, "auth-agent-req@openssh.com", 1, NULL, 0);
    if (r == 0 && c->session->authagent_cb != NULL && c->session->agent_listener < 0) {
        /* the server's auth-agent@openssh.com opens now go to
         * LIBSSH2_CALLBACK_AUTHAGENT */
        c->session->agent_listener =
            s2_conn_listen_type(c->session->conn, "auth-agent@openssh.com", 16);
    }
    return r;
}

LIBSSH2_API int
libssh2_channel_signal_ex(LIBSSH2_CHANNEL *c, const char *signame, size_t signame_len)
{
    struct s2_wr w;
    int r;
    if (c == NULL || signame == NULL) {
        return LIBSSH2_ERROR_BAD_USE;
    }
    /* RFC 4254 6.9: string signal name (without the "SIG" prefix) */
    s2_wr_dyn(&w, &c->session->env.alloc, 256);
    s2_wr_str(&w, signame, signame_len);
    r = s2_wr_ok(&w);
    if (r == 0) {
        r = s2_api_channel_request(c, S2_CHOP_SIGNAL, "signal", 0, w.p, w.len);
    }
    s2_wr_free(&w);
    return r;
}

/* ---- data ---- */

struct io_arg {
    LIBSSH2_CHANNEL *c;
    int stream;
    const uint8_t *in;
    uint8_t *out;
    size_t len;
    ssize_t result;
};

static int
poll_read(LIBSSH2_SESSION *s, void *arg)
{
    struct io_arg *io = arg;
    ssize_t n = s2_chan_read(io->c->ch, io->stream, io->out, io->len);
    (void)s;
    if (n == LIBSSH2_ERROR_EAGAIN) {
        return LIBSSH2_ERROR_EAGAIN;
    }
    io->result = n;
    return 0;
}

LIBSSH2_API ssize_t
libssh2_channel_read_ex(LIBSSH2_CHANNEL *c, int stream_id, char *buf, size_t buflen)
{
    struct io_arg io;
    size_t n;
    int r;
    if (c == NULL || buf == NULL) {
        return LIBSSH2_ERROR_BAD_USE;
    }
    r = s2_tp_dead(c->session->tp);
    if (r != 0) {
        /* data that arrived before the session died is still returned */
        ssize_t k = s2_chan_read(c->ch, stream_id, (uint8_t *)buf, buflen);
        return k > 0 ? k : r;
    }
    memset(&io, 0, sizeof io);
    io.c = c;
    io.stream = stream_id;
    io.out = (uint8_t *)buf;
    io.len = buflen;
    /* lend |buf| to the channel while this call pumps: data that arrives
     * for this stream goes from the decrypted packet straight into it */
    s2_chan_read_arm(c->ch, stream_id, io.out, buflen);
    r = s2_api_run(c->session, poll_read, &io);
    n = s2_chan_read_disarm(c->ch);
    if (n > 0) {
        return (ssize_t)n; /* delivered, even if the session then died */
    }
    if (r != 0) {
        return r;
    }
    if (io.result == 0 && s2_tp_dead(c->session->tp) == 0) {
        /* at EOF nothing was waited for: still move the session along, as
         * libssh2's read does, so other channels' packets get routed */
        (void)s2_api_pump_all(c->session);
    }
    return io.result;
}

static int
poll_write(LIBSSH2_SESSION *s, void *arg)
{
    struct io_arg *io = arg;
    ssize_t n = s2_chan_write(io->c->ch, io->stream, io->in, io->len);
    (void)s;
    if (n == LIBSSH2_ERROR_EAGAIN) {
        return LIBSSH2_ERROR_EAGAIN;
    }
    io->result = n;
    return n < 0 ? (int)n : 0;
}

static int
poll_out_flushed(LIBSSH2_SESSION *s, void *arg)
{
    (void)arg;
    return s2_tp_flush(s->tp);
}

LIBSSH2_API ssize_t
libssh2_channel_write_ex(LIBSSH2_CHANNEL *c, int stream_id, const char *buf, size_t buflen)
{
    struct io_arg io;
    int r;
    if (c == NULL || (buf == NULL && buflen > 0)) {
        return LIBSSH2_ERROR_BAD_USE;
    }
    if (buflen == 0) {
        return 0;
    }
    r = s2_tp_dead(c->session->tp);
    if (r != 0) {
        return r;
    }
    memset(&io, 0, sizeof io);
    io.c = c;
    io.stream = stream_id;
    io.in = (const uint8_t *)buf;
    io.len = buflen;
    r = s2_api_run(c->session, poll_write, &io);
    if (r != 0) {
        return r;
    }
    /* hand the queued packets to the socket now; a blocking caller
     * expects them sent when the call returns */
    r = s2_tp_flush(c->session->tp);
    if (r == LIBSSH2_ERROR_EAGAIN && c->session->blocking) {
        r = s2_api_run(c->session, poll_out_flushed, NULL);
    }
    if (r != 0 && r != LIBSSH2_ERROR_EAGAIN) {
        return r;
    }
    return io.result;
}

LIBSSH2_API int
libssh2_channel_flush_ex(LIBSSH2_CHANNEL *c, int streamid)
{
    uint8_t sink[4096];
    int total = 0;
    if (c == NULL) {
        return LIBSSH2_ERROR_BAD_USE;
    }
    /* discard buffered incoming data of the stream(s), as libssh2 does */
    for (;;) {
        ssize_t n = 0;
        if (streamid == 0 || streamid == LIBSSH2_CHANNEL_FLUSH_ALL) {
            n = s2_chan_read(c->ch, 0, sink, sizeof sink);
        }
        if (n <= 0 && (streamid != 0)) {
            n = s2_chan_read(c->ch, 1, sink, sizeof sink);
        }
        if (n <= 0) {
            break;
        }
        total += (int)n;
    }
    return total;
}

LIBSSH2_API int
libssh2_channel_handle_extended_data2(LIBSSH2_CHANNEL *c, int ignore_mode)
{
    if (c == NULL) {
        return LIBSSH2_ERROR_BAD_USE;
    }
    s2_chan_extended_mode(c->ch, ignore_mode);
    return 0;
}

LIBSSH2_API void
libssh2_channel_handle_extended_data(LIBSSH2_CHANNEL *c, int ignore_mode)
{
    (void)libssh2_channel_handle_extended_data2(c, ignore_mode);
}

LIBSSH2_API void
libssh2_channel_set_blocking(LIBSSH2_CHANNEL *c, int blocking)
{
    if (c != NULL) {
        libssh2_session_set_blocking(c->session, blocking); /* as libssh2: per session */
    }
}

/* ---- EOF, close, free ---- */

static int
poll_chan_flushed(LIBSSH2_SESSION *s, void *arg)
{
    (void)s;
    return s2_chan_poll_flushed(((LIBSSH2_CHANNEL *)arg)->ch);
}

LIBSSH2_API int
libssh2_channel_send_eof(LIBSSH2_CHANNEL *c)
{
    int r;
    if (c == NULL) {
        return LIBSSH2_ERROR_BAD_USE;
    }
    if (c->op == S2_CHOP_NONE) {
        r = s2_chan_send_eof(c->ch);
        if (r != 0) {
            return r;
        }
        c->op = S2_CHOP_EOF;
    } else if (c->op != S2_CHOP_EOF) {
        return s2_api_fail(c->session, LIBSSH2_ERROR_BAD_USE, "another call is pending");
    }
    r = s2_api_run(c->session, poll_chan_flushed, c);
    if (r != LIBSSH2_ERROR_EAGAIN) {
        c->op = S2_CHOP_NONE;
    }
    return r;
}

LIBSSH2_API int
libssh2_channel_eof(LIBSSH2_CHANNEL *c)
{
    if (c == NULL) {
        return LIBSSH2_ERROR_BAD_USE;
    }
    return s2_chan_eof(c->ch);
}

static int
poll_eof(LIBSSH2_SESSION *s, void *arg)
{
    (void)s;
    return s2_chan_poll_eof(((LIBSSH2_CHANNEL *)arg)->ch);
}

LIBSSH2_API int
libssh2_channel_wait_eof(LIBSSH2_CHANNEL *c)
{
    if (c == NULL) {
        return LIBSSH2_ERROR_BAD_USE;
    }
    return s2_api_run(c->session, poll_eof, c);
}

static int
poll_closed(LIBSSH2_SESSION *s, void *arg)
{
    (void)s;
    return s2_chan_poll_closed(((LIBSSH2_CHANNEL *)arg)->ch);
}

LIBSSH2_API int
libssh2_channel_close(LIBSSH2_CHANNEL *c)
{
    int r;
    if (c == NULL) {
        return LIBSSH2_ERROR_BAD_USE;
    }
    r = s2_chan_close(c->ch);
    if (r != 0) {
        return r;
    }
    r = s2_tp_dead(c->session->tp);
    if (r != 0) {
        return r;
    }
    return s2_api_run(c->session, poll_closed, c);
}

LIBSSH2_API int
libssh2_channel_wait_closed(LIBSSH2_CHANNEL *c)
{
    if (c == NULL) {
        return LIBSSH2_ERROR_BAD_USE;
    }
    if (!s2_chan_closed_by_server(c->ch) && !s2_chan_eof(c->ch)) {
        return s2_api_fail(c->session, LIBSSH2_ERROR_INVAL,
                           "the server has not sent EOF on this channel");
    }
    return s2_api_run(c->session, poll_closed, c);
}

LIBSSH2_API int
libssh2_channel_free(LIBSSH2_CHANNEL *c)
{
    LIBSSH2_SESSION *s;
    if (c == NULL) {
        return LIBSSH2_ERROR_BAD_USE;
    }
    s = c->session;
    s2_api_channel_unlink(c);
    /* the CLOSE goes out in the background; never blocks */
    s2_chan_free(c->ch);
    if (s2_tp_dead(s->tp) == 0) {
        (void)s2_api_pump_all(s);
    }
    s2_free(&s->env.alloc, c);
    return 0;
}

/* ---- exit status and windows ---- */

LIBSSH2_API int
libssh2_channel_get_exit_status(LIBSSH2_CHANNEL *c)
{
    return c != NULL ? s2_chan_exit_status(c->ch) : 0;
}

LIBSSH2_API int
libssh2_channel_has_exit_status(LIBSSH2_CHANNEL *c)
{
    return c != NULL ? s2_chan_has_exit_status(c->ch) : 0;
}

static int
copy_out(LIBSSH2_SESSION *s, const char *v, char **out, size_t *out_len)
{
    if (out_len != NULL) {
        *out_len = v != NULL ? strlen(v) : 0;
    }
    if (out == NULL) {
        return 0;
    }
    *out = NULL;
    if (v == NULL) {
        return 0;
    }
    *out = s2_memdup(&s->env.alloc, v, strlen(v));
    return *out == NULL ? LIBSSH2_ERROR_ALLOC : 0;
}

LIBSSH2_API int
libssh2_channel_get_exit_signal(LIBSSH2_CHANNEL *c, char **exitsignal, size_t *exitsignal_len,
                                char **errmsg, size_t *errmsg_len, char **langtag,
                                size_t *langtag_len)
{
    const char *name, *msg, *lang;
    int r;
    if (c == NULL) {
        return LIBSSH2_ERROR_BAD_USE;
    }
    s2_chan_exit_signal(c->ch, &name, &msg, &lang);
    r = copy_out(c->session, name, exitsignal, exitsignal_len);
    if (r == 0) {
        r = copy_out(c->session, name != NULL ? msg : NULL, errmsg, errmsg_len);
    }
    if (r == 0) {
        r = copy_out(c->session, name != NULL ? lang : NULL, langtag, langtag_len);
    }
    return r != 0 ? s2_api_fail(c->session, r, "out of memory") : 0;
}

LIBSSH2_API unsigned long
libssh2_channel_window_read_ex(LIBSSH2_CHANNEL *c, unsigned long *read_avail,
                               unsigned long *window_size_initial)
{
    size_t avail = 0;
    uint32_t initial = 0, w;
    if (c == NULL) {
        return 0;
    }
    w = s2_chan_window_read(c->ch, &avail, &initial);
    if (read_avail != NULL) {
        *read_avail = avail;
    }
    if (window_size_initial != NULL) {
        *window_size_initial = initial;
    }
    return w;
}

LIBSSH2_API unsigned long
libssh2_channel_window_write_ex(LIBSSH2_CHANNEL *c, unsigned long *window_size_initial)
{
    uint32_t initial = 0, w;
    if (c == NULL) {
        return 0;
    }
    w = s2_chan_window_write(c->ch, &initial);
    if (window_size_initial != NULL) {
        *window_size_initial = initial;
    }
    return w;
}

LIBSSH2_API int
libssh2_channel_receive_window_adjust2(LIBSSH2_CHANNEL *c, unsigned long adjustment,
                                       unsigned char force, unsigned int *storewindow)
{
    uint32_t w = 0;
    int r;
    if (c == NULL) {
        return LIBSSH2_ERROR_BAD_USE;
    }
    r = s2_chan_window_adjust(c->ch, adjustment > UINT32_MAX ? UINT32_MAX : (uint32_t)adjustment,
                              force, &w);
    if (r == 0) {
        (void)s2_api_pump_all(c->session);
    }
    if (storewindow != NULL) {
        *storewindow = w;
    }
    return r;
}

LIBSSH2_API unsigned long
libssh2_channel_receive_window_adjust(LIBSSH2_CHANNEL *c, unsigned long adjustment,
                                      unsigned char force)
{
    unsigned int w = 0;
    int r = libssh2_channel_receive_window_adjust2(c, adjustment, force, &w);
    return r == 0 ? w : (unsigned long)r;
}
