/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Allocation-failure sweep through the connection layer (HOSTILE-CASES H5,
 * issue 4): handshake, password authentication, channel open, exec, read
 * to EOF (data, exit-status, EOF, CLOSE from the server), close, a second
 * channel opened and freed while data is in flight, disconnect; against
 * the scripted server of tests/lib/peer.h with its connection layer on,
 * on the failing allocator. For N = 1, 2, ... the Nth allocation fails;
 * every run must end in success or a clean error code (never EAGAIN for
 * ever, never a crash), a session that says it is dead must keep saying
 * so, an operation that failed must work when retried, and session_free
 * (after channel_free) must leave no block behind. The sweep ends at the
 * first N the session no longer reaches.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "failalloc.h"
#include "libssh2.h"
#include "peer.h"

#define RC_STUCK 1000
#define RC_PEER 1001
#define RC_BAD 1002
#define MAX_N 20000
#define EXEC_OUT "hello from the scripted server\n"

struct run {
    struct peer p;
    struct fa_state fa;
    LIBSSH2_SESSION *s;
    LIBSSH2_CHANNEL *ch;
    LIBSSH2_CHANNEL *ch2;
    char buf[256];
    size_t got;
};

typedef int (*call_fn)(struct run *r);

static int
call_handshake(struct run *r)
{
    return libssh2_session_handshake(r->s, r->p.client_fd);
}

static int
call_auth(struct run *r)
{
    return libssh2_userauth_password(r->s, "user", "secret");
}

static int
open_into(struct run *r, LIBSSH2_CHANNEL **out)
{
    if (*out == NULL) {
        *out = libssh2_channel_open_session(r->s);
        if (*out == NULL) {
            return libssh2_session_last_errno(r->s);
        }
    }
    return 0;
}

static int
call_open(struct run *r)
{
    return open_into(r, &r->ch);
}

static int
call_exec(struct run *r)
{
    return libssh2_channel_exec(r->ch, "echo hello");
}

/* call_read reads until EOF and checks what arrived */
static int
call_read(struct run *r)
{
    for (;;) {
        ssize_t n = libssh2_channel_read(r->ch, r->buf + r->got, sizeof r->buf - r->got);
        if (n < 0) {
            return (int)n;
        }
        if (n == 0) {
            break;
        }
        r->got += (size_t)n;
        if (r->got == sizeof r->buf) {
            return RC_BAD;
        }
    }
    if (r->got != strlen(EXEC_OUT) || memcmp(r->buf, EXEC_OUT, r->got) != 0 ||
        !libssh2_channel_eof(r->ch) || libssh2_channel_get_exit_status(r->ch) != 42) {
        return RC_BAD;
    }
    return 0;
}

static int
call_close(struct run *r)
{
    return libssh2_channel_close(r->ch);
}

/* a second channel: data arrives, the application frees it unread, the
 * CLOSE goes out in the background */
static int
call_open2(struct run *r)
{
    return open_into(r, &r->ch2);
}

static int
call_free2(struct run *r)
{
    if (r->ch2 != NULL) {
        peer_chan_data(&r->p, r->p.last_open_id, -1, "unread", 6);
        peer_chan_data(&r->p, r->p.last_open_id, 1, "unread", 6);
        libssh2_channel_free(r->ch2);
        r->ch2 = NULL;
    }
    return libssh2_keepalive_send(r->s, NULL);
}

static int
call_disconnect(struct run *r)
{
    return libssh2_session_disconnect(r->s, "bye");
}

static int
drive(struct run *r, call_fn fn)
{
    int idle = 0;
    long i;
    for (i = 0; i < 1000000; i++) {
        int rc = fn(r);
        int pr;
        if (rc != LIBSSH2_ERROR_EAGAIN) {
            return rc;
        }
        pr = peer_step(&r->p);
        if (pr < 0) {
            return RC_PEER;
        }
        idle = pr == 0 ? idle + 1 : 0;
        if (idle > 12) {
            return RC_STUCK;
        }
    }
    return RC_STUCK;
}

static const call_fn steps[] = {call_handshake, call_auth, call_open, call_exec, call_read,
                                call_close, call_open2, call_free2, call_disconnect};
static const char *const step_names[] = {"handshake", "auth", "open", "exec", "read",
                                         "close", "open2", "free2", "disconnect"};
#define NSTEPS (sizeof steps / sizeof steps[0])

/* run_steps runs steps[from..] and returns the first failure (its index
 * in *at), or 0. */
static int
run_steps(struct run *r, size_t from, size_t *at)
{
    size_t i;
    int rc = 0;
    for (i = from; i < NSTEPS; i++) {
        rc = drive(r, steps[i]);
        if (rc != 0) {
            break;
        }
    }
    *at = i;
    return rc;
}

struct tally {
    int alloc, ok, other, recovered;
    int by_step[NSTEPS];
};

/* one_run fails allocation |n| (0: none); returns the first non-zero step
 * result, 0 when all succeeded. *hit tells whether the failure was reached. */
static int
one_run(unsigned long n, int after, int *hit, struct tally *t)
{
    struct run *r = calloc(1, sizeof *r);
    size_t i = 0;
    int rc, rc2;

    assert_non_null(r);
    fa_init(&r->fa, n);
    r->fa.fail_after = after;
    assert_int_equal(peer_init(&r->p), 0);
    r->p.strict = 1;
    r->p.send_ext_info = 1;
    r->p.auth_ok = 1;
    r->p.conn_auto = 1;
    r->p.exec_out = EXEC_OUT;
    r->p.exec_status = 42;
    r->s = libssh2_session_init_ex(fa_alloc, fa_free, fa_realloc, &r->fa);
    if (r->s == NULL) {
        /* the failure hit session creation itself: clean NULL, no leak */
        assert_true(r->fa.failures > 0);
        assert_int_equal(r->fa.blocks, 0);
        *hit = 1;
        peer_free(&r->p);
        free(r);
        return LIBSSH2_ERROR_ALLOC;
    }
    libssh2_session_set_blocking(r->s, 0);
    rc = run_steps(r, 0, &i);
    *hit = r->fa.failures > 0;
    if (rc != 0) {
        if (rc == RC_STUCK || rc == RC_PEER || rc > 0) {
            fprintf(stderr, "channel alloc sweep: N=%lu step %s: %s (%d; peer: %s)\n", n,
                    step_names[i], rc == RC_STUCK ? "hangs" : "bad result", rc, r->p.errmsg);
        }
        assert_true(rc < 0);
        assert_int_not_equal(rc, LIBSSH2_ERROR_EAGAIN);
        t->by_step[i]++;
        /* no more failures: the session is dead and says so at once, or
         * it was an operation failure and the session goes on working */
        r->fa.fail_at = 0;
        rc2 = steps[i](r);
        if (rc2 == LIBSSH2_ERROR_EAGAIN || rc2 == 0) {
            size_t j = 0;
            int rc3;
            if (rc2 == LIBSSH2_ERROR_EAGAIN) {
                rc2 = drive(r, steps[i]); /* resume it (the same call again) */
            }
            if (rc2 != 0) {
                fprintf(stderr, "channel alloc sweep: N=%lu step %s: %d, retry gives %d\n", n,
                        step_names[i], rc, rc2);
            }
            assert_int_equal(rc2, 0);
            rc3 = run_steps(r, i + 1, &j);
            if (rc3 != 0) {
                fprintf(stderr, "channel alloc sweep: N=%lu after %s recovered, %s gives %d\n",
                        n, step_names[i], step_names[j < NSTEPS ? j : NSTEPS - 1], rc3);
            }
            assert_int_equal(rc3, 0);
            t->recovered++;
        } else {
            assert_true(rc2 < 0);
            assert_int_equal(steps[i](r), rc2); /* fails fast, and stays failed */
        }
    }
    if (r->ch != NULL) {
        assert_int_equal(libssh2_channel_free(r->ch), 0);
    }
    if (r->ch2 != NULL) {
        assert_int_equal(libssh2_channel_free(r->ch2), 0);
    }
    assert_int_equal(libssh2_session_free(r->s), 0);
    if (r->fa.blocks != 0) {
        fprintf(stderr, "channel alloc sweep: N=%lu leaks %zu blocks (%zu bytes)\n", n,
                r->fa.blocks, r->fa.bytes);
    }
    assert_int_equal(r->fa.blocks, 0);
    peer_free(&r->p);
    free(r);
    return rc;
}

/* sweep fails allocation N (after = 0), or every allocation from N on
 * (after = 1: memory stays exhausted until the retry) */
static void
sweep(int after)
{
    struct tally t;
    unsigned long n;
    int hit = 0, rc;
    size_t i;
    memset(&t, 0, sizeof t);
    rc = one_run(0, after, &hit, &t);
    assert_int_equal(rc, 0); /* the whole session works without failures */
    assert_false(hit);
    for (n = 1; n < MAX_N; n++) {
        rc = one_run(n, after, &hit, &t);
        if (!hit) {
            assert_int_equal(rc, 0);
            break;
        }
        if (rc == LIBSSH2_ERROR_ALLOC) {
            t.alloc++;
        } else if (rc == 0) {
            t.ok++;
        } else {
            t.other++;
        }
    }
    assert_true(n < MAX_N);
    assert_true(n > 20);
    printf("channel alloc sweep (%s): %lu allocations; ALLOC %d (session usable after %d), "
           "success %d, other errors %d\n",
           after ? "from N on" : "N only", n - 1, t.alloc, t.recovered, t.ok, t.other);
    for (i = 0; i < NSTEPS; i++) {
        printf("  failures in %-10s %d\n", step_names[i], t.by_step[i]);
    }
    /* the channel steps were reached by the sweep */
    assert_true(t.by_step[2] > 0); /* open */
    assert_true(t.by_step[3] > 0); /* exec */
}

static void
test_sweep_channel(void **state)
{
    (void)state;
    sweep(0);
}

static void
test_sweep_channel_exhausted(void **state)
{
    (void)state;
    sweep(1);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sweep_channel),
        cmocka_unit_test(test_sweep_channel_exhausted),
    };
    libssh2_init(0);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
