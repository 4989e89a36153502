/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * testutil.c: the cmocka-backed allocators and hex decoding shared by the
 * unit tests (see testutil.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "testutil.h"

static void *
t_alloc(size_t n, void **abstract)
{
    (void)abstract;
    return test_malloc(n);
}

static void *
t_realloc(void *p, size_t n, void **abstract)
{
    (void)abstract;
    return test_realloc(p, n);
}

static void
t_free(void *p, void **abstract)
{
    (void)abstract;
    test_free(p);
}

static void *
fail_alloc(size_t n, void **abstract)
{
    (void)n;
    (void)abstract;
    return NULL;
}

static void *abstract_slot;
const struct s2_allocator t_alloc_cmocka = { t_alloc, t_realloc, t_free, &abstract_slot };
const struct s2_allocator t_alloc_failing = { fail_alloc, t_realloc, t_free, &abstract_slot };

void
t_unhex(const char *hex, uint8_t *out, size_t *out_len)
{
    size_t n = strlen(hex) / 2;
    size_t i;
    unsigned int v;

    for (i = 0; i < n; i++) {
        assert_int_equal(sscanf(hex + 2 * i, "%2x", &v), 1);
        out[i] = (uint8_t)v;
    }
    *out_len = n;
}
