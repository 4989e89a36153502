/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Allocation-failure sweep (HOSTILE-CASES H5 / FS-16): a whole session
 * (handshake, userauth_list, client rekey, server rekey, disconnect)
 * against the scripted server of tests/lib/peer.h, on the failing
 * allocator. For N = 1, 2, ... the Nth allocation fails; every run must end
 * in success or a clean error code (never a hang, never a crash), every
 * later call must fail fast, and session_free must leave no block behind.
 * The sweep ends at the first N the session no longer reaches.
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
#include "ssh2core.h"

#define RC_STUCK 1000
#define RC_PEER 1001
#define MAX_N 5000

struct run {
    struct peer p;
    struct fa_state fa;
    LIBSSH2_SESSION *s;
    int server_rekey_sent;
};

typedef int (*call_fn)(struct run *r);

static int
call_handshake(struct run *r)
{
    return libssh2_session_handshake(r->s, r->p.client_fd);
}

static int
call_list(struct run *r)
{
    char *l = libssh2_userauth_list(r->s, "user", 4);
    if (l != NULL) {
        return strcmp(l, "publickey,password") == 0 ? 0 : LIBSSH2_ERROR_PROTO;
    }
    return libssh2_session_last_errno(r->s);
}

static int
call_rekey(struct run *r)
{
    return ssh2core_session_rekey(r->s);
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

/* one_run fails allocation |n| (0: none) and returns the first non-zero
 * result of the session steps, 0 when all succeeded. *hit tells whether the
 * failure was reached. */
/* The session: handshake, list, client rekey, server rekey (the KEXINIT
 * is queued before the second list, which then runs the exchange), list
 * again, disconnect. */
static int
call_server_rekey_list(struct run *r)
{
    if (!r->server_rekey_sent) {
        r->server_rekey_sent = 1;
        peer_send_kexinit(&r->p);
    }
    return call_list(r);
}

static const call_fn steps[] = {call_handshake, call_list, call_rekey, call_server_rekey_list,
                                call_disconnect};
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

/* one_run fails allocation |n| (0: none) and returns the first non-zero
 * result of the session steps, 0 when all succeeded. *hit tells whether
 * the failure was reached, *recovered whether the session went on
 * working after a (non-fatal) failure. */
/* the key exchange method the peer offers (its default when NULL) */
static const char *g_kex;

static int
one_run(unsigned long n, int strict, int *hit, int *recovered)
{
    struct run *r = calloc(1, sizeof *r);
    size_t i;
    int rc = 0, rc2;

    assert_non_null(r);
    fa_init(&r->fa, n);
    assert_int_equal(peer_init(&r->p), 0);
    r->p.strict = strict;
    r->p.send_ext_info = 1;
    if (g_kex != NULL) {
        r->p.kex_list = g_kex;
    }
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
            fprintf(stderr, "alloc sweep: N=%lu step %zu: %s (peer: %s)\n", n, i,
                    rc == RC_STUCK ? "hangs" : "bad result", r->p.errmsg);
        }
        assert_true(rc < 0);
        assert_int_not_equal(rc, LIBSSH2_ERROR_EAGAIN);
        /* no more failures: the session is either dead and says so at
         * once (E2), or it was an operation failure and the session goes
         * on working */
        r->fa.fail_at = 0;
        rc2 = steps[i](r);
        if (rc2 == LIBSSH2_ERROR_EAGAIN || rc2 == 0) {
            size_t j;
            rc2 = drive(r, steps[i]);
            if (rc2 != 0) {
                fprintf(stderr, "alloc sweep: N=%lu step %zu: %d, retry gives %d\n", n, i, rc,
                        rc2);
            }
            assert_int_equal(rc2, 0);
            assert_int_equal(run_steps(r, i + 1, &j), 0);
            *recovered = 1;
        } else {
            assert_true(rc2 < 0);
            assert_int_equal(steps[i](r), rc2); /* fails fast, and stays failed */
        }
    } else {
        assert_int_equal(ssh2core_session_kex_count(r->s), 3);
    }
    assert_int_equal(libssh2_session_free(r->s), 0);
    if (r->fa.blocks != 0) {
        fprintf(stderr, "alloc sweep: N=%lu leaks %zu blocks (%zu bytes)\n", n, r->fa.blocks,
                r->fa.bytes);
    }
    assert_int_equal(r->fa.blocks, 0);
    peer_free(&r->p);
    free(r);
    return rc;
}

static void
sweep(int strict)
{
    unsigned long n;
    int hit = 0, recovered = 0;
    int n_alloc = 0, n_ok = 0, n_other = 0, n_recovered = 0;
    int rc = one_run(0, strict, &hit, &recovered);
    assert_int_equal(rc, 0); /* the session works without failures */
    assert_false(hit);
    for (n = 1; n < MAX_N; n++) {
        recovered = 0;
        rc = one_run(n, strict, &hit, &recovered);
        n_recovered += recovered;
        if (!hit) {
            assert_int_equal(rc, 0);
            break;
        }
        if (rc == LIBSSH2_ERROR_ALLOC) {
            n_alloc++;
        } else if (rc == 0) {
            n_ok++;
        } else {
            n_other++;
        }
    }
    assert_true(n < MAX_N);
    assert_true(n > 5);
    printf("alloc sweep (%s, strict %d): %lu allocations; ALLOC %d (session usable after %d), "
           "success %d, other errors %d\n",
           g_kex != NULL ? g_kex : "curve25519-sha256", strict, n - 1, n_alloc, n_recovered, n_ok,
           n_other);
}

static void
test_sweep_strict(void **state)
{
    (void)state;
    sweep(1);
}

static void
test_sweep_not_strict(void **state)
{
    (void)state;
    sweep(0);
}

/* the hybrid post-quantum key exchange: its KEM key buffer is allocated */
static void
test_sweep_mlkem(void **state)
{
    (void)state;
    g_kex = "mlkem768x25519-sha256";
    sweep(1);
    g_kex = NULL;
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sweep_strict),
        cmocka_unit_test(test_sweep_not_strict),
        cmocka_unit_test(test_sweep_mlkem),
    };
    libssh2_init(0);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
