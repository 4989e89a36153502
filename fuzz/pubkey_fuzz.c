/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pubkey_fuzz.c: libFuzzer harness for s2_pubkey_parse (host key blobs,
 * RFC 4253 6.6, RFC 5656 3.1, RFC 8709). The input is the blob. A blob that
 * parses must have views that stay inside the input.
 */
#include <stdint.h>
#include <stdlib.h>

#include "keys/keys.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

static void
check_view(const struct s2_rd *v, const uint8_t *data, size_t len)
{
    if (v->left == 0) {
        return;
    }
    if (v->p < data || v->left > len || (size_t)(v->p - data) > len - v->left) {
        abort();
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
    struct s2_pubkey k;
    if (s2_pubkey_parse(data, len, &k) == 0) {
        check_view(&k.name, data, len);
        check_view(&k.ed25519, data, len);
        check_view(&k.ec_point, data, len);
        check_view(&k.rsa_e, data, len);
        check_view(&k.rsa_n, data, len);
        if (s2_pubkey_libssh2_type(&k) == LIBSSH2_HOSTKEY_TYPE_UNKNOWN) {
            abort();
        }
    }
    return 0;
}
