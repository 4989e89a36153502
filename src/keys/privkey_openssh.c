/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * privkey_openssh.c: the "openssh-key-v1" private key format (OpenSSH
 * PROTOCOL.key), after its base64 armour has been removed:
 *
 *   byte[15] "openssh-key-v1\0"
 *   string   ciphername        none, aes{128,192,256}-{ctr,cbc},
 *                              chacha20-poly1305@openssh.com
 *   string   kdfname           none, bcrypt
 *   string   kdfoptions        bcrypt: string salt, uint32 rounds
 *   uint32   number of keys    must be 1
 *   string   publickey         the public key blob
 *   string   encrypted         the private section, padded to the block size
 *   byte[16] tag               only for chacha20-poly1305@openssh.com
 *
 * Private section: uint32 checkint, uint32 checkint (equal: the passphrase
 * was right), the key as the agent protocol encodes it, string comment,
 * then padding bytes 1, 2, 3, ... up to the block size:
 *   ssh-ed25519          string pub(32), string seed || pub (64)
 *   ecdsa-sha2-nistpN    string curve, string Q, mpint d
 *   ssh-rsa              mpint n, e, d, iqmp, p, q
 * The key must match the public key in the header. Key and IV for the
 * cipher come from s2_bcrypt_pbkdf(passphrase, salt, rounds).
 */
#include <string.h>

#include "keys/privkey_int.h"

#define MAGIC       "openssh-key-v1"
#define MAGIC_LEN   15u /* with its NUL */
#define KDFOPTS_MAX 1024u
#define SALT_MAX    1024u
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
#define ROUNDS_MAX 16u /* keeps fuzzing fast; never in a release build */
#else
#define ROUNDS_MAX 10000u /* ~ a minute of work; OpenSSH's default is 16 */
#endif
#define DERIVED_MAX (64u + 16u) /* key + IV of the largest cipher */
#define COMMENT_MAX (S2_KEYFILE_MAX)

static const char msg_malformed[] = "malformed OpenSSH private key (openssh-key-v1)";
static const char msg_bad_pass[] = "wrong passphrase for the private key";
static const char msg_no_pass[] = "the private key is encrypted and no passphrase was given";

/* The outer structure, as views into the body. */
struct outer {
    struct s2_rd cipher;
    struct s2_rd kdf;
    struct s2_rd kdfopts;
    uint32_t nkeys;
    struct s2_rd pub;
    struct s2_rd enc;
    struct s2_rd tag;
};

/* The private section, as views into the decrypted copy. */
struct inner {
    uint32_t check1;
    uint32_t check2;
    struct s2_rd type;
    struct s2_rd f[6]; /* key fields in file order */
    struct s2_rd comment;
};

/* parse_outer reads the header; |tag_len| is known only after the cipher
 * name, so the tag is read by the caller's second pass. */
static int
parse_outer(struct s2_rd *r, struct outer *o)
{
    uint8_t magic[MAGIC_LEN];

    s2_rd_copy(r, magic, sizeof magic);
    if (s2_rd_ok(r) != 0 || memcmp(magic, MAGIC, MAGIC_LEN) != 0) {
        return LIBSSH2_ERROR_FILE;
    }
    s2_rd_str(r, S2_NAME_MAX, &o->cipher);  /* string    ciphername */
    s2_rd_str(r, S2_NAME_MAX, &o->kdf);     /* string    kdfname */
    s2_rd_str(r, KDFOPTS_MAX, &o->kdfopts); /* string    kdfoptions */
    o->nkeys = s2_rd_u32(r);                /* uint32    number of keys */
    s2_rd_str(r, S2_HOSTKEY_MAX, &o->pub);  /* string    publickey1 */
    s2_rd_str(r, S2_KEYFILE_MAX, &o->enc);  /* string    encrypted list */
    return s2_rd_ok(r) == 0 ? 0 : LIBSSH2_ERROR_FILE;
}

/* parse_inner reads the decrypted private section; |block| is the cipher
 * block size the padding must stay under. */
static int
parse_inner(struct s2_rd *r, size_t block, struct inner *in, const char **why)
{
    size_t i;
    uint8_t expect = 1;

    memset(in, 0, sizeof *in);
    in->check1 = s2_rd_u32(r); /* uint32    checkint */
    in->check2 = s2_rd_u32(r); /* uint32    checkint */
    if (s2_rd_ok(r) != 0) {
        return LIBSSH2_ERROR_FILE;
    }
    /* checked first: under a wrong passphrase the rest is noise */
    if (in->check1 != in->check2) {
        return LIBSSH2_ERROR_KEYFILE_AUTH_FAILED;
    }
    s2_rd_str(r, S2_NAME_MAX, &in->type); /* string    key type */
    if (s2_rd_ok(r) != 0) {
        return LIBSSH2_ERROR_FILE;
    }
    if (s2_rd_eq(&in->type, "ssh-ed25519")) {
        s2_rd_str(r, 32, &in->f[0]); /* string    ENC(A) */
        s2_rd_str(r, 64, &in->f[1]); /* string    k || ENC(A) */
    } else if (s2_rd_eq(&in->type, "ecdsa-sha2-nistp256") ||
               s2_rd_eq(&in->type, "ecdsa-sha2-nistp384") ||
               s2_rd_eq(&in->type, "ecdsa-sha2-nistp521")) {
        s2_rd_str(r, S2_NAME_MAX, &in->f[0]);             /* string    curve identifier */
        s2_rd_str(r, S2_EC_POINT_MAX, &in->f[1]);         /* string  Q */
        s2_rd_mpint(r, S2_EC_SECRET_MAX + 1u, &in->f[2]); /* mpint d */
    } else if (s2_rd_eq(&in->type, "ssh-rsa")) {
        for (i = 0; i < 6; i++) { /* mpint     n, e, d, iqmp, p, q */
            s2_rd_mpint(r, S2_MPINT_MAX, &in->f[i]);
        }
    } else if (s2_rd_eq(&in->type, S2_SK_ED25519_NAME) || s2_rd_eq(&in->type, S2_SK_ECDSA_NAME)) {
        *why = "security key (sk-*) private keys sign on the device: use "
               "libssh2_userauth_publickey_sk";
        return LIBSSH2_ERROR_FILE;
    } else if (s2_rd_eq(&in->type, "ssh-dss")) {
        *why = "DSA keys are not supported (OpenSSH removed them)";
        return LIBSSH2_ERROR_FILE;
    } else {
        *why = "unsupported key type in OpenSSH private key "
               "(supported: ssh-ed25519, ecdsa-sha2-nistp256/384/521, ssh-rsa)";
        return LIBSSH2_ERROR_FILE;
    }
    s2_rd_str(r, COMMENT_MAX, &in->comment); /* string    comment */
    if (s2_rd_ok(r) != 0) {
        return LIBSSH2_ERROR_FILE;
    }
    /* padding: 1, 2, 3, ... and shorter than one block */
    if (r->left >= block) {
        return LIBSSH2_ERROR_FILE;
    }
    while (r->left > 0) {
        if (s2_rd_u8(r) != expect) {
            return LIBSSH2_ERROR_FILE;
        }
        expect++;
    }
    return s2_rd_finish(r) == 0 ? 0 : LIBSSH2_ERROR_FILE;
}

/* make_key builds the crypto key from the parsed fields. */
static int
make_key(const struct s2_allocator *a, const struct inner *in, struct s2_pk **pk, const char **why)
{
    struct s2_rd sk;
    struct s2_rd seed;
    struct s2_rd tail;
    enum s2_curve curve;
    const char *curve_id;

    if (s2_rd_eq(&in->type, "ssh-ed25519")) {
        if (in->f[0].left != 32 || in->f[1].left != 64) {
            return LIBSSH2_ERROR_FILE;
        }
        sk = in->f[1];
        s2_rd_bytes(&sk, 32, &seed);
        s2_rd_rest(&sk, &tail);
        /* the secret key is seed || public: both copies must agree */
        if (memcmp(tail.p, in->f[0].p, 32) != 0) {
            *why = "inconsistent Ed25519 private key";
            return LIBSSH2_ERROR_FILE;
        }
        return s2_pk_ed25519_import(a, seed.p, in->f[0].p, pk);
    }
    if (s2_rd_eq(&in->type, "ssh-rsa")) {
        return s2_pk_rsa_import(a, in->f[0].p, in->f[0].left, in->f[1].p, in->f[1].left, in->f[2].p,
                                in->f[2].left, in->f[3].p, in->f[3].left, in->f[4].p, in->f[4].left,
                                in->f[5].p, in->f[5].left, pk);
    }
    if (s2_rd_eq(&in->type, "ecdsa-sha2-nistp256")) {
        curve = S2_CURVE_P256;
        curve_id = "nistp256";
    } else if (s2_rd_eq(&in->type, "ecdsa-sha2-nistp384")) {
        curve = S2_CURVE_P384;
        curve_id = "nistp384";
    } else {
        curve = S2_CURVE_P521;
        curve_id = "nistp521";
    }
    if (!s2_rd_eq(&in->f[0], curve_id)) {
        *why = "ECDSA private key: curve does not match the key type";
        return LIBSSH2_ERROR_FILE;
    }
    return s2_pk_ecdsa_import(a, curve, in->f[2].p, in->f[2].left, in->f[1].p, in->f[1].left, pk);
}

/* decrypt derives key and IV with bcrypt_pbkdf and decrypts |buf| in place. */
static int
decrypt(struct s2_env *env, const struct outer *o, const struct s2_cipher_alg *alg,
        const char *passphrase, uint8_t *buf, size_t len)
{
    struct s2_rd opts = o->kdfopts;
    struct s2_rd salt;
    struct s2_cipher *c = NULL;
    uint8_t derived[DERIVED_MAX];
    size_t dlen = (size_t)alg->key_len + alg->iv_len;
    uint32_t rounds;
    int rc;

    s2_rd_str(&opts, SALT_MAX, &salt); /* string    salt */
    rounds = s2_rd_u32(&opts);         /* uint32    rounds */
    if (s2_rd_finish(&opts) != 0 || salt.left == 0 || rounds == 0) {
        return s2_err_set(env, LIBSSH2_ERROR_FILE, "malformed bcrypt KDF options in private key");
    }
    if (rounds > ROUNDS_MAX) {
        return s2_err_setf(env, LIBSSH2_ERROR_FILE,
                           "private key asks for %u bcrypt rounds (at most %u accepted)",
                           (unsigned int)rounds, ROUNDS_MAX);
    }
    if (dlen > sizeof derived) {
        return s2_err_set(env, LIBSSH2_ERROR_FILE, "unsupported private key cipher");
    }
    rc = s2_bcrypt_pbkdf((const uint8_t *)passphrase, strlen(passphrase), salt.p, salt.left,
                         derived, dlen, rounds);
    if (rc != 0) {
        rc = s2_err_set(env, LIBSSH2_ERROR_FILE, "bcrypt_pbkdf failed on the private key");
        goto out;
    }
    if (alg->mode == S2_MODE_CHAPOLY) {
        if (s2_chapoly_keyfile_open(derived, buf, len, o->tag.p) != 0) {
            rc = s2_err_set(env, LIBSSH2_ERROR_KEYFILE_AUTH_FAILED, msg_bad_pass);
        }
        goto out;
    }
    rc = s2_cipher_new(&env->alloc, alg, 0, derived, derived + alg->key_len, &c);
    if (rc != 0) {
        rc = s2_err_set(env, rc == LIBSSH2_ERROR_ALLOC ? rc : LIBSSH2_ERROR_FILE,
                        "cannot set up the private key cipher");
        goto out;
    }
    rc = s2_cipher_crypt(c, buf, len);
    if (rc != 0) {
        rc = s2_err_set(env, LIBSSH2_ERROR_FILE, msg_malformed);
    }
out:
    s2_cipher_free(&env->alloc, c);
    s2_wipe(derived, sizeof derived);
    return rc;
}

/* check_pub compares the header's public key with the private key's. */
static int
check_pub(struct s2_env *env, const struct s2_privkey *k, const struct s2_rd *pub)
{
    struct s2_wr w;
    int rc = 0;

    s2_wr_dyn(&w, &env->alloc, S2_HOSTKEY_MAX);
    if (s2_privkey_pubblob(k, &w) != 0) {
        rc =
            s2_err_set(env, w.err == LIBSSH2_ERROR_ALLOC ? LIBSSH2_ERROR_ALLOC : LIBSSH2_ERROR_FILE,
                       "cannot encode the public key of the private key");
    } else if (w.len != pub->left || memcmp(w.p, pub->p, w.len) != 0) {
        rc = s2_err_set(env, LIBSSH2_ERROR_FILE,
                        "the public key in the private key file does not match the private key");
    }
    s2_wr_free(&w);
    return rc;
}

int
s2_privkey_openssh_open(struct s2_env *env, const uint8_t *body, size_t body_len,
                        const char *passphrase, struct s2_openssh_open *out)
{
    struct s2_rd r;
    struct outer o;
    const struct s2_cipher_alg *alg = NULL;
    uint8_t *plain = NULL;
    size_t plain_len = 0;
    size_t block = 8;
    int encrypted;
    int rc;

    memset(out, 0, sizeof *out);
    memset(&o, 0, sizeof o);
    s2_rd_init(&r, body, body_len);
    if (body == NULL || parse_outer(&r, &o) != 0) {
        return s2_err_set(env, LIBSSH2_ERROR_FILE, msg_malformed);
    }
    encrypted = !s2_rd_eq(&o.cipher, "none");
    if (encrypted) {
        alg = s2_cipher_find((const char *)o.cipher.p, o.cipher.left);
        if (alg == NULL || alg->mode == S2_MODE_GCM) {
            char name[S2_NAME_MAX + 1];
            s2_escape(name, sizeof name, o.cipher.p, o.cipher.left);
            return s2_err_setf(env, LIBSSH2_ERROR_FILE, "unsupported private key cipher \"%s\"",
                               name);
        }
        block = alg->block_len;
        if (alg->tag_len != 0) {
            s2_rd_bytes(&r, alg->tag_len, &o.tag); /* byte[16]  tag */
        }
    }
    if (s2_rd_finish(&r) != 0) {
        return s2_err_set(env, LIBSSH2_ERROR_FILE, msg_malformed);
    }
    if (o.nkeys != 1) {
        return s2_err_set(env, LIBSSH2_ERROR_FILE,
                          "OpenSSH private key file holds more or fewer than one key");
    }
    if (encrypted ? !s2_rd_eq(&o.kdf, "bcrypt")
                  : (!s2_rd_eq(&o.kdf, "none") || o.kdfopts.left != 0)) {
        return s2_err_set(env, LIBSSH2_ERROR_FILE, "unsupported private key KDF");
    }
    if (o.enc.left == 0 || o.enc.left % block != 0) {
        return s2_err_set(env, LIBSSH2_ERROR_FILE, msg_malformed);
    }
    if (encrypted && (passphrase == NULL || passphrase[0] == '\0')) {
        return s2_err_set(env, LIBSSH2_ERROR_KEYFILE_AUTH_FAILED, msg_no_pass);
    }

    plain_len = o.enc.left;
    plain = s2_alloc(&env->alloc, plain_len);
    if (plain == NULL) {
        return s2_err_set(env, LIBSSH2_ERROR_ALLOC, "out of memory loading the private key");
    }
    s2_rd_copy(&o.enc, plain, plain_len);
    if (encrypted) {
        rc = decrypt(env, &o, alg, passphrase, plain, plain_len);
        if (rc != 0) {
            s2_free_secret(&env->alloc, plain, plain_len);
            return rc;
        }
    }
    out->pub = o.pub;
    out->plain = plain;
    out->plain_len = plain_len;
    out->block = block;
    out->encrypted = encrypted;
    return 0;
}

int
s2_privkey_openssh_parse(struct s2_env *env, const uint8_t *body, size_t body_len,
                         const char *passphrase, struct s2_privkey **out)
{
    struct s2_openssh_open op;
    struct s2_rd pr;
    struct inner in;
    struct s2_privkey *k = NULL;
    struct s2_pk *pk = NULL;
    const char *why = msg_malformed;
    int rc;

    *out = NULL;
    rc = s2_privkey_openssh_open(env, body, body_len, passphrase, &op);
    if (rc != 0) {
        return rc;
    }
    s2_rd_init(&pr, op.plain, op.plain_len);
    rc = parse_inner(&pr, op.block, &in, &why);
    if (rc == LIBSSH2_ERROR_KEYFILE_AUTH_FAILED) {
        rc = op.encrypted ? s2_err_set(env, rc, msg_bad_pass)
                          : s2_err_set(env, LIBSSH2_ERROR_FILE,
                                       "corrupt OpenSSH private key (check values differ)");
        goto out;
    }
    if (rc != 0) {
        rc = s2_err_set(env, LIBSSH2_ERROR_FILE, why);
        goto out;
    }
    rc = make_key(&env->alloc, &in, &pk, &why);
    if (rc != 0) {
        if (rc == LIBSSH2_ERROR_FILE && why == msg_malformed) {
            why = "inconsistent private key in OpenSSH private key file";
        }
        rc = s2_err_set(env, rc,
                        rc == LIBSSH2_ERROR_ALLOC ? "out of memory loading the private key" : why);
        goto out;
    }
    k = s2_zalloc(&env->alloc, sizeof *k);
    if (k == NULL) {
        rc = s2_err_set(env, LIBSSH2_ERROR_ALLOC, "out of memory loading the private key");
        goto out;
    }
    k->pk = pk;
    pk = NULL;
    k->type = s2_privkey_type_of(k->pk);
    rc = check_pub(env, k, &op.pub);
    if (rc != 0) {
        goto out;
    }
    *out = k;
    k = NULL;
out:
    s2_pk_free(&env->alloc, pk);
    s2_privkey_free(&env->alloc, k);
    s2_free_secret(&env->alloc, op.plain, op.plain_len);
    return rc;
}
