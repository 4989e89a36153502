/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_sk.c: libssh2_userauth_publickey_sk against a real OpenSSH sshd.
 *
 * No hardware: the sign callback is a test authenticator holding the
 * private half of the keys in tests/data/sk (gen.py). It signs
 * SHA256(application) || flags || counter || SHA256(data) with Ed25519
 * (libsodium), or ECDSA P-256 over SHA-256 of it (mbedTLS), as a FIDO
 * device does; sshd verifies these without a device. Each case runs
 * "sshd -i" over a socketpair with the fixture's sshd_config and host keys
 * and its own AuthorizedKeysFile.
 *
 * Cases (each prints PASS/FAIL):
 *   - ed25519-sk, public key taken from the key file: authenticated; the
 *     callback saw application "ssh:", flags 0x01 and the 64-byte handle
 *   - ecdsa-sk with the .pub file given: authenticated
 *   - ed25519-sk from the passphrase-encrypted file: authenticated; wrong
 *     passphrase: KEYFILE_AUTH_FAILED and the device is not asked
 *   - device reports no user presence: refused; with no-touch-required in
 *     authorized_keys: authenticated
 *   - device signs one counter and reports another / signs other flags than
 *     it reports: refused (ed25519 and ECDSA)
 *   - callback error: PUBLICKEY_UNVERIFIED, then the same session
 *     authenticates with a working callback
 *   - a key not in authorized_keys: refused without asking the device
 *   - a malformed key file: LIBSSH2_ERROR_FILE, session still usable
 *   - non-blocking: EAGAIN until sshd answers, the device asked once
 * Exit 77 when the fixture (sshd) is missing.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <mbedtls/bignum.h>
#include <mbedtls/ecdsa.h>
#include <mbedtls/ecp.h>
#include <sodium.h>

#include <libssh2.h>

#ifndef S2_SK_DATA_DIR
#error "S2_SK_DATA_DIR must name tests/data/sk"
#endif

static const char *g_fixture;
static char g_work[512];
static char g_sshd[512];
static int g_failures;

static void
failf(const char *fmt, const char *a)
{
    printf("FAIL ");
    printf(fmt, a);
    printf("\n");
    g_failures++;
}

/* ---- files ------------------------------------------------------------ */

static char *
slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;
    if (f == NULL) {
        return NULL;
    }
    if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0) {
        fclose(f);
        return NULL;
    }
    rewind(f);
    buf = malloc((size_t)n + 1);
    if (buf == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        fclose(f);
        return NULL;
    }
    buf[n] = 0;
    fclose(f);
    if (len != NULL) {
        *len = (size_t)n;
    }
    return buf;
}

static char *
data_file(const char *name, size_t *len)
{
    char path[1024];
    char *p;
    snprintf(path, sizeof path, "%s/%s", S2_SK_DATA_DIR, name);
    p = slurp(path, len);
    if (p == NULL) {
        fprintf(stderr, "cannot read %s\n", path);
        exit(1);
    }
    return p;
}

static void
unhex(const char *hex, uint8_t *out, size_t n)
{
    size_t i;
    unsigned int v;
    for (i = 0; i < n; i++) {
        if (sscanf(hex + 2 * i, "%2x", &v) != 1) {
            fprintf(stderr, "bad hex\n");
            exit(1);
        }
        out[i] = (uint8_t)v;
    }
}

/* write_authorized writes |prefix| followed by the .pub lines named. */
static void
write_authorized(const char *path, const char *prefix, const char *pub1, const char *pub2)
{
    FILE *f = fopen(path, "w");
    const char *pubs[2] = {pub1, pub2};
    int i;
    if (f == NULL) {
        perror(path);
        exit(1);
    }
    for (i = 0; i < 2; i++) {
        char *line;
        if (pubs[i] == NULL) {
            continue;
        }
        line = data_file(pubs[i], NULL);
        fprintf(f, "%s%s", prefix, line);
        free(line);
    }
    fclose(f);
    chmod(path, 0600);
}

/* ---- the test authenticator ------------------------------------------- */

struct authn {
    uint8_t ed_sk[64]; /* seed || public */
    mbedtls_ecp_group grp;
    mbedtls_mpi d;
    uint8_t report_flags; /* flags put in sig_info */
    uint8_t sign_flags;   /* flags the signature covers */
    uint32_t report_counter;
    uint32_t sign_counter;
    int fail; /* non-zero: return it */
    int calls;
    char seen_app[64];
    uint8_t seen_flags;
    size_t seen_handle_len;
};

static int
rng(void *ctx, unsigned char *out, size_t n)
{
    (void)ctx;
    randombytes_buf(out, n);
    return 0;
}

static void
authn_init(struct authn *au)
{
    char *seed_hex = data_file("sk_ed25519.seed", NULL);
    char *d_hex = data_file("sk_ecdsa.d", NULL);
    uint8_t seed[32], pub[32], d[32];

    memset(au, 0, sizeof *au);
    unhex(seed_hex, seed, 32);
    unhex(d_hex, d, 32);
    crypto_sign_ed25519_seed_keypair(pub, au->ed_sk, seed);
    mbedtls_ecp_group_init(&au->grp);
    mbedtls_mpi_init(&au->d);
    if (mbedtls_ecp_group_load(&au->grp, MBEDTLS_ECP_DP_SECP256R1) != 0 ||
        mbedtls_mpi_read_binary(&au->d, d, 32) != 0) {
        fprintf(stderr, "mbedtls setup failed\n");
        exit(1);
    }
    free(seed_hex);
    free(d_hex);
}

static void
authn_reset(struct authn *au)
{
    au->report_flags = au->sign_flags = 0x01;
    au->report_counter = au->sign_counter = 42;
    au->fail = 0;
    au->calls = 0;
    au->seen_app[0] = 0;
    au->seen_flags = 0;
    au->seen_handle_len = 0;
}

static LIBSSH2_USERAUTH_SK_SIGN_FUNC(authn_sign)
{
    struct authn *au = *abstract;
    uint8_t msg[69];
    uint8_t digest[32];
    mbedtls_mpi r, s;
    int ok;

    (void)session;
    (void)key_handle;
    au->calls++;
    snprintf(au->seen_app, sizeof au->seen_app, "%s", application);
    au->seen_flags = flags;
    au->seen_handle_len = key_handle_len;
    if (au->fail != 0) {
        return au->fail;
    }
    crypto_hash_sha256(msg, (const unsigned char *)application, strlen(application));
    msg[32] = au->sign_flags;
    msg[33] = (uint8_t)(au->sign_counter >> 24);
    msg[34] = (uint8_t)(au->sign_counter >> 16);
    msg[35] = (uint8_t)(au->sign_counter >> 8);
    msg[36] = (uint8_t)au->sign_counter;
    crypto_hash_sha256(msg + 37, data, data_len);
    sig_info->flags = au->report_flags;
    sig_info->counter = au->report_counter;
    /* the session uses the default (libc) allocator: the library frees
     * sig_r / sig_s with it */
    if (algorithm == LIBSSH2_HOSTKEY_TYPE_ED25519) {
        sig_info->sig_r = malloc(64);
        if (sig_info->sig_r == NULL) {
            return -1;
        }
        crypto_sign_ed25519_detached(sig_info->sig_r, NULL, msg, sizeof msg, au->ed_sk);
        sig_info->sig_r_len = 64;
        return 0;
    }
    if (algorithm != LIBSSH2_HOSTKEY_TYPE_ECDSA_256) {
        return -1;
    }
    crypto_hash_sha256(digest, msg, sizeof msg);
    mbedtls_mpi_init(&r);
    mbedtls_mpi_init(&s);
    sig_info->sig_r = malloc(32); /* fixed width: leading zeros kept */
    sig_info->sig_s = malloc(32);
    ok = sig_info->sig_r != NULL && sig_info->sig_s != NULL &&
         mbedtls_ecdsa_sign(&au->grp, &r, &s, &au->d, digest, sizeof digest, rng, NULL) == 0 &&
         mbedtls_mpi_write_binary(&r, sig_info->sig_r, 32) == 0 &&
         mbedtls_mpi_write_binary(&s, sig_info->sig_s, 32) == 0;
    sig_info->sig_r_len = 32;
    sig_info->sig_s_len = 32;
    mbedtls_mpi_free(&r);
    mbedtls_mpi_free(&s);
    return ok ? 0 : -1;
}

/* ---- sshd over a socketpair ------------------------------------------- */

struct conn {
    pid_t pid;
    int fd;
    LIBSSH2_SESSION *s;
};

static int
conn_open(struct conn *c, const char *authorized, const char *log)
{
    char cfg[1024], akf[1100];
    char *argv[8];
    int sv[2];

    memset(c, 0, sizeof *c);
    c->fd = -1;
    snprintf(cfg, sizeof cfg, "%s/sshd_config", g_fixture);
    snprintf(akf, sizeof akf, "AuthorizedKeysFile=%s", authorized);
    argv[0] = g_sshd;
    argv[1] = "-i";
    argv[2] = "-f";
    argv[3] = cfg;
    argv[4] = "-o";
    argv[5] = akf;
    argv[6] = "-e";
    argv[7] = NULL;
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0) {
        perror("socketpair");
        return -1;
    }
    fflush(stdout);
    c->pid = fork();
    if (c->pid < 0) {
        close(sv[0]);
        close(sv[1]);
        return -1;
    }
    if (c->pid == 0) {
        int lf = open(log, O_WRONLY | O_CREAT | O_APPEND, 0644);
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
    c->fd = sv[0];
    c->s = libssh2_session_init();
    if (c->s == NULL) {
        return -1;
    }
    libssh2_session_set_blocking(c->s, 1);
    libssh2_session_set_timeout(c->s, 20000);
    if (libssh2_session_handshake(c->s, c->fd) != 0) {
        char *msg = NULL;
        libssh2_session_last_error(c->s, &msg, NULL, 0);
        printf("handshake failed: %s (see %s)\n", msg != NULL ? msg : "?", log);
        return -1;
    }
    return 0;
}

static void
conn_close(struct conn *c)
{
    int i, st;
    if (c->s != NULL) {
        libssh2_session_disconnect(c->s, "bye");
        libssh2_session_free(c->s);
    }
    if (c->fd >= 0) {
        close(c->fd);
    }
    if (c->pid > 0) {
        for (i = 0; i < 300; i++) {
            if (waitpid(c->pid, &st, WNOHANG) == c->pid) {
                return;
            }
            usleep(10000);
        }
        kill(c->pid, SIGKILL);
        waitpid(c->pid, &st, 0);
    }
}

/* ---- cases ------------------------------------------------------------ */

static const char *g_user;
static struct authn g_au;
static char g_log[700];
static char g_akf[700];

/* try authenticates on |c| with key file |key| (and .pub |pub| or NULL). */
static int
try_auth(struct conn *c, const char *key, const char *pub, const char *pass)
{
    size_t key_len = 0, pub_len = 0;
    char *k = data_file(key, &key_len);
    char *p = pub != NULL ? data_file(pub, &pub_len) : NULL;
    void *abs = &g_au;
    int rc = libssh2_userauth_publickey_sk(c->s, g_user, strlen(g_user), (unsigned char *)p,
                                           pub_len, k, key_len, pass, authn_sign, &abs);
    free(k);
    free(p);
    return rc;
}

static int
is_refusal(int rc)
{
    return rc == LIBSSH2_ERROR_AUTHENTICATION_FAILED || rc == LIBSSH2_ERROR_PUBLICKEY_UNVERIFIED;
}

/* run_case connects with authorized_keys = prefix + pubs, sets up the
 * authenticator with |tweak|, authenticates with |key| and checks the code
 * (want_ok: 0 expected; else a refusal). */
struct tweak {
    uint8_t report_flags, sign_flags;
    uint32_t report_counter, sign_counter;
};

static void
run_case(const char *label, const char *prefix, const char *key, const char *pub, const char *pass,
         const struct tweak *tw, int want_ok)
{
    struct conn c;
    int rc;

    write_authorized(g_akf, prefix, "sk_ed25519.pub", "sk_ecdsa.pub");
    authn_reset(&g_au);
    if (tw != NULL) {
        g_au.report_flags = tw->report_flags;
        g_au.sign_flags = tw->sign_flags;
        g_au.report_counter = tw->report_counter;
        g_au.sign_counter = tw->sign_counter;
    }
    if (conn_open(&c, g_akf, g_log) != 0) {
        failf("%s: cannot connect to sshd", label);
        conn_close(&c);
        return;
    }
    rc = try_auth(&c, key, pub, pass);
    if (want_ok) {
        if (rc != 0 || !libssh2_userauth_authenticated(c.s) || g_au.calls != 1 ||
            strcmp(g_au.seen_app, "ssh:") != 0 || g_au.seen_flags != 0x01 ||
            g_au.seen_handle_len != 64) {
            printf("  rc=%d calls=%d app=%s flags=%u handle=%zu\n", rc, g_au.calls, g_au.seen_app,
                   g_au.seen_flags, g_au.seen_handle_len);
            failf("%s: expected success", label);
        } else {
            printf("PASS %s\n", label);
        }
    } else {
        if (!is_refusal(rc) || libssh2_userauth_authenticated(c.s) || g_au.calls != 1) {
            printf("  rc=%d calls=%d\n", rc, g_au.calls);
            failf("%s: expected sshd to refuse the signature", label);
        } else {
            printf("PASS %s (rc=%d)\n", label, rc);
        }
    }
    conn_close(&c);
}

static void
case_callback_error_then_ok(void)
{
    const char *label = "callback error, then success on the same session";
    struct conn c;
    int rc1, rc2;

    write_authorized(g_akf, "", "sk_ed25519.pub", NULL);
    authn_reset(&g_au);
    if (conn_open(&c, g_akf, g_log) != 0) {
        failf("%s: cannot connect to sshd", label);
        conn_close(&c);
        return;
    }
    g_au.fail = LIBSSH2_ERROR_TIMEOUT;
    rc1 = try_auth(&c, "sk_ed25519.key", NULL, NULL);
    g_au.fail = 0;
    rc2 = try_auth(&c, "sk_ed25519.key", NULL, NULL);
    if (rc1 != LIBSSH2_ERROR_PUBLICKEY_UNVERIFIED || rc2 != 0 ||
        !libssh2_userauth_authenticated(c.s) || g_au.calls != 2) {
        printf("  rc1=%d rc2=%d calls=%d\n", rc1, rc2, g_au.calls);
        failf("%s", label);
    } else {
        printf("PASS %s\n", label);
    }
    conn_close(&c);
}

static void
case_unlisted_and_files(void)
{
    const char *label = "unlisted key, bad passphrase, malformed file";
    struct conn c;
    int rc1, rc2, rc3, rc4, calls1, calls23;
    size_t n;
    char *bad;
    void *abs = &g_au;

    write_authorized(g_akf, "", "sk_ecdsa.pub", NULL);
    authn_reset(&g_au);
    if (conn_open(&c, g_akf, g_log) != 0) {
        failf("%s: cannot connect to sshd", label);
        conn_close(&c);
        return;
    }
    rc1 = try_auth(&c, "sk_ed25519.key", NULL, NULL); /* not in authorized_keys */
    calls1 = g_au.calls;
    rc2 = try_auth(&c, "sk_ed25519_enc.key", NULL, "wrong");
    bad = data_file("sk_ecdsa.key", &n);
    bad[n / 2] = (char)(bad[n / 2] == 'A' ? 'B' : 'A'); /* corrupt the base64 body */
    rc3 = libssh2_userauth_publickey_sk(c.s, g_user, strlen(g_user), NULL, 0, bad, n, NULL,
                                        authn_sign, &abs);
    free(bad);
    calls23 = g_au.calls - calls1;
    rc4 = try_auth(&c, "sk_ecdsa.key", "sk_ecdsa.pub", NULL);
    if (!is_refusal(rc1) || calls1 != 0 || rc2 != LIBSSH2_ERROR_KEYFILE_AUTH_FAILED ||
        rc3 != LIBSSH2_ERROR_FILE || calls23 != 0 || rc4 != 0 ||
        !libssh2_userauth_authenticated(c.s)) {
        printf("  rc1=%d calls1=%d rc2=%d rc3=%d calls23=%d rc4=%d\n", rc1, calls1, rc2, rc3,
               calls23, rc4);
        failf("%s", label);
    } else {
        printf("PASS %s\n", label);
    }
    conn_close(&c);
}

/* Non-blocking: the call returns EAGAIN until sshd answers; repeating it
 * with the same arguments continues it, and the device is asked once. */
static void
case_nonblocking(void)
{
    const char *label = "ecdsa-sk, non-blocking session";
    struct conn c;
    struct pollfd pfd;
    int rc, again = 0, n;

    write_authorized(g_akf, "", "sk_ecdsa.pub", NULL);
    authn_reset(&g_au);
    if (conn_open(&c, g_akf, g_log) != 0) {
        failf("%s: cannot connect to sshd", label);
        conn_close(&c);
        return;
    }
    libssh2_session_set_blocking(c.s, 0);
    for (n = 0; n < 2000; n++) {
        rc = try_auth(&c, "sk_ecdsa.key", NULL, NULL);
        if (rc != LIBSSH2_ERROR_EAGAIN) {
            break;
        }
        again++;
        pfd.fd = c.fd;
        pfd.events = POLLIN;
        if (libssh2_session_block_directions(c.s) & LIBSSH2_SESSION_BLOCK_OUTBOUND) {
            pfd.events |= POLLOUT;
        }
        (void)poll(&pfd, 1, 1000);
    }
    if (rc != 0 || again == 0 || g_au.calls != 1 || !libssh2_userauth_authenticated(c.s)) {
        printf("  rc=%d again=%d calls=%d\n", rc, again, g_au.calls);
        failf("%s", label);
    } else {
        printf("PASS %s (%d x EAGAIN)\n", label, again);
    }
    libssh2_session_set_blocking(c.s, 1);
    conn_close(&c);
}

static int
find_sshd(void)
{
    char path[700];
    char *p;
    size_t n;
    snprintf(path, sizeof path, "%s/sshd_bin", g_fixture);
    p = slurp(path, &n);
    if (p == NULL) {
        return -1;
    }
    while (n > 0 && (p[n - 1] == '\n' || p[n - 1] == '\r')) {
        p[--n] = 0;
    }
    snprintf(g_sshd, sizeof g_sshd, "%s", p);
    free(p);
    snprintf(path, sizeof path, "%s/sshd_config", g_fixture);
    return access(g_sshd, X_OK) == 0 && access(path, R_OK) == 0 ? 0 : -1;
}

int
main(int argc, char **argv)
{
    static const struct tweak no_presence = {0x00, 0x00, 42, 42};
    static const struct tweak counter_lie = {0x01, 0x01, 43, 42};
    static const struct tweak flags_lie = {0x01, 0x05, 42, 42};
    struct passwd *pw;
    int i;

    for (i = 1; i + 1 < argc; i++) {
        if (strcmp(argv[i], "--fixture") == 0) {
            g_fixture = argv[i + 1];
        }
    }
    if (g_fixture == NULL) {
        fprintf(stderr, "usage: %s --fixture DIR\n", argv[0]);
        return 2;
    }
    if (find_sshd() != 0) {
        printf("SKIP: no sshd fixture in %s\n", g_fixture);
        return 77;
    }
    if (sodium_init() < 0 || libssh2_init(0) != 0) {
        return 1;
    }
    pw = getpwuid(getuid());
    if (pw == NULL) {
        return 1;
    }
    g_user = pw->pw_name;
    snprintf(g_work, sizeof g_work, "%s/sk-XXXXXX", g_fixture);
    if (mkdtemp(g_work) == NULL) {
        perror("mkdtemp");
        return 1;
    }
    snprintf(g_akf, sizeof g_akf, "%s/authorized_keys", g_work);
    snprintf(g_log, sizeof g_log, "%s/sshd.log", g_work);
    printf("work dir %s (sshd log: %s)\n", g_work, g_log);
    authn_init(&g_au);

    run_case("ed25519-sk, public key from the key file", "", "sk_ed25519.key", NULL, NULL, NULL, 1);
    run_case("ecdsa-sk, .pub file given", "", "sk_ecdsa.key", "sk_ecdsa.pub", NULL, NULL, 1);
    run_case("ed25519-sk, encrypted key file", "", "sk_ed25519_enc.key", NULL, "test", NULL, 1);
    run_case("ed25519-sk without user presence", "", "sk_ed25519.key", NULL, NULL, &no_presence, 0);
    run_case("ecdsa-sk without user presence", "", "sk_ecdsa.key", NULL, NULL, &no_presence, 0);
    run_case("ed25519-sk without presence, no-touch-required", "no-touch-required ",
             "sk_ed25519.key", NULL, NULL, &no_presence, 1);
    run_case("ecdsa-sk without presence, no-touch-required", "no-touch-required ", "sk_ecdsa.key",
             NULL, NULL, &no_presence, 1);
    run_case("ed25519-sk reporting another counter", "", "sk_ed25519.key", NULL, NULL, &counter_lie,
             0);
    run_case("ecdsa-sk reporting another counter", "", "sk_ecdsa.key", NULL, NULL, &counter_lie, 0);
    run_case("ed25519-sk reporting other flags", "", "sk_ed25519.key", NULL, NULL, &flags_lie, 0);
    run_case("ecdsa-sk reporting other flags", "", "sk_ecdsa.key", NULL, NULL, &flags_lie, 0);
    case_callback_error_then_ok();
    case_unlisted_and_files();
    case_nonblocking();

    mbedtls_ecp_group_free(&g_au.grp);
    mbedtls_mpi_free(&g_au.d);
    libssh2_exit();
    if (g_failures == 0) { /* keep the work dir only for a failed run */
        unlink(g_akf);
        unlink(g_log);
        rmdir(g_work);
    }
    printf("%s: %d failure(s)\n", g_failures == 0 ? "OK" : "FAILED", g_failures);
    return g_failures == 0 ? 0 : 1;
}
