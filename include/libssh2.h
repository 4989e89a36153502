/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libssh2.h - the public API of ssh2core, source and binary compatible with
 * libssh2 1.11.1 (plus the two additions of its development head,
 * libssh2_build_options and libssh2_channel_has_exit_status).
 *
 * Every name, type, constant value and prototype below is the one that
 * programs written for libssh2 expect; the text and ordering are ssh2core's.
 * Conventions shared by all functions unless their comment says otherwise:
 *  - int-returning calls return 0 on success or a negative LIBSSH2_ERROR_*
 *    code; on a non-blocking session LIBSSH2_ERROR_EAGAIN means "call again
 *    once the socket is ready in libssh2_session_block_directions()".
 *  - pointer-returning calls return NULL on failure; the reason (EAGAIN
 *    included) is read with libssh2_session_last_errno().
 *  - memory handed to the caller is released with libssh2_free() unless a
 *    specific function is named.
 * ssh2core-only extensions live in ssh2core.h.
 */
#ifndef LIBSSH2_H
#define LIBSSH2_H 1

#define LIBSSH2_COPYRIGHT "The ssh2core authors; API of the libssh2 project."

/* Version of the libssh2 API this library implements. The banner below
 * carries it, so servers' compatibility tables treat us as libssh2. */
#define LIBSSH2_VERSION "1.11.1"
#define LIBSSH2_VERSION_MAJOR 1
#define LIBSSH2_VERSION_MINOR 11
#define LIBSSH2_VERSION_PATCH 1
/* 0xXXYYZZ: major, minor and patch, 8 bits each, for #if comparisons. */
#define LIBSSH2_VERSION_NUM 0x010b01
#define LIBSSH2_TIMESTAMP "ssh2core"

#ifndef RC_INVOKED

#ifdef __cplusplus
extern "C" {
#endif

#ifdef _WIN32
#include <basetsd.h>
#include <winsock2.h>
#endif

#include <stddef.h>
#include <stdint.h>
#include <string.h>   /* strlen() in the convenience macros */
#include <sys/stat.h>
#include <sys/types.h>

#ifdef HAVE_SYS_UIO_H
#include <sys/uio.h>
#endif

/* LIBSSH2_API marks every exported function. The library is compiled with
 * hidden visibility (LIBSSH2_LIBRARY defined), so on GCC and clang the
 * attribute is what exports a definition; for consumers it is harmless. */
#ifndef LIBSSH2_API
#if defined(_WIN32)
#if defined(LIBSSH2_EXPORTS) && defined(LIBSSH2_LIBRARY)
#define LIBSSH2_API __declspec(dllexport)
#elif defined(LIBSSH2_EXPORTS)
#define LIBSSH2_API __declspec(dllimport)
#else
#define LIBSSH2_API
#endif
#elif defined(__GNUC__) || defined(__clang__)
#define LIBSSH2_API __attribute__((visibility("default")))
#else
#define LIBSSH2_API
#endif
#endif /* LIBSSH2_API */

/* LIBSSH2_DEPRECATED(version, message) tags functions kept only for old
 * programs. It expands to a compiler deprecation attribute unless
 * LIBSSH2_DISABLE_DEPRECATION is defined (or the library itself is being
 * compiled). Defining LIBSSH2_NO_DEPRECATED hides the deprecated
 * declarations and macros altogether (the functions stay exported). */
#if !defined(LIBSSH2_DISABLE_DEPRECATION) && !defined(LIBSSH2_LIBRARY)
#if defined(_MSC_VER)
#define LIBSSH2_DEPRECATED(version, message) \
    __declspec(deprecated("since libssh2 " #version ". " message))
#elif defined(__clang__) || \
    (defined(__GNUC__) && (__GNUC__ > 4 || (__GNUC__ == 4 && __GNUC_MINOR__ >= 5)))
#define LIBSSH2_DEPRECATED(version, message) \
    __attribute__((deprecated("since libssh2 " #version ". " message)))
#elif defined(__GNUC__)
#define LIBSSH2_DEPRECATED(version, message) __attribute__((deprecated))
#endif
#endif
#ifndef LIBSSH2_DEPRECATED
#define LIBSSH2_DEPRECATED(version, message)
#endif

/* ------------------------------------------------------------------ */
/* Scalar types                                                        */
/* ------------------------------------------------------------------ */

typedef unsigned long long libssh2_uint64_t;
typedef long long libssh2_int64_t;

#if defined(_MSC_VER) && !defined(HAVE_SSIZE_T) && !defined(ssize_t)
typedef SSIZE_T ssize_t;
#define HAVE_SSIZE_T
#endif

#ifdef _WIN32
typedef SOCKET libssh2_socket_t;
#define LIBSSH2_INVALID_SOCKET INVALID_SOCKET
#define LIBSSH2_SOCKET_CLOSE(s) closesocket(s)
#else
typedef int libssh2_socket_t;
#define LIBSSH2_INVALID_SOCKET (-1)
#define LIBSSH2_SOCKET_CLOSE(s) close(s)
#endif

/* libssh2_struct_stat is what libssh2_scp_recv2() fills in. */
#ifdef _WIN32
#include <io.h>
#define LIBSSH2_STRUCT_STAT_SIZE_FORMAT "%I64d"
typedef struct _stati64 libssh2_struct_stat;
typedef __int64 libssh2_struct_stat_size;
#else
#define LIBSSH2_STRUCT_STAT_SIZE_FORMAT "%zd"
typedef struct stat libssh2_struct_stat;
typedef off_t libssh2_struct_stat_size;
#endif

/* ------------------------------------------------------------------ */
/* Banner, defaults and limits                                         */
/* ------------------------------------------------------------------ */

/* Identification string sent to the server (RFC 4253 4.2), minus CRLF. */
#define LIBSSH2_SSH_BANNER "SSH-2.0-libssh2_" LIBSSH2_VERSION
#define LIBSSH2_SSH_DEFAULT_BANNER LIBSSH2_SSH_BANNER
#define LIBSSH2_SSH_DEFAULT_BANNER_WITH_CRLF LIBSSH2_SSH_DEFAULT_BANNER "\r\n"

/* Diffie-Hellman group-exchange sizes (libssh2 1.10 and older published
 * these; kept so such code still compiles). */
#define LIBSSH2_DH_GEX_MINGROUP 2048
#define LIBSSH2_DH_GEX_OPTGROUP 4096
#define LIBSSH2_DH_GEX_MAXGROUP 8192
#define LIBSSH2_DH_MAX_MODULUS_BITS 16384

/* Terminal geometry used by libssh2_channel_request_pty(). */
#define LIBSSH2_TERM_WIDTH 80
#define LIBSSH2_TERM_HEIGHT 24
#define LIBSSH2_TERM_WIDTH_PX 0
#define LIBSSH2_TERM_HEIGHT_PX 0

/* Socket poll step (microseconds) and number of steps (30 s in total). */
#define LIBSSH2_SOCKET_POLL_UDELAY 250000
#define LIBSSH2_SOCKET_POLL_MAXLOOPS 120

/* Compression limits: largest compressed output, largest decompressed
 * payload and largest inbound compressed payload. */
#define LIBSSH2_PACKET_MAXCOMP 32000
#define LIBSSH2_PACKET_MAXDECOMP 40000
#define LIBSSH2_PACKET_MAXPAYLOAD 40000

/* ------------------------------------------------------------------ */
/* Opaque handles                                                      */
/* ------------------------------------------------------------------ */

typedef struct _LIBSSH2_SESSION LIBSSH2_SESSION;
typedef struct _LIBSSH2_CHANNEL LIBSSH2_CHANNEL;
typedef struct _LIBSSH2_LISTENER LIBSSH2_LISTENER;
typedef struct _LIBSSH2_KNOWNHOSTS LIBSSH2_KNOWNHOSTS;
typedef struct _LIBSSH2_AGENT LIBSSH2_AGENT;

/* ------------------------------------------------------------------ */
/* Callback signatures                                                 */
/* ------------------------------------------------------------------ */

/* Allocator given to libssh2_session_init_ex(); |abstract| points at the
 * session's abstract slot. */
#define LIBSSH2_ALLOC_FUNC(name) void *(name)(size_t count, void **abstract)
#define LIBSSH2_REALLOC_FUNC(name) \
    void *(name)(void *ptr, size_t count, void **abstract)
#define LIBSSH2_FREE_FUNC(name) void(name)(void *ptr, void **abstract)

/* One keyboard-interactive prompt (1.11 layout: 24 bytes on LP64). */
typedef struct _LIBSSH2_USERAUTH_KBDINT_PROMPT {
    unsigned char *text;   /* prompt text, not NUL-terminated */
    size_t length;         /* bytes in text */
    unsigned char echo;    /* nonzero: the answer may be echoed */
} LIBSSH2_USERAUTH_KBDINT_PROMPT;

/* One keyboard-interactive answer. The callback allocates text with the
 * session allocator; the library frees it. */
typedef struct _LIBSSH2_USERAUTH_KBDINT_RESPONSE {
    char *text;
    unsigned int length;
} LIBSSH2_USERAUTH_KBDINT_RESPONSE;

/* Signature produced by a FIDO security key (sk-* key types). */
typedef struct _LIBSSH2_SK_SIG_INFO {
    uint8_t flags;
    uint32_t counter;
    unsigned char *sig_r;
    size_t sig_r_len;
    unsigned char *sig_s;
    size_t sig_s_len;
} LIBSSH2_SK_SIG_INFO;

/* Signs |data| for libssh2_userauth_publickey(); stores a signature blob
 * allocated with the session allocator in *sig. Returns 0 or an error. */
#define LIBSSH2_USERAUTH_PUBLICKEY_SIGN_FUNC(name) \
    int(name)(LIBSSH2_SESSION *session, unsigned char **sig, size_t *sig_len, \
              const unsigned char *data, size_t data_len, void **abstract)

/* Answers the prompts of one keyboard-interactive round. */
#define LIBSSH2_USERAUTH_KBDINT_RESPONSE_FUNC(name_) \
    void(name_)(const char *name, int name_len, const char *instruction, \
                int instruction_len, int num_prompts, \
                const LIBSSH2_USERAUTH_KBDINT_PROMPT *prompts, \
                LIBSSH2_USERAUTH_KBDINT_RESPONSE *responses, void **abstract)

/* Asks a security key to sign |data|; fills *sig_info. */
#define LIBSSH2_USERAUTH_SK_SIGN_FUNC(name) \
    int(name)(LIBSSH2_SESSION *session, LIBSSH2_SK_SIG_INFO *sig_info, \
              const unsigned char *data, size_t data_len, int algorithm, \
              uint8_t flags, const char *application, \
              const unsigned char *key_handle, size_t key_handle_len, void **abstract)

/* Security-key flags. */
#define LIBSSH2_SK_PRESENCE_REQUIRED 0x01
#define LIBSSH2_SK_VERIFICATION_REQUIRED 0x04

/* SSH_MSG_IGNORE received. */
#define LIBSSH2_IGNORE_FUNC(name) \
    void(name)(LIBSSH2_SESSION *session, const char *message, int message_len, \
               void **abstract)

/* SSH_MSG_DEBUG received. */
#define LIBSSH2_DEBUG_FUNC(name) \
    void(name)(LIBSSH2_SESSION *session, int always_display, const char *message, \
               int message_len, const char *language, int language_len, \
               void **abstract)

/* SSH_MSG_DISCONNECT received. */
#define LIBSSH2_DISCONNECT_FUNC(name) \
    void(name)(LIBSSH2_SESSION *session, int reason, const char *message, \
               int message_len, const char *language, int language_len, \
               void **abstract)

/* Server demands a new password; store one (session allocator) in *newpw. */
#define LIBSSH2_PASSWD_CHANGEREQ_FUNC(name) \
    void(name)(LIBSSH2_SESSION *session, char **newpw, int *newpw_len, \
               void **abstract)

/* A packet failed its MAC check; return 0 to accept it anyway. */
#define LIBSSH2_MACERROR_FUNC(name) \
    int(name)(LIBSSH2_SESSION *session, const char *packet, int packet_len, \
              void **abstract)

/* The server opened an X11 channel. */
#define LIBSSH2_X11_OPEN_FUNC(name) \
    void(name)(LIBSSH2_SESSION *session, LIBSSH2_CHANNEL *channel, \
               const char *shost, int sport, void **abstract)

/* The server opened an agent-forwarding channel. */
#define LIBSSH2_AUTHAGENT_FUNC(name) \
    void(name)(LIBSSH2_SESSION *session, LIBSSH2_CHANNEL *channel, void **abstract)

/* Agent forwarding: append the local agent's identities to |buffer|. */
#define LIBSSH2_ADD_IDENTITIES_FUNC(name) \
    void(name)(LIBSSH2_SESSION *session, void *buffer, const char *agent_path, \
               void **abstract)

/* Agent forwarding: have the local agent sign |data| with key |blob|. */
#define LIBSSH2_AUTHAGENT_SIGN_FUNC(name) \
    int(name)(LIBSSH2_SESSION *session, unsigned char *blob, unsigned int blen, \
              const unsigned char *data, unsigned int dlen, \
              unsigned char **signature, unsigned int *sigLen, \
              const char *agentPath, void **abstract)

/* Channel close notification (declared for compatibility; unused). */
#define LIBSSH2_CHANNEL_CLOSE_FUNC(name) \
    void(name)(LIBSSH2_SESSION *session, void **session_abstract, \
               LIBSSH2_CHANNEL *channel, void **channel_abstract)

/* Socket I/O replacements: return bytes moved or -errno. */
#define LIBSSH2_RECV_FUNC(name) \
    ssize_t(name)(libssh2_socket_t socket, void *buffer, size_t length, int flags, \
                  void **abstract)
#define LIBSSH2_SEND_FUNC(name) \
    ssize_t(name)(libssh2_socket_t socket, const void *buffer, size_t length, \
                  int flags, void **abstract)

/* cbtype values for libssh2_session_callback_set2(). */
#define LIBSSH2_CALLBACK_IGNORE 0
#define LIBSSH2_CALLBACK_DEBUG 1
#define LIBSSH2_CALLBACK_DISCONNECT 2
#define LIBSSH2_CALLBACK_MACERROR 3
#define LIBSSH2_CALLBACK_X11 4
#define LIBSSH2_CALLBACK_SEND 5
#define LIBSSH2_CALLBACK_RECV 6
#define LIBSSH2_CALLBACK_AUTHAGENT 7
#define LIBSSH2_CALLBACK_AUTHAGENT_IDENTITIES 8
#define LIBSSH2_CALLBACK_AUTHAGENT_SIGN 9

/* method_type values for libssh2_session_method_pref() and friends. */
#define LIBSSH2_METHOD_KEX 0
#define LIBSSH2_METHOD_HOSTKEY 1
#define LIBSSH2_METHOD_CRYPT_CS 2
#define LIBSSH2_METHOD_CRYPT_SC 3
#define LIBSSH2_METHOD_MAC_CS 4
#define LIBSSH2_METHOD_MAC_SC 5
#define LIBSSH2_METHOD_COMP_CS 6
#define LIBSSH2_METHOD_COMP_SC 7
#define LIBSSH2_METHOD_LANG_CS 8
#define LIBSSH2_METHOD_LANG_SC 9
#define LIBSSH2_METHOD_SIGN_ALGO 10

/* flag values for libssh2_session_flag(). */
#define LIBSSH2_FLAG_SIGPIPE 1
#define LIBSSH2_FLAG_COMPRESS 2
#define LIBSSH2_FLAG_QUOTE_PATHS 3

/* A security-key private key, as passed to libssh2_sign_sk() through its
 * abstract pointer. */
typedef struct _LIBSSH2_PRIVKEY_SK {
    int algorithm;
    uint8_t flags;
    const char *application;
    const unsigned char *key_handle;
    size_t handle_len;
    LIBSSH2_USERAUTH_SK_SIGN_FUNC(*sign_callback);
    void **orig_abstract;
} LIBSSH2_PRIVKEY_SK;

/* libssh2_sign_sk is a LIBSSH2_USERAUTH_PUBLICKEY_SIGN_FUNC for security
 * keys: |*abstract| is a LIBSSH2_PRIVKEY_SK whose sign_callback produces
 * the raw signature, which this wraps into an SSH signature blob stored
 * in *sig (session allocator). Returns 0 or a negative error. */
LIBSSH2_API int libssh2_sign_sk(LIBSSH2_SESSION *session, unsigned char **sig,
                                size_t *sig_len, const unsigned char *data,
                                size_t data_len, void **abstract);

#ifndef LIBSSH2_NO_DEPRECATED
/* Descriptor for the deprecated libssh2_poll(). */
typedef struct _LIBSSH2_POLLFD {
    unsigned char type;               /* LIBSSH2_POLLFD_SOCKET/CHANNEL/LISTENER */
    union {
        libssh2_socket_t socket;      /* polled with the system's poll/select */
        LIBSSH2_CHANNEL *channel;     /* polled from channel state */
        LIBSSH2_LISTENER *listener;   /* readable: a connection is waiting */
    } fd;
    unsigned long events;             /* requested LIBSSH2_POLLFD_* events */
    unsigned long revents;            /* events that occurred */
} LIBSSH2_POLLFD;

#define LIBSSH2_POLLFD_SOCKET 1
#define LIBSSH2_POLLFD_CHANNEL 2
#define LIBSSH2_POLLFD_LISTENER 3

#define LIBSSH2_POLLFD_POLLIN 0x0001          /* readable / connection waiting */
#define LIBSSH2_POLLFD_POLLPRI 0x0002         /* priority data (socket) */
#define LIBSSH2_POLLFD_POLLEXT 0x0002         /* extended data (channel) */
#define LIBSSH2_POLLFD_POLLOUT 0x0004         /* writable */
#define LIBSSH2_POLLFD_POLLERR 0x0008         /* error (revents only) */
#define LIBSSH2_POLLFD_POLLHUP 0x0010         /* hang-up (socket) */
#define LIBSSH2_POLLFD_SESSION_CLOSED 0x0010  /* session disconnected */
#define LIBSSH2_POLLFD_POLLNVAL 0x0020        /* invalid request */
#define LIBSSH2_POLLFD_POLLEX 0x0040          /* exception */
#define LIBSSH2_POLLFD_CHANNEL_CLOSED 0x0080  /* channel closed */
#define LIBSSH2_POLLFD_LISTENER_CLOSED 0x0080 /* listener closed */
#endif /* LIBSSH2_NO_DEPRECATED */

/* Bits returned by libssh2_session_block_directions(). */
#define HAVE_LIBSSH2_SESSION_BLOCK_DIRECTION
#define LIBSSH2_SESSION_BLOCK_INBOUND 0x0001
#define LIBSSH2_SESSION_BLOCK_OUTBOUND 0x0002

/* hash_type for libssh2_hostkey_hash(). */
#define LIBSSH2_HOSTKEY_HASH_MD5 1
#define LIBSSH2_HOSTKEY_HASH_SHA1 2
#define LIBSSH2_HOSTKEY_HASH_SHA256 3

/* Host key types reported by libssh2_session_hostkey(). */
#define LIBSSH2_HOSTKEY_TYPE_UNKNOWN 0
#define LIBSSH2_HOSTKEY_TYPE_RSA 1
#define LIBSSH2_HOSTKEY_TYPE_DSS 2
#define LIBSSH2_HOSTKEY_TYPE_ECDSA_256 3
#define LIBSSH2_HOSTKEY_TYPE_ECDSA_384 4
#define LIBSSH2_HOSTKEY_TYPE_ECDSA_521 5
#define LIBSSH2_HOSTKEY_TYPE_ED25519 6

/* Disconnect reason codes (RFC 4253 11.1). */
#define SSH_DISCONNECT_HOST_NOT_ALLOWED_TO_CONNECT 1
#define SSH_DISCONNECT_PROTOCOL_ERROR 2
#define SSH_DISCONNECT_KEY_EXCHANGE_FAILED 3
#define SSH_DISCONNECT_RESERVED 4
#define SSH_DISCONNECT_MAC_ERROR 5
#define SSH_DISCONNECT_COMPRESSION_ERROR 6
#define SSH_DISCONNECT_SERVICE_NOT_AVAILABLE 7
#define SSH_DISCONNECT_PROTOCOL_VERSION_NOT_SUPPORTED 8
#define SSH_DISCONNECT_HOST_KEY_NOT_VERIFIABLE 9
#define SSH_DISCONNECT_CONNECTION_LOST 10
#define SSH_DISCONNECT_BY_APPLICATION 11
#define SSH_DISCONNECT_TOO_MANY_CONNECTIONS 12
#define SSH_DISCONNECT_AUTH_CANCELLED_BY_USER 13
#define SSH_DISCONNECT_NO_MORE_AUTH_METHODS_AVAILABLE 14
#define SSH_DISCONNECT_ILLEGAL_USER_NAME 15

/* ------------------------------------------------------------------ */
/* Error codes                                                         */
/* ------------------------------------------------------------------ */

#define LIBSSH2_ERROR_NONE 0
/* Generic failure from old libssh2 versions; ssh2core never returns it. */
#define LIBSSH2_ERROR_SOCKET_NONE (-1)
#define LIBSSH2_ERROR_BANNER_RECV (-2)
#define LIBSSH2_ERROR_BANNER_SEND (-3)
#define LIBSSH2_ERROR_INVALID_MAC (-4)
#define LIBSSH2_ERROR_KEX_FAILURE (-5)
#define LIBSSH2_ERROR_ALLOC (-6)
#define LIBSSH2_ERROR_SOCKET_SEND (-7)
#define LIBSSH2_ERROR_KEY_EXCHANGE_FAILURE (-8)
#define LIBSSH2_ERROR_TIMEOUT (-9)
#define LIBSSH2_ERROR_HOSTKEY_INIT (-10)
#define LIBSSH2_ERROR_HOSTKEY_SIGN (-11)
#define LIBSSH2_ERROR_DECRYPT (-12)
#define LIBSSH2_ERROR_SOCKET_DISCONNECT (-13)
#define LIBSSH2_ERROR_PROTO (-14)
#define LIBSSH2_ERROR_PASSWORD_EXPIRED (-15)
#define LIBSSH2_ERROR_FILE (-16)
#define LIBSSH2_ERROR_METHOD_NONE (-17)
#define LIBSSH2_ERROR_AUTHENTICATION_FAILED (-18)
#define LIBSSH2_ERROR_PUBLICKEY_UNRECOGNIZED LIBSSH2_ERROR_AUTHENTICATION_FAILED
#define LIBSSH2_ERROR_PUBLICKEY_UNVERIFIED (-19)
#define LIBSSH2_ERROR_CHANNEL_OUTOFORDER (-20)
#define LIBSSH2_ERROR_CHANNEL_FAILURE (-21)
#define LIBSSH2_ERROR_CHANNEL_REQUEST_DENIED (-22)
#define LIBSSH2_ERROR_CHANNEL_UNKNOWN (-23)
#define LIBSSH2_ERROR_CHANNEL_WINDOW_EXCEEDED (-24)
#define LIBSSH2_ERROR_CHANNEL_PACKET_EXCEEDED (-25)
#define LIBSSH2_ERROR_CHANNEL_CLOSED (-26)
#define LIBSSH2_ERROR_CHANNEL_EOF_SENT (-27)
#define LIBSSH2_ERROR_SCP_PROTOCOL (-28)
#define LIBSSH2_ERROR_ZLIB (-29)
#define LIBSSH2_ERROR_SOCKET_TIMEOUT (-30)
#define LIBSSH2_ERROR_SFTP_PROTOCOL (-31)
#define LIBSSH2_ERROR_REQUEST_DENIED (-32)
#define LIBSSH2_ERROR_METHOD_NOT_SUPPORTED (-33)
#define LIBSSH2_ERROR_INVAL (-34)
#define LIBSSH2_ERROR_INVALID_POLL_TYPE (-35)
#define LIBSSH2_ERROR_PUBLICKEY_PROTOCOL (-36)
#define LIBSSH2_ERROR_EAGAIN (-37)
#define LIBSSH2_ERROR_BUFFER_TOO_SMALL (-38)
#define LIBSSH2_ERROR_BAD_USE (-39)
#define LIBSSH2_ERROR_COMPRESS (-40)
#define LIBSSH2_ERROR_OUT_OF_BOUNDARY (-41)
#define LIBSSH2_ERROR_AGENT_PROTOCOL (-42)
#define LIBSSH2_ERROR_SOCKET_RECV (-43)
#define LIBSSH2_ERROR_ENCRYPT (-44)
#define LIBSSH2_ERROR_BAD_SOCKET (-45)
#define LIBSSH2_ERROR_KNOWN_HOSTS (-46)
#define LIBSSH2_ERROR_CHANNEL_WINDOW_FULL (-47)
#define LIBSSH2_ERROR_KEYFILE_AUTH_FAILED (-48)
#define LIBSSH2_ERROR_RANDGEN (-49)
#define LIBSSH2_ERROR_MISSING_USERAUTH_BANNER (-50)
#define LIBSSH2_ERROR_ALGO_UNSUPPORTED (-51)
#define LIBSSH2_ERROR_MAC_FAILURE (-52)
#define LIBSSH2_ERROR_HASH_INIT (-53)
#define LIBSSH2_ERROR_HASH_CALC (-54)
#define LIBSSH2_ERROR_STORE_OVERFLOW (-55)
/* Name used by libssh2 up to 1.2.7. */
#define LIBSSH2_ERROR_BANNER_NONE LIBSSH2_ERROR_BANNER_RECV

/* ------------------------------------------------------------------ */
/* Global                                                              */
/* ------------------------------------------------------------------ */

/* Flag for libssh2_init(): leave the crypto backend uninitialised. */
#define LIBSSH2_INIT_NO_CRYPTO 0x0001

/* libssh2_init initialises the library (reference-counted; not thread-safe
 * against itself). libssh2_session_init_ex() calls it if nobody did.
 * Returns 0 or a negative error. */
LIBSSH2_API int libssh2_init(int flags);

/* libssh2_exit undoes one libssh2_init(); the last one releases globals. */
LIBSSH2_API void libssh2_exit(void);

/* libssh2_free releases |ptr| that the library allocated for the caller
 * (e.g. libssh2_session_supported_algs() output) with |session|'s
 * allocator. NULL is fine. */
LIBSSH2_API void libssh2_free(LIBSSH2_SESSION *session, void *ptr);

/* libssh2_session_supported_algs stores in *algs an array of the names this
 * library supports for |method_type| (LIBSSH2_METHOD_*) and returns their
 * count, or a negative error. The caller frees *algs with libssh2_free(). */
LIBSSH2_API int libssh2_session_supported_algs(LIBSSH2_SESSION *session, int method_type,
                                               const char ***algs);

/* ------------------------------------------------------------------ */
/* Session                                                             */
/* ------------------------------------------------------------------ */

/* libssh2_session_init_ex creates a session. NULL allocator functions mean
 * the process-wide default (libc, or ssh2core_set_allocator()); |abstract|
 * is the value of the session's abstract slot passed to every callback.
 * Returns NULL on allocation failure. */
LIBSSH2_API LIBSSH2_SESSION *libssh2_session_init_ex(LIBSSH2_ALLOC_FUNC(*my_alloc),
                                                     LIBSSH2_FREE_FUNC(*my_free),
                                                     LIBSSH2_REALLOC_FUNC(*my_realloc),
                                                     void *abstract);
#define libssh2_session_init() libssh2_session_init_ex(NULL, NULL, NULL, NULL)

/* libssh2_session_abstract returns the address of the session's abstract
 * slot, which the application may read and write. */
LIBSSH2_API void **libssh2_session_abstract(LIBSSH2_SESSION *session);

/* Generic callback type for libssh2_session_callback_set2(). */
typedef void(libssh2_cb_generic)(void);

/* libssh2_session_callback_set2 installs |callback| for |cbtype|
 * (LIBSSH2_CALLBACK_*) and returns the previous one, or NULL if there was
 * none or the type is unknown. */
LIBSSH2_API libssh2_cb_generic *libssh2_session_callback_set2(LIBSSH2_SESSION *session,
                                                              int cbtype,
                                                              libssh2_cb_generic *callback);

/* libssh2_session_callback_set is libssh2_session_callback_set2() with an
 * object pointer for the callback. */
LIBSSH2_DEPRECATED(1.11.1, "Use libssh2_session_callback_set2()")
LIBSSH2_API void *libssh2_session_callback_set(LIBSSH2_SESSION *session, int cbtype,
                                               void *callback);

/* libssh2_session_banner_set replaces the text after "SSH-2.0-" in our
 * identification string; must precede the handshake. Returns 0 or error. */
LIBSSH2_API int libssh2_session_banner_set(LIBSSH2_SESSION *session, const char *banner);

#ifndef LIBSSH2_NO_DEPRECATED
/* libssh2_banner_set is the old name of libssh2_session_banner_set(). */
LIBSSH2_DEPRECATED(1.4.0, "Use libssh2_session_banner_set()")
LIBSSH2_API int libssh2_banner_set(LIBSSH2_SESSION *session, const char *banner);

/* libssh2_session_startup is libssh2_session_handshake() with an int fd. */
LIBSSH2_DEPRECATED(1.2.8, "Use libssh2_session_handshake()")
LIBSSH2_API int libssh2_session_startup(LIBSSH2_SESSION *session, int sock);
#endif

/* libssh2_session_handshake runs the identification exchange and the first
 * key exchange over the connected socket |sock| (which the caller keeps
 * owning). Returns 0, LIBSSH2_ERROR_EAGAIN, or a negative error. */
LIBSSH2_API int libssh2_session_handshake(LIBSSH2_SESSION *session, libssh2_socket_t sock);

/* libssh2_session_disconnect_ex sends SSH_MSG_DISCONNECT with |reason|
 * (SSH_DISCONNECT_*), |description| and |lang|. Returns 0, EAGAIN or an
 * error; the session must still be freed. */
LIBSSH2_API int libssh2_session_disconnect_ex(LIBSSH2_SESSION *session, int reason,
                                              const char *description, const char *lang);
#define libssh2_session_disconnect(session, description) \
    libssh2_session_disconnect_ex((session), SSH_DISCONNECT_BY_APPLICATION, \
                                  (description), "")

/* libssh2_session_free releases the session and everything made from it
 * (the socket is not closed). Returns 0 or EAGAIN. */
LIBSSH2_API int libssh2_session_free(LIBSSH2_SESSION *session);

/* libssh2_hostkey_hash returns the server host key's digest (16 bytes MD5,
 * 20 SHA-1, 32 SHA-256; not NUL-terminated), owned by the session, or
 * NULL before the handshake or for an unsupported |hash_type|. */
LIBSSH2_API const char *libssh2_hostkey_hash(LIBSSH2_SESSION *session, int hash_type);

/* libssh2_session_hostkey returns the server's raw host key blob (owned by
 * the session), stores its length in *len and its LIBSSH2_HOSTKEY_TYPE_*
 * in *type; NULL before the handshake. */
LIBSSH2_API const char *libssh2_session_hostkey(LIBSSH2_SESSION *session, size_t *len,
                                                int *type);

/* libssh2_session_method_pref sets the comma-separated preference list for
 * |method_type|; unsupported names are dropped. Returns 0, or
 * LIBSSH2_ERROR_METHOD_NOT_SUPPORTED if no name is supported. */
LIBSSH2_API int libssh2_session_method_pref(LIBSSH2_SESSION *session, int method_type,
                                            const char *prefs);

/* libssh2_session_methods returns the negotiated algorithm name for
 * |method_type| (owned by the session), or NULL before the handshake. */
LIBSSH2_API const char *libssh2_session_methods(LIBSSH2_SESSION *session, int method_type);

/* libssh2_session_last_error returns the last error code; if |errmsg| is
 * given it receives the message (a session-owned string, or, with
 * |want_buf| nonzero, a copy the caller frees with libssh2_free()). */
LIBSSH2_API int libssh2_session_last_error(LIBSSH2_SESSION *session, char **errmsg,
                                           int *errmsg_len, int want_buf);

/* libssh2_session_last_errno returns the last error code (0 if none). */
LIBSSH2_API int libssh2_session_last_errno(LIBSSH2_SESSION *session);

/* libssh2_session_set_last_error records |errcode| and a copy of |errmsg|
 * (NULL: empty) as the session's last error. Returns |errcode|. */
LIBSSH2_API int libssh2_session_set_last_error(LIBSSH2_SESSION *session, int errcode,
                                               const char *errmsg);

/* libssh2_session_block_directions returns which LIBSSH2_SESSION_BLOCK_*
 * directions the last EAGAIN was waiting for. */
LIBSSH2_API int libssh2_session_block_directions(LIBSSH2_SESSION *session);

/* libssh2_session_flag sets a LIBSSH2_FLAG_* option. Returns 0 or error. */
LIBSSH2_API int libssh2_session_flag(LIBSSH2_SESSION *session, int flag, int value);

/* libssh2_session_banner_get returns the server's identification string
 * (without CRLF, owned by the session), or NULL before it arrived. */
LIBSSH2_API const char *libssh2_session_banner_get(LIBSSH2_SESSION *session);

/* ------------------------------------------------------------------ */
/* User authentication                                                 */
/* ------------------------------------------------------------------ */

/* libssh2_userauth_list sends a "none" request and returns the server's
 * comma-separated list of methods (session-owned), or NULL on error,
 * EAGAIN, or if "none" succeeded (see libssh2_userauth_authenticated()). */
LIBSSH2_API char *libssh2_userauth_list(LIBSSH2_SESSION *session, const char *username,
                                        unsigned int username_len);

/* libssh2_userauth_banner stores in *banner the SSH_MSG_USERAUTH_BANNER
 * text received so far (session-owned). Returns 0, or
 * LIBSSH2_ERROR_MISSING_USERAUTH_BANNER if none arrived. */
LIBSSH2_API int libssh2_userauth_banner(LIBSSH2_SESSION *session, char **banner);

/* libssh2_userauth_authenticated returns 1 once authenticated, else 0. */
LIBSSH2_API int libssh2_userauth_authenticated(LIBSSH2_SESSION *session);

/* libssh2_userauth_password_ex authenticates with a password; the optional
 * callback supplies a new one if the server says it expired. */
LIBSSH2_API int libssh2_userauth_password_ex(LIBSSH2_SESSION *session, const char *username,
                                             unsigned int username_len, const char *password,
                                             unsigned int password_len,
                                             LIBSSH2_PASSWD_CHANGEREQ_FUNC(*passwd_change_cb));
#define libssh2_userauth_password(session, username, password) \
    libssh2_userauth_password_ex((session), (username), (unsigned int)strlen(username), \
                                 (password), (unsigned int)strlen(password), NULL)

/* libssh2_userauth_publickey_fromfile_ex authenticates with the private key
 * file |privatekey| (|publickey| may be NULL: derived from the private key). */
LIBSSH2_API int libssh2_userauth_publickey_fromfile_ex(LIBSSH2_SESSION *session,
                                                       const char *username,
                                                       unsigned int username_len,
                                                       const char *publickey,
                                                       const char *privatekey,
                                                       const char *passphrase);
#define libssh2_userauth_publickey_fromfile(session, username, publickey, privatekey, \
                                            passphrase) \
    libssh2_userauth_publickey_fromfile_ex((session), (username), \
                                           (unsigned int)strlen(username), (publickey), \
                                           (privatekey), (passphrase))

/* libssh2_userauth_publickey authenticates with public key blob
 * |pubkeydata|; |sign_callback| signs with the matching private key and
 * receives |abstract|. */
LIBSSH2_API int libssh2_userauth_publickey(LIBSSH2_SESSION *session, const char *username,
                                           const unsigned char *pubkeydata,
                                           size_t pubkeydata_len,
                                           LIBSSH2_USERAUTH_PUBLICKEY_SIGN_FUNC(*sign_callback),
                                           void **abstract);

/* libssh2_userauth_hostbased_fromfile_ex authenticates host-based (RFC 4252
 * 9) with the host's key files, as |local_username| on |hostname|. */
LIBSSH2_API int libssh2_userauth_hostbased_fromfile_ex(
    LIBSSH2_SESSION *session, const char *username, unsigned int username_len,
    const char *publickey, const char *privatekey, const char *passphrase,
    const char *hostname, unsigned int hostname_len, const char *local_username,
    unsigned int local_username_len);
#define libssh2_userauth_hostbased_fromfile(session, username, publickey, privatekey, \
                                            passphrase, hostname) \
    libssh2_userauth_hostbased_fromfile_ex((session), (username), \
                                           (unsigned int)strlen(username), (publickey), \
                                           (privatekey), (passphrase), (hostname), \
                                           (unsigned int)strlen(hostname), (username), \
                                           (unsigned int)strlen(username))

/* libssh2_userauth_publickey_frommemory is publickey_fromfile_ex() with the
 * key files' contents in memory (public key data may be NULL/0). */
LIBSSH2_API int libssh2_userauth_publickey_frommemory(
    LIBSSH2_SESSION *session, const char *username, size_t username_len,
    const char *publickeyfiledata, size_t publickeyfiledata_len,
    const char *privatekeyfiledata, size_t privatekeyfiledata_len, const char *passphrase);

/* libssh2_userauth_keyboard_interactive_ex authenticates by
 * keyboard-interactive (RFC 4256); |response_callback| answers each round.
 * Responses are freed by the library after the callback returns. */
LIBSSH2_API int libssh2_userauth_keyboard_interactive_ex(
    LIBSSH2_SESSION *session, const char *username, unsigned int username_len,
    LIBSSH2_USERAUTH_KBDINT_RESPONSE_FUNC(*response_callback));
#define libssh2_userauth_keyboard_interactive(session, username, response_callback) \
    libssh2_userauth_keyboard_interactive_ex((session), (username), \
                                             (unsigned int)strlen(username), \
                                             (response_callback))

/* libssh2_userauth_publickey_sk authenticates with a FIDO security key
 * (sk-ssh-ed25519@openssh.com, sk-ecdsa-sha2-nistp256@openssh.com); the
 * key file gives the key handle and |sign_callback| talks to the device. */
LIBSSH2_API int libssh2_userauth_publickey_sk(
    LIBSSH2_SESSION *session, const char *username, size_t username_len,
    const unsigned char *publickeydata, size_t publickeydata_len,
    const char *privatekeydata, size_t privatekeydata_len, const char *passphrase,
    LIBSSH2_USERAUTH_SK_SIGN_FUNC(*sign_callback), void **abstract);

#ifndef LIBSSH2_NO_DEPRECATED
/* libssh2_poll waits up to |timeout| ms for events on sockets, channels
 * and listeners. Returns the number of descriptors with events, or error. */
LIBSSH2_DEPRECATED(1.2.0, "Use system poll() or select()")
LIBSSH2_API int libssh2_poll(LIBSSH2_POLLFD *fds, unsigned int nfds, long timeout);
#endif

/* ------------------------------------------------------------------ */
/* Channels                                                            */
/* ------------------------------------------------------------------ */

#define LIBSSH2_CHANNEL_WINDOW_DEFAULT (2 * 1024 * 1024)
#define LIBSSH2_CHANNEL_PACKET_DEFAULT 32768
#define LIBSSH2_CHANNEL_MINADJUST 1024

/* ignore_mode for libssh2_channel_handle_extended_data2(). */
#define LIBSSH2_CHANNEL_EXTENDED_DATA_NORMAL 0
#define LIBSSH2_CHANNEL_EXTENDED_DATA_IGNORE 1
#define LIBSSH2_CHANNEL_EXTENDED_DATA_MERGE 2

/* Extended data stream for stderr (RFC 4254 5.2). */
#define SSH_EXTENDED_DATA_STDERR 1

/* Old name of LIBSSH2_ERROR_EAGAIN for channel calls. */
#define LIBSSH2CHANNEL_EAGAIN LIBSSH2_ERROR_EAGAIN

/* libssh2_channel_open_ex opens a channel of |channel_type| with our
 * receive window and maximum packet size; |message| is type-specific data
 * appended to CHANNEL_OPEN. Returns the channel or NULL. */
LIBSSH2_API LIBSSH2_CHANNEL *libssh2_channel_open_ex(LIBSSH2_SESSION *session,
                                                     const char *channel_type,
                                                     unsigned int channel_type_len,
                                                     unsigned int window_size,
                                                     unsigned int packet_size,
                                                     const char *message,
                                                     unsigned int message_len);
#define libssh2_channel_open_session(session) \
    libssh2_channel_open_ex((session), "session", sizeof("session") - 1, \
                            LIBSSH2_CHANNEL_WINDOW_DEFAULT, LIBSSH2_CHANNEL_PACKET_DEFAULT, \
                            NULL, 0)

/* libssh2_channel_direct_tcpip_ex opens a "direct-tcpip" channel to
 * |host|:|port|, reporting |shost|:|sport| as the originator. */
LIBSSH2_API LIBSSH2_CHANNEL *libssh2_channel_direct_tcpip_ex(LIBSSH2_SESSION *session,
                                                             const char *host, int port,
                                                             const char *shost, int sport);
#define libssh2_channel_direct_tcpip(session, host, port) \
    libssh2_channel_direct_tcpip_ex((session), (host), (port), "127.0.0.1", 22)

/* libssh2_channel_direct_streamlocal_ex opens a
 * "direct-streamlocal@openssh.com" channel to the server-side Unix socket
 * |socket_path|. */
LIBSSH2_API LIBSSH2_CHANNEL *libssh2_channel_direct_streamlocal_ex(LIBSSH2_SESSION *session,
                                                                   const char *socket_path,
                                                                   const char *shost,
                                                                   int sport);

/* libssh2_channel_forward_listen_ex asks the server to listen on
 * |host|:|port| ("tcpip-forward"); port 0 lets it choose, reported in
 * *bound_port. Returns a listener or NULL. */
LIBSSH2_API LIBSSH2_LISTENER *libssh2_channel_forward_listen_ex(LIBSSH2_SESSION *session,
                                                                const char *host, int port,
                                                                int *bound_port,
                                                                int queue_maxsize);
#define libssh2_channel_forward_listen(session, port) \
    libssh2_channel_forward_listen_ex((session), NULL, (port), NULL, 16)

/* libssh2_channel_forward_cancel cancels and frees |listener|. */
LIBSSH2_API int libssh2_channel_forward_cancel(LIBSSH2_LISTENER *listener);

/* libssh2_channel_forward_accept returns the next forwarded connection as
 * a channel, or NULL (EAGAIN or error). */
LIBSSH2_API LIBSSH2_CHANNEL *libssh2_channel_forward_accept(LIBSSH2_LISTENER *listener);

/* libssh2_channel_setenv_ex sends an "env" request. */
LIBSSH2_API int libssh2_channel_setenv_ex(LIBSSH2_CHANNEL *channel, const char *varname,
                                          unsigned int varname_len, const char *value,
                                          unsigned int value_len);
#define libssh2_channel_setenv(channel, varname, value) \
    libssh2_channel_setenv_ex((channel), (varname), (unsigned int)strlen(varname), (value), \
                              (unsigned int)strlen(value))

/* libssh2_channel_request_auth_agent sends an
 * "auth-agent-req@openssh.com" request (agent forwarding). */
LIBSSH2_API int libssh2_channel_request_auth_agent(LIBSSH2_CHANNEL *channel);

/* libssh2_channel_request_pty_ex sends a "pty-req" request with encoded
 * terminal |modes| (RFC 4254 8) and geometry. */
LIBSSH2_API int libssh2_channel_request_pty_ex(LIBSSH2_CHANNEL *channel, const char *term,
                                               unsigned int term_len, const char *modes,
                                               unsigned int modes_len, int width, int height,
                                               int width_px, int height_px);
#define libssh2_channel_request_pty(channel, term) \
    libssh2_channel_request_pty_ex((channel), (term), (unsigned int)strlen(term), NULL, 0, \
                                   LIBSSH2_TERM_WIDTH, LIBSSH2_TERM_HEIGHT, \
                                   LIBSSH2_TERM_WIDTH_PX, LIBSSH2_TERM_HEIGHT_PX)

/* libssh2_channel_request_pty_size_ex sends a "window-change" request. */
LIBSSH2_API int libssh2_channel_request_pty_size_ex(LIBSSH2_CHANNEL *channel, int width,
                                                    int height, int width_px, int height_px);
#define libssh2_channel_request_pty_size(channel, width, height) \
    libssh2_channel_request_pty_size_ex((channel), (width), (height), 0, 0)

/* libssh2_channel_x11_req_ex sends an "x11-req" request; NULL proto and
 * cookie mean MIT-MAGIC-COOKIE-1 with a random cookie. */
LIBSSH2_API int libssh2_channel_x11_req_ex(LIBSSH2_CHANNEL *channel, int single_connection,
                                           const char *auth_proto, const char *auth_cookie,
                                           int screen_number);
#define libssh2_channel_x11_req(channel, screen_number) \
    libssh2_channel_x11_req_ex((channel), 0, NULL, NULL, (screen_number))

/* libssh2_channel_signal_ex sends a "signal" request; |signame| is the
 * name without the "SIG" prefix. */
LIBSSH2_API int libssh2_channel_signal_ex(LIBSSH2_CHANNEL *channel, const char *signame,
                                          size_t signame_len);
#define libssh2_channel_signal(channel, signame) \
    libssh2_channel_signal_ex((channel), (signame), strlen(signame))

/* libssh2_channel_process_startup sends a "shell", "exec" or "subsystem"
 * request (|request|) with its optional argument |message|. */
LIBSSH2_API int libssh2_channel_process_startup(LIBSSH2_CHANNEL *channel, const char *request,
                                                unsigned int request_len, const char *message,
                                                unsigned int message_len);
#define libssh2_channel_shell(channel) \
    libssh2_channel_process_startup((channel), "shell", sizeof("shell") - 1, NULL, 0)
#define libssh2_channel_exec(channel, command) \
    libssh2_channel_process_startup((channel), "exec", sizeof("exec") - 1, (command), \
                                    (unsigned int)strlen(command))
#define libssh2_channel_subsystem(channel, subsystem) \
    libssh2_channel_process_startup((channel), "subsystem", sizeof("subsystem") - 1, \
                                    (subsystem), (unsigned int)strlen(subsystem))

/* libssh2_channel_read_ex copies up to |buflen| bytes of stream |stream_id|
 * (0 = data, SSH_EXTENDED_DATA_STDERR = stderr) into |buf|. Returns the
 * byte count (0 does not mean EOF: see libssh2_channel_eof()), EAGAIN, or
 * a negative error. */
LIBSSH2_API ssize_t libssh2_channel_read_ex(LIBSSH2_CHANNEL *channel, int stream_id,
                                            char *buf, size_t buflen);
#define libssh2_channel_read(channel, buf, buflen) \
    libssh2_channel_read_ex((channel), 0, (buf), (buflen))
#define libssh2_channel_read_stderr(channel, buf, buflen) \
    libssh2_channel_read_ex((channel), SSH_EXTENDED_DATA_STDERR, (buf), (buflen))

#ifndef LIBSSH2_NO_DEPRECATED
/* libssh2_poll_channel_read returns 1 if data (|extended|: extended data)
 * is waiting on |channel|, else 0. */
LIBSSH2_DEPRECATED(1.1.0, "Use libssh2_channel_window_read_ex()")
LIBSSH2_API int libssh2_poll_channel_read(LIBSSH2_CHANNEL *channel, int extended);
#endif

/* libssh2_channel_window_read_ex returns the bytes the server may still
 * send us; optionally the bytes buffered and the initial window size. */
LIBSSH2_API unsigned long libssh2_channel_window_read_ex(LIBSSH2_CHANNEL *channel,
                                                         unsigned long *read_avail,
                                                         unsigned long *window_size_initial);
#define libssh2_channel_window_read(channel) \
    libssh2_channel_window_read_ex((channel), NULL, NULL)

#ifndef LIBSSH2_NO_DEPRECATED
/* libssh2_channel_receive_window_adjust is receive_window_adjust2()
 * returning the new window size (or an error cast to unsigned long). */
LIBSSH2_DEPRECATED(1.1.0, "Use libssh2_channel_receive_window_adjust2()")
LIBSSH2_API unsigned long libssh2_channel_receive_window_adjust(LIBSSH2_CHANNEL *channel,
                                                                unsigned long adjustment,
                                                                unsigned char force);
#endif

/* libssh2_channel_receive_window_adjust2 grows our receive window by
 * |adjustment| (small values are held back unless |force|); stores the new
 * window in *storewindow. Returns 0, EAGAIN or an error. */
LIBSSH2_API int libssh2_channel_receive_window_adjust2(LIBSSH2_CHANNEL *channel,
                                                       unsigned long adjustment,
                                                       unsigned char force,
                                                       unsigned int *storewindow);

/* libssh2_channel_write_ex sends up to |buflen| bytes on stream
 * |stream_id|. Returns the bytes accepted, EAGAIN, or a negative error. */
LIBSSH2_API ssize_t libssh2_channel_write_ex(LIBSSH2_CHANNEL *channel, int stream_id,
                                             const char *buf, size_t buflen);
#define libssh2_channel_write(channel, buf, buflen) \
    libssh2_channel_write_ex((channel), 0, (buf), (buflen))
#define libssh2_channel_write_stderr(channel, buf, buflen) \
    libssh2_channel_write_ex((channel), SSH_EXTENDED_DATA_STDERR, (buf), (buflen))

/* libssh2_channel_window_write_ex returns the bytes we may still send;
 * optionally the server's initial window size. */
LIBSSH2_API unsigned long libssh2_channel_window_write_ex(LIBSSH2_CHANNEL *channel,
                                                          unsigned long *window_size_initial);
#define libssh2_channel_window_write(channel) libssh2_channel_window_write_ex((channel), NULL)

/* libssh2_session_set_blocking selects blocking (nonzero) or non-blocking
 * mode for every call on the session. */
LIBSSH2_API void libssh2_session_set_blocking(LIBSSH2_SESSION *session, int blocking);

/* libssh2_session_get_blocking returns 1 if the session blocks, else 0. */
LIBSSH2_API int libssh2_session_get_blocking(LIBSSH2_SESSION *session);

/* libssh2_channel_set_blocking is libssh2_session_set_blocking() on the
 * channel's session. */
LIBSSH2_API void libssh2_channel_set_blocking(LIBSSH2_CHANNEL *channel, int blocking);

/* libssh2_session_set_timeout bounds each blocking call (milliseconds,
 * 0 = no limit); a call that runs out returns LIBSSH2_ERROR_TIMEOUT. */
LIBSSH2_API void libssh2_session_set_timeout(LIBSSH2_SESSION *session, long timeout);

/* libssh2_session_get_timeout returns the blocking timeout in ms. */
LIBSSH2_API long libssh2_session_get_timeout(LIBSSH2_SESSION *session);

/* libssh2_session_set_read_timeout sets how long (seconds; 0 = the
 * default, 60) a blocking call waits for the next packet from the server. */
LIBSSH2_API void libssh2_session_set_read_timeout(LIBSSH2_SESSION *session, long timeout);

/* libssh2_session_get_read_timeout returns the packet read timeout (s). */
LIBSSH2_API long libssh2_session_get_read_timeout(LIBSSH2_SESSION *session);

#ifndef LIBSSH2_NO_DEPRECATED
/* libssh2_channel_handle_extended_data is handle_extended_data2() without
 * a result. */
LIBSSH2_DEPRECATED(1.1.0, "Use libssh2_channel_handle_extended_data2()")
LIBSSH2_API void libssh2_channel_handle_extended_data(LIBSSH2_CHANNEL *channel,
                                                      int ignore_mode);
#endif

/* libssh2_channel_handle_extended_data2 chooses what happens to stderr
 * data (LIBSSH2_CHANNEL_EXTENDED_DATA_*). Returns 0, EAGAIN or error. */
LIBSSH2_API int libssh2_channel_handle_extended_data2(LIBSSH2_CHANNEL *channel,
                                                      int ignore_mode);

#ifndef LIBSSH2_NO_DEPRECATED
/* Pre-1.0 spelling: ignore (nonzero) or keep stderr data. */
#define libssh2_channel_ignore_extended_data(channel, ignore) \
    libssh2_channel_handle_extended_data((channel), \
                                         (ignore) ? LIBSSH2_CHANNEL_EXTENDED_DATA_IGNORE \
                                                  : LIBSSH2_CHANNEL_EXTENDED_DATA_NORMAL)
#endif

/* streamid values for libssh2_channel_flush_ex() besides 0 and 1. */
#define LIBSSH2_CHANNEL_FLUSH_EXTENDED_DATA (-1)
#define LIBSSH2_CHANNEL_FLUSH_ALL (-2)

/* libssh2_channel_flush_ex discards buffered incoming data of |streamid|.
 * Returns the bytes discarded, EAGAIN or an error. */
LIBSSH2_API int libssh2_channel_flush_ex(LIBSSH2_CHANNEL *channel, int streamid);
#define libssh2_channel_flush(channel) libssh2_channel_flush_ex((channel), 0)
#define libssh2_channel_flush_stderr(channel) \
    libssh2_channel_flush_ex((channel), SSH_EXTENDED_DATA_STDERR)

/* libssh2_channel_get_exit_status returns the remote command's exit
 * status, or 0 if none was received. */
LIBSSH2_API int libssh2_channel_get_exit_status(LIBSSH2_CHANNEL *channel);

/* libssh2_channel_has_exit_status returns 1 if an "exit-status" request
 * was received, else 0. */
LIBSSH2_API int libssh2_channel_has_exit_status(LIBSSH2_CHANNEL *channel);

/* libssh2_channel_get_exit_signal stores copies (caller frees with
 * libssh2_free()) of the "exit-signal" name, message and language tag,
 * or NULL where absent. Returns 0 or an error. */
LIBSSH2_API int libssh2_channel_get_exit_signal(LIBSSH2_CHANNEL *channel, char **exitsignal,
                                                size_t *exitsignal_len, char **errmsg,
                                                size_t *errmsg_len, char **langtag,
                                                size_t *langtag_len);

/* libssh2_channel_send_eof sends SSH_MSG_CHANNEL_EOF. */
LIBSSH2_API int libssh2_channel_send_eof(LIBSSH2_CHANNEL *channel);

/* libssh2_channel_eof returns 1 if the server sent EOF and all data was
 * read, 0 if not, or a negative error. */
LIBSSH2_API int libssh2_channel_eof(LIBSSH2_CHANNEL *channel);

/* libssh2_channel_wait_eof waits for the server's EOF. */
LIBSSH2_API int libssh2_channel_wait_eof(LIBSSH2_CHANNEL *channel);

/* libssh2_channel_close sends SSH_MSG_CHANNEL_CLOSE (and EOF if needed). */
LIBSSH2_API int libssh2_channel_close(LIBSSH2_CHANNEL *channel);

/* libssh2_channel_wait_closed waits for the server's CLOSE. */
LIBSSH2_API int libssh2_channel_wait_closed(LIBSSH2_CHANNEL *channel);

/* libssh2_channel_free closes (if needed) and frees |channel|. */
LIBSSH2_API int libssh2_channel_free(LIBSSH2_CHANNEL *channel);

/* ------------------------------------------------------------------ */
/* SCP                                                                 */
/* ------------------------------------------------------------------ */

#ifndef LIBSSH2_NO_DEPRECATED
/* libssh2_scp_recv is libssh2_scp_recv2() with a plain struct stat. */
LIBSSH2_DEPRECATED(1.7.0, "Use libssh2_scp_recv2()")
LIBSSH2_API LIBSSH2_CHANNEL *libssh2_scp_recv(LIBSSH2_SESSION *session, const char *path,
                                              struct stat *sb);
#endif

/* libssh2_scp_recv2 starts downloading |path|; fills *sb (size, mode,
 * times) and returns a channel to read the file from, or NULL. */
LIBSSH2_API LIBSSH2_CHANNEL *libssh2_scp_recv2(LIBSSH2_SESSION *session, const char *path,
                                               libssh2_struct_stat *sb);

#ifndef LIBSSH2_NO_DEPRECATED
/* libssh2_scp_send_ex is libssh2_scp_send64() with a size_t size. */
LIBSSH2_DEPRECATED(1.2.6, "Use libssh2_scp_send64()")
LIBSSH2_API LIBSSH2_CHANNEL *libssh2_scp_send_ex(LIBSSH2_SESSION *session, const char *path,
                                                 int mode, size_t size, long mtime,
                                                 long atime);
#define libssh2_scp_send(session, path, mode, size) \
    libssh2_scp_send_ex((session), (path), (mode), (size), 0, 0)
#endif

/* libssh2_scp_send64 starts uploading |size| bytes to |path| with |mode|
 * (and times, when nonzero); returns a channel to write them to, or NULL. */
LIBSSH2_API LIBSSH2_CHANNEL *libssh2_scp_send64(LIBSSH2_SESSION *session, const char *path,
                                                int mode, libssh2_int64_t size, time_t mtime,
                                                time_t atime);

/* ------------------------------------------------------------------ */
/* Misc                                                                */
/* ------------------------------------------------------------------ */

#ifndef LIBSSH2_NO_DEPRECATED
/* libssh2_base64_decode decodes |src| into *dest (caller frees with
 * libssh2_free()). Returns 0 or an error. */
LIBSSH2_DEPRECATED(1.0, "")
LIBSSH2_API int libssh2_base64_decode(LIBSSH2_SESSION *session, char **dest,
                                      unsigned int *dest_len, const char *src,
                                      unsigned int src_len);
#endif

/* libssh2_version returns LIBSSH2_VERSION if this library is at least
 * |req_version_num| (LIBSSH2_VERSION_NUM format), else NULL. */
LIBSSH2_API const char *libssh2_version(int req_version_num);

/* Crypto backends a libssh2 build may use. */
typedef enum {
    libssh2_no_crypto = 0,
    libssh2_openssl,
    libssh2_gcrypt,
    libssh2_mbedtls,
    libssh2_wincng,
    libssh2_os400qc3
} libssh2_crypto_engine_t;

/* libssh2_crypto_engine names the crypto backend (ssh2core: mbedTLS with
 * libsodium, reported as libssh2_mbedtls). */
LIBSSH2_API libssh2_crypto_engine_t libssh2_crypto_engine(void);

/* libssh2_build_options returns a static, space-separated description of
 * how the library was built. */
LIBSSH2_API const char *libssh2_build_options(void);

/* Feature test macros: the API family exists since this version. */
#define HAVE_LIBSSH2_KNOWNHOST_API 0x010101
#define HAVE_LIBSSH2_VERSION_API 0x010100
#define HAVE_LIBSSH2_CRYPTOENGINE_API 0x011100

/* ------------------------------------------------------------------ */
/* Known hosts                                                         */
/* ------------------------------------------------------------------ */

/* One known_hosts entry as seen by the application (library-owned). */
struct libssh2_knownhost {
    unsigned int magic;   /* set by the library */
    void *node;           /* the library's internal entry */
    char *name;           /* plain host name, NULL if stored hashed */
    char *key;            /* key, base64 */
    int typemask;         /* LIBSSH2_KNOWNHOST_* bits */
};

/* libssh2_knownhost_init creates an empty collection bound to |session|. */
LIBSSH2_API LIBSSH2_KNOWNHOSTS *libssh2_knownhost_init(LIBSSH2_SESSION *session);

/* typemask: host name format (bits 0-15). */
#define LIBSSH2_KNOWNHOST_TYPE_MASK 0xffff
#define LIBSSH2_KNOWNHOST_TYPE_PLAIN 1
#define LIBSSH2_KNOWNHOST_TYPE_SHA1 2   /* HMAC-SHA1 "|1|salt|hash", base64 */
#define LIBSSH2_KNOWNHOST_TYPE_CUSTOM 3

/* typemask: key encoding (bits 16-17). */
#define LIBSSH2_KNOWNHOST_KEYENC_MASK (3 << 16)
#define LIBSSH2_KNOWNHOST_KEYENC_RAW (1 << 16)
#define LIBSSH2_KNOWNHOST_KEYENC_BASE64 (2 << 16)

/* typemask: key algorithm (bits 18-21). */
#define LIBSSH2_KNOWNHOST_KEY_MASK (15 << 18)
#define LIBSSH2_KNOWNHOST_KEY_SHIFT 18
#define LIBSSH2_KNOWNHOST_KEY_RSA1 (1 << 18)
#define LIBSSH2_KNOWNHOST_KEY_SSHRSA (2 << 18)
#define LIBSSH2_KNOWNHOST_KEY_SSHDSS (3 << 18)
#define LIBSSH2_KNOWNHOST_KEY_ECDSA_256 (4 << 18)
#define LIBSSH2_KNOWNHOST_KEY_ECDSA_384 (5 << 18)
#define LIBSSH2_KNOWNHOST_KEY_ECDSA_521 (6 << 18)
#define LIBSSH2_KNOWNHOST_KEY_ED25519 (7 << 18)
#define LIBSSH2_KNOWNHOST_KEY_UNKNOWN (15 << 18)

#ifndef LIBSSH2_NO_DEPRECATED
/* libssh2_knownhost_add is libssh2_knownhost_addc() without a comment. */
LIBSSH2_DEPRECATED(1.2.5, "Use libssh2_knownhost_addc()")
LIBSSH2_API int libssh2_knownhost_add(LIBSSH2_KNOWNHOSTS *hosts, const char *host,
                                      const char *salt, const char *key, size_t keylen,
                                      int typemask, struct libssh2_knownhost **store);
#endif

/* libssh2_knownhost_addc adds |host| (format per |typemask|; |salt| for
 * TYPE_SHA1) with |key| (keylen 0: NUL-terminated base64) and an optional
 * |comment|; *store (optional) receives the new entry. */
LIBSSH2_API int libssh2_knownhost_addc(LIBSSH2_KNOWNHOSTS *hosts, const char *host,
                                       const char *salt, const char *key, size_t keylen,
                                       const char *comment, size_t commentlen, int typemask,
                                       struct libssh2_knownhost **store);

/* Results of libssh2_knownhost_check[p](). */
#define LIBSSH2_KNOWNHOST_CHECK_MATCH 0
#define LIBSSH2_KNOWNHOST_CHECK_MISMATCH 1
#define LIBSSH2_KNOWNHOST_CHECK_NOTFOUND 2
#define LIBSSH2_KNOWNHOST_CHECK_FAILURE 3

/* libssh2_knownhost_check looks |host| and |key| up; returns a
 * LIBSSH2_KNOWNHOST_CHECK_* value and, if given, the entry in *store. */
LIBSSH2_API int libssh2_knownhost_check(LIBSSH2_KNOWNHOSTS *hosts, const char *host,
                                        const char *key, size_t keylen, int typemask,
                                        struct libssh2_knownhost **store);

/* libssh2_knownhost_checkp is libssh2_knownhost_check() for |host| on
 * |port| (entries written "[host]:port" when port is not 22). */
LIBSSH2_API int libssh2_knownhost_checkp(LIBSSH2_KNOWNHOSTS *hosts, const char *host,
                                         int port, const char *key, size_t keylen,
                                         int typemask, struct libssh2_knownhost **store);

/* libssh2_knownhost_del removes and frees |entry|. */
LIBSSH2_API int libssh2_knownhost_del(LIBSSH2_KNOWNHOSTS *hosts,
                                      struct libssh2_knownhost *entry);

/* libssh2_knownhost_free frees the collection and all its entries. */
LIBSSH2_API void libssh2_knownhost_free(LIBSSH2_KNOWNHOSTS *hosts);

/* File format for the read/write functions (the only one). */
#define LIBSSH2_KNOWNHOST_FILE_OPENSSH 1

/* libssh2_knownhost_readline parses one known_hosts line of |type|. */
LIBSSH2_API int libssh2_knownhost_readline(LIBSSH2_KNOWNHOSTS *hosts, const char *line,
                                           size_t len, int type);

/* libssh2_knownhost_readfile reads a known_hosts file; returns the number
 * of entries added or a negative error. */
LIBSSH2_API int libssh2_knownhost_readfile(LIBSSH2_KNOWNHOSTS *hosts, const char *filename,
                                           int type);

/* libssh2_knownhost_writeline formats |known| as one line into |buffer|;
 * *outlen gets its length. LIBSSH2_ERROR_BUFFER_TOO_SMALL if it won't fit. */
LIBSSH2_API int libssh2_knownhost_writeline(LIBSSH2_KNOWNHOSTS *hosts,
                                            struct libssh2_knownhost *known, char *buffer,
                                            size_t buflen, size_t *outlen, int type);

/* libssh2_knownhost_writefile writes the whole collection to |filename|. */
LIBSSH2_API int libssh2_knownhost_writefile(LIBSSH2_KNOWNHOSTS *hosts, const char *filename,
                                            int type);

/* libssh2_knownhost_get iterates: |prev| NULL gives the first entry.
 * Returns 0 with *store set, 1 at the end, or a negative error. */
LIBSSH2_API int libssh2_knownhost_get(LIBSSH2_KNOWNHOSTS *hosts,
                                      struct libssh2_knownhost **store,
                                      struct libssh2_knownhost *prev);

/* ------------------------------------------------------------------ */
/* ssh-agent                                                           */
/* ------------------------------------------------------------------ */

#define HAVE_LIBSSH2_AGENT_API 0x010202

/* One identity held by the agent (library-owned). */
struct libssh2_agent_publickey {
    unsigned int magic;   /* set by the library */
    void *node;           /* the library's internal entry */
    unsigned char *blob;  /* public key blob */
    size_t blob_len;
    char *comment;        /* NUL-terminated comment */
};

/* libssh2_agent_init creates an agent handle (not yet connected). */
LIBSSH2_API LIBSSH2_AGENT *libssh2_agent_init(LIBSSH2_SESSION *session);

/* libssh2_agent_connect connects to $SSH_AUTH_SOCK or the set path. */
LIBSSH2_API int libssh2_agent_connect(LIBSSH2_AGENT *agent);

/* libssh2_agent_list_identities fetches the agent's identities. */
LIBSSH2_API int libssh2_agent_list_identities(LIBSSH2_AGENT *agent);

/* libssh2_agent_get_identity iterates: |prev| NULL gives the first one.
 * Returns 0 with *store set, 1 at the end, or a negative error. */
LIBSSH2_API int libssh2_agent_get_identity(LIBSSH2_AGENT *agent,
                                           struct libssh2_agent_publickey **store,
                                           struct libssh2_agent_publickey *prev);

/* libssh2_agent_userauth authenticates |username| with |identity|, the
 * agent signing. */
LIBSSH2_API int libssh2_agent_userauth(LIBSSH2_AGENT *agent, const char *username,
                                       struct libssh2_agent_publickey *identity);

/* libssh2_agent_sign has the agent sign |data| with |identity| using
 * signature algorithm |method|; *sig (caller frees with libssh2_free())
 * gets the signature blob. */
LIBSSH2_API int libssh2_agent_sign(LIBSSH2_AGENT *agent,
                                   struct libssh2_agent_publickey *identity,
                                   unsigned char **sig, size_t *s_len,
                                   const unsigned char *data, size_t d_len,
                                   const char *method, unsigned int method_len);

/* libssh2_agent_disconnect closes the agent connection. */
LIBSSH2_API int libssh2_agent_disconnect(LIBSSH2_AGENT *agent);

/* libssh2_agent_free frees the handle and its identities. */
LIBSSH2_API void libssh2_agent_free(LIBSSH2_AGENT *agent);

/* libssh2_agent_set_identity_path sets the agent socket path to use
 * instead of $SSH_AUTH_SOCK (copied; NULL clears). */
LIBSSH2_API void libssh2_agent_set_identity_path(LIBSSH2_AGENT *agent, const char *path);

/* libssh2_agent_get_identity_path returns the path set above, or NULL. */
LIBSSH2_API const char *libssh2_agent_get_identity_path(LIBSSH2_AGENT *agent);

/* ------------------------------------------------------------------ */
/* Keepalive                                                           */
/* ------------------------------------------------------------------ */

/* libssh2_keepalive_config sends a keepalive after |interval| idle seconds
 * (0 disables; 1 is treated as 2), asking for a reply if |want_reply|. */
LIBSSH2_API void libssh2_keepalive_config(LIBSSH2_SESSION *session, int want_reply,
                                          unsigned int interval);

/* libssh2_keepalive_send sends a keepalive if one is due and stores the
 * seconds until the next one in *seconds_to_next. Returns 0 or
 * LIBSSH2_ERROR_SOCKET_SEND. */
LIBSSH2_API int libssh2_keepalive_send(LIBSSH2_SESSION *session, int *seconds_to_next);

/* ------------------------------------------------------------------ */
/* Tracing                                                             */
/* ------------------------------------------------------------------ */

/* libssh2_trace enables the LIBSSH2_TRACE_* categories in |bitmask|. */
LIBSSH2_API int libssh2_trace(LIBSSH2_SESSION *session, int bitmask);
#define LIBSSH2_TRACE_TRANS (1 << 1)
#define LIBSSH2_TRACE_KEX (1 << 2)
#define LIBSSH2_TRACE_AUTH (1 << 3)
#define LIBSSH2_TRACE_CONN (1 << 4)
#define LIBSSH2_TRACE_SCP (1 << 5)
#define LIBSSH2_TRACE_SFTP (1 << 6)
#define LIBSSH2_TRACE_ERROR (1 << 7)
#define LIBSSH2_TRACE_PUBLICKEY (1 << 8)
#define LIBSSH2_TRACE_SOCKET (1 << 9)

/* Receives each trace line (not NUL-terminated) and the handler context. */
typedef void (*libssh2_trace_handler_func)(LIBSSH2_SESSION *session, void *context,
                                           const char *data, size_t length);

/* libssh2_trace_sethandler sends trace output to |callback| instead of
 * stderr. */
LIBSSH2_API int libssh2_trace_sethandler(LIBSSH2_SESSION *session, void *context,
                                         libssh2_trace_handler_func callback);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* !RC_INVOKED */

#endif /* LIBSSH2_H */
