/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pem.c: private keys in PEM armour (RFC 7468).
 *   "RSA PRIVATE KEY"        PKCS#1 RSAPrivateKey (RFC 8017 A.1.2)
 *   "EC PRIVATE KEY"         SEC1 ECPrivateKey (RFC 5915)
 *       both plain or with the legacy Proc-Type: 4,ENCRYPTED / DEK-Info
 *       headers (AES-128/192/256-CBC, DES-EDE3-CBC, DES-CBC; key from
 *       EVP_BytesToKey-MD5) -- parsed by mbedtls_pk_parse_key
 *   "PRIVATE KEY"            PKCS#8 PrivateKeyInfo (RFC 5208): RSA and EC by
 *       mbedTLS; Ed25519 (RFC 8410 7) here, as mbedTLS 2.28 lacks it
 *   "ENCRYPTED PRIVATE KEY"  PKCS#8 EncryptedPrivateKeyInfo. PBES2 (RFC 8018
 *       6.2) with PBKDF2-HMAC-SHA1/256/512 and AES-128/192/256-CBC is done
 *       here (mbedTLS 2.28 knows only DES for PBES2); other schemes (PBES2
 *       with 3DES, PKCS#12 PBE) go to mbedTLS.
 * The parsed key is exported as numbers and rebuilt through the checked
 * s2_pk_*_import functions (sign.c), so every key, whatever its file,
 * passes the same consistency checks.
 */
#include <string.h>

#include <mbedtls/asn1.h>
#include <mbedtls/ecp.h>
#include <mbedtls/md.h>
#include <mbedtls/oid.h>
#include <mbedtls/pem.h>
#include <mbedtls/pk.h>
#include <mbedtls/pkcs5.h>
#include <mbedtls/rsa.h>

#include "crypto/crypto.h"
#include "crypto/crypto_int.h"

#define PEM_MAX         (256u * 1024u) /* a key file larger than this is not a key */
#define PBKDF2_ITER_MAX 10000000u      /* bounds the work a file can demand */
#define NUM_MAX         (8192u / 8u)   /* largest RSA number mbedTLS handles */

/* Ed25519 (RFC 8410 3): 1.3.101.112 */
#define OID_ED25519 "\x2b\x65\x70"

static const char msg_no_pass[] = "the private key is encrypted and no passphrase was given";
static const char msg_bad_pass[] = "wrong passphrase for the private key";
static const char msg_malformed[] = "malformed PEM private key";
static const char msg_dsa[] = "DSA keys are not supported (OpenSSH removed them)";
static const char msg_alg[] = "unsupported private key algorithm (only RSA, ECDSA and Ed25519)";
static const char msg_curve[] = "unsupported elliptic curve (only NIST P-256, P-384 and P-521)";
static const char msg_enc[] = "unsupported private key encryption scheme";

/* high_err strips the low-level part mbedTLS adds to its error codes. */
static int
high_err(int ret)
{
    if (ret >= 0) {
        return ret;
    }
    return -((-ret) & 0xff80);
}

/* pem_body decodes the base64 between "-----BEGIN |label|-----" and the
 * matching END line into |der| (a secret, allocator-backed writer). Only
 * for labels without RFC 1421 headers. 0 or LIBSSH2_ERROR_FILE / ALLOC. */
static int
pem_body(const uint8_t *data, size_t len, const char *label, struct s2_wr *der)
{
    char begin[64];
    char end[64];
    size_t b;
    size_t start;
    size_t e;
    size_t blen = strlen(label);

    if (blen > 40) {
        return LIBSSH2_ERROR_FILE;
    }
    memcpy(begin, "-----BEGIN ", 11);
    memcpy(begin + 11, label, blen);
    memcpy(begin + 11 + blen, "-----", 6);
    memcpy(end, "-----END ", 9);
    memcpy(end + 9, label, blen);
    memcpy(end + 9 + blen, "-----", 6);
    b = s2_find(data, len, begin);
    if (b == len) {
        return LIBSSH2_ERROR_FILE;
    }
    start = b + strlen(begin);
    e = s2_find(data + start, len - start, end);
    if (e == len - start) {
        return LIBSSH2_ERROR_FILE;
    }
    if (s2_base64_decode(der, (const char *)data + start, e) != 0) {
        return der->err == LIBSSH2_ERROR_ALLOC ? LIBSSH2_ERROR_ALLOC : LIBSSH2_ERROR_FILE;
    }
    return 0;
}

/* from_mbedtls rebuilds a parsed mbedTLS key as an s2_pk. */
static int
from_mbedtls(const struct s2_allocator *a, mbedtls_pk_context *pk, struct s2_pk **out,
             const char **why)
{
    uint8_t n[NUM_MAX], p[NUM_MAX], q[NUM_MAX], d[NUM_MAX], e[64];
    uint8_t pt[S2_EC_POINT_MAX];
    size_t nl, pl, ql, dl, el, ptl = 0;
    enum s2_curve curve;
    mbedtls_rsa_context *rsa;
    mbedtls_ecp_keypair *ec;
    int rc = LIBSSH2_ERROR_FILE;

    *why = msg_malformed;
    switch (mbedtls_pk_get_type(pk)) {
    case MBEDTLS_PK_RSA:
        rsa = mbedtls_pk_rsa(*pk);
        nl = mbedtls_rsa_get_len(rsa);
        if (nl == 0 || nl > NUM_MAX) {
            *why = "RSA key size not supported (1024 to 8192 bits)";
            break;
        }
        pl = ql = dl = nl;
        el = sizeof e;
        if (mbedtls_rsa_export_raw(rsa, n, nl, p, pl, q, ql, d, dl, e, el) != 0) {
            break;
        }
        rc = s2_pk_rsa_import(a, n, nl, e, el, d, dl, NULL, 0, p, pl, q, ql, out);
        break;
    case MBEDTLS_PK_ECKEY:
    case MBEDTLS_PK_ECKEY_DH:
    case MBEDTLS_PK_ECDSA:
        ec = mbedtls_pk_ec(*pk);
        switch (ec->grp.id) {
        case MBEDTLS_ECP_DP_SECP256R1:
            curve = S2_CURVE_P256;
            break;
        case MBEDTLS_ECP_DP_SECP384R1:
            curve = S2_CURVE_P384;
            break;
        case MBEDTLS_ECP_DP_SECP521R1:
            curve = S2_CURVE_P521;
            break;
        default:
            *why = msg_curve;
            goto out;
        }
        dl = s2_curve_bytes(curve);
        if (mbedtls_mpi_write_binary(&ec->d, d, dl) != 0) {
            break;
        }
        /* SEC1 keys may omit the public key; then Q is zero and d*G is
         * taken as it */
        if (mbedtls_ecp_is_zero(&ec->Q) == 0 &&
            mbedtls_ecp_point_write_binary(&ec->grp, &ec->Q, MBEDTLS_ECP_PF_UNCOMPRESSED, &ptl, pt,
                                           sizeof pt) != 0) {
            break;
        }
        rc = s2_pk_ecdsa_import(a, curve, d, dl, ptl != 0 ? pt : NULL, ptl, out);
        break;
    default:
        *why = msg_alg;
        break;
    }
out:
    s2_wipe(p, sizeof p);
    s2_wipe(q, sizeof q);
    s2_wipe(d, sizeof d);
    if (rc == LIBSSH2_ERROR_FILE && *why == msg_malformed) {
        *why = "the private key is inconsistent or of an unsupported size";
    }
    return rc;
}

/* parse_ed25519_pkcs8 recognises an RFC 8410 Ed25519 PrivateKeyInfo:
 *   SEQUENCE { INTEGER version, SEQUENCE { OID 1.3.101.112 },
 *              OCTET STRING { OCTET STRING seed(32) }, ... }
 * Returns 1 when the DER is not Ed25519 (so mbedTLS should try it), else
 * 0 or an error. */
static int
parse_ed25519_pkcs8(const struct s2_allocator *a, const uint8_t *der, size_t der_len,
                    struct s2_pk **out, const char **why)
{
    unsigned char *p = (unsigned char *)der;
    const unsigned char *end = der + der_len;
    const unsigned char *inner_end;
    mbedtls_asn1_buf alg;
    mbedtls_asn1_buf params;
    size_t len;
    int version;

    /* mbedTLS reads through |p| but never writes */
    if (mbedtls_asn1_get_tag(&p, end, &len, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE) !=
        0) {
        return 1;
    }
    end = p + len;
    if (mbedtls_asn1_get_int(&p, end, &version) != 0 ||
        mbedtls_asn1_get_alg(&p, end, &alg, &params) != 0) {
        return 1;
    }
    if (alg.len != sizeof OID_ED25519 - 1 || memcmp(alg.p, OID_ED25519, alg.len) != 0) {
        return 1;
    }
    *why = "malformed Ed25519 PKCS#8 private key";
    if ((version != 0 && version != 1) || params.tag != 0) {
        return LIBSSH2_ERROR_FILE;
    }
    if (mbedtls_asn1_get_tag(&p, end, &len, MBEDTLS_ASN1_OCTET_STRING) != 0) {
        return LIBSSH2_ERROR_FILE;
    }
    inner_end = p + len;
    if (mbedtls_asn1_get_tag(&p, inner_end, &len, MBEDTLS_ASN1_OCTET_STRING) != 0 || len != 32 ||
        p + len != inner_end) {
        return LIBSSH2_ERROR_FILE;
    }
    return s2_pk_ed25519_import(a, p, NULL, out);
}

/* parse_der parses an unencrypted PKCS#1, SEC1 or PKCS#8 DER key. */
static int
parse_der(const struct s2_allocator *a, const uint8_t *der, size_t der_len, struct s2_pk **out,
          const char **why)
{
    mbedtls_pk_context pk;
    int rc;
    int ret;

    rc = parse_ed25519_pkcs8(a, der, der_len, out, why);
    if (rc != 1) {
        return rc;
    }
    mbedtls_pk_init(&pk);
    ret = mbedtls_pk_parse_key(&pk, der, der_len, NULL, 0);
    if (ret == 0) {
        rc = from_mbedtls(a, &pk, out, why);
    } else if (high_err(ret) == MBEDTLS_ERR_PK_ALLOC_FAILED) {
        rc = LIBSSH2_ERROR_ALLOC;
    } else {
        rc = LIBSSH2_ERROR_FILE;
        *why = high_err(ret) == MBEDTLS_ERR_PK_UNKNOWN_PK_ALG        ? msg_alg
               : high_err(ret) == MBEDTLS_ERR_PK_UNKNOWN_NAMED_CURVE ? msg_curve
                                                                     : msg_malformed;
    }
    mbedtls_pk_free(&pk);
    return rc;
}

/* oid_is tells whether the OID buffer holds |oid| (a string literal). */
static int
oid_is(const mbedtls_asn1_buf *b, const char *oid, size_t oid_len)
{
    return b->len == oid_len && memcmp(b->p, oid, oid_len) == 0;
}
#define OID_IS(b, o) oid_is((b), (o), sizeof(o) - 1)

/* A parsed PBES2 parameter set (RFC 8018 A.2, A.4, B.2.2). */
struct pbes2 {
    const uint8_t *salt;
    size_t salt_len;
    int iter;
    mbedtls_md_type_t prf;
    size_t key_len; /* AES key length from the encryption scheme OID */
    const uint8_t *iv;
    const uint8_t *ct;
    size_t ct_len;
};

/* parse_pbes2 parses EncryptedPrivateKeyInfo with PBES2 + PBKDF2 +
 * AES-CBC. Returns 1 when it is another scheme (mbedTLS then tries), 0, or
 * LIBSSH2_ERROR_FILE. */
static int
parse_pbes2(const uint8_t *der, size_t der_len, struct pbes2 *x, const char **why)
{
    unsigned char *p = (unsigned char *)der;
    const unsigned char *end = der + der_len;
    const unsigned char *pend;
    const unsigned char *kend;
    mbedtls_asn1_buf alg;
    mbedtls_asn1_buf params;
    mbedtls_asn1_buf kdf_alg;
    mbedtls_asn1_buf kdf_params;
    mbedtls_asn1_buf enc_alg;
    mbedtls_asn1_buf enc_params;
    mbedtls_asn1_buf prf_alg;
    size_t len;
    int key_len_field;

    memset(x, 0, sizeof *x);
    *why = "malformed PKCS#8 EncryptedPrivateKeyInfo";
    /* EncryptedPrivateKeyInfo ::= SEQUENCE { AlgorithmIdentifier, OCTET STRING } */
    if (mbedtls_asn1_get_tag(&p, end, &len, MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE) !=
        0) {
        return LIBSSH2_ERROR_FILE;
    }
    end = p + len;
    if (mbedtls_asn1_get_alg(&p, end, &alg, &params) != 0) {
        return LIBSSH2_ERROR_FILE;
    }
    if (!OID_IS(&alg, MBEDTLS_OID_PKCS5_PBES2)) {
        return 1;
    }
    if (mbedtls_asn1_get_tag(&p, end, &len, MBEDTLS_ASN1_OCTET_STRING) != 0 || p + len != end) {
        return LIBSSH2_ERROR_FILE;
    }
    x->ct = p;
    x->ct_len = len;
    /* PBES2-params ::= SEQUENCE { keyDerivationFunc, encryptionScheme } */
    if (params.tag != (MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE)) {
        return LIBSSH2_ERROR_FILE;
    }
    p = params.p;
    pend = params.p + params.len;
    if (mbedtls_asn1_get_alg(&p, pend, &kdf_alg, &kdf_params) != 0 ||
        mbedtls_asn1_get_alg(&p, pend, &enc_alg, &enc_params) != 0 || p != pend) {
        return LIBSSH2_ERROR_FILE;
    }
    if (OID_IS(&enc_alg, MBEDTLS_OID_AES "\x02")) {
        x->key_len = 16; /* aes128-CBC-Pad */
    } else if (OID_IS(&enc_alg, MBEDTLS_OID_AES "\x16")) {
        x->key_len = 24; /* aes192-CBC-Pad */
    } else if (OID_IS(&enc_alg, MBEDTLS_OID_AES "\x2a")) {
        x->key_len = 32; /* aes256-CBC-Pad */
    } else {
        return 1;
    }
    if (!OID_IS(&kdf_alg, MBEDTLS_OID_PKCS5_PBKDF2)) {
        *why = msg_enc;
        return LIBSSH2_ERROR_FILE;
    }
    /* the IV: OCTET STRING (SIZE(16)) */
    if (enc_params.tag != MBEDTLS_ASN1_OCTET_STRING || enc_params.len != 16) {
        return LIBSSH2_ERROR_FILE;
    }
    x->iv = enc_params.p;
    /* PBKDF2-params ::= SEQUENCE { salt OCTET STRING, iterationCount INTEGER,
     *   keyLength INTEGER OPTIONAL, prf AlgorithmIdentifier DEFAULT hmacWithSHA1 } */
    if (kdf_params.tag != (MBEDTLS_ASN1_CONSTRUCTED | MBEDTLS_ASN1_SEQUENCE)) {
        return LIBSSH2_ERROR_FILE;
    }
    p = kdf_params.p;
    kend = kdf_params.p + kdf_params.len;
    if (mbedtls_asn1_get_tag(&p, kend, &len, MBEDTLS_ASN1_OCTET_STRING) != 0) {
        return LIBSSH2_ERROR_FILE;
    }
    x->salt = p;
    x->salt_len = len;
    p += len;
    if (mbedtls_asn1_get_int(&p, kend, &x->iter) != 0 || x->iter < 1 ||
        (unsigned int)x->iter > PBKDF2_ITER_MAX) {
        return LIBSSH2_ERROR_FILE;
    }
    if (p < kend && *p == MBEDTLS_ASN1_INTEGER) {
        if (mbedtls_asn1_get_int(&p, kend, &key_len_field) != 0 ||
            key_len_field != (int)x->key_len) {
            return LIBSSH2_ERROR_FILE;
        }
    }
    x->prf = MBEDTLS_MD_SHA1;
    if (p < kend) {
        if (mbedtls_asn1_get_alg(&p, kend, &prf_alg, &params) != 0 || p != kend) {
            return LIBSSH2_ERROR_FILE;
        }
        if (OID_IS(&prf_alg, MBEDTLS_OID_HMAC_SHA1)) {
            x->prf = MBEDTLS_MD_SHA1;
        } else if (OID_IS(&prf_alg, MBEDTLS_OID_HMAC_SHA256)) {
            x->prf = MBEDTLS_MD_SHA256;
        } else if (OID_IS(&prf_alg, MBEDTLS_OID_HMAC_SHA512)) {
            x->prf = MBEDTLS_MD_SHA512;
        } else {
            *why = msg_enc;
            return LIBSSH2_ERROR_FILE;
        }
    }
    if (x->ct_len == 0 || x->ct_len % 16 != 0) {
        return LIBSSH2_ERROR_FILE;
    }
    return 0;
}

/* decrypt_pbes2 decrypts into |plain| (ct_len bytes) and strips the
 * PKCS#7 padding; a bad padding is a wrong passphrase. */
static int
decrypt_pbes2(const struct pbes2 *x, const char *pass, uint8_t *plain, size_t *plain_len,
              const char **why)
{
    mbedtls_md_context_t md;
    struct s2_aes_ctx aes;
    uint8_t key[32];
    size_t pad;
    size_t i;
    int rc = LIBSSH2_ERROR_FILE;

    mbedtls_md_init(&md);
    if (mbedtls_md_setup(&md, mbedtls_md_info_from_type(x->prf), 1) != 0) {
        rc = LIBSSH2_ERROR_ALLOC;
        goto out;
    }
    if (mbedtls_pkcs5_pbkdf2_hmac(&md, (const unsigned char *)pass, strlen(pass), x->salt,
                                  x->salt_len, (unsigned int)x->iter, (uint32_t)x->key_len,
                                  key) != 0) {
        goto out;
    }
    if (s2_aes_init(&aes, key, x->key_len, x->iv, 1, 0) != 0) {
        goto out;
    }
    memcpy(plain, x->ct, x->ct_len);
    rc = s2_aes_crypt(&aes, plain, x->ct_len);
    s2_aes_cleanup(&aes);
    if (rc != 0) {
        rc = LIBSSH2_ERROR_FILE;
        goto out;
    }
    /* RFC 8018 6.1.1 step 4 padding: 1..16 bytes of the value n */
    rc = LIBSSH2_ERROR_KEYFILE_AUTH_FAILED;
    *why = msg_bad_pass;
    pad = plain[x->ct_len - 1];
    if (pad == 0 || pad > 16) {
        goto out;
    }
    for (i = 0; i < pad; i++) {
        if (plain[x->ct_len - 1 - i] != pad) {
            goto out;
        }
    }
    *plain_len = x->ct_len - pad;
    rc = 0;
out:
    s2_wipe(key, sizeof key);
    mbedtls_md_free(&md);
    return rc;
}

/* parse_encrypted_pkcs8 handles "ENCRYPTED PRIVATE KEY" (DER in |der|). */
static int
parse_encrypted_pkcs8(const struct s2_allocator *a, const uint8_t *der, size_t der_len,
                      const char *pass, struct s2_pk **out, const char **why)
{
    struct pbes2 x;
    mbedtls_pk_context pk;
    uint8_t *plain = NULL;
    size_t plain_len = 0;
    int rc;
    int ret;

    if (pass == NULL || pass[0] == '\0') {
        *why = msg_no_pass;
        return LIBSSH2_ERROR_KEYFILE_AUTH_FAILED;
    }
    rc = parse_pbes2(der, der_len, &x, why);
    if (rc == 0) {
        plain = s2_alloc(a, x.ct_len);
        if (plain == NULL) {
            return LIBSSH2_ERROR_ALLOC;
        }
        rc = decrypt_pbes2(&x, pass, plain, &plain_len, why);
        if (rc == 0) {
            rc = parse_der(a, plain, plain_len, out, why);
            /* a padding that checked out by chance under a wrong passphrase */
            if (rc == LIBSSH2_ERROR_FILE && *why == msg_malformed) {
                rc = LIBSSH2_ERROR_KEYFILE_AUTH_FAILED;
                *why = msg_bad_pass;
            }
        }
        s2_free_secret(a, plain, x.ct_len);
        return rc;
    }
    if (rc != 1) {
        return rc;
    }
    /* another scheme: mbedTLS's PKCS#5 (DES) and PKCS#12 support */
    mbedtls_pk_init(&pk);
    ret = mbedtls_pk_parse_key(&pk, der, der_len, (const unsigned char *)pass, strlen(pass));
    if (ret == 0) {
        rc = from_mbedtls(a, &pk, out, why);
    } else if (high_err(ret) == MBEDTLS_ERR_PK_PASSWORD_MISMATCH) {
        rc = LIBSSH2_ERROR_KEYFILE_AUTH_FAILED;
        *why = msg_bad_pass;
    } else if (high_err(ret) == MBEDTLS_ERR_PK_ALLOC_FAILED) {
        rc = LIBSSH2_ERROR_ALLOC;
    } else {
        rc = LIBSSH2_ERROR_FILE;
        *why = msg_enc;
    }
    mbedtls_pk_free(&pk);
    return rc;
}

/* parse_traditional handles PKCS#1 / SEC1 PEM, possibly DEK-Info encrypted,
 * through mbedTLS (which wants a NUL-terminated buffer). */
static int
parse_traditional(const struct s2_allocator *a, const uint8_t *data, size_t len, const char *pass,
                  struct s2_pk **out, const char **why)
{
    mbedtls_pk_context pk;
    char *text = NULL;
    int encrypted = s2_find(data, len, "Proc-Type: 4,ENCRYPTED") != len;
    int rc;
    int ret;
    int h;

    if (encrypted && (pass == NULL || pass[0] == '\0')) {
        *why = msg_no_pass;
        return LIBSSH2_ERROR_KEYFILE_AUTH_FAILED;
    }
    text = s2_memdup(a, data, len);
    if (text == NULL) {
        return LIBSSH2_ERROR_ALLOC;
    }
    mbedtls_pk_init(&pk);
    ret = mbedtls_pk_parse_key(&pk, (const unsigned char *)text, len + 1,
                               (const unsigned char *)pass, pass != NULL ? strlen(pass) : 0);
    h = high_err(ret);
    if (ret == 0) {
        rc = from_mbedtls(a, &pk, out, why);
    } else if (h == MBEDTLS_ERR_PK_ALLOC_FAILED) {
        rc = LIBSSH2_ERROR_ALLOC;
    } else if (h == MBEDTLS_ERR_PK_PASSWORD_REQUIRED) {
        rc = LIBSSH2_ERROR_KEYFILE_AUTH_FAILED;
        *why = msg_no_pass;
    } else if (h == MBEDTLS_ERR_PK_PASSWORD_MISMATCH) {
        rc = LIBSSH2_ERROR_KEYFILE_AUTH_FAILED;
        *why = msg_bad_pass;
    } else if (h == MBEDTLS_ERR_PK_UNKNOWN_PK_ALG) {
        rc = LIBSSH2_ERROR_FILE;
        *why = msg_alg;
    } else if (h == MBEDTLS_ERR_PK_UNKNOWN_NAMED_CURVE) {
        rc = LIBSSH2_ERROR_FILE;
        *why = msg_curve;
    } else if (h == MBEDTLS_ERR_PEM_UNKNOWN_ENC_ALG || h == MBEDTLS_ERR_PEM_FEATURE_UNAVAILABLE ||
               h == MBEDTLS_ERR_PK_FEATURE_UNAVAILABLE) {
        rc = LIBSSH2_ERROR_FILE;
        *why = msg_enc;
    } else if (encrypted) {
        /* decrypted to something that is no key: the passphrase was wrong
         * (the padding and first bytes matched by chance) */
        rc = LIBSSH2_ERROR_KEYFILE_AUTH_FAILED;
        *why = msg_bad_pass;
    } else {
        rc = LIBSSH2_ERROR_FILE;
        *why = msg_malformed;
    }
    mbedtls_pk_free(&pk);
    s2_free_secret(a, text, len + 1);
    return rc;
}

int
s2_pk_parse_pem(const struct s2_allocator *a, const uint8_t *data, size_t len,
                const char *passphrase, struct s2_pk **out, const char **why)
{
    struct s2_wr der;
    int rc;

    *out = NULL;
    *why = msg_malformed;
    if (data == NULL || len == 0 || len > PEM_MAX) {
        return LIBSSH2_ERROR_FILE;
    }
    if (s2_find(data, len, "-----BEGIN DSA PRIVATE KEY-----") != len) {
        *why = msg_dsa;
        return LIBSSH2_ERROR_FILE;
    }
    if (s2_find(data, len, "-----BEGIN ENCRYPTED PRIVATE KEY-----") != len ||
        s2_find(data, len, "-----BEGIN PRIVATE KEY-----") != len) {
        int enc = s2_find(data, len, "-----BEGIN ENCRYPTED PRIVATE KEY-----") != len;
        s2_wr_dyn(&der, a, PEM_MAX);
        der.secret = 1;
        rc = pem_body(data, len, enc ? "ENCRYPTED PRIVATE KEY" : "PRIVATE KEY", &der);
        if (rc == 0) {
            rc = enc ? parse_encrypted_pkcs8(a, der.p, der.len, passphrase, out, why)
                     : parse_der(a, der.p, der.len, out, why);
        }
        s2_wr_free(&der);
        return rc;
    }
    if (s2_find(data, len, "-----BEGIN RSA PRIVATE KEY-----") != len ||
        s2_find(data, len, "-----BEGIN EC PRIVATE KEY-----") != len) {
        return parse_traditional(a, data, len, passphrase, out, why);
    }
    *why = "not a private key file (no PEM private key armour)";
    return LIBSSH2_ERROR_FILE;
}
