/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * OpenSSH public key lines (.pub files, certificates): s2_pubkey_line_parse
 * must never crash or read past the input, and on success the blob it
 * appends must start with the line's key type.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "keys/keys.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
    struct s2_allocator a;
    struct s2_wr blob;
    s2_allocator_default(&a, NULL);
    s2_wr_dyn(&blob, &a, S2_HOSTKEY_MAX);
    if (s2_pubkey_line_parse((const char *)data, len, &blob) == 0) {
        struct s2_rd r, name;
        size_t skip = 0;
        while (skip < len && (data[skip] == ' ' || data[skip] == '\t')) {
            skip++; /* leading blanks are tolerated */
        }
        s2_rd_init(&r, blob.p, blob.len);
        s2_rd_str(&r, S2_NAME_MAX, &name);
        if (s2_rd_ok(&r) != 0 || name.left == 0 || name.left > len - skip ||
            memcmp(name.p, data + skip, name.left) != 0) {
            abort(); /* a parsed blob must name the line's own type */
        }
    }
    s2_wr_free(&blob);
    return 0;
}
