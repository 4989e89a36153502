/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * auth: the user authentication protocol (RFC 4252). This milestone has the
 * service request and the "none" method (libssh2_userauth_list); password,
 * keyboard-interactive and public key methods join it in issue 3.
 */
#ifndef S2_AUTH_H
#define S2_AUTH_H

#include "core/core.h"
#include "transport/transport.h"

struct s2_ua;

/* s2_ua_new makes the userauth object over |tp| (borrowed). Caller frees
 * with s2_ua_free(). Returns 0 or ALLOC. */
int s2_ua_new(struct s2_env *env, struct s2_tp *tp, struct s2_ua **out) S2_MUST_CHECK;
/* s2_ua_free releases |ua| (NULL is fine). */
void s2_ua_free(struct s2_ua *ua);

/* s2_ua_start_none starts a "none" request for |user| (copied). Returns 0,
 * ALLOC, or BAD_USE when a request is already pending or auth is done. */
int s2_ua_start_none(struct s2_ua *ua, const char *user, size_t user_len) S2_MUST_CHECK;
/* s2_ua_poll drives the pending request: 0 when its answer arrived (see
 * s2_ua_methods / s2_ua_authenticated), LIBSSH2_ERROR_EAGAIN, or an error. */
int s2_ua_poll(struct s2_ua *ua) S2_MUST_CHECK;
/* s2_ua_on_packet takes SERVICE_ACCEPT and messages 50-79 (|payload| at the
 * message number). Never EAGAIN. */
int s2_ua_on_packet(struct s2_ua *ua, struct s2_rd *payload) S2_MUST_CHECK;
/* s2_ua_methods returns the methods that can continue from the last
 * USERAUTH_FAILURE (owned by ua), or NULL. */
const char *s2_ua_methods(const struct s2_ua *ua);
/* s2_ua_authenticated tells whether authentication succeeded. */
int s2_ua_authenticated(const struct s2_ua *ua);
/* s2_ua_banner returns the last USERAUTH_BANNER text (owned by ua) or NULL. */
const char *s2_ua_banner(const struct s2_ua *ua);

#endif /* S2_AUTH_H */
