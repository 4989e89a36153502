/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Unit tests for src/core/alloc.c: the allocator hook (callbacks get the
 * abstract slot), zero-size requests, overflow-checked arrays, realloc
 * failure keeping the block, secret wiping, s2_memdup, the process-wide
 * allocator setter, and the failing test allocator itself (tests/lib).
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

static void
setup_fa(struct fa_state *st, struct s2_allocator *a, unsigned long fail_at)
{
    fa_init(st, fail_at);
    fa_allocator(a, st);
}

static void
test_alloc_basic(void **state)
{
    struct fa_state st;
    struct s2_allocator a;
    uint8_t *p, *z;
    size_t i;
    setup_fa(&st, &a, 0);
    p = s2_alloc(&a, 10);
    assert_non_null(p);
    assert_int_equal(st.blocks, 1);
    assert_int_equal(st.bytes, 10);
    z = s2_zalloc(&a, 100);
    assert_non_null(z);
    for (i = 0; i < 100; i++) {
        assert_int_equal(z[i], 0);
    }
    s2_free(&a, p);
    s2_free(&a, z);
    s2_free(&a, NULL); /* fine */
    assert_int_equal(st.blocks, 0);
    assert_int_equal(st.bytes, 0);
    assert_int_equal(st.calls, 2);
}

static void
test_alloc_zero(void **state)
{
    struct fa_state st;
    struct s2_allocator a;
    void *p, *q;
    setup_fa(&st, &a, 0);
    /* 0 is treated as 1, so a success is never NULL */
    p = s2_alloc(&a, 0);
    assert_non_null(p);
    assert_int_equal(st.bytes, 1);
    q = s2_zalloc(&a, 0);
    assert_non_null(q);
    assert_int_equal(*(uint8_t *)q, 0);
    p = s2_realloc(&a, p, 0);
    assert_non_null(p);
    s2_free(&a, p);
    s2_free(&a, q);
    assert_int_equal(st.blocks, 0);
}

static void
test_alloc_array(void **state)
{
    struct fa_state st;
    struct s2_allocator a;
    void *p;
    setup_fa(&st, &a, 0);
    p = s2_alloc_array(&a, 10, 12);
    assert_non_null(p);
    assert_int_equal(st.bytes, 120);
    s2_free(&a, p);
    /* overflow: NULL, and the allocator is never called */
    assert_null(s2_alloc_array(&a, SIZE_MAX, 2));
    assert_null(s2_alloc_array(&a, 2, SIZE_MAX));
    assert_null(s2_alloc_array(&a, SIZE_MAX / 16 + 1, 16));
    assert_null(s2_alloc_array(&a, (SIZE_MAX >> (sizeof(size_t) * 4)) + 2,
                               (SIZE_MAX >> (sizeof(size_t) * 4)) + 2));
    assert_int_equal(st.calls, 1);
    /* the largest product that fits is passed on (and fails here) */
    st.fail_at = st.calls + 1;
    assert_null(s2_alloc_array(&a, SIZE_MAX / 16, 16));
    assert_int_equal(st.calls, 2);
    /* zero elements or zero size: a valid 1-byte block */
    p = s2_alloc_array(&a, 0, 16);
    assert_non_null(p);
    s2_free(&a, p);
    p = s2_alloc_array(&a, 16, 0);
    assert_non_null(p);
    s2_free(&a, p);
    assert_int_equal(st.blocks, 0);
}

static void
test_alloc_failure(void **state)
{
    struct fa_state st;
    struct s2_allocator a;
    uint8_t *p, *q;
    setup_fa(&st, &a, 2);
    p = s2_alloc(&a, 8); /* call 1 */
    assert_non_null(p);
    memcpy(p, "keepme!", 8);
    q = s2_realloc(&a, p, 4096); /* call 2 fails: p intact */
    assert_null(q);
    assert_string_equal((char *)p, "keepme!");
    assert_int_equal(st.blocks, 1);
    q = s2_realloc(&a, p, 4096); /* call 3 */
    assert_non_null(q);
    assert_string_equal((char *)q, "keepme!");
    assert_int_equal(st.bytes, 4096);
    p = s2_zalloc(&a, 1); /* call 4: only the 2nd was to fail */
    assert_non_null(p);
    s2_free(&a, p);
    s2_free(&a, q);
    assert_int_equal(st.failures, 1);
    assert_int_equal(st.blocks, 0);
    /* s2_zalloc failing returns NULL without touching memory */
    st.fail_at = st.calls + 1;
    assert_null(s2_zalloc(&a, 64));
    assert_int_equal(st.failures, 2);
}

static void
test_free_secret(void **state)
{
    struct fa_state st;
    struct s2_allocator a;
    char *p;
    setup_fa(&st, &a, 0);
    p = s2_memdup(&a, "secret", 6);
    assert_non_null(p);
    s2_free_secret(&a, p, 7);
    s2_free_secret(&a, NULL, 100); /* fine */
    assert_int_equal(st.blocks, 0);
}

/* s2_wipe really zeroes */
static void
test_wipe(void **state)
{
    uint8_t b[33];
    size_t i;
    memset(b, 0xff, sizeof b);
    s2_wipe(b + 1, 31);
    assert_int_equal(b[0], 0xff);
    for (i = 1; i < 32; i++) {
        assert_int_equal(b[i], 0);
    }
    assert_int_equal(b[32], 0xff);
    s2_wipe(b, 0);
    assert_int_equal(b[0], 0xff);
}

static void
test_memdup(void **state)
{
    struct fa_state st;
    struct s2_allocator a;
    char *d;
    setup_fa(&st, &a, 0);
    d = s2_memdup(&a, "abc\0def", 7);
    assert_non_null(d);
    assert_memory_equal(d, "abc\0def", 8); /* copied whole, NUL added */
    assert_int_equal(st.bytes, 8);
    s2_free(&a, d);
    d = s2_memdup(&a, NULL, 0);
    assert_non_null(d);
    assert_string_equal(d, "");
    s2_free(&a, d);
    assert_null(s2_memdup(&a, "x", SIZE_MAX)); /* n + 1 would wrap */
    st.fail_at = st.calls + 1;
    assert_null(s2_memdup(&a, "x", 1));
    assert_int_equal(st.blocks, 0);
}

/* ---- the process-wide allocator ---- */

static int g_mallocs, g_reallocs, g_frees;

static void *
g_malloc(size_t n)
{
    g_mallocs++;
    return malloc(n);
}

static void *
g_realloc(void *p, size_t n)
{
    g_reallocs++;
    return realloc(p, n);
}

static void
g_free(void *p)
{
    g_frees++;
    free(p);
}

static void
test_global_allocator(void **state)
{
    struct s2_allocator a;
    void *abstract = (void *)0x1234;
    void *p;
    assert_int_equal(s2_allocator_set_global(g_malloc, NULL, g_free), LIBSSH2_ERROR_INVAL);
    assert_int_equal(s2_allocator_set_global(NULL, g_realloc, NULL), LIBSSH2_ERROR_INVAL);
    assert_int_equal(s2_allocator_set_global(g_malloc, g_realloc, g_free), 0);
    s2_allocator_default(&a, &abstract);
    assert_ptr_equal(a.abstract, &abstract);
    p = s2_alloc(&a, 10);
    assert_non_null(p);
    p = s2_realloc(&a, p, 20);
    assert_non_null(p);
    s2_free(&a, p);
    assert_int_equal(g_mallocs, 1);
    assert_int_equal(g_reallocs, 1);
    assert_int_equal(g_frees, 1);
    /* all NULL restores libc; an allocator filled earlier follows the change */
    assert_int_equal(s2_allocator_set_global(NULL, NULL, NULL), 0);
    p = s2_alloc(&a, 10);
    assert_non_null(p);
    s2_free(&a, p);
    assert_int_equal(g_mallocs, 1);
    assert_int_equal(g_frees, 1);
}

/* ---- the failing allocator (tests/lib/failalloc.c) ---- */

static void
test_failalloc_itself(void **state)
{
    struct fa_state st;
    void *abstract;
    void *p[5];
    int i;
    /* through the libssh2 signatures, with *abstract pointing to the state */
    fa_init(&st, 3);
    abstract = &st;
    for (i = 0; i < 5; i++) {
        p[i] = fa_alloc((size_t)(i + 1), &abstract);
    }
    assert_non_null(p[0]);
    assert_non_null(p[1]);
    assert_null(p[2]); /* the 3rd */
    assert_non_null(p[3]);
    assert_non_null(p[4]);
    assert_int_equal(st.calls, 5);
    assert_int_equal(st.failures, 1);
    assert_int_equal(st.blocks, 4);
    assert_int_equal(st.bytes, 1 + 2 + 4 + 5);
    assert_int_equal(st.max_block, 5);
    p[0] = fa_realloc(p[0], 100, &abstract);
    assert_non_null(p[0]);
    assert_int_equal(st.bytes, 100 + 2 + 4 + 5);
    assert_int_equal(st.peak_bytes, 111);
    for (i = 0; i < 5; i++) {
        fa_free(p[i], &abstract);
    }
    assert_int_equal(st.blocks, 0);
    assert_int_equal(st.bytes, 0);
    /* fail_after: the Nth and every later call fail */
    fa_init(&st, 2);
    st.fail_after = 1;
    p[0] = fa_alloc(1, &abstract);
    assert_non_null(p[0]);
    assert_null(fa_alloc(1, &abstract));
    assert_null(fa_alloc(1, &abstract));
    assert_null(fa_realloc(p[0], 10, &abstract));
    assert_int_equal(st.failures, 3);
    fa_free(p[0], &abstract);
    assert_int_equal(st.blocks, 0);
    /* 0: never fails */
    fa_init(&st, 0);
    for (i = 0; i < 100; i++) {
        fa_free(fa_alloc(1, &abstract), &abstract);
    }
    assert_int_equal(st.failures, 0);
    assert_int_equal(st.calls, 100);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alloc_basic),
        cmocka_unit_test(test_alloc_zero),
        cmocka_unit_test(test_alloc_array),
        cmocka_unit_test(test_alloc_failure),
        cmocka_unit_test(test_free_secret),
        cmocka_unit_test(test_wipe),
        cmocka_unit_test(test_memdup),
        cmocka_unit_test(test_global_allocator),
        cmocka_unit_test(test_failalloc_itself),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
