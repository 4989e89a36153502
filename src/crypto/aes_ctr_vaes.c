/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * aes_ctr_vaes.c: the AES-CTR keystream of aes_ctr_ni.c on 256-bit
 * registers with VAES: each YMM register holds two consecutive counter
 * blocks (the lower one in the low lane), and a step takes sixteen blocks
 * in eight registers. The counter is the same 128-bit big-endian integer
 * (RFC 4344 4); a step runs here only while the low 64 bits do not wrap
 * within it, so the sixteen counters are one base plus 0 .. 15 in the low
 * 64-bit lane. The step across a 2^64 boundary, and the last fewer than
 * sixteen blocks, go through aes_ctr_ni.c, which carries.
 */
#include <string.h>

#include "crypto/crypto_int.h"

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>

#define CTR_VA __attribute__((target("vaes,avx2,aes")))

#define PAIRS       8u          /* YMM registers per step */
#define STEP_BLOCKS (2 * PAIRS) /* blocks per step */

/* the two big-endian 64-bit halves of a counter block and back */
static void
ctr_get(const uint8_t ctr[16], uint64_t *hi, uint64_t *lo)
{
    memcpy(hi, ctr, 8);
    memcpy(lo, ctr + 8, 8);
    *hi = __builtin_bswap64(*hi);
    *lo = __builtin_bswap64(*lo);
}

static void
ctr_put(uint8_t ctr[16], uint64_t hi, uint64_t lo)
{
    hi = __builtin_bswap64(hi);
    lo = __builtin_bswap64(lo);
    memcpy(ctr, &hi, 8);
    memcpy(ctr + 8, &lo, 8);
}

/* the whole steps of |buf| that do not wrap the low 64 counter bits;
 * returns the blocks done and advances |ctr| past them */
CTR_VA static size_t
bulk(const struct s2_aes_key *k, uint8_t ctr[16], uint8_t *buf, size_t num_blocks)
{
    const __m256i rev = _mm256_set_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1,
                                        2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    const __m128i *rk = (const __m128i *)(const void *)k->rk;
    __m256i x[PAIRS], base, key;
    uint64_t hi, lo;
    size_t done = 0, j;
    unsigned r;

    ctr_get(ctr, &hi, &lo);
    while (num_blocks - done >= STEP_BLOCKS && lo <= UINT64_MAX - (STEP_BLOCKS - 1)) {
        base = _mm256_set_epi64x((long long)hi, (long long)lo, (long long)hi, (long long)lo);
        key = _mm256_broadcastsi128_si256(_mm_loadu_si128(rk));
#pragma GCC unroll 8
        for (j = 0; j < PAIRS; j++) {
            x[j] = _mm256_add_epi64(
                base, _mm256_set_epi64x(0, (long long)(2 * j + 1), 0, (long long)(2 * j)));
            x[j] = _mm256_xor_si256(_mm256_shuffle_epi8(x[j], rev), key);
        }
        for (r = 1; r < k->rounds; r++) {
            key = _mm256_broadcastsi128_si256(_mm_loadu_si128(rk + r));
#pragma GCC unroll 8
            for (j = 0; j < PAIRS; j++) {
                x[j] = _mm256_aesenc_epi128(x[j], key);
            }
        }
        key = _mm256_broadcastsi128_si256(_mm_loadu_si128(rk + k->rounds));
#pragma GCC unroll 8
        for (j = 0; j < PAIRS; j++) {
            __m256i *p = (__m256i *)(void *)(buf + 16 * done + 32 * j);
            _mm256_storeu_si256(
                p, _mm256_xor_si256(_mm256_aesenclast_epi128(x[j], key), _mm256_loadu_si256(p)));
        }
        lo += STEP_BLOCKS;
        hi += lo == 0; /* the step ended exactly at a 2^64 boundary */
        done += STEP_BLOCKS;
    }
    _mm256_zeroupper();
    ctr_put(ctr, hi, lo);
    return done;
}

void
s2_aes_ctr_vaes(const struct s2_aes_key *k, uint8_t ctr[16], uint8_t *buf, size_t num_blocks)
{
    size_t done;

    for (;;) {
        done = bulk(k, ctr, buf, num_blocks);
        buf += 16 * done;
        num_blocks -= done;
        if (num_blocks < STEP_BLOCKS) {
            break;
        }
        /* the low 64 bits wrap within the next step: AES-NI carries */
        s2_aes_ctr_ni(k, ctr, buf, STEP_BLOCKS);
        buf += 16 * STEP_BLOCKS;
        num_blocks -= STEP_BLOCKS;
    }
    if (num_blocks > 0) {
        s2_aes_ctr_ni(k, ctr, buf, num_blocks);
    }
}

#else /* not x86: never called, since s2_cpu_features() reports nothing */

void
s2_aes_ctr_vaes(const struct s2_aes_key *k, uint8_t ctr[16], uint8_t *buf, size_t num_blocks)
{
    s2_aes_ctr_ni(k, ctr, buf, num_blocks);
}

#endif
