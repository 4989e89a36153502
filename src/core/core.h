/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * core: the floor everything stands on. The bounded wire reader and writer
 * (STYLE.md section 3), the allocator hook, the error state, tracing and the
 * caps on every peer-controlled size. Includes nothing but libc and the public
 * libssh2.h (for error codes and callback types).
 */
#ifndef S2_CORE_H
#define S2_CORE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "libssh2.h"

#if defined(__GNUC__)
#define S2_MUST_CHECK __attribute__((warn_unused_result))
#define S2_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define S2_MUST_CHECK
#define S2_PRINTF(a, b)
#endif

#define S2_ASSERT(x) ((void)((x) ? 0 : (s2_assert_fail(#x, __FILE__, __LINE__), 0)))
void s2_assert_fail(const char *expr, const char *file, int line);

/* ---- caps: every limit on a peer-controlled size lives here ---- */
#define S2_PACKET_MAX (256u * 1024u)   /* packet_length cap, as OpenSSH */
#define S2_PAYLOAD_MAX (S2_PACKET_MAX)  /* decompressed payload cap */
#define S2_NAMELIST_MAX (64u * 1024u)  /* one name-list */
#define S2_NAME_MAX 64u                /* one algorithm name (RFC 4251 6) */
#define S2_STRING_MAX (S2_PACKET_MAX)  /* any string inside a packet */
#define S2_MPINT_MAX (16384u / 8u + 1u) /* 16384-bit DH / RSA numbers */
#define S2_HOSTKEY_MAX (16u * 1024u)   /* host key blob (H-11) */
#define S2_SIG_MAX (16u * 1024u)       /* signature blob */
#define S2_IDENT_LINE_MAX 255u         /* RFC 4253 4.2, incl. CRLF */
#define S2_IDENT_BYTES_MAX (8u * 1024u) /* all bytes before the server's ident */
#define S2_IDENT_LINES_MAX 1024u       /* lines before the server's ident */
#define S2_DISCONNECT_TEXT_MAX 1024u   /* description kept from a DISCONNECT */
#define S2_EXT_INFO_MAX 64u            /* extensions in one EXT_INFO */
#define S2_OUTQ_HIGH (1024u * 1024u)   /* output queue high-water mark */
#define S2_USER_MAX 1024u              /* user name given to userauth calls */
#define S2_PASSWORD_MAX (64u * 1024u)  /* password given to userauth calls */

/* ---- allocator (DESIGN.md "Memory") ---- */
struct s2_allocator {
    void *(*alloc)(size_t n, void **abstract);
    void *(*realloc)(void *p, size_t n, void **abstract);
    void (*free)(void *p, void **abstract);
    void **abstract; /* &session->abstract, as libssh2 passes it */
};

/* s2_allocator_default fills |a| with the process-wide allocator (libc, or
 * the one set with ssh2core_set_allocator()) and the given abstract slot. */
void s2_allocator_default(struct s2_allocator *a, void **abstract);
/* s2_allocator_set_global replaces libc's malloc/realloc/free for sessions
 * made without allocator functions (ssh2core_set_allocator). All NULL
 * restores libc. Returns 0, or LIBSSH2_ERROR_INVAL when only some are NULL. */
int s2_allocator_set_global(void *(*malloc_fn)(size_t), void *(*realloc_fn)(void *, size_t),
                            void (*free_fn)(void *));
/* s2_alloc returns |n| bytes (n == 0 is treated as 1) or NULL. */
void *s2_alloc(const struct s2_allocator *a, size_t n);
/* s2_zalloc returns |n| zeroed bytes or NULL. */
void *s2_zalloc(const struct s2_allocator *a, size_t n);
/* s2_alloc_array returns n * size bytes, or NULL on overflow or failure. */
void *s2_alloc_array(const struct s2_allocator *a, size_t n, size_t size);
/* s2_realloc grows or shrinks |p|; on failure returns NULL and |p| is intact. */
void *s2_realloc(const struct s2_allocator *a, void *p, size_t n);
/* s2_free frees |p| (NULL is fine). */
void s2_free(const struct s2_allocator *a, void *p);
/* s2_free_secret wipes |n| bytes of |p|, then frees it (NULL is fine). */
void s2_free_secret(const struct s2_allocator *a, void *p, size_t n);
/* s2_memdup returns an owned copy of |n| bytes plus a NUL, or NULL. */
char *s2_memdup(const struct s2_allocator *a, const void *p, size_t n);
/* s2_wipe zeroes |n| bytes in a way the compiler cannot remove. */
void s2_wipe(void *p, size_t n);

/* ---- error state (STYLE.md section 5) ---- */
struct s2_error {
    int code;          /* last error, 0 if none */
    int fatal;         /* first fatal error (sticky), 0 if none */
    const char *msg;   /* static text, or points into buf */
    char buf[512];     /* formatted messages (peer text escaped) */
};

/* ---- tracing (libssh2_trace) ---- */
struct s2_trace {
    int mask;                          /* LIBSSH2_TRACE_* bits */
    void *context;                     /* for handler */
    libssh2_trace_handler_func handler; /* NULL: write to stderr */
    LIBSSH2_SESSION *session;          /* passed to handler */
};

/* The environment every layer carries: allocator, error state and trace.
 * Embedded in the session; objects made from a session point to it. */
struct s2_env {
    struct s2_allocator alloc;
    struct s2_error err;
    struct s2_trace trace;
};

/* s2_err_set records |code| with static |msg| and returns |code|. A code of 0
 * or EAGAIN is recorded as well (libssh2 reports EAGAIN through last_errno). */
int s2_err_set(struct s2_env *env, int code, const char *msg);
/* s2_err_setf formats the message; %s arguments must already be escaped
 * (see s2_escape). Returns |code|. */
int s2_err_setf(struct s2_env *env, int code, const char *fmt, ...) S2_PRINTF(3, 4);
/* s2_escape copies up to |n| bytes of peer text into |out| (size out_max,
 * always NUL-terminated), replacing control and non-ASCII bytes with '?'. */
void s2_escape(char *out, size_t out_max, const void *p, size_t n);

/* s2_trace_on tells whether any bit of |mask| is being traced. */
int s2_trace_on(const struct s2_env *env, int mask);
/* s2_tracef emits one trace line when |mask| is enabled. */
void s2_tracef(const struct s2_env *env, int mask, const char *fmt, ...) S2_PRINTF(3, 4);

/* ---- bounded reader (borrowed view; never owns memory) ---- */
struct s2_rd {
    const uint8_t *p;
    size_t left;
    int err; /* 0, or the first error (LIBSSH2_ERROR_PROTO); sticky */
};

void s2_rd_init(struct s2_rd *r, const void *p, size_t len);
uint8_t s2_rd_u8(struct s2_rd *r);
uint32_t s2_rd_u32(struct s2_rd *r);
uint64_t s2_rd_u64(struct s2_rd *r);
/* s2_rd_bool: a byte, any non-zero value is true (RFC 4251 5). */
int s2_rd_bool(struct s2_rd *r);
/* s2_rd_str reads a uint32-length-prefixed string of at most |max| bytes
 * into the child view |out|. Longer or truncated: error, |out| empty. */
void s2_rd_str(struct s2_rd *r, size_t max, struct s2_rd *out);
/* s2_rd_bytes takes |n| raw bytes as a child view. */
void s2_rd_bytes(struct s2_rd *r, size_t n, struct s2_rd *out);
/* s2_rd_copy copies |n| raw bytes into |out|. */
void s2_rd_copy(struct s2_rd *r, void *out, size_t n);
/* s2_rd_mpint reads an RFC 4251 mpint that must be non-negative and in
 * canonical form (no superfluous leading zero), at most |max| bytes on the
 * wire. |out| views the magnitude without the sign byte. */
void s2_rd_mpint(struct s2_rd *r, size_t max, struct s2_rd *out);
/* s2_rd_peek_u8 returns the next byte without consuming it, or -1. */
int s2_rd_peek_u8(const struct s2_rd *r);
/* s2_rd_skip drops |n| bytes. */
void s2_rd_skip(struct s2_rd *r, size_t n);
/* s2_rd_rest takes all remaining bytes as a child view. */
void s2_rd_rest(struct s2_rd *r, struct s2_rd *out);
/* s2_rd_eq tells whether view |v| holds exactly the NUL-terminated |s|. */
int s2_rd_eq(const struct s2_rd *v, const char *s);
/* s2_rd_strdup returns an owned NUL-terminated copy of the whole view |v|
 * if it is at most |max| bytes; NULL on failure (caller frees). */
char *s2_rd_strdup(const struct s2_rd *v, const struct s2_allocator *a, size_t max);
/* s2_rd_fail marks the reader as failed with |code|. */
void s2_rd_fail(struct s2_rd *r, int code);
/* s2_rd_ok returns r->err. */
int s2_rd_ok(const struct s2_rd *r) S2_MUST_CHECK;
/* s2_rd_finish returns r->err, or PROTO when bytes remain. */
int s2_rd_finish(const struct s2_rd *r) S2_MUST_CHECK;

/* ---- bounded writer ---- */
struct s2_wr {
    uint8_t *p;       /* buffer start */
    size_t len;       /* bytes written */
    size_t cap;       /* bytes allocated */
    size_t max;       /* hard limit on len */
    int err;          /* 0, or the first error; sticky */
    int secret;       /* wipe on reset, growth and free */
    const struct s2_allocator *a; /* NULL: fixed buffer, never grows */
};

/* s2_wr_fixed writes into caller memory of |cap| bytes. */
void s2_wr_fixed(struct s2_wr *w, void *buf, size_t cap);
/* s2_wr_dyn starts an empty allocator-backed writer limited to |max| bytes. */
void s2_wr_dyn(struct s2_wr *w, const struct s2_allocator *a, size_t max);
/* s2_wr_reserve makes room for |n| more bytes; 0 or ALLOC/BUFFER_TOO_SMALL. */
int s2_wr_reserve(struct s2_wr *w, size_t n);
void s2_wr_u8(struct s2_wr *w, uint8_t v);
void s2_wr_u32(struct s2_wr *w, uint32_t v);
void s2_wr_u64(struct s2_wr *w, uint64_t v);
void s2_wr_bool(struct s2_wr *w, int v);
void s2_wr_raw(struct s2_wr *w, const void *p, size_t n);
/* s2_wr_str writes uint32 length + bytes. */
void s2_wr_str(struct s2_wr *w, const void *p, size_t n);
void s2_wr_cstr(struct s2_wr *w, const char *s);
/* s2_wr_mpint writes an unsigned big-endian magnitude as an RFC 4251 mpint
 * (leading zeros stripped, 0x00 prepended when the top bit is set). */
void s2_wr_mpint(struct s2_wr *w, const uint8_t *mag, size_t n);
/* s2_wr_begin_str reserves a uint32 length; s2_wr_end_str back-patches it
 * with the bytes written since. |mark| carries the position between them. */
void s2_wr_begin_str(struct s2_wr *w, size_t *mark);
void s2_wr_end_str(struct s2_wr *w, size_t mark);
/* s2_wr_space returns a pointer to |n| writable bytes, advancing len, or
 * NULL on error (then w->err is set). */
uint8_t *s2_wr_space(struct s2_wr *w, size_t n);
/* s2_wr_reset empties the writer (wiping if secret), keeping its memory. */
void s2_wr_reset(struct s2_wr *w);
/* s2_wr_free releases an allocator-backed buffer (wiping if secret). */
void s2_wr_free(struct s2_wr *w);
int s2_wr_ok(const struct s2_wr *w) S2_MUST_CHECK;

/* ---- socket adapter ---- */
/* Moves bytes between the session's buffers and the socket, or the
 * application's LIBSSH2_CALLBACK_SEND / RECV functions. */
struct s2_io {
    libssh2_socket_t fd;
    LIBSSH2_SEND_FUNC((*send_cb)); /* NULL: send(2) with MSG_NOSIGNAL */
    LIBSSH2_RECV_FUNC((*recv_cb)); /* NULL: recv(2) */
    void **abstract;               /* passed to the callbacks */
    int want_dir;                  /* LIBSSH2_SESSION_BLOCK_* the last EAGAIN was in */
    int tcp;                       /* s2_io_tune found a TCP socket */
    int quickack;                  /* re-arm TCP_QUICKACK before the next recv */
};

/* s2_io_send returns bytes sent (> 0), LIBSSH2_ERROR_EAGAIN, or
 * LIBSSH2_ERROR_SOCKET_SEND. EINTR is retried. */
ssize_t s2_io_send(struct s2_io *io, const void *buf, size_t len);
/* s2_io_recv returns bytes read (> 0), LIBSSH2_ERROR_EAGAIN,
 * LIBSSH2_ERROR_SOCKET_DISCONNECT on end of stream, or
 * LIBSSH2_ERROR_SOCKET_RECV. EINTR is retried. */
ssize_t s2_io_recv(struct s2_io *io, void *buf, size_t len);
/* s2_io_tune sets TCP_NODELAY on |io|'s socket when it is a TCP socket (as
 * curl does for its own sockets), so small handshake and request packets
 * never wait for Nagle. On such a socket s2_io_recv also re-arms
 * TCP_QUICKACK (Linux) while the exchange is request/response sized, so a
 * server whose Nagle holds its second small packet back for our ACK is not
 * stalled by our delayed ACK; bulk reads keep delayed ACKs. Anything else
 * (Unix sockets, socketpairs, custom send/recv callbacks' fds) is left
 * alone; failures are ignored. */
void s2_io_tune(struct s2_io *io);

/* ---- base64 (RFC 4648 section 4) ---- */
/* s2_base64_encode appends the padded base64 form of |n| bytes to |w|. */
void s2_base64_encode(struct s2_wr *w, const void *p, size_t n);
/* s2_base64_decode appends the bytes |text| (|len| chars) decodes to to |w|.
 * Whitespace (space, tab, CR, LF) is skipped; padding is optional but, when
 * present, must be correct. Returns 0, or LIBSSH2_ERROR_INVAL for any other
 * character or a bad length, or the writer's error. */
int s2_base64_decode(struct s2_wr *w, const char *text, size_t len) S2_MUST_CHECK;

/* ---- small helpers ---- */
uint32_t s2_get_u32(const uint8_t *p);
void s2_put_u32(uint8_t *p, uint32_t v);
/* s2_namelist_has tells whether the comma-separated |list| (|list_len| bytes)
 * contains |name| exactly. */
int s2_namelist_has(const char *list, size_t list_len, const char *name, size_t name_len);
/* s2_find returns the offset of the NUL-terminated |needle| in the |hay_len|
 * bytes of |hay|, or |hay_len| when it does not occur. */
size_t s2_find(const uint8_t *hay, size_t hay_len, const char *needle);
/* s2_now_ms returns a monotonic clock in milliseconds. */
int64_t s2_now_ms(void);

#endif /* S2_CORE_H */
