/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Userauth replies harness (HOSTILE-CASES U-*): a userauth object over a
 * transport forced to READY (plaintext, output discarded). The first byte
 * picks the method to start (none, password, keyboard-interactive,
 * publickey, hostbased); the rest is a sequence of records
 *     uint16 length (big-endian), payload (message number first)
 * fed to s2_ua_on_packet, with s2_ua_poll after each, as the pump does.
 * A SERVICE_ACCEPT is delivered first so requests can go out.
 */
#include <stdint.h>
#include <string.h>

#include "auth/auth.h"
#include "transport/tp_int.h"

#define IGN(x)          \
    do {                \
        if ((x) != 0) { \
        }               \
    } while (0)

static ssize_t
discard_send(libssh2_socket_t fd, const void *buf, size_t len, int flags, void **abstract)
{
    (void)fd;
    (void)buf;
    (void)flags;
    (void)abstract;
    return (ssize_t)len;
}

static ssize_t
no_recv(libssh2_socket_t fd, void *buf, size_t len, int flags, void **abstract)
{
    (void)fd;
    (void)buf;
    (void)len;
    (void)flags;
    (void)abstract;
    return -11; /* -EAGAIN */
}

static void
kbd(const char *name, int name_len, const char *instr, int instr_len, int n,
    const LIBSSH2_USERAUTH_KBDINT_PROMPT *prompts, LIBSSH2_USERAUTH_KBDINT_RESPONSE *res,
    void **abstract)
{
    (void)name;
    (void)name_len;
    (void)instr;
    (void)instr_len;
    (void)prompts;
    (void)abstract;
    (void)res;
    (void)n; /* no answers: empty responses */
}

static int
sign(void *ctx, const char *alg, const uint8_t *data, size_t data_len, struct s2_wr *sig)
{
    (void)ctx;
    (void)data;
    (void)data_len;
    s2_wr_cstr(sig, alg);
    s2_wr_str(sig, "signature", 9);
    return s2_wr_ok(sig);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
    static const uint8_t accept[] = {6, 0, 0, 0, 12, 's', 's', 'h', '-', 'u', 's', 'e', 'r',
                                     'a', 'u', 't', 'h'};
    static const uint8_t key[] = {0, 0, 0, 11, 's', 's', 'h', '-', 'e', 'd', '2', '5', '5', '1',
                                  '9', 0, 0, 0, 32, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
                                  15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30,
                                  31, 32};
    struct s2_env env;
    struct s2_io io;
    struct s2_tp_callbacks cb;
    struct s2_tp *tp = NULL;
    struct s2_ua *ua = NULL;
    struct s2_ua_kbdint kb;
    struct s2_rd r;
    void *abstract = NULL;
    size_t pos = 1;

    if (len < 1) {
        return 0;
    }
    memset(&env, 0, sizeof env);
    memset(&io, 0, sizeof io);
    memset(&cb, 0, sizeof cb);
    s2_allocator_default(&env.alloc, NULL);
    io.fd = LIBSSH2_INVALID_SOCKET;
    io.send_cb = discard_send;
    io.recv_cb = no_recv;
    io.abstract = &abstract;
    if (s2_tp_new(&env, &io, &cb, &tp) != 0) {
        return 0;
    }
    tp->state = S2_TP_READY; /* no keys: plaintext framing, then discarded */
    if (s2_ua_new(&env, tp, &ua) != 0) {
        s2_tp_free(tp);
        return 0;
    }
    kb.cb = kbd;
    kb.abstract = &abstract;
    switch (data[0] % 5) {
    case 0:
        IGN(s2_ua_start_none(ua, "fuzz", 4));
        break;
    case 1:
        IGN(s2_ua_start_password(ua, "fuzz", 4, "pw", 2, NULL, NULL, &abstract));
        break;
    case 2:
        IGN(s2_ua_start_kbdint(ua, "fuzz", 4, &kb));
        break;
    case 3:
        IGN(s2_ua_start_publickey(ua, "fuzz", 4, key, sizeof key, sign, NULL));
        break;
    default:
        IGN(s2_ua_start_hostbased(ua, "fuzz", 4, key, sizeof key, "host", 4, "me", 2, sign,
                                  NULL));
        break;
    }
    IGN(s2_ua_poll(ua)); /* queues SERVICE_REQUEST */
    s2_rd_init(&r, accept, sizeof accept);
    IGN(s2_ua_on_packet(ua, &r));
    IGN(s2_ua_poll(ua)); /* queues the request */
    while (pos + 2 <= len && s2_tp_dead(tp) == 0) {
        size_t n = ((size_t)data[pos] << 8) | data[pos + 1];
        pos += 2;
        if (n > len - pos) {
            n = len - pos;
        }
        if (n > 0) {
            s2_rd_init(&r, data + pos, n);
            IGN(s2_ua_on_packet(ua, &r));
            if (s2_ua_pending(ua)) {
                IGN(s2_ua_poll(ua));
            }
        }
        pos += n;
    }
    s2_ua_free(ua);
    s2_tp_free(tp);
    return 0;
}
