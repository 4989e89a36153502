/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mlkem768.c: ML-KEM-768 (FIPS 203): k = 3, eta1 = eta2 = 2, du = 10,
 * dv = 4. Polynomials over Z_q[X]/(X^256 + 1), q = 3329, with the NTT of
 * section 4.3, SampleNTT (Algorithm 7, XOF = SHAKE128) and SamplePolyCBD
 * (Algorithm 8, PRF = SHAKE256), K-PKE (section 5), ML-KEM (sections 6, 7)
 * with the input checks of 7.2 and 7.3 and implicit rejection (J = SHAKE256).
 *
 * Arithmetic: coefficients are int16_t, reduced lazily. fqmul() is the
 * Montgomery product a * b * 2^-16 mod q (result in (-q, q)); the NTT
 * twiddles are stored times 2^16 so that fqmul(zeta, x) = zeta * x. The
 * base-case products of Algorithm 12 are summed over the vector in 32 bits
 * and reduced once, which leaves a factor 2^-16: key generation removes it
 * with tomont() (times 2^32), the inverse NTT folds it into its final
 * constant. Bounds are noted where reductions are skipped.
 *
 * Speed: the four-way Keccak of sha3.c (AVX2 when present) runs the XOFs of
 * four matrix entries and the PRFs of four noise polynomials side by side;
 * on x86-64 the NTT layers with len >= 8 and the base-case products use
 * SSE2 (always present there), with the same results as the scalar code.
 *
 * Constant time: no branch or memory index depends on a secret (s, e, m, r,
 * the decapsulation key or ciphertext contents); the only data-dependent
 * branches are on the public matrix seed (rejection sampling), on the
 * encapsulation key (modulus check) and on the key hash check of 7.3.
 * Compression divides by q with a multiply and shift, and decapsulation
 * compares the re-encryption and selects K or K-bar with masks.
 */
#include <string.h>

#include <sodium.h>

#include "core/core.h"
#include "crypto/crypto_int.h"

#define Q            3329
#define KK           3                      /* k: module rank of ML-KEM-768 */
#define N            256                    /* coefficients per polynomial */
#define POLY_BYTES   384                    /* ByteEncode_12 of one polynomial */
#define PKE_SK_BYTES (KK * POLY_BYTES)      /* 1152 */
#define PK_BYTES     (KK * POLY_BYTES + 32) /* 1184: t-hat || rho */
#define DU           10
#define DV           4
#define CT_U_BYTES   (KK * N * DU / 8) /* 960 */
#define CT_V_BYTES   (N * DV / 8)      /* 128 */
#define CBD_BYTES    (64 * 2)          /* PRF_eta output, eta = 2 */
#define QINV         62209u            /* q^-1 mod 2^16 */
#define MONT_R2      1353              /* 2^32 mod q */
#define INV_SCALE    1441              /* 2^32 / 128 mod q: the 3303 of Algorithm 10 */
#define BARRETT_V    20159             /* round(2^26 / q) */
#define DIV_Q_M      330282857ULL      /* ceil(2^40 / q): n / q == (n * M) >> 40, n < 2^22 */

/*
 * S2_CT_DECLASSIFY marks bytes derived from secrets as public. A no-op in
 * the library; tests/ct/ct_mlkem.c compiles this file with it defined as
 * valgrind's VALGRIND_MAKE_MEM_DEFINED, so that the few branches on public
 * values derived from secret inputs (the matrix seed rho, the result of the
 * key hash check) are not reported while everything else is checked.
 */
#ifndef S2_CT_DECLASSIFY
#define S2_CT_DECLASSIFY(p, n) ((void)(p), (void)(n))
#endif

struct poly {
    int16_t c[N];
};

/* zeta^BitRev7(i) * 2^16 mod q, centred, zeta = 17 (Algorithms 9, 10) */
static const int16_t zetas[128] = {
    -1044, -758,  -359,  -1517, 1493,  1422,  287,   202,   -171,  622,   1577,  182,   962,
    -1202, -1474, 1468,  573,   -1325, 264,   383,   -829,  1458,  -1602, -130,  -681,  1017,
    732,   608,   -1542, 411,   -205,  -1571, 1223,  652,   -552,  1015,  -1293, 1491,  -282,
    -1544, 516,   -8,    -320,  -666,  -1618, -1162, 126,   1469,  -853,  -90,   -271,  830,
    107,   -1421, -247,  -951,  -398,  961,   -1508, -725,  448,   -1065, 677,   -1275, -1103,
    430,   555,   843,   -1251, 871,   1550,  105,   422,   587,   177,   -235,  -291,  -460,
    1574,  1653,  -246,  778,   1159,  -147,  -777,  1483,  -602,  1119,  -1590, 644,   -872,
    349,   418,   329,   -156,  -75,   817,   1097,  603,   610,   1322,  -1285, -1465, 384,
    -1215, -136,  1218,  -1335, -874,  220,   -1187, -1659, -1185, -1530, -1278, 794,   -1510,
    -854,  -870,  478,   -108,  -308,  996,   991,   958,   -1460, 1522,  1628,
};

/* zeta^(2 BitRev7(i) + 1) * 2^16 mod q, centred (Algorithm 11) */
static const int16_t gammas[128] = {
    -1103, 1103,  430,   -430,  555,   -555,  843,  -843,  -1251, 1251,  871,   -871,  1550,
    -1550, 105,   -105,  422,   -422,  587,   -587, 177,   -177,  -235,  235,   -291,  291,
    -460,  460,   1574,  -1574, 1653,  -1653, -246, 246,   778,   -778,  1159,  -1159, -147,
    147,   -777,  777,   1483,  -1483, -602,  602,  1119,  -1119, -1590, 1590,  644,   -644,
    -872,  872,   349,   -349,  418,   -418,  329,  -329,  -156,  156,   -75,   75,    817,
    -817,  1097,  -1097, 603,   -603,  610,   -610, 1322,  -1322, -1285, 1285,  -1465, 1465,
    384,   -384,  -1215, 1215,  -136,  136,   1218, -1218, -1335, 1335,  -874,  874,   220,
    -220,  -1187, 1187,  -1659, 1659,  -1185, 1185, -1530, 1530,  -1278, 1278,  794,   -794,
    -1510, 1510,  -854,  854,   -870,  870,   478,  -478,  -108,  108,   -308,  308,   996,
    -996,  991,   -991,  958,   -958,  -1460, 1460, 1522,  -1522, 1628,  -1628,
};

/* ---- modular arithmetic ---- */

/* a * 2^-16 mod q in (-q, q), for |a| < q * 2^15 */
static int16_t
montgomery_reduce(int32_t a)
{
    int16_t t = (int16_t)(uint16_t)((uint32_t)a * QINV);
    return (int16_t)((a - (int32_t)t * Q) >> 16);
}

static int16_t
fqmul(int16_t a, int16_t b)
{
    return montgomery_reduce((int32_t)a * b);
}

/* a mod q, centred: in [-(q - 1) / 2, (q - 1) / 2] */
static int16_t
barrett_reduce(int16_t a)
{
    int32_t t = ((int32_t)BARRETT_V * a + (1 << 25)) >> 26;
    return (int16_t)(a - t * Q);
}

static void
poly_add(struct poly *r, const struct poly *a)
{
    size_t i;

    for (i = 0; i < N; i++) {
        r->c[i] = (int16_t)(r->c[i] + a->c[i]);
    }
}

/* ---- NTT (section 4.3) ---- */

#if defined(__SSE2__) && !defined(S2_MLKEM_NO_SIMD)
/*
 * SSE2 (baseline on x86-64): eight coefficients at a time for the NTT
 * layers with len >= 8 and for the base-case products. Each helper computes
 * exactly what its scalar counterpart computes.
 */
#include <emmintrin.h>
#define MLKEM_SSE2 1

/* fqmul on eight lanes: hi(a b) - hi(lo(a lo(b q^-1)) q) (as montgomery_reduce) */
static __m128i
v_fqmul(__m128i a, __m128i b)
{
    __m128i bq = _mm_mullo_epi16(b, _mm_set1_epi16((int16_t)QINV));
    __m128i t = _mm_mullo_epi16(a, bq);
    return _mm_sub_epi16(_mm_mulhi_epi16(a, b), _mm_mulhi_epi16(t, _mm_set1_epi16(Q)));
}

/* barrett_reduce on eight lanes: floor((floor(v a / 2^16) + 2^9) / 2^10) */
static __m128i
v_barrett(__m128i a)
{
    __m128i t = _mm_mulhi_epi16(a, _mm_set1_epi16(BARRETT_V));
    t = _mm_srai_epi16(_mm_add_epi16(t, _mm_set1_epi16(1 << 9)), 10);
    return _mm_sub_epi16(a, _mm_mullo_epi16(t, _mm_set1_epi16(Q)));
}

/* montgomery_reduce of eight 32-bit sums (|x| < q 2^15), in order lo, hi */
static __m128i
v_montgomery_reduce(__m128i lo, __m128i hi)
{
    __m128i h = _mm_packs_epi32(_mm_srai_epi32(lo, 16), _mm_srai_epi32(hi, 16));
    __m128i l = _mm_packs_epi32(_mm_srai_epi32(_mm_slli_epi32(lo, 16), 16),
                                _mm_srai_epi32(_mm_slli_epi32(hi, 16), 16));
    __m128i t = _mm_mullo_epi16(l, _mm_set1_epi16((int16_t)QINV));
    return _mm_sub_epi16(h, _mm_mulhi_epi16(t, _mm_set1_epi16(Q)));
}

static __m128i
v_load(const int16_t *p)
{
    return _mm_loadu_si128((const __m128i *)(const void *)p);
}

static void
v_store(int16_t *p, __m128i v)
{
    _mm_storeu_si128((__m128i *)(void *)p, v);
}
#endif

/* Barrett-reduces every coefficient to [-(q - 1) / 2, (q - 1) / 2]. */
static void
poly_reduce(struct poly *p)
{
    size_t j;

#ifdef MLKEM_SSE2
    for (j = 0; j < N; j += 8) {
        v_store(p->c + j, v_barrett(v_load(p->c + j)));
    }
#else
    for (j = 0; j < N; j++) {
        p->c[j] = barrett_reduce(p->c[j]);
    }
#endif
}

/* Reduces every coefficient to [0, q). */
static void
poly_canon(struct poly *p)
{
    size_t i;

#ifdef MLKEM_SSE2
    __m128i r;

    for (i = 0; i < N; i += 8) {
        r = v_barrett(v_load(p->c + i));
        r = _mm_add_epi16(r, _mm_and_si128(_mm_srai_epi16(r, 15), _mm_set1_epi16(Q)));
        v_store(p->c + i, r);
    }
#else
    int16_t r;

    for (i = 0; i < N; i++) {
        r = barrett_reduce(p->c[i]);
        p->c[i] = (int16_t)(r + ((r >> 15) & Q)); /* add q when negative */
    }
#endif
}

/*
 * Algorithm 9, in place. Input |f| < q; each layer adds less than q, so
 * no reduction is needed inside (|f| < 8q); the output is Barrett-reduced
 * to |f| <= q / 2.
 */
static void
ntt(struct poly *p)
{
    int16_t *f = p->c;
    size_t i = 1;
    size_t len = 128;
    size_t start;
    size_t j;
    int16_t z;
    int16_t t;

#ifdef MLKEM_SSE2
    __m128i vz;
    __m128i va;
    __m128i vt;

    for (; len >= 8; len >>= 1) {
        for (start = 0; start < N; start += 2 * len) {
            vz = _mm_set1_epi16(zetas[i++]);
            for (j = start; j < start + len; j += 8) {
                va = v_load(f + j);
                vt = v_fqmul(v_load(f + j + len), vz);
                v_store(f + j + len, _mm_sub_epi16(va, vt));
                v_store(f + j, _mm_add_epi16(va, vt));
            }
        }
    }
#endif
    for (; len >= 2; len >>= 1) {
        for (start = 0; start < N; start += 2 * len) {
            z = zetas[i++];
            for (j = start; j < start + len; j++) {
                t = fqmul(z, f[j + len]);
                f[j + len] = (int16_t)(f[j] - t);
                f[j] = (int16_t)(f[j] + t);
            }
        }
    }
    poly_reduce(p);
}

/*
 * Algorithm 10, in place, times 2^16 (the Montgomery factor the base-case
 * products leave behind). Input |f| < q. The sums double per layer, so they
 * are reduced after the len = 8 and len = 64 layers (at most 8q before);
 * the differences go through fqmul (< q). Output |f| < q.
 */
static void
invntt(struct poly *p)
{
    int16_t *f = p->c;
    size_t i = 127;
    size_t len;
    size_t start;
    size_t j;
    int16_t z;
    int16_t t;
    int reduce;

#ifdef MLKEM_SSE2
    __m128i vz;
    __m128i va;
    __m128i vb;
    const size_t scalar_len_max = 4; /* the layers with len >= 8 use SSE2 */
#else
    const size_t scalar_len_max = 128;
#endif

    for (len = 2; len <= scalar_len_max; len <<= 1) {
        reduce = (len == 8 || len == 64);
        for (start = 0; start < N; start += 2 * len) {
            z = zetas[i--];
            for (j = start; j < start + len; j++) {
                t = f[j];
                f[j] = (int16_t)(t + f[j + len]);
                if (reduce) {
                    f[j] = barrett_reduce(f[j]);
                }
                f[j + len] = fqmul(z, (int16_t)(f[j + len] - t));
            }
        }
    }
#ifdef MLKEM_SSE2
    for (; len <= 128; len <<= 1) {
        reduce = (len == 8 || len == 64);
        for (start = 0; start < N; start += 2 * len) {
            vz = _mm_set1_epi16(zetas[i--]);
            for (j = start; j < start + len; j += 8) {
                va = v_load(f + j);
                vb = v_load(f + j + len);
                if (reduce) {
                    v_store(f + j, v_barrett(_mm_add_epi16(va, vb)));
                } else {
                    v_store(f + j, _mm_add_epi16(va, vb));
                }
                v_store(f + j + len, v_fqmul(_mm_sub_epi16(vb, va), vz));
            }
        }
    }
    vz = _mm_set1_epi16(INV_SCALE);
    for (j = 0; j < N; j += 8) {
        v_store(f + j, v_fqmul(v_load(f + j), vz));
    }
#else
    for (j = 0; j < N; j++) {
        f[j] = fqmul(f[j], INV_SCALE);
    }
#endif
}

/*
 * r = sum_k a[k] (x) b[k] in the NTT domain (Algorithms 11, 12), times
 * 2^-16. Inputs |a|, |b| <= q: six products below q^2 fit the 32-bit sum
 * under q * 2^15, so one Montgomery reduction per coefficient suffices.
 */
static void
poly_dot(struct poly *r, const struct poly a[KK], const struct poly b[KK])
{
    size_t i;
    size_t k;
#ifdef MLKEM_SSE2
    /* Per pair (a0, a1), (b0, b1): madd against (b0', b1 gamma) gives c0,
     * against (b1, b0) gives c1. b0' = fqmul(b0, 2^16 mod q) = b0 mod q
     * comes free from the same lanes that compute b1 gamma; the lanes of
     * |gv| alternate 2^16 mod q and gamma (both times 2^16). */
    static const int16_t r_mod_q = -1044; /* 2^16 mod q, centred */
    int16_t gv[8];
    __m128i va;
    __m128i vb;
    __m128i c0;
    __m128i c1;
    __m128i g;

    for (i = 0; i < N; i += 8) {
        for (k = 0; k < 4; k++) {
            gv[2 * k] = r_mod_q;
            gv[2 * k + 1] = gammas[i / 2 + k];
        }
        g = v_load(gv);
        c0 = _mm_setzero_si128();
        c1 = _mm_setzero_si128();
        for (k = 0; k < KK; k++) {
            va = v_load(a[k].c + i);
            vb = v_load(b[k].c + i);
            c0 = _mm_add_epi32(c0, _mm_madd_epi16(va, v_fqmul(vb, g)));
            vb = _mm_shufflehi_epi16(_mm_shufflelo_epi16(vb, 0xb1), 0xb1);
            c1 = _mm_add_epi32(c1, _mm_madd_epi16(va, vb));
        }
        v_store(r->c + i,
                v_montgomery_reduce(_mm_unpacklo_epi32(c0, c1), _mm_unpackhi_epi32(c0, c1)));
    }
#else
    int32_t c0;
    int32_t c1;
    int16_t a0, a1, b0, b1;

    for (i = 0; i < N / 2; i++) {
        c0 = 0;
        c1 = 0;
        for (k = 0; k < KK; k++) {
            a0 = a[k].c[2 * i];
            a1 = a[k].c[2 * i + 1];
            b0 = b[k].c[2 * i];
            b1 = b[k].c[2 * i + 1];
            c0 += (int32_t)a0 * b0 + (int32_t)a1 * fqmul(b1, gammas[i]);
            c1 += (int32_t)a0 * b1 + (int32_t)a1 * b0;
        }
        r->c[2 * i] = montgomery_reduce(c0);
        r->c[2 * i + 1] = montgomery_reduce(c1);
    }
#endif
}

/* ---- sampling (section 4.2.2) ---- */

#define XOF_BLOCKS 3 /* 504 bytes, 336 tries for the ~315 usually needed */

/*
 * The loop of Algorithm 7 SampleNTT: takes 12-bit values below q from
 * |len| bytes (a multiple of 3) into c[j..]; returns the new j. The stream
 * is public (it comes from rho), so data-dependent control flow is fine.
 */
static size_t
rej_uniform(int16_t c[N], size_t j, const uint8_t *buf, size_t len)
{
    size_t pos;
    uint16_t d1;
    uint16_t d2;

    /* while two more fit, store always and advance on acceptance (no
     * hard-to-predict branch); the last one or two go one at a time */
    for (pos = 0; pos + 3 <= len && j + 2 <= N; pos += 3) {
        d1 = (uint16_t)(buf[pos] | ((buf[pos + 1] & 0x0f) << 8));
        d2 = (uint16_t)((buf[pos + 1] >> 4) | (buf[pos + 2] << 4));
        c[j] = (int16_t)d1;
        j += (size_t)(d1 < Q);
        c[j] = (int16_t)d2;
        j += (size_t)(d2 < Q);
    }
    for (; pos + 3 <= len && j < N; pos += 3) {
        d1 = (uint16_t)(buf[pos] | ((buf[pos + 1] & 0x0f) << 8));
        d2 = (uint16_t)((buf[pos + 1] >> 4) | (buf[pos + 2] << 4));
        if (d1 < Q) {
            c[j++] = (int16_t)d1;
        }
        if (d2 < Q && j < N) {
            c[j++] = (int16_t)d2;
        }
    }
    return j;
}

/* Finishes SampleNTT from |xof| one block at a time (rarely needed). */
static void
sample_ntt_rest(struct poly *p, size_t j, struct s2_keccak *xof)
{
    uint8_t buf[S2_SHAKE128_RATE]; /* 168 = 56 whole triples */

    while (j < N) {
        s2_keccak_squeeze_blocks(xof, buf, 1);
        j = rej_uniform(p->c, j, buf, sizeof buf);
    }
}

/* The 34-byte XOF input rho || x || y; rho is public (the end of ek). */
static void
xof_seed(uint8_t seed[34], const uint8_t rho[32], uint8_t x, uint8_t y)
{
    memcpy(seed, rho, 32);
    seed[32] = x;
    seed[33] = y;
    S2_CT_DECLASSIFY(seed, 34);
}

/* Algorithm 7 SampleNTT(rho || x || y) with SHAKE128, one polynomial. */
static void
sample_ntt(struct poly *p, const uint8_t rho[32], uint8_t x, uint8_t y)
{
    struct s2_keccak xof;
    uint8_t seed[34];
    uint8_t buf[XOF_BLOCKS * S2_SHAKE128_RATE];

    xof_seed(seed, rho, x, y);
    s2_keccak_init(&xof, S2_SHAKE128_RATE);
    s2_keccak_absorb(&xof, seed, sizeof seed);
    s2_keccak_finish(&xof, 0x1f);
    s2_keccak_squeeze_blocks(&xof, buf, XOF_BLOCKS);
    sample_ntt_rest(p, rej_uniform(p->c, 0, buf, sizeof buf), &xof);
}

/* SampleNTT for four polynomials, the four XOFs run side by side. */
static void
sample_ntt_x4(struct poly *p[4], const uint8_t rho[32], const uint8_t xy[4][2])
{
    struct s2_keccak_x4 xof;
    struct s2_keccak one;
    uint8_t seed[4][34];
    uint8_t buf[4][XOF_BLOCKS * S2_SHAKE128_RATE];
    const uint8_t *const in[4] = {seed[0], seed[1], seed[2], seed[3]};
    uint8_t *const out[4] = {buf[0], buf[1], buf[2], buf[3]};
    unsigned lane;
    size_t j;

    for (lane = 0; lane < 4; lane++) {
        xof_seed(seed[lane], rho, xy[lane][0], xy[lane][1]);
    }
    s2_keccak_x4_absorb_once(&xof, S2_SHAKE128_RATE, 0x1f, in, sizeof seed[0]);
    s2_keccak_x4_squeeze_blocks(&xof, out, XOF_BLOCKS);
    for (lane = 0; lane < 4; lane++) {
        j = rej_uniform(p[lane]->c, 0, buf[lane], sizeof buf[lane]);
        if (j < N) {
            s2_keccak_x4_lane(&xof, lane, &one);
            sample_ntt_rest(p[lane], j, &one);
        }
    }
}

/*
 * The matrix A-hat of K-PKE: A[i][j] = SampleNTT(rho || j || i). With
 * |transposed| set, fills A-transpose instead (rho || i || j). Entries 0-3
 * and 4-7 (row-major) are sampled four at a time, entry 8 alone.
 */
static void
gen_matrix(struct poly a[KK][KK], const uint8_t rho[32], int transposed)
{
    struct poly *p[4];
    uint8_t xy[4][2];
    size_t e;
    size_t n;
    uint8_t i;
    uint8_t j;

    for (e = 0; e < KK * KK; e += n) {
        n = KK * KK - e >= 4 ? 4 : 1;
        for (j = 0; j < n; j++) {
            i = (uint8_t)((e + j) / KK);
            p[j] = &a[i][(e + j) % KK];
            xy[j][0] = transposed ? i : (uint8_t)((e + j) % KK);
            xy[j][1] = transposed ? (uint8_t)((e + j) % KK) : i;
        }
        if (n == 4) {
            sample_ntt_x4(p, rho, (const uint8_t(*)[2])xy);
        } else {
            sample_ntt(p[0], rho, xy[0][0], xy[0][1]);
        }
    }
}

/*
 * SamplePolyCBD_2 (Algorithm 8) of 128 PRF bytes: coefficient i is
 * (bit 4i + bit 4i+1) - (bit 4i+2 + bit 4i+3), done eight at a time.
 */
static void
cbd2(struct poly *p, const uint8_t buf[CBD_BYTES])
{
    size_t i;
    size_t j;
    uint32_t t;
    uint32_t d;

    for (i = 0; i < N / 8; i++) {
        t = (uint32_t)buf[4 * i] | ((uint32_t)buf[4 * i + 1] << 8) |
            ((uint32_t)buf[4 * i + 2] << 16) | ((uint32_t)buf[4 * i + 3] << 24);
        d = (t & 0x55555555u) + ((t >> 1) & 0x55555555u);
        for (j = 0; j < 8; j++) {
            p->c[8 * i + j] =
                (int16_t)((int16_t)((d >> (4 * j)) & 3u) - (int16_t)((d >> (4 * j + 2)) & 3u));
        }
    }
}

/*
 * p[i] = SamplePolyCBD_2(PRF_2(seed, nonce + i)) for i < |num| (1..4);
 * PRF (4.1) is SHAKE256(seed || nonce) to 128 bytes, within one block.
 */
static void
sample_cbd_x4(struct poly *const p[4], size_t num, const uint8_t seed[32], uint8_t nonce)
{
    struct s2_keccak_x4 prf;
    uint8_t in[4][33];
    uint8_t buf[4][S2_SHAKE256_RATE];
    const uint8_t *const inp[4] = {in[0], in[1], in[2], in[3]};
    uint8_t *const out[4] = {buf[0], buf[1], buf[2], buf[3]};
    size_t i;

    for (i = 0; i < 4; i++) {
        memcpy(in[i], seed, 32);
        in[i][32] = (uint8_t)(nonce + i);
    }
    s2_keccak_x4_absorb_once(&prf, S2_SHAKE256_RATE, 0x1f, inp, sizeof in[0]);
    s2_keccak_x4_squeeze_blocks(&prf, out, 1);
    for (i = 0; i < num; i++) {
        cbd2(p[i], buf[i]);
    }
    s2_keccak_x4_wipe(&prf);
    sodium_memzero(in, sizeof in);
    sodium_memzero(buf, sizeof buf);
}

/* ---- encodings (section 4.2.1) ---- */

/* ByteEncode_12 of a polynomial with coefficients in [0, q) */
static void
encode12(uint8_t out[POLY_BYTES], const struct poly *p)
{
    size_t i;
    uint16_t a;
    uint16_t b;

    for (i = 0; i < N / 2; i++) {
        a = (uint16_t)p->c[2 * i];
        b = (uint16_t)p->c[2 * i + 1];
        out[3 * i] = (uint8_t)a;
        out[3 * i + 1] = (uint8_t)((a >> 8) | (b << 4));
        out[3 * i + 2] = (uint8_t)(b >> 4);
    }
}

/* ByteDecode_12 without reduction: values in [0, 4096) */
static void
decode12_raw(struct poly *p, const uint8_t in[POLY_BYTES])
{
    size_t i;

    for (i = 0; i < N / 2; i++) {
        p->c[2 * i] = (int16_t)(in[3 * i] | ((in[3 * i + 1] & 0x0f) << 8));
        p->c[2 * i + 1] = (int16_t)((in[3 * i + 1] >> 4) | (in[3 * i + 2] << 4));
    }
}

/* ByteDecode_12 (mod q, as FIPS 203 defines it for d = 12), branch-free */
static void
decode12(struct poly *p, const uint8_t in[POLY_BYTES])
{
    size_t i;
    int16_t x;

    decode12_raw(p, in);
    for (i = 0; i < N; i++) {
        x = (int16_t)(p->c[i] - Q);
        p->c[i] = (int16_t)(x + ((x >> 15) & Q));
    }
}

/*
 * Compress_d (4.7) of x in [0, q): round(2^d x / q) mod 2^d, i.e.
 * floor((2^d x + (q - 1) / 2) / q) with the division done as a multiply and
 * shift (exact for numerators below 2^22), never a `/` on secret data.
 */
static uint16_t
compress(int16_t x, unsigned d)
{
    uint64_t n = ((uint64_t)(uint16_t)x << d) + (Q - 1) / 2;
    return (uint16_t)(((n * DIV_Q_M) >> 40) & ((1u << d) - 1u));
}

/* Decompress_d (4.8): round(q y / 2^d) */
static int16_t
decompress(uint32_t y, unsigned d)
{
    return (int16_t)((y * Q + (1u << (d - 1))) >> d);
}

/* ByteEncode_10(Compress_10(u)) for the k polynomials of u */
static void
encode_u(uint8_t out[CT_U_BYTES], const struct poly u[KK])
{
    size_t k;
    size_t i;
    size_t j;
    uint64_t v;

    for (k = 0; k < KK; k++) {
        for (i = 0; i < N / 4; i++) {
            v = 0;
            for (j = 0; j < 4; j++) {
                v |= (uint64_t)compress(u[k].c[4 * i + j], DU) << (10 * j);
            }
            for (j = 0; j < 5; j++) {
                out[j] = (uint8_t)(v >> (8 * j));
            }
            out += 5;
        }
    }
}

/* Decompress_10(ByteDecode_10(c1)) */
static void
decode_u(struct poly u[KK], const uint8_t in[CT_U_BYTES])
{
    size_t k;
    size_t i;
    size_t j;
    uint64_t v;

    for (k = 0; k < KK; k++) {
        for (i = 0; i < N / 4; i++) {
            v = 0;
            for (j = 0; j < 5; j++) {
                v |= (uint64_t)in[j] << (8 * j);
            }
            for (j = 0; j < 4; j++) {
                u[k].c[4 * i + j] = decompress((uint32_t)(v >> (10 * j)) & 0x3ffu, DU);
            }
            in += 5;
        }
    }
}

/* ByteEncode_4(Compress_4(v)) */
static void
encode_v(uint8_t out[CT_V_BYTES], const struct poly *v)
{
    size_t i;

    for (i = 0; i < N / 2; i++) {
        out[i] = (uint8_t)(compress(v->c[2 * i], DV) | (compress(v->c[2 * i + 1], DV) << 4));
    }
}

/* Decompress_4(ByteDecode_4(c2)) */
static void
decode_v(struct poly *v, const uint8_t in[CT_V_BYTES])
{
    size_t i;

    for (i = 0; i < N / 2; i++) {
        v->c[2 * i] = decompress((uint32_t)in[i] & 0x0fu, DV);
        v->c[2 * i + 1] = decompress((uint32_t)in[i] >> 4, DV);
    }
}

/* ByteEncode_1(Compress_1(w)) */
static void
encode_msg(uint8_t out[32], const struct poly *w)
{
    size_t i;
    size_t j;
    uint8_t b;

    for (i = 0; i < 32; i++) {
        b = 0;
        for (j = 0; j < 8; j++) {
            b = (uint8_t)(b | (compress(w->c[8 * i + j], 1) << j));
        }
        out[i] = b;
    }
}

/* Decompress_1(ByteDecode_1(m)): bit b -> b * (q + 1) / 2, with a mask */
static void
decode_msg(struct poly *p, const uint8_t m[32])
{
    size_t i;
    uint16_t bit;

    for (i = 0; i < N; i++) {
        bit = (uint16_t)(((uint32_t)m[i / 8] >> (i % 8)) & 1u);
        p->c[i] = (int16_t)((0u - bit) & ((Q + 1) / 2));
    }
}

/* ---- K-PKE (section 5) ---- */

struct kpke_keygen_work {
    struct poly a[KK][KK];
    struct poly s[KK];
    struct poly e[KK];
    struct poly t[KK];
    uint8_t g_in[33];
    uint8_t g_out[64]; /* rho || sigma */
};

/* Algorithm 13 K-PKE.KeyGen(d): ek_pke -> pk, dk_pke -> sk */
static void
kpke_keygen(uint8_t pk[PK_BYTES], uint8_t sk[PKE_SK_BYTES], const uint8_t d[32])
{
    struct kpke_keygen_work w;
    const uint8_t *rho = w.g_out;
    const uint8_t *sigma = w.g_out + 32;
    size_t i;
    size_t j;

    memcpy(w.g_in, d, 32);
    w.g_in[32] = KK;
    s2_sha3_512(w.g_in, sizeof w.g_in, w.g_out);
    gen_matrix(w.a, rho, 0);
    /* s[0..2] from PRF(sigma, 0..2), e[0..2] from PRF(sigma, 3..5) */
    {
        struct poly *const p1[4] = {&w.s[0], &w.s[1], &w.s[2], &w.e[0]};
        struct poly *const p2[4] = {&w.e[1], &w.e[2], &w.e[2], &w.e[2]};

        sample_cbd_x4(p1, 4, sigma, 0);
        sample_cbd_x4(p2, 2, sigma, 4);
    }
    for (i = 0; i < KK; i++) {
        ntt(&w.s[i]);
        ntt(&w.e[i]);
    }
    for (i = 0; i < KK; i++) {
        poly_dot(&w.t[i], w.a[i], w.s);
        for (j = 0; j < N; j++) {
            /* undo the 2^-16 of poly_dot: |t| < q, then + |e| <= q / 2 */
            w.t[i].c[j] = (int16_t)(fqmul(w.t[i].c[j], MONT_R2) + w.e[i].c[j]);
        }
        poly_canon(&w.t[i]);
        encode12(pk + i * POLY_BYTES, &w.t[i]);
        poly_canon(&w.s[i]);
        encode12(sk + i * POLY_BYTES, &w.s[i]);
    }
    memcpy(pk + KK * POLY_BYTES, rho, 32);
    sodium_memzero(&w, sizeof w);
}

struct kpke_enc_work {
    struct poly at[KK][KK];
    struct poly t[KK];
    struct poly y[KK];
    struct poly u[KK];
    struct poly e1[KK];
    struct poly e2;
    struct poly v;
    struct poly mu;
};

/*
 * Algorithm 14 K-PKE.Encrypt(ek_pke, m, r). t-hat is decoded mod q (the
 * caller has checked an untrusted key already).
 */
static void
kpke_encrypt(uint8_t ct[S2_MLKEM768_CT_LEN], const uint8_t pk[PK_BYTES], const uint8_t m[32],
             const uint8_t r[32])
{
    struct kpke_enc_work w;
    size_t i;

    for (i = 0; i < KK; i++) {
        decode12(&w.t[i], pk + i * POLY_BYTES);
    }
    gen_matrix(w.at, pk + KK * POLY_BYTES, 1);
    /* y[0..2] from PRF(r, 0..2), e1[0..2] from PRF(r, 3..5), e2 from 6 */
    {
        struct poly *const p1[4] = {&w.y[0], &w.y[1], &w.y[2], &w.e1[0]};
        struct poly *const p2[4] = {&w.e1[1], &w.e1[2], &w.e2, &w.e2};

        sample_cbd_x4(p1, 4, r, 0);
        sample_cbd_x4(p2, 3, r, 4);
    }
    for (i = 0; i < KK; i++) {
        ntt(&w.y[i]);
    }
    for (i = 0; i < KK; i++) {
        poly_dot(&w.u[i], w.at[i], w.y);
        invntt(&w.u[i]);
        poly_add(&w.u[i], &w.e1[i]);
        poly_canon(&w.u[i]);
    }
    decode_msg(&w.mu, m);
    poly_dot(&w.v, w.t, w.y);
    invntt(&w.v);
    poly_add(&w.v, &w.e2);
    poly_add(&w.v, &w.mu);
    poly_canon(&w.v);
    encode_u(ct, w.u);
    encode_v(ct + CT_U_BYTES, &w.v);
    sodium_memzero(&w, sizeof w);
}

struct kpke_dec_work {
    struct poly s[KK];
    struct poly u[KK];
    struct poly v;
    struct poly w;
};

/* Algorithm 15 K-PKE.Decrypt(dk_pke, c) */
static void
kpke_decrypt(uint8_t m[32], const uint8_t sk[PKE_SK_BYTES], const uint8_t ct[S2_MLKEM768_CT_LEN])
{
    struct kpke_dec_work w;
    size_t i;
    size_t j;

    decode_u(w.u, ct);
    decode_v(&w.v, ct + CT_U_BYTES);
    for (i = 0; i < KK; i++) {
        decode12(&w.s[i], sk + i * POLY_BYTES);
        ntt(&w.u[i]);
    }
    poly_dot(&w.w, w.s, w.u);
    invntt(&w.w);
    for (j = 0; j < N; j++) {
        w.w.c[j] = (int16_t)(w.v.c[j] - w.w.c[j]);
    }
    poly_canon(&w.w);
    encode_msg(m, &w.w);
    sodium_memzero(&w, sizeof w);
}

/* ---- ML-KEM (sections 6, 7) ---- */

/* Algorithm 16 ML-KEM.KeyGen_internal(d, z): dk = dk_pke || ek || H(ek) || z */
void
s2_mlkem768_keypair_derand(uint8_t pk[S2_MLKEM768_PK_LEN], uint8_t sk[S2_MLKEM768_SK_LEN],
                           const uint8_t d[32], const uint8_t z[32])
{
    kpke_keygen(pk, sk, d);
    memcpy(sk + PKE_SK_BYTES, pk, PK_BYTES);
    s2_sha3_256(pk, PK_BYTES, sk + PKE_SK_BYTES + PK_BYTES);
    memcpy(sk + PKE_SK_BYTES + PK_BYTES + 32, z, 32);
}

int
s2_mlkem768_keypair(uint8_t pk[S2_MLKEM768_PK_LEN], uint8_t sk[S2_MLKEM768_SK_LEN])
{
    uint8_t dz[64];
    int r;

    r = s2_random(dz, sizeof dz);
    if (r != 0) {
        sodium_memzero(dz, sizeof dz);
        return r;
    }
    s2_mlkem768_keypair_derand(pk, sk, dz, dz + 32);
    sodium_memzero(dz, sizeof dz);
    return 0;
}

/* FIPS 203 7.2 modulus check: every ByteDecode_12 value of t-hat is below
 * q, i.e. ByteEncode_12(ByteDecode_12(ek)) == ek. The key is public. */
static int
pk_modulus_ok(const uint8_t pk[PK_BYTES])
{
    struct poly t;
    size_t i;
    size_t j;

    for (i = 0; i < KK; i++) {
        decode12_raw(&t, pk + i * POLY_BYTES);
        for (j = 0; j < N; j++) {
            if (t.c[j] >= Q) {
                return 0;
            }
        }
    }
    return 1;
}

/* Algorithm 17 ML-KEM.Encaps_internal(ek, m): (K, r) = G(m || H(ek)) */
int
s2_mlkem768_encaps_derand(uint8_t ct[S2_MLKEM768_CT_LEN], uint8_t ss[S2_MLKEM768_SS_LEN],
                          const uint8_t pk[S2_MLKEM768_PK_LEN], const uint8_t m[32])
{
    uint8_t g_in[64];
    uint8_t g_out[64]; /* K || r */

    if (!pk_modulus_ok(pk)) {
        return LIBSSH2_ERROR_INVAL;
    }
    memcpy(g_in, m, 32);
    s2_sha3_256(pk, PK_BYTES, g_in + 32);
    s2_sha3_512(g_in, sizeof g_in, g_out);
    kpke_encrypt(ct, pk, m, g_out + 32);
    memcpy(ss, g_out, 32);
    sodium_memzero(g_in, sizeof g_in);
    sodium_memzero(g_out, sizeof g_out);
    return 0;
}

int
s2_mlkem768_encaps(uint8_t ct[S2_MLKEM768_CT_LEN], uint8_t ss[S2_MLKEM768_SS_LEN],
                   const uint8_t pk[S2_MLKEM768_PK_LEN])
{
    uint8_t m[32];
    int r;

    r = s2_random(m, sizeof m);
    if (r == 0) {
        r = s2_mlkem768_encaps_derand(ct, ss, pk, m);
    }
    sodium_memzero(m, sizeof m);
    return r;
}

/* A value the compiler cannot reason about, so masks stay masks. */
static uint8_t
value_barrier_u8(uint8_t v)
{
#if defined(__GNUC__)
    __asm__("" : "+r"(v));
    return v;
#else
    volatile uint8_t t = v;
    return t;
#endif
}

struct decaps_work {
    uint8_t g_in[64];  /* m' || h */
    uint8_t g_out[64]; /* K' || r' */
    uint8_t kbar[32];
    uint8_t ct2[S2_MLKEM768_CT_LEN];
    uint8_t h[32];
};

/*
 * Algorithm 18 ML-KEM.Decaps_internal(dk, c) after the 7.3 checks (the
 * lengths are fixed by the types; the hash of ek inside dk must match).
 * dk = dk_pke (1152) || ek_pke (1184) || h (32) || z (32).
 */
int
s2_mlkem768_decaps(uint8_t ss[S2_MLKEM768_SS_LEN], const uint8_t ct[S2_MLKEM768_CT_LEN],
                   const uint8_t sk[S2_MLKEM768_SK_LEN])
{
    struct decaps_work w;
    const uint8_t *ek = sk + PKE_SK_BYTES;
    const uint8_t *h = ek + PK_BYTES;
    const uint8_t *z = h + 32;
    struct s2_keccak j;
    uint8_t diff = 0;
    uint8_t mask;
    size_t i;
    int ok;

    /* 7.3 hash check; ek and its hash are public parts of dk */
    s2_sha3_256(ek, PK_BYTES, w.h);
    ok = s2_ct_eq(w.h, h, 32);
    S2_CT_DECLASSIFY(&ok, sizeof ok);
    if (!ok) {
        sodium_memzero(&w, sizeof w);
        return LIBSSH2_ERROR_INVAL;
    }
    kpke_decrypt(w.g_in, sk, ct);
    memcpy(w.g_in + 32, h, 32);
    s2_sha3_512(w.g_in, sizeof w.g_in, w.g_out);
    /* K-bar = J(z || c) = SHAKE256(z || c, 32) */
    s2_keccak_init(&j, S2_SHAKE256_RATE);
    s2_keccak_absorb(&j, z, 32);
    s2_keccak_absorb(&j, ct, S2_MLKEM768_CT_LEN);
    s2_keccak_finish(&j, 0x1f);
    s2_keccak_squeeze(&j, w.kbar, sizeof w.kbar);
    s2_keccak_wipe(&j);
    kpke_encrypt(w.ct2, ek, w.g_in, w.g_out + 32);
    /* mask = 0xff when c != c', without a branch */
    for (i = 0; i < S2_MLKEM768_CT_LEN; i++) {
        diff = (uint8_t)(diff | (ct[i] ^ w.ct2[i]));
    }
    mask = value_barrier_u8((uint8_t)(0u - (((uint32_t)diff + 0xffu) >> 8)));
    for (i = 0; i < 32; i++) {
        ss[i] = (uint8_t)(w.g_out[i] ^ (mask & (w.g_out[i] ^ w.kbar[i])));
    }
    sodium_memzero(&w, sizeof w);
    return 0;
}
