/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_sk.c: security keys (privkey_sk.c, userauth_sk_api.c's libssh2_sign_sk).
 * Key files: tests/data/sk (gen.py; checked there against ssh-keygen -y, and
 * sk_ed25519_enc.key was encrypted by ssh-keygen -p, passphrase "test").
 *   - both sk key files load: algorithm, name, flags, application, handle,
 *     public blob equal to the .pub line's; the encrypted one with "test",
 *     and without / with a wrong passphrase -> KEYFILE_AUTH_FAILED
 *   - s2_privkey_load refuses sk files, s2_sk_key_load refuses plain keys
 *     (FILE)
 *   - every truncation of the armoured text and of the decoded body, and a
 *     trailing byte -> FILE
 *   - rebuilt files: wrong check value, bad padding, header key / application
 *     not matching the private section, empty / NUL-containing application,
 *     empty key handle, handle at the cap (ok) and over it, length
 *     0xffffffff, wrong curve name, point off the curve, short ed25519 key
 *     -> FILE
 *   - s2_sk_pubkey_parse and s2_sk_parse_private: valid vectors, every
 *     truncation, trailing bytes, wrong names
 *   - allocation failure at every allocation of a load: ALLOC, no leak
 *   - libssh2_sign_sk with a test authenticator (the real private key):
 *     the output is string sig || flags || counter (ed25519) or
 *     string(mpint r || mpint s) || flags || counter (ECDSA), and the
 *     signature verifies over SHA256(app) || flags || counter ||
 *     SHA256(data); a flipped byte of the data does not verify; callback
 *     error, no handle, malformed ed25519/ECDSA signatures, bad arguments
 *     -> errors; whatever the callback allocated is freed
 *   - libssh2_userauth_publickey_sk before the handshake -> BAD_USE
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

/* ---- helpers --------------------------------------------------------- */

static uint8_t *
read_path(const char *rel, size_t *len)
{
    char path[1024];
    const char *me = __FILE__;
    const char *cut = strstr(me, "tests/unit/keys/");
    FILE *f;
    uint8_t *buf;
    long n;

    assert_non_null(cut);
    snprintf(path, sizeof path, "%.*s%s", (int)(cut - me), me, rel);
    f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    n = ftell(f);
    assert_true(n >= 0);
    rewind(f);
    buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = 0;
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static uint8_t *
read_sk(const char *name, size_t *len)
{
    char rel[256];
    snprintf(rel, sizeof rel, "tests/data/sk/%s", name);
    return read_path(rel, len);
}

static void
unhex(const char *hex, uint8_t *out, size_t n)
{
    size_t i;
    unsigned int v;
    for (i = 0; i < n; i++) {
        assert_int_equal(sscanf(hex + 2 * i, "%2x", &v), 1);
        out[i] = (uint8_t)v;
    }
}

static void
env_init(struct s2_env *env, struct fa_state *st)
{
    memset(env, 0, sizeof *env);
    fa_allocator(&env->alloc, st);
}

/* pub_blob_of decodes a .pub line into |w|. */
static void
pub_blob_of(const char *name, struct s2_wr *w)
{
    size_t n;
    uint8_t *line = read_sk(name, &n);
    assert_int_equal(s2_pubkey_line_parse((const char *)line, n, w), 0);
    free(line);
}

/* armour wraps |body| in the OpenSSH armour (base64, 70 per line). */
static void
armour(const uint8_t *body, size_t len, struct s2_wr *out)
{
    struct s2_wr b64;
    size_t i;
    s2_wr_dyn(&b64, out->a, 1u << 20);
    s2_base64_encode(&b64, body, len);
    assert_int_equal(s2_wr_ok(&b64), 0);
    s2_wr_raw(out, "-----BEGIN OPENSSH PRIVATE KEY-----\n", 36);
    for (i = 0; i < b64.len; i += 70) {
        s2_wr_raw(out, b64.p + i, b64.len - i < 70 ? b64.len - i : 70);
        s2_wr_raw(out, "\n", 1);
    }
    s2_wr_raw(out, "-----END OPENSSH PRIVATE KEY-----\n", 34);
    assert_int_equal(s2_wr_ok(out), 0);
    s2_wr_free(&b64);
}

/* body_of decodes an armoured file into |w|. */
static void
body_of(const uint8_t *text, size_t len, struct s2_wr *w)
{
    const char *b = strstr((const char *)text, "-----BEGIN OPENSSH PRIVATE KEY-----");
    const char *e = strstr((const char *)text, "-----END OPENSSH PRIVATE KEY-----");
    (void)len;
    assert_non_null(b);
    assert_non_null(e);
    b += 35;
    assert_int_equal(s2_base64_decode(w, b, (size_t)(e - b)), 0);
}

/* load_text loads |text| with a libc allocator; returns the code. */
static int
load_text(const uint8_t *text, size_t len, const char *pw, struct s2_sk_key **out)
{
    struct s2_env env;
    memset(&env, 0, sizeof env);
    s2_allocator_default(&env.alloc, NULL);
    return s2_sk_key_load(&env, text, len, pw, out);
}

static int
load_body(const uint8_t *body, size_t len)
{
    struct s2_wr text;
    struct s2_allocator a;
    struct s2_sk_key *k = NULL;
    int rc;
    s2_allocator_default(&a, NULL);
    s2_wr_dyn(&text, &a, 1u << 20);
    armour(body, len, &text);
    rc = load_text(text.p, text.len, NULL, &k);
    if (rc == 0) {
        s2_sk_key_free(&a, k);
    } else {
        assert_null(k);
    }
    s2_wr_free(&text);
    return rc;
}

/* Fields of a test sk key file, to rebuild variants from. */
struct spec {
    int ecdsa;
    const uint8_t *key;
    size_t key_len;
    const char *curve; /* ECDSA: in both blob and section */
    const uint8_t *app;
    size_t app_len;
    const uint8_t *hdr_app; /* the header public key's application */
    size_t hdr_app_len;
    uint8_t flags;
    const uint8_t *handle;
    size_t handle_len;
    uint32_t handle_len_field; /* 0: handle_len */
    uint32_t check2_xor;
    int bad_pad;
};

static void
build_body(const struct spec *sp, struct s2_wr *w)
{
    const char *name = sp->ecdsa ? S2_SK_ECDSA_NAME : S2_SK_ED25519_NAME;
    struct s2_wr pub, sect;
    uint8_t i = 1;
    s2_wr_dyn(&pub, w->a, 1u << 20);
    s2_wr_dyn(&sect, w->a, 1u << 20);
    s2_wr_cstr(&pub, name);
    if (sp->ecdsa) {
        s2_wr_cstr(&pub, "nistp256");
    }
    s2_wr_str(&pub, sp->key, sp->key_len);
    s2_wr_str(&pub, sp->hdr_app, sp->hdr_app_len);

    s2_wr_u32(&sect, 0x11223344u);
    s2_wr_u32(&sect, 0x11223344u ^ sp->check2_xor);
    s2_wr_cstr(&sect, name);
    if (sp->ecdsa) {
        s2_wr_cstr(&sect, sp->curve);
    }
    s2_wr_str(&sect, sp->key, sp->key_len);
    s2_wr_str(&sect, sp->app, sp->app_len);
    s2_wr_u8(&sect, sp->flags);
    if (sp->handle_len_field != 0) {
        s2_wr_u32(&sect, sp->handle_len_field);
        s2_wr_raw(&sect, sp->handle, sp->handle_len);
    } else {
        s2_wr_str(&sect, sp->handle, sp->handle_len);
    }
    s2_wr_str(&sect, "", 0);    /* reserved */
    s2_wr_cstr(&sect, "built"); /* comment */
    while (sect.len % 8 != 0) {
        s2_wr_u8(&sect, sp->bad_pad ? (uint8_t)(i + 1) : i);
        i++;
    }
    if (sp->bad_pad && sect.len % 8 == 0 && i == 1) {
        s2_wr_raw(&sect, "\x01\x02\x03\x04\x05\x06\x07\x09", 8);
    }

    s2_wr_raw(w, "openssh-key-v1", 15);
    s2_wr_cstr(w, "none");
    s2_wr_cstr(w, "none");
    s2_wr_str(w, "", 0);
    s2_wr_u32(w, 1);
    s2_wr_str(w, pub.p, pub.len);
    s2_wr_str(w, sect.p, sect.len);
    assert_int_equal(s2_wr_ok(w), 0);
    s2_wr_free(&pub);
    s2_wr_free(&sect);
}

static uint8_t g_handle[S2_SK_HANDLE_MAX + 1];
static uint8_t g_ed_pub[32];
static uint8_t g_ec_q[65];

static void
default_spec(struct spec *sp, int ecdsa)
{
    size_t n;
    uint8_t *blob_line;
    struct s2_wr w;
    struct s2_allocator a;
    struct s2_sk_pub p;

    memset(sp, 0, sizeof *sp);
    memset(g_handle, 0xa5, sizeof g_handle);
    s2_allocator_default(&a, NULL);
    s2_wr_dyn(&w, &a, 4096);
    blob_line = read_sk(ecdsa ? "sk_ecdsa.pub" : "sk_ed25519.pub", &n);
    assert_int_equal(s2_pubkey_line_parse((const char *)blob_line, n, &w), 0);
    assert_int_equal(s2_sk_pubkey_parse(w.p, w.len, &p), 0);
    if (ecdsa) {
        memcpy(g_ec_q, p.key.p, 65);
    } else {
        memcpy(g_ed_pub, p.key.p, 32);
    }
    free(blob_line);
    s2_wr_free(&w);
    sp->ecdsa = ecdsa;
    sp->key = ecdsa ? g_ec_q : g_ed_pub;
    sp->key_len = ecdsa ? 65 : 32;
    sp->curve = "nistp256";
    sp->app = (const uint8_t *)"ssh:";
    sp->app_len = 4;
    sp->hdr_app = sp->app;
    sp->hdr_app_len = sp->app_len;
    sp->flags = 0x05;
    sp->handle = g_handle;
    sp->handle_len = 32;
}

static int
load_spec(const struct spec *sp)
{
    struct s2_allocator a;
    struct s2_wr body;
    int rc;
    s2_allocator_default(&a, NULL);
    s2_wr_dyn(&body, &a, 1u << 20);
    build_body(sp, &body);
    rc = load_body(body.p, body.len);
    s2_wr_free(&body);
    return rc;
}

/* ---- key files ------------------------------------------------------- */

static void
check_file(const char *file, const char *pubfile, const char *pw, int algorithm, const char *name)
{
    struct fa_state st;
    struct s2_env env;
    struct s2_sk_key *k = NULL;
    struct s2_wr blob;
    struct s2_sk_pub p;
    size_t n;
    uint8_t *text = read_sk(file, &n);

    fa_init(&st, 0);
    env_init(&env, &st);
    assert_int_equal(s2_sk_key_load(&env, text, n, pw, &k), 0);
    assert_non_null(k);
    assert_int_equal(k->algorithm, algorithm);
    assert_string_equal(k->name, name);
    assert_int_equal(k->flags, 0x01);
    assert_string_equal(k->application, "ssh:");
    assert_int_equal(k->key_handle_len, 64);
    s2_wr_dyn(&blob, &env.alloc, 4096);
    pub_blob_of(pubfile, &blob);
    assert_int_equal(k->pubblob_len, blob.len);
    assert_memory_equal(k->pubblob, blob.p, blob.len);
    assert_int_equal(s2_sk_pubkey_parse(k->pubblob, k->pubblob_len, &p), 0);
    assert_int_equal(p.algorithm, algorithm);
    assert_true(s2_rd_eq(&p.application, "ssh:"));
    s2_wr_free(&blob);
    s2_sk_key_free(&env.alloc, k);
    assert_int_equal(st.blocks, 0);
    free(text);
}

static void
test_load_files(void **state)
{
    (void)state;
    check_file("sk_ed25519.key", "sk_ed25519.pub", NULL, LIBSSH2_HOSTKEY_TYPE_ED25519,
               S2_SK_ED25519_NAME);
    check_file("sk_ecdsa.key", "sk_ecdsa.pub", NULL, LIBSSH2_HOSTKEY_TYPE_ECDSA_256,
               S2_SK_ECDSA_NAME);
    check_file("sk_ed25519_enc.key", "sk_ed25519.pub", PW, LIBSSH2_HOSTKEY_TYPE_ED25519,
               S2_SK_ED25519_NAME);
}

static void
test_encrypted(void **state)
{
    struct s2_sk_key *k = NULL;
    struct s2_sk_key *plain = NULL;
    struct s2_allocator a;
    size_t n, pn;
    uint8_t *text = read_sk("sk_ed25519_enc.key", &n);
    uint8_t *ptext = read_sk("sk_ed25519.key", &pn);
    (void)state;
    s2_allocator_default(&a, NULL);
    assert_int_equal(load_text(text, n, NULL, &k), LIBSSH2_ERROR_KEYFILE_AUTH_FAILED);
    assert_null(k);
    assert_int_equal(load_text(text, n, "", &k), LIBSSH2_ERROR_KEYFILE_AUTH_FAILED);
    assert_int_equal(load_text(text, n, "wrong", &k), LIBSSH2_ERROR_KEYFILE_AUTH_FAILED);
    assert_null(k);
    assert_int_equal(load_text(text, n, PW, &k), 0);
    assert_int_equal(load_text(ptext, pn, NULL, &plain), 0);
    assert_int_equal(k->key_handle_len, plain->key_handle_len);
    assert_memory_equal(k->key_handle, plain->key_handle, k->key_handle_len);
    s2_sk_key_free(&a, k);
    s2_sk_key_free(&a, plain);
    free(text);
    free(ptext);
}

static void
test_wrong_kind(void **state)
{
    struct s2_env env;
    struct s2_privkey *pk = NULL;
    struct s2_sk_key *k = NULL;
    size_t n;
    uint8_t *text = read_sk("sk_ed25519.key", &n);
    uint8_t *plain;
    (void)state;
    memset(&env, 0, sizeof env);
    s2_allocator_default(&env.alloc, NULL);
    /* the plain loader says what to use instead */
    assert_int_equal(s2_privkey_load(&env, text, n, NULL, &pk), LIBSSH2_ERROR_FILE);
    assert_null(pk);
    assert_non_null(strstr(env.err.msg, "libssh2_userauth_publickey_sk"));
    free(text);
    /* and an ordinary key is no security key */
    plain = read_path("tests/data/keys/ed25519.key", &n);
    assert_int_equal(s2_sk_key_load(&env, plain, n, NULL, &k), LIBSSH2_ERROR_FILE);
    assert_null(k);
    assert_non_null(strstr(env.err.msg, "security key"));
    free(plain);
    /* not even armoured */
    assert_int_equal(load_text((const uint8_t *)"sk-ssh-ed25519@openssh.com AAAA", 31, NULL, &k),
                     LIBSSH2_ERROR_FILE);
    assert_int_equal(load_text((const uint8_t *)"", 0, NULL, &k), LIBSSH2_ERROR_FILE);
    assert_int_equal(load_text(NULL, 0, NULL, &k), LIBSSH2_ERROR_FILE);
    assert_null(k);
}

static void
test_truncations(void **state)
{
    static const char *files[] = {"sk_ed25519.key", "sk_ecdsa.key"};
    struct s2_allocator a;
    struct s2_wr body;
    struct s2_sk_key *k = NULL;
    size_t f, n, i;
    uint8_t *text;
    (void)state;
    s2_allocator_default(&a, NULL);
    for (f = 0; f < 2; f++) {
        text = read_sk(files[f], &n);
        /* the armoured text: cut anywhere before the END line is an error */
        assert_int_equal(load_text(text, n - 1, NULL, &k), 0); /* without the last LF */
        s2_sk_key_free(&a, k);
        k = NULL;
        for (i = 0; i < n - 1; i++) {
            int rc = load_text(text, i, NULL, &k);
            assert_int_equal(rc, LIBSSH2_ERROR_FILE);
            assert_null(k);
        }
        /* the decoded body: every truncation and one trailing byte */
        s2_wr_dyn(&body, &a, 1u << 20);
        body_of(text, n, &body);
        assert_int_equal(load_body(body.p, body.len), 0);
        for (i = 0; i < body.len; i++) {
            assert_int_equal(load_body(body.p, i), LIBSSH2_ERROR_FILE);
        }
        s2_wr_u8(&body, 0);
        assert_int_equal(load_body(body.p, body.len), LIBSSH2_ERROR_FILE);
        s2_wr_free(&body);
        free(text);
    }
}

static void
test_rebuilt(void **state)
{
    static const uint8_t app_nul[] = {'s', 's', 'h', 0, 'x'};
    static const uint8_t other_app[] = "ssh:other";
    static const uint8_t off_curve[65] = {4, 1, 2, 3};
    struct spec sp;
    int ec;
    (void)state;
    for (ec = 0; ec < 2; ec++) {
        default_spec(&sp, ec);
        assert_int_equal(load_spec(&sp), 0);

        default_spec(&sp, ec);
        sp.check2_xor = 1;
        assert_int_equal(load_spec(&sp), LIBSSH2_ERROR_FILE);

        default_spec(&sp, ec);
        sp.bad_pad = 1;
        assert_int_equal(load_spec(&sp), LIBSSH2_ERROR_FILE);

        default_spec(&sp, ec);
        sp.hdr_app = other_app;
        sp.hdr_app_len = sizeof other_app - 1;
        assert_int_equal(load_spec(&sp), LIBSSH2_ERROR_FILE);

        default_spec(&sp, ec);
        sp.app_len = 0;
        sp.hdr_app_len = 0;
        assert_int_equal(load_spec(&sp), LIBSSH2_ERROR_FILE);

        default_spec(&sp, ec);
        sp.app = app_nul;
        sp.hdr_app = app_nul;
        sp.app_len = sp.hdr_app_len = sizeof app_nul;
        assert_int_equal(load_spec(&sp), LIBSSH2_ERROR_FILE);

        default_spec(&sp, ec);
        sp.handle_len = 0;
        assert_int_equal(load_spec(&sp), LIBSSH2_ERROR_FILE);

        default_spec(&sp, ec);
        sp.handle_len = S2_SK_HANDLE_MAX;
        assert_int_equal(load_spec(&sp), 0);
        sp.handle_len = S2_SK_HANDLE_MAX + 1;
        assert_int_equal(load_spec(&sp), LIBSSH2_ERROR_FILE);

        default_spec(&sp, ec);
        sp.handle_len_field = 0xffffffffu;
        assert_int_equal(load_spec(&sp), LIBSSH2_ERROR_FILE);

        default_spec(&sp, ec);
        sp.app_len = S2_SK_APP_MAX + 1; /* 0xa5 bytes: no NUL */
        sp.app = g_handle;
        sp.hdr_app = g_handle;
        sp.hdr_app_len = sp.app_len;
        assert_int_equal(load_spec(&sp), LIBSSH2_ERROR_FILE);
        sp.app_len = sp.hdr_app_len = S2_SK_APP_MAX;
        assert_int_equal(load_spec(&sp), 0);

        default_spec(&sp, ec);
        sp.key_len = ec ? 64 : 31;
        assert_int_equal(load_spec(&sp), LIBSSH2_ERROR_FILE);
    }
    default_spec(&sp, 1);
    sp.curve = "nistp384";
    assert_int_equal(load_spec(&sp), LIBSSH2_ERROR_FILE);
    default_spec(&sp, 1);
    sp.key = off_curve;
    assert_int_equal(load_spec(&sp), LIBSSH2_ERROR_FILE);
}

static void
test_pubkey_parse(void **state)
{
    static const char *pubs[] = {"sk_ed25519.pub", "sk_ecdsa.pub"};
    struct s2_allocator a;
    struct s2_wr w;
    struct s2_sk_pub p;
    size_t f, i;
    (void)state;
    s2_allocator_default(&a, NULL);
    for (f = 0; f < 2; f++) {
        s2_wr_dyn(&w, &a, 4096);
        pub_blob_of(pubs[f], &w);
        assert_int_equal(s2_sk_pubkey_parse(w.p, w.len, &p), 0);
        assert_int_equal(p.key.left, f == 0 ? 32 : 65);
        for (i = 0; i < w.len; i++) {
            assert_int_equal(s2_sk_pubkey_parse(w.p, i, &p), LIBSSH2_ERROR_FILE);
        }
        s2_wr_u8(&w, 0);
        assert_int_equal(s2_sk_pubkey_parse(w.p, w.len, &p), LIBSSH2_ERROR_FILE);
        w.len--;
        w.p[10] ^= 1; /* inside the type name */
        assert_int_equal(s2_sk_pubkey_parse(w.p, w.len, &p), LIBSSH2_ERROR_FILE);
        s2_wr_free(&w);
    }
    /* a plain ed25519 key is not an sk key */
    s2_wr_dyn(&w, &a, 4096);
    s2_wr_cstr(&w, "ssh-ed25519");
    s2_wr_str(&w, g_ed_pub, 32);
    assert_int_equal(s2_sk_pubkey_parse(w.p, w.len, &p), LIBSSH2_ERROR_FILE);
    s2_wr_free(&w);
}

static void
test_parse_private(void **state)
{
    struct s2_allocator a;
    struct s2_wr w;
    struct s2_rd r;
    struct s2_sk_priv pr;
    struct spec sp;
    size_t i;
    int ec;
    (void)state;
    s2_allocator_default(&a, NULL);
    for (ec = 0; ec < 2; ec++) {
        default_spec(&sp, ec);
        s2_wr_dyn(&w, &a, 4096);
        if (ec) {
            s2_wr_cstr(&w, "nistp256");
        }
        s2_wr_str(&w, sp.key, sp.key_len);
        s2_wr_cstr(&w, "ssh:");
        s2_wr_u8(&w, 0x21);
        s2_wr_str(&w, g_handle, 7);
        s2_wr_cstr(&w, "rsv");
        s2_rd_init(&r, w.p, w.len);
        assert_int_equal(
            s2_sk_parse_private(
                &r, ec ? LIBSSH2_HOSTKEY_TYPE_ECDSA_256 : LIBSSH2_HOSTKEY_TYPE_ED25519, &pr),
            0);
        assert_int_equal(r.left, 0);
        assert_int_equal(pr.flags, 0x21);
        assert_int_equal(pr.key_handle.left, 7);
        assert_true(s2_rd_eq(&pr.application, "ssh:"));
        assert_true(s2_rd_eq(&pr.reserved, "rsv"));
        for (i = 0; i < w.len; i++) {
            s2_rd_init(&r, w.p, i);
            assert_int_equal(
                s2_sk_parse_private(
                    &r, ec ? LIBSSH2_HOSTKEY_TYPE_ECDSA_256 : LIBSSH2_HOSTKEY_TYPE_ED25519, &pr),
                LIBSSH2_ERROR_FILE);
        }
        /* the other algorithm's layout does not fit */
        s2_rd_init(&r, w.p, w.len);
        assert_int_equal(
            s2_sk_parse_private(
                &r, ec ? LIBSSH2_HOSTKEY_TYPE_ED25519 : LIBSSH2_HOSTKEY_TYPE_ECDSA_256, &pr),
            LIBSSH2_ERROR_FILE);
        s2_rd_init(&r, w.p, w.len);
        assert_int_equal(s2_sk_parse_private(&r, LIBSSH2_HOSTKEY_TYPE_RSA, &pr),
                         LIBSSH2_ERROR_FILE);
        s2_wr_free(&w);
    }
}

static void
test_alloc_failures(void **state)
{
    static const char *files[] = {"sk_ecdsa.key", "sk_ed25519_enc.key"};
    struct fa_state st;
    struct s2_env env;
    struct s2_sk_key *k = NULL;
    unsigned long i, total;
    size_t f, n;
    uint8_t *text;
    int rc;
    (void)state;
    for (f = 0; f < 2; f++) {
        text = read_sk(files[f], &n);
        fa_init(&st, 0);
        env_init(&env, &st);
        assert_int_equal(s2_sk_key_load(&env, text, n, PW, &k), 0);
        s2_sk_key_free(&env.alloc, k);
        total = st.calls;
        assert_true(total > 0);
        for (i = 1; i <= total; i++) {
            k = NULL;
            fa_init(&st, i);
            env_init(&env, &st);
            rc = s2_sk_key_load(&env, text, n, PW, &k);
            assert_int_equal(rc, LIBSSH2_ERROR_ALLOC);
            assert_null(k);
            assert_int_equal(st.blocks, 0);
        }
        free(text);
    }
}

/* ---- libssh2_sign_sk with a test authenticator ----------------------- */

struct authn {
    int algorithm;
    uint8_t ed_sk[64];
    struct s2_pk *ec; /* P-256 private key */
    uint8_t flags;    /* reported flags */
    uint32_t counter;
    int fail;      /* callback returns this when non-zero */
    int bad_shape; /* 1: ed25519 sig 63 bytes / ECDSA without s */
    int calls;
    const char *seen_app;
    uint8_t seen_flags;
    size_t seen_handle_len;
    int seen_alg;
};

/* message_of builds SHA256(app) || flags || counter || SHA256(data). */
static void
message_of(const char *app, uint8_t flags, uint32_t counter, const uint8_t *data, size_t len,
           uint8_t out[69])
{
    assert_int_equal(s2_hash_once(S2_HASH_SHA256, app, strlen(app), out), 0);
    out[32] = flags;
    s2_put_u32(out + 33, counter);
    assert_int_equal(s2_hash_once(S2_HASH_SHA256, data, len, out + 37), 0);
}

static LIBSSH2_USERAUTH_SK_SIGN_FUNC(authn_sign)
{
    struct authn *au = *abstract;
    uint8_t msg[69];
    uint8_t r[S2_EC_SECRET_MAX], s[S2_EC_SECRET_MAX];
    size_t rl = 0, sl = 0;

    (void)session;
    (void)key_handle;
    au->calls++;
    au->seen_app = application;
    au->seen_flags = flags;
    au->seen_handle_len = key_handle_len;
    au->seen_alg = algorithm;
    if (au->fail != 0) {
        return au->fail;
    }
    message_of(application, au->flags, au->counter, data, data_len, msg);
    sig_info->flags = au->flags;
    sig_info->counter = au->counter;
    if (algorithm == LIBSSH2_HOSTKEY_TYPE_ED25519) {
        sig_info->sig_r = malloc(64);
        assert_non_null(sig_info->sig_r);
        assert_int_equal(s2_ed25519_sign(au->ed_sk, msg, sizeof msg, sig_info->sig_r), 0);
        sig_info->sig_r_len = au->bad_shape ? 63 : 64;
        return 0;
    }
    assert_int_equal(s2_pk_ecdsa_sign(au->ec, msg, sizeof msg, r, &rl, s, &sl), 0);
    sig_info->sig_r = malloc(rl);
    assert_non_null(sig_info->sig_r);
    memcpy(sig_info->sig_r, r, rl);
    sig_info->sig_r_len = rl;
    if (!au->bad_shape) {
        sig_info->sig_s = malloc(sl);
        assert_non_null(sig_info->sig_s);
        memcpy(sig_info->sig_s, s, sl);
        sig_info->sig_s_len = sl;
    }
    return 0;
}

static void
authn_init(struct authn *au, int ecdsa)
{
    struct s2_allocator a;
    uint8_t key[32], pub[32];
    size_t n;
    uint8_t *hex;

    memset(au, 0, sizeof *au);
    s2_allocator_default(&a, NULL);
    if (!ecdsa) {
        au->algorithm = LIBSSH2_HOSTKEY_TYPE_ED25519;
        hex = read_sk("sk_ed25519.seed", &n);
        unhex((const char *)hex, key, 32);
        assert_int_equal(s2_ed25519_seed_keypair(key, pub, au->ed_sk), 0);
    } else {
        struct spec sp;
        default_spec(&sp, 1);
        au->algorithm = LIBSSH2_HOSTKEY_TYPE_ECDSA_256;
        hex = read_sk("sk_ecdsa.d", &n);
        unhex((const char *)hex, key, 32);
        assert_int_equal(s2_pk_ecdsa_import(&a, S2_CURVE_P256, key, 32, g_ec_q, 65, &au->ec), 0);
    }
    free(hex);
    au->flags = 0x01;
    au->counter = 0x01020304u;
}

/* verify_raw checks libssh2_sign_sk output against the key of |sp|. */
static int
verify_raw(const struct authn *au, const uint8_t *sig, size_t sig_len, const uint8_t *data,
           size_t data_len)
{
    struct s2_rd r, inner, rr, ss;
    uint8_t msg[69];
    uint8_t flags;
    uint32_t counter;
    struct spec sp;

    default_spec(&sp, au->algorithm == LIBSSH2_HOSTKEY_TYPE_ECDSA_256);
    s2_rd_init(&r, sig, sig_len);
    s2_rd_str(&r, 1024, &inner); /* string    signature */
    flags = s2_rd_u8(&r);        /* byte      flags */
    counter = s2_rd_u32(&r);     /* uint32    counter */
    assert_int_equal(s2_rd_finish(&r), 0);
    assert_int_equal(flags, au->flags);
    assert_int_equal(counter, au->counter);
    message_of("ssh:", flags, counter, data, data_len, msg);
    if (au->algorithm == LIBSSH2_HOSTKEY_TYPE_ED25519) {
        assert_int_equal(inner.left, 64);
        return s2_ed25519_verify(g_ed_pub, msg, sizeof msg, inner.p);
    }
    s2_rd_mpint(&inner, 33, &rr); /* mpint     r */
    s2_rd_mpint(&inner, 33, &ss); /* mpint     s */
    assert_int_equal(s2_rd_finish(&inner), 0);
    return s2_ecdsa_verify(S2_CURVE_P256, g_ec_q, 65, msg, sizeof msg, rr.p, rr.left, ss.p,
                           ss.left);
}

static void
test_sign_sk(void **state)
{
    static const uint8_t data[] = "data to be signed by the authenticator";
    struct fa_state st;
    LIBSSH2_SESSION *s;
    struct authn au;
    void *au_abs;
    LIBSSH2_PRIVKEY_SK sk;
    void *sk_abs = &sk;
    unsigned char *sig = NULL;
    size_t sig_len = 0;
    uint8_t flipped[sizeof data];
    int ec;
    struct s2_allocator a;
    (void)state;

    s2_allocator_default(&a, NULL);
    fa_init(&st, 0);
    /* the callback allocates with malloc: the session's allocator must be
     * libc's for the library to free sig_r/sig_s */
    s = libssh2_session_init();
    assert_non_null(s);
    for (ec = 0; ec < 2; ec++) {
        authn_init(&au, ec);
        au_abs = &au;
        memset(&sk, 0, sizeof sk);
        sk.algorithm = au.algorithm;
        sk.flags = 0x05;
        sk.application = "ssh:";
        sk.key_handle = g_handle;
        sk.handle_len = 17;
        sk.sign_callback = authn_sign;
        sk.orig_abstract = &au_abs;

        assert_int_equal(libssh2_sign_sk(s, &sig, &sig_len, data, sizeof data, &sk_abs), 0);
        assert_int_equal(au.calls, 1);
        assert_string_equal(au.seen_app, "ssh:");
        assert_int_equal(au.seen_flags, 0x05);
        assert_int_equal(au.seen_handle_len, 17);
        assert_int_equal(au.seen_alg, au.algorithm);
        assert_non_null(sig);
        assert_int_equal(verify_raw(&au, sig, sig_len, data, sizeof data), 0);
        memcpy(flipped, data, sizeof data);
        flipped[3] ^= 1;
        assert_int_not_equal(verify_raw(&au, sig, sig_len, flipped, sizeof flipped), 0);
        free(sig);
        sig = NULL;

        /* the callback's error comes back */
        au.fail = LIBSSH2_ERROR_AUTHENTICATION_FAILED;
        assert_int_equal(libssh2_sign_sk(s, &sig, &sig_len, data, sizeof data, &sk_abs),
                         LIBSSH2_ERROR_AUTHENTICATION_FAILED);
        assert_null(sig);
        assert_int_equal(sig_len, 0);
        au.fail = 1; /* positive: still an error */
        assert_int_equal(libssh2_sign_sk(s, &sig, &sig_len, data, sizeof data, &sk_abs),
                         LIBSSH2_ERROR_DECRYPT);
        au.fail = 0;

        /* malformed signatures from the device */
        au.bad_shape = 1;
        assert_int_equal(libssh2_sign_sk(s, &sig, &sig_len, data, sizeof data, &sk_abs),
                         LIBSSH2_ERROR_DECRYPT);
        assert_null(sig);
        au.bad_shape = 0;

        /* no key handle: the device is not asked */
        au.calls = 0;
        sk.handle_len = 0;
        assert_int_equal(libssh2_sign_sk(s, &sig, &sig_len, data, sizeof data, &sk_abs),
                         LIBSSH2_ERROR_DECRYPT);
        assert_int_equal(au.calls, 0);
        sk.handle_len = 17;

        sk.algorithm = LIBSSH2_HOSTKEY_TYPE_RSA;
        assert_int_equal(libssh2_sign_sk(s, &sig, &sig_len, data, sizeof data, &sk_abs),
                         LIBSSH2_ERROR_METHOD_NOT_SUPPORTED);
        assert_int_equal(au.calls, 0);
        s2_pk_free(&a, au.ec);
    }
    assert_int_equal(libssh2_sign_sk(NULL, &sig, &sig_len, data, 1, &sk_abs),
                     LIBSSH2_ERROR_BAD_USE);
    assert_int_equal(libssh2_sign_sk(s, NULL, &sig_len, data, 1, &sk_abs), LIBSSH2_ERROR_BAD_USE);
    assert_int_equal(libssh2_sign_sk(s, &sig, &sig_len, data, 1, NULL), LIBSSH2_ERROR_BAD_USE);
    sk_abs = NULL;
    assert_int_equal(libssh2_sign_sk(s, &sig, &sig_len, data, 1, &sk_abs), LIBSSH2_ERROR_BAD_USE);
    libssh2_session_free(s);
}

/* With a counting session allocator: nothing the device returned leaks,
 * on success and on every failure path. */
static LIBSSH2_ALLOC_FUNC(t_alloc)
{
    return fa_alloc(count, abstract);
}
static LIBSSH2_FREE_FUNC(t_free)
{
    fa_free(ptr, abstract);
}
static LIBSSH2_REALLOC_FUNC(t_realloc)
{
    return fa_realloc(ptr, count, abstract);
}

static struct fa_state *g_st;

static LIBSSH2_USERAUTH_SK_SIGN_FUNC(alloc_sign)
{
    struct authn *au = *abstract;
    void *fa_abs = g_st;
    (void)session;
    (void)data;
    (void)data_len;
    (void)algorithm;
    (void)flags;
    (void)application;
    (void)key_handle;
    (void)key_handle_len;
    sig_info->sig_r = fa_alloc(au->bad_shape ? 10 : 64, &fa_abs);
    assert_non_null(sig_info->sig_r);
    memset(sig_info->sig_r, 1, au->bad_shape ? 10 : 64);
    sig_info->sig_r_len = au->bad_shape ? 10 : 64;
    sig_info->flags = 1;
    return au->fail;
}

static void
test_sign_sk_frees(void **state)
{
    struct fa_state st;
    LIBSSH2_SESSION *s;
    struct authn au;
    void *au_abs = &au;
    LIBSSH2_PRIVKEY_SK sk;
    void *sk_abs = &sk;
    unsigned char *sig = NULL;
    size_t sig_len = 0;
    void *fa_abs;
    int i;
    int rc;
    (void)state;
    fa_init(&st, 0);
    g_st = &st;
    s = libssh2_session_init_ex(t_alloc, t_free, t_realloc, &st);
    assert_non_null(s);
    fa_abs = &st;
    memset(&au, 0, sizeof au);
    memset(&sk, 0, sizeof sk);
    sk.algorithm = LIBSSH2_HOSTKEY_TYPE_ED25519;
    sk.application = "ssh:";
    sk.key_handle = g_handle;
    sk.handle_len = 1;
    sk.sign_callback = alloc_sign;
    sk.orig_abstract = &au_abs;
    for (i = 0; i < 3; i++) {
        size_t before = st.blocks;
        au.fail = i == 1 ? LIBSSH2_ERROR_TIMEOUT : 0;
        au.bad_shape = i == 2;
        sig = NULL;
        rc = libssh2_sign_sk(s, &sig, &sig_len, (const unsigned char *)"x", 1, &sk_abs);
        if (i == 0) {
            assert_int_equal(rc, 0);
            assert_int_equal(sig_len, 4 + 64 + 1 + 4);
            assert_int_equal(st.blocks, before + 1); /* just the returned blob */
            fa_free(sig, &fa_abs);
        } else {
            assert_int_equal(rc, i == 1 ? LIBSSH2_ERROR_TIMEOUT : LIBSSH2_ERROR_DECRYPT);
            assert_null(sig);
        }
        assert_int_equal(st.blocks, before);
    }
    libssh2_session_free(s);
    assert_int_equal(st.blocks, 0);
}

static LIBSSH2_USERAUTH_SK_SIGN_FUNC(never_sign)
{
    (void)session;
    (void)sig_info;
    (void)data;
    (void)data_len;
    (void)algorithm;
    (void)flags;
    (void)application;
    (void)key_handle;
    (void)key_handle_len;
    (void)abstract;
    fail_msg("the device must not be asked");
    return -1;
}

static void
test_publickey_sk_misuse(void **state)
{
    LIBSSH2_SESSION *s = libssh2_session_init();
    size_t n;
    uint8_t *text = read_sk("sk_ed25519.key", &n);
    (void)state;
    assert_non_null(s);
    assert_int_equal(libssh2_userauth_publickey_sk(s, "u", 1, NULL, 0, (const char *)text, n, NULL,
                                                   never_sign, NULL),
                     LIBSSH2_ERROR_BAD_USE);
    assert_int_equal(
        libssh2_userauth_publickey_sk(s, "u", 1, NULL, 0, NULL, 0, NULL, never_sign, NULL),
        LIBSSH2_ERROR_BAD_USE);
    assert_int_equal(
        libssh2_userauth_publickey_sk(s, "u", 1, NULL, 0, (const char *)text, n, NULL, NULL, NULL),
        LIBSSH2_ERROR_BAD_USE);
    assert_int_equal(libssh2_userauth_publickey_sk(NULL, "u", 1, NULL, 0, (const char *)text, n,
                                                   NULL, never_sign, NULL),
                     LIBSSH2_ERROR_BAD_USE);
    libssh2_session_free(s);
    free(text);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_load_files),
        cmocka_unit_test(test_encrypted),
        cmocka_unit_test(test_wrong_kind),
        cmocka_unit_test(test_truncations),
        cmocka_unit_test(test_rebuilt),
        cmocka_unit_test(test_pubkey_parse),
        cmocka_unit_test(test_parse_private),
        cmocka_unit_test(test_alloc_failures),
        cmocka_unit_test(test_sign_sk),
        cmocka_unit_test(test_sign_sk_frees),
        cmocka_unit_test(test_publickey_sk_misuse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
