/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The allocator hook (DESIGN.md "Memory"). Sessions allocate through the
 * functions given to libssh2_session_init_ex(); sessions made without them use
 * the process-wide allocator, which is libc's unless ssh2core_set_allocator()
 * replaced it. This file is the only place in src/ that calls libc's malloc.
 */
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

static void *(*global_malloc)(size_t) = malloc;
static void *(*global_realloc)(void *, size_t) = realloc;
static void (*global_free)(void *) = free;

int
s2_allocator_set_global(void *(*malloc_fn)(size_t), void *(*realloc_fn)(void *, size_t),
                        void (*free_fn)(void *))
{
    if (malloc_fn == NULL && realloc_fn == NULL && free_fn == NULL) {
        global_malloc = malloc;
        global_realloc = realloc;
        global_free = free;
        return 0;
    }
    if (malloc_fn == NULL || realloc_fn == NULL || free_fn == NULL) {
        return LIBSSH2_ERROR_INVAL;
    }
    global_malloc = malloc_fn;
    global_realloc = realloc_fn;
    global_free = free_fn;
    return 0;
}

static void *
global_alloc_cb(size_t n, void **abstract)
{
    (void)abstract;
    return global_malloc(n);
}

static void *
global_realloc_cb(void *p, size_t n, void **abstract)
{
    (void)abstract;
    return global_realloc(p, n);
}

static void
global_free_cb(void *p, void **abstract)
{
    (void)abstract;
    global_free(p);
}

void
s2_allocator_default(struct s2_allocator *a, void **abstract)
{
    a->alloc = global_alloc_cb;
    a->realloc = global_realloc_cb;
    a->free = global_free_cb;
    a->abstract = abstract;
}

void *
s2_alloc(const struct s2_allocator *a, size_t n)
{
    return a->alloc(n == 0 ? 1 : n, a->abstract);
}

void *
s2_zalloc(const struct s2_allocator *a, size_t n)
{
    void *p = s2_alloc(a, n);
    if (p != NULL) {
        memset(p, 0, n == 0 ? 1 : n);
    }
    return p;
}

void *
s2_alloc_array(const struct s2_allocator *a, size_t n, size_t size)
{
    if (size != 0 && n > SIZE_MAX / size) {
        return NULL;
    }
    return s2_alloc(a, n * size);
}

void *
s2_realloc(const struct s2_allocator *a, void *p, size_t n)
{
    return a->realloc(p, n == 0 ? 1 : n, a->abstract);
}

void
s2_free(const struct s2_allocator *a, void *p)
{
    if (p != NULL) {
        a->free(p, a->abstract);
    }
}

void
s2_wipe(void *p, size_t n)
{
    volatile unsigned char *v = p;
    while (n > 0) {
        *v++ = 0;
        n--;
    }
}

void
s2_free_secret(const struct s2_allocator *a, void *p, size_t n)
{
    if (p != NULL) {
        s2_wipe(p, n);
        a->free(p, a->abstract);
    }
}

char *
s2_memdup(const struct s2_allocator *a, const void *p, size_t n)
{
    char *d;
    if (n == SIZE_MAX) {
        return NULL;
    }
    d = s2_alloc(a, n + 1);
    if (d != NULL) {
        if (n > 0) {
            memcpy(d, p, n);
        }
        d[n] = '\0';
    }
    return d;
}
