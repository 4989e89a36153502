/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_agent.c: the agent client against a scripted fake agent on a Unix
 * socket (a thread), through the public libssh2_agent_* API, plus the pure
 * parsers directly. HOSTILE-CASES 2.8:
 *   A-01 nkeys 0xffffffff, 2049, or more than the bytes can hold -> AGENT_PROTOCOL
 *        (2048 is accepted);
 *   A-02 reply length 0 or 256 KiB + 1 -> AGENT_PROTOCOL (256 KiB exactly works);
 *   A-03 a key blob or comment length past the end -> AGENT_PROTOCOL;
 *   A-04 the agent closes mid-reply or before replying, replies FAILURE or
 *        type 99 -> AGENT_PROTOCOL; an agent that stalls -> TIMEOUT, no hang;
 *   A-05 a SIGN_RESPONSE naming another algorithm -> ALGO_UNSUPPORTED.
 * Also: request bytes and sign flags on the wire, every truncation and a
 * trailing byte for both replies, connect errors, path get/set, stale
 * identities, and an allocation-failure sweep with leak accounting.
 */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cmocka.h>

#include "agent/agent.h"
#include "failalloc.h"
#include "libssh2.h"

/* ---- a scripted fake agent ---- */

struct step {
    const uint8_t *p; /* raw bytes written after a request (framing included) */
    size_t n;
    int close_after; /* close right after writing, without reading on */
};

struct fake {
    char dir[64];
    char path[128];
    int lfd;
    pthread_t th;
    const struct step *steps;
    size_t nsteps;
    uint8_t req[64 * 1024]; /* the last request body received */
    size_t req_len;
    int nreq;
};

static int
read_full(int fd, uint8_t *p, size_t n)
{
    while (n > 0) {
        ssize_t g = recv(fd, p, n, 0);
        if (g <= 0) {
            if (g < 0 && errno == EINTR) {
                continue;
            }
            return -1;
        }
        p += g;
        n -= (size_t)g;
    }
    return 0;
}

static void
write_full(int fd, const uint8_t *p, size_t n)
{
    while (n > 0) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w <= 0) {
            return;
        }
        p += w;
        n -= (size_t)w;
    }
}

static void *
fake_main(void *arg)
{
    struct fake *f = arg;
    uint8_t hdr[4], drain[256];
    size_t i;
    int cfd = accept(f->lfd, NULL, NULL);
    if (cfd < 0) {
        return NULL; /* shut down without a client */
    }
    for (i = 0; i < f->nsteps; i++) {
        uint32_t n;
        if (read_full(cfd, hdr, 4) != 0) {
            goto done;
        }
        n = s2_get_u32(hdr);
        if (n > sizeof f->req || read_full(cfd, f->req, n) != 0) {
            goto done;
        }
        f->req_len = n;
        f->nreq++;
        write_full(cfd, f->steps[i].p, f->steps[i].n);
        if (f->steps[i].close_after) {
            goto done;
        }
    }
    /* wait for the client to go away (a stalled reply ends here too) */
    while (recv(cfd, drain, sizeof drain, 0) > 0) {
    }
done:
    close(cfd);
    return NULL;
}

static void
fake_start(struct fake *f, const struct step *steps, size_t nsteps)
{
    struct sockaddr_un addr;
    memset(f, 0, sizeof *f);
    strcpy(f->dir, "/tmp/s2agent.XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->path, sizeof f->path, "%s/sock", f->dir);
    f->steps = steps;
    f->nsteps = nsteps;
    f->lfd = socket(AF_UNIX, SOCK_STREAM, 0);
    assert_true(f->lfd >= 0);
    memset(&addr, 0, sizeof addr);
    addr.sun_family = AF_UNIX;
    strcpy(addr.sun_path, f->path);
    assert_int_equal(bind(f->lfd, (struct sockaddr *)&addr, sizeof addr), 0);
    assert_int_equal(listen(f->lfd, 4), 0);
    assert_int_equal(pthread_create(&f->th, NULL, fake_main, f), 0);
}

static void
fake_stop(struct fake *f)
{
    shutdown(f->lfd, SHUT_RDWR); /* wakes accept() if nobody connected */
    pthread_join(f->th, NULL);
    close(f->lfd);
    unlink(f->path);
    rmdir(f->dir);
}

/* ---- message builders (test-side, default allocator) ---- */

static struct s2_allocator test_alloc;

static void
frame_begin(struct s2_wr *w, size_t *mark)
{
    s2_wr_dyn(w, &test_alloc, 1u << 22);
    s2_wr_begin_str(w, mark);
}

/* An IDENTITIES_ANSWER with |n| keys named key<i>, comments "comment <i>". */
static void
build_ids(struct s2_wr *w, uint32_t n)
{
    size_t mark;
    uint32_t i;
    frame_begin(w, &mark);
    s2_wr_u8(w, SSH_AGENT_IDENTITIES_ANSWER);
    s2_wr_u32(w, n);
    for (i = 0; i < n; i++) {
        char comment[32];
        snprintf(comment, sizeof comment, "comment %u", (unsigned)i);
        s2_wr_u32(w, 8);
        s2_wr_u32(w, 4);
        s2_wr_raw(w, "key", 3);
        s2_wr_u8(w, (uint8_t)('0' + i % 10));
        s2_wr_cstr(w, comment);
    }
    s2_wr_end_str(w, mark);
    assert_int_equal(s2_wr_ok(w), 0);
}

static const uint8_t ED_BLOB[] = {
    0, 0, 0, 11, 's', 's', 'h', '-', 'e', 'd', '2', '5', '5', '1', '9', 0, 0, 0, 4, 1, 2, 3, 4,
};

/* A SIGN_RESPONSE with algorithm |alg| and signature "SIGBYTES". */
static void
build_sig(struct s2_wr *w, const char *alg)
{
    size_t mark, inner;
    frame_begin(w, &mark);
    s2_wr_u8(w, SSH_AGENT_SIGN_RESPONSE);
    s2_wr_begin_str(w, &inner);
    s2_wr_cstr(w, alg);
    s2_wr_cstr(w, "SIGBYTES");
    s2_wr_end_str(w, inner);
    s2_wr_end_str(w, mark);
    assert_int_equal(s2_wr_ok(w), 0);
}

/* ---- fixture: a session and an agent handle pointed at the fake ---- */

struct ctx {
    LIBSSH2_SESSION *s;
    LIBSSH2_AGENT *agent;
    struct fake f;
    struct step st; /* list_with's step: must outlive the fake agent thread */
};

static void
open_agent(struct ctx *c, const struct step *steps, size_t nsteps)
{
    fake_start(&c->f, steps, nsteps);
    c->s = libssh2_session_init();
    assert_non_null(c->s);
    c->agent = libssh2_agent_init(c->s);
    assert_non_null(c->agent);
    libssh2_agent_set_identity_path(c->agent, c->f.path);
    assert_int_equal(libssh2_agent_connect(c->agent), 0);
}

static void
close_agent(struct ctx *c)
{
    libssh2_agent_disconnect(c->agent);
    libssh2_agent_free(c->agent);
    libssh2_session_free(c->s);
    fake_stop(&c->f);
}

/* Runs list_identities against one scripted reply; returns its result. */
static int
list_with(const uint8_t *p, size_t n, int close_after, struct ctx *c)
{
    int r;
    c->st = (struct step){p, n, close_after};
    open_agent(c, &c->st, 1);
    r = libssh2_agent_list_identities(c->agent);
    return r;
}

/* ---- tests ---- */

static void
test_list_ok(void **state)
{
    struct ctx c;
    struct s2_wr w;
    struct libssh2_agent_publickey *id = NULL, *prev = NULL;
    int n = 0;
    (void)state;
    build_ids(&w, 3);
    assert_int_equal(list_with(w.p, w.len, 0, &c), 0);
    /* request: uint32 1, byte 11 */
    assert_int_equal(c.f.nreq, 1);
    assert_int_equal(c.f.req_len, 1);
    assert_int_equal(c.f.req[0], SSH_AGENTC_REQUEST_IDENTITIES);
    while (libssh2_agent_get_identity(c.agent, &id, prev) == 0) {
        char want[32];
        snprintf(want, sizeof want, "comment %d", n);
        assert_string_equal(id->comment, want);
        assert_int_equal(id->blob_len, 8);
        assert_memory_equal(id->blob, "\x00\x00\x00\x04key", 7);
        assert_int_equal(id->blob[7], '0' + n);
        assert_int_equal(id->magic, S2_AGENT_ID_MAGIC);
        assert_ptr_equal(id->node, id);
        prev = id;
        n++;
    }
    assert_int_equal(n, 3);
    assert_int_equal(libssh2_agent_get_identity(c.agent, &id, prev), 1);
    close_agent(&c); /* joins the fake agent, which may still be in send() */
    s2_wr_free(&w);
}

static void
test_list_zero(void **state)
{
    struct ctx c;
    struct s2_wr w;
    struct libssh2_agent_publickey *id = NULL;
    (void)state;
    build_ids(&w, 0);
    assert_int_equal(list_with(w.p, w.len, 0, &c), 0);
    assert_int_equal(libssh2_agent_get_identity(c.agent, &id, NULL), 1);
    close_agent(&c); /* joins the fake agent, which may still be in send() */
    s2_wr_free(&w);
}

/* 2048 keys is the cap and works; 2049 does not. */
static void
test_list_count_cap(void **state)
{
    struct ctx c;
    struct s2_wr w;
    struct libssh2_agent_publickey *id = NULL, *prev = NULL;
    int n = 0;
    (void)state;
    build_ids(&w, S2_AGENT_IDS_MAX);
    assert_int_equal(list_with(w.p, w.len, 0, &c), 0);
    while (libssh2_agent_get_identity(c.agent, &id, prev) == 0) {
        prev = id;
        n++;
    }
    assert_int_equal(n, S2_AGENT_IDS_MAX);
    close_agent(&c); /* joins the fake agent, which may still be in send() */
    s2_wr_free(&w);

    build_ids(&w, S2_AGENT_IDS_MAX + 1);
    assert_int_equal(list_with(w.p, w.len, 0, &c), LIBSSH2_ERROR_AGENT_PROTOCOL);
    assert_int_equal(libssh2_agent_get_identity(c.agent, &id, NULL), 1);
    close_agent(&c); /* joins the fake agent, which may still be in send() */
    s2_wr_free(&w);
}

/* huge counts fail at once, without a loop bounded by the count. */
static void
test_list_huge_count(void **state)
{
    static const uint8_t ffff[] = {0, 0, 0, 5, 12, 0xff, 0xff, 0xff, 0xff};
    /* nkeys 2 but only 15 bytes follow (< 2 * 8): refused before parsing */
    static const uint8_t two_short[] = {0, 0, 0, 20, 12, 0, 0, 0, 2, 0, 0, 0,
                                        0, 0, 0, 0,  0,  0, 0, 0, 0, 0, 0, 0};
    /* nkeys 2 and 16 bytes: the first key takes 12, the second runs out */
    static const uint8_t two_one[] = {0,   0,   0,   21,  12, 0, 0, 0, 2, 0, 0, 0, 4,
                                      'a', 'b', 'c', 'd', 0,  0, 0, 0, 0, 0, 0, 0};
    struct ctx c;
    char *msg = NULL;
    (void)state;
    assert_int_equal(list_with(ffff, sizeof ffff, 0, &c), LIBSSH2_ERROR_AGENT_PROTOCOL);
    assert_int_equal(libssh2_session_last_errno(c.s), LIBSSH2_ERROR_AGENT_PROTOCOL);
    libssh2_session_last_error(c.s, &msg, NULL, 0);
    assert_non_null(strstr(msg, "malformed"));
    close_agent(&c);
    assert_int_equal(list_with(two_short, sizeof two_short, 0, &c), LIBSSH2_ERROR_AGENT_PROTOCOL);
    close_agent(&c);
    assert_int_equal(list_with(two_one, sizeof two_one, 0, &c), LIBSSH2_ERROR_AGENT_PROTOCOL);
    close_agent(&c);
}

/* reply length 0 and 256 KiB + 1 fail; 256 KiB exactly works. */
static void
test_reply_length_bounds(void **state)
{
    static const uint8_t zero[] = {0, 0, 0, 0};
    static const uint8_t big[] = {0, 4, 0, 1, 12, 0, 0, 0, 0};
    static const uint8_t huge[] = {0xff, 0xff, 0xff, 0xff, 12};
    struct ctx c;
    struct s2_wr w;
    struct libssh2_agent_publickey *id = NULL;
    size_t mark, blob_len = S2_AGENT_MSG_MAX - (1 + 4 + 4 + 4);
    uint8_t *blob;
    (void)state;
    assert_int_equal(list_with(zero, sizeof zero, 0, &c), LIBSSH2_ERROR_AGENT_PROTOCOL);
    close_agent(&c);
    assert_int_equal(list_with(big, sizeof big, 0, &c), LIBSSH2_ERROR_AGENT_PROTOCOL);
    close_agent(&c);
    assert_int_equal(list_with(huge, sizeof huge, 0, &c), LIBSSH2_ERROR_AGENT_PROTOCOL);
    close_agent(&c);

    blob = calloc(1, blob_len);
    assert_non_null(blob);
    blob[blob_len - 1] = 0x5a;
    frame_begin(&w, &mark);
    s2_wr_u8(&w, SSH_AGENT_IDENTITIES_ANSWER);
    s2_wr_u32(&w, 1);
    s2_wr_str(&w, blob, blob_len);
    s2_wr_str(&w, "", 0);
    s2_wr_end_str(&w, mark);
    assert_int_equal(w.len, 4 + S2_AGENT_MSG_MAX);
    assert_int_equal(list_with(w.p, w.len, 0, &c), 0);
    assert_int_equal(libssh2_agent_get_identity(c.agent, &id, NULL), 0);
    assert_int_equal(id->blob_len, blob_len);
    assert_int_equal(id->blob[blob_len - 1], 0x5a);
    assert_string_equal(id->comment, "");
    close_agent(&c);
    free(blob);
    s2_wr_free(&w);
}

/* lengths past the end. */
static void
test_list_lengths_past_end(void **state)
{
    /* blob length 0xffffffff */
    static const uint8_t blob_ff[] = {0,    0,    0, 17, 12, 0, 0, 0, 1, 0xff, 0xff,
                                      0xff, 0xff, 0, 0,  0,  0, 0, 0, 0, 0};
    /* blob length 5 with 4 bytes left after it */
    static const uint8_t blob_5[] = {0, 0, 0, 17, 12, 0, 0, 0, 1, 0, 0,
                                     0, 5, 0, 0,  0,  0, 0, 0, 0, 0};
    /* comment length 0x80000000 */
    static const uint8_t com_big[] = {0, 0, 0,    17, 12, 0, 0,   0,   1,   0,  0,
                                      0, 0, 0x80, 0,  0,  0, 'a', 'b', 'c', 'd'};
    /* comment length 5, 4 bytes present */
    static const uint8_t com_5[] = {0, 0, 0, 17, 12, 0, 0,   0,   1,   0,  0,
                                    0, 0, 0, 0,  0,  5, 'a', 'b', 'c', 'd'};
    /* a trailing byte after a valid answer */
    static const uint8_t trailing[] = {0, 0, 0, 14, 12, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    struct ctx c;
    (void)state;
    assert_int_equal(list_with(blob_ff, sizeof blob_ff, 0, &c), LIBSSH2_ERROR_AGENT_PROTOCOL);
    close_agent(&c);
    assert_int_equal(list_with(blob_5, sizeof blob_5, 0, &c), LIBSSH2_ERROR_AGENT_PROTOCOL);
    close_agent(&c);
    assert_int_equal(list_with(com_big, sizeof com_big, 0, &c), LIBSSH2_ERROR_AGENT_PROTOCOL);
    close_agent(&c);
    assert_int_equal(list_with(com_5, sizeof com_5, 0, &c), LIBSSH2_ERROR_AGENT_PROTOCOL);
    close_agent(&c);
    assert_int_equal(list_with(trailing, sizeof trailing, 0, &c), LIBSSH2_ERROR_AGENT_PROTOCOL);
    close_agent(&c);
}

/* closes mid-reply, closes with no reply, FAILURE, type 99. */
static void
test_list_bad_replies(void **state)
{
    static const uint8_t half[] = {0, 0, 0, 20, 12, 0, 0};
    static const uint8_t hdr_half[] = {0, 0};
    static const uint8_t failure[] = {0, 0, 0, 1, SSH_AGENT_FAILURE};
    static const uint8_t t99[] = {0, 0, 0, 5, 99, 0, 0, 0, 0};
    static const uint8_t sign_resp[] = {0, 0, 0, 5, 14, 0, 0, 0, 0};
    struct ctx c;
    (void)state;
    assert_int_equal(list_with(half, sizeof half, 1, &c), LIBSSH2_ERROR_AGENT_PROTOCOL);
    close_agent(&c);
    assert_int_equal(list_with(hdr_half, sizeof hdr_half, 1, &c), LIBSSH2_ERROR_AGENT_PROTOCOL);
    close_agent(&c);
    assert_int_equal(list_with(NULL, 0, 1, &c), LIBSSH2_ERROR_AGENT_PROTOCOL);
    close_agent(&c);
    assert_int_equal(list_with(failure, sizeof failure, 0, &c), LIBSSH2_ERROR_AGENT_PROTOCOL);
    close_agent(&c);
    assert_int_equal(list_with(t99, sizeof t99, 0, &c), LIBSSH2_ERROR_AGENT_PROTOCOL);
    close_agent(&c);
    assert_int_equal(list_with(sign_resp, sizeof sign_resp, 0, &c), LIBSSH2_ERROR_AGENT_PROTOCOL);
    close_agent(&c);
}

/* an agent that announces a reply and never sends it -> TIMEOUT. */
static void
test_list_stall_times_out(void **state)
{
    static const uint8_t stall[] = {0, 0, 0, 50, 12};
    struct ctx c;
    int64_t t0;
    (void)state;
    fake_start(&c.f, (const struct step[]){{stall, sizeof stall, 0}}, 1);
    c.s = libssh2_session_init();
    assert_non_null(c.s);
    libssh2_session_set_timeout(c.s, 300);
    c.agent = libssh2_agent_init(c.s);
    libssh2_agent_set_identity_path(c.agent, c.f.path);
    assert_int_equal(libssh2_agent_connect(c.agent), 0);
    t0 = s2_now_ms();
    assert_int_equal(libssh2_agent_list_identities(c.agent), LIBSSH2_ERROR_TIMEOUT);
    assert_true(s2_now_ms() - t0 >= 250);
    assert_true(s2_now_ms() - t0 < 5000);
    /* the connection was closed: further requests need a new connect */
    assert_int_equal(libssh2_agent_list_identities(c.agent), LIBSSH2_ERROR_BAD_USE);
    close_agent(&c);
}

/* A FAILURE reply keeps the stream in step: the next request works. */
static void
test_failure_then_ok(void **state)
{
    static const uint8_t failure[] = {0, 0, 0, 1, SSH_AGENT_FAILURE};
    struct ctx c;
    struct s2_wr w;
    struct step steps[2];
    (void)state;
    build_ids(&w, 1);
    steps[0] = (struct step){failure, sizeof failure, 0};
    steps[1] = (struct step){w.p, w.len, 0};
    open_agent(&c, steps, 2);
    assert_int_equal(libssh2_agent_list_identities(c.agent), LIBSSH2_ERROR_AGENT_PROTOCOL);
    assert_int_equal(libssh2_agent_list_identities(c.agent), 0);
    close_agent(&c);
    s2_wr_free(&w);
}

/* Signing: request layout and flags, the raw signature handed back. */
static void
sign_once(const char *method, uint32_t want_flags, const char *reply_alg, int want_rc)
{
    struct ctx c;
    struct s2_wr ids, sig;
    struct step steps[2];
    struct libssh2_agent_publickey *id = NULL;
    unsigned char *out = NULL;
    size_t out_len = 0;
    struct s2_rd r, blob, data;
    uint32_t flags;
    int rc;

    build_ids(&ids, 1);
    build_sig(&sig, reply_alg);
    steps[0] = (struct step){ids.p, ids.len, 0};
    steps[1] = (struct step){sig.p, sig.len, 0};
    open_agent(&c, steps, 2);
    assert_int_equal(libssh2_agent_list_identities(c.agent), 0);
    assert_int_equal(libssh2_agent_get_identity(c.agent, &id, NULL), 0);
    rc = libssh2_agent_sign(c.agent, id, &out, &out_len, (const unsigned char *)"hello", 5, method,
                            method != NULL ? (unsigned int)strlen(method) : 0);
    assert_int_equal(rc, want_rc);
    /* the request: byte 13, string key blob, string data, uint32 flags */
    assert_int_equal(c.f.nreq, 2);
    s2_rd_init(&r, c.f.req, c.f.req_len);
    assert_int_equal(s2_rd_u8(&r), SSH_AGENTC_SIGN_REQUEST);
    s2_rd_str(&r, 1000, &blob);
    s2_rd_str(&r, 1000, &data);
    flags = s2_rd_u32(&r);
    assert_int_equal(s2_rd_finish(&r), 0);
    assert_int_equal(blob.left, id->blob_len);
    assert_memory_equal(blob.p, id->blob, id->blob_len);
    assert_true(s2_rd_eq(&data, "hello"));
    assert_int_equal(flags, want_flags);
    if (want_rc == 0) {
        assert_int_equal(out_len, 8);
        assert_memory_equal(out, "SIGBYTES", 8);
        libssh2_free(c.s, out);
    } else {
        assert_null(out);
        assert_int_equal(out_len, 0);
    }
    close_agent(&c);
    s2_wr_free(&ids);
    s2_wr_free(&sig);
}

static void
test_sign_flags(void **state)
{
    (void)state;
    sign_once("rsa-sha2-256", SSH_AGENT_RSA_SHA2_256, "rsa-sha2-256", 0);
    sign_once("rsa-sha2-512", SSH_AGENT_RSA_SHA2_512, "rsa-sha2-512", 0);
    sign_once("ssh-rsa", 0, "ssh-rsa", 0);
    sign_once("ssh-ed25519", 0, "ssh-ed25519", 0);
    sign_once("rsa-sha2-512-cert-v01@openssh.com", SSH_AGENT_RSA_SHA2_512, "rsa-sha2-512", 0);
    /* no method: the key's own type name ("key0" in the fake blobs) */
    sign_once(NULL, 0, "key0", 0);
}

/* the agent signs with another algorithm than requested. */
static void
test_sign_wrong_alg(void **state)
{
    (void)state;
    sign_once("rsa-sha2-512", SSH_AGENT_RSA_SHA2_512, "ssh-rsa", LIBSSH2_ERROR_ALGO_UNSUPPORTED);
    sign_once("rsa-sha2-256", SSH_AGENT_RSA_SHA2_256, "rsa-sha2-512",
              LIBSSH2_ERROR_ALGO_UNSUPPORTED);
    sign_once("ssh-ed25519", 0, "ssh-ed2551", LIBSSH2_ERROR_ALGO_UNSUPPORTED);
}

static void
sign_bad_reply(const uint8_t *p, size_t n, int close_after, int want)
{
    struct ctx c;
    struct step st = {p, n, close_after};
    struct libssh2_agent_publickey id;
    unsigned char *out = NULL;
    size_t out_len = 0;
    memset(&id, 0, sizeof id);
    id.blob = (unsigned char *)(uintptr_t)ED_BLOB;
    id.blob_len = sizeof ED_BLOB;
    open_agent(&c, &st, 1);
    assert_int_equal(libssh2_agent_sign(c.agent, &id, &out, &out_len, (const unsigned char *)"x", 1,
                                        "ssh-ed25519", 11),
                     want);
    assert_null(out);
    close_agent(&c);
}

static void
test_sign_bad_replies(void **state)
{
    static const uint8_t failure[] = {0, 0, 0, 1, SSH_AGENT_FAILURE};
    static const uint8_t failure30[] = {0, 0, 0, 1, SSH2_AGENT_FAILURE};
    static const uint8_t ids[] = {0, 0, 0, 5, 12, 0, 0, 0, 0};
    static const uint8_t t99[] = {0, 0, 0, 1, 99};
    /* signature blob length past the end */
    static const uint8_t sig_past[] = {0, 0, 0, 9, 14, 0, 0, 0, 40, 0, 0, 0, 0};
    /* inner algorithm length past the blob */
    static const uint8_t alg_past[] = {0, 0, 0, 13, 14, 0, 0, 0, 8, 0, 0, 0, 9, 'a', 'b', 'c', 'd'};
    /* trailing byte inside the blob */
    static const uint8_t in_trail[] = {0, 0,   0, 19, 14, 0, 0,   0,   14, 0, 0, 0,
                                       1, 'a', 0, 0,  0,  1, 's', 'X', 0,  0, 0};
    /* empty algorithm name */
    static const uint8_t alg_empty[] = {0, 0, 0, 17, 14, 0, 0,   0,   12,  0,  0,
                                        0, 0, 0, 0,  0,  4, 's', 'i', 'g', '!'};
    static const uint8_t half[] = {0, 0, 0, 30, 14, 0, 0};
    (void)state;
    sign_bad_reply(failure, sizeof failure, 0, LIBSSH2_ERROR_AGENT_PROTOCOL);
    sign_bad_reply(failure30, sizeof failure30, 0, LIBSSH2_ERROR_AGENT_PROTOCOL);
    sign_bad_reply(ids, sizeof ids, 0, LIBSSH2_ERROR_AGENT_PROTOCOL);
    sign_bad_reply(t99, sizeof t99, 0, LIBSSH2_ERROR_AGENT_PROTOCOL);
    sign_bad_reply(sig_past, sizeof sig_past, 0, LIBSSH2_ERROR_AGENT_PROTOCOL);
    sign_bad_reply(alg_past, sizeof alg_past, 0, LIBSSH2_ERROR_AGENT_PROTOCOL);
    sign_bad_reply(in_trail, sizeof in_trail, 0, LIBSSH2_ERROR_AGENT_PROTOCOL);
    sign_bad_reply(alg_empty, sizeof alg_empty, 0, LIBSSH2_ERROR_AGENT_PROTOCOL);
    sign_bad_reply(half, sizeof half, 1, LIBSSH2_ERROR_AGENT_PROTOCOL);
}

/* The parsers directly: a valid message, every truncation, a trailing byte. */
static void
test_parsers_truncation(void **state)
{
    struct s2_wr ids, sig;
    struct s2_agent_sig out;
    uint32_t num = 99;
    uint8_t *buf;
    size_t i;
    (void)state;
    build_ids(&ids, 3);
    build_sig(&sig, "ssh-ed25519");
    /* skip the uint32 frame length */
    assert_int_equal(s2_agent_parse_identities(ids.p + 4, ids.len - 4, &num), 0);
    assert_int_equal(num, 3);
    for (i = 0; i < ids.len - 4; i++) {
        assert_int_equal(s2_agent_parse_identities(ids.p + 4, i, &num),
                         LIBSSH2_ERROR_AGENT_PROTOCOL);
        assert_int_equal(num, 0);
    }
    assert_int_equal(s2_agent_parse_sign_response(sig.p + 4, sig.len - 4, &out), 0);
    assert_true(s2_rd_eq(&out.alg, "ssh-ed25519"));
    assert_true(s2_rd_eq(&out.sig, "SIGBYTES"));
    assert_int_equal(out.blob.left, 4 + 11 + 4 + 8);
    for (i = 0; i < sig.len - 4; i++) {
        assert_int_equal(s2_agent_parse_sign_response(sig.p + 4, i, &out),
                         LIBSSH2_ERROR_AGENT_PROTOCOL);
        assert_int_equal(out.alg.left, 0);
    }
    /* a trailing byte */
    buf = malloc(ids.len + sig.len);
    assert_non_null(buf);
    memcpy(buf, ids.p + 4, ids.len - 4);
    buf[ids.len - 4] = 0;
    assert_int_equal(s2_agent_parse_identities(buf, ids.len - 3, &num),
                     LIBSSH2_ERROR_AGENT_PROTOCOL);
    memcpy(buf, sig.p + 4, sig.len - 4);
    buf[sig.len - 4] = 0;
    assert_int_equal(s2_agent_parse_sign_response(buf, sig.len - 3, &out),
                     LIBSSH2_ERROR_AGENT_PROTOCOL);
    /* the wrong message number */
    memcpy(buf, ids.p + 4, ids.len - 4);
    buf[0] = SSH_AGENT_SIGN_RESPONSE;
    assert_int_equal(s2_agent_parse_identities(buf, ids.len - 4, &num),
                     LIBSSH2_ERROR_AGENT_PROTOCOL);
    free(buf);
    s2_wr_free(&ids);
    s2_wr_free(&sig);
}

static void
test_sign_flags_fn(void **state)
{
    (void)state;
    assert_int_equal(s2_agent_sign_flags("rsa-sha2-256", 12), SSH_AGENT_RSA_SHA2_256);
    assert_int_equal(s2_agent_sign_flags("rsa-sha2-512", 12), SSH_AGENT_RSA_SHA2_512);
    assert_int_equal(s2_agent_sign_flags("rsa-sha2-256-cert-v01@openssh.com", 33),
                     SSH_AGENT_RSA_SHA2_256);
    assert_int_equal(s2_agent_sign_flags("rsa-sha2-25", 11), 0);
    assert_int_equal(s2_agent_sign_flags("rsa-sha2-512x", 13), 0);
    assert_int_equal(s2_agent_sign_flags("ssh-rsa", 7), 0);
    assert_int_equal(s2_agent_sign_flags(NULL, 0), 0);
}

static void
test_connect_errors(void **state)
{
    LIBSSH2_SESSION *s = libssh2_session_init();
    LIBSSH2_AGENT *agent;
    char *old = getenv("SSH_AUTH_SOCK");
    char *saved = old != NULL ? strdup(old) : NULL;
    char longpath[300];
    struct libssh2_agent_publickey *id = NULL;
    unsigned char *sig = NULL;
    size_t sig_len = 0;
    struct libssh2_agent_publickey fake_id;
    (void)state;
    assert_non_null(s);
    agent = libssh2_agent_init(s);
    assert_non_null(agent);
    assert_null(libssh2_agent_get_identity_path(agent));
    unsetenv("SSH_AUTH_SOCK");
    assert_int_equal(libssh2_agent_connect(agent), LIBSSH2_ERROR_BAD_USE);
    libssh2_agent_set_identity_path(agent, "/nonexistent/s2agent/sock");
    assert_string_equal(libssh2_agent_get_identity_path(agent), "/nonexistent/s2agent/sock");
    assert_int_equal(libssh2_agent_connect(agent), LIBSSH2_ERROR_AGENT_PROTOCOL);
    memset(longpath, 'a', sizeof longpath - 1);
    longpath[0] = '/';
    longpath[sizeof longpath - 1] = '\0';
    libssh2_agent_set_identity_path(agent, longpath);
    assert_int_equal(libssh2_agent_connect(agent), LIBSSH2_ERROR_AGENT_PROTOCOL);
    libssh2_agent_set_identity_path(agent, NULL);
    assert_null(libssh2_agent_get_identity_path(agent));
    setenv("SSH_AUTH_SOCK", "/nonexistent/s2agent/env", 1);
    assert_int_equal(libssh2_agent_connect(agent), LIBSSH2_ERROR_AGENT_PROTOCOL);
    /* not connected */
    assert_int_equal(libssh2_agent_list_identities(agent), LIBSSH2_ERROR_BAD_USE);
    assert_int_equal(libssh2_agent_get_identity(agent, &id, NULL), 1);
    memset(&fake_id, 0, sizeof fake_id);
    fake_id.blob = (unsigned char *)(uintptr_t)ED_BLOB;
    fake_id.blob_len = sizeof ED_BLOB;
    assert_int_equal(libssh2_agent_sign(agent, &fake_id, &sig, &sig_len, (const unsigned char *)"x",
                                        1, "ssh-ed25519", 11),
                     LIBSSH2_ERROR_BAD_USE);
    /* a blob too short to hold its type name */
    fake_id.blob_len = 3;
    assert_int_equal(libssh2_agent_sign(agent, &fake_id, &sig, &sig_len, (const unsigned char *)"x",
                                        1, "ssh-ed25519", 11),
                     LIBSSH2_ERROR_BUFFER_TOO_SMALL);
    /* userauth before any handshake */
    fake_id.blob_len = sizeof ED_BLOB;
    assert_int_equal(libssh2_agent_userauth(agent, "user", &fake_id), LIBSSH2_ERROR_BAD_USE);
    assert_int_equal(libssh2_agent_disconnect(agent), 0);
    /* NULL handles */
    assert_null(libssh2_agent_init(NULL));
    assert_int_equal(libssh2_agent_connect(NULL), LIBSSH2_ERROR_BAD_USE);
    assert_int_equal(libssh2_agent_list_identities(NULL), LIBSSH2_ERROR_BAD_USE);
    assert_int_equal(libssh2_agent_disconnect(NULL), LIBSSH2_ERROR_BAD_USE);
    assert_null(libssh2_agent_get_identity_path(NULL));
    libssh2_agent_free(NULL);
    libssh2_agent_free(agent);
    libssh2_session_free(s);
    if (saved != NULL) {
        setenv("SSH_AUTH_SOCK", saved, 1);
        free(saved);
    } else {
        unsetenv("SSH_AUTH_SOCK");
    }
}

/* An identity from an older list (or another agent) is refused. */
static void
test_stale_identity(void **state)
{
    struct ctx c;
    struct s2_wr w;
    struct step steps[2];
    struct libssh2_agent_publickey *id = NULL, copy;
    (void)state;
    build_ids(&w, 2);
    steps[0] = (struct step){w.p, w.len, 0};
    steps[1] = (struct step){w.p, w.len, 0};
    open_agent(&c, steps, 2);
    assert_int_equal(libssh2_agent_list_identities(c.agent), 0);
    assert_int_equal(libssh2_agent_get_identity(c.agent, &id, NULL), 0);
    copy = *id;
    assert_int_equal(libssh2_agent_get_identity(c.agent, &id, &copy), LIBSSH2_ERROR_BAD_USE);
    assert_int_equal(libssh2_agent_list_identities(c.agent), 0);
    assert_int_equal(libssh2_agent_get_identity(c.agent, &id, NULL), 0);
    close_agent(&c);
    s2_wr_free(&w);
}

/* Allocation failures at every step: ALLOC or success, never a leak. */
static void
test_alloc_sweep(void **state)
{
    struct s2_wr w, sig;
    unsigned long n;
    int done = 0;
    (void)state;
    build_ids(&w, 3);
    build_sig(&sig, "ssh-ed25519");
    for (n = 1; !done && n < 5000; n++) {
        struct fa_state st;
        struct fake f;
        struct step steps[2] = {{w.p, w.len, 0}, {sig.p, sig.len, 0}};
        LIBSSH2_SESSION *s;
        LIBSSH2_AGENT *agent;
        struct libssh2_agent_publickey *id = NULL;
        unsigned char *out = NULL;
        size_t out_len = 0;
        int r;

        fa_init(&st, n);
        fake_start(&f, steps, 2);
        s = libssh2_session_init_ex(fa_alloc, fa_free, fa_realloc, &st);
        if (s == NULL) {
            fake_stop(&f);
            assert_int_equal(st.blocks, 0);
            continue;
        }
        agent = libssh2_agent_init(s);
        if (agent == NULL) {
            goto next;
        }
        libssh2_agent_set_identity_path(agent, f.path);
        if (libssh2_agent_get_identity_path(agent) == NULL) {
            goto next_agent;
        }
        r = libssh2_agent_connect(agent);
        assert_int_equal(r, 0);
        r = libssh2_agent_list_identities(agent);
        if (r != 0) {
            assert_int_equal(r, LIBSSH2_ERROR_ALLOC);
            assert_int_equal(libssh2_agent_get_identity(agent, &id, NULL), 1);
            goto next_agent;
        }
        assert_int_equal(libssh2_agent_get_identity(agent, &id, NULL), 0);
        r = libssh2_agent_sign(agent, id, &out, &out_len, (const unsigned char *)"d", 1,
                               "ssh-ed25519", 11);
        if (r != 0) {
            assert_int_equal(r, LIBSSH2_ERROR_ALLOC);
            assert_null(out);
            goto next_agent;
        }
        assert_memory_equal(out, "SIGBYTES", 8);
        libssh2_free(s, out);
        if (st.failures == 0) {
            done = 1; /* the whole run got through: every allocation was tried */
        }
    next_agent:
        libssh2_agent_free(agent);
    next:
        libssh2_session_free(s);
        fake_stop(&f);
        assert_int_equal(st.blocks, 0);
    }
    assert_true(done);
    s2_wr_free(&w);
    s2_wr_free(&sig);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_list_ok),
        cmocka_unit_test(test_list_zero),
        cmocka_unit_test(test_list_count_cap),
        cmocka_unit_test(test_list_huge_count),
        cmocka_unit_test(test_reply_length_bounds),
        cmocka_unit_test(test_list_lengths_past_end),
        cmocka_unit_test(test_list_bad_replies),
        cmocka_unit_test(test_list_stall_times_out),
        cmocka_unit_test(test_failure_then_ok),
        cmocka_unit_test(test_sign_flags),
        cmocka_unit_test(test_sign_wrong_alg),
        cmocka_unit_test(test_sign_bad_replies),
        cmocka_unit_test(test_parsers_truncation),
        cmocka_unit_test(test_sign_flags_fn),
        cmocka_unit_test(test_connect_errors),
        cmocka_unit_test(test_stale_identity),
        cmocka_unit_test(test_alloc_sweep),
    };
    s2_allocator_default(&test_alloc, NULL);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
