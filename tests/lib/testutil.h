/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * testutil.h: small helpers shared by the cmocka unit tests.
 */
#ifndef S2_TESTUTIL_H
#define S2_TESTUTIL_H

#include <stddef.h>
#include <stdint.h>

#include "core/core.h"

/* t_alloc_cmocka allocates through cmocka's test_malloc/test_realloc/
 * test_free, so every test also checks that nothing leaks. */
extern const struct s2_allocator t_alloc_cmocka;
/* t_alloc_failing fails every allocation (realloc and free as above). */
extern const struct s2_allocator t_alloc_failing;

/* t_unhex decodes the hex string |hex| into |out| (room for strlen/2
 * bytes) and stores the byte count in |out_len|; a bad digit fails the test. */
void t_unhex(const char *hex, uint8_t *out, size_t *out_len);

#endif /* S2_TESTUTIL_H */
