/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * keys: public key blobs (RFC 4253 6.6, RFC 5656 3.1, RFC 8709, RFC 8332),
 * signature blobs and their verification, fingerprints. Private key files,
 * certificates and known_hosts join this module later (issue 3).
 */
#ifndef S2_KEYS_H
#define S2_KEYS_H

#include "core/core.h"
#include "crypto/crypto.h"

enum s2_key_type {
    S2_KEY_UNKNOWN = 0,
    S2_KEY_RSA,
    S2_KEY_ED25519,
    S2_KEY_ECDSA_P256,
    S2_KEY_ECDSA_P384,
    S2_KEY_ECDSA_P521
};

/* A parsed public key. Views borrow the blob given to s2_pubkey_parse() and
 * are valid only while it is. */
struct s2_pubkey {
    enum s2_key_type type;
    struct s2_rd name;  /* key type name as in the blob, e.g. "ssh-ed25519" */
    struct s2_rd ed25519; /* 32 bytes */
    struct s2_rd ec_point; /* uncompressed SEC1 point, validated on the curve */
    struct s2_rd rsa_e;  /* exponent magnitude */
    struct s2_rd rsa_n;  /* modulus magnitude */
};

/* s2_pubkey_parse parses a public key blob (at most S2_HOSTKEY_MAX bytes)
 * into |out|, borrowing |blob|. Checks field lengths, the ECDSA curve name
 * against the key type, the point on the curve, and RSA policy (modulus
 * 2048..16384 bits, odd exponent > 1). Trailing bytes are an error.
 * Returns 0 or LIBSSH2_ERROR_HOSTKEY_INIT. */
int s2_pubkey_parse(const uint8_t *blob, size_t blob_len, struct s2_pubkey *out) S2_MUST_CHECK;

/* A host key / signature algorithm as negotiated in KEXINIT. */
struct s2_sig_alg {
    const char *name;      /* e.g. "rsa-sha2-256" */
    enum s2_key_type type; /* key type it needs */
    enum s2_hash_alg hash; /* hash for RSA; informational for others */
};

/* s2_sig_alg_find returns the host key algorithm named |name| or NULL.
 * Known: ssh-ed25519, ecdsa-sha2-nistp256/384/521, rsa-sha2-512,
 * rsa-sha2-256, ssh-rsa. */
const struct s2_sig_alg *s2_sig_alg_find(const char *name, size_t name_len);

/* s2_pubkey_verify verifies |sig_blob| (string alg-name, string signature;
 * RFC 4253 6.6) over |data| with key |k| under the negotiated algorithm
 * |alg|. The name in the blob must equal alg->name exactly, the key type
 * must match, and no bytes may trail. Returns 0, or
 * LIBSSH2_ERROR_HOSTKEY_SIGN. */
int s2_pubkey_verify(const struct s2_pubkey *k, const struct s2_sig_alg *alg,
                     const uint8_t *sig_blob, size_t sig_len, const uint8_t *data,
                     size_t data_len) S2_MUST_CHECK;

/* s2_pubkey_libssh2_type maps the key to LIBSSH2_HOSTKEY_TYPE_*. */
int s2_pubkey_libssh2_type(const struct s2_pubkey *k);

/* ---- private keys (issue 3) ---- */
struct s2_privkey;

/* s2_privkey_load parses the contents of a private key file: OpenSSH
 * "openssh-key-v1" (armour "OPENSSH PRIVATE KEY"; unencrypted, or
 * bcrypt_pbkdf with aes256-ctr, aes256-cbc, aes128-ctr or
 * chacha20-poly1305@openssh.com), PEM PKCS#1 RSA and SEC1 EC (plain or
 * Proc-Type/DEK-Info encrypted), PKCS#8 (plain or PBES2-encrypted). Key types:
 * ed25519, ECDSA P-256/384/521, RSA. |passphrase| may be NULL. Errors are
 * recorded in |env| with a message saying what and why: 0,
 * LIBSSH2_ERROR_KEYFILE_AUTH_FAILED (wrong or missing passphrase),
 * LIBSSH2_ERROR_FILE (unparsable, or an unsupported type such as DSA),
 * LIBSSH2_ERROR_ALLOC. Caller frees with s2_privkey_free(). */
int s2_privkey_load(struct s2_env *env, const uint8_t *data, size_t len, const char *passphrase,
                    struct s2_privkey **out) S2_MUST_CHECK;
/* s2_privkey_free wipes and frees |k| (NULL is fine). */
void s2_privkey_free(const struct s2_allocator *a, struct s2_privkey *k);
/* s2_privkey_type returns the key's type. */
enum s2_key_type s2_privkey_type(const struct s2_privkey *k);
/* s2_privkey_pubblob appends the key's SSH public key blob to |w|. */
int s2_privkey_pubblob(const struct s2_privkey *k, struct s2_wr *w) S2_MUST_CHECK;
/* s2_privkey_sign signs |data| with |alg| (which must fit the key type: for
 * RSA one of rsa-sha2-512, rsa-sha2-256, ssh-rsa) and appends the SSH
 * signature blob (string algorithm name, string signature; RFC 4253 6.6,
 * RFC 5656 3.1.2, RFC 8332 3, RFC 8709 6) to |w|. 0 or an error. */
int s2_privkey_sign(const struct s2_privkey *k, const struct s2_sig_alg *alg, const uint8_t *data,
                    size_t data_len, struct s2_wr *w) S2_MUST_CHECK;
/* s2_pubkey_line_parse parses an OpenSSH public key line ("type base64
 * [comment]", as in .pub files; also *-cert-v01@openssh.com certificates),
 * checks that the blob's own type name equals the line's type, and appends
 * the blob to |blob|. Returns 0 or LIBSSH2_ERROR_FILE. */
int s2_pubkey_line_parse(const char *line, size_t len, struct s2_wr *blob) S2_MUST_CHECK;

/* ---- known_hosts (issue 3) ---- */
/* OpenSSH known_hosts lines (sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT"):
 *   [@marker ]hostpatterns keytype base64-key[ comment]
 * where hostpatterns is a comma-separated pattern list ('*', '?', '!') or one
 * hashed name "|1|base64(salt)|base64(HMAC-SHA1(salt, host))". */
#define S2_KH_LINE_MAX (256u * 1024u) /* longest line read or written */
#define S2_KH_SALT_LEN 20u            /* hashed host: salt and HMAC-SHA1 length */

enum s2_kh_marker {
    S2_KH_MARK_NONE = 0,
    S2_KH_MARK_CA,     /* "@cert-authority": the key is a CA key, not a host key */
    S2_KH_MARK_REVOKED /* "@revoked": the key must never be accepted */
};

/* One known_hosts entry as fields. Views either borrow the parsed line or
 * the caller's owned strings. */
struct s2_kh_line {
    enum s2_kh_marker marker;
    int hashed;                      /* 1: hosts is "|1|salt|hash" */
    struct s2_rd hosts;              /* host field as written (also when hashed) */
    uint8_t salt[S2_KH_SALT_LEN];    /* hashed only */
    uint8_t hash[S2_KH_SALT_LEN];    /* hashed only */
    struct s2_rd keytype;            /* key type name, e.g. "ssh-ed25519" */
    struct s2_rd key_b64;            /* the key as base64 text */
    struct s2_rd comment;            /* rest of the line, trimmed; may be empty */
};

/* s2_kh_parse_line parses one known_hosts line of |len| bytes (a NUL ends it
 * early; trailing CR/LF and blanks are ignored). Returns 1 for a blank or
 * comment line (|out| untouched, |blob| unchanged), 0 for an entry: |out|
 * views borrow |line|, and the decoded key blob (at most S2_HOSTKEY_MAX
 * bytes, whose leading type name must equal the line's key type) is appended
 * to |blob|. Returns LIBSSH2_ERROR_KNOWN_HOSTS for a malformed line (unknown
 * marker, missing field, bad base64, hashed salt or hash not 20 bytes,
 * longer than S2_KH_LINE_MAX), or the writer's error (ALLOC). */
int s2_kh_parse_line(const char *line, size_t len, struct s2_kh_line *out,
                     struct s2_wr *blob) S2_MUST_CHECK;

/* s2_kh_format_line appends "[@marker ]hosts keytype key[ comment]\n" to |w|
 * (hashed entries write "|1|salt|hash" from out->salt / out->hash).
 * Returns the writer's state: 0, BUFFER_TOO_SMALL or ALLOC. */
int s2_kh_format_line(const struct s2_kh_line *l, struct s2_wr *w) S2_MUST_CHECK;

/* s2_kh_match_patterns matches |host| against the comma-separated pattern
 * list |pats| as OpenSSH does: ASCII case-insensitive, '*' and '?'
 * wildcards, '!' negates. Returns 1 (a pattern matched and none negated),
 * -1 (a negated pattern matched) or 0. */
int s2_kh_match_patterns(const struct s2_rd *pats, const char *host, size_t host_len);

/* s2_kh_match_hashed computes HMAC-SHA1(salt, host) and sets *out_match to 1
 * when it equals |hash|. Returns 0, or an error (then *out_match is 0). */
int s2_kh_match_hashed(const uint8_t *salt, const uint8_t *hash, const char *host,
                       size_t host_len, int *out_match) S2_MUST_CHECK;

/* s2_kh_key_bits maps a key type name to LIBSSH2_KNOWNHOST_KEY_* bits
 * (LIBSSH2_KNOWNHOST_KEY_UNKNOWN for names it does not know). */
int s2_kh_key_bits(const struct s2_rd *name);

/* s2_kh_key_name returns the key type name for LIBSSH2_KNOWNHOST_KEY_* bits,
 * or NULL for UNKNOWN, RSA1 and anything else. */
const char *s2_kh_key_name(int key_bits);

/* s2_kh_blob_type views the leading type name string of the key blob |blob|
 * in |out|. Returns 0, or LIBSSH2_ERROR_KNOWN_HOSTS when the blob does not
 * start with a string of 1..S2_NAME_MAX bytes. */
int s2_kh_blob_type(const uint8_t *blob, size_t blob_len, struct s2_rd *out) S2_MUST_CHECK;

/* ---- security keys (issue 3) ---- */
/* FIDO/U2F keys as OpenSSH defines them (PROTOCOL.u2f). The device holds the
 * private key; the key file holds what the device needs to find it. Public
 * key blobs:
 *   sk-ssh-ed25519@openssh.com          string name, string key(32),
 *                                       string application
 *   sk-ecdsa-sha2-nistp256@openssh.com  string name, string "nistp256",
 *                                       string Q, string application
 * openssh-key-v1 private sections (after the key type name):
 *   ed25519: string key(32), string application, byte flags,
 *            string key_handle, string reserved
 *   ecdsa:   string "nistp256", string Q, string application, byte flags,
 *            string key_handle, string reserved */
#define S2_SK_ED25519_NAME "sk-ssh-ed25519@openssh.com"
#define S2_SK_ECDSA_NAME   "sk-ecdsa-sha2-nistp256@openssh.com"
#define S2_SK_APP_MAX      1024u /* application string ("ssh:" ...) */
#define S2_SK_HANDLE_MAX   4096u /* key handle (FIDO credential id) */
#define S2_SK_RESERVED_MAX 1024u /* reserved field of the private section */

/* A parsed sk public key blob; views borrow the blob. */
struct s2_sk_pub {
    int algorithm;            /* LIBSSH2_HOSTKEY_TYPE_ED25519 or _ECDSA_256 */
    struct s2_rd name;        /* key type name */
    struct s2_rd key;         /* ed25519: 32 bytes; ecdsa: SEC1 point Q (65) */
    struct s2_rd application; /* 1..S2_SK_APP_MAX bytes, no NUL */
};

/* s2_sk_pubkey_parse parses an sk public key blob of |len| bytes. The ECDSA
 * point must be on P-256; trailing bytes are an error. Returns 0 or
 * LIBSSH2_ERROR_FILE. */
int s2_sk_pubkey_parse(const uint8_t *blob, size_t len, struct s2_sk_pub *out) S2_MUST_CHECK;

/* The key fields of an sk private section; views borrow the section. */
struct s2_sk_priv {
    struct s2_rd key;         /* ed25519: 32 bytes; ecdsa: Q */
    struct s2_rd application; /* 1..S2_SK_APP_MAX bytes, no NUL */
    uint8_t flags;            /* LIBSSH2_SK_* bits the device is asked for */
    struct s2_rd key_handle;  /* 1..S2_SK_HANDLE_MAX bytes */
    struct s2_rd reserved;    /* ignored */
};

/* s2_sk_parse_private reads the key fields of an sk private section from
 * |r| (positioned after the key type name) for |algorithm|
 * (LIBSSH2_HOSTKEY_TYPE_ED25519 or _ECDSA_256), leaving |r| after the
 * reserved field. Returns 0 or LIBSSH2_ERROR_FILE. */
int s2_sk_parse_private(struct s2_rd *r, int algorithm, struct s2_sk_priv *out) S2_MUST_CHECK;

/* A loaded sk key file: what the device needs and the public key blob. */
struct s2_sk_key {
    int algorithm;       /* LIBSSH2_HOSTKEY_TYPE_ED25519 or _ECDSA_256 */
    const char *name;    /* static key type name */
    uint8_t flags;       /* from the file */
    char *application;   /* owned, NUL-terminated */
    uint8_t *key_handle; /* owned */
    size_t key_handle_len;
    uint8_t *pubblob; /* owned: the public key blob */
    size_t pubblob_len;
};

/* s2_sk_key_load parses the contents of an sk private key file
 * ("-----BEGIN OPENSSH PRIVATE KEY-----" armour around openssh-key-v1,
 * plain or passphrase-encrypted as for s2_privkey_load). The private
 * section must describe the same key as the file's public key. Errors are
 * recorded in |env|: LIBSSH2_ERROR_FILE (malformed, or not an sk key),
 * LIBSSH2_ERROR_KEYFILE_AUTH_FAILED, LIBSSH2_ERROR_ALLOC. Caller frees
 * with s2_sk_key_free(). */
int s2_sk_key_load(struct s2_env *env, const uint8_t *data, size_t len, const char *passphrase,
                   struct s2_sk_key **out) S2_MUST_CHECK;
/* s2_sk_key_free wipes and frees |k| (NULL is fine). */
void s2_sk_key_free(const struct s2_allocator *a, struct s2_sk_key *k);

#endif /* S2_KEYS_H */
