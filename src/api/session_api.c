/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libssh2_session_* and the global calls: init/exit, the session object,
 * handshake, disconnect, blocking mode and timeouts, callbacks, banners,
 * method preferences, errors, tracing and the ssh2core extensions.
 */
#include <fcntl.h>
#include <string.h>

#include "api/channel_int.h"
#include "crypto/crypto.h"
#include "ssh2core.h"

static int init_count;

LIBSSH2_API int
libssh2_init(int flags)
{
    (void)flags;
    if (init_count == 0 && s2_crypto_init() != 0) {
        return LIBSSH2_ERROR_ALLOC;
    }
    init_count++;
    return 0;
}

LIBSSH2_API void
libssh2_exit(void)
{
    if (init_count > 0) {
        init_count--;
    }
}

LIBSSH2_API const char *
libssh2_version(int req_version_num)
{
    if (req_version_num > LIBSSH2_VERSION_NUM) {
        return NULL;
    }
    return LIBSSH2_VERSION;
}

LIBSSH2_API libssh2_crypto_engine_t
libssh2_crypto_engine(void)
{
    return libssh2_mbedtls;
}

LIBSSH2_API const char *
libssh2_build_options(void)
{
    return "ssh2core libsodium mbedtls zlib";
}

LIBSSH2_API int
ssh2core_set_allocator(void *(*malloc_fn)(size_t), void *(*realloc_fn)(void *, size_t),
                       void (*free_fn)(void *))
{
    return s2_allocator_set_global(malloc_fn, realloc_fn, free_fn);
}

/* ---- session object ---- */

LIBSSH2_API LIBSSH2_SESSION *
libssh2_session_init_ex(LIBSSH2_ALLOC_FUNC((*my_alloc)), LIBSSH2_FREE_FUNC((*my_free)),
                        LIBSSH2_REALLOC_FUNC((*my_realloc)), void *abstract)
{
    struct s2_allocator a;
    LIBSSH2_SESSION *s;

    if (init_count == 0 && libssh2_init(0) != 0) {
        return NULL; /* Perl and PHP never call libssh2_init */
    }
    if (my_alloc != NULL && my_free != NULL && my_realloc != NULL) {
        a.alloc = my_alloc;
        a.free = my_free;
        a.realloc = my_realloc;
        a.abstract = NULL;
    } else {
        s2_allocator_default(&a, NULL);
    }
    s = a.alloc(sizeof *s, &abstract);
    if (s == NULL) {
        return NULL;
    }
    memset(s, 0, sizeof *s);
    s->abstract = abstract;
    s->env.alloc = a;
    s->env.alloc.abstract = &s->abstract;
    s->env.trace.session = s;
    s->io.fd = LIBSSH2_INVALID_SOCKET;
    s->io.abstract = &s->abstract;
    s->cb.session = s;
    s->cb.abstract = &s->abstract;
    s->blocking = 1;
    s->read_timeout_s = 60; /* finite default for reads (libssh2 1.11) */
    s->agent_listener = -1;
    s->x11_listener = -1;
    if (s2_tp_new(&s->env, &s->io, &s->cb, &s->tp) != 0 ||
        s2_ua_new(&s->env, s->tp, &s->ua) != 0 || s2_conn_new(&s->env, s->tp, &s->conn) != 0) {
        s2_ua_free(s->ua);
        s2_tp_free(s->tp);
        a.free(s, &s->abstract);
        return NULL;
    }
    return s;
}

static void
restore_socket(LIBSSH2_SESSION *s)
{
    if (s->sock_was_blocking && s->io.fd != LIBSSH2_INVALID_SOCKET) {
        int fl = fcntl(s->io.fd, F_GETFL, 0);
        if (fl >= 0) {
            (void)fcntl(s->io.fd, F_SETFL, fl & ~O_NONBLOCK);
        }
    }
}

LIBSSH2_API int
libssh2_session_free(LIBSSH2_SESSION *s)
{
    struct s2_allocator a;
    void *abstract;
    if (s == NULL) {
        return LIBSSH2_ERROR_BAD_USE;
    }
    a = s->env.alloc;
    abstract = s->abstract;
    restore_socket(s);
    s2_privkey_free(&a, s->signer.key);
    s2_api_free_objects(s);
    s2_conn_free(s->conn);
    s2_ua_free(s->ua);
    s2_tp_free(s->tp);
    s2_free(&a, s->banner_set);
    s2_wipe(s, sizeof *s);
    s->abstract = abstract; /* the free callback may look at it */
    a.free(s, &s->abstract);
    return 0;
}

static int
poll_handshake(LIBSSH2_SESSION *s, void *arg)
{
    (void)arg;
    if (s2_tp_ready(s->tp)) {
        return 0;
    }
    return LIBSSH2_ERROR_EAGAIN;
}

LIBSSH2_API int
libssh2_session_handshake(LIBSSH2_SESSION *s, libssh2_socket_t sock)
{
    int r;
    if (s == NULL) {
        return LIBSSH2_ERROR_BAD_USE;
    }
    r = s2_tp_dead(s->tp);
    if (r != 0) {
        return r;
    }
    if (s->op == S2_OP_NONE) {
        int fl;
        if (sock == LIBSSH2_INVALID_SOCKET) {
            return s2_api_fail(s, LIBSSH2_ERROR_BAD_SOCKET, "invalid socket");
        }
        if (s2_tp_ready(s->tp)) {
            return s2_api_fail(s, LIBSSH2_ERROR_BAD_USE, "handshake already done");
        }
        s->io.fd = sock;
        /* the library drives the socket non-blocking, as libssh2 does, and
         * restores the caller's mode in libssh2_session_free() */
        fl = fcntl(sock, F_GETFL, 0);
        if (fl >= 0 && (fl & O_NONBLOCK) == 0) {
            if (fcntl(sock, F_SETFL, fl | O_NONBLOCK) == 0) {
                s->sock_was_blocking = 1;
            }
        }
        s2_io_tune(&s->io);
        r = s2_tp_start(s->tp);
        if (r != 0) {
            return r;
        }
        s->op = S2_OP_HANDSHAKE;
    } else if (s->op != S2_OP_HANDSHAKE) {
        return s2_api_fail(s, LIBSSH2_ERROR_BAD_USE, "another call is pending");
    }
    r = s2_api_run(s, poll_handshake, NULL);
    if (r != LIBSSH2_ERROR_EAGAIN) {
        s->op = S2_OP_NONE;
    }
    if (r == 0) {
        s2_err_set(&s->env, 0, NULL);
    }
    return r;
}

LIBSSH2_API int
libssh2_session_startup(LIBSSH2_SESSION *s, int sock)
{
    return libssh2_session_handshake(s, (libssh2_socket_t)sock);
}

static int
poll_flushed(LIBSSH2_SESSION *s, void *arg)
{
    int r;
    (void)arg;
    r = s2_tp_flush(s->tp);
    return r;
}

LIBSSH2_API int
libssh2_session_disconnect_ex(LIBSSH2_SESSION *s, int reason, const char *description,
                              const char *lang)
{
    int r;
    if (s == NULL) {
        return LIBSSH2_ERROR_BAD_USE;
    }
    if (s->op == S2_OP_NONE) {
        if (description != NULL && strlen(description) > 256) {
            return s2_api_fail(s, LIBSSH2_ERROR_INVAL, "disconnect description too long");
        }
        if (s2_tp_dead(s->tp) != 0) {
            return 0;
        }
        r = s2_tp_disconnect(s->tp, reason, description, lang);
        if (r != 0) {
            return r;
        }
        s->op = S2_OP_DISCONNECT;
    } else if (s->op != S2_OP_DISCONNECT) {
        return s2_api_fail(s, LIBSSH2_ERROR_BAD_USE, "another call is pending");
    }
    r = s2_tp_flush(s->tp);
    if (r == LIBSSH2_ERROR_EAGAIN && s->blocking) {
        r = s2_api_run(s, poll_flushed, NULL);
    }
    if (r != LIBSSH2_ERROR_EAGAIN) {
        s->op = S2_OP_NONE;
    }
    return r == LIBSSH2_ERROR_EAGAIN ? r : 0;
}

/* ---- modes, timeouts, flags ---- */

LIBSSH2_API void
libssh2_session_set_blocking(LIBSSH2_SESSION *s, int blocking)
{
    if (s != NULL) {
        s->blocking = blocking != 0;
    }
}

LIBSSH2_API int
libssh2_session_get_blocking(LIBSSH2_SESSION *s)
{
    return s != NULL ? s->blocking : 0;
}

LIBSSH2_API void
libssh2_session_set_timeout(LIBSSH2_SESSION *s, long timeout_ms)
{
    if (s != NULL) {
        s->timeout_ms = timeout_ms < 0 ? 0 : timeout_ms;
    }
}

LIBSSH2_API long
libssh2_session_get_timeout(LIBSSH2_SESSION *s)
{
    return s != NULL ? s->timeout_ms : 0;
}

LIBSSH2_API void
libssh2_session_set_read_timeout(LIBSSH2_SESSION *s, long timeout_s)
{
    if (s != NULL) {
        s->read_timeout_s = timeout_s <= 0 ? 60 : timeout_s;
    }
}

LIBSSH2_API long
libssh2_session_get_read_timeout(LIBSSH2_SESSION *s)
{
    return s != NULL ? s->read_timeout_s : 0;
}

LIBSSH2_API int
libssh2_session_block_directions(LIBSSH2_SESSION *s)
{
    return s != NULL ? s2_tp_want_dir(s->tp) : 0;
}

LIBSSH2_API int
libssh2_session_flag(LIBSSH2_SESSION *s, int flag, int value)
{
    if (s == NULL) {
        return LIBSSH2_ERROR_BAD_USE;
    }
    switch (flag) {
    case LIBSSH2_FLAG_SIGPIPE:
        s->flag_sigpipe = value;
        return 0;
    case LIBSSH2_FLAG_COMPRESS:
        s->flag_compress = value;
        s2_tp_set_compress(s->tp, value);
        return 0;
    case LIBSSH2_FLAG_QUOTE_PATHS:
        s->flag_quote_paths = value;
        return 0;
    default:
        return s2_api_fail(s, LIBSSH2_ERROR_INVAL, "unknown session flag");
    }
}

LIBSSH2_API void **
libssh2_session_abstract(LIBSSH2_SESSION *s)
{
    return &s->abstract;
}

LIBSSH2_API libssh2_cb_generic *
libssh2_session_callback_set2(LIBSSH2_SESSION *s, int cbtype, libssh2_cb_generic *callback)
{
    libssh2_cb_generic *old = NULL;
    if (s == NULL) {
        return NULL;
    }
    /* function pointers of one type are stored in slots of another and
     * converted back before the call, as the C standard allows */
#define S2_SWAP(slot, type)                                                                    \
    do {                                                                                       \
        old = (libssh2_cb_generic *)s->slot;                                                   \
        s->slot = (type)callback;                                                              \
    } while (0)
    switch (cbtype) {
    case LIBSSH2_CALLBACK_IGNORE:
        S2_SWAP(cb.ignore, LIBSSH2_IGNORE_FUNC((*)));
        break;
    case LIBSSH2_CALLBACK_DEBUG:
        S2_SWAP(cb.debug, LIBSSH2_DEBUG_FUNC((*)));
        break;
    case LIBSSH2_CALLBACK_DISCONNECT:
        S2_SWAP(cb.disconnect, LIBSSH2_DISCONNECT_FUNC((*)));
        break;
    case LIBSSH2_CALLBACK_MACERROR:
        S2_SWAP(cb.macerror, LIBSSH2_MACERROR_FUNC((*)));
        break;
    case LIBSSH2_CALLBACK_X11:
        S2_SWAP(x11_cb, LIBSSH2_X11_OPEN_FUNC((*)));
        break;
    case LIBSSH2_CALLBACK_SEND:
        S2_SWAP(io.send_cb, LIBSSH2_SEND_FUNC((*)));
        break;
    case LIBSSH2_CALLBACK_RECV:
        S2_SWAP(io.recv_cb, LIBSSH2_RECV_FUNC((*)));
        break;
    case LIBSSH2_CALLBACK_AUTHAGENT:
        S2_SWAP(authagent_cb, LIBSSH2_AUTHAGENT_FUNC((*)));
        break;
    case LIBSSH2_CALLBACK_AUTHAGENT_IDENTITIES:
        S2_SWAP(add_identities_cb, LIBSSH2_ADD_IDENTITIES_FUNC((*)));
        break;
    case LIBSSH2_CALLBACK_AUTHAGENT_SIGN:
        S2_SWAP(agent_sign_cb, LIBSSH2_AUTHAGENT_SIGN_FUNC((*)));
        break;
    default:
        break;
    }
#undef S2_SWAP
    return old;
}

LIBSSH2_API void *
libssh2_session_callback_set(LIBSSH2_SESSION *s, int cbtype, void *callback)
{
    /* the deprecated form passes function pointers as void * (POSIX allows it) */
    libssh2_cb_generic *fn;
    libssh2_cb_generic *old;
    void *ret;
    memcpy(&fn, &callback, sizeof fn);
    old = libssh2_session_callback_set2(s, cbtype, fn);
    memcpy(&ret, &old, sizeof ret);
    return ret;
}

/* ---- banners and methods ---- */

LIBSSH2_API int
libssh2_session_banner_set(LIBSSH2_SESSION *s, const char *banner)
{
    if (s == NULL) {
        return LIBSSH2_ERROR_BAD_USE;
    }
    return s2_tp_set_banner(s->tp, banner);
}

LIBSSH2_API int
libssh2_banner_set(LIBSSH2_SESSION *s, const char *banner)
{
    return libssh2_session_banner_set(s, banner);
}

LIBSSH2_API const char *
libssh2_session_banner_get(LIBSSH2_SESSION *s)
{
    return s != NULL ? s2_tp_server_ident(s->tp) : NULL;
}

LIBSSH2_API int
libssh2_session_method_pref(LIBSSH2_SESSION *s, int method_type, const char *prefs)
{
    int r;
    if (s == NULL) {
        return LIBSSH2_ERROR_BAD_USE;
    }
    r = s2_tp_set_pref(s->tp, method_type, prefs);
    if (r == 0 && method_type == LIBSSH2_METHOD_SIGN_ALGO) {
        r = s2_ua_set_sig_prefs(s->ua, prefs);
    }
    return r;
}

LIBSSH2_API const char *
libssh2_session_methods(LIBSSH2_SESSION *s, int method_type)
{
    const char *m;
    if (s == NULL) {
        return NULL;
    }
    m = s2_tp_methods(s->tp, method_type);
    if (m == NULL) {
        s2_api_fail(s, LIBSSH2_ERROR_INVAL, "no method negotiated for this type yet");
    }
    return m;
}

LIBSSH2_API int
libssh2_session_supported_algs(LIBSSH2_SESSION *s, int method_type, const char ***algs)
{
    const char *const *list;
    const char **out;
    int n = 0, i;
    if (s == NULL || algs == NULL) {
        return LIBSSH2_ERROR_BAD_USE;
    }
    list = s2_tp_supported(method_type);
    if (list == NULL) {
        return s2_api_fail(s, LIBSSH2_ERROR_METHOD_NOT_SUPPORTED, "unknown method type");
    }
    while (list[n] != NULL) {
        n++;
    }
    if (n == 0) {
        return s2_api_fail(s, LIBSSH2_ERROR_METHOD_NONE, "no methods of this type");
    }
    out = s2_alloc_array(&s->env.alloc, (size_t)n, sizeof *out);
    if (out == NULL) {
        return s2_api_fail(s, LIBSSH2_ERROR_ALLOC, "out of memory for the algorithm list");
    }
    for (i = 0; i < n; i++) {
        out[i] = list[i];
    }
    *algs = out;
    return n;
}

LIBSSH2_API void
libssh2_free(LIBSSH2_SESSION *s, void *ptr)
{
    if (s != NULL) {
        s2_free(&s->env.alloc, ptr);
    }
}

/* ---- errors and tracing ---- */

LIBSSH2_API int
libssh2_session_last_error(LIBSSH2_SESSION *s, char **errmsg, int *errmsg_len, int want_buf)
{
    const char *msg;
    size_t n;
    if (s == NULL) {
        return LIBSSH2_ERROR_BAD_USE;
    }
    msg = s->env.err.msg != NULL ? s->env.err.msg : "";
    n = strlen(msg);
    if (errmsg != NULL) {
        if (want_buf) {
            char *copy = s2_memdup(&s->env.alloc, msg, n);
            *errmsg = copy;
            if (copy == NULL) {
                n = 0;
            }
        } else {
            *errmsg = (char *)(uintptr_t)msg;
        }
    }
    if (errmsg_len != NULL) {
        *errmsg_len = (int)n;
    }
    return s->env.err.code;
}

LIBSSH2_API int
libssh2_session_last_errno(LIBSSH2_SESSION *s)
{
    return s != NULL ? s->env.err.code : LIBSSH2_ERROR_BAD_USE;
}

LIBSSH2_API int
libssh2_session_set_last_error(LIBSSH2_SESSION *s, int errcode, const char *errmsg)
{
    if (s == NULL) {
        return LIBSSH2_ERROR_BAD_USE;
    }
    if (errmsg != NULL) {
        return s2_err_setf(&s->env, errcode, "%s", errmsg);
    }
    return s2_err_set(&s->env, errcode, NULL);
}

LIBSSH2_API int
libssh2_trace(LIBSSH2_SESSION *s, int bitmask)
{
    if (s == NULL) {
        return LIBSSH2_ERROR_BAD_USE;
    }
    s->env.trace.mask = bitmask;
    return 0;
}

LIBSSH2_API int
libssh2_trace_sethandler(LIBSSH2_SESSION *s, void *context, libssh2_trace_handler_func callback)
{
    if (s == NULL) {
        return LIBSSH2_ERROR_BAD_USE;
    }
    s->env.trace.context = context;
    s->env.trace.handler = callback;
    return 0;
}

/* ---- ssh2core extensions ---- */

static int
poll_rekey(LIBSSH2_SESSION *s, void *arg)
{
    (void)arg;
    return s2_tp_kex_running(s->tp) ? LIBSSH2_ERROR_EAGAIN : 0;
}

LIBSSH2_API int
ssh2core_session_rekey(LIBSSH2_SESSION *s)
{
    int r;
    if (s == NULL) {
        return LIBSSH2_ERROR_BAD_USE;
    }
    if (s->op == S2_OP_NONE) {
        r = s2_tp_rekey(s->tp);
        if (r != 0) {
            return r;
        }
        s->op = S2_OP_REKEY;
    } else if (s->op != S2_OP_REKEY) {
        return s2_api_fail(s, LIBSSH2_ERROR_BAD_USE, "another call is pending");
    }
    r = s2_api_run(s, poll_rekey, NULL);
    if (r != LIBSSH2_ERROR_EAGAIN) {
        s->op = S2_OP_NONE;
    }
    return r;
}

LIBSSH2_API void
ssh2core_session_set_rekey_limits(LIBSSH2_SESSION *s, uint64_t bytes, long seconds)
{
    if (s != NULL) {
        s2_tp_set_rekey_limits(s->tp, bytes, seconds);
    }
}

LIBSSH2_API int
ssh2core_session_strict_kex(LIBSSH2_SESSION *s)
{
    if (s == NULL) {
        return LIBSSH2_ERROR_BAD_USE;
    }
    if (s2_tp_kex_count(s->tp) == 0) {
        return LIBSSH2_ERROR_BAD_USE;
    }
    return s2_tp_strict_kex(s->tp);
}

LIBSSH2_API int
ssh2core_session_kex_count(LIBSSH2_SESSION *s)
{
    return s != NULL ? s2_tp_kex_count(s->tp) : LIBSSH2_ERROR_BAD_USE;
}
