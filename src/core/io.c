/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The socket adapter: the only code that calls send(2)/recv(2) or the
 * application's LIBSSH2_CALLBACK_SEND/RECV. Reports EAGAIN with the direction
 * it would block in, so libssh2_session_block_directions() is exact.
 */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include "core/core.h"

#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL 0
#endif

static ssize_t
do_send(struct s2_io *io, const void *buf, size_t len)
{
    ssize_t n;
    if (io->send_cb != NULL) {
        return io->send_cb(io->fd, buf, len, MSG_NOSIGNAL, io->abstract);
    }
    n = send(io->fd, buf, len, MSG_NOSIGNAL);
    return n < 0 ? -errno : n;
}

static ssize_t
do_recv(struct s2_io *io, void *buf, size_t len)
{
    ssize_t n;
    if (io->recv_cb != NULL) {
        return io->recv_cb(io->fd, buf, len, 0, io->abstract);
    }
    n = recv(io->fd, buf, len, 0);
    return n < 0 ? -errno : n;
}

static int
would_block(ssize_t n)
{
    return n == -EAGAIN || n == -EWOULDBLOCK;
}

ssize_t
s2_io_send(struct s2_io *io, const void *buf, size_t len)
{
    for (;;) {
        ssize_t n = do_send(io, buf, len);
        if (n >= 0) {
            if (n == 0 && len > 0) {
                io->want_dir = LIBSSH2_SESSION_BLOCK_OUTBOUND;
                return LIBSSH2_ERROR_EAGAIN;
            }
            return n;
        }
        if (n == -EINTR) {
            continue;
        }
        if (would_block(n)) {
            io->want_dir = LIBSSH2_SESSION_BLOCK_OUTBOUND;
            return LIBSSH2_ERROR_EAGAIN;
        }
        if (n == -ECONNRESET || n == -EPIPE) {
            return LIBSSH2_ERROR_SOCKET_DISCONNECT; /* the peer went away */
        }
        return LIBSSH2_ERROR_SOCKET_SEND;
    }
}

/* reads of at most this many bytes count as request/response traffic */
#define QUICKACK_MAX_READ 4096

ssize_t
s2_io_recv(struct s2_io *io, void *buf, size_t len)
{
#ifdef TCP_QUICKACK
    if (io->quickack && io->recv_cb == NULL) {
        int one = 1;
        (void)setsockopt(io->fd, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof one);
    }
#endif
    for (;;) {
        ssize_t n = do_recv(io, buf, len);
        if (n > 0) {
            io->quickack = io->tcp && n <= QUICKACK_MAX_READ;
            return n;
        }
        if (n == 0) {
            return LIBSSH2_ERROR_SOCKET_DISCONNECT;
        }
        if (n == -EINTR) {
            continue;
        }
        if (would_block(n)) {
            io->want_dir = LIBSSH2_SESSION_BLOCK_INBOUND;
            return LIBSSH2_ERROR_EAGAIN;
        }
        if (n == -ECONNRESET || n == -EPIPE) {
            return LIBSSH2_ERROR_SOCKET_DISCONNECT;
        }
        return LIBSSH2_ERROR_SOCKET_RECV;
    }
}

void
s2_io_tune(struct s2_io *io)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    int type = 0;
    socklen_t tlen = sizeof type;
    int one = 1;

    if (getsockopt(io->fd, SOL_SOCKET, SO_TYPE, &type, &tlen) != 0 || type != SOCK_STREAM) {
        return;
    }
    if (getsockname(io->fd, (struct sockaddr *)&ss, &len) != 0 ||
        (ss.ss_family != AF_INET && ss.ss_family != AF_INET6)) {
        return;
    }
    (void)setsockopt(io->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    io->tcp = 1;
    io->quickack = 1;
}
