/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer harness for s2_comp_inflate (RFC 4253 6.2 zlib payloads). The
 * input is inflated on a fresh stream as one packet, then on another fresh
 * stream as two packets split at the offset given by the first byte, both
 * with the transport's 256 KiB cap. Aborts if the cap is exceeded, if a
 * failed call appended anything, or if the one-packet inflation succeeded
 * and the split one did not produce the same bytes (inflation must not
 * depend on where packets end). Then the input is deflated and inflated back
 * and must round-trip.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "transport/comp_int.h"

#define CAP (256u * 1024u)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

/* inflate_packet inflates one packet, checking the cap and the no-append-on-
 * error rule; returns the result. */
static int
inflate_packet(struct s2_comp *c, const uint8_t *p, size_t n, struct s2_wr *w)
{
    size_t before = w->len;
    int r = s2_comp_inflate(c, p, n, w, CAP);
    if (w->len - before > CAP || w->len > w->max) {
        abort();
    }
    if (r != 0 && w->len != before) {
        abort();
    }
    if (r != 0 && r != LIBSSH2_ERROR_ZLIB && r != LIBSSH2_ERROR_COMPRESS &&
        r != LIBSSH2_ERROR_ALLOC && r != LIBSSH2_ERROR_BUFFER_TOO_SMALL) {
        abort();
    }
    return r;
}

static void
round_trip(const struct s2_allocator *a, const uint8_t *data, size_t len)
{
    struct s2_comp *d = NULL, *i = NULL;
    struct s2_wr z, o;
    if (len > 64u * 1024u) {
        len = 64u * 1024u;
    }
    s2_wr_dyn(&z, a, 2 * CAP);
    s2_wr_dyn(&o, a, CAP);
    if (s2_comp_new(a, 1, &d) != 0 || s2_comp_new(a, 0, &i) != 0) {
        goto out;
    }
    if (s2_comp_deflate(d, data, len, &z) != 0) {
        abort();
    }
    if (s2_comp_inflate(i, z.p, z.len, &o, CAP) != 0 || o.len != len ||
        (len > 0 && memcmp(o.p, data, len) != 0)) {
        abort();
    }
out:
    s2_comp_free(a, d);
    s2_comp_free(a, i);
    s2_wr_free(&z);
    s2_wr_free(&o);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
    static void *abstract;
    struct s2_allocator a;
    struct s2_comp *one = NULL, *two = NULL;
    struct s2_wr w1, w2;
    size_t split;
    int r1, r2;

    s2_allocator_default(&a, &abstract);
    s2_wr_dyn(&w1, &a, 2 * CAP);
    s2_wr_dyn(&w2, &a, 2 * CAP);
    if (s2_comp_new(&a, 0, &one) != 0 || s2_comp_new(&a, 0, &two) != 0) {
        goto out;
    }
    r1 = inflate_packet(one, data, len, &w1);

    split = len > 0 ? data[0] : 0;
    if (split > len) {
        split = len;
    }
    r2 = inflate_packet(two, data, split, &w2);
    if (r2 == 0) {
        r2 = inflate_packet(two, data + split, len - split, &w2);
    }
    if (r1 == 0 && (r2 != 0 || w1.len != w2.len ||
                    (w1.len > 0 && memcmp(w1.p, w2.p, w1.len) != 0))) {
        abort();
    }
    round_trip(&a, data, len);
out:
    s2_comp_free(&a, one);
    s2_comp_free(&a, two);
    s2_wr_free(&w1);
    s2_wr_free(&w2);
    return 0;
}
