/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ssh2core extensions to the libssh2 API. Everything else is declared in
 * libssh2.h exactly as libssh2 1.11 declares it.
 */
#ifndef SSH2CORE_H
#define SSH2CORE_H

#include <stddef.h>
#include <stdint.h>

#include "libssh2.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Process-wide allocator used by sessions created with plain
 * libssh2_session_init() (or init_ex with NULL functions). Standard
 * signatures, so Python can pass PyMem_RawMalloc and friends. Returns 0, or
 * LIBSSH2_ERROR_INVAL when only some are NULL; all NULL restores libc. */
LIBSSH2_API int ssh2core_set_allocator(void *(*malloc_fn)(size_t),
                                       void *(*realloc_fn)(void *, size_t),
                                       void (*free_fn)(void *));

/* Starts a key re-exchange now (client-initiated rekey). Returns 0 when the
 * new keys are in use, LIBSSH2_ERROR_EAGAIN in non-blocking mode, or an
 * error. */
LIBSSH2_API int ssh2core_session_rekey(LIBSSH2_SESSION *session);

/* Limits for automatic client-initiated rekeying: bytes per direction
 * (0 = 1 GiB) and seconds (0 = one hour, negative = never). */
LIBSSH2_API void ssh2core_session_set_rekey_limits(LIBSSH2_SESSION *session, uint64_t bytes,
                                                   long seconds);

/* Whether strict KEX (kex-strict-*-v00@openssh.com, the Terrapin
 * countermeasure) is in force: 1 yes, 0 no, LIBSSH2_ERROR_BAD_USE before the
 * handshake. */
LIBSSH2_API int ssh2core_session_strict_kex(LIBSSH2_SESSION *session);

/* Number of completed key exchanges (1 after the handshake). */
LIBSSH2_API int ssh2core_session_kex_count(LIBSSH2_SESSION *session);

#ifdef __cplusplus
}
#endif

#endif /* SSH2CORE_H */
