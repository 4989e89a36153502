/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The connection layer (RFC 4254): the channel table, routing of messages
 * 80-127, global requests and their in-order replies, keepalive, and
 * server-initiated opens (accepted only for a registered remote forward,
 * refused otherwise without allocating a channel).
 */
#include <string.h>

#include "channel/chan_int.h"

enum { GKIND_KEEPALIVE = 0, GKIND_USER = 1 };

static int flush_conn_owed(struct s2_conn *c);

int
s2_conn_new(struct s2_env *env, struct s2_tp *tp, struct s2_conn **out)
{
    struct s2_conn *c = s2_zalloc(&env->alloc, sizeof *c);
    if (c == NULL) {
        return s2_err_set(env, LIBSSH2_ERROR_ALLOC, "out of memory for the connection layer");
    }
    c->env = env;
    c->tp = tp;
    s2_wr_dyn(&c->g_reply, &env->alloc, S2_PACKET_MAX);
    *out = c;
    return 0;
}

void
s2_conn_free(struct s2_conn *c)
{
    const struct s2_allocator *a;
    size_t i;
    if (c == NULL) {
        return;
    }
    a = &c->env->alloc;
    for (i = 0; i < S2_LISTENERS_MAX; i++) {
        /* queued channels are also in the table, destroyed below */
        c->listeners[i].queue_len = 0;
        s2_conn_listen_remove(c, (int)i);
    }
    for (i = 0; i < c->tab_cap; i++) {
        if (c->tab[i] != NULL) {
            s2_chan_destroy(c->tab[i]);
        }
    }
    s2_free(a, c->tab);
    s2_free(a, c->g_name);
    s2_free(a, c->g_data);
    s2_wr_free(&c->g_reply);
    s2_free(a, c);
}

int
s2_conn_proto(struct s2_conn *c, const char *msg)
{
    return s2_tp_fatal(c->tp, LIBSSH2_ERROR_PROTO, SSH_DISCONNECT_PROTOCOL_ERROR, msg);
}

/* ---- the channel table ---- */

static int
table_slot(struct s2_conn *c, uint32_t *id)
{
    size_t i, cap;
    struct s2_chan **nt;
    for (i = 0; i < c->tab_cap; i++) {
        if (c->tab[i] == NULL) {
            *id = (uint32_t)i;
            return 0;
        }
    }
    if (c->tab_cap >= S2_CHANNELS_MAX) {
        return s2_err_set(c->env, LIBSSH2_ERROR_CHANNEL_FAILURE, "too many channels");
    }
    cap = c->tab_cap == 0 ? 8 : c->tab_cap * 2;
    nt = s2_realloc(&c->env->alloc, c->tab, cap * sizeof *nt);
    if (nt == NULL) {
        return s2_err_set(c->env, LIBSSH2_ERROR_ALLOC, "out of memory for the channel table");
    }
    memset(nt + c->tab_cap, 0, (cap - c->tab_cap) * sizeof *nt);
    *id = (uint32_t)c->tab_cap;
    c->tab = nt;
    c->tab_cap = cap;
    return 0;
}

static struct s2_chan *
new_chan(struct s2_conn *c, uint32_t window, uint32_t max_packet)
{
    struct s2_chan *ch;
    uint32_t id = 0;
    if (table_slot(c, &id) != 0) {
        return NULL;
    }
    ch = s2_zalloc(&c->env->alloc, sizeof *ch);
    if (ch == NULL) {
        s2_err_set(c->env, LIBSSH2_ERROR_ALLOC, "out of memory for a channel");
        return NULL;
    }
    ch->conn = c;
    ch->local_id = id;
    ch->local_window = window;
    ch->local_window_initial = window;
    ch->local_maxpacket = max_packet;
    c->tab[id] = ch;
    return ch;
}

void
s2_chan_destroy(struct s2_chan *ch)
{
    const struct s2_allocator *a = &ch->conn->env->alloc;
    if (ch->conn->tab[ch->local_id] == ch) {
        ch->conn->tab[ch->local_id] = NULL;
    }
    s2_free_secret(a, ch->data.p, ch->data.cap);
    s2_free_secret(a, ch->ext.p, ch->ext.cap);
    s2_free(a, ch->type);
    s2_free(a, ch->open_data);
    s2_free(a, ch->req_name);
    s2_free_secret(a, ch->req_data, ch->req_data_len);
    s2_free(a, ch->exit_signal);
    s2_free(a, ch->exit_msg);
    s2_free(a, ch->exit_lang);
    s2_free(a, ch);
}

int
s2_chan_open(struct s2_conn *c, const char *type, size_t type_len, uint32_t window,
             uint32_t max_packet, const uint8_t *data, size_t data_len, struct s2_chan **out)
{
    struct s2_chan *ch;
    if (max_packet == 0 || max_packet > S2_PAYLOAD_MAX - 64) {
        max_packet = S2_PAYLOAD_MAX - 64; /* what our input path accepts */
    }
    ch = new_chan(c, window, max_packet);
    if (ch == NULL) {
        return c->env->err.code;
    }
    ch->type = s2_memdup(&c->env->alloc, type, type_len);
    ch->type_len = type_len;
    if (data_len > 0) {
        ch->open_data = (uint8_t *)s2_memdup(&c->env->alloc, data, data_len);
        ch->open_data_len = data_len;
    }
    if (ch->type == NULL || (data_len > 0 && ch->open_data == NULL)) {
        s2_chan_destroy(ch);
        return s2_err_set(c->env, LIBSSH2_ERROR_ALLOC, "out of memory for a channel");
    }
    ch->state = S2_CH_OPEN_QUEUED;
    *out = ch;
    return 0;
}

static struct s2_chan *
lookup(struct s2_conn *c, uint32_t id)
{
    if (id >= c->tab_cap) {
        return NULL;
    }
    return c->tab[id];
}

/* ---- owed messages ---- */

int
s2_conn_flush_pending(struct s2_conn *c)
{
    size_t i;
    int r;
    if (!c->dirty) {
        return 0;
    }
    c->dirty = 0;
    r = flush_conn_owed(c);
    if (r == LIBSSH2_ERROR_EAGAIN) {
        c->dirty = 1;
        return 0;
    }
    if (r != 0) {
        return r;
    }
    for (i = 0; i < c->tab_cap; i++) {
        struct s2_chan *ch = c->tab[i];
        if (ch == NULL) {
            continue;
        }
        r = s2_chan_flush_one(ch);
        if (r == LIBSSH2_ERROR_EAGAIN) {
            c->dirty = 1;
            return 0;
        }
        if (r != 0) {
            return r;
        }
    }
    return 0;
}

/* ---- global requests (RFC 4254 4) ---- */

static int
gfifo_push(struct s2_conn *c, uint8_t kind)
{
    if (c->gfifo_len >= S2_GLOBAL_FIFO) {
        return LIBSSH2_ERROR_EAGAIN;
    }
    c->gfifo[(c->gfifo_head + c->gfifo_len) % S2_GLOBAL_FIFO] = kind;
    c->gfifo_len++;
    return 0;
}

static int
send_global(struct s2_conn *c, const char *name, int want_reply, const uint8_t *data,
            size_t data_len, uint8_t kind)
{
    struct s2_wr *w = NULL;
    int r;
    if (want_reply && c->gfifo_len >= S2_GLOBAL_FIFO) {
        return LIBSSH2_ERROR_EAGAIN;
    }
    r = s2_tp_begin(c->tp, 0, strlen(name) + data_len + 16, &w);
    if (r != 0) {
        return r;
    }
    /* byte 80, string request name, boolean want reply, request data */
    s2_wr_u8(w, SSH_MSG_GLOBAL_REQUEST);
    s2_wr_cstr(w, name);
    s2_wr_bool(w, want_reply);
    s2_wr_raw(w, data, data_len);
    r = s2_tp_commit(c->tp);
    if (r == 0 && want_reply) {
        r = gfifo_push(c, kind);
    }
    return r;
}

int
s2_conn_global_request(struct s2_conn *c, const char *name, int want_reply, const uint8_t *data,
                       size_t data_len)
{
    const struct s2_allocator *a = &c->env->alloc;
    if (c->g_state == S2_REQ_QUEUED || c->g_state == S2_REQ_WAIT) {
        return s2_err_set(c->env, LIBSSH2_ERROR_BAD_USE, "a global request is pending");
    }
    s2_free(a, c->g_name);
    s2_free(a, c->g_data);
    c->g_name = s2_memdup(a, name, strlen(name));
    c->g_data = (uint8_t *)s2_memdup(a, data, data_len);
    if (c->g_name == NULL || c->g_data == NULL) {
        return s2_err_set(c->env, LIBSSH2_ERROR_ALLOC, "out of memory for a global request");
    }
    c->g_data_len = data_len;
    c->g_want_reply = want_reply;
    c->g_state = S2_REQ_QUEUED;
    s2_wr_reset(&c->g_reply);
    return 0;
}

int
s2_conn_poll_global(struct s2_conn *c, struct s2_rd *reply)
{
    int r;
    if (c->g_state == S2_REQ_QUEUED) {
        r = send_global(c, c->g_name, c->g_want_reply, c->g_data, c->g_data_len, GKIND_USER);
        if (r != 0) {
            return r;
        }
        c->g_state = c->g_want_reply ? S2_REQ_WAIT : S2_REQ_DONE;
        c->g_result = 0;
    }
    if (c->g_state == S2_REQ_WAIT) {
        return LIBSSH2_ERROR_EAGAIN;
    }
    if (c->g_state != S2_REQ_DONE) {
        return s2_err_set(c->env, LIBSSH2_ERROR_BAD_USE, "no global request pending");
    }
    c->g_state = S2_REQ_NONE;
    s2_rd_init(reply, c->g_reply.p, c->g_reply.len);
    if (c->g_result != 0) {
        return s2_err_set(c->env, c->g_result, "the server refused the global request");
    }
    return 0;
}

static int
on_global_reply(struct s2_conn *c, uint8_t msg, struct s2_rd *r)
{
    uint8_t kind;
    if (c->gfifo_len == 0) {
        return s2_conn_proto(c, "global request reply with no request pending");
    }
    kind = c->gfifo[c->gfifo_head];
    c->gfifo_head = (c->gfifo_head + 1) % S2_GLOBAL_FIFO;
    c->gfifo_len--;
    if (kind == GKIND_USER && c->g_state == S2_REQ_WAIT) {
        s2_wr_reset(&c->g_reply);
        s2_wr_raw(&c->g_reply, r->p, r->left);
        c->g_result = msg == SSH_MSG_REQUEST_SUCCESS ? 0 : LIBSSH2_ERROR_REQUEST_DENIED;
        c->g_state = S2_REQ_DONE;
    }
    return 0; /* keepalive replies are consumed */
}

/* the server's own global requests (hostkeys-00, keepalive): we know none,
 * so the answer is REQUEST_FAILURE when a reply is wanted (RFC 4254 4) */
static int
on_global_request(struct s2_conn *c, struct s2_rd *r)
{
    struct s2_rd name;
    uint8_t fail = SSH_MSG_REQUEST_FAILURE;
    int want;
    if (c->gfail_owed >= S2_CHANNELS_MAX) {
        return s2_conn_proto(c, "too many unanswered global requests");
    }
    s2_rd_str(r, S2_STRING_MAX, &name);
    want = s2_rd_bool(r);
    if (s2_rd_ok(r) != 0) {
        return s2_conn_proto(c, "malformed GLOBAL_REQUEST");
    }
    if (!want) {
        return 0;
    }
    (void)fail;
    c->gfail_owed++; /* sent by s2_conn_flush_pending, never inside a KEX */
    c->dirty = 1;
    return 0;
}

int
s2_conn_keepalive(struct s2_conn *c, int want_reply, unsigned interval, int *next)
{
    int64_t now = s2_now_ms();
    int64_t due = c->last_keepalive_ms + (int64_t)interval * 1000;
    int r;
    if (interval == 0) {
        *next = 0;
        return 0;
    }
    if (c->last_keepalive_ms != 0 && now < due) {
        *next = (int)((due - now + 999) / 1000);
        return 0;
    }
    r = send_global(c, "keepalive@openssh.com", want_reply, NULL, 0, GKIND_KEEPALIVE);
    if (r != 0) {
        return r;
    }
    c->last_keepalive_ms = now;
    *next = (int)interval;
    return 0;
}

/* ---- server-initiated opens ---- */

/* refuse owes an OPEN_FAILURE; it is sent by s2_conn_flush_pending */
static int
refuse(struct s2_conn *c, uint32_t sender, uint32_t reason)
{
    if (c->refusals_len >= S2_GLOBAL_FIFO) {
        return s2_conn_proto(c, "too many unanswered channel opens");
    }
    c->refusals[c->refusals_len].sender = sender;
    c->refusals[c->refusals_len].reason = reason;
    c->refusals_len++;
    c->dirty = 1;
    return 0;
}

static int
send_open_failure(struct s2_conn *c, uint32_t sender, uint32_t reason)
{
    struct s2_wr *w = NULL;
    int r = s2_tp_begin(c->tp, 0, 64, &w);
    if (r != 0) {
        return r;
    }
    /* byte 92, uint32 recipient, uint32 reason, string description, string lang */
    s2_wr_u8(w, SSH_MSG_CHANNEL_OPEN_FAILURE);
    s2_wr_u32(w, sender);
    s2_wr_u32(w, reason);
    s2_wr_cstr(w, reason == SSH_OPEN_RESOURCE_SHORTAGE ? "no resources" : "open not requested");
    s2_wr_cstr(w, "");
    return s2_tp_commit(c->tp);
}

/* flush_conn_owed sends the connection-level replies owed, in order. */
static int
flush_conn_owed(struct s2_conn *c)
{
    uint8_t fail = SSH_MSG_REQUEST_FAILURE;
    int r;
    while (c->gfail_owed > 0) {
        r = s2_tp_send(c->tp, 0, &fail, 1);
        if (r != 0) {
            return r;
        }
        c->gfail_owed--;
    }
    while (c->refusals_len > 0) {
        r = send_open_failure(c, c->refusals[0].sender, c->refusals[0].reason);
        if (r != 0) {
            return r;
        }
        memmove(c->refusals, c->refusals + 1, (c->refusals_len - 1) * sizeof c->refusals[0]);
        c->refusals_len--;
    }
    return 0;
}

static struct s2_listener *
find_listener(struct s2_conn *c, const struct s2_rd *host, uint32_t port)
{
    size_t i;
    for (i = 0; i < S2_LISTENERS_MAX; i++) {
        struct s2_listener *l = &c->listeners[i];
        if (l->used && l->type == NULL && l->port == port) {
            (void)host; /* the server reports the address it bound; match on port */
            return l;
        }
    }
    return NULL;
}

/* CHANNEL_OPEN (RFC 4254 5.1): string type, uint32 sender, uint32 window,
 * uint32 max packet, type-specific data */
static int
on_open(struct s2_conn *c, struct s2_rd *r)
{
    struct s2_rd type, host, orig;
    uint32_t sender, window, maxpkt, port, oport;
    struct s2_listener *l = NULL;
    struct s2_chan *ch;

    s2_rd_str(r, 64, &type);
    sender = s2_rd_u32(r);
    window = s2_rd_u32(r);
    maxpkt = s2_rd_u32(r);
    if (s2_rd_ok(r) != 0) {
        return s2_conn_proto(c, "malformed CHANNEL_OPEN");
    }
    if (s2_rd_eq(&type, "forwarded-tcpip")) {
        /* string address connected, uint32 port, string originator, uint32 port */
        s2_rd_str(r, 256, &host);
        port = s2_rd_u32(r);
        s2_rd_str(r, 256, &orig);
        oport = s2_rd_u32(r);
        if (s2_rd_ok(r) == 0) {
            l = find_listener(c, &host, port);
        }
    } else {
        size_t i;
        for (i = 0; i < S2_LISTENERS_MAX && l == NULL; i++) {
            if (c->listeners[i].used && c->listeners[i].type != NULL &&
                s2_rd_eq(&type, c->listeners[i].type)) {
                l = &c->listeners[i];
            }
        }
        if (l != NULL && s2_rd_eq(&type, "x11")) {
            /* RFC 4254 6.3.2: string originator address, uint32 originator port */
            s2_rd_str(r, 63, &orig);
            oport = s2_rd_u32(r);
            if (s2_rd_ok(r) != 0) {
                orig.left = 0;
                oport = 0;
            }
        } else {
            orig.left = 0;
            oport = 0;
        }
    }
    if (l == NULL || l->queue_len >= l->queue_max) {
        return refuse(c, sender, SSH_OPEN_ADMINISTRATIVELY_PROHIBITED);
    }
    ch = new_chan(c, LIBSSH2_CHANNEL_WINDOW_DEFAULT, LIBSSH2_CHANNEL_PACKET_DEFAULT);
    if (ch == NULL) {
        return refuse(c, sender, SSH_OPEN_RESOURCE_SHORTAGE);
    }
    ch->remote_id = sender;
    ch->remote_window = window;
    ch->remote_window_initial = window;
    ch->remote_maxpacket = maxpkt;
    if (orig.left > 0 && orig.left < sizeof ch->origin) {
        memcpy(ch->origin, orig.p, orig.left);
        ch->origin[orig.left] = '\0';
        ch->origin_port = oport;
    }
    if (maxpkt == 0) {
        s2_chan_destroy(ch);
        return s2_conn_proto(c, "channel open with a maximum packet size of 0");
    }
    ch->state = S2_CH_OPEN;
    ch->confirm_owed = 1; /* sent by s2_conn_flush_pending */
    c->dirty = 1;
    l->queue[l->queue_len++] = ch;
    return 0;
}

int
s2_conn_listen_add(struct s2_conn *c, const char *host, int port, int queue)
{
    size_t i;
    for (i = 0; i < S2_LISTENERS_MAX; i++) {
        struct s2_listener *l = &c->listeners[i];
        if (l->used) {
            continue;
        }
        l->queue_max = queue <= 0 ? 16 : (size_t)queue;
        l->queue = s2_alloc_array(&c->env->alloc, l->queue_max, sizeof *l->queue);
        l->host = s2_memdup(&c->env->alloc, host, strlen(host));
        if (l->queue == NULL || l->host == NULL) {
            s2_free(&c->env->alloc, l->queue);
            s2_free(&c->env->alloc, l->host);
            l->queue = NULL;
            l->host = NULL;
            return s2_err_set(c->env, LIBSSH2_ERROR_ALLOC, "out of memory for a listener");
        }
        l->port = (uint32_t)port;
        l->queue_len = 0;
        l->used = 1;
        return (int)i;
    }
    return s2_err_set(c->env, LIBSSH2_ERROR_REQUEST_DENIED, "too many listeners");
}

int
s2_conn_listen_type(struct s2_conn *c, const char *type, int queue)
{
    size_t i;
    for (i = 0; i < S2_LISTENERS_MAX; i++) {
        if (c->listeners[i].used && c->listeners[i].type == type) {
            return (int)i; /* one per type */
        }
    }
    i = (size_t)s2_conn_listen_add(c, type, 0, queue);
    if ((int)i >= 0) {
        c->listeners[i].type = type;
    }
    return (int)i;
}

void
s2_conn_listen_remove(struct s2_conn *c, int handle)
{
    struct s2_listener *l;
    size_t i;
    if (handle < 0 || (size_t)handle >= S2_LISTENERS_MAX) {
        return;
    }
    l = &c->listeners[handle];
    if (!l->used) {
        return;
    }
    for (i = 0; i < l->queue_len; i++) {
        s2_chan_free(l->queue[i]);
    }
    s2_free(&c->env->alloc, l->queue);
    s2_free(&c->env->alloc, l->host);
    memset(l, 0, sizeof *l);
}

int
s2_conn_has_accepted(const struct s2_conn *c, int handle)
{
    if (handle < 0 || (size_t)handle >= S2_LISTENERS_MAX || !c->listeners[handle].used) {
        return 0;
    }
    return c->listeners[handle].queue_len > 0;
}

struct s2_chan *
s2_conn_accept(struct s2_conn *c, int handle)
{
    struct s2_listener *l;
    struct s2_chan *ch;
    if (handle < 0 || (size_t)handle >= S2_LISTENERS_MAX || !c->listeners[handle].used) {
        return NULL;
    }
    l = &c->listeners[handle];
    if (l->queue_len == 0) {
        return NULL;
    }
    ch = l->queue[0];
    memmove(l->queue, l->queue + 1, (l->queue_len - 1) * sizeof *l->queue);
    l->queue_len--;
    return ch;
}

/* ---- routing ---- */

int
s2_conn_on_packet(struct s2_conn *c, struct s2_rd *payload)
{
    uint8_t msg = s2_rd_u8(payload);
    struct s2_chan *ch;
    uint32_t id = 0;
    switch (msg) {
    case SSH_MSG_GLOBAL_REQUEST:
        return on_global_request(c, payload);
    case SSH_MSG_REQUEST_SUCCESS:
    case SSH_MSG_REQUEST_FAILURE:
        return on_global_reply(c, msg, payload);
    case SSH_MSG_CHANNEL_OPEN:
        return on_open(c, payload);
    default:
        break;
    }
    if (msg < SSH_MSG_CHANNEL_OPEN_CONFIRMATION || msg > SSH_MSG_CHANNEL_FAILURE) {
        return s2_conn_proto(c, "unexpected connection message");
    }
    id = s2_rd_u32(payload); /* uint32 recipient channel */
    ch = s2_rd_ok(payload) == 0 ? lookup(c, id) : NULL;
    if (ch == NULL) {
        return s2_conn_proto(c, "message for an unknown channel");
    }
    return s2_chan_on_packet(ch, msg, payload);
}
