/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Base64 (RFC 4648 section 4) for key files, .pub lines and known_hosts.
 * Decoding is strict about the alphabet and padding, and skips whitespace.
 */
#include "core/core.h"

static const char alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void
s2_base64_encode(struct s2_wr *w, const void *p, size_t n)
{
    const uint8_t *s = p;
    size_t i;
    for (i = 0; i + 3 <= n; i += 3) {
        uint32_t v = ((uint32_t)s[i] << 16) | ((uint32_t)s[i + 1] << 8) | s[i + 2];
        s2_wr_u8(w, (uint8_t)alphabet[(v >> 18) & 63]);
        s2_wr_u8(w, (uint8_t)alphabet[(v >> 12) & 63]);
        s2_wr_u8(w, (uint8_t)alphabet[(v >> 6) & 63]);
        s2_wr_u8(w, (uint8_t)alphabet[v & 63]);
    }
    if (n - i == 1) {
        uint32_t v = (uint32_t)s[i] << 16;
        s2_wr_u8(w, (uint8_t)alphabet[(v >> 18) & 63]);
        s2_wr_u8(w, (uint8_t)alphabet[(v >> 12) & 63]);
        s2_wr_raw(w, "==", 2);
    } else if (n - i == 2) {
        uint32_t v = ((uint32_t)s[i] << 16) | ((uint32_t)s[i + 1] << 8);
        s2_wr_u8(w, (uint8_t)alphabet[(v >> 18) & 63]);
        s2_wr_u8(w, (uint8_t)alphabet[(v >> 12) & 63]);
        s2_wr_u8(w, (uint8_t)alphabet[(v >> 6) & 63]);
        s2_wr_u8(w, '=');
    }
}

static int
value(char c)
{
    if (c >= 'A' && c <= 'Z') {
        return c - 'A';
    }
    if (c >= 'a' && c <= 'z') {
        return c - 'a' + 26;
    }
    if (c >= '0' && c <= '9') {
        return c - '0' + 52;
    }
    if (c == '+') {
        return 62;
    }
    if (c == '/') {
        return 63;
    }
    return -1;
}

int
s2_base64_decode(struct s2_wr *w, const char *text, size_t len)
{
    uint32_t acc = 0;
    size_t i, nchars = 0, pad = 0;
    for (i = 0; i < len; i++) {
        char c = text[i];
        int v;
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            continue;
        }
        if (c == '=') {
            pad++;
            if (pad > 2) {
                return LIBSSH2_ERROR_INVAL;
            }
            continue;
        }
        v = value(c);
        if (v < 0 || pad > 0) {
            return LIBSSH2_ERROR_INVAL; /* bad character, or data after padding */
        }
        acc = (acc << 6) | (uint32_t)v;
        nchars++;
        if (nchars % 4 == 0) {
            s2_wr_u8(w, (uint8_t)(acc >> 16));
            s2_wr_u8(w, (uint8_t)(acc >> 8));
            s2_wr_u8(w, (uint8_t)acc);
            acc = 0;
        }
    }
    switch (nchars % 4) {
    case 0:
        if (pad != 0) {
            return LIBSSH2_ERROR_INVAL;
        }
        break;
    case 2:
        if (pad != 0 && pad != 2) {
            return LIBSSH2_ERROR_INVAL;
        }
        s2_wr_u8(w, (uint8_t)(acc >> 4));
        break;
    case 3:
        if (pad != 0 && pad != 1) {
            return LIBSSH2_ERROR_INVAL;
        }
        s2_wr_u8(w, (uint8_t)(acc >> 10));
        s2_wr_u8(w, (uint8_t)(acc >> 2));
        break;
    default:
        return LIBSSH2_ERROR_INVAL;
    }
    return s2_wr_ok(w);
}
