/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The transport state machine driven packet by packet through the public
 * API, over a socketpair, against the scripted server of tests/lib/peer.h
 * (docs/HOSTILE.md lists which HOSTILE-CASES each test covers).
 *
 * Every case asserts the exact return code, that the session is dead (or
 * alive) afterwards, that later calls fail fast with the same code, and
 * that session_free works; sessions run on the failing allocator with
 * failures off, so each test also checks that no block is left after
 * session_free. Time is bounded: a run that makes no progress for a few
 * rounds, or takes more than 5 s, fails.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <cmocka.h>
#include <sodium.h>

#include "api/session_int.h"
#include "crypto/crypto_int.h"
#include "failalloc.h"
#include "libssh2.h"
#include "peer.h"
#include "ssh2core.h"

#define RC_STUCK 1000
#define RC_PEER 1001
#define RC_SLOW 1002

enum mode {
    MODE_NORMAL,   /* the peer writes everything it has */
    MODE_ONE_BYTE, /* the peer writes one byte per step (E6) */
    MODE_EAGAIN    /* RECV/SEND callbacks inject EAGAIN and short I/O (E6) */
};

struct h {
    struct peer p;
    struct fa_state fa;
    LIBSSH2_SESSION *s;
    enum mode mode;
    const char *list;    /* last userauth_list result */
    int (*hook_fn)(struct h *h, enum peer_event ev);
    int hook_state;      /* for hooks that act once */
    uint32_t mark_seq;   /* a seqno a hook recorded */
};

/* ---- EAGAIN / short I/O injection ---- */

static unsigned io_tick;
static unsigned long io_bytes; /* bytes the callbacks moved: client progress */

static ssize_t
cb_recv(libssh2_socket_t fd, void *buf, size_t len, int flags, void **abstract)
{
    ssize_t n;
    (void)abstract;
    if ((io_tick++ % 3) == 0) {
        return -EAGAIN;
    }
    n = recv(fd, buf, len > 7 ? 7 : len, flags);
    if (n > 0) {
        io_bytes += (unsigned long)n;
    }
    return n < 0 ? -errno : n;
}

static ssize_t
cb_send(libssh2_socket_t fd, const void *buf, size_t len, int flags, void **abstract)
{
    ssize_t n;
    (void)abstract;
    if ((io_tick++ % 3) == 1) {
        return -EAGAIN;
    }
    n = send(fd, buf, len > 5 ? 5 : len, flags);
    if (n > 0) {
        io_bytes += (unsigned long)n;
    }
    return n < 0 ? -errno : n;
}

/* ---- harness ---- */

static int
peer_hook(struct peer *p, enum peer_event ev, void *arg)
{
    struct h *h = arg;
    (void)p;
    return h->hook_fn != NULL ? h->hook_fn(h, ev) : 0;
}

static struct h *
h_new(enum mode mode)
{
    struct h *h = calloc(1, sizeof *h);
    assert_non_null(h);
    assert_int_equal(peer_init(&h->p), 0);
    fa_init(&h->fa, 0);
    h->s = libssh2_session_init_ex(fa_alloc, fa_free, fa_realloc, &h->fa);
    assert_non_null(h->s);
    libssh2_session_set_blocking(h->s, 0);
    if (getenv("TEST_TRACE") != NULL) {
        libssh2_trace(h->s, ~0);
    }
    h->mode = mode;
    h->p.one_byte = mode == MODE_ONE_BYTE;
    h->p.hook = peer_hook;
    h->p.hook_arg = h;
    h->p.strict = 1;
    if (mode == MODE_EAGAIN) {
        io_tick = 0;
        libssh2_session_callback_set2(h->s, LIBSSH2_CALLBACK_RECV, (libssh2_cb_generic *)cb_recv);
        libssh2_session_callback_set2(h->s, LIBSSH2_CALLBACK_SEND, (libssh2_cb_generic *)cb_send);
    }
    return h;
}

static void
h_free(struct h *h)
{
    assert_int_equal(libssh2_session_free(h->s), 0);
    /* E3: nothing left behind (the failing allocator counts blocks) */
    assert_int_equal(h->fa.blocks, 0);
    peer_free(&h->p);
    free(h);
}

typedef int (*call_fn)(struct h *h);

static int
call_handshake(struct h *h)
{
    return libssh2_session_handshake(h->s, h->p.client_fd);
}

static int
call_list(struct h *h)
{
    char *l = libssh2_userauth_list(h->s, "user", 4);
    if (l != NULL) {
        h->list = l;
        return 0;
    }
    h->list = NULL;
    return libssh2_session_last_errno(h->s);
}

static int
call_rekey(struct h *h)
{
    return ssh2core_session_rekey(h->s);
}

static int
call_disconnect(struct h *h)
{
    return libssh2_session_disconnect(h->s, "bye");
}

static int64_t
now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* drive alternates client calls and peer steps until the call returns
 * something other than EAGAIN; RC_STUCK when neither side progresses. */
static int
drive(struct h *h, call_fn fn)
{
    int64_t start = now_ms();
    int idle = 0;
    long i;
    for (i = 0; i < 5000000; i++) {
        unsigned long before = io_bytes;
        int rc = fn(h);
        int pr;
        if (rc != LIBSSH2_ERROR_EAGAIN) {
            return rc;
        }
        pr = peer_step(&h->p);
        if (pr < 0) {
            return RC_PEER;
        }
        idle = (pr == 0 && io_bytes == before) ? idle + 1 : 0;
        if (idle > 12) {
            return RC_STUCK;
        }
        if ((i & 255) == 0 && now_ms() - start > 5000) {
            return RC_SLOW; /* E4 */
        }
    }
    return RC_STUCK;
}

/* client_once lets the client run once (it has nothing to wait for but
 * the peer), then the peer reads what it sent: used before the peer closes,
 * so the client's own bytes are out before it sees the EOF. */
static void
client_once(struct h *h, call_fn fn)
{
    assert_int_equal(fn(h), LIBSSH2_ERROR_EAGAIN);
    (void)peer_step(&h->p);
}

/* check_dead: E1/E2 after a fatal |code|. */
static void
check_dead(struct h *h, int code)
{
    char *msg = NULL;
    int len = 0;
    int rc = libssh2_session_last_error(h->s, &msg, &len, 0);
    assert_int_equal(rc, code);
    assert_non_null(msg);
    assert_true(len > 0);
    /* every later call fails fast with the same code */
    assert_int_equal(ssh2core_session_rekey(h->s), code);
    assert_int_equal(ssh2core_session_rekey(h->s), code);
    assert_null(libssh2_userauth_list(h->s, "u", 1));
    assert_true(libssh2_session_last_errno(h->s) != LIBSSH2_ERROR_EAGAIN);
}

static void
handshake_ok(struct h *h)
{
    int rc = drive(h, call_handshake);
    if (rc != 0) {
        char *msg = NULL;
        libssh2_session_last_error(h->s, &msg, NULL, 0);
        fprintf(stderr, "handshake: %d (%s) peer: %s\n", rc, msg, h->p.errmsg);
    }
    assert_int_equal(rc, 0);
    assert_int_equal(ssh2core_session_kex_count(h->s), 1);
}

static void
list_ok(struct h *h)
{
    int rc = drive(h, call_list);
    if (rc != 0) {
        char *msg = NULL;
        libssh2_session_last_error(h->s, &msg, NULL, 0);
        fprintf(stderr, "userauth_list: %d (%s) peer: %s\n", rc, msg, h->p.errmsg);
    }
    assert_int_equal(rc, 0);
    assert_non_null(h->list);
    assert_string_equal(h->list, "publickey,password");
}

/* expect_msg: run |fn| to its end, assert |code|, a last_error message
 * holding |want| (if not NULL) and a dead session. */
static void
expect_msg(struct h *h, call_fn fn, int code, const char *want)
{
    char *msg = NULL;
    int rc = drive(h, fn);
    libssh2_session_last_error(h->s, &msg, NULL, 0);
    if (rc != code) {
        fprintf(stderr, "expected %d, got %d (%s) peer: %s\n", code, rc, msg, h->p.errmsg);
    }
    assert_int_equal(rc, code);
    if (want != NULL && strstr(msg, want) == NULL) {
        fprintf(stderr, "message '%s' does not name '%s'\n", msg, want);
        fail();
    }
    check_dead(h, code);
}

static void
expect(struct h *h, call_fn fn, int code)
{
    expect_msg(h, fn, code, NULL);
}

/* ---- cipher configurations ---- */

struct cfg {
    const char *cipher;
    const char *mac;
    int aead_or_etm;
    size_t block;
};

static const struct cfg cfgs[] = {
    {"chacha20-poly1305@openssh.com", "hmac-sha2-256", 1, 8},
    {"aes256-gcm@openssh.com", "hmac-sha2-256", 1, 16},
    {"aes128-ctr", "hmac-sha2-256-etm@openssh.com", 1, 16},
    {"aes128-ctr", "hmac-sha2-256", 0, 16},
};
#define NCFG (sizeof cfgs / sizeof cfgs[0])

static struct h *
h_cfg(enum mode mode, const struct cfg *c)
{
    struct h *h = h_new(mode);
    h->p.cipher_list = c->cipher;
    h->p.mac_list = c->mac;
    return h;
}

/* ======================= happy path ======================= */

static void
happy(enum mode mode, const struct cfg *c, int strict)
{
    struct h *h = h_cfg(mode, c);
    const char *hash;
    const char *key;
    size_t key_len = 0;
    int type = 0;
    uint8_t want[32];

    h->p.strict = strict;
    h->p.send_ext_info = 1;
    /* H-08: nothing before the handshake */
    assert_null(libssh2_hostkey_hash(h->s, LIBSSH2_HOSTKEY_HASH_SHA256));
    assert_null(libssh2_session_hostkey(h->s, &key_len, &type));
    assert_int_equal(ssh2core_session_kex_count(h->s), 0);
    assert_int_equal(ssh2core_session_strict_kex(h->s), LIBSSH2_ERROR_BAD_USE);

    handshake_ok(h);
    assert_string_equal(libssh2_session_methods(h->s, LIBSSH2_METHOD_KEX), "curve25519-sha256");
    assert_string_equal(libssh2_session_methods(h->s, LIBSSH2_METHOD_HOSTKEY), "ssh-ed25519");
    assert_string_equal(libssh2_session_methods(h->s, LIBSSH2_METHOD_CRYPT_CS), c->cipher);
    assert_string_equal(libssh2_session_methods(h->s, LIBSSH2_METHOD_CRYPT_SC), c->cipher);
    assert_int_equal(ssh2core_session_strict_kex(h->s), strict);
    assert_string_equal(libssh2_session_banner_get(h->s), "SSH-2.0-HostilePeer_1.0");
    key = libssh2_session_hostkey(h->s, &key_len, &type);
    assert_non_null(key);
    assert_int_equal(key_len, 4 + 11 + 4 + 32);
    assert_int_equal(type, LIBSSH2_HOSTKEY_TYPE_ED25519);
    assert_memory_equal(key + 19, h->p.hk_pk[0], 32);
    hash = libssh2_hostkey_hash(h->s, LIBSSH2_HOSTKEY_HASH_SHA256);
    assert_non_null(hash);
    crypto_hash_sha256(want, (const unsigned char *)key, key_len);
    assert_memory_equal(hash, want, 32);
    /* EXT_INFO right after NEWKEYS is used */
    list_ok(h);
    assert_string_equal(s2_tp_server_sig_algs(h->s->tp), "ssh-ed25519");

    /* client-initiated rekey */
    assert_int_equal(drive(h, call_rekey), 0);
    assert_int_equal(ssh2core_session_kex_count(h->s), 2);
    assert_int_equal(ssh2core_session_strict_kex(h->s), strict);
    list_ok(h);

    /* server-initiated rekey, noticed during userauth_list */
    peer_send_kexinit(&h->p);
    list_ok(h);
    assert_int_equal(ssh2core_session_kex_count(h->s), 3);
    assert_int_equal(h->p.kex_done, 3);
    while (peer_step(&h->p) > 0) {
        /* let the peer read the client's last NEWKEYS */
    }
    assert_int_equal(h->p.rx_newkeys, 3);

    /* and once more from the client, after the server's */
    assert_int_equal(drive(h, call_rekey), 0);
    assert_int_equal(ssh2core_session_kex_count(h->s), 4);
    list_ok(h);
    assert_int_equal(peer_seen(&h->p, 5), 1); /* one SERVICE_REQUEST */
    assert_int_equal(peer_seen(&h->p, 50), 4);
    assert_int_equal(h->p.nunimpl, 0);

    assert_int_equal(drive(h, call_disconnect), 0);
    while (peer_step(&h->p) > 0) {
    }
    assert_int_equal(h->p.got_disconnect, 1);
    assert_int_equal(h->p.disconnect_reason, SSH_DISCONNECT_BY_APPLICATION);
    h_free(h);
}

static void
test_happy_all_ciphers(void **state)
{
    size_t i;
    (void)state;
    for (i = 0; i < NCFG; i++) {
        happy(MODE_NORMAL, &cfgs[i], 1);
        happy(MODE_NORMAL, &cfgs[i], 0);
    }
}

static void
test_happy_one_byte(void **state)
{
    size_t i;
    (void)state;
    for (i = 0; i < NCFG; i++) {
        happy(MODE_ONE_BYTE, &cfgs[i], 1);
    }
}

static void
test_happy_eagain(void **state)
{
    size_t i;
    (void)state;
    for (i = 0; i < NCFG; i++) {
        happy(MODE_EAGAIN, &cfgs[i], 1);
    }
}

/* ======================= T: identification ======================= */

static void
ident_case(enum mode mode, const char *raw, size_t raw_len, const char *ident_for_hash, int code)
{
    struct h *h = h_new(mode);
    h->p.ident_raw = (const uint8_t *)raw;
    h->p.ident_raw_len = raw_len;
    if (ident_for_hash != NULL) {
        h->p.ident = ident_for_hash;
    }
    if (code == 0) {
        handshake_ok(h);
        assert_string_equal(libssh2_session_banner_get(h->s), h->p.ident);
        list_ok(h);
    } else {
        expect(h, call_handshake, code);
    }
    h_free(h);
}

static void
test_t01_t03_ident(void **state)
{
    static const enum mode modes[] = {MODE_NORMAL, MODE_ONE_BYTE};
    char *buf = malloc(20000);
    size_t n, i;
    int m;
    (void)state;
    assert_non_null(buf);
    for (m = 0; m < 2; m++) {
        enum mode md = modes[m];
        /* T-01: an ident line of 300 bytes */
        n = (size_t)sprintf(buf, "SSH-2.0-");
        memset(buf + n, 'a', 290);
        n += 290;
        memcpy(buf + n, "\r\n", 2);
        ident_case(md, buf, n + 2, NULL, LIBSSH2_ERROR_BANNER_RECV);
        /* T-01: the longest accepted ident: 253 bytes + CR LF = 255 */
        n = (size_t)sprintf(buf, "SSH-2.0-");
        memset(buf + n, 'b', 253 - 8);
        buf[253] = '\0';
        {
            char *id = strdup(buf);
            memcpy(buf + 253, "\r\n", 2);
            ident_case(md, buf, 255, id, 0);
            /* one more byte: 256 */
            memset(buf + 8, 'b', 254 - 8);
            buf[254] = '\r';
            buf[255] = '\n';
            ident_case(md, buf, 256, NULL, LIBSSH2_ERROR_BANNER_RECV);
            free(id);
        }
        /* T-01: 9000 bytes without any line end */
        memset(buf, 'x', 9000);
        ident_case(md, buf, 9000, NULL, LIBSSH2_ERROR_BANNER_RECV);
        /* T-02: 1025 pre-banner lines */
        for (i = 0, n = 0; i < 1025; i++) {
            memcpy(buf + n, "l\r\n", 3);
            n += 3;
        }
        n += (size_t)sprintf(buf + n, "SSH-2.0-X\r\n");
        ident_case(md, buf, n, NULL, LIBSSH2_ERROR_BANNER_RECV);
        /* 1024 of them are accepted */
        ident_case(md, buf + 3, n - 3, "SSH-2.0-X", 0);
        /* T-02: NUL in a pre-banner line, NUL in the ident */
        ident_case(md, "hel\0lo\r\nSSH-2.0-X\r\n", 19, NULL, LIBSSH2_ERROR_BANNER_RECV);
        ident_case(md, "SSH-2.0-X\0Y\r\n", 13, NULL, LIBSSH2_ERROR_BANNER_RECV);
        /* T-02: leading empty lines and bare LF are accepted */
        ident_case(md, "\r\n\nhello\nSSH-2.0-X\n", 19, "SSH-2.0-X", 0);
        /* T-03: versions */
        ident_case(md, "SSH-1.5-x\r\n", 11, NULL, LIBSSH2_ERROR_BANNER_RECV);
        ident_case(md, "SSH-3.0-x\r\n", 11, NULL, LIBSSH2_ERROR_BANNER_RECV);
        ident_case(md, "SSH-2.0-\r\n", 10, NULL, LIBSSH2_ERROR_BANNER_RECV);
        ident_case(md, "SSH-1.99-x\r\n", 12, "SSH-1.99-x", 0);
        /* EOF in the middle of the ident */
        {
            struct h *h = h_new(md);
            h->p.ident_raw = (const uint8_t *)"SSH-2.0-abc";
            h->p.ident_raw_len = 11;
            h->p.auto_kexinit = 0;
            h->p.sent_kexinit = 1; /* nothing after the partial ident */
            client_once(h, call_handshake);
            peer_close(&h->p);
            expect(h, call_handshake, LIBSSH2_ERROR_SOCKET_DISCONNECT);
            h_free(h);
        }
    }
    free(buf);
}

/* ======================= T: framing ======================= */

/* pre_kex: the peer has sent its ident and nothing else; it will not send
 * KEXINIT on its own. */
static void
pre_kex(struct h *h)
{
    h->p.auto_kexinit = 0;
    h->p.sent_kexinit = 1;
    peer_send_ident(&h->p);
}

/* ignore_of_len sends an IGNORE packet whose packet_length is exactly |L|. */
static void
ignore_of_len(struct h *h, size_t L, size_t block)
{
    struct peer_frame f;
    size_t plen = L - 1 - block;
    uint8_t *pl = calloc(1, plen);
    assert_non_null(pl);
    assert_true(plen >= 5);
    pl[0] = 2;
    s2_put_u32(pl + 1, (uint32_t)(plen - 5));
    memset(&f, 0, sizeof f);
    f.set_nbytes_pad = 1;
    f.nbytes_pad = block;
    peer_send_frame(&h->p, pl, plen, &f);
    free(pl);
}

static const uint8_t ignore32[37] = {2, 0, 0, 0, 32};

/* after_kex makes a session with keys in use and the given damage applied to
 * the next packet (sent before SERVICE_ACCEPT is due). */
static struct h *
after_kex(enum mode mode, const struct cfg *c)
{
    struct h *h = h_cfg(mode, c);
    handshake_ok(h);
    return h;
}

static void
test_t04_t05_length_plain(void **state)
{
    static const uint32_t bad[] = {0, 1, 2, 3, 4, 0x7fffffffu, 0xffffffffu, S2_PACKET_MAX + 1};
    size_t i;
    (void)state;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct h *h = h_new(MODE_NORMAL);
        struct peer_frame f;
        memset(&f, 0, sizeof f);
        f.set_len = 1;
        f.len = bad[i];
        pre_kex(h);
        peer_send_frame(&h->p, ignore32, sizeof ignore32, &f);
        expect(h, call_handshake, LIBSSH2_ERROR_OUT_OF_BOUNDARY);
        h_free(h);
    }
    {
        /* exactly the cap is not block aligned in plaintext: PROTO */
        struct h *h = h_new(MODE_NORMAL);
        struct peer_frame f;
        memset(&f, 0, sizeof f);
        f.set_len = 1;
        f.len = S2_PACKET_MAX;
        pre_kex(h);
        peer_send_frame(&h->p, ignore32, sizeof ignore32, &f);
        expect(h, call_handshake, LIBSSH2_ERROR_PROTO);
        h_free(h);
    }
    {
        /* the largest aligned packet at the cap is accepted */
        struct h *h = h_new(MODE_NORMAL);
        h->p.strict = 0;
        pre_kex(h);
        ignore_of_len(h, S2_PACKET_MAX - 4, 8);
        peer_send_kexinit(&h->p);
        handshake_ok(h);
        list_ok(h);
        h_free(h);
    }
}

static void
test_t04_t05_length_encrypted(void **state)
{
    static const uint32_t bad[] = {0, 1, 2, 3, 4, 0x7fffffffu, 0xffffffffu, S2_PACKET_MAX + 1};
    size_t c, i;
    (void)state;
    for (c = 0; c < NCFG; c++) {
        for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
            struct h *h = after_kex(MODE_NORMAL, &cfgs[c]);
            struct peer_frame f;
            memset(&f, 0, sizeof f);
            f.set_len = 1;
            f.len = bad[i];
            peer_send_frame(&h->p, ignore32, sizeof ignore32, &f);
            expect(h, call_list, LIBSSH2_ERROR_OUT_OF_BOUNDARY);
            h_free(h);
        }
        {
            /* accepted at the cap (aligned: the cap itself for AEAD/ETM) */
            struct h *h = after_kex(MODE_NORMAL, &cfgs[c]);
            size_t L = cfgs[c].aead_or_etm ? S2_PACKET_MAX : S2_PACKET_MAX - 4;
            ignore_of_len(h, L, cfgs[c].block);
            list_ok(h);
            h_free(h);
        }
    }
}

static void
test_t06_t08_payload_padding(void **state)
{
    size_t c;
    int pad;
    (void)state;
    /* plaintext */
    {
        struct h *h = h_new(MODE_NORMAL);
        pre_kex(h);
        peer_send_frame(&h->p, NULL, 0, NULL); /* T-06: no message number */
        expect(h, call_handshake, LIBSSH2_ERROR_PROTO);
        h_free(h);
    }
    for (pad = 0; pad < 4; pad++) {
        struct h *h = h_new(MODE_NORMAL);
        struct peer_frame f;
        memset(&f, 0, sizeof f);
        f.set_padlen = 1;
        f.padlen = (uint8_t)pad;
        pre_kex(h);
        peer_send_frame(&h->p, ignore32, sizeof ignore32, &f);
        expect(h, call_handshake, LIBSSH2_ERROR_PROTO);
        h_free(h);
    }
    {
        struct h *h = h_new(MODE_NORMAL);
        struct peer_frame f;
        memset(&f, 0, sizeof f);
        f.set_nbytes_pad = 1;
        f.nbytes_pad = 3; /* T-07: 4 + 1 + 37 + 3 = 45, not a multiple of 8 */
        pre_kex(h);
        peer_send_frame(&h->p, ignore32, sizeof ignore32, &f);
        expect(h, call_handshake, LIBSSH2_ERROR_PROTO);
        h_free(h);
    }
    for (c = 0; c < NCFG; c++) {
        static const int pads[] = {0, 1, 2, 3, 255, -1};
        size_t k;
        {
            struct h *h = after_kex(MODE_NORMAL, &cfgs[c]);
            peer_send_frame(&h->p, NULL, 0, NULL); /* T-06 / T-10b */
            expect(h, call_list, LIBSSH2_ERROR_PROTO);
            h_free(h);
        }
        for (k = 0; k < sizeof pads / sizeof pads[0]; k++) {
            struct h *h = after_kex(MODE_NORMAL, &cfgs[c]);
            struct peer_frame f;
            memset(&f, 0, sizeof f);
            f.set_padlen = 1;
            /* -1: padding_length equal to packet_length (48, or 44 for E&M) */
            f.padlen = pads[k] >= 0 ? (uint8_t)pads[k] : (uint8_t)(cfgs[c].aead_or_etm ? 48 : 44);
            peer_send_frame(&h->p, ignore32, sizeof ignore32, &f);
            expect(h, call_list, LIBSSH2_ERROR_PROTO);
            h_free(h);
        }
        {
            /* T-07 / T-10 (GCM) / T-11 (ETM): length not block aligned */
            struct h *h = after_kex(MODE_NORMAL, &cfgs[c]);
            struct peer_frame f;
            memset(&f, 0, sizeof f);
            f.set_nbytes_pad = 1;
            f.nbytes_pad = 5;
            peer_send_frame(&h->p, ignore32, sizeof ignore32, &f);
            expect(h, call_list, LIBSSH2_ERROR_PROTO);
            h_free(h);
        }
        if (cfgs[c].aead_or_etm && cfgs[c].block == 16) {
            /* T-10 / T-11: lengths 8 and 12 with a 16-byte block */
            static const uint32_t lens[] = {8, 12, 20};
            for (k = 0; k < 3; k++) {
                struct h *h = after_kex(MODE_NORMAL, &cfgs[c]);
                struct peer_frame f;
                memset(&f, 0, sizeof f);
                f.set_len = 1;
                f.len = lens[k];
                peer_send_frame(&h->p, ignore32, sizeof ignore32, &f);
                expect(h, call_list, LIBSSH2_ERROR_PROTO);
                h_free(h);
            }
        }
    }
}

static void
test_t09_mac(void **state)
{
    static const size_t offs[] = {0, 1, 7, 15, 31};
    size_t c, k;
    (void)state;
    for (c = 0; c < NCFG; c++) {
        for (k = 0; k < sizeof offs / sizeof offs[0]; k++) {
            struct h *h = after_kex(k == 1 ? MODE_ONE_BYTE : MODE_NORMAL, &cfgs[c]);
            struct peer_frame f;
            memset(&f, 0, sizeof f);
            f.flip_mac = 1;
            f.flip_off = offs[k];
            peer_send_frame(&h->p, ignore32, sizeof ignore32, &f);
            expect(h, call_list, LIBSSH2_ERROR_INVALID_MAC);
            /* E1: the client said it is leaving */
            while (peer_step(&h->p) > 0) {
            }
            assert_int_equal(h->p.got_disconnect, 1);
            h_free(h);
        }
        for (k = 16; k < 48; k += 8) {
            /* a flipped ciphertext byte past the first block */
            struct h *h = after_kex(MODE_NORMAL, &cfgs[c]);
            struct peer_frame f;
            memset(&f, 0, sizeof f);
            f.flip_body = 1;
            f.body_off = k;
            peer_send_frame(&h->p, ignore32, sizeof ignore32, &f);
            expect(h, call_list, LIBSSH2_ERROR_INVALID_MAC);
            h_free(h);
        }
    }
}

/* T-09 / HOSTILE-CASES section 1: a MAC failure is announced with
 * DISCONNECT reason MAC_ERROR (RFC 4253 11.1, reason 5). */
static void
test_t09_disconnect_reason(void **state)
{
    struct h *h;
    struct peer_frame f;
    (void)state;
    h = after_kex(MODE_NORMAL, &cfgs[0]);
    memset(&f, 0, sizeof f);
    f.flip_mac = 1;
    peer_send_frame(&h->p, ignore32, sizeof ignore32, &f);
    expect(h, call_list, LIBSSH2_ERROR_INVALID_MAC);
    while (peer_step(&h->p) > 0) {
    }
    assert_int_equal(h->p.got_disconnect, 1);
    assert_int_equal(h->p.disconnect_reason, SSH_DISCONNECT_MAC_ERROR);
    h_free(h);
}

static size_t g_keep;

/* hook_truncate_and_close answers SERVICE_REQUEST with part of a packet,
 * then closes the connection (the client has nothing left to send). */
static int
hook_truncate_and_close(struct h *h, enum peer_event ev)
{
    if (ev == PEER_EV_SERVICE_ACCEPT) {
        struct peer_frame f;
        memset(&f, 0, sizeof f);
        f.truncate = 1;
        f.keep = g_keep;
        peer_send_frame(&h->p, ignore32, sizeof ignore32, &f);
        peer_close(&h->p);
        return 1;
    }
    return 0;
}

static void
test_t12_eof_mid_packet(void **state)
{
    size_t c, keep;
    (void)state;
    for (keep = 0; keep < 40; keep += 3) {
        struct h *h = h_new(MODE_NORMAL);
        struct peer_frame f;
        memset(&f, 0, sizeof f);
        f.truncate = 1;
        f.keep = keep;
        pre_kex(h);
        client_once(h, call_handshake);
        peer_send_frame(&h->p, ignore32, sizeof ignore32, &f);
        peer_close(&h->p);
        expect(h, call_handshake, LIBSSH2_ERROR_SOCKET_DISCONNECT);
        h_free(h);
    }
    for (c = 0; c < NCFG; c++) {
        for (keep = 2; keep < 80; keep += 13) {
            struct h *h = after_kex(MODE_NORMAL, &cfgs[c]);
            g_keep = keep;
            h->hook_fn = hook_truncate_and_close;
            expect(h, call_list, LIBSSH2_ERROR_SOCKET_DISCONNECT);
            h_free(h);
        }
    }
}

/* ---- hooks for T-13 .. T-17 ---- */

static uint8_t g_msg;             /* the message a hook injects */
static const uint8_t *g_extra;
static size_t g_extra_len;

static int
hook_inject_before_accept(struct h *h, enum peer_event ev)
{
    if (ev == PEER_EV_SERVICE_ACCEPT && h->hook_state == 0) {
        h->hook_state = 1;
        peer_send_msg(&h->p, g_msg, g_extra, g_extra_len);
        h->mark_seq = h->p.tx_seq_of_last;
    }
    return 0;
}

static void
test_t13_unknown_after_kex(void **state)
{
    static const uint8_t types[] = {0, 15, 19, 29, 128, 200, 255};
    size_t i;
    (void)state;
    for (i = 0; i < sizeof types / sizeof types[0]; i++) {
        struct h *h = after_kex(i == 2 ? MODE_ONE_BYTE : MODE_NORMAL, &cfgs[i % NCFG]);
        g_msg = types[i];
        g_extra = (const uint8_t *)"junk";
        g_extra_len = 4;
        h->hook_fn = hook_inject_before_accept;
        list_ok(h); /* still alive */
        assert_int_equal(h->p.nunimpl, 1);
        assert_int_equal(h->p.unimpl_seq[0], h->mark_seq);
        h_free(h);
    }
}

static int
hook_inject_after_kexinit(struct h *h, enum peer_event ev)
{
    if (ev == PEER_EV_KEXINIT && h->hook_state == 0) {
        h->hook_state = 1;
        peer_send_kexinit(&h->p);
        peer_send_msg(&h->p, g_msg, g_extra, g_extra_len);
        return 1;
    }
    return 0;
}

static void
test_t13_unknown_during_kex(void **state)
{
    struct h *h;
    (void)state;
    g_extra = NULL;
    g_extra_len = 0;
    /* strict: any non-KEX message in the initial KEX is fatal */
    g_msg = 15;
    h = h_new(MODE_NORMAL);
    h->hook_fn = hook_inject_after_kexinit;
    expect(h, call_handshake, LIBSSH2_ERROR_PROTO);
    h_free(h);
    g_msg = 200;
    h = h_new(MODE_NORMAL);
    h->hook_fn = hook_inject_after_kexinit;
    expect(h, call_handshake, LIBSSH2_ERROR_PROTO);
    h_free(h);
    /* not strict: an unknown transport number is answered and ignored */
    g_msg = 15;
    h = h_new(MODE_NORMAL);
    h->p.strict = 0;
    h->hook_fn = hook_inject_after_kexinit;
    handshake_ok(h);
    list_ok(h);
    assert_int_equal(h->p.nunimpl, 1);
    assert_int_equal(h->p.unimpl_seq[0], 1); /* KEXINIT was #0, this #1 */
    h_free(h);
    /* not strict: an upper-layer number before the first NEWKEYS is PROTO */
    g_msg = 60;
    h = h_new(MODE_NORMAL);
    h->p.strict = 0;
    h->hook_fn = hook_inject_after_kexinit;
    expect(h, call_handshake, LIBSSH2_ERROR_PROTO);
    h_free(h);
}

static void
inject_case(const uint8_t msg, const void *extra, size_t extra_len, int code)
{
    struct h *h = after_kex(MODE_NORMAL, &cfgs[0]);
    g_msg = msg;
    g_extra = extra;
    g_extra_len = extra_len;
    h->hook_fn = hook_inject_before_accept;
    expect(h, call_list, code);
    h_free(h);
}

static void
test_t13_connection_before_auth(void **state)
{
    static const uint8_t data[] = {0, 0, 0, 0, 0, 0, 0, 1, 'x'};
    (void)state;
    inject_case(94, data, sizeof data, LIBSSH2_ERROR_PROTO); /* CHANNEL_DATA */
    inject_case(80, data, sizeof data, LIBSSH2_ERROR_PROTO); /* GLOBAL_REQUEST */
    inject_case(90, data, sizeof data, LIBSSH2_ERROR_PROTO); /* CHANNEL_OPEN */
}

static void
test_t14_disconnect_truncated(void **state)
{
    static const uint8_t full[] = {0, 0, 0, 11, 0, 0, 0, 3, 'b', 'y', 'e', 0, 0, 0, 0};
    static const uint8_t huge[] = {0, 0, 0, 2, 0xff, 0xff, 0xff, 0xff, 'a', 'b'};
    static const uint8_t huge_lang[] = {0, 0, 0, 2, 0, 0, 0, 1, 'a', 0x7f, 0xff, 0xff, 0xff};
    size_t n;
    (void)state;
    for (n = 0; n <= sizeof full; n++) {
        inject_case(1, full, n, LIBSSH2_ERROR_SOCKET_DISCONNECT);
    }
    inject_case(1, huge, sizeof huge, LIBSSH2_ERROR_SOCKET_DISCONNECT);
    inject_case(1, huge_lang, sizeof huge_lang, LIBSSH2_ERROR_SOCKET_DISCONNECT);
    {
        /* plaintext, before KEXINIT */
        struct h *h = h_new(MODE_NORMAL);
        pre_kex(h);
        peer_send_msg(&h->p, 1, full, 5);
        expect(h, call_handshake, LIBSSH2_ERROR_SOCKET_DISCONNECT);
        h_free(h);
    }
}

static int
hook_accept_other_service(struct h *h, enum peer_event ev)
{
    (void)h;
    if (ev == PEER_EV_SERVICE_ACCEPT) {
        static const uint8_t acc[] = {6, 0, 0, 0, 14, 's', 's', 'h', '-', 'c', 'o', 'n', 'n',
                                      'e', 'c', 't', 'i', 'o', 'n'};
        peer_send(&h->p, acc, sizeof acc);
        return 1;
    }
    return 0;
}

static void
test_t16_t17_wrong_direction(void **state)
{
    static const uint8_t svc[] = {0, 0, 0, 12, 's', 's', 'h', '-', 'u', 's', 'e', 'r', 'a', 'u',
                                  't', 'h'};
    static const uint8_t ua[] = {0, 0, 0, 1, 'u', 0, 0, 0, 1, 's', 0, 0, 0, 4, 'n', 'o', 'n', 'e'};
    static const uint8_t q[36] = {0, 0, 0, 32, 9};
    struct h *h;
    (void)state;
    /* T-16: SERVICE_ACCEPT never requested (arrives during a rekey) */
    h = after_kex(MODE_NORMAL, &cfgs[0]);
    peer_send_msg(&h->p, 6, svc, sizeof svc);
    expect(h, call_rekey, LIBSSH2_ERROR_PROTO);
    h_free(h);
    /* T-16: SERVICE_ACCEPT for another service */
    h = after_kex(MODE_NORMAL, &cfgs[0]);
    h->hook_fn = hook_accept_other_service;
    expect(h, call_list, LIBSSH2_ERROR_PROTO);
    h_free(h);
    /* T-16: SERVICE_REQUEST (server-only direction reversed) */
    inject_case(5, svc, sizeof svc, LIBSSH2_ERROR_PROTO);
    /* T-17: USERAUTH_REQUEST from the server */
    inject_case(50, ua, sizeof ua, LIBSSH2_ERROR_PROTO);
    /* T-17: KEXDH_INIT / ECDH_INIT outside a key exchange, ECDH_REPLY too (K-07) */
    inject_case(30, q, sizeof q, LIBSSH2_ERROR_PROTO);
    inject_case(31, q, sizeof q, LIBSSH2_ERROR_PROTO);
    /* NEWKEYS outside a key exchange */
    inject_case(21, NULL, 0, LIBSSH2_ERROR_PROTO);
    /* USERAUTH_SUCCESS / FAILURE before any request (U-02) */
    inject_case(52, NULL, 0, LIBSSH2_ERROR_PROTO);
}

/* ======================= K: key exchange ======================= */

static struct s2_wr g_kexinit; /* a custom KEXINIT for hook_custom_kexinit */

static int
hook_custom_kexinit(struct h *h, enum peer_event ev)
{
    if (ev == PEER_EV_KEXINIT) {
        peer_send(&h->p, g_kexinit.p, g_kexinit.len);
        h->p.sent_kexinit = 1;
        h->p.in_kex = 1;
        return 1;
    }
    return 0;
}

static void
custom_kexinit_case(const void *payload, size_t len, int code)
{
    struct h *h = h_new(MODE_NORMAL);
    struct s2_allocator a;
    s2_allocator_default(&a, NULL);
    s2_wr_dyn(&g_kexinit, &a, 1u << 20);
    s2_wr_raw(&g_kexinit, payload, len);
    h->hook_fn = hook_custom_kexinit;
    expect(h, call_handshake, code);
    s2_wr_free(&g_kexinit);
    h_free(h);
}

static void
build_kexinit(struct peer *p, struct s2_wr *w, const char *kex, const char *hk, const char *c,
              const char *m)
{
    static struct s2_allocator a; /* the writer keeps a pointer to it */
    s2_allocator_default(&a, NULL);
    s2_wr_dyn(w, &a, 1u << 20);
    peer_build_kexinit(p, w, kex, hk, c, m, 0, 0);
    assert_int_equal(s2_wr_ok(w), 0);
}

static void
test_k01_k04_malformed_kexinit(void **state)
{
    struct peer tmp;
    struct s2_wr w;
    size_t cut;
    char *big;
    (void)state;
    assert_int_equal(peer_init(&tmp), 0);
    build_kexinit(&tmp, &w, NULL, NULL, NULL, NULL);
    /* K-04: truncated anywhere (before first_kex_packet_follows, reserved) */
    for (cut = 1; cut < w.len; cut += (cut < 30 ? 1 : 17)) {
        custom_kexinit_case(w.p, cut, LIBSSH2_ERROR_KEX_FAILURE);
    }
    custom_kexinit_case(w.p, w.len - 1, LIBSSH2_ERROR_KEX_FAILURE);
    custom_kexinit_case(w.p, w.len - 4, LIBSSH2_ERROR_KEX_FAILURE);
    /* a trailing byte */
    {
        uint8_t *t = malloc(w.len + 1);
        memcpy(t, w.p, w.len);
        t[w.len] = 0;
        custom_kexinit_case(t, w.len + 1, LIBSSH2_ERROR_KEX_FAILURE);
        /* K-01: the first name-list length larger than what remains */
        s2_put_u32(t + 17, (uint32_t)w.len);
        custom_kexinit_case(t, w.len, LIBSSH2_ERROR_KEX_FAILURE);
        s2_put_u32(t + 17, 0xffffffffu);
        custom_kexinit_case(t, w.len, LIBSSH2_ERROR_KEX_FAILURE);
        free(t);
    }
    s2_wr_free(&w);
    /* K-02: empty names, names over 64 bytes, non-ASCII */
    build_kexinit(&tmp, &w, "curve25519-sha256,,x", NULL, NULL, NULL);
    custom_kexinit_case(w.p, w.len, LIBSSH2_ERROR_KEX_FAILURE);
    s2_wr_free(&w);
    build_kexinit(&tmp, &w, ",curve25519-sha256", NULL, NULL, NULL);
    custom_kexinit_case(w.p, w.len, LIBSSH2_ERROR_KEX_FAILURE);
    s2_wr_free(&w);
    build_kexinit(&tmp, &w, "curve25519-sha256,", NULL, NULL, NULL);
    custom_kexinit_case(w.p, w.len, LIBSSH2_ERROR_KEX_FAILURE);
    s2_wr_free(&w);
    build_kexinit(&tmp, &w, NULL, NULL,
                  "chacha20-poly1305@openssh.com,"
                  "a234567890123456789012345678901234567890123456789012345678901234x",
                  NULL);
    custom_kexinit_case(w.p, w.len, LIBSSH2_ERROR_KEX_FAILURE);
    s2_wr_free(&w);
    build_kexinit(&tmp, &w, NULL, "ssh-ed25519,caf\xc3\xa9", NULL, NULL);
    custom_kexinit_case(w.p, w.len, LIBSSH2_ERROR_KEX_FAILURE);
    s2_wr_free(&w);
    build_kexinit(&tmp, &w, NULL, "ssh-ed25519,a b", NULL, NULL);
    custom_kexinit_case(w.p, w.len, LIBSSH2_ERROR_KEX_FAILURE);
    s2_wr_free(&w);
    peer_free(&tmp);

    /* K-02: a 30 KB list with the one common name at its end still works */
    big = malloc(40000);
    {
        size_t n = 0;
        int i;
        for (i = 0; n < 30000; i++) {
            n += (size_t)sprintf(big + n, "unknown-kex-%d@example.com,", i);
        }
        strcpy(big + n, "curve25519-sha256");
        {
            struct h *h = h_new(MODE_NORMAL);
            int64_t t0 = now_ms();
            h->p.kex_list = big;
            handshake_ok(h);
            assert_true(now_ms() - t0 < 2000);
            list_ok(h);
            h_free(h);
        }
        /* ... and without it: KEX_FAILURE */
        big[n - 1] = '\0';
        {
            struct h *h = h_new(MODE_NORMAL);
            h->p.kex_list = big;
            expect(h, call_handshake, LIBSSH2_ERROR_KEX_FAILURE);
            h_free(h);
        }
    }
    free(big);
    /* K-04: reserved != 0 is ignored (policy) */
    {
        struct h *h = h_new(MODE_NORMAL);
        h->p.reserved = 0xdeadbeef;
        handshake_ok(h);
        list_ok(h);
        h_free(h);
    }
}

static void
no_common(const char *kex, const char *hk, const char *cipher, const char *mac,
          const char *category)
{
    struct h *h = h_new(MODE_NORMAL);
    if (kex != NULL) {
        h->p.kex_list = kex;
    }
    if (hk != NULL) {
        h->p.hostkey_list = hk;
    }
    if (cipher != NULL) {
        h->p.cipher_list = cipher;
    }
    if (mac != NULL) {
        h->p.mac_list = mac;
    }
    h->p.strict = 0;
    expect_msg(h, call_handshake, LIBSSH2_ERROR_KEX_FAILURE, category);
    h_free(h);
}

static void
test_k03_no_common(void **state)
{
    (void)state;
    no_common("diffie-hellman-group1-sha1", NULL, NULL, NULL, "key exchange");
    no_common(NULL, "ssh-dss", NULL, NULL, "host key");
    no_common(NULL, NULL, "3des-cbc", NULL, "cipher");
    no_common(NULL, NULL, "aes128-ctr", "hmac-md5", "MAC");
    no_common(NULL, NULL, "", NULL, "cipher");
}

static int
hook_second_kexinit(struct h *h, enum peer_event ev)
{
    if (ev == PEER_EV_REPLY) {
        struct s2_wr w;
        build_kexinit(&h->p, &w, NULL, NULL, NULL, NULL);
        peer_send(&h->p, w.p, w.len);
        s2_wr_free(&w);
    }
    return 0;
}

static int
hook_newkeys_first(struct h *h, enum peer_event ev)
{
    if (ev == PEER_EV_REPLY) {
        uint8_t nk = 21;
        peer_send(&h->p, &nk, 1);
        return 1;
    }
    return 0;
}

static int
hook_dup_reply(struct h *h, enum peer_event ev)
{
    if (ev == PEER_EV_NEWKEYS) {
        peer_send_reply(&h->p, NULL);
    }
    return 0;
}

static int
hook_bad_kex_msg(struct h *h, enum peer_event ev)
{
    if (ev == PEER_EV_REPLY) {
        static const uint8_t junk[] = {0, 0, 0, 1, 0};
        peer_send_msg(&h->p, g_msg, junk, sizeof junk);
        return 1;
    }
    return 0;
}

static void
test_k05_k07_order(void **state)
{
    struct h *h;
    (void)state;
    /* K-05: a second KEXINIT during the initial exchange */
    h = h_new(MODE_NORMAL);
    h->hook_fn = hook_second_kexinit;
    expect(h, call_handshake, LIBSSH2_ERROR_PROTO);
    h_free(h);
    /* ... and during a rekey */
    h = after_kex(MODE_NORMAL, &cfgs[0]);
    h->hook_fn = hook_second_kexinit;
    expect(h, call_rekey, LIBSSH2_ERROR_PROTO);
    h_free(h);
    /* K-06: NEWKEYS before the reply */
    h = h_new(MODE_NORMAL);
    h->hook_fn = hook_newkeys_first;
    expect(h, call_handshake, LIBSSH2_ERROR_PROTO);
    h_free(h);
    h = after_kex(MODE_NORMAL, &cfgs[2]);
    h->hook_fn = hook_newkeys_first;
    expect(h, call_rekey, LIBSSH2_ERROR_PROTO);
    h_free(h);
    /* K-07: the reply twice */
    h = h_new(MODE_NORMAL);
    h->hook_fn = hook_dup_reply;
    expect(h, call_handshake, LIBSSH2_ERROR_PROTO);
    h_free(h);
    /* K-07: other KEX numbers instead of the reply (GEX group, 32..49) */
    g_msg = 32;
    h = h_new(MODE_NORMAL);
    h->hook_fn = hook_bad_kex_msg;
    expect(h, call_handshake, LIBSSH2_ERROR_PROTO);
    h_free(h);
    g_msg = 49;
    h = h_new(MODE_NORMAL);
    h->hook_fn = hook_bad_kex_msg;
    expect(h, call_handshake, LIBSSH2_ERROR_PROTO);
    h_free(h);
    /* K-07: a reply that does not parse (trailing byte) */
    h = h_new(MODE_NORMAL);
    h->p.mut.trailing = 1;
    expect(h, call_handshake, LIBSSH2_ERROR_KEX_FAILURE);
    h_free(h);
}

/* kexinit_with_guess sends KEXINIT and a (wrongly) guessed first KEX
 * packet, which the client must drop unread (RFC 4253 7). */
static void
kexinit_with_guess(struct h *h)
{
    static const uint8_t guess[] = {0, 0, 0, 32, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13,
                                    14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27,
                                    28, 29, 30, 31, 32};
    peer_send_kexinit(&h->p);
    peer_send_msg(&h->p, 31, guess, sizeof guess);
}

static int
hook_wrong_guess(struct h *h, enum peer_event ev)
{
    if (ev == PEER_EV_KEXINIT) {
        kexinit_with_guess(h);
        h->hook_state++;
        return 1;
    }
    return 0;
}

static void
test_k08_k09_guess(void **state)
{
    struct h *h;
    int i;
    (void)state;
    /* K-08: right guess (both sides list the same method first), nothing
     * to drop */
    h = h_new(MODE_NORMAL);
    h->p.first_follows = 1;
    h->p.kex_list = "mlkem768x25519-sha256,curve25519-sha256";
    handshake_ok(h);
    list_ok(h);
    h_free(h);
    /* K-09: wrong guess (our first KEX name differs); one packet dropped,
     * also across rekeys from either side */
    h = h_new(MODE_NORMAL);
    h->p.first_follows = 1;
    h->p.kex_list = "curve25519-sha256@libssh.org,curve25519-sha256";
    h->hook_fn = hook_wrong_guess;
    handshake_ok(h);
    list_ok(h);
    for (i = 0; i < 10; i++) {
        assert_int_equal(drive(h, call_rekey), 0);
    }
    kexinit_with_guess(h); /* server-initiated (no hook) */
    list_ok(h);
    assert_int_equal(ssh2core_session_kex_count(h->s), 12);
    assert_int_equal(h->hook_state, 11);
    h_free(h);
    /* wrong guess on the host key algorithm only */
    h = h_new(MODE_ONE_BYTE);
    h->p.first_follows = 1;
    h->p.hostkey_list = "rsa-sha2-256,ssh-ed25519";
    h->hook_fn = hook_wrong_guess;
    handshake_ok(h);
    list_ok(h);
    h_free(h);
}

/* mlkem768x25519-sha256 against the peer's server side: the handshake,
 * the negotiated name, a rekey; then every wrong length of S_REPLY, an
 * all-zero X25519 value, and a modified ciphertext (implicit rejection
 * gives the client another secret, so the host key signature over H
 * cannot verify). */
static void
pq_case(enum mode mode, const struct peer_reply_mut *m, int code)
{
    struct h *h = h_new(mode);
    h->p.kex_list = "mlkem768x25519-sha256";
    if (m != NULL) {
        h->p.mut = *m;
        expect(h, call_handshake, code);
        h_free(h);
        return;
    }
    handshake_ok(h);
    assert_string_equal(libssh2_session_methods(h->s, LIBSSH2_METHOD_KEX),
                        "mlkem768x25519-sha256");
    list_ok(h);
    assert_int_equal(drive(h, call_rekey), 0);
    assert_int_equal(ssh2core_session_kex_count(h->s), 2);
    list_ok(h);
    h_free(h);
}

static void
test_pq_mlkem768x25519(void **state)
{
    static const int lens[] = {0, 1, 32, 1087, 1088, 1119, 1121};
    struct peer_reply_mut m;
    size_t i;
    (void)state;
    pq_case(MODE_NORMAL, NULL, 0);
    pq_case(MODE_ONE_BYTE, NULL, 0);
    pq_case(MODE_EAGAIN, NULL, 0);
    memset(&m, 0, sizeof m);
    for (i = 0; i < sizeof lens / sizeof lens[0]; i++) {
        m.q_len = lens[i] == 0 ? -1 : lens[i];
        pq_case(MODE_NORMAL, &m, LIBSSH2_ERROR_KEX_FAILURE);
    }
    memset(&m, 0, sizeof m);
    m.q_zero = 1;
    pq_case(MODE_NORMAL, &m, LIBSSH2_ERROR_KEX_FAILURE);
    memset(&m, 0, sizeof m);
    m.flip_ct = 1;
    pq_case(MODE_NORMAL, &m, LIBSSH2_ERROR_HOSTKEY_SIGN);
    pq_case(MODE_ONE_BYTE, &m, LIBSSH2_ERROR_HOSTKEY_SIGN);
}

/* The default cipher and MAC order follows the CPU: AES-GCM first with
 * AES-NI + PCLMULQDQ, chacha20-poly1305 first without (forced here with
 * SSH2CORE_CPU_MASK); HMAC-SHA-256 first with SHA-NI, SHA-512 without. */
static void
default_order_case(const char *mask, const char *cipher, const char *mac)
{
    struct h *h;
    if (mask != NULL) {
        setenv("SSH2CORE_CPU_MASK", mask, 1);
    } else {
        unsetenv("SSH2CORE_CPU_MASK");
    }
    s2_cpu_reset_for_tests();
    h = h_new(MODE_NORMAL);
    h->p.cipher_list = "chacha20-poly1305@openssh.com,aes256-gcm@openssh.com,aes128-ctr,"
                       "aes128-gcm@openssh.com";
    h->p.mac_list = "hmac-sha2-256,hmac-sha2-512";
    handshake_ok(h);
    assert_string_equal(libssh2_session_methods(h->s, LIBSSH2_METHOD_CRYPT_CS), cipher);
    assert_string_equal(libssh2_session_methods(h->s, LIBSSH2_METHOD_CRYPT_SC), cipher);
    assert_string_equal(libssh2_session_methods(h->s, LIBSSH2_METHOD_MAC_CS), mac);
    h_free(h);
}

static void
test_default_order_by_cpu(void **state)
{
    unsigned f;
    (void)state;
    unsetenv("SSH2CORE_CPU_MASK");
    s2_cpu_reset_for_tests();
    f = s2_crypto_fast();
    default_order_case(NULL, (f & S2_FAST_AES) ? "aes128-gcm@openssh.com"
                                               : "chacha20-poly1305@openssh.com",
                       (f & S2_FAST_SHA256) ? "hmac-sha2-256" : "hmac-sha2-512");
    default_order_case("0x3f", "chacha20-poly1305@openssh.com", "hmac-sha2-512");
    if ((f & S2_FAST_AES) && (f & S2_FAST_SHA256)) {
        default_order_case("0x4", "aes128-gcm@openssh.com", "hmac-sha2-512");
        default_order_case("0x1", "chacha20-poly1305@openssh.com", "hmac-sha2-256");
    }
    unsetenv("SSH2CORE_CPU_MASK");
    s2_cpu_reset_for_tests();
}

static void
reply_case(enum mode mode, const struct peer_reply_mut *m, int code)
{
    struct h *h = h_new(mode);
    h->p.mut = *m;
    expect(h, call_handshake, code);
    h_free(h);
}

static void
test_k10_k15_reply(void **state)
{
    struct peer_reply_mut m;
    (void)state;
    memset(&m, 0, sizeof m);
    m.q_len = 31;
    reply_case(MODE_NORMAL, &m, LIBSSH2_ERROR_KEX_FAILURE);
    m.q_len = 33;
    reply_case(MODE_NORMAL, &m, LIBSSH2_ERROR_KEX_FAILURE);
    m.q_len = 0;
    m.q_zero = 1;
    reply_case(MODE_NORMAL, &m, LIBSSH2_ERROR_KEX_FAILURE);
    reply_case(MODE_ONE_BYTE, &m, LIBSSH2_ERROR_KEX_FAILURE);
    memset(&m, 0, sizeof m);
    m.flip_sig = 1;
    reply_case(MODE_NORMAL, &m, LIBSSH2_ERROR_HOSTKEY_SIGN);
    reply_case(MODE_ONE_BYTE, &m, LIBSSH2_ERROR_HOSTKEY_SIGN);
    memset(&m, 0, sizeof m);
    m.sig_alg = "ssh-rsa";
    reply_case(MODE_NORMAL, &m, LIBSSH2_ERROR_HOSTKEY_SIGN);
    m.sig_alg = "ssh-ed25519x";
    reply_case(MODE_NORMAL, &m, LIBSSH2_ERROR_HOSTKEY_SIGN);
    m.sig_alg = "";
    reply_case(MODE_NORMAL, &m, LIBSSH2_ERROR_HOSTKEY_SIGN);
}

static int
hook_ignore_before_kexinit(struct h *h, enum peer_event ev)
{
    if (ev == PEER_EV_KEXINIT && h->hook_state == 0) {
        h->hook_state = 1;
        peer_send_ignore(&h->p, 4);
    }
    return 0;
}

static int
hook_msg_in_kex(struct h *h, enum peer_event ev)
{
    if (ev == PEER_EV_REPLY && h->hook_state == 0) {
        static const uint8_t dbg[] = {0, 0, 0, 0, 1, 'x', 0, 0, 0, 0};
        static const uint8_t unimpl[] = {0, 0, 0, 0};
        static const uint8_t ign[] = {0, 0, 0, 1, 'x'};
        h->hook_state = 1;
        if (g_msg == 2) {
            peer_send_msg(&h->p, 2, ign, sizeof ign);
        } else if (g_msg == 4) {
            peer_send_msg(&h->p, 4, dbg, sizeof dbg);
        } else {
            peer_send_msg(&h->p, 3, unimpl, sizeof unimpl);
        }
    }
    return 0;
}

static void
test_k20_k23_strict(void **state)
{
    static const uint8_t msgs[] = {2, 3, 4};
    struct h *h;
    size_t i;
    (void)state;
    /* K-20: strict, IGNORE before KEXINIT */
    h = h_new(MODE_NORMAL);
    h->hook_fn = hook_ignore_before_kexinit;
    expect(h, call_handshake, LIBSSH2_ERROR_PROTO);
    h_free(h);
    /* K-21: strict, IGNORE / UNIMPLEMENTED / DEBUG between KEXINIT and NEWKEYS */
    for (i = 0; i < 3; i++) {
        g_msg = msgs[i];
        h = h_new(i == 0 ? MODE_ONE_BYTE : MODE_NORMAL);
        h->hook_fn = hook_msg_in_kex;
        expect(h, call_handshake, LIBSSH2_ERROR_PROTO);
        h_free(h);
    }
    /* K-23: strict off, the same injections are tolerated */
    h = h_new(MODE_NORMAL);
    h->p.strict = 0;
    h->hook_fn = hook_ignore_before_kexinit;
    handshake_ok(h);
    list_ok(h);
    assert_int_equal(ssh2core_session_strict_kex(h->s), 0);
    h_free(h);
    for (i = 0; i < 3; i++) {
        g_msg = msgs[i];
        h = h_new(MODE_NORMAL);
        h->p.strict = 0;
        h->hook_fn = hook_msg_in_kex;
        handshake_ok(h);
        list_ok(h);
        assert_int_equal(ssh2core_session_strict_kex(h->s), 0);
        h_free(h);
    }
    /* K-22: strict resets seqnos: the MACs after NEWKEYS verify on both
     * sides (the peer resets too), in every cipher */
    for (i = 0; i < NCFG; i++) {
        h = after_kex(MODE_NORMAL, &cfgs[i]);
        assert_int_equal(ssh2core_session_strict_kex(h->s), 1);
        assert_int_equal(h->p.tx.seq, 0); /* nothing sent since NEWKEYS */
        list_ok(h);
        h_free(h);
    }
    /* K-22 negative: a server that does not reset its seqno is caught by
     * the MAC (seqno-keyed modes; GCM does not use the seqno) */
    for (i = 2; i < NCFG; i++) {
        h = after_kex(MODE_NORMAL, &cfgs[i]);
        h->p.no_seq_reset = 1;
        /* the reset already happened for the first NEWKEYS: undo it */
        h->p.tx.seq = 3;
        expect(h, call_list, LIBSSH2_ERROR_INVALID_MAC);
        h_free(h);
    }
    {
        /* chacha20-poly1305: the seqno is the nonce, so the length field
         * decrypts to garbage: some framing error, never success */
        int rc;
        h = after_kex(MODE_NORMAL, &cfgs[0]);
        h->p.tx.seq = 3;
        rc = drive(h, call_list);
        assert_true(rc == LIBSSH2_ERROR_OUT_OF_BOUNDARY || rc == LIBSSH2_ERROR_PROTO ||
                    rc == LIBSSH2_ERROR_INVALID_MAC);
        check_dead(h, rc);
        h_free(h);
    }
    for (i = 2; i < NCFG; i++) {
        /* strict: the seqno also resets at every rekey NEWKEYS */
        int rc;
        h = after_kex(MODE_NORMAL, &cfgs[i]);
        list_ok(h);
        h->p.no_seq_reset = 1;
        rc = drive(h, call_rekey);
        if (rc == 0) {
            rc = drive(h, call_list);
        }
        assert_int_equal(rc, LIBSSH2_ERROR_INVALID_MAC);
        check_dead(h, rc);
        h_free(h);
    }
    /* K-22: the marker in a rekey KEXINIT is ignored (strict stays off and
     * seqnos keep running) */
    h = h_new(MODE_NORMAL);
    h->p.strict = 0;
    handshake_ok(h);
    list_ok(h);
    h->p.strict = 1;
    h->p.strict_in_rekey = 1;
    assert_int_equal(drive(h, call_rekey), 0);
    peer_send_kexinit(&h->p);
    list_ok(h);
    assert_int_equal(ssh2core_session_strict_kex(h->s), 0);
    assert_int_equal(ssh2core_session_kex_count(h->s), 3);
    h_free(h);
}

static int
hook_ext_info(struct h *h, enum peer_event ev)
{
    static const uint8_t good[] = {0, 0, 0, 1, 0, 0, 0, 15, 's', 'e', 'r', 'v', 'e', 'r', '-',
                                   's', 'i', 'g', '-', 'a', 'l', 'g', 's', 0, 0, 0, 7, 's', 's',
                                   'h', '-', 'r', 's', 'a'};
    static const uint8_t huge_count[] = {0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 0, 0, 0};
    static const uint8_t short_count[] = {0, 0, 0, 2, 0, 0, 0, 1, 'a', 0, 0, 0, 0};
    if (ev == PEER_EV_AFTER_NEWKEYS && h->hook_state == 0 && g_msg < 3) {
        h->hook_state = 1;
        switch (g_msg) {
        case 0: /* K-26 */
            peer_send_msg(&h->p, 7, huge_count, sizeof huge_count);
            break;
        case 1: /* K-26: count above the pairs present */
            peer_send_msg(&h->p, 7, short_count, sizeof short_count);
            break;
        case 2: /* K-27: not the first packet after NEWKEYS */
            peer_send_ignore(&h->p, 1);
            peer_send_msg(&h->p, 7, good, sizeof good);
            break;
        default:
            break;
        }
    }
    if (ev == PEER_EV_SERVICE_ACCEPT && g_msg == 3 && h->hook_state == 0) {
        /* K-27: EXT_INFO after SERVICE_ACCEPT (before is not special) */
        static const uint8_t acc[] = {6, 0, 0, 0, 12, 's', 's', 'h', '-', 'u', 's', 'e', 'r',
                                      'a', 'u', 't', 'h'};
        h->hook_state = 1;
        peer_send(&h->p, acc, sizeof acc);
        peer_send_msg(&h->p, 7, good, sizeof good);
        return 1;
    }
    return 0;
}

static void
test_k26_k27_ext_info(void **state)
{
    struct h *h;
    int i, rc;
    (void)state;
    for (i = 0; i < 2; i++) {
        int64_t t0;
        g_msg = (uint8_t)i;
        h = h_new(MODE_NORMAL);
        h->hook_fn = hook_ext_info;
        t0 = now_ms();
        rc = drive(h, call_handshake);
        /* the handshake may finish before the bad EXT_INFO is read */
        if (rc == 0) {
            rc = drive(h, call_list);
        }
        assert_int_equal(rc, LIBSSH2_ERROR_PROTO);
        assert_true(now_ms() - t0 < 1000);
        check_dead(h, LIBSSH2_ERROR_PROTO);
        h_free(h);
    }
    for (i = 2; i < 4; i++) {
        g_msg = (uint8_t)i;
        h = h_new(MODE_NORMAL);
        h->hook_fn = hook_ext_info;
        handshake_ok(h);
        list_ok(h);
        assert_null(s2_tp_server_sig_algs(h->s->tp)); /* ignored, never used */
        h_free(h);
    }
}

static void
test_h07_h08_hostkey(void **state)
{
    struct h *h;
    size_t len = 0;
    (void)state;
    /* H-08 */
    h = h_new(MODE_NORMAL);
    assert_null(libssh2_hostkey_hash(h->s, LIBSSH2_HOSTKEY_HASH_SHA1));
    assert_null(libssh2_hostkey_hash(h->s, LIBSSH2_HOSTKEY_HASH_MD5));
    assert_null(libssh2_session_hostkey(h->s, &len, NULL));
    assert_null(libssh2_session_methods(h->s, LIBSSH2_METHOD_KEX));
    h_free(h);
    /* H-07: the host key changes at a client rekey */
    h = after_kex(MODE_NORMAL, &cfgs[0]);
    h->p.use_second_key_on_rekey = 1;
    expect(h, call_rekey, LIBSSH2_ERROR_KEX_FAILURE);
    h_free(h);
    /* ... and at a server rekey */
    h = after_kex(MODE_NORMAL, &cfgs[3]);
    list_ok(h);
    h->p.use_second_key_on_rekey = 1;
    peer_send_kexinit(&h->p);
    expect(h, call_list, LIBSSH2_ERROR_KEX_FAILURE);
    h_free(h);
}

/* ======================= floods (E4, E5) ======================= */

static int
hook_ignore_flood(struct h *h, enum peer_event ev)
{
    if (ev == PEER_EV_SERVICE_ACCEPT && h->hook_state == 0) {
        int i;
        h->hook_state = 1;
        for (i = 0; i < 200; i++) {
            peer_send_ignore(&h->p, 32768);
        }
    }
    return 0;
}

static void
test_t15_ignore_flood(void **state)
{
    size_t c;
    (void)state;
    for (c = 0; c < NCFG; c++) {
        /* T-15 (before auth: the connection layer is not there yet):
         * 200 IGNOREs of 32 KiB; still alive, memory bounded (E5) */
        struct h *h = after_kex(MODE_NORMAL, &cfgs[c]);
        size_t base = h->fa.peak_bytes;
        h->hook_fn = hook_ignore_flood;
        list_ok(h);
        assert_true(h->fa.peak_bytes < base + 4u * 1024u * 1024u);
        h_free(h);
    }
}

static int
hook_rekey_storm(struct h *h, enum peer_event ev)
{
    if (ev == PEER_EV_AFTER_NEWKEYS && h->hook_state < 30) {
        h->hook_state++;
        peer_send_kexinit(&h->p); /* KEXINIT again straight after NEWKEYS */
    }
    return 0;
}

static void
test_k19_rekey_storm(void **state)
{
    struct h *h;
    (void)state;
    h = h_new(MODE_NORMAL);
    h->hook_fn = hook_rekey_storm;
    /* the handshake may return after the first exchange or later */
    assert_int_equal(drive(h, call_handshake), 0);
    list_ok(h);
    {
        int i;
        for (i = 0; i < 40 && ssh2core_session_kex_count(h->s) < 31; i++) {
            list_ok(h);
        }
    }
    assert_int_equal(ssh2core_session_kex_count(h->s), 31);
    assert_int_equal(ssh2core_session_strict_kex(h->s), 1);
    assert_true(h->fa.peak_bytes < 4u * 1024u * 1024u);
    h_free(h);
}

/* ======================= E6: one byte at a time ======================= */

static void
test_e6_failures_one_byte(void **state)
{
    struct peer_reply_mut m;
    struct h *h;
    (void)state;
    /* T-04 in plaintext */
    h = h_new(MODE_ONE_BYTE);
    {
        struct peer_frame f;
        memset(&f, 0, sizeof f);
        f.set_len = 1;
        f.len = 0xffffffffu;
        pre_kex(h);
        peer_send_frame(&h->p, ignore32, sizeof ignore32, &f);
    }
    expect(h, call_handshake, LIBSSH2_ERROR_OUT_OF_BOUNDARY);
    h_free(h);
    /* T-09 in EAGAIN mode */
    h = after_kex(MODE_EAGAIN, &cfgs[3]);
    {
        struct peer_frame f;
        memset(&f, 0, sizeof f);
        f.flip_mac = 1;
        peer_send_frame(&h->p, ignore32, sizeof ignore32, &f);
    }
    expect(h, call_list, LIBSSH2_ERROR_INVALID_MAC);
    h_free(h);
    /* K-15 and K-20 in EAGAIN mode */
    memset(&m, 0, sizeof m);
    m.flip_sig = 1;
    reply_case(MODE_EAGAIN, &m, LIBSSH2_ERROR_HOSTKEY_SIGN);
    h = h_new(MODE_EAGAIN);
    h->hook_fn = hook_ignore_before_kexinit;
    expect(h, call_handshake, LIBSSH2_ERROR_PROTO);
    h_free(h);
    h = h_new(MODE_ONE_BYTE);
    h->hook_fn = hook_ignore_before_kexinit;
    expect(h, call_handshake, LIBSSH2_ERROR_PROTO);
    h_free(h);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_happy_all_ciphers),
        cmocka_unit_test(test_happy_one_byte),
        cmocka_unit_test(test_happy_eagain),
        cmocka_unit_test(test_t01_t03_ident),
        cmocka_unit_test(test_t04_t05_length_plain),
        cmocka_unit_test(test_t04_t05_length_encrypted),
        cmocka_unit_test(test_t06_t08_payload_padding),
        cmocka_unit_test(test_t09_mac),
        cmocka_unit_test(test_t09_disconnect_reason),
        cmocka_unit_test(test_t12_eof_mid_packet),
        cmocka_unit_test(test_t13_unknown_after_kex),
        cmocka_unit_test(test_t13_unknown_during_kex),
        cmocka_unit_test(test_t13_connection_before_auth),
        cmocka_unit_test(test_t14_disconnect_truncated),
        cmocka_unit_test(test_t16_t17_wrong_direction),
        cmocka_unit_test(test_k01_k04_malformed_kexinit),
        cmocka_unit_test(test_k03_no_common),
        cmocka_unit_test(test_k05_k07_order),
        cmocka_unit_test(test_k08_k09_guess),
        cmocka_unit_test(test_k10_k15_reply),
        cmocka_unit_test(test_pq_mlkem768x25519),
        cmocka_unit_test(test_default_order_by_cpu),
        cmocka_unit_test(test_k20_k23_strict),
        cmocka_unit_test(test_k26_k27_ext_info),
        cmocka_unit_test(test_h07_h08_hostkey),
        cmocka_unit_test(test_t15_ignore_flood),
        cmocka_unit_test(test_k19_rekey_storm),
        cmocka_unit_test(test_e6_failures_one_byte),
    };
    libssh2_init(0);
    if (getenv("TEST_FILTER") != NULL) {
        cmocka_set_test_filter(getenv("TEST_FILTER"));
    }
    return cmocka_run_group_tests(tests, NULL, NULL);
}
