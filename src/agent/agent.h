/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * agent: the ssh-agent client (draft-miller-ssh-agent / RFC 9987, OpenSSH
 * PROTOCOL.agent). An agent connection lists the identities the agent holds
 * and asks it to sign data with one of them; the api floor turns that into
 * libssh2_agent_* and plugs the signing into public key authentication.
 *
 * The protocol part (agent.c) builds requests and parses replies with the
 * bounded reader only; the transport part (agent_unix.c) moves one
 * uint32-length-framed message each way over a Unix-domain socket, with a
 * size cap and a deadline so that a misbehaving agent can never hang us or
 * make us allocate more than S2_AGENT_MSG_MAX.
 */
#ifndef S2_AGENT_H
#define S2_AGENT_H

#include "core/core.h"

/* Message numbers (draft-miller-ssh-agent section 6.1). */
#define SSH_AGENT_FAILURE             5
#define SSH_AGENT_SUCCESS             6
#define SSH_AGENTC_REQUEST_IDENTITIES 11
#define SSH_AGENT_IDENTITIES_ANSWER   12
#define SSH_AGENTC_SIGN_REQUEST       13
#define SSH_AGENT_SIGN_RESPONSE       14
#define SSH2_AGENT_FAILURE            30  /* OpenSSH's older failure code */
#define SSH_COM_AGENT2_FAILURE        102 /* ssh.com agents */

/* Signature flags (draft-miller-ssh-agent section 6.5.1). */
#define SSH_AGENT_RSA_SHA2_256 2u
#define SSH_AGENT_RSA_SHA2_512 4u

/* Caps on what an agent may send us. */
#define S2_AGENT_MSG_MAX     (256u * 1024u)     /* one reply, as OpenSSH's authfd.c */
#define S2_AGENT_IDS_MAX     2048u              /* identities in one answer */
#define S2_AGENT_BLOB_MAX    (S2_AGENT_MSG_MAX) /* one key blob (certificates are big) */
#define S2_AGENT_COMMENT_MAX (64u * 1024u)      /* one comment */
#define S2_AGENT_TIMEOUT_MS  60000L             /* default deadline of one transaction */

/* The magic the library stores in libssh2_agent_publickey.magic. */
#define S2_AGENT_ID_MAGIC 0x53324147u

struct s2_agent;

/* s2_agent_new makes an unconnected agent client that allocates through and
 * reports errors to |env| (borrowed; must outlive the agent). Caller frees
 * with s2_agent_free(). Returns 0 or LIBSSH2_ERROR_ALLOC. */
int s2_agent_new(struct s2_env *env, struct s2_agent **out) S2_MUST_CHECK;
/* s2_agent_free disconnects, then frees |ag| with its identities and path
 * (NULL is fine). */
void s2_agent_free(struct s2_agent *ag);

/* s2_agent_set_path sets the socket path used instead of $SSH_AUTH_SOCK
 * (copied; NULL clears). Returns 0 or LIBSSH2_ERROR_ALLOC (then the old path
 * is kept). */
int s2_agent_set_path(struct s2_agent *ag, const char *path) S2_MUST_CHECK;
/* s2_agent_path returns the path set with s2_agent_set_path() (owned by
 * |ag|, valid until the next set or free), or NULL. */
const char *s2_agent_path(const struct s2_agent *ag);
/* s2_agent_set_timeout sets the deadline of each later transaction in
 * milliseconds; 0 or less restores S2_AGENT_TIMEOUT_MS. */
void s2_agent_set_timeout(struct s2_agent *ag, long ms);

/* s2_agent_connect connects to the set path, else to $SSH_AUTH_SOCK.
 * Connecting while connected first closes the old connection. Returns 0,
 * LIBSSH2_ERROR_BAD_USE (no path at all), LIBSSH2_ERROR_BAD_SOCKET (no socket
 * could be made) or LIBSSH2_ERROR_AGENT_PROTOCOL (path too long for a
 * sockaddr_un, or connect(2) failed). Never EAGAIN. */
int s2_agent_connect(struct s2_agent *ag) S2_MUST_CHECK;
/* s2_agent_connected tells whether |ag| holds an open connection. */
int s2_agent_connected(const struct s2_agent *ag);
/* s2_agent_disconnect closes the connection (no-op when not connected).
 * The identities fetched stay available. */
void s2_agent_disconnect(struct s2_agent *ag);

/* s2_agent_list sends REQUEST_IDENTITIES and replaces the stored identities
 * with the answer. On any error the old list is already gone and the list
 * is empty. Returns 0; LIBSSH2_ERROR_BAD_USE when not connected;
 * LIBSSH2_ERROR_AGENT_PROTOCOL for a malformed, oversized or unexpected
 * reply (the connection is then closed, since the stream cannot be trusted
 * to be in step); LIBSSH2_ERROR_TIMEOUT; LIBSSH2_ERROR_SOCKET_SEND;
 * LIBSSH2_ERROR_ALLOC. Never EAGAIN: the agent socket is local and each
 * transaction runs to completion or to its deadline. */
int s2_agent_list(struct s2_agent *ag) S2_MUST_CHECK;
/* s2_agent_num_ids returns the number of stored identities. */
size_t s2_agent_num_ids(const struct s2_agent *ag);
/* s2_agent_id returns the |i|th identity (owned by |ag|, valid until the
 * next s2_agent_list() or s2_agent_free()), or NULL past the end. Its
 * magic is S2_AGENT_ID_MAGIC and its node points to itself. */
struct libssh2_agent_publickey *s2_agent_id(struct s2_agent *ag, size_t i);
/* s2_agent_id_index finds |id| among the stored identities: 0 and *out_i,
 * or LIBSSH2_ERROR_BAD_USE when |id| is not one of them (stale or foreign). */
int s2_agent_id_index(const struct s2_agent *ag, const struct libssh2_agent_publickey *id,
                      size_t *out_i) S2_MUST_CHECK;

/* s2_agent_sign_flags returns the SIGN_REQUEST flags for signature
 * algorithm |alg| (|alg_len| bytes): RSA_SHA2_256 for rsa-sha2-256 (and its
 * -cert-v01@openssh.com form), RSA_SHA2_512 likewise, else 0. */
uint32_t s2_agent_sign_flags(const char *alg, size_t alg_len);

/* s2_agent_sign asks the agent to sign |data| with the key |blob| under
 * signature algorithm |alg| (|alg_len| bytes, e.g. "rsa-sha2-512"), and
 * appends the agent's SSH signature blob (string alg, string signature) to
 * |sig_blob|. The algorithm named in the reply must equal |alg| (or, for a
 * certificate algorithm, its plain form). Returns 0;
 * LIBSSH2_ERROR_BAD_USE (not connected); LIBSSH2_ERROR_AGENT_PROTOCOL
 * (FAILURE reply, malformed or unexpected reply; the connection is closed
 * when the stream is out of step); LIBSSH2_ERROR_ALGO_UNSUPPORTED (the agent
 * signed with another algorithm); LIBSSH2_ERROR_TIMEOUT;
 * LIBSSH2_ERROR_SOCKET_SEND; LIBSSH2_ERROR_OUT_OF_BOUNDARY (request too
 * large); LIBSSH2_ERROR_ALLOC or the writer's error. Never EAGAIN. */
int s2_agent_sign(struct s2_agent *ag, const uint8_t *blob, size_t blob_len, const char *alg,
                  size_t alg_len, const uint8_t *data, size_t data_len,
                  struct s2_wr *sig_blob) S2_MUST_CHECK;

/* ---- pure parsers (agent.c; also the fuzz entry points) ---- */

/* s2_agent_parse_identities checks a whole IDENTITIES_ANSWER |msg| (from
 * its message number on): byte 12, uint32 nkeys, nkeys times (string key
 * blob, string comment), nothing after. nkeys above S2_AGENT_IDS_MAX or
 * above the remaining bytes / 8 fails at once. Sets *out_num. Returns 0 or
 * LIBSSH2_ERROR_AGENT_PROTOCOL. Allocates nothing. */
int s2_agent_parse_identities(const uint8_t *msg, size_t len, uint32_t *out_num) S2_MUST_CHECK;

/* A parsed SIGN_RESPONSE; views borrow the message. */
struct s2_agent_sig {
    struct s2_rd blob; /* the whole signature blob */
    struct s2_rd alg;  /* its algorithm name */
    struct s2_rd sig;  /* its signature bytes */
};

/* s2_agent_parse_sign_response parses a whole SIGN_RESPONSE |msg|: byte 14,
 * string signature blob (at most S2_SIG_MAX) which itself is string
 * algorithm (at most S2_NAME_MAX) and string signature, nothing after in
 * either. Returns 0 or LIBSSH2_ERROR_AGENT_PROTOCOL (including a FAILURE
 * reply). Allocates nothing. */
int s2_agent_parse_sign_response(const uint8_t *msg, size_t len,
                                 struct s2_agent_sig *out) S2_MUST_CHECK;

/* ---- Unix-socket transport (agent_unix.c) ---- */

/* s2_agent_unix_connect opens a stream socket to |path| (close-on-exec,
 * then non-blocking). Returns 0 and *out_fd; BAD_SOCKET or AGENT_PROTOCOL,
 * with the message recorded in |env|. */
int s2_agent_unix_connect(struct s2_env *env, const char *path, int *out_fd) S2_MUST_CHECK;
/* s2_agent_unix_transact sends |req| (|req_len| bytes, without the length
 * prefix) framed with a uint32 length, then reads one framed reply into
 * |reply| (an allocator-backed writer, emptied first), all before
 * |timeout_ms| elapses. A reply length of 0 or above S2_AGENT_MSG_MAX, or
 * end of stream before the whole reply, is AGENT_PROTOCOL; the deadline
 * passing is TIMEOUT; a send failure is SOCKET_SEND; a receive failure is
 * SOCKET_RECV. After any error the stream is out of step and the caller
 * must close it. Messages are recorded in |env|. */
int s2_agent_unix_transact(struct s2_env *env, int fd, long timeout_ms, const uint8_t *req,
                           size_t req_len, struct s2_wr *reply) S2_MUST_CHECK;
/* s2_agent_unix_close closes |fd| (negative is fine). */
void s2_agent_unix_close(int fd);

#endif /* S2_AGENT_H */
