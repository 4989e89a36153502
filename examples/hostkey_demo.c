/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * hostkey_demo: connect to an SSH server, run the key exchange and show what was
 * negotiated and the server's host key fingerprint, then rekey.
 *
 *   hostkey_demo HOST [PORT [USER [PRIVATE_KEY_FILE]]]
 *
 * With a key file it logs in first (OpenSSH only rekeys after user auth).
 * Uses only the libssh2 API (plus the ssh2core.h rekey extension when the header
 * is there), so it builds against ssh2core and against libssh2 alike.
 */
#include <libssh2.h>
#if defined(__has_include)
#if __has_include(<ssh2core.h>)
#include <ssh2core.h>
#define HAVE_SSH2CORE 1
#endif
#endif

#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

static const char *const method_labels[] = {
    "key exchange", "host key", "cipher c->s", "cipher s->c", "MAC c->s", "MAC s->c",
    "compression c->s", "compression s->c", "language c->s", "language s->c",
};

static int connect_to(const char *host, const char *port)
{
    struct addrinfo hints;
    struct addrinfo *res = NULL;
    struct addrinfo *ai;
    int fd = -1;
    int rc;

    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    rc = getaddrinfo(host, port, &hints, &res);
    if (rc != 0) {
        fprintf(stderr, "hostkey_demo: %s: %s\n", host, gai_strerror(rc));
        return -1;
    }
    for (ai = res; ai != NULL; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
        if (fd < 0) {
            continue;
        }
        if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
            break;
        }
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    if (fd < 0) {
        fprintf(stderr, "hostkey_demo: cannot connect to %s port %s\n", host, port);
    }
    return fd;
}

/* OpenSSH's fingerprint form: base64 without the '=' padding. */
static void print_b64_nopad(const unsigned char *in, size_t len)
{
    static const char tbl[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t i;

    for (i = 0; i < len; i += 3) {
        unsigned long v = (unsigned long)in[i] << 16;
        size_t n = len - i < 3 ? len - i : 3;
        if (n > 1) {
            v |= (unsigned long)in[i + 1] << 8;
        }
        if (n > 2) {
            v |= in[i + 2];
        }
        putchar(tbl[(v >> 18) & 63]);
        putchar(tbl[(v >> 12) & 63]);
        if (n > 1) {
            putchar(tbl[(v >> 6) & 63]);
        }
        if (n > 2) {
            putchar(tbl[v & 63]);
        }
    }
}

static const char *key_type_name(int type)
{
    switch (type) {
    case LIBSSH2_HOSTKEY_TYPE_RSA:
        return "RSA";
    case LIBSSH2_HOSTKEY_TYPE_DSS:
        return "DSA";
    case LIBSSH2_HOSTKEY_TYPE_ECDSA_256:
        return "ECDSA P-256";
    case LIBSSH2_HOSTKEY_TYPE_ECDSA_384:
        return "ECDSA P-384";
    case LIBSSH2_HOSTKEY_TYPE_ECDSA_521:
        return "ECDSA P-521";
    case LIBSSH2_HOSTKEY_TYPE_ED25519:
        return "ED25519";
    default:
        return "unknown";
    }
}

static void print_methods(LIBSSH2_SESSION *session)
{
    int i;

    for (i = LIBSSH2_METHOD_KEX; i <= LIBSSH2_METHOD_LANG_SC; i++) {
        const char *m = libssh2_session_methods(session, i);
        printf("  %-18s %s\n", method_labels[i], m != NULL && m[0] != '\0' ? m : "(none)");
    }
}

static int fail(LIBSSH2_SESSION *session, const char *what)
{
    char *msg = NULL;
    int err = libssh2_session_last_error(session, &msg, NULL, 0);

    fprintf(stderr, "hostkey_demo: %s failed: %s (%d)\n", what, msg != NULL ? msg : "", err);
    return 1;
}

int main(int argc, char **argv)
{
    const char *host = argc > 1 ? argv[1] : "127.0.0.1";
    const char *port = argc > 2 ? argv[2] : "22";
    const char *user = argc > 3 ? argv[3] : "root";
    const char *keyfile = argc > 4 ? argv[4] : NULL;
    LIBSSH2_SESSION *session;
    const unsigned char *sha256;
    const unsigned char *md5;
    const char *key;
    size_t keylen = 0;
    int keytype = 0;
    char *authlist;
    int fd;
    int rc;
    int ret = 1;
    int i;

    if (argc < 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
        fprintf(stderr, "usage: %s HOST [PORT [USER [PRIVATE_KEY_FILE]]]\n", argv[0]);
        return 2;
    }
    if (libssh2_init(0) != 0) {
        fprintf(stderr, "hostkey_demo: libssh2_init failed\n");
        return 1;
    }
    printf("library: libssh2 API version %s\n", libssh2_version(0));
    fd = connect_to(host, port);
    if (fd < 0) {
        libssh2_exit();
        return 1;
    }
    session = libssh2_session_init();
    if (session == NULL) {
        fprintf(stderr, "hostkey_demo: libssh2_session_init failed\n");
        close(fd);
        libssh2_exit();
        return 1;
    }
    libssh2_session_set_timeout(session, 20000);

    rc = libssh2_session_handshake(session, fd);
    if (rc != 0) {
        ret = fail(session, "handshake");
        goto out;
    }
    printf("connected to %s port %s\n", host, port);
    printf("server banner: %s\n", libssh2_session_banner_get(session));
    printf("negotiated:\n");
    print_methods(session);

    key = libssh2_session_hostkey(session, &keylen, &keytype);
    sha256 = (const unsigned char *)libssh2_hostkey_hash(session, LIBSSH2_HOSTKEY_HASH_SHA256);
    md5 = (const unsigned char *)libssh2_hostkey_hash(session, LIBSSH2_HOSTKEY_HASH_MD5);
    if (key == NULL || sha256 == NULL || md5 == NULL) {
        ret = fail(session, "reading the host key");
        goto out;
    }
    printf("host key: %s, %zu byte blob\n", key_type_name(keytype), keylen);
    printf("fingerprint: SHA256:");
    print_b64_nopad(sha256, 32);
    printf("\nfingerprint: MD5:");
    for (i = 0; i < 16; i++) {
        printf("%02x%s", md5[i], i < 15 ? ":" : "");
    }
    printf("\n");

    authlist = libssh2_userauth_list(session, user, (unsigned int)strlen(user));
    if (authlist != NULL) {
        printf("server accepts for user %s: %s\n", user, authlist);
    } else if (libssh2_userauth_authenticated(session)) {
        printf("user %s needs no authentication\n", user);
    } else {
        ret = fail(session, "userauth list");
        goto out;
    }
    if (keyfile != NULL && !libssh2_userauth_authenticated(session)) {
        rc = libssh2_userauth_publickey_fromfile_ex(session, user, (unsigned int)strlen(user),
                                                    NULL, keyfile, NULL);
        if (rc != 0) {
            ret = fail(session, "public key authentication");
            goto out;
        }
        printf("authenticated as %s with %s\n", user, keyfile);
    }

#ifdef HAVE_SSH2CORE
    printf("strict KEX: %s\n", ssh2core_session_strict_kex(session) ? "yes" : "no");
    printf("key exchanges so far: %ld\n", (long)ssh2core_session_kex_count(session));
    rc = ssh2core_session_rekey(session);
    if (rc != 0) {
        ret = fail(session, "rekey");
        goto out;
    }
    printf("rekeyed: key exchanges so far: %ld\n", (long)ssh2core_session_kex_count(session));
#else
    printf("(rekey needs ssh2core.h; skipped)\n");
#endif

    rc = libssh2_session_disconnect(session, "hostkey_demo done");
    if (rc != 0) {
        ret = fail(session, "disconnect");
        goto out;
    }
    ret = 0;

out:
    libssh2_session_free(session);
    close(fd);
    libssh2_exit();
    return ret;
}
