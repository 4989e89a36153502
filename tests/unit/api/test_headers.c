/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Public header conformance: the three libssh2 headers and ssh2core.h
 * against the libssh2 1.11.1 API contract (shared/LIBSSH2-API.md).
 *
 *  1. Compile time: the exact prototype of all 140 API functions
 *     (_Generic on &fn, an unevaluated operand, so nothing is referenced at
 *     link time and unimplemented functions are fine), the callback
 *     signature macros, field types of the public structs.
 *  2. Run time: struct sizes and offsets on x86_64, constant values, and
 *     the arguments every function-like macro passes: each target
 *     function name is redirected to a recorder below, so the macro's
 *     expansion is actually called and its arguments checked.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "libssh2.h"
#include "libssh2_publickey.h"
#include "libssh2_sftp.h"
#include "ssh2core.h"

#if defined(LIBSSH2_NO_DEPRECATED)
#error "this test covers the deprecated declarations too"
#endif

/* ------------------------------------------------------------------ */
/* 1. Prototypes of all 140 functions (contract section 3)             */
/* ------------------------------------------------------------------ */

#define S2_SIG(fn, ...) \
    _Static_assert(_Generic(&fn, __VA_ARGS__: 1, default: 0), #fn " prototype differs")

/* The 13 deprecated functions are named here too; silence their warnings. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
S2_SIG(libssh2_base64_decode, int (*)(LIBSSH2_SESSION *session, char **dest, unsigned int *dest_len,
       const char *src, unsigned int src_len));
S2_SIG(libssh2_build_options, const char *(*)(void));
S2_SIG(libssh2_crypto_engine, libssh2_crypto_engine_t (*)(void));
S2_SIG(libssh2_exit, void (*)(void));
S2_SIG(libssh2_free, void (*)(LIBSSH2_SESSION *session, void *ptr));
S2_SIG(libssh2_init, int (*)(int flags));
S2_SIG(libssh2_poll, int (*)(LIBSSH2_POLLFD *fds, unsigned int nfds, long timeout_ms));
S2_SIG(libssh2_version, const char *(*)(int req_version_num));
S2_SIG(libssh2_banner_set, int (*)(LIBSSH2_SESSION *session, const char *banner));
S2_SIG(libssh2_session_abstract, void **(*)(LIBSSH2_SESSION *session));
S2_SIG(libssh2_session_banner_get, const char *(*)(LIBSSH2_SESSION *session));
S2_SIG(libssh2_session_banner_set, int (*)(LIBSSH2_SESSION *session, const char *banner));
S2_SIG(libssh2_session_block_directions, int (*)(LIBSSH2_SESSION *session));
S2_SIG(libssh2_session_callback_set, void *(*)(LIBSSH2_SESSION *session, int cbtype,
       void *callback));
S2_SIG(libssh2_session_callback_set2, libssh2_cb_generic *(*)(LIBSSH2_SESSION *session, int cbtype,
       libssh2_cb_generic *callback));
S2_SIG(libssh2_session_disconnect_ex, int (*)(LIBSSH2_SESSION *session, int reason,
       const char *description, const char *lang));
S2_SIG(libssh2_session_flag, int (*)(LIBSSH2_SESSION *session, int flag, int value));
S2_SIG(libssh2_session_free, int (*)(LIBSSH2_SESSION *session));
S2_SIG(libssh2_session_get_blocking, int (*)(LIBSSH2_SESSION *session));
S2_SIG(libssh2_session_get_read_timeout, long (*)(LIBSSH2_SESSION *session));
S2_SIG(libssh2_session_get_timeout, long (*)(LIBSSH2_SESSION *session));
S2_SIG(libssh2_session_handshake, int (*)(LIBSSH2_SESSION *session, libssh2_socket_t sock));
S2_SIG(libssh2_session_init_ex, LIBSSH2_SESSION *(*)(LIBSSH2_ALLOC_FUNC(*my_alloc),
       LIBSSH2_FREE_FUNC(*my_free), LIBSSH2_REALLOC_FUNC(*my_realloc), void *abstract));
S2_SIG(libssh2_session_last_errno, int (*)(LIBSSH2_SESSION *session));
S2_SIG(libssh2_session_last_error, int (*)(LIBSSH2_SESSION *session, char **errmsg, int *errmsg_len,
       int want_buf));
S2_SIG(libssh2_session_method_pref, int (*)(LIBSSH2_SESSION *session, int method_type,
       const char *prefs));
S2_SIG(libssh2_session_methods, const char *(*)(LIBSSH2_SESSION *session, int method_type));
S2_SIG(libssh2_session_set_blocking, void (*)(LIBSSH2_SESSION *session, int blocking));
S2_SIG(libssh2_session_set_last_error, int (*)(LIBSSH2_SESSION *session, int errcode,
       const char *errmsg));
S2_SIG(libssh2_session_set_read_timeout, void (*)(LIBSSH2_SESSION *session, long timeout_s));
S2_SIG(libssh2_session_set_timeout, void (*)(LIBSSH2_SESSION *session, long timeout_ms));
S2_SIG(libssh2_session_startup, int (*)(LIBSSH2_SESSION *session, int sock));
S2_SIG(libssh2_session_supported_algs, int (*)(LIBSSH2_SESSION *session, int method_type,
       const char ***algs));
S2_SIG(libssh2_hostkey_hash, const char *(*)(LIBSSH2_SESSION *session, int hash_type));
S2_SIG(libssh2_knownhost_add, int (*)(LIBSSH2_KNOWNHOSTS *hosts, const char *host, const char *salt,
       const char *key, size_t keylen, int typemask, struct libssh2_knownhost **store));
S2_SIG(libssh2_knownhost_addc, int (*)(LIBSSH2_KNOWNHOSTS *hosts, const char *host,
       const char *salt, const char *key, size_t keylen, const char *comment, size_t commentlen,
       int typemask, struct libssh2_knownhost **store));
S2_SIG(libssh2_knownhost_check, int (*)(LIBSSH2_KNOWNHOSTS *hosts, const char *host,
       const char *key, size_t keylen, int typemask, struct libssh2_knownhost **store));
S2_SIG(libssh2_knownhost_checkp, int (*)(LIBSSH2_KNOWNHOSTS *hosts, const char *host, int port,
       const char *key, size_t keylen, int typemask, struct libssh2_knownhost **store));
S2_SIG(libssh2_knownhost_del, int (*)(LIBSSH2_KNOWNHOSTS *hosts, struct libssh2_knownhost *entry));
S2_SIG(libssh2_knownhost_free, void (*)(LIBSSH2_KNOWNHOSTS *hosts));
S2_SIG(libssh2_knownhost_get, int (*)(LIBSSH2_KNOWNHOSTS *hosts, struct libssh2_knownhost **store,
       struct libssh2_knownhost *prev));
S2_SIG(libssh2_knownhost_init, LIBSSH2_KNOWNHOSTS *(*)(LIBSSH2_SESSION *session));
S2_SIG(libssh2_knownhost_readfile, int (*)(LIBSSH2_KNOWNHOSTS *hosts, const char *filename,
       int type));
S2_SIG(libssh2_knownhost_readline, int (*)(LIBSSH2_KNOWNHOSTS *hosts, const char *line, size_t len,
       int type));
S2_SIG(libssh2_knownhost_writefile, int (*)(LIBSSH2_KNOWNHOSTS *hosts, const char *filename,
       int type));
S2_SIG(libssh2_knownhost_writeline, int (*)(LIBSSH2_KNOWNHOSTS *hosts,
       struct libssh2_knownhost *known, char *buffer, size_t buflen, size_t *outlen, int type));
S2_SIG(libssh2_session_hostkey, const char *(*)(LIBSSH2_SESSION *session, size_t *len, int *type));
S2_SIG(libssh2_sign_sk, int (*)(LIBSSH2_SESSION *session, unsigned char **sig, size_t *sig_len,
       const unsigned char *data, size_t data_len, void **abstract));
S2_SIG(libssh2_userauth_authenticated, int (*)(LIBSSH2_SESSION *session));
S2_SIG(libssh2_userauth_banner, int (*)(LIBSSH2_SESSION *session, char **banner));
S2_SIG(libssh2_userauth_hostbased_fromfile_ex, int (*)(LIBSSH2_SESSION *session,
       const char *username, unsigned int username_len, const char *pubkeyfile,
       const char *privkeyfile, const char *passphrase, const char *hostname,
       unsigned int hostname_len, const char *local_username, unsigned int local_username_len));
S2_SIG(libssh2_userauth_keyboard_interactive_ex, int (*)(LIBSSH2_SESSION *session,
       const char *username, unsigned int username_len,
       LIBSSH2_USERAUTH_KBDINT_RESPONSE_FUNC(*response_callback)));
S2_SIG(libssh2_userauth_list, char *(*)(LIBSSH2_SESSION *session, const char *username,
       unsigned int username_len));
S2_SIG(libssh2_userauth_password_ex, int (*)(LIBSSH2_SESSION *session, const char *username,
       unsigned int username_len, const char *password, unsigned int password_len,
       LIBSSH2_PASSWD_CHANGEREQ_FUNC(*passwd_change_cb)));
S2_SIG(libssh2_userauth_publickey, int (*)(LIBSSH2_SESSION *session, const char *username,
       const unsigned char *pubkeydata, size_t pubkeydata_len,
       LIBSSH2_USERAUTH_PUBLICKEY_SIGN_FUNC(*sign_callback), void **abstract));
S2_SIG(libssh2_userauth_publickey_fromfile_ex, int (*)(LIBSSH2_SESSION *session,
       const char *username, unsigned int username_len, const char *pubkeyfile,
       const char *privkeyfile, const char *passphrase));
S2_SIG(libssh2_userauth_publickey_frommemory, int (*)(LIBSSH2_SESSION *session,
       const char *username, size_t username_len, const char *pubkeyblob, size_t pubkeyblob_len,
       const char *privkeyblob, size_t privkeyblob_len, const char *passphrase));
S2_SIG(libssh2_userauth_publickey_sk, int (*)(LIBSSH2_SESSION *session, const char *username,
       size_t username_len, const unsigned char *publickeydata, size_t publickeydata_len,
       const char *privkeyblob, size_t privkeyblob_len, const char *passphrase,
       LIBSSH2_USERAUTH_SK_SIGN_FUNC(*sign_callback), void **abstract));
S2_SIG(libssh2_channel_close, int (*)(LIBSSH2_CHANNEL *channel));
S2_SIG(libssh2_channel_eof, int (*)(LIBSSH2_CHANNEL *channel));
S2_SIG(libssh2_channel_flush_ex, int (*)(LIBSSH2_CHANNEL *channel, int streamid));
S2_SIG(libssh2_channel_free, int (*)(LIBSSH2_CHANNEL *channel));
S2_SIG(libssh2_channel_get_exit_signal, int (*)(LIBSSH2_CHANNEL *channel, char **exitsignal,
       size_t *exitsignal_len, char **errmsg, size_t *errmsg_len, char **langtag,
       size_t *langtag_len));
S2_SIG(libssh2_channel_get_exit_status, int (*)(LIBSSH2_CHANNEL *channel));
S2_SIG(libssh2_channel_handle_extended_data, void (*)(LIBSSH2_CHANNEL *channel, int ignore_mode));
S2_SIG(libssh2_channel_handle_extended_data2, int (*)(LIBSSH2_CHANNEL *channel, int ignore_mode));
S2_SIG(libssh2_channel_has_exit_status, int (*)(LIBSSH2_CHANNEL *channel));
S2_SIG(libssh2_channel_open_ex, LIBSSH2_CHANNEL *(*)(LIBSSH2_SESSION *session,
       const char *channel_type, unsigned int channel_type_len, unsigned int window_size,
       unsigned int packet_size, const char *message, unsigned int message_len));
S2_SIG(libssh2_channel_process_startup, int (*)(LIBSSH2_CHANNEL *channel, const char *request,
       unsigned int request_len, const char *message, unsigned int message_len));
S2_SIG(libssh2_channel_read_ex, ssize_t (*)(LIBSSH2_CHANNEL *channel, int stream_id, char *buf,
       size_t buflen));
S2_SIG(libssh2_channel_receive_window_adjust, unsigned long (*)(LIBSSH2_CHANNEL *channel,
       unsigned long adjustment, unsigned char force));
S2_SIG(libssh2_channel_receive_window_adjust2, int (*)(LIBSSH2_CHANNEL *channel,
       unsigned long adjustment, unsigned char force, unsigned int *storewindow));
S2_SIG(libssh2_channel_request_auth_agent, int (*)(LIBSSH2_CHANNEL *channel));
S2_SIG(libssh2_channel_request_pty_ex, int (*)(LIBSSH2_CHANNEL *channel, const char *term,
       unsigned int term_len, const char *modes, unsigned int modes_len, int width, int height,
       int width_px, int height_px));
S2_SIG(libssh2_channel_request_pty_size_ex, int (*)(LIBSSH2_CHANNEL *channel, int width, int height,
       int width_px, int height_px));
S2_SIG(libssh2_channel_send_eof, int (*)(LIBSSH2_CHANNEL *channel));
S2_SIG(libssh2_channel_set_blocking, void (*)(LIBSSH2_CHANNEL *channel, int blocking));
S2_SIG(libssh2_channel_setenv_ex, int (*)(LIBSSH2_CHANNEL *channel, const char *varname,
       unsigned int varname_len, const char *value, unsigned int value_len));
S2_SIG(libssh2_channel_signal_ex, int (*)(LIBSSH2_CHANNEL *channel, const char *signame,
       size_t signame_len));
S2_SIG(libssh2_channel_wait_closed, int (*)(LIBSSH2_CHANNEL *channel));
S2_SIG(libssh2_channel_wait_eof, int (*)(LIBSSH2_CHANNEL *channel));
S2_SIG(libssh2_channel_window_read_ex, unsigned long (*)(LIBSSH2_CHANNEL *channel,
       unsigned long *read_avail, unsigned long *window_size_initial));
S2_SIG(libssh2_channel_window_write_ex, unsigned long (*)(LIBSSH2_CHANNEL *channel,
       unsigned long *window_size_initial));
S2_SIG(libssh2_channel_write_ex, ssize_t (*)(LIBSSH2_CHANNEL *channel, int stream_id,
       const char *buf, size_t buflen));
S2_SIG(libssh2_channel_x11_req_ex, int (*)(LIBSSH2_CHANNEL *channel, int single_connection,
       const char *auth_proto, const char *auth_cookie, int screen_number));
S2_SIG(libssh2_poll_channel_read, int (*)(LIBSSH2_CHANNEL *channel, int extended));
S2_SIG(libssh2_channel_direct_streamlocal_ex, LIBSSH2_CHANNEL *(*)(LIBSSH2_SESSION *session,
       const char *socket_path, const char *shost, int sport));
S2_SIG(libssh2_channel_direct_tcpip_ex, LIBSSH2_CHANNEL *(*)(LIBSSH2_SESSION *session,
       const char *host, int port, const char *shost, int sport));
S2_SIG(libssh2_channel_forward_accept, LIBSSH2_CHANNEL *(*)(LIBSSH2_LISTENER *listener));
S2_SIG(libssh2_channel_forward_cancel, int (*)(LIBSSH2_LISTENER *listener));
S2_SIG(libssh2_channel_forward_listen_ex, LIBSSH2_LISTENER *(*)(LIBSSH2_SESSION *session,
       const char *host, int port, int *bound_port, int queue_maxsize));
S2_SIG(libssh2_scp_recv, LIBSSH2_CHANNEL *(*)(LIBSSH2_SESSION *session, const char *path,
       struct stat *sb));
S2_SIG(libssh2_scp_recv2, LIBSSH2_CHANNEL *(*)(LIBSSH2_SESSION *session, const char *path,
       libssh2_struct_stat *sb));
S2_SIG(libssh2_scp_send64, LIBSSH2_CHANNEL *(*)(LIBSSH2_SESSION *session, const char *path,
       int mode, libssh2_int64_t size, time_t mtime, time_t atime));
S2_SIG(libssh2_scp_send_ex, LIBSSH2_CHANNEL *(*)(LIBSSH2_SESSION *session, const char *path,
       int mode, size_t size, long mtime, long atime));
S2_SIG(libssh2_sftp_close_handle, int (*)(LIBSSH2_SFTP_HANDLE *handle));
S2_SIG(libssh2_sftp_fstat_ex, int (*)(LIBSSH2_SFTP_HANDLE *handle, LIBSSH2_SFTP_ATTRIBUTES *attrs,
       int setstat));
S2_SIG(libssh2_sftp_fstatvfs, int (*)(LIBSSH2_SFTP_HANDLE *handle, LIBSSH2_SFTP_STATVFS *st));
S2_SIG(libssh2_sftp_fsync, int (*)(LIBSSH2_SFTP_HANDLE *handle));
S2_SIG(libssh2_sftp_get_channel, LIBSSH2_CHANNEL *(*)(LIBSSH2_SFTP *sftp));
S2_SIG(libssh2_sftp_init, LIBSSH2_SFTP *(*)(LIBSSH2_SESSION *session));
S2_SIG(libssh2_sftp_last_error, unsigned long (*)(LIBSSH2_SFTP *sftp));
S2_SIG(libssh2_sftp_mkdir_ex, int (*)(LIBSSH2_SFTP *sftp, const char *path, unsigned int path_len,
       long mode));
S2_SIG(libssh2_sftp_open_ex, LIBSSH2_SFTP_HANDLE *(*)(LIBSSH2_SFTP *sftp, const char *filename,
       unsigned int filename_len, unsigned long flags, long mode, int open_type));
S2_SIG(libssh2_sftp_open_ex_r, LIBSSH2_SFTP_HANDLE *(*)(LIBSSH2_SFTP *sftp, const char *filename,
       size_t filename_len, unsigned long flags, long mode, int open_type,
       LIBSSH2_SFTP_ATTRIBUTES *attrs));
S2_SIG(libssh2_sftp_posix_rename_ex, int (*)(LIBSSH2_SFTP *sftp, const char *source_filename,
       size_t source_filename_len, const char *dest_filename, size_t dest_filename_len));
S2_SIG(libssh2_sftp_read, ssize_t (*)(LIBSSH2_SFTP_HANDLE *handle, char *buffer,
       size_t buffer_maxlen));
S2_SIG(libssh2_sftp_readdir_ex, int (*)(LIBSSH2_SFTP_HANDLE *handle, char *buffer,
       size_t buffer_maxlen, char *longentry, size_t longentry_maxlen,
       LIBSSH2_SFTP_ATTRIBUTES *attrs));
S2_SIG(libssh2_sftp_rename_ex, int (*)(LIBSSH2_SFTP *sftp, const char *source_filename,
       unsigned int source_filename_len, const char *dest_filename, unsigned int dest_filename_len,
       long flags));
S2_SIG(libssh2_sftp_rmdir_ex, int (*)(LIBSSH2_SFTP *sftp, const char *path, unsigned int path_len));
S2_SIG(libssh2_sftp_seek, void (*)(LIBSSH2_SFTP_HANDLE *handle, size_t offset));
S2_SIG(libssh2_sftp_seek64, void (*)(LIBSSH2_SFTP_HANDLE *handle, libssh2_uint64_t offset));
S2_SIG(libssh2_sftp_shutdown, int (*)(LIBSSH2_SFTP *sftp));
S2_SIG(libssh2_sftp_stat_ex, int (*)(LIBSSH2_SFTP *sftp, const char *path, unsigned int path_len,
       int stat_type, LIBSSH2_SFTP_ATTRIBUTES *attrs));
S2_SIG(libssh2_sftp_statvfs, int (*)(LIBSSH2_SFTP *sftp, const char *path, size_t path_len,
       LIBSSH2_SFTP_STATVFS *st));
S2_SIG(libssh2_sftp_symlink_ex, int (*)(LIBSSH2_SFTP *sftp, const char *path, unsigned int path_len,
       char *target, unsigned int target_len, int link_type));
S2_SIG(libssh2_sftp_tell, size_t (*)(LIBSSH2_SFTP_HANDLE *handle));
S2_SIG(libssh2_sftp_tell64, libssh2_uint64_t (*)(LIBSSH2_SFTP_HANDLE *handle));
S2_SIG(libssh2_sftp_unlink_ex, int (*)(LIBSSH2_SFTP *sftp, const char *filename,
       unsigned int filename_len));
S2_SIG(libssh2_sftp_write, ssize_t (*)(LIBSSH2_SFTP_HANDLE *handle, const char *buffer,
       size_t count));
S2_SIG(libssh2_agent_connect, int (*)(LIBSSH2_AGENT *agent));
S2_SIG(libssh2_agent_disconnect, int (*)(LIBSSH2_AGENT *agent));
S2_SIG(libssh2_agent_free, void (*)(LIBSSH2_AGENT *agent));
S2_SIG(libssh2_agent_get_identity, int (*)(LIBSSH2_AGENT *agent,
       struct libssh2_agent_publickey **store, struct libssh2_agent_publickey *prev));
S2_SIG(libssh2_agent_get_identity_path, const char *(*)(LIBSSH2_AGENT *agent));
S2_SIG(libssh2_agent_init, LIBSSH2_AGENT *(*)(LIBSSH2_SESSION *session));
S2_SIG(libssh2_agent_list_identities, int (*)(LIBSSH2_AGENT *agent));
S2_SIG(libssh2_agent_set_identity_path, void (*)(LIBSSH2_AGENT *agent, const char *path));
S2_SIG(libssh2_agent_sign, int (*)(LIBSSH2_AGENT *agent, struct libssh2_agent_publickey *identity,
       unsigned char **sig, size_t *s_len, const unsigned char *data, size_t d_len,
       const char *method, unsigned int method_len));
S2_SIG(libssh2_agent_userauth, int (*)(LIBSSH2_AGENT *agent, const char *username,
       struct libssh2_agent_publickey *identity));
S2_SIG(libssh2_publickey_add_ex, int (*)(LIBSSH2_PUBLICKEY *pkey, const unsigned char *name,
       unsigned long name_len, const unsigned char *blob, unsigned long blob_len, char overwrite,
       unsigned long num_attrs, const libssh2_publickey_attribute attrs[]));
S2_SIG(libssh2_publickey_init, LIBSSH2_PUBLICKEY *(*)(LIBSSH2_SESSION *session));
S2_SIG(libssh2_publickey_list_fetch, int (*)(LIBSSH2_PUBLICKEY *pkey, unsigned long *num_keys,
       libssh2_publickey_list **pkey_list));
S2_SIG(libssh2_publickey_list_free, void (*)(LIBSSH2_PUBLICKEY *pkey,
       libssh2_publickey_list *pkey_list));
S2_SIG(libssh2_publickey_remove_ex, int (*)(LIBSSH2_PUBLICKEY *pkey, const unsigned char *name,
       unsigned long name_len, const unsigned char *blob, unsigned long blob_len));
S2_SIG(libssh2_publickey_shutdown, int (*)(LIBSSH2_PUBLICKEY *pkey));
S2_SIG(libssh2_keepalive_config, void (*)(LIBSSH2_SESSION *session, int want_reply,
       unsigned int interval_s));
S2_SIG(libssh2_keepalive_send, int (*)(LIBSSH2_SESSION *session, int *seconds_to_next));
S2_SIG(libssh2_trace, int (*)(LIBSSH2_SESSION *session, int bitmask));
S2_SIG(libssh2_trace_sethandler, int (*)(LIBSSH2_SESSION *session, void *context,
       libssh2_trace_handler_func callback));
#pragma GCC diagnostic pop

/* ssh2core extensions (ssh2core.h). */
S2_SIG(ssh2core_set_allocator, int (*)(void *(*)(size_t), void *(*)(void *, size_t),
                                       void (*)(void *)));
S2_SIG(ssh2core_session_rekey, int (*)(LIBSSH2_SESSION *));
S2_SIG(ssh2core_session_set_rekey_limits, void (*)(LIBSSH2_SESSION *, uint64_t, long));
S2_SIG(ssh2core_session_strict_kex, int (*)(LIBSSH2_SESSION *));
S2_SIG(ssh2core_session_kex_count, int (*)(LIBSSH2_SESSION *));

/* Scalar types (contract section 5). */
#define S2_TYPE(expr, type) \
    _Static_assert(_Generic((expr), type: 1, default: 0), #expr " is not " #type)
S2_TYPE((libssh2_uint64_t)0, unsigned long long);
S2_TYPE((libssh2_int64_t)0, long long);
S2_TYPE((libssh2_socket_t)0, int);
S2_TYPE((libssh2_struct_stat_size)0, off_t);
S2_TYPE((libssh2_crypto_engine_t)0, libssh2_crypto_engine_t);
_Static_assert(sizeof(libssh2_struct_stat) == sizeof(struct stat), "struct stat");

/* Field types where the 1.10 -> 1.11 change matters. */
#define S2_FIELD(type, field) (((const type *)0)->field)
S2_TYPE(S2_FIELD(LIBSSH2_USERAUTH_KBDINT_PROMPT, text), unsigned char *);
S2_TYPE(S2_FIELD(LIBSSH2_USERAUTH_KBDINT_PROMPT, length), size_t);
S2_TYPE(S2_FIELD(LIBSSH2_USERAUTH_KBDINT_PROMPT, echo), unsigned char);
S2_TYPE(S2_FIELD(LIBSSH2_USERAUTH_KBDINT_RESPONSE, text), char *);
S2_TYPE(S2_FIELD(LIBSSH2_USERAUTH_KBDINT_RESPONSE, length), unsigned int);
S2_TYPE(S2_FIELD(LIBSSH2_SK_SIG_INFO, flags), uint8_t);
S2_TYPE(S2_FIELD(LIBSSH2_SK_SIG_INFO, counter), uint32_t);
S2_TYPE(S2_FIELD(LIBSSH2_SFTP_ATTRIBUTES, flags), unsigned long);
S2_TYPE(S2_FIELD(LIBSSH2_SFTP_ATTRIBUTES, filesize), libssh2_uint64_t);
S2_TYPE(S2_FIELD(LIBSSH2_SFTP_ATTRIBUTES, mtime), unsigned long);
S2_TYPE(S2_FIELD(LIBSSH2_POLLFD, fd.socket), libssh2_socket_t);
S2_TYPE(S2_FIELD(LIBSSH2_POLLFD, revents), unsigned long);

/* ------------------------------------------------------------------ */
/* Callback signature macros (contract section 6)                      */
/* ------------------------------------------------------------------ */

static LIBSSH2_ALLOC_FUNC(cb_alloc)
{
    (void)abstract;
    return count == 0 ? NULL : NULL;
}
static LIBSSH2_REALLOC_FUNC(cb_realloc)
{
    (void)count;
    (void)abstract;
    return ptr;
}
static LIBSSH2_FREE_FUNC(cb_free)
{
    (void)ptr;
    (void)abstract;
}
static LIBSSH2_USERAUTH_PUBLICKEY_SIGN_FUNC(cb_pk_sign)
{
    return 0;
}
static LIBSSH2_USERAUTH_KBDINT_RESPONSE_FUNC(cb_kbdint)
{
}
static LIBSSH2_USERAUTH_SK_SIGN_FUNC(cb_sk_sign)
{
    return 0;
}
static LIBSSH2_PASSWD_CHANGEREQ_FUNC(cb_passwd)
{
}
static LIBSSH2_IGNORE_FUNC(cb_ignore)
{
}
static LIBSSH2_DEBUG_FUNC(cb_debug)
{
}
static LIBSSH2_DISCONNECT_FUNC(cb_disconnect)
{
}
static LIBSSH2_MACERROR_FUNC(cb_macerror)
{
    return 0;
}
static LIBSSH2_X11_OPEN_FUNC(cb_x11)
{
}
static LIBSSH2_AUTHAGENT_FUNC(cb_authagent)
{
}
static LIBSSH2_ADD_IDENTITIES_FUNC(cb_add_ids)
{
}
static LIBSSH2_AUTHAGENT_SIGN_FUNC(cb_agent_sign)
{
    return 0;
}
static LIBSSH2_CHANNEL_CLOSE_FUNC(cb_chclose)
{
}
static LIBSSH2_RECV_FUNC(cb_recv)
{
    return 0;
}
static LIBSSH2_SEND_FUNC(cb_send)
{
    return 0;
}
static void
cb_trace(LIBSSH2_SESSION *session, void *context, const char *data, size_t length)
{
}

S2_SIG(cb_alloc, void *(*)(size_t, void **));
S2_SIG(cb_realloc, void *(*)(void *, size_t, void **));
S2_SIG(cb_free, void (*)(void *, void **));
S2_SIG(cb_pk_sign, int (*)(LIBSSH2_SESSION *, unsigned char **, size_t *, const unsigned char *,
                           size_t, void **));
S2_SIG(cb_kbdint, void (*)(const char *, int, const char *, int, int,
                           const LIBSSH2_USERAUTH_KBDINT_PROMPT *,
                           LIBSSH2_USERAUTH_KBDINT_RESPONSE *, void **));
S2_SIG(cb_sk_sign, int (*)(LIBSSH2_SESSION *, LIBSSH2_SK_SIG_INFO *, const unsigned char *,
                           size_t, int, uint8_t, const char *, const unsigned char *, size_t,
                           void **));
S2_SIG(cb_passwd, void (*)(LIBSSH2_SESSION *, char **, int *, void **));
S2_SIG(cb_ignore, void (*)(LIBSSH2_SESSION *, const char *, int, void **));
S2_SIG(cb_debug, void (*)(LIBSSH2_SESSION *, int, const char *, int, const char *, int, void **));
S2_SIG(cb_disconnect,
       void (*)(LIBSSH2_SESSION *, int, const char *, int, const char *, int, void **));
S2_SIG(cb_macerror, int (*)(LIBSSH2_SESSION *, const char *, int, void **));
S2_SIG(cb_x11, void (*)(LIBSSH2_SESSION *, LIBSSH2_CHANNEL *, const char *, int, void **));
S2_SIG(cb_authagent, void (*)(LIBSSH2_SESSION *, LIBSSH2_CHANNEL *, void **));
S2_SIG(cb_add_ids, void (*)(LIBSSH2_SESSION *, void *, const char *, void **));
S2_SIG(cb_agent_sign, int (*)(LIBSSH2_SESSION *, unsigned char *, unsigned int,
                              const unsigned char *, unsigned int, unsigned char **,
                              unsigned int *, const char *, void **));
S2_SIG(cb_chclose, void (*)(LIBSSH2_SESSION *, void **, LIBSSH2_CHANNEL *, void **));
S2_SIG(cb_recv, ssize_t (*)(libssh2_socket_t, void *, size_t, int, void **));
S2_SIG(cb_send, ssize_t (*)(libssh2_socket_t, const void *, size_t, int, void **));
S2_SIG(cb_trace, libssh2_trace_handler_func);

/* The callbacks fit the parameters and struct fields that take them. */
static void
test_callback_slots(void **state)
{
    LIBSSH2_PRIVKEY_SK sk;
    libssh2_trace_handler_func th = cb_trace;
    libssh2_cb_generic *g = (libssh2_cb_generic *)cb_ignore;
    (void)state;

    memset(&sk, 0, sizeof(sk));
    sk.sign_callback = cb_sk_sign;
    assert_ptr_equal(sk.sign_callback, cb_sk_sign);
    assert_ptr_equal(th, cb_trace);
    assert_non_null(g);
    /* Every callback defined through the macros is a real function. */
    assert_non_null(cb_alloc);
    assert_non_null(cb_realloc);
    assert_non_null(cb_free);
    assert_non_null(cb_pk_sign);
    assert_non_null(cb_kbdint);
    assert_non_null(cb_passwd);
    assert_non_null(cb_debug);
    assert_non_null(cb_disconnect);
    assert_non_null(cb_macerror);
    assert_non_null(cb_x11);
    assert_non_null(cb_authagent);
    assert_non_null(cb_add_ids);
    assert_non_null(cb_agent_sign);
    assert_non_null(cb_chclose);
    assert_non_null(cb_recv);
    assert_non_null(cb_send);
    assert_int_equal(cb_realloc(&sk, 1, NULL) == &sk, 1);
    assert_null(cb_alloc(0, NULL));
}

/* ------------------------------------------------------------------ */
/* 2. Struct layouts (contract section 5, measured on x86_64)          */
/* ------------------------------------------------------------------ */

#define CHECK_OFF(type, field, off) assert_int_equal(offsetof(type, field), (off))

static void
test_struct_layouts(void **state)
{
    (void)state;
#if defined(__x86_64__)
    assert_int_equal(sizeof(LIBSSH2_USERAUTH_KBDINT_PROMPT), 24);
    CHECK_OFF(LIBSSH2_USERAUTH_KBDINT_PROMPT, text, 0);
    CHECK_OFF(LIBSSH2_USERAUTH_KBDINT_PROMPT, length, 8);
    CHECK_OFF(LIBSSH2_USERAUTH_KBDINT_PROMPT, echo, 16);
    /* Not the 1.10 layout (16 bytes, echo at 12). */
    assert_int_not_equal(sizeof(LIBSSH2_USERAUTH_KBDINT_PROMPT), 16);

    assert_int_equal(sizeof(LIBSSH2_USERAUTH_KBDINT_RESPONSE), 16);
    CHECK_OFF(LIBSSH2_USERAUTH_KBDINT_RESPONSE, text, 0);
    CHECK_OFF(LIBSSH2_USERAUTH_KBDINT_RESPONSE, length, 8);

    assert_int_equal(sizeof(struct libssh2_knownhost), 40);
    CHECK_OFF(struct libssh2_knownhost, magic, 0);
    CHECK_OFF(struct libssh2_knownhost, node, 8);
    CHECK_OFF(struct libssh2_knownhost, name, 16);
    CHECK_OFF(struct libssh2_knownhost, key, 24);
    CHECK_OFF(struct libssh2_knownhost, typemask, 32);

    assert_int_equal(sizeof(struct libssh2_agent_publickey), 40);
    CHECK_OFF(struct libssh2_agent_publickey, magic, 0);
    CHECK_OFF(struct libssh2_agent_publickey, node, 8);
    CHECK_OFF(struct libssh2_agent_publickey, blob, 16);
    CHECK_OFF(struct libssh2_agent_publickey, blob_len, 24);
    CHECK_OFF(struct libssh2_agent_publickey, comment, 32);

    assert_int_equal(sizeof(LIBSSH2_SFTP_ATTRIBUTES), 56);
    CHECK_OFF(LIBSSH2_SFTP_ATTRIBUTES, flags, 0);
    CHECK_OFF(LIBSSH2_SFTP_ATTRIBUTES, filesize, 8);
    CHECK_OFF(LIBSSH2_SFTP_ATTRIBUTES, uid, 16);
    CHECK_OFF(LIBSSH2_SFTP_ATTRIBUTES, gid, 24);
    CHECK_OFF(LIBSSH2_SFTP_ATTRIBUTES, permissions, 32);
    CHECK_OFF(LIBSSH2_SFTP_ATTRIBUTES, atime, 40);
    CHECK_OFF(LIBSSH2_SFTP_ATTRIBUTES, mtime, 48);

    assert_int_equal(sizeof(LIBSSH2_SFTP_STATVFS), 88);
    CHECK_OFF(LIBSSH2_SFTP_STATVFS, f_bsize, 0);
    CHECK_OFF(LIBSSH2_SFTP_STATVFS, f_frsize, 8);
    CHECK_OFF(LIBSSH2_SFTP_STATVFS, f_blocks, 16);
    CHECK_OFF(LIBSSH2_SFTP_STATVFS, f_bfree, 24);
    CHECK_OFF(LIBSSH2_SFTP_STATVFS, f_bavail, 32);
    CHECK_OFF(LIBSSH2_SFTP_STATVFS, f_files, 40);
    CHECK_OFF(LIBSSH2_SFTP_STATVFS, f_ffree, 48);
    CHECK_OFF(LIBSSH2_SFTP_STATVFS, f_favail, 56);
    CHECK_OFF(LIBSSH2_SFTP_STATVFS, f_fsid, 64);
    CHECK_OFF(LIBSSH2_SFTP_STATVFS, f_flag, 72);
    CHECK_OFF(LIBSSH2_SFTP_STATVFS, f_namemax, 80);

    assert_int_equal(sizeof(LIBSSH2_POLLFD), 32);
    CHECK_OFF(LIBSSH2_POLLFD, type, 0);
    CHECK_OFF(LIBSSH2_POLLFD, fd, 8);
    CHECK_OFF(LIBSSH2_POLLFD, fd.socket, 8);
    CHECK_OFF(LIBSSH2_POLLFD, fd.channel, 8);
    CHECK_OFF(LIBSSH2_POLLFD, fd.listener, 8);
    CHECK_OFF(LIBSSH2_POLLFD, events, 16);
    CHECK_OFF(LIBSSH2_POLLFD, revents, 24);

    assert_int_equal(sizeof(libssh2_publickey_attribute), 40);
    CHECK_OFF(libssh2_publickey_attribute, name, 0);
    CHECK_OFF(libssh2_publickey_attribute, name_len, 8);
    CHECK_OFF(libssh2_publickey_attribute, value, 16);
    CHECK_OFF(libssh2_publickey_attribute, value_len, 24);
    CHECK_OFF(libssh2_publickey_attribute, mandatory, 32);

    assert_int_equal(sizeof(libssh2_publickey_list), 56);
    CHECK_OFF(libssh2_publickey_list, packet, 0);
    CHECK_OFF(libssh2_publickey_list, name, 8);
    CHECK_OFF(libssh2_publickey_list, name_len, 16);
    CHECK_OFF(libssh2_publickey_list, blob, 24);
    CHECK_OFF(libssh2_publickey_list, blob_len, 32);
    CHECK_OFF(libssh2_publickey_list, num_attrs, 40);
    CHECK_OFF(libssh2_publickey_list, attrs, 48);

    assert_int_equal(sizeof(LIBSSH2_SK_SIG_INFO), 40);
    CHECK_OFF(LIBSSH2_SK_SIG_INFO, flags, 0);
    CHECK_OFF(LIBSSH2_SK_SIG_INFO, counter, 4);
    CHECK_OFF(LIBSSH2_SK_SIG_INFO, sig_r, 8);
    CHECK_OFF(LIBSSH2_SK_SIG_INFO, sig_r_len, 16);
    CHECK_OFF(LIBSSH2_SK_SIG_INFO, sig_s, 24);
    CHECK_OFF(LIBSSH2_SK_SIG_INFO, sig_s_len, 32);

    assert_int_equal(sizeof(LIBSSH2_PRIVKEY_SK), 48);
    CHECK_OFF(LIBSSH2_PRIVKEY_SK, algorithm, 0);
    CHECK_OFF(LIBSSH2_PRIVKEY_SK, flags, 4);
    CHECK_OFF(LIBSSH2_PRIVKEY_SK, application, 8);
    CHECK_OFF(LIBSSH2_PRIVKEY_SK, key_handle, 16);
    CHECK_OFF(LIBSSH2_PRIVKEY_SK, handle_len, 24);
    CHECK_OFF(LIBSSH2_PRIVKEY_SK, sign_callback, 32);
    CHECK_OFF(LIBSSH2_PRIVKEY_SK, orig_abstract, 40);

    assert_int_equal(sizeof(libssh2_struct_stat), 144);
#else
    skip();
#endif
}

/* ------------------------------------------------------------------ */
/* Constants (contract sections 6, 7)                                  */
/* ------------------------------------------------------------------ */

static void
test_version(void **state)
{
    (void)state;
    assert_string_equal(LIBSSH2_VERSION, "1.11.1");
    assert_int_equal(LIBSSH2_VERSION_MAJOR, 1);
    assert_int_equal(LIBSSH2_VERSION_MINOR, 11);
    assert_int_equal(LIBSSH2_VERSION_PATCH, 1);
    assert_int_equal(LIBSSH2_VERSION_NUM, 0x010b01);
    assert_int_equal(LIBSSH2_VERSION_NUM, (LIBSSH2_VERSION_MAJOR << 16) |
                                              (LIBSSH2_VERSION_MINOR << 8) |
                                              LIBSSH2_VERSION_PATCH);
    /* What curl tests at compile time. */
#if LIBSSH2_VERSION_NUM < 0x010b01
#error "curl would not use libssh2_session_callback_set2"
#endif
    assert_string_equal(LIBSSH2_SSH_BANNER, "SSH-2.0-libssh2_1.11.1");
    assert_string_equal(LIBSSH2_SSH_DEFAULT_BANNER, LIBSSH2_SSH_BANNER);
    assert_string_equal(LIBSSH2_SSH_DEFAULT_BANNER_WITH_CRLF, "SSH-2.0-libssh2_1.11.1\r\n");
    /* RFC 4253 4.2: no spaces or '-' in the software version part. */
    assert_null(strchr(LIBSSH2_VERSION, ' '));
    assert_null(strchr(LIBSSH2_VERSION, '-'));
    assert_non_null(LIBSSH2_COPYRIGHT);
    assert_non_null(LIBSSH2_TIMESTAMP);
    assert_int_equal(HAVE_LIBSSH2_KNOWNHOST_API, 0x010101);
    assert_int_equal(HAVE_LIBSSH2_VERSION_API, 0x010100);
    assert_int_equal(HAVE_LIBSSH2_AGENT_API, 0x010202);
    assert_int_equal(HAVE_LIBSSH2_CRYPTOENGINE_API, 0x011100);
#ifndef HAVE_LIBSSH2_SESSION_BLOCK_DIRECTION
    fail_msg("HAVE_LIBSSH2_SESSION_BLOCK_DIRECTION missing");
#endif
    assert_int_equal(SSH2CORE_API_VERSION, 1);
    assert_int_equal(libssh2_no_crypto, 0);
    assert_int_equal(libssh2_openssl, 1);
    assert_int_equal(libssh2_gcrypt, 2);
    assert_int_equal(libssh2_mbedtls, 3);
    assert_int_equal(libssh2_wincng, 4);
    assert_int_equal(libssh2_os400qc3, 5);
}

static void
test_error_codes(void **state)
{
    static const int codes[] = {
        LIBSSH2_ERROR_SOCKET_NONE, LIBSSH2_ERROR_BANNER_RECV, LIBSSH2_ERROR_BANNER_SEND,
        LIBSSH2_ERROR_INVALID_MAC, LIBSSH2_ERROR_KEX_FAILURE, LIBSSH2_ERROR_ALLOC,
        LIBSSH2_ERROR_SOCKET_SEND, LIBSSH2_ERROR_KEY_EXCHANGE_FAILURE, LIBSSH2_ERROR_TIMEOUT,
        LIBSSH2_ERROR_HOSTKEY_INIT, LIBSSH2_ERROR_HOSTKEY_SIGN, LIBSSH2_ERROR_DECRYPT,
        LIBSSH2_ERROR_SOCKET_DISCONNECT, LIBSSH2_ERROR_PROTO, LIBSSH2_ERROR_PASSWORD_EXPIRED,
        LIBSSH2_ERROR_FILE, LIBSSH2_ERROR_METHOD_NONE, LIBSSH2_ERROR_AUTHENTICATION_FAILED,
        LIBSSH2_ERROR_PUBLICKEY_UNVERIFIED, LIBSSH2_ERROR_CHANNEL_OUTOFORDER,
        LIBSSH2_ERROR_CHANNEL_FAILURE, LIBSSH2_ERROR_CHANNEL_REQUEST_DENIED,
        LIBSSH2_ERROR_CHANNEL_UNKNOWN, LIBSSH2_ERROR_CHANNEL_WINDOW_EXCEEDED,
        LIBSSH2_ERROR_CHANNEL_PACKET_EXCEEDED, LIBSSH2_ERROR_CHANNEL_CLOSED,
        LIBSSH2_ERROR_CHANNEL_EOF_SENT, LIBSSH2_ERROR_SCP_PROTOCOL, LIBSSH2_ERROR_ZLIB,
        LIBSSH2_ERROR_SOCKET_TIMEOUT, LIBSSH2_ERROR_SFTP_PROTOCOL, LIBSSH2_ERROR_REQUEST_DENIED,
        LIBSSH2_ERROR_METHOD_NOT_SUPPORTED, LIBSSH2_ERROR_INVAL, LIBSSH2_ERROR_INVALID_POLL_TYPE,
        LIBSSH2_ERROR_PUBLICKEY_PROTOCOL, LIBSSH2_ERROR_EAGAIN, LIBSSH2_ERROR_BUFFER_TOO_SMALL,
        LIBSSH2_ERROR_BAD_USE, LIBSSH2_ERROR_COMPRESS, LIBSSH2_ERROR_OUT_OF_BOUNDARY,
        LIBSSH2_ERROR_AGENT_PROTOCOL, LIBSSH2_ERROR_SOCKET_RECV, LIBSSH2_ERROR_ENCRYPT,
        LIBSSH2_ERROR_BAD_SOCKET, LIBSSH2_ERROR_KNOWN_HOSTS, LIBSSH2_ERROR_CHANNEL_WINDOW_FULL,
        LIBSSH2_ERROR_KEYFILE_AUTH_FAILED, LIBSSH2_ERROR_RANDGEN,
        LIBSSH2_ERROR_MISSING_USERAUTH_BANNER, LIBSSH2_ERROR_ALGO_UNSUPPORTED,
        LIBSSH2_ERROR_MAC_FAILURE, LIBSSH2_ERROR_HASH_INIT, LIBSSH2_ERROR_HASH_CALC,
        LIBSSH2_ERROR_STORE_OVERFLOW,
    };
    size_t i;
    (void)state;

    /* -1 ... -55 in order, no gaps, no duplicates. */
    assert_int_equal(sizeof(codes) / sizeof(codes[0]), 55);
    for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
        assert_int_equal(codes[i], -(int)(i + 1));
    }
    assert_int_equal(LIBSSH2_ERROR_NONE, 0);
    assert_int_equal(LIBSSH2_ERROR_EAGAIN, -37);
    assert_int_equal(LIBSSH2_ERROR_PUBLICKEY_UNRECOGNIZED, -18);
    assert_int_equal(LIBSSH2_ERROR_BANNER_NONE, -2);
    assert_int_equal(LIBSSH2CHANNEL_EAGAIN, -37);
    assert_int_equal(LIBSSH2SFTP_EAGAIN, -37);
    /* Parenthesised: usable after a unary operator or a subtraction. */
    assert_int_equal(2 - LIBSSH2_ERROR_SOCKET_NONE, 3);
    assert_int_equal(-LIBSSH2_ERROR_STORE_OVERFLOW, 55);
}

static void
test_session_constants(void **state)
{
    (void)state;
    assert_int_equal(LIBSSH2_INIT_NO_CRYPTO, 1);
    assert_int_equal(LIBSSH2_METHOD_KEX, 0);
    assert_int_equal(LIBSSH2_METHOD_HOSTKEY, 1);
    assert_int_equal(LIBSSH2_METHOD_CRYPT_CS, 2);
    assert_int_equal(LIBSSH2_METHOD_CRYPT_SC, 3);
    assert_int_equal(LIBSSH2_METHOD_MAC_CS, 4);
    assert_int_equal(LIBSSH2_METHOD_MAC_SC, 5);
    assert_int_equal(LIBSSH2_METHOD_COMP_CS, 6);
    assert_int_equal(LIBSSH2_METHOD_COMP_SC, 7);
    assert_int_equal(LIBSSH2_METHOD_LANG_CS, 8);
    assert_int_equal(LIBSSH2_METHOD_LANG_SC, 9);
    assert_int_equal(LIBSSH2_METHOD_SIGN_ALGO, 10);
    assert_int_equal(LIBSSH2_FLAG_SIGPIPE, 1);
    assert_int_equal(LIBSSH2_FLAG_COMPRESS, 2);
    assert_int_equal(LIBSSH2_FLAG_QUOTE_PATHS, 3);
    assert_int_equal(LIBSSH2_SESSION_BLOCK_INBOUND, 1);
    assert_int_equal(LIBSSH2_SESSION_BLOCK_OUTBOUND, 2);
    assert_int_equal(LIBSSH2_HOSTKEY_HASH_MD5, 1);
    assert_int_equal(LIBSSH2_HOSTKEY_HASH_SHA1, 2);
    assert_int_equal(LIBSSH2_HOSTKEY_HASH_SHA256, 3);
    assert_int_equal(LIBSSH2_HOSTKEY_TYPE_UNKNOWN, 0);
    assert_int_equal(LIBSSH2_HOSTKEY_TYPE_RSA, 1);
    assert_int_equal(LIBSSH2_HOSTKEY_TYPE_DSS, 2);
    assert_int_equal(LIBSSH2_HOSTKEY_TYPE_ECDSA_256, 3);
    assert_int_equal(LIBSSH2_HOSTKEY_TYPE_ECDSA_384, 4);
    assert_int_equal(LIBSSH2_HOSTKEY_TYPE_ECDSA_521, 5);
    assert_int_equal(LIBSSH2_HOSTKEY_TYPE_ED25519, 6);
    assert_int_equal(SSH_DISCONNECT_HOST_NOT_ALLOWED_TO_CONNECT, 1);
    assert_int_equal(SSH_DISCONNECT_PROTOCOL_ERROR, 2);
    assert_int_equal(SSH_DISCONNECT_KEY_EXCHANGE_FAILED, 3);
    assert_int_equal(SSH_DISCONNECT_RESERVED, 4);
    assert_int_equal(SSH_DISCONNECT_MAC_ERROR, 5);
    assert_int_equal(SSH_DISCONNECT_COMPRESSION_ERROR, 6);
    assert_int_equal(SSH_DISCONNECT_SERVICE_NOT_AVAILABLE, 7);
    assert_int_equal(SSH_DISCONNECT_PROTOCOL_VERSION_NOT_SUPPORTED, 8);
    assert_int_equal(SSH_DISCONNECT_HOST_KEY_NOT_VERIFIABLE, 9);
    assert_int_equal(SSH_DISCONNECT_CONNECTION_LOST, 10);
    assert_int_equal(SSH_DISCONNECT_BY_APPLICATION, 11);
    assert_int_equal(SSH_DISCONNECT_TOO_MANY_CONNECTIONS, 12);
    assert_int_equal(SSH_DISCONNECT_AUTH_CANCELLED_BY_USER, 13);
    assert_int_equal(SSH_DISCONNECT_NO_MORE_AUTH_METHODS_AVAILABLE, 14);
    assert_int_equal(SSH_DISCONNECT_ILLEGAL_USER_NAME, 15);
    assert_int_equal(LIBSSH2_TRACE_TRANS, 1 << 1);
    assert_int_equal(LIBSSH2_TRACE_KEX, 1 << 2);
    assert_int_equal(LIBSSH2_TRACE_AUTH, 1 << 3);
    assert_int_equal(LIBSSH2_TRACE_CONN, 1 << 4);
    assert_int_equal(LIBSSH2_TRACE_SCP, 1 << 5);
    assert_int_equal(LIBSSH2_TRACE_SFTP, 1 << 6);
    assert_int_equal(LIBSSH2_TRACE_ERROR, 1 << 7);
    assert_int_equal(LIBSSH2_TRACE_PUBLICKEY, 1 << 8);
    assert_int_equal(LIBSSH2_TRACE_SOCKET, 1 << 9);
    assert_int_equal(LIBSSH2_SK_PRESENCE_REQUIRED, 0x01);
    assert_int_equal(LIBSSH2_SK_VERIFICATION_REQUIRED, 0x04);
    assert_int_equal(LIBSSH2_CALLBACK_IGNORE, 0);
    assert_int_equal(LIBSSH2_CALLBACK_DEBUG, 1);
    assert_int_equal(LIBSSH2_CALLBACK_DISCONNECT, 2);
    assert_int_equal(LIBSSH2_CALLBACK_MACERROR, 3);
    assert_int_equal(LIBSSH2_CALLBACK_X11, 4);
    assert_int_equal(LIBSSH2_CALLBACK_SEND, 5);
    assert_int_equal(LIBSSH2_CALLBACK_RECV, 6);
    assert_int_equal(LIBSSH2_CALLBACK_AUTHAGENT, 7);
    assert_int_equal(LIBSSH2_CALLBACK_AUTHAGENT_IDENTITIES, 8);
    assert_int_equal(LIBSSH2_CALLBACK_AUTHAGENT_SIGN, 9);
    assert_int_equal(LIBSSH2_INVALID_SOCKET, -1);
    assert_string_equal(LIBSSH2_STRUCT_STAT_SIZE_FORMAT, "%zd");
    assert_int_equal(LIBSSH2_TERM_WIDTH, 80);
    assert_int_equal(LIBSSH2_TERM_HEIGHT, 24);
    assert_int_equal(LIBSSH2_TERM_WIDTH_PX, 0);
    assert_int_equal(LIBSSH2_TERM_HEIGHT_PX, 0);
    assert_int_equal(LIBSSH2_SOCKET_POLL_UDELAY, 250000);
    assert_int_equal(LIBSSH2_SOCKET_POLL_MAXLOOPS, 120);
    assert_int_equal(LIBSSH2_PACKET_MAXCOMP, 32000);
    assert_int_equal(LIBSSH2_PACKET_MAXDECOMP, 40000);
    assert_int_equal(LIBSSH2_PACKET_MAXPAYLOAD, 40000);
}

static void
test_channel_constants(void **state)
{
    (void)state;
    assert_int_equal(LIBSSH2_CHANNEL_WINDOW_DEFAULT, 2 * 1024 * 1024);
    assert_int_equal(LIBSSH2_CHANNEL_PACKET_DEFAULT, 32768);
    assert_int_equal(LIBSSH2_CHANNEL_MINADJUST, 1024);
    assert_int_equal(LIBSSH2_CHANNEL_EXTENDED_DATA_NORMAL, 0);
    assert_int_equal(LIBSSH2_CHANNEL_EXTENDED_DATA_IGNORE, 1);
    assert_int_equal(LIBSSH2_CHANNEL_EXTENDED_DATA_MERGE, 2);
    assert_int_equal(SSH_EXTENDED_DATA_STDERR, 1);
    assert_int_equal(LIBSSH2_CHANNEL_FLUSH_EXTENDED_DATA, -1);
    assert_int_equal(LIBSSH2_CHANNEL_FLUSH_ALL, -2);
    assert_int_equal(LIBSSH2_POLLFD_SOCKET, 1);
    assert_int_equal(LIBSSH2_POLLFD_CHANNEL, 2);
    assert_int_equal(LIBSSH2_POLLFD_LISTENER, 3);
    assert_int_equal(LIBSSH2_POLLFD_POLLIN, 0x01);
    assert_int_equal(LIBSSH2_POLLFD_POLLPRI, 0x02);
    assert_int_equal(LIBSSH2_POLLFD_POLLEXT, 0x02);
    assert_int_equal(LIBSSH2_POLLFD_POLLOUT, 0x04);
    assert_int_equal(LIBSSH2_POLLFD_POLLERR, 0x08);
    assert_int_equal(LIBSSH2_POLLFD_POLLHUP, 0x10);
    assert_int_equal(LIBSSH2_POLLFD_SESSION_CLOSED, 0x10);
    assert_int_equal(LIBSSH2_POLLFD_POLLNVAL, 0x20);
    assert_int_equal(LIBSSH2_POLLFD_POLLEX, 0x40);
    assert_int_equal(LIBSSH2_POLLFD_CHANNEL_CLOSED, 0x80);
    assert_int_equal(LIBSSH2_POLLFD_LISTENER_CLOSED, 0x80);
}

static void
test_knownhost_constants(void **state)
{
    int tm;
    (void)state;
    assert_int_equal(LIBSSH2_KNOWNHOST_TYPE_MASK, 0xffff);
    assert_int_equal(LIBSSH2_KNOWNHOST_TYPE_PLAIN, 1);
    assert_int_equal(LIBSSH2_KNOWNHOST_TYPE_SHA1, 2);
    assert_int_equal(LIBSSH2_KNOWNHOST_TYPE_CUSTOM, 3);
    assert_int_equal(LIBSSH2_KNOWNHOST_KEYENC_MASK, 3 << 16);
    assert_int_equal(LIBSSH2_KNOWNHOST_KEYENC_RAW, 1 << 16);
    assert_int_equal(LIBSSH2_KNOWNHOST_KEYENC_BASE64, 2 << 16);
    assert_int_equal(LIBSSH2_KNOWNHOST_KEY_MASK, 15 << 18);
    assert_int_equal(LIBSSH2_KNOWNHOST_KEY_SHIFT, 18);
    assert_int_equal(LIBSSH2_KNOWNHOST_KEY_RSA1, 1 << 18);
    assert_int_equal(LIBSSH2_KNOWNHOST_KEY_SSHRSA, 2 << 18);
    assert_int_equal(LIBSSH2_KNOWNHOST_KEY_SSHDSS, 3 << 18);
    assert_int_equal(LIBSSH2_KNOWNHOST_KEY_ECDSA_256, 4 << 18);
    assert_int_equal(LIBSSH2_KNOWNHOST_KEY_ECDSA_384, 5 << 18);
    assert_int_equal(LIBSSH2_KNOWNHOST_KEY_ECDSA_521, 6 << 18);
    assert_int_equal(LIBSSH2_KNOWNHOST_KEY_ED25519, 7 << 18);
    assert_int_equal(LIBSSH2_KNOWNHOST_KEY_UNKNOWN, 15 << 18);
    assert_int_equal(LIBSSH2_KNOWNHOST_CHECK_MATCH, 0);
    assert_int_equal(LIBSSH2_KNOWNHOST_CHECK_MISMATCH, 1);
    assert_int_equal(LIBSSH2_KNOWNHOST_CHECK_NOTFOUND, 2);
    assert_int_equal(LIBSSH2_KNOWNHOST_CHECK_FAILURE, 3);
    assert_int_equal(LIBSSH2_KNOWNHOST_FILE_OPENSSH, 1);
    /* The fields do not overlap: a typemask decomposes as consumers do. */
    tm = LIBSSH2_KNOWNHOST_TYPE_SHA1 | LIBSSH2_KNOWNHOST_KEYENC_BASE64 |
         LIBSSH2_KNOWNHOST_KEY_ED25519;
    assert_int_equal(tm & LIBSSH2_KNOWNHOST_TYPE_MASK, LIBSSH2_KNOWNHOST_TYPE_SHA1);
    assert_int_equal(tm & LIBSSH2_KNOWNHOST_KEYENC_MASK, LIBSSH2_KNOWNHOST_KEYENC_BASE64);
    assert_int_equal(tm & LIBSSH2_KNOWNHOST_KEY_MASK, LIBSSH2_KNOWNHOST_KEY_ED25519);
    assert_int_equal((tm & LIBSSH2_KNOWNHOST_KEY_MASK) >> LIBSSH2_KNOWNHOST_KEY_SHIFT, 7);
    assert_int_equal(LIBSSH2_KNOWNHOST_TYPE_MASK & LIBSSH2_KNOWNHOST_KEYENC_MASK, 0);
    assert_int_equal(LIBSSH2_KNOWNHOST_KEYENC_MASK & LIBSSH2_KNOWNHOST_KEY_MASK, 0);
}

static void
test_sftp_constants(void **state)
{
    (void)state;
    assert_int_equal(LIBSSH2_SFTP_VERSION, 3);
    assert_int_equal(LIBSSH2_SFTP_OPENFILE, 0);
    assert_int_equal(LIBSSH2_SFTP_OPENDIR, 1);
    assert_int_equal(LIBSSH2_SFTP_RENAME_OVERWRITE, 1);
    assert_int_equal(LIBSSH2_SFTP_RENAME_ATOMIC, 2);
    assert_int_equal(LIBSSH2_SFTP_RENAME_NATIVE, 4);
    assert_int_equal(LIBSSH2_SFTP_STAT, 0);
    assert_int_equal(LIBSSH2_SFTP_LSTAT, 1);
    assert_int_equal(LIBSSH2_SFTP_SETSTAT, 2);
    assert_int_equal(LIBSSH2_SFTP_SYMLINK, 0);
    assert_int_equal(LIBSSH2_SFTP_READLINK, 1);
    assert_int_equal(LIBSSH2_SFTP_REALPATH, 2);
    assert_int_equal(LIBSSH2_SFTP_DEFAULT_MODE, -1);
    assert_int_equal(LIBSSH2_SFTP_ATTR_SIZE, 1);
    assert_int_equal(LIBSSH2_SFTP_ATTR_UIDGID, 2);
    assert_int_equal(LIBSSH2_SFTP_ATTR_PERMISSIONS, 4);
    assert_int_equal(LIBSSH2_SFTP_ATTR_ACMODTIME, 8);
    assert_int_equal(LIBSSH2_SFTP_ATTR_EXTENDED, 0x80000000u);
    assert_int_equal(LIBSSH2_SFTP_ST_RDONLY, 1);
    assert_int_equal(LIBSSH2_SFTP_ST_NOSUID, 2);
    assert_int_equal(LIBSSH2_SFTP_TYPE_REGULAR, 1);
    assert_int_equal(LIBSSH2_SFTP_TYPE_DIRECTORY, 2);
    assert_int_equal(LIBSSH2_SFTP_TYPE_SYMLINK, 3);
    assert_int_equal(LIBSSH2_SFTP_TYPE_SPECIAL, 4);
    assert_int_equal(LIBSSH2_SFTP_TYPE_UNKNOWN, 5);
    assert_int_equal(LIBSSH2_SFTP_TYPE_SOCKET, 6);
    assert_int_equal(LIBSSH2_SFTP_TYPE_CHAR_DEVICE, 7);
    assert_int_equal(LIBSSH2_SFTP_TYPE_BLOCK_DEVICE, 8);
    assert_int_equal(LIBSSH2_SFTP_TYPE_FIFO, 9);
    assert_int_equal(LIBSSH2_SFTP_S_IFMT, 0170000);
    assert_int_equal(LIBSSH2_SFTP_S_IFIFO, 0010000);
    assert_int_equal(LIBSSH2_SFTP_S_IFCHR, 0020000);
    assert_int_equal(LIBSSH2_SFTP_S_IFDIR, 0040000);
    assert_int_equal(LIBSSH2_SFTP_S_IFBLK, 0060000);
    assert_int_equal(LIBSSH2_SFTP_S_IFREG, 0100000);
    assert_int_equal(LIBSSH2_SFTP_S_IFLNK, 0120000);
    assert_int_equal(LIBSSH2_SFTP_S_IFSOCK, 0140000);
    assert_int_equal(LIBSSH2_SFTP_S_IRWXU, 0700);
    assert_int_equal(LIBSSH2_SFTP_S_IRUSR, 0400);
    assert_int_equal(LIBSSH2_SFTP_S_IWUSR, 0200);
    assert_int_equal(LIBSSH2_SFTP_S_IXUSR, 0100);
    assert_int_equal(LIBSSH2_SFTP_S_IRWXG, 070);
    assert_int_equal(LIBSSH2_SFTP_S_IRGRP, 040);
    assert_int_equal(LIBSSH2_SFTP_S_IWGRP, 020);
    assert_int_equal(LIBSSH2_SFTP_S_IXGRP, 010);
    assert_int_equal(LIBSSH2_SFTP_S_IRWXO, 07);
    assert_int_equal(LIBSSH2_SFTP_S_IROTH, 04);
    assert_int_equal(LIBSSH2_SFTP_S_IWOTH, 02);
    assert_int_equal(LIBSSH2_SFTP_S_IXOTH, 01);
    assert_int_equal(LIBSSH2_FXF_READ, 0x01);
    assert_int_equal(LIBSSH2_FXF_WRITE, 0x02);
    assert_int_equal(LIBSSH2_FXF_APPEND, 0x04);
    assert_int_equal(LIBSSH2_FXF_CREAT, 0x08);
    assert_int_equal(LIBSSH2_FXF_TRUNC, 0x10);
    assert_int_equal(LIBSSH2_FXF_EXCL, 0x20);
}

static void
test_sftp_status_codes(void **state)
{
    static const unsigned long fx[] = {
        LIBSSH2_FX_OK, LIBSSH2_FX_EOF, LIBSSH2_FX_NO_SUCH_FILE, LIBSSH2_FX_PERMISSION_DENIED,
        LIBSSH2_FX_FAILURE, LIBSSH2_FX_BAD_MESSAGE, LIBSSH2_FX_NO_CONNECTION,
        LIBSSH2_FX_CONNECTION_LOST, LIBSSH2_FX_OP_UNSUPPORTED, LIBSSH2_FX_INVALID_HANDLE,
        LIBSSH2_FX_NO_SUCH_PATH, LIBSSH2_FX_FILE_ALREADY_EXISTS, LIBSSH2_FX_WRITE_PROTECT,
        LIBSSH2_FX_NO_MEDIA, LIBSSH2_FX_NO_SPACE_ON_FILESYSTEM, LIBSSH2_FX_QUOTA_EXCEEDED,
        LIBSSH2_FX_UNKNOWN_PRINCIPAL, LIBSSH2_FX_LOCK_CONFLICT, LIBSSH2_FX_DIR_NOT_EMPTY,
        LIBSSH2_FX_NOT_A_DIRECTORY, LIBSSH2_FX_INVALID_FILENAME, LIBSSH2_FX_LINK_LOOP,
    };
    size_t i;
    (void)state;
    assert_int_equal(sizeof(fx) / sizeof(fx[0]), 22);
    for (i = 0; i < sizeof(fx) / sizeof(fx[0]); i++) {
        assert_int_equal(fx[i], i);
    }
    S2_TYPE(LIBSSH2_FX_OK, unsigned long);
    S2_TYPE(LIBSSH2_FX_LINK_LOOP, unsigned long);
    assert_int_equal(LIBSSH2_FX_UNKNOWN_PRINCIPLE, 16);
    assert_int_equal(LIBSSH2_FX_LOCK_CONFlICT, 17);
}

static void
test_sftp_mode_macros(void **state)
{
    unsigned long dir = LIBSSH2_SFTP_S_IFDIR | 0755;
    unsigned long reg = LIBSSH2_SFTP_S_IFREG | 0644;
    unsigned long lnk = LIBSSH2_SFTP_S_IFLNK | 0777;
    (void)state;
    assert_true(LIBSSH2_SFTP_S_ISDIR(dir));
    assert_false(LIBSSH2_SFTP_S_ISDIR(reg));
    assert_true(LIBSSH2_SFTP_S_ISREG(reg));
    assert_false(LIBSSH2_SFTP_S_ISREG(dir));
    assert_true(LIBSSH2_SFTP_S_ISLNK(lnk));
    /* IFLNK shares bits with IFREG: a regular file is not a link. */
    assert_false(LIBSSH2_SFTP_S_ISLNK(reg));
    assert_false(LIBSSH2_SFTP_S_ISREG(lnk));
    assert_true(LIBSSH2_SFTP_S_ISCHR(LIBSSH2_SFTP_S_IFCHR));
    assert_false(LIBSSH2_SFTP_S_ISCHR(LIBSSH2_SFTP_S_IFBLK));
    assert_true(LIBSSH2_SFTP_S_ISBLK(LIBSSH2_SFTP_S_IFBLK));
    assert_false(LIBSSH2_SFTP_S_ISBLK(LIBSSH2_SFTP_S_IFDIR));
    assert_true(LIBSSH2_SFTP_S_ISFIFO(LIBSSH2_SFTP_S_IFIFO));
    assert_false(LIBSSH2_SFTP_S_ISFIFO(LIBSSH2_SFTP_S_IFSOCK));
    assert_true(LIBSSH2_SFTP_S_ISSOCK(LIBSSH2_SFTP_S_IFSOCK));
    assert_false(LIBSSH2_SFTP_S_ISSOCK(LIBSSH2_SFTP_S_IFLNK));
    assert_false(LIBSSH2_SFTP_S_ISDIR(0UL));
}

static void
test_publickey_attribute_macros(void **state)
{
    const char *n = "comment";
    const char *v = "my key";
    libssh2_publickey_attribute attrs[] = {
        libssh2_publickey_attribute(n, v, 1)
        libssh2_publickey_attribute_fast("options", "no-pty", 0)
    };
    (void)state;
    assert_int_equal(sizeof(attrs) / sizeof(attrs[0]), 2);
    assert_string_equal(attrs[0].name, "comment");
    assert_int_equal(attrs[0].name_len, 7);
    assert_int_equal(attrs[0].value_len, 6);
    assert_int_equal(attrs[0].mandatory, 1);
    assert_int_equal(attrs[1].name_len, 7);
    assert_int_equal(attrs[1].value_len, 6);
    assert_int_equal(attrs[1].mandatory, 0);
}

/* ------------------------------------------------------------------ */
/* Function-like macros, compiled against the real prototypes         */
/* ------------------------------------------------------------------ */

/* Never called and static inline, so no code (and no reference to the
 * not-yet-implemented functions) is emitted; it only has to compile. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
static inline __attribute__((unused)) void
macros_compile_against_prototypes(LIBSSH2_SESSION *s, LIBSSH2_CHANNEL *ch, LIBSSH2_SFTP *sf,
                                  LIBSSH2_SFTP_HANDLE *h, LIBSSH2_PUBLICKEY *pk)
{
    char buf[64];
    LIBSSH2_SFTP_ATTRIBUTES a;
    const libssh2_publickey_attribute *attrs = NULL;
    unsigned char blob[4] = {0};
    LIBSSH2_SESSION *s2 = libssh2_session_init();
    (void)s2;
    (void)libssh2_session_disconnect(s, "bye");
    (void)libssh2_userauth_password(s, "u", "p");
    (void)libssh2_userauth_publickey_fromfile(s, "u", "pub", "priv", "pass");
    (void)libssh2_userauth_hostbased_fromfile(s, "u", "pub", "priv", "pass", "host");
    (void)libssh2_userauth_keyboard_interactive(s, "u", cb_kbdint);
    (void)libssh2_channel_open_session(s);
    (void)libssh2_channel_direct_tcpip(s, "h", 22);
    (void)libssh2_channel_forward_listen(s, 8080);
    (void)libssh2_channel_setenv(ch, "K", "V");
    (void)libssh2_channel_request_pty(ch, "xterm");
    (void)libssh2_channel_request_pty_size(ch, 80, 24);
    (void)libssh2_channel_x11_req(ch, 0);
    (void)libssh2_channel_signal(ch, "TERM");
    (void)libssh2_channel_shell(ch);
    (void)libssh2_channel_exec(ch, "ls");
    (void)libssh2_channel_subsystem(ch, "sftp");
    (void)libssh2_channel_read(ch, buf, sizeof(buf));
    (void)libssh2_channel_read_stderr(ch, buf, sizeof(buf));
    (void)libssh2_channel_window_read(ch);
    (void)libssh2_channel_write(ch, buf, sizeof(buf));
    (void)libssh2_channel_write_stderr(ch, buf, sizeof(buf));
    (void)libssh2_channel_window_write(ch);
    libssh2_channel_ignore_extended_data(ch, 1);
    (void)libssh2_channel_flush(ch);
    (void)libssh2_channel_flush_stderr(ch);
    (void)libssh2_scp_send(s, "/p", 0644, 10);
    (void)libssh2_sftp_open(sf, "f", LIBSSH2_FXF_READ, 0);
    (void)libssh2_sftp_opendir(sf, "d");
    (void)libssh2_sftp_open_r(sf, "f", LIBSSH2_FXF_READ, 0, &a);
    (void)libssh2_sftp_readdir(h, buf, sizeof(buf), &a);
    (void)libssh2_sftp_close(h);
    (void)libssh2_sftp_closedir(h);
    libssh2_sftp_rewind(h);
    (void)libssh2_sftp_fstat(h, &a);
    (void)libssh2_sftp_fsetstat(h, &a);
    (void)libssh2_sftp_rename(sf, "a", "b");
    (void)libssh2_sftp_posix_rename(sf, "a", "b");
    (void)libssh2_sftp_unlink(sf, "f");
    (void)libssh2_sftp_mkdir(sf, "d", 0755);
    (void)libssh2_sftp_rmdir(sf, "d");
    (void)libssh2_sftp_stat(sf, "p", &a);
    (void)libssh2_sftp_lstat(sf, "p", &a);
    (void)libssh2_sftp_setstat(sf, "p", &a);
    (void)libssh2_sftp_symlink(sf, "o", buf);
    (void)libssh2_sftp_readlink(sf, "p", buf, sizeof(buf));
    (void)libssh2_sftp_realpath(sf, "p", buf, sizeof(buf));
    (void)libssh2_publickey_add(pk, (const unsigned char *)"ssh-ed25519", blob, sizeof(blob), 0,
                                0, attrs);
    (void)libssh2_publickey_remove(pk, (const unsigned char *)"ssh-ed25519", blob,
                                   sizeof(blob));
}
#pragma GCC diagnostic pop

/* ------------------------------------------------------------------ */
/* Function-like macros, expanded into recorders                       */
/* ------------------------------------------------------------------ */

/* What the last redirected call received. */
static struct {
    const char *fn;
    const void *p[4];
    const char *str[6];
    unsigned long long n[8];
    long long i[8];
} rec;

static void
rec_reset(void)
{
    memset(&rec, 0, sizeof(rec));
}

static LIBSSH2_SESSION *
r_session_init_ex(LIBSSH2_ALLOC_FUNC(*a), LIBSSH2_FREE_FUNC(*f), LIBSSH2_REALLOC_FUNC(*r),
                  void *abstract)
{
    rec.fn = "session_init_ex";
    rec.p[0] = (const void *)(uintptr_t)a;
    rec.p[1] = (const void *)(uintptr_t)f;
    rec.p[2] = (const void *)(uintptr_t)r;
    rec.p[3] = abstract;
    return NULL;
}
static int
r_session_disconnect_ex(LIBSSH2_SESSION *s, int reason, const char *d, const char *lang)
{
    rec.fn = "session_disconnect_ex";
    rec.p[0] = s;
    rec.i[0] = reason;
    rec.str[0] = d;
    rec.str[1] = lang;
    return 0;
}
static int
r_userauth_password_ex(LIBSSH2_SESSION *s, const char *u, unsigned int ul, const char *pw,
                       unsigned int pwl, LIBSSH2_PASSWD_CHANGEREQ_FUNC(*cb))
{
    rec.fn = "userauth_password_ex";
    rec.p[0] = s;
    rec.str[0] = u;
    rec.n[0] = ul;
    rec.str[1] = pw;
    rec.n[1] = pwl;
    rec.p[1] = (const void *)(uintptr_t)cb;
    return 0;
}
static int
r_userauth_publickey_fromfile_ex(LIBSSH2_SESSION *s, const char *u, unsigned int ul,
                                 const char *pub, const char *priv, const char *pass)
{
    rec.fn = "userauth_publickey_fromfile_ex";
    rec.p[0] = s;
    rec.str[0] = u;
    rec.n[0] = ul;
    rec.str[1] = pub;
    rec.str[2] = priv;
    rec.str[3] = pass;
    return 0;
}
static int
r_userauth_hostbased_fromfile_ex(LIBSSH2_SESSION *s, const char *u, unsigned int ul,
                                 const char *pub, const char *priv, const char *pass,
                                 const char *host, unsigned int hl, const char *lu,
                                 unsigned int lul)
{
    rec.fn = "userauth_hostbased_fromfile_ex";
    rec.p[0] = s;
    rec.str[0] = u;
    rec.n[0] = ul;
    rec.str[1] = pub;
    rec.str[2] = priv;
    rec.str[3] = pass;
    rec.str[4] = host;
    rec.n[1] = hl;
    rec.str[5] = lu;
    rec.n[2] = lul;
    return 0;
}
static int
r_userauth_keyboard_interactive_ex(LIBSSH2_SESSION *s, const char *u, unsigned int ul,
                                   LIBSSH2_USERAUTH_KBDINT_RESPONSE_FUNC(*cb))
{
    rec.fn = "userauth_keyboard_interactive_ex";
    rec.p[0] = s;
    rec.str[0] = u;
    rec.n[0] = ul;
    rec.p[1] = (const void *)(uintptr_t)cb;
    return 0;
}
static LIBSSH2_CHANNEL *
r_channel_open_ex(LIBSSH2_SESSION *s, const char *type, unsigned int type_len,
                  unsigned int window, unsigned int packet, const char *msg, unsigned int msg_len)
{
    rec.fn = "channel_open_ex";
    rec.p[0] = s;
    rec.str[0] = type;
    rec.n[0] = type_len;
    rec.n[1] = window;
    rec.n[2] = packet;
    rec.str[1] = msg;
    rec.n[3] = msg_len;
    return NULL;
}
static LIBSSH2_CHANNEL *
r_channel_direct_tcpip_ex(LIBSSH2_SESSION *s, const char *host, int port, const char *shost,
                          int sport)
{
    rec.fn = "channel_direct_tcpip_ex";
    rec.p[0] = s;
    rec.str[0] = host;
    rec.i[0] = port;
    rec.str[1] = shost;
    rec.i[1] = sport;
    return NULL;
}
static LIBSSH2_LISTENER *
r_channel_forward_listen_ex(LIBSSH2_SESSION *s, const char *host, int port, int *bound,
                            int queue)
{
    rec.fn = "channel_forward_listen_ex";
    rec.p[0] = s;
    rec.str[0] = host;
    rec.i[0] = port;
    rec.p[1] = bound;
    rec.i[1] = queue;
    return NULL;
}
static int
r_channel_setenv_ex(LIBSSH2_CHANNEL *ch, const char *k, unsigned int kl, const char *v,
                    unsigned int vl)
{
    rec.fn = "channel_setenv_ex";
    rec.p[0] = ch;
    rec.str[0] = k;
    rec.n[0] = kl;
    rec.str[1] = v;
    rec.n[1] = vl;
    return 0;
}
static int
r_channel_request_pty_ex(LIBSSH2_CHANNEL *ch, const char *term, unsigned int term_len,
                         const char *modes, unsigned int modes_len, int w, int h, int wpx,
                         int hpx)
{
    rec.fn = "channel_request_pty_ex";
    rec.p[0] = ch;
    rec.str[0] = term;
    rec.n[0] = term_len;
    rec.str[1] = modes;
    rec.n[1] = modes_len;
    rec.i[0] = w;
    rec.i[1] = h;
    rec.i[2] = wpx;
    rec.i[3] = hpx;
    return 0;
}
static int
r_channel_request_pty_size_ex(LIBSSH2_CHANNEL *ch, int w, int h, int wpx, int hpx)
{
    rec.fn = "channel_request_pty_size_ex";
    rec.p[0] = ch;
    rec.i[0] = w;
    rec.i[1] = h;
    rec.i[2] = wpx;
    rec.i[3] = hpx;
    return 0;
}
static int
r_channel_x11_req_ex(LIBSSH2_CHANNEL *ch, int single, const char *proto, const char *cookie,
                     int screen)
{
    rec.fn = "channel_x11_req_ex";
    rec.p[0] = ch;
    rec.i[0] = single;
    rec.str[0] = proto;
    rec.str[1] = cookie;
    rec.i[1] = screen;
    return 0;
}
static int
r_channel_signal_ex(LIBSSH2_CHANNEL *ch, const char *sig, size_t sig_len)
{
    rec.fn = "channel_signal_ex";
    rec.p[0] = ch;
    rec.str[0] = sig;
    rec.n[0] = sig_len;
    return 0;
}
static int
r_channel_process_startup(LIBSSH2_CHANNEL *ch, const char *req, unsigned int req_len,
                          const char *msg, unsigned int msg_len)
{
    rec.fn = "channel_process_startup";
    rec.p[0] = ch;
    rec.str[0] = req;
    rec.n[0] = req_len;
    rec.str[1] = msg;
    rec.n[1] = msg_len;
    return 0;
}
static ssize_t
r_channel_read_ex(LIBSSH2_CHANNEL *ch, int stream, char *buf, size_t len)
{
    rec.fn = "channel_read_ex";
    rec.p[0] = ch;
    rec.i[0] = stream;
    rec.p[1] = buf;
    rec.n[0] = len;
    return 0;
}
static ssize_t
r_channel_write_ex(LIBSSH2_CHANNEL *ch, int stream, const char *buf, size_t len)
{
    rec.fn = "channel_write_ex";
    rec.p[0] = ch;
    rec.i[0] = stream;
    rec.p[1] = buf;
    rec.n[0] = len;
    return 0;
}
static unsigned long
r_channel_window_read_ex(LIBSSH2_CHANNEL *ch, unsigned long *avail, unsigned long *initial)
{
    rec.fn = "channel_window_read_ex";
    rec.p[0] = ch;
    rec.p[1] = avail;
    rec.p[2] = initial;
    return 0;
}
static unsigned long
r_channel_window_write_ex(LIBSSH2_CHANNEL *ch, unsigned long *initial)
{
    rec.fn = "channel_window_write_ex";
    rec.p[0] = ch;
    rec.p[1] = initial;
    return 0;
}
static void
r_channel_handle_extended_data(LIBSSH2_CHANNEL *ch, int mode)
{
    rec.fn = "channel_handle_extended_data";
    rec.p[0] = ch;
    rec.i[0] = mode;
}
static int
r_channel_flush_ex(LIBSSH2_CHANNEL *ch, int stream)
{
    rec.fn = "channel_flush_ex";
    rec.p[0] = ch;
    rec.i[0] = stream;
    return 0;
}
static LIBSSH2_CHANNEL *
r_scp_send_ex(LIBSSH2_SESSION *s, const char *path, int mode, size_t size, long mtime,
              long atime)
{
    rec.fn = "scp_send_ex";
    rec.p[0] = s;
    rec.str[0] = path;
    rec.i[0] = mode;
    rec.n[0] = size;
    rec.i[1] = mtime;
    rec.i[2] = atime;
    return NULL;
}
static LIBSSH2_SFTP_HANDLE *
r_sftp_open_ex(LIBSSH2_SFTP *sf, const char *f, unsigned int fl, unsigned long flags, long mode,
               int type)
{
    rec.fn = "sftp_open_ex";
    rec.p[0] = sf;
    rec.str[0] = f;
    rec.n[0] = fl;
    rec.n[1] = flags;
    rec.i[0] = mode;
    rec.i[1] = type;
    return NULL;
}
static LIBSSH2_SFTP_HANDLE *
r_sftp_open_ex_r(LIBSSH2_SFTP *sf, const char *f, size_t fl, unsigned long flags, long mode,
                 int type, LIBSSH2_SFTP_ATTRIBUTES *attrs)
{
    rec.fn = "sftp_open_ex_r";
    rec.p[0] = sf;
    rec.str[0] = f;
    rec.n[0] = fl;
    rec.n[1] = flags;
    rec.i[0] = mode;
    rec.i[1] = type;
    rec.p[1] = attrs;
    return NULL;
}
static int
r_sftp_readdir_ex(LIBSSH2_SFTP_HANDLE *h, char *buf, size_t len, char *longentry,
                  size_t longentry_len, LIBSSH2_SFTP_ATTRIBUTES *attrs)
{
    rec.fn = "sftp_readdir_ex";
    rec.p[0] = h;
    rec.p[1] = buf;
    rec.n[0] = len;
    rec.p[2] = longentry;
    rec.n[1] = longentry_len;
    rec.p[3] = attrs;
    return 0;
}
static int
r_sftp_close_handle(LIBSSH2_SFTP_HANDLE *h)
{
    rec.fn = "sftp_close_handle";
    rec.p[0] = h;
    return 0;
}
static void
r_sftp_seek64(LIBSSH2_SFTP_HANDLE *h, libssh2_uint64_t off)
{
    rec.fn = "sftp_seek64";
    rec.p[0] = h;
    rec.n[0] = off;
}
static int
r_sftp_fstat_ex(LIBSSH2_SFTP_HANDLE *h, LIBSSH2_SFTP_ATTRIBUTES *a, int setstat)
{
    rec.fn = "sftp_fstat_ex";
    rec.p[0] = h;
    rec.p[1] = a;
    rec.i[0] = setstat;
    return 0;
}
static int
r_sftp_rename_ex(LIBSSH2_SFTP *sf, const char *a, unsigned int al, const char *b,
                 unsigned int bl, long flags)
{
    rec.fn = "sftp_rename_ex";
    rec.p[0] = sf;
    rec.str[0] = a;
    rec.n[0] = al;
    rec.str[1] = b;
    rec.n[1] = bl;
    rec.i[0] = flags;
    return 0;
}
static int
r_sftp_posix_rename_ex(LIBSSH2_SFTP *sf, const char *a, size_t al, const char *b, size_t bl)
{
    rec.fn = "sftp_posix_rename_ex";
    rec.p[0] = sf;
    rec.str[0] = a;
    rec.n[0] = al;
    rec.str[1] = b;
    rec.n[1] = bl;
    return 0;
}
static int
r_sftp_unlink_ex(LIBSSH2_SFTP *sf, const char *f, unsigned int fl)
{
    rec.fn = "sftp_unlink_ex";
    rec.p[0] = sf;
    rec.str[0] = f;
    rec.n[0] = fl;
    return 0;
}
static int
r_sftp_mkdir_ex(LIBSSH2_SFTP *sf, const char *p, unsigned int pl, long mode)
{
    rec.fn = "sftp_mkdir_ex";
    rec.p[0] = sf;
    rec.str[0] = p;
    rec.n[0] = pl;
    rec.i[0] = mode;
    return 0;
}
static int
r_sftp_rmdir_ex(LIBSSH2_SFTP *sf, const char *p, unsigned int pl)
{
    rec.fn = "sftp_rmdir_ex";
    rec.p[0] = sf;
    rec.str[0] = p;
    rec.n[0] = pl;
    return 0;
}
static int
r_sftp_stat_ex(LIBSSH2_SFTP *sf, const char *p, unsigned int pl, int type,
               LIBSSH2_SFTP_ATTRIBUTES *a)
{
    rec.fn = "sftp_stat_ex";
    rec.p[0] = sf;
    rec.str[0] = p;
    rec.n[0] = pl;
    rec.i[0] = type;
    rec.p[1] = a;
    return 0;
}
static int
r_sftp_symlink_ex(LIBSSH2_SFTP *sf, const char *p, unsigned int pl, char *t, unsigned int tl,
                  int type)
{
    rec.fn = "sftp_symlink_ex";
    rec.p[0] = sf;
    rec.str[0] = p;
    rec.n[0] = pl;
    rec.p[1] = t;
    rec.n[1] = tl;
    rec.i[0] = type;
    return 0;
}
static int
r_publickey_add_ex(LIBSSH2_PUBLICKEY *pk, const unsigned char *name, unsigned long name_len,
                   const unsigned char *blob, unsigned long blob_len, char overwrite,
                   unsigned long num_attrs, const libssh2_publickey_attribute attrs[])
{
    rec.fn = "publickey_add_ex";
    rec.p[0] = pk;
    rec.p[1] = name;
    rec.n[0] = name_len;
    rec.p[2] = blob;
    rec.n[1] = blob_len;
    rec.i[0] = overwrite;
    rec.n[2] = num_attrs;
    rec.p[3] = attrs;
    return 0;
}
static int
r_publickey_remove_ex(LIBSSH2_PUBLICKEY *pk, const unsigned char *name, unsigned long name_len,
                      const unsigned char *blob, unsigned long blob_len)
{
    rec.fn = "publickey_remove_ex";
    rec.p[0] = pk;
    rec.p[1] = name;
    rec.n[0] = name_len;
    rec.p[2] = blob;
    rec.n[1] = blob_len;
    return 0;
}

/* From here on the macros' targets are the recorders above. */
#define libssh2_session_init_ex r_session_init_ex
#define libssh2_session_disconnect_ex r_session_disconnect_ex
#define libssh2_userauth_password_ex r_userauth_password_ex
#define libssh2_userauth_publickey_fromfile_ex r_userauth_publickey_fromfile_ex
#define libssh2_userauth_hostbased_fromfile_ex r_userauth_hostbased_fromfile_ex
#define libssh2_userauth_keyboard_interactive_ex r_userauth_keyboard_interactive_ex
#define libssh2_channel_open_ex r_channel_open_ex
#define libssh2_channel_direct_tcpip_ex r_channel_direct_tcpip_ex
#define libssh2_channel_forward_listen_ex r_channel_forward_listen_ex
#define libssh2_channel_setenv_ex r_channel_setenv_ex
#define libssh2_channel_request_pty_ex r_channel_request_pty_ex
#define libssh2_channel_request_pty_size_ex r_channel_request_pty_size_ex
#define libssh2_channel_x11_req_ex r_channel_x11_req_ex
#define libssh2_channel_signal_ex r_channel_signal_ex
#define libssh2_channel_process_startup r_channel_process_startup
#define libssh2_channel_read_ex r_channel_read_ex
#define libssh2_channel_write_ex r_channel_write_ex
#define libssh2_channel_window_read_ex r_channel_window_read_ex
#define libssh2_channel_window_write_ex r_channel_window_write_ex
#define libssh2_channel_handle_extended_data r_channel_handle_extended_data
#define libssh2_channel_flush_ex r_channel_flush_ex
#define libssh2_scp_send_ex r_scp_send_ex
#define libssh2_sftp_open_ex r_sftp_open_ex
#define libssh2_sftp_open_ex_r r_sftp_open_ex_r
#define libssh2_sftp_readdir_ex r_sftp_readdir_ex
#define libssh2_sftp_close_handle r_sftp_close_handle
#define libssh2_sftp_seek64 r_sftp_seek64
#define libssh2_sftp_fstat_ex r_sftp_fstat_ex
#define libssh2_sftp_rename_ex r_sftp_rename_ex
#define libssh2_sftp_posix_rename_ex r_sftp_posix_rename_ex
#define libssh2_sftp_unlink_ex r_sftp_unlink_ex
#define libssh2_sftp_mkdir_ex r_sftp_mkdir_ex
#define libssh2_sftp_rmdir_ex r_sftp_rmdir_ex
#define libssh2_sftp_stat_ex r_sftp_stat_ex
#define libssh2_sftp_symlink_ex r_sftp_symlink_ex
#define libssh2_publickey_add_ex r_publickey_add_ex
#define libssh2_publickey_remove_ex r_publickey_remove_ex

/* Distinct fake handles; the recorders only compare the pointers. */
static char fake_obj[5];
#define FAKE_S ((LIBSSH2_SESSION *)(void *)&fake_obj[0])
#define FAKE_CH ((LIBSSH2_CHANNEL *)(void *)&fake_obj[1])
#define FAKE_SF ((LIBSSH2_SFTP *)(void *)&fake_obj[2])
#define FAKE_H ((LIBSSH2_SFTP_HANDLE *)(void *)&fake_obj[3])
#define FAKE_PK ((LIBSSH2_PUBLICKEY *)(void *)&fake_obj[4])

static void
test_session_userauth_macros(void **state)
{
    (void)state;
    rec_reset();
    assert_null(libssh2_session_init());
    assert_string_equal(rec.fn, "session_init_ex");
    assert_null(rec.p[0]);
    assert_null(rec.p[1]);
    assert_null(rec.p[2]);
    assert_null(rec.p[3]);

    rec_reset();
    (void)libssh2_session_disconnect(FAKE_S, "bye");
    assert_string_equal(rec.fn, "session_disconnect_ex");
    assert_ptr_equal(rec.p[0], FAKE_S);
    assert_int_equal(rec.i[0], SSH_DISCONNECT_BY_APPLICATION);
    assert_string_equal(rec.str[0], "bye");
    assert_string_equal(rec.str[1], "");

    rec_reset();
    (void)libssh2_userauth_password(FAKE_S, "alice", "secret!");
    assert_string_equal(rec.fn, "userauth_password_ex");
    assert_string_equal(rec.str[0], "alice");
    assert_int_equal(rec.n[0], 5);
    assert_string_equal(rec.str[1], "secret!");
    assert_int_equal(rec.n[1], 7);
    assert_null(rec.p[1]);

    rec_reset();
    (void)libssh2_userauth_publickey_fromfile(FAKE_S, "bob", "k.pub", "k", "pw");
    assert_string_equal(rec.fn, "userauth_publickey_fromfile_ex");
    assert_int_equal(rec.n[0], 3);
    assert_string_equal(rec.str[1], "k.pub");
    assert_string_equal(rec.str[2], "k");
    assert_string_equal(rec.str[3], "pw");

    rec_reset();
    (void)libssh2_userauth_hostbased_fromfile(FAKE_S, "carol", "h.pub", "h", NULL, "host.x");
    assert_string_equal(rec.fn, "userauth_hostbased_fromfile_ex");
    assert_string_equal(rec.str[0], "carol");
    assert_int_equal(rec.n[0], 5);
    assert_null(rec.str[3]);
    assert_string_equal(rec.str[4], "host.x");
    assert_int_equal(rec.n[1], 6);
    /* The local user name is the remote one. */
    assert_string_equal(rec.str[5], "carol");
    assert_int_equal(rec.n[2], 5);

    rec_reset();
    (void)libssh2_userauth_keyboard_interactive(FAKE_S, "dave", cb_kbdint);
    assert_string_equal(rec.fn, "userauth_keyboard_interactive_ex");
    assert_int_equal(rec.n[0], 4);
    assert_ptr_equal(rec.p[1], (const void *)(uintptr_t)cb_kbdint);
}

static void
test_channel_macros(void **state)
{
    char buf[16];
    (void)state;

    rec_reset();
    assert_null(libssh2_channel_open_session(FAKE_S));
    assert_string_equal(rec.fn, "channel_open_ex");
    assert_string_equal(rec.str[0], "session");
    assert_int_equal(rec.n[0], 7);
    assert_int_equal(rec.n[1], 2 * 1024 * 1024);
    assert_int_equal(rec.n[2], 32768);
    assert_null(rec.str[1]);
    assert_int_equal(rec.n[3], 0);

    rec_reset();
    (void)libssh2_channel_direct_tcpip(FAKE_S, "db.local", 5432);
    assert_string_equal(rec.fn, "channel_direct_tcpip_ex");
    assert_string_equal(rec.str[0], "db.local");
    assert_int_equal(rec.i[0], 5432);
    assert_string_equal(rec.str[1], "127.0.0.1");
    assert_int_equal(rec.i[1], 22);

    rec_reset();
    (void)libssh2_channel_forward_listen(FAKE_S, 8080);
    assert_string_equal(rec.fn, "channel_forward_listen_ex");
    assert_null(rec.str[0]);
    assert_int_equal(rec.i[0], 8080);
    assert_null(rec.p[1]);
    assert_int_equal(rec.i[1], 16);

    rec_reset();
    (void)libssh2_channel_setenv(FAKE_CH, "LANG", "C.UTF-8");
    assert_string_equal(rec.fn, "channel_setenv_ex");
    assert_int_equal(rec.n[0], 4);
    assert_int_equal(rec.n[1], 7);

    rec_reset();
    (void)libssh2_channel_request_pty(FAKE_CH, "vt100");
    assert_string_equal(rec.fn, "channel_request_pty_ex");
    assert_string_equal(rec.str[0], "vt100");
    assert_int_equal(rec.n[0], 5);
    assert_null(rec.str[1]);
    assert_int_equal(rec.n[1], 0);
    assert_int_equal(rec.i[0], 80);
    assert_int_equal(rec.i[1], 24);
    assert_int_equal(rec.i[2], 0);
    assert_int_equal(rec.i[3], 0);

    rec_reset();
    (void)libssh2_channel_request_pty_size(FAKE_CH, 132, 43);
    assert_string_equal(rec.fn, "channel_request_pty_size_ex");
    assert_int_equal(rec.i[0], 132);
    assert_int_equal(rec.i[1], 43);
    assert_int_equal(rec.i[2], 0);
    assert_int_equal(rec.i[3], 0);

    rec_reset();
    (void)libssh2_channel_x11_req(FAKE_CH, 3);
    assert_string_equal(rec.fn, "channel_x11_req_ex");
    assert_int_equal(rec.i[0], 0);
    assert_null(rec.str[0]);
    assert_null(rec.str[1]);
    assert_int_equal(rec.i[1], 3);

    rec_reset();
    (void)libssh2_channel_signal(FAKE_CH, "TERM");
    assert_string_equal(rec.fn, "channel_signal_ex");
    assert_string_equal(rec.str[0], "TERM");
    assert_int_equal(rec.n[0], 4);

    rec_reset();
    (void)libssh2_channel_shell(FAKE_CH);
    assert_string_equal(rec.fn, "channel_process_startup");
    assert_string_equal(rec.str[0], "shell");
    assert_int_equal(rec.n[0], 5);
    assert_null(rec.str[1]);
    assert_int_equal(rec.n[1], 0);

    rec_reset();
    (void)libssh2_channel_exec(FAKE_CH, "uname -a");
    assert_string_equal(rec.str[0], "exec");
    assert_int_equal(rec.n[0], 4);
    assert_string_equal(rec.str[1], "uname -a");
    assert_int_equal(rec.n[1], 8);

    rec_reset();
    (void)libssh2_channel_subsystem(FAKE_CH, "sftp");
    assert_string_equal(rec.str[0], "subsystem");
    assert_int_equal(rec.n[0], 9);
    assert_string_equal(rec.str[1], "sftp");
    assert_int_equal(rec.n[1], 4);

    rec_reset();
    (void)libssh2_channel_read(FAKE_CH, buf, sizeof(buf));
    assert_string_equal(rec.fn, "channel_read_ex");
    assert_int_equal(rec.i[0], 0);
    assert_ptr_equal(rec.p[1], buf);
    assert_int_equal(rec.n[0], sizeof(buf));
    rec_reset();
    (void)libssh2_channel_read_stderr(FAKE_CH, buf, 3);
    assert_int_equal(rec.i[0], SSH_EXTENDED_DATA_STDERR);
    assert_int_equal(rec.n[0], 3);

    rec_reset();
    (void)libssh2_channel_write(FAKE_CH, buf, 5);
    assert_string_equal(rec.fn, "channel_write_ex");
    assert_int_equal(rec.i[0], 0);
    assert_int_equal(rec.n[0], 5);
    rec_reset();
    (void)libssh2_channel_write_stderr(FAKE_CH, buf, 6);
    assert_int_equal(rec.i[0], 1);
    assert_int_equal(rec.n[0], 6);

    rec_reset();
    (void)libssh2_channel_window_read(FAKE_CH);
    assert_string_equal(rec.fn, "channel_window_read_ex");
    assert_null(rec.p[1]);
    assert_null(rec.p[2]);
    rec_reset();
    (void)libssh2_channel_window_write(FAKE_CH);
    assert_string_equal(rec.fn, "channel_window_write_ex");
    assert_null(rec.p[1]);

    rec_reset();
    libssh2_channel_ignore_extended_data(FAKE_CH, 7);
    assert_string_equal(rec.fn, "channel_handle_extended_data");
    assert_int_equal(rec.i[0], LIBSSH2_CHANNEL_EXTENDED_DATA_IGNORE);
    libssh2_channel_ignore_extended_data(FAKE_CH, 0);
    assert_int_equal(rec.i[0], LIBSSH2_CHANNEL_EXTENDED_DATA_NORMAL);

    rec_reset();
    (void)libssh2_channel_flush(FAKE_CH);
    assert_string_equal(rec.fn, "channel_flush_ex");
    assert_int_equal(rec.i[0], 0);
    (void)libssh2_channel_flush_stderr(FAKE_CH);
    assert_int_equal(rec.i[0], 1);

    rec_reset();
    (void)libssh2_scp_send(FAKE_S, "/tmp/x", 0600, (size_t)1234);
    assert_string_equal(rec.fn, "scp_send_ex");
    assert_string_equal(rec.str[0], "/tmp/x");
    assert_int_equal(rec.i[0], 0600);
    assert_int_equal(rec.n[0], 1234);
    assert_int_equal(rec.i[1], 0);
    assert_int_equal(rec.i[2], 0);
}

static void
test_sftp_macros(void **state)
{
    char buf[32];
    LIBSSH2_SFTP_ATTRIBUTES a;
    (void)state;

    rec_reset();
    assert_null(libssh2_sftp_open(FAKE_SF, "/etc/hosts", LIBSSH2_FXF_READ, 0));
    assert_string_equal(rec.fn, "sftp_open_ex");
    assert_int_equal(rec.n[0], 10);
    assert_int_equal(rec.n[1], LIBSSH2_FXF_READ);
    assert_int_equal(rec.i[0], 0);
    assert_int_equal(rec.i[1], LIBSSH2_SFTP_OPENFILE);

    rec_reset();
    (void)libssh2_sftp_opendir(FAKE_SF, "/var");
    assert_string_equal(rec.fn, "sftp_open_ex");
    assert_int_equal(rec.n[0], 4);
    assert_int_equal(rec.n[1], 0);
    assert_int_equal(rec.i[0], 0);
    assert_int_equal(rec.i[1], LIBSSH2_SFTP_OPENDIR);

    rec_reset();
    (void)libssh2_sftp_open_r(FAKE_SF, "new", LIBSSH2_FXF_WRITE | LIBSSH2_FXF_CREAT, 0640, &a);
    assert_string_equal(rec.fn, "sftp_open_ex_r");
    assert_int_equal(rec.n[0], 3);
    assert_int_equal(rec.n[1], 0x0a);
    assert_int_equal(rec.i[0], 0640);
    assert_int_equal(rec.i[1], LIBSSH2_SFTP_OPENFILE);
    assert_ptr_equal(rec.p[1], &a);

    rec_reset();
    (void)libssh2_sftp_readdir(FAKE_H, buf, sizeof(buf), &a);
    assert_string_equal(rec.fn, "sftp_readdir_ex");
    assert_ptr_equal(rec.p[1], buf);
    assert_int_equal(rec.n[0], sizeof(buf));
    assert_null(rec.p[2]);
    assert_int_equal(rec.n[1], 0);
    assert_ptr_equal(rec.p[3], &a);

    rec_reset();
    (void)libssh2_sftp_close(FAKE_H);
    assert_string_equal(rec.fn, "sftp_close_handle");
    assert_ptr_equal(rec.p[0], FAKE_H);
    rec_reset();
    (void)libssh2_sftp_closedir(FAKE_H);
    assert_string_equal(rec.fn, "sftp_close_handle");

    rec_reset();
    rec.n[0] = 99;
    libssh2_sftp_rewind(FAKE_H);
    assert_string_equal(rec.fn, "sftp_seek64");
    assert_int_equal(rec.n[0], 0);

    rec_reset();
    (void)libssh2_sftp_fstat(FAKE_H, &a);
    assert_string_equal(rec.fn, "sftp_fstat_ex");
    assert_int_equal(rec.i[0], 0);
    (void)libssh2_sftp_fsetstat(FAKE_H, &a);
    assert_int_equal(rec.i[0], 1);

    rec_reset();
    (void)libssh2_sftp_rename(FAKE_SF, "old", "newer");
    assert_string_equal(rec.fn, "sftp_rename_ex");
    assert_int_equal(rec.n[0], 3);
    assert_int_equal(rec.n[1], 5);
    assert_int_equal(rec.i[0], 0x7);

    rec_reset();
    (void)libssh2_sftp_posix_rename(FAKE_SF, "a1", "b22");
    assert_string_equal(rec.fn, "sftp_posix_rename_ex");
    assert_int_equal(rec.n[0], 2);
    assert_int_equal(rec.n[1], 3);

    rec_reset();
    (void)libssh2_sftp_unlink(FAKE_SF, "gone");
    assert_string_equal(rec.fn, "sftp_unlink_ex");
    assert_int_equal(rec.n[0], 4);

    rec_reset();
    (void)libssh2_sftp_mkdir(FAKE_SF, "dir", 0755);
    assert_string_equal(rec.fn, "sftp_mkdir_ex");
    assert_int_equal(rec.n[0], 3);
    assert_int_equal(rec.i[0], 0755);
    rec_reset();
    (void)libssh2_sftp_rmdir(FAKE_SF, "dir2");
    assert_string_equal(rec.fn, "sftp_rmdir_ex");
    assert_int_equal(rec.n[0], 4);

    rec_reset();
    (void)libssh2_sftp_stat(FAKE_SF, "/p", &a);
    assert_string_equal(rec.fn, "sftp_stat_ex");
    assert_int_equal(rec.n[0], 2);
    assert_int_equal(rec.i[0], LIBSSH2_SFTP_STAT);
    assert_ptr_equal(rec.p[1], &a);
    (void)libssh2_sftp_lstat(FAKE_SF, "/p", &a);
    assert_int_equal(rec.i[0], LIBSSH2_SFTP_LSTAT);
    (void)libssh2_sftp_setstat(FAKE_SF, "/p", &a);
    assert_int_equal(rec.i[0], LIBSSH2_SFTP_SETSTAT);

    rec_reset();
    memcpy(buf, "target", sizeof("target"));
    (void)libssh2_sftp_symlink(FAKE_SF, "orig", buf);
    assert_string_equal(rec.fn, "sftp_symlink_ex");
    assert_int_equal(rec.n[0], 4);
    assert_ptr_equal(rec.p[1], buf);
    assert_int_equal(rec.n[1], 6);
    assert_int_equal(rec.i[0], LIBSSH2_SFTP_SYMLINK);
    (void)libssh2_sftp_readlink(FAKE_SF, "lnk", buf, sizeof(buf));
    assert_int_equal(rec.n[0], 3);
    assert_int_equal(rec.n[1], sizeof(buf));
    assert_int_equal(rec.i[0], LIBSSH2_SFTP_READLINK);
    (void)libssh2_sftp_realpath(FAKE_SF, ".", buf, 9);
    assert_int_equal(rec.n[0], 1);
    assert_int_equal(rec.n[1], 9);
    assert_int_equal(rec.i[0], LIBSSH2_SFTP_REALPATH);
}

static void
test_publickey_macros(void **state)
{
    static const unsigned char blob[3] = {1, 2, 3};
    static const unsigned char name[] = "ssh-rsa";
    const libssh2_publickey_attribute attrs[1] = {{"comment", 7, "x", 1, 0}};
    (void)state;

    rec_reset();
    (void)libssh2_publickey_add(FAKE_PK, name, blob, sizeof(blob), 1, 1, attrs);
    assert_string_equal(rec.fn, "publickey_add_ex");
    assert_ptr_equal(rec.p[1], name);
    assert_int_equal(rec.n[0], 7);
    assert_ptr_equal(rec.p[2], blob);
    assert_int_equal(rec.n[1], 3);
    assert_int_equal(rec.i[0], 1);
    assert_int_equal(rec.n[2], 1);
    assert_ptr_equal(rec.p[3], attrs);

    rec_reset();
    (void)libssh2_publickey_remove(FAKE_PK, name, blob, 2);
    assert_string_equal(rec.fn, "publickey_remove_ex");
    assert_int_equal(rec.n[0], 7);
    assert_int_equal(rec.n[1], 2);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_callback_slots),
        cmocka_unit_test(test_struct_layouts),
        cmocka_unit_test(test_version),
        cmocka_unit_test(test_error_codes),
        cmocka_unit_test(test_session_constants),
        cmocka_unit_test(test_channel_constants),
        cmocka_unit_test(test_knownhost_constants),
        cmocka_unit_test(test_sftp_constants),
        cmocka_unit_test(test_sftp_status_codes),
        cmocka_unit_test(test_sftp_mode_macros),
        cmocka_unit_test(test_publickey_attribute_macros),
        cmocka_unit_test(test_session_userauth_macros),
        cmocka_unit_test(test_channel_macros),
        cmocka_unit_test(test_sftp_macros),
        cmocka_unit_test(test_publickey_macros),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
