/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Key exchange reply harness: a server that picks one key exchange method
 * and then sends the fuzz input as the body of its KEX reply (message 31:
 * KEX_ECDH_REPLY / KEX_HYBRID_REPLY / KEXDH_REPLY). Input byte 0 selects the
 * method (mlkem768x25519-sha256, sntrup761x25519-sha512, its @openssh.com
 * name, curve25519-sha256); the rest is the reply body. Reaches the hybrid
 * reply parsers' exact length checks, KEM decapsulation of arbitrary
 * ciphertexts and the host key and signature parsers. Must never crash,
 * leak or hang.
 */
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "libssh2.h"

#define STREAM_MAX 70000

static const char *const methods[] = {
    "mlkem768x25519-sha256",
    "sntrup761x25519-sha512",
    "sntrup761x25519-sha512@openssh.com",
    "curve25519-sha256",
};

struct feed {
    uint8_t buf[STREAM_MAX];
    size_t len;
    size_t pos;
};

static void
put_u32(struct feed *f, uint32_t v)
{
    f->buf[f->len++] = (uint8_t)(v >> 24);
    f->buf[f->len++] = (uint8_t)(v >> 16);
    f->buf[f->len++] = (uint8_t)(v >> 8);
    f->buf[f->len++] = (uint8_t)v;
}

static void
put_name_list(uint8_t *p, size_t *n, const char *s)
{
    size_t l = strlen(s);
    p[(*n)++] = (uint8_t)(l >> 24);
    p[(*n)++] = (uint8_t)(l >> 16);
    p[(*n)++] = (uint8_t)(l >> 8);
    p[(*n)++] = (uint8_t)l;
    memcpy(p + *n, s, l);
    *n += l;
}

/* put_packet frames |payload| as an unencrypted binary packet (RFC 4253 6). */
static void
put_packet(struct feed *f, const uint8_t *payload, size_t n)
{
    size_t pad = 8 - ((5 + n) % 8);
    if (pad < 4) {
        pad += 8;
    }
    put_u32(f, (uint32_t)(1 + n + pad));
    f->buf[f->len++] = (uint8_t)pad;
    memcpy(f->buf + f->len, payload, n);
    f->len += n;
    memset(f->buf + f->len, 0, pad);
    f->len += pad;
}

static ssize_t
fuzz_recv(libssh2_socket_t fd, void *buf, size_t len, int flags, void **abstract)
{
    struct feed *f = *abstract;
    size_t n = f->len - f->pos;
    (void)fd;
    (void)flags;
    if (n == 0) {
        return 0; /* end of stream */
    }
    if (n > len) {
        n = len;
    }
    memcpy(buf, f->buf + f->pos, n);
    f->pos += n;
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
    static struct feed f;
    static uint8_t reply[60000];
    uint8_t kexinit[512];
    size_t n = 0;
    LIBSSH2_SESSION *s;
    int i, rc = 0;

    if (fds[0] < 0 && socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0) {
        return 0;
    }
    if (len < 1 || len > 60000) {
        return 0;
    }
    f.len = 0;
    f.pos = 0;
    memcpy(f.buf, "SSH-2.0-fuzz\r\n", 14);
    f.len = 14;
    kexinit[n++] = 20; /* SSH_MSG_KEXINIT */
    memset(kexinit + n, 0x5a, 16); /* cookie */
    n += 16;
    put_name_list(kexinit, &n, methods[data[0] % 4]);
    put_name_list(kexinit, &n, "ssh-ed25519");
    put_name_list(kexinit, &n, "aes128-ctr");
    put_name_list(kexinit, &n, "aes128-ctr");
    put_name_list(kexinit, &n, "hmac-sha2-256");
    put_name_list(kexinit, &n, "hmac-sha2-256");
    put_name_list(kexinit, &n, "none");
    put_name_list(kexinit, &n, "none");
    put_name_list(kexinit, &n, "");
    put_name_list(kexinit, &n, "");
    kexinit[n++] = 0;             /* first_kex_packet_follows */
    memset(kexinit + n, 0, 4);    /* reserved */
    n += 4;
    put_packet(&f, kexinit, n);
    reply[0] = 31; /* the reply message number, then the fuzz body */
    memcpy(reply + 1, data + 1, len - 1);
    put_packet(&f, reply, len);
    s = libssh2_session_init_ex(NULL, NULL, NULL, &f);
    if (s == NULL) {
        return 0;
    }
    libssh2_session_callback_set2(s, LIBSSH2_CALLBACK_RECV, (libssh2_cb_generic *)fuzz_recv);
    libssh2_session_callback_set2(s, LIBSSH2_CALLBACK_SEND, (libssh2_cb_generic *)fuzz_send);
    libssh2_session_set_blocking(s, 0);
    for (i = 0; i < 10000; i++) {
        rc = libssh2_session_handshake(s, fds[0]);
        if (rc != LIBSSH2_ERROR_EAGAIN) {
            break;
        }
    }
    (void)rc;
    libssh2_session_free(s);
    return 0;
}
