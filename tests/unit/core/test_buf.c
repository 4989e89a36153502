/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests for src/core/buf.c: the bounded reader (every getter on exact,
 * truncated and errored readers; sticky errors; string and mpint bounds and
 * canonical forms), the bounded writer (fixed overflow, allocator-backed
 * growth and its max, allocation failure, mpint encodings, back-patched
 * lengths, secret wiping) and s2_namelist_has.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/core.h"
#include "failalloc.h"

#define PROTO LIBSSH2_ERROR_PROTO
#define TOOSMALL LIBSSH2_ERROR_BUFFER_TOO_SMALL

/* ---- reader: getters ---- */

static const uint8_t all[] = {
    0xa5,                                           /* u8 */
    0xde, 0xad, 0xbe, 0xef,                         /* u32 */
    0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, /* u64 */
    0x00, 0x01, 0x80,                               /* bool x 3 */
    0x00, 0x00, 0x00, 0x03, 'a', 'b', 'c',          /* string "abc" */
};

static void
test_rd_exact(void **state)
{
    struct s2_rd r, s;
    s2_rd_init(&r, all, sizeof all);
    assert_int_equal(s2_rd_u8(&r), 0xa5);
    assert_int_equal(s2_rd_u32(&r), 0xdeadbeefu);
    assert_true(s2_rd_u64(&r) == 0x0102030405060708ULL);
    assert_int_equal(s2_rd_bool(&r), 0);
    assert_int_equal(s2_rd_bool(&r), 1);
    assert_int_equal(s2_rd_bool(&r), 1); /* any non-zero byte is true */
    s2_rd_str(&r, 3, &s);
    assert_int_equal(s2_rd_ok(&r), 0);
    assert_true(s2_rd_eq(&s, "abc"));
    assert_int_equal(r.left, 0);
    assert_int_equal(s2_rd_finish(&r), 0);
    assert_int_equal(s2_rd_finish(&s), PROTO); /* the child still holds 3 bytes */
}

static void
test_rd_bool_values(void **state)
{
    static const uint8_t b[] = {0x00, 0x01, 0x02, 0x7f, 0xff};
    struct s2_rd r;
    s2_rd_init(&r, b, sizeof b);
    assert_int_equal(s2_rd_bool(&r), 0);
    assert_int_equal(s2_rd_bool(&r), 1);
    assert_int_equal(s2_rd_bool(&r), 1);
    assert_int_equal(s2_rd_bool(&r), 1);
    assert_int_equal(s2_rd_bool(&r), 1);
    assert_int_equal(s2_rd_bool(&r), 0); /* past the end: 0 and an error */
    assert_int_equal(s2_rd_ok(&r), PROTO);
}

enum getter { G_U8, G_U32, G_U64, G_BOOL, G_STR, G_BYTES, G_COPY, G_SKIP, G_MPINT, G_NUM };

/* run applies getter |g| to |r|; returns the integer result (or view size). */
static uint64_t
run(struct s2_rd *r, enum getter g, struct s2_rd *view, uint8_t *copy)
{
    switch (g) {
    case G_U8:
        return s2_rd_u8(r);
    case G_U32:
        return s2_rd_u32(r);
    case G_U64:
        return s2_rd_u64(r);
    case G_BOOL:
        return (uint64_t)s2_rd_bool(r);
    case G_STR:
        s2_rd_str(r, 1000, view);
        return view->left;
    case G_BYTES:
        s2_rd_bytes(r, 5, view);
        return view->left;
    case G_COPY:
        s2_rd_copy(r, copy, 5);
        return copy[0] | copy[4];
    case G_SKIP:
        s2_rd_skip(r, 5);
        return 0;
    case G_MPINT:
        s2_rd_mpint(r, 1000, view);
        return view->left;
    default:
        fail();
    }
    return 0;
}

/* Each getter on each truncation of its field: 0 or empty, PROTO, nothing
 * left; and on an already failed reader: 0 or empty, first error kept. */
static void
test_rd_truncations(void **state)
{
    static const struct {
        enum getter g;
        size_t n;
        uint8_t b[12];
        uint64_t want;
    } v[] = {
        {G_U8, 1, {0x7e}, 0x7e},
        {G_U32, 4, {0x01, 0x02, 0x03, 0x04}, 0x01020304},
        {G_U64, 8, {0xff, 0, 0, 0, 0, 0, 0, 0x01}, 0xff00000000000001ULL},
        {G_BOOL, 1, {0x09}, 1},
        {G_STR, 7, {0, 0, 0, 3, 'x', 'y', 'z'}, 3},
        {G_BYTES, 5, {1, 2, 3, 4, 5}, 5},
        {G_COPY, 5, {9, 2, 3, 4, 6}, 9 | 6},
        {G_SKIP, 5, {1, 2, 3, 4, 5}, 0},
        {G_MPINT, 7, {0, 0, 0, 3, 0x00, 0x80, 0x01}, 2},
    };
    size_t i, k;
    for (i = 0; i < sizeof v / sizeof v[0]; i++) {
        struct s2_rd r, view;
        uint8_t copy[5];
        uint8_t buf[13];
        /* exact */
        memcpy(buf, v[i].b, v[i].n);
        s2_rd_init(&r, buf, v[i].n);
        assert_true(run(&r, v[i].g, &view, copy) == v[i].want);
        assert_int_equal(s2_rd_finish(&r), 0);
        /* exact plus a trailing byte: field fine, finish refuses */
        buf[v[i].n] = 0x55;
        s2_rd_init(&r, buf, v[i].n + 1);
        assert_true(run(&r, v[i].g, &view, copy) == v[i].want);
        assert_int_equal(s2_rd_ok(&r), 0);
        assert_int_equal(s2_rd_finish(&r), PROTO);
        assert_int_equal(r.left, 1);
        /* every truncation */
        for (k = 0; k < v[i].n; k++) {
            s2_rd_init(&r, buf, k);
            memset(copy, 0x11, sizeof copy);
            view.left = 99;
            assert_true(run(&r, v[i].g, &view, copy) == 0);
            assert_int_equal(s2_rd_ok(&r), PROTO);
            assert_int_equal(s2_rd_finish(&r), PROTO);
            assert_int_equal(r.left, 0);
            if (v[i].g == G_STR || v[i].g == G_BYTES || v[i].g == G_MPINT) {
                assert_int_equal(view.left, 0);
                assert_int_equal(view.err, 0);
            }
            if (v[i].g == G_COPY) {
                static const uint8_t zero[5];
                assert_memory_equal(copy, zero, 5); /* no stale bytes */
            }
        }
        /* an errored reader with plenty of data: nothing is read */
        s2_rd_init(&r, buf, v[i].n);
        s2_rd_fail(&r, LIBSSH2_ERROR_ALLOC);
        assert_true(run(&r, v[i].g, &view, copy) == 0);
        assert_int_equal(s2_rd_ok(&r), LIBSSH2_ERROR_ALLOC);
        assert_int_equal(s2_rd_finish(&r), LIBSSH2_ERROR_ALLOC);
    }
}

static void
test_rd_sticky(void **state)
{
    static const uint8_t b[] = {0, 0, 0, 9, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    struct s2_rd r, v;
    s2_rd_init(&r, b, sizeof b);
    s2_rd_str(&r, 8, &v); /* 9 > max 8 */
    assert_int_equal(s2_rd_ok(&r), PROTO);
    assert_int_equal(v.left, 0);
    assert_int_equal(r.left, 0);
    /* later getters: zero, empty views, error unchanged */
    assert_int_equal(s2_rd_u8(&r), 0);
    assert_int_equal(s2_rd_u32(&r), 0);
    s2_rd_rest(&r, &v);
    assert_int_equal(v.left, 0);
    s2_rd_bytes(&r, 0, &v);
    assert_int_equal(v.left, 0);
    s2_rd_fail(&r, LIBSSH2_ERROR_ALLOC); /* the first error wins */
    assert_int_equal(s2_rd_ok(&r), PROTO);
    assert_false(s2_rd_eq(&r, ""));
}

static void
test_rd_init_null(void **state)
{
    struct s2_rd r;
    s2_rd_init(&r, NULL, 10);
    assert_int_equal(r.left, 0);
    assert_int_equal(s2_rd_finish(&r), 0);
    assert_int_equal(s2_rd_u8(&r), 0);
    assert_int_equal(s2_rd_ok(&r), PROTO);
}

/* ---- reader: strings ---- */

static void
test_rd_str_bounds(void **state)
{
    uint8_t b[4 + 300];
    struct s2_rd r, v;
    size_t i;
    for (i = 0; i < 300; i++) {
        b[4 + i] = (uint8_t)i;
    }
    /* length 0 */
    s2_put_u32(b, 0);
    s2_rd_init(&r, b, 4);
    s2_rd_str(&r, 0, &v);
    assert_int_equal(s2_rd_finish(&r), 0);
    assert_int_equal(v.left, 0);
    assert_int_equal(v.err, 0);
    assert_true(s2_rd_eq(&v, ""));
    /* length == max */
    s2_put_u32(b, 300);
    s2_rd_init(&r, b, sizeof b);
    s2_rd_str(&r, 300, &v);
    assert_int_equal(s2_rd_finish(&r), 0);
    assert_int_equal(v.left, 300);
    assert_memory_equal(v.p, b + 4, 300);
    /* length == max + 1, data present */
    s2_rd_init(&r, b, sizeof b);
    s2_rd_str(&r, 299, &v);
    assert_int_equal(s2_rd_ok(&r), PROTO);
    assert_int_equal(v.left, 0);
    /* length one past the data, with a generous max */
    s2_put_u32(b, 301);
    s2_rd_init(&r, b, sizeof b);
    s2_rd_str(&r, SIZE_MAX, &v);
    assert_int_equal(s2_rd_ok(&r), PROTO);
    assert_int_equal(v.left, 0);
    /* 0xffffffff, both against a cap and against the data */
    s2_put_u32(b, 0xffffffffu);
    s2_rd_init(&r, b, sizeof b);
    s2_rd_str(&r, S2_STRING_MAX, &v);
    assert_int_equal(s2_rd_ok(&r), PROTO);
    assert_int_equal(v.left, 0);
    s2_rd_init(&r, b, sizeof b);
    s2_rd_str(&r, SIZE_MAX, &v);
    assert_int_equal(s2_rd_ok(&r), PROTO);
    assert_int_equal(v.left, 0);
    /* a child view is independent: reading past its end fails only it */
    s2_put_u32(b, 2);
    s2_rd_init(&r, b, sizeof b);
    s2_rd_str(&r, 10, &v);
    assert_int_equal(s2_rd_u8(&v), 0);
    assert_int_equal(s2_rd_u8(&v), 1);
    assert_int_equal(s2_rd_u8(&v), 0);
    assert_int_equal(s2_rd_ok(&v), PROTO);
    assert_int_equal(s2_rd_ok(&r), 0);
    assert_int_equal(s2_rd_u8(&r), 2);
}

static void
test_rd_bytes_rest_skip(void **state)
{
    static const uint8_t b[] = {1, 2, 3, 4, 5, 6};
    struct s2_rd r, v;
    uint8_t c[2];
    s2_rd_init(&r, b, sizeof b);
    s2_rd_skip(&r, 1);
    s2_rd_copy(&r, c, 2);
    assert_int_equal(c[0], 2);
    assert_int_equal(c[1], 3);
    s2_rd_bytes(&r, 0, &v);
    assert_int_equal(v.left, 0);
    assert_int_equal(s2_rd_ok(&v), 0);
    s2_rd_rest(&r, &v);
    assert_int_equal(v.left, 3);
    assert_int_equal(v.p[0], 4);
    assert_int_equal(s2_rd_finish(&r), 0);
    s2_rd_rest(&r, &v); /* rest of nothing: empty, fine */
    assert_int_equal(v.left, 0);
    assert_int_equal(s2_rd_ok(&r), 0);
    s2_rd_skip(&r, 1);
    assert_int_equal(s2_rd_ok(&r), PROTO);
    /* SIZE_MAX never wraps */
    s2_rd_init(&r, b, sizeof b);
    s2_rd_skip(&r, SIZE_MAX);
    assert_int_equal(s2_rd_ok(&r), PROTO);
    s2_rd_init(&r, b, sizeof b);
    s2_rd_bytes(&r, SIZE_MAX, &v);
    assert_int_equal(s2_rd_ok(&r), PROTO);
    assert_int_equal(v.left, 0);
}

/* ---- reader: mpint (RFC 4251 section 5) ---- */

static void
mpint_case(const uint8_t *b, size_t n, size_t max, int err, const uint8_t *mag, size_t mag_len)
{
    struct s2_rd r, v;
    s2_rd_init(&r, b, n);
    v.left = 77;
    s2_rd_mpint(&r, max, &v);
    assert_int_equal(s2_rd_ok(&r), err);
    if (err != 0) {
        assert_int_equal(v.left, 0);
        assert_int_equal(r.left, 0);
        return;
    }
    assert_int_equal(s2_rd_finish(&r), 0);
    assert_int_equal(v.left, mag_len);
    if (mag_len > 0) {
        assert_memory_equal(v.p, mag, mag_len);
    }
}

static void
test_rd_mpint(void **state)
{
    /* the RFC 4251 examples */
    static const uint8_t zero[] = {0, 0, 0, 0};
    static const uint8_t rfc1[] = {0, 0, 0, 8, 0x09, 0xa3, 0x78, 0xf9, 0xb2, 0xe3, 0x32, 0xa7};
    static const uint8_t rfc80[] = {0, 0, 0, 2, 0x00, 0x80};
    static const uint8_t neg1234[] = {0, 0, 0, 2, 0xed, 0xcc};
    static const uint8_t negdb[] = {0, 0, 0, 5, 0xff, 0x21, 0x52, 0x41, 0x11};
    /* non-canonical */
    static const uint8_t zero_byte[] = {0, 0, 0, 1, 0x00};
    static const uint8_t lead0[] = {0, 0, 0, 2, 0x00, 0x7f};
    static const uint8_t lead00[] = {0, 0, 0, 3, 0x00, 0x00, 0x80};
    static const uint8_t neg80[] = {0, 0, 0, 1, 0x80};
    static const uint8_t trunc[] = {0, 0, 0, 3, 0x00, 0x80};
    static const uint8_t m80[] = {0x80};
    static const uint8_t ok7f[] = {0, 0, 0, 1, 0x7f};
    static const uint8_t m7f[] = {0x7f};
    mpint_case(zero, sizeof zero, 0, 0, NULL, 0);
    mpint_case(rfc1, sizeof rfc1, 8, 0, rfc1 + 4, 8);
    mpint_case(rfc1, sizeof rfc1, 7, PROTO, NULL, 0); /* max counts wire bytes */
    mpint_case(rfc80, sizeof rfc80, 2, 0, m80, 1);    /* sign byte dropped */
    mpint_case(rfc80, sizeof rfc80, 1, PROTO, NULL, 0);
    mpint_case(ok7f, sizeof ok7f, S2_MPINT_MAX, 0, m7f, 1);
    mpint_case(neg1234, sizeof neg1234, 100, PROTO, NULL, 0);
    mpint_case(negdb, sizeof negdb, 100, PROTO, NULL, 0);
    mpint_case(neg80, sizeof neg80, 100, PROTO, NULL, 0);
    mpint_case(zero_byte, sizeof zero_byte, 100, PROTO, NULL, 0);
    mpint_case(lead0, sizeof lead0, 100, PROTO, NULL, 0);
    mpint_case(lead00, sizeof lead00, 100, PROTO, NULL, 0);
    mpint_case(trunc, sizeof trunc, 100, PROTO, NULL, 0);
}

/* ---- reader: eq, strdup ---- */

static void
test_rd_eq(void **state)
{
    static const char s[] = "ssh-rsa";
    struct s2_rd v, e;
    s2_rd_init(&v, s, 7);
    assert_true(s2_rd_eq(&v, "ssh-rsa"));
    assert_false(s2_rd_eq(&v, "ssh-rs"));    /* prefix of the view */
    assert_false(s2_rd_eq(&v, "ssh-rsa2"));  /* view is a prefix */
    assert_false(s2_rd_eq(&v, "ssh-dss"));
    assert_false(s2_rd_eq(&v, ""));
    s2_rd_init(&e, NULL, 0);
    assert_true(s2_rd_eq(&e, ""));
    assert_false(s2_rd_eq(&e, "a"));
    s2_rd_fail(&e, PROTO);
    assert_false(s2_rd_eq(&e, "")); /* an errored view equals nothing */
    /* s2_rd_eq does not consume */
    assert_int_equal(v.left, 7);
}

static void
test_rd_strdup(void **state)
{
    struct fa_state st;
    struct s2_allocator a;
    struct s2_rd v;
    char *d;
    fa_init(&st, 0);
    fa_allocator(&a, &st);
    s2_rd_init(&v, "hello", 5);
    d = s2_rd_strdup(&v, &a, 5); /* exactly the cap */
    assert_non_null(d);
    assert_string_equal(d, "hello");
    assert_int_equal(st.max_block, 6); /* NUL-terminated */
    s2_free(&a, d);
    assert_null(s2_rd_strdup(&v, &a, 4)); /* cap + 1 */
    assert_int_equal(v.left, 5);           /* view untouched */
    s2_rd_init(&v, NULL, 0);
    d = s2_rd_strdup(&v, &a, 0); /* empty view: "" */
    assert_non_null(d);
    assert_string_equal(d, "");
    s2_free(&a, d);
    s2_rd_init(&v, "x", 1);
    s2_rd_fail(&v, PROTO);
    assert_null(s2_rd_strdup(&v, &a, 100)); /* errored view */
    /* allocation failure */
    s2_rd_init(&v, "abc", 3);
    st.fail_at = st.calls + 1;
    assert_null(s2_rd_strdup(&v, &a, 100));
    assert_int_equal(st.failures, 1);
    assert_int_equal(st.blocks, 0);
}

/* ---- writer ---- */

static void
test_wr_fixed_overflow(void **state)
{
    uint8_t b[10];
    struct s2_wr w;
    memset(b, 0xee, sizeof b);
    s2_wr_fixed(&w, b, 6);
    s2_wr_u32(&w, 0x01020304);
    s2_wr_u8(&w, 5);
    assert_int_equal(s2_wr_ok(&w), 0);
    s2_wr_u32(&w, 0x11111111); /* 1 byte of room, 4 needed: nothing written */
    assert_int_equal(s2_wr_ok(&w), TOOSMALL);
    assert_int_equal(w.len, 5);
    assert_int_equal(b[5], 0xee);
    s2_wr_u8(&w, 6); /* would fit, but the error is sticky */
    assert_int_equal(w.len, 5);
    assert_int_equal(b[5], 0xee);
    assert_int_equal(s2_wr_reserve(&w, 0), TOOSMALL);
    assert_null(s2_wr_space(&w, 0));
    s2_wr_str(&w, "", 0);
    assert_int_equal(w.len, 5);
    assert_int_equal(s2_wr_ok(&w), TOOSMALL);
    /* exactly full is fine */
    s2_wr_fixed(&w, b, 6);
    s2_wr_raw(&w, "abcdef", 6);
    assert_int_equal(s2_wr_ok(&w), 0);
    assert_int_equal(w.len, 6);
    s2_wr_raw(&w, "g", 0);
    assert_int_equal(s2_wr_ok(&w), 0);
    s2_wr_bool(&w, 1);
    assert_int_equal(s2_wr_ok(&w), TOOSMALL);
    assert_int_equal(b[6], 0xee);
    /* reset clears the error and the length */
    s2_wr_reset(&w);
    assert_int_equal(s2_wr_ok(&w), 0);
    assert_int_equal(w.len, 0);
    assert_memory_equal(b, "abcdef", 6); /* not secret: not wiped */
}

static void
test_wr_values(void **state)
{
    static const uint8_t want[] = {
        0x7f, 0x01, 0x00, 0xca, 0xfe, 0xba, 0xbe, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06,
        0x07, 0x08, 0x00, 0x00, 0x00, 0x02, 'h', 'i', 0x00, 0x00, 0x00, 0x00, 'r', 'a', 'w',
    };
    uint8_t b[64];
    struct s2_wr w;
    s2_wr_fixed(&w, b, sizeof b);
    s2_wr_u8(&w, 0x7f);
    s2_wr_bool(&w, 42);
    s2_wr_bool(&w, 0);
    s2_wr_u32(&w, 0xcafebabe);
    s2_wr_u64(&w, 0x0102030405060708ULL);
    s2_wr_cstr(&w, "hi");
    s2_wr_str(&w, NULL, 0);
    s2_wr_raw(&w, "raw", 3);
    assert_int_equal(s2_wr_ok(&w), 0);
    assert_int_equal(w.len, sizeof want);
    assert_memory_equal(b, want, sizeof want);
}

static void
test_wr_space(void **state)
{
    struct fa_state st;
    struct s2_allocator a;
    struct s2_wr w;
    uint8_t *p;
    fa_init(&st, 0);
    fa_allocator(&a, &st);
    s2_wr_dyn(&w, &a, 100);
    p = s2_wr_space(&w, 0); /* NULL means error: fine on a fresh writer too */
    assert_non_null(p);
    assert_int_equal(s2_wr_ok(&w), 0);
    assert_int_equal(w.len, 0);
    p = s2_wr_space(&w, 3);
    assert_non_null(p);
    memcpy(p, "xyz", 3);
    assert_int_equal(w.len, 3);
    assert_memory_equal(w.p, "xyz", 3);
    assert_null(s2_wr_space(&w, 98));
    assert_int_equal(s2_wr_ok(&w), TOOSMALL);
    assert_int_equal(w.len, 3);
    s2_wr_free(&w);
    assert_int_equal(st.blocks, 0);
}

static void
test_wr_dyn_growth(void **state)
{
    struct fa_state st;
    struct s2_allocator a;
    struct s2_wr w;
    size_t i;
    fa_init(&st, 0);
    fa_allocator(&a, &st);
    s2_wr_dyn(&w, &a, 5000);
    assert_int_equal(st.calls, 0); /* nothing allocated up front */
    for (i = 0; i < 5000; i++) {
        s2_wr_u8(&w, (uint8_t)(i * 7));
    }
    assert_int_equal(s2_wr_ok(&w), 0);
    assert_int_equal(w.len, 5000);
    assert_true(w.cap >= 5000 && w.cap <= 5000); /* the last growth stops at max */
    assert_true(st.calls < 20);                   /* geometric, not per byte */
    for (i = 0; i < 5000; i++) {
        assert_int_equal(w.p[i], (uint8_t)(i * 7));
    }
    s2_wr_u8(&w, 1); /* one past max */
    assert_int_equal(s2_wr_ok(&w), TOOSMALL);
    assert_int_equal(w.len, 5000);
    s2_wr_free(&w);
    assert_int_equal(st.blocks, 0);
    assert_null(w.p);

    /* one write of exactly max, then refusal; a huge request never wraps */
    s2_wr_dyn(&w, &a, 70000);
    assert_non_null(s2_wr_space(&w, 70000));
    assert_int_equal(s2_wr_ok(&w), 0);
    s2_wr_free(&w);
    s2_wr_dyn(&w, &a, 70000);
    s2_wr_u8(&w, 1);
    assert_int_equal(s2_wr_reserve(&w, SIZE_MAX), TOOSMALL);
    assert_int_equal(w.len, 1);
    s2_wr_free(&w);
    s2_wr_dyn(&w, &a, 70000);
    assert_int_equal(s2_wr_reserve(&w, 70001), TOOSMALL);
    assert_int_equal(st.blocks, 0); /* refused before allocating */
    s2_wr_free(&w);
    assert_int_equal(st.blocks, 0);
}

static void
test_wr_alloc_failure(void **state)
{
    struct fa_state st;
    struct s2_allocator a;
    struct s2_wr w;
    uint8_t big[1000];
    memset(big, 0x3c, sizeof big);
    fa_init(&st, 1);
    fa_allocator(&a, &st);
    s2_wr_dyn(&w, &a, 100000);
    s2_wr_u32(&w, 7);
    assert_int_equal(s2_wr_ok(&w), LIBSSH2_ERROR_ALLOC);
    assert_int_equal(w.len, 0);
    s2_wr_u8(&w, 1); /* sticky: no second attempt */
    assert_int_equal(st.calls, 1);
    assert_int_equal(s2_wr_reserve(&w, 1), LIBSSH2_ERROR_ALLOC);
    s2_wr_free(&w);
    assert_int_equal(st.blocks, 0);

    /* failure while growing: the data so far stays, nothing leaks */
    fa_init(&st, 2);
    s2_wr_dyn(&w, &a, 100000);
    s2_wr_raw(&w, big, 200);
    assert_int_equal(s2_wr_ok(&w), 0);
    s2_wr_raw(&w, big, 1000);
    assert_int_equal(s2_wr_ok(&w), LIBSSH2_ERROR_ALLOC);
    assert_int_equal(w.len, 200);
    assert_memory_equal(w.p, big, 200);
    s2_wr_free(&w);
    assert_int_equal(st.blocks, 0);

    /* the same with a secret writer (copy-and-wipe growth) */
    fa_init(&st, 2);
    s2_wr_dyn(&w, &a, 100000);
    w.secret = 1;
    s2_wr_raw(&w, big, 200);
    s2_wr_raw(&w, big, 1000);
    assert_int_equal(s2_wr_ok(&w), LIBSSH2_ERROR_ALLOC);
    assert_int_equal(w.len, 200);
    assert_memory_equal(w.p, big, 200);
    s2_wr_free(&w);
    assert_int_equal(st.blocks, 0);
}

static void
mpint_enc(const uint8_t *mag, size_t n, const uint8_t *want, size_t want_len)
{
    uint8_t b[32];
    struct s2_wr w;
    struct s2_rd r, v;
    size_t skip = 0;
    s2_wr_fixed(&w, b, sizeof b);
    s2_wr_mpint(&w, mag, n);
    assert_int_equal(s2_wr_ok(&w), 0);
    assert_int_equal(w.len, want_len);
    assert_memory_equal(b, want, want_len);
    /* what we write, we read back as the stripped magnitude */
    s2_rd_init(&r, b, w.len);
    s2_rd_mpint(&r, S2_MPINT_MAX, &v);
    assert_int_equal(s2_rd_finish(&r), 0);
    while (skip < n && mag[skip] == 0) {
        skip++;
    }
    assert_int_equal(v.left, n - skip);
    if (v.left > 0) {
        assert_memory_equal(v.p, mag + skip, v.left);
    }
}

static void
test_wr_mpint(void **state)
{
    static const uint8_t z3[] = {0, 0, 0};
    static const uint8_t e0[] = {0, 0, 0, 0};
    static const uint8_t m80[] = {0x80};
    static const uint8_t e80[] = {0, 0, 0, 2, 0x00, 0x80};
    static const uint8_t m007f[] = {0x00, 0x00, 0x7f};
    static const uint8_t e7f[] = {0, 0, 0, 1, 0x7f};
    static const uint8_t m0080ff[] = {0x00, 0x80, 0xff};
    static const uint8_t e80ff[] = {0, 0, 0, 3, 0x00, 0x80, 0xff};
    static const uint8_t rfc[] = {0x09, 0xa3, 0x78, 0xf9, 0xb2, 0xe3, 0x32, 0xa7};
    static const uint8_t erfc[] = {0, 0, 0, 8, 0x09, 0xa3, 0x78, 0xf9, 0xb2, 0xe3, 0x32, 0xa7};
    static const uint8_t m01[] = {0x01};
    static const uint8_t e01[] = {0, 0, 0, 1, 0x01};
    uint8_t b[5];
    struct s2_wr w;
    mpint_enc(NULL, 0, e0, sizeof e0);
    mpint_enc(z3, sizeof z3, e0, sizeof e0);
    mpint_enc(m80, sizeof m80, e80, sizeof e80);
    mpint_enc(m007f, sizeof m007f, e7f, sizeof e7f);
    mpint_enc(m0080ff, sizeof m0080ff, e80ff, sizeof e80ff);
    mpint_enc(rfc, sizeof rfc, erfc, sizeof erfc);
    mpint_enc(m01, sizeof m01, e01, sizeof e01);
    /* no room for the sign byte: refused */
    s2_wr_fixed(&w, b, sizeof b);
    s2_wr_mpint(&w, m80, 1);
    assert_int_equal(s2_wr_ok(&w), TOOSMALL);
}

static void
test_wr_begin_end_str(void **state)
{
    static const uint8_t want[] = {0, 0, 0, 11, 'a', 'b', 0, 0, 0, 5, 0, 0, 0, 1, 'c',
                                   0, 0, 0, 0, 'Z'};
    uint8_t b[64], small[6];
    struct s2_wr w;
    size_t outer, inner, empty_mark;
    s2_wr_fixed(&w, b, sizeof b);
    s2_wr_begin_str(&w, &outer);
    s2_wr_raw(&w, "ab", 2);
    s2_wr_begin_str(&w, &inner);
    s2_wr_cstr(&w, "c");
    s2_wr_end_str(&w, inner);
    s2_wr_end_str(&w, outer);
    s2_wr_begin_str(&w, &empty_mark);
    s2_wr_end_str(&w, empty_mark);
    s2_wr_u8(&w, 'Z');
    assert_int_equal(s2_wr_ok(&w), 0);
    assert_int_equal(w.len, sizeof want);
    assert_memory_equal(b, want, sizeof want);
    /* overflow inside: the error stays, nothing is patched out of bounds */
    memset(small, 0xee, sizeof small);
    s2_wr_fixed(&w, small, sizeof small);
    s2_wr_begin_str(&w, &outer);
    s2_wr_raw(&w, "abcdef", 6);
    s2_wr_end_str(&w, outer);
    assert_int_equal(s2_wr_ok(&w), TOOSMALL);
    assert_int_equal(small[0], 0);
    assert_int_equal(small[3], 0); /* still the placeholder 0 */
    assert_int_equal(small[4], 0xee);
}

/* ---- secret wiping, observed through an allocator that looks at blocks
 * when they are freed ---- */

struct spy {
    int frees;
    int nonzero_frees; /* blocks that still held a non-zero byte when freed */
    void *self;
};

static void *
spy_alloc(size_t n, void **abstract)
{
    size_t *h = malloc(sizeof(size_t) * 2 + n);
    (void)abstract;
    if (h == NULL) {
        return NULL;
    }
    h[0] = n;
    return h + 2;
}

static void *
spy_realloc(void *p, size_t n, void **abstract)
{
    size_t *h;
    (void)abstract;
    h = realloc(p != NULL ? (size_t *)p - 2 : NULL, sizeof(size_t) * 2 + n);
    if (h == NULL) {
        return NULL;
    }
    h[0] = n;
    return h + 2;
}

static void
spy_free(void *p, void **abstract)
{
    struct spy *s = *abstract;
    size_t *h = (size_t *)p - 2, i;
    const uint8_t *b = p;
    s->frees++;
    for (i = 0; i < h[0]; i++) {
        if (b[i] != 0) {
            s->nonzero_frees++;
            break;
        }
    }
    free(h);
}

static void
test_wr_secret(void **state)
{
    static const uint8_t zero[16];
    uint8_t b[16];
    struct s2_wr w;
    struct spy s = {0, 0, NULL};
    struct s2_allocator a = {spy_alloc, spy_realloc, spy_free, NULL};
    size_t i;
    s.self = &s;
    a.abstract = &s.self;

    /* fixed: reset and free wipe what was written */
    s2_wr_fixed(&w, b, sizeof b);
    w.secret = 1;
    s2_wr_raw(&w, "password", 8);
    s2_wr_reset(&w);
    assert_memory_equal(b, zero, 8);
    assert_int_equal(w.len, 0);
    s2_wr_fixed(&w, b, sizeof b);
    w.secret = 1;
    s2_wr_raw(&w, "password", 8);
    s2_wr_free(&w);
    assert_memory_equal(b, zero, 8);

    /* allocator-backed: growth and free leave no copy behind */
    s2_wr_dyn(&w, &a, 100000);
    w.secret = 1;
    for (i = 0; i < 3000; i++) {
        s2_wr_u8(&w, 0xaa);
    }
    assert_int_equal(s2_wr_ok(&w), 0);
    assert_true(s.frees >= 3); /* 256 -> 512 -> ... -> 4096 */
    s2_wr_reset(&w);
    for (i = 0; i < 3000; i++) {
        assert_int_equal(w.p[i], 0);
    }
    s2_wr_u8(&w, 0xbb);
    s2_wr_free(&w);
    assert_int_equal(s.nonzero_frees, 0);

    /* the spy does see unwiped blocks (so the check above means something) */
    s2_wr_dyn(&w, &a, 100000);
    s2_wr_u8(&w, 0xcc);
    s2_wr_free(&w);
    assert_int_equal(s.nonzero_frees, 1);
}

/* ---- helpers ---- */

static int
has(const char *list, const char *name)
{
    return s2_namelist_has(list, strlen(list), name, strlen(name));
}

static void
test_namelist_has(void **state)
{
    static const char l[] = "curve25519-sha256,ecdh-sha2-nistp256,diffie-hellman-group14-sha256";
    assert_true(has(l, "curve25519-sha256"));               /* first */
    assert_true(has(l, "ecdh-sha2-nistp256"));              /* middle */
    assert_true(has(l, "diffie-hellman-group14-sha256"));   /* last */
    assert_false(has(l, "curve25519"));                     /* prefix of an entry */
    assert_false(has(l, "curve25519-sha256,ecdh"));         /* spans a comma */
    assert_false(has(l, "diffie-hellman-group14-sha2"));    /* prefix of the last */
    assert_false(has(l, "diffie-hellman-group14-sha2566")); /* longer than the last */
    assert_false(has(l, "sha256"));                         /* suffix of an entry */
    assert_false(has("", "a"));                             /* empty list */
    assert_true(has("a", "a"));
    assert_false(has("ab", "a"));
    assert_false(has("a", "ab"));
    /* an empty name is in no list (RFC 4251 6: names are non-empty) */
    assert_false(has("", ""));
    assert_false(has(l, ""));
    assert_false(has("a,,b", ""));
    assert_false(has("a,", ""));
    assert_true(has("a,,b", "b"));
    assert_true(has(",a", "a"));
    /* the list length is honoured, not the NUL */
    assert_false(s2_namelist_has("abc,def", 5, "def", 3));
    assert_true(s2_namelist_has("abc,def", 3, "abc", 3));
    assert_false(s2_namelist_has("abcdef", 3, "abcdef", 6));
    assert_false(s2_namelist_has(NULL, 0, "a", 1));
}

static void
test_u32_helpers(void **state)
{
    uint8_t b[4];
    s2_put_u32(b, 0x80010203u);
    assert_int_equal(b[0], 0x80);
    assert_int_equal(b[3], 0x03);
    assert_int_equal(s2_get_u32(b), 0x80010203u);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rd_exact),
        cmocka_unit_test(test_rd_bool_values),
        cmocka_unit_test(test_rd_truncations),
        cmocka_unit_test(test_rd_sticky),
        cmocka_unit_test(test_rd_init_null),
        cmocka_unit_test(test_rd_str_bounds),
        cmocka_unit_test(test_rd_bytes_rest_skip),
        cmocka_unit_test(test_rd_mpint),
        cmocka_unit_test(test_rd_eq),
        cmocka_unit_test(test_rd_strdup),
        cmocka_unit_test(test_wr_fixed_overflow),
        cmocka_unit_test(test_wr_values),
        cmocka_unit_test(test_wr_space),
        cmocka_unit_test(test_wr_dyn_growth),
        cmocka_unit_test(test_wr_alloc_failure),
        cmocka_unit_test(test_wr_mpint),
        cmocka_unit_test(test_wr_begin_end_str),
        cmocka_unit_test(test_wr_secret),
        cmocka_unit_test(test_namelist_has),
        cmocka_unit_test(test_u32_helpers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
