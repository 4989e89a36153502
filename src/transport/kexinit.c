/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * SSH_MSG_KEXINIT, RFC 4253 7.1: parser, builder and the algorithm choice
 * ("the first algorithm on the client's list that is also on the server's
 * list"), plus the first_kex_packet_follows guess check of RFC 4253 7.
 * Name-lists follow RFC 4251 5 and 6. The KEX state machine that uses these
 * lives in the transport engine.
 */
#include <string.h>

#include "transport/ssh_msg.h"
#include "transport/tp_parse_int.h"

int
s2_namelist_check(const struct s2_rd *list)
{
    struct s2_rd r = *list; /* walk a copy; |list| stays whole */
    size_t name_len = 0;

    if (r.err != 0 || r.left > S2_NAMELIST_MAX) {
        return LIBSSH2_ERROR_PROTO;
    }
    if (r.left == 0) {
        return 0;
    }
    while (r.left > 0) {
        uint8_t c = s2_rd_u8(&r);
        if (c == ',') {
            if (name_len == 0) {
                return LIBSSH2_ERROR_PROTO; /* leading or doubled comma */
            }
            name_len = 0;
        } else if (c < 0x21 || c > 0x7e) {
            return LIBSSH2_ERROR_PROTO; /* control, space, DEL, non-ASCII */
        } else {
            name_len++;
            if (name_len > S2_NAME_MAX) {
                return LIBSSH2_ERROR_PROTO;
            }
        }
    }
    if (name_len == 0) {
        return LIBSSH2_ERROR_PROTO; /* trailing comma */
    }
    return s2_rd_ok(&r);
}

int
s2_kexinit_parse(struct s2_rd *r, struct s2_kexinit *out)
{
    struct s2_kexinit m;
    size_t i;
    int ret;

    memset(&m, 0, sizeof(m));
    s2_rd_copy(r, m.cookie, sizeof(m.cookie));     /* byte[16]   cookie */
    for (i = 0; i < S2_KL_COUNT; i++) {            /* name-list  x 10 */
        s2_rd_str(r, S2_NAMELIST_MAX, &m.list[i]);
    }
    m.first_kex_follows = s2_rd_bool(r);           /* boolean    first_kex_packet_follows */
    m.reserved = s2_rd_u32(r);                     /* uint32     0 (reserved; K-04: ignored) */
    ret = s2_rd_finish(r);
    for (i = 0; ret == 0 && i < S2_KL_COUNT; i++) {
        ret = s2_namelist_check(&m.list[i]);
    }
    if (ret != 0) {
        memset(out, 0, sizeof(*out));
        return LIBSSH2_ERROR_KEX_FAILURE;
    }
    *out = m;
    return 0;
}

void
s2_kexinit_build(struct s2_wr *w, const uint8_t cookie[16], const char *const lists[S2_KL_COUNT])
{
    size_t i;

    s2_wr_u8(w, SSH_MSG_KEXINIT);       /* byte       SSH_MSG_KEXINIT */
    s2_wr_raw(w, cookie, 16);           /* byte[16]   cookie */
    for (i = 0; i < S2_KL_COUNT; i++) { /* name-list  x 10 */
        s2_wr_cstr(w, lists[i] != NULL ? lists[i] : "");
    }
    s2_wr_bool(w, 0);                   /* boolean    first_kex_packet_follows */
    s2_wr_u32(w, 0);                    /* uint32     0 (reserved) */
}

int
s2_kex_negotiate(const char *ours, const struct s2_rd *theirs, char *out, size_t out_max)
{
    const char *name = ours;

    if (theirs->err != 0) {
        return LIBSSH2_ERROR_KEX_FAILURE;
    }
    while (*name != '\0') {
        size_t n = strcspn(name, ",");
        if (n > 0 && s2_namelist_has((const char *)theirs->p, theirs->left, name, n)) {
            if (n >= out_max) {
                return LIBSSH2_ERROR_BUFFER_TOO_SMALL;
            }
            memcpy(out, name, n);
            out[n] = '\0';
            return 0;
        }
        name += n;
        if (*name == ',') {
            name++;
        }
    }
    return LIBSSH2_ERROR_KEX_FAILURE;
}

/* first_equal tells whether the first name of our NUL-terminated list
 * |ours| equals the first name of the peer's list |theirs|; two empty
 * first names do not count as a match. */
static int
first_equal(const char *ours, const struct s2_rd *theirs)
{
    struct s2_rd r = *theirs;
    size_t n = strcspn(ours, ",");
    size_t i = 0;

    if (n == 0 || r.err != 0) {
        return 0;
    }
    while (r.left > 0) {
        uint8_t c = s2_rd_u8(&r);
        if (c == ',') {
            break;
        }
        if (i >= n || (uint8_t)ours[i] != c) {
            return 0;
        }
        i++;
    }
    return i == n;
}

int
s2_kex_guess_ok(const char *our_kex, const char *our_hostkey, const struct s2_kexinit *theirs)
{
    return first_equal(our_kex, &theirs->list[S2_KL_KEX]) &&
           first_equal(our_hostkey, &theirs->list[S2_KL_HOSTKEY]);
}
