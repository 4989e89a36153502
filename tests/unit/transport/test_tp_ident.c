/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests for src/transport/tp_ident.c: the server identification line
 * (RFC 4253 4.2) and HOSTILE-CASES T-01..T-03, FS-11.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "transport/tp_parse_int.h"

/* captured from OpenSSH 9.2p1 (Debian 12), ident line only */
static const char openssh_ident[] = "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10\r\n";
/* what follows the ident on the wire: the start of a binary packet */
static const uint8_t packet_bytes[] = {0x00, 0x00, 0x04, 0x5c, 0x07, 0x14, 0xe6, 0xf7};

static uint8_t big[64 * 1024];

/* feed_all feeds |len| bytes in one call; returns the result, *used set. */
static int
feed_all(struct s2_ident *id, const void *p, size_t len, size_t *used)
{
    s2_ident_init(id);
    return s2_ident_feed(id, (const uint8_t *)p, len, used);
}

/* feed_bytewise feeds one byte at a time until a non-zero result; returns it
 * and the total consumed in *used. Asserts each 0 result consumed its byte. */
static int
feed_bytewise(struct s2_ident *id, const uint8_t *p, size_t len, size_t *used)
{
    size_t i;
    s2_ident_init(id);
    *used = 0;
    for (i = 0; i < len; i++) {
        size_t u = 99;
        int r = s2_ident_feed(id, p + i, 1, &u);
        if (r != 0) {
            assert_int_equal(u, 1);
            *used += u;
            return r;
        }
        assert_int_equal(u, 1);
        *used += u;
    }
    return 0;
}

/* expect_ok: the whole of |s| then packet bytes; the ident (|want|) is
 * recognised with *used == strlen(s) whole, bytewise and in two chunks. */
static void
expect_ok(const char *s, const char *want)
{
    struct s2_ident id;
    size_t n = strlen(s);
    size_t used = 0;
    size_t split;
    uint8_t *buf = big;

    assert_true(n + sizeof(packet_bytes) <= sizeof(big));
    memcpy(buf, s, n);
    memcpy(buf + n, packet_bytes, sizeof(packet_bytes));

    assert_int_equal(feed_all(&id, buf, n + sizeof(packet_bytes), &used), 1);
    assert_int_equal(used, n);
    assert_string_equal(id.version, want);
    assert_int_equal(id.version_len, strlen(want));
    /* done: nothing more is consumed */
    assert_int_equal(s2_ident_feed(&id, packet_bytes, sizeof(packet_bytes), &used), 1);
    assert_int_equal(used, 0);

    assert_int_equal(feed_bytewise(&id, buf, n + sizeof(packet_bytes), &used), 1);
    assert_int_equal(used, n);
    assert_string_equal(id.version, want);

    for (split = 0; split <= n; split += (n > 600 ? 97 : 1)) {
        size_t u1 = 0, u2 = 0;
        s2_ident_init(&id);
        assert_int_equal(s2_ident_feed(&id, buf, split, &u1), split == n ? 1 : 0);
        if (split == n) {
            assert_int_equal(u1, n);
            break;
        }
        assert_int_equal(u1, split);
        assert_int_equal(s2_ident_feed(&id, buf + split, n + sizeof(packet_bytes) - split, &u2),
                         1);
        assert_int_equal(u1 + u2, n);
        assert_string_equal(id.version, want);
    }
}

/* expect_fail: |len| bytes fail with BANNER_RECV, whole and bytewise, with
 * the same byte count consumed (the offending byte included), and the error
 * is sticky. */
static void
expect_fail_n(const void *p, size_t len)
{
    struct s2_ident id;
    size_t used1 = 0, used2 = 0, u = 9;

    assert_int_equal(feed_all(&id, p, len, &used1), LIBSSH2_ERROR_BANNER_RECV);
    assert_true(used1 <= len);
    assert_int_equal(s2_ident_feed(&id, packet_bytes, sizeof(packet_bytes), &u),
                     LIBSSH2_ERROR_BANNER_RECV);
    assert_int_equal(u, 0);
    assert_int_equal(feed_bytewise(&id, (const uint8_t *)p, len, &used2),
                     LIBSSH2_ERROR_BANNER_RECV);
    assert_int_equal(used1, used2);
    assert_int_equal(id.version_len, 0);
}

static void
expect_fail(const char *s)
{
    expect_fail_n(s, strlen(s));
}

static void
test_openssh_ident(void **state)
{
    (void)state;
    expect_ok(openssh_ident, "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10");
}

static void
test_bare_lf_and_crlf(void **state)
{
    (void)state;
    expect_ok("SSH-2.0-x\n", "SSH-2.0-x");
    expect_ok("SSH-2.0-x\r\n", "SSH-2.0-x");
    expect_ok("SSH-2.0-dropbear_2022.83\r\n", "SSH-2.0-dropbear_2022.83");
    expect_ok("SSH-2.0-Cisco-1.25\r\n", "SSH-2.0-Cisco-1.25"); /* '-' tolerated */
    expect_ok("SSH-2.0-x comments with  spaces!\r\n", "SSH-2.0-x comments with  spaces!");
    expect_ok("SSH-2.0-x \r\n", "SSH-2.0-x ");
}

static void
test_pre_banner_lines(void **state)
{
    struct s2_ident id;
    size_t used;
    const char *s = "Welcome\r\nto the server\n\r\nSSH\nSSX-2.0-x\n \tctl\x1b[0m\r\n"
                    "SSH-2.0-srv\r\n";
    (void)state;
    expect_ok(s, "SSH-2.0-srv");
    assert_int_equal(feed_all(&id, s, strlen(s), &used), 1);
    assert_int_equal(id.lines, 6);
    /* libssh2 #768 / #538: a leading empty line */
    expect_ok("\r\nSSH-2.0-srv\r\n", "SSH-2.0-srv");
    expect_ok("\nSSH-2.0-srv\r\n", "SSH-2.0-srv");
    expect_ok("\r\n\r\n\n\nSSH-2.0-srv\n", "SSH-2.0-srv");
    /* a lone CR inside a pre-banner line is just text */
    expect_ok("a\rb\r\r\nSSH-2.0-srv\r\n", "SSH-2.0-srv");
}

static void
test_long_pre_banner_line(void **state)
{
    size_t n;
    (void)state;
    /* a pre-banner line longer than 255 is allowed; only the byte cap binds */
    n = 0;
    memset(big, 'x', 1000);
    n += 1000;
    memcpy(big + n, "\r\nSSH-2.0-a\r\n", 14);
    expect_ok((const char *)big, "SSH-2.0-a");
}

static void
test_line_count_cap(void **state)
{
    size_t i, n = 0;
    (void)state;
    /* S2_IDENT_LINES_MAX (1024) empty lines: accepted */
    for (i = 0; i < S2_IDENT_LINES_MAX; i++) {
        big[n++] = '\n';
    }
    memcpy(big + n, "SSH-2.0-a\r\n", 12);
    expect_ok((const char *)big, "SSH-2.0-a");
    /* one more (1025, T-02): rejected, before the ident is read */
    n = 0;
    for (i = 0; i < S2_IDENT_LINES_MAX + 1; i++) {
        big[n++] = '\r';
        big[n++] = '\n';
    }
    memcpy(big + n, "SSH-2.0-a\r\n", 12);
    expect_fail((const char *)big);
    {
        struct s2_ident id;
        size_t used;
        assert_int_equal(feed_all(&id, big, strlen((const char *)big), &used),
                         LIBSSH2_ERROR_BANNER_RECV);
        assert_int_equal(used, 2 * (S2_IDENT_LINES_MAX + 1));
    }
}

static void
test_byte_cap(void **state)
{
    size_t n;
    struct s2_ident id;
    size_t used;
    (void)state;
    /* pre-banner bytes exactly S2_IDENT_BYTES_MAX (8 lines of 1024 with LF) */
    memset(big, 'y', S2_IDENT_BYTES_MAX);
    for (n = 1023; n < S2_IDENT_BYTES_MAX; n += 1024) {
        big[n] = '\n';
    }
    memcpy(big + S2_IDENT_BYTES_MAX, "SSH-2.0-a\r\n", 12);
    expect_ok((const char *)big, "SSH-2.0-a");
    /* one byte more: rejected */
    memset(big, 'y', S2_IDENT_BYTES_MAX + 1);
    for (n = 1023; n < S2_IDENT_BYTES_MAX; n += 1024) {
        big[n] = '\n';
    }
    big[S2_IDENT_BYTES_MAX] = '\n';
    memcpy(big + S2_IDENT_BYTES_MAX + 1, "SSH-2.0-a\r\n", 12);
    expect_fail((const char *)big);
    /* one endless line, no LF: fails within the cap (T-01), no over-read */
    memset(big, 'z', sizeof(big));
    assert_int_equal(feed_all(&id, big, sizeof(big), &used), LIBSSH2_ERROR_BANNER_RECV);
    assert_true(used <= S2_IDENT_BYTES_MAX);
    expect_fail_n(big, sizeof(big));
    /* 8 KiB of short lines without an ident (FS-11) */
    for (n = 0; n < sizeof(big); n += 2) {
        big[n] = 'q';
        big[n + 1] = '\n';
    }
    expect_fail_n(big, sizeof(big));
}

static void
test_nul(void **state)
{
    static const uint8_t pre[] = "hello\0world\r\nSSH-2.0-a\r\n";
    static const uint8_t ident[] = "SSH-2.0-a\0b\r\nzz";
    static const uint8_t first[] = "\0SSH-2.0-a\r\n";
    struct s2_ident id;
    size_t used;
    (void)state;
    expect_fail_n(pre, sizeof(pre) - 1);
    expect_fail_n(ident, sizeof(ident) - 1);
    expect_fail_n(first, sizeof(first) - 1);
    assert_int_equal(feed_all(&id, ident, sizeof(ident) - 1, &used),
                     LIBSSH2_ERROR_BANNER_RECV);
    assert_int_equal(used, 10); /* up to and including the NUL */
}

static void
test_ident_length(void **state)
{
    char want[300];
    (void)state;
    /* 255 bytes with CR LF: accepted */
    memset(big, 0, 400);
    memcpy(big, "SSH-2.0-", 8);
    memset(big + 8, 'v', S2_IDENT_LINE_MAX - 2 - 8);
    memcpy(big + S2_IDENT_LINE_MAX - 2, "\r\n", 3);
    memcpy(want, big, S2_IDENT_LINE_MAX - 2);
    want[S2_IDENT_LINE_MAX - 2] = '\0';
    assert_int_equal(strlen((const char *)big), 255);
    expect_ok((const char *)big, want);
    /* 255 bytes with a bare LF: accepted */
    memset(big, 0, 400);
    memcpy(big, "SSH-2.0-", 8);
    memset(big + 8, 'v', S2_IDENT_LINE_MAX - 1 - 8);
    memcpy(big + S2_IDENT_LINE_MAX - 1, "\n", 2);
    memcpy(want, big, S2_IDENT_LINE_MAX - 1);
    want[S2_IDENT_LINE_MAX - 1] = '\0';
    expect_ok((const char *)big, want);
    /* 256 bytes with CR LF: rejected */
    memset(big, 0, 400);
    memcpy(big, "SSH-2.0-", 8);
    memset(big + 8, 'v', S2_IDENT_LINE_MAX - 1 - 8);
    memcpy(big + S2_IDENT_LINE_MAX - 1, "\r\n", 3);
    expect_fail((const char *)big);
    /* 256 bytes with a bare LF: rejected */
    memset(big, 0, 400);
    memcpy(big, "SSH-2.0-", 8);
    memset(big + 8, 'v', S2_IDENT_LINE_MAX - 8);
    memcpy(big + S2_IDENT_LINE_MAX, "\n", 2);
    expect_fail((const char *)big);
    /* libssh2 #1442: a 300-byte banner is rejected (policy), early */
    memset(big, 0, 400);
    memcpy(big, "SSH-2.0-", 8);
    memset(big + 8, 'v', 298 - 8);
    memcpy(big + 298, "\r\n", 3);
    expect_fail((const char *)big);
    {
        struct s2_ident id;
        size_t used;
        assert_int_equal(feed_all(&id, big, 300, &used), LIBSSH2_ERROR_BANNER_RECV);
        assert_int_equal(used, S2_IDENT_LINE_MAX);
    }
}

static void
test_versions(void **state)
{
    (void)state;
    expect_ok("SSH-1.99-OpenSSH_3.0\r\n", "SSH-1.99-OpenSSH_3.0");
    expect_fail("SSH-1.5-x\r\n");
    expect_fail("SSH-3.0-x\r\n");
    expect_fail("SSH-2.0\r\n");
    expect_fail("SSH-2.0x\r\n");
    expect_fail("SSH-2.00-x\r\n");
    expect_fail("SSH-1.9-x\r\n");
    expect_fail("SSH-\r\n");
    expect_fail("SSH-2.0-\r\n");          /* empty softwareversion */
    expect_fail("SSH-2.0- comment\r\n");  /* empty softwareversion */
    expect_fail("SSH-2.0-a\tb\r\n");
    expect_fail("SSH-2.0-a\rb\r\n");      /* CR not right before LF */
    expect_fail("SSH-2.0-a\r\r\n");
    expect_fail("SSH-2.0-a b\x1b[31m\r\n");
    expect_fail("SSH-2.0-a\x7f\r\n");
    expect_fail("SSH-2.0-a b\x7f\r\n");     /* DEL in comments */
    expect_fail("SSH-2.0-a b\x1f\r\n");
    expect_fail("SSH-2.0-a b\tc\r\n");
    expect_ok("SSH-2.0-a ~!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}\r\n",
              "SSH-2.0-a ~!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}");
    expect_fail("SSH-2.0-\xc3\xa9\r\n");
    expect_fail("SSH-2.0-a \xc3\xa9\r\n");
    expect_fail("ssh-2.0-x\r\nSSH-1.5-x\r\n");
}

static void
test_incomplete(void **state)
{
    struct s2_ident id;
    size_t used = 0;
    static const char s[] = "pre\r\nSSH-2.0-abc\r";
    (void)state;
    s2_ident_init(&id);
    assert_int_equal(s2_ident_feed(&id, (const uint8_t *)s, strlen(s), &used), 0);
    assert_int_equal(used, strlen(s));
    assert_int_equal(id.version_len, 0);
    assert_int_equal(s2_ident_feed(&id, (const uint8_t *)"", 0, &used), 0);
    assert_int_equal(used, 0);
    assert_int_equal(s2_ident_feed(&id, (const uint8_t *)"\n\x00\x01", 3, &used), 1);
    assert_int_equal(used, 1);
    assert_string_equal(id.version, "SSH-2.0-abc");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_openssh_ident),
        cmocka_unit_test(test_bare_lf_and_crlf),
        cmocka_unit_test(test_pre_banner_lines),
        cmocka_unit_test(test_long_pre_banner_line),
        cmocka_unit_test(test_line_count_cap),
        cmocka_unit_test(test_byte_cap),
        cmocka_unit_test(test_nul),
        cmocka_unit_test(test_ident_length),
        cmocka_unit_test(test_versions),
        cmocka_unit_test(test_incomplete),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
