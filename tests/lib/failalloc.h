/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A test allocator for allocation-failure tests (STYLE.md section 9). It
 * counts allocations, fails the Nth one (or every one from the Nth on), and
 * tracks outstanding blocks and bytes so a test can assert that nothing
 * leaked. Use it through libssh2_session_init_ex(fa_alloc, fa_free,
 * fa_realloc, &state) or as a struct s2_allocator (fa_allocator()).
 *
 *     struct fa_state st;
 *     struct s2_allocator a;
 *     fa_init(&st, 3);          fail the 3rd allocation (0: never)
 *     fa_allocator(&a, &st);
 *     ... code under test ...
 *     assert_int_equal(st.blocks, 0);
 */
#ifndef S2_TEST_FAILALLOC_H
#define S2_TEST_FAILALLOC_H

#include <stddef.h>

#include "core/core.h"

struct fa_state {
    unsigned long calls;    /* allocations attempted so far (alloc and realloc) */
    unsigned long fail_at;  /* fail the call with this number (1-based); 0 = never */
    int fail_after;         /* non-zero: also fail every call after fail_at */
    unsigned long failures; /* calls that were made to fail */
    size_t blocks;          /* blocks currently allocated */
    size_t bytes;           /* bytes currently allocated */
    size_t peak_bytes;      /* the most bytes allocated at once */
    size_t max_block;       /* the largest single request seen */
    void *self;             /* holds this struct's address: the abstract slot */
};

/* fa_init resets |st| and fails the |fail_at|th allocation (0: never). */
void fa_init(struct fa_state *st, unsigned long fail_at);

/* fa_allocator fills |a| so that it allocates through |st|, which must
 * outlive every block. */
void fa_allocator(struct s2_allocator *a, struct fa_state *st);

/* fa_alloc, fa_realloc and fa_free have libssh2's allocator signatures;
 * *abstract must point to a struct fa_state. A freed or reallocated pointer
 * that this allocator did not hand out aborts the process. */
void *fa_alloc(size_t n, void **abstract);
void *fa_realloc(void *p, size_t n, void **abstract);
void fa_free(void *p, void **abstract);

#endif /* S2_TEST_FAILALLOC_H */
