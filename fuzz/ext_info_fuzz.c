/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * libFuzzer harness for s2_ext_info_parse (RFC 8308 2.3). The input is a
 * whole EXT_INFO payload including its message byte (whatever its value).
 * On success the server-sig-algs view is checked to lie inside the input
 * and is searched the way userauth will search it.
 */
#include <stdint.h>
#include <stdlib.h>

#include "transport/tp_parse_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
    struct s2_rd r;
    struct s2_ext_info e;

    s2_rd_init(&r, data, len);
    (void)s2_rd_u8(&r); /* message number */
    if (s2_ext_info_parse(&r, &e) != 0) {
        return 0;
    }
    if (e.has_server_sig_algs) {
        const uint8_t *p = e.server_sig_algs.p;
        if (e.server_sig_algs.left > S2_NAMELIST_MAX ||
            (e.server_sig_algs.left > 0 &&
             (p < data || p + e.server_sig_algs.left > data + len))) {
            abort();
        }
        (void)s2_namelist_has((const char *)p, e.server_sig_algs.left, "rsa-sha2-256", 12);
    } else if (e.server_sig_algs.left != 0) {
        abort();
    }
    return 0;
}
