/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Transport-layer interoperability matrix against real servers.
 *
 *   test_handshake --server openssh|dropbear|asyncssh --fixture DIR [--category NAME]
 *                  [--only ALG] [--verbose]
 *
 * DIR is prepared by sshd_fixture.sh (host keys, sshd_config, fingerprints).
 * Each case starts its own server in inetd mode ("sshd -i" / "dropbear -i") on
 * one end of a socketpair and hands the other end to the library, so the server
 * can be restricted to one algorithm per connection with -o options. The "tcp"
 * category connects to the long-running daemons of the fixture instead. With
 * "--server asyncssh" each case connects to the listener asyncssh_server.py opened
 * for that algorithm; asyncssh (unlike sshd) accepts a rekey before user auth.
 *
 * Every case runs in a forked child (a crash or hang fails that case only) and,
 * per variant, checks: handshake, libssh2_session_methods() for every method
 * type, the server banner, the host key blob against the .pub file, the MD5 /
 * SHA1 / SHA256 host key hashes against ssh-keygen's fingerprints, that the
 * "none" userauth request answers with a method list, and with the ssh2core
 * extensions: strict KEX, a client-initiated rekey (KEX count 1 -> 2, the session
 * still answers afterwards), clean disconnect, and that every allocation made
 * through the session allocator was freed.
 *
 * Exit status: 0 all passed (some may be skipped), 1 any failure, 77 nothing ran.
 *
 * It builds against our library (S2_WITH_SSH2CORE defined by CMake) and, for
 * checking the fixture itself, against a system libssh2:
 *   cc -o th test_handshake.c -lssh2
 */
#include <libssh2.h>
#ifdef S2_WITH_SSH2CORE
#include <ssh2core.h>
#endif

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <arpa/inet.h>
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
/* Generous: CI machines can be heavily loaded, and Python's DH is slow. */
#define CASE_TIMEOUT_S 150
#define IO_TIMEOUT_MS 60000

enum server_kind { SRV_OPENSSH, SRV_DROPBEAR, SRV_ASYNCSSH };

/* One algorithm to test. */
struct tcase {
    const char *category;   /* kex, hostkey, cipher, mac, comp */
    int method;             /* LIBSSH2_METHOD_* */
    const char *alg;
    int legacy;             /* our side must opt in with method_pref */
};

/* How one case is run. */
struct variant {
    const char *name;
    int server_restrict;    /* server offers only the algorithm */
    int client_restrict;    /* our side offers only the algorithm */
    int nonblocking;
};

static const struct variant openssh_variants[] = {
    { "server-only/blocking", 1, 0, 0 },
    { "server-only/nonblocking", 1, 0, 1 },
    { "client-only/blocking", 0, 1, 0 },
};

static const struct variant dropbear_variants[] = {
    { "client-only/blocking", 0, 1, 0 },
    { "client-only/nonblocking", 0, 1, 1 },
};

/* asyncssh: one listener per algorithm, restricted server-side (asyncssh_server.py). */
static const struct variant asyncssh_variants[] = {
    { "server-only/blocking", 1, 0, 0 },
    { "server-only/nonblocking", 1, 0, 1 },
};

static const struct variant tcp_variants[] = {
    { "blocking", 0, 0, 0 },
    { "nonblocking", 0, 0, 1 },
};

static const struct tcase openssh_cases[] = {
    { "kex", LIBSSH2_METHOD_KEX, "curve25519-sha256", 0 },
    { "kex", LIBSSH2_METHOD_KEX, "curve25519-sha256@libssh.org", 0 },
    { "kex", LIBSSH2_METHOD_KEX, "ecdh-sha2-nistp256", 0 },
    { "kex", LIBSSH2_METHOD_KEX, "ecdh-sha2-nistp384", 0 },
    { "kex", LIBSSH2_METHOD_KEX, "ecdh-sha2-nistp521", 0 },
    { "kex", LIBSSH2_METHOD_KEX, "diffie-hellman-group-exchange-sha256", 0 },
    { "kex", LIBSSH2_METHOD_KEX, "diffie-hellman-group14-sha256", 0 },
    { "kex", LIBSSH2_METHOD_KEX, "diffie-hellman-group16-sha512", 0 },
    { "kex", LIBSSH2_METHOD_KEX, "diffie-hellman-group18-sha512", 0 },
    { "kex", LIBSSH2_METHOD_KEX, "diffie-hellman-group14-sha1", 1 },
    { "kex", LIBSSH2_METHOD_KEX, "diffie-hellman-group-exchange-sha1", 1 },
    { "kex", LIBSSH2_METHOD_KEX, "diffie-hellman-group1-sha1", 1 },
    { "hostkey", LIBSSH2_METHOD_HOSTKEY, "ssh-ed25519", 0 },
    { "hostkey", LIBSSH2_METHOD_HOSTKEY, "ecdsa-sha2-nistp256", 0 },
    { "hostkey", LIBSSH2_METHOD_HOSTKEY, "ecdsa-sha2-nistp384", 0 },
    { "hostkey", LIBSSH2_METHOD_HOSTKEY, "ecdsa-sha2-nistp521", 0 },
    { "hostkey", LIBSSH2_METHOD_HOSTKEY, "rsa-sha2-512", 0 },
    { "hostkey", LIBSSH2_METHOD_HOSTKEY, "rsa-sha2-256", 0 },
    { "hostkey", LIBSSH2_METHOD_HOSTKEY, "ssh-rsa", 1 },
    { "cipher", LIBSSH2_METHOD_CRYPT_CS, "chacha20-poly1305@openssh.com", 0 },
    { "cipher", LIBSSH2_METHOD_CRYPT_CS, "aes128-gcm@openssh.com", 0 },
    { "cipher", LIBSSH2_METHOD_CRYPT_CS, "aes256-gcm@openssh.com", 0 },
    { "cipher", LIBSSH2_METHOD_CRYPT_CS, "aes128-ctr", 0 },
    { "cipher", LIBSSH2_METHOD_CRYPT_CS, "aes192-ctr", 0 },
    { "cipher", LIBSSH2_METHOD_CRYPT_CS, "aes256-ctr", 0 },
    { "cipher", LIBSSH2_METHOD_CRYPT_CS, "aes128-cbc", 0 },
    { "cipher", LIBSSH2_METHOD_CRYPT_CS, "aes192-cbc", 0 },
    { "cipher", LIBSSH2_METHOD_CRYPT_CS, "aes256-cbc", 0 },
    { "mac", LIBSSH2_METHOD_MAC_CS, "hmac-sha2-256-etm@openssh.com", 0 },
    { "mac", LIBSSH2_METHOD_MAC_CS, "hmac-sha2-512-etm@openssh.com", 0 },
    { "mac", LIBSSH2_METHOD_MAC_CS, "hmac-sha1-etm@openssh.com", 0 },
    { "mac", LIBSSH2_METHOD_MAC_CS, "hmac-sha2-256", 0 },
    { "mac", LIBSSH2_METHOD_MAC_CS, "hmac-sha2-512", 0 },
    { "mac", LIBSSH2_METHOD_MAC_CS, "hmac-sha1", 0 },
    { "comp", LIBSSH2_METHOD_COMP_CS, "none", 0 },
    { "comp", LIBSSH2_METHOD_COMP_CS, "zlib@openssh.com", 0 },
    { "comp", LIBSSH2_METHOD_COMP_CS, "zlib", 0 },
};

/* Dropbear 2022.83 (Debian 12) offers these; it is restricted from our side. */
static const struct tcase dropbear_cases[] = {
    { "kex", LIBSSH2_METHOD_KEX, "curve25519-sha256", 0 },
    { "kex", LIBSSH2_METHOD_KEX, "curve25519-sha256@libssh.org", 0 },
    { "kex", LIBSSH2_METHOD_KEX, "ecdh-sha2-nistp256", 0 },
    { "kex", LIBSSH2_METHOD_KEX, "ecdh-sha2-nistp384", 0 },
    { "kex", LIBSSH2_METHOD_KEX, "ecdh-sha2-nistp521", 0 },
    { "kex", LIBSSH2_METHOD_KEX, "diffie-hellman-group14-sha256", 0 },
    { "kex", LIBSSH2_METHOD_KEX, "diffie-hellman-group14-sha1", 1 },
    { "hostkey", LIBSSH2_METHOD_HOSTKEY, "ssh-ed25519", 0 },
    { "hostkey", LIBSSH2_METHOD_HOSTKEY, "ecdsa-sha2-nistp256", 0 },
    { "hostkey", LIBSSH2_METHOD_HOSTKEY, "ecdsa-sha2-nistp384", 0 },
    { "hostkey", LIBSSH2_METHOD_HOSTKEY, "ecdsa-sha2-nistp521", 0 },
    { "hostkey", LIBSSH2_METHOD_HOSTKEY, "rsa-sha2-256", 0 },
    { "hostkey", LIBSSH2_METHOD_HOSTKEY, "ssh-rsa", 1 },
    { "cipher", LIBSSH2_METHOD_CRYPT_CS, "chacha20-poly1305@openssh.com", 0 },
    { "cipher", LIBSSH2_METHOD_CRYPT_CS, "aes128-ctr", 0 },
    { "cipher", LIBSSH2_METHOD_CRYPT_CS, "aes256-ctr", 0 },
    { "mac", LIBSSH2_METHOD_MAC_CS, "hmac-sha2-256", 0 },
    { "mac", LIBSSH2_METHOD_MAC_CS, "hmac-sha1", 0 },
    { "comp", LIBSSH2_METHOD_COMP_CS, "none", 0 },
    { "comp", LIBSSH2_METHOD_COMP_CS, "zlib@openssh.com", 0 },
};

static const char *const method_names[] = {
    "kex", "hostkey", "crypt_cs", "crypt_sc", "mac_cs", "mac_sc", "comp_cs", "comp_sc",
};

/* Test-wide settings. */
static struct {
    enum server_kind server;
    const char *server_name;
    const char *fixture;
    const char *category;
    const char *only;
    int verbose;
    int server_strict_kex;  /* the server binary knows kex-strict-s-v00 */
    int rekey_preauth;      /* the server accepts a KEXINIT before user auth */
    const char *banner_prefix;  /* start of the server's identification string */
    char server_bin[512];
    char user[128];
} g;

/* ---- small helpers ---------------------------------------------------- */

/* Failure reason of the current case; the first one is kept. */
static char fail_msg[1024];

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
    int len = 0;
    int err = libssh2_session_last_error(s, &msg, &len, 0);

    failf("%s: rc=%d last_error=%d '%s'", what, rc, err, msg != NULL ? msg : "");
}

static int read_file(const char *dir, const char *name, char *out, size_t outlen)
{
    char path[1024];
    FILE *f;
    size_t n;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    f = fopen(path, "r");
    if (f == NULL) {
        return -1;
    }
    n = fread(out, 1, outlen - 1, f);
    fclose(f);
    out[n] = '\0';
    return 0;
}

/* Read a one-line file and strip the newline. */
static int read_line_file(const char *dir, const char *name, char *out, size_t outlen)
{
    if (read_file(dir, name, out, outlen) != 0) {
        return -1;
    }
    out[strcspn(out, "\r\n")] = '\0';
    return out[0] != '\0' ? 0 : -1;
}

/* Is word in the newline- or comma-separated list? */
static int list_has(const char *list, const char *word)
{
    size_t wl = strlen(word);
    const char *p = list;

    while (p != NULL && *p != '\0') {
        size_t n = strcspn(p, ",\n\r");
        if (n == wl && strncmp(p, word, wl) == 0) {
            return 1;
        }
        p += n;
        p += strspn(p, ",\n\r");
    }
    return 0;
}

static const char b64chars[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Base64 without padding, as ssh-keygen prints fingerprints. */
static void b64_nopad(const unsigned char *in, size_t len, char *out)
{
    size_t i;
    size_t o = 0;

    for (i = 0; i + 2 < len; i += 3) {
        unsigned long v = ((unsigned long)in[i] << 16) | ((unsigned long)in[i + 1] << 8) |
                          in[i + 2];
        out[o++] = b64chars[(v >> 18) & 63];
        out[o++] = b64chars[(v >> 12) & 63];
        out[o++] = b64chars[(v >> 6) & 63];
        out[o++] = b64chars[v & 63];
    }
    if (len - i == 1) {
        unsigned long v = (unsigned long)in[i] << 16;
        out[o++] = b64chars[(v >> 18) & 63];
        out[o++] = b64chars[(v >> 12) & 63];
    } else if (len - i == 2) {
        unsigned long v = ((unsigned long)in[i] << 16) | ((unsigned long)in[i + 1] << 8);
        out[o++] = b64chars[(v >> 18) & 63];
        out[o++] = b64chars[(v >> 12) & 63];
        out[o++] = b64chars[(v >> 6) & 63];
    }
    out[o] = '\0';
}

/* Decode base64 (padding allowed); returns the length or -1. */
static long b64_decode(const char *in, size_t inlen, unsigned char *out, size_t outmax)
{
    unsigned long acc = 0;
    int bits = 0;
    size_t o = 0;
    size_t i;

    for (i = 0; i < inlen; i++) {
        const char *c;
        if (in[i] == '=') {
            break;
        }
        c = strchr(b64chars, in[i]);
        if (c == NULL || in[i] == '\0') {
            return -1;
        }
        acc = (acc << 6) | (unsigned long)(c - b64chars);
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

/* ---- server processes ------------------------------------------------- */

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

/* Port of the fixture daemon (portfile) or of the asyncssh listener for a case. */
static long lookup_port(const char *portfile, const struct tcase *tc)
{
    char buf[8192];
    char want[256];
    char *line;
    long port;

    if (portfile != NULL) {
        if (read_line_file(g.fixture, portfile, buf, sizeof(buf)) != 0) {
            return -1;
        }
        port = strtol(buf, NULL, 10);
        return port > 0 && port <= 65535 ? port : -1;
    }
    if (read_file(g.fixture, "asyncssh.ports", buf, sizeof(buf)) != 0) {
        return -1;
    }
    snprintf(want, sizeof(want), "%s %s ", tc->category, tc->alg);
    for (line = buf; line != NULL && *line != '\0'; line = strchr(line, '\n')) {
        if (*line == '\n') {
            line++;
        }
        if (strncmp(line, want, strlen(want)) == 0) {
            port = strtol(line + strlen(want), NULL, 10);
            return port > 0 && port <= 65535 ? port : -1;
        }
    }
    return -1;
}

static int connect_tcp(long port)
{
    struct sockaddr_in sa;
    int fd;

    fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) {
        failf("socket: %s", strerror(errno));
        return -1;
    }
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_port = htons((unsigned short)port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
        failf("connect 127.0.0.1:%ld: %s", port, strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

/* Host key file (without extension) for a host key algorithm. */
static const char *key_suffix(const char *alg)
{
    if (strcmp(alg, "ssh-ed25519") == 0) {
        return "ed25519";
    }
    if (strcmp(alg, "ecdsa-sha2-nistp256") == 0) {
        return "ecdsa256";
    }
    if (strcmp(alg, "ecdsa-sha2-nistp384") == 0) {
        return "ecdsa384";
    }
    if (strcmp(alg, "ecdsa-sha2-nistp521") == 0) {
        return "ecdsa521";
    }
    if (strcmp(alg, "rsa-sha2-512") == 0 || strcmp(alg, "rsa-sha2-256") == 0 ||
        strcmp(alg, "ssh-rsa") == 0) {
        return "rsa";
    }
    return NULL;
}

static int expected_key_type(const char *alg)
{
    const char *k = key_suffix(alg);

    if (k == NULL) {
        return -1;
    }
    if (strcmp(k, "ed25519") == 0) {
        return LIBSSH2_HOSTKEY_TYPE_ED25519;
    }
    if (strcmp(k, "ecdsa256") == 0) {
        return LIBSSH2_HOSTKEY_TYPE_ECDSA_256;
    }
    if (strcmp(k, "ecdsa384") == 0) {
        return LIBSSH2_HOSTKEY_TYPE_ECDSA_384;
    }
    if (strcmp(k, "ecdsa521") == 0) {
        return LIBSSH2_HOSTKEY_TYPE_ECDSA_521;
    }
    return LIBSSH2_HOSTKEY_TYPE_RSA;
}

/* Option name in sshd_config for a method type. */
static const char *sshd_option(int method)
{
    switch (method) {
    case LIBSSH2_METHOD_KEX:
        return "KexAlgorithms";
    case LIBSSH2_METHOD_HOSTKEY:
        return "HostKeyAlgorithms";
    case LIBSSH2_METHOD_CRYPT_CS:
        return "Ciphers";
    case LIBSSH2_METHOD_MAC_CS:
        return "MACs";
    default:
        return NULL;
    }
}

/* ssh -Q output file holding what this OpenSSH build supports, per method. */
static const char *ssh_q_file(int method)
{
    switch (method) {
    case LIBSSH2_METHOD_KEX:
        return "ssh_q_kex";
    case LIBSSH2_METHOD_HOSTKEY:
        return "ssh_q_key";
    case LIBSSH2_METHOD_CRYPT_CS:
        return "ssh_q_cipher";
    case LIBSSH2_METHOD_MAC_CS:
        return "ssh_q_mac";
    default:
        return "ssh_q_compression";
    }
}

/* Builds the server argv for a case. Strings live in the static pool. */
struct argv_buf {
    char *argv[40];
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

/* Server argv for OpenSSH: restrict = "X" (only X) or "+X" (defaults plus X). */
static void openssh_argv(struct argv_buf *a, const struct tcase *tc, int restrict_only)
{
    const char *opt = sshd_option(tc->method);

    argv_add(a, "%s", g.server_bin);
    argv_add(a, "-i");
    argv_add(a, "-e");
    argv_add(a, "-f");
    argv_add(a, "%s/sshd_config", g.fixture);
    argv_add(a, "-o");
    argv_add(a, "LogLevel=DEBUG1");
    if (tc->method == LIBSSH2_METHOD_COMP_CS) {
        argv_add(a, "-o");
        argv_add(a, "Compression=%s", strcmp(tc->alg, "none") == 0 && restrict_only ? "no" :
                 "yes");
        return;
    }
    argv_add(a, "-o");
    argv_add(a, "%s=%s%s", opt, restrict_only ? "" : "+", tc->alg);
    if (tc->method == LIBSSH2_METHOD_MAC_CS) {
        /* A MAC is only used with a non-AEAD cipher. */
        argv_add(a, "-o");
        argv_add(a, "Ciphers=aes256-ctr,aes128-cbc");
    }
}

static void dropbear_argv(struct argv_buf *a, const struct tcase *tc)
{
    argv_add(a, "%s", g.server_bin);
    argv_add(a, "-i");      /* logs to syslog: inetd mode refuses -E */
    if (tc->method == LIBSSH2_METHOD_HOSTKEY &&
        (strcmp(tc->alg, "ecdsa-sha2-nistp384") == 0 ||
         strcmp(tc->alg, "ecdsa-sha2-nistp521") == 0)) {
        argv_add(a, "-r");
        argv_add(a, "%s/db_%s", g.fixture, key_suffix(tc->alg));
        return;
    }
    argv_add(a, "-r");
    argv_add(a, "%s/db_ed25519", g.fixture);
    argv_add(a, "-r");
    argv_add(a, "%s/db_ecdsa256", g.fixture);
    argv_add(a, "-r");
    argv_add(a, "%s/db_rsa", g.fixture);
}

/* ---- the session driver ----------------------------------------------- */

struct conn {
    LIBSSH2_SESSION *s;
    int fd;
    int nb;
    long eagains;
    int bad_dirs;       /* EAGAIN while block_directions() said nothing */
};

/* Non-blocking mode: wait until the socket is ready in the directions asked. */
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

static char *drive_userauth_list(struct conn *c)
{
    for (;;) {
        char *list = libssh2_userauth_list(c->s, g.user, (unsigned int)strlen(g.user));
        if (list != NULL || !c->nb ||
            libssh2_session_last_errno(c->s) != LIBSSH2_ERROR_EAGAIN) {
            return list;
        }
        if (conn_wait(c) != 0) {
            return NULL;
        }
    }
}

/* Is the algorithm supported by the library we run against? */
static int client_supports(LIBSSH2_SESSION *s, int method, const char *alg)
{
    const char **algs = NULL;
    int n = libssh2_session_supported_algs(s, method, &algs);
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

/* The negotiated value expected for each method type, or NULL: don't check. */
static void expected_methods(const struct tcase *tc, const char *exp[8])
{
    int i;

    for (i = 0; i < 8; i++) {
        exp[i] = NULL;
    }
    switch (tc->method) {
    case LIBSSH2_METHOD_KEX:
        exp[LIBSSH2_METHOD_KEX] = tc->alg;
        break;
    case LIBSSH2_METHOD_HOSTKEY:
        exp[LIBSSH2_METHOD_HOSTKEY] = tc->alg;
        break;
    case LIBSSH2_METHOD_CRYPT_CS:
        exp[LIBSSH2_METHOD_CRYPT_CS] = tc->alg;
        exp[LIBSSH2_METHOD_CRYPT_SC] = tc->alg;
        break;
    case LIBSSH2_METHOD_MAC_CS:
        exp[LIBSSH2_METHOD_MAC_CS] = tc->alg;
        exp[LIBSSH2_METHOD_MAC_SC] = tc->alg;
        break;
    default:
        exp[LIBSSH2_METHOD_COMP_CS] = tc->alg;
        exp[LIBSSH2_METHOD_COMP_SC] = tc->alg;
        break;
    }
}

static int is_aead(const char *cipher)
{
    return cipher != NULL && (strstr(cipher, "-gcm@") != NULL ||
                              strstr(cipher, "chacha20-poly1305") != NULL);
}

/* Checks every method type; fills summary with what was negotiated. */
static int check_methods(LIBSSH2_SESSION *s, const struct tcase *tc, char *summary,
                         size_t sumlen)
{
    const char *exp[8];
    int i;
    size_t used = 0;

    expected_methods(tc, exp);
    summary[0] = '\0';
    for (i = 0; i < 8; i++) {
        const char *got = libssh2_session_methods(s, i);
        if (got == NULL || got[0] == '\0') {
            /* An AEAD cipher may leave the MAC empty. */
            const char *cipher = libssh2_session_methods(
                s, i == LIBSSH2_METHOD_MAC_CS ? LIBSSH2_METHOD_CRYPT_CS
                                              : LIBSSH2_METHOD_CRYPT_SC);
            if (!((i == LIBSSH2_METHOD_MAC_CS || i == LIBSSH2_METHOD_MAC_SC) &&
                  is_aead(cipher))) {
                failf("libssh2_session_methods(%s) returned nothing", method_names[i]);
                return -1;
            }
            got = "-";
        }
        if (exp[i] != NULL && strcmp(got, exp[i]) != 0) {
            failf("libssh2_session_methods(%s) = '%s', expected '%s'", method_names[i], got,
                  exp[i]);
            return -1;
        }
        if (tc->method == LIBSSH2_METHOD_MAC_CS &&
            (i == LIBSSH2_METHOD_CRYPT_CS || i == LIBSSH2_METHOD_CRYPT_SC) && is_aead(got)) {
            failf("MAC case negotiated AEAD cipher '%s'", got);
            return -1;
        }
        if (i == 0 || i == 1 || i == 2 || i == 4 || i == 6) {
            int n = snprintf(summary + used, sumlen - used, "%s%s=%s", used ? " " : "",
                             i == 0 ? "kex" : i == 1 ? "hostkey" : i == 2 ? "cipher" :
                             i == 4 ? "mac" : "comp", got);
            if (n > 0 && (size_t)n < sumlen - used) {
                used += (size_t)n;
            }
        }
    }
    return 0;
}

/* Host key blob vs the .pub file; hashes vs ssh-keygen's fingerprints. */
static int check_hostkey(LIBSSH2_SESSION *s, const char *hostkey_alg)
{
    const char *suffix = key_suffix(hostkey_alg);
    const char *prefix = g.server == SRV_DROPBEAR ? "db_" : "hostkey_";
    char name[64];
    char pub[8192];
    char fp[1024];
    unsigned char blob[4096];
    char enc[128];
    char line[3][256];
    const char *key;
    const unsigned char *h;
    size_t keylen = 0;
    int type = -1;
    long bloblen;
    char *sp;
    char *end;
    int i;

    if (suffix == NULL) {
        failf("unknown host key algorithm '%s'", hostkey_alg);
        return -1;
    }
    key = libssh2_session_hostkey(s, &keylen, &type);
    if (key == NULL || keylen == 0) {
        failf("libssh2_session_hostkey returned nothing");
        return -1;
    }
    if (type != expected_key_type(hostkey_alg)) {
        failf("libssh2_session_hostkey type %d, expected %d", type,
              expected_key_type(hostkey_alg));
        return -1;
    }
    snprintf(name, sizeof(name), "%s%s.pub", prefix, suffix);
    if (read_file(g.fixture, name, pub, sizeof(pub)) != 0) {
        failf("cannot read %s", name);
        return -1;
    }
    sp = strchr(pub, ' ');
    if (sp == NULL) {
        failf("malformed %s", name);
        return -1;
    }
    sp++;
    end = sp + strcspn(sp, " \r\n");
    bloblen = b64_decode(sp, (size_t)(end - sp), blob, sizeof(blob));
    if (bloblen <= 0 || (size_t)bloblen != keylen || memcmp(blob, key, keylen) != 0) {
        failf("host key blob (%zu bytes) differs from %s (%ld bytes)", keylen, name, bloblen);
        return -1;
    }

    snprintf(name, sizeof(name), "%s%s.fp", prefix, suffix);
    if (read_file(g.fixture, name, fp, sizeof(fp)) != 0) {
        /* ssh-keygen missing: blob equality above is the check. */
        return 0;
    }
    if (sscanf(fp, "%255s %255s %255s", line[0], line[1], line[2]) != 3) {
        failf("malformed %s", name);
        return -1;
    }

    h = (const unsigned char *)libssh2_hostkey_hash(s, LIBSSH2_HOSTKEY_HASH_SHA256);
    if (h == NULL) {
        failf("libssh2_hostkey_hash(SHA256) returned NULL");
        return -1;
    }
    memcpy(enc, "SHA256:", 7);
    b64_nopad(h, 32, enc + 7);
    if (strcmp(enc, line[0]) != 0) {
        failf("SHA256 fingerprint %s, ssh-keygen says %s", enc, line[0]);
        return -1;
    }
    /* Negative control: one flipped bit must not match. */
    {
        unsigned char flipped[32];
        char enc2[64];
        memcpy(flipped, h, 32);
        flipped[0] ^= 1;
        memcpy(enc2, "SHA256:", 7);
        b64_nopad(flipped, 32, enc2 + 7);
        if (strcmp(enc2, line[0]) == 0) {
            failf("fingerprint comparison is broken");
            return -1;
        }
    }

    h = (const unsigned char *)libssh2_hostkey_hash(s, LIBSSH2_HOSTKEY_HASH_MD5);
    if (h == NULL) {
        failf("libssh2_hostkey_hash(MD5) returned NULL");
        return -1;
    }
    memcpy(enc, "MD5:", 4);
    for (i = 0; i < 16; i++) {
        snprintf(enc + 4 + i * 3, 4, "%02x%s", h[i], i < 15 ? ":" : "");
    }
    if (strcmp(enc, line[1]) != 0) {
        failf("MD5 fingerprint %s, ssh-keygen says %s", enc, line[1]);
        return -1;
    }

    h = (const unsigned char *)libssh2_hostkey_hash(s, LIBSSH2_HOSTKEY_HASH_SHA1);
    if (h == NULL) {
        failf("libssh2_hostkey_hash(SHA1) returned NULL");
        return -1;
    }
    memcpy(enc, "SHA1:", 5);
    b64_nopad(h, 20, enc + 5);
    if (strcmp(enc, line[2]) != 0) {
        failf("SHA1 fingerprint %s, ssh-keygen says %s", enc, line[2]);
        return -1;
    }
    if (libssh2_hostkey_hash(s, 99) != NULL) {
        failf("libssh2_hostkey_hash(99) should return NULL");
        return -1;
    }
    return 0;
}

static int check_userauth_list(struct conn *c, const char *when)
{
    char *list = drive_userauth_list(c);

    if (list == NULL) {
        session_failf(c->s, libssh2_session_last_errno(c->s), when);
        return -1;
    }
    if (strstr(list, "publickey") == NULL && strstr(list, "password") == NULL) {
        failf("%s: method list '%s' has neither publickey nor password", when, list);
        return -1;
    }
    return 0;
}

/* Outcome of one positive case run. */
struct result {
    char summary[512];
    char extra[256];
};

/*
 * Connects, handshakes and runs the checks. client_prefs: method types and
 * strings to pass to libssh2_session_method_pref (NULL-terminated pairs).
 */
static int run_session(const struct tcase *tc, const struct variant *v, struct argv_buf *sargs,
                       const char *logpath, long port, struct result *res)
{
    struct conn c;
    pid_t spid = -1;
    int rc;
    int ret = -1;
    const char *banner;
    char hostkey_alg[64];

    memset(&c, 0, sizeof(c));
    c.fd = -1;
    c.nb = v->nonblocking;
    live_allocs = 0;

    c.s = libssh2_session_init_ex(count_alloc, count_free, count_realloc, NULL);
    if (c.s == NULL) {
        failf("libssh2_session_init_ex returned NULL");
        return -1;
    }
    if (libssh2_hostkey_hash(c.s, LIBSSH2_HOSTKEY_HASH_SHA256) != NULL) {
        failf("libssh2_hostkey_hash before the handshake should be NULL");
        goto out;
    }
    rc = libssh2_session_banner_set(c.s, "SSH-2.0-ssh2core_integration_test");
    if (rc != 0) {
        session_failf(c.s, rc, "libssh2_session_banner_set");
        goto out;
    }
    if (!c.nb) {
        libssh2_session_set_timeout(c.s, IO_TIMEOUT_MS);
    }

    if (tc != NULL) {
        int sup = client_supports(c.s, tc->method, tc->alg);
        if (sup == 0) {
#ifdef S2_WITH_SSH2CORE
            failf("libssh2_session_supported_algs(%s) lacks %s", method_names[tc->method],
                  tc->alg);
            goto out;
#else
            ret = SKIP_CODE;
            failf("client library lacks %s", tc->alg);
            goto out;
#endif
        }
        if (v->client_restrict || tc->legacy) {
            int t = tc->method;
            rc = libssh2_session_method_pref(c.s, t, tc->alg);
            if (rc == 0 && (t == LIBSSH2_METHOD_CRYPT_CS || t == LIBSSH2_METHOD_MAC_CS ||
                            t == LIBSSH2_METHOD_COMP_CS)) {
                rc = libssh2_session_method_pref(c.s, t + 1, tc->alg);
            }
            if (rc != 0) {
                session_failf(c.s, rc, "libssh2_session_method_pref");
                goto out;
            }
        }
        if (tc->method == LIBSSH2_METHOD_MAC_CS && v->client_restrict) {
            const char *ciphers = g.server == SRV_OPENSSH ? "aes256-ctr,aes128-cbc"
                                                          : "aes256-ctr,aes128-ctr";
            if (libssh2_session_method_pref(c.s, LIBSSH2_METHOD_CRYPT_CS, ciphers) != 0 ||
                libssh2_session_method_pref(c.s, LIBSSH2_METHOD_CRYPT_SC, ciphers) != 0) {
                session_failf(c.s, -1, "libssh2_session_method_pref(ciphers)");
                goto out;
            }
        }
        if (tc->method == LIBSSH2_METHOD_COMP_CS && strcmp(tc->alg, "none") != 0) {
            libssh2_session_flag(c.s, LIBSSH2_FLAG_COMPRESS, 1);
        }
    }

    if (sargs != NULL) {
        c.fd = spawn_inetd(sargs->argv, logpath, &spid);
    } else {
        c.fd = connect_tcp(port);
    }
    if (c.fd < 0) {
        goto out;
    }
    libssh2_session_set_blocking(c.s, c.nb ? 0 : 1);
    if (libssh2_session_get_blocking(c.s) != (c.nb ? 0 : 1)) {
        failf("libssh2_session_get_blocking disagrees with set_blocking");
        goto out;
    }

    DRIVE(&c, rc, libssh2_session_handshake(c.s, (libssh2_socket_t)c.fd));
    if (rc != 0) {
        session_failf(c.s, rc, "libssh2_session_handshake");
        goto out;
    }
    if (c.nb && c.eagains == 0 && sargs != NULL) {
        /* A server we just forked cannot have answered yet, so the first read must
         * have blocked. (Over TCP a fast server can win every race.) */
        failf("non-blocking handshake never returned EAGAIN");
        goto out;
    }

    if (tc != NULL && check_methods(c.s, tc, res->summary, sizeof(res->summary)) != 0) {
        goto out;
    }
    if (tc == NULL) {
        struct tcase any = { "tcp", LIBSSH2_METHOD_COMP_CS, "none", 0 };
        if (check_methods(c.s, &any, res->summary, sizeof(res->summary)) != 0) {
            goto out;
        }
    }

    banner = libssh2_session_banner_get(c.s);
    if (banner == NULL || strncmp(banner, g.banner_prefix, strlen(g.banner_prefix)) != 0) {
        failf("libssh2_session_banner_get = '%s'", banner != NULL ? banner : "(null)");
        goto out;
    }

    snprintf(hostkey_alg, sizeof(hostkey_alg), "%s",
             libssh2_session_methods(c.s, LIBSSH2_METHOD_HOSTKEY));
    if (check_hostkey(c.s, hostkey_alg) != 0) {
        goto out;
    }

#ifdef S2_WITH_SSH2CORE
    {
        long n = (long)ssh2core_session_kex_count(c.s);
        int strict = ssh2core_session_strict_kex(c.s);
        if (n != 1) {
            failf("ssh2core_session_kex_count after handshake = %ld, expected 1", n);
            goto out;
        }
        if (g.server_strict_kex && strict != 1) {
            failf("server supports strict KEX but ssh2core_session_strict_kex = %d", strict);
            goto out;
        }
        snprintf(res->extra, sizeof(res->extra), "strict_kex=%d", strict);
    }
#endif

    if (check_userauth_list(&c, "libssh2_userauth_list") != 0) {
        goto out;
    }

#ifdef S2_WITH_SSH2CORE
    if (!g.rekey_preauth) {
        /* sshd rekeys only after user auth: log in with the fixture's user key. */
        char keyfile[1024];
        snprintf(keyfile, sizeof(keyfile), "%s/id_ed25519", g.fixture);
        DRIVE(&c, rc, libssh2_userauth_publickey_fromfile_ex(
                          c.s, g.user, (unsigned int)strlen(g.user), NULL, keyfile, NULL));
        if (rc != 0) {
            session_failf(c.s, rc, "libssh2_userauth_publickey_fromfile_ex (sshd rekeys "
                          "only after user auth)");
            goto out;
        }
        if (libssh2_userauth_authenticated(c.s) != 1) {
            failf("libssh2_userauth_authenticated != 1 after publickey auth");
            goto out;
        }
    }
    {
        long n;
        size_t used = strlen(res->extra);
        DRIVE(&c, rc, ssh2core_session_rekey(c.s));
        if (rc != 0) {
            session_failf(c.s, rc, "ssh2core_session_rekey");
            goto out;
        }
        n = (long)ssh2core_session_kex_count(c.s);
        if (n != 2) {
            failf("ssh2core_session_kex_count after rekey = %ld, expected 2", n);
            goto out;
        }
        if (tc != NULL) {
            char again[512];
            if (check_methods(c.s, tc, again, sizeof(again)) != 0) {
                goto out;
            }
            if (strcmp(again, res->summary) != 0) {
                failf("methods changed by rekey: '%s' -> '%s'", res->summary, again);
                goto out;
            }
        }
        if (check_hostkey(c.s, hostkey_alg) != 0) {
            goto out;
        }
        if (g.rekey_preauth &&
            check_userauth_list(&c, "libssh2_userauth_list after rekey") != 0) {
            goto out;
        }
        if (!g.rekey_preauth && libssh2_userauth_authenticated(c.s) != 1) {
            failf("not authenticated any more after rekey");
            goto out;
        }
        snprintf(res->extra + used, sizeof(res->extra) - used, " %srekey=ok kex_count=%ld",
                 g.rekey_preauth ? "" : "auth=publickey ", n);
    }
#else
    {
        size_t used = strlen(res->extra);
        snprintf(res->extra + used, sizeof(res->extra) - used, "%srekey=n/a",
                 used ? " " : "");
    }
#endif

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
    ret = 0;

out:
    if (c.s != NULL) {
        if (c.fd < 0) {
            c.nb = 0;   /* nothing to poll: don't wait on EAGAIN */
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
    return ret;
}

static void print_log_tail(const char *logpath)
{
    char buf[16384];
    FILE *f = logpath != NULL ? fopen(logpath, "r") : NULL;
    size_t n;
    size_t i;
    int lines = 0;
    size_t start = 0;

    if (f == NULL) {
        return;
    }
    n = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[n] = '\0';
    for (i = n; i > 0; i--) {
        if (buf[i - 1] == '\n' && ++lines > 12) {
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

/* ---- case bodies, each run in a child process ------------------------- */

static int server_can(const struct tcase *tc, char *why, size_t whylen)
{
    char list[8192];

    if (g.server != SRV_OPENSSH) {
        return 1;
    }
    if (tc->method == LIBSSH2_METHOD_COMP_CS) {
        /* sshd offers "none" and "zlib@openssh.com" only, whatever ssh -Q says. */
        if (strcmp(tc->alg, "none") != 0 && strcmp(tc->alg, "zlib@openssh.com") != 0) {
            snprintf(why, whylen, "sshd does not offer %s (only none, zlib@openssh.com)",
                     tc->alg);
            return 0;
        }
        return 1;
    }
    if (read_file(g.fixture, ssh_q_file(tc->method), list, sizeof(list)) != 0) {
        return 1;   /* unknown: try it */
    }
    if (!list_has(list, tc->alg)) {
        snprintf(why, whylen, "this OpenSSH build lacks %s (ssh -Q)", tc->alg);
        return 0;
    }
    return 1;
}

static int child_case(const struct tcase *tc, const struct variant *v, const char *label)
{
    struct argv_buf sargs;
    struct result res;
    char logpath[1024];
    char why[256];
    int rc;

    memset(&sargs, 0, sizeof(sargs));
    memset(&res, 0, sizeof(res));
    if (!server_can(tc, why, sizeof(why))) {
        printf("SKIP %s: %s\n", label, why);
        return SKIP_CODE;
    }
    snprintf(logpath, sizeof(logpath), "%s/logs/%s-%s-%s-%s.log", g.fixture, g.server_name,
             tc->category, tc->alg, v->nonblocking ? "nb" : (v->client_restrict ? "cli" : "srv"));
    if (g.server == SRV_ASYNCSSH) {
        long port = lookup_port(NULL, tc);
        if (port < 0) {
            printf("SKIP %s: asyncssh offers no %s listener\n", label, tc->alg);
            return SKIP_CODE;
        }
        rc = run_session(tc, v, NULL, NULL, port, &res);
    } else {
        if (g.server == SRV_OPENSSH) {
            openssh_argv(&sargs, tc, v->server_restrict);
        } else {
            dropbear_argv(&sargs, tc);
        }
        rc = run_session(tc, v, &sargs, logpath, 0, &res);
    }
    if (rc == SKIP_CODE) {
        printf("SKIP %s: %s\n", label, fail_msg);
        return SKIP_CODE;
    }
    if (rc != 0) {
        printf("FAIL %s: %s\n", label, fail_msg);
        print_log_tail(g.server == SRV_ASYNCSSH ? NULL : logpath);
        return 1;
    }
    if (g.server == SRV_OPENSSH) {
        /* sshd (LogLevel DEBUG1) logs the software version of our banner_set(). */
        char log[65536];
        if (read_file("/", logpath, log, sizeof(log)) != 0 ||
            strstr(log, "remote software version ssh2core_integration_test") == NULL) {
            printf("FAIL %s: sshd did not see the banner set with "
                   "libssh2_session_banner_set\n", label);
            print_log_tail(logpath);
            return 1;
        }
    }
    printf("PASS %s: %s %s\n", label, res.summary, res.extra);
    return 0;
}

/* Connect to the fixture's long-running daemon over TCP. */
static int child_tcp(const struct variant *v, const char *label)
{
    struct result res;
    int rc;

    memset(&res, 0, sizeof(res));
    rc = run_session(NULL, v, NULL, NULL,
                     lookup_port(g.server == SRV_OPENSSH ? "sshd.port" : "dropbear.port", NULL),
                     &res);
    if (rc != 0) {
        printf("FAIL %s: %s\n", label, fail_msg);
        return 1;
    }
    printf("PASS %s: %s %s\n", label, res.summary, res.extra);
    return 0;
}

/* Negative: our only choice is one the server does not offer. */
struct neg_case {
    const char *name;
    int method;
    const char *client;
    const char *server_opt;     /* -o for sshd */
};

static const struct neg_case neg_cases[] = {
    { "kex-mismatch", LIBSSH2_METHOD_KEX, "ecdh-sha2-nistp256",
      "KexAlgorithms=curve25519-sha256" },
    { "hostkey-mismatch", LIBSSH2_METHOD_HOSTKEY, "ecdsa-sha2-nistp256",
      "HostKeyAlgorithms=ssh-ed25519" },
    { "cipher-mismatch", LIBSSH2_METHOD_CRYPT_CS, "aes128-ctr", "Ciphers=aes256-ctr" },
    { "mac-mismatch", LIBSSH2_METHOD_MAC_CS, "hmac-sha1", "MACs=hmac-sha2-512" },
};

static int child_neg(const struct neg_case *nc, const char *label)
{
    struct argv_buf sargs;
    struct conn c;
    pid_t spid = -1;
    char logpath[1024];
    int rc;
    int ret = 1;

    memset(&sargs, 0, sizeof(sargs));
    memset(&c, 0, sizeof(c));
    snprintf(logpath, sizeof(logpath), "%s/logs/%s-neg-%s.log", g.fixture, g.server_name,
             nc->name);
    argv_add(&sargs, "%s", g.server_bin);
    argv_add(&sargs, "-i");
    argv_add(&sargs, "-e");
    argv_add(&sargs, "-f");
    argv_add(&sargs, "%s/sshd_config", g.fixture);
    argv_add(&sargs, "-o");
    argv_add(&sargs, "%s", nc->server_opt);
    if (nc->method == LIBSSH2_METHOD_MAC_CS) {
        argv_add(&sargs, "-o");
        argv_add(&sargs, "Ciphers=aes128-ctr");
    }

    c.s = libssh2_session_init();
    if (c.s == NULL) {
        printf("FAIL %s: libssh2_session_init returned NULL\n", label);
        return 1;
    }
    libssh2_session_set_timeout(c.s, IO_TIMEOUT_MS);
    rc = libssh2_session_method_pref(c.s, nc->method, nc->client);
    if (rc == 0 && (nc->method == LIBSSH2_METHOD_CRYPT_CS || nc->method == LIBSSH2_METHOD_MAC_CS)) {
        rc = libssh2_session_method_pref(c.s, nc->method + 1, nc->client);
    }
    if (rc == 0 && nc->method == LIBSSH2_METHOD_MAC_CS) {
        rc = libssh2_session_method_pref(c.s, LIBSSH2_METHOD_CRYPT_CS, "aes128-ctr");
        if (rc == 0) {
            rc = libssh2_session_method_pref(c.s, LIBSSH2_METHOD_CRYPT_SC, "aes128-ctr");
        }
    }
    if (rc != 0) {
        printf("FAIL %s: libssh2_session_method_pref rc=%d\n", label, rc);
        libssh2_session_free(c.s);
        return 1;
    }
    c.fd = spawn_inetd(sargs.argv, logpath, &spid);
    if (c.fd < 0) {
        printf("FAIL %s: %s\n", label, fail_msg);
        libssh2_session_free(c.s);
        return 1;
    }
    rc = libssh2_session_handshake(c.s, (libssh2_socket_t)c.fd);
    if (rc == 0) {
        printf("FAIL %s: handshake succeeded; negotiated %s\n", label,
               libssh2_session_methods(c.s, nc->method));
    } else if (rc != LIBSSH2_ERROR_KEX_FAILURE) {
        char *msg = NULL;
        libssh2_session_last_error(c.s, &msg, NULL, 0);
        printf("FAIL %s: handshake rc=%d, expected LIBSSH2_ERROR_KEX_FAILURE (%d): %s\n",
               label, rc, LIBSSH2_ERROR_KEX_FAILURE, msg != NULL ? msg : "");
    } else if (libssh2_hostkey_hash(c.s, LIBSSH2_HOSTKEY_HASH_SHA256) != NULL &&
               nc->method != LIBSSH2_METHOD_CRYPT_CS && nc->method != LIBSSH2_METHOD_MAC_CS) {
        printf("FAIL %s: host key hash available after a failed negotiation\n", label);
    } else {
        char *msg = NULL;
        libssh2_session_last_error(c.s, &msg, NULL, 0);
        printf("PASS %s: rc=%d (%s)\n", label, rc, msg != NULL ? msg : "");
        ret = 0;
    }
    libssh2_session_free(c.s);
    close(c.fd);
    reap(spid);
    return ret;
}

#ifdef S2_WITH_SSH2CORE
/* Negative: sshd refuses a rekey before user auth; we must fail cleanly. */
static int child_rekey_refused(const char *label)
{
    struct argv_buf sargs;
    struct conn c;
    pid_t spid = -1;
    char logpath[1024];
    char *msg = NULL;
    int rc;
    int ret = 1;

    memset(&sargs, 0, sizeof(sargs));
    memset(&c, 0, sizeof(c));
    snprintf(logpath, sizeof(logpath), "%s/logs/%s-neg-rekey-preauth.log", g.fixture,
             g.server_name);
    argv_add(&sargs, "%s", g.server_bin);
    argv_add(&sargs, "-i");
    argv_add(&sargs, "-e");
    argv_add(&sargs, "-f");
    argv_add(&sargs, "%s/sshd_config", g.fixture);
    c.s = libssh2_session_init();
    if (c.s == NULL) {
        printf("FAIL %s: libssh2_session_init returned NULL\n", label);
        return 1;
    }
    libssh2_session_set_timeout(c.s, IO_TIMEOUT_MS);
    c.fd = spawn_inetd(sargs.argv, logpath, &spid);
    if (c.fd < 0) {
        printf("FAIL %s: %s\n", label, fail_msg);
        libssh2_session_free(c.s);
        return 1;
    }
    rc = libssh2_session_handshake(c.s, (libssh2_socket_t)c.fd);
    if (rc != 0) {
        libssh2_session_last_error(c.s, &msg, NULL, 0);
        printf("FAIL %s: handshake rc=%d: %s\n", label, rc, msg != NULL ? msg : "");
    } else {
        rc = ssh2core_session_rekey(c.s);
        libssh2_session_last_error(c.s, &msg, NULL, 0);
        if (rc == 0 || rc == LIBSSH2_ERROR_EAGAIN) {
            printf("FAIL %s: rekey rc=%d, expected an error (sshd refuses it)\n", label, rc);
        } else if ((long)ssh2core_session_kex_count(c.s) != 1) {
            printf("FAIL %s: kex_count %ld after a refused rekey\n", label,
                   (long)ssh2core_session_kex_count(c.s));
        } else {
            printf("PASS %s: rekey rc=%d (%s)\n", label, rc, msg != NULL ? msg : "");
            ret = 0;
        }
    }
    libssh2_session_free(c.s);
    close(c.fd);
    reap(spid);
    return ret;
}
#endif

/* Negative: API misuse that must be refused without a connection. */
static int child_api_neg(const char *label)
{
    LIBSSH2_SESSION *s = libssh2_session_init();
    int rc;

    if (s == NULL) {
        printf("FAIL %s: libssh2_session_init returned NULL\n", label);
        return 1;
    }
    rc = libssh2_session_method_pref(s, LIBSSH2_METHOD_KEX, "no-such-kex@example.com");
    if (rc != LIBSSH2_ERROR_METHOD_NOT_SUPPORTED) {
        printf("FAIL %s: method_pref(unknown) rc=%d, expected %d\n", label, rc,
               LIBSSH2_ERROR_METHOD_NOT_SUPPORTED);
        libssh2_session_free(s);
        return 1;
    }
    rc = libssh2_session_method_pref(s, 99, "none");
    if (rc >= 0) {
        printf("FAIL %s: method_pref(type 99) rc=%d, expected an error\n", label, rc);
        libssh2_session_free(s);
        return 1;
    }
    /* Unknown names mixed with a known one: the known one is kept. */
    rc = libssh2_session_method_pref(s, LIBSSH2_METHOD_KEX,
                                     "no-such-kex@example.com,curve25519-sha256");
    if (rc != 0) {
        printf("FAIL %s: method_pref(unknown,known) rc=%d, expected 0\n", label, rc);
        libssh2_session_free(s);
        return 1;
    }
    if (libssh2_session_methods(s, LIBSSH2_METHOD_KEX) != NULL) {
        printf("FAIL %s: methods() before the handshake should be NULL\n", label);
        libssh2_session_free(s);
        return 1;
    }
    libssh2_session_free(s);
    printf("PASS %s: method_pref refuses unknown names and types\n", label);
    return 0;
}

/* Negative: the peer closes at once / sends garbage instead of a banner. */
static int child_dead_peer(const char *label, const char *garbage)
{
    LIBSSH2_SESSION *s = libssh2_session_init();
    int sv[2];
    int rc;

    if (s == NULL || socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0) {
        printf("FAIL %s: setup\n", label);
        return 1;
    }
    libssh2_session_set_timeout(s, 5000);
    if (garbage != NULL) {
        ssize_t w = write(sv[1], garbage, strlen(garbage));
        (void)w;
    }
    shutdown(sv[1], SHUT_WR);
    rc = libssh2_session_handshake(s, (libssh2_socket_t)sv[0]);
    libssh2_session_free(s);
    close(sv[0]);
    close(sv[1]);
    if (rc >= 0) {
        printf("FAIL %s: handshake rc=%d, expected an error\n", label, rc);
        return 1;
    }
    printf("PASS %s: handshake rc=%d\n", label, rc);
    return 0;
}

/* ---- main: one child per case ------------------------------------------ */

static int n_pass;
static int n_fail;
static int n_skip;

enum job_kind {
    JOB_CASE, JOB_TCP, JOB_NEG, JOB_API_NEG, JOB_DEAD, JOB_GARBAGE, JOB_REKEY_REFUSED
};

static void run_child(enum job_kind kind, const struct tcase *tc, const struct variant *v,
                      const struct neg_case *nc, const char *label)
{
    pid_t pid;
    int st;

    struct timespec t_start;
    struct timespec t_end;
    double secs;

    clock_gettime(CLOCK_MONOTONIC, &t_start);
    fflush(stdout);
    fflush(stderr);
    pid = fork();
    if (pid < 0) {
        printf("FAIL %s: fork: %s\n", label, strerror(errno));
        n_fail++;
        return;
    }
    if (pid == 0) {
        int rc = 1;
        alarm(CASE_TIMEOUT_S);
        if (libssh2_init(0) != 0) {
            printf("FAIL %s: libssh2_init\n", label);
            fflush(stdout);
            _exit(1);
        }
        switch (kind) {
        case JOB_CASE:
            rc = child_case(tc, v, label);
            break;
        case JOB_TCP:
            rc = child_tcp(v, label);
            break;
        case JOB_NEG:
            rc = child_neg(nc, label);
            break;
        case JOB_API_NEG:
            rc = child_api_neg(label);
            break;
        case JOB_DEAD:
            rc = child_dead_peer(label, NULL);
            break;
        case JOB_GARBAGE:
            rc = child_dead_peer(label, "HTTP/1.1 400 Bad Request\r\n\r\n");
            break;
        case JOB_REKEY_REFUSED:
#ifdef S2_WITH_SSH2CORE
            rc = child_rekey_refused(label);
#else
            printf("SKIP %s: needs ssh2core_session_rekey\n", label);
            rc = SKIP_CODE;
#endif
            break;
        }
        libssh2_exit();
        fflush(stdout);
        exit(rc);
    }
    if (waitpid(pid, &st, 0) != pid) {
        printf("FAIL %s: waitpid: %s\n", label, strerror(errno));
        n_fail++;
        return;
    }
    clock_gettime(CLOCK_MONOTONIC, &t_end);
    secs = (double)(t_end.tv_sec - t_start.tv_sec) +
           (double)(t_end.tv_nsec - t_start.tv_nsec) / 1e9;
    if (secs > 5.0) {
        printf("SLOW %s: %.1f s\n", label, secs);
    }
    if (WIFEXITED(st) && WEXITSTATUS(st) == 0) {
        n_pass++;
    } else if (WIFEXITED(st) && WEXITSTATUS(st) == SKIP_CODE) {
        n_skip++;
    } else if (WIFEXITED(st)) {
        if (WEXITSTATUS(st) != 1) {
            printf("FAIL %s: child exit status %d (sanitizer report above?)\n", label,
                   WEXITSTATUS(st));
        }
        n_fail++;
    } else {
        int sig = WIFSIGNALED(st) ? WTERMSIG(st) : 0;
        printf("FAIL %s: %s (signal %d)\n", label,
               sig == SIGALRM ? "timed out" : "crashed", sig);
        n_fail++;
    }
}

static int want_category(const char *cat)
{
    return g.category == NULL || strcmp(g.category, "all") == 0 ||
           strcmp(g.category, cat) == 0;
}

static void usage(void)
{
    fprintf(stderr, "usage: test_handshake --server openssh|dropbear|asyncssh --fixture DIR "
                    "[--category kex|hostkey|cipher|mac|comp|neg|tcp|all] [--only ALG]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    const struct tcase *cases;
    const struct variant *variants;
    size_t ncases;
    size_t nvariants;
    size_t i;
    size_t j;
    char label[512];
    char tmp[256];
    time_t t0 = time(NULL);
    int a;

    g.server_name = NULL;
    for (a = 1; a < argc; a++) {
        if (strcmp(argv[a], "--server") == 0 && a + 1 < argc) {
            g.server_name = argv[++a];
        } else if (strcmp(argv[a], "--fixture") == 0 && a + 1 < argc) {
            g.fixture = argv[++a];
        } else if (strcmp(argv[a], "--category") == 0 && a + 1 < argc) {
            g.category = argv[++a];
        } else if (strcmp(argv[a], "--only") == 0 && a + 1 < argc) {
            g.only = argv[++a];
        } else if (strcmp(argv[a], "--verbose") == 0) {
            g.verbose = 1;
        } else {
            usage();
        }
    }
    if (g.server_name == NULL || g.fixture == NULL) {
        usage();
    }
    if (strcmp(g.server_name, "openssh") == 0) {
        g.server = SRV_OPENSSH;
        /* sshd answers any transport message during userauth, KEXINIT included, with
         * UNIMPLEMENTED (and never rekeys pre-auth itself); see neg rekey-preauth. */
        g.rekey_preauth = 0;
        cases = openssh_cases;
        ncases = sizeof(openssh_cases) / sizeof(openssh_cases[0]);
        variants = openssh_variants;
        nvariants = sizeof(openssh_variants) / sizeof(openssh_variants[0]);
    } else if (strcmp(g.server_name, "dropbear") == 0) {
        g.server = SRV_DROPBEAR;
        g.rekey_preauth = 1;
        cases = dropbear_cases;
        ncases = sizeof(dropbear_cases) / sizeof(dropbear_cases[0]);
        variants = dropbear_variants;
        nvariants = sizeof(dropbear_variants) / sizeof(dropbear_variants[0]);
    } else if (strcmp(g.server_name, "asyncssh") == 0) {
        g.server = SRV_ASYNCSSH;
        g.rekey_preauth = 1;
        cases = openssh_cases;
        ncases = sizeof(openssh_cases) / sizeof(openssh_cases[0]);
        variants = asyncssh_variants;
        nvariants = sizeof(asyncssh_variants) / sizeof(asyncssh_variants[0]);
    } else {
        usage();
    }
    g.banner_prefix = g.server == SRV_OPENSSH ? "SSH-2.0-OpenSSH_" :
                      g.server == SRV_DROPBEAR ? "SSH-2.0-dropbear" : "SSH-2.0-AsyncSSH_";
    setvbuf(stdout, NULL, _IOLBF, 0);
    signal(SIGPIPE, SIG_IGN);

    if (g.server == SRV_ASYNCSSH) {
        if (read_file(g.fixture, "asyncssh.ports", tmp, sizeof(tmp)) != 0) {
            printf("SKIP asyncssh: server not running (no %s/asyncssh.ports)\n", g.fixture);
            return SKIP_CODE;
        }
        snprintf(g.server_bin, sizeof(g.server_bin), "asyncssh_server.py");
    } else if (read_line_file(g.fixture, g.server == SRV_OPENSSH ? "sshd_bin" : "dropbear_bin",
                              g.server_bin, sizeof(g.server_bin)) != 0 ||
               access(g.server_bin, X_OK) != 0) {
        printf("SKIP %s: server not installed (no %s/%s)\n", g.server_name, g.fixture,
               g.server == SRV_OPENSSH ? "sshd_bin" : "dropbear_bin");
        return SKIP_CODE;
    }
    if (read_line_file(g.fixture, "user", g.user, sizeof(g.user)) != 0) {
        snprintf(g.user, sizeof(g.user), "root");
    }
    snprintf(label, sizeof(label), "%s_strict_kex",
             g.server == SRV_OPENSSH ? "sshd" : g.server_name);
    g.server_strict_kex = read_line_file(g.fixture, label, tmp, sizeof(tmp)) == 0 &&
                          strcmp(tmp, "1") == 0;

    printf("# %s matrix against %s (fixture %s), library %s\n", g.server_name, g.server_bin,
           g.fixture, libssh2_version(0));

    for (i = 0; i < ncases; i++) {
        const struct tcase *tc = &cases[i];
        if (!want_category(tc->category) || (g.only != NULL && strcmp(g.only, tc->alg) != 0)) {
            continue;
        }
        for (j = 0; j < nvariants; j++) {
            snprintf(label, sizeof(label), "%s %s %s [%s%s]", g.server_name, tc->category,
                     tc->alg, variants[j].name, tc->legacy ? ",opt-in" : "");
            run_child(JOB_CASE, tc, &variants[j], NULL, label);
        }
    }
    if (want_category("tcp") && g.only == NULL && g.server != SRV_ASYNCSSH) {
        for (j = 0; j < sizeof(tcp_variants) / sizeof(tcp_variants[0]); j++) {
            snprintf(label, sizeof(label), "%s tcp daemon [%s]", g.server_name,
                     tcp_variants[j].name);
            run_child(JOB_TCP, NULL, &tcp_variants[j], NULL, label);
        }
    }
    if (want_category("neg") && g.only == NULL && g.server != SRV_ASYNCSSH) {
        if (g.server == SRV_OPENSSH) {
            for (i = 0; i < sizeof(neg_cases) / sizeof(neg_cases[0]); i++) {
                snprintf(label, sizeof(label), "%s neg %s", g.server_name, neg_cases[i].name);
                run_child(JOB_NEG, NULL, NULL, &neg_cases[i], label);
            }
            snprintf(label, sizeof(label), "%s neg rekey-before-auth-refused", g.server_name);
            run_child(JOB_REKEY_REFUSED, NULL, NULL, NULL, label);
        }
        snprintf(label, sizeof(label), "%s neg method_pref-unknown", g.server_name);
        run_child(JOB_API_NEG, NULL, NULL, NULL, label);
        snprintf(label, sizeof(label), "%s neg peer-closes", g.server_name);
        run_child(JOB_DEAD, NULL, NULL, NULL, label);
        snprintf(label, sizeof(label), "%s neg peer-not-ssh", g.server_name);
        run_child(JOB_GARBAGE, NULL, NULL, NULL, label);
    }

    printf("SUMMARY %s/%s: %d passed, %d failed, %d skipped (%lds)\n", g.server_name,
           g.category != NULL ? g.category : "all", n_pass, n_fail, n_skip,
           (long)(time(NULL) - t0));
    if (n_fail > 0) {
        return 1;
    }
    return n_pass > 0 ? 0 : SKIP_CODE;
}
