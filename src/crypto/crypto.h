/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * crypto: the only module that includes <sodium.h> or mbedtls headers. Hashes,
 * HMAC, the transport ciphers (CTR, CBC, AES-GCM, chacha20-poly1305@openssh.com),
 * key-exchange math (X25519, ECDH P-256/384/521, finite-field DH) and
 * signature verification (Ed25519, ECDSA, RSA PKCS#1 v1.5). Every function
 * returns 0 or a negative LIBSSH2_ERROR_* code unless it says otherwise.
 * This is the one dispatch point where faster kernels plug in later.
 */
#ifndef S2_CRYPTO_H
#define S2_CRYPTO_H

#include "core/core.h"

/* s2_crypto_init initialises libsodium (idempotent). 0 or LIBSSH2_ERROR_INVAL. */
int s2_crypto_init(void) S2_MUST_CHECK;

/* s2_crypto_fast tells which algorithms run on hardware kernels here (CPU
 * features minus SSH2CORE_CPU_MASK), for ordering the defaults:
 * S2_FAST_AES (AES-GCM/CTR on AES-NI + PCLMULQDQ), S2_FAST_SHA256 (SHA-NI). */
#define S2_FAST_AES 1u
#define S2_FAST_SHA256 2u
unsigned s2_crypto_fast(void);

/* s2_random fills |buf| with |n| bytes from the CSPRNG. 0 or RANDGEN. */
int s2_random(void *buf, size_t n) S2_MUST_CHECK;

/* s2_ct_eq compares in constant time; 1 when equal. */
int s2_ct_eq(const void *a, const void *b, size_t n);

/* ---- hashes ---- */
enum s2_hash_alg {
    S2_HASH_MD5 = 1, /* fingerprints only */
    S2_HASH_SHA1,
    S2_HASH_SHA256,
    S2_HASH_SHA384,
    S2_HASH_SHA512
};
#define S2_HASH_MAX_LEN 64u
#define S2_HASH_STATE_SIZE 256u

struct s2_hash {
    enum s2_hash_alg alg;
    union {
        uint64_t align;
        unsigned char b[S2_HASH_STATE_SIZE];
    } st; /* opaque library state */
};

/* s2_hash_len returns the digest length of |alg| (0 for an unknown alg). */
size_t s2_hash_len(enum s2_hash_alg alg);
int s2_hash_init(struct s2_hash *h, enum s2_hash_alg alg) S2_MUST_CHECK;
void s2_hash_update(struct s2_hash *h, const void *p, size_t n);
/* s2_hash_final writes s2_hash_len() bytes to |out| and wipes the state. */
void s2_hash_final(struct s2_hash *h, uint8_t *out);
/* s2_hash_once hashes one buffer. */
int s2_hash_once(enum s2_hash_alg alg, const void *p, size_t n, uint8_t *out) S2_MUST_CHECK;

/* ---- HMAC ---- */
/* s2_hmac_once computes HMAC-|alg|(key, data) into |out| (s2_hash_len bytes). */
int s2_hmac_once(enum s2_hash_alg alg, const void *key, size_t key_len, const void *data,
                 size_t data_len, uint8_t *out) S2_MUST_CHECK;

/* A transport MAC key: the keyed state is computed once, so each packet
 * costs only the hashing of its bytes. */
struct s2_mac;
/* s2_mac_new keys HMAC-|alg| (SHA1, SHA256 or SHA512). Caller frees with
 * s2_mac_free(). */
int s2_mac_new(const struct s2_allocator *a, enum s2_hash_alg alg, const uint8_t *key,
               size_t key_len, struct s2_mac **out) S2_MUST_CHECK;
/* s2_mac_len returns the MAC length in bytes. */
size_t s2_mac_len(const struct s2_mac *m);
/* s2_mac_packet computes MAC(key, uint32 seqno || data) into |out|. */
void s2_mac_packet(struct s2_mac *m, uint32_t seqno, const uint8_t *data, size_t len,
                   uint8_t *out);
/* s2_mac_free wipes and frees |m| (NULL is fine). */
void s2_mac_free(const struct s2_allocator *a, struct s2_mac *m);

/* ---- transport ciphers ---- */
enum s2_cipher_mode {
    S2_MODE_CTR,    /* aes{128,192,256}-ctr */
    S2_MODE_CBC,    /* aes{128,192,256}-cbc */
    S2_MODE_GCM,    /* aes{128,256}-gcm@openssh.com (RFC 5647 as OpenSSH does it) */
    S2_MODE_CHAPOLY /* chacha20-poly1305@openssh.com */
};

struct s2_cipher_alg {
    const char *name; /* SSH wire name */
    enum s2_cipher_mode mode;
    uint8_t key_len;   /* bytes of key material to derive */
    uint8_t iv_len;    /* bytes of IV to derive (0 for chacha20-poly1305) */
    uint8_t block_len; /* padding block: 16 for AES, 8 for chacha20-poly1305 */
    uint8_t tag_len;   /* AEAD tag, 0 for CTR/CBC (those use a MAC) */
};

/* s2_cipher_find returns the algorithm named |name| or NULL. */
const struct s2_cipher_alg *s2_cipher_find(const char *name, size_t name_len);

struct s2_cipher;
/* s2_cipher_new keys a cipher for one direction (|encrypt| 1 = seal/encrypt).
 * |key| has alg->key_len bytes, |iv| alg->iv_len. Caller frees with
 * s2_cipher_free(). */
int s2_cipher_new(const struct s2_allocator *a, const struct s2_cipher_alg *alg, int encrypt,
                  const uint8_t *key, const uint8_t *iv, struct s2_cipher **out) S2_MUST_CHECK;
/* s2_cipher_free wipes and frees |c| (NULL is fine). */
void s2_cipher_free(const struct s2_allocator *a, struct s2_cipher *c);

/* CTR and CBC: en- or decrypt |len| bytes in place; |len| is a multiple of
 * the block size. The keystream / chaining state carries across calls. */
int s2_cipher_crypt(struct s2_cipher *c, uint8_t *buf, size_t len) S2_MUST_CHECK;

/* AEAD (GCM, chacha20-poly1305). A packet is uint32 packet_length followed
 * by packet_length bytes; |pkt| points at the length field and |len| is
 * 4 + packet_length.
 *
 * s2_aead_length reads the packet length from the first four received
 * bytes without changing them: for GCM they are plaintext, for
 * chacha20-poly1305 they are decrypted with the header key and |seqno|. */
int s2_aead_length(struct s2_cipher *c, uint32_t seqno, const uint8_t in[4],
                   uint32_t *out_len) S2_MUST_CHECK;
/* s2_aead_seal encrypts pkt[4..len) in place (and pkt[0..4) for
 * chacha20-poly1305), and writes tag_len bytes of tag to |tag|. */
int s2_aead_seal(struct s2_cipher *c, uint32_t seqno, uint8_t *pkt, size_t len,
                 uint8_t *tag) S2_MUST_CHECK;
/* s2_aead_open checks |tag| over the received packet first; on success it
 * decrypts pkt[4..len) in place (pkt[0..4) is left as received). On a bad
 * tag it returns LIBSSH2_ERROR_INVALID_MAC and the buffer holds no plaintext. */
int s2_aead_open(struct s2_cipher *c, uint32_t seqno, uint8_t *pkt, size_t len,
                 const uint8_t *tag) S2_MUST_CHECK;

/* ---- key exchange math ---- */
/* s2_x25519_keypair makes a fresh private key (CSPRNG) and its public key. */
int s2_x25519_keypair(uint8_t priv[32], uint8_t pub[32]) S2_MUST_CHECK;
/* s2_x25519 computes the shared secret; KEX_FAILURE when it is all zero. */
int s2_x25519(uint8_t out[32], const uint8_t priv[32], const uint8_t peer[32]) S2_MUST_CHECK;

enum s2_curve { S2_CURVE_P256, S2_CURVE_P384, S2_CURVE_P521 };
#define S2_EC_POINT_MAX 133u /* uncompressed P-521 point */
#define S2_EC_SECRET_MAX 66u

/* s2_curve_hash returns the hash the SSH ecdh/ecdsa methods pair with the
 * curve (SHA-256, SHA-384, SHA-512). */
enum s2_hash_alg s2_curve_hash(enum s2_curve curve);

struct s2_ecdh;
/* s2_ecdh_new generates an ephemeral key pair on |curve|. Caller frees with
 * s2_ecdh_free(). */
int s2_ecdh_new(const struct s2_allocator *a, enum s2_curve curve,
                struct s2_ecdh **out) S2_MUST_CHECK;
/* s2_ecdh_public writes our public point, uncompressed (0x04 || X || Y). */
int s2_ecdh_public(const struct s2_ecdh *e, uint8_t *out, size_t out_max,
                   size_t *out_len) S2_MUST_CHECK;
/* s2_ecdh_shared checks that |peer| is a valid uncompressed point on the
 * curve (else KEX_FAILURE) and writes the shared X coordinate (fixed
 * length, big-endian) to |out|. */
int s2_ecdh_shared(struct s2_ecdh *e, const uint8_t *peer, size_t peer_len, uint8_t *out,
                   size_t out_max, size_t *out_len) S2_MUST_CHECK;
void s2_ecdh_free(const struct s2_allocator *a, struct s2_ecdh *e);

/* Finite-field Diffie-Hellman (RFC 4253 8, RFC 4419, RFC 8268). Numbers are
 * unsigned big-endian byte strings. */
#define S2_DH_MAX_BYTES 1024u /* 8192-bit groups */

/* s2_dh_group returns the RFC 2409/3526 prime of group 1, 14, 16 or 18
 * (generator 2), or INVAL. The pointer is to static data. */
int s2_dh_group(int group, const uint8_t **p, size_t *p_len) S2_MUST_CHECK;

struct s2_dh;
/* s2_dh_new checks the group (p odd, |min_bits| <= bits(p) <= 8192,
 * 1 < g < p-1; else KEX_FAILURE) and generates a private exponent of
 * |priv_bits| bits and e = g^x mod p. Caller frees with s2_dh_free(). */
int s2_dh_new(const struct s2_allocator *a, const uint8_t *p, size_t p_len, const uint8_t *g,
              size_t g_len, size_t min_bits, size_t priv_bits, struct s2_dh **out) S2_MUST_CHECK;
/* s2_dh_public writes e (minimal big-endian, no sign byte). */
int s2_dh_public(const struct s2_dh *d, uint8_t *out, size_t out_max,
                 size_t *out_len) S2_MUST_CHECK;
/* s2_dh_shared checks 1 < f < p-1 (else KEX_FAILURE) and writes
 * K = f^x mod p (minimal big-endian). */
int s2_dh_shared(struct s2_dh *d, const uint8_t *f, size_t f_len, uint8_t *out, size_t out_max,
                 size_t *out_len) S2_MUST_CHECK;
void s2_dh_free(const struct s2_allocator *a, struct s2_dh *d);

/* ---- signature verification (host keys; user keys later) ---- */
/* Each returns 0 when the signature is valid, LIBSSH2_ERROR_HOSTKEY_SIGN when
 * it is not or when a key/signature field is malformed. */
int s2_ed25519_verify(const uint8_t pub[32], const uint8_t *msg, size_t msg_len,
                      const uint8_t sig[64]) S2_MUST_CHECK;
/* s2_ecdsa_verify: |point| uncompressed SEC1; r and s unsigned big-endian
 * (leading zeros allowed), must be in [1, n-1]; the message is hashed with
 * s2_curve_hash(curve). */
int s2_ecdsa_verify(enum s2_curve curve, const uint8_t *point, size_t point_len,
                    const uint8_t *msg, size_t msg_len, const uint8_t *r, size_t r_len,
                    const uint8_t *s, size_t s_len) S2_MUST_CHECK;
/* s2_ecdsa_point_ok tells (0 / HOSTKEY_INIT) whether |point| is a valid
 * uncompressed point on |curve|. */
int s2_ecdsa_point_ok(enum s2_curve curve, const uint8_t *point, size_t point_len) S2_MUST_CHECK;
/* s2_rsa_verify: RSASSA-PKCS1-v1_5 with |hash| (SHA1, SHA256, SHA512).
 * n and e unsigned big-endian. A signature shorter than the modulus is
 * left-padded with zeros; a longer one fails. Policy: 2048 <= bits(n) <=
 * 16384, e odd and > 1 (else HOSTKEY_SIGN). */
int s2_rsa_verify(const uint8_t *n, size_t n_len, const uint8_t *e, size_t e_len,
                  enum s2_hash_alg hash, const uint8_t *msg, size_t msg_len, const uint8_t *sig,
                  size_t sig_len) S2_MUST_CHECK;

/* ---- signing (issue 3) ---- */
/* User-key signing and the private-key helpers of the key-file parsers.
 * RSA and ECDSA private keys are mbedTLS objects, so they live here behind
 * the opaque struct s2_pk; src/keys holds only the pointer. */

/* s2_ed25519_sign makes the RFC 8032 5.1.6 signature of |msg| with the
 * 64-byte libsodium secret key |sk| (seed || public key). 0 or INVAL. */
int s2_ed25519_sign(const uint8_t sk[64], const uint8_t *msg, size_t msg_len,
                    uint8_t sig[64]) S2_MUST_CHECK;
/* s2_ed25519_seed_keypair derives the public key and the 64-byte secret key
 * (seed || public) from a 32-byte seed (RFC 8032 5.1.5). 0 or INVAL. */
int s2_ed25519_seed_keypair(const uint8_t seed[32], uint8_t pub[32],
                            uint8_t sk[64]) S2_MUST_CHECK;

enum s2_pk_kind {
    S2_PK_ED25519 = 1,
    S2_PK_RSA,
    S2_PK_ECDSA
};

/* A private key of any supported kind. Caller frees with s2_pk_free(). */
struct s2_pk;

/* s2_pk_ed25519_import makes a key from a 32-byte seed; when |pub| is not
 * NULL it must equal the public key the seed derives (else
 * LIBSSH2_ERROR_FILE). 0, FILE or ALLOC. */
int s2_pk_ed25519_import(const struct s2_allocator *a, const uint8_t seed[32],
                         const uint8_t *pub, struct s2_pk **out) S2_MUST_CHECK;
/* s2_pk_rsa_import makes an RSA key from unsigned big-endian n, e, d, p, q
 * and (when not NULL) iqmp = q^-1 mod p. The key must be consistent (n =
 * p*q, d matches e, iqmp matches) and 1024 <= bits(n) <= 8192 (mbedTLS's
 * limit). 0, LIBSSH2_ERROR_FILE or ALLOC. */
int s2_pk_rsa_import(const struct s2_allocator *a, const uint8_t *n, size_t n_len,
                     const uint8_t *e, size_t e_len, const uint8_t *d, size_t d_len,
                     const uint8_t *iqmp, size_t iqmp_len, const uint8_t *p, size_t p_len,
                     const uint8_t *q, size_t q_len, struct s2_pk **out) S2_MUST_CHECK;
/* s2_pk_ecdsa_import makes an ECDSA key from the private scalar |d|
 * (unsigned big-endian) on |curve|; when |point| is not NULL it must be the
 * uncompressed public point d*G. 0, LIBSSH2_ERROR_FILE or ALLOC. */
int s2_pk_ecdsa_import(const struct s2_allocator *a, enum s2_curve curve, const uint8_t *d,
                       size_t d_len, const uint8_t *point, size_t point_len,
                       struct s2_pk **out) S2_MUST_CHECK;
/* s2_pk_parse_pem parses a PEM private key (NUL need not follow |data|):
 * "RSA PRIVATE KEY" (PKCS#1), "EC PRIVATE KEY" (SEC1), plain or
 * Proc-Type/DEK-Info encrypted (AES-128/192/256-CBC, DES-EDE3-CBC, DES-CBC);
 * "PRIVATE KEY" (PKCS#8: RSA, EC, Ed25519 per RFC 8410); "ENCRYPTED
 * PRIVATE KEY" (PKCS#8 PBES2 with PBKDF2-HMAC-SHA1/256 and AES-CBC or
 * 3DES-CBC). |passphrase| may be NULL. On failure *|why| points to a static
 * message. Returns 0, LIBSSH2_ERROR_KEYFILE_AUTH_FAILED (encrypted and the
 * passphrase is missing or wrong), LIBSSH2_ERROR_FILE (malformed, or an
 * unsupported algorithm such as DSA or an unsupported curve), ALLOC. */
int s2_pk_parse_pem(const struct s2_allocator *a, const uint8_t *data, size_t len,
                    const char *passphrase, struct s2_pk **out, const char **why) S2_MUST_CHECK;
/* s2_pk_free wipes and frees |k| (NULL is fine). */
void s2_pk_free(const struct s2_allocator *a, struct s2_pk *k);
/* s2_pk_kind returns the kind of key. */
enum s2_pk_kind s2_pk_kind(const struct s2_pk *k);
/* s2_pk_curve returns the curve of an ECDSA key (meaningless otherwise). */
enum s2_curve s2_pk_curve(const struct s2_pk *k);
/* s2_pk_ed25519_public copies the 32-byte public key; INVAL if not Ed25519. */
int s2_pk_ed25519_public(const struct s2_pk *k, uint8_t pub[32]) S2_MUST_CHECK;
/* s2_pk_ecdsa_public writes the uncompressed public point (at most
 * S2_EC_POINT_MAX bytes). 0, INVAL or BUFFER_TOO_SMALL. */
int s2_pk_ecdsa_public(const struct s2_pk *k, uint8_t *out, size_t out_max,
                       size_t *out_len) S2_MUST_CHECK;
/* s2_pk_rsa_public writes e and n as minimal unsigned big-endian numbers.
 * 0, INVAL or BUFFER_TOO_SMALL. */
int s2_pk_rsa_public(const struct s2_pk *k, uint8_t *e, size_t e_max, size_t *e_len,
                     uint8_t *n, size_t n_max, size_t *n_len) S2_MUST_CHECK;
/* s2_pk_ed25519_sign signs |msg| with an Ed25519 key (RFC 8032). */
int s2_pk_ed25519_sign(const struct s2_pk *k, const uint8_t *msg, size_t msg_len,
                       uint8_t sig[64]) S2_MUST_CHECK;
/* s2_pk_rsa_sign makes the RSASSA-PKCS1-v1_5 signature (RFC 8017 8.2.1) of
 * |msg| with |hash| (SHA1, SHA256, SHA512): exactly modulus-length bytes,
 * written to |sig| (|sig_max| >= that). Blinded with the CSPRNG. 0, INVAL,
 * BUFFER_TOO_SMALL or LIBSSH2_ERROR_PUBLICKEY_UNVERIFIED (signing failed). */
int s2_pk_rsa_sign(const struct s2_pk *k, enum s2_hash_alg hash, const uint8_t *msg,
                   size_t msg_len, uint8_t *sig, size_t sig_max, size_t *sig_len) S2_MUST_CHECK;
/* s2_pk_ecdsa_sign signs |msg| hashed with s2_curve_hash() using the
 * deterministic nonce of RFC 6979 (blinded with the CSPRNG) and writes r
 * and s as minimal unsigned big-endian numbers (each at most
 * S2_EC_SECRET_MAX bytes, |r| and |s| must have that room). 0, INVAL or
 * LIBSSH2_ERROR_PUBLICKEY_UNVERIFIED (signing failed). */
int s2_pk_ecdsa_sign(const struct s2_pk *k, const uint8_t *msg, size_t msg_len, uint8_t *r,
                     size_t *r_len, uint8_t *s, size_t *s_len) S2_MUST_CHECK;

/* s2_bcrypt_pbkdf derives |out_len| (1..1024) bytes from the passphrase and
 * salt (both non-empty) with |rounds| >= 1 iterations, as OpenBSD's
 * bcrypt_pbkdf(3) (the "bcrypt" KDF of openssh-key-v1). Cost is linear in
 * rounds * ceil(out_len / 32). 0 or LIBSSH2_ERROR_INVAL. */
int s2_bcrypt_pbkdf(const uint8_t *pass, size_t pass_len, const uint8_t *salt, size_t salt_len,
                    uint8_t *out, size_t out_len, uint32_t rounds) S2_MUST_CHECK;
/* s2_chapoly_keyfile_open is chacha20-poly1305@openssh.com as OpenSSH
 * applies it to private key files: with no length field, so the Poly1305
 * tag covers the whole |buf| and the whole |buf| is encrypted from block
 * counter 1, under nonce 0 and the first 32 bytes of |key|. The tag is
 * checked first; on success |buf| is decrypted in place. 0 or
 * LIBSSH2_ERROR_INVALID_MAC (|buf| untouched). */
int s2_chapoly_keyfile_open(const uint8_t key[64], uint8_t *buf, size_t len,
                            const uint8_t tag[16]) S2_MUST_CHECK;

/* ---- Post-quantum KEMs (mlkem768.c, sntrup761.c, sha3.c) ---- */

/* SHA-3 and SHAKE (FIPS 202), one-shot. s2_sha3_256/512 write 32/64 bytes;
 * s2_shake128/256 write |out_len| bytes of output. */
void s2_sha3_256(const uint8_t *in, size_t len, uint8_t out[32]);
void s2_sha3_512(const uint8_t *in, size_t len, uint8_t out[64]);
void s2_shake128(const uint8_t *in, size_t len, uint8_t *out, size_t out_len);
void s2_shake256(const uint8_t *in, size_t len, uint8_t *out, size_t out_len);

/* ML-KEM-768 (FIPS 203) sizes. */
#define S2_MLKEM768_PK_LEN 1184u
#define S2_MLKEM768_SK_LEN 2400u
#define S2_MLKEM768_CT_LEN 1088u
#define S2_MLKEM768_SS_LEN 32u

/* s2_mlkem768_keypair generates a key pair with the CSPRNG (FIPS 203
 * ML-KEM.KeyGen). 0 or RANDGEN. */
int s2_mlkem768_keypair(uint8_t pk[S2_MLKEM768_PK_LEN], uint8_t sk[S2_MLKEM768_SK_LEN])
    S2_MUST_CHECK;
/* s2_mlkem768_keypair_derand is ML-KEM.KeyGen_internal(d, z) (known answers). */
void s2_mlkem768_keypair_derand(uint8_t pk[S2_MLKEM768_PK_LEN], uint8_t sk[S2_MLKEM768_SK_LEN],
                                const uint8_t d[32], const uint8_t z[32]);
/* s2_mlkem768_encaps encapsulates to |pk| with fresh randomness (tests and a
 * future server side). Runs the encapsulation key check of FIPS 203 7.2:
 * 0, LIBSSH2_ERROR_INVAL (bad |pk|) or RANDGEN. */
int s2_mlkem768_encaps(uint8_t ct[S2_MLKEM768_CT_LEN], uint8_t ss[S2_MLKEM768_SS_LEN],
                       const uint8_t pk[S2_MLKEM768_PK_LEN]) S2_MUST_CHECK;
/* s2_mlkem768_encaps_derand is ML-KEM.Encaps_internal(ek, m) with the same
 * check: 0 or LIBSSH2_ERROR_INVAL. */
int s2_mlkem768_encaps_derand(uint8_t ct[S2_MLKEM768_CT_LEN], uint8_t ss[S2_MLKEM768_SS_LEN],
                              const uint8_t pk[S2_MLKEM768_PK_LEN], const uint8_t m[32])
    S2_MUST_CHECK;
/* s2_mlkem768_decaps is ML-KEM.Decaps with implicit rejection: a modified
 * |ct| yields a pseudo-random |ss|, never an error. Runs the decapsulation
 * key check of FIPS 203 7.3 (hash of ek inside dk): 0 or
 * LIBSSH2_ERROR_INVAL (bad |sk|). Constant time in |sk| and |ct|. */
int s2_mlkem768_decaps(uint8_t ss[S2_MLKEM768_SS_LEN], const uint8_t ct[S2_MLKEM768_CT_LEN],
                       const uint8_t sk[S2_MLKEM768_SK_LEN]) S2_MUST_CHECK;

/* sntrup761 (NTRU Prime, as OpenSSH's sntrup761x25519-sha512) sizes. */
#define S2_SNTRUP761_PK_LEN 1158u
#define S2_SNTRUP761_SK_LEN 1763u
#define S2_SNTRUP761_CT_LEN 1039u
#define S2_SNTRUP761_SS_LEN 32u

/* s2_sntrup761_keypair generates a key pair with the CSPRNG. 0 or RANDGEN. */
int s2_sntrup761_keypair(uint8_t pk[S2_SNTRUP761_PK_LEN], uint8_t sk[S2_SNTRUP761_SK_LEN])
    S2_MUST_CHECK;
/* s2_sntrup761_encaps encapsulates to |pk| with the CSPRNG (tests and a
 * future server side). 0 or RANDGEN. */
int s2_sntrup761_encaps(uint8_t ct[S2_SNTRUP761_CT_LEN], uint8_t ss[S2_SNTRUP761_SS_LEN],
                        const uint8_t pk[S2_SNTRUP761_PK_LEN]) S2_MUST_CHECK;
/* s2_sntrup761_decaps decapsulates with implicit rejection (a modified |ct|
 * yields an unrelated |ss|). Constant time in |sk| and |ct|. Returns 0. */
int s2_sntrup761_decaps(uint8_t ss[S2_SNTRUP761_SS_LEN], const uint8_t ct[S2_SNTRUP761_CT_LEN],
                        const uint8_t sk[S2_SNTRUP761_SK_LEN]) S2_MUST_CHECK;

#endif /* S2_CRYPTO_H */
