/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Userauth limits and replies without a server (HOSTILE-CASES U-02, U-06,
 * U-09, U-10): a userauth object over a transport forced to READY whose
 * output is discarded; replies are handed to s2_ua_on_packet directly.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "auth/auth.h"
#include "transport/tp_int.h"

struct h {
    struct s2_env env;
    struct s2_io io;
    struct s2_tp_callbacks cb;
    struct s2_tp *tp;
    struct s2_ua *ua;
    void *abstract;
};

static ssize_t
discard_send(libssh2_socket_t fd, const void *buf, size_t len, int flags, void **abstract)
{
    (void)fd;
    (void)buf;
    (void)flags;
    (void)abstract;
    return (ssize_t)len;
}

static void
h_init(struct h *h)
{
    memset(h, 0, sizeof *h);
    s2_allocator_default(&h->env.alloc, NULL);
    h->io.fd = LIBSSH2_INVALID_SOCKET;
    h->io.send_cb = discard_send;
    h->io.abstract = &h->abstract;
    assert_int_equal(s2_tp_new(&h->env, &h->io, &h->cb, &h->tp), 0);
    h->tp->state = S2_TP_READY;
    assert_int_equal(s2_ua_new(&h->env, h->tp, &h->ua), 0);
}

static void
h_free(struct h *h)
{
    s2_ua_free(h->ua);
    s2_tp_free(h->tp);
}

static int
feed(struct h *h, const uint8_t *p, size_t n)
{
    struct s2_rd r;
    s2_rd_init(&r, p, n);
    return s2_ua_on_packet(h->ua, &r);
}

static const uint8_t accept_msg[] = {6, 0, 0, 0, 12, 's', 's', 'h', '-', 'u', 's', 'e',
                                     'r', 'a', 'u', 't', 'h'};

/* U-10: lengths are bounded before anything is allocated or read */
static void
test_u10_lengths(void **state)
{
    struct h h;
    (void)state;
    h_init(&h);
    assert_int_equal(s2_ua_start_none(h.ua, "u", 0), LIBSSH2_ERROR_INVAL);
    assert_int_equal(s2_ua_start_none(h.ua, "u", UINT32_MAX), LIBSSH2_ERROR_INVAL);
    assert_int_equal(s2_ua_start_none(h.ua, "u", SIZE_MAX), LIBSSH2_ERROR_INVAL);
    assert_int_equal(s2_ua_start_password(h.ua, "u", 1, "p", SIZE_MAX, NULL, NULL, NULL),
                     LIBSSH2_ERROR_INVAL);
    assert_int_equal(s2_ua_start_password(h.ua, "u", UINT32_MAX, "p", 1, NULL, NULL, NULL),
                     LIBSSH2_ERROR_INVAL);
    assert_int_equal(s2_ua_pending(h.ua), 0);
    h_free(&h);
}

/* U-02: SUCCESS before any request, or before SERVICE_ACCEPT */
static void
test_u02_success_unrequested(void **state)
{
    static const uint8_t success[] = {52};
    struct h h;
    (void)state;
    h_init(&h);
    assert_int_equal(feed(&h, success, sizeof success), LIBSSH2_ERROR_PROTO);
    assert_int_equal(s2_tp_dead(h.tp), LIBSSH2_ERROR_PROTO);
    assert_int_equal(s2_ua_authenticated(h.ua), 0);
    h_free(&h);
}

/* U-01: SERVICE_ACCEPT naming another service */
static void
test_u01_service_accept_other(void **state)
{
    static const uint8_t other[] = {6, 0, 0, 0, 4, 'n', 'o', 'p', 'e'};
    struct h h;
    (void)state;
    h_init(&h);
    assert_int_equal(s2_ua_start_none(h.ua, "u", 1), 0);
    assert_int_equal(s2_ua_poll(h.ua), LIBSSH2_ERROR_EAGAIN);
    assert_int_equal(feed(&h, other, sizeof other), LIBSSH2_ERROR_PROTO);
    h_free(&h);
}

/* U-06: a huge prompt count is refused at once; 0 prompts is answered */
static void
test_u06_prompt_count(void **state)
{
    static const uint8_t huge[] = {60, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff};
    struct h h;
    struct s2_ua_kbdint kb = {NULL, NULL};
    (void)state;
    h_init(&h);
    assert_int_equal(s2_ua_start_kbdint(h.ua, "u", 1, &kb), 0);
    assert_int_equal(s2_ua_poll(h.ua), LIBSSH2_ERROR_EAGAIN);
    assert_int_equal(feed(&h, accept_msg, sizeof accept_msg), 0);
    assert_int_equal(s2_ua_poll(h.ua), LIBSSH2_ERROR_EAGAIN);
    assert_int_equal(feed(&h, huge, sizeof huge), LIBSSH2_ERROR_PROTO);
    h_free(&h);
}

/* U-09: PASSWD_CHANGEREQ without a callback */
static void
test_u09_changereq_no_callback(void **state)
{
    static const uint8_t changereq[] = {60, 0, 0, 0, 2, 'p', '?', 0, 0, 0, 0};
    static const uint8_t failure[] = {51, 0, 0, 0, 8, 'p', 'a', 's', 's', 'w', 'o', 'r', 'd', 0};
    struct h h;
    (void)state;
    h_init(&h);
    assert_int_equal(s2_ua_start_password(h.ua, "u", 1, "pw", 2, NULL, NULL, NULL), 0);
    assert_int_equal(s2_ua_poll(h.ua), LIBSSH2_ERROR_EAGAIN);
    assert_int_equal(feed(&h, accept_msg, sizeof accept_msg), 0);
    assert_int_equal(s2_ua_poll(h.ua), LIBSSH2_ERROR_EAGAIN);
    assert_int_equal(feed(&h, changereq, sizeof changereq), 0);
    assert_int_equal(s2_ua_poll(h.ua), LIBSSH2_ERROR_PASSWORD_EXPIRED);
    /* the session stays usable: the next attempt goes out and fails normally */
    assert_int_equal(s2_ua_start_password(h.ua, "u", 1, "pw", 2, NULL, NULL, NULL), 0);
    assert_int_equal(s2_ua_poll(h.ua), LIBSSH2_ERROR_EAGAIN);
    assert_int_equal(feed(&h, failure, sizeof failure), 0);
    assert_int_equal(s2_ua_poll(h.ua), LIBSSH2_ERROR_AUTHENTICATION_FAILED);
    assert_string_equal(s2_ua_methods(h.ua), "password");
    assert_int_equal(s2_tp_dead(h.tp), 0);
    h_free(&h);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_u10_lengths),
        cmocka_unit_test(test_u02_success_unrequested),
        cmocka_unit_test(test_u01_service_accept_other),
        cmocka_unit_test(test_u06_prompt_count),
        cmocka_unit_test(test_u09_changereq_no_callback),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
