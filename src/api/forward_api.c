/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Tunnels and session upkeep: direct-tcpip (RFC 4254 7.2),
 * direct-streamlocal@openssh.com (OpenSSH PROTOCOL 2.4), remote forwarding
 * with tcpip-forward / cancel-tcpip-forward (RFC 4254 7.1), keepalive, and
 * the legacy libssh2_poll.
 */
#include <poll.h>
#include <string.h>

#include "api/channel_int.h"

LIBSSH2_API LIBSSH2_CHANNEL *
libssh2_channel_direct_tcpip_ex(LIBSSH2_SESSION *s, const char *host, int port,
                                const char *shost, int sport)
{
    struct s2_wr w;
    LIBSSH2_CHANNEL *c = NULL;
    if (s == NULL || host == NULL || shost == NULL) {
        return NULL;
    }
    /* string host to connect, uint32 port to connect, string originator
     * IP address, uint32 originator port */
    s2_wr_dyn(&w, &s->env.alloc, 4096);
    s2_wr_cstr(&w, host);
    s2_wr_u32(&w, (uint32_t)port);
    s2_wr_cstr(&w, shost);
    s2_wr_u32(&w, (uint32_t)sport);
    if (s2_wr_ok(&w) == 0) {
        c = s2_api_channel_open(s, "direct-tcpip", 12, LIBSSH2_CHANNEL_WINDOW_DEFAULT,
                                LIBSSH2_CHANNEL_PACKET_DEFAULT, w.p, w.len);
    } else {
        s2_api_fail(s, LIBSSH2_ERROR_INVAL, "host name too long");
    }
    s2_wr_free(&w);
    return c;
}

LIBSSH2_API LIBSSH2_CHANNEL *
libssh2_channel_direct_streamlocal_ex(LIBSSH2_SESSION *s, const char *socket_path,
                                      const char *shost, int sport)
{
    struct s2_wr w;
    LIBSSH2_CHANNEL *c = NULL;
    if (s == NULL || socket_path == NULL) {
        return NULL;
    }
    /* string socket path, string reserved, uint32 reserved */
    s2_wr_dyn(&w, &s->env.alloc, 4096);
    s2_wr_cstr(&w, socket_path);
    s2_wr_cstr(&w, shost != NULL ? shost : "");
    s2_wr_u32(&w, (uint32_t)sport);
    if (s2_wr_ok(&w) == 0) {
        c = s2_api_channel_open(s, "direct-streamlocal@openssh.com", 30,
                                LIBSSH2_CHANNEL_WINDOW_DEFAULT, LIBSSH2_CHANNEL_PACKET_DEFAULT,
                                w.p, w.len);
    } else {
        s2_api_fail(s, LIBSSH2_ERROR_INVAL, "socket path too long");
    }
    s2_wr_free(&w);
    return c;
}

/* ---- global requests ---- */

struct global_arg {
    struct s2_rd reply;
};

static int
poll_global(LIBSSH2_SESSION *s, void *arg)
{
    struct global_arg *g = arg;
    return s2_conn_poll_global(s->conn, &g->reply);
}

/* run_global runs a global request as the session's pending op. */
static int
run_global(LIBSSH2_SESSION *s, const char *name, const uint8_t *data, size_t len,
           struct s2_rd *reply)
{
    struct global_arg g;
    int r = s2_tp_dead(s->tp);
    if (r != 0) {
        return r;
    }
    if (s->op == S2_OP_NONE) {
        if (!s2_ua_authenticated(s->ua)) {
            return s2_api_fail(s, LIBSSH2_ERROR_BAD_USE, "not authenticated");
        }
        r = s2_conn_global_request(s->conn, name, 1, data, len);
        if (r != 0) {
            return r;
        }
        s->op = S2_OP_GLOBAL_REQUEST;
    } else if (s->op != S2_OP_GLOBAL_REQUEST) {
        return s2_api_fail(s, LIBSSH2_ERROR_BAD_USE, "another call is pending");
    }
    memset(&g, 0, sizeof g);
    r = s2_api_run(s, poll_global, &g);
    if (r != LIBSSH2_ERROR_EAGAIN) {
        s->op = S2_OP_NONE;
        *reply = g.reply;
    }
    return r;
}

LIBSSH2_API LIBSSH2_LISTENER *
libssh2_channel_forward_listen_ex(LIBSSH2_SESSION *s, const char *host, int port,
                                  int *bound_port, int queue_maxsize)
{
    LIBSSH2_LISTENER *l;
    struct s2_wr w;
    struct s2_rd reply;
    const char *h = host != NULL ? host : "0.0.0.0";
    int r;
    if (s == NULL) {
        return NULL;
    }
    /* string address to bind, uint32 port to bind */
    s2_wr_dyn(&w, &s->env.alloc, 4096);
    s2_wr_cstr(&w, h);
    s2_wr_u32(&w, (uint32_t)port);
    r = s2_wr_ok(&w);
    if (r == 0) {
        r = run_global(s, "tcpip-forward", w.p, w.len, &reply);
    }
    s2_wr_free(&w);
    if (r != 0) {
        if (r == LIBSSH2_ERROR_REQUEST_DENIED) {
            s2_api_fail(s, r, "the server refused the remote forward");
        }
        return NULL;
    }
    if (port == 0) {
        /* RFC 4254 7.1: uint32 port that was bound on the server */
        uint32_t p = s2_rd_u32(&reply);
        port = s2_rd_ok(&reply) == 0 ? (int)p : 0;
    }
    l = s2_zalloc(&s->env.alloc, sizeof *l);
    if (l == NULL) {
        s2_api_fail(s, LIBSSH2_ERROR_ALLOC, "out of memory for a listener");
        return NULL;
    }
    l->session = s;
    l->port = port;
    l->host = s2_memdup(&s->env.alloc, h, strlen(h));
    l->handle = s2_conn_listen_add(s->conn, h, port, queue_maxsize);
    if (l->host == NULL || l->handle < 0) {
        s2_free(&s->env.alloc, l->host);
        s2_free(&s->env.alloc, l);
        return NULL;
    }
    if (bound_port != NULL) {
        *bound_port = port;
    }
    l->next = s->listeners;
    if (s->listeners != NULL) {
        s->listeners->prev = l;
    }
    s->listeners = l;
    return l;
}

static int
poll_accept(LIBSSH2_SESSION *s, void *arg)
{
    LIBSSH2_LISTENER *l = arg;
    return s2_conn_has_accepted(s->conn, l->handle) ? 0 : LIBSSH2_ERROR_EAGAIN;
}

LIBSSH2_API LIBSSH2_CHANNEL *
libssh2_channel_forward_accept(LIBSSH2_LISTENER *l)
{
    LIBSSH2_SESSION *s;
    LIBSSH2_CHANNEL *c;
    struct s2_chan *ch;
    int r;
    if (l == NULL) {
        return NULL;
    }
    s = l->session;
    r = s2_api_run(s, poll_accept, l);
    if (r != 0) {
        return NULL;
    }
    ch = s2_conn_accept(s->conn, l->handle);
    c = s2_api_channel_wrap(s, ch);
    if (c == NULL) {
        s2_chan_free(ch);
    }
    return c;
}

LIBSSH2_API int
libssh2_channel_forward_cancel(LIBSSH2_LISTENER *l)
{
    LIBSSH2_SESSION *s;
    struct s2_wr w;
    struct s2_rd reply;
    int r;
    if (l == NULL) {
        return LIBSSH2_ERROR_BAD_USE;
    }
    s = l->session;
    /* string address to bind, uint32 port */
    s2_wr_dyn(&w, &s->env.alloc, 4096);
    s2_wr_cstr(&w, l->host);
    s2_wr_u32(&w, (uint32_t)l->port);
    r = s2_wr_ok(&w);
    if (r == 0) {
        r = run_global(s, "cancel-tcpip-forward", w.p, w.len, &reply);
    }
    s2_wr_free(&w);
    if (r == LIBSSH2_ERROR_EAGAIN) {
        return r;
    }
    s2_conn_listen_remove(s->conn, l->handle);
    if (l->prev != NULL) {
        l->prev->next = l->next;
    } else {
        s->listeners = l->next;
    }
    if (l->next != NULL) {
        l->next->prev = l->prev;
    }
    s2_free(&s->env.alloc, l->host);
    s2_free(&s->env.alloc, l);
    return r == LIBSSH2_ERROR_REQUEST_DENIED ? 0 : r; /* the listener is gone either way */
}

/* ---- keepalive ---- */

LIBSSH2_API void
libssh2_keepalive_config(LIBSSH2_SESSION *s, int want_reply, unsigned int interval)
{
    if (s == NULL) {
        return;
    }
    s->keepalive_want_reply = want_reply;
    s->keepalive_interval = interval == 1 ? 2 : interval; /* as libssh2: 1 means 2 */
}

LIBSSH2_API int
libssh2_keepalive_send(LIBSSH2_SESSION *s, int *seconds_to_next)
{
    int next = 0;
    int r;
    if (s == NULL) {
        return LIBSSH2_ERROR_BAD_USE;
    }
    r = s2_tp_dead(s->tp);
    if (r != 0) {
        return r;
    }
    if (!s2_ua_authenticated(s->ua) || s->op != S2_OP_NONE) {
        /* never during authentication or another call */
        if (seconds_to_next != NULL) {
            *seconds_to_next = (int)s->keepalive_interval;
        }
        return 0;
    }
    r = s2_conn_keepalive(s->conn, s->keepalive_want_reply, s->keepalive_interval, &next);
    if (r == LIBSSH2_ERROR_EAGAIN) {
        r = 0;
        next = 1;
    }
    if (r == 0) {
        (void)s2_api_pump_all(s); /* push it out and consume replies */
    }
    if (seconds_to_next != NULL) {
        *seconds_to_next = next;
    }
    return r < 0 ? r : 0;
}

/* ---- legacy polling ---- */

LIBSSH2_API int
libssh2_poll_channel_read(LIBSSH2_CHANNEL *c, int extended)
{
    if (c == NULL) {
        return 0;
    }
    (void)s2_api_pump_all(c->session);
    return s2_chan_read_avail(c->ch, extended ? 1 : 0) > 0;
}

/* revents_of computes what is ready on one entry, pumping its session. */
static unsigned long
revents_of(LIBSSH2_POLLFD *f)
{
    unsigned long ev = 0;
    switch (f->type) {
    case LIBSSH2_POLLFD_SOCKET: {
        struct pollfd p;
        p.fd = f->fd.socket;
        p.events = (short)(((f->events & LIBSSH2_POLLFD_POLLIN) ? POLLIN : 0) |
                           ((f->events & LIBSSH2_POLLFD_POLLOUT) ? POLLOUT : 0));
        p.revents = 0;
        if (poll(&p, 1, 0) > 0) {
            ev |= (p.revents & POLLIN) ? LIBSSH2_POLLFD_POLLIN : 0;
            ev |= (p.revents & POLLOUT) ? LIBSSH2_POLLFD_POLLOUT : 0;
            ev |= (p.revents & POLLHUP) ? LIBSSH2_POLLFD_POLLHUP : 0;
        }
        break;
    }
    case LIBSSH2_POLLFD_CHANNEL: {
        LIBSSH2_CHANNEL *c = f->fd.channel;
        (void)s2_api_pump_all(c->session);
        if ((f->events & LIBSSH2_POLLFD_POLLIN) && s2_chan_read_avail(c->ch, 0) > 0) {
            ev |= LIBSSH2_POLLFD_POLLIN;
        }
        if ((f->events & LIBSSH2_POLLFD_POLLEXT) && s2_chan_read_avail(c->ch, 1) > 0) {
            ev |= LIBSSH2_POLLFD_POLLEXT;
        }
        if ((f->events & LIBSSH2_POLLFD_POLLOUT) && s2_chan_window_write(c->ch, NULL) > 0) {
            ev |= LIBSSH2_POLLFD_POLLOUT;
        }
        if (s2_chan_closed_by_server(c->ch)) {
            ev |= LIBSSH2_POLLFD_CHANNEL_CLOSED;
        }
        if (s2_tp_dead(c->session->tp) != 0) {
            ev |= LIBSSH2_POLLFD_SESSION_CLOSED;
        }
        break;
    }
    case LIBSSH2_POLLFD_LISTENER: {
        LIBSSH2_LISTENER *l = f->fd.listener;
        (void)s2_api_pump_all(l->session);
        if ((f->events & LIBSSH2_POLLFD_POLLIN) &&
            s2_conn_has_accepted(l->session->conn, l->handle)) {
            ev |= LIBSSH2_POLLFD_POLLIN;
        }
        if (s2_tp_dead(l->session->tp) != 0) {
            ev |= LIBSSH2_POLLFD_SESSION_CLOSED;
        }
        break;
    }
    default:
        ev = LIBSSH2_POLLFD_POLLNVAL;
        break;
    }
    return ev;
}

LIBSSH2_API int
libssh2_poll(LIBSSH2_POLLFD *fds, unsigned int nfds, long timeout)
{
    int64_t end = s2_now_ms() + (timeout < 0 ? 0 : timeout);
    for (;;) {
        unsigned int i;
        int ready = 0;
        for (i = 0; i < nfds; i++) {
            fds[i].revents = revents_of(&fds[i]);
            if (fds[i].revents != 0) {
                ready++;
            }
        }
        if (ready > 0 || s2_now_ms() >= end) {
            return ready;
        }
        (void)poll(NULL, 0, 10); /* sessions are pumped on the next pass */
    }
}
