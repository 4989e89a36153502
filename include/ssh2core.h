/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ssh2core.h - functions ssh2core offers beyond the libssh2 API. Programs
 * that use them can test for SSH2CORE_API_VERSION. Conventions as in
 * libssh2.h: 0 or a negative LIBSSH2_ERROR_* code.
 */
#ifndef SSH2CORE_H
#define SSH2CORE_H 1

#include <stddef.h>
#include <stdint.h>

#include "libssh2.h"

/* Version of this extension API (bumped when functions are added). */
#define SSH2CORE_API_VERSION 1

#ifdef __cplusplus
extern "C" {
#endif

/* ssh2core_set_allocator sets the process-wide allocator used by sessions
 * created with libssh2_session_init() (or libssh2_session_init_ex() with
 * NULL functions). The functions have the standard signatures, so e.g.
 * Python's PyMem_RawMalloc/Realloc/Free can be passed directly. All NULL
 * restores libc. Returns 0, or LIBSSH2_ERROR_INVAL if only some are NULL.
 * Call it before creating sessions; existing sessions keep their
 * allocator. */
LIBSSH2_API int ssh2core_set_allocator(void *(*malloc_fn)(size_t),
                                       void *(*realloc_fn)(void *, size_t),
                                       void (*free_fn)(void *));

/* ssh2core_session_rekey starts a key re-exchange now (client-initiated,
 * RFC 4253 9). Returns 0 once the new keys are in use,
 * LIBSSH2_ERROR_EAGAIN on a non-blocking session that must be called
 * again, or a negative error. */
LIBSSH2_API int ssh2core_session_rekey(LIBSSH2_SESSION *session);

/* ssh2core_session_set_rekey_limits sets when the client re-keys on its
 * own: after |bytes| in either direction (0 = default, 1 GiB, within the
 * RFC 4253 9 / RFC 4344 3.2 advice) or after |seconds| (0 = default of
 * one hour, -1 or any negative value = never). NULL session is ignored. */
LIBSSH2_API void ssh2core_session_set_rekey_limits(LIBSSH2_SESSION *session, uint64_t bytes,
                                                   long seconds);

/* ssh2core_session_strict_kex tells whether strict key exchange
 * (kex-strict-*-v00@openssh.com, the Terrapin countermeasure) is in force:
 * 1 yes, 0 no, or LIBSSH2_ERROR_BAD_USE before the handshake (or for a
 * NULL session). */
LIBSSH2_API int ssh2core_session_strict_kex(LIBSSH2_SESSION *session);

/* ssh2core_session_kex_count returns the number of completed key
 * exchanges (0 before, 1 right after the handshake), or
 * LIBSSH2_ERROR_BAD_USE for a NULL session. */
LIBSSH2_API int ssh2core_session_kex_count(LIBSSH2_SESSION *session);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* SSH2CORE_H */
