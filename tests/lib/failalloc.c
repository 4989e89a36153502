/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The failing test allocator (see failalloc.h). Each block carries a header
 * with a magic number and its size, so frees can be checked and outstanding
 * bytes counted. Freed blocks are filled with 0xdd before release, so a use
 * after free reads garbage rather than plausible data.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "failalloc.h"

#define FA_MAGIC 0x5f6661a110c8b10cULL
#define FA_DEAD 0x5f6661deadbeefULL

struct fa_hdr {
    unsigned long long magic;
    size_t size;
};

_Static_assert(sizeof(struct fa_hdr) % _Alignof(max_align_t) == 0,
               "the header must keep the user block aligned like malloc's");

void
fa_init(struct fa_state *st, unsigned long fail_at)
{
    memset(st, 0, sizeof *st);
    st->fail_at = fail_at;
    st->self = st;
}

void
fa_allocator(struct s2_allocator *a, struct fa_state *st)
{
    st->self = st;
    a->alloc = fa_alloc;
    a->realloc = fa_realloc;
    a->free = fa_free;
    a->abstract = &st->self;
}

static struct fa_state *
state_of(void **abstract)
{
    if (abstract == NULL || *abstract == NULL) {
        fprintf(stderr, "failalloc: no state\n");
        abort();
    }
    return *abstract;
}

/* should_fail counts one call and tells whether it must fail. */
static int
should_fail(struct fa_state *st)
{
    st->calls++;
    if (st->fail_at != 0 &&
        (st->calls == st->fail_at || (st->fail_after && st->calls > st->fail_at))) {
        st->failures++;
        return 1;
    }
    return 0;
}

static struct fa_hdr *
hdr_of(void *p)
{
    struct fa_hdr *h = (struct fa_hdr *)((unsigned char *)p - sizeof(struct fa_hdr));
    if (h->magic != FA_MAGIC) {
        fprintf(stderr, "failalloc: %p was not allocated here (or freed twice)\n", p);
        abort();
    }
    return h;
}

static void
account(struct fa_state *st, size_t n)
{
    st->blocks++;
    st->bytes += n;
    if (st->bytes > st->peak_bytes) {
        st->peak_bytes = st->bytes;
    }
    if (n > st->max_block) {
        st->max_block = n;
    }
}

void *
fa_alloc(size_t n, void **abstract)
{
    struct fa_state *st = state_of(abstract);
    struct fa_hdr *h;
    if (should_fail(st) || n > (size_t)-1 - sizeof *h) {
        return NULL;
    }
    h = malloc(sizeof *h + n);
    if (h == NULL) {
        return NULL;
    }
    h->magic = FA_MAGIC;
    h->size = n;
    account(st, n);
    return h + 1;
}

void *
fa_realloc(void *p, size_t n, void **abstract)
{
    struct fa_state *st = state_of(abstract);
    struct fa_hdr *h, *nh;
    size_t old;
    if (p == NULL) {
        return fa_alloc(n, abstract);
    }
    h = hdr_of(p);
    old = h->size;
    if (should_fail(st) || n > (size_t)-1 - sizeof *h) {
        return NULL; /* |p| stays valid */
    }
    /* always move, so callers that keep stale pointers are caught */
    nh = malloc(sizeof *nh + n);
    if (nh == NULL) {
        return NULL;
    }
    nh->magic = FA_MAGIC;
    nh->size = n;
    memcpy(nh + 1, p, old < n ? old : n);
    memset(p, 0xdd, old);
    h->magic = FA_DEAD;
    free(h);
    st->blocks--;
    st->bytes -= old;
    account(st, n);
    return nh + 1;
}

void
fa_free(void *p, void **abstract)
{
    struct fa_state *st = state_of(abstract);
    struct fa_hdr *h;
    if (p == NULL) {
        return;
    }
    h = hdr_of(p);
    if (st->blocks == 0 || st->bytes < h->size) {
        fprintf(stderr, "failalloc: accounting underflow\n");
        abort();
    }
    st->blocks--;
    st->bytes -= h->size;
    memset(p, 0xdd, h->size);
    h->magic = FA_DEAD;
    free(h);
}
