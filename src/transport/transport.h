/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * transport: the SSH transport layer (RFC 4253, 4344, 8308, OpenSSH PROTOCOL
 * 1.9/1.10): identification exchange, binary packet protocol, key exchange,
 * NEWKEYS, rekeying, strict KEX, EXT_INFO and compression. The object does no
 * waiting: the api floor pumps it (flush, read, next, gate, on_packet) and the
 * upper layers send through begin/commit, which encrypts in place.
 */
#ifndef S2_TRANSPORT_H
#define S2_TRANSPORT_H

#include "core/core.h"

struct s2_tp;

/* Application callbacks the transport calls (libssh2_session_callback_set2). */
struct s2_tp_callbacks {
    LIBSSH2_SESSION *session;
    void **abstract;
    LIBSSH2_IGNORE_FUNC((*ignore));
    LIBSSH2_DEBUG_FUNC((*debug));
    LIBSSH2_DISCONNECT_FUNC((*disconnect));
    LIBSSH2_MACERROR_FUNC((*macerror));
};

/* s2_tp_new makes a transport over |io| reporting errors into |env| and
 * calling |cb|; it borrows all three for its lifetime. Caller frees with
 * s2_tp_free(). Returns 0 or ALLOC. */
int s2_tp_new(struct s2_env *env, struct s2_io *io, const struct s2_tp_callbacks *cb,
              struct s2_tp **out) S2_MUST_CHECK;
/* s2_tp_free releases everything, wiping keys (NULL is fine). */
void s2_tp_free(struct s2_tp *tp);

/* ---- configuration, before s2_tp_start ---- */
/* s2_tp_set_pref sets the comma-separated preference list for LIBSSH2_METHOD_*
 * |type|; unknown names are dropped. Returns 0, INVAL for a bad type, or
 * METHOD_NOT_SUPPORTED when no listed name is supported. */
int s2_tp_set_pref(struct s2_tp *tp, int type, const char *prefs) S2_MUST_CHECK;
/* s2_tp_supported returns the NULL-terminated static list of the names
 * supported for |type| (NULL for a bad type), preferred first. */
const char *const *s2_tp_supported(int type);
/* s2_tp_set_banner sets our identification string (without CR LF); at most
 * 253 bytes, printable. Returns 0 or INVAL. */
int s2_tp_set_banner(struct s2_tp *tp, const char *banner) S2_MUST_CHECK;
/* s2_tp_set_compress enables offering zlib compression (LIBSSH2_FLAG_COMPRESS). */
void s2_tp_set_compress(struct s2_tp *tp, int on);
/* s2_tp_set_rekey_limits: bytes per direction (0: default) and seconds
 * (0: default one hour, negative: never). */
void s2_tp_set_rekey_limits(struct s2_tp *tp, uint64_t bytes, long seconds);

/* ---- the handshake and its results ---- */
/* s2_tp_start queues our identification line and first KEXINIT. Returns 0,
 * ALLOC, or BAD_USE when already started. */
int s2_tp_start(struct s2_tp *tp) S2_MUST_CHECK;
/* s2_tp_ready tells whether the first key exchange is complete. */
int s2_tp_ready(const struct s2_tp *tp);
/* s2_tp_dead returns the sticky fatal error, or 0 while alive. */
int s2_tp_dead(const struct s2_tp *tp);
/* s2_tp_methods returns the negotiated name for LIBSSH2_METHOD_* |type|
 * (valid while tp lives), or NULL before negotiation. */
const char *s2_tp_methods(const struct s2_tp *tp, int type);
/* s2_tp_server_ident returns the server's identification line without CR LF,
 * or NULL before it arrived. */
const char *s2_tp_server_ident(const struct s2_tp *tp);
/* s2_tp_client_ident returns our identification line without CR LF. */
const char *s2_tp_client_ident(const struct s2_tp *tp);
/* s2_tp_hostkey returns the server's host key blob (borrowed) and sets
 * *len, or NULL before the first key exchange completed. */
const uint8_t *s2_tp_hostkey(const struct s2_tp *tp, size_t *len);
/* s2_tp_session_id returns the session identifier (the first exchange hash). */
const uint8_t *s2_tp_session_id(const struct s2_tp *tp, size_t *len);
/* s2_tp_strict_kex tells whether strict KEX is in force. */
int s2_tp_strict_kex(const struct s2_tp *tp);
/* s2_tp_kex_count returns how many key exchanges have completed. */
int s2_tp_kex_count(const struct s2_tp *tp);
/* s2_tp_server_sig_algs returns the server-sig-algs value of EXT_INFO
 * (borrowed, NUL-terminated) or NULL when none was received. */
const char *s2_tp_server_sig_algs(const struct s2_tp *tp);
/* s2_tp_rekey starts a key re-exchange unless one is running. Returns 0 or
 * a fatal error. s2_tp_kex_running tells whether one is in progress. */
int s2_tp_rekey(struct s2_tp *tp) S2_MUST_CHECK;
int s2_tp_kex_running(const struct s2_tp *tp);
/* s2_tp_auth_done tells the transport that user authentication succeeded
 * (delayed compression starts; connection messages are allowed). */
void s2_tp_auth_done(struct s2_tp *tp);

/* ---- the pump ---- */
/* s2_tp_trim gives back the buffer space a finished phase (the handshake,
 * authentication) left behind: an empty output queue or input buffer
 * larger than its idle size shrinks to it. Best effort, never fails. */
void s2_tp_trim(struct s2_tp *tp);
/* s2_tp_flush sends queued bytes. Returns 0 when the queue is empty,
 * LIBSSH2_ERROR_EAGAIN, or a fatal error. */
int s2_tp_flush(struct s2_tp *tp) S2_MUST_CHECK;
/* s2_tp_read reads once from the socket into the input buffer. Returns the
 * bytes read (> 0), LIBSSH2_ERROR_EAGAIN, or a fatal error. */
int s2_tp_read(struct s2_tp *tp) S2_MUST_CHECK;
/* s2_tp_next decodes the next complete packet from the input buffer. Returns
 * 1 with |payload| viewing it (valid until the next call), 0 when no whole
 * packet is buffered, or a fatal error (MAC, framing, decompression). */
int s2_tp_next(struct s2_tp *tp, struct s2_rd *payload) S2_MUST_CHECK;
/* s2_tp_gate decides whether message |msg| may arrive now (KEX, strict-KEX
 * and pre-authentication rules). Returns 0, a fatal PROTO error, or 1 when
 * the message is unknown here and was answered with UNIMPLEMENTED. */
int s2_tp_gate(struct s2_tp *tp, uint8_t msg) S2_MUST_CHECK;
/* s2_tp_on_packet handles a transport message (1-49 except SERVICE_ACCEPT).
 * |payload| starts at the message number. Never returns EAGAIN. */
int s2_tp_on_packet(struct s2_tp *tp, struct s2_rd *payload) S2_MUST_CHECK;
/* s2_tp_want_dir returns LIBSSH2_SESSION_BLOCK_* bits to wait for. */
int s2_tp_want_dir(const struct s2_tp *tp);
/* s2_tp_check_timers starts a rekey when the time limit is due. */
int s2_tp_check_timers(struct s2_tp *tp) S2_MUST_CHECK;

/* ---- sending ---- */
/* s2_tp_begin opens a packet of at most |max_payload| bytes in the output
 * queue and sets *w to a writer for its payload. |kex_ok| marks transport
 * messages allowed during a key exchange; other packets get EAGAIN while a
 * key exchange runs or the queue is above its high-water mark, before
 * anything is written. Returns 0, EAGAIN, or a fatal error. */
int s2_tp_begin(struct s2_tp *tp, int kex_ok, size_t max_payload, struct s2_wr **w) S2_MUST_CHECK;
/* s2_tp_commit pads, MACs and encrypts the packet opened by s2_tp_begin in
 * place, making it part of the queue. Returns 0 or an error (the packet is
 * dropped when its writer failed). */
int s2_tp_commit(struct s2_tp *tp) S2_MUST_CHECK;
/* s2_tp_abort drops the packet opened by s2_tp_begin (nothing is sent). */
void s2_tp_abort(struct s2_tp *tp);
/* s2_tp_send queues |payload| as one packet (begin + copy + commit). */
int s2_tp_send(struct s2_tp *tp, int kex_ok, const uint8_t *payload, size_t len) S2_MUST_CHECK;
/* s2_tp_disconnect queues a DISCONNECT (best effort) and marks the transport
 * dead with |code|; returns |code|. */
int s2_tp_fatal(struct s2_tp *tp, int code, int reason, const char *msg);
/* s2_tp_disconnect queues DISCONNECT with |reason| and |desc| (user call). */
int s2_tp_disconnect(struct s2_tp *tp, int reason, const char *desc, const char *lang) S2_MUST_CHECK;

#endif /* S2_TRANSPORT_H */
