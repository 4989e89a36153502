/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libssh2_agent_* entry points: the agent handle over src/agent (connect,
 * list and iterate identities, sign, disconnect, free, socket path) and
 * libssh2_agent_userauth, which runs the userauth layer's "publickey"
 * method with the agent as the signer.
 *
 * Agent transactions are synchronous with a deadline (the session timeout,
 * else its read timeout, else S2_AGENT_TIMEOUT_MS): the agent is a local
 * process, and libssh2 itself blocks on it. Only the SSH side of
 * libssh2_agent_userauth honours non-blocking mode.
 */
#include <string.h>

#include "agent/agent.h"
#include "api/session_int.h"

struct _LIBSSH2_AGENT {
    LIBSSH2_SESSION *session; /* borrowed; outlives the agent */
    struct s2_agent *ag;
    int ua_pending;   /* this agent's userauth is s->op == S2_OP_UA_AGENT */
    uint8_t *ua_blob; /* key of the pending userauth (owned copy) */
    size_t ua_blob_len;
};

/* The deadline of one agent transaction, from the session's timeouts. */
static void
set_deadline(LIBSSH2_AGENT *agent)
{
    LIBSSH2_SESSION *s = agent->session;
    long ms = 0;
    if (s->timeout_ms > 0) {
        ms = s->timeout_ms;
    } else if (s->read_timeout_s > 0 && s->read_timeout_s < 1000000L) {
        ms = s->read_timeout_s * 1000L;
    }
    s2_agent_set_timeout(agent->ag, ms);
}

LIBSSH2_API LIBSSH2_AGENT *
libssh2_agent_init(LIBSSH2_SESSION *session)
{
    LIBSSH2_AGENT *agent;
    if (session == NULL) {
        return NULL;
    }
    agent = s2_zalloc(&session->env.alloc, sizeof *agent);
    if (agent == NULL) {
        s2_api_fail(session, LIBSSH2_ERROR_ALLOC, "out of memory for the agent handle");
        return NULL;
    }
    agent->session = session;
    if (s2_agent_new(&session->env, &agent->ag) != 0) {
        s2_free(&session->env.alloc, agent);
        return NULL;
    }
    return agent;
}

LIBSSH2_API int
libssh2_agent_connect(LIBSSH2_AGENT *agent)
{
    if (agent == NULL) {
        return LIBSSH2_ERROR_BAD_USE;
    }
    return s2_agent_connect(agent->ag);
}

LIBSSH2_API int
libssh2_agent_list_identities(LIBSSH2_AGENT *agent)
{
    if (agent == NULL) {
        return LIBSSH2_ERROR_BAD_USE;
    }
    if (agent->ua_pending) {
        return s2_api_fail(agent->session, LIBSSH2_ERROR_BAD_USE,
                           "agent userauth pending: cannot refresh identities");
    }
    set_deadline(agent);
    return s2_agent_list(agent->ag);
}

LIBSSH2_API int
libssh2_agent_get_identity(LIBSSH2_AGENT *agent, struct libssh2_agent_publickey **store,
                           struct libssh2_agent_publickey *prev)
{
    struct libssh2_agent_publickey *id;
    size_t i = 0;
    if (agent == NULL || store == NULL) {
        return LIBSSH2_ERROR_BAD_USE;
    }
    if (prev != NULL) {
        if (s2_agent_id_index(agent->ag, prev, &i) != 0) {
            return s2_api_fail(agent->session, LIBSSH2_ERROR_BAD_USE,
                               "identity is not from this agent's current list");
        }
        i++;
    }
    id = s2_agent_id(agent->ag, i);
    if (id == NULL) {
        return 1;
    }
    *store = id;
    return 0;
}

/* key_type_name views the type name at the start of a key blob. */
static int
key_type_name(const struct libssh2_agent_publickey *id, struct s2_rd *name)
{
    struct s2_rd r;
    s2_rd_init(&r, id->blob, id->blob_len);
    s2_rd_str(&r, S2_NAME_MAX, name);
    if (s2_rd_ok(&r) != 0 || name->left == 0) {
        return LIBSSH2_ERROR_BUFFER_TOO_SMALL;
    }
    return 0;
}

LIBSSH2_API int
libssh2_agent_sign(LIBSSH2_AGENT *agent, struct libssh2_agent_publickey *identity,
                   unsigned char **sig, size_t *s_len, const unsigned char *data, size_t d_len,
                   const char *method, unsigned int method_len)
{
    LIBSSH2_SESSION *s;
    struct s2_wr blob;
    struct s2_rd name, r, alg_v, sig_v;
    char alg[S2_NAME_MAX + 1];
    size_t alg_len;
    int rc;

    if (agent == NULL || identity == NULL || identity->blob == NULL || sig == NULL ||
        s_len == NULL || (data == NULL && d_len > 0)) {
        return LIBSSH2_ERROR_BAD_USE;
    }
    s = agent->session;
    *sig = NULL;
    *s_len = 0;
    rc = key_type_name(identity, &name);
    if (rc != 0) {
        return s2_api_fail(s, rc, "identity key blob too short");
    }
    /* no method: the key's own type, as the man page describes */
    if (method == NULL || method_len == 0) {
        method = (const char *)name.p;
        method_len = (unsigned int)name.left;
    }
    if (method_len > S2_NAME_MAX) {
        return s2_api_fail(s, LIBSSH2_ERROR_METHOD_NOT_SUPPORTED, "signature method name too long");
    }
    memcpy(alg, method, method_len);
    alg[method_len] = '\0';
    alg_len = method_len;

    set_deadline(agent);
    s2_wr_dyn(&blob, &s->env.alloc, S2_SIG_MAX + 8);
    rc = s2_agent_sign(agent->ag, identity->blob, identity->blob_len, alg, alg_len,
                       data != NULL ? data : (const unsigned char *)"", d_len, &blob);
    if (rc != 0) {
        goto out;
    }
    /* libssh2 hands back the signature bytes without the algorithm name */
    s2_rd_init(&r, blob.p, blob.len);
    s2_rd_str(&r, S2_NAME_MAX, &alg_v);
    s2_rd_str(&r, S2_SIG_MAX, &sig_v);
    rc = s2_rd_finish(&r);
    if (rc != 0) {
        rc = s2_api_fail(s, LIBSSH2_ERROR_AGENT_PROTOCOL, "malformed agent signature");
        goto out;
    }
    *sig = (unsigned char *)s2_rd_strdup(&sig_v, &s->env.alloc, S2_SIG_MAX);
    if (*sig == NULL) {
        rc = s2_api_fail(s, LIBSSH2_ERROR_ALLOC, "out of memory for the signature");
        goto out;
    }
    *s_len = sig_v.left;
out:
    s2_wr_free(&blob);
    return rc;
}

/* agent_sign_cb is the userauth layer's signer: the agent signs. */
static int
agent_sign_cb(void *ctx, const char *alg, const uint8_t *data, size_t data_len,
              struct s2_wr *sig_blob)
{
    LIBSSH2_AGENT *agent = ctx;
    set_deadline(agent);
    return s2_agent_sign(agent->ag, agent->ua_blob, agent->ua_blob_len, alg, strlen(alg), data,
                         data_len, sig_blob);
}

static int
poll_agent_ua(LIBSSH2_SESSION *s, void *arg)
{
    (void)arg;
    return s2_ua_poll(s->ua);
}

static void
ua_end(LIBSSH2_AGENT *agent)
{
    s2_free(&agent->session->env.alloc, agent->ua_blob);
    agent->ua_blob = NULL;
    agent->ua_blob_len = 0;
    agent->ua_pending = 0;
    agent->session->op = S2_OP_NONE;
}

LIBSSH2_API int
libssh2_agent_userauth(LIBSSH2_AGENT *agent, const char *username,
                       struct libssh2_agent_publickey *identity)
{
    LIBSSH2_SESSION *s;
    int r;

    if (agent == NULL || username == NULL) {
        return LIBSSH2_ERROR_BAD_USE;
    }
    s = agent->session;
    r = s2_tp_dead(s->tp);
    if (r != 0) {
        return r;
    }
    if (s->op == S2_OP_UA_AGENT && agent->ua_pending) {
        /* continue the pending call (arguments were copied at the start) */
    } else if (s->op != S2_OP_NONE) {
        return s2_api_fail(s, LIBSSH2_ERROR_BAD_USE, "another call is pending");
    } else {
        if (identity == NULL || identity->blob == NULL || identity->blob_len == 0) {
            return s2_api_fail(s, LIBSSH2_ERROR_BAD_USE, "no identity given");
        }
        if (!s2_tp_ready(s->tp)) {
            return s2_api_fail(s, LIBSSH2_ERROR_BAD_USE, "authentication before the handshake");
        }
        if (!s2_agent_connected(agent->ag)) {
            return s2_api_fail(s, LIBSSH2_ERROR_BAD_USE, "agent not connected");
        }
        agent->ua_blob = (uint8_t *)s2_memdup(&s->env.alloc, identity->blob, identity->blob_len);
        if (agent->ua_blob == NULL) {
            return s2_api_fail(s, LIBSSH2_ERROR_ALLOC, "out of memory for the identity");
        }
        agent->ua_blob_len = identity->blob_len;
        r = s2_ua_start_publickey(s->ua, username, strlen(username), agent->ua_blob,
                                  agent->ua_blob_len, agent_sign_cb, agent);
        if (r != 0) {
            s2_free(&s->env.alloc, agent->ua_blob);
            agent->ua_blob = NULL;
            agent->ua_blob_len = 0;
            return r;
        }
        agent->ua_pending = 1;
        s->op = S2_OP_UA_AGENT;
    }
    r = s2_api_run(s, poll_agent_ua, NULL);
    if (r != LIBSSH2_ERROR_EAGAIN) {
        ua_end(agent);
    }
    if (r == 0) {
        s2_tp_trim(s->tp); /* an idle session keeps small buffers */
    }
    return r;
}

LIBSSH2_API int
libssh2_agent_disconnect(LIBSSH2_AGENT *agent)
{
    if (agent == NULL) {
        return LIBSSH2_ERROR_BAD_USE;
    }
    s2_agent_disconnect(agent->ag);
    return 0;
}

LIBSSH2_API void
libssh2_agent_free(LIBSSH2_AGENT *agent)
{
    LIBSSH2_SESSION *s;
    if (agent == NULL) {
        return;
    }
    s = agent->session;
    if (agent->ua_pending) {
        /* the userauth layer must keep no pointer into the agent */
        s2_ua_cancel(s->ua);
        ua_end(agent);
    }
    s2_agent_free(agent->ag);
    s2_free(&s->env.alloc, agent);
}

LIBSSH2_API void
libssh2_agent_set_identity_path(LIBSSH2_AGENT *agent, const char *path)
{
    if (agent == NULL) {
        return;
    }
    if (s2_agent_set_path(agent->ag, path) != 0) {
        return; /* ALLOC, recorded in the session; the old path is kept */
    }
}

LIBSSH2_API const char *
libssh2_agent_get_identity_path(LIBSSH2_AGENT *agent)
{
    if (agent == NULL) {
        return NULL;
    }
    return s2_agent_path(agent->ag);
}
