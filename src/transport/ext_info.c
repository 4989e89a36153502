/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * SSH_MSG_EXT_INFO, RFC 8308 2.3, and the extensions a client cares about:
 * "server-sig-algs" (RFC 8308 3.1), "publickey-hostbound@openssh.com" and
 * "ping@openssh.com" (OpenSSH PROTOCOL). When an EXT_INFO is acceptable
 * (RFC 8308 2.4, K-27) is the transport engine's decision, not this file's.
 */
#include <string.h>

#include "transport/tp_parse_int.h"

/* smallest extension pair: string "" + string "" */
#define EXT_PAIR_MIN 8u

int
s2_ext_info_parse(struct s2_rd *r, struct s2_ext_info *out)
{
    struct s2_ext_info m;
    uint32_t num_ext;
    uint32_t i;
    int ret;

    memset(&m, 0, sizeof(m));
    num_ext = s2_rd_u32(r);                          /* uint32  nr-extensions */
    /* CVE-2026-55199: bound the loop by the bytes present, never by the
     * peer's count alone */
    if (s2_rd_ok(r) != 0 || num_ext > r->left / EXT_PAIR_MIN || num_ext > S2_EXT_INFO_MAX) {
        ret = LIBSSH2_ERROR_PROTO;
        goto out;
    }
    for (i = 0; i < num_ext; i++) {
        struct s2_rd name;
        struct s2_rd value;
        s2_rd_str(r, S2_STRING_MAX, &name);          /* string  extension-name */
        s2_rd_str(r, S2_STRING_MAX, &value);         /* string  extension-value */
        if (s2_rd_ok(r) != 0) {
            break;
        }
        if (s2_rd_eq(&name, "server-sig-algs")) {
            if (m.has_server_sig_algs || s2_namelist_check(&value) != 0) {
                s2_rd_fail(r, LIBSSH2_ERROR_PROTO);
                break;
            }
            m.server_sig_algs = value;
            m.has_server_sig_algs = 1;
        } else if (s2_rd_eq(&name, "ping@openssh.com")) {
            if (m.ping) {
                s2_rd_fail(r, LIBSSH2_ERROR_PROTO);
                break;
            }
            m.ping = 1;
        } else if (s2_rd_eq(&name, "publickey-hostbound@openssh.com")) {
            if (m.publickey_hostbound) {
                s2_rd_fail(r, LIBSSH2_ERROR_PROTO);
                break;
            }
            m.publickey_hostbound = 1;
        }
        /* unknown extensions are ignored (RFC 8308 2.5) */
    }
    ret = s2_rd_finish(r) != 0 ? LIBSSH2_ERROR_PROTO : 0;
out:
    if (ret != 0) {
        memset(out, 0, sizeof(*out));
        return ret;
    }
    *out = m;
    return 0;
}
