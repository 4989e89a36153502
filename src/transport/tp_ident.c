/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The server's identification line, RFC 4253 4.2:
 *     SSH-protoversion-softwareversion SP comments CR LF
 * preceded by any number of other lines (bounded here by S2_IDENT_LINES_MAX
 * and S2_IDENT_BYTES_MAX). s2_ident_feed is a byte-at-a-time scanner whose
 * whole state is struct s2_ident, so input may arrive split anywhere; it
 * stops right after the ident's LF so the packet layer gets what follows.
 * The policy is documented beside struct s2_ident in tp_parse_int.h.
 */
#include <string.h>

#include "transport/tp_parse_int.h"

#define IDENT_PREFIX "SSH-"
#define IDENT_PREFIX_LEN 4u

void
s2_ident_init(struct s2_ident *id)
{
    memset(id, 0, sizeof(*id));
}

/* Is the current line (so far) still possibly the ident, i.e. do its first
 * bytes agree with "SSH-"? */
static int
maybe_ident(const struct s2_ident *id)
{
    size_t n = id->line_len < IDENT_PREFIX_LEN ? id->line_len : IDENT_PREFIX_LEN;
    return memcmp(id->line, IDENT_PREFIX, n) == 0;
}

/* Is the current line known to be the ident (starts with "SSH-")? */
static int
is_ident(const struct s2_ident *id)
{
    return id->line_len >= IDENT_PREFIX_LEN && maybe_ident(id);
}

/* check_version validates a complete ident line |s| of |n| bytes (CR LF
 * already stripped):  "SSH-" ("2.0" | "1.99") "-" softwareversion [SP comments] */
static int
check_version(const char *s, size_t n)
{
    size_t i;
    size_t sw_start;

    if (n >= 8 && memcmp(s, "SSH-2.0-", 8) == 0) {
        sw_start = 8;
    } else if (n >= 9 && memcmp(s, "SSH-1.99-", 9) == 0) {
        sw_start = 9;
    } else {
        return LIBSSH2_ERROR_BANNER_RECV;
    }
    /* softwareversion: 1* (0x21..0x7e) */
    for (i = sw_start; i < n && s[i] != ' '; i++) {
        if (s[i] < 0x21 || s[i] > 0x7e) {
            return LIBSSH2_ERROR_BANNER_RECV;
        }
    }
    if (i == sw_start) {
        return LIBSSH2_ERROR_BANNER_RECV;
    }
    /* [SP comments]: comments are printable ASCII, spaces allowed */
    for (; i < n; i++) {
        if (s[i] < 0x20 || s[i] > 0x7e) {
            return LIBSSH2_ERROR_BANNER_RECV;
        }
    }
    return 0;
}

/* end_of_line handles the LF that ends the current line. Returns 1 when the
 * line was the ident, 0 for a pre-ident line, or BANNER_RECV. */
static int
end_of_line(struct s2_ident *id)
{
    size_t n = id->line_len;
    int r;

    if (is_ident(id)) {
        /* line_len <= S2_IDENT_LINE_MAX - 1 was enforced byte by byte */
        if (n > 0 && id->line[n - 1] == '\r') {
            n--;
        }
        r = check_version(id->line, n);
        if (r != 0) {
            return r;
        }
        memcpy(id->version, id->line, n);
        id->version[n] = '\0';
        id->version_len = n;
        return 1;
    }
    /* a pre-ident line, LF included in the byte count */
    id->lines++;
    id->bytes += id->line_len + 1;
    if (id->lines > S2_IDENT_LINES_MAX || id->bytes > S2_IDENT_BYTES_MAX) {
        return LIBSSH2_ERROR_BANNER_RECV;
    }
    id->line_len = 0;
    id->line[0] = '\0';
    return 0;
}

/* add_byte appends |c| (not LF) to the current line and enforces the caps
 * that can be decided before the LF arrives. Returns 0 or BANNER_RECV. */
static int
add_byte(struct s2_ident *id, uint8_t c)
{
    if (c == 0) {
        return LIBSSH2_ERROR_BANNER_RECV;
    }
    if (id->line_len < S2_IDENT_LINE_MAX) {
        id->line[id->line_len] = (char)c;
        id->line[id->line_len + 1] = '\0';
    }
    id->line_len++;
    if (is_ident(id)) {
        /* the LF still to come would make the line longer than 255 */
        if (id->line_len + 1 > S2_IDENT_LINE_MAX) {
            return LIBSSH2_ERROR_BANNER_RECV;
        }
    } else if (!maybe_ident(id)) {
        /* a pre-ident line: its LF still to come must fit the byte cap;
         * id->bytes <= S2_IDENT_BYTES_MAX, so no overflow */
        if (id->line_len + 1 > S2_IDENT_BYTES_MAX - id->bytes) {
            return LIBSSH2_ERROR_BANNER_RECV;
        }
    }
    return 0;
}

int
s2_ident_feed(struct s2_ident *id, const uint8_t *in, size_t len, size_t *used)
{
    struct s2_rd r;
    int ret = 0;

    *used = 0;
    if (id->err != 0) {
        return id->err;
    }
    if (id->version_len > 0) {
        return 1;
    }
    s2_rd_init(&r, in, len);
    while (r.left > 0) {
        uint8_t c = s2_rd_u8(&r);
        if (c == '\n') {
            ret = end_of_line(id);
        } else {
            ret = add_byte(id, c);
        }
        if (ret != 0) {
            break;
        }
    }
    *used = len - r.left;
    if (ret < 0) {
        id->err = ret;
    }
    return ret;
}
