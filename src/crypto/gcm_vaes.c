/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * gcm_vaes.c: the AES-GCM bulk loop of gcm_ni.c on 256-bit registers with
 * VAES and VPCLMULQDQ: each YMM register holds two blocks, and a step takes
 * 16 blocks (256 bytes). Same mathematics as gcm_ni.c (read its header):
 * blocks are byte-reversed (bit-reflected), the hash-key powers are stored
 * times x^-1, sixteen Karatsuba products are summed per lane and the two
 * lanes folded and reduced once per step. Block j of a step (j = 0..15)
 * is multiplied by H^(16-j); register q holds blocks 2q (low lane) and
 * 2q+1 (high lane), so it takes the key pair hr[2q], hr[2q+1] = H^(16-2q),
 * H^(15-2q) with one load.
 *
 * J0, the AAD, what is left after the last whole 256-byte step and the tag
 * go through gcm_ni.c's begin / update / end.
 */
#include <string.h>

#include "crypto/crypto_int.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#define VA __attribute__((target("vaes,vpclmulqdq,avx2,aes,pclmul")))
#define VA_INLINE                                                                              \
    static inline __attribute__((always_inline, target("vaes,vpclmulqdq,avx2,aes,pclmul")))

#define LD(p) _mm_loadu_si128((const __m128i *)(const void *)(p))
#define ST(p, v) _mm_storeu_si128((__m128i *)(void *)(p), (v))
#define LDY(p) _mm256_loadu_si256((const __m256i *)(const void *)(p))
#define STY(p, v) _mm256_storeu_si256((__m256i *)(void *)(p), (v))

/* reverses the bytes of each 128-bit lane */
VA_INLINE __m256i
bswap2(__m256i v)
{
    const __m256i m = _mm256_set_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1,
                                      2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    return _mm256_shuffle_epi8(v, m);
}

/* per-lane Karatsuba: adds a * b into the partial sums; |bx| holds the
 * XOR of b's halves */
VA_INLINE void
mul_acc2(__m256i a, __m256i b, __m256i bx, __m256i *lo, __m256i *hi, __m256i *mid)
{
    __m256i ax = _mm256_xor_si256(a, _mm256_shuffle_epi32(a, 0x4e));

    *lo = _mm256_xor_si256(*lo, _mm256_clmulepi64_epi128(a, b, 0x00));
    *hi = _mm256_xor_si256(*hi, _mm256_clmulepi64_epi128(a, b, 0x11));
    *mid = _mm256_xor_si256(*mid, _mm256_clmulepi64_epi128(ax, bx, 0x00));
}

VA_INLINE __m128i
fold(__m256i v)
{
    return _mm_xor_si128(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
}

/* folds both lanes, combines Karatsuba and reduces (as gcm_ni.c) */
VA_INLINE __m128i
finish2(__m256i lo2, __m256i hi2, __m256i mid2)
{
    const __m128i p = _mm_set_epi64x(0, (long long)0xc200000000000000ull);
    __m128i lo = fold(lo2), hi = fold(hi2), mid = fold(mid2), w;

    mid = _mm_xor_si128(mid, _mm_xor_si128(lo, hi));
    lo = _mm_xor_si128(lo, _mm_slli_si128(mid, 8));
    hi = _mm_xor_si128(hi, _mm_srli_si128(mid, 8));
    w = _mm_xor_si128(_mm_shuffle_epi32(lo, 0x4e), _mm_clmulepi64_si128(lo, p, 0x00));
    hi = _mm_xor_si128(hi, _mm_shuffle_epi32(w, 0x4e));
    return _mm_xor_si128(hi, _mm_clmulepi64_si128(w, p, 0x00));
}

/* GHASH step q of 8 over the 256-byte chunk at gp */
#define GSTEP2(q)                                                                              \
    do {                                                                                       \
        if (gp != NULL) {                                                                      \
            __m256i xx = bswap2(LDY(gp + 32 * (q)));                                           \
            if ((q) == 0) {                                                                    \
                xx = _mm256_xor_si256(xx, _mm256_zextsi128_si256(y));                          \
            }                                                                                  \
            mul_acc2(xx, LDY(k->hr[2 * (q)]), LDY(k->hxr[2 * (q)]), &lo, &hi, &mid);           \
        }                                                                                      \
    } while (0)

#define AES_ROUND16(key)                                                                       \
    do {                                                                                       \
        __m256i kk = (key);                                                                    \
        b0 = _mm256_aesenc_epi128(b0, kk);                                                     \
        b1 = _mm256_aesenc_epi128(b1, kk);                                                     \
        b2 = _mm256_aesenc_epi128(b2, kk);                                                     \
        b3 = _mm256_aesenc_epi128(b3, kk);                                                     \
        b4 = _mm256_aesenc_epi128(b4, kk);                                                     \
        b5 = _mm256_aesenc_epi128(b5, kk);                                                     \
        b6 = _mm256_aesenc_epi128(b6, kk);                                                     \
        b7 = _mm256_aesenc_epi128(b7, kk);                                                     \
    } while (0)

#define RK(i) _mm256_broadcastsi128_si256(LD(k->rk[i]))
#define CTR2(i) _mm256_xor_si256(bswap2(_mm256_add_epi32(c2, _mm256_set_epi32(0, 0, 0, (i) + 1, \
                                                                                0, 0, 0, (i)))), \
                                 rk0)
#define OUT2(q, b)                                                                             \
    STY(buf + off + 32 * (q), _mm256_xor_si256(b, LDY(buf + off + 32 * (q))))

/* the whole 256-byte steps of |buf|; returns the bytes done */
VA static size_t
bulk(const struct s2_gcm_key *k, struct s2_gcm_run *st, uint8_t *buf, size_t len, int encrypt)
{
    __m256i b0, b1, b2, b3, b4, b5, b6, b7, rk0, rkl, c2, lo, hi, mid;
    __m128i y = LD(st->y), ctr = LD(st->ctr);
    const uint8_t *gp = NULL;
    size_t off = 0;
    unsigned r;

    rk0 = RK(0);
    rkl = RK(k->rounds);
    while (len - off >= 256) {
        if (!encrypt) {
            gp = buf + off;
        }
        lo = hi = mid = _mm256_setzero_si256();
        c2 = _mm256_broadcastsi128_si256(ctr);
        b0 = CTR2(0);
        b1 = CTR2(2);
        b2 = CTR2(4);
        b3 = CTR2(6);
        b4 = CTR2(8);
        b5 = CTR2(10);
        b6 = CTR2(12);
        b7 = CTR2(14);
        ctr = _mm_add_epi32(ctr, _mm_set_epi32(0, 0, 0, 16));
        AES_ROUND16(RK(1));
        GSTEP2(0);
        AES_ROUND16(RK(2));
        GSTEP2(1);
        AES_ROUND16(RK(3));
        GSTEP2(2);
        AES_ROUND16(RK(4));
        GSTEP2(3);
        AES_ROUND16(RK(5));
        GSTEP2(4);
        AES_ROUND16(RK(6));
        GSTEP2(5);
        AES_ROUND16(RK(7));
        GSTEP2(6);
        AES_ROUND16(RK(8));
        GSTEP2(7);
        AES_ROUND16(RK(9));
        if (gp != NULL) {
            y = finish2(lo, hi, mid);
        }
        for (r = 10; r < k->rounds; r++) {
            AES_ROUND16(RK(r));
        }
        b0 = _mm256_aesenclast_epi128(b0, rkl);
        b1 = _mm256_aesenclast_epi128(b1, rkl);
        b2 = _mm256_aesenclast_epi128(b2, rkl);
        b3 = _mm256_aesenclast_epi128(b3, rkl);
        b4 = _mm256_aesenclast_epi128(b4, rkl);
        b5 = _mm256_aesenclast_epi128(b5, rkl);
        b6 = _mm256_aesenclast_epi128(b6, rkl);
        b7 = _mm256_aesenclast_epi128(b7, rkl);
        OUT2(0, b0);
        OUT2(1, b1);
        OUT2(2, b2);
        OUT2(3, b3);
        OUT2(4, b4);
        OUT2(5, b5);
        OUT2(6, b6);
        OUT2(7, b7);
        if (encrypt) {
            gp = buf + off;
        }
        off += 256;
    }
    if (encrypt && gp != NULL) {
        /* the last output chunk: hash it alone */
        lo = hi = mid = _mm256_setzero_si256();
        GSTEP2(0);
        GSTEP2(1);
        GSTEP2(2);
        GSTEP2(3);
        GSTEP2(4);
        GSTEP2(5);
        GSTEP2(6);
        GSTEP2(7);
        y = finish2(lo, hi, mid);
    }
    ST(st->y, y);
    ST(st->ctr, ctr);
    _mm256_zeroupper();
    return off;
}

void
s2_gcm_vaes_crypt(const struct s2_gcm_key *k, const uint8_t iv[12], const uint8_t *aad,
                  size_t aad_len, uint8_t *buf, size_t len, int encrypt, uint8_t tag[16])
{
    struct s2_gcm_run st;
    size_t done;

    s2_gcm_ni_begin(k, &st, iv, aad, aad_len);
    done = bulk(k, &st, buf, len, encrypt);
    s2_gcm_ni_update(k, &st, buf + done, len - done, encrypt);
    s2_gcm_ni_end(k, &st, aad_len, len, tag);
}

#else /* not x86: never called, since s2_cpu_features() reports nothing */

void
s2_gcm_vaes_crypt(const struct s2_gcm_key *k, const uint8_t iv[12], const uint8_t *aad,
                  size_t aad_len, uint8_t *buf, size_t len, int encrypt, uint8_t tag[16])
{
    s2_gcm_ni_crypt(k, iv, aad, aad_len, buf, len, encrypt, tag);
}

#endif
