/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sha3.c: Keccak-f[1600] and the sponge construction of FIPS 202, with
 * SHA3-256, SHA3-512, SHAKE128 and SHAKE256 on top (sections 3, 4, 5 and 6).
 * Lanes are 64-bit words, lane (x, y) at a[x + 5y]; bytes enter and leave
 * the state little-endian (FIPS 202 B.1). ML-KEM (mlkem768.c) uses the
 * incremental interface of crypto_int.h. No branch or table index depends
 * on the data, so secrets may pass through.
 */
#include <string.h>

#include "core/core.h"
#include "crypto/crypto_int.h"

/* FIPS 202 3.2.5 iota: RC[i] for the 24 rounds (from rc(t), Algorithm 5) */
static const uint64_t round_const[24] = {
    0x0000000000000001ULL, 0x0000000000008082ULL, 0x800000000000808aULL, 0x8000000080008000ULL,
    0x000000000000808bULL, 0x0000000080000001ULL, 0x8000000080008081ULL, 0x8000000000008009ULL,
    0x000000000000008aULL, 0x0000000000000088ULL, 0x0000000080008009ULL, 0x000000008000000aULL,
    0x000000008000808bULL, 0x800000000000008bULL, 0x8000000000008089ULL, 0x8000000000008003ULL,
    0x8000000000008002ULL, 0x8000000000000080ULL, 0x000000000000800aULL, 0x800000008000000aULL,
    0x8000000080008081ULL, 0x8000000000008080ULL, 0x0000000080000001ULL, 0x8000000080008008ULL,
};

#define ROL64(v, n) (((v) << (n)) | ((v) >> (64 - (n))))

/* chi on one row: A'[x] = B[x] ^ (~B[x+1] & B[x+2]) (3.2.4) */
#define CHI_ROW(o, b0, b1, b2, b3, b4)                                                             \
    do {                                                                                           \
        a[(o) + 0] = (b0) ^ (~(b1) & (b2));                                                        \
        a[(o) + 1] = (b1) ^ (~(b2) & (b3));                                                        \
        a[(o) + 2] = (b2) ^ (~(b3) & (b4));                                                        \
        a[(o) + 3] = (b3) ^ (~(b4) & (b0));                                                        \
        a[(o) + 4] = (b4) ^ (~(b0) & (b1));                                                        \
    } while (0)

/*
 * Keccak-p[1600, 24] (FIPS 202 3.3). Each round is theta, then rho and pi
 * fused (B[x + 5y] = rot(A[(x + 3y) mod 5, x], r), with the offsets r of
 * 3.2.2 Algorithm 2), then chi and iota.
 */
static void
keccak_f1600(uint64_t a[25])
{
    uint64_t c0, c1, c2, c3, c4, d0, d1, d2, d3, d4;
    uint64_t b0, b1, b2, b3, b4, b5, b6, b7, b8, b9, b10, b11, b12;
    uint64_t b13, b14, b15, b16, b17, b18, b19, b20, b21, b22, b23, b24;
    int round;

    for (round = 0; round < 24; round++) {
        /* theta (3.2.1) */
        c0 = a[0] ^ a[5] ^ a[10] ^ a[15] ^ a[20];
        c1 = a[1] ^ a[6] ^ a[11] ^ a[16] ^ a[21];
        c2 = a[2] ^ a[7] ^ a[12] ^ a[17] ^ a[22];
        c3 = a[3] ^ a[8] ^ a[13] ^ a[18] ^ a[23];
        c4 = a[4] ^ a[9] ^ a[14] ^ a[19] ^ a[24];
        d0 = c4 ^ ROL64(c1, 1);
        d1 = c0 ^ ROL64(c2, 1);
        d2 = c1 ^ ROL64(c3, 1);
        d3 = c2 ^ ROL64(c4, 1);
        d4 = c3 ^ ROL64(c0, 1);
        /* rho and pi (3.2.2, 3.2.3) */
        b0 = a[0] ^ d0;
        b1 = ROL64(a[6] ^ d1, 44);
        b2 = ROL64(a[12] ^ d2, 43);
        b3 = ROL64(a[18] ^ d3, 21);
        b4 = ROL64(a[24] ^ d4, 14);
        b5 = ROL64(a[3] ^ d3, 28);
        b6 = ROL64(a[9] ^ d4, 20);
        b7 = ROL64(a[10] ^ d0, 3);
        b8 = ROL64(a[16] ^ d1, 45);
        b9 = ROL64(a[22] ^ d2, 61);
        b10 = ROL64(a[1] ^ d1, 1);
        b11 = ROL64(a[7] ^ d2, 6);
        b12 = ROL64(a[13] ^ d3, 25);
        b13 = ROL64(a[19] ^ d4, 8);
        b14 = ROL64(a[20] ^ d0, 18);
        b15 = ROL64(a[4] ^ d4, 27);
        b16 = ROL64(a[5] ^ d0, 36);
        b17 = ROL64(a[11] ^ d1, 10);
        b18 = ROL64(a[17] ^ d2, 15);
        b19 = ROL64(a[23] ^ d3, 56);
        b20 = ROL64(a[2] ^ d2, 62);
        b21 = ROL64(a[8] ^ d3, 55);
        b22 = ROL64(a[14] ^ d4, 39);
        b23 = ROL64(a[15] ^ d0, 41);
        b24 = ROL64(a[21] ^ d1, 2);
        /* chi (3.2.4) */
        CHI_ROW(0, b0, b1, b2, b3, b4);
        CHI_ROW(5, b5, b6, b7, b8, b9);
        CHI_ROW(10, b10, b11, b12, b13, b14);
        CHI_ROW(15, b15, b16, b17, b18, b19);
        CHI_ROW(20, b20, b21, b22, b23, b24);
        /* iota (3.2.5) */
        a[0] ^= round_const[round];
    }
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define S2_KECCAK_LE 1 /* lanes are stored in memory order already */
#endif

static uint64_t
load64_le(const uint8_t *p)
{
#ifdef S2_KECCAK_LE
    uint64_t v;

    memcpy(&v, p, 8);
    return v;
#else
    return (uint64_t)p[0] | ((uint64_t)p[1] << 8) | ((uint64_t)p[2] << 16) |
           ((uint64_t)p[3] << 24) | ((uint64_t)p[4] << 32) | ((uint64_t)p[5] << 40) |
           ((uint64_t)p[6] << 48) | ((uint64_t)p[7] << 56);
#endif
}

/* Writes |nlanes| lanes of |a| to |out|, little-endian. */
static void
store_lanes(uint8_t *out, const uint64_t *a, size_t nlanes)
{
#ifdef S2_KECCAK_LE
    memcpy(out, a, 8 * nlanes);
#else
    size_t i;
    size_t j;

    for (i = 0; i < nlanes; i++) {
        for (j = 0; j < 8; j++) {
            out[8 * i + j] = (uint8_t)(a[i] >> (8 * j));
        }
    }
#endif
}

void
s2_keccak_init(struct s2_keccak *k, size_t rate)
{
    memset(k->a, 0, sizeof k->a);
    k->rate = rate;
    k->pos = 0;
}

void
s2_keccak_absorb(struct s2_keccak *k, const uint8_t *in, size_t len)
{
    size_t i;

    /* finish a partly filled block byte by byte */
    while (len > 0 && k->pos != 0) {
        k->a[k->pos >> 3] ^= (uint64_t)*in << (8 * (k->pos & 7));
        in++;
        len--;
        k->pos++;
        if (k->pos == k->rate) {
            keccak_f1600(k->a);
            k->pos = 0;
        }
    }
    /* whole blocks a lane at a time */
    while (len >= k->rate) {
        for (i = 0; i < k->rate / 8; i++) {
            k->a[i] ^= load64_le(in + 8 * i);
        }
        keccak_f1600(k->a);
        in += k->rate;
        len -= k->rate;
    }
    /* the tail (pos is 0 here unless len is 0) */
    for (i = 0; i < len; i++) {
        k->a[(k->pos + i) >> 3] ^= (uint64_t)in[i] << (8 * ((k->pos + i) & 7));
    }
    k->pos += len;
}

void
s2_keccak_finish(struct s2_keccak *k, uint8_t ds)
{
    /* FIPS 202 B.2: the suffix bits and the first pad bit share one byte,
     * the final pad bit is the top bit of the block's last byte */
    k->a[k->pos >> 3] ^= (uint64_t)ds << (8 * (k->pos & 7));
    k->a[(k->rate - 1) >> 3] ^= 0x80ULL << (8 * ((k->rate - 1) & 7));
    k->pos = k->rate; /* no output byte available: the next squeeze permutes */
}

void
s2_keccak_squeeze(struct s2_keccak *k, uint8_t *out, size_t len)
{
    while (len > 0) {
        if (k->pos == k->rate) {
            keccak_f1600(k->a);
            k->pos = 0;
        }
        if (k->pos == 0 && len >= k->rate) {
            store_lanes(out, k->a, k->rate / 8);
            out += k->rate;
            len -= k->rate;
            k->pos = k->rate;
            continue;
        }
        *out = (uint8_t)(k->a[k->pos >> 3] >> (8 * (k->pos & 7)));
        out++;
        len--;
        k->pos++;
    }
}

void
s2_keccak_squeeze_blocks(struct s2_keccak *k, uint8_t *out, size_t nblocks)
{
    S2_ASSERT(k->pos == k->rate);
    while (nblocks > 0) {
        keccak_f1600(k->a);
        store_lanes(out, k->a, k->rate / 8);
        out += k->rate;
        nblocks--;
    }
}

void
s2_keccak_wipe(struct s2_keccak *k)
{
    s2_wipe(k, sizeof *k);
}

/* ---- four sponges at once ---- */

#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>
#define S2_KECCAK_AVX2 1

#define XOR4(x, y) _mm256_xor_si256((x), (y))
#define ROL4(v, n) _mm256_or_si256(_mm256_slli_epi64((v), (n)), _mm256_srli_epi64((v), 64 - (n)))
#define CHI4_ROW(o, b0, b1, b2, b3, b4)                                                            \
    do {                                                                                           \
        s[(o) + 0] = XOR4((b0), _mm256_andnot_si256((b1), (b2)));                                  \
        s[(o) + 1] = XOR4((b1), _mm256_andnot_si256((b2), (b3)));                                  \
        s[(o) + 2] = XOR4((b2), _mm256_andnot_si256((b3), (b4)));                                  \
        s[(o) + 3] = XOR4((b3), _mm256_andnot_si256((b4), (b0)));                                  \
        s[(o) + 4] = XOR4((b4), _mm256_andnot_si256((b0), (b1)));                                  \
    } while (0)

/* keccak_f1600 on four states, one per 64-bit lane of each __m256i. */
__attribute__((target("avx2"))) static void
keccak_f1600_x4_avx2(uint64_t a[25][4])
{
    __m256i s[25];
    __m256i c0, c1, c2, c3, c4, d0, d1, d2, d3, d4;
    __m256i b0, b1, b2, b3, b4, b5, b6, b7, b8, b9, b10, b11, b12;
    __m256i b13, b14, b15, b16, b17, b18, b19, b20, b21, b22, b23, b24;
    int round;
    int i;

    for (i = 0; i < 25; i++) {
        s[i] = _mm256_loadu_si256((const __m256i *)(const void *)a[i]);
    }
    for (round = 0; round < 24; round++) {
        c0 = XOR4(XOR4(XOR4(s[0], s[5]), XOR4(s[10], s[15])), s[20]);
        c1 = XOR4(XOR4(XOR4(s[1], s[6]), XOR4(s[11], s[16])), s[21]);
        c2 = XOR4(XOR4(XOR4(s[2], s[7]), XOR4(s[12], s[17])), s[22]);
        c3 = XOR4(XOR4(XOR4(s[3], s[8]), XOR4(s[13], s[18])), s[23]);
        c4 = XOR4(XOR4(XOR4(s[4], s[9]), XOR4(s[14], s[19])), s[24]);
        d0 = XOR4(c4, ROL4(c1, 1));
        d1 = XOR4(c0, ROL4(c2, 1));
        d2 = XOR4(c1, ROL4(c3, 1));
        d3 = XOR4(c2, ROL4(c4, 1));
        d4 = XOR4(c3, ROL4(c0, 1));
        b0 = XOR4(s[0], d0);
        b1 = ROL4(XOR4(s[6], d1), 44);
        b2 = ROL4(XOR4(s[12], d2), 43);
        b3 = ROL4(XOR4(s[18], d3), 21);
        b4 = ROL4(XOR4(s[24], d4), 14);
        b5 = ROL4(XOR4(s[3], d3), 28);
        b6 = ROL4(XOR4(s[9], d4), 20);
        b7 = ROL4(XOR4(s[10], d0), 3);
        b8 = ROL4(XOR4(s[16], d1), 45);
        b9 = ROL4(XOR4(s[22], d2), 61);
        b10 = ROL4(XOR4(s[1], d1), 1);
        b11 = ROL4(XOR4(s[7], d2), 6);
        b12 = ROL4(XOR4(s[13], d3), 25);
        b13 = ROL4(XOR4(s[19], d4), 8);
        b14 = ROL4(XOR4(s[20], d0), 18);
        b15 = ROL4(XOR4(s[4], d4), 27);
        b16 = ROL4(XOR4(s[5], d0), 36);
        b17 = ROL4(XOR4(s[11], d1), 10);
        b18 = ROL4(XOR4(s[17], d2), 15);
        b19 = ROL4(XOR4(s[23], d3), 56);
        b20 = ROL4(XOR4(s[2], d2), 62);
        b21 = ROL4(XOR4(s[8], d3), 55);
        b22 = ROL4(XOR4(s[14], d4), 39);
        b23 = ROL4(XOR4(s[15], d0), 41);
        b24 = ROL4(XOR4(s[21], d1), 2);
        CHI4_ROW(0, b0, b1, b2, b3, b4);
        CHI4_ROW(5, b5, b6, b7, b8, b9);
        CHI4_ROW(10, b10, b11, b12, b13, b14);
        CHI4_ROW(15, b15, b16, b17, b18, b19);
        CHI4_ROW(20, b20, b21, b22, b23, b24);
        s[0] = XOR4(s[0], _mm256_set1_epi64x((long long)round_const[round]));
    }
    for (i = 0; i < 25; i++) {
        _mm256_storeu_si256((__m256i *)(void *)a[i], s[i]);
    }
}
#endif

static void
keccak_f1600_x4(uint64_t a[25][4])
{
    uint64_t one[25];
    unsigned lane;
    size_t i;

#ifdef S2_KECCAK_AVX2
    if (s2_cpu_features() & S2_CPU_AVX2) {
        keccak_f1600_x4_avx2(a);
        return;
    }
#endif
    for (lane = 0; lane < 4; lane++) {
        for (i = 0; i < 25; i++) {
            one[i] = a[i][lane];
        }
        keccak_f1600(one);
        for (i = 0; i < 25; i++) {
            a[i][lane] = one[i];
        }
    }
}

void
s2_keccak_x4_absorb_once(struct s2_keccak_x4 *k, size_t rate, uint8_t ds,
                         const uint8_t *const in[4], size_t len)
{
    size_t off = 0;
    size_t pos = 0;
    unsigned lane;

    memset(k->a, 0, sizeof k->a);
    k->rate = rate;
    while (off < len) {
        for (lane = 0; lane < 4; lane++) {
            k->a[pos >> 3][lane] ^= (uint64_t)in[lane][off] << (8 * (pos & 7));
        }
        off++;
        pos++;
        if (pos == rate) {
            keccak_f1600_x4(k->a);
            pos = 0;
        }
    }
    for (lane = 0; lane < 4; lane++) {
        k->a[pos >> 3][lane] ^= (uint64_t)ds << (8 * (pos & 7));
        k->a[(rate - 1) >> 3][lane] ^= 0x80ULL << (8 * ((rate - 1) & 7));
    }
}

void
s2_keccak_x4_squeeze_blocks(struct s2_keccak_x4 *k, uint8_t *const out[4], size_t nblocks)
{
    size_t b;
    size_t i;
    unsigned lane;

    for (b = 0; b < nblocks; b++) {
        keccak_f1600_x4(k->a);
        for (lane = 0; lane < 4; lane++) {
            for (i = 0; i < k->rate / 8; i++) {
                store_lanes(out[lane] + b * k->rate + 8 * i, &k->a[i][lane], 1);
            }
        }
    }
}

void
s2_keccak_x4_lane(const struct s2_keccak_x4 *k, unsigned lane, struct s2_keccak *out)
{
    size_t i;

    for (i = 0; i < 25; i++) {
        out->a[i] = k->a[i][lane];
    }
    out->rate = k->rate;
    out->pos = k->rate; /* between blocks: the next squeeze permutes */
}

void
s2_keccak_x4_wipe(struct s2_keccak_x4 *k)
{
    s2_wipe(k, sizeof *k);
}

/* One-shot hash or XOF: rate |rate|, domain byte |ds|. */
static void
keccak_once(size_t rate, uint8_t ds, const uint8_t *in, size_t len, uint8_t *out, size_t out_len)
{
    struct s2_keccak k;

    s2_keccak_init(&k, rate);
    s2_keccak_absorb(&k, in, len);
    s2_keccak_finish(&k, ds);
    s2_keccak_squeeze(&k, out, out_len);
    s2_keccak_wipe(&k);
}

/* FIPS 202 6.1: SHA3-d = Keccak[c = 2d](M || 01, d); 6.2: SHAKE = M || 1111 */
void
s2_sha3_256(const uint8_t *in, size_t len, uint8_t out[32])
{
    keccak_once(136, 0x06, in, len, out, 32);
}

void
s2_sha3_512(const uint8_t *in, size_t len, uint8_t out[64])
{
    keccak_once(72, 0x06, in, len, out, 64);
}

void
s2_shake128(const uint8_t *in, size_t len, uint8_t *out, size_t out_len)
{
    keccak_once(S2_SHAKE128_RATE, 0x1f, in, len, out, out_len);
}

void
s2_shake256(const uint8_t *in, size_t len, uint8_t *out, size_t out_len)
{
    keccak_once(S2_SHAKE256_RATE, 0x1f, in, len, out, out_len);
}
