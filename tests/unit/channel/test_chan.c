/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The connection layer (RFC 4254) through the public API, against the
 * scripted server of tests/lib/peer.h over a socketpair: real KEX and
 * chacha20-poly1305, USERAUTH_SUCCESS for any request, and the peer's
 * connection layer (conn_auto) answering opens and requests, or the test
 * sending hostile messages itself. Every session runs on the counting
 * allocator: session_free must leave no block behind.
 *
 * Covers HOSTILE-CASES 2.5 C-01..C-17 that apply to a client and the
 * flow-control cases of issue 4. Single-threaded: every client call is
 * non-blocking and retried while the peer steps (DRIVE); the blocking
 * cases use a session timeout, since the peer cannot step meanwhile.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "failalloc.h"
#include "libssh2.h"
#include "peer.h"
#include "ssh2core.h"

#define IDLE_MAX 8

/* message numbers (RFC 4250 4.1.2) */
enum {
    M_GLOBAL_REQUEST = 80,
    M_REQUEST_SUCCESS = 81,
    M_REQUEST_FAILURE = 82,
    M_OPEN = 90,
    M_OPEN_CONFIRMATION = 91,
    M_OPEN_FAILURE = 92,
    M_WINDOW_ADJUST = 93,
    M_DATA = 94,
    M_EXTENDED_DATA = 95,
    M_EOF = 96,
    M_CLOSE = 97,
    M_REQUEST = 98,
    M_SUCCESS = 99,
    M_FAILURE = 100
};

struct h {
    struct peer p;
    struct fa_state fa;
    LIBSSH2_SESSION *s;
    int eagains; /* EAGAIN results the last DRIVE saw */
};

/* step lets the peer run once; a peer error is a test failure. */
static int
step(struct h *h)
{
    int r = peer_step(&h->p);
    if (r < 0) {
        fail_msg("peer: %s", h->p.errmsg);
    }
    return r;
}

/* DRIVE retries |expr| while it says EAGAIN and the peer makes progress;
 * the last result is left in |rc| (EAGAIN when nobody can move). */
#define DRIVE(h, rc, expr)                                                                      \
    do {                                                                                        \
        int idle_ = 0;                                                                          \
        (h)->eagains = 0;                                                                       \
        for (;;) {                                                                              \
            (rc) = (expr);                                                                      \
            if ((rc) != LIBSSH2_ERROR_EAGAIN || idle_ > IDLE_MAX) {                             \
                break;                                                                          \
            }                                                                                   \
            (h)->eagains++;                                                                     \
            idle_ = step(h) ? 0 : idle_ + 1;                                                    \
        }                                                                                       \
    } while (0)

/* settle lets both sides run until neither moves, pumping the client with
 * keepalive_send (interval 0: sends nothing, only pumps), and returns the
 * session's state: 0 while alive, else its fatal error. */
static int
settle(struct h *h)
{
    int idle = 0, rc = 0;
    while (idle <= IDLE_MAX) {
        rc = libssh2_keepalive_send(h->s, NULL);
        if (rc != 0) {
            return rc;
        }
        idle = step(h) ? 0 : idle + 1;
    }
    return libssh2_keepalive_send(h->s, NULL);
}

static struct h *
h_new(void)
{
    struct h *h = calloc(1, sizeof *h);
    assert_non_null(h);
    assert_int_equal(peer_init(&h->p), 0);
    h->p.auth_ok = 1;
    h->p.conn_auto = 1;
    h->p.strict = 1;
    fa_init(&h->fa, 0);
    h->s = libssh2_session_init_ex(fa_alloc, fa_free, fa_realloc, &h->fa);
    assert_non_null(h->s);
    libssh2_session_set_blocking(h->s, 0);
    if (getenv("TEST_TRACE") != NULL) {
        libssh2_trace(h->s, ~0);
    }
    return h;
}

/* h_connect runs the handshake and password authentication. */
static void
h_connect(struct h *h)
{
    int rc;
    DRIVE(h, rc, libssh2_session_handshake(h->s, h->p.client_fd));
    assert_int_equal(rc, 0);
    DRIVE(h, rc, libssh2_userauth_password(h->s, "user", "pass"));
    assert_int_equal(rc, 0);
    assert_true(libssh2_userauth_authenticated(h->s));
}

static struct h *
h_up(void)
{
    struct h *h = h_new();
    h_connect(h);
    return h;
}

static void
h_free(struct h *h)
{
    assert_int_equal(libssh2_session_free(h->s), 0);
    if (h->fa.blocks != 0) {
        fprintf(stderr, "leak: %zu blocks, %zu bytes\n", h->fa.blocks, h->fa.bytes);
    }
    assert_int_equal(h->fa.blocks, 0);
    peer_free(&h->p);
    free(h);
}

static LIBSSH2_CHANNEL *
open_ex(struct h *h, unsigned window, unsigned packet)
{
    LIBSSH2_CHANNEL *c;
    int idle = 0;
    h->eagains = 0;
    for (;;) {
        c = libssh2_channel_open_ex(h->s, "session", 7, window, packet, NULL, 0);
        if (c != NULL || libssh2_session_last_errno(h->s) != LIBSSH2_ERROR_EAGAIN ||
            idle > IDLE_MAX) {
            return c;
        }
        h->eagains++;
        idle = step(h) ? 0 : idle + 1;
    }
}

static LIBSSH2_CHANNEL *
open_ok(struct h *h)
{
    LIBSSH2_CHANNEL *c = open_ex(h, LIBSSH2_CHANNEL_WINDOW_DEFAULT,
                                 LIBSSH2_CHANNEL_PACKET_DEFAULT);
    assert_non_null(c);
    return c;
}

static void
exec_ok(struct h *h, LIBSSH2_CHANNEL *c, const char *cmd)
{
    int rc;
    DRIVE(h, rc, libssh2_channel_exec(c, cmd));
    assert_int_equal(rc, 0);
}

/* read_all reads |stream| until |want| bytes arrived (or EOF / error). */
static size_t
read_all(struct h *h, LIBSSH2_CHANNEL *c, int stream, char *buf, size_t want)
{
    size_t got = 0;
    while (got < want) {
        ssize_t n;
        DRIVE(h, n, libssh2_channel_read_ex(c, stream, buf + got, want - got));
        if (n <= 0) {
            break;
        }
        got += (size_t)n;
    }
    return got;
}

/* expect_dead: the session died with |code| and told the server with a
 * DISCONNECT (protocol error). Later calls fail fast with the same code. */
static void
expect_dead(struct h *h, int code)
{
    int rc = settle(h), i;
    assert_int_equal(rc, code);
    for (i = 0; i < IDLE_MAX; i++) {
        (void)step(h); /* let the peer read our DISCONNECT */
    }
    assert_int_equal(libssh2_session_last_errno(h->s), code);
    assert_int_equal(libssh2_keepalive_send(h->s, NULL), code);
    assert_true(h->p.got_disconnect);
    assert_int_equal(h->p.disconnect_reason, 2); /* SSH_DISCONNECT_PROTOCOL_ERROR */
    assert_null(libssh2_channel_open_session(h->s));
}

/* send_w sends a payload built in a writer and frees it. */
static void
send_w(struct h *h, struct s2_wr *w)
{
    assert_int_equal(s2_wr_ok(w), 0);
    peer_send(&h->p, w->p, w->len);
    s2_wr_free(w);
}

static void
wr_new(struct h *h, struct s2_wr *w)
{
    s2_wr_dyn(w, &h->p.alloc, S2_PACKET_MAX);
}

/* ======================= the happy path ======================= */

static void
test_exec_read_eof_exit(void **state)
{
    struct h *h = h_up();
    LIBSSH2_CHANNEL *c;
    struct peer_chan *pc;
    char buf[64];
    ssize_t n;
    int rc;
    (void)state;
    h->p.exec_out = "hello\n";
    h->p.exec_status = 3;
    c = open_ok(h);
    pc = peer_chan(&h->p, h->p.last_open_id);
    assert_non_null(pc);
    assert_int_equal(pc->window, LIBSSH2_CHANNEL_WINDOW_DEFAULT);
    assert_int_equal(pc->maxpacket, LIBSSH2_CHANNEL_PACKET_DEFAULT);
    exec_ok(h, c, "true");
    assert_string_equal(pc->last_req, "exec");
    assert_true(pc->last_want_reply);
    assert_int_equal(pc->last_req_data_len, 8);
    assert_memory_equal(pc->last_req_data, "\0\0\0\4true", 8);
    /* data, then 0 at EOF, and again 0 */
    assert_int_equal(read_all(h, c, 0, buf, 6), 6);
    assert_memory_equal(buf, "hello\n", 6);
    DRIVE(h, n, libssh2_channel_read(c, buf, sizeof buf));
    assert_int_equal(n, 0);
    DRIVE(h, n, libssh2_channel_read(c, buf, sizeof buf));
    assert_int_equal(n, 0);
    DRIVE(h, n, libssh2_channel_read_stderr(c, buf, sizeof buf));
    assert_int_equal(n, 0);
    assert_int_equal(libssh2_channel_eof(c), 1);
    assert_int_equal(libssh2_channel_get_exit_status(c), 3);
    DRIVE(h, rc, libssh2_channel_wait_eof(c));
    assert_int_equal(rc, 0);
    DRIVE(h, rc, libssh2_channel_close(c));
    assert_int_equal(rc, 0);
    DRIVE(h, rc, libssh2_channel_wait_closed(c));
    assert_int_equal(rc, 0);
    assert_int_equal(settle(h), 0);
    assert_int_equal(pc->close_recv, 1); /* answered exactly once */
    assert_int_equal(libssh2_channel_free(c), 0);
    assert_int_equal(settle(h), 0);
    h_free(h);
}

/* The server refuses a request: CHANNEL_REQUEST_DENIED, the channel lives. */
static void
test_request_denied(void **state)
{
    struct h *h = h_up();
    LIBSSH2_CHANNEL *c = open_ok(h);
    int rc;
    (void)state;
    h->p.req_fail = 1;
    DRIVE(h, rc, libssh2_channel_setenv(c, "LANG", "C"));
    assert_int_equal(rc, LIBSSH2_ERROR_CHANNEL_REQUEST_DENIED);
    h->p.req_fail = 0;
    DRIVE(h, rc, libssh2_channel_exec(c, "ls"));
    assert_int_equal(rc, 0);
    assert_int_equal(settle(h), 0);
    assert_int_equal(libssh2_channel_free(c), 0);
    h_free(h);
}

/* ======================= flow control ======================= */

/* C-04: an initial window of 0: writes return EAGAIN (and time out in
 * blocking mode) until WINDOW_ADJUST; an adjust of 0 changes nothing. */
static void
test_c04_window_zero(void **state)
{
    struct h *h = h_up();
    LIBSSH2_CHANNEL *c;
    struct peer_chan *pc;
    ssize_t n;
    time_t t0;
    (void)state;
    h->p.open_window = 0;
    c = open_ok(h);
    pc = peer_chan(&h->p, h->p.last_open_id);
    assert_int_equal(libssh2_channel_window_write(c), 0);
    DRIVE(h, n, libssh2_channel_write(c, "0123456789", 10));
    assert_int_equal(n, LIBSSH2_ERROR_EAGAIN);
    assert_true(h->eagains > 0);
    /* blocking: times out instead of hanging */
    libssh2_session_set_blocking(h->s, 1);
    libssh2_session_set_timeout(h->s, 200);
    t0 = time(NULL);
    n = libssh2_channel_write(c, "0123456789", 10);
    assert_int_equal(n, LIBSSH2_ERROR_TIMEOUT);
    assert_true(time(NULL) - t0 <= 3);
    libssh2_session_set_timeout(h->s, 0);
    libssh2_session_set_blocking(h->s, 0);
    /* adjust 0: still nothing */
    peer_chan_adjust(&h->p, pc->client_id, 0);
    DRIVE(h, n, libssh2_channel_write(c, "0123456789", 10));
    assert_int_equal(n, LIBSSH2_ERROR_EAGAIN);
    /* adjust 4: exactly 4 bytes go */
    peer_chan_adjust(&h->p, pc->client_id, 4);
    DRIVE(h, n, libssh2_channel_write(c, "0123456789", 10));
    assert_int_equal(n, 4);
    assert_int_equal(settle(h), 0);
    assert_int_equal(pc->rx_data, 4);
    assert_memory_equal(pc->data_head, "0123", 4);
    DRIVE(h, n, libssh2_channel_write(c, "456789", 6));
    assert_int_equal(n, LIBSSH2_ERROR_EAGAIN);
    peer_chan_adjust(&h->p, pc->client_id, 100);
    DRIVE(h, n, libssh2_channel_write(c, "456789", 6));
    assert_int_equal(n, 6);
    assert_int_equal(settle(h), 0);
    assert_int_equal(pc->rx_data, 10);
    assert_memory_equal(pc->data_head, "0123456789", 10);
    assert_int_equal(libssh2_channel_window_write(c), 94);
    assert_int_equal(libssh2_channel_free(c), 0);
    h_free(h);
}

/* C-05: the window may reach 2^32-1 but never pass it. */
static void
test_c05_window_overflow(void **state)
{
    struct h *h = h_up();
    LIBSSH2_CHANNEL *c;
    uint32_t id;
    (void)state;
    h->p.open_window = 0xfffffff0u;
    c = open_ok(h);
    id = h->p.last_open_id;
    assert_int_equal(libssh2_channel_window_write(c), 0xfffffff0u);
    peer_chan_adjust(&h->p, id, 0x0f);
    assert_int_equal(settle(h), 0);
    assert_int_equal(libssh2_channel_window_write(c), 0xffffffffu);
    peer_chan_adjust(&h->p, id, 0);
    assert_int_equal(settle(h), 0);
    peer_chan_adjust(&h->p, id, 1);
    expect_dead(h, LIBSSH2_ERROR_PROTO);
    assert_int_equal(libssh2_channel_free(c), 0);
    h_free(h);

    /* a small window plus an adjust of 0xffffffff */
    h = h_up();
    h->p.open_window = 1;
    c = open_ok(h);
    peer_chan_adjust(&h->p, h->p.last_open_id, 0xffffffffu);
    expect_dead(h, LIBSSH2_ERROR_PROTO);
    assert_int_equal(libssh2_channel_free(c), 0);
    h_free(h);

    /* a malformed adjust (3 bytes, or trailing data) */
    h = h_up();
    c = open_ok(h);
    {
        uint8_t b[9] = {M_WINDOW_ADJUST, 0, 0, 0, 0, 0, 0, 1, 0};
        s2_put_u32(b + 1, h->p.last_open_id);
        peer_send(&h->p, b, 8);
    }
    expect_dead(h, LIBSSH2_ERROR_PROTO);
    assert_int_equal(libssh2_channel_free(c), 0);
    h_free(h);
}

/* C-06: a maximum packet size of 0 must be rejected or clamped: never an
 * endless EAGAIN (or a loop of empty packets). */
static void
test_c06_maxpacket_zero(void **state)
{
    struct h *h = h_up();
    LIBSSH2_CHANNEL *c;
    ssize_t n;
    (void)state;
    h->p.open_maxpacket = 0;
    c = open_ex(h, LIBSSH2_CHANNEL_WINDOW_DEFAULT, LIBSSH2_CHANNEL_PACKET_DEFAULT);
    if (c == NULL) {
        /* rejected at CONFIRMATION */
        assert_int_not_equal(libssh2_session_last_errno(h->s), LIBSSH2_ERROR_EAGAIN);
        h_free(h);
        return;
    }
    DRIVE(h, n, libssh2_channel_write(c, "abc", 3));
    if (n == LIBSSH2_ERROR_EAGAIN) {
        /* library bug: remote max packet 0 is accepted in
         * CHANNEL_OPEN_CONFIRMATION and s2_chan_write then computes a
         * chunk of 0 and returns EAGAIN forever (blocking mode: waits
         * until the session timeout). C-06 wants reject or clamp. */
        fail_msg("a maximum packet size of 0 was accepted (C-06)");
    }
    assert_true(n == 3 || (n < 0 && n != LIBSSH2_ERROR_EAGAIN));
    assert_int_equal(libssh2_channel_free(c), 0);
    h_free(h);
}

static void
data_to(struct h *h, uint32_t id, int ext, size_t len)
{
    uint8_t *buf = calloc(1, len + 1);
    assert_non_null(buf);
    memset(buf, 'd', len);
    peer_chan_data(&h->p, id, ext, buf, len);
    free(buf);
}

/* C-07: data past our window */
static void
test_c07_window_exceeded(void **state)
{
    int ext;
    (void)state;
    for (ext = -1; ext <= 1; ext += 2) {
        struct h *h = h_up();
        LIBSSH2_CHANNEL *c = open_ex(h, 1000, 32768);
        unsigned long avail = 0;
        assert_non_null(c);
        data_to(h, h->p.last_open_id, ext, 600);
        data_to(h, h->p.last_open_id, ext, 400); /* exactly the window */
        assert_int_equal(settle(h), 0);
        assert_int_equal(libssh2_channel_window_read_ex(c, &avail, NULL), 0);
        assert_int_equal(avail, 1000);
        assert_int_equal(h->p.chans[h->p.last_open_id].nadjust, 0); /* nothing read yet */
        data_to(h, h->p.last_open_id, ext, 101); /* over by more than 10% */
        expect_dead(h, LIBSSH2_ERROR_CHANNEL_WINDOW_EXCEEDED);
        assert_int_equal(libssh2_channel_free(c), 0);
        h_free(h);
    }
}

/* C-07: data larger than our maximum packet */
static void
test_c07_packet_exceeded(void **state)
{
    struct h *h = h_up();
    LIBSSH2_CHANNEL *c = open_ex(h, 1u << 20, 1024);
    char buf[1024];
    (void)state;
    assert_non_null(c);
    assert_int_equal(h->p.chans[h->p.last_open_id].maxpacket, 1024);
    data_to(h, h->p.last_open_id, -1, 1024);
    assert_int_equal(settle(h), 0);
    assert_int_equal(read_all(h, c, 0, buf, sizeof buf), 1024);
    data_to(h, h->p.last_open_id, -1, 1025);
    expect_dead(h, LIBSSH2_ERROR_CHANNEL_PACKET_EXCEEDED);
    assert_int_equal(libssh2_channel_free(c), 0);
    h_free(h);
}

/* Receive window adjusts go out as the application reads, and only then:
 * what the server may send stays bounded by the window. */
static void
test_window_adjust_on_read(void **state)
{
    struct h *h = h_up();
    LIBSSH2_CHANNEL *c = open_ex(h, 65536, 32768);
    struct peer_chan *pc;
    static char buf[65536];
    unsigned long avail = 0;
    ssize_t n;
    int round;
    (void)state;
    assert_non_null(c);
    pc = peer_chan(&h->p, h->p.last_open_id);
    for (round = 1; round <= 3; round++) {
        data_to(h, pc->client_id, -1, 32768);
        data_to(h, pc->client_id, -1, 32768);
        assert_int_equal(settle(h), 0);
        /* not read: the window is shut and no adjust went out */
        assert_int_equal(libssh2_channel_window_read_ex(c, &avail, NULL), 0);
        assert_int_equal(avail, 65536);
        assert_int_equal(pc->adjust_total, (uint64_t)(round - 1) * 65536);
        /* read in small pieces, then once more to find nothing */
        assert_int_equal(read_all(h, c, 0, buf, 65536), 65536);
        DRIVE(h, n, libssh2_channel_read(c, buf, 10));
        assert_int_equal(n, LIBSSH2_ERROR_EAGAIN);
        assert_int_equal(settle(h), 0);
        assert_int_equal(pc->adjust_total, (uint64_t)round * 65536);
        assert_int_equal(libssh2_channel_window_read(c), 65536);
    }
    /* receive_window_adjust2 grants more on request */
    {
        unsigned int w = 0;
        assert_int_equal(libssh2_channel_receive_window_adjust2(c, 100000, 1, &w), 0);
        assert_int_equal(w, 65536); /* the window before, as libssh2 reports it */
        assert_int_equal(settle(h), 0);
        assert_int_equal(pc->adjust_total, 3 * 65536 + 100000);
    }
    assert_int_equal(libssh2_channel_free(c), 0);
    h_free(h);
}

/* ======================= EOF and CLOSE ======================= */

/* C-12: CLOSE without EOF: the data is still read, then 0; the exit
 * status is there; we answer with exactly one CLOSE. */
/* A read lends its buffer: data for that stream arriving while it pumps is
 * copied straight into it, up to its size; the rest is buffered in order;
 * the other stream keeps its own data; and bytes already delivered are
 * returned even when the server disconnects in the same burst. */
static void
test_direct_delivery(void **state)
{
    static const uint8_t bye[] = {0, 0, 0, 11, 0, 0, 0, 3, 'b', 'y', 'e', 0, 0, 0, 0};
    struct h *h = h_up();
    LIBSSH2_CHANNEL *c = open_ok(h);
    struct peer_chan *pc = peer_chan(&h->p, h->p.last_open_id);
    char buf[16];
    ssize_t n;
    (void)state;
    exec_ok(h, c, "x");
    peer_chan_data(&h->p, pc->client_id, -1, "abc", 3);
    peer_chan_data(&h->p, pc->client_id, 1, "ERR", 3);
    peer_chan_data(&h->p, pc->client_id, -1, "def", 3);
    peer_chan_data(&h->p, pc->client_id, -1, "ghi", 3);
    DRIVE(h, n, libssh2_channel_read(c, buf, 5));
    assert_int_equal(n, 5);
    assert_memory_equal(buf, "abcde", 5);
    DRIVE(h, n, libssh2_channel_read(c, buf, sizeof buf));
    assert_int_equal(n, 4);
    assert_memory_equal(buf, "fghi", 4);
    DRIVE(h, n, libssh2_channel_read_stderr(c, buf, sizeof buf));
    assert_int_equal(n, 3);
    assert_memory_equal(buf, "ERR", 3);
    /* data and a DISCONNECT in one burst: the data first, then the error */
    peer_chan_data(&h->p, pc->client_id, -1, "last", 4);
    peer_chan_data(&h->p, pc->client_id, -1, "1234", 4);
    peer_send_msg(&h->p, 1, bye, sizeof bye);
    DRIVE(h, n, libssh2_channel_read(c, buf, 4));
    assert_int_equal(n, 4);
    assert_memory_equal(buf, "last", 4);
    /* what was buffered behind it is still readable after the disconnect */
    DRIVE(h, n, libssh2_channel_read(c, buf, sizeof buf));
    assert_int_equal(n, 4);
    assert_memory_equal(buf, "1234", 4);
    DRIVE(h, n, libssh2_channel_read(c, buf, sizeof buf));
    assert_int_equal(n, LIBSSH2_ERROR_SOCKET_DISCONNECT);
    assert_int_equal(libssh2_channel_free(c), 0);
    h_free(h);
}

static void
test_c12_close_without_eof(void **state)
{
    struct h *h = h_up();
    LIBSSH2_CHANNEL *c = open_ok(h);
    struct peer_chan *pc = peer_chan(&h->p, h->p.last_open_id);
    char buf[16];
    ssize_t n;
    int rc;
    (void)state;
    exec_ok(h, c, "x");
    peer_chan_data(&h->p, pc->client_id, -1, "abc", 3);
    peer_chan_exit_status(&h->p, pc->client_id, 7);
    peer_chan_msg(&h->p, M_CLOSE, pc->client_id);
    assert_int_equal(settle(h), 0);
    assert_int_equal(pc->close_recv, 1);
    assert_false(pc->eof_recv);
    assert_int_equal(libssh2_channel_eof(c), 0); /* data left */
    assert_int_equal(read_all(h, c, 0, buf, 3), 3);
    assert_memory_equal(buf, "abc", 3);
    DRIVE(h, n, libssh2_channel_read(c, buf, sizeof buf));
    assert_int_equal(n, 0);
    assert_int_equal(libssh2_channel_eof(c), 1);
    assert_int_equal(libssh2_channel_get_exit_status(c), 7);
    DRIVE(h, rc, libssh2_channel_wait_eof(c));
    assert_int_equal(rc, 0);
    DRIVE(h, rc, libssh2_channel_wait_closed(c));
    assert_int_equal(rc, 0);
    DRIVE(h, rc, libssh2_channel_close(c));
    assert_int_equal(rc, 0);
    /* no writing into a closed channel */
    DRIVE(h, n, libssh2_channel_write(c, "x", 1));
    assert_true(n < 0 && n != LIBSSH2_ERROR_EAGAIN);
    assert_int_equal(settle(h), 0);
    assert_int_equal(pc->close_recv, 1);
    assert_int_equal(libssh2_channel_free(c), 0);
    assert_int_equal(settle(h), 0);
    h_free(h);
}

/* C-12: data after CLOSE; a second CLOSE; EOF after CLOSE */
static void
test_c12_after_close(void **state)
{
    static const uint8_t after[] = {M_DATA, M_CLOSE, M_EOF, M_EXTENDED_DATA};
    size_t i;
    (void)state;
    for (i = 0; i < sizeof after; i++) {
        struct h *h = h_up();
        LIBSSH2_CHANNEL *c = open_ok(h);
        uint32_t id = h->p.last_open_id;
        h->p.chans[id].close_sent = 1; /* the test sends the CLOSE */
        peer_chan_msg(&h->p, M_CLOSE, id);
        if (i == 0 || i == 2) {
            /* in the same flight, and after the client answered */
            if (i == 0) {
                peer_chan_data(&h->p, id, -1, "late", 4);
            } else {
                assert_int_equal(settle(h), 0);
                peer_chan_msg(&h->p, M_EOF, id);
            }
        } else if (after[i] == M_CLOSE) {
            peer_chan_msg(&h->p, M_CLOSE, id);
        } else {
            assert_int_equal(settle(h), 0);
            peer_chan_data(&h->p, id, 1, "late", 4);
        }
        expect_dead(h, LIBSSH2_ERROR_PROTO);
        assert_int_equal(libssh2_channel_free(c), 0);
        h_free(h);
    }
}

/* data after EOF is a protocol error too (RFC 4254 5.3) */
static void
test_data_after_eof(void **state)
{
    struct h *h = h_up();
    LIBSSH2_CHANNEL *c = open_ok(h);
    uint32_t id = h->p.last_open_id;
    (void)state;
    peer_chan_msg(&h->p, M_EOF, id);
    assert_int_equal(settle(h), 0);
    assert_int_equal(libssh2_channel_eof(c), 1);
    peer_chan_data(&h->p, id, -1, "x", 1);
    expect_dead(h, LIBSSH2_ERROR_PROTO);
    assert_int_equal(libssh2_channel_free(c), 0);
    h_free(h);
}

/* write after send_eof: CHANNEL_EOF_SENT; the server saw one EOF */
static void
test_write_after_eof(void **state)
{
    struct h *h = h_up();
    LIBSSH2_CHANNEL *c = open_ok(h);
    struct peer_chan *pc = peer_chan(&h->p, h->p.last_open_id);
    ssize_t n;
    int rc;
    (void)state;
    DRIVE(h, n, libssh2_channel_write(c, "data", 4));
    assert_int_equal(n, 4);
    DRIVE(h, rc, libssh2_channel_send_eof(c));
    assert_int_equal(rc, 0);
    assert_int_equal(settle(h), 0);
    assert_true(pc->eof_recv);
    assert_int_equal(pc->rx_data, 4);
    DRIVE(h, n, libssh2_channel_write(c, "more", 4));
    assert_int_equal(n, LIBSSH2_ERROR_CHANNEL_EOF_SENT);
    DRIVE(h, n, libssh2_channel_write_stderr(c, "more", 4));
    assert_int_equal(n, LIBSSH2_ERROR_CHANNEL_EOF_SENT);
    assert_int_equal(settle(h), 0);
    assert_int_equal(pc->rx_data, 4);
    assert_int_equal(peer_seen(&h->p, M_EOF), 1);
    /* reading still works after our EOF */
    peer_chan_data(&h->p, pc->client_id, -1, "reply", 5);
    {
        char buf[8];
        assert_int_equal(read_all(h, c, 0, buf, 5), 5);
        assert_memory_equal(buf, "reply", 5);
    }
    assert_int_equal(libssh2_channel_free(c), 0);
    h_free(h);
}

/* ======================= unknown ids, unexpected replies ======================= */

/* C-01, C-13: messages for a channel id that was never opened */
static void
test_c01_unknown_channel(void **state)
{
    static const uint8_t msgs[] = {M_DATA,    M_EXTENDED_DATA, M_WINDOW_ADJUST, M_EOF,
                                   M_CLOSE,   M_REQUEST,       M_SUCCESS,       M_FAILURE,
                                   M_OPEN_CONFIRMATION, M_OPEN_FAILURE};
    size_t i;
    (void)state;
    for (i = 0; i < sizeof msgs; i++) {
        struct h *h = h_up();
        LIBSSH2_CHANNEL *c = open_ok(h);
        uint8_t b[64];
        memset(b, 0, sizeof b);
        b[0] = msgs[i];
        s2_put_u32(b + 1, i % 2 ? 5 : 0xffffffffu);
        /* enough well-formed bytes behind the id for any of them */
        s2_put_u32(b + 5, 1);
        s2_put_u32(b + 9, 1);
        s2_put_u32(b + 13, 1);
        peer_send(&h->p, b, 17);
        expect_dead(h, LIBSSH2_ERROR_PROTO);
        assert_int_equal(libssh2_channel_free(c), 0);
        h_free(h);
    }
    /* a truncated recipient */
    {
        struct h *h = h_up();
        uint8_t b[3] = {M_DATA, 0, 0};
        peer_send(&h->p, b, sizeof b);
        expect_dead(h, LIBSSH2_ERROR_PROTO);
        h_free(h);
    }
}

/* C-15: CHANNEL_SUCCESS / FAILURE with no request pending */
static void
test_c15_reply_without_request(void **state)
{
    int k;
    (void)state;
    for (k = 0; k < 3; k++) {
        struct h *h = h_up();
        LIBSSH2_CHANNEL *c = open_ok(h);
        uint32_t id = h->p.last_open_id;
        if (k == 2) {
            /* one answered request, then one reply too many */
            exec_ok(h, c, "x");
        }
        peer_chan_msg(&h->p, k == 1 ? M_FAILURE : M_SUCCESS, id);
        expect_dead(h, LIBSSH2_ERROR_PROTO);
        assert_int_equal(libssh2_channel_free(c), 0);
        h_free(h);
    }
}

/* C-16: REQUEST_SUCCESS / FAILURE with no global request pending */
static void
test_c16_global_reply_without_request(void **state)
{
    int k;
    (void)state;
    for (k = 0; k < 2; k++) {
        struct h *h = h_up();
        uint8_t b = k == 0 ? M_REQUEST_SUCCESS : M_REQUEST_FAILURE;
        peer_send(&h->p, &b, 1);
        expect_dead(h, LIBSSH2_ERROR_PROTO);
        h_free(h);
    }
}

/* C-02: CONFIRMATION twice, or after OPEN_FAILURE */
static int g_confirm_mode;

static int
hook_bad_confirm(struct peer *p, const uint8_t *payload, size_t len, void *arg)
{
    struct s2_rd r;
    struct s2_rd type;
    uint32_t sender;
    uint8_t b[64];
    (void)arg;
    if (payload[0] != M_OPEN) {
        return 0;
    }
    s2_rd_init(&r, payload + 1, len - 1);
    s2_rd_str(&r, 64, &type);
    sender = s2_rd_u32(&r);
    memset(b, 0, sizeof b);
    if (g_confirm_mode == 1) {
        /* OPEN_FAILURE, then a CONFIRMATION */
        b[0] = M_OPEN_FAILURE;
        s2_put_u32(b + 1, sender);
        s2_put_u32(b + 5, 2);
        peer_send(p, b, 17); /* two empty strings */
    }
    b[0] = M_OPEN_CONFIRMATION;
    s2_put_u32(b + 1, sender);
    s2_put_u32(b + 5, PEER_CHAN_BASE + sender);
    s2_put_u32(b + 9, 65536);
    s2_put_u32(b + 13, 32768);
    peer_send(p, b, 17);
    if (g_confirm_mode == 0) {
        peer_send(p, b, 17);
    }
    return 1;
}

static void
test_c02_bad_confirmation(void **state)
{
    (void)state;
    for (g_confirm_mode = 0; g_confirm_mode < 2; g_confirm_mode++) {
        struct h *h = h_up();
        LIBSSH2_CHANNEL *c;
        h->p.msg_hook = hook_bad_confirm;
        c = open_ex(h, LIBSSH2_CHANNEL_WINDOW_DEFAULT, LIBSSH2_CHANNEL_PACKET_DEFAULT);
        if (c != NULL) {
            assert_int_equal(libssh2_channel_free(c), 0);
        } else {
            assert_int_not_equal(libssh2_session_last_errno(h->s), LIBSSH2_ERROR_EAGAIN);
        }
        expect_dead(h, LIBSSH2_ERROR_PROTO);
        h_free(h);
    }
}

/* ======================= opens refused ======================= */

/* C-03: OPEN_FAILURE reason and text reach last_error (text capped) */
static void
test_c03_open_failure(void **state)
{
    struct h *h = h_up();
    LIBSSH2_CHANNEL *c;
    char *msg = NULL;
    int len = 0;
    char *big;
    (void)state;
    h->p.open_fail_reason = 2;
    h->p.open_fail_text = "connect failed: no route";
    c = open_ex(h, LIBSSH2_CHANNEL_WINDOW_DEFAULT, LIBSSH2_CHANNEL_PACKET_DEFAULT);
    assert_null(c);
    assert_int_equal(libssh2_session_last_error(h->s, &msg, &len, 0),
                     LIBSSH2_ERROR_CHANNEL_FAILURE);
    assert_non_null(msg);
    assert_non_null(strstr(msg, "connect failed: no route"));
    assert_non_null(strstr(msg, "2"));
    assert_int_equal(settle(h), 0); /* the session lives */

    /* reason 0xffffffff and a 64 KiB description with control bytes */
    big = malloc(65537);
    assert_non_null(big);
    memset(big, 'A', 65536);
    big[10] = '\033';
    big[11] = '\n';
    big[65536] = '\0';
    h->p.open_fail_reason = 0xffffffffu;
    h->p.open_fail_text = big;
    c = open_ex(h, LIBSSH2_CHANNEL_WINDOW_DEFAULT, LIBSSH2_CHANNEL_PACKET_DEFAULT);
    assert_null(c);
    assert_int_equal(libssh2_session_last_error(h->s, &msg, &len, 0),
                     LIBSSH2_ERROR_CHANNEL_FAILURE);
    assert_non_null(msg);
    assert_true(len >= 0 && len < 4096);
    assert_int_equal((int)strlen(msg), len);
    assert_null(strchr(msg, '\033'));
    assert_null(strchr(msg, '\n'));
    assert_int_equal(settle(h), 0);
    free(big);

    /* the next open works */
    h->p.open_fail_reason = 0;
    h->p.open_fail_text = NULL;
    c = open_ok(h);
    assert_int_equal(libssh2_channel_free(c), 0);
    h_free(h);
}

static int
hook_truncated_failure(struct peer *p, const uint8_t *payload, size_t len, void *arg)
{
    struct s2_rd r, type;
    uint8_t b[9];
    (void)arg;
    if (payload[0] != M_OPEN) {
        return 0;
    }
    s2_rd_init(&r, payload + 1, len - 1);
    s2_rd_str(&r, 64, &type);
    b[0] = M_OPEN_FAILURE;
    s2_put_u32(b + 1, s2_rd_u32(&r));
    s2_put_u32(b + 5, 0xffffffffu);
    peer_send(p, b, sizeof b); /* no description, no language */
    return 1;
}

static void
test_c03_open_failure_truncated(void **state)
{
    struct h *h = h_up();
    LIBSSH2_CHANNEL *c;
    int rc;
    (void)state;
    h->p.msg_hook = hook_truncated_failure;
    c = open_ex(h, LIBSSH2_CHANNEL_WINDOW_DEFAULT, LIBSSH2_CHANNEL_PACKET_DEFAULT);
    assert_null(c);
    rc = libssh2_session_last_errno(h->s);
    assert_true(rc == LIBSSH2_ERROR_CHANNEL_FAILURE || rc == LIBSSH2_ERROR_PROTO);
    h_free(h);
}

/* C-14: server-initiated opens we never asked for: OPEN_FAILURE
 * (administratively prohibited, 1) to the sender, nothing allocated */
static void
server_open(struct h *h, const char *type, uint32_t sender, int with_tcpip_fields)
{
    struct s2_wr w;
    wr_new(h, &w);
    s2_wr_u8(&w, M_OPEN);
    s2_wr_cstr(&w, type);
    s2_wr_u32(&w, sender);
    s2_wr_u32(&w, 65536);
    s2_wr_u32(&w, 32768);
    if (with_tcpip_fields) {
        s2_wr_cstr(&w, "127.0.0.1");
        s2_wr_u32(&w, 4242);
        s2_wr_cstr(&w, "10.0.0.1");
        s2_wr_u32(&w, 5555);
    }
    send_w(h, &w);
}

static void
test_c14_server_open_refused(void **state)
{
    static const struct {
        const char *type;
        int fields;
    } opens[] = {
        {"session", 0},
        {"x11", 1},                     /* originator address and port */
        {"forwarded-tcpip", 1},         /* port 4242 was never requested */
        {"forwarded-tcpip", 0},         /* truncated */
        {"auth-agent@openssh.com", 0},
        {"direct-tcpip", 1},
        {"no-such-type@example.com", 0},
    };
    struct h *h = h_up();
    LIBSSH2_CHANNEL *c;
    size_t i, blocks;
    (void)state;
    assert_int_equal(settle(h), 0);
    blocks = h->fa.blocks;
    for (i = 0; i < sizeof opens / sizeof opens[0]; i++) {
        uint32_t sender = 700 + (uint32_t)i;
        server_open(h, opens[i].type, sender, opens[i].fields);
        assert_int_equal(settle(h), 0);
        assert_int_equal(h->p.nopen_failure, (int)i + 1);
        assert_int_equal(h->p.last_open_failure_recipient, sender);
        assert_int_equal(h->p.last_open_failure_reason, 1);
    }
    assert_int_equal(h->p.nopen_confirm, 0);
    assert_int_equal(h->fa.blocks, blocks); /* no channel was allocated */
    /* the table is untouched: our next channel gets id 0 */
    c = open_ok(h);
    assert_int_equal(h->p.last_open_id, 0);
    assert_int_equal(libssh2_channel_free(c), 0);
    h_free(h);
}

/* DRIVE_PTR is DRIVE for calls that return a pointer (NULL + EAGAIN) */
#define DRIVE_PTR(h, ptr, expr)                                                                 \
    do {                                                                                        \
        int idle_ = 0;                                                                          \
        (h)->eagains = 0;                                                                       \
        for (;;) {                                                                              \
            (ptr) = (expr);                                                                     \
            if ((ptr) != NULL ||                                                                \
                libssh2_session_last_errno((h)->s) != LIBSSH2_ERROR_EAGAIN || idle_ > IDLE_MAX) { \
                break;                                                                          \
            }                                                                                   \
            (h)->eagains++;                                                                     \
            idle_ = step(h) ? 0 : idle_ + 1;                                                    \
        }                                                                                       \
    } while (0)

/* tcpip-forward for port 0: REQUEST_SUCCESS with the bound port 5555 */
static int
hook_forward_port0(struct peer *p, const uint8_t *payload, size_t len, void *arg)
{
    struct s2_rd r, name, addr;
    uint8_t b[5] = {M_REQUEST_SUCCESS, 0, 0, 0x15, 0xb3};
    (void)arg;
    if (payload[0] != M_GLOBAL_REQUEST) {
        return 0;
    }
    s2_rd_init(&r, payload + 1, len - 1);
    s2_rd_str(&r, 64, &name);
    (void)s2_rd_bool(&r);
    s2_rd_str(&r, 256, &addr);
    if (!s2_rd_eq(&name, "tcpip-forward") || s2_rd_u32(&r) != 0) {
        return 0;
    }
    peer_send(p, b, sizeof b);
    return 1;
}

/* C-14 the other way: a forwarded-tcpip open to a port we listen on is
 * accepted, queued for forward_accept, and data flows; one to another
 * port is refused; cancel closes what was never accepted. */
static void
test_c14_forwarded_tcpip(void **state)
{
    struct h *h = h_up();
    LIBSSH2_LISTENER *l, *l0;
    LIBSSH2_CHANNEL *fc;
    struct peer_chan *pc;
    char buf[8];
    int bound = -1, rc;
    ssize_t n;
    (void)state;
    h->p.global_ok = 1;
    DRIVE_PTR(h, l, libssh2_channel_forward_listen_ex(h->s, "127.0.0.1", 4242, &bound, 4));
    assert_non_null(l);
    assert_int_equal(bound, 4242);
    assert_string_equal(h->p.last_global, "tcpip-forward");
    /* port 0: the server names the port */
    h->p.msg_hook = hook_forward_port0;
    bound = -1;
    DRIVE_PTR(h, l0, libssh2_channel_forward_listen_ex(h->s, "127.0.0.1", 0, &bound, 4));
    assert_non_null(l0);
    assert_int_equal(bound, 5555);
    h->p.msg_hook = NULL;
    /* refused by the server */
    h->p.global_ok = 0;
    {
        LIBSSH2_LISTENER *l2;
        DRIVE_PTR(h, l2, libssh2_channel_forward_listen_ex(h->s, "127.0.0.1", 9, NULL, 4));
        assert_null(l2);
        assert_int_equal(libssh2_session_last_errno(h->s), LIBSSH2_ERROR_REQUEST_DENIED);
    }
    h->p.global_ok = 1;

    server_open(h, "forwarded-tcpip", PEER_CHAN_BASE + 100, 1); /* port 4242 */
    assert_int_equal(settle(h), 0);
    assert_int_equal(h->p.nopen_confirm, 1);
    assert_int_equal(h->p.nopen_failure, 0);
    pc = &h->p.chans[100];
    assert_true(pc->used);
    DRIVE_PTR(h, fc, libssh2_channel_forward_accept(l));
    assert_non_null(fc);
    peer_chan_data(&h->p, pc->client_id, -1, "ping", 4);
    assert_int_equal(read_all(h, fc, 0, buf, 4), 4);
    assert_memory_equal(buf, "ping", 4);
    DRIVE(h, n, libssh2_channel_write(fc, "pong", 4));
    assert_int_equal(n, 4);
    assert_int_equal(settle(h), 0);
    assert_int_equal(pc->rx_data, 4);
    assert_memory_equal(pc->data_head, "pong", 4);

    /* a port nobody listens on */
    {
        struct s2_wr w;
        wr_new(h, &w);
        s2_wr_u8(&w, M_OPEN);
        s2_wr_cstr(&w, "forwarded-tcpip");
        s2_wr_u32(&w, PEER_CHAN_BASE + 101);
        s2_wr_u32(&w, 65536);
        s2_wr_u32(&w, 32768);
        s2_wr_cstr(&w, "127.0.0.1");
        s2_wr_u32(&w, 4243);
        s2_wr_cstr(&w, "10.0.0.1");
        s2_wr_u32(&w, 5555);
        send_w(h, &w);
    }
    assert_int_equal(settle(h), 0);
    assert_int_equal(h->p.nopen_failure, 1);
    assert_int_equal(h->p.last_open_failure_recipient, PEER_CHAN_BASE + 101);
    assert_int_equal(h->p.last_open_failure_reason, 1);

    /* two more, never accepted: cancel closes them */
    server_open(h, "forwarded-tcpip", PEER_CHAN_BASE + 102, 1);
    server_open(h, "forwarded-tcpip", PEER_CHAN_BASE + 103, 1);
    assert_int_equal(settle(h), 0);
    assert_int_equal(h->p.nopen_confirm, 3);
    DRIVE(h, rc, libssh2_channel_forward_cancel(l));
    assert_int_equal(rc, 0);
    assert_string_equal(h->p.last_global, "cancel-tcpip-forward");
    assert_int_equal(settle(h), 0);
    assert_int_equal(h->p.chans[102].close_recv, 1);
    assert_int_equal(h->p.chans[103].close_recv, 1);
    DRIVE(h, rc, libssh2_channel_forward_cancel(l0));
    assert_int_equal(rc, 0);
    DRIVE(h, rc, libssh2_channel_close(fc));
    assert_int_equal(rc, 0);
    assert_int_equal(libssh2_channel_free(fc), 0);
    assert_int_equal(settle(h), 0);
    h_free(h);
}

/* session_free with a forwarded channel still queued (never accepted, the
 * listener never cancelled) */
static void
test_c14_forward_queued_at_free(void **state)
{
    struct h *h = h_up();
    LIBSSH2_LISTENER *l;
    (void)state;
    h->p.global_ok = 1;
    DRIVE_PTR(h, l, libssh2_channel_forward_listen_ex(h->s, "127.0.0.1", 4242, NULL, 4));
    assert_non_null(l);
    server_open(h, "forwarded-tcpip", PEER_CHAN_BASE + 100, 1);
    assert_int_equal(settle(h), 0);
    assert_int_equal(h->p.nopen_confirm, 1);
    h_free(h); /* session_free releases the queued channel and the listener */
}

/* ======================= extended data ======================= */

/* C-08 and handle_extended_data2: stderr kept apart, ignored or merged;
 * types other than 1 discarded with the window still credited */
static void
test_c08_extended_data(void **state)
{
    struct h *h = h_up();
    LIBSSH2_CHANNEL *c = open_ex(h, 65536, 32768);
    struct peer_chan *pc;
    char buf[64];
    unsigned long avail = 0;
    ssize_t n;
    uint32_t id;
    (void)state;
    assert_non_null(c);
    id = h->p.last_open_id;
    pc = peer_chan(&h->p, id);
    /* NORMAL: apart */
    peer_chan_data(&h->p, id, 1, "err1", 4);
    peer_chan_data(&h->p, id, -1, "out1", 4);
    peer_chan_data(&h->p, id, 2, "typ2", 4); /* not stderr: dropped */
    assert_int_equal(settle(h), 0);
    assert_int_equal(libssh2_channel_window_read_ex(c, &avail, NULL), 65536 - 12);
    assert_int_equal(avail, 8);
    assert_int_equal(read_all(h, c, 1, buf, 4), 4);
    assert_memory_equal(buf, "err1", 4);
    DRIVE(h, n, libssh2_channel_read_stderr(c, buf, sizeof buf));
    assert_int_equal(n, LIBSSH2_ERROR_EAGAIN);
    assert_int_equal(read_all(h, c, 0, buf, 4), 4);
    assert_memory_equal(buf, "out1", 4);
    DRIVE(h, n, libssh2_channel_read(c, buf, sizeof buf));
    assert_int_equal(n, LIBSSH2_ERROR_EAGAIN);

    /* MERGE: stderr joins stdout in order, including what was buffered */
    peer_chan_data(&h->p, id, 1, "X", 1);
    assert_int_equal(settle(h), 0);
    assert_int_equal(libssh2_channel_handle_extended_data2(c, LIBSSH2_CHANNEL_EXTENDED_DATA_MERGE),
                     0);
    peer_chan_data(&h->p, id, -1, "A", 1);
    peer_chan_data(&h->p, id, 1, "B", 1);
    peer_chan_data(&h->p, id, -1, "C", 1);
    assert_int_equal(settle(h), 0);
    assert_int_equal(read_all(h, c, 0, buf, 4), 4);
    assert_memory_equal(buf, "XABC", 4);
    DRIVE(h, n, libssh2_channel_read_stderr(c, buf, sizeof buf));
    assert_int_equal(n, LIBSSH2_ERROR_EAGAIN);

    /* IGNORE: stderr dropped, stdout kept */
    assert_int_equal(
        libssh2_channel_handle_extended_data2(c, LIBSSH2_CHANNEL_EXTENDED_DATA_IGNORE), 0);
    peer_chan_data(&h->p, id, 1, "e2", 2);
    peer_chan_data(&h->p, id, -1, "d2", 2);
    assert_int_equal(settle(h), 0);
    DRIVE(h, n, libssh2_channel_read_stderr(c, buf, sizeof buf));
    assert_int_equal(n, LIBSSH2_ERROR_EAGAIN);
    assert_int_equal(read_all(h, c, 0, buf, 2), 2);
    assert_memory_equal(buf, "d2", 2);

    /* what was dropped is still given back: 40000 bytes of type 2 and
     * ignored stderr re-open the window without any read */
    {
        uint64_t before = pc->adjust_total;
        data_to(h, id, 2, 20000);
        data_to(h, id, 1, 20000);
        assert_int_equal(settle(h), 0);
        assert_true(pc->adjust_total - before >= 32768);
        assert_int_equal(libssh2_channel_window_read_ex(c, &avail, NULL) + (pc->adjust_total -
                         before) >= 40000, 1);
        assert_int_equal(avail, 0);
    }
    assert_int_equal(libssh2_channel_free(c), 0);
    h_free(h);
}

/* ======================= requests from the server ======================= */

static void
exit_signal(struct h *h, uint32_t id, const char *sig, const char *msg, const char *lang)
{
    struct s2_wr w;
    wr_new(h, &w);
    s2_wr_cstr(&w, sig);
    s2_wr_bool(&w, 0);
    s2_wr_cstr(&w, msg);
    s2_wr_cstr(&w, lang);
    assert_int_equal(s2_wr_ok(&w), 0);
    peer_chan_request(&h->p, id, "exit-signal", 0, w.p, w.len);
    s2_wr_free(&w);
}

static void
check_signal(struct h *h, LIBSSH2_CHANNEL *c, const char *sig, const char *msg, const char *lang)
{
    char *s = NULL, *m = NULL, *l = NULL;
    size_t sl = 99, ml = 99, ll = 99;
    assert_int_equal(libssh2_channel_get_exit_signal(c, &s, &sl, &m, &ml, &l, &ll), 0);
    if (sig == NULL) {
        assert_null(s);
        assert_int_equal(sl, 0);
        return;
    }
    assert_non_null(s);
    assert_string_equal(s, sig);
    assert_int_equal(sl, strlen(sig));
    assert_non_null(m);
    assert_string_equal(m, msg);
    assert_int_equal(ml, strlen(msg));
    assert_non_null(l);
    assert_string_equal(l, lang);
    assert_int_equal(ll, strlen(lang));
    libssh2_free(h->s, s);
    libssh2_free(h->s, m);
    libssh2_free(h->s, l);
}

/* C-09, C-10, C-11: exit-status and exit-signal, whole, truncated and
 * oversized; the last one wins without growing memory */
static void
test_c09_c11_exit_requests(void **state)
{
    struct h *h = h_up();
    LIBSSH2_CHANNEL *c = open_ok(h);
    uint32_t id = h->p.last_open_id;
    size_t blocks;
    int i;
    (void)state;
    /* exit-status without payload, and with 2 bytes: ignored */
    peer_chan_request(&h->p, id, "exit-status", 0, NULL, 0);
    peer_chan_request(&h->p, id, "exit-status", 0, "\0\0", 2);
    assert_int_equal(settle(h), 0);
    assert_int_equal(libssh2_channel_get_exit_status(c), 0);
    check_signal(h, c, NULL, NULL, NULL);
    /* exit-signal cut after the name; name length 0xffffffff; a 100-byte
     * name: none of them stored */
    peer_chan_request(&h->p, id, "exit-signal", 0, "\0\0\0\4KILL", 8);
    peer_chan_request(&h->p, id, "exit-signal", 0, "\0\0\0\4KILL\0\0\0\0\5", 13);
    peer_chan_request(&h->p, id, "exit-signal", 0, "\xff\xff\xff\xffKILL", 8);
    {
        char name[101];
        memset(name, 'S', 100);
        name[100] = '\0';
        exit_signal(h, id, name, "m", "en");
    }
    assert_int_equal(settle(h), 0);
    {
        char *s = NULL;
        size_t sl = 0;
        assert_int_equal(libssh2_channel_get_exit_signal(c, &s, &sl, NULL, NULL, NULL, NULL), 0);
        /* dropped, or capped to the 64 bytes a signal name may have */
        assert_true(s == NULL || (sl <= 64 && strlen(s) == sl));
        libssh2_free(h->s, s);
    }
    /* a whole one */
    exit_signal(h, id, "TERM", "killed by test", "en-US");
    peer_chan_exit_status(&h->p, id, 143);
    assert_int_equal(settle(h), 0);
    check_signal(h, c, "TERM", "killed by test", "en-US");
    assert_int_equal(libssh2_channel_get_exit_status(c), 143);
    /* 1000 more: the last wins, memory stays flat */
    blocks = h->fa.blocks;
    for (i = 0; i < 1000; i++) {
        char sig[16];
        snprintf(sig, sizeof sig, "SIG%d", i);
        exit_signal(h, id, sig, i % 2 ? "odd" : "", "");
        if (i % 50 == 49) {
            assert_int_equal(settle(h), 0);
        }
    }
    assert_int_equal(settle(h), 0);
    assert_int_equal(h->fa.blocks, blocks);
    check_signal(h, c, "SIG999", "odd", "");
    /* a truncated exit-signal after a good one leaves the good one */
    peer_chan_request(&h->p, id, "exit-signal", 0, "\0\0\0\3HUP\0", 8);
    assert_int_equal(settle(h), 0);
    check_signal(h, c, "SIG999", "odd", "");
    assert_int_equal(libssh2_channel_free(c), 0);
    h_free(h);
}

/* requests we do not know: refused when a reply is wanted, else ignored;
 * global requests likewise */
static void
test_server_requests_refused(void **state)
{
    struct h *h = h_up();
    LIBSSH2_CHANNEL *c = open_ok(h);
    uint32_t id = h->p.last_open_id;
    struct peer_chan *pc = peer_chan(&h->p, id);
    struct s2_wr w;
    (void)state;
    peer_chan_request(&h->p, id, "keepalive@openssh.com", 1, NULL, 0);
    peer_chan_request(&h->p, id, "something-else", 0, "junk", 4);
    assert_int_equal(settle(h), 0);
    assert_int_equal(pc->nfailure, 1);
    assert_int_equal(pc->nsuccess, 0);
    wr_new(h, &w);
    s2_wr_u8(&w, M_GLOBAL_REQUEST);
    s2_wr_cstr(&w, "hostkeys-00@openssh.com");
    s2_wr_bool(&w, 1);
    s2_wr_cstr(&w, "blob");
    send_w(h, &w);
    wr_new(h, &w);
    s2_wr_u8(&w, M_GLOBAL_REQUEST);
    s2_wr_cstr(&w, "no-reply@example.com");
    s2_wr_bool(&w, 0);
    send_w(h, &w);
    assert_int_equal(settle(h), 0);
    assert_int_equal(h->p.ngreply, 1);
    assert_int_equal(peer_seen(&h->p, M_REQUEST_FAILURE), 1);
    assert_int_equal(libssh2_channel_free(c), 0);
    h_free(h);
}

/* ======================= the channel table ======================= */

/* C-12, C-13, C-17: an id comes back only after both CLOSEs; data that
 * crosses our CLOSE is discarded; many open/close cycles reuse ids */
static int
hook_late_data(struct peer *p, const uint8_t *payload, size_t len, void *arg)
{
    struct s2_rd r;
    uint32_t rcpt;
    (void)arg;
    if (payload[0] != M_CLOSE) {
        return 0;
    }
    s2_rd_init(&r, payload + 1, len - 1);
    rcpt = s2_rd_u32(&r) - PEER_CHAN_BASE;
    /* data that was in flight when the client's CLOSE arrived */
    peer_chan_data(p, rcpt, -1, "late", 4);
    peer_chan_data(p, rcpt, 1, "late", 4);
    peer_chan_adjust(p, rcpt, 10);
    return 0; /* then the usual CLOSE answer */
}

static void
test_c12_id_reuse(void **state)
{
    struct h *h = h_up();
    LIBSSH2_CHANNEL *a, *b, *c;
    int rc, i;
    (void)state;
    h->p.no_close_reply = 1;
    a = open_ok(h);
    assert_int_equal(h->p.last_open_id, 0);
    DRIVE(h, rc, libssh2_channel_close(a));
    assert_int_equal(rc, LIBSSH2_ERROR_EAGAIN); /* the server does not answer */
    assert_int_equal(h->p.chans[0].close_recv, 1);
    assert_int_equal(libssh2_channel_free(a), 0);
    /* id 0 is still reserved */
    b = open_ok(h);
    assert_int_equal(h->p.last_open_id, 1);
    /* the late CLOSE frees id 0 */
    peer_chan_msg(&h->p, M_CLOSE, 0);
    assert_int_equal(settle(h), 0);
    c = open_ok(h);
    assert_int_equal(h->p.last_open_id, 0);
    assert_int_equal(libssh2_channel_free(c), 0);
    h->p.no_close_reply = 0;
    assert_int_equal(libssh2_channel_free(b), 0);
    assert_int_equal(settle(h), 0);

    /* data crossing our CLOSE is dropped; the session lives */
    h->p.msg_hook = hook_late_data;
    a = open_ok(h);
    DRIVE(h, rc, libssh2_channel_close(a));
    assert_int_equal(rc, 0);
    assert_int_equal(libssh2_channel_free(a), 0);
    assert_int_equal(settle(h), 0);
    h->p.msg_hook = NULL;

    /* C-17: many cycles, ids stay small (the peer fails on early reuse) */
    for (i = 0; i < 1000; i++) {
        a = open_ok(h);
        assert_true(h->p.last_open_id < 2);
        if (i % 2) {
            DRIVE(h, rc, libssh2_channel_close(a));
            assert_int_equal(rc, 0);
        }
        assert_int_equal(libssh2_channel_free(a), 0);
    }
    assert_int_equal(settle(h), 0);
    /* a message for the freed id: refused as unknown, no use after free */
    peer_chan_data(&h->p, 0, -1, "ghost", 5);
    rc = settle(h);
    assert_true(rc == 0 || rc == LIBSSH2_ERROR_PROTO);
    h_free(h);
}

/* 100 channels at once, each with its own data both ways */
static void
test_hundred_channels(void **state)
{
    struct h *h = h_up();
    LIBSSH2_CHANNEL *ch[100];
    uint32_t ids[100];
    int i, rc;
    (void)state;
    for (i = 0; i < 100; i++) {
        ch[i] = open_ok(h);
        ids[i] = h->p.last_open_id;
        assert_int_equal(ids[i], (uint32_t)i);
    }
    assert_int_equal(h->p.nopen, 100);
    for (i = 0; i < 100; i++) {
        char msg[16];
        snprintf(msg, sizeof msg, "chan%03d", i);
        peer_chan_data(&h->p, ids[i], -1, msg, 7);
    }
    for (i = 99; i >= 0; i--) {
        char msg[16], buf[16];
        ssize_t n;
        snprintf(msg, sizeof msg, "chan%03d", i);
        assert_int_equal(read_all(h, ch[i], 0, buf, 7), 7);
        assert_memory_equal(buf, msg, 7);
        DRIVE(h, n, libssh2_channel_write(ch[i], msg, 7));
        assert_int_equal(n, 7);
    }
    assert_int_equal(settle(h), 0);
    for (i = 0; i < 100; i++) {
        char msg[16];
        snprintf(msg, sizeof msg, "chan%03d", i);
        assert_int_equal(h->p.chans[ids[i]].rx_data, 7);
        assert_memory_equal(h->p.chans[ids[i]].data_head, msg, 7);
    }
    for (i = 0; i < 100; i++) {
        DRIVE(h, rc, libssh2_channel_close(ch[i]));
        assert_int_equal(rc, 0);
        assert_int_equal(libssh2_channel_free(ch[i]), 0);
    }
    assert_int_equal(settle(h), 0);
    for (i = 0; i < 100; i++) {
        assert_int_equal(h->p.chans[ids[i]].close_recv, 1);
    }
    h_free(h);
}

/* ======================= keepalive ======================= */

static void
test_keepalive(void **state)
{
    struct h *h = h_up();
    int next = -1;
    (void)state;
    libssh2_keepalive_config(h->s, 1, 2);
    assert_int_equal(libssh2_keepalive_send(h->s, &next), 0);
    assert_int_equal(next, 2);
    assert_int_equal(settle(h), 0);
    assert_int_equal(h->p.nglobal, 1);
    assert_string_equal(h->p.last_global, "keepalive@openssh.com");
    /* not due yet: nothing sent */
    assert_int_equal(libssh2_keepalive_send(h->s, &next), 0);
    assert_true(next >= 1 && next <= 2);
    assert_int_equal(settle(h), 0);
    assert_int_equal(h->p.nglobal, 1);
    /* the next one, answered with REQUEST_SUCCESS this time */
    h->p.global_ok = 1;
    sleep(2);
    assert_int_equal(libssh2_keepalive_send(h->s, &next), 0);
    assert_int_equal(settle(h), 0);
    assert_int_equal(h->p.nglobal, 2);
    assert_int_equal(settle(h), 0);
    /* both replies consumed: one more is unsolicited */
    {
        uint8_t b = M_REQUEST_SUCCESS;
        peer_send(&h->p, &b, 1);
    }
    expect_dead(h, LIBSSH2_ERROR_PROTO);
    h_free(h);
}

/* ======================= non-blocking against a slow peer ======================= */

/* start_server_rekey has the peer send KEXINIT and the client take it in,
 * so the key exchange is running when the next call starts. */
static void
start_server_rekey(struct h *h)
{
    int i;
    peer_send_kexinit(&h->p);
    for (i = 0; i < 100000 && h->p.out_len > 0; i++) {
        (void)step(h);
    }
    assert_int_equal(h->p.out_len, 0);
    for (i = 0; i < 3; i++) {
        /* one pump reads, the next routes */
        assert_int_equal(libssh2_keepalive_send(h->s, NULL), 0);
    }
}

/* The peer writes one byte per step: every call that waits for the server
 * returns EAGAIN at least once, then completes. Write and send_eof wait
 * here on a window of 0 and on a server-initiated rekey. */
static void
test_nonblocking_slow_peer(void **state)
{
    struct h *h = h_new();
    LIBSSH2_CHANNEL *c;
    struct peer_chan *pc;
    char buf[64];
    ssize_t n;
    int rc;
    (void)state;
    h->p.one_byte = 1;
    DRIVE(h, rc, libssh2_session_handshake(h->s, h->p.client_fd));
    assert_int_equal(rc, 0);
    assert_true(h->eagains > 0);
    DRIVE(h, rc, libssh2_userauth_password(h->s, "user", "pass"));
    assert_int_equal(rc, 0);
    assert_true(h->eagains > 0);
    h->p.open_window = 0;
    c = open_ok(h);
    assert_true(h->eagains > 0);
    pc = peer_chan(&h->p, h->p.last_open_id);
    DRIVE(h, rc, libssh2_channel_exec(c, "cat"));
    assert_int_equal(rc, 0);
    assert_true(h->eagains > 0);
    /* write: window 0, then the adjust trickles in */
    n = libssh2_channel_write(c, "hello", 5);
    assert_int_equal(n, LIBSSH2_ERROR_EAGAIN);
    peer_chan_adjust(&h->p, pc->client_id, 1000);
    DRIVE(h, n, libssh2_channel_write(c, "hello", 5));
    assert_int_equal(n, 5);
    assert_true(h->eagains > 0);
    /* read */
    peer_chan_data(&h->p, pc->client_id, -1, "world", 5);
    DRIVE(h, n, libssh2_channel_read(c, buf, sizeof buf));
    assert_int_equal(n, 5);
    assert_true(h->eagains > 0);
    assert_memory_equal(buf, "world", 5);
    /* stderr read */
    peer_chan_data(&h->p, pc->client_id, 1, "oops", 4);
    DRIVE(h, n, libssh2_channel_read_stderr(c, buf, sizeof buf));
    assert_int_equal(n, 4);
    assert_true(h->eagains > 0);
    /* write and send_eof during a rekey the server started */
    start_server_rekey(h);
    DRIVE(h, n, libssh2_channel_write(c, "again", 5));
    assert_int_equal(n, 5);
    assert_true(h->eagains > 0);
    start_server_rekey(h);
    DRIVE(h, rc, libssh2_channel_send_eof(c));
    assert_int_equal(rc, 0);
    assert_true(h->eagains > 0);
    assert_int_equal(ssh2core_session_kex_count(h->s), 3);
    /* wait_eof, then close and wait_closed */
    peer_chan_exit_status(&h->p, pc->client_id, 0);
    peer_chan_msg(&h->p, M_EOF, pc->client_id);
    DRIVE(h, rc, libssh2_channel_wait_eof(c));
    assert_int_equal(rc, 0);
    assert_true(h->eagains > 0);
    DRIVE(h, rc, libssh2_channel_close(c));
    assert_int_equal(rc, 0);
    assert_true(h->eagains > 0);
    DRIVE(h, rc, libssh2_channel_wait_closed(c));
    assert_int_equal(rc, 0);
    assert_int_equal(settle(h), 0);
    assert_int_equal(pc->rx_data, 10);
    assert_memory_equal(pc->data_head, "helloagain", 10);
    assert_true(pc->eof_recv);
    assert_int_equal(pc->close_recv, 1);
    assert_int_equal(libssh2_channel_free(c), 0);
    DRIVE(h, rc, libssh2_session_disconnect(h->s, "bye"));
    assert_int_equal(rc, 0);
    h_free(h);
}

/* ======================= H3: truncation and length fields ======================= */

struct h3 {
    struct h *h;
    LIBSSH2_CHANNEL *c;
    int dead, alive;
};

static void
h3_session(struct h3 *t)
{
    if (t->h == NULL) {
        t->h = h_up();
        t->c = open_ok(t->h);
        assert_int_equal(t->h->p.last_open_id, 0);
    }
}

static void
h3_done(struct h3 *t)
{
    if (t->h != NULL) {
        assert_int_equal(libssh2_channel_free(t->c), 0);
        h_free(t->h);
        t->h = NULL;
    }
}

/* h3_send sends one (damaged) message: the session either lives on or
 * dies with PROTO; a dead one is replaced */
static void
h3_send(struct h3 *t, const uint8_t *m, size_t len)
{
    int rc;
    h3_session(t);
    peer_send(&t->h->p, m, len);
    rc = settle(t->h);
    if (rc != 0) {
        if (rc != LIBSSH2_ERROR_PROTO) {
            fprintf(stderr, "H3: message %u cut to %zu gives %d\n", m[0], len, rc);
        }
        assert_int_equal(rc, LIBSSH2_ERROR_PROTO);
        t->dead++;
        h3_done(t);
    } else {
        t->alive++;
    }
}

static void
test_h3_truncation(void **state)
{
    static const uint32_t lens[] = {0, 1, 0x7fffffffu, 0xffffffffu};
    struct h3 t;
    struct s2_wr w[9];
    struct s2_allocator a;
    size_t nmsg = sizeof w / sizeof w[0], i, cut, k;
    (void)state;
    memset(&t, 0, sizeof t);
    s2_allocator_default(&a, NULL);
    for (i = 0; i < nmsg; i++) {
        s2_wr_dyn(&w[i], &a, 4096);
    }
    s2_wr_u8(&w[0], M_DATA);
    s2_wr_u32(&w[0], 0);
    s2_wr_cstr(&w[0], "hello");
    s2_wr_u8(&w[1], M_EXTENDED_DATA);
    s2_wr_u32(&w[1], 0);
    s2_wr_u32(&w[1], 1);
    s2_wr_cstr(&w[1], "err");
    s2_wr_u8(&w[2], M_WINDOW_ADJUST);
    s2_wr_u32(&w[2], 0);
    s2_wr_u32(&w[2], 100);
    s2_wr_u8(&w[3], M_REQUEST);
    s2_wr_u32(&w[3], 0);
    s2_wr_cstr(&w[3], "exit-status");
    s2_wr_bool(&w[3], 0);
    s2_wr_u32(&w[3], 1);
    s2_wr_u8(&w[4], M_REQUEST);
    s2_wr_u32(&w[4], 0);
    s2_wr_cstr(&w[4], "exit-signal");
    s2_wr_bool(&w[4], 0);
    s2_wr_cstr(&w[4], "TERM");
    s2_wr_bool(&w[4], 1);
    s2_wr_cstr(&w[4], "msg");
    s2_wr_cstr(&w[4], "en");
    s2_wr_u8(&w[5], M_GLOBAL_REQUEST);
    s2_wr_cstr(&w[5], "hostkeys-00@openssh.com");
    s2_wr_bool(&w[5], 1);
    s2_wr_cstr(&w[5], "blob");
    s2_wr_u8(&w[6], M_OPEN);
    s2_wr_cstr(&w[6], "forwarded-tcpip");
    s2_wr_u32(&w[6], 77);
    s2_wr_u32(&w[6], 65536);
    s2_wr_u32(&w[6], 32768);
    s2_wr_cstr(&w[6], "127.0.0.1");
    s2_wr_u32(&w[6], 4242);
    s2_wr_cstr(&w[6], "10.0.0.1");
    s2_wr_u32(&w[6], 5555);
    s2_wr_u8(&w[7], M_EOF);
    s2_wr_u32(&w[7], 0);
    s2_wr_u8(&w[8], M_CLOSE);
    s2_wr_u32(&w[8], 0);
    for (i = 0; i < nmsg; i++) {
        assert_int_equal(s2_wr_ok(&w[i]), 0);
        /* every proper prefix */
        for (cut = 1; cut < w[i].len; cut++) {
            h3_send(&t, w[i].p, cut);
        }
        /* the first length field (after the message number, or after the
         * recipient) set to each boundary value */
        for (k = 0; k < sizeof lens / sizeof lens[0]; k++) {
            uint8_t m[4096];
            size_t off = (w[i].p[0] == M_GLOBAL_REQUEST || w[i].p[0] == M_OPEN) ? 1 : 5;
            if (w[i].p[0] == M_EXTENDED_DATA) {
                off = 9;
            }
            if (w[i].p[0] == M_WINDOW_ADJUST || w[i].p[0] == M_EOF || w[i].p[0] == M_CLOSE) {
                continue;
            }
            memcpy(m, w[i].p, w[i].len);
            s2_put_u32(m + off, lens[k]);
            h3_send(&t, m, w[i].len);
            s2_put_u32(m + off, s2_get_u32(w[i].p + off) + 1);
            h3_send(&t, m, w[i].len);
            s2_put_u32(m + off, s2_get_u32(w[i].p + off) - 1);
            h3_send(&t, m, w[i].len);
        }
    }
    h3_done(&t);
    for (i = 0; i < nmsg; i++) {
        s2_wr_free(&w[i]);
    }
    /* some cuts must have been fatal, and the session survives others
     * (e.g. a truncated exit-signal is ignored) */
    assert_true(t.dead > 10);
    assert_true(t.alive > 0);
}

/* Server requests and opens that arrive together with the server's
 * KEXINIT: the answers must wait for our NEWKEYS (RFC 4253 7.1: between
 * KEXINIT and NEWKEYS only messages 1..49, not 5..7) */
static void
test_replies_during_rekey(void **state)
{
    struct h *h = h_up();
    LIBSSH2_CHANNEL *c = open_ok(h);
    uint32_t id = h->p.last_open_id;
    struct s2_wr w;
    (void)state;
    assert_int_equal(settle(h), 0);
    peer_send_kexinit(&h->p);
    wr_new(h, &w);
    s2_wr_u8(&w, M_GLOBAL_REQUEST);
    s2_wr_cstr(&w, "keepalive@openssh.com");
    s2_wr_bool(&w, 1);
    send_w(h, &w);
    peer_chan_request(&h->p, id, "keepalive@openssh.com", 1, NULL, 0);
    server_open(h, "session", 700, 0);
    assert_int_equal(settle(h), 0);
    assert_int_equal(ssh2core_session_kex_count(h->s), 2);
    assert_int_equal(h->p.ngreply, 1);
    assert_int_equal(h->p.chans[id].nfailure, 1);
    assert_int_equal(h->p.nopen_failure, 1);
    if (h->p.rx_in_kex != 0) {
        /* library bug: REQUEST_FAILURE (conn.c on_global_request) and
         * OPEN_FAILURE (conn.c open_failure) are queued with kex_ok = 1 and
         * go out between our KEXINIT and NEWKEYS (seen: 20 30 82 92 21);
         * CHANNEL_FAILURE (chan.c on_request) and OPEN_CONFIRMATION
         * (conn.c on_open) use the same kex_ok = 1 path. */
        int i;
        fprintf(stderr, "%d connection messages sent during the key exchange; client sent:",
                h->p.rx_in_kex);
        for (i = 0; i < h->p.nlog; i++) {
            fprintf(stderr, " %u", h->p.log_type[i]);
        }
        fprintf(stderr, "\n");
        fail_msg("connection messages were sent during the key exchange");
    }
    assert_int_equal(libssh2_channel_free(c), 0);
    h_free(h);
}

/* ======================= API misuse ======================= */

static void
test_open_before_auth(void **state)
{
    struct h *h = h_new();
    int rc;
    (void)state;
    DRIVE(h, rc, libssh2_session_handshake(h->s, h->p.client_fd));
    assert_int_equal(rc, 0);
    assert_null(libssh2_channel_open_session(h->s));
    assert_int_equal(libssh2_session_last_errno(h->s), LIBSSH2_ERROR_BAD_USE);
    assert_int_equal(h->p.nopen, 0);
    h_free(h);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exec_read_eof_exit),
        cmocka_unit_test(test_request_denied),
        cmocka_unit_test(test_c04_window_zero),
        cmocka_unit_test(test_c05_window_overflow),
        cmocka_unit_test(test_c06_maxpacket_zero),
        cmocka_unit_test(test_c07_window_exceeded),
        cmocka_unit_test(test_c07_packet_exceeded),
        cmocka_unit_test(test_window_adjust_on_read),
        cmocka_unit_test(test_direct_delivery),
        cmocka_unit_test(test_c12_close_without_eof),
        cmocka_unit_test(test_c12_after_close),
        cmocka_unit_test(test_data_after_eof),
        cmocka_unit_test(test_write_after_eof),
        cmocka_unit_test(test_c01_unknown_channel),
        cmocka_unit_test(test_c15_reply_without_request),
        cmocka_unit_test(test_c16_global_reply_without_request),
        cmocka_unit_test(test_c02_bad_confirmation),
        cmocka_unit_test(test_c03_open_failure),
        cmocka_unit_test(test_c03_open_failure_truncated),
        cmocka_unit_test(test_c14_server_open_refused),
        cmocka_unit_test(test_c14_forwarded_tcpip),
        cmocka_unit_test(test_c14_forward_queued_at_free),
        cmocka_unit_test(test_c08_extended_data),
        cmocka_unit_test(test_c09_c11_exit_requests),
        cmocka_unit_test(test_server_requests_refused),
        cmocka_unit_test(test_c12_id_reuse),
        cmocka_unit_test(test_hundred_channels),
        cmocka_unit_test(test_keepalive),
        cmocka_unit_test(test_nonblocking_slow_peer),
        cmocka_unit_test(test_replies_during_rekey),
        cmocka_unit_test(test_h3_truncation),
        cmocka_unit_test(test_open_before_auth),
    };
    libssh2_init(0);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
