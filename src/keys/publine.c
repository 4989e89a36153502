/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * publine.c: OpenSSH public key lines, as in ".pub" files and
 * authorized_keys without options (sshd(8) AUTHORIZED_KEYS FILE FORMAT):
 *     keytype SP base64(blob) [SP comment]
 * The blob's own type name (its first string, RFC 4253 6.6) must equal the
 * line's keytype, which covers certificates (*-cert-v01@openssh.com,
 * PROTOCOL.certkeys) as well. Leading blanks and trailing CR/LF are
 * tolerated. The blob itself is not interpreted further here.
 */
#include <string.h>

#include "keys/keys.h"

static int
is_blank(char c)
{
    return c == ' ' || c == '\t';
}

int
s2_pubkey_line_parse(const char *line, size_t len, struct s2_wr *blob)
{
    struct s2_rd r;
    struct s2_rd name;
    size_t i = 0;
    size_t type_start;
    size_t type_len;
    size_t b64_start;
    size_t mark;
    int rc = LIBSSH2_ERROR_FILE;

    if (line == NULL || blob == NULL) {
        return LIBSSH2_ERROR_FILE;
    }
    while (i < len && is_blank(line[i])) {
        i++;
    }
    type_start = i;
    while (i < len && !is_blank(line[i]) && line[i] != '\r' && line[i] != '\n' && line[i] != '\0') {
        i++;
    }
    type_len = i - type_start;
    if (type_len == 0 || type_len > S2_NAME_MAX || i >= len || !is_blank(line[i])) {
        return LIBSSH2_ERROR_FILE;
    }
    while (i < len && is_blank(line[i])) {
        i++;
    }
    b64_start = i;
    while (i < len && !is_blank(line[i]) && line[i] != '\r' && line[i] != '\n' && line[i] != '\0') {
        i++;
    }
    if (i == b64_start) {
        return LIBSSH2_ERROR_FILE;
    }
    /* decode straight into |blob|; undo on failure */
    mark = blob->len;
    if (s2_base64_decode(blob, line + b64_start, i - b64_start) != 0) {
        rc = blob->err == LIBSSH2_ERROR_ALLOC ? LIBSSH2_ERROR_ALLOC : LIBSSH2_ERROR_FILE;
        goto fail;
    }
    s2_rd_init(&r, blob->p + mark, blob->len - mark);
    s2_rd_str(&r, S2_NAME_MAX, &name); /* string    key type name */
    if (s2_rd_ok(&r) != 0 || name.left != type_len ||
        memcmp(name.p, line + type_start, type_len) != 0) {
        goto fail;
    }
    return 0;
fail:
    if (blob->len > mark) {
        s2_wipe(blob->p + mark, blob->len - mark);
    }
    blob->len = mark;
    return rc;
}
