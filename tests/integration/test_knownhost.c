/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Integration test for the known_hosts API against a live OpenSSH sshd (the
 * "ssh_servers" fixture of sshd_fixture.sh). For every host key type:
 *   1. handshake through the library; libssh2_session_hostkey gives the key;
 *   2. files OpenSSH wrote -- ssh-keyscan's output and the entry ssh adds
 *      with StrictHostKeyChecking=accept-new, plain and hashed -- read with
 *      libssh2_knownhost_readfile match it through checkp (a flipped byte:
 *      MISMATCH);
 *   3. a file written with addc + writefile is accepted by OpenSSH's ssh
 *      (which then fails on authentication, "Permission denied", not on
 *      "Host key verification failed");
 *   4. the same file holding another key of the type gives MISMATCH, and ssh
 *      refuses it with "Host key verification failed".
 * Usage: test_knownhost --fixture DIR. Exit 0 pass, 1 fail, 77 skip.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "libssh2.h"

struct alg {
    const char *hostkey_alg;  /* what we negotiate */
    const char *file_suffix;  /* hostkey_<suffix>.pub in the fixture */
    const char *keyscan_type; /* ssh-keyscan -t */
    int kh_bits;              /* LIBSSH2_KNOWNHOST_KEY_* */
    int hk_type;              /* LIBSSH2_HOSTKEY_TYPE_* */
};

static const struct alg algs[] = {
    {"ssh-ed25519", "ed25519", "ssh-ed25519", LIBSSH2_KNOWNHOST_KEY_ED25519,
     LIBSSH2_HOSTKEY_TYPE_ED25519},
    {"ecdsa-sha2-nistp256", "ecdsa256", "ecdsa-sha2-nistp256", LIBSSH2_KNOWNHOST_KEY_ECDSA_256,
     LIBSSH2_HOSTKEY_TYPE_ECDSA_256},
    {"ecdsa-sha2-nistp384", "ecdsa384", "ecdsa-sha2-nistp384", LIBSSH2_KNOWNHOST_KEY_ECDSA_384,
     LIBSSH2_HOSTKEY_TYPE_ECDSA_384},
    {"ecdsa-sha2-nistp521", "ecdsa521", "ecdsa-sha2-nistp521", LIBSSH2_KNOWNHOST_KEY_ECDSA_521,
     LIBSSH2_HOSTKEY_TYPE_ECDSA_521},
    {"rsa-sha2-512", "rsa", "rsa", LIBSSH2_KNOWNHOST_KEY_SSHRSA, LIBSSH2_HOSTKEY_TYPE_RSA},
};

static const char *fixture;
static int port;
static int failures;

#define FAIL(...)                                                                                  \
    do {                                                                                           \
        fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__);                                       \
        fprintf(stderr, __VA_ARGS__);                                                              \
        fprintf(stderr, "\n");                                                                     \
        failures++;                                                                                \
    } while (0)

static int
read_port(void)
{
    char path[512];
    FILE *f;
    int p = 0;
    snprintf(path, sizeof path, "%s/sshd.port", fixture);
    f = fopen(path, "r");
    if (f == NULL) {
        return 0;
    }
    if (fscanf(f, "%d", &p) != 1) {
        p = 0;
    }
    fclose(f);
    return p;
}

static int
connect_tcp(void)
{
    struct sockaddr_in sa;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) {
        return -1;
    }
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* run |cmd| through the shell; its stderr+stdout go to |out| (a file) */
static int
run(const char *cmd)
{
    int rc = system(cmd);
    return rc == -1 ? -1 : WEXITSTATUS(rc);
}

static int
file_contains(const char *path, const char *needle)
{
    char buf[8192];
    size_t n;
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        return 0;
    }
    n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    return strstr(buf, needle) != NULL;
}

/* ssh with only our file; returns the file holding its output */
static const char *
run_ssh(const struct alg *a, const char *khfile)
{
    static char out[1024];
    char cmd[4096];
    snprintf(out, sizeof out, "%s/kh_ssh_%s.out", fixture, a->file_suffix);
    snprintf(cmd, sizeof cmd,
             "ssh -F /dev/null -o UserKnownHostsFile=%s -o GlobalKnownHostsFile=/dev/null "
             "-o StrictHostKeyChecking=yes -o BatchMode=yes -o IdentitiesOnly=yes "
             "-o IdentityFile=/dev/null -o PasswordAuthentication=no "
             "-o KbdInteractiveAuthentication=no -o HostKeyAlgorithms=%s -o ConnectTimeout=10 "
             "-p %d 127.0.0.1 true >%s 2>&1 </dev/null",
             khfile, a->hostkey_alg, port, out);
    (void)run(cmd);
    return out;
}

static void
test_alg(const struct alg *a)
{
    LIBSSH2_SESSION *s = NULL;
    LIBSSH2_KNOWNHOSTS *kh = NULL;
    struct libssh2_knownhost *st = NULL;
    const char *key;
    size_t keylen = 0;
    int type = 0;
    int fd;
    int rc;
    char path[512];
    char cmd[4096];
    char hostport[64];
    const char *out;
    const int mask = LIBSSH2_KNOWNHOST_TYPE_PLAIN | LIBSSH2_KNOWNHOST_KEYENC_RAW;
    int fails0 = failures;

    fd = connect_tcp();
    if (fd < 0) {
        FAIL("%s: cannot connect to port %d", a->hostkey_alg, port);
        return;
    }
    s = libssh2_session_init();
    if (s == NULL || libssh2_session_method_pref(s, LIBSSH2_METHOD_HOSTKEY, a->hostkey_alg) != 0 ||
        libssh2_session_handshake(s, fd) != 0) {
        FAIL("%s: handshake failed", a->hostkey_alg);
        goto out;
    }
    key = libssh2_session_hostkey(s, &keylen, &type);
    if (key == NULL || type != a->hk_type) {
        FAIL("%s: no host key or type %d", a->hostkey_alg, type);
        goto out;
    }

    /* 2. files OpenSSH wrote: ssh-keyscan's output and what ssh itself adds
     * with StrictHostKeyChecking=accept-new, each plain and hashed */
    for (int src = 0; src < 4; src++) {
        int hashed = src % 2;
        int want = LIBSSH2_KNOWNHOST_CHECK_MATCH;
        snprintf(path, sizeof path, "%s/kh_%s_%s%s", fixture, src < 2 ? "scan" : "ssh",
                 a->file_suffix, hashed ? "_h" : "");
        if (src < 2) {
            snprintf(cmd, sizeof cmd, "ssh-keyscan %s -t %s -p %d 127.0.0.1 >%s 2>/dev/null",
                     hashed ? "-H" : "", a->keyscan_type, port, path);
            /* ssh-keyscan fetches one ECDSA key only, the nistp256 one: for
             * the other curves the file holds a key of another type */
            if (a->kh_bits == LIBSSH2_KNOWNHOST_KEY_ECDSA_384 ||
                a->kh_bits == LIBSSH2_KNOWNHOST_KEY_ECDSA_521) {
                want = LIBSSH2_KNOWNHOST_CHECK_NOTFOUND;
            }
        } else {
            snprintf(cmd, sizeof cmd,
                     "rm -f %s; ssh -F /dev/null -o UserKnownHostsFile=%s "
                     "-o GlobalKnownHostsFile=/dev/null -o StrictHostKeyChecking=accept-new "
                     "-o HashKnownHosts=%s -o BatchMode=yes -o IdentitiesOnly=yes "
                     "-o IdentityFile=/dev/null -o HostKeyAlgorithms=%s -p %d 127.0.0.1 true "
                     ">/dev/null 2>&1 </dev/null; test -s %s",
                     path, path, hashed ? "yes" : "no", a->hostkey_alg, port, path);
        }
        if (run(cmd) != 0) {
            FAIL("%s: OpenSSH wrote no known_hosts file (%s)", a->hostkey_alg, path);
            goto out;
        }
        kh = libssh2_knownhost_init(s);
        rc = libssh2_knownhost_readfile(kh, path, LIBSSH2_KNOWNHOST_FILE_OPENSSH);
        if (rc < 1) {
            FAIL("%s: readfile(%s) = %d", a->hostkey_alg, path, rc);
        }
        rc = libssh2_knownhost_checkp(kh, "127.0.0.1", port, key, keylen, mask | a->kh_bits, &st);
        if (rc != want) {
            FAIL("%s: %s: checkp = %d, want %d", a->hostkey_alg, path, rc, want);
        } else if (want == LIBSSH2_KNOWNHOST_CHECK_MATCH &&
                   (st->typemask & LIBSSH2_KNOWNHOST_TYPE_MASK) !=
                       (hashed ? LIBSSH2_KNOWNHOST_TYPE_SHA1 : LIBSSH2_KNOWNHOST_TYPE_PLAIN)) {
            FAIL("%s: entry typemask %#x", a->hostkey_alg, (unsigned)st->typemask);
        }
        /* the live key with a flipped byte must not match */
        if (want == LIBSSH2_KNOWNHOST_CHECK_MATCH) {
            char *bad = malloc(keylen);
            memcpy(bad, key, keylen);
            bad[keylen - 1] ^= 1;
            rc = libssh2_knownhost_checkp(kh, "127.0.0.1", port, bad, keylen, mask | a->kh_bits,
                                          NULL);
            free(bad);
            if (rc != LIBSSH2_KNOWNHOST_CHECK_MISMATCH) {
                FAIL("%s: flipped key: checkp = %d, want MISMATCH", a->hostkey_alg, rc);
            }
        }
        libssh2_knownhost_free(kh);
        kh = NULL;
    }

    /* 3. our file is accepted by ssh */
    snprintf(hostport, sizeof hostport, "[127.0.0.1]:%d", port);
    snprintf(path, sizeof path, "%s/kh_ours_%s", fixture, a->file_suffix);
    kh = libssh2_knownhost_init(s);
    rc = libssh2_knownhost_addc(kh, hostport, NULL, key, keylen, "ssh2core", 8, mask | a->kh_bits,
                                NULL);
    if (rc != 0 || libssh2_knownhost_writefile(kh, path, LIBSSH2_KNOWNHOST_FILE_OPENSSH) != 0) {
        FAIL("%s: addc/writefile failed (%d)", a->hostkey_alg, rc);
        goto out;
    }
    libssh2_knownhost_free(kh);
    kh = NULL;
    out = run_ssh(a, path);
    if (file_contains(out, "Host key verification failed") ||
        !file_contains(out, "Permission denied")) {
        FAIL("%s: ssh did not accept our known_hosts file (see %s)", a->hostkey_alg, out);
    }

    /* 4. another key of the same type: MISMATCH here, refused by ssh */
    snprintf(path, sizeof path, "%s/kh_wrongkey_%s", fixture, a->file_suffix);
    snprintf(cmd, sizeof cmd,
             "rm -f %s %s.pub && ssh-keygen -q -N '' -t %s %s -f %s >/dev/null 2>&1", path, path,
             a->kh_bits == LIBSSH2_KNOWNHOST_KEY_SSHRSA    ? "rsa"
             : a->kh_bits == LIBSSH2_KNOWNHOST_KEY_ED25519 ? "ed25519"
                                                           : "ecdsa",
             a->kh_bits == LIBSSH2_KNOWNHOST_KEY_ECDSA_256   ? "-b 256"
             : a->kh_bits == LIBSSH2_KNOWNHOST_KEY_ECDSA_384 ? "-b 384"
             : a->kh_bits == LIBSSH2_KNOWNHOST_KEY_ECDSA_521 ? "-b 521"
                                                             : "",
             path);
    if (run(cmd) != 0) {
        FAIL("%s: ssh-keygen failed", a->hostkey_alg);
        goto out;
    }
    {
        char pub[8192];
        char *sp;
        char *sp2;
        FILE *f;
        snprintf(cmd, sizeof cmd, "%s.pub", path);
        f = fopen(cmd, "r");
        if (f == NULL || fgets(pub, sizeof pub, f) == NULL) {
            FAIL("%s: cannot read %s", a->hostkey_alg, cmd);
            if (f != NULL) {
                fclose(f);
            }
            goto out;
        }
        fclose(f);
        sp = strchr(pub, ' ');
        sp2 = sp != NULL ? strchr(sp + 1, ' ') : NULL;
        if (sp2 != NULL) {
            *sp2 = '\0';
        }
        kh = libssh2_knownhost_init(s);
        rc = libssh2_knownhost_addc(
            kh, hostport, NULL, sp + 1, 0, NULL, 0,
            LIBSSH2_KNOWNHOST_TYPE_PLAIN | LIBSSH2_KNOWNHOST_KEYENC_BASE64 | a->kh_bits, NULL);
        snprintf(path, sizeof path, "%s/kh_wrong_%s", fixture, a->file_suffix);
        if (rc != 0 || libssh2_knownhost_writefile(kh, path, LIBSSH2_KNOWNHOST_FILE_OPENSSH) != 0) {
            FAIL("%s: addc/writefile of the wrong key failed (%d)", a->hostkey_alg, rc);
            goto out;
        }
        rc = libssh2_knownhost_checkp(kh, "127.0.0.1", port, key, keylen, mask | a->kh_bits, NULL);
        if (rc != LIBSSH2_KNOWNHOST_CHECK_MISMATCH) {
            FAIL("%s: wrong key: checkp = %d, want MISMATCH", a->hostkey_alg, rc);
        }
        out = run_ssh(a, path);
        if (!file_contains(out, "Host key verification failed")) {
            FAIL("%s: ssh accepted a wrong key in our file (see %s)", a->hostkey_alg, out);
        }
    }
    printf("%s %s\n", failures == fails0 ? "PASS" : "FAIL", a->hostkey_alg);
out:
    libssh2_knownhost_free(kh);
    if (s != NULL) {
        libssh2_session_disconnect(s, "bye");
        libssh2_session_free(s);
    }
    close(fd);
}

int
main(int argc, char **argv)
{
    size_t i;
    if (argc != 3 || strcmp(argv[1], "--fixture") != 0) {
        fprintf(stderr, "usage: %s --fixture DIR\n", argv[0]);
        return 2;
    }
    fixture = argv[2];
    port = read_port();
    if (port <= 0 || run("command -v ssh >/dev/null && command -v ssh-keyscan >/dev/null") != 0) {
        printf("SKIP no sshd fixture or no ssh client\n");
        return 77;
    }
    if (libssh2_init(0) != 0) {
        return 1;
    }
    for (i = 0; i < sizeof algs / sizeof algs[0]; i++) {
        test_alg(&algs[i]);
    }
    libssh2_exit();
    return failures == 0 ? 0 : 1;
}
