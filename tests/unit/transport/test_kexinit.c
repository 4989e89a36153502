/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests for src/transport/kexinit.c: KEXINIT parse/build (RFC 4253
 * 7.1), name-list rules (RFC 4251 5, 6), negotiation and the
 * first_kex_packet_follows guess; HOSTILE-CASES K-01, K-02, K-03, K-04.
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

/* The cleartext KEXINIT payload of OpenSSH 9.2p1 (Debian 12), captured on
 * 127.0.0.1 after sending our ident; starts with the message byte 20. */
static const uint8_t openssh_kexinit[] = {
    0x14, 0xe6, 0xf7, 0xba, 0x9e, 0xf5, 0x60, 0xdc, 0x8a, 0x1a, 0x86, 0x70,
    0x8c, 0x53, 0x4e, 0xd0, 0x12, 0x00, 0x00, 0x01, 0x3d, 0x73, 0x6e, 0x74,
    0x72, 0x75, 0x70, 0x37, 0x36, 0x31, 0x78, 0x32, 0x35, 0x35, 0x31, 0x39,
    0x2d, 0x73, 0x68, 0x61, 0x35, 0x31, 0x32, 0x2c, 0x73, 0x6e, 0x74, 0x72,
    0x75, 0x70, 0x37, 0x36, 0x31, 0x78, 0x32, 0x35, 0x35, 0x31, 0x39, 0x2d,
    0x73, 0x68, 0x61, 0x35, 0x31, 0x32, 0x40, 0x6f, 0x70, 0x65, 0x6e, 0x73,
    0x73, 0x68, 0x2e, 0x63, 0x6f, 0x6d, 0x2c, 0x63, 0x75, 0x72, 0x76, 0x65,
    0x32, 0x35, 0x35, 0x31, 0x39, 0x2d, 0x73, 0x68, 0x61, 0x32, 0x35, 0x36,
    0x2c, 0x63, 0x75, 0x72, 0x76, 0x65, 0x32, 0x35, 0x35, 0x31, 0x39, 0x2d,
    0x73, 0x68, 0x61, 0x32, 0x35, 0x36, 0x40, 0x6c, 0x69, 0x62, 0x73, 0x73,
    0x68, 0x2e, 0x6f, 0x72, 0x67, 0x2c, 0x65, 0x63, 0x64, 0x68, 0x2d, 0x73,
    0x68, 0x61, 0x32, 0x2d, 0x6e, 0x69, 0x73, 0x74, 0x70, 0x32, 0x35, 0x36,
    0x2c, 0x65, 0x63, 0x64, 0x68, 0x2d, 0x73, 0x68, 0x61, 0x32, 0x2d, 0x6e,
    0x69, 0x73, 0x74, 0x70, 0x33, 0x38, 0x34, 0x2c, 0x65, 0x63, 0x64, 0x68,
    0x2d, 0x73, 0x68, 0x61, 0x32, 0x2d, 0x6e, 0x69, 0x73, 0x74, 0x70, 0x35,
    0x32, 0x31, 0x2c, 0x64, 0x69, 0x66, 0x66, 0x69, 0x65, 0x2d, 0x68, 0x65,
    0x6c, 0x6c, 0x6d, 0x61, 0x6e, 0x2d, 0x67, 0x72, 0x6f, 0x75, 0x70, 0x2d,
    0x65, 0x78, 0x63, 0x68, 0x61, 0x6e, 0x67, 0x65, 0x2d, 0x73, 0x68, 0x61,
    0x32, 0x35, 0x36, 0x2c, 0x64, 0x69, 0x66, 0x66, 0x69, 0x65, 0x2d, 0x68,
    0x65, 0x6c, 0x6c, 0x6d, 0x61, 0x6e, 0x2d, 0x67, 0x72, 0x6f, 0x75, 0x70,
    0x31, 0x36, 0x2d, 0x73, 0x68, 0x61, 0x35, 0x31, 0x32, 0x2c, 0x64, 0x69,
    0x66, 0x66, 0x69, 0x65, 0x2d, 0x68, 0x65, 0x6c, 0x6c, 0x6d, 0x61, 0x6e,
    0x2d, 0x67, 0x72, 0x6f, 0x75, 0x70, 0x31, 0x38, 0x2d, 0x73, 0x68, 0x61,
    0x35, 0x31, 0x32, 0x2c, 0x64, 0x69, 0x66, 0x66, 0x69, 0x65, 0x2d, 0x68,
    0x65, 0x6c, 0x6c, 0x6d, 0x61, 0x6e, 0x2d, 0x67, 0x72, 0x6f, 0x75, 0x70,
    0x31, 0x34, 0x2d, 0x73, 0x68, 0x61, 0x32, 0x35, 0x36, 0x2c, 0x6b, 0x65,
    0x78, 0x2d, 0x73, 0x74, 0x72, 0x69, 0x63, 0x74, 0x2d, 0x73, 0x2d, 0x76,
    0x30, 0x30, 0x40, 0x6f, 0x70, 0x65, 0x6e, 0x73, 0x73, 0x68, 0x2e, 0x63,
    0x6f, 0x6d, 0x00, 0x00, 0x00, 0x39, 0x73, 0x73, 0x68, 0x2d, 0x65, 0x64,
    0x32, 0x35, 0x35, 0x31, 0x39, 0x2c, 0x65, 0x63, 0x64, 0x73, 0x61, 0x2d,
    0x73, 0x68, 0x61, 0x32, 0x2d, 0x6e, 0x69, 0x73, 0x74, 0x70, 0x32, 0x35,
    0x36, 0x2c, 0x72, 0x73, 0x61, 0x2d, 0x73, 0x68, 0x61, 0x32, 0x2d, 0x35,
    0x31, 0x32, 0x2c, 0x72, 0x73, 0x61, 0x2d, 0x73, 0x68, 0x61, 0x32, 0x2d,
    0x32, 0x35, 0x36, 0x00, 0x00, 0x00, 0x6c, 0x63, 0x68, 0x61, 0x63, 0x68,
    0x61, 0x32, 0x30, 0x2d, 0x70, 0x6f, 0x6c, 0x79, 0x31, 0x33, 0x30, 0x35,
    0x40, 0x6f, 0x70, 0x65, 0x6e, 0x73, 0x73, 0x68, 0x2e, 0x63, 0x6f, 0x6d,
    0x2c, 0x61, 0x65, 0x73, 0x31, 0x32, 0x38, 0x2d, 0x63, 0x74, 0x72, 0x2c,
    0x61, 0x65, 0x73, 0x31, 0x39, 0x32, 0x2d, 0x63, 0x74, 0x72, 0x2c, 0x61,
    0x65, 0x73, 0x32, 0x35, 0x36, 0x2d, 0x63, 0x74, 0x72, 0x2c, 0x61, 0x65,
    0x73, 0x31, 0x32, 0x38, 0x2d, 0x67, 0x63, 0x6d, 0x40, 0x6f, 0x70, 0x65,
    0x6e, 0x73, 0x73, 0x68, 0x2e, 0x63, 0x6f, 0x6d, 0x2c, 0x61, 0x65, 0x73,
    0x32, 0x35, 0x36, 0x2d, 0x67, 0x63, 0x6d, 0x40, 0x6f, 0x70, 0x65, 0x6e,
    0x73, 0x73, 0x68, 0x2e, 0x63, 0x6f, 0x6d, 0x00, 0x00, 0x00, 0x6c, 0x63,
    0x68, 0x61, 0x63, 0x68, 0x61, 0x32, 0x30, 0x2d, 0x70, 0x6f, 0x6c, 0x79,
    0x31, 0x33, 0x30, 0x35, 0x40, 0x6f, 0x70, 0x65, 0x6e, 0x73, 0x73, 0x68,
    0x2e, 0x63, 0x6f, 0x6d, 0x2c, 0x61, 0x65, 0x73, 0x31, 0x32, 0x38, 0x2d,
    0x63, 0x74, 0x72, 0x2c, 0x61, 0x65, 0x73, 0x31, 0x39, 0x32, 0x2d, 0x63,
    0x74, 0x72, 0x2c, 0x61, 0x65, 0x73, 0x32, 0x35, 0x36, 0x2d, 0x63, 0x74,
    0x72, 0x2c, 0x61, 0x65, 0x73, 0x31, 0x32, 0x38, 0x2d, 0x67, 0x63, 0x6d,
    0x40, 0x6f, 0x70, 0x65, 0x6e, 0x73, 0x73, 0x68, 0x2e, 0x63, 0x6f, 0x6d,
    0x2c, 0x61, 0x65, 0x73, 0x32, 0x35, 0x36, 0x2d, 0x67, 0x63, 0x6d, 0x40,
    0x6f, 0x70, 0x65, 0x6e, 0x73, 0x73, 0x68, 0x2e, 0x63, 0x6f, 0x6d, 0x00,
    0x00, 0x00, 0xd5, 0x75, 0x6d, 0x61, 0x63, 0x2d, 0x36, 0x34, 0x2d, 0x65,
    0x74, 0x6d, 0x40, 0x6f, 0x70, 0x65, 0x6e, 0x73, 0x73, 0x68, 0x2e, 0x63,
    0x6f, 0x6d, 0x2c, 0x75, 0x6d, 0x61, 0x63, 0x2d, 0x31, 0x32, 0x38, 0x2d,
    0x65, 0x74, 0x6d, 0x40, 0x6f, 0x70, 0x65, 0x6e, 0x73, 0x73, 0x68, 0x2e,
    0x63, 0x6f, 0x6d, 0x2c, 0x68, 0x6d, 0x61, 0x63, 0x2d, 0x73, 0x68, 0x61,
    0x32, 0x2d, 0x32, 0x35, 0x36, 0x2d, 0x65, 0x74, 0x6d, 0x40, 0x6f, 0x70,
    0x65, 0x6e, 0x73, 0x73, 0x68, 0x2e, 0x63, 0x6f, 0x6d, 0x2c, 0x68, 0x6d,
    0x61, 0x63, 0x2d, 0x73, 0x68, 0x61, 0x32, 0x2d, 0x35, 0x31, 0x32, 0x2d,
    0x65, 0x74, 0x6d, 0x40, 0x6f, 0x70, 0x65, 0x6e, 0x73, 0x73, 0x68, 0x2e,
    0x63, 0x6f, 0x6d, 0x2c, 0x68, 0x6d, 0x61, 0x63, 0x2d, 0x73, 0x68, 0x61,
    0x31, 0x2d, 0x65, 0x74, 0x6d, 0x40, 0x6f, 0x70, 0x65, 0x6e, 0x73, 0x73,
    0x68, 0x2e, 0x63, 0x6f, 0x6d, 0x2c, 0x75, 0x6d, 0x61, 0x63, 0x2d, 0x36,
    0x34, 0x40, 0x6f, 0x70, 0x65, 0x6e, 0x73, 0x73, 0x68, 0x2e, 0x63, 0x6f,
    0x6d, 0x2c, 0x75, 0x6d, 0x61, 0x63, 0x2d, 0x31, 0x32, 0x38, 0x40, 0x6f,
    0x70, 0x65, 0x6e, 0x73, 0x73, 0x68, 0x2e, 0x63, 0x6f, 0x6d, 0x2c, 0x68,
    0x6d, 0x61, 0x63, 0x2d, 0x73, 0x68, 0x61, 0x32, 0x2d, 0x32, 0x35, 0x36,
    0x2c, 0x68, 0x6d, 0x61, 0x63, 0x2d, 0x73, 0x68, 0x61, 0x32, 0x2d, 0x35,
    0x31, 0x32, 0x2c, 0x68, 0x6d, 0x61, 0x63, 0x2d, 0x73, 0x68, 0x61, 0x31,
    0x00, 0x00, 0x00, 0xd5, 0x75, 0x6d, 0x61, 0x63, 0x2d, 0x36, 0x34, 0x2d,
    0x65, 0x74, 0x6d, 0x40, 0x6f, 0x70, 0x65, 0x6e, 0x73, 0x73, 0x68, 0x2e,
    0x63, 0x6f, 0x6d, 0x2c, 0x75, 0x6d, 0x61, 0x63, 0x2d, 0x31, 0x32, 0x38,
    0x2d, 0x65, 0x74, 0x6d, 0x40, 0x6f, 0x70, 0x65, 0x6e, 0x73, 0x73, 0x68,
    0x2e, 0x63, 0x6f, 0x6d, 0x2c, 0x68, 0x6d, 0x61, 0x63, 0x2d, 0x73, 0x68,
    0x61, 0x32, 0x2d, 0x32, 0x35, 0x36, 0x2d, 0x65, 0x74, 0x6d, 0x40, 0x6f,
    0x70, 0x65, 0x6e, 0x73, 0x73, 0x68, 0x2e, 0x63, 0x6f, 0x6d, 0x2c, 0x68,
    0x6d, 0x61, 0x63, 0x2d, 0x73, 0x68, 0x61, 0x32, 0x2d, 0x35, 0x31, 0x32,
    0x2d, 0x65, 0x74, 0x6d, 0x40, 0x6f, 0x70, 0x65, 0x6e, 0x73, 0x73, 0x68,
    0x2e, 0x63, 0x6f, 0x6d, 0x2c, 0x68, 0x6d, 0x61, 0x63, 0x2d, 0x73, 0x68,
    0x61, 0x31, 0x2d, 0x65, 0x74, 0x6d, 0x40, 0x6f, 0x70, 0x65, 0x6e, 0x73,
    0x73, 0x68, 0x2e, 0x63, 0x6f, 0x6d, 0x2c, 0x75, 0x6d, 0x61, 0x63, 0x2d,
    0x36, 0x34, 0x40, 0x6f, 0x70, 0x65, 0x6e, 0x73, 0x73, 0x68, 0x2e, 0x63,
    0x6f, 0x6d, 0x2c, 0x75, 0x6d, 0x61, 0x63, 0x2d, 0x31, 0x32, 0x38, 0x40,
    0x6f, 0x70, 0x65, 0x6e, 0x73, 0x73, 0x68, 0x2e, 0x63, 0x6f, 0x6d, 0x2c,
    0x68, 0x6d, 0x61, 0x63, 0x2d, 0x73, 0x68, 0x61, 0x32, 0x2d, 0x32, 0x35,
    0x36, 0x2c, 0x68, 0x6d, 0x61, 0x63, 0x2d, 0x73, 0x68, 0x61, 0x32, 0x2d,
    0x35, 0x31, 0x32, 0x2c, 0x68, 0x6d, 0x61, 0x63, 0x2d, 0x73, 0x68, 0x61,
    0x31, 0x00, 0x00, 0x00, 0x15, 0x6e, 0x6f, 0x6e, 0x65, 0x2c, 0x7a, 0x6c,
    0x69, 0x62, 0x40, 0x6f, 0x70, 0x65, 0x6e, 0x73, 0x73, 0x68, 0x2e, 0x63,
    0x6f, 0x6d, 0x00, 0x00, 0x00, 0x15, 0x6e, 0x6f, 0x6e, 0x65, 0x2c, 0x7a,
    0x6c, 0x69, 0x62, 0x40, 0x6f, 0x70, 0x65, 0x6e, 0x73, 0x73, 0x68, 0x2e,
    0x63, 0x6f, 0x6d, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00,
};

static const char *const openssh_lists[S2_KL_COUNT] = {
    "sntrup761x25519-sha512,sntrup761x25519-sha512@openssh.com,curve25519-sha256,"
    "curve25519-sha256@libssh.org,ecdh-sha2-nistp256,ecdh-sha2-nistp384,ecdh-sha2-nistp521,"
    "diffie-hellman-group-exchange-sha256,diffie-hellman-group16-sha512,"
    "diffie-hellman-group18-sha512,diffie-hellman-group14-sha256,kex-strict-s-v00@openssh.com",
    "ssh-ed25519,ecdsa-sha2-nistp256,rsa-sha2-512,rsa-sha2-256",
    "chacha20-poly1305@openssh.com,aes128-ctr,aes192-ctr,aes256-ctr,aes128-gcm@openssh.com,"
    "aes256-gcm@openssh.com",
    "chacha20-poly1305@openssh.com,aes128-ctr,aes192-ctr,aes256-ctr,aes128-gcm@openssh.com,"
    "aes256-gcm@openssh.com",
    "umac-64-etm@openssh.com,umac-128-etm@openssh.com,hmac-sha2-256-etm@openssh.com,"
    "hmac-sha2-512-etm@openssh.com,hmac-sha1-etm@openssh.com,umac-64@openssh.com,"
    "umac-128@openssh.com,hmac-sha2-256,hmac-sha2-512,hmac-sha1",
    "umac-64-etm@openssh.com,umac-128-etm@openssh.com,hmac-sha2-256-etm@openssh.com,"
    "hmac-sha2-512-etm@openssh.com,hmac-sha1-etm@openssh.com,umac-64@openssh.com,"
    "umac-128@openssh.com,hmac-sha2-256,hmac-sha2-512,hmac-sha1",
    "none,zlib@openssh.com",
    "none,zlib@openssh.com",
    "",
    "",
};

#define BUF_MAX (11u * (S2_NAMELIST_MAX + 8u) + 64u)
static uint8_t buf[BUF_MAX];
static char big_list[S2_NAMELIST_MAX + 16];

/* parse_payload parses |len| bytes of a payload that starts with the
 * message byte. */
static int
parse_payload(const uint8_t *p, size_t len, struct s2_kexinit *k)
{
    struct s2_rd r;
    s2_rd_init(&r, p, len);
    assert_int_equal(s2_rd_u8(&r), SSH_MSG_KEXINIT);
    return s2_kexinit_parse(&r, k);
}

/* build a payload from |lists| with s2_kexinit_build; returns its length */
static size_t
build(const char *const lists[S2_KL_COUNT])
{
    struct s2_wr w;
    static const uint8_t cookie[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    s2_wr_fixed(&w, buf, sizeof(buf));
    s2_kexinit_build(&w, cookie, lists);
    assert_int_equal(s2_wr_ok(&w), 0);
    return w.len;
}

/* one-list variation on the OpenSSH lists: list |k| replaced by |s| */
static int
parse_with(size_t k, const char *s)
{
    const char *lists[S2_KL_COUNT];
    struct s2_kexinit m;
    size_t len;
    memcpy(lists, openssh_lists, sizeof(lists));
    lists[k] = s;
    len = build(lists);
    return parse_payload(buf, len, &m);
}

static void
test_openssh_vector(void **state)
{
    struct s2_kexinit k;
    size_t i;
    (void)state;
    assert_int_equal(parse_payload(openssh_kexinit, sizeof(openssh_kexinit), &k), 0);
    assert_memory_equal(k.cookie, openssh_kexinit + 1, 16);
    for (i = 0; i < S2_KL_COUNT; i++) {
        assert_true(s2_rd_eq(&k.list[i], openssh_lists[i]));
    }
    assert_int_equal(k.first_kex_follows, 0);
    assert_int_equal(k.reserved, 0);
}

static void
test_build_roundtrip(void **state)
{
    struct s2_kexinit k;
    size_t len, i;
    (void)state;
    /* building OpenSSH's lists with its cookie gives its payload byte for byte */
    {
        struct s2_wr w;
        s2_wr_fixed(&w, buf, sizeof(buf));
        s2_kexinit_build(&w, openssh_kexinit + 1, openssh_lists);
        assert_int_equal(s2_wr_ok(&w), 0);
        assert_int_equal(w.len, sizeof(openssh_kexinit));
        assert_memory_equal(buf, openssh_kexinit, sizeof(openssh_kexinit));
    }
    /* NULL lists are written empty */
    {
        const char *lists[S2_KL_COUNT] = {"a", "b", "c", "d", "e", "f", "g", "h", NULL, NULL};
        len = build(lists);
        assert_int_equal(len, 1 + 16 + 10 * 4 + 8 + 1 + 4);
        assert_int_equal(parse_payload(buf, len, &k), 0);
        for (i = 0; i < 8; i++) {
            assert_int_equal(k.list[i].left, 1);
        }
        assert_int_equal(k.list[S2_KL_LANG_CS].left, 0);
        assert_int_equal(k.list[S2_KL_LANG_SC].left, 0);
    }
    /* a writer too small fails stickily, never overflows */
    {
        struct s2_wr w;
        uint8_t small[40];
        s2_wr_fixed(&w, small, sizeof(small));
        s2_kexinit_build(&w, openssh_kexinit + 1, openssh_lists);
        assert_int_not_equal(s2_wr_ok(&w), 0);
    }
}

static void
test_truncations(void **state)
{
    struct s2_kexinit k;
    size_t n;
    (void)state;
    for (n = 1; n < sizeof(openssh_kexinit); n++) {
        memset(&k, 0xa5, sizeof(k));
        assert_int_equal(parse_payload(openssh_kexinit, n, &k), LIBSSH2_ERROR_KEX_FAILURE);
        assert_int_equal(k.list[0].left, 0); /* zeroed on failure */
    }
}

static void
test_trailing_byte(void **state)
{
    struct s2_kexinit k;
    (void)state;
    memcpy(buf, openssh_kexinit, sizeof(openssh_kexinit));
    buf[sizeof(openssh_kexinit)] = 0;
    assert_int_equal(parse_payload(buf, sizeof(openssh_kexinit) + 1, &k),
                     LIBSSH2_ERROR_KEX_FAILURE);
}

/* K-04: first_kex_packet_follows and reserved */
static void
test_flags_and_reserved(void **state)
{
    struct s2_kexinit k;
    size_t n = sizeof(openssh_kexinit);
    (void)state;
    memcpy(buf, openssh_kexinit, n);
    buf[n - 5] = 1;
    assert_int_equal(parse_payload(buf, n, &k), 0);
    assert_int_equal(k.first_kex_follows, 1);
    buf[n - 5] = 0x80; /* any non-zero boolean is true (RFC 4251 5) */
    assert_int_equal(parse_payload(buf, n, &k), 0);
    assert_int_equal(k.first_kex_follows, 1);
    buf[n - 5] = 0;
    buf[n - 4] = 0xde;
    buf[n - 1] = 0xef;
    assert_int_equal(parse_payload(buf, n, &k), 0); /* parsed and ignored */
    assert_int_equal(k.reserved, 0xde0000efu);
    /* truncated inside reserved or before the boolean */
    assert_int_equal(parse_payload(buf, n - 1, &k), LIBSSH2_ERROR_KEX_FAILURE);
    assert_int_equal(parse_payload(buf, n - 4, &k), LIBSSH2_ERROR_KEX_FAILURE);
    assert_int_equal(parse_payload(buf, n - 5, &k), LIBSSH2_ERROR_KEX_FAILURE);
}

/* offset of the length field of list |k| in the OpenSSH payload */
static size_t
list_offset(size_t k)
{
    size_t off = 17, i;
    for (i = 0; i < k; i++) {
        off += 4 + ((size_t)openssh_kexinit[off] << 24 | (size_t)openssh_kexinit[off + 1] << 16 |
                    (size_t)openssh_kexinit[off + 2] << 8 | openssh_kexinit[off + 3]);
    }
    return off;
}

/* K-01: every list's length field set to hostile values */
static void
test_length_fields(void **state)
{
    static const uint32_t bad[] = {0x7fffffffu, 0xffffffffu, S2_NAMELIST_MAX + 1u, 0x10000000u};
    struct s2_kexinit k;
    size_t n = sizeof(openssh_kexinit);
    size_t i, j;
    (void)state;
    for (i = 0; i < S2_KL_COUNT; i++) {
        size_t off = list_offset(i);
        uint32_t len = s2_get_u32(openssh_kexinit + off);
        for (j = 0; j < sizeof(bad) / sizeof(bad[0]); j++) {
            memcpy(buf, openssh_kexinit, n);
            s2_put_u32(buf + off, bad[j]);
            assert_int_equal(parse_payload(buf, n, &k), LIBSSH2_ERROR_KEX_FAILURE);
        }
        /* length one more than the bytes remaining (K-01) */
        memcpy(buf, openssh_kexinit, n);
        s2_put_u32(buf + off, (uint32_t)(n - off - 4 + 1));
        assert_int_equal(parse_payload(buf, n, &k), LIBSSH2_ERROR_KEX_FAILURE);
        /* flip the length by one either way: the framing no longer fits */
        if (len > 0) {
            memcpy(buf, openssh_kexinit, n);
            s2_put_u32(buf + off, len - 1);
            assert_int_equal(parse_payload(buf, n, &k), LIBSSH2_ERROR_KEX_FAILURE);
        }
        memcpy(buf, openssh_kexinit, n);
        s2_put_u32(buf + off, len + 1);
        assert_int_equal(parse_payload(buf, n, &k), LIBSSH2_ERROR_KEX_FAILURE);
    }
    /* length 0 everywhere: accepted (empty lists, no match later) */
    {
        const char *empty[S2_KL_COUNT] = {"", "", "", "", "", "", "", "", "", ""};
        size_t len = build(empty);
        assert_int_equal(parse_payload(buf, len, &k), 0);
        for (i = 0; i < S2_KL_COUNT; i++) {
            assert_int_equal(k.list[i].left, 0);
        }
    }
}

/* fill big_list with |total| bytes: valid names of up to |name_len| chars,
 * then the name |last| */
static void
make_list(size_t total, size_t name_len, const char *last)
{
    size_t n = 0, l = strlen(last), gap;
    assert_true(total >= l + 2 && name_len >= 2);
    while ((gap = total - l - n) > 0) {
        size_t k = name_len;
        if (gap <= name_len + 1) {
            k = gap - 1; /* the final filler name */
        } else if (gap - (name_len + 1) == 1) {
            k = name_len - 1; /* never leave a gap of 1 (an empty name) */
        }
        memset(big_list + n, 'a' + (int)((n / (name_len + 1)) % 26), k);
        n += k;
        big_list[n++] = ',';
    }
    memcpy(big_list + n, last, l);
    n += l;
    big_list[n] = '\0';
    assert_int_equal(n, total);
    {
        struct s2_rd v;
        s2_rd_init(&v, big_list, n);
        if (n <= S2_NAMELIST_MAX) {
            assert_int_equal(s2_namelist_check(&v), 0);
        } else {
            assert_int_equal(s2_namelist_check(&v), LIBSSH2_ERROR_PROTO);
        }
    }
}

static void
test_list_caps(void **state)
{
    (void)state;
    /* exactly S2_NAMELIST_MAX: accepted; one more: rejected */
    make_list(S2_NAMELIST_MAX, 63, "x");
    assert_int_equal(parse_with(S2_KL_KEX, big_list), 0);
    make_list(S2_NAMELIST_MAX + 1, 63, "x");
    assert_int_equal(parse_with(S2_KL_KEX, big_list), LIBSSH2_ERROR_KEX_FAILURE);
    make_list(S2_NAMELIST_MAX, 63, "x");
    assert_int_equal(parse_with(S2_KL_LANG_SC, big_list), 0);
}

/* K-02: malformed names */
static void
test_bad_names(void **state)
{
    char n64[80], n65[80];
    size_t i;
    static const char *const bad[] = {
        ",,",        "a,,b",      ",a",        "a,",       ",",          "a b",
        "a\tb",      "\x7f",      "a\x80",     "caf\xc3\xa9", "a\x01",    "\x1b[0m",
        "aes128-ctr,\xff",
    };
    (void)state;
    memset(n64, 'n', 64);
    n64[64] = '\0';
    memset(n65, 'n', 65);
    n65[65] = '\0';
    for (i = 0; i < S2_KL_COUNT; i++) {
        assert_int_equal(parse_with(i, n64), 0);
        assert_int_equal(parse_with(i, n65), LIBSSH2_ERROR_KEX_FAILURE);
    }
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(parse_with(S2_KL_HOSTKEY, bad[i]), LIBSSH2_ERROR_KEX_FAILURE);
        assert_int_equal(parse_with(S2_KL_LANG_CS, bad[i]), LIBSSH2_ERROR_KEX_FAILURE);
    }
    /* a NUL inside a name */
    {
        struct s2_kexinit k;
        size_t off = list_offset(S2_KL_HOSTKEY) + 4 + 3;
        memcpy(buf, openssh_kexinit, sizeof(openssh_kexinit));
        buf[off] = 0;
        assert_int_equal(parse_payload(buf, sizeof(openssh_kexinit), &k),
                         LIBSSH2_ERROR_KEX_FAILURE);
    }
    /* s2_namelist_check directly */
    {
        struct s2_rd v;
        s2_rd_init(&v, "a,b", 3);
        assert_int_equal(s2_namelist_check(&v), 0);
        assert_int_equal(v.left, 3); /* not consumed */
        s2_rd_init(&v, "", 0);
        assert_int_equal(s2_namelist_check(&v), 0);
        s2_rd_init(&v, "a,,b", 4);
        assert_int_equal(s2_namelist_check(&v), LIBSSH2_ERROR_PROTO);
    }
}

static double
now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* K-02: a 30 KB list is parsed and negotiated in linear time */
static void
test_30k_list(void **state)
{
    const char *lists[S2_KL_COUNT];
    struct s2_kexinit k;
    char out[S2_NAME_MAX + 1];
    size_t len;
    double t0;
    (void)state;
    make_list(30 * 1024, 20, "curve25519-sha256");
    memcpy(lists, openssh_lists, sizeof(lists));
    lists[S2_KL_KEX] = big_list;
    len = build(lists);
    t0 = now_s();
    assert_int_equal(parse_payload(buf, len, &k), 0);
    assert_int_equal(k.list[S2_KL_KEX].left, 30 * 1024);
    assert_int_equal(s2_kex_negotiate("mlkem768x25519-sha256,curve25519-sha256,ext-info-c",
                                      &k.list[S2_KL_KEX], out, sizeof(out)),
                     0);
    assert_string_equal(out, "curve25519-sha256");
    assert_int_equal(s2_kex_negotiate("x,y,z", &k.list[S2_KL_KEX], out, sizeof(out)),
                     LIBSSH2_ERROR_KEX_FAILURE);
    assert_true(now_s() - t0 < 0.5);
}

static int
negotiate(const char *ours, const char *theirs, char *out, size_t out_max)
{
    struct s2_rd v;
    s2_rd_init(&v, theirs, strlen(theirs));
    return s2_kex_negotiate(ours, &v, out, out_max);
}

static void
test_negotiate(void **state)
{
    struct s2_kexinit k;
    char out[S2_NAME_MAX + 1];
    (void)state;
    /* client order wins (RFC 4253 7.1) */
    assert_int_equal(negotiate("b,a", "a,b", out, sizeof(out)), 0);
    assert_string_equal(out, "b");
    assert_int_equal(negotiate("a,b", "b,a", out, sizeof(out)), 0);
    assert_string_equal(out, "a");
    assert_int_equal(negotiate("x,y,b", "a,b,c", out, sizeof(out)), 0);
    assert_string_equal(out, "b");
    /* exact names only: prefixes and suffixes do not match */
    assert_int_equal(negotiate("aes128", "aes128-ctr", out, sizeof(out)),
                     LIBSSH2_ERROR_KEX_FAILURE);
    assert_int_equal(negotiate("aes128-ctr-x,aes128-ct", "aes128-ctr", out, sizeof(out)),
                     LIBSSH2_ERROR_KEX_FAILURE);
    /* K-03: nothing in common, or an empty side */
    assert_int_equal(negotiate("a,b", "c,d", out, sizeof(out)), LIBSSH2_ERROR_KEX_FAILURE);
    assert_int_equal(negotiate("a", "", out, sizeof(out)), LIBSSH2_ERROR_KEX_FAILURE);
    assert_int_equal(negotiate("", "a", out, sizeof(out)), LIBSSH2_ERROR_KEX_FAILURE);
    assert_int_equal(negotiate("", "", out, sizeof(out)), LIBSSH2_ERROR_KEX_FAILURE);
    /* empty names on our side are skipped, never matched */
    assert_int_equal(negotiate(",,a,", "a", out, sizeof(out)), 0);
    assert_string_equal(out, "a");
    /* |out| too small for the chosen name */
    assert_int_equal(negotiate("abcd", "abcd", out, 4), LIBSSH2_ERROR_BUFFER_TOO_SMALL);
    assert_int_equal(negotiate("abcd", "abcd", out, 5), 0);
    assert_string_equal(out, "abcd");
    /* against the real OpenSSH lists */
    assert_int_equal(parse_payload(openssh_kexinit, sizeof(openssh_kexinit), &k), 0);
    assert_int_equal(s2_kex_negotiate("curve25519-sha256,curve25519-sha256@libssh.org,"
                                      "ecdh-sha2-nistp256,ext-info-c,"
                                      "kex-strict-c-v00@openssh.com",
                                      &k.list[S2_KL_KEX], out, sizeof(out)),
                     0);
    assert_string_equal(out, "curve25519-sha256");
    assert_int_equal(s2_kex_negotiate("rsa-sha2-256,ssh-ed25519", &k.list[S2_KL_HOSTKEY], out,
                                      sizeof(out)),
                     0);
    assert_string_equal(out, "rsa-sha2-256");
    assert_int_equal(s2_kex_negotiate("aes256-ctr,chacha20-poly1305@openssh.com",
                                      &k.list[S2_KL_ENC_SC], out, sizeof(out)),
                     0);
    assert_string_equal(out, "aes256-ctr");
    assert_int_equal(s2_kex_negotiate("ssh-dss,ssh-rsa", &k.list[S2_KL_HOSTKEY], out,
                                      sizeof(out)),
                     LIBSSH2_ERROR_KEX_FAILURE);
    assert_int_equal(s2_kex_negotiate("none", &k.list[S2_KL_COMP_CS], out, sizeof(out)), 0);
    assert_string_equal(out, "none");
    assert_int_equal(s2_kex_negotiate("", &k.list[S2_KL_LANG_CS], out, sizeof(out)),
                     LIBSSH2_ERROR_KEX_FAILURE);
    /* |theirs| is not consumed */
    assert_true(s2_rd_eq(&k.list[S2_KL_HOSTKEY], openssh_lists[S2_KL_HOSTKEY]));
}

static void
test_guess(void **state)
{
    struct s2_kexinit k;
    (void)state;
    assert_int_equal(parse_payload(openssh_kexinit, sizeof(openssh_kexinit), &k), 0);
    assert_int_equal(s2_kex_guess_ok("sntrup761x25519-sha512,curve25519-sha256",
                                     "ssh-ed25519,rsa-sha2-256", &k),
                     1);
    assert_int_equal(s2_kex_guess_ok("sntrup761x25519-sha512", "ssh-ed25519", &k), 1);
    /* first KEX name differs */
    assert_int_equal(s2_kex_guess_ok("curve25519-sha256,sntrup761x25519-sha512",
                                     "ssh-ed25519", &k),
                     0);
    /* first host key name differs */
    assert_int_equal(s2_kex_guess_ok("sntrup761x25519-sha512", "rsa-sha2-256,ssh-ed25519", &k),
                     0);
    /* prefixes of the first name do not count */
    assert_int_equal(s2_kex_guess_ok("sntrup761x25519", "ssh-ed25519", &k), 0);
    assert_int_equal(s2_kex_guess_ok("sntrup761x25519-sha512@openssh.com", "ssh-ed25519", &k),
                     0);
    assert_int_equal(s2_kex_guess_ok("sntrup761x25519-sha512", "ssh-ed25519-x", &k), 0);
    assert_int_equal(s2_kex_guess_ok("", "ssh-ed25519", &k), 0);
    /* empty lists on their side */
    {
        const char *lists[S2_KL_COUNT] = {"", "", "", "", "", "", "", "", "", ""};
        size_t len = build(lists);
        assert_int_equal(parse_payload(buf, len, &k), 0);
        assert_int_equal(s2_kex_guess_ok("a", "b", &k), 0);
        assert_int_equal(s2_kex_guess_ok("", "", &k), 0);
    }
    {
        const char *lists[S2_KL_COUNT] = {"k1", "h1,h2", "", "", "", "", "", "", "", ""};
        size_t len = build(lists);
        assert_int_equal(parse_payload(buf, len, &k), 0);
        assert_int_equal(s2_kex_guess_ok("k1,k2", "h1", &k), 1);
        assert_int_equal(s2_kex_guess_ok("k1", "h2,h1", &k), 0);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_openssh_vector),
        cmocka_unit_test(test_build_roundtrip),
        cmocka_unit_test(test_truncations),
        cmocka_unit_test(test_trailing_byte),
        cmocka_unit_test(test_flags_and_reserved),
        cmocka_unit_test(test_length_fields),
        cmocka_unit_test(test_list_caps),
        cmocka_unit_test(test_bad_names),
        cmocka_unit_test(test_30k_list),
        cmocka_unit_test(test_negotiate),
        cmocka_unit_test(test_guess),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
