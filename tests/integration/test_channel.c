/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Channel (RFC 4254 connection protocol) integration tests against real servers,
 * written against the public libssh2 API only.
 *
 *   test_channel --fixture DIR --case NAME [--nonblocking] [--verbose]
 *   test_channel --list
 *
 * DIR is prepared by sshd_fixture.sh (sshd_config, sshd_bin, dropbear_bin, db_*
 * host keys, id_ed25519 user key, authorized_keys, user). Every case starts its
 * own server in inetd mode on one end of a socketpair: "sshd -i -f
 * DIR/sshd_config -o Option=value" (so a case can add AcceptEnv, MaxSessions or
 * RekeyLimit without touching the fixture), or for the dropbear_* cases
 * "dropbear -i" inside a private mount namespace whose /root is a temporary
 * home holding the fixture's authorized key (Dropbear has no AuthorizedKeysFile
 * option). It logs in with publickey (the fixture's id_ed25519).
 *
 * With --nonblocking the session is non-blocking from the first call and every
 * step loops on LIBSSH2_ERROR_EAGAIN, waiting with poll() on the directions
 * reported by libssh2_session_block_directions().
 *
 * Output: one "PASS name", "FAIL name: why" or "SKIP name: why" line.
 * Exit status: 0 passed, 1 failed, 77 skipped (server or API missing).
 *
 * Builds against ssh2core (CMake target, see channel.cmake) and, to check the
 * tests themselves, against a system libssh2:
 *   cc -O2 -pthread -o tc test_channel.c -lssh2
 * Cases needing libssh2 1.11 API (signal, direct_streamlocal) skip on older ones.
 */
#define _GNU_SOURCE
#include <libssh2.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SKIP_CODE 77
#define IO_TIMEOUT_MS 30000
#define MIB (1024u * 1024u)

/* ---- test-wide state --------------------------------------------------- */

static struct {
    const char *fixture;
    const char *casename;
    int nb;
    int verbose;
    char label[128];
    char user[128];
    char key[1024];
    char pub[1024];
    char log[2048];
    char tmpdir[256];       /* unix sockets, dropbear home */
    char passwd[512];       /* when set: bound over /etc/passwd for the server */
    const char *cipher;     /* when set: the only cipher (both directions) */
    const char *mac;        /* when set: the only MAC (both directions) */
    uint64_t mib;           /* --mib: transfer size for the cipher cases */
} g;

/* One server connection. */
struct conn {
    LIBSSH2_SESSION *s;
    int fd;
    pid_t pid;
    long eagains;
    long no_dirs;           /* EAGAIN while block_directions() said nothing */
};

static struct conn *cur;    /* for error messages */

static void cleanup_tmp(void);

static void print_log_tail(void)
{
    char cmd[2200];

    if (g.log[0] != '\0' && g.verbose) {
        snprintf(cmd, sizeof(cmd), "tail -n 15 '%s' 1>&2", g.log);
        if (system(cmd) != 0) {
            fprintf(stderr, "(no server log)\n");
        }
    }
}

static void fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void fail(const char *fmt, ...)
{
    va_list ap;
    char *msg = NULL;
    int err = 0;

    printf("FAIL %s: ", g.label);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    if (cur != NULL && cur->s != NULL) {
        err = libssh2_session_last_error(cur->s, &msg, NULL, 0);
        printf(" [last_error %d: %s]", err, msg != NULL ? msg : "");
    }
    printf(" (server log: %s)\n", g.log[0] != '\0' ? g.log : "none");
    fflush(stdout);
    print_log_tail();
    cleanup_tmp();
    exit(1);
}

static void skip(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void skip(const char *fmt, ...)
{
    va_list ap;

    printf("SKIP %s: ", g.label);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    fflush(stdout);
    cleanup_tmp();
    exit(SKIP_CODE);
}

#define CHECK(cond, ...) \
    do { \
        if (!(cond)) { \
            printf("[%s:%d] check failed: %s\n", __FILE__, __LINE__, #cond); \
            fail(__VA_ARGS__); \
        } \
    } while (0)

static void info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void info(const char *fmt, ...)
{
    va_list ap;

    printf("  %s: ", g.label);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    fflush(stdout);
}

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void on_alarm(int sig)
{
    static const char msg[] = "FAIL: case timed out (alarm)\n";

    (void)sig;
    if (write(1, msg, sizeof(msg) - 1) < 0) {
        _exit(1);
    }
    _exit(1);
}

static int read_line_file(const char *name, char *out, size_t cap)
{
    char path[1024];
    FILE *f;
    size_t n;

    snprintf(path, sizeof(path), "%s/%s", g.fixture, name);
    f = fopen(path, "r");
    if (f == NULL) {
        return -1;
    }
    if (fgets(out, (int)cap, f) == NULL) {
        fclose(f);
        return -1;
    }
    fclose(f);
    n = strlen(out);
    while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == '\r')) {
        out[--n] = '\0';
    }
    return n > 0 ? 0 : -1;
}

/* ---- deterministic data stream ------------------------------------------ */

/* splitmix64: the writer and the checker run one each from the same seed. */
struct prng {
    uint64_t s;
    unsigned char buf[8];
    size_t avail;
};

static void prng_init(struct prng *p, uint64_t seed)
{
    p->s = seed;
    p->avail = 0;
}

static uint64_t prng_next(struct prng *p)
{
    uint64_t z = (p->s += 0x9e3779b97f4a7c15ULL);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static void prng_fill(struct prng *p, unsigned char *out, size_t len)
{
    while (len > 0) {
        size_t n;

        if (p->avail == 0) {
            uint64_t v = prng_next(p);

            if (len >= 8) {
                memcpy(out, &v, 8);
                out += 8;
                len -= 8;
                continue;
            }
            memcpy(p->buf, &v, 8);
            p->avail = 8;
        }
        n = len < p->avail ? len : p->avail;
        memcpy(out, p->buf + (8 - p->avail), n);
        p->avail -= n;
        out += n;
        len -= n;
    }
}

/* ---- non-blocking driver ------------------------------------------------ */

/* Wait until the socket is ready in the directions libssh2 is blocked on. */
static void waitsock(struct conn *c)
{
    int dirs = libssh2_session_block_directions(c->s);
    struct pollfd p;
    int rc;

    c->eagains++;
    p.fd = c->fd;
    p.events = 0;
    p.revents = 0;
    if (dirs & LIBSSH2_SESSION_BLOCK_INBOUND) {
        p.events |= POLLIN;
    }
    if (dirs & LIBSSH2_SESSION_BLOCK_OUTBOUND) {
        p.events |= POLLOUT;
    }
    if (p.events == 0) {
        /* Nothing to wait for on the socket: count it and retry shortly. */
        c->no_dirs++;
        p.events = POLLIN;
        rc = poll(&p, 1, 10);
        return;
    }
    rc = poll(&p, 1, IO_TIMEOUT_MS);
    CHECK(rc > 0, "poll on block directions 0x%x timed out after %d ms", (unsigned)dirs,
          IO_TIMEOUT_MS);
}

/* Run an int/ssize_t-returning call until it stops saying EAGAIN. */
#define NB(c, call) \
    __extension__({ \
        ssize_t rc_; \
        while ((rc_ = (ssize_t)(call)) == LIBSSH2_ERROR_EAGAIN) { \
            waitsock(c); \
        } \
        rc_; \
    })

/* Same for calls returning a pointer (NULL + last_errno EAGAIN means again). */
#define NBP(c, call) \
    __extension__({ \
        __typeof__(call) p_; \
        while ((p_ = (call)) == NULL && \
               libssh2_session_last_errno((c)->s) == LIBSSH2_ERROR_EAGAIN) { \
            waitsock(c); \
        } \
        p_; \
    })

/* ---- servers -------------------------------------------------------------- */

/* In a forked server child: a private mount namespace where the login user's
 * shell startup files are hidden (/dev/null bound over them), so commands run
 * by the server do not depend on (or wait for) the machine's dotfiles; with
 * |home| set, that directory is bound over the whole home (Dropbear reads
 * ~/.ssh/authorized_keys). Returns 0, or -1 when it could not be arranged. */
static int isolate_home(const char *home)
{
    static const char *const dotfiles[] = {
        ".bashrc", ".bash_profile", ".bash_login", ".profile", ".bash_logout", NULL,
    };
    struct passwd *pw = getpwnam(g.user);
    char path[1200];
    int i;

    if (pw == NULL || pw->pw_dir == NULL) {
        return -1;
    }
    if (unshare(CLONE_NEWNS) != 0 ||
        mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) {
        return -1;
    }
    if (home != NULL && mount(home, pw->pw_dir, NULL, MS_BIND, NULL) != 0) {
        return -1;
    }
    if (g.passwd[0] != '\0' && mount(g.passwd, "/etc/passwd", NULL, MS_BIND, NULL) != 0) {
        return -1;
    }
    for (i = 0; dotfiles[i] != NULL; i++) {
        snprintf(path, sizeof(path), "%s/%s", pw->pw_dir, dotfiles[i]);
        if (access(path, F_OK) == 0 && mount("/dev/null", path, NULL, MS_BIND, NULL) != 0) {
            return -1;
        }
    }
    return 0;
}

/* Start argv[0] with stdin/stdout on one end of a socketpair; stderr to g.log.
 * |home|: see isolate_home (NULL: only hide the dotfiles, best effort). */
static int spawn_inetd(char *const argv[], const char *home, pid_t *pid_out)
{
    int sv[2];
    pid_t pid;

    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0, "socketpair: %s", strerror(errno));
    fflush(stdout);
    fflush(stderr);
    pid = fork();
    CHECK(pid >= 0, "fork: %s", strerror(errno));
    if (pid == 0) {
        int lf = open(g.log, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644);

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
        signal(SIGPIPE, SIG_DFL);
        if (isolate_home(home) != 0 && (home != NULL || g.passwd[0] != '\0')) {
            _exit(126);
        }
        execv(argv[0], argv);
        _exit(127);
    }
    close(sv[1]);
    *pid_out = pid;
    return sv[0];
}

static void make_log_path(const char *server)
{
    char dir[1100];

    snprintf(dir, sizeof(dir), "%s/logs", g.fixture);
    mkdir(dir, 0755);
    snprintf(g.log, sizeof(g.log), "%s/channel-%s-%s-%s.log", dir, server, g.casename,
             g.nb ? "nb" : "blocking");
}

/* "sshd -i" with the fixture config plus -o options (NULL-terminated). */
static int start_sshd(struct conn *c, const char *const *opts)
{
    static char bin[512];
    char *argv[64];
    int n = 0;
    char cfg[1100];

    if (read_line_file("sshd_bin", bin, sizeof(bin)) != 0 || access(bin, X_OK) != 0) {
        skip("OpenSSH sshd not set up by the fixture (%s/sshd_bin)", g.fixture);
    }
    snprintf(cfg, sizeof(cfg), "%s/sshd_config", g.fixture);
    make_log_path("openssh");
    argv[n++] = bin;
    argv[n++] = (char *)"-i";
    /* -E, not -e: with -e the session children's debug lines reach the
     * channel's stderr (and a pty's output). */
    argv[n++] = (char *)"-E";
    argv[n++] = g.log;
    argv[n++] = (char *)"-f";
    argv[n++] = cfg;
    argv[n++] = (char *)"-o";
    argv[n++] = (char *)"LogLevel=DEBUG1";
    while (opts != NULL && *opts != NULL && n < 60) {
        argv[n++] = (char *)"-o";
        argv[n++] = (char *)*opts++;
    }
    argv[n] = NULL;
    return spawn_inetd(argv, NULL, &c->pid);
}

static void write_file(const char *path, const char *data, size_t len, mode_t mode)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);

    CHECK(fd >= 0, "open %s: %s", path, strerror(errno));
    CHECK(write(fd, data, len) == (ssize_t)len, "write %s", path);
    close(fd);
}

/* "dropbear -i" in a private mount namespace where /root is a temporary home
 * with .ssh/authorized_keys = the fixture user key. */
static int start_dropbear(struct conn *c)
{
    static char bin[512];
    static char home[512];
    char path[1100];
    char key[4096];
    char *argv[16];
    static char keys[3][1100];
    FILE *f;
    size_t klen;
    struct passwd *pw;

    if (read_line_file("dropbear_bin", bin, sizeof(bin)) != 0 || access(bin, X_OK) != 0) {
        skip("Dropbear not set up by the fixture (%s/dropbear_bin)", g.fixture);
    }
    if (getuid() != 0) {
        skip("dropbear cases need root (a mount namespace gives Dropbear an authorized_keys)");
    }
    pw = getpwnam(g.user);
    if (pw == NULL || pw->pw_dir == NULL ||
        strncmp(g.fixture, pw->pw_dir, strlen(pw->pw_dir)) == 0) {
        skip("the fixture must not live under %s's home (it is hidden from Dropbear)", g.user);
    }
    snprintf(home, sizeof(home), "%s/home", g.tmpdir);
    mkdir(home, 0700);
    snprintf(path, sizeof(path), "%s/.ssh", home);
    mkdir(path, 0700);
    f = fopen(g.pub, "r");
    CHECK(f != NULL, "open %s", g.pub);
    klen = fread(key, 1, sizeof(key) - 1, f);
    fclose(f);
    snprintf(path, sizeof(path), "%s/.ssh/authorized_keys", home);
    write_file(path, key, klen, 0600);
    make_log_path("dropbear");
    snprintf(keys[0], sizeof(keys[0]), "%s/db_ed25519", g.fixture);
    snprintf(keys[1], sizeof(keys[1]), "%s/db_ecdsa256", g.fixture);
    snprintf(keys[2], sizeof(keys[2]), "%s/db_rsa", g.fixture);
    argv[0] = bin;
    argv[1] = (char *)"-i";     /* inetd mode logs to syslog only (refuses -E) */
    argv[2] = (char *)"-r";
    argv[3] = keys[0];
    argv[4] = (char *)"-r";
    argv[5] = keys[1];
    argv[6] = (char *)"-r";
    argv[7] = keys[2];
    argv[8] = NULL;
    return spawn_inetd(argv, home, &c->pid);
}

/* Handshake and publickey login on an fd that already speaks SSH. */
static void conn_login(struct conn *c)
{
    ssize_t rc;

    c->s = libssh2_session_init();
    CHECK(c->s != NULL, "libssh2_session_init");
    cur = c;
    if (g.nb) {
        libssh2_session_set_blocking(c->s, 0);
    } else {
        libssh2_session_set_timeout(c->s, IO_TIMEOUT_MS);
    }
    if (g.cipher != NULL) {
        rc = libssh2_session_method_pref(c->s, LIBSSH2_METHOD_CRYPT_CS, g.cipher);
        rc |= libssh2_session_method_pref(c->s, LIBSSH2_METHOD_CRYPT_SC, g.cipher);
        CHECK(rc == 0, "method_pref(CRYPT, %s)", g.cipher);
    }
    if (g.mac != NULL) {
        rc = libssh2_session_method_pref(c->s, LIBSSH2_METHOD_MAC_CS, g.mac);
        rc |= libssh2_session_method_pref(c->s, LIBSSH2_METHOD_MAC_SC, g.mac);
        CHECK(rc == 0, "method_pref(MAC, %s)", g.mac);
    }
    rc = NB(c, libssh2_session_handshake(c->s, c->fd));
    CHECK(rc == 0, "handshake rc=%zd", rc);
    rc = NB(c, libssh2_userauth_publickey_fromfile_ex(c->s, g.user, (unsigned)strlen(g.user),
                                                      g.pub, g.key, NULL));
    CHECK(rc == 0, "publickey auth as %s with %s: rc=%zd", g.user, g.key, rc);
    CHECK(libssh2_userauth_authenticated(c->s) == 1, "not authenticated after auth");
}

static void conn_open(struct conn *c, const char *const *sshd_opts)
{
    memset(c, 0, sizeof(*c));
    c->fd = start_sshd(c, sshd_opts);
    conn_login(c);
}

static void conn_open_dropbear(struct conn *c)
{
    memset(c, 0, sizeof(*c));
    c->fd = start_dropbear(c);
    conn_login(c);
}

/* Disconnect, free and reap the server (killed after 3 s). */
static void conn_close(struct conn *c)
{
    ssize_t rc;
    int i;
    int st;

    rc = NB(c, libssh2_session_disconnect(c->s, "bye"));
    CHECK(rc == 0, "session_disconnect rc=%zd", rc);
    rc = NB(c, libssh2_session_free(c->s));
    CHECK(rc == 0, "session_free rc=%zd", rc);
    cur = NULL;
    c->s = NULL;
    close(c->fd);
    if (g.nb) {
        info("non-blocking: %ld EAGAIN waits, %ld with no block direction", c->eagains,
             c->no_dirs);
    }
    for (i = 0; i < 300; i++) {
        if (waitpid(c->pid, &st, WNOHANG) == c->pid) {
            return;
        }
        usleep(10000);
    }
    kill(c->pid, SIGKILL);
    waitpid(c->pid, &st, 0);
}

/* ---- channel helpers ---------------------------------------------------- */

static LIBSSH2_CHANNEL *open_session(struct conn *c)
{
    LIBSSH2_CHANNEL *ch = NBP(c, libssh2_channel_open_session(c->s));

    CHECK(ch != NULL, "channel_open_session");
    return ch;
}

static void exec_cmd(struct conn *c, LIBSSH2_CHANNEL *ch, const char *cmd)
{
    ssize_t rc = NB(c, libssh2_channel_exec(ch, cmd));

    CHECK(rc == 0, "channel_exec(\"%s\") rc=%zd", cmd, rc);
}

static void write_all(struct conn *c, LIBSSH2_CHANNEL *ch, int stream, const void *data,
                      size_t len)
{
    const char *p = data;

    while (len > 0) {
        ssize_t rc = NB(c, libssh2_channel_write_ex(ch, stream, p, len));

        CHECK(rc > 0, "channel_write_ex rc=%zd", rc);
        CHECK((size_t)rc <= len, "channel_write_ex wrote %zd of %zu", rc, len);
        p += rc;
        len -= (size_t)rc;
    }
}

struct sbuf {
    char d[200000];
    size_t n;
};

/* One read attempt on a stream; returns 1 progress, 0 EOF, -1 nothing now. */
static int read_some(struct conn *c, LIBSSH2_CHANNEL *ch, int stream, struct sbuf *b)
{
    char tmp[16384];
    ssize_t rc = libssh2_channel_read_ex(ch, stream, tmp, sizeof(tmp));

    (void)c;
    if (rc == LIBSSH2_ERROR_EAGAIN) {
        return -1;
    }
    CHECK(rc >= 0, "channel_read_ex(stream %d) rc=%zd", stream, rc);
    if (rc == 0) {
        return libssh2_channel_eof(ch) ? 0 : -1;
    }
    CHECK(b->n + (size_t)rc < sizeof(b->d), "more output than expected (%zu bytes)",
          b->n + (size_t)rc);
    memcpy(b->d + b->n, tmp, (size_t)rc);
    b->n += (size_t)rc;
    b->d[b->n] = '\0';
    return 1;
}

/* Read stdout and stderr (err may be NULL) until EOF on both. */
static void drain(struct conn *c, LIBSSH2_CHANNEL *ch, struct sbuf *out, struct sbuf *err)
{
    int out_done = 0;
    int err_done = err == NULL;
    double t0 = now_s();

    out->n = 0;
    out->d[0] = '\0';
    if (err != NULL) {
        err->n = 0;
        err->d[0] = '\0';
    }
    while (!out_done || !err_done) {
        int progress = 0;
        int r;

        if (!out_done) {
            r = read_some(c, ch, 0, out);
            out_done = r == 0;
            progress |= r == 1;
        }
        if (!err_done) {
            r = read_some(c, ch, SSH_EXTENDED_DATA_STDERR, err);
            err_done = r == 0;
            progress |= r == 1;
        }
        if (!progress && (!out_done || !err_done)) {
            CHECK(now_s() - t0 < IO_TIMEOUT_MS / 1000.0, "no EOF within %d ms (stdout %zu "
                  "bytes \"%s\")", IO_TIMEOUT_MS, out->n, out->d);
            if (g.nb) {
                waitsock(c);
            } else {
                usleep(1000);
            }
        }
    }
}

/* Read stdout until |needle| has been seen. */
static void read_until(struct conn *c, LIBSSH2_CHANNEL *ch, struct sbuf *out, const char *needle)
{
    double t0 = now_s();

    while (strstr(out->d, needle) == NULL) {
        int r = read_some(c, ch, 0, out);

        CHECK(r != 0, "EOF before \"%s\" (got \"%s\")", needle, out->d);
        if (r < 0) {
            CHECK(now_s() - t0 < IO_TIMEOUT_MS / 1000.0, "no \"%s\" within %d ms (got \"%s\")",
                  needle, IO_TIMEOUT_MS, out->d);
            if (g.nb) {
                waitsock(c);
            }
        }
    }
}

/* close + wait_closed; returns the exit status. */
static int close_channel(struct conn *c, LIBSSH2_CHANNEL *ch)
{
    ssize_t rc = NB(c, libssh2_channel_close(ch));

    CHECK(rc == 0, "channel_close rc=%zd", rc);
    rc = NB(c, libssh2_channel_wait_closed(ch));
    CHECK(rc == 0, "channel_wait_closed rc=%zd", rc);
    return libssh2_channel_get_exit_status(ch);
}

static void free_channel(struct conn *c, LIBSSH2_CHANNEL *ch)
{
    ssize_t rc = NB(c, libssh2_channel_free(ch));

    CHECK(rc == 0, "channel_free rc=%zd", rc);
}

/* Remove '\r' (pty output). */
static void strip_cr(struct sbuf *b)
{
    size_t i;
    size_t j = 0;

    for (i = 0; i < b->n; i++) {
        if (b->d[i] != '\r') {
            b->d[j++] = b->d[i];
        }
    }
    b->n = j;
    b->d[j] = '\0';
}

/* Run |cmd| on a new channel; stdout, stderr and the exit status. */
static int run(struct conn *c, const char *cmd, struct sbuf *out, struct sbuf *err)
{
    LIBSSH2_CHANNEL *ch = open_session(c);
    int st;

    exec_cmd(c, ch, cmd);
    drain(c, ch, out, err);
    st = close_channel(c, ch);
    free_channel(c, ch);
    return st;
}

/* Wait for EOF with no more data. libssh2 1.10's read may return 0 before the
 * EOF arrived (after it processed some other packet), so 0 alone is not EOF:
 * libssh2_channel_eof() decides. */
static void expect_eof(struct conn *c, LIBSSH2_CHANNEL *ch)
{
    char tmp[1024];
    double t0 = now_s();

    for (;;) {
        ssize_t rc = libssh2_channel_read_ex(ch, 0, tmp, sizeof(tmp));

        CHECK(rc == 0 || rc == LIBSSH2_ERROR_EAGAIN, "expected EOF, read rc=%zd", rc);
        if (rc == 0 && libssh2_channel_eof(ch) == 1) {
            return;
        }
        CHECK(now_s() - t0 < IO_TIMEOUT_MS / 1000.0, "no EOF within %d ms", IO_TIMEOUT_MS);
        if (g.nb) {
            waitsock(c);
        } else {
            usleep(1000);
        }
    }
}

/* Push |total| PRNG bytes through an echoing channel (cat, an echo server) and
 * check every byte that comes back; sends EOF at the end and expects EOF. */
static void transfer(struct conn *c, LIBSSH2_CHANNEL *ch, uint64_t total, uint64_t seed)
{
    static unsigned char wbuf[32768];
    static unsigned char rbuf[65536];
    static unsigned char expect[65536];
    /* Blocking mode cannot write and read at once: keep what is in flight well
     * below what windows and pipes hold, so a blocking write never waits on a
     * window that only our reading would reopen. */
    const uint64_t max_inflight = 768 * 1024;
    const uint64_t read_mark = 128 * 1024;
    struct prng wr;
    struct prng rd;
    uint64_t sent = 0;
    uint64_t recvd = 0;
    size_t woff = 0;
    size_t wlen = 0;
    int eof_sent = 0;
    double t0 = now_s();
    double last = t0;
    double dt;
    ssize_t rc;

    prng_init(&wr, seed);
    prng_init(&rd, seed);
    while (recvd < total) {
        int progress = 0;

        if (sent < total && sent - recvd < max_inflight) {
            if (woff == wlen) {
                wlen = total - sent < sizeof(wbuf) ? (size_t)(total - sent) : sizeof(wbuf);
                prng_fill(&wr, wbuf, wlen);
                woff = 0;
            }
            rc = libssh2_channel_write_ex(ch, 0, (const char *)wbuf + woff, wlen - woff);
            if (rc != LIBSSH2_ERROR_EAGAIN) {
                CHECK(rc > 0, "channel_write at %llu of %llu: rc=%zd", (unsigned long long)sent,
                      (unsigned long long)total, rc);
                CHECK((size_t)rc <= wlen - woff, "write returned %zd > %zu", rc, wlen - woff);
                woff += (size_t)rc;
                sent += (uint64_t)rc;
                progress = 1;
            }
        }
        if (sent == total && !eof_sent) {
            rc = libssh2_channel_send_eof(ch);
            if (rc != LIBSSH2_ERROR_EAGAIN) {
                CHECK(rc == 0, "channel_send_eof rc=%zd", rc);
                eof_sent = 1;
                progress = 1;
            }
        }
        if (g.nb || sent - recvd >= read_mark || eof_sent) {
            rc = libssh2_channel_read_ex(ch, 0, (char *)rbuf, sizeof(rbuf));
            if (rc != LIBSSH2_ERROR_EAGAIN) {
                CHECK(rc >= 0, "channel_read at %llu of %llu: rc=%zd",
                      (unsigned long long)recvd, (unsigned long long)total, rc);
                if (rc == 0) {
                    CHECK(!libssh2_channel_eof(ch), "EOF after %llu of %llu bytes",
                          (unsigned long long)recvd, (unsigned long long)total);
                } else {
                    CHECK(recvd + (uint64_t)rc <= total, "%llu bytes back, sent only %llu",
                          (unsigned long long)(recvd + (uint64_t)rc),
                          (unsigned long long)total);
                    prng_fill(&rd, expect, (size_t)rc);
                    if (memcmp(expect, rbuf, (size_t)rc) != 0) {
                        size_t i = 0;

                        while (expect[i] == rbuf[i]) {
                            i++;
                        }
                        fail("data mismatch at byte %llu of %llu",
                             (unsigned long long)(recvd + i), (unsigned long long)total);
                    }
                    recvd += (uint64_t)rc;
                    progress = 1;
                    last = now_s();
                }
            }
        }
        if (!progress) {
            CHECK(now_s() - last < IO_TIMEOUT_MS / 1000.0,
                  "stalled: sent %llu, received %llu of %llu", (unsigned long long)sent,
                  (unsigned long long)recvd, (unsigned long long)total);
            if (g.nb) {
                waitsock(c);
            }
        }
    }
    /* Everything came back; now EOF and nothing else on stdout. */
    expect_eof(c, ch);
    dt = now_s() - t0;
    info("%llu MiB each way in %.2f s: %.1f MiB/s (%s)", (unsigned long long)(total / MIB), dt,
         dt > 0 ? (double)total / MIB / dt : 0.0, g.nb ? "non-blocking" : "blocking");
}

static void cat_case(struct conn *c, uint64_t total)
{
    LIBSSH2_CHANNEL *ch = open_session(c);
    int st;

    exec_cmd(c, ch, "cat");
    transfer(c, ch, total, 0x5332636861746573ULL ^ total);
    st = close_channel(c, ch);
    CHECK(st == 0, "cat exit status %d", st);
    free_channel(c, ch);
}

/* Count lines of the server log containing |needle|. */
static int log_count(const char *needle)
{
    FILE *f = fopen(g.log, "r");
    char line[4096];
    int n = 0;

    if (f == NULL) {
        return -1;
    }
    while (fgets(line, sizeof(line), f) != NULL) {
        if (strstr(line, needle) != NULL) {
            n++;
        }
    }
    fclose(f);
    return n;
}

/* ---- echo servers (threads) --------------------------------------------- */

struct echo_srv {
    int lfd;
    int conns;
    pthread_t th;
};

static void *echo_main(void *arg)
{
    struct echo_srv *e = arg;

    for (;;) {
        char buf[65536];
        int fd = accept(e->lfd, NULL, NULL);

        if (fd < 0) {
            return NULL;
        }
        e->conns++;
        {
            int one = 1;

            /* no Nagle/delayed-ACK stalls on the echo path (TCP only) */
            (void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
        }
        for (;;) {
            ssize_t n = read(fd, buf, sizeof(buf));
            ssize_t off = 0;

            if (n <= 0) {
                break;
            }
            while (off < n) {
                ssize_t w = write(fd, buf + off, (size_t)(n - off));

                if (w <= 0) {
                    break;
                }
                off += w;
            }
            if (off < n) {
                break;
            }
        }
        shutdown(fd, SHUT_WR);
        close(fd);
    }
}

/* Stop listening (shutdown wakes the blocked accept) and join the thread. */
static void echo_stop(struct echo_srv *e)
{
    shutdown(e->lfd, SHUT_RDWR);
    pthread_join(e->th, NULL);
    close(e->lfd);
}

static int echo_tcp_start(struct echo_srv *e)
{
    struct sockaddr_in a;
    socklen_t alen = sizeof(a);

    memset(e, 0, sizeof(*e));
    e->lfd = socket(AF_INET, SOCK_STREAM, 0);
    CHECK(e->lfd >= 0, "socket");
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    CHECK(bind(e->lfd, (struct sockaddr *)&a, sizeof(a)) == 0, "bind: %s", strerror(errno));
    CHECK(listen(e->lfd, 8) == 0, "listen");
    CHECK(getsockname(e->lfd, (struct sockaddr *)&a, &alen) == 0, "getsockname");
    CHECK(pthread_create(&e->th, NULL, echo_main, e) == 0, "pthread_create");
    return ntohs(a.sin_port);
}

#if LIBSSH2_VERSION_NUM >= 0x010b00
static void echo_unix_start(struct echo_srv *e, const char *path)
{
    struct sockaddr_un a;

    memset(e, 0, sizeof(*e));
    e->lfd = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK(e->lfd >= 0, "socket");
    memset(&a, 0, sizeof(a));
    a.sun_family = AF_UNIX;
    CHECK(strlen(path) < sizeof(a.sun_path), "socket path too long");
    memcpy(a.sun_path, path, strlen(path) + 1);
    unlink(path);
    CHECK(bind(e->lfd, (struct sockaddr *)&a, sizeof(a)) == 0, "bind %s: %s", path,
          strerror(errno));
    CHECK(listen(e->lfd, 8) == 0, "listen");
    CHECK(pthread_create(&e->th, NULL, echo_main, e) == 0, "pthread_create");
}
#endif

/* ---- cases ---------------------------------------------------------------- */

/* stdout, stderr (read_stderr) and exit status; a fresh channel per step. */
static void case_exec(void)
{
    struct conn c;
    struct sbuf out;
    struct sbuf err;
    LIBSSH2_CHANNEL *ch;
    int st;
    ssize_t rc;
    char tmp[16];

    conn_open(&c, NULL);
    st = run(&c, "echo out; echo err >&2; exit 3", &out, &err);
    CHECK(strcmp(out.d, "out\n") == 0, "stdout \"%s\", expected \"out\\n\"", out.d);
    CHECK(strcmp(err.d, "err\n") == 0, "stderr \"%s\", expected \"err\\n\"", err.d);
    CHECK(st == 3, "exit status %d, expected 3", st);
    /* exit status 0 and an empty command output */
    st = run(&c, "true", &out, &err);
    CHECK(st == 0 && out.n == 0 && err.n == 0, "true: status %d, %zu/%zu bytes", st, out.n,
          err.n);
    /* libssh2_channel_read_stderr macro, and reading after EOF keeps returning 0 */
    ch = open_session(&c);
    exec_cmd(&c, ch, "echo only-err >&2");
    drain(&c, ch, &out, &err);
    CHECK(out.n == 0 && strcmp(err.d, "only-err\n") == 0, "only-err: out \"%s\" err \"%s\"",
          out.d, err.d);
    rc = NB(&c, libssh2_channel_read_stderr(ch, tmp, sizeof(tmp)));
    CHECK(rc == 0, "read_stderr after EOF rc=%zd", rc);
    rc = NB(&c, libssh2_channel_read(ch, tmp, sizeof(tmp)));
    CHECK(rc == 0, "read after EOF rc=%zd", rc);
    CHECK(libssh2_channel_eof(ch) == 1, "channel_eof after EOF");
    st = close_channel(&c, ch);
    CHECK(st == 0, "exit status %d", st);
    free_channel(&c, ch);
    /* output larger than one packet and than the default window on stderr */
    st = run(&c, "head -c 50000 /dev/zero | tr '\\0' a; head -c 40000 /dev/zero | tr '\\0' b >&2",
             &out, &err);
    CHECK(st == 0 && out.n == 50000 && err.n == 40000, "large output: status %d, %zu/%zu", st,
          out.n, err.n);
    CHECK(out.d[0] == 'a' && out.d[49999] == 'a' && err.d[0] == 'b' && err.d[39999] == 'b',
          "large output content");
    conn_close(&c);
}

static void case_exit_signal(void)
{
    struct conn c;
    struct sbuf out;
    struct sbuf err;
    LIBSSH2_CHANNEL *ch;
    char *name = NULL;
    char *msg = NULL;
    char *lang = NULL;
    size_t nlen = 0;
    size_t mlen = 0;
    size_t llen = 0;
    int rc;

    conn_open(&c, NULL);
    ch = open_session(&c);
    exec_cmd(&c, ch, "echo before; kill -TERM $$; echo after");
    drain(&c, ch, &out, &err);
    CHECK(strcmp(out.d, "before\n") == 0, "stdout \"%s\"", out.d);
    (void)close_channel(&c, ch);
    rc = libssh2_channel_get_exit_signal(ch, &name, &nlen, &msg, &mlen, &lang, &llen);
    CHECK(rc == 0, "get_exit_signal rc=%d", rc);
    CHECK(name != NULL && strcmp(name, "TERM") == 0 && nlen == 4,
          "exit signal \"%s\" (len %zu), expected \"TERM\"", name ? name : "(null)", nlen);
    info("exit-signal name=%s message=\"%s\" lang=\"%s\"", name, msg ? msg : "(null)",
         lang ? lang : "(null)");
    libssh2_free(c.s, name);
    libssh2_free(c.s, msg);
    libssh2_free(c.s, lang);
    free_channel(&c, ch);
    /* a normal exit: no signal name */
    ch = open_session(&c);
    exec_cmd(&c, ch, "exit 0");
    drain(&c, ch, &out, &err);
    (void)close_channel(&c, ch);
    name = NULL;
    rc = libssh2_channel_get_exit_signal(ch, &name, &nlen, NULL, NULL, NULL, NULL);
    CHECK(rc == 0 && name == NULL && nlen == 0, "no signal: rc=%d name=%s", rc,
          name ? name : "(null)");
    free_channel(&c, ch);
    conn_close(&c);
}

static void case_extdata(int mode)
{
    struct conn c;
    struct sbuf out;
    struct sbuf err;
    LIBSSH2_CHANNEL *ch;
    ssize_t rc;
    int st;

    conn_open(&c, NULL);
    ch = open_session(&c);
    rc = NB(&c, libssh2_channel_handle_extended_data2(ch, mode));
    CHECK(rc == 0, "handle_extended_data2(%d) rc=%zd", mode, rc);
    exec_cmd(&c, ch, "echo out; sleep 0.2; echo err >&2; sleep 0.2; echo out2");
    /* stdout only: with MERGE, libssh2 1.10 hands merged data to read_stderr
     * too, so a program using MERGE reads stream 0 alone */
    drain(&c, ch, &out, NULL);
    err.n = 0;
    err.d[0] = '\0';
    {
        char tmp[64];

        rc = NB(&c, libssh2_channel_read_stderr(ch, tmp, sizeof(tmp)));
        CHECK(rc == 0, "read_stderr after EOF with mode %d: rc=%zd", mode, rc);
    }
    st = close_channel(&c, ch);
    CHECK(st == 0, "exit status %d", st);
    if (mode == LIBSSH2_CHANNEL_EXTENDED_DATA_MERGE) {
        CHECK(strcmp(out.d, "out\nerr\nout2\n") == 0, "merged stdout \"%s\"", out.d);
    } else {
        CHECK(strcmp(out.d, "out\nout2\n") == 0, "stdout with stderr ignored \"%s\"", out.d);
    }
    CHECK(err.n == 0, "stderr should be empty, got \"%s\"", err.d);
    free_channel(&c, ch);
    if (mode == LIBSSH2_CHANNEL_EXTENDED_DATA_IGNORE) {
        /* Ignored stderr must not hold the window: 4 MiB of it, then stdout. */
        ch = open_session(&c);
        rc = NB(&c, libssh2_channel_handle_extended_data2(ch, mode));
        CHECK(rc == 0, "handle_extended_data2 rc=%zd", rc);
        exec_cmd(&c, ch, "head -c 4194304 /dev/zero >&2; echo done");
        drain(&c, ch, &out, &err);
        CHECK(strcmp(out.d, "done\n") == 0 && err.n == 0, "after 4 MiB ignored stderr: "
              "out \"%s\", %zu stderr bytes", out.d, err.n);
        st = close_channel(&c, ch);
        CHECK(st == 0, "exit status %d", st);
        free_channel(&c, ch);
    }
    conn_close(&c);
}

static void case_env(void)
{
    static const char *const opts[] = { "AcceptEnv=S2TEST_*", NULL };
    struct conn c;
    struct sbuf out;
    struct sbuf err;
    LIBSSH2_CHANNEL *ch;
    ssize_t rc;
    int st;

    conn_open(&c, opts);
    ch = open_session(&c);
    rc = NB(&c, libssh2_channel_setenv(ch, "S2TEST_VAR", "hello env"));
    CHECK(rc == 0, "setenv S2TEST_VAR rc=%zd", rc);
    rc = NB(&c, libssh2_channel_setenv_ex(ch, "S2TEST_B", 8, "x=y", 3));
    CHECK(rc == 0, "setenv_ex S2TEST_B rc=%zd", rc);
    exec_cmd(&c, ch, "echo \"$S2TEST_VAR|$S2TEST_B|${NOTACCEPTED-unset}\"");
    drain(&c, ch, &out, &err);
    CHECK(strcmp(out.d, "hello env|x=y|unset\n") == 0, "stdout \"%s\"", out.d);
    st = close_channel(&c, ch);
    CHECK(st == 0, "exit status %d", st);
    free_channel(&c, ch);
    /* A name outside AcceptEnv: OpenSSH ignores it (want_reply is answered with
     * failure), the library reports the refusal; the variable stays unset. */
    ch = open_session(&c);
    rc = NB(&c, libssh2_channel_setenv(ch, "NOTACCEPTED", "v"));
    CHECK(rc == LIBSSH2_ERROR_CHANNEL_REQUEST_DENIED, "refused setenv rc=%zd, expected %d",
          rc, LIBSSH2_ERROR_CHANNEL_REQUEST_DENIED);
    exec_cmd(&c, ch, "echo \"${NOTACCEPTED-unset}\"");
    drain(&c, ch, &out, &err);
    CHECK(strcmp(out.d, "unset\n") == 0, "stdout \"%s\"", out.d);
    (void)close_channel(&c, ch);
    free_channel(&c, ch);
    conn_close(&c);
}

static void case_pty(void)
{
    struct conn c;
    struct sbuf out;
    struct sbuf err;
    LIBSSH2_CHANNEL *ch;
    ssize_t rc;
    int st;

    conn_open(&c, NULL);
    ch = open_session(&c);
    rc = NB(&c, libssh2_channel_request_pty(ch, "xterm"));
    CHECK(rc == 0, "request_pty rc=%zd", rc);
    exec_cmd(&c, ch, "stty size; echo \"$TERM\"; test -t 0 && echo tty");
    drain(&c, ch, &out, &err);
    strip_cr(&out);
    CHECK(strcmp(out.d, "24 80\nxterm\ntty\n") == 0, "pty output \"%s\"", out.d);
    st = close_channel(&c, ch);
    CHECK(st == 0, "exit status %d", st);
    free_channel(&c, ch);
    /* explicit size and terminal modes (ECHO off = opcode 53, value 0) */
    ch = open_session(&c);
    {
        static const char modes[] = { 53, 0, 0, 0, 0, 0 };

        rc = NB(&c, libssh2_channel_request_pty_ex(ch, "vt100", 5, modes, sizeof(modes), 132,
                                                   50, 0, 0));
    }
    CHECK(rc == 0, "request_pty_ex rc=%zd", rc);
    exec_cmd(&c, ch, "stty size; echo \"$TERM\"; stty -a | grep -o -- '-echo ' | head -n1");
    drain(&c, ch, &out, &err);
    strip_cr(&out);
    CHECK(strcmp(out.d, "50 132\nvt100\n-echo \n") == 0, "pty_ex output \"%s\"", out.d);
    (void)close_channel(&c, ch);
    free_channel(&c, ch);
    conn_close(&c);
}

static void case_pty_resize(void)
{
    struct conn c;
    struct sbuf out;
    struct sbuf err;
    LIBSSH2_CHANNEL *ch;
    ssize_t rc;
    int st;
    static const char cmd1[] = "stty size\n";
    static const char cmd2[] = "stty size; exit 4\n";

    conn_open(&c, NULL);
    ch = open_session(&c);
    rc = NB(&c, libssh2_channel_request_pty(ch, "xterm"));
    CHECK(rc == 0, "request_pty rc=%zd", rc);
    rc = NB(&c, libssh2_channel_shell(ch));
    CHECK(rc == 0, "channel_shell rc=%zd", rc);
    out.n = 0;
    out.d[0] = '\0';
    write_all(&c, ch, 0, cmd1, strlen(cmd1));
    read_until(&c, ch, &out, "24 80");
    rc = NB(&c, libssh2_channel_request_pty_size(ch, 100, 40));
    CHECK(rc == 0, "request_pty_size(100, 40) rc=%zd", rc);
    write_all(&c, ch, 0, cmd2, strlen(cmd2));
    drain(&c, ch, &out, &err);
    strip_cr(&out);
    CHECK(strstr(out.d, "40 100\n") != NULL, "after resize no \"40 100\" in \"%s\"", out.d);
    st = close_channel(&c, ch);
    CHECK(st == 4, "exit status %d, expected 4", st);
    free_channel(&c, ch);
    conn_close(&c);
}

static void case_shell(void)
{
    struct conn c;
    struct sbuf out;
    struct sbuf err;
    LIBSSH2_CHANNEL *ch;
    ssize_t rc;
    int st;
    static const char cmd[] = "echo hi; echo oops >&2; exit 5\n";

    conn_open(&c, NULL);
    ch = open_session(&c);
    rc = NB(&c, libssh2_channel_shell(ch));
    CHECK(rc == 0, "channel_shell rc=%zd", rc);
    write_all(&c, ch, 0, cmd, strlen(cmd));
    rc = NB(&c, libssh2_channel_flush(ch));
    CHECK(rc >= 0, "channel_flush rc=%zd", rc);
    drain(&c, ch, &out, &err);
    CHECK(strcmp(out.d, "hi\n") == 0, "shell stdout \"%s\"", out.d);
    CHECK(strcmp(err.d, "oops\n") == 0, "shell stderr \"%s\"", err.d);
    st = close_channel(&c, ch);
    CHECK(st == 5, "exit status %d, expected 5", st);
    free_channel(&c, ch);
    /* a shell ended by our EOF alone */
    ch = open_session(&c);
    rc = NB(&c, libssh2_channel_shell(ch));
    CHECK(rc == 0, "channel_shell rc=%zd", rc);
    write_all(&c, ch, 0, "echo a\necho b\n", 14);
    rc = NB(&c, libssh2_channel_send_eof(ch));
    CHECK(rc == 0, "send_eof rc=%zd", rc);
    /* negative: writing after our EOF is refused */
    rc = NB(&c, libssh2_channel_write(ch, "x", 1));
    CHECK(rc == LIBSSH2_ERROR_CHANNEL_EOF_SENT, "write after send_eof rc=%zd, expected %d", rc,
          LIBSSH2_ERROR_CHANNEL_EOF_SENT);
    drain(&c, ch, &out, &err);
    CHECK(strcmp(out.d, "a\nb\n") == 0, "shell after EOF: \"%s\"", out.d);
    st = close_channel(&c, ch);
    CHECK(st == 0, "exit status %d", st);
    free_channel(&c, ch);
    conn_close(&c);
}

#if LIBSSH2_VERSION_NUM >= 0x010b00
static char signal_akf[600];
static char signal_akf_opt[700];
static const char *signal_opts[] = { signal_akf_opt, NULL };

/* OpenSSH honours "signal" only in a privilege-separated session, and a root
 * login has none ("session signalling requires privilege separation"): this
 * case logs in as "nobody", given /bin/sh through a copy of /etc/passwd bound
 * over the real one in the server's mount namespace, and an authorized_keys
 * file nobody can read (sshd reads it with the user's uid). */
static void signal_user_setup(void)
{
    FILE *in;
    FILE *out;
    char line[1024];
    char key[4096];
    size_t klen;
    int found = 0;

    if (getuid() != 0) {
        skip("the signal case needs root (it logs in as nobody through a mount namespace)");
    }
    CHECK(chmod(g.tmpdir, 0755) == 0, "chmod %s", g.tmpdir);
    snprintf(g.passwd, sizeof(g.passwd), "%s/passwd", g.tmpdir);
    in = fopen("/etc/passwd", "r");
    out = fopen(g.passwd, "w");
    CHECK(in != NULL && out != NULL, "copy /etc/passwd");
    while (fgets(line, sizeof(line), in) != NULL) {
        if (strncmp(line, "nobody:", 7) == 0) {
            char *shell = strrchr(line, ':');

            CHECK(shell != NULL, "passwd line");
            snprintf(shell + 1, sizeof(line) - (size_t)(shell + 1 - line), "/bin/sh\n");
            found = 1;
        }
        fputs(line, out);
    }
    fclose(in);
    fclose(out);
    chmod(g.passwd, 0644);
    if (!found) {
        skip("no user \"nobody\" in /etc/passwd");
    }
    in = fopen(g.pub, "r");
    CHECK(in != NULL, "open %s", g.pub);
    klen = fread(key, 1, sizeof(key), in);
    fclose(in);
    snprintf(signal_akf, sizeof(signal_akf), "%s/authorized_keys", g.tmpdir);
    write_file(signal_akf, key, klen, 0644);
    snprintf(signal_akf_opt, sizeof(signal_akf_opt), "AuthorizedKeysFile=%s", signal_akf);
    snprintf(g.user, sizeof(g.user), "nobody");
}
#endif

static void case_signal(void)
{
#if LIBSSH2_VERSION_NUM >= 0x010b00
    struct conn c;
    struct sbuf out;
    struct sbuf err;
    LIBSSH2_CHANNEL *ch;
    ssize_t rc;
    int st;

    signal_user_setup();
    conn_open(&c, signal_opts);
    ch = open_session(&c);
    /* sleep gets no handle on the channel's pipes: should it outlive the
     * shell (the TERM can arrive before it is forked), sshd would otherwise
     * hold the channel open until it exits */
    exec_cmd(&c, ch, "trap 'echo got TERM; kill $! 2>/dev/null; exit 7' TERM; "
             "echo ready; sleep 30 </dev/null >/dev/null 2>&1 & wait");
    out.n = 0;
    out.d[0] = '\0';
    read_until(&c, ch, &out, "ready\n");
    rc = NB(&c, libssh2_channel_signal(ch, "TERM"));
    CHECK(rc == 0, "channel_signal(TERM) rc=%zd", rc);
    {
        struct sbuf rest;

        drain(&c, ch, &rest, &err);
        CHECK(strcmp(rest.d, "got TERM\n") == 0, "after signal: stdout \"%s\"", rest.d);
    }
    st = close_channel(&c, ch);
    CHECK(st == 7, "exit status %d, expected 7 (from the trap)", st);
    free_channel(&c, ch);
    /* signal_ex with an explicit length; KILL cannot be trapped: exit-signal KILL */
    ch = open_session(&c);
    exec_cmd(&c, ch, "echo ready; exec sleep 30");
    out.n = 0;
    out.d[0] = '\0';
    read_until(&c, ch, &out, "ready\n");
    rc = NB(&c, libssh2_channel_signal_ex(ch, "KILLxyz", 4));
    CHECK(rc == 0, "channel_signal_ex(KILL) rc=%zd", rc);
    drain(&c, ch, &out, &err);
    (void)close_channel(&c, ch);
    {
        char *name = NULL;
        size_t nlen = 0;

        rc = libssh2_channel_get_exit_signal(ch, &name, &nlen, NULL, NULL, NULL, NULL);
        CHECK(rc == 0 && name != NULL && strcmp(name, "KILL") == 0,
              "exit signal after KILL: rc=%zd name=%s", rc, name ? name : "(null)");
        libssh2_free(c.s, name);
    }
    free_channel(&c, ch);
    conn_close(&c);
#else
    skip("libssh2_channel_signal_ex needs libssh2 >= 1.11 (this is %s)", LIBSSH2_VERSION);
#endif
}

static void case_cat(uint64_t total)
{
    struct conn c;

    conn_open(&c, NULL);
    cat_case(&c, total);
    /* the session is still usable afterwards */
    {
        struct sbuf out;
        struct sbuf err;
        int st = run(&c, "echo still", &out, &err);

        CHECK(st == 0 && strcmp(out.d, "still\n") == 0, "after transfer: \"%s\" %d", out.d, st);
    }
    if (g.nb) {
        CHECK(c.eagains > 0, "non-blocking transfer never saw EAGAIN");
    }
    conn_close(&c);
}

static void case_concurrent(void)
{
    static const char *const opts[] = { "MaxSessions=200", NULL };
    enum { N = 100 };
    static LIBSSH2_CHANNEL *ch[N];
    static struct sbuf out[N];
    struct sbuf err;
    struct conn c;
    char cmd[64];
    char want[64];
    int i;
    int st;

    conn_open(&c, opts);
    for (i = 0; i < N; i++) {
        ch[i] = open_session(&c);
        CHECK(ch[i] != NULL, "channel %d", i);
    }
    for (i = 0; i < N; i++) {
        snprintf(cmd, sizeof(cmd), "echo %d", i * 7 + 1);
        exec_cmd(&c, ch[i], cmd);
    }
    /* read them in reverse order: the first ones wait buffered meanwhile */
    for (i = N - 1; i >= 0; i--) {
        drain(&c, ch[i], &out[i], &err);
        snprintf(want, sizeof(want), "%d\n", i * 7 + 1);
        CHECK(strcmp(out[i].d, want) == 0, "channel %d: \"%s\", expected \"%s\"", i, out[i].d,
              want);
        CHECK(err.n == 0, "channel %d stderr \"%s\"", i, err.d);
    }
    for (i = 0; i < N; i++) {
        st = close_channel(&c, ch[i]);
        CHECK(st == 0, "channel %d exit status %d", i, st);
        free_channel(&c, ch[i]);
    }
    /* channel ids are reusable: another round of 100 on the same session */
    for (i = 0; i < N; i++) {
        ch[i] = open_session(&c);
        snprintf(cmd, sizeof(cmd), "echo r%d", i);
        exec_cmd(&c, ch[i], cmd);
    }
    for (i = 0; i < N; i++) {
        drain(&c, ch[i], &out[i], &err);
        snprintf(want, sizeof(want), "r%d\n", i);
        CHECK(strcmp(out[i].d, want) == 0, "round 2 channel %d: \"%s\"", i, out[i].d);
        st = close_channel(&c, ch[i]);
        CHECK(st == 0, "round 2 channel %d exit status %d", i, st);
        free_channel(&c, ch[i]);
    }
    conn_close(&c);
}

static void case_direct_tcpip(void)
{
    struct conn c;
    struct echo_srv e;
    LIBSSH2_CHANNEL *ch;
    int port = echo_tcp_start(&e);

    conn_open(&c, NULL);
    ch = NBP(&c, libssh2_channel_direct_tcpip_ex(c.s, "127.0.0.1", port, "127.0.0.1", 4242));
    CHECK(ch != NULL, "direct_tcpip to 127.0.0.1:%d", port);
    transfer(&c, ch, 8 * MIB, 42);
    CHECK(e.conns == 1, "echo server saw %d connections", e.conns);
    (void)close_channel(&c, ch);
    free_channel(&c, ch);
    /* a second tunnel, small payload through the libssh2_channel_direct_tcpip macro */
    ch = NBP(&c, libssh2_channel_direct_tcpip(c.s, "127.0.0.1", port));
    CHECK(ch != NULL, "second direct_tcpip");
    transfer(&c, ch, 1000, 43);
    (void)close_channel(&c, ch);
    free_channel(&c, ch);
    CHECK(e.conns == 2, "echo server saw %d connections", e.conns);
    /* a closed port: the open fails with CHANNEL_FAILURE, the session survives */
    echo_stop(&e);
    ch = NBP(&c, libssh2_channel_direct_tcpip(c.s, "127.0.0.1", port));
    CHECK(ch == NULL, "direct_tcpip to a closed port succeeded");
    CHECK(libssh2_session_last_errno(c.s) == LIBSSH2_ERROR_CHANNEL_FAILURE,
          "direct_tcpip to a closed port: errno %d, expected CHANNEL_FAILURE (%d)",
          libssh2_session_last_errno(c.s), LIBSSH2_ERROR_CHANNEL_FAILURE);
    {
        struct sbuf out;
        struct sbuf err;
        int st = run(&c, "echo alive", &out, &err);

        CHECK(st == 0 && strcmp(out.d, "alive\n") == 0, "session after failed open");
    }
    conn_close(&c);
}

static void case_direct_streamlocal(void)
{
#if LIBSSH2_VERSION_NUM >= 0x010b00
    struct conn c;
    struct echo_srv e;
    LIBSSH2_CHANNEL *ch;
    char path[512];

    snprintf(path, sizeof(path), "%s/echo.sock", g.tmpdir);
    echo_unix_start(&e, path);
    conn_open(&c, NULL);
    ch = NBP(&c, libssh2_channel_direct_streamlocal_ex(c.s, path, "127.0.0.1", 0));
    CHECK(ch != NULL, "direct_streamlocal to %s", path);
    transfer(&c, ch, 8 * MIB, 44);
    (void)close_channel(&c, ch);
    free_channel(&c, ch);
    CHECK(e.conns == 1, "echo server saw %d connections", e.conns);
    echo_stop(&e);
    /* a path nobody listens on */
    snprintf(path, sizeof(path), "%s/nobody.sock", g.tmpdir);
    ch = NBP(&c, libssh2_channel_direct_streamlocal_ex(c.s, path, "127.0.0.1", 0));
    CHECK(ch == NULL, "direct_streamlocal to a missing socket succeeded");
    CHECK(libssh2_session_last_errno(c.s) == LIBSSH2_ERROR_CHANNEL_FAILURE,
          "missing socket: errno %d", libssh2_session_last_errno(c.s));
    conn_close(&c);
    unlink(path);
#else
    skip("libssh2_channel_direct_streamlocal_ex needs libssh2 >= 1.11 (this is %s)",
         LIBSSH2_VERSION);
#endif
}

static int tcp_connect(int port)
{
    struct sockaddr_in a;
    int fd = socket(AF_INET, SOCK_STREAM, 0);

    CHECK(fd >= 0, "socket");
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = htons((uint16_t)port);
    if (connect(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
        int e = errno;

        close(fd);
        errno = e;
        return -1;
    }
    return fd;
}

/* Read from a plain socket until |want| bytes arrived (or EOF / timeout). */
static size_t sock_read(int fd, char *buf, size_t want)
{
    size_t got = 0;

    while (got < want) {
        struct pollfd p = { fd, POLLIN, 0 };
        ssize_t n;

        if (poll(&p, 1, IO_TIMEOUT_MS) <= 0) {
            break;
        }
        n = read(fd, buf + got, want - got);
        if (n <= 0) {
            break;
        }
        got += (size_t)n;
    }
    return got;
}

static void case_forward(void)
{
    struct conn c;
    LIBSSH2_LISTENER *l;
    LIBSSH2_CHANNEL *ch;
    LIBSSH2_CHANNEL *ex;
    struct sbuf out;
    struct sbuf err;
    char buf[256];
    char cmd[512];
    int bound = -1;
    int fd;
    int st;
    ssize_t rc;
    static const char hello[] = "hello-from-client\n";
    static const char reply[] = "hello-from-ssh-client\n";

    conn_open(&c, NULL);
    l = NBP(&c, libssh2_channel_forward_listen_ex(c.s, "127.0.0.1", 0, &bound, 4));
    CHECK(l != NULL, "forward_listen_ex(127.0.0.1, 0)");
    CHECK(bound > 0 && bound < 65536, "bound port %d", bound);
    info("server listens on 127.0.0.1:%d", bound);

    /* 1: a connection from this process to the server's listener */
    fd = tcp_connect(bound);
    CHECK(fd >= 0, "connect to forwarded port %d: %s", bound, strerror(errno));
    CHECK(write(fd, hello, strlen(hello)) == (ssize_t)strlen(hello), "socket write");
    ch = NBP(&c, libssh2_channel_forward_accept(l));
    CHECK(ch != NULL, "forward_accept");
    out.n = 0;
    out.d[0] = '\0';
    read_until(&c, ch, &out, "\n");
    CHECK(strcmp(out.d, hello) == 0, "forwarded data \"%s\"", out.d);
    write_all(&c, ch, 0, reply, strlen(reply));
    CHECK(sock_read(fd, buf, strlen(reply)) == strlen(reply) &&
          memcmp(buf, reply, strlen(reply)) == 0, "socket did not get the channel's data");
    close(fd);      /* the server sees EOF and sends EOF + CLOSE */
    drain(&c, ch, &out, NULL);
    CHECK(strcmp(out.d, "") == 0, "unexpected data after EOF \"%s\"", out.d);
    (void)close_channel(&c, ch);
    free_channel(&c, ch);

    /* 2: a connection made by a command on the server (bash /dev/tcp) while an
     * exec channel is open: two channels live at once */
    ex = open_session(&c);
    snprintf(cmd, sizeof(cmd), "exec 3<>/dev/tcp/127.0.0.1/%d && echo via-exec >&3 && "
             "read -r line <&3 && echo \"got:$line\"", bound);
    exec_cmd(&c, ex, cmd);
    ch = NBP(&c, libssh2_channel_forward_accept(l));
    CHECK(ch != NULL, "second forward_accept");
    out.n = 0;
    out.d[0] = '\0';
    read_until(&c, ch, &out, "\n");
    CHECK(strcmp(out.d, "via-exec\n") == 0, "forwarded data \"%s\"", out.d);
    write_all(&c, ch, 0, "pong\n", 5);
    rc = NB(&c, libssh2_channel_send_eof(ch));
    CHECK(rc == 0, "send_eof rc=%zd", rc);
    drain(&c, ex, &out, &err);
    CHECK(strcmp(out.d, "got:pong\n") == 0, "exec side got \"%s\" (stderr \"%s\")", out.d,
          err.d);
    st = close_channel(&c, ex);
    CHECK(st == 0, "exec exit status %d", st);
    free_channel(&c, ex);
    drain(&c, ch, &out, NULL);
    (void)close_channel(&c, ch);
    free_channel(&c, ch);

    /* cancel: afterwards the port refuses connections */
    rc = NB(&c, libssh2_channel_forward_cancel(l));
    CHECK(rc == 0, "forward_cancel rc=%zd", rc);
    st = run(&c, "true", &out, &err);   /* a round trip: the cancel was processed */
    CHECK(st == 0, "exec after cancel");
    fd = tcp_connect(bound);
    CHECK(fd < 0 && errno == ECONNREFUSED, "port %d still accepts after forward_cancel", bound);
    conn_close(&c);
}

/* keepalive_config(want_reply=1, interval 1): libssh2 documents that an
 * interval of 1 is treated as 2, so seconds_to_next stays within 0..2. */
static void case_keepalive(void)
{
    struct conn c;
    struct sbuf out;
    struct sbuf err;
    double t0;
    int sends = 0;
    int prev = -1;
    int seen;
    int st;

    conn_open(&c, NULL);
    libssh2_keepalive_config(c.s, 1, 1);
    t0 = now_s();
    while (now_s() - t0 < 4.5) {
        int next = -1;
        ssize_t rc = NB(&c, libssh2_keepalive_send(c.s, &next));

        CHECK(rc == 0, "keepalive_send rc=%zd", rc);
        CHECK(next >= 0 && next <= 2, "seconds_to_next %d, interval 1 (treated as 2)", next);
        if (next > prev) {
            sends++;    /* the countdown restarted: one was sent */
        }
        prev = next;
        usleep(250000);
    }
    info("keepalive_send restarted its countdown %d times in 4.5 s", sends);
    CHECK(sends >= 2, "only %d keepalives in 4.5 s with interval 1", sends);
    if (!g.nb) {
        /* libssh2's blocking waits poll only until the next keepalive is due
         * and then fail with LIBSSH2_ERROR_TIMEOUT ("Timed out waiting on
         * socket") when nothing arrived; so blocking programs switch keepalives
         * off around long waits. Interval 0 disables: seconds_to_next is 0. */
        int next = -1;
        ssize_t rc;

        libssh2_keepalive_config(c.s, 1, 0);
        rc = NB(&c, libssh2_keepalive_send(c.s, &next));
        CHECK(rc == 0 && next == 0, "disabled keepalive: rc=%zd next=%d", rc, next);
    }
    /* the replies (REQUEST_FAILURE from OpenSSH) were consumed; the session works */
    st = run(&c, "echo after-keepalive", &out, &err);
    CHECK(st == 0 && strcmp(out.d, "after-keepalive\n") == 0, "after keepalive: \"%s\" %d",
          out.d, st);
    /* the server saw them (sshd at DEBUG1 logs each global request) */
    seen = log_count("rtype keepalive@");
    info("server log: %d keepalive@ requests", seen);
    CHECK(seen >= 2, "sshd logged %d keepalive requests", seen);
    /* interval 0 disables: nothing due, seconds_to_next 0 */
    libssh2_keepalive_config(c.s, 1, 0);
    {
        int next = -1;
        ssize_t rc = NB(&c, libssh2_keepalive_send(c.s, &next));

        CHECK(rc == 0 && next == 0, "disabled keepalive: rc=%zd next=%d", rc, next);
    }
    conn_close(&c);
}

static void case_rekey(void)
{
    static const char *const opts[] = { "RekeyLimit=1M", NULL };
    struct conn c;
    int kex;

    conn_open(&c, opts);
    cat_case(&c, 64 * MIB);
    conn_close(&c);
    kex = log_count("SSH2_MSG_KEXINIT sent");
    info("server log: %d key exchanges", kex);
    CHECK(kex >= 10, "sshd logged %d KEXINITs; RekeyLimit=1M over 64 MiB should give dozens",
          kex);
}

static void case_dropbear_exec(void)
{
    struct conn c;
    struct sbuf out;
    struct sbuf err;
    int st;

    conn_open_dropbear(&c);
    st = run(&c, "echo out; echo err >&2; exit 3", &out, &err);
    CHECK(strcmp(out.d, "out\n") == 0, "stdout \"%s\"", out.d);
    CHECK(strcmp(err.d, "err\n") == 0, "stderr \"%s\"", err.d);
    CHECK(st == 3, "exit status %d, expected 3", st);
    st = run(&c, "head -c 100000 /dev/zero | tr '\\0' z", &out, &err);
    CHECK(st == 0 && out.n == 100000 && out.d[99999] == 'z', "100000 bytes: %zu, status %d",
          out.n, st);
    conn_close(&c);
}

static void case_dropbear_cat(void)
{
    struct conn c;

    conn_open_dropbear(&c);
    cat_case(&c, 32 * MIB);
    conn_close(&c);
}

/* Small windows and packets chosen at open: the server must stay within them
 * and the library must keep adjusting; window_read_ex / window_write_ex /
 * receive_window_adjust2 / wait_eof. */
static void case_window(void)
{
    struct conn c;
    LIBSSH2_CHANNEL *ch;
    unsigned long avail = 1;
    unsigned long init = 0;
    unsigned long w;
    unsigned int win = 0;
    size_t total = 0;
    ssize_t rc;
    double t0;
    int st;

    conn_open(&c, NULL);
    ch = NBP(&c, libssh2_channel_open_ex(c.s, "session", 7, 32768, 16384, NULL, 0));
    CHECK(ch != NULL, "channel_open_ex(window 32768, packet 16384)");
    w = libssh2_channel_window_read_ex(ch, &avail, &init);
    CHECK(w == 32768 && init == 32768 && avail == 0, "window_read_ex: %lu (initial %lu, "
          "avail %lu), expected 32768/32768/0", w, init, avail);
    /* OpenSSH confirms a session channel with window 0 and opens it with a
     * WINDOW_ADJUST once the command runs */
    init = 1;
    w = libssh2_channel_window_write_ex(ch, &init);
    CHECK(w == 0 && init == 0, "window_write_ex before exec %lu, initial %lu", w, init);
    rc = NB(&c, libssh2_channel_receive_window_adjust2(ch, 100000, 1, &win));
    CHECK(rc == 0, "receive_window_adjust2 rc=%zd", rc);
    /* libssh2 (1.10 and 1.11 alike) stores the window as it was *before* this
     * adjustment; the new size shows in window_read_ex */
    CHECK(win == 32768, "receive_window_adjust2 stored %u, libssh2 stores the window before "
          "the adjustment (32768)", win);
    w = libssh2_channel_window_read_ex(ch, NULL, NULL);
    CHECK(w == 32768 + 100000, "window_read_ex after adjust %lu", w);
    exec_cmd(&c, ch, "head -c 3000000 /dev/zero | tr '\\0' q");
    t0 = now_s();
    for (;;) {
        char buf[7000];
        ssize_t i;

        rc = libssh2_channel_read(ch, buf, sizeof(buf));
        if (rc == LIBSSH2_ERROR_EAGAIN || (rc == 0 && !libssh2_channel_eof(ch))) {
            CHECK(now_s() - t0 < IO_TIMEOUT_MS / 1000.0, "stalled at %zu bytes", total);
            if (g.nb) {
                waitsock(&c);
            }
            continue;
        }
        CHECK(rc >= 0, "read rc=%zd at %zu", rc, total);
        if (rc == 0) {
            break;
        }
        for (i = 0; i < rc; i++) {
            CHECK(buf[i] == 'q', "byte %zu is 0x%02x", total + (size_t)i, (unsigned char)buf[i]);
        }
        total += (size_t)rc;
        w = libssh2_channel_window_read_ex(ch, NULL, NULL);
        CHECK(w <= 32768 + 100000, "receive window %lu above what we granted", w);
    }
    CHECK(total == 3000000, "read %zu bytes, expected 3000000", total);
    w = libssh2_channel_window_write_ex(ch, NULL);
    CHECK(w > 0, "window_write_ex after the command ran: %lu", w);
    rc = NB(&c, libssh2_channel_wait_eof(ch));
    CHECK(rc == 0, "wait_eof rc=%zd", rc);
    st = close_channel(&c, ch);
    CHECK(st == 0, "exit status %d", st);
    free_channel(&c, ch);
    conn_close(&c);
}

/* ---- main ----------------------------------------------------------------- */

struct case_def {
    const char *name;
    void (*fn)(void);
    int timeout_s;
};

static void case_extdata_merge(void)
{
    case_extdata(LIBSSH2_CHANNEL_EXTENDED_DATA_MERGE);
}

static void case_extdata_ignore(void)
{
    case_extdata(LIBSSH2_CHANNEL_EXTENDED_DATA_IGNORE);
}

static void case_cat_big(void)
{
    case_cat(256 * MIB); /* issue 4: 256 MiB each way in both modes */
}

/* Agent forwarding: after auth-agent-req, the server's auth-agent@openssh.com
 * channel reaches LIBSSH2_CALLBACK_AUTHAGENT; the test answers the agent
 * request itself (an empty identity list) and `ssh-add -l` on the server
 * must see it. Driven non-blocking in both modes: the answer has to come
 * from this loop while the exec channel waits. */
static LIBSSH2_CHANNEL *agent_ch;

static void on_authagent(LIBSSH2_SESSION *s, LIBSSH2_CHANNEL *ch, void **abstract)
{
    (void)s;
    (void)abstract;
    agent_ch = ch;
}

static void case_agent_forward(void)
{
    static const char reply[] = {0, 0, 0, 5, 12, 0, 0, 0, 0}; /* IDENTITIES_ANSWER, 0 keys */
    struct conn c;
    struct sbuf out;
    LIBSSH2_CHANNEL *ch;
    size_t got = 0;
    int answered = 0;
    ssize_t rc;

    conn_open(&c, NULL);
    libssh2_session_set_blocking(c.s, 0);
    libssh2_session_callback_set2(c.s, LIBSSH2_CALLBACK_AUTHAGENT,
                                  (libssh2_cb_generic *)on_authagent);
    ch = open_session(&c);
    rc = NB(&c, libssh2_channel_request_auth_agent(ch));
    CHECK(rc == 0, "request_auth_agent rc=%zd", rc);
    rc = NB(&c, libssh2_channel_exec(ch, "ssh-add -l; echo status=$?"));
    CHECK(rc == 0, "exec rc=%zd", rc);
    memset(&out, 0, sizeof(out));
    for (;;) {
        int rs = read_some(&c, ch, 0, &out);
        int progress = rs > 0;
        if (rs == 0) {
            break;
        }
        if (agent_ch != NULL && !answered) {
            char tmp[1024];
            rc = libssh2_channel_read(agent_ch, tmp, sizeof(tmp));
            CHECK(rc >= 0 || rc == LIBSSH2_ERROR_EAGAIN, "agent channel read rc=%zd", rc);
            if (rc > 0) {
                got += (size_t)rc;
                progress = 1;
            }
            if (got >= 5) { /* uint32 length + SSH_AGENTC_REQUEST_IDENTITIES */
                rc = NB(&c, libssh2_channel_write(agent_ch, reply, sizeof(reply)));
                CHECK(rc == (ssize_t)sizeof(reply), "agent reply write rc=%zd", rc);
                answered = 1;
            }
        }
        if (!progress) {
            waitsock(&c);
        }
    }
    CHECK(agent_ch != NULL, "no auth-agent@openssh.com channel reached the callback");
    CHECK(answered, "the forwarded agent request never arrived");
    CHECK(strstr(out.d, "no identities") != NULL && strstr(out.d, "status=1") != NULL,
          "ssh-add -l through the forwarded agent printed \"%s\"", out.d);
    free_channel(&c, agent_ch);
    agent_ch = NULL;
    close_channel(&c, ch);
    free_channel(&c, ch);
    conn_close(&c);
}

/* x11: an "x11-req" with our cookie; sshd (X11Forwarding) sets DISPLAY and
 * hands the session a fake cookie through xauth. A script on the server
 * connects to that display with the fake cookie; sshd must swap in our real
 * cookie and open an "x11" channel, which reaches LIBSSH2_CALLBACK_X11. The
 * test checks the cookie in the X11 setup request and answers it; the
 * script prints what came back. */
static LIBSSH2_CHANNEL *x11_ch;
static int x11_calls;

static void on_x11(LIBSSH2_SESSION *s, LIBSSH2_CHANNEL *ch, char *host, int port,
                   void **abstract)
{
    (void)s;
    (void)abstract;
    info("x11 channel from %s:%d", host != NULL ? host : "(null)", port);
    x11_ch = ch;
    x11_calls++;
}

static const char x11_script[] =
    "python3 -c '\n"
    "import os, socket, subprocess\n"
    "d = os.environ[\"DISPLAY\"]\n"
    "n = int(d.split(\":\")[1].split(\".\")[0])\n"
    "fake = None\n"
    "for line in subprocess.check_output([\"xauth\", \"list\"]).decode().splitlines():\n"
    "    f = line.split()\n"
    "    if len(f) == 3 and f[0].endswith(\":%d\" % n):\n"
    "        fake = bytes.fromhex(f[2])\n"
    "s = socket.create_connection((\"localhost\", 6000 + n))\n"
    "name = b\"MIT-MAGIC-COOKIE-1\"\n"
    "hdr = b\"l\\0\" + (11).to_bytes(2, \"little\") + bytes(2)\n"
    "hdr += len(name).to_bytes(2, \"little\") + len(fake).to_bytes(2, \"little\") + bytes(2)\n"
    "s.sendall(hdr + name + bytes(2) + fake)\n"
    "r = b\"\"\n"
    "while not r.endswith(b\"\\n\"):\n"
    "    x = s.recv(100)\n"
    "    if not x:\n"
    "        break\n"
    "    r += x\n"
    "print(\"display=\" + d + \" reply=\" + r.decode().strip())\n"
    "'";

static void case_x11(void)
{
    static const char *opts[] = { "X11Forwarding=yes", "X11UseLocalhost=yes", NULL };
    static const char cookie_hex[] = "00112233445566778899aabbccddeeff";
    static const unsigned char cookie[16] = { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
                                              0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff };
    struct conn c;
    struct sbuf out;
    LIBSSH2_CHANNEL *ch;
    unsigned char setup[48];
    size_t got = 0;
    int answered = 0;
    ssize_t rc;

    if (access("/usr/bin/xauth", X_OK) != 0) {
        skip("xauth is not installed: sshd cannot set up X11 forwarding");
    }
    conn_open(&c, opts);
    libssh2_session_callback_set2(c.s, LIBSSH2_CALLBACK_X11, (libssh2_cb_generic *)on_x11);
    ch = open_session(&c);
    rc = NB(&c, libssh2_channel_x11_req_ex(ch, 0, "MIT-MAGIC-COOKIE-1", cookie_hex, 0));
    CHECK(rc == 0, "x11_req rc=%zd", rc);
    rc = NB(&c, libssh2_channel_exec(ch, x11_script));
    CHECK(rc == 0, "exec rc=%zd", rc);
    libssh2_session_set_blocking(c.s, 0);
    memset(&out, 0, sizeof(out));
    for (;;) {
        int rs = read_some(&c, ch, 0, &out);
        int progress = rs > 0;
        if (rs == 0) {
            break;
        }
        if (x11_ch != NULL && !answered) {
            rc = libssh2_channel_read(x11_ch, (char *)setup + got, sizeof(setup) - got);
            CHECK(rc >= 0 || rc == LIBSSH2_ERROR_EAGAIN, "x11 channel read rc=%zd", rc);
            if (rc > 0) {
                got += (size_t)rc;
                progress = 1;
            }
            if (got == sizeof(setup)) {
                CHECK(setup[0] == 'l' && setup[6] == 18 && setup[8] == 16,
                      "unexpected X11 setup header from sshd");
                CHECK(memcmp(setup + 12, "MIT-MAGIC-COOKIE-1", 18) == 0,
                      "X11 setup names another auth protocol");
                CHECK(memcmp(setup + 32, cookie, 16) == 0,
                      "sshd did not swap in our real cookie");
                rc = NB(&c, libssh2_channel_write(x11_ch, "HELLO-X11\n", 10));
                CHECK(rc == 10, "x11 reply write rc=%zd", rc);
                rc = NB(&c, libssh2_channel_send_eof(x11_ch));
                CHECK(rc == 0, "x11 send_eof rc=%zd", rc);
                answered = 1;
            }
        }
        if (!progress) {
            waitsock(&c);
        }
    }
    CHECK(x11_calls == 1, "LIBSSH2_CALLBACK_X11 ran %d times", x11_calls);
    CHECK(answered, "the X11 setup request never arrived (got %zu bytes)", got);
    CHECK(strstr(out.d, "reply=HELLO-X11") != NULL, "the X11 client printed \"%s\"", out.d);
    free_channel(&c, x11_ch);
    x11_ch = NULL;
    close_channel(&c, ch);
    free_channel(&c, ch);
    conn_close(&c);
}

/* poll: the legacy libssh2_poll and libssh2_poll_channel_read. A channel
 * that prints after a second: a short poll times out with nothing ready,
 * then a long poll reports POLLIN on the channel (and on the socket entry
 * listed with it), and the data is there to read. */
static void case_poll(void)
{
    struct conn c;
    struct sbuf out;
    LIBSSH2_CHANNEL *ch;
    LIBSSH2_POLLFD fds[2];
    double t0;
    int n;

    conn_open(&c, NULL);
    ch = open_session(&c);
    exec_cmd(&c, ch, "sleep 1; echo polled");
    memset(fds, 0, sizeof(fds));
    fds[0].type = LIBSSH2_POLLFD_CHANNEL;
    fds[0].fd.channel = ch;
    fds[0].events = LIBSSH2_POLLFD_POLLIN;
    t0 = now_s();
    n = libssh2_poll(fds, 1, 200);
    CHECK(n == 0, "poll before any data returned %d (revents 0x%lx)", n, fds[0].revents);
    CHECK(now_s() - t0 >= 0.15, "poll returned after %.3f s, not its timeout", now_s() - t0);
    CHECK(libssh2_poll_channel_read(ch, 0) == 0, "poll_channel_read saw data too early");
    fds[1].type = LIBSSH2_POLLFD_SOCKET;
    fds[1].fd.socket = c.fd;
    fds[1].events = LIBSSH2_POLLFD_POLLIN;
    n = libssh2_poll(fds, 2, 10000);
    CHECK(n >= 1, "poll for the channel returned %d", n);
    CHECK((fds[0].revents & LIBSSH2_POLLFD_POLLIN) != 0, "channel revents 0x%lx",
          fds[0].revents);
    CHECK(libssh2_poll_channel_read(ch, 0) == 1, "poll_channel_read after poll");
    memset(&out, 0, sizeof(out));
    drain(&c, ch, &out, NULL);
    CHECK(strcmp(out.d, "polled\n") == 0, "read \"%s\" after poll", out.d);
    close_channel(&c, ch);
    free_channel(&c, ch);
    conn_close(&c);
}

/* ciphers / ciphers_dropbear: every cipher (and MAC, for the non-AEAD ones)
 * moves --mib MiB each way through `cat`, every byte compared, with the
 * crypto kernels the environment leaves (CTest runs this once per
 * SSH2CORE_CPU_MASK: VAES, AES-NI only, no hardware at all). Against sshd,
 * RekeyLimit makes the server rekey several times mid-transfer. */
static const char *const cipher_matrix[][2] = {
    { "chacha20-poly1305@openssh.com", NULL },
    { "aes128-gcm@openssh.com", NULL },
    { "aes256-gcm@openssh.com", NULL },
    { "aes128-ctr", "hmac-sha2-256" },
    { "aes192-ctr", "hmac-sha2-512-etm@openssh.com" },
    { "aes256-ctr", "hmac-sha2-256-etm@openssh.com" },
    { "aes128-ctr", "hmac-sha1" },
};
/* Debian's Dropbear 2022.83 has no AES-GCM and no encrypt-then-MAC */
static const char *const cipher_matrix_dropbear[][2] = {
    { "chacha20-poly1305@openssh.com", NULL },
    { "aes128-ctr", "hmac-sha2-256" },
    { "aes256-ctr", "hmac-sha1" },
};

static void cipher_run(int dropbear)
{
    const char *const(*m)[2] = dropbear ? cipher_matrix_dropbear : cipher_matrix;
    size_t nm = dropbear ? sizeof(cipher_matrix_dropbear) / sizeof(cipher_matrix_dropbear[0])
                         : sizeof(cipher_matrix) / sizeof(cipher_matrix[0]);
    static char rekey[64];
    static const char *opts[] = { rekey, NULL };
    uint64_t total = (g.mib != 0 ? g.mib : 256) * MIB;
    size_t i;

    snprintf(rekey, sizeof(rekey), "RekeyLimit=%lluM", (unsigned long long)(total / MIB / 3 + 1));
    info("SSH2CORE_CPU_MASK=%s, %llu MiB each way", getenv("SSH2CORE_CPU_MASK") != NULL ?
         getenv("SSH2CORE_CPU_MASK") : "(unset)", (unsigned long long)(total / MIB));
    for (i = 0; i < nm; i++) {
        struct conn c;
        const char *got;
        double t0 = now_s();

        g.cipher = m[i][0];
        g.mac = m[i][1];
        if (dropbear) {
            conn_open_dropbear(&c);
        } else {
            conn_open(&c, opts);
        }
        got = libssh2_session_methods(c.s, LIBSSH2_METHOD_CRYPT_CS);
        CHECK(got != NULL && strcmp(got, g.cipher) == 0, "negotiated %s, not %s", got, g.cipher);
        if (g.mac != NULL) {
            got = libssh2_session_methods(c.s, LIBSSH2_METHOD_MAC_SC);
            CHECK(got != NULL && strcmp(got, g.mac) == 0, "negotiated MAC %s", got);
        }
        cat_case(&c, total);
        conn_close(&c);
        info("%s%s%s: %.1f MiB/s each way", g.cipher, g.mac != NULL ? " + " : "",
             g.mac != NULL ? g.mac : "", (double)total / MIB / (now_s() - t0));
        if (!dropbear) {
            int kex = log_count("SSH2_MSG_KEXINIT sent");
            CHECK(kex >= 3, "sshd logged %d KEXINITs with %s; RekeyLimit should give more", kex,
                  rekey);
        }
    }
    g.cipher = NULL;
    g.mac = NULL;
}

static void case_ciphers(void)
{
    cipher_run(0);
}

static void case_ciphers_dropbear(void)
{
    cipher_run(1);
}

static const struct case_def cases[] = {
    { "exec", case_exec, 60 },
    { "exit_signal", case_exit_signal, 60 },
    { "extdata_merge", case_extdata_merge, 60 },
    { "extdata_ignore", case_extdata_ignore, 60 },
    { "env", case_env, 60 },
    { "pty", case_pty, 60 },
    { "pty_resize", case_pty_resize, 60 },
    { "shell", case_shell, 60 },
    { "signal", case_signal, 60 },
    { "cat", case_cat_big, 240 },
    { "concurrent", case_concurrent, 120 },
    { "direct_tcpip", case_direct_tcpip, 60 },
    { "direct_streamlocal", case_direct_streamlocal, 60 },
    { "forward", case_forward, 60 },
    { "window", case_window, 60 },
    { "keepalive", case_keepalive, 60 },
    { "rekey", case_rekey, 180 },
    { "dropbear_exec", case_dropbear_exec, 60 },
    { "dropbear_cat", case_dropbear_cat, 120 },
    { "agent_forward", case_agent_forward, 60 },
    { "x11", case_x11, 60 },
    { "poll", case_poll, 60 },
    { "ciphers", case_ciphers, 1200 },
    { "ciphers_dropbear", case_ciphers_dropbear, 1200 },
};

static void cleanup_tmp(void)
{
    char p[600];

    if (g.tmpdir[0] == '\0') {
        return;
    }
    snprintf(p, sizeof(p), "%s/echo.sock", g.tmpdir);
    unlink(p);
    snprintf(p, sizeof(p), "%s/passwd", g.tmpdir);
    unlink(p);
    snprintf(p, sizeof(p), "%s/authorized_keys", g.tmpdir);
    unlink(p);
    snprintf(p, sizeof(p), "%s/home/.ssh/authorized_keys", g.tmpdir);
    unlink(p);
    snprintf(p, sizeof(p), "%s/home/.ssh", g.tmpdir);
    rmdir(p);
    snprintf(p, sizeof(p), "%s/home", g.tmpdir);
    rmdir(p);
    rmdir(g.tmpdir);
    g.tmpdir[0] = '\0';
}

static void usage(void)
{
    fprintf(stderr, "usage: test_channel --fixture DIR --case NAME [--nonblocking] "
            "[--verbose] [--mib N] | --list\n");
    exit(2);
}

int main(int argc, char **argv)
{
    const struct case_def *cd = NULL;
    size_t i;
    int a;

    for (a = 1; a < argc; a++) {
        if (strcmp(argv[a], "--fixture") == 0 && a + 1 < argc) {
            g.fixture = argv[++a];
        } else if (strcmp(argv[a], "--case") == 0 && a + 1 < argc) {
            g.casename = argv[++a];
        } else if (strcmp(argv[a], "--nonblocking") == 0) {
            g.nb = 1;
        } else if (strcmp(argv[a], "--verbose") == 0) {
            g.verbose = 1;
        } else if (strcmp(argv[a], "--mib") == 0 && a + 1 < argc) {
            g.mib = strtoull(argv[++a], NULL, 10);
        } else if (strcmp(argv[a], "--list") == 0) {
            for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
                printf("%s\n", cases[i].name);
            }
            return 0;
        } else {
            usage();
        }
    }
    if (g.fixture == NULL || g.casename == NULL) {
        usage();
    }
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        if (strcmp(cases[i].name, g.casename) == 0) {
            cd = &cases[i];
        }
    }
    if (cd == NULL) {
        usage();
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    snprintf(g.label, sizeof(g.label), "channel.%s.%s", cd->name,
             g.nb ? "nonblocking" : "blocking");
    signal(SIGPIPE, SIG_IGN);
    signal(SIGALRM, on_alarm);
    alarm((unsigned)cd->timeout_s);

    if (read_line_file("user", g.user, sizeof(g.user)) != 0) {
        skip("fixture %s has no user file (sshd_fixture.sh start not run?)", g.fixture);
    }
    snprintf(g.key, sizeof(g.key), "%s/id_ed25519", g.fixture);
    snprintf(g.pub, sizeof(g.pub), "%s/id_ed25519.pub", g.fixture);
    if (access(g.key, R_OK) != 0) {
        skip("fixture user key %s missing", g.key);
    }
    snprintf(g.tmpdir, sizeof(g.tmpdir), "/tmp/s2chan.XXXXXX");
    if (mkdtemp(g.tmpdir) == NULL) {
        g.tmpdir[0] = '\0';
        fail("mkdtemp: %s", strerror(errno));
    }
    CHECK(libssh2_init(0) == 0, "libssh2_init");
    info("library %s", libssh2_version(0));
    cd->fn();
    libssh2_exit();
    cleanup_tmp();
    printf("PASS %s\n", g.label);
    return 0;
}
