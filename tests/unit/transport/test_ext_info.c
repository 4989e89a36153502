/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests for src/transport/ext_info.c: SSH_MSG_EXT_INFO (RFC 8308 2.3);
 * HOSTILE-CASES K-26 (count 0xffffffff, count above the pairs present,
 * 64 KiB server-sig-algs), CVE-2026-55199.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "transport/ssh_msg.h"
#include "transport/tp_parse_int.h"

/* EXT_INFO of OpenSSH 9.2p1 (Debian 12), captured after NEWKEYS with an
 * instrumented AsyncSSH client; starts with the message byte 7. */
static const uint8_t openssh_ext_info[] = {
    0x07, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x0f, 0x73, 0x65, 0x72,
    0x76, 0x65, 0x72, 0x2d, 0x73, 0x69, 0x67, 0x2d, 0x61, 0x6c, 0x67, 0x73,
    0x00, 0x00, 0x00, 0xdb, 0x73, 0x73, 0x68, 0x2d, 0x65, 0x64, 0x32, 0x35,
    0x35, 0x31, 0x39, 0x2c, 0x73, 0x6b, 0x2d, 0x73, 0x73, 0x68, 0x2d, 0x65,
    0x64, 0x32, 0x35, 0x35, 0x31, 0x39, 0x40, 0x6f, 0x70, 0x65, 0x6e, 0x73,
    0x73, 0x68, 0x2e, 0x63, 0x6f, 0x6d, 0x2c, 0x65, 0x63, 0x64, 0x73, 0x61,
    0x2d, 0x73, 0x68, 0x61, 0x32, 0x2d, 0x6e, 0x69, 0x73, 0x74, 0x70, 0x32,
    0x35, 0x36, 0x2c, 0x65, 0x63, 0x64, 0x73, 0x61, 0x2d, 0x73, 0x68, 0x61,
    0x32, 0x2d, 0x6e, 0x69, 0x73, 0x74, 0x70, 0x33, 0x38, 0x34, 0x2c, 0x65,
    0x63, 0x64, 0x73, 0x61, 0x2d, 0x73, 0x68, 0x61, 0x32, 0x2d, 0x6e, 0x69,
    0x73, 0x74, 0x70, 0x35, 0x32, 0x31, 0x2c, 0x73, 0x6b, 0x2d, 0x65, 0x63,
    0x64, 0x73, 0x61, 0x2d, 0x73, 0x68, 0x61, 0x32, 0x2d, 0x6e, 0x69, 0x73,
    0x74, 0x70, 0x32, 0x35, 0x36, 0x40, 0x6f, 0x70, 0x65, 0x6e, 0x73, 0x73,
    0x68, 0x2e, 0x63, 0x6f, 0x6d, 0x2c, 0x77, 0x65, 0x62, 0x61, 0x75, 0x74,
    0x68, 0x6e, 0x2d, 0x73, 0x6b, 0x2d, 0x65, 0x63, 0x64, 0x73, 0x61, 0x2d,
    0x73, 0x68, 0x61, 0x32, 0x2d, 0x6e, 0x69, 0x73, 0x74, 0x70, 0x32, 0x35,
    0x36, 0x40, 0x6f, 0x70, 0x65, 0x6e, 0x73, 0x73, 0x68, 0x2e, 0x63, 0x6f,
    0x6d, 0x2c, 0x73, 0x73, 0x68, 0x2d, 0x64, 0x73, 0x73, 0x2c, 0x73, 0x73,
    0x68, 0x2d, 0x72, 0x73, 0x61, 0x2c, 0x72, 0x73, 0x61, 0x2d, 0x73, 0x68,
    0x61, 0x32, 0x2d, 0x32, 0x35, 0x36, 0x2c, 0x72, 0x73, 0x61, 0x2d, 0x73,
    0x68, 0x61, 0x32, 0x2d, 0x35, 0x31, 0x32, 0x00, 0x00, 0x00, 0x1f, 0x70,
    0x75, 0x62, 0x6c, 0x69, 0x63, 0x6b, 0x65, 0x79, 0x2d, 0x68, 0x6f, 0x73,
    0x74, 0x62, 0x6f, 0x75, 0x6e, 0x64, 0x40, 0x6f, 0x70, 0x65, 0x6e, 0x73,
    0x73, 0x68, 0x2e, 0x63, 0x6f, 0x6d, 0x00, 0x00, 0x00, 0x01, 0x30,
};

static const char openssh_sig_algs[] =
    "ssh-ed25519,sk-ssh-ed25519@openssh.com,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,"
    "ecdsa-sha2-nistp521,sk-ecdsa-sha2-nistp256@openssh.com,"
    "webauthn-sk-ecdsa-sha2-nistp256@openssh.com,ssh-dss,ssh-rsa,rsa-sha2-256,rsa-sha2-512";

static uint8_t buf[2 * S2_NAMELIST_MAX + 1024];

static int
parse_payload(const uint8_t *p, size_t len, struct s2_ext_info *e)
{
    struct s2_rd r;
    s2_rd_init(&r, p, len);
    assert_int_equal(s2_rd_u8(&r), SSH_MSG_EXT_INFO);
    return s2_ext_info_parse(&r, e);
}

/* a tiny payload builder over s2_wr */
static struct s2_wr w;

static void
begin(uint32_t count)
{
    s2_wr_fixed(&w, buf, sizeof(buf));
    s2_wr_u8(&w, SSH_MSG_EXT_INFO);
    s2_wr_u32(&w, count);
}

static void
pair(const char *name, const void *value, size_t value_len)
{
    s2_wr_cstr(&w, name);
    s2_wr_str(&w, value, value_len);
}

static int
end(struct s2_ext_info *e)
{
    assert_int_equal(s2_wr_ok(&w), 0);
    return parse_payload(buf, w.len, e);
}

static void
test_openssh_vector(void **state)
{
    struct s2_ext_info e;
    (void)state;
    assert_int_equal(parse_payload(openssh_ext_info, sizeof(openssh_ext_info), &e), 0);
    assert_int_equal(e.has_server_sig_algs, 1);
    assert_true(s2_rd_eq(&e.server_sig_algs, openssh_sig_algs));
    assert_int_equal(e.publickey_hostbound, 1);
    assert_int_equal(e.ping, 0);
    assert_true(s2_namelist_has((const char *)e.server_sig_algs.p, e.server_sig_algs.left,
                                "rsa-sha2-512", 12));
}

static void
test_truncations_and_trailing(void **state)
{
    struct s2_ext_info e;
    size_t n;
    (void)state;
    for (n = 1; n < sizeof(openssh_ext_info); n++) {
        memset(&e, 0x5a, sizeof(e));
        assert_int_equal(parse_payload(openssh_ext_info, n, &e), LIBSSH2_ERROR_PROTO);
        assert_int_equal(e.has_server_sig_algs, 0); /* zeroed on failure */
        assert_int_equal(e.server_sig_algs.left, 0);
    }
    memcpy(buf, openssh_ext_info, sizeof(openssh_ext_info));
    buf[sizeof(openssh_ext_info)] = 0;
    assert_int_equal(parse_payload(buf, sizeof(openssh_ext_info) + 1, &e), LIBSSH2_ERROR_PROTO);
}

static void
test_all_extensions(void **state)
{
    struct s2_ext_info e;
    (void)state;
    begin(4);
    pair("ping@openssh.com", "0", 1);
    pair("x-unknown@example.com", "\x00\xff\x01", 3); /* binary value, ignored */
    pair("server-sig-algs", "ssh-ed25519,rsa-sha2-256", 24);
    pair("publickey-hostbound@openssh.com", "0", 1);
    assert_int_equal(end(&e), 0);
    assert_int_equal(e.ping, 1);
    assert_int_equal(e.publickey_hostbound, 1);
    assert_int_equal(e.has_server_sig_algs, 1);
    assert_true(s2_rd_eq(&e.server_sig_algs, "ssh-ed25519,rsa-sha2-256"));
    /* count 0: nothing advertised */
    begin(0);
    assert_int_equal(end(&e), 0);
    assert_int_equal(e.has_server_sig_algs + e.ping + e.publickey_hostbound, 0);
    /* only unknown extensions (RFC 8308: ignore them) */
    begin(2);
    pair("no-flow-control", "p", 1);
    pair("delay-compression", "\x00\x00\x00\x04none\x00\x00\x00\x04none", 16);
    assert_int_equal(end(&e), 0);
    assert_int_equal(e.has_server_sig_algs, 0);
    assert_int_equal(e.server_sig_algs.left, 0);
    /* names compare exactly: near misses are unknown */
    begin(3);
    pair("server-sig-algs ", ",,", 2);
    pair("Server-sig-algs", ",,", 2);
    pair("server-sig-alg", ",,", 2);
    assert_int_equal(end(&e), 0);
    assert_int_equal(e.has_server_sig_algs, 0);
    /* an empty server-sig-algs: present, no names */
    begin(1);
    pair("server-sig-algs", "", 0);
    assert_int_equal(end(&e), 0);
    assert_int_equal(e.has_server_sig_algs, 1);
    assert_int_equal(e.server_sig_algs.left, 0);
}

static double
now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* K-26, CVE-2026-55199: hostile counts fail at once */
static void
test_counts(void **state)
{
    static const uint32_t counts[] = {0xffffffffu, 0x80000000u, 0x7fffffffu, 0x10000u, 3, 65};
    struct s2_ext_info e;
    size_t i;
    double t0;
    (void)state;
    for (i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
        t0 = now_s();
        memcpy(buf, openssh_ext_info, sizeof(openssh_ext_info));
        s2_put_u32(buf + 1, counts[i]);
        assert_int_equal(parse_payload(buf, sizeof(openssh_ext_info), &e), LIBSSH2_ERROR_PROTO);
        assert_true(now_s() - t0 < 0.001);
    }
    /* count 0 with pairs present: trailing bytes */
    memcpy(buf, openssh_ext_info, sizeof(openssh_ext_info));
    s2_put_u32(buf + 1, 0);
    assert_int_equal(parse_payload(buf, sizeof(openssh_ext_info), &e), LIBSSH2_ERROR_PROTO);
    /* count 1 with 2 pairs present: trailing bytes */
    s2_put_u32(buf + 1, 1);
    assert_int_equal(parse_payload(buf, sizeof(openssh_ext_info), &e), LIBSSH2_ERROR_PROTO);
    /* count 1 with no pair, and a lone count without bytes */
    begin(1);
    assert_int_equal(end(&e), LIBSSH2_ERROR_PROTO);
    /* 1 pair needs 8 bytes: 7 bytes of pairs with count 1 is PROTO */
    begin(1);
    s2_wr_raw(&w, "\0\0\0\0\0\0\0", 7);
    assert_int_equal(end(&e), LIBSSH2_ERROR_PROTO);
    /* the count cap: S2_EXT_INFO_MAX empty pairs accepted, one more not */
    begin(S2_EXT_INFO_MAX);
    for (i = 0; i < S2_EXT_INFO_MAX; i++) {
        pair("", "", 0);
    }
    assert_int_equal(end(&e), 0);
    begin(S2_EXT_INFO_MAX + 1);
    for (i = 0; i < S2_EXT_INFO_MAX + 1; i++) {
        pair("", "", 0);
    }
    assert_int_equal(end(&e), LIBSSH2_ERROR_PROTO);
}

/* string length fields: 0, past the end, 0xffffffff */
static void
test_length_fields(void **state)
{
    static const uint32_t bad[] = {0xffffffffu, 0x80000000u, 0x7fffffffu};
    struct s2_ext_info e;
    size_t name_off = 5, value_off = 5 + 4 + 15;
    size_t n = sizeof(openssh_ext_info), i;
    (void)state;
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        memcpy(buf, openssh_ext_info, n);
        s2_put_u32(buf + name_off, bad[i]);
        assert_int_equal(parse_payload(buf, n, &e), LIBSSH2_ERROR_PROTO);
        memcpy(buf, openssh_ext_info, n);
        s2_put_u32(buf + value_off, bad[i]);
        assert_int_equal(parse_payload(buf, n, &e), LIBSSH2_ERROR_PROTO);
    }
    /* value length one past the end */
    memcpy(buf, openssh_ext_info, n);
    s2_put_u32(buf + value_off, (uint32_t)(n - value_off - 4 + 1));
    assert_int_equal(parse_payload(buf, n, &e), LIBSSH2_ERROR_PROTO);
    /* value length off by one either way */
    memcpy(buf, openssh_ext_info, n);
    s2_put_u32(buf + value_off, s2_get_u32(openssh_ext_info + value_off) - 1);
    assert_int_equal(parse_payload(buf, n, &e), LIBSSH2_ERROR_PROTO);
    s2_put_u32(buf + value_off, s2_get_u32(openssh_ext_info + value_off) + 1);
    assert_int_equal(parse_payload(buf, n, &e), LIBSSH2_ERROR_PROTO);
    /* name length 0: an unknown (empty) extension, then the server-sig-algs
     * bytes no longer frame: PROTO */
    memcpy(buf, openssh_ext_info, n);
    s2_put_u32(buf + name_off, 0);
    assert_int_equal(parse_payload(buf, n, &e), LIBSSH2_ERROR_PROTO);
}

/* K-26: a 64 KiB server-sig-algs is the cap; above is PROTO */
static void
test_big_value(void **state)
{
    static char list[S2_NAMELIST_MAX + 2];
    struct s2_ext_info e;
    size_t i;
    (void)state;
    /* 64-byte names "nnn...n," filling exactly S2_NAMELIST_MAX */
    for (i = 0; i < S2_NAMELIST_MAX; i++) {
        list[i] = (i % 65 == 64) ? ',' : 'n';
    }
    list[S2_NAMELIST_MAX - 1] = 'n';
    if (list[S2_NAMELIST_MAX - 2] == ',') {
        list[S2_NAMELIST_MAX - 2] = 'n';
    }
    begin(1);
    pair("server-sig-algs", list, S2_NAMELIST_MAX);
    assert_int_equal(end(&e), 0);
    assert_int_equal(e.server_sig_algs.left, S2_NAMELIST_MAX);
    list[S2_NAMELIST_MAX] = 'n';
    begin(1);
    pair("server-sig-algs", list, S2_NAMELIST_MAX + 1);
    assert_int_equal(end(&e), LIBSSH2_ERROR_PROTO);
    /* an unknown extension with a 64 KiB+1 binary value is just skipped */
    begin(1);
    pair("x@example.com", list, S2_NAMELIST_MAX + 1);
    assert_int_equal(end(&e), 0);
}

static void
test_bad_sig_algs(void **state)
{
    static const char *const bad[] = {",,", "a,,b", ",a", "a,", "a b", "caf\xc3\xa9", "\x7f"};
    struct s2_ext_info e;
    size_t i;
    char n65[66];
    (void)state;
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        begin(1);
        pair("server-sig-algs", bad[i], strlen(bad[i]));
        assert_int_equal(end(&e), LIBSSH2_ERROR_PROTO);
    }
    memset(n65, 'n', 65);
    begin(1);
    pair("server-sig-algs", n65, 65);
    assert_int_equal(end(&e), LIBSSH2_ERROR_PROTO);
    begin(1);
    pair("server-sig-algs", n65, 64);
    assert_int_equal(end(&e), 0);
    /* a NUL inside the value */
    begin(1);
    pair("server-sig-algs", "ssh-rsa\0x", 9);
    assert_int_equal(end(&e), LIBSSH2_ERROR_PROTO);
}

/* a tracked extension twice is PROTO: no silent override (downgrade) */
static void
test_duplicates(void **state)
{
    struct s2_ext_info e;
    (void)state;
    begin(2);
    pair("server-sig-algs", "rsa-sha2-256", 12);
    pair("server-sig-algs", "ssh-rsa", 7);
    assert_int_equal(end(&e), LIBSSH2_ERROR_PROTO);
    begin(2);
    pair("ping@openssh.com", "0", 1);
    pair("ping@openssh.com", "0", 1);
    assert_int_equal(end(&e), LIBSSH2_ERROR_PROTO);
    begin(2);
    pair("publickey-hostbound@openssh.com", "0", 1);
    pair("publickey-hostbound@openssh.com", "0", 1);
    assert_int_equal(end(&e), LIBSSH2_ERROR_PROTO);
    begin(2);
    pair("x", "0", 1);
    pair("x", "0", 1);
    assert_int_equal(end(&e), 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_openssh_vector),
        cmocka_unit_test(test_truncations_and_trailing),
        cmocka_unit_test(test_all_extensions),
        cmocka_unit_test(test_counts),
        cmocka_unit_test(test_length_fields),
        cmocka_unit_test(test_big_value),
        cmocka_unit_test(test_bad_sig_algs),
        cmocka_unit_test(test_duplicates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
