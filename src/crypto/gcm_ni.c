/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * gcm_ni.c: AES-GCM (NIST SP 800-38D) with AES-NI and PCLMULQDQ, written
 * from FIPS-197 (key schedule), SP 800-38D (GCTR, GHASH, the 96-bit IV
 * J0 = IV || 0^31 || 1) and Gueron-Kounavis, "Intel Carry-Less
 * Multiplication Instruction and its Usage for Computing the GCM Mode"
 * (bit-reflected GHASH, Karatsuba, aggregated reduction).
 *
 * GHASH representation. A GCM block, byte-reversed and read as a 128-bit
 * little-endian integer, has bit i = coefficient of x^(127-i): the
 * bit-reflected polynomial. The carry-less product of two reflected
 * 128-bit values a', b' is the reflected 256-bit form of a*b*x, so with
 * the hash key stored as H*x^-1 mod P the product is the reflected a*H,
 * unreduced. Reducing a reflected 256-bit value mod
 * P = x^128 + x^7 + x^2 + x + 1 is a Montgomery reduction by y^128 in the
 * mirrored polynomial P* = y^128 + y^127 + y^126 + y^121 + 1; P* = 1 mod
 * y^64, so each 64-bit step is one carry-less multiplication of the lowest
 * 64 bits by y^63 + y^62 + y^57 (0xc2 << 56) plus a 64-bit swap.
 *
 * Aggregation: eight blocks X1..X8 fold into Y as
 * (Y ^ X1) H^8 ^ X2 H^7 ^ ... ^ X8 H, with the 256-bit Karatsuba products
 * summed and reduced once. The AES of the next eight counter blocks and the
 * GHASH of the previous eight ciphertext blocks are interleaved round by
 * round so the multipliers and the AES units work at the same time.
 *
 * The AES key expansion (all three key sizes) is exported as
 * s2_aes_ni_expand_key for the AES-CTR kernels (aes_ctr_ni.c).
 *
 * The functions carry target attributes, so this file needs no global -m
 * flags; cipher_gcm.c calls them only when s2_cpu_features() reports AES-NI
 * and PCLMULQDQ.
 */
#include <string.h>

#include "crypto/crypto_int.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#define NI __attribute__((target("aes,pclmul,sse4.1")))
#define NI_INLINE static inline __attribute__((always_inline, target("aes,pclmul,sse4.1")))

#define LD(p) _mm_loadu_si128((const __m128i *)(const void *)(p))
#define ST(p, v) _mm_storeu_si128((__m128i *)(void *)(p), (v))

/* reverses the bytes of a block: GCM order <-> reflected integer */
NI_INLINE __m128i
bswap(__m128i v)
{
    return _mm_shuffle_epi8(v, _mm_set_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
                                            15));
}

/* FIPS-197 5.2 for one AES-128 round key (or an AES-256 even one):
 * w[i] = w[i-4] ^ t, the four words chained by prefix XOR. |t| already
 * has SubWord(RotWord(w[i-1])) ^ Rcon broadcast to all four words. */
NI_INLINE __m128i
key_step(__m128i k, __m128i t)
{
    k = _mm_xor_si128(k, _mm_slli_si128(k, 4));
    k = _mm_xor_si128(k, _mm_slli_si128(k, 4));
    k = _mm_xor_si128(k, _mm_slli_si128(k, 4));
    return _mm_xor_si128(k, t);
}

#define K128(i, rcon)                                                                          \
    rk[i] = key_step(rk[(i) - 1],                                                              \
                     _mm_shuffle_epi32(_mm_aeskeygenassist_si128(rk[(i) - 1], rcon), 0xff))
/* AES-256: even keys take SubWord(RotWord()) ^ Rcon of the last word, odd
 * keys SubWord() alone (FIPS-197 5.2, Nk = 8, i mod Nk = 4). */
#define K256E(i, rcon)                                                                         \
    rk[i] = key_step(rk[(i) - 2],                                                              \
                     _mm_shuffle_epi32(_mm_aeskeygenassist_si128(rk[(i) - 1], rcon), 0xff))
#define K256O(i)                                                                               \
    rk[i] = key_step(rk[(i) - 2],                                                              \
                     _mm_shuffle_epi32(_mm_aeskeygenassist_si128(rk[(i) - 1], 0), 0xaa))

/* The Montgomery constant y^63 + y^62 + y^57 in the low 64 bits. */
NI_INLINE __m128i
poly(void)
{
    return _mm_set_epi64x(0, (long long)0xc200000000000000ull);
}

/* reduces the reflected 256-bit value hi:lo to 128 bits (see the top) */
NI_INLINE __m128i
reduce(__m128i hi, __m128i lo)
{
    __m128i p = poly();
    __m128i w;

    w = _mm_xor_si128(_mm_shuffle_epi32(lo, 0x4e), _mm_clmulepi64_si128(lo, p, 0x00));
    hi = _mm_xor_si128(hi, _mm_shuffle_epi32(w, 0x4e));
    return _mm_xor_si128(hi, _mm_clmulepi64_si128(w, p, 0x00));
}

/* Karatsuba: adds a * b (a 256-bit product) into the three partial sums;
 * |bx| holds b's halves XORed. */
NI_INLINE void
mul_acc(__m128i a, __m128i b, __m128i bx, __m128i *lo, __m128i *hi, __m128i *mid)
{
    __m128i ax = _mm_xor_si128(a, _mm_shuffle_epi32(a, 0x4e));

    *lo = _mm_xor_si128(*lo, _mm_clmulepi64_si128(a, b, 0x00));
    *hi = _mm_xor_si128(*hi, _mm_clmulepi64_si128(a, b, 0x11));
    *mid = _mm_xor_si128(*mid, _mm_clmulepi64_si128(ax, bx, 0x00));
}

/* combines the Karatsuba sums and reduces them */
NI_INLINE __m128i
finish(__m128i lo, __m128i hi, __m128i mid)
{
    mid = _mm_xor_si128(mid, _mm_xor_si128(lo, hi));
    lo = _mm_xor_si128(lo, _mm_slli_si128(mid, 8));
    hi = _mm_xor_si128(hi, _mm_srli_si128(mid, 8));
    return reduce(hi, lo);
}

/* a * H^(i+1) mod P, reflected */
NI_INLINE __m128i
mul_h(const struct s2_gcm_key *k, __m128i a, unsigned i)
{
    __m128i lo = _mm_setzero_si128(), hi = lo, mid = lo;

    mul_acc(a, LD(k->h[i]), LD(k->hx[i]), &lo, &hi, &mid);
    return finish(lo, hi, mid);
}

NI_INLINE __m128i
halves_xor(__m128i v)
{
    __m128i x = _mm_xor_si128(v, _mm_shuffle_epi32(v, 0x4e));
    return _mm_unpacklo_epi64(x, x);
}

/* one AES block with the expanded key (for H and E(K, J0)) */
NI_INLINE __m128i
aes_block(const struct s2_gcm_key *k, __m128i b)
{
    unsigned r;

    b = _mm_xor_si128(b, LD(k->rk[0]));
    for (r = 1; r < k->rounds; r++) {
        b = _mm_aesenc_si128(b, LD(k->rk[r]));
    }
    return _mm_aesenclast_si128(b, LD(k->rk[k->rounds]));
}

/* SubWord(RotWord(w)) (FIPS-197 5.2) of a word loaded little-endian from
 * the key bytes: AESKEYGENASSIST's dword 1 with Rcon 0 */
NI_INLINE uint32_t
sub_rot_word(uint32_t w)
{
    return (uint32_t)_mm_extract_epi32(_mm_aeskeygenassist_si128(_mm_set1_epi32((int)w), 0), 1);
}

NI unsigned
s2_aes_ni_expand_key(uint8_t rk_out[15][16], const uint8_t *key, size_t key_len)
{
    __m128i rk[15];
    uint32_t w[52], rcon = 1;
    unsigned i, rounds;

    if (key_len == 24) {
        /* AES-192 (Nk = 6): round keys straddle the 6-word period, so
         * expand word by word; x86 is little-endian, so the words are the
         * key bytes in order and Rcon lands in the first byte */
        memcpy(w, key, 24);
        for (i = 6; i < 52; i++) {
            w[i] = w[i - 1];
            if (i % 6 == 0) {
                w[i] = sub_rot_word(w[i]) ^ rcon;
                rcon <<= 1; /* 8 steps: 0x01 .. 0x80, never reduced */
            }
            w[i] ^= w[i - 6];
        }
        memcpy(rk_out, w, 13 * 16);
        sodium_memzero(w, sizeof(w));
        return 12;
    }
    rk[0] = LD(key);
    if (key_len == 32) {
        rk[1] = LD(key + 16);
        K256E(2, 0x01);
        K256O(3);
        K256E(4, 0x02);
        K256O(5);
        K256E(6, 0x04);
        K256O(7);
        K256E(8, 0x08);
        K256O(9);
        K256E(10, 0x10);
        K256O(11);
        K256E(12, 0x20);
        K256O(13);
        K256E(14, 0x40);
        rounds = 14;
    } else {
        K128(1, 0x01);
        K128(2, 0x02);
        K128(3, 0x04);
        K128(4, 0x08);
        K128(5, 0x10);
        K128(6, 0x20);
        K128(7, 0x40);
        K128(8, 0x80);
        K128(9, 0x1b);
        K128(10, 0x36);
        rounds = 10;
    }
    for (i = 0; i <= rounds; i++) {
        ST(rk_out[i], rk[i]);
    }
    sodium_memzero(rk, sizeof(rk));
    return rounds;
}

NI void
s2_gcm_ni_setkey(struct s2_gcm_key *k, const uint8_t *key, size_t key_len)
{
    __m128i h, t, m;
    unsigned i;

    k->rounds = s2_aes_ni_expand_key(k->rk, key, key_len);

    /* H = E(K, 0^128), reflected, times x^-1: in the reflected form a
     * division by x is a left shift, and the x^0 bit shifted out (bit 127)
     * brings in P / x = x^127 + x^6 + x + 1 (bits 0, 121, 126, 127). */
    h = bswap(aes_block(k, _mm_setzero_si128()));
    t = _mm_srli_epi64(h, 63);
    m = _mm_srai_epi32(_mm_shuffle_epi32(h, 0xff), 31); /* all ones iff bit 127 */
    h = _mm_or_si128(_mm_slli_epi64(h, 1), _mm_slli_si128(t, 8));
    h = _mm_xor_si128(h, _mm_and_si128(m, _mm_set_epi64x((long long)0xc200000000000000ull, 1)));
    ST(k->h[0], h);
    ST(k->hx[0], halves_xor(h));
    /* (H^i x^-1) * (H x^-1) * x = H^(i+1) x^-1 */
    for (i = 1; i < 16; i++) {
        t = mul_h(k, LD(k->h[i - 1]), 0);
        ST(k->h[i], t);
        ST(k->hx[i], halves_xor(t));
    }
    for (i = 0; i < 16; i++) {
        memcpy(k->hr[i], k->h[15 - i], 16);
        memcpy(k->hxr[i], k->hx[15 - i], 16);
    }
}

/* GHASH of |n| whole blocks at |p| into |y| (reflected), up to 8 at a time */
NI_INLINE __m128i
ghash_blocks(const struct s2_gcm_key *k, __m128i y, const uint8_t *p, size_t n)
{
    __m128i lo, hi, mid, x;
    size_t m, j;

    while (n > 0) {
        m = n < 8 ? n : 8;
        lo = hi = mid = _mm_setzero_si128();
        for (j = 0; j < m; j++) {
            x = bswap(LD(p + 16 * j));
            if (j == 0) {
                x = _mm_xor_si128(x, y);
            }
            mul_acc(x, LD(k->h[m - 1 - j]), LD(k->hx[m - 1 - j]), &lo, &hi, &mid);
        }
        y = finish(lo, hi, mid);
        p += 16 * m;
        n -= m;
    }
    return y;
}

/* the next counter block in GCM byte order; |c| is the reflected J0 + i */
#define CTR(c, i) bswap(_mm_add_epi32(c, _mm_set_epi32(0, 0, 0, i)))

#define AES_ROUND8(key)                                                                        \
    do {                                                                                       \
        __m128i kk = (key);                                                                    \
        b0 = _mm_aesenc_si128(b0, kk);                                                         \
        b1 = _mm_aesenc_si128(b1, kk);                                                         \
        b2 = _mm_aesenc_si128(b2, kk);                                                         \
        b3 = _mm_aesenc_si128(b3, kk);                                                         \
        b4 = _mm_aesenc_si128(b4, kk);                                                         \
        b5 = _mm_aesenc_si128(b5, kk);                                                         \
        b6 = _mm_aesenc_si128(b6, kk);                                                         \
        b7 = _mm_aesenc_si128(b7, kk);                                                         \
    } while (0)

/* GHASH step j of 8 over the chunk at |gp|: block j times H^(8-j) */
#define GSTEP(j)                                                                               \
    do {                                                                                       \
        if (gp != NULL) {                                                                      \
            __m128i xx = bswap(LD(gp + 16 * (j)));                                             \
            if ((j) == 0) {                                                                    \
                xx = _mm_xor_si128(xx, y);                                                     \
            }                                                                                  \
            mul_acc(xx, LD(k->h[7 - (j)]), LD(k->hx[7 - (j)]), &lo, &hi, &mid);                \
        }                                                                                      \
    } while (0)

NI void
s2_gcm_ni_begin(const struct s2_gcm_key *k, struct s2_gcm_run *st, const uint8_t iv[12],
                const uint8_t *aad, size_t aad_len)
{
    uint8_t tmp[16];
    __m128i ctr, y;

    /* J0 = IV || 0^31 || 1, kept reflected so the 32-bit counter is the
     * low lane: adding to it is inc32 (SP 800-38D 6.2). */
    memset(tmp, 0, 16);
    memcpy(tmp, iv, 12);
    tmp[15] = 1;
    ctr = bswap(LD(tmp));
    ST(st->ej0, aes_block(k, LD(tmp)));
    ST(st->ctr, _mm_add_epi32(ctr, _mm_set_epi32(0, 0, 0, 1)));

    /* AAD: whole blocks, then the zero-padded rest */
    y = ghash_blocks(k, _mm_setzero_si128(), aad, aad_len / 16);
    if (aad_len % 16 != 0) {
        memset(tmp, 0, 16);
        memcpy(tmp, aad + (aad_len & ~(size_t)15), aad_len % 16);
        y = ghash_blocks(k, y, tmp, 1);
    }
    ST(st->y, y);
}

NI void
s2_gcm_ni_update(const struct s2_gcm_key *k, struct s2_gcm_run *st, uint8_t *buf, size_t len,
                 int encrypt)
{
    uint8_t tmp[128];
    __m128i b0, b1, b2, b3, b4, b5, b6, b7, rk0, rkl;
    __m128i ctr, y, lo, hi, mid;
    const uint8_t *gp;
    size_t off = 0, rest, nb;
    unsigned r;

    ctr = LD(st->ctr);
    y = LD(st->y);
    rk0 = LD(k->rk[0]);
    rkl = LD(k->rk[k->rounds]);
    /* Main loop over 128-byte chunks. Decrypting hashes the chunk it is
     * about to decrypt; encrypting hashes the previous output chunk. */
    gp = NULL;
    while (len - off >= 128) {
        if (!encrypt) {
            gp = buf + off;
        }
        lo = hi = mid = _mm_setzero_si128();
        b0 = _mm_xor_si128(CTR(ctr, 0), rk0);
        b1 = _mm_xor_si128(CTR(ctr, 1), rk0);
        b2 = _mm_xor_si128(CTR(ctr, 2), rk0);
        b3 = _mm_xor_si128(CTR(ctr, 3), rk0);
        b4 = _mm_xor_si128(CTR(ctr, 4), rk0);
        b5 = _mm_xor_si128(CTR(ctr, 5), rk0);
        b6 = _mm_xor_si128(CTR(ctr, 6), rk0);
        b7 = _mm_xor_si128(CTR(ctr, 7), rk0);
        ctr = _mm_add_epi32(ctr, _mm_set_epi32(0, 0, 0, 8));
        AES_ROUND8(LD(k->rk[1]));
        GSTEP(0);
        AES_ROUND8(LD(k->rk[2]));
        GSTEP(1);
        AES_ROUND8(LD(k->rk[3]));
        GSTEP(2);
        AES_ROUND8(LD(k->rk[4]));
        GSTEP(3);
        AES_ROUND8(LD(k->rk[5]));
        GSTEP(4);
        AES_ROUND8(LD(k->rk[6]));
        GSTEP(5);
        AES_ROUND8(LD(k->rk[7]));
        GSTEP(6);
        AES_ROUND8(LD(k->rk[8]));
        GSTEP(7);
        AES_ROUND8(LD(k->rk[9]));
        if (gp != NULL) {
            y = finish(lo, hi, mid);
        }
        for (r = 10; r < k->rounds; r++) {
            AES_ROUND8(LD(k->rk[r]));
        }
        b0 = _mm_aesenclast_si128(b0, rkl);
        b1 = _mm_aesenclast_si128(b1, rkl);
        b2 = _mm_aesenclast_si128(b2, rkl);
        b3 = _mm_aesenclast_si128(b3, rkl);
        b4 = _mm_aesenclast_si128(b4, rkl);
        b5 = _mm_aesenclast_si128(b5, rkl);
        b6 = _mm_aesenclast_si128(b6, rkl);
        b7 = _mm_aesenclast_si128(b7, rkl);
        ST(buf + off, _mm_xor_si128(b0, LD(buf + off)));
        ST(buf + off + 16, _mm_xor_si128(b1, LD(buf + off + 16)));
        ST(buf + off + 32, _mm_xor_si128(b2, LD(buf + off + 32)));
        ST(buf + off + 48, _mm_xor_si128(b3, LD(buf + off + 48)));
        ST(buf + off + 64, _mm_xor_si128(b4, LD(buf + off + 64)));
        ST(buf + off + 80, _mm_xor_si128(b5, LD(buf + off + 80)));
        ST(buf + off + 96, _mm_xor_si128(b6, LD(buf + off + 96)));
        ST(buf + off + 112, _mm_xor_si128(b7, LD(buf + off + 112)));
        if (encrypt) {
            gp = buf + off;
        }
        off += 128;
    }
    if (encrypt && gp != NULL) {
        y = ghash_blocks(k, y, gp, 8);
    }

    /* Tail: fewer than 128 bytes, through a zero-padded copy; a partial
     * block can only come last. */
    rest = len - off;
    if (rest > 0) {
        nb = (rest + 15) / 16;
        memset(tmp, 0, sizeof(tmp));
        memcpy(tmp, buf + off, rest);
        if (!encrypt) {
            y = ghash_blocks(k, y, tmp, nb);
        }
        /* eight keystream blocks side by side cost about what one does */
        b0 = _mm_xor_si128(CTR(ctr, 0), rk0);
        b1 = _mm_xor_si128(CTR(ctr, 1), rk0);
        b2 = _mm_xor_si128(CTR(ctr, 2), rk0);
        b3 = _mm_xor_si128(CTR(ctr, 3), rk0);
        b4 = _mm_xor_si128(CTR(ctr, 4), rk0);
        b5 = _mm_xor_si128(CTR(ctr, 5), rk0);
        b6 = _mm_xor_si128(CTR(ctr, 6), rk0);
        b7 = _mm_xor_si128(CTR(ctr, 7), rk0);
        for (r = 1; r < k->rounds; r++) {
            AES_ROUND8(LD(k->rk[r]));
        }
        ST(tmp, _mm_xor_si128(_mm_aesenclast_si128(b0, rkl), LD(tmp)));
        ST(tmp + 16, _mm_xor_si128(_mm_aesenclast_si128(b1, rkl), LD(tmp + 16)));
        ST(tmp + 32, _mm_xor_si128(_mm_aesenclast_si128(b2, rkl), LD(tmp + 32)));
        ST(tmp + 48, _mm_xor_si128(_mm_aesenclast_si128(b3, rkl), LD(tmp + 48)));
        ST(tmp + 64, _mm_xor_si128(_mm_aesenclast_si128(b4, rkl), LD(tmp + 64)));
        ST(tmp + 80, _mm_xor_si128(_mm_aesenclast_si128(b5, rkl), LD(tmp + 80)));
        ST(tmp + 96, _mm_xor_si128(_mm_aesenclast_si128(b6, rkl), LD(tmp + 96)));
        ST(tmp + 112, _mm_xor_si128(_mm_aesenclast_si128(b7, rkl), LD(tmp + 112)));
        ctr = _mm_add_epi32(ctr, _mm_set_epi32(0, 0, 0, (int)nb));
        memcpy(buf + off, tmp, rest);
        if (encrypt) {
            memset(tmp + rest, 0, 16 * nb - rest);
            y = ghash_blocks(k, y, tmp, nb);
        }
        sodium_memzero(tmp, sizeof(tmp));
    }
    ST(st->ctr, ctr);
    ST(st->y, y);
}

NI void
s2_gcm_ni_end(const struct s2_gcm_key *k, struct s2_gcm_run *st, size_t aad_len, size_t len,
              uint8_t tag[16])
{
    __m128i y = LD(st->y);

    /* the length block: len(A) || len(C) in bits, reflected */
    y = _mm_xor_si128(y, _mm_set_epi64x((long long)((uint64_t)aad_len * 8u),
                                        (long long)((uint64_t)len * 8u)));
    y = mul_h(k, y, 0);
    ST(tag, _mm_xor_si128(bswap(y), LD(st->ej0)));
    sodium_memzero(st, sizeof(*st));
}

void
s2_gcm_ni_crypt(const struct s2_gcm_key *k, const uint8_t iv[12], const uint8_t *aad,
                size_t aad_len, uint8_t *buf, size_t len, int encrypt, uint8_t tag[16])
{
    struct s2_gcm_run st;

    s2_gcm_ni_begin(k, &st, iv, aad, aad_len);
    s2_gcm_ni_update(k, &st, buf, len, encrypt);
    s2_gcm_ni_end(k, &st, aad_len, len, tag);
}

#else /* not x86: never called, since s2_cpu_features() reports nothing */

unsigned
s2_aes_ni_expand_key(uint8_t rk_out[15][16], const uint8_t *key, size_t key_len)
{
    (void)key;
    (void)key_len;
    memset(rk_out, 0, 15 * 16);
    return 10;
}

void
s2_gcm_ni_setkey(struct s2_gcm_key *k, const uint8_t *key, size_t key_len)
{
    (void)key;
    (void)key_len;
    memset(k, 0, sizeof(*k));
}

void
s2_gcm_ni_begin(const struct s2_gcm_key *k, struct s2_gcm_run *st, const uint8_t iv[12],
                const uint8_t *aad, size_t aad_len)
{
    (void)k;
    (void)iv;
    (void)aad;
    (void)aad_len;
    memset(st, 0, sizeof(*st));
}

void
s2_gcm_ni_update(const struct s2_gcm_key *k, struct s2_gcm_run *st, uint8_t *buf, size_t len,
                 int encrypt)
{
    (void)k;
    (void)st;
    (void)buf;
    (void)len;
    (void)encrypt;
}

void
s2_gcm_ni_end(const struct s2_gcm_key *k, struct s2_gcm_run *st, size_t aad_len, size_t len,
              uint8_t tag[16])
{
    (void)k;
    (void)st;
    (void)aad_len;
    (void)len;
    memset(tag, 0, 16);
}

void
s2_gcm_ni_crypt(const struct s2_gcm_key *k, const uint8_t iv[12], const uint8_t *aad,
                size_t aad_len, uint8_t *buf, size_t len, int encrypt, uint8_t tag[16])
{
    (void)k;
    (void)iv;
    (void)aad;
    (void)aad_len;
    (void)buf;
    (void)len;
    (void)encrypt;
    memset(tag, 0, 16);
}

#endif
