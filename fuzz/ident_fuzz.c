/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer harness for s2_ident_feed (RFC 4253 4.2 identification line).
 * Feeds the input whole, then again in chunks whose sizes come from the
 * input itself, and aborts if the two disagree (verdict, bytes consumed or
 * version): the scanner must not depend on how bytes arrive (E6), must never
 * consume past the ident's LF, and must not read past the input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "transport/tp_parse_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
    static struct s2_ident a, b;
    size_t used_a = 0, used_b = 0, off = 0;
    int ra, rb = 0;
    size_t step = 1;

    s2_ident_init(&a);
    ra = s2_ident_feed(&a, data, len, &used_a);
    if (used_a > len || (ra == 0 && used_a != len)) {
        abort();
    }
    if (ra == 1 && (used_a == 0 || data[used_a - 1] != '\n' || a.version_len == 0 ||
                    a.version_len > S2_IDENT_LINE_MAX - 1 ||
                    strlen(a.version) != a.version_len)) {
        abort();
    }

    s2_ident_init(&b);
    while (off < len) {
        size_t n = len - off < step ? len - off : step;
        size_t u = 0;
        rb = s2_ident_feed(&b, data + off, n, &u);
        if (u > n || (rb == 0 && u != n)) {
            abort();
        }
        used_b += u;
        off += n;
        if (rb != 0) {
            break;
        }
        step = (size_t)(data[off - 1] % 7) + 1; /* chunk sizes 1..7 */
    }
    if (ra != rb || used_a != used_b) {
        abort();
    }
    if (ra == 1 && (a.version_len != b.version_len ||
                    memcmp(a.version, b.version, a.version_len) != 0)) {
        abort();
    }
    return 0;
}
