/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests for known_hosts: the line parser and formatter
 * (src/keys/knownhost.c) and the libssh2_knownhost_* API
 * (src/api/knownhost_api.c). Vectors are lines written by OpenSSH 9.2's
 * ssh-keygen (plain, and hashed with "ssh-keygen -H") for every key type.
 * HOSTILE-CASES KH-01..KH-08 and H-12 are named where they are covered.
 */
#define LIBSSH2_DISABLE_DEPRECATION 1 /* the test calls libssh2_knownhost_add */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <cmocka.h>

#include "failalloc.h"
#include "keys/keys.h"
#include "libssh2.h"

/* Keys and hashed names as OpenSSH wrote them; the hashes are of
 * "example.com". */
#define KEY_ECDSA256                                                                               \
    "AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBGBYE1ukTAb/jZo6ccR3pCZDAdXt/w1oHepJOXV"  \
    "Lzn+Fzb47GFYesHEIwD8oH9Ty6LKugAnexAQytNCIl/FpVtk="
#define HASHED_ECDSA256 "|1|KXad6cyGbRpQAWQRtsNVUiVbvAw=|G/BVOCxIekqnP3tXvoDUGnjLkvw="
#define KEY_ECDSA384                                                                               \
    "AAAAE2VjZHNhLXNoYTItbmlzdHAzODQAAAAIbmlzdHAzODQAAABhBAQIyk9NjxFGBfRt3H0L8EI1sE9XArZ4vhm+hMM"  \
    "Tikv5Ns/En1XGyvPc7ASKbuy3ws5CoiPHFh+X4UZZ1u7UoZAP9UncTRrt243z8l+3rBuqRiwXWMBDrPa+pd1SBrjbKw"  \
    "=="
#define HASHED_ECDSA384 "|1|ANxxTIZBjCwqIF5o4ozRVz1erFw=|NZjs9EL1uSyV1OySe02zdV4REbQ="
#define KEY_ECDSA521                                                                               \
    "AAAAE2VjZHNhLXNoYTItbmlzdHA1MjEAAAAIbmlzdHA1MjEAAACFBAC7EEnFC9s1FLdogfU90sr0QNGQJgMeLQ1DsT/"  \
    "2K5UY5RAs2R5JLrt/wLly+eX+kxvbQvUxOeyizucZeWVEDGKOIgEpXEQKRqiR54/w1P6grog1zfQGAs1cTy2mxZv7Sq"  \
    "JyJrSFEWpjgehep30/z5HX4BazNvQQngp+jX7+eljWKlRldQ=="
#define HASHED_ECDSA521 "|1|qXUNI6EzVWoKTa99+hdVb/7ipUM=|vF3RAjZ7/MiwvHlEtppwI0sizDo="
#define KEY_ED25519     "AAAAC3NzaC1lZDI1NTE5AAAAIClIofO7TMDnSiiHxBe0aPWVsKDiWiMANrzq7IiBEkjR"
#define HASHED_ED25519  "|1|bJkhJnwQ9R2Rk7FZN3rQyC3o9so=|xwPupx80wo+pGdKWiJvOxJgnPaA="
#define KEY_RSA                                                                                    \
    "AAAAB3NzaC1yc2EAAAADAQABAAABAQDN2Gr6l7+WdTQAc2YpbjnaXgcz7Lo4MYilHD6AKArCg42N7+F0fkn+s+9nJkR"  \
    "blAFx1vCuI1njUtEWHumjHt8VdyvgYcEMjQOfNCrzLVkWgNYkAmPIvWYrf9/buoQEjZLL268INZzV3CLbh+QZ8Zm82C"  \
    "UOcMZaI+g4gIKrc+6wSjt2IS/TP1uBf8ZnlS7tRngZoNkwEKFbMoy+CXaCRRK6D6a/0DSbU6vUQRBgUo2iaNgMIr+qv"  \
    "GbcxOsVKkxrc6D9wGcC7Eol2wRGyO0jFBfFbGGxTyrTV6sBe4EFQI4c0CcYZBJfzUrWpU8H0hk6K83Ty2UXLq5Ktllq"  \
    "FLz8Vlfz"
#define HASHED_RSA    "|1|vm+RaAhvY/uK7rVv4JHTRrtZhuc=|zrBSzJ+yWPZ7tTH4lF8jUq9hoj0="
#define KEY_ED25519_B "AAAAC3NzaC1lZDI1NTE5AAAAIImk+cr5d0/zM1VWKgxLmF7obcLMta+gdyqkz0QgTnwX"
/* sk-ssh-ed25519@openssh.com: a type libssh2 has no KEY_* bits for */
#define KEY_SK                                                                                     \
    "AAAAGnNrLXNzaC1lZDI1NTE5QG9wZW5zc2guY29tAAAAIAABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhscHR4fAAA"  \
    "ABHNzaDo="

struct vec {
    const char *type;
    const char *key;
    const char *hashed;
    int bits;
};

static const struct vec vecs[] = {
    {"ssh-ed25519", KEY_ED25519, HASHED_ED25519, LIBSSH2_KNOWNHOST_KEY_ED25519},
    {"ecdsa-sha2-nistp256", KEY_ECDSA256, HASHED_ECDSA256, LIBSSH2_KNOWNHOST_KEY_ECDSA_256},
    {"ecdsa-sha2-nistp384", KEY_ECDSA384, HASHED_ECDSA384, LIBSSH2_KNOWNHOST_KEY_ECDSA_384},
    {"ecdsa-sha2-nistp521", KEY_ECDSA521, HASHED_ECDSA521, LIBSSH2_KNOWNHOST_KEY_ECDSA_521},
    {"ssh-rsa", KEY_RSA, HASHED_RSA, LIBSSH2_KNOWNHOST_KEY_SSHRSA},
};
#define NVECS (sizeof vecs / sizeof vecs[0])

struct fixture {
    LIBSSH2_SESSION *s;
    LIBSSH2_KNOWNHOSTS *kh;
    struct fa_state st;
};

static int
setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    fa_init(&f->st, 0);
    f->s = libssh2_session_init_ex(fa_alloc, fa_free, fa_realloc, &f->st);
    assert_non_null(f->s);
    f->kh = libssh2_knownhost_init(f->s);
    assert_non_null(f->kh);
    *state = f;
    return 0;
}

static int
teardown(void **state)
{
    struct fixture *f = *state;
    libssh2_knownhost_free(f->kh);
    libssh2_session_free(f->s);
    assert_int_equal(f->st.blocks, 0); /* nothing leaked */
    free(f);
    return 0;
}

/* decode base64 test data into |out| */
static size_t
b64(const char *text, uint8_t *out, size_t cap)
{
    struct s2_wr w;
    s2_wr_fixed(&w, out, cap);
    assert_int_equal(s2_base64_decode(&w, text, strlen(text)), 0);
    return w.len;
}

static int
count_entries(LIBSSH2_KNOWNHOSTS *kh)
{
    struct libssh2_knownhost *e = NULL;
    struct libssh2_knownhost *prev = NULL;
    int n = 0;
    while (libssh2_knownhost_get(kh, &e, prev) == 0) {
        n++;
        prev = e;
    }
    return n;
}

static struct libssh2_knownhost *
last_entry(LIBSSH2_KNOWNHOSTS *kh)
{
    struct libssh2_knownhost *e = NULL;
    struct libssh2_knownhost *prev = NULL;
    while (libssh2_knownhost_get(kh, &e, prev) == 0) {
        prev = e;
    }
    return prev;
}

static void
readline_ok(LIBSSH2_KNOWNHOSTS *kh, const char *line)
{
    assert_int_equal(
        libssh2_knownhost_readline(kh, line, strlen(line), LIBSSH2_KNOWNHOST_FILE_OPENSSH), 0);
}

/* read |line| and write it back: the bytes must be identical */
static void
roundtrip(LIBSSH2_KNOWNHOSTS *kh, const char *line)
{
    char buf[4096];
    size_t outlen = 0;
    int before = count_entries(kh);
    readline_ok(kh, line);
    assert_int_equal(count_entries(kh), before + 1);
    assert_int_equal(libssh2_knownhost_writeline(kh, last_entry(kh), buf, sizeof buf, &outlen,
                                                 LIBSSH2_KNOWNHOST_FILE_OPENSSH),
                     0);
    assert_int_equal(outlen, strlen(line));
    assert_string_equal(buf, line);
}

static int
check_b64(LIBSSH2_KNOWNHOSTS *kh, const char *host, int port, const char *key, int bits,
          struct libssh2_knownhost **store)
{
    uint8_t blob[2048];
    size_t n = b64(key, blob, sizeof blob);
    return libssh2_knownhost_checkp(
        kh, host, port, (const char *)blob, n,
        LIBSSH2_KNOWNHOST_TYPE_PLAIN | LIBSSH2_KNOWNHOST_KEYENC_RAW | bits, store);
}

/* ---- parsing and writing back ---- */

static void
test_plain_every_type(void **state)
{
    struct fixture *f = *state;
    char line[2048];
    struct libssh2_knownhost *e;
    size_t i;

    for (i = 0; i < NVECS; i++) {
        snprintf(line, sizeof line, "example.com %s %s\n", vecs[i].type, vecs[i].key);
        roundtrip(f->kh, line);
        e = last_entry(f->kh);
        assert_string_equal(e->name, "example.com");
        assert_string_equal(e->key, vecs[i].key);
        assert_int_equal(e->typemask, LIBSSH2_KNOWNHOST_TYPE_PLAIN |
                                          LIBSSH2_KNOWNHOST_KEYENC_BASE64 | vecs[i].bits);
        assert_ptr_equal(e->node, e->node); /* opaque, but set */
        assert_non_null(e->node);
    }
    for (i = 0; i < NVECS; i++) {
        struct libssh2_knownhost *st = NULL;
        assert_int_equal(check_b64(f->kh, "example.com", 22, vecs[i].key, vecs[i].bits, &st),
                         LIBSSH2_KNOWNHOST_CHECK_MATCH);
        assert_non_null(st);
        assert_string_equal(st->key, vecs[i].key);
        assert_int_equal(check_b64(f->kh, "example.org", 22, vecs[i].key, vecs[i].bits, &st),
                         LIBSSH2_KNOWNHOST_CHECK_NOTFOUND);
        assert_null(st);
    }
}

static void
test_hashed_every_type(void **state)
{
    struct fixture *f = *state;
    char line[2048];
    struct libssh2_knownhost *e;
    size_t i;

    for (i = 0; i < NVECS; i++) {
        snprintf(line, sizeof line, "%s %s %s\n", vecs[i].hashed, vecs[i].type, vecs[i].key);
        roundtrip(f->kh, line);
        e = last_entry(f->kh);
        assert_null(e->name);
        assert_int_equal(e->typemask, LIBSSH2_KNOWNHOST_TYPE_SHA1 |
                                          LIBSSH2_KNOWNHOST_KEYENC_BASE64 | vecs[i].bits);
        assert_int_equal(check_b64(f->kh, "example.com", -1, vecs[i].key, vecs[i].bits, NULL),
                         LIBSSH2_KNOWNHOST_CHECK_MATCH);
        /* OpenSSH hashes the lowercased name */
        assert_int_equal(check_b64(f->kh, "EXAMPLE.com", -1, vecs[i].key, vecs[i].bits, NULL),
                         LIBSSH2_KNOWNHOST_CHECK_MATCH);
        assert_int_equal(check_b64(f->kh, "example.co", -1, vecs[i].key, vecs[i].bits, NULL),
                         LIBSSH2_KNOWNHOST_CHECK_NOTFOUND);
    }
}

static void
test_comments_and_blank(void **state)
{
    struct fixture *f = *state;
    roundtrip(f->kh, "example.com ssh-ed25519 " KEY_ED25519 " root@host\n");
    assert_string_equal(last_entry(f->kh)->key, KEY_ED25519);
    roundtrip(f->kh, "h1 ssh-ed25519 " KEY_ED25519 " a comment with  two  spaces\n");
    readline_ok(f->kh, "# a comment line\n");
    readline_ok(f->kh, "   # indented comment\n");
    readline_ok(f->kh, "\n");
    readline_ok(f->kh, "   \t  \r\n");
    readline_ok(f->kh, "");
    assert_int_equal(count_entries(f->kh), 2);
}

static void
test_normalised_forms(void **state)
{
    struct fixture *f = *state;
    char buf[1024];
    size_t outlen;
    /* CRLF, tabs, no final newline, extra blanks: written back canonically */
    readline_ok(f->kh, "  example.com\tssh-ed25519  " KEY_ED25519 "\t c  \r\n");
    assert_int_equal(libssh2_knownhost_writeline(f->kh, last_entry(f->kh), buf, sizeof buf, &outlen,
                                                 LIBSSH2_KNOWNHOST_FILE_OPENSSH),
                     0);
    assert_string_equal(buf, "example.com ssh-ed25519 " KEY_ED25519 " c\n");
    readline_ok(f->kh, "example.com ssh-ed25519 " KEY_ED25519);
    assert_int_equal(libssh2_knownhost_writeline(f->kh, last_entry(f->kh), buf, sizeof buf, &outlen,
                                                 LIBSSH2_KNOWNHOST_FILE_OPENSSH),
                     0);
    assert_string_equal(buf, "example.com ssh-ed25519 " KEY_ED25519 "\n");
}

static void
test_markers(void **state)
{
    struct fixture *f = *state;
    struct libssh2_knownhost *st = NULL;

    roundtrip(f->kh, "@cert-authority *.example.com ssh-ed25519 " KEY_ED25519 " ca\n");
    /* a CA key is never compared with a host key (KH-03) */
    assert_int_equal(
        check_b64(f->kh, "a.example.com", -1, KEY_ED25519, LIBSSH2_KNOWNHOST_KEY_ED25519, NULL),
        LIBSSH2_KNOWNHOST_CHECK_NOTFOUND);
    roundtrip(f->kh, "a.example.com ssh-ed25519 " KEY_ED25519 "\n");
    assert_int_equal(
        check_b64(f->kh, "a.example.com", -1, KEY_ED25519, LIBSSH2_KNOWNHOST_KEY_ED25519, &st),
        LIBSSH2_KNOWNHOST_CHECK_MATCH);
    assert_string_equal(st->name, "a.example.com");
    /* a revoked key is refused even where another line accepts it */
    roundtrip(f->kh, "@revoked * ssh-ed25519 " KEY_ED25519 "\n");
    assert_int_equal(
        check_b64(f->kh, "a.example.com", -1, KEY_ED25519, LIBSSH2_KNOWNHOST_KEY_ED25519, &st),
        LIBSSH2_KNOWNHOST_CHECK_MISMATCH);
    assert_non_null(st);
    assert_string_equal(st->name, "*");
    /* with a dummy type-less key (libgit2), revoked lines do not count */
    assert_int_equal(
        check_b64(f->kh, "a.example.com", -1, KEY_ED25519_B, LIBSSH2_KNOWNHOST_KEY_ED25519, NULL),
        LIBSSH2_KNOWNHOST_CHECK_MISMATCH);
    /* unknown marker: rejected, nothing added */
    assert_int_equal(count_entries(f->kh), 3);
    assert_int_equal(libssh2_knownhost_readline(f->kh, "@trusted h ssh-ed25519 " KEY_ED25519,
                                                strlen("@trusted h ssh-ed25519 " KEY_ED25519),
                                                LIBSSH2_KNOWNHOST_FILE_OPENSSH),
                     LIBSSH2_ERROR_KNOWN_HOSTS);
    assert_int_equal(count_entries(f->kh), 3);
}

static void
test_patterns(void **state)
{
    struct fixture *f = *state;
    const int ed = LIBSSH2_KNOWNHOST_KEY_ED25519;

    roundtrip(f->kh, "a.example.com,*.test,!bad.test,10.0.0.? ssh-ed25519 " KEY_ED25519 "\n");
    assert_int_equal(check_b64(f->kh, "a.example.com", -1, KEY_ED25519, ed, NULL),
                     LIBSSH2_KNOWNHOST_CHECK_MATCH);
    assert_int_equal(check_b64(f->kh, "A.Example.COM", -1, KEY_ED25519, ed, NULL),
                     LIBSSH2_KNOWNHOST_CHECK_MATCH);
    assert_int_equal(check_b64(f->kh, "x.y.test", -1, KEY_ED25519, ed, NULL),
                     LIBSSH2_KNOWNHOST_CHECK_MATCH);
    assert_int_equal(check_b64(f->kh, "10.0.0.7", -1, KEY_ED25519, ed, NULL),
                     LIBSSH2_KNOWNHOST_CHECK_MATCH);
    assert_int_equal(check_b64(f->kh, "10.0.0.77", -1, KEY_ED25519, ed, NULL),
                     LIBSSH2_KNOWNHOST_CHECK_NOTFOUND);
    assert_int_equal(check_b64(f->kh, "bad.test", -1, KEY_ED25519, ed, NULL),
                     LIBSSH2_KNOWNHOST_CHECK_NOTFOUND);
    assert_int_equal(check_b64(f->kh, "b.example.com", -1, KEY_ED25519, ed, NULL),
                     LIBSSH2_KNOWNHOST_CHECK_NOTFOUND);
    /* the pattern matcher alone */
    {
        struct s2_rd p;
        s2_rd_init(&p, "*a*b*c", 6);
        assert_int_equal(s2_kh_match_patterns(&p, "xxaxxbxxc", 9), 1);
        assert_int_equal(s2_kh_match_patterns(&p, "xxaxxbxxcx", 10), 0);
        s2_rd_init(&p, ",,x,", 4);
        assert_int_equal(s2_kh_match_patterns(&p, "x", 1), 1);
        assert_int_equal(s2_kh_match_patterns(&p, "", 0), 0);
        s2_rd_init(&p, "*,!y", 4);
        assert_int_equal(s2_kh_match_patterns(&p, "y", 1), -1);
    }
}

static void
test_ports(void **state)
{
    struct fixture *f = *state;
    const int ed = LIBSSH2_KNOWNHOST_KEY_ED25519;
    struct libssh2_knownhost *st = NULL;

    roundtrip(f->kh, "[h.example]:2222 ssh-ed25519 " KEY_ED25519 "\n");
    roundtrip(f->kh, "[::1]:2200 ssh-ed25519 " KEY_ED25519 "\n");
    roundtrip(f->kh, "[h.example]:0 ssh-ed25519 " KEY_ED25519_B "\n"); /* KH-05 */
    roundtrip(f->kh, "[h.example]:65536 ssh-ed25519 " KEY_ED25519_B "\n");
    roundtrip(f->kh, "[h.example]:ab ssh-ed25519 " KEY_ED25519_B "\n");
    assert_int_equal(check_b64(f->kh, "h.example", 2222, KEY_ED25519, ed, &st),
                     LIBSSH2_KNOWNHOST_CHECK_MATCH);
    assert_string_equal(st->name, "[h.example]:2222");
    assert_int_equal(check_b64(f->kh, "::1", 2200, KEY_ED25519, ed, NULL),
                     LIBSSH2_KNOWNHOST_CHECK_MATCH);
    /* the port entry says nothing about port 22 or the bare name */
    assert_int_equal(check_b64(f->kh, "h.example", 22, KEY_ED25519, ed, NULL),
                     LIBSSH2_KNOWNHOST_CHECK_NOTFOUND);
    assert_int_equal(check_b64(f->kh, "h.example", -1, KEY_ED25519, ed, NULL),
                     LIBSSH2_KNOWNHOST_CHECK_NOTFOUND);
    assert_int_equal(check_b64(f->kh, "h.example", 2223, KEY_ED25519, ed, NULL),
                     LIBSSH2_KNOWNHOST_CHECK_NOTFOUND);
    /* a plain-name entry is the fallback for other ports (libssh2's rule) */
    roundtrip(f->kh, "plain.example ssh-ed25519 " KEY_ED25519 "\n");
    assert_int_equal(check_b64(f->kh, "plain.example", 2222, KEY_ED25519, ed, NULL),
                     LIBSSH2_KNOWNHOST_CHECK_MATCH);
    assert_int_equal(check_b64(f->kh, "plain.example", 22, KEY_ED25519, ed, NULL),
                     LIBSSH2_KNOWNHOST_CHECK_MATCH);
    /* a port entry with another key wins over the plain fallback */
    roundtrip(f->kh, "[plain.example]:2222 ssh-ed25519 " KEY_ED25519_B "\n");
    assert_int_equal(check_b64(f->kh, "plain.example", 2222, KEY_ED25519, ed, &st),
                     LIBSSH2_KNOWNHOST_CHECK_MISMATCH);
    assert_string_equal(st->name, "[plain.example]:2222");
    /* libssh2_knownhost_check is checkp without a port */
    {
        uint8_t blob[256];
        size_t n = b64(KEY_ED25519, blob, sizeof blob);
        assert_int_equal(libssh2_knownhost_check(f->kh, "plain.example", (const char *)blob, n,
                                                 LIBSSH2_KNOWNHOST_TYPE_PLAIN |
                                                     LIBSSH2_KNOWNHOST_KEYENC_RAW | ed,
                                                 NULL),
                         LIBSSH2_KNOWNHOST_CHECK_MATCH);
    }
}

static void
test_unknown_type(void **state)
{
    struct fixture *f = *state;
    struct libssh2_knownhost *e;
    roundtrip(f->kh, "example.com sk-ssh-ed25519@openssh.com " KEY_SK " sk\n");
    e = last_entry(f->kh);
    assert_int_equal(e->typemask & LIBSSH2_KNOWNHOST_KEY_MASK, LIBSSH2_KNOWNHOST_KEY_UNKNOWN);
    assert_int_equal(
        check_b64(f->kh, "example.com", -1, KEY_SK, LIBSSH2_KNOWNHOST_KEY_UNKNOWN, NULL),
        LIBSSH2_KNOWNHOST_CHECK_MATCH);
    /* an ed25519 query does not compare against it */
    assert_int_equal(
        check_b64(f->kh, "example.com", -1, KEY_ED25519, LIBSSH2_KNOWNHOST_KEY_ED25519, NULL),
        LIBSSH2_KNOWNHOST_CHECK_NOTFOUND);
    /* nor does an unknown query of another type name */
    assert_int_equal(
        check_b64(f->kh, "example.com", -1, KEY_ED25519, LIBSSH2_KNOWNHOST_KEY_UNKNOWN, NULL),
        LIBSSH2_KNOWNHOST_CHECK_NOTFOUND);
}

static void
expect_bad(LIBSSH2_KNOWNHOSTS *kh, const char *line, size_t len)
{
    int before = count_entries(kh);
    assert_int_equal(libssh2_knownhost_readline(kh, line, len, LIBSSH2_KNOWNHOST_FILE_OPENSSH),
                     LIBSSH2_ERROR_KNOWN_HOSTS);
    assert_int_equal(count_entries(kh), before);
}

static void
test_bad_lines(void **state)
{
    struct fixture *f = *state;
    static const char *const bad[] = {
        "example.com",                      /* KH-01 one token */
        "example.com ssh-ed25519",          /* no key */
        "example.com ssh-ed25519 AAAA!AAA", /* bad base64 */
        "example.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIClIofO7TMDnSiiHxBe0aPWVsKDiWiM",
        "example.com ssh-rsa " KEY_ED25519,              /* type mismatch */
        "example.com ecdsa-sha2-nistp256 " KEY_ECDSA384, /* type mismatch */
        "example.com ssh-ed25519 " KEY_ED25519 "AAAA",   /* trailing blob bytes */
        "@cert-authority",                               /* marker alone */
        "@revoked example.com",
        "@ example.com ssh-ed25519 " KEY_ED25519,
        "|1|bJkhJnwQ9R2Rk7FZN3rQyC3o9so= ssh-ed25519 " KEY_ED25519, /* KH-02 no '|' */
        "|1|bJkhJnwQ9R2Rk7FZN3rQyC3o9w==|xwPupx80wo+pGdKWiJvOxJgnPaA= ssh-ed25519 " KEY_ED25519,
        "|1|bJkhJnwQ9R2Rk7FZN3rQyC3o9so=|xwPupx80wo+pGdKWiJvOxJgnPaA=AA ssh-ed25519 " KEY_ED25519,
        "|1|bJkhJnwQ9R2R!7FZN3rQyC3o9so=|xwPupx80wo+pGdKWiJvOxJgnPaA= ssh-ed25519 " KEY_ED25519,
        "|2|bJkhJnwQ9R2Rk7FZN3rQyC3o9so=|xwPupx80wo+pGdKWiJvOxJgnPaA= ssh-ed25519 " KEY_ED25519,
        "|1||xwPupx80wo+pGdKWiJvOxJgnPaA= ssh-ed25519 " KEY_ED25519,
        "|1|bJkhJnwQ9R2Rk7FZN3rQyC3o9so=| ssh-ed25519 " KEY_ED25519,
        "|1|bJkhJnwQ9R2Rk7FZN3rQyC3o9so=|xwPupx80wo+pGdKWiJvOxJgnPaA=| ssh-ed25519 " KEY_ED25519,
        "|",
        "example.com 2048 65537 1234567",                    /* SSH-1 RSA line */
        "example.com ssh-ed25519 " KEY_ED25519 "\r comment", /* interior CR */
        "example.com ssh-ed25519 =",
    };
    size_t i;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        expect_bad(f->kh, bad[i], strlen(bad[i]));
    }
    /* other file types */
    assert_int_equal(libssh2_knownhost_readline(f->kh, "x ssh-ed25519 " KEY_ED25519, 20, 2),
                     LIBSSH2_ERROR_METHOD_NOT_SUPPORTED);
    assert_int_equal(libssh2_knownhost_readline(NULL, "x", 1, 1), LIBSSH2_ERROR_INVAL);
    assert_int_equal(count_entries(f->kh), 0);
}

/* every truncation of a valid line fails cleanly, except those that only
 * drop optional base64 padding (KH-01, STYLE section 9) */
static void
test_truncations(void **state)
{
    struct fixture *f = *state;
    char line[2048];
    size_t i;
    size_t n;
    size_t len;
    size_t full;
    int rc;

    for (i = 0; i < NVECS; i++) {
        snprintf(line, sizeof line, "%s %s %s", vecs[i].hashed, vecs[i].type, vecs[i].key);
        len = strlen(line);
        full = len;
        while (full > 0 && line[full - 1] == '=') {
            full--;
        }
        for (n = 0; n < len; n++) {
            char *copy = malloc(n == 0 ? 1 : n); /* exact size: ASan sees over-reads */
            assert_non_null(copy);
            memcpy(copy, line, n);
            rc = libssh2_knownhost_readline(f->kh, copy, n, LIBSSH2_KNOWNHOST_FILE_OPENSSH);
            if (n == 0) {
                assert_int_equal(rc, 0); /* an empty line */
            } else if (n == full) {      /* only all the padding dropped */
                assert_int_equal(rc, 0);
            } else {
                assert_int_equal(rc, LIBSSH2_ERROR_KNOWN_HOSTS);
            }
            free(copy);
        }
    }
}

static void
test_long_and_nul(void **state)
{
    struct fixture *f = *state;
    size_t big = 64u * 1024u + 100u;
    size_t pre;
    char *line = malloc(S2_KH_LINE_MAX + 2u);
    char buf[64];
    size_t outlen = 0;

    assert_non_null(line);
    /* KH-04: a 64 KiB comment is fine */
    pre = (size_t)snprintf(line, 200, "example.com ssh-ed25519 %s ", KEY_ED25519);
    memset(line + pre, 'c', big - pre);
    line[big] = '\n';
    assert_int_equal(
        libssh2_knownhost_readline(f->kh, line, big + 1, LIBSSH2_KNOWNHOST_FILE_OPENSSH), 0);
    /* writeline into a small buffer: BUFFER_TOO_SMALL with the size needed */
    assert_int_equal(libssh2_knownhost_writeline(f->kh, last_entry(f->kh), buf, sizeof buf, &outlen,
                                                 LIBSSH2_KNOWNHOST_FILE_OPENSSH),
                     LIBSSH2_ERROR_BUFFER_TOO_SMALL);
    assert_int_equal(outlen, big + 2);
    /* longer than the cap: refused */
    memset(line + pre, 'c', S2_KH_LINE_MAX + 1u - pre);
    expect_bad(f->kh, line, S2_KH_LINE_MAX + 1u);
    /* a NUL ends the line; nothing after it is read */
    memcpy(line, "example.com ssh-ed25519 " KEY_ED25519 "\0garbage garbage garbage",
           sizeof("example.com ssh-ed25519 " KEY_ED25519 "\0garbage garbage garbage"));
    assert_int_equal(
        libssh2_knownhost_readline(
            f->kh, line,
            sizeof("example.com ssh-ed25519 " KEY_ED25519 "\0garbage garbage garbage") - 1,
            LIBSSH2_KNOWNHOST_FILE_OPENSSH),
        0);
    assert_string_equal(last_entry(f->kh)->key, KEY_ED25519);
    free(line);
}

static void
test_writeline_sizes(void **state)
{
    struct fixture *f = *state;
    const char *l = "example.com ssh-ed25519 " KEY_ED25519 "\n";
    size_t len = strlen(l);
    char buf[256];
    size_t outlen = 0;
    struct libssh2_knownhost fake;

    readline_ok(f->kh, l);
    /* exactly len bytes leaves no room for the zero */
    assert_int_equal(libssh2_knownhost_writeline(f->kh, last_entry(f->kh), buf, len, &outlen,
                                                 LIBSSH2_KNOWNHOST_FILE_OPENSSH),
                     LIBSSH2_ERROR_BUFFER_TOO_SMALL);
    assert_int_equal(outlen, len + 1);
    assert_int_equal(libssh2_knownhost_writeline(f->kh, last_entry(f->kh), buf, len + 1, &outlen,
                                                 LIBSSH2_KNOWNHOST_FILE_OPENSSH),
                     0);
    assert_int_equal(outlen, len);
    assert_string_equal(buf, l);
    assert_int_equal(
        libssh2_knownhost_writeline(f->kh, last_entry(f->kh), buf, sizeof buf, &outlen, 7),
        LIBSSH2_ERROR_METHOD_NOT_SUPPORTED);
    memset(&fake, 0, sizeof fake);
    assert_int_equal(libssh2_knownhost_writeline(f->kh, &fake, buf, sizeof buf, &outlen,
                                                 LIBSSH2_KNOWNHOST_FILE_OPENSSH),
                     LIBSSH2_ERROR_INVAL);
}

/* ---- adding ---- */

static void
test_addc_every_type(void **state)
{
    struct fixture *f = *state;
    uint8_t blob[1024];
    char buf[2048];
    char want[2048];
    size_t n;
    size_t outlen;
    size_t i;
    struct libssh2_knownhost *e = NULL;

    for (i = 0; i < NVECS; i++) {
        n = b64(vecs[i].key, blob, sizeof blob);
        assert_int_equal(
            libssh2_knownhost_addc(
                f->kh, "[127.0.0.1]:2222", NULL, (const char *)blob, n, "added", 5,
                LIBSSH2_KNOWNHOST_TYPE_PLAIN | LIBSSH2_KNOWNHOST_KEYENC_RAW | vecs[i].bits, &e),
            0);
        assert_non_null(e);
        assert_string_equal(e->name, "[127.0.0.1]:2222");
        assert_string_equal(e->key, vecs[i].key);
        assert_int_equal(libssh2_knownhost_writeline(f->kh, e, buf, sizeof buf, &outlen,
                                                     LIBSSH2_KNOWNHOST_FILE_OPENSSH),
                         0);
        snprintf(want, sizeof want, "[127.0.0.1]:2222 %s %s added\n", vecs[i].type, vecs[i].key);
        assert_string_equal(buf, want);
        assert_int_equal(check_b64(f->kh, "127.0.0.1", 2222, vecs[i].key, vecs[i].bits, NULL),
                         LIBSSH2_KNOWNHOST_CHECK_MATCH);
        /* base64 input, deprecated add, no comment */
        assert_int_equal(libssh2_knownhost_add(f->kh, "b64.example", NULL, vecs[i].key, 0,
                                               LIBSSH2_KNOWNHOST_TYPE_PLAIN |
                                                   LIBSSH2_KNOWNHOST_KEYENC_BASE64 | vecs[i].bits,
                                               &e),
                         0);
        assert_int_equal(libssh2_knownhost_writeline(f->kh, e, buf, sizeof buf, &outlen,
                                                     LIBSSH2_KNOWNHOST_FILE_OPENSSH),
                         0);
        snprintf(want, sizeof want, "b64.example %s %s\n", vecs[i].type, vecs[i].key);
        assert_string_equal(buf, want);
        /* hashed: salt and hash as base64, as ssh-keygen -H wrote them */
        {
            char salt[64];
            char hash[64];
            const char *p = vecs[i].hashed + 3;
            const char *bar = strchr(p, '|');
            memcpy(salt, p, (size_t)(bar - p));
            salt[bar - p] = '\0';
            strcpy(hash, bar + 1);
            assert_int_equal(libssh2_knownhost_addc(f->kh, hash, salt, vecs[i].key, 0, NULL, 0,
                                                    LIBSSH2_KNOWNHOST_TYPE_SHA1 |
                                                        LIBSSH2_KNOWNHOST_KEYENC_BASE64 |
                                                        vecs[i].bits,
                                                    &e),
                             0);
            assert_null(e->name);
            assert_int_equal(libssh2_knownhost_writeline(f->kh, e, buf, sizeof buf, &outlen,
                                                         LIBSSH2_KNOWNHOST_FILE_OPENSSH),
                             0);
            snprintf(want, sizeof want, "%s %s %s\n", vecs[i].hashed, vecs[i].type, vecs[i].key);
            assert_string_equal(buf, want);
        }
    }
    /* key type bits 0: taken from the blob */
    n = b64(KEY_ED25519, blob, sizeof blob);
    assert_int_equal(
        libssh2_knownhost_addc(f->kh, "nobits", NULL, (const char *)blob, n, NULL, 0,
                               LIBSSH2_KNOWNHOST_TYPE_PLAIN | LIBSSH2_KNOWNHOST_KEYENC_RAW, &e),
        0);
    assert_int_equal(e->typemask & LIBSSH2_KNOWNHOST_KEY_MASK, LIBSSH2_KNOWNHOST_KEY_ED25519);
    assert_int_equal(count_entries(f->kh), (int)(3 * NVECS + 1));
}

static void
test_addc_errors(void **state)
{
    struct fixture *f = *state;
    uint8_t blob[256];
    size_t n = b64(KEY_ED25519, blob, sizeof blob);
    const int raw = LIBSSH2_KNOWNHOST_TYPE_PLAIN | LIBSSH2_KNOWNHOST_KEYENC_RAW;

    /* bits that contradict the blob */
    assert_int_equal(libssh2_knownhost_addc(f->kh, "h", NULL, (const char *)blob, n, NULL, 0,
                                            raw | LIBSSH2_KNOWNHOST_KEY_SSHRSA, NULL),
                     LIBSSH2_ERROR_INVAL);
    /* SSH-1 keys are not supported */
    assert_int_equal(libssh2_knownhost_addc(f->kh, "h", NULL, (const char *)blob, n, NULL, 0,
                                            raw | LIBSSH2_KNOWNHOST_KEY_RSA1, NULL),
                     LIBSSH2_ERROR_METHOD_NOT_SUPPORTED);
    /* host names that would break the line */
    assert_int_equal(libssh2_knownhost_addc(f->kh, "a b", NULL, (const char *)blob, n, NULL, 0,
                                            raw | LIBSSH2_KNOWNHOST_KEY_ED25519, NULL),
                     LIBSSH2_ERROR_INVAL);
    assert_int_equal(libssh2_knownhost_addc(f->kh, "", NULL, (const char *)blob, n, NULL, 0,
                                            raw | LIBSSH2_KNOWNHOST_KEY_ED25519, NULL),
                     LIBSSH2_ERROR_INVAL);
    assert_int_equal(libssh2_knownhost_addc(f->kh, "h", NULL, (const char *)blob, n, "a\nb", 3,
                                            raw | LIBSSH2_KNOWNHOST_KEY_ED25519, NULL),
                     LIBSSH2_ERROR_INVAL);
    /* hashed without salt, or with a short salt */
    assert_int_equal(libssh2_knownhost_addc(
                         f->kh, "xwPupx80wo+pGdKWiJvOxJgnPaA=", NULL, (const char *)blob, n, NULL,
                         0, LIBSSH2_KNOWNHOST_TYPE_SHA1 | LIBSSH2_KNOWNHOST_KEYENC_RAW, NULL),
                     LIBSSH2_ERROR_INVAL);
    assert_int_equal(libssh2_knownhost_addc(
                         f->kh, "xwPupx80wo+pGdKWiJvOxJgnPaA=", "AAAA", (const char *)blob, n, NULL,
                         0, LIBSSH2_KNOWNHOST_TYPE_SHA1 | LIBSSH2_KNOWNHOST_KEYENC_RAW, NULL),
                     LIBSSH2_ERROR_INVAL);
    /* bad base64 key, empty raw key, unknown host type */
    assert_int_equal(libssh2_knownhost_addc(
                         f->kh, "h", NULL, "!!!!", 0, NULL, 0,
                         LIBSSH2_KNOWNHOST_TYPE_PLAIN | LIBSSH2_KNOWNHOST_KEYENC_BASE64, NULL),
                     LIBSSH2_ERROR_INVAL);
    assert_int_equal(
        libssh2_knownhost_addc(f->kh, "h", NULL, (const char *)blob, 0, NULL, 0, raw, NULL),
        LIBSSH2_ERROR_INVAL);
    assert_int_equal(libssh2_knownhost_addc(f->kh, "h", NULL, (const char *)blob, n, NULL, 0,
                                            9 | LIBSSH2_KNOWNHOST_KEYENC_RAW, NULL),
                     LIBSSH2_ERROR_INVAL);
    assert_int_equal(
        libssh2_knownhost_addc(f->kh, NULL, NULL, (const char *)blob, n, NULL, 0, raw, NULL),
        LIBSSH2_ERROR_INVAL);
    assert_int_equal(count_entries(f->kh), 0);
}

/* ---- check semantics ---- */

static void
test_check_semantics(void **state)
{
    struct fixture *f = *state;
    struct libssh2_knownhost *st = NULL;
    const int ed = LIBSSH2_KNOWNHOST_KEY_ED25519;
    const char dummy = 0;

    readline_ok(f->kh, "example.com ecdsa-sha2-nistp256 " KEY_ECDSA256 "\n");
    readline_ok(f->kh, "example.com ssh-ed25519 " KEY_ED25519 "\n");

    /* same type, other key: MISMATCH with the entry; a flipped byte too */
    assert_int_equal(check_b64(f->kh, "example.com", -1, KEY_ED25519_B, ed, &st),
                     LIBSSH2_KNOWNHOST_CHECK_MISMATCH);
    assert_non_null(st);
    assert_string_equal(st->key, KEY_ED25519);
    {
        uint8_t blob[256];
        size_t n = b64(KEY_ED25519, blob, sizeof blob);
        blob[n - 1] ^= 1;
        assert_int_equal(libssh2_knownhost_checkp(f->kh, "example.com", 22, (const char *)blob, n,
                                                  LIBSSH2_KNOWNHOST_TYPE_PLAIN |
                                                      LIBSSH2_KNOWNHOST_KEYENC_RAW | ed,
                                                  NULL),
                         LIBSSH2_KNOWNHOST_CHECK_MISMATCH);
    }
    /* a type the host has no entry for: NOTFOUND (KH-06, libssh2's rule) */
    assert_int_equal(
        check_b64(f->kh, "example.com", -1, KEY_RSA, LIBSSH2_KNOWNHOST_KEY_SSHRSA, &st),
        LIBSSH2_KNOWNHOST_CHECK_NOTFOUND);
    assert_null(st);
    /* libgit2: a 1-byte dummy key without type bits reports the first
     * entry's type through MISMATCH */
    assert_int_equal(
        libssh2_knownhost_checkp(f->kh, "example.com", 22, &dummy, 1,
                                 LIBSSH2_KNOWNHOST_TYPE_PLAIN | LIBSSH2_KNOWNHOST_KEYENC_RAW, &st),
        LIBSSH2_KNOWNHOST_CHECK_MISMATCH);
    assert_int_equal(st->typemask & LIBSSH2_KNOWNHOST_KEY_MASK, LIBSSH2_KNOWNHOST_KEY_ECDSA_256);
    assert_int_equal(
        libssh2_knownhost_checkp(f->kh, "other.com", 22, &dummy, 1,
                                 LIBSSH2_KNOWNHOST_TYPE_PLAIN | LIBSSH2_KNOWNHOST_KEYENC_RAW, &st),
        LIBSSH2_KNOWNHOST_CHECK_NOTFOUND);
    /* the key as base64 text */
    assert_int_equal(libssh2_knownhost_checkp(
                         f->kh, "example.com", 22, KEY_ED25519, 0,
                         LIBSSH2_KNOWNHOST_TYPE_PLAIN | LIBSSH2_KNOWNHOST_KEYENC_BASE64 | ed, NULL),
                     LIBSSH2_KNOWNHOST_CHECK_MATCH);
    assert_int_equal(libssh2_knownhost_checkp(
                         f->kh, "example.com", 22, "!!", 0,
                         LIBSSH2_KNOWNHOST_TYPE_PLAIN | LIBSSH2_KNOWNHOST_KEYENC_BASE64 | ed, NULL),
                     LIBSSH2_KNOWNHOST_CHECK_FAILURE);
    /* misuse */
    assert_int_equal(libssh2_knownhost_checkp(NULL, "example.com", 22, KEY_ED25519, 0, 0, NULL),
                     LIBSSH2_KNOWNHOST_CHECK_FAILURE);
    assert_int_equal(libssh2_knownhost_checkp(f->kh, NULL, 22, KEY_ED25519, 0, 0, NULL),
                     LIBSSH2_KNOWNHOST_CHECK_FAILURE);
    assert_int_equal(libssh2_knownhost_checkp(f->kh, "example.com", 22, KEY_ED25519, 0,
                                              LIBSSH2_KNOWNHOST_TYPE_SHA1, NULL),
                     LIBSSH2_KNOWNHOST_CHECK_FAILURE);
}

/* ---- iteration and deletion ---- */

static void
test_get_del(void **state)
{
    struct fixture *f = *state;
    struct libssh2_knownhost *a = NULL;
    struct libssh2_knownhost *b = NULL;
    struct libssh2_knownhost *c = NULL;
    struct libssh2_knownhost *x = NULL;
    struct libssh2_knownhost fake;

    assert_int_equal(libssh2_knownhost_get(f->kh, &x, NULL), 1); /* empty */
    readline_ok(f->kh, "a ssh-ed25519 " KEY_ED25519 "\n");
    readline_ok(f->kh, "b ssh-ed25519 " KEY_ED25519 "\n");
    readline_ok(f->kh, "c ssh-ed25519 " KEY_ED25519 "\n");
    assert_int_equal(libssh2_knownhost_get(f->kh, &a, NULL), 0);
    assert_int_equal(libssh2_knownhost_get(f->kh, &b, a), 0);
    assert_int_equal(libssh2_knownhost_get(f->kh, &c, b), 0);
    assert_int_equal(libssh2_knownhost_get(f->kh, &x, c), 1);
    assert_string_equal(a->name, "a");
    assert_string_equal(b->name, "b");
    assert_string_equal(c->name, "c");

    memset(&fake, 0, sizeof fake);
    assert_int_equal(libssh2_knownhost_del(f->kh, &fake), LIBSSH2_ERROR_INVAL);
    assert_int_equal(libssh2_knownhost_del(f->kh, NULL), LIBSSH2_ERROR_INVAL);
    assert_int_equal(libssh2_knownhost_get(f->kh, &x, &fake), LIBSSH2_ERROR_INVAL);

    assert_int_equal(libssh2_knownhost_del(f->kh, b), 0); /* middle */
    assert_int_equal(libssh2_knownhost_get(f->kh, &x, a), 0);
    assert_ptr_equal(x, c);
    assert_int_equal(libssh2_knownhost_del(f->kh, b), LIBSSH2_ERROR_INVAL); /* gone */
    assert_int_equal(libssh2_knownhost_del(f->kh, c), 0);                   /* last */
    assert_int_equal(libssh2_knownhost_get(f->kh, &x, a), 1);
    readline_ok(f->kh, "d ssh-ed25519 " KEY_ED25519 "\n");
    assert_int_equal(libssh2_knownhost_del(f->kh, a), 0); /* first */
    assert_int_equal(libssh2_knownhost_get(f->kh, &x, NULL), 0);
    assert_string_equal(x->name, "d");
    assert_int_equal(count_entries(f->kh), 1);
    assert_int_equal(check_b64(f->kh, "a", -1, KEY_ED25519, 0, NULL),
                     LIBSSH2_KNOWNHOST_CHECK_NOTFOUND);
}

/* ---- files ---- */

static char tmpdir[256];

static void
make_tmpdir(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/s2kh.XXXXXX");
    assert_non_null(mkdtemp(tmpdir));
}

static void
rm_tmpdir(void)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    assert_int_equal(system(cmd), 0);
}

static void
write_text(const char *path, const char *text, size_t len)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(text, 1, len, fp), len);
    assert_int_equal(fclose(fp), 0);
}

static char *
read_text(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    char *p;
    long n;
    assert_non_null(fp);
    assert_int_equal(fseek(fp, 0, SEEK_END), 0);
    n = ftell(fp);
    rewind(fp);
    p = malloc((size_t)n + 1);
    assert_non_null(p);
    assert_int_equal(fread(p, 1, (size_t)n, fp), (size_t)n);
    p[n] = '\0';
    fclose(fp);
    *len = (size_t)n;
    return p;
}

static void
test_files(void **state)
{
    struct fixture *f = *state;
    char path[512];
    char out[512];
    char *text;
    size_t len;
    struct stat st;
    static const char input[] = "# OpenSSH known_hosts\n"
                                "example.com ssh-ed25519 " KEY_ED25519 "\r\n"
                                "\n"
                                "this line is bad\n" HASHED_RSA " ssh-rsa " KEY_RSA "\n"
                                "@cert-authority *.example.com ssh-ed25519 " KEY_ED25519_B " ca\n"
                                "[h]:2222 ecdsa-sha2-nistp521 " KEY_ECDSA521; /* no final newline */
    static const char expect[] =
        "example.com ssh-ed25519 " KEY_ED25519 "\n" HASHED_RSA " ssh-rsa " KEY_RSA "\n"
        "@cert-authority *.example.com ssh-ed25519 " KEY_ED25519_B " ca\n"
        "[h]:2222 ecdsa-sha2-nistp521 " KEY_ECDSA521 "\n";

    make_tmpdir();
    snprintf(path, sizeof path, "%s/known_hosts", tmpdir);
    snprintf(out, sizeof out, "%s/out", tmpdir);
    write_text(path, input, sizeof input - 1);
    assert_int_equal(libssh2_knownhost_readfile(f->kh, path, LIBSSH2_KNOWNHOST_FILE_OPENSSH), 4);
    assert_int_equal(count_entries(f->kh), 4);
    assert_int_equal(
        check_b64(f->kh, "h", 2222, KEY_ECDSA521, LIBSSH2_KNOWNHOST_KEY_ECDSA_521, NULL),
        LIBSSH2_KNOWNHOST_CHECK_MATCH);

    /* written back: entries only, canonical, mode 0600 */
    write_text(out, "old", 3);
    assert_int_equal(chmod(out, 0644), 0);
    assert_int_equal(libssh2_knownhost_writefile(f->kh, out, LIBSSH2_KNOWNHOST_FILE_OPENSSH), 0);
    text = read_text(out, &len);
    assert_string_equal(text, expect);
    free(text);
    assert_int_equal(stat(out, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);

    /* the written file reads back to the same file */
    {
        LIBSSH2_KNOWNHOSTS *k2 = libssh2_knownhost_init(f->s);
        assert_non_null(k2);
        assert_int_equal(libssh2_knownhost_readfile(k2, out, LIBSSH2_KNOWNHOST_FILE_OPENSSH), 4);
        assert_int_equal(libssh2_knownhost_writefile(k2, path, LIBSSH2_KNOWNHOST_FILE_OPENSSH), 0);
        libssh2_knownhost_free(k2);
        text = read_text(path, &len);
        assert_string_equal(text, expect);
        free(text);
    }

    /* KH-07: not a regular file */
    assert_int_equal(libssh2_knownhost_readfile(f->kh, tmpdir, LIBSSH2_KNOWNHOST_FILE_OPENSSH),
                     LIBSSH2_ERROR_FILE);
    assert_int_equal(libssh2_knownhost_readfile(f->kh, "/dev/zero", LIBSSH2_KNOWNHOST_FILE_OPENSSH),
                     LIBSSH2_ERROR_FILE);
    snprintf(path, sizeof path, "%s/fifo", tmpdir);
    assert_int_equal(mkfifo(path, 0600), 0);
    assert_int_equal(libssh2_knownhost_readfile(f->kh, path, LIBSSH2_KNOWNHOST_FILE_OPENSSH),
                     LIBSSH2_ERROR_FILE);
    snprintf(path, sizeof path, "%s/missing", tmpdir);
    assert_int_equal(libssh2_knownhost_readfile(f->kh, path, LIBSSH2_KNOWNHOST_FILE_OPENSSH),
                     LIBSSH2_ERROR_FILE);
    assert_int_equal(libssh2_knownhost_readfile(f->kh, path, 2),
                     LIBSSH2_ERROR_METHOD_NOT_SUPPORTED);
    /* KH-08: cannot create the file: FILE, nothing left behind */
    snprintf(path, sizeof path, "%s/nodir/known_hosts", tmpdir);
    assert_int_equal(libssh2_knownhost_writefile(f->kh, path, LIBSSH2_KNOWNHOST_FILE_OPENSSH),
                     LIBSSH2_ERROR_FILE);
    /* the target is a directory: rename fails, the temp file is removed */
    snprintf(path, sizeof path, "%s/adir", tmpdir);
    assert_int_equal(mkdir(path, 0700), 0);
    assert_int_equal(libssh2_knownhost_writefile(f->kh, path, LIBSSH2_KNOWNHOST_FILE_OPENSSH),
                     LIBSSH2_ERROR_FILE);
    {
        char cmd[600];
        snprintf(cmd, sizeof cmd, "test $(ls %s | wc -l) -eq 4", tmpdir);
        assert_int_equal(system(cmd), 0); /* known_hosts out fifo adir: no temp file left */
    }
    rm_tmpdir();
}

static void
test_file_long_lines(void **state)
{
    struct fixture *f = *state;
    char path[512];
    size_t big = S2_KH_LINE_MAX + 5000u;
    size_t at = 0;
    size_t n;
    char *text = malloc(3 * big);
    static const char good[] = "a ssh-ed25519 " KEY_ED25519 "\n";

    assert_non_null(text);
    make_tmpdir();
    snprintf(path, sizeof path, "%s/kh", tmpdir);
    memcpy(text + at, good, sizeof good - 1);
    at += sizeof good - 1;
    memset(text + at, 'x', big); /* an over-long line: skipped */
    at += big;
    text[at++] = '\n';
    memcpy(text + at, good, sizeof good - 1);
    at += sizeof good - 1;
    /* a 64 KiB line that is fine (KH-04), with CRLF */
    n = (size_t)snprintf(text + at, 200, "b ssh-ed25519 %s ", KEY_ED25519);
    memset(text + at + n, 'c', 65536);
    at += n + 65536;
    text[at++] = '\r';
    text[at++] = '\n';
    write_text(path, text, at);
    assert_int_equal(libssh2_knownhost_readfile(f->kh, path, LIBSSH2_KNOWNHOST_FILE_OPENSSH), 3);
    free(text);
    rm_tmpdir();
}

/* files written by OpenSSH read back, and ours are understood by ssh-keygen */
static void
test_ssh_keygen_interop(void **state)
{
    struct fixture *f = *state;
    char path[512];
    char cmd[1400];
    uint8_t blob[2048];
    size_t n;
    size_t i;

    if (system("command -v ssh-keygen >/dev/null 2>&1") != 0) {
        skip();
    }
    make_tmpdir();
    snprintf(path, sizeof path, "%s/kh", tmpdir);
    for (i = 0; i < NVECS; i++) {
        n = b64(vecs[i].key, blob, sizeof blob);
        assert_int_equal(libssh2_knownhost_addc(f->kh, i % 2 ? "[h.example]:2022" : "h.example",
                                                NULL, (const char *)blob, n, NULL, 0,
                                                LIBSSH2_KNOWNHOST_TYPE_PLAIN |
                                                    LIBSSH2_KNOWNHOST_KEYENC_RAW | vecs[i].bits,
                                                NULL),
                         0);
    }
    assert_int_equal(libssh2_knownhost_writefile(f->kh, path, LIBSSH2_KNOWNHOST_FILE_OPENSSH), 0);
    /* ssh-keygen finds both names in our file */
    snprintf(cmd, sizeof cmd, "ssh-keygen -F h.example -f '%s' | grep -q ssh-ed25519", path);
    assert_int_equal(system(cmd), 0);
    snprintf(cmd, sizeof cmd, "ssh-keygen -F '[h.example]:2022' -f '%s' | grep -q nistp256", path);
    assert_int_equal(system(cmd), 0);
    snprintf(cmd, sizeof cmd, "ssh-keygen -F nothere.example -f '%s' >/dev/null", path);
    assert_int_not_equal(system(cmd), 0);
    /* ssh-keygen hashes it; we read the hashed file and still match */
    snprintf(cmd, sizeof cmd, "ssh-keygen -H -f '%s' >/dev/null 2>&1", path);
    assert_int_equal(system(cmd), 0);
    {
        LIBSSH2_KNOWNHOSTS *k2 = libssh2_knownhost_init(f->s);
        struct libssh2_knownhost *e = NULL;
        assert_non_null(k2);
        assert_int_equal(libssh2_knownhost_readfile(k2, path, LIBSSH2_KNOWNHOST_FILE_OPENSSH),
                         (int)NVECS);
        assert_int_equal(libssh2_knownhost_get(k2, &e, NULL), 0);
        assert_int_equal(e->typemask & LIBSSH2_KNOWNHOST_TYPE_MASK, LIBSSH2_KNOWNHOST_TYPE_SHA1);
        for (i = 0; i < NVECS; i++) {
            assert_int_equal(
                check_b64(k2, "h.example", i % 2 ? 2022 : 22, vecs[i].key, vecs[i].bits, NULL),
                LIBSSH2_KNOWNHOST_CHECK_MATCH);
            assert_int_equal(
                check_b64(k2, "h.example", i % 2 ? 22 : 2022, vecs[i].key, vecs[i].bits, NULL),
                i % 2 ? LIBSSH2_KNOWNHOST_CHECK_NOTFOUND
                      : LIBSSH2_KNOWNHOST_CHECK_MATCH /* plain fallback */);
        }
        /* and ssh-keygen -R removes what we then no longer find */
        snprintf(cmd, sizeof cmd, "ssh-keygen -R h.example -f '%s' >/dev/null 2>&1", path);
        assert_int_equal(system(cmd), 0);
        libssh2_knownhost_free(k2);
        k2 = libssh2_knownhost_init(f->s);
        assert_non_null(k2);
        assert_int_equal(libssh2_knownhost_readfile(k2, path, LIBSSH2_KNOWNHOST_FILE_OPENSSH), 2);
        libssh2_knownhost_free(k2);
    }
    rm_tmpdir();
}

/* ---- allocation failure (H-12): never MATCH, never a leak ---- */

static void
test_alloc_failure_check(void **state)
{
    struct fixture *f = *state;
    unsigned long k;
    int rc;
    int done = 0;
    size_t i;
    char line[2048];

    for (i = 0; i < NVECS; i++) {
        snprintf(line, sizeof line, "%s %s %s\n", vecs[i].hashed, vecs[i].type, vecs[i].key);
        readline_ok(f->kh, line);
        snprintf(line, sizeof line, "[example.com]:2222 %s %s\n", vecs[i].type, vecs[i].key);
        readline_ok(f->kh, line);
    }
    for (k = 1; !done && k < 100; k++) {
        f->st.fail_at = f->st.calls + k;
        f->st.failures = 0;
        rc = libssh2_knownhost_checkp(f->kh, "example.com", 2222, KEY_RSA, 0,
                                      LIBSSH2_KNOWNHOST_TYPE_PLAIN |
                                          LIBSSH2_KNOWNHOST_KEYENC_BASE64 |
                                          LIBSSH2_KNOWNHOST_KEY_SSHRSA,
                                      NULL);
        if (f->st.failures == 0) {
            assert_int_equal(rc, LIBSSH2_KNOWNHOST_CHECK_MATCH);
            done = 1;
        } else {
            assert_int_equal(rc, LIBSSH2_KNOWNHOST_CHECK_FAILURE);
        }
    }
    assert_true(done);
    f->st.fail_at = 0;
}

static void
test_alloc_failure_everything(void **state)
{
    struct fixture *f = *state;
    unsigned long k;
    int done = 0;
    size_t blocks0;
    int rc;
    char path[512];
    char *text;
    size_t len;
    static const char line[] = "|1|bJkhJnwQ9R2Rk7FZN3rQyC3o9so=|xwPupx80wo+pGdKWiJvOxJgnPaA= "
                               "ssh-ed25519 " KEY_ED25519 " c\n";

    make_tmpdir();
    snprintf(path, sizeof path, "%s/kh", tmpdir);
    write_text(path, "old\n", 4);
    blocks0 = f->st.blocks;
    for (k = 1; !done && k < 200; k++) {
        LIBSSH2_KNOWNHOSTS *kh2;
        f->st.fail_at = f->st.calls + k;
        f->st.failures = 0;
        kh2 = libssh2_knownhost_init(f->s);
        rc = -1;
        if (kh2 != NULL) {
            rc = libssh2_knownhost_readline(kh2, line, sizeof line - 1,
                                            LIBSSH2_KNOWNHOST_FILE_OPENSSH);
            if (rc == 0) {
                rc = libssh2_knownhost_writefile(kh2, path, LIBSSH2_KNOWNHOST_FILE_OPENSSH);
            }
            libssh2_knownhost_free(kh2);
        }
        text = read_text(path, &len);
        if (f->st.failures == 0) {
            assert_int_equal(rc, 0);
            assert_string_equal(text, line);
            done = 1;
        } else {
            assert_true(rc != 0);
            assert_string_equal(text, "old\n"); /* KH-08: old file intact */
        }
        free(text);
        assert_int_equal(f->st.blocks, blocks0);
    }
    assert_true(done);
    f->st.fail_at = 0;
    rm_tmpdir();
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_plain_every_type, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hashed_every_type, setup, teardown),
        cmocka_unit_test_setup_teardown(test_comments_and_blank, setup, teardown),
        cmocka_unit_test_setup_teardown(test_normalised_forms, setup, teardown),
        cmocka_unit_test_setup_teardown(test_markers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_patterns, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ports, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_type, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_lines, setup, teardown),
        cmocka_unit_test_setup_teardown(test_truncations, setup, teardown),
        cmocka_unit_test_setup_teardown(test_long_and_nul, setup, teardown),
        cmocka_unit_test_setup_teardown(test_writeline_sizes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_addc_every_type, setup, teardown),
        cmocka_unit_test_setup_teardown(test_addc_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_check_semantics, setup, teardown),
        cmocka_unit_test_setup_teardown(test_get_del, setup, teardown),
        cmocka_unit_test_setup_teardown(test_files, setup, teardown),
        cmocka_unit_test_setup_teardown(test_file_long_lines, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ssh_keygen_interop, setup, teardown),
        cmocka_unit_test_setup_teardown(test_alloc_failure_check, setup, teardown),
        cmocka_unit_test_setup_teardown(test_alloc_failure_everything, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
