/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_privkey.c: private key files (tests/data/keys, made by gen.sh with
 * ssh-keygen and openssl; passphrase "test").
 *   - every supported file loads; its type is right; its public blob equals
 *     the .pub file's (s2_pubkey_line_parse); signatures for every fitting
 *     algorithm verify with s2_pubkey_parse + s2_pubkey_verify and fail on
 *     other data; no allocation is leaked
 *   - encrypted files: missing, empty and wrong passphrase ->
 *     KEYFILE_AUTH_FAILED with the message
 *   - DSA (openssh and PEM), garbage, empty input, a public key, PuTTY,
 *     unsupported cipher -> FILE with a message saying what
 *   - openssh-key-v1 bodies: every truncation and a trailing byte -> FILE;
 *     rebuilt bodies with a wrong check value, bad padding, a header public
 *     key that does not match, an Ed25519 seed that does not derive the
 *     stored public key, a corrupted RSA d or ECDSA d -> FILE
 *   - every truncation of an armoured file -> FILE or AUTH_FAILED, no crash
 *   - allocation failure at every allocation: ALLOC, nothing leaked
 *   - s2_pubkey_line_parse: comments, CRLF, mismatched type, bad base64
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "failalloc.h"
#include "keys/privkey_int.h"

#define PW "test"

struct keyfile {
    const char *name; /* tests/data/keys/<name>.key and .pub */
    enum s2_key_type type;
    int encrypted;
    int openssh;
};

static const struct keyfile keys[] = {
    {"ed25519", S2_KEY_ED25519, 0, 1},
    {"ecdsa256", S2_KEY_ECDSA_P256, 0, 1},
    {"ecdsa384", S2_KEY_ECDSA_P384, 0, 1},
    {"ecdsa521", S2_KEY_ECDSA_P521, 0, 1},
    {"rsa2048", S2_KEY_RSA, 0, 1},
    {"rsa3072", S2_KEY_RSA, 0, 1},
    {"ed25519_aes256ctr", S2_KEY_ED25519, 1, 1},
    {"ed25519_aes256cbc", S2_KEY_ED25519, 1, 1},
    {"ed25519_aes128ctr", S2_KEY_ED25519, 1, 1},
    {"ed25519_chacha", S2_KEY_ED25519, 1, 1},
    {"ecdsa384_aes256ctr", S2_KEY_ECDSA_P384, 1, 1},
    {"rsa2048_chacha", S2_KEY_RSA, 1, 1},
    {"ecdsa521_aes256cbc", S2_KEY_ECDSA_P521, 1, 1},
    {"rsa2048_pem", S2_KEY_RSA, 0, 0},
    {"ecdsa256_pem", S2_KEY_ECDSA_P256, 0, 0},
    {"ecdsa384_pem", S2_KEY_ECDSA_P384, 0, 0},
    {"ecdsa521_pem", S2_KEY_ECDSA_P521, 0, 0},
    {"rsa2048_pkcs8", S2_KEY_RSA, 0, 0},
    {"ecdsa384_pkcs8", S2_KEY_ECDSA_P384, 0, 0},
    {"rsa2048_pem_aes256", S2_KEY_RSA, 1, 0},
    {"ecdsa256_pem_aes128", S2_KEY_ECDSA_P256, 1, 0},
    {"ecdsa384_pem_des3", S2_KEY_ECDSA_P384, 1, 0},
    {"rsa2048_pkcs8_aes256", S2_KEY_RSA, 1, 0},
    {"ecdsa521_pkcs8_aes128", S2_KEY_ECDSA_P521, 1, 0},
    {"ecdsa256_pkcs8_aes256_sha1", S2_KEY_ECDSA_P256, 1, 0},
    {"ed25519_pkcs8", S2_KEY_ED25519, 0, 0},
};
#define NKEYS (sizeof keys / sizeof keys[0])

static const char *rsa_algs[] = {"rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"};

static uint8_t *
read_data(const char *name, const char *ext, size_t *len)
{
    char path[1024];
    const char *me = __FILE__;
    const char *cut = strstr(me, "tests/unit/keys/");
    FILE *f;
    long n;
    uint8_t *buf;

    assert_non_null(cut);
    snprintf(path, sizeof path, "%.*stests/data/keys/%s%s", (int)(cut - me), me, name, ext);
    f = fopen(path, "rb");
    if (f == NULL) {
        fail_msg("cannot open %s", path);
    }
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    n = ftell(f);
    assert_true(n > 0);
    assert_int_equal(fseek(f, 0, SEEK_SET), 0);
    buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    buf[n] = 0;
    *len = (size_t)n;
    return buf;
}

struct ctx {
    struct fa_state st;
    struct s2_env env;
};

static void
ctx_init(struct ctx *c, unsigned long fail_at)
{
    memset(c, 0, sizeof *c);
    fa_init(&c->st, fail_at);
    fa_allocator(&c->env.alloc, &c->st);
}

static void
assert_msg(const struct ctx *c, const char *part)
{
    assert_non_null(c->env.err.msg);
    if (strstr(c->env.err.msg, part) == NULL) {
        fail_msg("message \"%s\" lacks \"%s\"", c->env.err.msg, part);
    }
}

/* pub_blob returns the blob of a .pub file in |w| (dyn writer). */
static void
pub_blob(const char *name, struct s2_wr *w, const struct s2_allocator *a)
{
    size_t len = 0;
    uint8_t *text = read_data(name, ".pub", &len);

    s2_wr_dyn(w, a, 64 * 1024);
    assert_int_equal(s2_pubkey_line_parse((const char *)text, len, w), 0);
    free(text);
}

static void
check_sign(const struct s2_privkey *k, const uint8_t *blob, size_t blob_len,
           const struct s2_allocator *a, const char *alg_name)
{
    static const uint8_t data[] = "session id || SSH_MSG_USERAUTH_REQUEST ...";
    const struct s2_sig_alg *alg = s2_sig_alg_find(alg_name, strlen(alg_name));
    struct s2_pubkey pub;
    struct s2_wr sig;

    assert_non_null(alg);
    assert_int_equal(s2_pubkey_parse(blob, blob_len, &pub), 0);
    s2_wr_dyn(&sig, a, S2_SIG_MAX);
    assert_int_equal(s2_privkey_sign(k, alg, data, sizeof data, &sig), 0);
    assert_int_equal(s2_pubkey_verify(&pub, alg, sig.p, sig.len, data, sizeof data), 0);
    /* other data, or a flipped signature byte: rejected */
    assert_int_equal(s2_pubkey_verify(&pub, alg, sig.p, sig.len, data, sizeof data - 1),
                     LIBSSH2_ERROR_HOSTKEY_SIGN);
    sig.p[sig.len - 1] ^= 1;
    assert_int_equal(s2_pubkey_verify(&pub, alg, sig.p, sig.len, data, sizeof data),
                     LIBSSH2_ERROR_HOSTKEY_SIGN);
    s2_wr_free(&sig);
}

static void
test_load_all(void **state)
{
    size_t i;
    size_t j;

    (void)state;
    for (i = 0; i < NKEYS; i++) {
        struct ctx c;
        struct s2_privkey *k = NULL;
        struct s2_wr want;
        struct s2_wr got;
        size_t len = 0;
        uint8_t *text = read_data(keys[i].name, ".key", &len);

        ctx_init(&c, 0);
        if (s2_privkey_load(&c.env, text, len, keys[i].encrypted ? PW : NULL, &k) != 0) {
            fail_msg("%s: %s", keys[i].name, c.env.err.msg);
        }
        assert_int_equal(s2_privkey_type(k), keys[i].type);
        pub_blob(keys[i].name, &want, &c.env.alloc);
        s2_wr_dyn(&got, &c.env.alloc, 64 * 1024);
        assert_int_equal(s2_privkey_pubblob(k, &got), 0);
        assert_int_equal(got.len, want.len);
        assert_memory_equal(got.p, want.p, want.len);
        if (keys[i].type == S2_KEY_RSA) {
            for (j = 0; j < 3; j++) {
                check_sign(k, want.p, want.len, &c.env.alloc, rsa_algs[j]);
            }
            /* an algorithm of another key type is refused */
            assert_int_equal(s2_privkey_sign(k, s2_sig_alg_find("ssh-ed25519", 11),
                                             (const uint8_t *)"x", 1, &got),
                             LIBSSH2_ERROR_BAD_USE);
        } else {
            const char *name = keys[i].type == S2_KEY_ED25519      ? "ssh-ed25519"
                               : keys[i].type == S2_KEY_ECDSA_P256 ? "ecdsa-sha2-nistp256"
                               : keys[i].type == S2_KEY_ECDSA_P384 ? "ecdsa-sha2-nistp384"
                                                                   : "ecdsa-sha2-nistp521";
            check_sign(k, want.p, want.len, &c.env.alloc, name);
            assert_int_equal(s2_privkey_sign(k, s2_sig_alg_find("rsa-sha2-256", 12),
                                             (const uint8_t *)"x", 1, &got),
                             LIBSSH2_ERROR_BAD_USE);
        }
        s2_wr_free(&want);
        s2_wr_free(&got);
        s2_privkey_free(&c.env.alloc, k);
        assert_int_equal(c.st.blocks, 0);
        /* an unencrypted key ignores a passphrase, as libssh2 does */
        if (!keys[i].encrypted) {
            assert_int_equal(s2_privkey_load(&c.env, text, len, "unused", &k), 0);
            s2_privkey_free(&c.env.alloc, k);
            k = NULL;
        }
        assert_int_equal(c.st.blocks, 0);
        free(text);
    }
}

static void
test_passphrase(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < NKEYS; i++) {
        struct ctx c;
        struct s2_privkey *k = NULL;
        size_t len = 0;
        uint8_t *text;

        if (!keys[i].encrypted) {
            continue;
        }
        text = read_data(keys[i].name, ".key", &len);
        ctx_init(&c, 0);
        assert_int_equal(s2_privkey_load(&c.env, text, len, NULL, &k),
                         LIBSSH2_ERROR_KEYFILE_AUTH_FAILED);
        assert_null(k);
        assert_msg(&c, "no passphrase was given");
        assert_int_equal(s2_privkey_load(&c.env, text, len, "", &k),
                         LIBSSH2_ERROR_KEYFILE_AUTH_FAILED);
        assert_msg(&c, "no passphrase was given");
        if (s2_privkey_load(&c.env, text, len, "wrong passphrase", &k) !=
            LIBSSH2_ERROR_KEYFILE_AUTH_FAILED) {
            fail_msg("%s: wrong passphrase gave \"%s\"", keys[i].name, c.env.err.msg);
        }
        assert_null(k);
        assert_msg(&c, "wrong passphrase");
        assert_int_equal(s2_privkey_load(&c.env, text, len, "Test", &k),
                         LIBSSH2_ERROR_KEYFILE_AUTH_FAILED);
        assert_int_equal(c.st.blocks, 0);
        free(text);
    }
}

static void
test_refused(void **state)
{
    static const struct {
        const char *text;
        const char *msg;
    } cases[] = {
        {"", "empty"},
        {"garbage\n", "not a private key"},
        {"-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEA\n", "END"},
        {"-----BEGIN OPENSSH PRIVATE KEY-----\n!!!!\n-----END OPENSSH PRIVATE KEY-----\n",
         "base64"},
        {"-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEA\n"
         "-----END OPENSSH PRIVATE KEY-----\n",
         "malformed"},
        {"-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n", "malformed"},
        {"-----BEGIN PRIVATE KEY-----\nMAA=\n-----END PRIVATE KEY-----\n", "malformed"},
        {"-----BEGIN ENCRYPTED PRIVATE KEY-----\nMAA=\n-----END ENCRYPTED PRIVATE KEY-----\n",
         "malformed"},
        {"-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n", "not a private"},
        {"PuTTY-User-Key-File-3: ssh-ed25519\n", "PuTTY"},
        {"---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----\n", "ssh.com"},
        {"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA== x\n", "public key"},
    };
    size_t i;
    struct ctx c;
    struct s2_privkey *k = NULL;

    (void)state;
    ctx_init(&c, 0);
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int rc =
            s2_privkey_load(&c.env, (const uint8_t *)cases[i].text, strlen(cases[i].text), PW, &k);
        if (rc != LIBSSH2_ERROR_FILE) {
            fail_msg("case %zu: %d (%s)", i, rc, c.env.err.msg);
        }
        assert_null(k);
        assert_msg(&c, cases[i].msg);
    }
    assert_int_equal(s2_privkey_load(&c.env, NULL, 0, NULL, &k), LIBSSH2_ERROR_FILE);
    assert_int_equal(c.st.blocks, 0);
}

static void
test_dsa(void **state)
{
    static const char *names[] = {"dsa", "dsa_pem"};
    size_t i;

    (void)state;
    for (i = 0; i < 2; i++) {
        struct ctx c;
        struct s2_privkey *k = NULL;
        size_t len = 0;
        uint8_t *text = read_data(names[i], ".key", &len);

        ctx_init(&c, 0);
        assert_int_equal(s2_privkey_load(&c.env, text, len, NULL, &k), LIBSSH2_ERROR_FILE);
        assert_null(k);
        assert_msg(&c, "DSA keys are not supported");
        assert_int_equal(c.st.blocks, 0);
        free(text);
    }
}

/* decode_body returns the decoded openssh-key-v1 body of a key file. */
static void
decode_body(const char *name, struct s2_wr *w, const struct s2_allocator *a)
{
    size_t len = 0;
    uint8_t *text = read_data(name, ".key", &len);
    const char *b = strstr((const char *)text, "-----BEGIN OPENSSH PRIVATE KEY-----");
    const char *e = strstr((const char *)text, "-----END OPENSSH PRIVATE KEY-----");

    assert_non_null(b);
    assert_non_null(e);
    b += strlen("-----BEGIN OPENSSH PRIVATE KEY-----");
    s2_wr_dyn(w, a, S2_KEYFILE_MAX);
    assert_int_equal(s2_base64_decode(w, b, (size_t)(e - b)), 0);
    free(text);
}

static void
test_truncations(void **state)
{
    size_t i;
    size_t n;

    (void)state;
    for (i = 0; i < NKEYS; i++) {
        struct ctx c;
        struct s2_privkey *k = NULL;
        struct s2_wr body;
        uint8_t *copy;

        if (!keys[i].openssh) {
            continue;
        }
        ctx_init(&c, 0);
        decode_body(keys[i].name, &body, &c.env.alloc);
        for (n = 0; n < body.len; n++) {
            /* an exact-size copy, so ASan sees any read past the end */
            copy = malloc(n + 1);
            assert_non_null(copy);
            memcpy(copy, body.p, n);
            if (s2_privkey_openssh_parse(&c.env, copy, n, PW, &k) != LIBSSH2_ERROR_FILE) {
                fail_msg("%s truncated to %zu: %s", keys[i].name, n, c.env.err.msg);
            }
            assert_null(k);
            free(copy);
        }
        /* a trailing byte */
        copy = malloc(body.len + 1);
        assert_non_null(copy);
        memcpy(copy, body.p, body.len);
        copy[body.len] = 0;
        assert_int_equal(s2_privkey_openssh_parse(&c.env, copy, body.len + 1, PW, &k),
                         LIBSSH2_ERROR_FILE);
        free(copy);
        s2_wr_free(&body);
        assert_int_equal(c.st.blocks, 0);
    }
}

static void
test_text_truncations(void **state)
{
    static const char *names[] = {"ed25519", "ecdsa256_pem", "rsa2048_pkcs8",
                                  "ecdsa256_pem_aes128"};
    size_t i;
    size_t n;

    (void)state;
    for (i = 0; i < sizeof names / sizeof names[0]; i++) {
        struct ctx c;
        struct s2_privkey *k = NULL;
        size_t len = 0;
        uint8_t *text = read_data(names[i], ".key", &len);
        int rc;

        ctx_init(&c, 0);
        /* the END line is at least 20 bytes: every cut before it fails */
        for (n = 0; n + 20 < len; n++) {
            uint8_t *copy = malloc(n + 1);
            assert_non_null(copy);
            memcpy(copy, text, n);
            rc = s2_privkey_load(&c.env, copy, n, PW, &k);
            if (rc != LIBSSH2_ERROR_FILE && rc != LIBSSH2_ERROR_KEYFILE_AUTH_FAILED) {
                fail_msg("%s cut at %zu: %d", names[i], n, rc);
            }
            assert_null(k);
            free(copy);
        }
        assert_int_equal(c.st.blocks, 0);
        free(text);
    }
}

/* A decoded unencrypted openssh-key-v1 body, taken apart. */
struct parts {
    struct s2_rd pub; /* header public key */
    struct s2_rd type;
    struct s2_rd f[6];
    size_t nf;
    struct s2_rd comment;
};

static void
split(const struct s2_wr *body, struct parts *p, struct s2_rd *inner)
{
    struct s2_rd r;
    struct s2_rd x;
    size_t i;

    memset(p, 0, sizeof *p);
    s2_rd_init(&r, body->p, body->len);
    s2_rd_skip(&r, 15);
    for (i = 0; i < 3; i++) {
        s2_rd_str(&r, 1024, &x); /* cipher, kdf, kdfoptions */
    }
    assert_int_equal(s2_rd_u32(&r), 1);
    s2_rd_str(&r, 4096, &p->pub);
    s2_rd_str(&r, 65536, inner);
    assert_int_equal(s2_rd_finish(&r), 0);
    r = *inner;
    s2_rd_skip(&r, 8);
    s2_rd_str(&r, 64, &p->type);
    p->nf = s2_rd_eq(&p->type, "ssh-ed25519") ? 2 : s2_rd_eq(&p->type, "ssh-rsa") ? 6 : 3;
    for (i = 0; i < p->nf; i++) {
        s2_rd_str(&r, 4096, &p->f[i]);
    }
    s2_rd_str(&r, 4096, &p->comment);
    assert_int_equal(s2_rd_ok(&r), 0);
}

/* build writes an unencrypted body from parts: |check2| as the second
 * check value, |pad| the first padding byte (1 is right). */
static void
build(struct s2_wr *w, const struct parts *p, uint32_t check2, uint8_t pad)
{
    size_t mark = 0;
    size_t i;
    size_t n;

    s2_wr_raw(w, "openssh-key-v1", 15);
    s2_wr_cstr(w, "none");
    s2_wr_cstr(w, "none");
    s2_wr_str(w, NULL, 0);
    s2_wr_u32(w, 1);
    s2_wr_str(w, p->pub.p, p->pub.left);
    s2_wr_begin_str(w, &mark);
    s2_wr_u32(w, 0x12345678);
    s2_wr_u32(w, check2);
    s2_wr_str(w, p->type.p, p->type.left);
    for (i = 0; i < p->nf; i++) {
        s2_wr_str(w, p->f[i].p, p->f[i].left);
    }
    s2_wr_str(w, p->comment.p, p->comment.left);
    n = 1;
    while ((w->len - mark - 4) % 8 != 0) {
        s2_wr_u8(w, n == 1 ? pad : (uint8_t)n);
        n++;
    }
    if (n == 1 && pad != 1) {
        /* no padding was needed: add a wrong one-byte pad and fill up */
        for (n = 0; n < 8; n++) {
            s2_wr_u8(w, n == 0 ? pad : (uint8_t)(n + 1));
        }
    }
    s2_wr_end_str(w, mark);
    assert_int_equal(s2_wr_ok(w), 0);
}

static int
parse_built(struct ctx *c, const struct parts *p, uint32_t check2, uint8_t pad)
{
    struct s2_wr w;
    struct s2_privkey *k = NULL;
    int rc;

    s2_wr_dyn(&w, &c->env.alloc, S2_KEYFILE_MAX);
    build(&w, p, check2, pad);
    rc = s2_privkey_openssh_parse(&c->env, w.p, w.len, NULL, &k);
    s2_privkey_free(&c->env.alloc, k);
    s2_wr_free(&w);
    return rc;
}

static void
test_mutations(void **state)
{
    static const char *names[] = {"ed25519", "ecdsa256", "ecdsa521", "rsa2048"};
    uint8_t buf[4096];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof names / sizeof names[0]; i++) {
        struct ctx c;
        struct s2_wr body;
        struct s2_rd inner;
        struct parts p;
        struct parts q;
        struct s2_rd *secret;

        ctx_init(&c, 0);
        decode_body(names[i], &body, &c.env.alloc);
        split(&body, &p, &inner);
        /* the rebuilt body itself loads */
        assert_int_equal(parse_built(&c, &p, 0x12345678, 1), 0);
        /* check values differ */
        assert_int_equal(parse_built(&c, &p, 0x12345679, 1), LIBSSH2_ERROR_FILE);
        assert_msg(&c, "check values");
        /* wrong padding */
        assert_int_equal(parse_built(&c, &p, 0x12345678, 7), LIBSSH2_ERROR_FILE);
        /* header public key differs from the private key */
        q = p;
        assert_true(p.pub.left < sizeof buf);
        memcpy(buf, p.pub.p, p.pub.left);
        buf[p.pub.left - 1] ^= 1;
        s2_rd_init(&q.pub, buf, p.pub.left);
        assert_int_equal(parse_built(&c, &q, 0x12345678, 1), LIBSSH2_ERROR_FILE);
        /* a corrupted secret: ed25519 seed||pub copy, ECDSA d, RSA d */
        q = p;
        secret = s2_rd_eq(&p.type, "ssh-ed25519") ? &q.f[1] : &q.f[2];
        memcpy(buf, secret->p, secret->left);
        buf[secret->left - 1] ^= 1;
        s2_rd_init(secret, buf, p.f[s2_rd_eq(&p.type, "ssh-ed25519") ? 1 : 2].left);
        assert_int_equal(parse_built(&c, &q, 0x12345678, 1), LIBSSH2_ERROR_FILE);
        /* the type name replaced by ssh-dss */
        q = p;
        s2_rd_init(&q.type, "ssh-dss", 7);
        assert_int_equal(parse_built(&c, &q, 0x12345678, 1), LIBSSH2_ERROR_FILE);
        assert_msg(&c, "DSA");
        s2_wr_free(&body);
        assert_int_equal(c.st.blocks, 0);
    }
}

static void
test_alloc_failures(void **state)
{
    static const char *names[] = {"ed25519",
                                  "ed25519_chacha",
                                  "rsa2048_pem",
                                  "ecdsa256_pem_aes128",
                                  "rsa2048_pkcs8_aes256",
                                  "ed25519_pkcs8"};
    size_t i;
    unsigned long n;

    (void)state;
    for (i = 0; i < sizeof names / sizeof names[0]; i++) {
        size_t len = 0;
        uint8_t *text = read_data(names[i], ".key", &len);

        for (n = 1; n < 100; n++) {
            struct ctx c;
            struct s2_privkey *k = NULL;
            int rc;

            ctx_init(&c, n);
            rc = s2_privkey_load(&c.env, text, len, PW, &k);
            s2_privkey_free(&c.env.alloc, k);
            assert_int_equal(c.st.blocks, 0);
            if (c.st.failures == 0) {
                assert_int_equal(rc, 0);
                break;
            }
            if (rc != LIBSSH2_ERROR_ALLOC) {
                fail_msg("%s, allocation %lu failing: %d (%s)", names[i], n, rc, c.env.err.msg);
            }
        }
        assert_true(n < 100);
        free(text);
    }
}

static void
test_publine(void **state)
{
    static const char ok[] = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHRlc3R0ZXN0dGVzdHRlc3R0ZXN0dGVz"
                             "dHRlc3R0ZXN0 a comment with spaces\r\n";
    static const char *bad[] = {
        "",
        "ssh-ed25519",
        "ssh-ed25519 ",
        "ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIHRlc3R0ZXN0dGVzdHRlc3R0ZXN0dGVzdHRlc3R0ZXN0",
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHRlc3R0ZXN0dGVzdHRlc3R0ZXN0dGVzdHRlc3R0ZXN0!",
        "ssh-ed25519 AAAA",
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE",
    };
    struct s2_allocator a;
    void *slot = NULL;
    struct s2_wr w;
    uint8_t fixed[8];
    size_t i;

    (void)state;
    s2_allocator_default(&a, &slot);
    s2_wr_dyn(&w, &a, 4096);
    s2_wr_u8(&w, 0xee);
    assert_int_equal(s2_pubkey_line_parse(ok, strlen(ok), &w), 0);
    assert_int_equal(w.len, 1 + 51);
    assert_memory_equal(w.p + 1, "\0\0\0\x0bssh-ed25519\0\0\0\x20test", 23);
    /* leading blanks, no comment, no newline */
    assert_int_equal(s2_pubkey_line_parse("  ssh-ed25519\tAAAAC3NzaC1lZDI1NTE5", 34, &w), 0);
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        size_t before = w.len;
        if (s2_pubkey_line_parse(bad[i], strlen(bad[i]), &w) != LIBSSH2_ERROR_FILE) {
            fail_msg("bad line %zu accepted", i);
        }
        assert_int_equal(w.len, before);
    }
    s2_wr_free(&w);
    /* a fixed buffer too small: an error, nothing appended */
    s2_wr_fixed(&w, fixed, sizeof fixed);
    assert_int_not_equal(s2_pubkey_line_parse(ok, strlen(ok), &w), 0);
    assert_int_equal(w.len, 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_load_all),    cmocka_unit_test(test_passphrase),
        cmocka_unit_test(test_refused),     cmocka_unit_test(test_dsa),
        cmocka_unit_test(test_truncations), cmocka_unit_test(test_text_truncations),
        cmocka_unit_test(test_mutations),   cmocka_unit_test(test_alloc_failures),
        cmocka_unit_test(test_publine),
    };
    if (s2_crypto_init() != 0) {
        return 1;
    }
    return cmocka_run_group_tests(tests, NULL, NULL);
}
