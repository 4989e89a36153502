/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * agent.c: the ssh-agent client protocol (draft-miller-ssh-agent, RFC 9987
 * sections 6.2-6.5 and 6.1 numbers): REQUEST_IDENTITIES -> IDENTITIES_ANSWER,
 * SIGN_REQUEST -> SIGN_RESPONSE, FAILURE. Requests are built with the
 * writer, replies parsed with the bounded reader; the bytes move through
 * agent_unix.c.
 *
 * The connection has one state variable: fd (-1 when closed). Every
 * transaction runs to completion or to its deadline, so there is no resume
 * state; any transport error or unparsable reply closes the connection, as
 * the reply stream can no longer be trusted to be in step with requests.
 */
#include <stdlib.h>
#include <string.h>

#include "agent/agent.h"

struct s2_agent {
    struct s2_env *env;                  /* borrowed from the session */
    int fd;                              /* connected socket, or -1 */
    long timeout_ms;                     /* deadline of one transaction */
    char *path;                          /* set path, or NULL for $SSH_AUTH_SOCK */
    struct libssh2_agent_publickey *ids; /* num_ids entries, each owning blob + comment */
    size_t num_ids;
};

int
s2_agent_new(struct s2_env *env, struct s2_agent **out)
{
    struct s2_agent *ag;
    *out = NULL;
    ag = s2_zalloc(&env->alloc, sizeof *ag);
    if (ag == NULL) {
        return s2_err_set(env, LIBSSH2_ERROR_ALLOC, "out of memory for the agent handle");
    }
    ag->env = env;
    ag->fd = -1;
    ag->timeout_ms = S2_AGENT_TIMEOUT_MS;
    *out = ag;
    return 0;
}

static void
free_ids(struct s2_agent *ag)
{
    size_t i;
    for (i = 0; i < ag->num_ids; i++) {
        s2_free(&ag->env->alloc, ag->ids[i].blob);
        s2_free(&ag->env->alloc, ag->ids[i].comment);
    }
    s2_free(&ag->env->alloc, ag->ids);
    ag->ids = NULL;
    ag->num_ids = 0;
}

void
s2_agent_free(struct s2_agent *ag)
{
    if (ag == NULL) {
        return;
    }
    s2_agent_disconnect(ag);
    free_ids(ag);
    s2_free(&ag->env->alloc, ag->path);
    s2_free(&ag->env->alloc, ag);
}

int
s2_agent_set_path(struct s2_agent *ag, const char *path)
{
    char *copy = NULL;
    if (path != NULL) {
        copy = s2_memdup(&ag->env->alloc, path, strlen(path));
        if (copy == NULL) {
            return s2_err_set(ag->env, LIBSSH2_ERROR_ALLOC, "out of memory for the agent path");
        }
    }
    s2_free(&ag->env->alloc, ag->path);
    ag->path = copy;
    return 0;
}

const char *
s2_agent_path(const struct s2_agent *ag)
{
    return ag->path;
}

void
s2_agent_set_timeout(struct s2_agent *ag, long ms)
{
    ag->timeout_ms = ms > 0 ? ms : S2_AGENT_TIMEOUT_MS;
}

int
s2_agent_connect(struct s2_agent *ag)
{
    const char *path = ag->path;
    int fd = -1;
    int r;
    if (path == NULL) {
        path = getenv("SSH_AUTH_SOCK");
    }
    if (path == NULL || path[0] == '\0') {
        return s2_err_set(ag->env, LIBSSH2_ERROR_BAD_USE,
                          "no agent path set and SSH_AUTH_SOCK is not set");
    }
    s2_agent_disconnect(ag);
    r = s2_agent_unix_connect(ag->env, path, &fd);
    if (r != 0) {
        return r;
    }
    ag->fd = fd;
    return 0;
}

int
s2_agent_connected(const struct s2_agent *ag)
{
    return ag->fd >= 0;
}

void
s2_agent_disconnect(struct s2_agent *ag)
{
    if (ag->fd >= 0) {
        s2_agent_unix_close(ag->fd);
        ag->fd = -1;
    }
}

/* reply_type returns the message number of |reply|, or -1 when empty. */
static int
reply_type(const struct s2_wr *reply)
{
    struct s2_rd r;
    s2_rd_init(&r, reply->p, reply->len);
    return s2_rd_peek_u8(&r);
}

/* is_failure tells whether |type| is one of the agents' FAILURE replies: a
 * well-formed refusal after which the stream is still in step. */
static int
is_failure(int type)
{
    return type == SSH_AGENT_FAILURE || type == SSH2_AGENT_FAILURE ||
           type == SSH_COM_AGENT2_FAILURE;
}

/* One request/reply exchange; any failure closes the connection. */
static int
transact(struct s2_agent *ag, const uint8_t *req, size_t req_len, struct s2_wr *reply)
{
    int r;
    if (ag->fd < 0) {
        return s2_err_set(ag->env, LIBSSH2_ERROR_BAD_USE, "agent not connected");
    }
    r = s2_agent_unix_transact(ag->env, ag->fd, ag->timeout_ms, req, req_len, reply);
    if (r != 0) {
        s2_agent_disconnect(ag);
    }
    return r;
}

/* ---- IDENTITIES_ANSWER (draft section 6.3 / RFC 9987 3.3) ---- */

int
s2_agent_parse_identities(const uint8_t *msg, size_t len, uint32_t *out_num)
{
    struct s2_rd r, blob, comment;
    uint32_t num, i;

    *out_num = 0;
    s2_rd_init(&r, msg, len);
    if (s2_rd_u8(&r) != SSH_AGENT_IDENTITIES_ANSWER) { /* byte   SSH_AGENT_IDENTITIES_ANSWER */
        return LIBSSH2_ERROR_AGENT_PROTOCOL;
    }
    num = s2_rd_u32(&r); /* uint32 nkeys */
    if (s2_rd_ok(&r) != 0) {
        return LIBSSH2_ERROR_AGENT_PROTOCOL;
    }
    /* each key needs at least two length words: refuse a count the bytes
     * cannot hold before looping on it */
    if (num > S2_AGENT_IDS_MAX || num > r.left / 8) {
        return LIBSSH2_ERROR_AGENT_PROTOCOL;
    }
    for (i = 0; i < num; i++) {
        s2_rd_str(&r, S2_AGENT_BLOB_MAX, &blob);       /* string key blob */
        s2_rd_str(&r, S2_AGENT_COMMENT_MAX, &comment); /* string comment */
    }
    if (s2_rd_finish(&r) != 0) {
        return LIBSSH2_ERROR_AGENT_PROTOCOL;
    }
    *out_num = num;
    return 0;
}

/* Copies the |num| identities of an answer already checked by
 * s2_agent_parse_identities(). On failure nothing is kept. */
static int
store_ids(struct s2_agent *ag, const uint8_t *msg, size_t len, uint32_t num)
{
    const struct s2_allocator *a = &ag->env->alloc;
    struct libssh2_agent_publickey *ids = NULL;
    struct s2_rd r, blob, comment;
    size_t i, done = 0;
    int r_ok = 0;

    if (num > 0) {
        ids = s2_alloc_array(a, num, sizeof *ids);
        if (ids == NULL) {
            return s2_err_set(ag->env, LIBSSH2_ERROR_ALLOC, "out of memory for agent identities");
        }
        memset(ids, 0, (size_t)num * sizeof *ids);
    }
    s2_rd_init(&r, msg, len);
    s2_rd_skip(&r, 1 + 4);
    for (i = 0; i < num; i++) {
        s2_rd_str(&r, S2_AGENT_BLOB_MAX, &blob);
        s2_rd_str(&r, S2_AGENT_COMMENT_MAX, &comment);
        if (s2_rd_ok(&r) != 0) {
            r_ok = LIBSSH2_ERROR_AGENT_PROTOCOL; /* cannot happen: checked before */
            break;
        }
        ids[i].magic = S2_AGENT_ID_MAGIC;
        ids[i].node = &ids[i];
        ids[i].blob = (unsigned char *)s2_rd_strdup(&blob, a, S2_AGENT_BLOB_MAX);
        ids[i].blob_len = blob.left;
        ids[i].comment = s2_rd_strdup(&comment, a, S2_AGENT_COMMENT_MAX);
        done = i + 1;
        if (ids[i].blob == NULL || ids[i].comment == NULL) {
            r_ok = s2_err_set(ag->env, LIBSSH2_ERROR_ALLOC, "out of memory for agent identities");
            break;
        }
    }
    if (r_ok != 0) {
        for (i = 0; i < done; i++) {
            s2_free(a, ids[i].blob);
            s2_free(a, ids[i].comment);
        }
        s2_free(a, ids);
        return r_ok;
    }
    ag->ids = ids;
    ag->num_ids = num;
    return 0;
}

int
s2_agent_list(struct s2_agent *ag)
{
    static const uint8_t req[1] = {SSH_AGENTC_REQUEST_IDENTITIES}; /* byte only */
    struct s2_wr reply;
    uint32_t num = 0;
    int r;

    free_ids(ag);
    s2_wr_dyn(&reply, &ag->env->alloc, S2_AGENT_MSG_MAX);
    r = transact(ag, req, sizeof req, &reply);
    if (r != 0) {
        goto out;
    }
    r = s2_agent_parse_identities(reply.p, reply.len, &num);
    if (r != 0) {
        if (is_failure(reply_type(&reply))) {
            r = s2_err_set(ag->env, r, "agent refused to list identities");
        } else {
            s2_agent_disconnect(ag);
            r = s2_err_set(ag->env, r, "malformed agent identities answer");
        }
        goto out;
    }
    r = store_ids(ag, reply.p, reply.len, num);
    if (r != 0) {
        goto out;
    }
    s2_tracef(ag->env, LIBSSH2_TRACE_AUTH, "agent holds %u identities", (unsigned)num);
out:
    s2_wr_free(&reply);
    return r;
}

size_t
s2_agent_num_ids(const struct s2_agent *ag)
{
    return ag->num_ids;
}

struct libssh2_agent_publickey *
s2_agent_id(struct s2_agent *ag, size_t i)
{
    if (i >= ag->num_ids) {
        return NULL;
    }
    return &ag->ids[i];
}

int
s2_agent_id_index(const struct s2_agent *ag, const struct libssh2_agent_publickey *id,
                  size_t *out_i)
{
    size_t i;
    for (i = 0; i < ag->num_ids; i++) {
        if (&ag->ids[i] == id) {
            *out_i = i;
            return 0;
        }
    }
    return LIBSSH2_ERROR_BAD_USE;
}

/* ---- SIGN_REQUEST / SIGN_RESPONSE (draft section 6.5 / RFC 9987 3.6) ---- */

static const char CERT_SUFFIX[] = "-cert-v01@openssh.com";

/* The length of |alg| without a certificate suffix. */
static size_t
plain_len(const char *alg, size_t alg_len)
{
    size_t n = sizeof CERT_SUFFIX - 1;
    if (alg_len > n && memcmp(alg + alg_len - n, CERT_SUFFIX, n) == 0) {
        return alg_len - n;
    }
    return alg_len;
}

uint32_t
s2_agent_sign_flags(const char *alg, size_t alg_len)
{
    size_t n;
    if (alg == NULL) {
        return 0;
    }
    n = plain_len(alg, alg_len);
    if (n == 12 && memcmp(alg, "rsa-sha2-256", 12) == 0) {
        return SSH_AGENT_RSA_SHA2_256;
    }
    if (n == 12 && memcmp(alg, "rsa-sha2-512", 12) == 0) {
        return SSH_AGENT_RSA_SHA2_512;
    }
    return 0;
}

int
s2_agent_parse_sign_response(const uint8_t *msg, size_t len, struct s2_agent_sig *out)
{
    struct s2_rd r, inner;

    memset(out, 0, sizeof *out);
    s2_rd_init(&r, msg, len);
    if (s2_rd_u8(&r) != SSH_AGENT_SIGN_RESPONSE) { /* byte   SSH_AGENT_SIGN_RESPONSE */
        return LIBSSH2_ERROR_AGENT_PROTOCOL;
    }
    s2_rd_str(&r, S2_SIG_MAX, &out->blob); /* string signature */
    if (s2_rd_finish(&r) != 0) {
        memset(out, 0, sizeof *out);
        return LIBSSH2_ERROR_AGENT_PROTOCOL;
    }
    inner = out->blob;
    s2_rd_str(&inner, S2_NAME_MAX, &out->alg); /*   string algorithm name */
    s2_rd_str(&inner, S2_SIG_MAX, &out->sig);  /*   string signature bytes */
    if (s2_rd_finish(&inner) != 0 || out->alg.left == 0) {
        memset(out, 0, sizeof *out);
        return LIBSSH2_ERROR_AGENT_PROTOCOL;
    }
    return 0;
}

int
s2_agent_sign(struct s2_agent *ag, const uint8_t *blob, size_t blob_len, const char *alg,
              size_t alg_len, const uint8_t *data, size_t data_len, struct s2_wr *sig_blob)
{
    struct s2_wr req, reply;
    struct s2_agent_sig sig;
    size_t plain;
    int r;

    s2_wr_dyn(&req, &ag->env->alloc, S2_AGENT_MSG_MAX);
    s2_wr_dyn(&reply, &ag->env->alloc, S2_AGENT_MSG_MAX);
    if (ag->fd < 0) {
        r = s2_err_set(ag->env, LIBSSH2_ERROR_BAD_USE, "agent not connected");
        goto out;
    }
    if (alg == NULL || alg_len == 0 || alg_len > S2_NAME_MAX) {
        r = s2_err_set(ag->env, LIBSSH2_ERROR_BAD_USE, "no valid signature algorithm given");
        goto out;
    }
    s2_wr_u8(&req, SSH_AGENTC_SIGN_REQUEST);            /* byte   SSH_AGENTC_SIGN_REQUEST */
    s2_wr_str(&req, blob, blob_len);                    /* string key blob */
    s2_wr_str(&req, data, data_len);                    /* string data */
    s2_wr_u32(&req, s2_agent_sign_flags(alg, alg_len)); /* uint32 flags */
    if (s2_wr_ok(&req) != 0) {
        r = req.err == LIBSSH2_ERROR_ALLOC
                ? s2_err_set(ag->env, LIBSSH2_ERROR_ALLOC, "out of memory for an agent request")
                : s2_err_set(ag->env, LIBSSH2_ERROR_OUT_OF_BOUNDARY,
                             "agent sign request too large");
        goto out;
    }
    r = transact(ag, req.p, req.len, &reply);
    if (r != 0) {
        goto out;
    }
    r = s2_agent_parse_sign_response(reply.p, reply.len, &sig);
    if (r != 0) {
        if (is_failure(reply_type(&reply))) {
            r = s2_err_set(ag->env, r, "agent refused to sign");
        } else {
            s2_agent_disconnect(ag);
            r = s2_err_set(ag->env, r, "malformed agent sign response");
        }
        goto out;
    }
    /* the agent must have used the algorithm we asked for; for a
     * certificate algorithm agents may name the plain one */
    plain = plain_len(alg, alg_len);
    if (!((sig.alg.left == alg_len && memcmp(sig.alg.p, alg, alg_len) == 0) ||
          (sig.alg.left == plain && memcmp(sig.alg.p, alg, plain) == 0))) {
        char got[S2_NAME_MAX + 1];
        s2_escape(got, sizeof got, sig.alg.p, sig.alg.left);
        r = s2_err_setf(ag->env, LIBSSH2_ERROR_ALGO_UNSUPPORTED,
                        "agent signed with %s instead of the requested algorithm", got);
        goto out;
    }
    s2_wr_raw(sig_blob, sig.blob.p, sig.blob.left);
    r = s2_wr_ok(sig_blob);
    if (r != 0) {
        r = s2_err_set(ag->env, r, "cannot store the agent's signature");
    }
out:
    s2_wr_free(&req);
    s2_wr_free(&reply);
    return r;
}
