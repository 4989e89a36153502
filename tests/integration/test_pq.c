/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Post-quantum key exchange interop (issue 10) against real servers:
 *
 *   test_pq --fixture DIR --case NAME [--nonblocking] [--verbose]
 *   test_pq --list
 *
 * DIR is prepared by tinyssh_fixture.sh (CTest fixture "pq_servers", see
 * pq.cmake): a login user with an ed25519 key, an sshd_config and host key shared
 * by Debian's OpenSSH 9.2 sshd and the OpenSSH 10.0 that openssh10.sh builds into
 * a cache, and a tinysshd key directory. Each case starts its own server in inetd
 * mode on one end of a socketpair ("sshd -i -o KexAlgorithms=..." or
 * "tinysshd KEYDIR") and hands the other end to the library.
 *
 * A case checks, in order: handshake; libssh2_session_methods(KEX) is the method
 * expected; the host key blob equals the server's .pub file (and a flipped byte
 * does not); ssh2core_session_kex_count() == 1; the server's own log names the
 * same KEX (sshd, LogLevel DEBUG1); publickey auth with the ed25519 user key;
 * exec "echo ok" reads "ok\n" with exit status 0; ssh2core_session_rekey()
 * (count 2, same KEX method, same host key); exec "echo ok" again over the new
 * keys (against tinysshd only this one: it serves a single channel per
 * connection and hangs up when that closes); disconnect; every allocation
 * made through the session allocator freed.
 * In non-blocking mode every call is driven through EAGAIN, the handshake must
 * have seen EAGAIN at least once, and EAGAIN must always come with
 * libssh2_session_block_directions().
 *
 * The "neg_" cases are refusals: our only KEX is one the server does not offer,
 * so the handshake must fail with LIBSSH2_ERROR_KEX_FAILURE and no host key.
 * The "harness_" cases run the same steps with curve25519-sha256 against the
 * same servers: they tell a harness problem from a PQ KEX problem.
 *
 * Exit status: 0 pass, 1 fail, 77 skip (server not installed / not built, or
 * the fixture could not create its user).
 */
#include <libssh2.h>
#include <ssh2core.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SKIP_CODE 77
#define CASE_TIMEOUT_S 240
#define IO_TIMEOUT_MS 60000

#define KEX_MLKEM "mlkem768x25519-sha256"
#define KEX_SNTRUP "sntrup761x25519-sha512"
#define KEX_SNTRUP_OSSH "sntrup761x25519-sha512@openssh.com"
#define KEX_CURVE "curve25519-sha256"

enum server_kind { SRV_OPENSSH10, SRV_OPENSSH92, SRV_TINYSSH };

/* One interop case. */
struct pq_case {
    const char *name;
    enum server_kind server;
    const char *server_kex;     /* sshd -o KexAlgorithms=..., NULL: server default */
    const char *client_kex;     /* libssh2_session_method_pref, NULL: our default */
    const char *expect;         /* negotiated KEX; NULL: from the server's list */
    int tiny_no_pq;             /* tinysshd -P (curve25519 only) */
    int refuse;                 /* negative: handshake must fail with KEX_FAILURE */
};

static const struct pq_case cases[] = {
    /* (a) OpenSSH 10.0 with ML-KEM */
    { "o10_mlkem", SRV_OPENSSH10, KEX_MLKEM, KEX_MLKEM, KEX_MLKEM, 0, 0 },
    /* (b) OpenSSH 10.0 with sntrup761, both names */
    { "o10_sntrup", SRV_OPENSSH10, KEX_SNTRUP, KEX_SNTRUP, KEX_SNTRUP, 0, 0 },
    { "o10_sntrup_openssh", SRV_OPENSSH10, KEX_SNTRUP_OSSH, KEX_SNTRUP_OSSH, KEX_SNTRUP_OSSH,
      0, 0 },
    /* (c) Debian 12's OpenSSH 9.2 (it also lists the plain name) */
    { "o92_sntrup_openssh", SRV_OPENSSH92, KEX_SNTRUP_OSSH, KEX_SNTRUP_OSSH, KEX_SNTRUP_OSSH,
      0, 0 },
    { "o92_sntrup", SRV_OPENSSH92, KEX_SNTRUP, KEX_SNTRUP, KEX_SNTRUP, 0, 0 },
    /* (d) tinysshd, server defaults, our side sntrup761 only */
    { "tinyssh_sntrup", SRV_TINYSSH, NULL, KEX_SNTRUP_OSSH, KEX_SNTRUP_OSSH, 0, 0 },
    /* (e) defaults on both sides */
    { "defaults_o10", SRV_OPENSSH10, NULL, NULL, KEX_MLKEM, 0, 0 },
    { "defaults_o92", SRV_OPENSSH92, NULL, NULL, NULL, 0, 0 },
    { "defaults_tinyssh", SRV_TINYSSH, NULL, NULL, KEX_SNTRUP_OSSH, 0, 0 },
    /* refusals */
    { "neg_o92_mlkem", SRV_OPENSSH92, NULL, KEX_MLKEM, NULL, 0, 1 },
    { "neg_o10_server_curve", SRV_OPENSSH10, KEX_CURVE, KEX_MLKEM, NULL, 0, 1 },
    { "neg_tinyssh_no_pq", SRV_TINYSSH, NULL, KEX_SNTRUP_OSSH, NULL, 1, 1 },
    /* the harness itself, with a classic KEX against the same servers */
    { "harness_o10_curve25519", SRV_OPENSSH10, KEX_CURVE, KEX_CURVE, KEX_CURVE, 0, 0 },
    { "harness_o92_curve25519", SRV_OPENSSH92, KEX_CURVE, KEX_CURVE, KEX_CURVE, 0, 0 },
    { "harness_tinyssh_curve25519", SRV_TINYSSH, NULL, KEX_CURVE, KEX_CURVE, 1, 0 },
};

/* Our default order (issue 10): the first of these the server offers wins. */
static const char *const our_pq_order[] = { KEX_MLKEM, KEX_SNTRUP, KEX_SNTRUP_OSSH };

static struct {
    const char *fixture;
    int nb;
    int verbose;
    char user[128];
    char server_bin[1024];
    char logpath[1024];
} g;

static char fail_msg[2048];

static void failf(const char *fmt, ...)
{
    va_list ap;

    if (fail_msg[0] != '\0') {
        return;
    }
    va_start(ap, fmt);
    vsnprintf(fail_msg, sizeof(fail_msg), fmt, ap);
    va_end(ap);
}

static void session_failf(LIBSSH2_SESSION *s, int rc, const char *what)
{
    char *msg = NULL;
    int err = libssh2_session_last_error(s, &msg, NULL, 0);

    failf("%s: rc=%d last_error=%d '%s'", what, rc, err, msg != NULL ? msg : "");
}

static void vlog(const char *fmt, ...)
{
    va_list ap;

    if (!g.verbose) {
        return;
    }
    va_start(ap, fmt);
    printf("  ");
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
}

static int read_file(const char *dir, const char *name, char *out, size_t outlen)
{
    char path[2048];
    FILE *f;
    size_t n;

    if (dir != NULL) {
        snprintf(path, sizeof(path), "%s/%s", dir, name);
    } else {
        snprintf(path, sizeof(path), "%s", name);
    }
    f = fopen(path, "r");
    if (f == NULL) {
        return -1;
    }
    n = fread(out, 1, outlen - 1, f);
    fclose(f);
    out[n] = '\0';
    return 0;
}

static int read_line_file(const char *dir, const char *name, char *out, size_t outlen)
{
    if (read_file(dir, name, out, outlen) != 0) {
        return -1;
    }
    out[strcspn(out, "\r\n")] = '\0';
    return out[0] != '\0' ? 0 : -1;
}

/* Is word in the comma- or newline-separated list? */
static int list_has(const char *list, const char *word)
{
    size_t wl = strlen(word);
    const char *p = list;

    while (*p != '\0') {
        size_t n = strcspn(p, ",\r\n");
        if (n == wl && strncmp(p, word, wl) == 0) {
            return 1;
        }
        p += n;
        p += strspn(p, ",\r\n");
    }
    return 0;
}

/* Decode base64 (padding allowed); the length, or -1. */
static long b64_decode(const char *in, size_t inlen, unsigned char *out, size_t outmax)
{
    static const char b64[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    unsigned long acc = 0;
    int bits = 0;
    size_t o = 0;
    size_t i;

    for (i = 0; i < inlen && in[i] != '='; i++) {
        const char *c = in[i] != '\0' ? strchr(b64, in[i]) : NULL;
        if (c == NULL) {
            return -1;
        }
        acc = (acc << 6) | (unsigned long)(c - b64);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            if (o >= outmax) {
                return -1;
            }
            out[o++] = (unsigned char)((acc >> bits) & 0xff);
        }
    }
    return (long)o;
}

/* ---- allocator that counts what is outstanding ------------------------ */

static long live_allocs;

static LIBSSH2_ALLOC_FUNC(count_alloc)
{
    void *p;

    (void)abstract;
    p = malloc(count);
    if (p != NULL) {
        live_allocs++;
    }
    return p;
}

static LIBSSH2_REALLOC_FUNC(count_realloc)
{
    void *p;

    (void)abstract;
    p = realloc(ptr, count);
    if (ptr == NULL && p != NULL) {
        live_allocs++;
    }
    return p;
}

static LIBSSH2_FREE_FUNC(count_free)
{
    (void)abstract;
    if (ptr != NULL) {
        live_allocs--;
    }
    free(ptr);
}

/* ---- server process ---------------------------------------------------- */

struct argv_buf {
    char *argv[24];
    int argc;
    char pool[4096];
    size_t used;
};

static void argv_add(struct argv_buf *a, const char *fmt, ...)
{
    va_list ap;
    size_t room = sizeof(a->pool) - a->used;
    int n;

    if (a->argc >= (int)(sizeof(a->argv) / sizeof(a->argv[0])) - 1) {
        return;
    }
    va_start(ap, fmt);
    n = vsnprintf(a->pool + a->used, room, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= room) {
        return;
    }
    a->argv[a->argc++] = a->pool + a->used;
    a->argv[a->argc] = NULL;
    a->used += (size_t)n + 1;
}

static void server_argv(struct argv_buf *a, const struct pq_case *pc)
{
    argv_add(a, "%s", g.server_bin);
    if (pc->server == SRV_TINYSSH) {
        argv_add(a, "-v");
        if (pc->tiny_no_pq) {
            argv_add(a, "-P");
        }
        argv_add(a, "--");
        argv_add(a, "%s/tinyssh_keys", g.fixture);
        return;
    }
    argv_add(a, "-i");
    argv_add(a, "-e");
    argv_add(a, "-f");
    argv_add(a, "%s/sshd_config", g.fixture);
    if (pc->server_kex != NULL) {
        argv_add(a, "-o");
        argv_add(a, "KexAlgorithms=%s", pc->server_kex);
    }
}

/* Start argv[0] with stdin/stdout on one end of a socketpair; stderr to log. */
static int spawn_inetd(char *const argv[], const char *log, pid_t *pid_out)
{
    int sv[2];
    pid_t pid;

    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0) {
        failf("socketpair: %s", strerror(errno));
        return -1;
    }
    fflush(stdout);
    fflush(stderr);
    pid = fork();
    if (pid < 0) {
        failf("fork: %s", strerror(errno));
        close(sv[0]);
        close(sv[1]);
        return -1;
    }
    if (pid == 0) {
        int lf = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        close(sv[0]);
        if (dup2(sv[1], 0) < 0 || dup2(sv[1], 1) < 0) {
            _exit(127);
        }
        if (lf >= 0) {
            dup2(lf, 2);
            close(lf);
        }
        if (sv[1] > 2) {
            close(sv[1]);
        }
        alarm(0);
        execv(argv[0], argv);
        _exit(127);
    }
    close(sv[1]);
    *pid_out = pid;
    return sv[0];
}

/* Wait for the server to exit (it does once we close); kill it after 3 s. */
static void reap(pid_t pid)
{
    int i;
    int st;

    if (pid <= 0) {
        return;
    }
    for (i = 0; i < 300; i++) {
        if (waitpid(pid, &st, WNOHANG) == pid) {
            return;
        }
        usleep(10000);
    }
    kill(pid, SIGKILL);
    waitpid(pid, &st, 0);
}

static void print_log_tail(const char *logpath)
{
    char buf[16384];
    size_t n;
    size_t i;
    size_t start = 0;
    int lines = 0;

    if (read_file(NULL, logpath, buf, sizeof(buf)) != 0) {
        return;
    }
    n = strlen(buf);
    for (i = n; i > 0; i--) {
        if (buf[i - 1] == '\n' && ++lines > 15) {
            start = i;
            break;
        }
    }
    printf("    server log (%s), last lines:\n", logpath);
    for (i = start; i < n;) {
        size_t len = strcspn(buf + i, "\n");
        printf("      %.*s\n", (int)len, buf + i);
        i += len + 1;
    }
}

/* ---- the session driver ----------------------------------------------- */

struct conn {
    LIBSSH2_SESSION *s;
    int fd;
    int nb;
    long eagains;
    int bad_dirs;       /* EAGAIN while block_directions() said nothing */
};

static int conn_wait(struct conn *c)
{
    struct pollfd p;
    int dirs = libssh2_session_block_directions(c->s);
    int rc;

    c->eagains++;
    memset(&p, 0, sizeof(p));
    p.fd = c->fd;
    if (dirs & LIBSSH2_SESSION_BLOCK_INBOUND) {
        p.events |= POLLIN;
    }
    if (dirs & LIBSSH2_SESSION_BLOCK_OUTBOUND) {
        p.events |= POLLOUT;
    }
    if (p.events == 0) {
        c->bad_dirs++;
        p.events = POLLIN;
        rc = poll(&p, 1, 100);
        return rc < 0 ? -1 : 0;
    }
    rc = poll(&p, 1, IO_TIMEOUT_MS);
    if (rc <= 0) {
        failf("poll: %s", rc == 0 ? "timeout" : strerror(errno));
        return -1;
    }
    return 0;
}

/* Run an int-returning call, retrying on EAGAIN in non-blocking mode. */
#define DRIVE(c, rc, expr)                                                  \
    do {                                                                    \
        for (;;) {                                                          \
            (rc) = (expr);                                                  \
            if ((rc) != LIBSSH2_ERROR_EAGAIN || !(c)->nb) {                 \
                break;                                                      \
            }                                                               \
            if (conn_wait(c) != 0) {                                        \
                break;                                                      \
            }                                                               \
        }                                                                   \
    } while (0)

/* Does the library offer alg? 1 yes, 0 no, -1 the call failed. */
static int client_supports(LIBSSH2_SESSION *s, const char *alg)
{
    const char **algs = NULL;
    int n = libssh2_session_supported_algs(s, LIBSSH2_METHOD_KEX, &algs);
    int i;
    int found = 0;

    if (n <= 0) {
        return -1;
    }
    for (i = 0; i < n; i++) {
        if (strcmp(algs[i], alg) == 0) {
            found = 1;
        }
    }
    libssh2_free(s, (void *)algs);
    return found;
}

/* The KEX expected with our default order: the first PQ method the server lists. */
static const char *expected_default(const struct pq_case *pc, char *why, size_t whylen)
{
    char list[4096];
    size_t i;

    if (read_line_file(g.fixture, pc->server == SRV_OPENSSH92 ? "sshd92_kex" : "sshd10_kex",
                       list, sizeof(list)) != 0) {
        snprintf(why, whylen, "no sshd -T KexAlgorithms list in the fixture");
        return NULL;
    }
    for (i = 0; i < sizeof(our_pq_order) / sizeof(our_pq_order[0]); i++) {
        if (list_has(list, our_pq_order[i])) {
            return our_pq_order[i];
        }
    }
    snprintf(why, whylen, "the server offers no post-quantum KEX: %s", list);
    return NULL;
}

/* Host key blob against the server's public key file; a flipped byte must differ. */
static int check_hostkey(LIBSSH2_SESSION *s, const struct pq_case *pc)
{
    const char *pubname = pc->server == SRV_TINYSSH ? "tinyssh_hostkey.pub" :
                          "hostkey_ed25519.pub";
    char pub[4096];
    unsigned char blob[1024];
    unsigned char flipped[1024];
    const char *key;
    size_t keylen = 0;
    int type = -1;
    char *sp;
    long bloblen;

    key = libssh2_session_hostkey(s, &keylen, &type);
    if (key == NULL || keylen == 0) {
        failf("libssh2_session_hostkey returned nothing");
        return -1;
    }
    if (type != LIBSSH2_HOSTKEY_TYPE_ED25519) {
        failf("libssh2_session_hostkey type %d, expected ED25519 (%d)", type,
              LIBSSH2_HOSTKEY_TYPE_ED25519);
        return -1;
    }
    if (read_file(g.fixture, pubname, pub, sizeof(pub)) != 0 ||
        (sp = strchr(pub, ' ')) == NULL) {
        failf("cannot read %s/%s", g.fixture, pubname);
        return -1;
    }
    sp++;
    bloblen = b64_decode(sp, strcspn(sp, " \r\n"), blob, sizeof(blob));
    if (bloblen <= 0 || (size_t)bloblen != keylen || memcmp(blob, key, keylen) != 0) {
        failf("host key blob (%zu bytes) differs from %s (%ld bytes)", keylen, pubname,
              bloblen);
        return -1;
    }
    /* Negative control: the comparison sees a one-byte change at the end. */
    memcpy(flipped, blob, (size_t)bloblen);
    flipped[bloblen - 1] ^= 0x01;
    if (memcmp(flipped, key, keylen) == 0) {
        failf("host key comparison is broken");
        return -1;
    }
    return 0;
}

static int check_kex(LIBSSH2_SESSION *s, const char *expect, const char *when)
{
    const char *got = libssh2_session_methods(s, LIBSSH2_METHOD_KEX);

    if (got == NULL || strcmp(got, expect) != 0) {
        failf("%s: libssh2_session_methods(KEX) = '%s', expected '%s'", when,
              got != NULL ? got : "(null)", expect);
        return -1;
    }
    return 0;
}

/* exec "echo ok": reads exactly "ok\n" and exit status 0. */
static int exec_echo(struct conn *c, const char *when)
{
    LIBSSH2_CHANNEL *ch;
    char out[256];
    size_t got = 0;
    int rc;
    int status;

    for (;;) {
        ch = libssh2_channel_open_session(c->s);
        if (ch != NULL || !c->nb ||
            libssh2_session_last_errno(c->s) != LIBSSH2_ERROR_EAGAIN) {
            break;
        }
        if (conn_wait(c) != 0) {
            return -1;
        }
    }
    if (ch == NULL) {
        session_failf(c->s, libssh2_session_last_errno(c->s), when);
        return -1;
    }
    DRIVE(c, rc, libssh2_channel_exec(ch, "echo ok"));
    if (rc != 0) {
        session_failf(c->s, rc, "libssh2_channel_exec(echo ok)");
        goto fail;
    }
    for (;;) {
        ssize_t n = libssh2_channel_read(ch, out + got, sizeof(out) - 1 - got);
        if (n == LIBSSH2_ERROR_EAGAIN && c->nb) {
            if (conn_wait(c) != 0) {
                goto fail;
            }
            continue;
        }
        if (n < 0) {
            session_failf(c->s, (int)n, "libssh2_channel_read");
            goto fail;
        }
        if (n == 0) {
            if (libssh2_channel_eof(ch)) {
                break;
            }
            continue;
        }
        got += (size_t)n;
        if (got >= sizeof(out) - 1) {
            break;
        }
    }
    out[got] = '\0';
    if (strcmp(out, "ok\n") != 0) {
        failf("%s: exec echo ok printed '%s' (%zu bytes)", when, out, got);
        goto fail;
    }
    DRIVE(c, rc, libssh2_channel_close(ch));
    if (rc != 0) {
        session_failf(c->s, rc, "libssh2_channel_close");
        goto fail;
    }
    DRIVE(c, rc, libssh2_channel_wait_closed(ch));
    if (rc != 0) {
        session_failf(c->s, rc, "libssh2_channel_wait_closed");
        goto fail;
    }
    status = libssh2_channel_get_exit_status(ch);
    if (status != 0) {
        failf("%s: echo ok exit status %d", when, status);
        goto fail;
    }
    DRIVE(c, rc, libssh2_channel_free(ch));
    if (rc != 0) {
        session_failf(c->s, rc, "libssh2_channel_free");
        return -1;
    }
    return 0;

fail:
    libssh2_channel_free(ch);
    return -1;
}

static double now_ms(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* The server saw the same KEX (sshd's LogLevel DEBUG1 line). */
static int check_server_log(const struct pq_case *pc, const char *kex)
{
    char log[131072];
    char want[256];

    if (pc->server == SRV_TINYSSH) {
        return 0;
    }
    snprintf(want, sizeof(want), "kex: algorithm: %s ", kex);
    if (read_file(NULL, g.logpath, log, sizeof(log)) != 0 || strstr(log, want) == NULL) {
        failf("sshd log has no \"%s\" line", want);
        return -1;
    }
    return 0;
}

static int run_case(const struct pq_case *pc, const char *expect, char *summary, size_t sumlen)
{
    struct argv_buf sargs;
    struct conn c;
    pid_t spid = -1;
    int rc;
    int ret = -1;
    int n;
    double t0;
    double t_hs;
    char keyfile[1024];

    memset(&sargs, 0, sizeof(sargs));
    memset(&c, 0, sizeof(c));
    c.fd = -1;
    c.nb = g.nb;
    live_allocs = 0;

    c.s = libssh2_session_init_ex(count_alloc, count_free, count_realloc, NULL);
    if (c.s == NULL) {
        failf("libssh2_session_init_ex returned NULL");
        return -1;
    }
    if (!c.nb) {
        libssh2_session_set_timeout(c.s, IO_TIMEOUT_MS);
    }
    if (pc->client_kex != NULL) {
        rc = client_supports(c.s, pc->client_kex);
        if (rc != 1) {
            failf("client library lacks %s (libssh2_session_supported_algs: %d)",
                  pc->client_kex, rc);
            goto out;
        }
        rc = libssh2_session_method_pref(c.s, LIBSSH2_METHOD_KEX, pc->client_kex);
        if (rc != 0) {
            session_failf(c.s, rc, "libssh2_session_method_pref(KEX)");
            goto out;
        }
    }

    server_argv(&sargs, pc);
    c.fd = spawn_inetd(sargs.argv, g.logpath, &spid);
    if (c.fd < 0) {
        goto out;
    }
    libssh2_session_set_blocking(c.s, c.nb ? 0 : 1);

    t0 = now_ms();
    DRIVE(&c, rc, libssh2_session_handshake(c.s, (libssh2_socket_t)c.fd));
    t_hs = now_ms() - t0;
    if (pc->refuse) {
        if (rc == 0) {
            failf("handshake succeeded with %s; expected LIBSSH2_ERROR_KEX_FAILURE",
                  libssh2_session_methods(c.s, LIBSSH2_METHOD_KEX));
            goto out;
        }
        if (rc != LIBSSH2_ERROR_KEX_FAILURE) {
            session_failf(c.s, rc, "handshake (expected LIBSSH2_ERROR_KEX_FAILURE)");
            goto out;
        }
        if (libssh2_hostkey_hash(c.s, LIBSSH2_HOSTKEY_HASH_SHA256) != NULL) {
            failf("host key hash available after a failed KEX negotiation");
            goto out;
        }
        if (libssh2_session_methods(c.s, LIBSSH2_METHOD_KEX) != NULL) {
            failf("libssh2_session_methods(KEX) = '%s' after a failed negotiation",
                  libssh2_session_methods(c.s, LIBSSH2_METHOD_KEX));
            goto out;
        }
        snprintf(summary, sumlen, "refused as expected (rc=%d)", rc);
        ret = 0;
        goto out;
    }
    if (rc != 0) {
        session_failf(c.s, rc, "libssh2_session_handshake");
        goto out;
    }
    if (c.nb && c.eagains == 0) {
        failf("non-blocking handshake never returned EAGAIN");
        goto out;
    }
    if (check_kex(c.s, expect, "after the handshake") != 0 || check_hostkey(c.s, pc) != 0) {
        goto out;
    }
    n = ssh2core_session_kex_count(c.s);
    if (n != 1) {
        failf("ssh2core_session_kex_count after the handshake = %d, expected 1", n);
        goto out;
    }
    vlog("handshake %s in %.1f ms", expect, t_hs);

    snprintf(keyfile, sizeof(keyfile), "%s/id_ed25519", g.fixture);
    DRIVE(&c, rc, libssh2_userauth_publickey_fromfile_ex(
                      c.s, g.user, (unsigned int)strlen(g.user), NULL, keyfile, NULL));
    if (rc != 0) {
        session_failf(c.s, rc, "libssh2_userauth_publickey_fromfile_ex(ed25519)");
        goto out;
    }
    if (libssh2_userauth_authenticated(c.s) != 1) {
        failf("libssh2_userauth_authenticated != 1 after publickey auth");
        goto out;
    }
    /* tinysshd serves one channel per connection and hangs up when it closes. */
    if (pc->server != SRV_TINYSSH && exec_echo(&c, "exec before rekey") != 0) {
        goto out;
    }

    DRIVE(&c, rc, ssh2core_session_rekey(c.s));
    if (rc != 0) {
        session_failf(c.s, rc, "ssh2core_session_rekey");
        goto out;
    }
    n = ssh2core_session_kex_count(c.s);
    if (n != 2) {
        failf("ssh2core_session_kex_count after rekey = %d, expected 2", n);
        goto out;
    }
    if (check_kex(c.s, expect, "after rekey") != 0 || check_hostkey(c.s, pc) != 0) {
        goto out;
    }
    if (pc->server == SRV_TINYSSH && getenv("S2_PQ_NO_TINYSSH_PAUSE") == NULL) {
        /*
         * tinysshd 20230101 leaves a packet that arrives in the same read as the
         * client's NEWKEYS unprocessed until more bytes come, so a CHANNEL_OPEN sent
         * right after a rekey can wait forever. Give it time to return to its
         * poll() first (S2_PQ_NO_TINYSSH_PAUSE=1 shows the hang).
         */
        usleep(200000);
    }
    if (exec_echo(&c, "exec after rekey") != 0) {
        goto out;
    }

    DRIVE(&c, rc, libssh2_session_disconnect_ex(c.s, SSH_DISCONNECT_BY_APPLICATION,
                                                "test done", ""));
    if (rc != 0) {
        session_failf(c.s, rc, "libssh2_session_disconnect_ex");
        goto out;
    }
    if (c.bad_dirs != 0) {
        failf("EAGAIN returned %d time(s) with no libssh2_session_block_directions()",
              c.bad_dirs);
        goto out;
    }
    snprintf(summary, sumlen, "kex=%s hostkey=%s cipher=%s auth=publickey exec=ok rekey=ok "
             "kex_count=2 handshake=%.0fms%s", expect,
             libssh2_session_methods(c.s, LIBSSH2_METHOD_HOSTKEY),
             libssh2_session_methods(c.s, LIBSSH2_METHOD_CRYPT_CS), t_hs,
             c.nb ? " nonblocking" : "");
    ret = 0;

out:
    if (c.s != NULL) {
        if (c.fd < 0) {
            c.nb = 0;
        }
        DRIVE(&c, rc, libssh2_session_free(c.s));
        if (rc != 0 && ret == 0) {
            failf("libssh2_session_free: rc=%d", rc);
            ret = -1;
        }
        if (ret == 0 && live_allocs != 0) {
            failf("%ld allocation(s) made through the session allocator not freed",
                  live_allocs);
            ret = -1;
        }
    }
    if (c.fd >= 0) {
        close(c.fd);
    }
    reap(spid);
    if (ret == 0 && !pc->refuse && check_server_log(pc, expect) != 0) {
        ret = -1;
    }
    return ret;
}

static const char *server_label(enum server_kind k)
{
    return k == SRV_OPENSSH10 ? "OpenSSH 10.0" : k == SRV_OPENSSH92 ? "OpenSSH 9.x (Debian)" :
           "tinysshd";
}

static void usage(void)
{
    fprintf(stderr, "usage: test_pq --fixture DIR --case NAME [--nonblocking] [--verbose]\n"
                    "       test_pq --list\n");
    exit(2);
}

int main(int argc, char **argv)
{
    const struct pq_case *pc = NULL;
    const char *case_name = NULL;
    const char *expect;
    const char *binfile;
    char summary[1024];
    char why[4096];
    char label[256];
    size_t i;
    int a;
    int rc;

    for (a = 1; a < argc; a++) {
        if (strcmp(argv[a], "--fixture") == 0 && a + 1 < argc) {
            g.fixture = argv[++a];
        } else if (strcmp(argv[a], "--case") == 0 && a + 1 < argc) {
            case_name = argv[++a];
        } else if (strcmp(argv[a], "--nonblocking") == 0) {
            g.nb = 1;
        } else if (strcmp(argv[a], "--verbose") == 0) {
            g.verbose = 1;
        } else if (strcmp(argv[a], "--list") == 0) {
            for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                printf("%s\n", cases[i].name);
            }
            return 0;
        } else {
            usage();
        }
    }
    if (g.fixture == NULL || case_name == NULL) {
        usage();
    }
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        if (strcmp(cases[i].name, case_name) == 0) {
            pc = &cases[i];
        }
    }
    if (pc == NULL) {
        fprintf(stderr, "test_pq: unknown case '%s' (see --list)\n", case_name);
        return 2;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    signal(SIGPIPE, SIG_IGN);
    alarm(CASE_TIMEOUT_S);
    snprintf(label, sizeof(label), "pq %s [%s] against %s", pc->name,
             g.nb ? "nonblocking" : "blocking", server_label(pc->server));

    if (read_line_file(g.fixture, "skip", why, sizeof(why)) == 0) {
        printf("SKIP %s: fixture: %s\n", label, why);
        return SKIP_CODE;
    }
    binfile = pc->server == SRV_OPENSSH10 ? "sshd10_bin" :
              pc->server == SRV_OPENSSH92 ? "sshd92_bin" : "tinysshd_bin";
    if (read_line_file(g.fixture, binfile, g.server_bin, sizeof(g.server_bin)) != 0 ||
        access(g.server_bin, X_OK) != 0) {
        printf("SKIP %s: %s not available (no %s/%s%s)\n", label, server_label(pc->server),
               g.fixture, binfile,
               pc->server == SRV_OPENSSH10 ? "; tests/integration/openssh10.sh build failed "
                                             "or could not fetch the trixie source" :
               pc->server == SRV_TINYSSH ? "; apt-get install tinysshd" :
                                           "; apt-get install openssh-server");
        return SKIP_CODE;
    }
    if (read_line_file(g.fixture, "user", g.user, sizeof(g.user)) != 0) {
        printf("SKIP %s: fixture has no login user\n", label);
        return SKIP_CODE;
    }
    snprintf(g.logpath, sizeof(g.logpath), "%s/logs/%s-%s.log", g.fixture, pc->name,
             g.nb ? "nb" : "b");

    if (pc->server_kex != NULL) {
        /* sshd refuses to start with a KexAlgorithms name it does not know. */
        char list[4096];
        if (read_line_file(g.fixture, pc->server == SRV_OPENSSH92 ? "sshd92_kex" : "sshd10_kex",
                           list, sizeof(list)) == 0 && !list_has(list, pc->server_kex)) {
            printf("SKIP %s: %s does not offer %s (sshd -T: %s)\n", label,
                   server_label(pc->server), pc->server_kex, list);
            return SKIP_CODE;
        }
    }
    expect = pc->expect;
    why[0] = '\0';
    if (expect == NULL && !pc->refuse) {
        expect = expected_default(pc, why, sizeof(why));
        if (expect == NULL) {
            printf("FAIL %s: %s\n", label, why);
            return 1;
        }
    }
    if (libssh2_init(0) != 0) {
        printf("FAIL %s: libssh2_init\n", label);
        return 1;
    }
    printf("# %s: server %s, library %s\n", label, g.server_bin, libssh2_version(0));
    rc = run_case(pc, expect, summary, sizeof(summary));
    libssh2_exit();
    if (rc != 0) {
        printf("FAIL %s: %s\n", label, fail_msg);
        print_log_tail(g.logpath);
        return 1;
    }
    printf("PASS %s: %s\n", label, summary);
    return 0;
}
