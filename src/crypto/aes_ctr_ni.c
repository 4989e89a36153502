/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * aes_ctr_ni.c: the AES-CTR keystream of aes{128,192,256}-ctr (RFC 4344 4)
 * with AES-NI, eight blocks per step so that eight independent AESENC
 * chains hide the instruction's latency. The key schedule comes from
 * gcm_ni.c (s2_aes_ni_expand_key); whole blocks only: cipher_aes.c keeps
 * the partial-block keystream between calls.
 *
 * The counter. RFC 4344 makes the whole 16-byte block X one 128-bit
 * big-endian integer, X <- (X + 1) mod 2^128 per block. It is kept as two
 * 64-bit halves (hi, lo). A step needs X .. X + 7: while lo + 7 does not
 * wrap, they are one 128-bit value (lo in the low lane) plus 0 .. 7 added
 * to the low lane only, byte-reversed into block order; otherwise (once
 * per 2^64 blocks) each block is built with the carry into hi.
 *
 * The functions carry target attributes, so this file needs no global -m
 * flags; cipher_aes.c calls them only when s2_cpu_features() reports
 * AES-NI.
 */
#include <string.h>

#include "crypto/crypto_int.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#define CTR_NI        __attribute__((target("aes,sse4.1")))
#define CTR_NI_INLINE static inline __attribute__((always_inline, target("aes,sse4.1")))

#define STEP 8u /* blocks per step */

static uint64_t
be64(const uint8_t *p)
{
    uint64_t v = 0;
    unsigned i;

    for (i = 0; i < 8; i++) {
        v = (v << 8) | p[i];
    }
    return v;
}

static void
put_be64(uint8_t *p, uint64_t v)
{
    unsigned i;

    for (i = 0; i < 8; i++) {
        p[7 - i] = (uint8_t)(v >> (8 * i));
    }
}

/* the counter block hi:lo in wire (big-endian) byte order */
CTR_NI_INLINE __m128i
ctr_block(uint64_t hi, uint64_t lo)
{
    const __m128i rev = _mm_set_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);

    return _mm_shuffle_epi8(_mm_set_epi64x((long long)hi, (long long)lo), rev);
}

CTR_NI void
s2_aes_ctr_ni(const struct s2_aes_key *k, uint8_t ctr[16], uint8_t *buf, size_t num_blocks)
{
    const __m128i rev = _mm_set_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    const __m128i *rk = (const __m128i *)(const void *)k->rk;
    __m128i x[STEP], base, key;
    uint64_t hi = be64(ctr), lo = be64(ctr + 8);
    size_t n, j;
    unsigned r;

    while (num_blocks > 0) {
        n = num_blocks < STEP ? num_blocks : STEP;
        key = _mm_loadu_si128(rk);
        if (lo <= UINT64_MAX - (STEP - 1)) {
            base = _mm_set_epi64x((long long)hi, (long long)lo);
#pragma GCC unroll 8
            for (j = 0; j < STEP; j++) {
                x[j] = _mm_add_epi64(base, _mm_set_epi64x(0, (long long)j));
                x[j] = _mm_xor_si128(_mm_shuffle_epi8(x[j], rev), key);
            }
        } else {
            for (j = 0; j < STEP; j++) {
                x[j] = _mm_xor_si128(ctr_block(hi + (lo + j < lo), lo + j), key);
            }
        }
        for (r = 1; r < k->rounds; r++) {
            key = _mm_loadu_si128(rk + r);
#pragma GCC unroll 8
            for (j = 0; j < STEP; j++) {
                x[j] = _mm_aesenc_si128(x[j], key);
            }
        }
        key = _mm_loadu_si128(rk + k->rounds);
        if (n == STEP) {
#pragma GCC unroll 8
            for (j = 0; j < STEP; j++) {
                __m128i *p = (__m128i *)(void *)(buf + 16 * j);
                _mm_storeu_si128(
                    p, _mm_xor_si128(_mm_aesenclast_si128(x[j], key), _mm_loadu_si128(p)));
            }
        } else {
            for (j = 0; j < n; j++) {
                __m128i *p = (__m128i *)(void *)(buf + 16 * j);
                _mm_storeu_si128(
                    p, _mm_xor_si128(_mm_aesenclast_si128(x[j], key), _mm_loadu_si128(p)));
            }
        }
        lo += n;
        hi += lo < n; /* carry out of the low half */
        buf += 16 * n;
        num_blocks -= n;
    }
    put_be64(ctr, hi);
    put_be64(ctr + 8, lo);
}

#else /* not x86: never called, since s2_cpu_features() reports nothing */

void
s2_aes_ctr_ni(const struct s2_aes_key *k, uint8_t ctr[16], uint8_t *buf, size_t num_blocks)
{
    (void)k;
    (void)ctr;
    (void)buf;
    (void)num_blocks;
}

#endif
