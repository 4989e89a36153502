/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * crypto_int.h: declarations private to src/crypto. The per-mode cipher
 * contexts (AES-CTR/CBC, AES-GCM, chacha20-poly1305@openssh.com) that
 * cipher.c dispatches to, and the mbedTLS RNG callback shared with the
 * public-key code. Nothing outside src/crypto includes this header.
 */
#ifndef S2_CRYPTO_INT_H
#define S2_CRYPTO_INT_H

#include <sodium.h>

#include <mbedtls/aes.h>
#include <mbedtls/gcm.h>

#include "crypto/crypto.h"

/* s2_mbedtls_rng is an mbedTLS f_rng callback (|ctx| unused) that fills
 * |out| with |len| bytes from s2_random(). Returns 0, or non-zero on failure
 * as mbedTLS expects. */
int s2_mbedtls_rng(void *ctx, unsigned char *out, size_t len);

/* ---- AES-CTR / AES-CBC (cipher_aes.c, aes_ctr_ni.c, aes_ctr_vaes.c) ---- */
/* Which code computes a context's CTR keystream (CBC is always mbedTLS). */
enum s2_aes_impl {
    S2_AES_MBEDTLS = 0, /* mbedTLS, portable */
    S2_AES_NI,          /* aes_ctr_ni.c: AES-NI, 8 blocks per step */
    S2_AES_VAES         /* aes_ctr_vaes.c: VAES on YMM, 16 blocks per step */
};

/* An AES key schedule for our kernels (FIPS-197 5.2, encryption only). */
struct s2_aes_key {
    uint8_t rk[15][16]; /* round keys 0..rounds */
    unsigned rounds;    /* 10, 12 or 14 */
};

struct s2_aes_ctx {
    mbedtls_aes_context aes;  /* S2_AES_MBEDTLS, and CBC */
    struct s2_aes_key k;      /* S2_AES_NI, S2_AES_VAES */
    enum s2_aes_impl impl;
    unsigned char iv[16];     /* CTR: counter block (big-endian); CBC: chaining IV */
    unsigned char stream[16]; /* CTR: keystream of the last block begun */
    size_t nc_off;            /* CTR: bytes of stream used (0 = none left) */
    int cbc;                  /* 1 for CBC, 0 for CTR */
    int encrypt;              /* CBC direction */
};

/* s2_aes_init keys |c| with |key_len| (16, 24, 32) bytes of |key| and the
 * 16-byte |iv|. |cbc| selects CBC (else CTR); |encrypt| the CBC direction.
 * CTR runs on the fastest kernel s2_cpu_features() allows (S2_AES_VAES,
 * S2_AES_NI, else mbedTLS). 0 or LIBSSH2_ERROR_INVAL. Release with
 * s2_aes_cleanup(). */
int s2_aes_init(struct s2_aes_ctx *c, const uint8_t *key, size_t key_len, const uint8_t *iv,
                int cbc, int encrypt) S2_MUST_CHECK;
/* s2_aes_init_ctr_impl is s2_aes_init for CTR with the implementation
 * forced (tests and benchmarks). LIBSSH2_ERROR_INVAL for a bad |key_len| or
 * if |impl| cannot run here (see s2_aes_impl_available). */
int s2_aes_init_ctr_impl(struct s2_aes_ctx *c, const uint8_t *key, size_t key_len,
                         const uint8_t *iv, enum s2_aes_impl impl) S2_MUST_CHECK;
/* s2_aes_impl_available says whether |impl| can run on this CPU, as
 * s2_cpu_features() reports it. */
int s2_aes_impl_available(enum s2_aes_impl impl);
/* s2_aes_impl_name returns a static name for |impl| ("ni", "mbedtls", ...). */
const char *s2_aes_impl_name(enum s2_aes_impl impl);
/* s2_aes_crypt en- or decrypts |len| bytes in place; for CBC |len| must be
 * a multiple of 16 (else LIBSSH2_ERROR_INVAL). State carries across calls:
 * CTR calls may be of any length and continue the keystream where the last
 * one stopped. */
int s2_aes_crypt(struct s2_aes_ctx *c, uint8_t *buf, size_t len) S2_MUST_CHECK;
/* s2_aes_cleanup wipes the key schedules and IV. */
void s2_aes_cleanup(struct s2_aes_ctx *c);

/* s2_aes_ni_expand_key writes the FIPS-197 encryption round keys of the
 * 16-, 24- or 32-byte |key| to |rk| with AES-NI and returns the number of
 * rounds (10, 12, 14); the caller has checked S2_CPU_AESNI. (gcm_ni.c) */
unsigned s2_aes_ni_expand_key(uint8_t rk[15][16], const uint8_t *key, size_t key_len);
/* s2_aes_ctr_ni XORs the CTR keystream (RFC 4344 4: the whole 16-byte
 * block |ctr| is one big-endian counter, incremented per block with carry
 * and wrapping modulo 2^128) into |num_blocks| whole blocks of |buf| in
 * place, starting at counter |ctr|, and leaves |ctr| at the next unused
 * counter. |buf| needs no alignment. The caller has checked S2_CPU_AESNI. */
void s2_aes_ctr_ni(const struct s2_aes_key *k, uint8_t ctr[16], uint8_t *buf,
                   size_t num_blocks);
/* s2_aes_ctr_vaes is s2_aes_ctr_ni with VAES on YMM registers; the caller
 * has checked S2_CPU_AESNI, S2_CPU_AVX2 and S2_CPU_VAES. */
void s2_aes_ctr_vaes(const struct s2_aes_key *k, uint8_t ctr[16], uint8_t *buf,
                     size_t num_blocks);

/* ---- AES-GCM as RFC 5647 / OpenSSH (cipher_gcm.c, gcm_ni.c, gcm_vaes.c) ---- */
/* Which code computes a context's GCM. */
enum s2_gcm_impl {
    S2_GCM_MBEDTLS = 0, /* mbedTLS, portable */
    S2_GCM_SODIUM,      /* libsodium's AES-NI AES-256-GCM (256-bit keys only) */
    S2_GCM_NI,          /* gcm_ni.c: AES-NI + PCLMULQDQ, 8 blocks per step */
    S2_GCM_VAES         /* gcm_vaes.c: VAES + VPCLMULQDQ on YMM, 16 blocks per step */
};

/* Key material of our own kernels (gcm_ni.c, gcm_vaes.c). GHASH works on
 * byte-reversed blocks, i.e. bit-reflected polynomials; h[i] holds
 * H^(i+1) * x^-1 mod P in that form (so one carry-less product needs no
 * shift), hx[i] the XOR of h[i]'s two 64-bit halves in both halves
 * (Karatsuba's middle factor). Unaligned loads are used throughout. */
struct s2_gcm_key {
    uint8_t rk[15][16]; /* AES round keys 0..rounds */
    uint8_t h[16][16];  /* H^1 .. H^16, reflected, times x^-1 */
    uint8_t hx[16][16]; /* Karatsuba middle factors of h[] */
    uint8_t hr[16][16]; /* h[15] .. h[0]: one 256-bit load = a YMM pair */
    uint8_t hxr[16][16]; /* hx[15] .. hx[0] */
    unsigned rounds;    /* 10 (AES-128) or 14 (AES-256) */
};

/* One message in progress in our kernels (all reflected, see gcm_ni.c). */
struct s2_gcm_run {
    uint8_t y[16];   /* GHASH so far */
    uint8_t ctr[16]; /* next counter block */
    uint8_t ej0[16]; /* E(K, J0), masks the tag */
};

struct s2_gcm_ctx {
    enum s2_gcm_impl impl;
    unsigned char *sst; /* 16-aligned pointer into sst_buf (libsodium state) */
    unsigned char sst_buf[sizeof(crypto_aead_aes256gcm_state) + 16];
    mbedtls_gcm_context mg;
    struct s2_gcm_key k; /* S2_GCM_NI and S2_GCM_VAES */
    uint8_t iv[12];      /* fixed field (4) || invocation counter (8, big-endian) */
};

/* s2_gcm_init keys |g| with a 16- or 32-byte |key| and the 12-byte |iv|.
 * With |allow_sodium| ("allow accelerated kernels") set, the fastest code
 * that s2_cpu_features() allows is chosen: S2_GCM_VAES, S2_GCM_NI,
 * libsodium (256-bit keys), else mbedTLS; with it clear, mbedTLS.
 * 0 or LIBSSH2_ERROR_INVAL. |g| must not move after this call. Release with
 * s2_gcm_cleanup(). */
int s2_gcm_init(struct s2_gcm_ctx *g, const uint8_t *key, size_t key_len, const uint8_t *iv,
                int allow_sodium) S2_MUST_CHECK;
/* s2_gcm_init_impl is s2_gcm_init with the implementation forced (tests and
 * benchmarks). LIBSSH2_ERROR_INVAL if |impl| cannot run here (CPU features
 * as s2_cpu_features() reports them, or libsodium with a 128-bit key). */
int s2_gcm_init_impl(struct s2_gcm_ctx *g, const uint8_t *key, size_t key_len,
                     const uint8_t *iv, enum s2_gcm_impl impl) S2_MUST_CHECK;
/* s2_gcm_impl_available says whether s2_gcm_init_impl(..., |impl|) can
 * succeed for a |key_len|-byte key on this CPU. */
int s2_gcm_impl_available(enum s2_gcm_impl impl, size_t key_len);
/* s2_gcm_impl_name returns a static name for |impl| ("ni", "mbedtls", ...). */
const char *s2_gcm_impl_name(enum s2_gcm_impl impl);
/* s2_gcm_seal / s2_gcm_open: see s2_aead_seal / s2_aead_open in crypto.h.
 * The invocation counter advances after each successful call. */
int s2_gcm_seal(struct s2_gcm_ctx *g, uint8_t *pkt, size_t len, uint8_t *tag) S2_MUST_CHECK;
int s2_gcm_open(struct s2_gcm_ctx *g, uint8_t *pkt, size_t len,
                const uint8_t *tag) S2_MUST_CHECK;
/* s2_gcm_cleanup wipes all key material. */
void s2_gcm_cleanup(struct s2_gcm_ctx *g);

/* s2_gcm_ni_setkey expands the 16- or 32-byte |key| into |k| (round keys,
 * H^1..H^16) with AES-NI and PCLMULQDQ; the caller has checked that the
 * CPU has both. The VAES kernel uses the same key. */
void s2_gcm_ni_setkey(struct s2_gcm_key *k, const uint8_t *key, size_t key_len);
/* s2_gcm_ni_crypt runs GCM (SP 800-38D, 96-bit |iv|) over |len| bytes of
 * |buf| in place, encrypting when |encrypt| is set, else decrypting, with
 * |aad_len| bytes of |aad| authenticated, and writes the tag computed over
 * the ciphertext to |tag|. The caller compares tags when decrypting. */
void s2_gcm_ni_crypt(const struct s2_gcm_key *k, const uint8_t iv[12], const uint8_t *aad,
                     size_t aad_len, uint8_t *buf, size_t len, int encrypt, uint8_t tag[16]);
/* s2_gcm_ni_begin / _update / _end are s2_gcm_ni_crypt in steps, so the
 * VAES kernel can hand its remainder (and the AAD and tag) to this code:
 * begin derives J0 and hashes the AAD; update en- or decrypts |len| bytes
 * (every call but the last a multiple of 16); end writes the tag for
 * |aad_len| and total |len| bytes and wipes |st|. */
void s2_gcm_ni_begin(const struct s2_gcm_key *k, struct s2_gcm_run *st, const uint8_t iv[12],
                     const uint8_t *aad, size_t aad_len);
void s2_gcm_ni_update(const struct s2_gcm_key *k, struct s2_gcm_run *st, uint8_t *buf,
                      size_t len, int encrypt);
void s2_gcm_ni_end(const struct s2_gcm_key *k, struct s2_gcm_run *st, size_t aad_len,
                   size_t len, uint8_t tag[16]);
/* s2_gcm_vaes_crypt is s2_gcm_ni_crypt with VAES + VPCLMULQDQ on YMM
 * registers; the caller has checked S2_CPU_VAES. */
void s2_gcm_vaes_crypt(const struct s2_gcm_key *k, const uint8_t iv[12], const uint8_t *aad,
                       size_t aad_len, uint8_t *buf, size_t len, int encrypt, uint8_t tag[16]);

/* ---- chacha20-poly1305@openssh.com (cipher_chapoly.c) ---- */
struct s2_chapoly_ctx {
    uint8_t k_main[32]; /* K_2: first 32 key bytes; payload and Poly1305 key */
    uint8_t k_hdr[32];  /* K_1: last 32 key bytes; packet length only */
};

/* s2_chapoly_init splits the 64-byte |key| into K_2 (main) and K_1 (header). */
void s2_chapoly_init(struct s2_chapoly_ctx *c, const uint8_t key[64]);
/* s2_chapoly_length decrypts the 4 length bytes |in| for |seqno|. */
void s2_chapoly_length(const struct s2_chapoly_ctx *c, uint32_t seqno, const uint8_t in[4],
                       uint32_t *out_len);
/* s2_chapoly_seal / s2_chapoly_open: see s2_aead_seal / s2_aead_open. */
int s2_chapoly_seal(const struct s2_chapoly_ctx *c, uint32_t seqno, uint8_t *pkt, size_t len,
                    uint8_t tag[16]) S2_MUST_CHECK;
int s2_chapoly_open(const struct s2_chapoly_ctx *c, uint32_t seqno, uint8_t *pkt, size_t len,
                    const uint8_t tag[16]) S2_MUST_CHECK;
/* s2_chapoly_cleanup wipes both keys. */
void s2_chapoly_cleanup(struct s2_chapoly_ctx *c);

/* ---- NIST curves (kex_ecdh.c), shared with sig_ecdsa.c ---- */
#include <mbedtls/ecp.h>

/* s2_curve_bytes returns the field size in bytes (32, 48, 66). */
size_t s2_curve_bytes(enum s2_curve curve);
/* s2_curve_load loads the group; 0 or ALLOC. */
int s2_curve_load(mbedtls_ecp_group *grp, enum s2_curve curve) S2_MUST_CHECK;
/* s2_curve_read_point reads an uncompressed SEC1 point and checks it lies on
 * the curve (and is not the point at infinity). 0 or -1. */
int s2_curve_read_point(const mbedtls_ecp_group *grp, enum s2_curve curve, mbedtls_ecp_point *pt,
                        const uint8_t *p, size_t len) S2_MUST_CHECK;

/* s2_md_type maps a hash to mbedTLS's identifier (MBEDTLS_MD_NONE if none). */
#include <mbedtls/md.h>
mbedtls_md_type_t s2_md_type(enum s2_hash_alg alg);

/* ---- CPU features and kernel selection (cpu.c) ---- */
/* Bits of s2_cpu_features(). */
#define S2_CPU_AESNI 0x01u      /* AES-NI */
#define S2_CPU_PCLMUL 0x02u     /* PCLMULQDQ */
#define S2_CPU_SHANI 0x04u      /* SHA extensions (SHA-1, SHA-256) */
#define S2_CPU_AVX2 0x08u       /* AVX2 (OS saves YMM state) */
#define S2_CPU_VAES 0x10u       /* VAES + VPCLMULQDQ on YMM (with AVX2) */
#define S2_CPU_AVX512 0x20u     /* AVX-512F/BW/VL (OS saves ZMM state) */

/* s2_cpu_features returns the S2_CPU_* bits this CPU and OS support, minus
 * any masked by the environment variable SSH2CORE_CPU_MASK (a number, e.g.
 * "0x3f" or "0": bits listed there are turned OFF), so that tests can force
 * each fallback on any machine. Computed once; thread-safe after
 * s2_crypto_init(). s2_cpu_reset_for_tests() recomputes it (tests only, not
 * thread-safe). */
unsigned s2_cpu_features(void);
void s2_cpu_reset_for_tests(void);

/* ---- Keccak sponge, incremental (sha3.c; used by mlkem768.c) ---- */
#define S2_SHAKE128_RATE 168u /* bytes per SHAKE128 block */
#define S2_SHAKE256_RATE 136u /* bytes per SHAKE256 block */

struct s2_keccak {
    uint64_t a[25]; /* Keccak-f[1600] state, lane (x, y) at a[x + 5 * y] */
    size_t rate;    /* r / 8 in bytes */
    size_t pos;     /* absorbing: bytes of the block taken; squeezing: given */
};

/* s2_keccak_init starts a sponge of |rate| bytes (S2_SHAKE128_RATE, ...). */
void s2_keccak_init(struct s2_keccak *k, size_t rate);
/* s2_keccak_absorb absorbs |len| bytes; only before s2_keccak_finish. */
void s2_keccak_absorb(struct s2_keccak *k, const uint8_t *in, size_t len);
/* s2_keccak_finish pads with the domain byte |ds| (0x06 SHA-3, 0x1f SHAKE)
 * and the final 1 bit (pad10*1), and switches |k| to squeezing. */
void s2_keccak_finish(struct s2_keccak *k, uint8_t ds);
/* s2_keccak_squeeze writes the next |len| output bytes. */
void s2_keccak_squeeze(struct s2_keccak *k, uint8_t *out, size_t len);
/* s2_keccak_squeeze_blocks writes |nblocks| whole blocks (|nblocks| * rate
 * bytes) straight from the state; only while no partial block is pending
 * (right after s2_keccak_finish or after earlier whole blocks). */
void s2_keccak_squeeze_blocks(struct s2_keccak *k, uint8_t *out, size_t nblocks);
/* s2_keccak_wipe zeroes the state. */
void s2_keccak_wipe(struct s2_keccak *k);

/* Four independent sponges of one rate, permuted together (AVX2 when the
 * CPU has it, else one after another); lane i of the state is a[.][i]. */
struct s2_keccak_x4 {
    uint64_t a[25][4];
    size_t rate;
};

/* s2_keccak_x4_absorb_once starts four sponges of |rate| bytes, absorbs
 * in[i] (|len| bytes each) into sponge i, and pads with |ds|, ready for
 * s2_keccak_x4_squeeze_blocks. */
void s2_keccak_x4_absorb_once(struct s2_keccak_x4 *k, size_t rate, uint8_t ds,
                              const uint8_t *const in[4], size_t len);
/* s2_keccak_x4_squeeze_blocks writes |nblocks| whole blocks of sponge i to
 * out[i] (|nblocks| * rate bytes each). */
void s2_keccak_x4_squeeze_blocks(struct s2_keccak_x4 *k, uint8_t *const out[4], size_t nblocks);
/* s2_keccak_x4_lane copies sponge |lane| into |out|, to go on squeezing it
 * alone with s2_keccak_squeeze or s2_keccak_squeeze_blocks. */
void s2_keccak_x4_lane(const struct s2_keccak_x4 *k, unsigned lane, struct s2_keccak *out);
/* s2_keccak_x4_wipe zeroes the states. */
void s2_keccak_x4_wipe(struct s2_keccak_x4 *k);

/* ---- SHA-NI (sha_ni.c) ---- */
/* S2_HAVE_SHANI is 1 where sha_ni.c builds its kernels (x86 with a GCC or
 * Clang that accepts target("sha")); elsewhere hash.c uses only libsodium
 * and mbedTLS. */
#if (defined(__x86_64__) || defined(__i386__)) && defined(__GNUC__)
#define S2_HAVE_SHANI 1
#else
#define S2_HAVE_SHANI 0
#endif

#if S2_HAVE_SHANI
/* s2_sha256_blocks_ni runs the SHA-256 compression function (FIPS 180-4
 * 6.2.2) over |num_blocks| 64-byte blocks at |p| (any alignment), updating
 * the eight-word hash value |state| (H0 first). Only call it when
 * s2_cpu_features() has S2_CPU_SHANI. */
void s2_sha256_blocks_ni(uint32_t state[8], const uint8_t *p, size_t num_blocks);
/* s2_sha1_blocks_ni is the same for SHA-1 (FIPS 180-4 6.1.2) and its
 * five-word |state|. */
void s2_sha1_blocks_ni(uint32_t state[5], const uint8_t *p, size_t num_blocks);
#endif

/* s2_hash_uses_shani returns 1 when |h| (after s2_hash_init, before
 * s2_hash_final) runs on the SHA-NI kernels, else 0. For tests and
 * benchmarks that report which implementation ran. */
int s2_hash_uses_shani(const struct s2_hash *h);

/* ---- sntrup761 with caller-supplied randomness (sntrup761.c; tests) ---- */

/* Randomness for the known-answer and constant-time tests. |fill| writes
 * |n| bytes to |out|; the KEM asks, in order: keygen 4p = 3044 bytes for g
 * (again after each non-invertible g), 3044 bytes for f, 191 bytes for rho;
 * encaps 3044 bytes for r. |declassify|, if not NULL, is shown the keygen
 * retry flag, a value computed from the randomness that is public by
 * design (ctgrind marks it defined). */
struct s2_sntrup761_rng {
    void (*fill)(void *ctx, uint8_t *out, size_t n);
    void (*declassify)(void *ctx, const void *p, size_t n);
    void *ctx;
};

/* s2_sntrup761_keypair_rng is s2_sntrup761_keypair drawing from |rng|
 * (the CSPRNG when NULL). 0, or RANDGEN from the CSPRNG. */
int s2_sntrup761_keypair_rng(uint8_t pk[S2_SNTRUP761_PK_LEN], uint8_t sk[S2_SNTRUP761_SK_LEN],
                             const struct s2_sntrup761_rng *rng) S2_MUST_CHECK;
/* s2_sntrup761_encaps_rng is s2_sntrup761_encaps drawing from |rng|. */
int s2_sntrup761_encaps_rng(uint8_t ct[S2_SNTRUP761_CT_LEN], uint8_t ss[S2_SNTRUP761_SS_LEN],
                            const uint8_t pk[S2_SNTRUP761_PK_LEN],
                            const struct s2_sntrup761_rng *rng) S2_MUST_CHECK;

#endif /* S2_CRYPTO_INT_H */
