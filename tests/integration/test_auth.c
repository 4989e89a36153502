/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * User authentication against real servers (issue 3; docs/AUTH-TESTING.md).
 *
 *   test_auth --fixture DIR --keys KEYDIR --case NAME [--only SUBSTR] [--verbose]
 *
 * DIR is prepared by auth_fixture.sh (test user, password, keys, CA,
 * certificates, sshd_config); KEYDIR is tests/data/keys. Every check starts its
 * own server in inetd mode ("sshd -i" / "dropbear -i") on one end of a
 * socketpair, hands the other end to the library, and runs in a forked child,
 * so a crash or hang fails that check only. Cases:
 *
 *   password   sshd, UsePAM yes: right password; wrong one -> AUTHENTICATION_FAILED
 *              then the right one on the same session; unknown user; non-blocking
 *   kbdint     keyboard-interactive through PAM: one "Password: " prompt (echo off),
 *              success; wrong answer -> AUTHENTICATION_FAILED, then success; non-blocking
 *   publickey  every key of KEYDIR (dsa* skipped): fromfile with and without the
 *              .pub file, frommemory with and without public data; encrypted keys
 *              first with a wrong and a missing passphrase (KEYFILE_AUTH_FAILED) on
 *              the same session; unauthorized keys -> AUTHENTICATION_FAILED; RSA
 *              signs with rsa-sha2-512 (sshd's DEBUG2 log), ssh-rsa when asked for
 *              with LIBSSH2_METHOD_SIGN_ALGO and the server allows it
 *   cert       OpenSSH user certificates (ed25519, rsa, ecdsa) from the fixture CA;
 *              wrong principal, expired, and the bare key are refused
 *   dropbear   Dropbear: password (wrong, then right) and publickey
 *   sweep      (the integration_test_auth_sweep binary only) allocation failure
 *              N = 1, 2, ... through handshake + password auth: every run ends
 *              in success or a clean error, never a crash, and frees every block
 *
 * Output: one "PASS|FAIL|SKIP <check>" line per check. Exit status: 0 all
 * passed (some may be skipped), 1 any failure, 77 nothing ran.
 */
#include <libssh2.h>

#ifdef S2_AUTH_SWEEP
#include "failalloc.h"
#endif

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SKIP_CODE 77
#define CHECK_TIMEOUT_S 120
#define IO_TIMEOUT_MS 30000
#define MAX_KEYS 64
#define MAX_ARGS 32

enum server_kind { SRV_SSHD, SRV_DROPBEAR };

/* Test-wide settings, read from the fixture directory. */
static struct {
    const char *fixture;
    const char *keys;
    const char *only;
    int verbose;
    char user[64];
    char password[128];
    char sshd[512];
    char dropbear[512];
    int passed;
    int failed;
    int skipped;
} g;

/* The failure (or skip) reason of the current check; the first one is kept. */
static char why[1024];

static void failf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void failf(const char *fmt, ...)
{
    va_list ap;

    if (why[0] != '\0') {
        return;
    }
    va_start(ap, fmt);
    vsnprintf(why, sizeof(why), fmt, ap);
    va_end(ap);
}

static void vlog(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void vlog(const char *fmt, ...)
{
    va_list ap;

    if (!g.verbose) {
        return;
    }
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
}

/* ---- files ------------------------------------------------------------- */

/* Reads a whole file into a malloc'd, NUL-terminated buffer. */
static char *read_file(const char *path, size_t *len_out)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0;
    size_t len = 0;
    size_t n;

    if (f == NULL) {
        return NULL;
    }
    for (;;) {
        if (cap - len < 4096) {
            char *nb = realloc(buf, cap + 65536);
            if (nb == NULL) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = nb;
            cap += 65536;
        }
        n = fread(buf + len, 1, cap - len - 1, f);
        len += n;
        if (n == 0) {
            break;
        }
    }
    fclose(f);
    buf[len] = '\0';
    if (len_out != NULL) {
        *len_out = len;
    }
    return buf;
}

/* First line of DIR/name into out; 0 on success. */
static int read_line(const char *name, char *out, size_t outlen)
{
    char path[1024];
    char *s;
    size_t n;

    snprintf(path, sizeof(path), "%s/%s", g.fixture, name);
    s = read_file(path, NULL);
    if (s == NULL) {
        return -1;
    }
    n = strcspn(s, "\r\n");
    if (n == 0 || n >= outlen) {
        free(s);
        return -1;
    }
    memcpy(out, s, n);
    out[n] = '\0';
    free(s);
    return 0;
}

static void fx_path(char *out, size_t outlen, const char *name)
{
    snprintf(out, outlen, "%s/%s", g.fixture, name);
}

static void key_path(char *out, size_t outlen, const char *name, const char *ext)
{
    snprintf(out, outlen, "%s/%s%s", g.keys, name, ext);
}

/* ---- servers ----------------------------------------------------------- */

struct srv {
    pid_t pid;
    int fd;
    char log[1024];
};

/* Starts argv[0] with stdin/stdout on one end of a socketpair, stderr to errlog. */
static int spawn_inetd(char *const argv[], const char *errlog, pid_t *pid_out)
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
        int lf = open(errlog, O_WRONLY | O_CREAT | O_APPEND, 0644);
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

/* Waits for the server to exit (it does once we close); kills it after 5 s. */
static void reap(pid_t pid)
{
    int i;
    int st;

    if (pid <= 0) {
        return;
    }
    for (i = 0; i < 500; i++) {
        if (waitpid(pid, &st, WNOHANG) == pid) {
            return;
        }
        usleep(10000);
    }
    kill(pid, SIGKILL);
    waitpid(pid, &st, 0);
}

/* Log file name for a check label: DIR/logs/<label with '/' -> '_'>.log. */
static void log_name(char *out, size_t outlen, const char *label)
{
    char clean[256];
    size_t i;

    snprintf(clean, sizeof(clean), "%s", label);
    for (i = 0; clean[i] != '\0'; i++) {
        if (clean[i] == '/' || clean[i] == ' ') {
            clean[i] = '_';
        }
    }
    snprintf(out, outlen, "%s/logs/%s.log", g.fixture, clean);
}

/* Starts sshd -i (with extra "-o" options, NULL-terminated) or dropbear -i. */
static int srv_start(struct srv *sv, enum server_kind kind, const char *label,
                     const char *const *opts)
{
    char *argv[MAX_ARGS];
    char cfg[1024];
    char hk[1024];
    int n = 0;
    int i;

    memset(sv, 0, sizeof(*sv));
    sv->fd = -1;
    log_name(sv->log, sizeof(sv->log), label);
    unlink(sv->log);
    if (kind == SRV_SSHD) {
        fx_path(cfg, sizeof(cfg), "sshd_config");
        argv[n++] = g.sshd;
        argv[n++] = "-i";
        argv[n++] = "-f";
        argv[n++] = cfg;
        argv[n++] = "-E";
        argv[n++] = sv->log;
        for (i = 0; opts != NULL && opts[i] != NULL && n < MAX_ARGS - 3; i++) {
            argv[n++] = "-o";
            argv[n++] = (char *)opts[i];
        }
    } else {
        fx_path(hk, sizeof(hk), "db_hostkey_ed25519");
        argv[n++] = g.dropbear;
        argv[n++] = "-i";   /* logs to syslog: inetd mode refuses -E */
        argv[n++] = "-r";
        argv[n++] = hk;
    }
    argv[n] = NULL;
    sv->fd = spawn_inetd(argv, sv->log, &sv->pid);
    return sv->fd < 0 ? -1 : 0;
}

static void srv_stop(struct srv *sv)
{
    if (sv->fd >= 0) {
        close(sv->fd);
        sv->fd = -1;
    }
    reap(sv->pid);
    sv->pid = 0;
}

/* Whether the server log contains |needle| (read after the server exited). */
static int log_has(const struct srv *sv, const char *needle)
{
    char *s = read_file(sv->log, NULL);
    int found;

    if (s == NULL) {
        return 0;
    }
    found = strstr(s, needle) != NULL;
    free(s);
    return found;
}

/* ---- sessions ---------------------------------------------------------- */

struct conn {
    struct srv sv;
    LIBSSH2_SESSION *s;
    int nonblocking;
};

#define RC_TIMEOUT (-10000)

/* Waits until the socket is ready in the direction the library is blocked on. */
static int wait_io(struct conn *c)
{
    struct pollfd p;
    int dir = libssh2_session_block_directions(c->s);

    p.fd = c->sv.fd;
    p.events = 0;
    p.revents = 0;
    if ((dir & LIBSSH2_SESSION_BLOCK_INBOUND) != 0) {
        p.events |= POLLIN;
    }
    if ((dir & LIBSSH2_SESSION_BLOCK_OUTBOUND) != 0) {
        p.events |= POLLOUT;
    }
    if (p.events == 0) {
        p.events = POLLIN;
    }
    return poll(&p, 1, IO_TIMEOUT_MS) > 0 ? 0 : -1;
}

/* Runs |expr| until it stops returning EAGAIN (once in blocking mode). */
#define CALL(c, rc, expr)                         \
    do {                                          \
        for (;;) {                                \
            (rc) = (expr);                        \
            if ((rc) != LIBSSH2_ERROR_EAGAIN) {   \
                break;                            \
            }                                     \
            if (wait_io(c) != 0) {                \
                (rc) = RC_TIMEOUT;                \
                break;                            \
            }                                     \
        }                                         \
    } while (0)

static const char *err_text(LIBSSH2_SESSION *s)
{
    static char buf[512];
    char *msg = NULL;
    int len = 0;
    int err;

    if (s == NULL) {
        return "(no session)";
    }
    err = libssh2_session_last_error(s, &msg, &len, 0);
    snprintf(buf, sizeof(buf), "last_error %d \"%.*s\"", err, msg != NULL ? len : 0,
             msg != NULL ? msg : "");
    return buf;
}

/* Starts a server and does the handshake. |sign_algo| (may be NULL) goes to
 * LIBSSH2_METHOD_SIGN_ALGO. */
static int conn_open(struct conn *c, enum server_kind kind, const char *label,
                     const char *const *opts, const char *sign_algo, int nonblocking)
{
    int rc;

    memset(c, 0, sizeof(*c));
    c->sv.fd = -1;
    c->nonblocking = nonblocking;
    if (srv_start(&c->sv, kind, label, opts) != 0) {
        return -1;
    }
    c->s = libssh2_session_init();
    if (c->s == NULL) {
        failf("libssh2_session_init returned NULL");
        return -1;
    }
    libssh2_session_set_timeout(c->s, IO_TIMEOUT_MS);
    if (sign_algo != NULL) {
        rc = libssh2_session_method_pref(c->s, LIBSSH2_METHOD_SIGN_ALGO, sign_algo);
        if (rc != 0) {
            failf("method_pref(SIGN_ALGO, %s) = %d", sign_algo, rc);
            return -1;
        }
    }
    libssh2_session_set_blocking(c->s, nonblocking ? 0 : 1);
    CALL(c, rc, libssh2_session_handshake(c->s, c->sv.fd));
    if (rc != 0) {
        failf("handshake rc=%d (%s); server log %s", rc, err_text(c->s), c->sv.log);
        return -1;
    }
    return 0;
}

static void conn_close(struct conn *c)
{
    if (c->s != NULL) {
        libssh2_session_set_blocking(c->s, 1);
        libssh2_session_disconnect(c->s, "bye");
        libssh2_session_free(c->s);
        c->s = NULL;
    }
    srv_stop(&c->sv);
}

/* The "none" request: the method list must contain every name in |want|
 * (comma-separated). */
static int expect_methods(struct conn *c, const char *want)
{
    char *list;
    char copy[256];
    char *tok;
    char *save = NULL;

    for (;;) {
        list = libssh2_userauth_list(c->s, g.user, (unsigned int)strlen(g.user));
        if (list != NULL || libssh2_session_last_errno(c->s) != LIBSSH2_ERROR_EAGAIN) {
            break;
        }
        if (wait_io(c) != 0) {
            break;
        }
    }
    if (list == NULL) {
        failf("userauth_list returned NULL (%s)", err_text(c->s));
        return -1;
    }
    vlog("  methods: %s\n", list);
    snprintf(copy, sizeof(copy), "%s", want);
    for (tok = strtok_r(copy, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
        char pat[300];
        char lst[1024];
        snprintf(pat, sizeof(pat), ",%s,", tok);
        snprintf(lst, sizeof(lst), ",%s,", list);
        if (strstr(lst, pat) == NULL) {
            failf("method list \"%s\" lacks %s", list, tok);
            return -1;
        }
    }
    if (libssh2_userauth_authenticated(c->s) != 0) {
        failf("authenticated after the none request");
        return -1;
    }
    return 0;
}

/* Checks rc == |want| and the authenticated flag that goes with it. */
static int expect_rc(struct conn *c, int rc, int want, const char *what)
{
    int auth = libssh2_userauth_authenticated(c->s);

    if (rc != want) {
        failf("%s: rc=%d, expected %d (%s)", what, rc, want, err_text(c->s));
        return -1;
    }
    if (auth != (want == 0 ? 1 : 0)) {
        failf("%s: rc=%d but userauth_authenticated=%d", what, rc, auth);
        return -1;
    }
    return 0;
}

/* ---- check runner ------------------------------------------------------- */

typedef int (*check_fn)(const void *arg);

/* Runs |fn| in a child process. The child returns 0 (pass), SKIP_CODE with a
 * reason in |why|, or anything else for a failure with a reason in |why|. */
static void run_check(const char *label, check_fn fn, const void *arg)
{
    int pfd[2];
    pid_t pid;
    int st = 0;
    char reason[sizeof(why)];
    ssize_t n;
    size_t got = 0;
    time_t t0 = time(NULL);

    if (g.only != NULL && strstr(label, g.only) == NULL) {
        return;
    }
    if (pipe(pfd) != 0) {
        printf("FAIL %s: pipe: %s\n", label, strerror(errno));
        g.failed++;
        return;
    }
    fflush(stdout);
    fflush(stderr);
    pid = fork();
    if (pid < 0) {
        printf("FAIL %s: fork: %s\n", label, strerror(errno));
        g.failed++;
        close(pfd[0]);
        close(pfd[1]);
        return;
    }
    if (pid == 0) {
        int rc;
        close(pfd[0]);
        alarm(CHECK_TIMEOUT_S);
        why[0] = '\0';
        rc = fn(arg);
        if (rc != 0 && rc != SKIP_CODE && why[0] == '\0') {
            snprintf(why, sizeof(why), "failed (rc %d)", rc);
        }
        if (write(pfd[1], why, strlen(why)) < 0) {
            rc = 1;
        }
        close(pfd[1]);
        _exit(rc == 0 ? 0 : (rc == SKIP_CODE ? SKIP_CODE : 1));
    }
    close(pfd[1]);
    while (got < sizeof(reason) - 1 &&
           (n = read(pfd[0], reason + got, sizeof(reason) - 1 - got)) > 0) {
        got += (size_t)n;
    }
    reason[got] = '\0';
    close(pfd[0]);
    waitpid(pid, &st, 0);
    if (WIFSIGNALED(st)) {
        printf("FAIL %s: killed by signal %d%s\n", label, WTERMSIG(st),
               WTERMSIG(st) == SIGALRM ? " (timeout)" : "");
        g.failed++;
    } else if (WEXITSTATUS(st) == 0) {
        printf("PASS %s (%lds)\n", label, (long)(time(NULL) - t0));
        g.passed++;
    } else if (WEXITSTATUS(st) == SKIP_CODE) {
        printf("SKIP %s: %s\n", label, reason);
        g.skipped++;
    } else {
        printf("FAIL %s: %s\n", label, reason[0] != '\0' ? reason : "no reason given");
        g.failed++;
    }
    fflush(stdout);
}

/* ---- 1. password (sshd, PAM) --------------------------------------------- */

struct pw_arg {
    enum server_kind kind;
    int wrong_first;
    int nonblocking;
    int unknown_user;
};

static int pw_call(struct conn *c, const char *user, const char *pw)
{
    int rc;

    CALL(c, rc, libssh2_userauth_password_ex(c->s, user, (unsigned int)strlen(user), pw,
                                             (unsigned int)strlen(pw), NULL));
    return rc;
}

static int check_password(const void *argp)
{
    const struct pw_arg *a = argp;
    struct conn c;
    char label[128];
    int rc;
    int ret = 1;
    const char *methods = a->kind == SRV_SSHD ? "password,keyboard-interactive,publickey"
                                              : "password,publickey";

    snprintf(label, sizeof(label), "password-%d-%d-%d-%d", (int)a->kind, a->wrong_first,
             a->nonblocking, a->unknown_user);
    if (conn_open(&c, a->kind, label, NULL, NULL, a->nonblocking) != 0) {
        goto out;
    }
    if (a->unknown_user) {
        /* sshd does not allow a change of user name within a session, so this
         * check tries the unknown user only (twice: the session stays usable). */
        char nouser[96];
        snprintf(nouser, sizeof(nouser), "%s-nosuchuser", g.user);
        rc = pw_call(&c, nouser, g.password);
        if (expect_rc(&c, rc, LIBSSH2_ERROR_AUTHENTICATION_FAILED, "unknown user") != 0) {
            goto out;
        }
        rc = pw_call(&c, nouser, "");
        if (expect_rc(&c, rc, LIBSSH2_ERROR_AUTHENTICATION_FAILED, "unknown user") != 0) {
            goto out;
        }
        conn_close(&c);
        return 0;
    }
    if (expect_methods(&c, methods) != 0) {
        goto out;
    }
    if (a->wrong_first) {
        rc = pw_call(&c, g.user, "not-the-password");
        if (expect_rc(&c, rc, LIBSSH2_ERROR_AUTHENTICATION_FAILED, "wrong password") != 0) {
            goto out;
        }
        /* An empty password is refused too. */
        rc = pw_call(&c, g.user, "");
        if (expect_rc(&c, rc, LIBSSH2_ERROR_AUTHENTICATION_FAILED, "empty password") != 0) {
            goto out;
        }
    }
    rc = pw_call(&c, g.user, g.password);
    if (expect_rc(&c, rc, 0, "right password") != 0) {
        goto out;
    }
    ret = 0;
out:
    conn_close(&c);
    if (ret == 0 && a->kind == SRV_SSHD &&
        !log_has(&c.sv, "Accepted password for ")) {
        failf("sshd log %s lacks \"Accepted password for\"", c.sv.log);
        ret = 1;
    }
    return ret;
}

/* ---- 2. keyboard-interactive (sshd, PAM) --------------------------------- */

static struct {
    int calls;
    int bad_prompt;
    char first_prompt[128];
    int first_echo;
    int first_num;
    const char *answer;
} kbd;

static void kbd_cb(const char *name, int name_len, const char *instruction,
                   int instruction_len, int num_prompts,
                   const LIBSSH2_USERAUTH_KBDINT_PROMPT *prompts,
                   LIBSSH2_USERAUTH_KBDINT_RESPONSE *responses, void **abstract)
{
    int i;

    (void)name;
    (void)name_len;
    (void)instruction;
    (void)instruction_len;
    (void)abstract;
    if (kbd.calls == 0) {
        kbd.first_num = num_prompts;
        if (num_prompts >= 1) {
            size_t n = prompts[0].length < sizeof(kbd.first_prompt) - 1
                           ? prompts[0].length
                           : sizeof(kbd.first_prompt) - 1;
            memcpy(kbd.first_prompt, prompts[0].text, n);
            kbd.first_prompt[n] = '\0';
            kbd.first_echo = prompts[0].echo;
        }
    }
    kbd.calls++;
    vlog("  kbdint call %d: %d prompt(s)\n", kbd.calls, num_prompts);
    for (i = 0; i < num_prompts; i++) {
        size_t len = strlen(kbd.answer);
        if (prompts[i].text == NULL && prompts[i].length != 0) {
            kbd.bad_prompt = 1;
        }
        responses[i].text = malloc(len + 1);
        if (responses[i].text == NULL) {
            responses[i].length = 0;
            continue;
        }
        memcpy(responses[i].text, kbd.answer, len + 1);
        responses[i].length = (unsigned int)len;
    }
}

struct kbd_arg {
    int wrong_first;
    int nonblocking;
};

static int kbd_call(struct conn *c, const char *answer)
{
    int rc;

    kbd.answer = answer;
    CALL(c, rc, libssh2_userauth_keyboard_interactive_ex(c->s, g.user,
                                                         (unsigned int)strlen(g.user), kbd_cb));
    return rc;
}

static int kbd_expect_prompt(void)
{
    if (kbd.calls < 1) {
        failf("the response callback was never called");
        return -1;
    }
    if (kbd.first_num != 1 || strcmp(kbd.first_prompt, "Password: ") != 0 ||
        kbd.first_echo != 0 || kbd.bad_prompt) {
        failf("first INFO_REQUEST: %d prompt(s), prompt \"%s\" echo %d, expected one "
              "\"Password: \" with echo 0", kbd.first_num, kbd.first_prompt, kbd.first_echo);
        return -1;
    }
    return 0;
}

static int check_kbdint(const void *argp)
{
    const struct kbd_arg *a = argp;
    struct conn c;
    char label[64];
    int rc;
    int ret = 1;

    snprintf(label, sizeof(label), "kbdint-%d-%d", a->wrong_first, a->nonblocking);
    if (conn_open(&c, SRV_SSHD, label, NULL, NULL, a->nonblocking) != 0) {
        goto out;
    }
    if (expect_methods(&c, "keyboard-interactive") != 0) {
        goto out;
    }
    if (a->wrong_first) {
        memset(&kbd, 0, sizeof(kbd));
        rc = kbd_call(&c, "not-the-password");
        if (expect_rc(&c, rc, LIBSSH2_ERROR_AUTHENTICATION_FAILED, "wrong answer") != 0 ||
            kbd_expect_prompt() != 0) {
            goto out;
        }
    }
    memset(&kbd, 0, sizeof(kbd));
    rc = kbd_call(&c, g.password);
    if (expect_rc(&c, rc, 0, "right answer") != 0 || kbd_expect_prompt() != 0) {
        goto out;
    }
    ret = 0;
out:
    conn_close(&c);
    if (ret == 0 && !log_has(&c.sv, "Accepted keyboard-interactive/pam for ")) {
        failf("sshd log %s lacks \"Accepted keyboard-interactive/pam\"", c.sv.log);
        ret = 1;
    }
    return ret;
}

/* ---- 3. publickey -------------------------------------------------------- */

enum pk_mode { PK_FILE, PK_FILE_NOPUB, PK_MEM, PK_MEM_NOPUB };

static const char *const pk_mode_names[] = { "fromfile", "fromfile-nopub", "frommemory",
                                             "frommemory-nopub" };

/* One publickey attempt. |pub| and |priv| are paths; |pub| may be NULL. */
static int pk_call(struct conn *c, enum pk_mode mode, const char *pub, const char *priv,
                   const char *pass)
{
    int rc;

    if (mode == PK_FILE || mode == PK_FILE_NOPUB) {
        const char *p = mode == PK_FILE ? pub : NULL;
        CALL(c, rc, libssh2_userauth_publickey_fromfile_ex(c->s, g.user,
                                                           (unsigned int)strlen(g.user), p,
                                                           priv, pass));
    } else {
        size_t publen = 0;
        size_t privlen = 0;
        char *pubdata = NULL;
        char *privdata = read_file(priv, &privlen);
        if (mode == PK_MEM) {
            pubdata = read_file(pub, &publen);
        }
        if (privdata == NULL || (mode == PK_MEM && pubdata == NULL)) {
            failf("cannot read %s / %s", priv, pub);
            free(privdata);
            free(pubdata);
            return RC_TIMEOUT;
        }
        CALL(c, rc, libssh2_userauth_publickey_frommemory(c->s, g.user, strlen(g.user), pubdata,
                                                          publen, privdata, privlen, pass));
        free(privdata);
        free(pubdata);
    }
    return rc;
}

struct pk_arg {
    enum server_kind kind;
    char name[64];           /* key name in KEYDIR (or fixture file for certs) */
    int encrypted;
    enum pk_mode mode;
    int nonblocking;
    const char *sign_algo;   /* LIBSSH2_METHOD_SIGN_ALGO, or NULL */
    const char *server_opt;  /* one "-o" option for sshd, or NULL */
    const char *want_alg;    /* sshd log must show this signature algorithm */
};

static int is_rsa(const char *name)
{
    return strncmp(name, "rsa", 3) == 0;
}

/* sshd 9.x (DEBUG2) logs "userauth_pubkey: authenticated 1 pkalg <alg>" for the
 * signed request it accepted; older builds only "... pkalg <alg> ...". */
static int log_has_alg(const struct srv *sv, const char *alg)
{
    char pat[160];

    snprintf(pat, sizeof(pat), "authenticated 1 pkalg %s ", alg);
    if (log_has(sv, pat)) {
        return 1;
    }
    if (log_has(sv, "authenticated 1 pkalg ")) {
        return 0;
    }
    snprintf(pat, sizeof(pat), "pkalg %s ", alg);
    return log_has(sv, pat);
}

static int check_publickey(const void *argp)
{
    const struct pk_arg *a = argp;
    struct conn c;
    char label[160];
    char pub[1024];
    char priv[1024];
    const char *opts[2] = { a->server_opt, NULL };
    int rc;
    int ret = 1;

    snprintf(label, sizeof(label), "pk-%s-%s-%d-%d%s%s", a->kind == SRV_SSHD ? "sshd" : "db",
             a->name, (int)a->mode, a->nonblocking, a->sign_algo != NULL ? "-" : "",
             a->sign_algo != NULL ? a->sign_algo : "");
    key_path(pub, sizeof(pub), a->name, ".pub");
    key_path(priv, sizeof(priv), a->name, ".key");
    if (conn_open(&c, a->kind, label, opts, a->sign_algo, a->nonblocking) != 0) {
        goto out;
    }
    if (expect_methods(&c, "publickey") != 0) {
        goto out;
    }
    if (a->encrypted) {
        rc = pk_call(&c, a->mode, pub, priv, "wrong passphrase");
        if (expect_rc(&c, rc, LIBSSH2_ERROR_KEYFILE_AUTH_FAILED, "wrong passphrase") != 0) {
            goto out;
        }
        rc = pk_call(&c, a->mode, pub, priv, NULL);
        if (expect_rc(&c, rc, LIBSSH2_ERROR_KEYFILE_AUTH_FAILED, "no passphrase") != 0) {
            goto out;
        }
    }
    rc = pk_call(&c, a->mode, pub, priv, a->encrypted ? "test" : NULL);
    if (expect_rc(&c, rc, 0, pk_mode_names[a->mode]) != 0) {
        goto out;
    }
    ret = 0;
out:
    conn_close(&c);
    if (ret == 0 && a->kind == SRV_SSHD && !log_has(&c.sv, "Accepted publickey for ")) {
        failf("sshd log %s lacks \"Accepted publickey for\"", c.sv.log);
        ret = 1;
    }
    if (ret == 0 && a->want_alg != NULL && !log_has_alg(&c.sv, a->want_alg)) {
        failf("signature algorithm: sshd log %s does not show %s", c.sv.log, a->want_alg);
        ret = 1;
    }
    return ret;
}

/* A key the server does not accept: |pub|/|priv| are fixture files. Expects
 * |want| (and |want2| as an alternative when non-zero), then proves the session
 * still works by logging in with an authorized key (|then_key| in KEYDIR). */
struct refuse_arg {
    enum server_kind kind;
    const char *label;
    const char *pub;          /* fixture-relative, may be NULL */
    const char *priv;         /* fixture-relative */
    const char *sign_algo;
    const char *server_opt;
    int want;
    const char *then_key;     /* KEYDIR key name, or NULL */
    const char *then_pub;     /* fixture-relative cert to log in with afterwards */
    const char *then_priv;
};

static int check_refused(const void *argp)
{
    const struct refuse_arg *a = argp;
    struct conn c;
    char pub[1024];
    char priv[1024];
    const char *opts[2] = { a->server_opt, NULL };
    int rc;
    int ret = 1;

    if (conn_open(&c, a->kind, a->label, opts, a->sign_algo, 0) != 0) {
        goto out;
    }
    fx_path(pub, sizeof(pub), a->pub != NULL ? a->pub : "");
    fx_path(priv, sizeof(priv), a->priv);
    rc = pk_call(&c, a->pub != NULL ? PK_FILE : PK_FILE_NOPUB, pub, priv, NULL);
    if (expect_rc(&c, rc, a->want, "refused key") != 0) {
        goto out;
    }
    /* The same attempt from memory. */
    rc = pk_call(&c, a->pub != NULL ? PK_MEM : PK_MEM_NOPUB, pub, priv, NULL);
    if (expect_rc(&c, rc, a->want, "refused key (frommemory)") != 0) {
        goto out;
    }
    if (a->then_key != NULL) {
        key_path(pub, sizeof(pub), a->then_key, ".pub");
        key_path(priv, sizeof(priv), a->then_key, ".key");
        rc = pk_call(&c, PK_FILE, pub, priv, NULL);
        if (expect_rc(&c, rc, 0, "authorized key after a refused one") != 0) {
            goto out;
        }
    } else if (a->then_priv != NULL) {
        fx_path(pub, sizeof(pub), a->then_pub);
        fx_path(priv, sizeof(priv), a->then_priv);
        rc = pk_call(&c, PK_FILE, pub, priv, NULL);
        if (expect_rc(&c, rc, 0, "certificate after a refused one") != 0) {
            goto out;
        }
    }
    ret = 0;
out:
    conn_close(&c);
    return ret;
}

/* ---- 4. certificates ----------------------------------------------------- */

struct cert_arg {
    const char *name;       /* fixture key name: <name>, <name>-cert.pub */
    enum pk_mode mode;      /* PK_FILE or PK_MEM */
    const char *want_alg;
};

static int check_cert(const void *argp)
{
    const struct cert_arg *a = argp;
    struct conn c;
    char label[128];
    char pub[1024];
    char priv[1024];
    char tmp[128];
    char idpat[128];
    int rc;
    int ret = 1;

    snprintf(label, sizeof(label), "cert-%s-%d", a->name, (int)a->mode);
    snprintf(tmp, sizeof(tmp), "%s-cert.pub", a->name);
    fx_path(pub, sizeof(pub), tmp);
    fx_path(priv, sizeof(priv), a->name);
    if (conn_open(&c, SRV_SSHD, label, NULL, NULL, 0) != 0) {
        goto out;
    }
    rc = pk_call(&c, a->mode, pub, priv, NULL);
    if (expect_rc(&c, rc, 0, "certificate") != 0) {
        goto out;
    }
    ret = 0;
out:
    conn_close(&c);
    snprintf(idpat, sizeof(idpat), "ID s2-%s ", a->name);
    if (ret == 0 && (!log_has(&c.sv, "Accepted publickey for ") || !log_has(&c.sv, idpat))) {
        failf("sshd log %s lacks \"Accepted publickey\" with \"%s\"", c.sv.log, idpat);
        ret = 1;
    }
    if (ret == 0 && a->want_alg != NULL && !log_has_alg(&c.sv, a->want_alg)) {
        failf("signature algorithm: sshd log %s does not show %s", c.sv.log, a->want_alg);
        ret = 1;
    }
    return ret;
}

/* ---- 6. allocation-failure sweep ----------------------------------------- */

#ifdef S2_AUTH_SWEEP
struct sweep_report {
    int init_null;          /* session_init_ex returned NULL */
    int rc_handshake;
    int rc_auth;
    int authenticated;
    int rc_retry;           /* the same login again after a failed one (1: not tried) */
    unsigned long calls;
    unsigned long failures;
    size_t blocks;          /* left after session_free */
};

/* One run with the Nth allocation failing; the report goes to |fd|. */
static int sweep_auth(LIBSSH2_SESSION *s, int pubkey)
{
    char pub[1024];
    char priv[1024];

    if (pubkey) {
        key_path(pub, sizeof(pub), "ed25519_aes256ctr", ".pub");
        key_path(priv, sizeof(priv), "ed25519_aes256ctr", ".key");
        return libssh2_userauth_publickey_fromfile_ex(s, g.user, (unsigned int)strlen(g.user),
                                                      pub, priv, "test");
    }
    return libssh2_userauth_password_ex(s, g.user, (unsigned int)strlen(g.user), g.password,
                                        (unsigned int)strlen(g.password), NULL);
}

static void sweep_one(unsigned long n, int pubkey, int fd)
{
    struct fa_state st;
    struct sweep_report r;
    struct conn c;
    LIBSSH2_SESSION *s;

    memset(&r, 0, sizeof(r));
    memset(&c, 0, sizeof(c));
    c.sv.fd = -1;
    fa_init(&st, n);
    r.rc_handshake = 1;
    r.rc_auth = 1;
    r.rc_retry = 1;
    if (srv_start(&c.sv, SRV_SSHD, "sweep", NULL) != 0) {
        _exit(3);
    }
    s = libssh2_session_init_ex(fa_alloc, fa_free, fa_realloc, &st);
    if (s == NULL) {
        r.init_null = 1;
    } else {
        c.s = s;
        libssh2_session_set_timeout(s, IO_TIMEOUT_MS);
        r.rc_handshake = libssh2_session_handshake(s, c.sv.fd);
        if (r.rc_handshake == 0) {
            r.rc_auth = sweep_auth(s, pubkey);
            r.authenticated = libssh2_userauth_authenticated(s);
            if (r.rc_auth != 0) {
                /* The failed allocation is behind us: the session must still work
                 * (or report a clean error). */
                r.rc_retry = sweep_auth(s, pubkey);
            }
        }
        libssh2_session_disconnect(s, "bye");
        libssh2_session_free(s);
        c.s = NULL;
    }
    r.calls = st.calls;
    r.failures = st.failures;
    r.blocks = st.blocks;
    srv_stop(&c.sv);
    if (write(fd, &r, sizeof(r)) != (ssize_t)sizeof(r)) {
        _exit(4);
    }
    _exit(0);
}

/* Library return codes a failed allocation may legitimately surface as. */
static int clean_error(int rc)
{
    return rc < 0 && rc > -100;
}

static int run_sweep(int pubkey, unsigned long max_n)
{
    const char *what = pubkey ? "publickey" : "password";
    unsigned long retried_ok = 0;
    unsigned long n;
    unsigned long ok = 0;
    unsigned long errs = 0;
    int failed = 0;
    time_t t0 = time(NULL);
    char label[64];

    for (n = 1; n <= max_n; n++) {
        int pfd[2];
        pid_t pid;
        int st = 0;
        struct sweep_report r;
        ssize_t got;

        if (pipe(pfd) != 0) {
            printf("FAIL sweep/%s: pipe\n", what);
            return 1;
        }
        fflush(stdout);
        pid = fork();
        if (pid == 0) {
            close(pfd[0]);
            alarm(CHECK_TIMEOUT_S);
            sweep_one(n, pubkey, pfd[1]);
        }
        close(pfd[1]);
        memset(&r, 0, sizeof(r));
        got = read(pfd[0], &r, sizeof(r));
        close(pfd[0]);
        waitpid(pid, &st, 0);
        snprintf(label, sizeof(label), "sweep/%s/N=%lu", what, n);
        if (WIFSIGNALED(st)) {
            printf("FAIL %s: killed by signal %d%s\n", label, WTERMSIG(st),
                   WTERMSIG(st) == SIGALRM ? " (hang)" : "");
            failed++;
            continue;
        }
        if (WEXITSTATUS(st) != 0 || got != (ssize_t)sizeof(r)) {
            printf("FAIL %s: child exit %d (no report)\n", label, WEXITSTATUS(st));
            failed++;
            continue;
        }
        if (r.blocks != 0) {
            printf("FAIL %s: %zu block(s) leaked after session_free (handshake %d, auth %d)\n",
                   label, r.blocks, r.rc_handshake, r.rc_auth);
            failed++;
        } else if (r.init_null) {
            errs++;
        } else if (r.rc_handshake == 0 && r.rc_auth == 0 && r.authenticated == 1) {
            ok++;
        } else if (r.rc_handshake != 0 && clean_error(r.rc_handshake)) {
            errs++;
        } else if (r.rc_handshake == 0 && clean_error(r.rc_auth) && r.authenticated == 0 &&
                   (r.rc_retry == 0 || clean_error(r.rc_retry))) {
            errs++;
            retried_ok += r.rc_retry == 0 ? 1 : 0;
        } else {
            printf("FAIL %s: handshake %d, auth %d, authenticated %d, retry %d\n", label,
                   r.rc_handshake, r.rc_auth, r.authenticated, r.rc_retry);
            failed++;
        }
        if (g.verbose) {
            fprintf(stderr, "  N=%lu calls=%lu failures=%lu handshake=%d auth=%d retry=%d\n",
                    n, r.calls, r.failures, r.rc_handshake, r.rc_auth, r.rc_retry);
        }
        if (r.failures == 0) {
            /* The Nth allocation was never reached: the whole path was covered. */
            if (r.rc_handshake != 0 || r.rc_auth != 0) {
                printf("FAIL sweep/%s: the run without failures did not log in (handshake %d, "
                       "auth %d)\n", what, r.rc_handshake, r.rc_auth);
                failed++;
            }
            break;
        }
    }
    if (n > max_n) {
        printf("FAIL sweep/%s: still failing allocations at N=%lu (raise the limit)\n", what,
               max_n);
        failed++;
    }
    if (failed != 0) {
        printf("FAIL sweep/%s: %d run(s) failed\n", what, failed);
        return 1;
    }
    printf("PASS sweep/%s: N=1..%lu: %lu clean errors (%lu logged in on retry), %lu logins "
           "(%lds)\n", what, n, errs, retried_ok, ok, (long)(time(NULL) - t0));
    return 0;
}
#endif /* S2_AUTH_SWEEP */

/* ---- cases ---------------------------------------------------------------- */

struct keyent {
    char name[64];
    int enc;
};

static int load_keys(struct keyent *k, int max)
{
    char path[1024];
    char *s;
    char *line;
    char *save = NULL;
    int n = 0;

    fx_path(path, sizeof(path), "keys.list");
    s = read_file(path, NULL);
    if (s == NULL) {
        return -1;
    }
    for (line = strtok_r(s, "\n", &save); line != NULL && n < max;
         line = strtok_r(NULL, "\n", &save)) {
        char name[64];
        int enc;
        if (sscanf(line, "%63s %d", name, &enc) == 2) {
            snprintf(k[n].name, sizeof(k[n].name), "%s", name);
            k[n].enc = enc;
            n++;
        }
    }
    free(s);
    return n;
}

static void case_password(void)
{
    static const struct pw_arg a_ok = { SRV_SSHD, 0, 0, 0 };
    static const struct pw_arg a_wrong = { SRV_SSHD, 1, 0, 0 };
    static const struct pw_arg a_nouser = { SRV_SSHD, 0, 0, 1 };
    static const struct pw_arg a_nb = { SRV_SSHD, 1, 1, 0 };

    run_check("password/sshd/right", check_password, &a_ok);
    run_check("password/sshd/wrong-then-right", check_password, &a_wrong);
    run_check("password/sshd/unknown-user", check_password, &a_nouser);
    run_check("password/sshd/nonblocking-wrong-then-right", check_password, &a_nb);
}

static void case_kbdint(void)
{
    static const struct kbd_arg a_ok = { 0, 0 };
    static const struct kbd_arg a_wrong = { 1, 0 };
    static const struct kbd_arg a_nb = { 1, 1 };

    run_check("kbdint/sshd/right", check_kbdint, &a_ok);
    run_check("kbdint/sshd/wrong-then-right", check_kbdint, &a_wrong);
    run_check("kbdint/sshd/nonblocking-wrong-then-right", check_kbdint, &a_nb);
}

static void case_publickey(void)
{
    struct keyent keys[MAX_KEYS];
    int nkeys = load_keys(keys, MAX_KEYS);
    int i;
    int m;
    char label[192];

    if (nkeys <= 0) {
        printf("FAIL publickey: no keys in %s/keys.list\n", g.fixture);
        g.failed++;
        return;
    }
    for (i = 0; i < nkeys; i++) {
        for (m = PK_FILE; m <= PK_MEM_NOPUB; m++) {
            struct pk_arg a;
            memset(&a, 0, sizeof(a));
            a.kind = SRV_SSHD;
            snprintf(a.name, sizeof(a.name), "%s", keys[i].name);
            a.encrypted = keys[i].enc;
            a.mode = (enum pk_mode)m;
            a.want_alg = is_rsa(keys[i].name) ? "rsa-sha2-512" : NULL;
            snprintf(label, sizeof(label), "publickey/sshd/%s/%s", keys[i].name,
                     pk_mode_names[m]);
            run_check(label, check_publickey, &a);
        }
    }
    {
        /* Non-blocking, and the RSA algorithm choices. */
        struct pk_arg a;
        memset(&a, 0, sizeof(a));
        a.kind = SRV_SSHD;
        snprintf(a.name, sizeof(a.name), "ed25519_aes256ctr");
        a.encrypted = 1;
        a.mode = PK_FILE;
        a.nonblocking = 1;
        run_check("publickey/sshd/ed25519_aes256ctr/nonblocking", check_publickey, &a);

        memset(&a, 0, sizeof(a));
        a.kind = SRV_SSHD;
        snprintf(a.name, sizeof(a.name), "rsa2048");
        a.mode = PK_FILE;
        a.nonblocking = 1;
        a.want_alg = "rsa-sha2-512";
        run_check("publickey/sshd/rsa2048/nonblocking", check_publickey, &a);

        a.nonblocking = 0;
        a.sign_algo = "ssh-rsa";
        a.server_opt = "PubkeyAcceptedAlgorithms=+ssh-rsa";
        a.want_alg = "ssh-rsa";
        run_check("publickey/sshd/rsa2048/sign-algo-ssh-rsa", check_publickey, &a);

        a.sign_algo = "rsa-sha2-256";
        a.server_opt = NULL;
        a.want_alg = "rsa-sha2-256";
        run_check("publickey/sshd/rsa2048/sign-algo-rsa-sha2-256", check_publickey, &a);

        snprintf(a.name, sizeof(a.name), "rsa2048_pem_aes256");
        a.encrypted = 1;
        a.mode = PK_MEM;
        a.sign_algo = "ssh-rsa";
        a.server_opt = "PubkeyAcceptedAlgorithms=+ssh-rsa";
        a.want_alg = "ssh-rsa";
        run_check("publickey/sshd/rsa2048_pem_aes256/frommemory-sign-algo-ssh-rsa",
                  check_publickey, &a);
    }
    {
        static const struct refuse_arg r_ed = {
            SRV_SSHD, "refused-unauth-ed25519", "unauth_ed25519.pub", "unauth_ed25519", NULL,
            NULL, LIBSSH2_ERROR_AUTHENTICATION_FAILED, "ed25519", NULL, NULL,
        };
        static const struct refuse_arg r_rsa = {
            SRV_SSHD, "refused-unauth-rsa", "unauth_rsa.pub", "unauth_rsa", NULL,
            NULL, LIBSSH2_ERROR_AUTHENTICATION_FAILED, "rsa2048", NULL, NULL,
        };
        static const struct refuse_arg r_nopub = {
            SRV_SSHD, "refused-unauth-nopub", NULL, "unauth_ed25519", NULL,
            NULL, LIBSSH2_ERROR_AUTHENTICATION_FAILED, "ecdsa256", NULL, NULL,
        };
        run_check("publickey/sshd/unauthorized-ed25519-then-authorized", check_refused, &r_ed);
        run_check("publickey/sshd/unauthorized-rsa-then-authorized", check_refused, &r_rsa);
        run_check("publickey/sshd/unauthorized-nopub-then-authorized", check_refused,
                  &r_nopub);
    }
}

/* ssh-rsa requested while sshd refuses SHA-1 signatures: the server answers
 * USERAUTH_FAILURE, so AUTHENTICATION_FAILED. */
static int check_ssh_rsa_refused(const void *argp)
{
    struct conn c;
    char pub[1024];
    char priv[1024];
    int rc;
    int ret = 1;

    (void)argp;
    if (conn_open(&c, SRV_SSHD, "pk-ssh-rsa-refused", NULL, "ssh-rsa", 0) != 0) {
        goto out;
    }
    key_path(pub, sizeof(pub), "rsa2048", ".pub");
    key_path(priv, sizeof(priv), "rsa2048", ".key");
    rc = pk_call(&c, PK_FILE, pub, priv, NULL);
    if (expect_rc(&c, rc, LIBSSH2_ERROR_AUTHENTICATION_FAILED,
                  "ssh-rsa against sshd without +ssh-rsa") != 0) {
        goto out;
    }
    ret = 0;
out:
    conn_close(&c);
    return ret;
}

static void case_cert(void)
{
    static const struct cert_arg c_ed = { "cert_ed25519", PK_FILE,
                                          "ssh-ed25519-cert-v01@openssh.com" };
    static const struct cert_arg c_ed_mem = { "cert_ed25519", PK_MEM, NULL };
    static const struct cert_arg c_rsa = { "cert_rsa", PK_FILE,
                                           "rsa-sha2-512-cert-v01@openssh.com" };
    static const struct cert_arg c_rsa_mem = { "cert_rsa", PK_MEM, NULL };
    static const struct cert_arg c_ec = { "cert_ecdsa256", PK_FILE, NULL };
    static const struct refuse_arg r_other = {
        SRV_SSHD, "cert-other-principal", "cert_other-cert.pub", "cert_other", NULL, NULL,
        LIBSSH2_ERROR_AUTHENTICATION_FAILED, NULL, "cert_ed25519-cert.pub", "cert_ed25519",
    };
    static const struct refuse_arg r_expired = {
        SRV_SSHD, "cert-expired", "cert_expired-cert.pub", "cert_expired", NULL, NULL,
        LIBSSH2_ERROR_AUTHENTICATION_FAILED, NULL, "cert_rsa-cert.pub", "cert_rsa",
    };
    static const struct refuse_arg r_bare = {
        SRV_SSHD, "cert-bare-key", "cert_ed25519.pub", "cert_ed25519", NULL, NULL,
        LIBSSH2_ERROR_AUTHENTICATION_FAILED, NULL, "cert_ed25519-cert.pub", "cert_ed25519",
    };

    run_check("cert/sshd/ed25519/fromfile", check_cert, &c_ed);
    run_check("cert/sshd/ed25519/frommemory", check_cert, &c_ed_mem);
    run_check("cert/sshd/rsa/fromfile", check_cert, &c_rsa);
    run_check("cert/sshd/rsa/frommemory", check_cert, &c_rsa_mem);
    run_check("cert/sshd/ecdsa256/fromfile", check_cert, &c_ec);
    run_check("cert/sshd/wrong-principal-refused", check_refused, &r_other);
    run_check("cert/sshd/expired-refused", check_refused, &r_expired);
    run_check("cert/sshd/bare-key-refused", check_refused, &r_bare);
}

static void case_dropbear(void)
{
    static const struct pw_arg p_ok = { SRV_DROPBEAR, 0, 0, 0 };
    static const struct pw_arg p_wrong = { SRV_DROPBEAR, 1, 0, 0 };
    static const struct pw_arg p_nb = { SRV_DROPBEAR, 1, 1, 0 };
    static const struct refuse_arg r_ed = {
        SRV_DROPBEAR, "db-refused-unauth-ed25519", "unauth_ed25519.pub", "unauth_ed25519",
        NULL, NULL, LIBSSH2_ERROR_AUTHENTICATION_FAILED, "ed25519", NULL, NULL,
    };
    static const char *const keys[][2] = {
        { "ed25519", "0" }, { "ed25519_chacha", "1" }, { "ecdsa256", "0" },
        { "ecdsa384_pem_des3", "1" }, { "ecdsa521_pkcs8_aes128", "1" }, { "rsa2048", "0" },
        { "rsa3072", "0" }, { "rsa2048_pkcs8_aes256", "1" },
    };
    size_t i;
    char label[160];

    if (g.dropbear[0] == '\0') {
        printf("SKIP dropbear: not installed\n");
        g.skipped++;
        return;
    }
    run_check("dropbear/password/right", check_password, &p_ok);
    run_check("dropbear/password/wrong-then-right", check_password, &p_wrong);
    run_check("dropbear/password/nonblocking-wrong-then-right", check_password, &p_nb);
    for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        struct pk_arg a;
        int m;
        for (m = PK_FILE; m <= PK_MEM; m += 2) {
            memset(&a, 0, sizeof(a));
            a.kind = SRV_DROPBEAR;
            snprintf(a.name, sizeof(a.name), "%s", keys[i][0]);
            a.encrypted = keys[i][1][0] == '1';
            a.mode = (enum pk_mode)m;
            snprintf(label, sizeof(label), "dropbear/publickey/%s/%s", keys[i][0],
                     pk_mode_names[m]);
            run_check(label, check_publickey, &a);
        }
    }
    run_check("dropbear/publickey/unauthorized-then-authorized", check_refused, &r_ed);
}

/* ---- 7. hostbased --------------------------------------------------------- */

struct hb_arg {
    const char *key;    /* fixture host key file (and .pub) */
    const char *host;   /* client host name sent */
    const char *luser;  /* client user name sent */
    int want;           /* expected rc */
    int nonblocking;
    const char *want_alg; /* signature algorithm sshd must log, or NULL */
};

static int check_hostbased(const void *argp)
{
    static const char *const opts[] = { "HostbasedAuthentication=yes", "IgnoreRhosts=no",
                                        "HostbasedUsesNameFromPacketOnly=yes", NULL };
    const struct hb_arg *a = argp;
    struct conn c;
    char pub[1024];
    char priv[1024];
    char tmp[128];
    int rc;
    int ret = 1;

    snprintf(tmp, sizeof(tmp), "%s.pub", a->key);
    fx_path(pub, sizeof(pub), tmp);
    fx_path(priv, sizeof(priv), a->key);
    if (conn_open(&c, SRV_SSHD, "hostbased", opts, NULL, a->nonblocking) != 0) {
        goto out;
    }
    if (expect_methods(&c, "hostbased") != 0) {
        goto out;
    }
    CALL(&c, rc, libssh2_userauth_hostbased_fromfile_ex(
                     c.s, g.user, (unsigned int)strlen(g.user), pub, priv, NULL, a->host,
                     (unsigned int)strlen(a->host), a->luser, (unsigned int)strlen(a->luser)));
    if (expect_rc(&c, rc, a->want, "hostbased") != 0) {
        goto out;
    }
    if (a->want != 0) {
        /* the failure leaves the session usable: publickey must still work */
        snprintf(tmp, sizeof(tmp), "%s/ed25519.pub", g.keys);
        snprintf(pub, sizeof(pub), "%s", tmp);
        snprintf(tmp, sizeof(tmp), "%s/ed25519.key", g.keys);
        CALL(&c, rc, libssh2_userauth_publickey_fromfile_ex(
                         c.s, g.user, (unsigned int)strlen(g.user), pub, tmp, NULL));
        if (expect_rc(&c, rc, 0, "publickey after refused hostbased") != 0) {
            goto out;
        }
    }
    ret = 0;
out:
    conn_close(&c);
    if (ret == 0 && a->want == 0 && !log_has(&c.sv, "Accepted hostbased for ")) {
        failf("sshd log %s lacks \"Accepted hostbased for\"", c.sv.log);
        ret = 1;
    }
    if (ret == 0 && a->want_alg != NULL && !log_has_alg(&c.sv, a->want_alg)) {
        failf("signature algorithm: sshd log %s does not show %s", c.sv.log, a->want_alg);
        ret = 1;
    }
    return ret;
}

static void case_hostbased(void)
{
    static const char host[] = "client.s2test.invalid";
    static const struct hb_arg ed = { "hb_ed25519", host, "s2local", 0, 0, "ssh-ed25519" };
    static const struct hb_arg ed_nb = { "hb_ed25519", host, "s2local", 0, 1, NULL };
    static const struct hb_arg rsa = { "hb_rsa", host, "s2local", 0, 0, "rsa-sha2-512" };
    static const struct hb_arg unknown = { "hb_unknown", host, "s2local",
                                           LIBSSH2_ERROR_PUBLICKEY_UNVERIFIED, 0, NULL };
    static const struct hb_arg other_host = { "hb_ed25519", "other.s2test.invalid", "s2local",
                                              LIBSSH2_ERROR_PUBLICKEY_UNVERIFIED, 0, NULL };
    static const struct hb_arg other_user = { "hb_ed25519", host, "mallory",
                                              LIBSSH2_ERROR_PUBLICKEY_UNVERIFIED, 1, NULL };

    run_check("hostbased/sshd/ed25519", check_hostbased, &ed);
    run_check("hostbased/sshd/ed25519/nonblocking", check_hostbased, &ed_nb);
    run_check("hostbased/sshd/rsa", check_hostbased, &rsa);
    run_check("hostbased/sshd/unknown-host-key-refused", check_hostbased, &unknown);
    run_check("hostbased/sshd/untrusted-host-refused", check_hostbased, &other_host);
    run_check("hostbased/sshd/untrusted-local-user-refused", check_hostbased, &other_user);
}

static void usage(void)
{
    fprintf(stderr, "usage: test_auth --fixture DIR --keys KEYDIR --case "
                    "password|kbdint|publickey|cert|hostbased|dropbear|sweep [--only SUBSTR] "
                    "[--verbose]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    const char *cs = NULL;
    char path[1024];
    char reason[256];
    int i;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--fixture") == 0 && i + 1 < argc) {
            g.fixture = argv[++i];
        } else if (strcmp(argv[i], "--keys") == 0 && i + 1 < argc) {
            g.keys = argv[++i];
        } else if (strcmp(argv[i], "--case") == 0 && i + 1 < argc) {
            cs = argv[++i];
        } else if (strcmp(argv[i], "--only") == 0 && i + 1 < argc) {
            g.only = argv[++i];
        } else if (strcmp(argv[i], "--verbose") == 0) {
            g.verbose = 1;
        } else {
            usage();
        }
    }
    if (g.fixture == NULL || g.keys == NULL || cs == NULL) {
        usage();
    }
    signal(SIGPIPE, SIG_IGN);
    setvbuf(stdout, NULL, _IOLBF, 0);

    if (read_line("skip", reason, sizeof(reason)) == 0) {
        printf("SKIP %s: %s\n", cs, reason);
        return SKIP_CODE;
    }
    if (geteuid() != 0) {
        printf("SKIP %s: not root (sshd -i must run as root)\n", cs);
        return SKIP_CODE;
    }
    if (read_line("user", g.user, sizeof(g.user)) != 0 ||
        read_line("password", g.password, sizeof(g.password)) != 0) {
        printf("SKIP %s: fixture %s has no test user (auth_fixture.sh setup not run)\n", cs,
               g.fixture);
        return SKIP_CODE;
    }
    if (read_line("sshd_bin", g.sshd, sizeof(g.sshd)) != 0) {
        g.sshd[0] = '\0';
    }
    if (read_line("dropbear_bin", g.dropbear, sizeof(g.dropbear)) != 0) {
        g.dropbear[0] = '\0';
    }
    fx_path(path, sizeof(path), "logs");
    mkdir(path, 0755);
    mkdir("/run/sshd", 0755);
    if (libssh2_init(0) != 0) {
        printf("FAIL %s: libssh2_init\n", cs);
        return 1;
    }

    if (strcmp(cs, "dropbear") != 0 && g.sshd[0] == '\0') {
        printf("SKIP %s: sshd not installed\n", cs);
        return SKIP_CODE;
    }
    if (strcmp(cs, "password") == 0) {
        case_password();
    } else if (strcmp(cs, "kbdint") == 0) {
        case_kbdint();
    } else if (strcmp(cs, "publickey") == 0) {
        case_publickey();
        run_check("publickey/sshd/rsa2048/sign-algo-ssh-rsa-refused-by-server",
                  check_ssh_rsa_refused, NULL);
    } else if (strcmp(cs, "cert") == 0) {
        case_cert();
    } else if (strcmp(cs, "hostbased") == 0) {
        case_hostbased();
    } else if (strcmp(cs, "dropbear") == 0) {
        case_dropbear();
    } else if (strcmp(cs, "sweep") == 0) {
#ifdef S2_AUTH_SWEEP
        int rc = run_sweep(0, 20000);
        rc |= run_sweep(1, 20000);
        libssh2_exit();
        return rc;
#else
        printf("SKIP sweep: built without failalloc (use integration_test_auth_sweep)\n");
        return SKIP_CODE;
#endif
    } else {
        usage();
    }
    libssh2_exit();
    printf("%s: %d passed, %d failed, %d skipped\n", cs, g.passed, g.failed, g.skipped);
    if (g.failed != 0) {
        return 1;
    }
    return g.passed == 0 ? SKIP_CODE : 0;
}
