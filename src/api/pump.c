/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The packet pump, message routing and the blocking adapter (DESIGN.md
 * "The way data flows", STYLE.md section 4). s2_api_run() is the only loop:
 * flush, read, route, poll; in blocking mode it waits with poll(2) in the
 * directions the transport reports.
 */
#include <errno.h>
#include <poll.h>

#include "api/session_int.h"
#include "transport/ssh_msg.h"

typedef int (*s2_route_fn)(LIBSSH2_SESSION *s, struct s2_rd *payload);

struct s2_route {
    uint8_t first;
    uint8_t last;
    s2_route_fn fn;
};

static int
route_transport(LIBSSH2_SESSION *s, struct s2_rd *payload)
{
    if (s2_rd_peek_u8(payload) == SSH_MSG_SERVICE_ACCEPT) {
        return s2_ua_on_packet(s->ua, payload);
    }
    return s2_tp_on_packet(s->tp, payload);
}

static int
route_userauth(LIBSSH2_SESSION *s, struct s2_rd *payload)
{
    return s2_ua_on_packet(s->ua, payload);
}

static int
route_connection(LIBSSH2_SESSION *s, struct s2_rd *payload)
{
    return s2_conn_on_packet(s->conn, payload);
}

static const struct s2_route routes[] = {
    /* RFC 4250 4.1.2 number ranges */
    {1, 49, route_transport},
    {50, 79, route_userauth},
    {80, 127, route_connection}, /* refused by the gate until userauth is done */
};

static int
route(LIBSSH2_SESSION *s, struct s2_rd *payload)
{
    int peek = s2_rd_peek_u8(payload);
    uint8_t msg;
    size_t i;
    int r;
    if (peek < 0) {
        return s2_tp_fatal(s->tp, LIBSSH2_ERROR_PROTO, SSH_DISCONNECT_PROTOCOL_ERROR,
                           "empty payload");
    }
    msg = (uint8_t)peek;
    r = s2_tp_gate(s->tp, msg);
    if (r != 0) {
        return r > 0 ? 0 : r;
    }
    for (i = 0; i < sizeof routes / sizeof routes[0]; i++) {
        if (msg >= routes[i].first && msg <= routes[i].last) {
            return routes[i].fn(s, payload);
        }
    }
    return 0; /* the gate answered it with UNIMPLEMENTED */
}

int
s2_api_pump(LIBSSH2_SESSION *s)
{
    struct s2_rd payload;
    int progress = 0;
    int r;

    r = s2_tp_flush(s->tp);
    if (r != 0 && r != LIBSSH2_ERROR_EAGAIN) {
        return r;
    }
    for (;;) {
        r = s2_tp_next(s->tp, &payload);
        if (r < 0) {
            return r;
        }
        if (r == 0) {
            break;
        }
        progress = 1;
        r = route(s, &payload);
        if (r != 0) {
            return r;
        }
        r = s2_tp_dead(s->tp);
        if (r != 0) {
            return r;
        }
    }
    if (progress) {
        s2_api_deliver_opens(s);
    }
    r = s2_conn_flush_pending(s->conn);
    if (r != 0) {
        return r;
    }
    r = s2_tp_check_timers(s->tp);
    if (r != 0) {
        return r;
    }
    r = s2_tp_flush(s->tp);
    if (r != 0 && r != LIBSSH2_ERROR_EAGAIN) {
        return r;
    }
    if (progress) {
        return 1;
    }
    r = s2_tp_read(s->tp);
    if (r == LIBSSH2_ERROR_EAGAIN) {
        return 0;
    }
    return r < 0 ? r : 1;
}

int
s2_api_pump_all(LIBSSH2_SESSION *s)
{
    int r;
    do {
        r = s2_api_pump(s);
    } while (r > 0);
    return r;
}

/* wait_socket waits until the socket is ready in the reported directions.
 * Returns 0, or TIMEOUT when |ms| elapsed (ms < 0: no limit). */
static int
wait_socket(LIBSSH2_SESSION *s, int ms)
{
    struct pollfd pfd;
    int dir = s2_tp_want_dir(s->tp);
    int n;
    pfd.fd = s->io.fd;
    pfd.events = 0;
    pfd.revents = 0;
    if (dir & LIBSSH2_SESSION_BLOCK_INBOUND) {
        pfd.events |= POLLIN;
    }
    if (dir & LIBSSH2_SESSION_BLOCK_OUTBOUND) {
        pfd.events |= POLLOUT;
    }
    if (pfd.events == 0) {
        pfd.events = POLLIN;
    }
    do {
        n = poll(&pfd, 1, ms);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
        return LIBSSH2_ERROR_SOCKET_RECV;
    }
    return n == 0 ? LIBSSH2_ERROR_TIMEOUT : 0;
}

int
s2_api_run(LIBSSH2_SESSION *s, s2_poll_fn poll_fn, void *arg)
{
    int64_t start = s2_now_ms();
    int r;
    for (;;) {
        r = s2_tp_dead(s->tp);
        if (r != 0) {
            return r;
        }
        r = poll_fn(s, arg);
        if (r != LIBSSH2_ERROR_EAGAIN) {
            return r;
        }
        r = s2_api_pump(s);
        if (r < 0) {
            return r;
        }
        if (r > 0) {
            continue;
        }
        r = poll_fn(s, arg);
        if (r != LIBSSH2_ERROR_EAGAIN) {
            return r;
        }
        if (!s->blocking) {
            s2_err_set(&s->env, LIBSSH2_ERROR_EAGAIN, "would block");
            return LIBSSH2_ERROR_EAGAIN;
        }
        {
            int64_t limit = -1;
            int64_t now = s2_now_ms();
            if (s->timeout_ms > 0) {
                limit = s->timeout_ms - (now - start);
                if (limit <= 0) {
                    return s2_api_fail(s, LIBSSH2_ERROR_TIMEOUT, "timed out waiting on the socket");
                }
            }
            if ((s2_tp_want_dir(s->tp) & LIBSSH2_SESSION_BLOCK_INBOUND) && s->read_timeout_s > 0 &&
                (limit < 0 || limit > (int64_t)s->read_timeout_s * 1000)) {
                limit = (int64_t)s->read_timeout_s * 1000;
            }
            r = wait_socket(s, limit > INT32_MAX ? INT32_MAX : (int)limit);
            if (r != 0) {
                return s2_api_fail(s, r, "timed out waiting on the socket");
            }
        }
    }
}

int
s2_api_fail(LIBSSH2_SESSION *s, int code, const char *msg)
{
    return s2_err_set(&s->env, code, msg);
}
