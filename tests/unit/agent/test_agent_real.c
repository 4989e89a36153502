/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_agent_real.c: the agent client against a real OpenSSH ssh-agent
 * started by the test ("ssh-agent -a SOCK", killed at the end), holding
 * keys of every type made with ssh-keygen in a temp dir (ed25519, ECDSA
 * P-256/384/521, RSA 3072):
 *  - list_identities returns them all, with their comments;
 *  - libssh2_agent_sign signs with each (RSA with rsa-sha2-256,
 *    rsa-sha2-512 and ssh-rsa), and each signature verifies with
 *    s2_pubkey_parse + s2_pubkey_verify; a flipped data or signature byte
 *    does not; a key deleted from the agent gives AGENT_PROTOCOL;
 *  - libssh2_agent_userauth logs in as root to OpenSSH sshd, run in inetd
 *    mode ("sshd -i") over a socketpair with an AuthorizedKeysFile in the
 *    temp dir, with every key type, blocking and non-blocking; a key the
 *    server does not accept fails and leaves the session usable.
 * Exits 77 when ssh-agent, ssh-add or ssh-keygen is missing; the sshd tests
 * skip when sshd is missing or the test is not root.
 */
#include <errno.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "agent/agent.h"
#include "keys/keys.h"
#include "libssh2.h"

#define SSHD "/usr/sbin/sshd"

struct key {
    const char *file;   /* under the temp dir */
    const char *keygen; /* ssh-keygen type arguments */
    const char *type;   /* blob type name */
    enum s2_key_type kt;
    int authorized; /* listed in authorized_keys */
};

static const struct key KEYS[] = {
    {"id_ed25519", "-t ed25519", "ssh-ed25519", S2_KEY_ED25519, 1},
    {"id_p256", "-t ecdsa -b 256", "ecdsa-sha2-nistp256", S2_KEY_ECDSA_P256, 1},
    {"id_p384", "-t ecdsa -b 384", "ecdsa-sha2-nistp384", S2_KEY_ECDSA_P384, 1},
    {"id_p521", "-t ecdsa -b 521", "ecdsa-sha2-nistp521", S2_KEY_ECDSA_P521, 1},
    {"id_rsa", "-t rsa -b 3072", "ssh-rsa", S2_KEY_RSA, 1},
    {"id_stranger", "-t ed25519", "ssh-ed25519", S2_KEY_ED25519, 0},
};
#define NKEYS (sizeof KEYS / sizeof KEYS[0])

static char g_dir[64];
static char g_sock[128];
static pid_t g_agent_pid = -1;

static int
have(const char *prog)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", prog);
    return system(cmd) == 0;
}

static int
run(const char *fmt, ...)
{
    char cmd[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    return system(cmd);
}

static void
comment_of(size_t i, char *out, size_t n)
{
    snprintf(out, n, "s2 agent test %s", KEYS[i].file);
}

static int
setup_agent(void **state)
{
    char line[256];
    FILE *p;
    size_t i;
    (void)state;
    strcpy(g_dir, "/tmp/s2agentreal.XXXXXX");
    if (mkdtemp(g_dir) == NULL) {
        return -1;
    }
    snprintf(g_sock, sizeof g_sock, "%s/agent.sock", g_dir);
    for (i = 0; i < NKEYS; i++) {
        char comment[128];
        comment_of(i, comment, sizeof comment);
        if (run("ssh-keygen -q %s -N '' -C '%s' -f %s/%s </dev/null >/dev/null", KEYS[i].keygen,
                comment, g_dir, KEYS[i].file) != 0) {
            return -1;
        }
    }
    snprintf(line, sizeof line, "ssh-agent -s -a %s", g_sock);
    p = popen(line, "r");
    if (p == NULL) {
        return -1;
    }
    while (fgets(line, sizeof line, p) != NULL) {
        char *q = strstr(line, "SSH_AGENT_PID=");
        if (q != NULL) {
            g_agent_pid = (pid_t)atol(q + strlen("SSH_AGENT_PID="));
        }
    }
    pclose(p);
    if (g_agent_pid <= 0) {
        return -1;
    }
    for (i = 0; i < NKEYS; i++) {
        if (run("SSH_AUTH_SOCK=%s ssh-add -q %s/%s </dev/null >/dev/null 2>&1", g_sock, g_dir,
                KEYS[i].file) != 0) {
            return -1;
        }
    }
    return 0;
}

static int
teardown_agent(void **state)
{
    (void)state;
    if (g_agent_pid > 0) {
        kill(g_agent_pid, SIGTERM);
        g_agent_pid = -1;
    }
    if (g_dir[0] != '\0') {
        run("rm -rf %s", g_dir);
    }
    return 0;
}

/* Opens a session (no handshake) with a connected agent that has listed. */
static LIBSSH2_AGENT *
open_agent(LIBSSH2_SESSION **out_s)
{
    LIBSSH2_SESSION *s = libssh2_session_init();
    LIBSSH2_AGENT *agent;
    assert_non_null(s);
    agent = libssh2_agent_init(s);
    assert_non_null(agent);
    libssh2_agent_set_identity_path(agent, g_sock);
    assert_int_equal(libssh2_agent_connect(agent), 0);
    assert_int_equal(libssh2_agent_list_identities(agent), 0);
    *out_s = s;
    return agent;
}

static void
close_agent(LIBSSH2_SESSION *s, LIBSSH2_AGENT *agent)
{
    assert_int_equal(libssh2_agent_disconnect(agent), 0);
    libssh2_agent_free(agent);
    libssh2_session_free(s);
}

/* The identity with the comment of KEYS[i], or NULL. */
static struct libssh2_agent_publickey *
find_id(LIBSSH2_AGENT *agent, size_t i)
{
    struct libssh2_agent_publickey *id = NULL, *prev = NULL;
    char comment[128];
    comment_of(i, comment, sizeof comment);
    while (libssh2_agent_get_identity(agent, &id, prev) == 0) {
        if (strcmp(id->comment, comment) == 0) {
            return id;
        }
        prev = id;
    }
    return NULL;
}

static void
test_list_all(void **state)
{
    LIBSSH2_SESSION *s;
    LIBSSH2_AGENT *agent = open_agent(&s);
    struct libssh2_agent_publickey *id = NULL, *prev = NULL;
    size_t i, n = 0;
    (void)state;
    while (libssh2_agent_get_identity(agent, &id, prev) == 0) {
        prev = id;
        n++;
    }
    assert_int_equal(n, NKEYS);
    for (i = 0; i < NKEYS; i++) {
        struct s2_pubkey k;
        id = find_id(agent, i);
        assert_non_null(id);
        assert_int_equal(s2_pubkey_parse(id->blob, id->blob_len, &k), 0);
        assert_int_equal(k.type, KEYS[i].kt);
        assert_true(s2_rd_eq(&k.name, KEYS[i].type));
    }
    close_agent(s, agent);
}

/* Signs |data| with |id| under |method| and verifies the result. */
static void
sign_and_verify(LIBSSH2_SESSION *s, LIBSSH2_AGENT *agent, struct libssh2_agent_publickey *id,
                const char *method)
{
    static const unsigned char data[] = "ssh2core agent test: data to be signed";
    unsigned char *sig = NULL;
    size_t sig_len = 0;
    struct s2_pubkey k;
    struct s2_allocator a;
    struct s2_wr blob;
    const struct s2_sig_alg *alg = s2_sig_alg_find(method, strlen(method));
    uint8_t bad[sizeof data];

    assert_non_null(alg);
    assert_int_equal(libssh2_agent_sign(agent, id, &sig, &sig_len, data, sizeof data - 1, method,
                                        (unsigned int)strlen(method)),
                     0);
    assert_non_null(sig);
    assert_true(sig_len > 0);
    s2_allocator_default(&a, NULL);
    s2_wr_dyn(&blob, &a, 1u << 16);
    s2_wr_cstr(&blob, method); /* libssh2_agent_sign returns the bare signature */
    s2_wr_str(&blob, sig, sig_len);
    assert_int_equal(s2_wr_ok(&blob), 0);
    assert_int_equal(s2_pubkey_parse(id->blob, id->blob_len, &k), 0);
    assert_int_equal(s2_pubkey_verify(&k, alg, blob.p, blob.len, data, sizeof data - 1), 0);
    /* a flipped data byte, a flipped signature byte */
    memcpy(bad, data, sizeof data);
    bad[3] ^= 1;
    assert_int_not_equal(s2_pubkey_verify(&k, alg, blob.p, blob.len, bad, sizeof data - 1), 0);
    blob.p[blob.len - 1] ^= 0x40;
    assert_int_not_equal(s2_pubkey_verify(&k, alg, blob.p, blob.len, data, sizeof data - 1), 0);
    s2_wr_free(&blob);
    libssh2_free(s, sig);
}

static void
test_sign_all(void **state)
{
    LIBSSH2_SESSION *s;
    LIBSSH2_AGENT *agent = open_agent(&s);
    size_t i;
    (void)state;
    for (i = 0; i < NKEYS; i++) {
        struct libssh2_agent_publickey *id = find_id(agent, i);
        assert_non_null(id);
        if (KEYS[i].kt == S2_KEY_RSA) {
            sign_and_verify(s, agent, id, "rsa-sha2-256");
            sign_and_verify(s, agent, id, "rsa-sha2-512");
            sign_and_verify(s, agent, id, "ssh-rsa");
        } else {
            sign_and_verify(s, agent, id, KEYS[i].type);
        }
    }
    close_agent(s, agent);
}

/* A key the agent no longer holds: the agent answers FAILURE. */
static void
test_sign_deleted_key(void **state)
{
    LIBSSH2_SESSION *s;
    LIBSSH2_AGENT *agent;
    struct libssh2_agent_publickey *id, copy;
    unsigned char *sig = NULL;
    size_t sig_len = 0;
    (void)state;
    assert_int_equal(run("ssh-keygen -q -t ed25519 -N '' -C gone -f %s/id_gone </dev/null "
                         ">/dev/null && SSH_AUTH_SOCK=%s ssh-add -q %s/id_gone 2>/dev/null",
                         g_dir, g_sock, g_dir),
                     0);
    agent = open_agent(&s);
    id = NULL;
    {
        struct libssh2_agent_publickey *prev = NULL, *cur = NULL;
        while (libssh2_agent_get_identity(agent, &cur, prev) == 0) {
            if (strcmp(cur->comment, "gone") == 0) {
                id = cur;
            }
            prev = cur;
        }
    }
    assert_non_null(id);
    copy = *id;
    assert_int_equal(
        run("SSH_AUTH_SOCK=%s ssh-add -q -d %s/id_gone.pub 2>/dev/null", g_sock, g_dir), 0);
    assert_int_equal(libssh2_agent_sign(agent, &copy, &sig, &sig_len, (const unsigned char *)"x", 1,
                                        "ssh-ed25519", 11),
                     LIBSSH2_ERROR_AGENT_PROTOCOL);
    assert_null(sig);
    /* the connection stays usable after a refusal */
    assert_int_equal(libssh2_agent_list_identities(agent), 0);
    close_agent(s, agent);
}

/* ---- userauth against sshd -i ---- */

static int
sshd_usable(void)
{
    struct stat st;
    if (access(SSHD, X_OK) != 0 || geteuid() != 0) {
        return 0;
    }
    if (stat("/run/sshd", &st) != 0 && mkdir("/run/sshd", 0755) != 0) {
        return 0;
    }
    return 1;
}

static void
write_sshd_files(void)
{
    char path[256];
    FILE *f;
    size_t i;
    snprintf(path, sizeof path, "%s/hostkey", g_dir);
    if (access(path, R_OK) == 0) {
        return;
    }
    assert_int_equal(run("ssh-keygen -q -t ed25519 -N '' -f %s </dev/null >/dev/null", path), 0);
    snprintf(path, sizeof path, "%s/authorized_keys", g_dir);
    f = fopen(path, "w");
    assert_non_null(f);
    fclose(f);
    for (i = 0; i < NKEYS; i++) {
        if (KEYS[i].authorized) {
            assert_int_equal(run("cat %s/%s.pub >> %s", g_dir, KEYS[i].file, path), 0);
        }
    }
    snprintf(path, sizeof path, "%s/sshd_config", g_dir);
    f = fopen(path, "w");
    assert_non_null(f);
    fprintf(f,
            "HostKey %s/hostkey\n"
            "AuthorizedKeysFile %s/authorized_keys\n"
            "PermitRootLogin yes\n"
            "StrictModes no\n"
            "UsePAM no\n"
            "PubkeyAuthentication yes\n"
            "PasswordAuthentication no\n"
            "KbdInteractiveAuthentication no\n"
            "MaxAuthTries 10\n"
            "LogLevel VERBOSE\n",
            g_dir, g_dir);
    fclose(f);
}

/* Starts "sshd -i" on one end of a socketpair; returns the other end. */
static int
start_sshd(pid_t *out_pid)
{
    int sv[2];
    pid_t pid;
    char cfg[256], log[256];
    snprintf(cfg, sizeof cfg, "%s/sshd_config", g_dir);
    snprintf(log, sizeof log, "%s/sshd.log", g_dir);
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        FILE *lf = fopen(log, "a");
        dup2(sv[1], 0);
        dup2(sv[1], 1);
        if (lf != NULL) {
            dup2(fileno(lf), 2);
        }
        close(sv[0]);
        close(sv[1]);
        execl(SSHD, SSHD, "-i", "-e", "-f", cfg, (char *)NULL);
        _exit(127);
    }
    close(sv[1]);
    *out_pid = pid;
    return sv[0];
}

static void
stop_sshd(int fd, pid_t pid)
{
    int i, status;
    close(fd);
    for (i = 0; i < 50; i++) {
        if (waitpid(pid, &status, WNOHANG) == pid) {
            return;
        }
        usleep(100000);
    }
    kill(pid, SIGTERM);
    waitpid(pid, &status, 0);
}

/* A handshaken session on sshd -i with an agent listing its identities. */
struct conn {
    LIBSSH2_SESSION *s;
    LIBSSH2_AGENT *agent;
    int fd;
    pid_t pid;
};

static void
conn_open(struct conn *c)
{
    write_sshd_files();
    c->fd = start_sshd(&c->pid);
    c->s = libssh2_session_init();
    assert_non_null(c->s);
    libssh2_session_set_timeout(c->s, 20000);
    assert_int_equal(libssh2_session_handshake(c->s, c->fd), 0);
    c->agent = libssh2_agent_init(c->s);
    assert_non_null(c->agent);
    libssh2_agent_set_identity_path(c->agent, g_sock);
    assert_int_equal(libssh2_agent_connect(c->agent), 0);
    assert_int_equal(libssh2_agent_list_identities(c->agent), 0);
}

static void
conn_close(struct conn *c)
{
    libssh2_agent_free(c->agent);
    libssh2_session_disconnect(c->s, "bye");
    libssh2_session_free(c->s);
    stop_sshd(c->fd, c->pid);
}

static void
test_userauth_each_type(void **state)
{
    size_t i;
    (void)state;
    if (!sshd_usable()) {
        skip();
    }
    for (i = 0; i < NKEYS; i++) {
        struct conn c;
        struct libssh2_agent_publickey *id;
        if (!KEYS[i].authorized) {
            continue;
        }
        conn_open(&c);
        id = find_id(c.agent, i);
        assert_non_null(id);
        assert_int_equal(libssh2_userauth_authenticated(c.s), 0);
        assert_int_equal(libssh2_agent_userauth(c.agent, "root", id), 0);
        assert_int_equal(libssh2_userauth_authenticated(c.s), 1);
        conn_close(&c);
    }
}

/* A key the server refuses fails cleanly; the next one still works. */
static void
test_userauth_refused_then_ok(void **state)
{
    struct conn c;
    struct libssh2_agent_publickey *bad, *good;
    int r;
    (void)state;
    if (!sshd_usable()) {
        skip();
    }
    conn_open(&c);
    bad = find_id(c.agent, NKEYS - 1);
    good = find_id(c.agent, 0);
    assert_non_null(bad);
    assert_non_null(good);
    assert_false(KEYS[NKEYS - 1].authorized);
    r = libssh2_agent_userauth(c.agent, "root", bad);
    assert_true(r == LIBSSH2_ERROR_PUBLICKEY_UNVERIFIED ||
                r == LIBSSH2_ERROR_AUTHENTICATION_FAILED);
    assert_int_equal(libssh2_userauth_authenticated(c.s), 0);
    assert_int_equal(libssh2_agent_userauth(c.agent, "root", good), 0);
    assert_int_equal(libssh2_userauth_authenticated(c.s), 1);
    conn_close(&c);

    /* a good key for a user that does not exist (sshd drops a connection
     * that changes user mid-auth, so this needs its own) */
    conn_open(&c);
    good = find_id(c.agent, 0);
    assert_non_null(good);
    r = libssh2_agent_userauth(c.agent, "nosuchuser-s2", good);
    assert_true(r == LIBSSH2_ERROR_PUBLICKEY_UNVERIFIED ||
                r == LIBSSH2_ERROR_AUTHENTICATION_FAILED);
    assert_int_equal(libssh2_userauth_authenticated(c.s), 0);
    conn_close(&c);
}

/* Non-blocking: EAGAIN until done, the same call repeated. */
static void
test_userauth_nonblocking(void **state)
{
    struct conn c;
    struct libssh2_agent_publickey *id;
    int r, rounds = 0;
    (void)state;
    if (!sshd_usable()) {
        skip();
    }
    conn_open(&c);
    id = find_id(c.agent, 4); /* RSA: the rsa-sha2-* flags path */
    assert_non_null(id);
    libssh2_session_set_blocking(c.s, 0);
    for (;;) {
        struct pollfd pfd;
        r = libssh2_agent_userauth(c.agent, "root", id);
        if (r != LIBSSH2_ERROR_EAGAIN) {
            break;
        }
        /* another call is refused while this one is pending */
        assert_int_equal(libssh2_agent_list_identities(c.agent), LIBSSH2_ERROR_BAD_USE);
        pfd.fd = c.fd;
        pfd.events = POLLIN;
        pfd.revents = 0;
        (void)poll(&pfd, 1, 1000);
        assert_true(++rounds < 200);
    }
    assert_int_equal(r, 0);
    assert_true(rounds > 0);
    assert_int_equal(libssh2_userauth_authenticated(c.s), 1);
    libssh2_session_set_blocking(c.s, 1);
    conn_close(&c);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_list_all),
        cmocka_unit_test(test_sign_all),
        cmocka_unit_test(test_sign_deleted_key),
        cmocka_unit_test(test_userauth_each_type),
        cmocka_unit_test(test_userauth_refused_then_ok),
        cmocka_unit_test(test_userauth_nonblocking),
    };
    if (!have("ssh-agent") || !have("ssh-add") || !have("ssh-keygen")) {
        printf("ssh-agent, ssh-add or ssh-keygen missing: skipped\n");
        return 77;
    }
    return cmocka_run_group_tests(tests, setup_agent, teardown_agent);
}
