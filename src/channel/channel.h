/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * channel: the connection protocol (RFC 4254): the channel table, channel
 * open, requests (exec, shell, subsystem, env, pty, signal, ...), data with
 * flow control, EOF and CLOSE, global requests and server-initiated opens.
 *
 * The connection object takes packets 80-127 from the pump (push,
 * s2_conn_on_packet) and queues what channels owe the server (window
 * adjusts, EOF, CLOSE) in s2_conn_flush_pending(). Operations that wait for
 * the server (open, request, close) are pulled with s2_chan_poll_*().
 * Reading and writing are not pending operations: they move what the
 * buffers and windows allow right now.
 */
#ifndef S2_CHANNEL_H
#define S2_CHANNEL_H

#include "core/core.h"
#include "transport/transport.h"

struct s2_conn;
struct s2_chan;

/* s2_conn_new makes the connection layer over |tp| (borrowed). Caller frees
 * with s2_conn_free(), which frees every channel. 0 or ALLOC. */
int s2_conn_new(struct s2_env *env, struct s2_tp *tp, struct s2_conn **out) S2_MUST_CHECK;
void s2_conn_free(struct s2_conn *c);

/* s2_conn_on_packet handles messages 80-127 (|payload| at the message
 * number). Never EAGAIN; a protocol violation is fatal for the session. */
int s2_conn_on_packet(struct s2_conn *c, struct s2_rd *payload) S2_MUST_CHECK;
/* s2_conn_flush_pending queues the window adjusts, EOFs and CLOSEs that
 * channels owe. 0, or a fatal error (EAGAIN leaves them owed). */
int s2_conn_flush_pending(struct s2_conn *c) S2_MUST_CHECK;

/* ---- channels ---- */

/* s2_chan_open starts opening a channel of |type| (e.g. "session") with
 * our window and maximum packet size and optional type-specific data
 * (copied). The channel is owned by the connection until s2_chan_free().
 * Returns 0, ALLOC, or CHANNEL_FAILURE when the table is full. */
int s2_chan_open(struct s2_conn *c, const char *type, size_t type_len, uint32_t window,
                 uint32_t max_packet, const uint8_t *data, size_t data_len,
                 struct s2_chan **out) S2_MUST_CHECK;
/* s2_chan_poll_open: 0 when the server confirmed, EAGAIN, or
 * CHANNEL_FAILURE (refused: last_error has the reason). */
int s2_chan_poll_open(struct s2_chan *ch) S2_MUST_CHECK;

/* s2_chan_request starts a channel request (RFC 4254 5.4) with
 * type-specific |data| (copied). With want_reply the answer is pulled
 * with s2_chan_poll_request. 0, ALLOC or BAD_USE (one already pending). */
int s2_chan_request(struct s2_chan *ch, const char *name, int want_reply, const uint8_t *data,
                    size_t data_len) S2_MUST_CHECK;
/* s2_chan_poll_request: 0 on SUCCESS (or sent, without want_reply),
 * EAGAIN, CHANNEL_REQUEST_DENIED on FAILURE, CHANNEL_CLOSED. */
int s2_chan_poll_request(struct s2_chan *ch) S2_MUST_CHECK;

/* s2_chan_write sends up to |len| bytes on |stream| (0 data, 1 stderr)
 * within the server's window and packet size. Returns the bytes queued
 * (> 0), EAGAIN (window full or transport busy), CHANNEL_EOF_SENT,
 * CHANNEL_CLOSED. */
ssize_t s2_chan_write(struct s2_chan *ch, int stream, const uint8_t *buf, size_t len);
/* s2_chan_read copies up to |len| buffered bytes of |stream| and re-opens
 * the window as the application consumes. Returns bytes (> 0), 0 at EOF
 * (the server sent EOF or CLOSE and nothing is left), or EAGAIN. */
ssize_t s2_chan_read(struct s2_chan *ch, int stream, uint8_t *buf, size_t len);
/* s2_chan_read_arm lends |buf| (|len| bytes) to the channel for the
 * duration of one read call: data for |stream| that arrives while nothing
 * of that stream is buffered is decrypted-packet-to-|buf| in one copy
 * instead of going through the channel buffer. s2_chan_read returns those
 * bytes first. The caller must call s2_chan_read_disarm before |buf| goes
 * away; it returns how many bytes were delivered and not yet returned by
 * s2_chan_read (the caller reports them as read). */
void s2_chan_read_arm(struct s2_chan *ch, int stream, uint8_t *buf, size_t len);
size_t s2_chan_read_disarm(struct s2_chan *ch);
/* s2_chan_read_avail returns the bytes buffered on |stream| (-1: any). */
size_t s2_chan_read_avail(const struct s2_chan *ch, int stream);
/* s2_chan_extended_mode sets LIBSSH2_CHANNEL_EXTENDED_DATA_NORMAL, IGNORE
 * or MERGE for stderr. */
void s2_chan_extended_mode(struct s2_chan *ch, int mode);

/* s2_chan_send_eof owes an EOF (sent by flush). 0 or CHANNEL_CLOSED. */
int s2_chan_send_eof(struct s2_chan *ch) S2_MUST_CHECK;
/* s2_chan_poll_flushed: 0 when nothing owed by |ch| is left unsent. */
int s2_chan_poll_flushed(struct s2_chan *ch) S2_MUST_CHECK;
/* s2_chan_eof tells whether the server sent EOF (or CLOSE) and no data is
 * left in the buffers. */
int s2_chan_eof(const struct s2_chan *ch);
/* s2_chan_poll_eof: 0 when the server's EOF (or CLOSE) arrived, else EAGAIN. */
int s2_chan_poll_eof(struct s2_chan *ch) S2_MUST_CHECK;
/* s2_chan_close owes a CLOSE (after an EOF); idempotent. */
int s2_chan_close(struct s2_chan *ch) S2_MUST_CHECK;
/* s2_chan_poll_closed: 0 once the server's CLOSE arrived (and ours is
 * sent), EAGAIN otherwise. */
int s2_chan_poll_closed(struct s2_chan *ch) S2_MUST_CHECK;
/* s2_chan_free releases the channel; a channel not yet closed by both
 * sides is closed first in the background (its id is reused only after
 * the server's CLOSE). */
void s2_chan_free(struct s2_chan *ch);

/* ---- channel state for the API ---- */
int s2_chan_exit_status(const struct s2_chan *ch);
int s2_chan_has_exit_status(const struct s2_chan *ch);
/* s2_chan_exit_signal returns the exit-signal fields (owned by ch, valid
 * until free) or NULLs when none arrived. */
void s2_chan_exit_signal(const struct s2_chan *ch, const char **name, const char **msg,
                         const char **lang);
/* s2_chan_window_read: bytes the server may still send, buffered bytes and
 * the initial window; s2_chan_window_write: bytes we may send and the
 * server's initial window. */
uint32_t s2_chan_window_read(const struct s2_chan *ch, size_t *avail, uint32_t *initial);
uint32_t s2_chan_window_write(const struct s2_chan *ch, uint32_t *initial);
/* s2_chan_window_adjust owes the server |n| more bytes of window (forced
 * now, or when at least LIBSSH2_CHANNEL_MINADJUST is owed); *window gets
 * the window before the adjustment, as libssh2 reports it. */
int s2_chan_window_adjust(struct s2_chan *ch, uint32_t n, int force, uint32_t *window) S2_MUST_CHECK;
/* s2_chan_dead tells whether the channel was closed by the server. */
int s2_chan_closed_by_server(const struct s2_chan *ch);

/* ---- global requests and keepalive ---- */
/* s2_conn_global_request starts a global request (RFC 4254 4). */
int s2_conn_global_request(struct s2_conn *c, const char *name, int want_reply,
                           const uint8_t *data, size_t data_len) S2_MUST_CHECK;
/* s2_conn_poll_global: 0 on REQUEST_SUCCESS (|reply| views its data, valid
 * until the next call), EAGAIN, REQUEST_DENIED. */
int s2_conn_poll_global(struct s2_conn *c, struct s2_rd *reply) S2_MUST_CHECK;
/* s2_conn_keepalive sends keepalive@openssh.com when due. Replies are
 * consumed silently. Sets *next to the seconds until the next one. */
int s2_conn_keepalive(struct s2_conn *c, int want_reply, unsigned interval, int *next) S2_MUST_CHECK;

/* ---- server-initiated channels (forwarding) ---- */
/* s2_conn_listen registers a remote-forward listener for host:port so the
 * server's "forwarded-tcpip" opens to it are accepted (at most |queue|
 * waiting). Returns a handle >= 0 or an error. */
int s2_conn_listen_add(struct s2_conn *c, const char *host, int port, int queue) S2_MUST_CHECK;
void s2_conn_listen_remove(struct s2_conn *c, int handle);
/* s2_conn_listen_type accepts the server's opens of channel |type|
 * ("auth-agent@openssh.com", "x11"; static string) after the matching
 * request succeeded. Returns a handle >= 0 or an error. */
int s2_conn_listen_type(struct s2_conn *c, const char *type, int queue) S2_MUST_CHECK;
/* s2_chan_origin returns the originator address and port a server-opened
 * channel named ("" and 0 when none). */
const char *s2_chan_origin(const struct s2_chan *ch, int *port);
/* s2_conn_has_accepted tells whether listener |handle| has a channel waiting. */
int s2_conn_has_accepted(const struct s2_conn *c, int handle);
/* s2_conn_accept returns the next accepted channel for listener |handle|,
 * or NULL (EAGAIN). */
struct s2_chan *s2_conn_accept(struct s2_conn *c, int handle);

#endif /* S2_CHANNEL_H */
