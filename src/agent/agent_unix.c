/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * agent_unix.c: the agent transport over a Unix-domain stream socket
 * (draft-miller-ssh-agent section 3: each message is a uint32 length then
 * that many bytes). One transaction writes a request and reads one reply,
 * waiting with poll(2) against a single deadline; the reply length is
 * bounded (0 < len <= S2_AGENT_MSG_MAX, A-02) before anything is allocated.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "agent/agent.h"

int
s2_agent_unix_connect(struct s2_env *env, const char *path, int *out_fd)
{
    struct sockaddr_un addr;
    size_t n = strlen(path);
    int fd, fl, r;

    *out_fd = -1;
    memset(&addr, 0, sizeof addr);
    if (n >= sizeof addr.sun_path) {
        return s2_err_set(env, LIBSSH2_ERROR_AGENT_PROTOCOL, "agent socket path too long");
    }
    addr.sun_family = AF_UNIX;
    memcpy(addr.sun_path, path, n);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return s2_err_set(env, LIBSSH2_ERROR_BAD_SOCKET, "cannot create the agent socket");
    }
    do {
        r = connect(fd, (const struct sockaddr *)&addr, (socklen_t)sizeof addr);
    } while (r != 0 && errno == EINTR);
    if (r != 0) {
        (void)close(fd);
        return s2_err_set(env, LIBSSH2_ERROR_AGENT_PROTOCOL, "failed connecting with the agent");
    }
    /* from here on every wait is a poll(2) with a deadline */
    fl = fcntl(fd, F_GETFL, 0);
    if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) != 0) {
        (void)close(fd);
        return s2_err_set(env, LIBSSH2_ERROR_BAD_SOCKET,
                          "cannot make the agent socket non-blocking");
    }
    *out_fd = fd;
    return 0;
}

void
s2_agent_unix_close(int fd)
{
    if (fd >= 0) {
        (void)close(fd);
    }
}

/* wait_fd waits until |fd| is ready for |events| or |deadline| (s2_now_ms)
 * passes. Returns 0, or LIBSSH2_ERROR_TIMEOUT. A socket error or hang-up
 * counts as ready: the following send or recv reports it. */
static int
wait_fd(int fd, short events, int64_t deadline)
{
    for (;;) {
        struct pollfd pfd;
        int64_t left = deadline - s2_now_ms();
        int r;
        if (left <= 0) {
            return LIBSSH2_ERROR_TIMEOUT;
        }
        pfd.fd = fd;
        pfd.events = events;
        pfd.revents = 0;
        r = poll(&pfd, 1, left > 1000000 ? 1000000 : (int)left);
        if (r > 0) {
            return 0;
        }
        if (r < 0 && errno != EINTR) {
            return 0; /* let the I/O call report it */
        }
    }
}

static int
send_all(struct s2_env *env, int fd, const uint8_t *p, size_t n, int64_t deadline)
{
    while (n > 0) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w > 0) {
            p += (size_t)w;
            n -= (size_t)w;
            continue;
        }
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            if (wait_fd(fd, POLLOUT, deadline) != 0) {
                return s2_err_set(env, LIBSSH2_ERROR_TIMEOUT, "timed out sending to the agent");
            }
            continue;
        }
        return s2_err_set(env, LIBSSH2_ERROR_SOCKET_SEND, "agent send failed");
    }
    return 0;
}

static int
recv_all(struct s2_env *env, int fd, uint8_t *p, size_t n, int64_t deadline)
{
    while (n > 0) {
        ssize_t g = recv(fd, p, n, 0);
        if (g > 0) {
            p += (size_t)g;
            n -= (size_t)g;
            continue;
        }
        if (g == 0) {
            /* the agent closed mid-reply */
            return s2_err_set(env, LIBSSH2_ERROR_AGENT_PROTOCOL, "agent closed the connection");
        }
        if (errno == EINTR) {
            continue;
        }
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
            if (wait_fd(fd, POLLIN, deadline) != 0) {
                return s2_err_set(env, LIBSSH2_ERROR_TIMEOUT, "timed out waiting for the agent");
            }
            continue;
        }
        if (errno == ECONNRESET) {
            return s2_err_set(env, LIBSSH2_ERROR_AGENT_PROTOCOL, "agent reset the connection");
        }
        return s2_err_set(env, LIBSSH2_ERROR_SOCKET_RECV, "agent recv failed");
    }
    return 0;
}

int
s2_agent_unix_transact(struct s2_env *env, int fd, long timeout_ms, const uint8_t *req,
                       size_t req_len, struct s2_wr *reply)
{
    int64_t deadline = s2_now_ms() + (timeout_ms > 0 ? timeout_ms : S2_AGENT_TIMEOUT_MS);
    uint8_t hdr[4];
    uint8_t *body;
    uint32_t n;
    int r;

    s2_wr_reset(reply);
    if (req_len > S2_AGENT_MSG_MAX) {
        return s2_err_set(env, LIBSSH2_ERROR_OUT_OF_BOUNDARY, "agent request too large");
    }
    s2_put_u32(hdr, (uint32_t)req_len); /* uint32 length */
    r = send_all(env, fd, hdr, sizeof hdr, deadline);
    if (r == 0) {
        r = send_all(env, fd, req, req_len, deadline); /* byte[length] message */
    }
    if (r != 0) {
        return r;
    }
    r = recv_all(env, fd, hdr, sizeof hdr, deadline);
    if (r != 0) {
        return r;
    }
    n = s2_get_u32(hdr);
    if (n == 0 || n > S2_AGENT_MSG_MAX) { /* bounded before use */
        return s2_err_set(env, LIBSSH2_ERROR_AGENT_PROTOCOL, "agent reply length out of range");
    }
    body = s2_wr_space(reply, n);
    if (body == NULL) {
        return s2_err_set(env,
                          reply->err == LIBSSH2_ERROR_ALLOC ? LIBSSH2_ERROR_ALLOC
                                                            : LIBSSH2_ERROR_AGENT_PROTOCOL,
                          "cannot buffer the agent reply");
    }
    return recv_all(env, fd, body, n, deadline);
}
