/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Whole-handshake harness: the input is everything the server sends (ident
 * lines, then binary packets), delivered through LIBSSH2_CALLBACK_RECV in
 * chunks whose sizes come from the input. Reaches the ident parser, packet
 * framing, the gate, KEXINIT negotiation and every KEX reply parser in
 * plaintext (signatures over the exchange hash cannot verify, so the
 * handshake ends there). Must never crash, leak or hang.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "libssh2.h"

struct feed {
    const uint8_t *p;
    size_t left;
    size_t chunk;
};

static ssize_t
fuzz_recv(libssh2_socket_t fd, void *buf, size_t len, int flags, void **abstract)
{
    struct feed *f = *abstract;
    size_t n = len < f->left ? len : f->left;
    (void)fd;
    (void)flags;
    if (f->left == 0) {
        return 0; /* end of stream */
    }
    if (n > f->chunk) {
        n = f->chunk;
    }
    memcpy(buf, f->p, n);
    f->p += n;
    f->left -= n;
    return (ssize_t)n;
}

static ssize_t
fuzz_send(libssh2_socket_t fd, const void *buf, size_t len, int flags, void **abstract)
{
    (void)fd;
    (void)buf;
    (void)flags;
    (void)abstract;
    return (ssize_t)len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
    static int fds[2] = {-1, -1};
    struct feed f;
    LIBSSH2_SESSION *s;
    int i, rc;

    if (fds[0] < 0 && socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0) {
        return 0;
    }
    if (len < 1) {
        return 0;
    }
    f.chunk = (size_t)(data[0] % 64) * 97 + 1; /* 1 .. 6112 bytes a read */
    f.p = data + 1;
    f.left = len - 1;
    s = libssh2_session_init_ex(NULL, NULL, NULL, &f);
    if (s == NULL) {
        return 0;
    }
    libssh2_session_callback_set2(s, LIBSSH2_CALLBACK_RECV, (libssh2_cb_generic *)fuzz_recv);
    libssh2_session_callback_set2(s, LIBSSH2_CALLBACK_SEND, (libssh2_cb_generic *)fuzz_send);
    libssh2_session_set_blocking(s, 0);
    for (i = 0; i < 100000; i++) {
        rc = libssh2_session_handshake(s, fds[0]);
        if (rc != LIBSSH2_ERROR_EAGAIN) {
            break;
        }
    }
    if (rc == 0) {
        (void)libssh2_userauth_list(s, "fuzz", 4);
    }
    libssh2_session_free(s);
    return 0;
}
