/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sha_ni.c: the SHA-256 and SHA-1 compression functions of FIPS 180-4
 * (6.2.2 and 6.1.2) on the x86 SHA extensions, as described in Intel's
 * "Intel SHA Extensions" paper. Only whole 64-byte blocks are processed
 * here; hash.c does the buffering, padding and length (FIPS 180-4 5.1.1).
 * The functions carry their own target attribute, so no global -m flags
 * are needed; callers must check S2_CPU_SHANI in s2_cpu_features() first.
 *
 * Register layouts (from the instruction definitions):
 *  - SHA256RNDS2 keeps the eight working variables in two registers,
 *    ABEF = {A, B, E, F} and CDGH = {C, D, G, H}, first-named in the top
 *    32-bit lane; it does two rounds with W[t] + K[t] taken from the low
 *    two lanes of its third operand and returns the new ABEF, while the
 *    old ABEF becomes the new CDGH.
 *  - SHA1RNDS4 keeps {A, B, C, D} (A in the top lane) and does four rounds
 *    with the round function and constant chosen by its immediate; its
 *    second operand holds W[t..t+3] (W[t] in the top lane) with E added to
 *    the top lane. SHA1NEXTE derives that E, ROTL^30(A) of the state four
 *    rounds earlier, and adds it to the next message vector.
 *  - The message instructions compute four schedule words W[t..t+3] of
 *    FIPS 180-4 6.2.2 step 1 / 6.1.2 step 1 from the previous sixteen.
 */
#include <stdint.h>
#include <string.h>

#include "crypto/crypto_int.h"

#if S2_HAVE_SHANI

#include <immintrin.h>

#define SHA_TARGET __attribute__((target("sha,sse4.1")))

/* FIPS 180-4 4.2.2: the sixty-four SHA-256 constants. */
static const uint32_t k256[64] __attribute__((aligned(16))) = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

/* Four SHA-256 rounds: |wk| holds W[t..t+3] + K[t..t+3], W[t] in lane 0. */
static inline SHA_TARGET void
rounds4_256(__m128i *abef, __m128i *cdgh, __m128i wk)
{
    __m128i t;

    t = _mm_sha256rnds2_epu32(*cdgh, *abef, wk);
    *cdgh = *abef;
    *abef = t;
    wk = _mm_shuffle_epi32(wk, 0x0e); /* W[t+2], W[t+3] to the low lanes */
    t = _mm_sha256rnds2_epu32(*cdgh, *abef, wk);
    *cdgh = *abef;
    *abef = t;
}

/* W[t..t+3] from m0 = W[t-16..], m1 = W[t-12..], m2 = W[t-8..],
 * m3 = W[t-4..] (each with its first word in lane 0):
 * W[t] = s1(W[t-2]) + W[t-7] + s0(W[t-15]) + W[t-16]. */
static inline SHA_TARGET __m128i
schedule_256(__m128i m0, __m128i m1, __m128i m2, __m128i m3)
{
    __m128i t = _mm_sha256msg1_epu32(m0, m1); /* W[t-16] + s0(W[t-15]) */

    t = _mm_add_epi32(t, _mm_alignr_epi8(m3, m2, 4)); /* + W[t-7..t-4] */
    return _mm_sha256msg2_epu32(t, m3);               /* + s1(W[t-2]) */
}

SHA_TARGET void
s2_sha256_blocks_ni(uint32_t state[8], const uint8_t *p, size_t num_blocks)
{
    /* byte-swaps each 32-bit lane: message words are big-endian */
    const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
    __m128i abef, cdgh, abef0, cdgh0, t, m0, m1, m2, m3, mn;
    size_t i;

    /* state[0..3] = a b c d, state[4..7] = e f g h (lane 0 first) */
    t = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)(const void *)state), 0xb1);
    cdgh = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)(const void *)(state + 4)), 0x1b);
    abef = _mm_alignr_epi8(t, cdgh, 8);    /* lanes f e b a */
    cdgh = _mm_blend_epi16(cdgh, t, 0xf0); /* lanes h g d c */

    while (num_blocks > 0) {
        abef0 = abef;
        cdgh0 = cdgh;
        m0 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)p), bswap);
        m1 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + 16)), bswap);
        m2 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + 32)), bswap);
        m3 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + 48)), bswap);
        rounds4_256(&abef, &cdgh, _mm_add_epi32(m0, _mm_load_si128((const void *)k256)));
        rounds4_256(&abef, &cdgh, _mm_add_epi32(m1, _mm_load_si128((const void *)(k256 + 4))));
        rounds4_256(&abef, &cdgh, _mm_add_epi32(m2, _mm_load_si128((const void *)(k256 + 8))));
        rounds4_256(&abef, &cdgh, _mm_add_epi32(m3, _mm_load_si128((const void *)(k256 + 12))));
        for (i = 16; i < 64; i += 4) {
            mn = schedule_256(m0, m1, m2, m3);
            m0 = m1;
            m1 = m2;
            m2 = m3;
            m3 = mn;
            rounds4_256(&abef, &cdgh, _mm_add_epi32(mn, _mm_load_si128((const void *)(k256 + i))));
        }
        /* FIPS 180-4 6.2.2 step 4: add the previous hash value */
        abef = _mm_add_epi32(abef, abef0);
        cdgh = _mm_add_epi32(cdgh, cdgh0);
        p += 64;
        num_blocks--;
    }

    t = _mm_shuffle_epi32(abef, 0x1b);    /* lanes a b e f */
    cdgh = _mm_shuffle_epi32(cdgh, 0xb1); /* lanes g h c d */
    _mm_storeu_si128((__m128i *)(void *)state, _mm_blend_epi16(t, cdgh, 0xf0));
    _mm_storeu_si128((__m128i *)(void *)(state + 4), _mm_alignr_epi8(cdgh, t, 8));
}

/* W[t..t+3] for SHA-1 (first word in the top lane) from the previous
 * sixteen words: W[t] = ROTL^1(W[t-3] ^ W[t-8] ^ W[t-14] ^ W[t-16]). */
static inline SHA_TARGET __m128i
schedule_1(__m128i m0, __m128i m1, __m128i m2, __m128i m3)
{
    __m128i t = _mm_sha1msg1_epu32(m0, m1); /* W[t-16] ^ W[t-14] */

    t = _mm_xor_si128(t, m2);         /* ^ W[t-8] */
    return _mm_sha1msg2_epu32(t, m3); /* ^ W[t-3], rotate */
}

/* Advances the message window by four words and returns the next SHA1RNDS4
 * input: the new W[t..t+3] with E = ROTL^30(A of |prev|) added (SHA1NEXTE),
 * where |prev| is the {A, B, C, D} register before the previous four rounds. */
static inline SHA_TARGET __m128i
next_1(__m128i *m0, __m128i *m1, __m128i *m2, __m128i *m3, __m128i prev)
{
    __m128i mn = schedule_1(*m0, *m1, *m2, *m3);

    *m0 = *m1;
    *m1 = *m2;
    *m2 = *m3;
    *m3 = mn;
    return _mm_sha1nexte_epu32(prev, mn);
}

SHA_TARGET void
s2_sha1_blocks_ni(uint32_t state[5], const uint8_t *p, size_t num_blocks)
{
    /* reverses all sixteen bytes: big-endian words, W[t] in the top lane */
    const __m128i bswap = _mm_set_epi64x(0x0001020304050607LL, 0x08090a0b0c0d0e0fLL);
    __m128i abcd, e, abcd0, prev, ek, m0, m1, m2, m3;
    unsigned g;

    abcd = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)(const void *)state), 0x1b);
    e = _mm_set_epi32((int)state[4], 0, 0, 0);

    while (num_blocks > 0) {
        abcd0 = abcd;
        m0 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)p), bswap);
        m1 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + 16)), bswap);
        m2 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + 32)), bswap);
        m3 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + 48)), bswap);
        /* rounds 0..15 use the block's own words; the round function
         * (FIPS 180-4 4.1.1: Ch, Parity, Maj, Parity for each twenty
         * rounds) is SHA1RNDS4's immediate, so each call names it */
        prev = abcd;
        abcd = _mm_sha1rnds4_epu32(abcd, _mm_add_epi32(e, m0), 0);
        ek = _mm_sha1nexte_epu32(prev, m1);
        prev = abcd;
        abcd = _mm_sha1rnds4_epu32(abcd, ek, 0);
        ek = _mm_sha1nexte_epu32(prev, m2);
        prev = abcd;
        abcd = _mm_sha1rnds4_epu32(abcd, ek, 0);
        ek = _mm_sha1nexte_epu32(prev, m3);
        prev = abcd;
        abcd = _mm_sha1rnds4_epu32(abcd, ek, 0);
        ek = next_1(&m0, &m1, &m2, &m3, prev); /* rounds 16..19 */
        prev = abcd;
        abcd = _mm_sha1rnds4_epu32(abcd, ek, 0);
        for (g = 0; g < 5; g++) { /* rounds 20..39 */
            ek = next_1(&m0, &m1, &m2, &m3, prev);
            prev = abcd;
            abcd = _mm_sha1rnds4_epu32(abcd, ek, 1);
        }
        for (g = 0; g < 5; g++) { /* rounds 40..59 */
            ek = next_1(&m0, &m1, &m2, &m3, prev);
            prev = abcd;
            abcd = _mm_sha1rnds4_epu32(abcd, ek, 2);
        }
        for (g = 0; g < 5; g++) { /* rounds 60..79 */
            ek = next_1(&m0, &m1, &m2, &m3, prev);
            prev = abcd;
            abcd = _mm_sha1rnds4_epu32(abcd, ek, 3);
        }
        /* FIPS 180-4 6.1.2 step 4: E after round 79 is ROTL^30(A) of the
         * state four rounds earlier; add the previous hash value. */
        e = _mm_sha1nexte_epu32(prev, e);
        abcd = _mm_add_epi32(abcd, abcd0);
        p += 64;
        num_blocks--;
    }

    _mm_storeu_si128((__m128i *)(void *)state, _mm_shuffle_epi32(abcd, 0x1b));
    state[4] = (uint32_t)_mm_extract_epi32(e, 3);
}

#endif /* S2_HAVE_SHANI */
