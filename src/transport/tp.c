/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The transport object: configuration (algorithm preferences, banner),
 * the identification exchange (RFC 4253 4.2), the output queue flush and
 * socket reads, the message gate (RFC 4253 7.1, OpenSSH PROTOCOL 1.9) and
 * the generic transport messages (DISCONNECT, IGNORE, DEBUG, UNIMPLEMENTED,
 * EXT_INFO).
 */
#include <string.h>

#include "transport/tp_int.h"

static const char *const state_name[] = {"INIT", "IDENT", "KEX", "READY", "DEAD"};

/* Supported algorithms per LIBSSH2_METHOD_*, preferred first. Names after
 * the first NULL-separated group are supported only when asked for. */
static const char *const kex_algs[] = {
    "mlkem768x25519-sha256", "sntrup761x25519-sha512", "sntrup761x25519-sha512@openssh.com",
    "curve25519-sha256", "curve25519-sha256@libssh.org", "ecdh-sha2-nistp256",
    "ecdh-sha2-nistp384", "ecdh-sha2-nistp521", "diffie-hellman-group-exchange-sha256",
    "diffie-hellman-group16-sha512", "diffie-hellman-group18-sha512",
    "diffie-hellman-group14-sha256", "diffie-hellman-group14-sha1",
    "diffie-hellman-group-exchange-sha1", "diffie-hellman-group1-sha1", NULL};
static const char *const hostkey_algs[] = {
    "ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
    "rsa-sha2-512", "rsa-sha2-256", "ssh-rsa", NULL};
static const char *const cipher_algs[] = {
    "chacha20-poly1305@openssh.com", "aes256-gcm@openssh.com", "aes128-gcm@openssh.com",
    "aes256-ctr", "aes192-ctr", "aes128-ctr", "aes256-cbc", "aes192-cbc", "aes128-cbc",
    "rijndael-cbc@lysator.liu.se", NULL};
static const char *const mac_algs[] = {
    "hmac-sha2-256-etm@openssh.com", "hmac-sha2-512-etm@openssh.com", "hmac-sha2-256",
    "hmac-sha2-512", "hmac-sha1-etm@openssh.com", "hmac-sha1", NULL};
static const char *const comp_algs[] = {"none", "zlib@openssh.com", "zlib", NULL};
static const char *const lang_algs[] = {NULL};

/* Defaults: legacy SHA-1 KEX and ssh-rsa are opt-in (method_pref). */
static const char default_kex[] =
    "mlkem768x25519-sha256,sntrup761x25519-sha512,sntrup761x25519-sha512@openssh.com,"
    "curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,ecdh-sha2-nistp384,"
    "ecdh-sha2-nistp521,diffie-hellman-group-exchange-sha256,diffie-hellman-group16-sha512,"
    "diffie-hellman-group18-sha512,diffie-hellman-group14-sha256";
static const char default_hostkey[] = "ssh-ed25519,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,"
                                      "ecdsa-sha2-nistp521,rsa-sha2-512,rsa-sha2-256";
/* Cipher and MAC defaults by measured speed (docs/performance.md): with
 * AES-NI and PCLMULQDQ our AES-GCM kernels run 3-8x faster than
 * chacha20-poly1305, without them chacha20-poly1305 is the fastest; with
 * SHA-NI HMAC-SHA-256 beats HMAC-SHA-512, without it SHA-512 is faster on
 * 64-bit CPUs. All of them are secure choices; CBC comes last. */
static const char default_cipher_aes[] =
    "aes128-gcm@openssh.com,aes256-gcm@openssh.com,chacha20-poly1305@openssh.com,aes128-ctr,"
    "aes192-ctr,aes256-ctr,aes256-cbc,aes192-cbc,aes128-cbc";
static const char default_cipher_soft[] =
    "chacha20-poly1305@openssh.com,aes128-gcm@openssh.com,aes256-gcm@openssh.com,aes128-ctr,"
    "aes192-ctr,aes256-ctr,aes256-cbc,aes192-cbc,aes128-cbc";
static const char default_mac_sha256[] =
    "hmac-sha2-256-etm@openssh.com,hmac-sha2-512-etm@openssh.com,"
    "hmac-sha2-256,hmac-sha2-512,hmac-sha1-etm@openssh.com,hmac-sha1";
static const char default_mac_sha512[] =
    "hmac-sha2-512-etm@openssh.com,hmac-sha2-256-etm@openssh.com,"
    "hmac-sha2-512,hmac-sha2-256,hmac-sha1-etm@openssh.com,hmac-sha1";

/* set_str copies the NUL-terminated |src| into |dst| of |cap| bytes. */
static void
set_str(char *dst, size_t cap, const char *src)
{
    size_t n = strlen(src);
    if (n >= cap) {
        n = cap - 1;
    }
    memcpy(dst, src, n);
    dst[n] = '\0';
}

const char *const *
s2_tp_supported(int type)
{
    switch (type) {
    case LIBSSH2_METHOD_KEX:
        return kex_algs;
    case LIBSSH2_METHOD_HOSTKEY:
    case LIBSSH2_METHOD_SIGN_ALGO:
        return hostkey_algs;
    case LIBSSH2_METHOD_CRYPT_CS:
    case LIBSSH2_METHOD_CRYPT_SC:
        return cipher_algs;
    case LIBSSH2_METHOD_MAC_CS:
    case LIBSSH2_METHOD_MAC_SC:
        return mac_algs;
    case LIBSSH2_METHOD_COMP_CS:
    case LIBSSH2_METHOD_COMP_SC:
        return comp_algs;
    case LIBSSH2_METHOD_LANG_CS:
    case LIBSSH2_METHOD_LANG_SC:
        return lang_algs;
    default:
        return NULL;
    }
}

void
s2_tp_set_state(struct s2_tp *tp, enum s2_tp_state st, int line)
{
    s2_tracef(tp->env, LIBSSH2_TRACE_TRANS, "transport: %s -> %s (line %d)",
              state_name[tp->state], state_name[st], line);
    tp->state = st;
}

int
s2_tp_new(struct s2_env *env, struct s2_io *io, const struct s2_tp_callbacks *cb,
          struct s2_tp **out)
{
    struct s2_tp *tp = s2_zalloc(&env->alloc, sizeof *tp);
    const char *cipher, *mac;
    unsigned fast;
    if (tp == NULL) {
        return s2_err_set(env, LIBSSH2_ERROR_ALLOC, "out of memory for the transport");
    }
    tp->env = env;
    tp->io = io;
    tp->cb = *cb;
    tp->state = S2_TP_INIT;
    s2_ident_init(&tp->ident);
    set_str(tp->client_ident, sizeof tp->client_ident, LIBSSH2_SSH_DEFAULT_BANNER);
    set_str(tp->prefs[S2_KL_KEX], S2_PREF_MAX, default_kex);
    set_str(tp->prefs[S2_KL_HOSTKEY], S2_PREF_MAX, default_hostkey);
    fast = s2_crypto_fast();
    cipher = (fast & S2_FAST_AES) ? default_cipher_aes : default_cipher_soft;
    mac = (fast & S2_FAST_SHA256) ? default_mac_sha256 : default_mac_sha512;
    set_str(tp->prefs[S2_KL_ENC_CS], S2_PREF_MAX, cipher);
    set_str(tp->prefs[S2_KL_ENC_SC], S2_PREF_MAX, cipher);
    set_str(tp->prefs[S2_KL_MAC_CS], S2_PREF_MAX, mac);
    set_str(tp->prefs[S2_KL_MAC_SC], S2_PREF_MAX, mac);
    set_str(tp->prefs[S2_KL_COMP_CS], S2_PREF_MAX, "none");
    set_str(tp->prefs[S2_KL_COMP_SC], S2_PREF_MAX, "none");
    tp->pad_pos = sizeof tp->pad_pool; /* empty: filled on first use */
    tp->rekey_bytes = S2_REKEY_BYTES_DEFAULT;
    tp->rekey_seconds = S2_REKEY_SECONDS_DEFAULT;
    s2_wr_dyn(&tp->kex.i_c, &env->alloc, S2_PACKET_MAX);
    s2_wr_dyn(&tp->kex.i_s, &env->alloc, S2_PACKET_MAX);
    s2_wr_dyn(&tp->kex.gex_p, &env->alloc, S2_MPINT_MAX);
    s2_wr_dyn(&tp->kex.gex_g, &env->alloc, S2_MPINT_MAX);
    s2_wr_dyn(&tp->inflated, &env->alloc, S2_PAYLOAD_MAX);
    s2_wr_dyn(&tp->comp_tmp, &env->alloc, S2_PACKET_MAX);
    tp->inflated.secret = 1;
    tp->comp_tmp.secret = 1;
    *out = tp;
    return 0;
}

void
s2_dir_cleanup(struct s2_tp *tp, struct s2_dir *d)
{
    s2_cipher_free(&tp->env->alloc, d->cipher);
    s2_mac_free(&tp->env->alloc, d->mac);
    s2_comp_free(&tp->env->alloc, d->comp);
    memset(d, 0, sizeof *d);
}

void
s2_tp_free(struct s2_tp *tp)
{
    const struct s2_allocator *a;
    if (tp == NULL) {
        return;
    }
    a = &tp->env->alloc;
    s2_kex_cleanup(tp);
    s2_wr_free(&tp->kex.i_c);
    s2_wr_free(&tp->kex.i_s);
    s2_wr_free(&tp->inflated);
    s2_wr_free(&tp->comp_tmp);
    s2_dir_cleanup(tp, &tp->tx);
    s2_dir_cleanup(tp, &tp->rx);
    s2_free(a, tp->server_sig_algs);
    s2_free(a, tp->hostkey);
    s2_free_secret(a, tp->out, tp->out_cap);
    s2_free_secret(a, tp->in, tp->in_cap);
    s2_wipe(tp->session_id, sizeof tp->session_id);
    s2_free_secret(a, tp, sizeof *tp);
}

/* ---- configuration ---- */

static int
pref_index(int type)
{
    if (type >= LIBSSH2_METHOD_KEX && type <= LIBSSH2_METHOD_LANG_SC) {
        return type;
    }
    return -1;
}

int
s2_tp_set_pref(struct s2_tp *tp, int type, const char *prefs)
{
    const char *const *known = s2_tp_supported(type);
    char out[S2_PREF_MAX];
    size_t o = 0;
    const char *p = prefs;
    int idx = pref_index(type);
    if (known == NULL || prefs == NULL) {
        return s2_err_set(tp->env, LIBSSH2_ERROR_INVAL, "invalid method type or preference");
    }
    if (type == LIBSSH2_METHOD_SIGN_ALGO) {
        return 0; /* user-auth signature algorithms: handled by the auth layer */
    }
    out[0] = '\0';
    while (*p != '\0') {
        const char *e = strchr(p, ',');
        size_t n = e != NULL ? (size_t)(e - p) : strlen(p);
        size_t i;
        for (i = 0; known[i] != NULL; i++) {
            if (strlen(known[i]) == n && memcmp(known[i], p, n) == 0 &&
                !s2_namelist_has(out, o, p, n)) {
                if (o + n + 2 > sizeof out) {
                    return s2_err_set(tp->env, LIBSSH2_ERROR_INVAL, "preference list too long");
                }
                if (o > 0) {
                    out[o++] = ',';
                }
                memcpy(out + o, p, n);
                o += n;
                out[o] = '\0';
                break;
            }
        }
        p += n;
        if (*p == ',') {
            p++;
        }
    }
    if (o == 0) {
        return s2_err_set(tp->env, LIBSSH2_ERROR_METHOD_NOT_SUPPORTED,
                          "none of the preferred methods is supported");
    }
    memcpy(tp->prefs[idx], out, o + 1);
    return 0;
}

int
s2_tp_set_banner(struct s2_tp *tp, const char *banner)
{
    size_t n, i;
    int prefixed;
    if (banner == NULL) {
        set_str(tp->client_ident, sizeof tp->client_ident, LIBSSH2_SSH_DEFAULT_BANNER);
        return 0;
    }
    n = strlen(banner);
    /* libssh2 takes a whole "SSH-2.0-..." line; anything else is prefixed */
    prefixed = n >= 8 && memcmp(banner, "SSH-2.0-", 8) == 0;
    if (n + (prefixed ? 0 : 8) + 2 > S2_IDENT_LINE_MAX) {
        return s2_err_set(tp->env, LIBSSH2_ERROR_INVAL, "banner too long");
    }
    for (i = 0; i < n; i++) {
        if (banner[i] < 0x20 || banner[i] > 0x7e) {
            return s2_err_set(tp->env, LIBSSH2_ERROR_INVAL, "banner has control characters");
        }
    }
    if (prefixed) {
        memcpy(tp->client_ident, banner, n + 1);
    } else {
        memcpy(tp->client_ident, "SSH-2.0-", 8);
        memcpy(tp->client_ident + 8, banner, n + 1);
    }
    return 0;
}

void
s2_tp_set_compress(struct s2_tp *tp, int on)
{
    tp->compress = on;
    set_str(tp->prefs[S2_KL_COMP_CS], S2_PREF_MAX, on ? "zlib@openssh.com,zlib,none" : "none");
    set_str(tp->prefs[S2_KL_COMP_SC], S2_PREF_MAX, on ? "zlib@openssh.com,zlib,none" : "none");
}

void
s2_tp_set_rekey_limits(struct s2_tp *tp, uint64_t bytes, long seconds)
{
    tp->rekey_bytes = bytes == 0 ? S2_REKEY_BYTES_DEFAULT : bytes;
    tp->rekey_seconds = seconds == 0 ? S2_REKEY_SECONDS_DEFAULT : seconds;
}

/* ---- accessors ---- */

int
s2_tp_ready(const struct s2_tp *tp)
{
    return tp->state == S2_TP_READY;
}

int
s2_tp_dead(const struct s2_tp *tp)
{
    return tp->state == S2_TP_DEAD ? tp->dead : 0;
}

const char *
s2_tp_methods(const struct s2_tp *tp, int type)
{
    int idx = pref_index(type);
    if (idx < 0 || tp->kex_count == 0) {
        return NULL;
    }
    return tp->kex.names[idx];
}

const char *
s2_tp_server_ident(const struct s2_tp *tp)
{
    return tp->ident.version_len > 0 ? tp->ident.version : NULL;
}

const char *
s2_tp_client_ident(const struct s2_tp *tp)
{
    return tp->client_ident;
}

const uint8_t *
s2_tp_hostkey(const struct s2_tp *tp, size_t *len)
{
    if (tp->kex_count == 0 || tp->hostkey == NULL) {
        return NULL;
    }
    *len = tp->hostkey_len;
    return tp->hostkey;
}

const uint8_t *
s2_tp_session_id(const struct s2_tp *tp, size_t *len)
{
    *len = tp->session_id_len;
    return tp->session_id_len > 0 ? tp->session_id : NULL;
}

int
s2_tp_strict_kex(const struct s2_tp *tp)
{
    return tp->strict;
}

int
s2_tp_kex_count(const struct s2_tp *tp)
{
    return tp->kex_count;
}

const char *
s2_tp_server_sig_algs(const struct s2_tp *tp)
{
    return tp->server_sig_algs;
}

int
s2_tp_kex_running(const struct s2_tp *tp)
{
    return tp->kex.state != S2_KEX_IDLE || tp->state != S2_TP_READY;
}

int
s2_tp_rekey(struct s2_tp *tp)
{
    if (tp->state == S2_TP_DEAD) {
        return tp->dead;
    }
    if (tp->state != S2_TP_READY) {
        return s2_err_set(tp->env, LIBSSH2_ERROR_BAD_USE, "rekey before the handshake completed");
    }
    if (tp->kex.state != S2_KEX_IDLE) {
        return 0;
    }
    return s2_kex_start(tp);
}

void
s2_tp_auth_done(struct s2_tp *tp)
{
    tp->authenticated = 1;
    tp->ext_info_allowed = 0;
    tp->tx.comp_delayed = 0; /* zlib@openssh.com starts now */
    tp->rx.comp_delayed = 0;
}

int
s2_tp_want_dir(const struct s2_tp *tp)
{
    int dir = tp->io->want_dir;
    if (tp->out_sent < tp->out_len) {
        dir |= LIBSSH2_SESSION_BLOCK_OUTBOUND;
    }
    return dir;
}

int
s2_tp_check_timers(struct s2_tp *tp)
{
    if (tp->state != S2_TP_READY || tp->kex.state != S2_KEX_IDLE || tp->rekey_seconds < 0) {
        return 0;
    }
    if (s2_now_ms() - tp->last_kex_ms >= (int64_t)tp->rekey_seconds * 1000) {
        s2_tracef(tp->env, LIBSSH2_TRACE_KEX, "rekey: time limit reached");
        return s2_kex_start(tp);
    }
    return 0;
}

/* ---- start, flush, read ---- */

int
s2_tp_grow_out(struct s2_tp *tp, size_t need)
{
    size_t cap;
    uint8_t *np;
    if (tp->out_sent > 0 && tp->out_sent == tp->out_len && !tp->pkt_open) {
        tp->out_sent = 0;
        tp->out_len = 0;
    }
    if (need <= tp->out_cap - tp->out_len) {
        return 0;
    }
    if (tp->out_sent > 0 && !tp->pkt_open) {
        /* slide unsent bytes down before growing */
        memmove(tp->out, tp->out + tp->out_sent, tp->out_len - tp->out_sent);
        tp->out_len -= tp->out_sent;
        tp->out_sent = 0;
        if (need <= tp->out_cap - tp->out_len) {
            return 0;
        }
    }
    cap = tp->out_cap < S2_OUT_MIN ? S2_OUT_MIN : tp->out_cap;
    while (cap - tp->out_len < need) {
        cap *= 2;
    }
    np = s2_realloc(&tp->env->alloc, tp->out, cap);
    if (np == NULL) {
        return LIBSSH2_ERROR_ALLOC;
    }
    tp->out = np;
    tp->out_cap = cap;
    return 0;
}

void
s2_tp_trim(struct s2_tp *tp)
{
    uint8_t *np;
    if (!tp->pkt_open && tp->out_sent == tp->out_len && tp->out_cap > S2_OUT_MIN) {
        np = s2_realloc(&tp->env->alloc, tp->out, S2_OUT_MIN);
        if (np != NULL) {
            tp->out = np;
            tp->out_cap = S2_OUT_MIN;
            tp->out_len = 0;
            tp->out_sent = 0;
        }
    }
    if (tp->in_pos == tp->in_len && tp->in_cap > S2_IN_MIN) {
        np = s2_realloc(&tp->env->alloc, tp->in, S2_IN_MIN);
        if (np != NULL) {
            tp->in = np;
            tp->in_cap = S2_IN_MIN;
            tp->in_len = 0;
            tp->in_pos = 0;
            tp->in_grow = 0;
        }
    }
}

int
s2_tp_start(struct s2_tp *tp)
{
    size_t n = strlen(tp->client_ident);
    int r;
    if (tp->state != S2_TP_INIT) {
        return s2_err_set(tp->env, LIBSSH2_ERROR_BAD_USE, "handshake already started");
    }
    r = s2_tp_grow_out(tp, n + 2);
    if (r != 0) {
        return s2_err_set(tp->env, r, "out of memory for the identification line");
    }
    memcpy(tp->out + tp->out_len, tp->client_ident, n);
    memcpy(tp->out + tp->out_len + n, "\r\n", 2);
    tp->out_len += n + 2;
    tp->kex.first = 1;
    r = s2_kex_start(tp);
    if (r != 0) {
        return r;
    }
    TP_SET_STATE(tp, S2_TP_IDENT);
    return 0;
}

int
s2_tp_flush(struct s2_tp *tp)
{
    while (tp->out_sent < tp->out_len) {
        ssize_t n = s2_io_send(tp->io, tp->out + tp->out_sent, tp->out_len - tp->out_sent);
        if (n == LIBSSH2_ERROR_EAGAIN) {
            return LIBSSH2_ERROR_EAGAIN;
        }
        if (n < 0) {
            tp->state = S2_TP_DEAD;
            tp->dead = (int)n;
            return s2_err_set(tp->env, (int)n, "unable to send to the socket");
        }
        tp->out_sent += (size_t)n;
    }
    if (!tp->pkt_open) {
        tp->out_sent = 0;
        tp->out_len = 0;
    }
    return tp->state == S2_TP_DEAD ? tp->dead : 0;
}

static int
feed_ident(struct s2_tp *tp)
{
    size_t used = 0;
    int r = s2_ident_feed(&tp->ident, tp->in + tp->in_pos, tp->in_len - tp->in_pos, &used);
    tp->in_pos += used;
    if (r < 0) {
        return s2_tp_fatal(tp, r, 0, "bad identification line from the server");
    }
    if (r == 1) {
        char esc[S2_IDENT_LINE_MAX + 1];
        s2_escape(esc, sizeof esc, tp->ident.version, tp->ident.version_len);
        s2_tracef(tp->env, LIBSSH2_TRACE_TRANS, "server identification: %s", esc);
        TP_SET_STATE(tp, S2_TP_KEX);
    }
    return 0;
}

int
s2_tp_read(struct s2_tp *tp)
{
    ssize_t n;
    size_t room;
    if (tp->state == S2_TP_DEAD) {
        return tp->dead;
    }
    if (tp->in_pos == tp->in_len) {
        tp->in_pos = 0;
        tp->in_len = 0;
    } else if (tp->in_pos > 0 && tp->in_cap - tp->in_len < S2_IN_MIN) {
        memmove(tp->in, tp->in + tp->in_pos, tp->in_len - tp->in_pos);
        tp->in_len -= tp->in_pos;
        tp->in_pos = 0;
    }
    /* The buffer starts small (an idle session keeps S2_IN_MIN) and doubles
     * whenever it is full or the last read filled it: bulk transfers soon
     * read S2_IN_MAX_READ at a time. */
    if (tp->in_cap == tp->in_len || tp->in_grow) {
        size_t cap = tp->in_cap == 0 ? S2_IN_MIN : tp->in_cap * 2;
        size_t limit = S2_PACKET_MAX + 4 + S2_MAC_MAX_LEN + S2_IN_MAX_READ;
        uint8_t *np;
        tp->in_grow = 0;
        if (cap > limit) {
            cap = limit;
        }
        if (cap > tp->in_cap) {
            np = s2_realloc(&tp->env->alloc, tp->in, cap);
            if (np == NULL) {
                return s2_tp_fatal(tp, LIBSSH2_ERROR_ALLOC, 0, "out of memory for input");
            }
            tp->in = np;
            tp->in_cap = cap;
        }
        if (tp->in_cap == tp->in_len) {
            return 0; /* full of whole packets: the caller must consume them first */
        }
    }
    room = tp->in_cap - tp->in_len;
    n = s2_io_recv(tp->io, tp->in + tp->in_len, room);
    if (n == LIBSSH2_ERROR_EAGAIN) {
        return LIBSSH2_ERROR_EAGAIN;
    }
    if (n < 0) {
        tp->state = S2_TP_DEAD;
        tp->dead = (int)n;
        return s2_err_set(tp->env, (int)n,
                          n == LIBSSH2_ERROR_SOCKET_DISCONNECT ? "the server closed the connection"
                                                               : "unable to read from the socket");
    }
    tp->io->want_dir = 0;
    tp->in_len += (size_t)n;
    tp->in_grow = (size_t)n == room; /* more may be waiting: read more next time */
    if (tp->state == S2_TP_IDENT) {
        int r = feed_ident(tp);
        if (r != 0) {
            return r;
        }
    }
    return (int)n;
}

/* ---- fatal errors and disconnect ---- */

static void
queue_disconnect(struct s2_tp *tp, int reason, const char *desc, const char *lang)
{
    struct s2_wr *w = NULL;
    if (tp->state == S2_TP_INIT || tp->state == S2_TP_IDENT || tp->pkt_open) {
        return;
    }
    if (s2_tp_begin(tp, 1, 64 + strlen(desc) + strlen(lang), &w) != 0) {
        return;
    }
    s2_wr_u8(w, SSH_MSG_DISCONNECT);
    s2_wr_u32(w, (uint32_t)reason);
    s2_wr_cstr(w, desc);
    s2_wr_cstr(w, lang);
    if (s2_tp_commit(tp) != 0) {
        return; /* best effort: the session is going away */
    }
}

int
s2_tp_fatal(struct s2_tp *tp, int code, int reason, const char *msg)
{
    if (tp->state == S2_TP_DEAD) {
        return tp->dead;
    }
    if (reason != 0) {
        queue_disconnect(tp, reason, msg, "");
        if (s2_tp_flush(tp) != 0) {
            s2_tracef(tp->env, LIBSSH2_TRACE_TRANS, "DISCONNECT not fully sent");
        }
    }
    s2_tracef(tp->env, LIBSSH2_TRACE_TRANS, "fatal: %s", msg);
    TP_SET_STATE(tp, S2_TP_DEAD);
    tp->dead = code;
    if (tp->env->err.code != code || tp->env->err.msg == NULL) {
        s2_err_set(tp->env, code, msg);
    }
    return code;
}

int
s2_tp_disconnect(struct s2_tp *tp, int reason, const char *desc, const char *lang)
{
    if (tp->state == S2_TP_DEAD) {
        return tp->dead;
    }
    queue_disconnect(tp, reason, desc != NULL ? desc : "", lang != NULL ? lang : "");
    return 0;
}

/* ---- the gate (RFC 4253 7.1, 11; OpenSSH PROTOCOL 1.9) ---- */

static int
unimplemented(struct s2_tp *tp)
{
    uint8_t msg[5];
    msg[0] = SSH_MSG_UNIMPLEMENTED;
    s2_put_u32(msg + 1, tp->rx.seq - 1);
    return s2_tp_send(tp, 1, msg, sizeof msg);
}

/* known_msg tells whether |msg| is a message number this client knows:
 * RFC 4250 4.1.2 assigned numbers in the transport, userauth (50-79) and
 * connection (80-100) ranges. */
static int
known_msg(uint8_t msg)
{
    return (msg >= SSH_MSG_DISCONNECT && msg <= SSH_MSG_EXT_INFO) || msg == SSH_MSG_KEXINIT ||
           msg == SSH_MSG_NEWKEYS || (msg >= 30 && msg <= 49) || (msg >= 50 && msg <= 79) ||
           (msg >= SSH_MSG_GLOBAL_REQUEST && msg <= SSH_MSG_REQUEST_FAILURE) ||
           (msg >= SSH_MSG_CHANNEL_OPEN && msg <= SSH_MSG_CHANNEL_FAILURE);
}

int
s2_tp_gate(struct s2_tp *tp, uint8_t msg)
{
    int in_kex = tp->kex.state != S2_KEX_IDLE;
    int first = tp->state == S2_TP_KEX;
    int kex_msg = msg == SSH_MSG_KEXINIT || msg == SSH_MSG_NEWKEYS || (msg >= 30 && msg <= 49);
    int r;

    if (msg != SSH_MSG_EXT_INFO) {
        tp->ext_info_allowed = 0; /* RFC 8308 2.4: only the first packet after NEWKEYS */
    }
    if (first && tp->strict && !kex_msg && msg != SSH_MSG_DISCONNECT) {
        return s2_tp_fatal(tp, LIBSSH2_ERROR_PROTO, SSH_DISCONNECT_PROTOCOL_ERROR,
                           "strict KEX: unexpected message during the initial key exchange");
    }
    if (!known_msg(msg)) {
        /* RFC 4253 11.4: answer UNIMPLEMENTED and carry on */
        r = unimplemented(tp);
        return r != 0 ? r : 1;
    }
    if (msg >= 30 && msg <= 49 && !in_kex) {
        return s2_tp_fatal(tp, LIBSSH2_ERROR_PROTO, SSH_DISCONNECT_PROTOCOL_ERROR,
                           "key exchange message outside a key exchange");
    }
    if (first && msg > 49) {
        return s2_tp_fatal(tp, LIBSSH2_ERROR_PROTO, SSH_DISCONNECT_PROTOCOL_ERROR,
                           "upper-layer message before the first key exchange completed");
    }
    if (msg == SSH_MSG_SERVICE_REQUEST || msg == SSH_MSG_USERAUTH_REQUEST ||
        (msg == SSH_MSG_SERVICE_ACCEPT && tp->authenticated)) {
        return s2_tp_fatal(tp, LIBSSH2_ERROR_PROTO, SSH_DISCONNECT_PROTOCOL_ERROR,
                           "the server sent a message only a client may send");
    }
    if (msg >= 80 && msg <= 127 && !tp->authenticated) {
        return s2_tp_fatal(tp, LIBSSH2_ERROR_PROTO, SSH_DISCONNECT_PROTOCOL_ERROR,
                           "connection message before authentication");
    }
    return 0;
}

/* ---- generic transport messages ---- */

static int
on_disconnect(struct s2_tp *tp, struct s2_rd *r)
{
    struct s2_rd desc, lang;
    uint32_t reason = s2_rd_u32(r);
    char esc[S2_DISCONNECT_TEXT_MAX];
    s2_rd_str(r, S2_STRING_MAX, &desc);
    s2_rd_str(r, S2_STRING_MAX, &lang);
    if (s2_rd_ok(r) != 0) {
        desc.left = 0;
        lang.left = 0;
    }
    if (tp->cb.disconnect != NULL) {
        tp->cb.disconnect(tp->cb.session, (int)reason, (const char *)desc.p,
                          (int)(desc.left > S2_DISCONNECT_TEXT_MAX ? S2_DISCONNECT_TEXT_MAX : desc.left),
                          (const char *)lang.p, (int)(lang.left > 64 ? 64 : lang.left),
                          tp->cb.abstract);
    }
    s2_escape(esc, sizeof esc, desc.p, desc.left);
    TP_SET_STATE(tp, S2_TP_DEAD);
    tp->dead = LIBSSH2_ERROR_SOCKET_DISCONNECT;
    return s2_err_setf(tp->env, LIBSSH2_ERROR_SOCKET_DISCONNECT,
                       "the server disconnected (reason %u): %s", reason, esc);
}

static int
on_ignore(struct s2_tp *tp, struct s2_rd *r)
{
    struct s2_rd data;
    s2_rd_str(r, S2_STRING_MAX, &data);
    if (s2_rd_ok(r) == 0 && tp->cb.ignore != NULL) {
        tp->cb.ignore(tp->cb.session, (const char *)data.p, (int)data.left, tp->cb.abstract);
    }
    return 0; /* a malformed IGNORE is still ignored */
}

static int
on_debug(struct s2_tp *tp, struct s2_rd *r)
{
    struct s2_rd text, lang;
    int always = s2_rd_bool(r);
    s2_rd_str(r, S2_STRING_MAX, &text);
    s2_rd_str(r, S2_STRING_MAX, &lang);
    if (s2_rd_ok(r) == 0 && tp->cb.debug != NULL) {
        tp->cb.debug(tp->cb.session, always, (const char *)text.p, (int)text.left,
                     (const char *)lang.p, (int)lang.left, tp->cb.abstract);
    }
    return 0;
}

static int
on_ext_info(struct s2_tp *tp, struct s2_rd *r)
{
    struct s2_ext_info ei;
    int rc;
    if (!tp->ext_info_allowed || tp->ext_info_count >= 2) {
        /* RFC 8308 2.4: only right after NEWKEYS or before USERAUTH_SUCCESS */
        s2_tracef(tp->env, LIBSSH2_TRACE_TRANS, "ignoring EXT_INFO out of place");
        return 0;
    }
    tp->ext_info_count++;
    rc = s2_ext_info_parse(r, &ei);
    if (rc != 0) {
        return s2_tp_fatal(tp, LIBSSH2_ERROR_PROTO, SSH_DISCONNECT_PROTOCOL_ERROR,
                           "malformed EXT_INFO");
    }
    if (ei.has_server_sig_algs) {
        char *v = s2_rd_strdup(&ei.server_sig_algs, &tp->env->alloc, S2_NAMELIST_MAX);
        if (v == NULL) {
            return s2_tp_fatal(tp, LIBSSH2_ERROR_ALLOC, 0, "out of memory for server-sig-algs");
        }
        s2_free(&tp->env->alloc, tp->server_sig_algs);
        tp->server_sig_algs = v;
        s2_tracef(tp->env, LIBSSH2_TRACE_TRANS, "server-sig-algs received");
    }
    return 0;
}

static int
on_unimplemented(struct s2_tp *tp, struct s2_rd *r)
{
    uint32_t seq = s2_rd_u32(r);
    if (s2_rd_ok(r) == 0 && tp->kex.state == S2_KEX_WAIT_KEXINIT && seq == tp->kex.kexinit_seq) {
        /* OpenSSH refuses key re-exchange before user authentication */
        return s2_tp_fatal(tp, LIBSSH2_ERROR_KEX_FAILURE, 0,
                           "the server refused our key re-exchange (KEXINIT unimplemented)");
    }
    return 0;
}

int
s2_tp_on_packet(struct s2_tp *tp, struct s2_rd *payload)
{
    struct s2_rd whole = *payload;
    uint8_t msg = s2_rd_u8(payload);
    int r;
    switch (msg) {
    case SSH_MSG_DISCONNECT:
        return on_disconnect(tp, payload);
    case SSH_MSG_IGNORE:
        return on_ignore(tp, payload);
    case SSH_MSG_DEBUG:
        return on_debug(tp, payload);
    case SSH_MSG_UNIMPLEMENTED:
        return on_unimplemented(tp, payload);
    case SSH_MSG_EXT_INFO:
        r = on_ext_info(tp, payload);
        tp->ext_info_allowed = 0;
        return r;
    default:
        return s2_kex_on_packet(tp, msg, payload, &whole);
    }
}
