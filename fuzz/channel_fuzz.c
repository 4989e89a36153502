/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Connection-layer harness (RFC 4254, HOSTILE-CASES C-*): every channel
 * message parser, the channel table, windows, request replies, EOF/CLOSE,
 * global requests and server-initiated opens, interleaved with the calls an
 * application makes.
 *
 * Set-up: a struct s2_conn over a real struct s2_tp (s2_tp_new) whose I/O
 * discards what is sent. The transport is forced to READY without keys
 * (tp_int.h): packets the connection layer queues are then framed in
 * plaintext and dropped, so the send paths (window adjusts, CLOSE answers,
 * OPEN_FAILURE, request replies) run too. No key exchange happens; the
 * fuzzer cannot reach one from here. Four "session" channels are opened
 * first (local ids 0..3, state OPENING: CHANNEL_OPEN sent) with a 64 KiB
 * window and 16 KiB maximum packet, and a remote-forward listener is
 * registered for port 4242 (queue of 2). The input confirms or refuses
 * those channels itself (CHANNEL_OPEN_CONFIRMATION for recipient 0..3).
 *
 * Input: records of  u8 op, u8 arg, u16 len (big endian), len bytes.
 *   op % 10 == 0  the bytes are a payload for s2_conn_on_packet()
 *                 (message number first, as the pump hands it over)
 *   1  read up to len bytes of stream (arg >> 4) & 1 of channel arg % 8
 *   2  write the bytes on stream (arg >> 4) & 1 of channel arg % 8
 *   3  start a channel request named by the bytes, want_reply (arg >> 4) & 1
 *   4  poll: (arg >> 4) % 6 = open, request, eof, closed, flushed, read_avail
 *   5  (arg >> 4) % 4 = send_eof, close, free, open a new channel in the slot
 *   6  extended data mode (arg >> 4) % 3
 *   7  window adjust by the first 4 bytes, force (arg >> 4) & 1
 *   8  global request named by the bytes (want reply: arg & 16), then poll it
 *   9  keepalive (want reply: arg & 16); take an accepted channel into a slot
 * Slots 0..3 hold the opened channels, 4..7 accepted ones. After each
 * record the owed messages are flushed. The run ends at the first fatal
 * error (the pump would stop routing there too).
 *
 * s2_conn_free() has a known bug with channels still queued in a listener
 * (it frees them twice); the harness drains the listener first so the
 * fuzzer can look for new problems.
 */
#include <stdint.h>
#include <string.h>

#include "channel/channel.h"
#include "transport/tp_int.h"

/* results are not needed here; the if keeps gcc's warn_unused_result quiet */
#define IGN(x)          \
    do {                \
        if ((x) != 0) { \
        }               \
    } while (0)

#define NSLOT 8
#define WINDOW (64u * 1024u)
#define MAXPKT (16u * 1024u)

static ssize_t
discard_send(libssh2_socket_t fd, const void *buf, size_t len, int flags, void **abstract)
{
    (void)fd;
    (void)buf;
    (void)flags;
    (void)abstract;
    return (ssize_t)len;
}

static ssize_t
no_recv(libssh2_socket_t fd, void *buf, size_t len, int flags, void **abstract)
{
    (void)fd;
    (void)buf;
    (void)len;
    (void)flags;
    (void)abstract;
    return -11; /* -EAGAIN */
}

static struct s2_chan *
open_slot(struct s2_conn *c)
{
    struct s2_chan *ch = NULL;
    if (s2_chan_open(c, "session", 7, WINDOW, MAXPKT, NULL, 0, &ch) != 0) {
        return NULL;
    }
    IGN(s2_chan_poll_open(ch)); /* sends CHANNEL_OPEN: OPENING */
    return ch;
}

static void
record(struct s2_conn *c, struct s2_chan **slot, int listener, uint8_t op, uint8_t arg,
       const uint8_t *d, size_t n)
{
    static uint8_t buf[WINDOW];
    struct s2_chan *ch = slot[arg % NSLOT];
    struct s2_rd r;
    char name[65];
    int sub = arg >> 4;
    size_t k;
    int next;

    switch (op % 10) {
    case 0:
        if (n > 0) {
            s2_rd_init(&r, d, n);
            IGN(s2_conn_on_packet(c, &r));
        }
        return;
    case 8:
    case 3:
        k = n < sizeof name - 1 ? n : sizeof name - 1;
        memcpy(name, d, k);
        name[k] = '\0';
        if (op % 10 == 8) {
            if (s2_conn_global_request(c, name, (arg & 16) != 0, d, n) == 0) {
                IGN(s2_conn_poll_global(c, &r));
            }
        } else if (ch != NULL && s2_chan_request(ch, name, sub & 1, d, n) == 0) {
            IGN(s2_chan_poll_request(ch));
        }
        return;
    case 9:
        IGN(s2_conn_keepalive(c, (arg & 16) != 0, 1, &next));
        for (k = 4; k < NSLOT; k++) {
            if (slot[k] == NULL) {
                slot[k] = s2_conn_accept(c, listener);
                break;
            }
        }
        return;
    default:
        break;
    }
    if (op % 10 == 5 && sub % 4 == 3) {
        if (ch == NULL) {
            slot[arg % NSLOT] = open_slot(c);
        }
        return;
    }
    if (ch == NULL) {
        return;
    }
    switch (op % 10) {
    case 1:
        IGN(s2_chan_read(ch, sub & 1, buf, n < sizeof buf ? n : sizeof buf));
        break;
    case 2:
        IGN(s2_chan_write(ch, sub & 1, d, n));
        break;
    case 4:
        switch (sub % 6) {
        case 0:
            IGN(s2_chan_poll_open(ch));
            break;
        case 1:
            IGN(s2_chan_poll_request(ch));
            break;
        case 2:
            IGN(s2_chan_poll_eof(ch));
            break;
        case 3:
            IGN(s2_chan_poll_closed(ch));
            break;
        case 4:
            IGN(s2_chan_poll_flushed(ch));
            break;
        default:
            IGN(s2_chan_read_avail(ch, -1));
            IGN(s2_chan_eof(ch));
            IGN(s2_chan_exit_status(ch));
            break;
        }
        break;
    case 5:
        if (sub % 4 == 0) {
            IGN(s2_chan_send_eof(ch));
        } else if (sub % 4 == 1) {
            IGN(s2_chan_close(ch));
        } else {
            s2_chan_free(ch);
            slot[arg % NSLOT] = NULL;
        }
        break;
    case 6:
        s2_chan_extended_mode(ch, sub % 3);
        break;
    case 7:
        if (n >= 4) {
            uint32_t w = 0;
            IGN(s2_chan_window_adjust(ch, s2_get_u32(d), sub & 1, &w));
        }
        break;
    default:
        break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
    struct s2_env env;
    struct s2_io io;
    struct s2_tp_callbacks cb;
    struct s2_tp *tp = NULL;
    struct s2_conn *c = NULL;
    struct s2_chan *slot[NSLOT];
    void *abstract = NULL;
    int listener;
    size_t i;

    memset(&env, 0, sizeof env);
    memset(&io, 0, sizeof io);
    memset(&cb, 0, sizeof cb);
    memset(slot, 0, sizeof slot);
    s2_allocator_default(&env.alloc, NULL);
    io.fd = LIBSSH2_INVALID_SOCKET;
    io.send_cb = discard_send;
    io.recv_cb = no_recv;
    io.abstract = &abstract;
    if (s2_tp_new(&env, &io, &cb, &tp) != 0) {
        return 0;
    }
    tp->state = S2_TP_READY; /* no keys: plaintext framing, then discarded */
    if (s2_conn_new(&env, tp, &c) != 0) {
        s2_tp_free(tp);
        return 0;
    }
    for (i = 0; i < 4; i++) {
        slot[i] = open_slot(c);
    }
    listener = s2_conn_listen_add(c, "127.0.0.1", 4242, 2);

    while (len >= 4 && s2_tp_dead(tp) == 0) {
        uint8_t op = data[0], arg = data[1];
        size_t n = ((size_t)data[2] << 8) | data[3];
        data += 4;
        len -= 4;
        if (n > len) {
            n = len;
        }
        record(c, slot, listener, op, arg, data, n);
        data += n;
        len -= n;
        if (s2_tp_dead(tp) == 0) {
            IGN(s2_conn_flush_pending(c));
            IGN(s2_tp_flush(tp));
        }
    }

    /* the known double free: take queued channels out of the listener */
    if (listener >= 0) {
        struct s2_chan *ch;
        while ((ch = s2_conn_accept(c, listener)) != NULL) {
            s2_chan_free(ch);
        }
    }
    for (i = 0; i < NSLOT; i++) {
        if (slot[i] != NULL) {
            s2_chan_free(slot[i]);
        }
    }
    s2_conn_free(c);
    s2_tp_free(tp);
    return 0;
}
