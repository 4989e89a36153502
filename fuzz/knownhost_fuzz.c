/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * knownhost_fuzz.c: libFuzzer harness for libssh2_knownhost_readline
 * (HOSTILE-CASES KH-01..KH-05). The input is "line\nhost": the first line is
 * read as a known_hosts line, the rest is used as a host name to check. An
 * entry that was read must write back, and what it writes must read back and
 * write again to the very same bytes; checking the entry's own key for a
 * host must never report FAILURE.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "libssh2.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

static LIBSSH2_SESSION *session;

static struct libssh2_knownhost *
first(LIBSSH2_KNOWNHOSTS *kh)
{
    struct libssh2_knownhost *e = NULL;
    return libssh2_knownhost_get(kh, &e, NULL) == 0 ? e : NULL;
}

static void
roundtrip(LIBSSH2_KNOWNHOSTS *kh, struct libssh2_knownhost *e)
{
    static char out1[600000];
    static char out2[600000];
    size_t n1 = 0;
    size_t n2 = 0;
    LIBSSH2_KNOWNHOSTS *k2;
    struct libssh2_knownhost *e2;

    if (libssh2_knownhost_writeline(kh, e, out1, sizeof out1, &n1,
                                    LIBSSH2_KNOWNHOST_FILE_OPENSSH) != 0) {
        abort();
    }
    if (n1 == 0 || out1[n1 - 1] != '\n' || strlen(out1) != n1) {
        abort();
    }
    k2 = libssh2_knownhost_init(session);
    if (k2 == NULL) {
        abort();
    }
    if (libssh2_knownhost_readline(k2, out1, n1, LIBSSH2_KNOWNHOST_FILE_OPENSSH) != 0) {
        abort();
    }
    e2 = first(k2);
    if (e2 == NULL || e2->typemask != e->typemask) {
        abort();
    }
    if (libssh2_knownhost_writeline(k2, e2, out2, sizeof out2, &n2,
                                    LIBSSH2_KNOWNHOST_FILE_OPENSSH) != 0) {
        abort();
    }
    if (n1 != n2 || memcmp(out1, out2, n1) != 0) {
        abort();
    }
    libssh2_knownhost_free(k2);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
    LIBSSH2_KNOWNHOSTS *kh;
    struct libssh2_knownhost *e;
    const uint8_t *nl;
    size_t line_len;
    char host[256];
    size_t host_len = 0;
    int rc;

    if (session == NULL) {
        session = libssh2_session_init();
        if (session == NULL) {
            abort();
        }
    }
    nl = memchr(data, '\n', len);
    line_len = nl == NULL ? len : (size_t)(nl - data) + 1u;
    if (nl != NULL) {
        host_len = len - line_len;
        if (host_len > sizeof host - 1) {
            host_len = sizeof host - 1;
        }
        memcpy(host, data + line_len, host_len);
    }
    host[host_len] = '\0';

    kh = libssh2_knownhost_init(session);
    if (kh == NULL) {
        abort();
    }
    rc = libssh2_knownhost_readline(kh, (const char *)data, line_len,
                                    LIBSSH2_KNOWNHOST_FILE_OPENSSH);
    e = first(kh);
    if (rc != 0 && e != NULL) {
        abort(); /* a failed line must add nothing */
    }
    if (e != NULL) {
        roundtrip(kh, e);
        /* the host name given, with the entry's own key, and a dummy key */
        rc = libssh2_knownhost_checkp(kh, host, 2222, e->key, 0,
                                      LIBSSH2_KNOWNHOST_TYPE_PLAIN |
                                          LIBSSH2_KNOWNHOST_KEYENC_BASE64 |
                                          (e->typemask & LIBSSH2_KNOWNHOST_KEY_MASK),
                                      NULL);
        if (rc == LIBSSH2_KNOWNHOST_CHECK_FAILURE && host_len > 0 && strlen(host) > 0) {
            abort();
        }
        rc = libssh2_knownhost_checkp(kh, host, -1, "x", 1,
                                      LIBSSH2_KNOWNHOST_TYPE_PLAIN | LIBSSH2_KNOWNHOST_KEYENC_RAW,
                                      NULL);
        if (rc == LIBSSH2_KNOWNHOST_CHECK_MATCH) {
            abort(); /* no entry can hold a 1-byte key */
        }
    }
    libssh2_knownhost_free(kh);
    return 0;
}
